"""Sentiment toward persons, and outlet means with bootstrap intervals.

Levels
------
* **document** and **sentence**: :func:`~analysis.sentiment.scorer.score_documents` and
  :func:`~analysis.sentiment.scorer.score_sentences`.
* **person** (:func:`score_persons`): with the trained model (the default), sentiment
  *toward* each mention — the mention is the model's target (distance weighting, its clause,
  quotations, the name itself left out of the n-grams), averaged over a person's mentions in a
  sentence. With the lexicon scorer, the sentences that mention a person
  (:func:`person_sentences`) with their whole sentence score: sentiment *near* the person, not
  necessarily toward them ("Putin kritisierte die Sanktionen" counts as negative for Putin).
  Mentions come either from a ``mentions`` table (``doc_id, sentence_id, entity``, e.g. from
  an entity registry) or from name patterns matched with
  :func:`analysis.stats.kwic.compile_pattern` (glob by default, punctuation and quotes skipped,
  never across a sentence boundary).
* **outlet** (or any grouping): :func:`aggregate_sentiment`, the mean sentence score per
  group with a percentile bootstrap interval.

Bootstrap
---------
``unit="document"`` (the default) resamples whole articles within each group (a cluster
bootstrap, :func:`analysis.stats.intervals.cluster_bootstrap_ratio`; a replicate's mean is the
mean over all sentences of the drawn articles): sentences of one article are not independent
(one article about a war is negative throughout), and resampling them one by one gives
intervals that are too narrow. ``unit="sentence"`` resamples the sentences, for a group that
has a single article (whose intervals say nothing about other articles). A group with a
single unit gets no interval (NaN).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..io.tables import sentence_segments
from ..stats.intervals import cluster_bootstrap_ratio
from ..stats.kwic import SKIPPED_KINDS
from ..store.patterns import TokenPattern, compile_pattern
from .scorer import contributions_table, score_sentences

__all__ = ["AGGREGATE_COLUMNS", "aggregate_sentiment", "person_mentions", "person_sentences", "score_persons"]

#: Columns after the group column(s) in the table of :func:`aggregate_sentiment`.
AGGREGATE_COLUMNS: tuple[str, ...] = ("n", "n_documents", "mean", "ci_low", "ci_high", "coverage")
_UNITS = ("sentence", "document")
_PATTERN_COLUMNS = ("doc_id", "sentence_id", "token", "kind", "lemma")


def _patterns(persons) -> dict[str, list[TokenPattern]]:
    if not isinstance(persons, dict) or not persons:
        raise ParameterError(
            "persons must be a non-empty dict person → name pattern(s)",
            hint='e.g. {"Putin": ["Putin*", "Wladimir Putin"], "Kim": ["Kim Jong*"]}',
        )
    compiled = {}
    for person, patterns in persons.items():
        items = patterns if isinstance(patterns, (list, tuple)) else [patterns]
        if not items:
            raise ParameterError(f"person {person!r} has no pattern")
        compiled[str(person)] = [p if isinstance(p, TokenPattern) else compile_pattern(p) for p in items]
    return compiled


def person_sentences(tokens: pd.DataFrame, persons=None, *, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sentences that mention each person.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A tokens table (or a contributions table); used to match ``persons``.
    persons : dict, optional
        Person → name pattern or list of patterns (strings for
        :func:`analysis.stats.kwic.compile_pattern`, glob by default, or compiled patterns).
    mentions : pandas.DataFrame, optional
        Instead of ``persons``: a table with columns ``doc_id, sentence_id, entity``.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, person``; one row per sentence and person, however
        often the person is named in it; in document order.

    Raises
    ------
    ParameterError
        If neither or both of ``persons`` and ``mentions`` are given, or a table lacks a column.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Putin lachte. Kim Jong Un nickte. Wladimir Putin ging."]})
    >>> person_sentences(tokenize(docs), {"Putin": "Putin*", "Kim": "Kim Jong*"}).values.tolist()
    [['d1', 0, 'Putin'], ['d1', 1, 'Kim'], ['d1', 2, 'Putin']]
    """
    if (persons is None) == (mentions is None):
        raise ParameterError(
            "give either persons (name patterns) or mentions (a table), not both or neither",
            hint="mentions: columns doc_id, sentence_id, entity",
        )
    if mentions is not None:
        if not isinstance(mentions, pd.DataFrame):
            raise ParameterError(f"mentions must be a DataFrame, got {type(mentions).__name__}")
        missing = [c for c in ("doc_id", "sentence_id", "entity") if c not in mentions.columns]
        if missing:
            raise ParameterError(
                f"the mentions table has no column {', '.join(map(repr, missing))}",
                hint="it needs doc_id, sentence_id and entity",
            )
        table = mentions[["doc_id", "sentence_id", "entity"]].rename(columns={"entity": "person"})
        table = table.astype({"person": str}).drop_duplicates().reset_index(drop=True)
        return table
    compiled = _patterns(persons)
    if not isinstance(tokens, pd.DataFrame) or not {"doc_id", "sentence_id", "token", "kind"} <= set(tokens.columns):
        raise ParameterError(
            "tokens must be a tokens table with doc_id, sentence_id, token, kind (and lemma)",
            hint="make it with analysis.text.tokenize(documents)",
        )
    counted = tokens[~tokens["kind"].astype(str).isin(SKIPPED_KINDS)].reset_index(drop=True)
    doc = counted["doc_id"].to_numpy()
    sid = counted["sentence_id"].to_numpy()
    segments = sentence_segments(doc, sid)
    factorized = {}
    rows = []
    for person, patterns in compiled.items():
        for pattern in patterns:
            if pattern.column not in counted.columns:
                raise ParameterError(f"the tokens table has no column {pattern.column!r} for pattern {pattern.pattern!r}")
            if pattern.column not in factorized:
                from ..store.match import VocabularyIndex

                codes_, uniques_ = pd.factorize(counted[pattern.column].astype(str))
                factorized[pattern.column] = (codes_, VocabularyIndex([str(u) for u in uniques_]))
            codes, uniques = factorized[pattern.column]
            for start in pattern.find(codes, uniques, segments):
                rows.append((int(start), person))
    if not rows:
        return pd.DataFrame({"doc_id": pd.Series(dtype=object), "sentence_id": pd.Series(dtype=np.int64),
                             "person": pd.Series(dtype=object)})
    rows.sort()
    positions = np.array([r[0] for r in rows])
    table = pd.DataFrame(
        {"doc_id": doc[positions], "sentence_id": sid[positions], "person": [r[1] for r in rows]}
    )
    return table.drop_duplicates().reset_index(drop=True)


def person_mentions(tokens, persons=None, *, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every mention of each person, with where it is (for sentiment toward the mention).

    Parameters
    ----------
    tokens : pandas.DataFrame or analysis.store.TokenStore
        Used to match ``persons``.
    persons, mentions
        As in :func:`person_sentences`.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, sentence_id, person`` and, for ``mentions``, their ``start``/``end`` character
        offsets when the table has them; for ``persons``, ``token_lo``/``token_hi``: the token
        positions of the first token of each match. In document order.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Anna lachte. Dann kam Anna."]})
    >>> person_mentions(tokenize(docs), {"Anna": "Anna"})[["sentence_id", "token_lo"]].values.tolist()
    [[0, 0], [1, 5]]
    """
    from ..store import TokenStore

    if (persons is None) == (mentions is None):
        raise ParameterError(
            "give either persons (name patterns) or mentions (a table), not both or neither",
            hint="mentions: columns doc_id, sentence_id, entity",
        )
    if mentions is not None:
        who = person_sentences(None, mentions=mentions)
        columns = ["doc_id", "sentence_id", "entity"] + [c for c in ("start", "end") if c in mentions.columns]
        table = mentions[columns].rename(columns={"entity": "person"}).astype({"person": str})
        return table.drop_duplicates().reset_index(drop=True) if len(who) else table.iloc[:0]
    compiled = _patterns(persons)
    if isinstance(tokens, TokenStore):
        tokens = tokens.to_frame(columns=list(_PATTERN_COLUMNS))
    if not isinstance(tokens, pd.DataFrame) or not {"doc_id", "sentence_id", "token", "kind"} <= set(tokens.columns):
        raise ParameterError("tokens must be a tokens table with doc_id, sentence_id, token, kind (and lemma)",
                             hint="make it with analysis.text.tokenize(documents)")
    kept = np.flatnonzero(~tokens["kind"].astype(str).isin(SKIPPED_KINDS).to_numpy())
    counted = tokens.iloc[kept].reset_index(drop=True)
    doc = counted["doc_id"].to_numpy()
    sid = counted["sentence_id"].to_numpy()
    segments = sentence_segments(doc, sid)
    rows = []
    from ..store.match import VocabularyIndex

    for person, patterns in compiled.items():
        for pattern in patterns:
            if pattern.column not in counted.columns:
                raise ParameterError(f"the tokens table has no column {pattern.column!r} for pattern {pattern.pattern!r}")
            codes, uniques = pd.factorize(counted[pattern.column].astype(str))
            for start in pattern.find(codes, VocabularyIndex([str(u) for u in uniques]), segments):
                rows.append((int(start), person))
    rows = sorted(set(rows))
    positions = np.array([r[0] for r in rows], dtype=np.int64)
    table = pd.DataFrame({"doc_id": doc[positions] if len(rows) else pd.Series(dtype=object),
                          "sentence_id": sid[positions] if len(rows) else pd.Series(dtype=np.int64),
                          "person": [r[1] for r in rows],
                          "token_lo": kept[positions] if len(rows) else pd.Series(dtype=np.int64)})
    table["token_hi"] = table["token_lo"] + 1
    return table.reset_index(drop=True)


def score_persons(
    tokens: pd.DataFrame,
    persons=None,
    *,
    mentions: pd.DataFrame | None = None,
    lexicon=None,
    per_word: bool = False,
    model=None,
    **options,
) -> pd.DataFrame:
    """Sentiment toward each person: the trained model at every mention, or the lexicon
    scores of the sentences that mention them.

    Parameters
    ----------
    tokens : pandas.DataFrame or analysis.store.TokenStore
        A tokens table, a contributions table from
        :func:`~analysis.sentiment.scorer.score_tokens` (lexicon scores), or a token store.
    persons, mentions
        As in :func:`person_sentences`.
    lexicon, per_word, **options
        As in :func:`~analysis.sentiment.scorer.score_sentences` (the lexicon scorer).
    model : {"trained", "lexicon"}, path or SentimentModel, optional
        As in :func:`~analysis.sentiment.scorer.score_sentences`: by default the trained
        model, unless a lexicon or lexicon options are given. The model scores each mention
        as a target (:func:`analysis.sentiment.predict.model_persons`); the lexicon scorer
        gives every person of a sentence that sentence's score.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, person`` and the score columns (the model's:
        ``n_mentions`` and :data:`analysis.sentiment.predict.MODEL_COLUMNS`; the lexicon's: those of
        :func:`~analysis.sentiment.scorer.score_sentences`); one row per sentence and person.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Putin lobte Kim. Kim war nicht erfreut."]})
    >>> table = score_persons(tokenize(docs), {"Putin": "Putin", "Kim": "Kim"}, lexicon={"loben": 1, "erfreut": 1})
    >>> table[["sentence_id", "person", "score"]].values.tolist()
    [[0, 'Putin', 1.0], [0, 'Kim', 1.0], [1, 'Kim', -1.0]]
    >>> trained = score_persons(tokenize(docs), {"Putin": "Putin", "Kim": "Kim"})
    >>> trained[["sentence_id", "person", "label"]].columns.tolist(), trained.attrs["model"]
    (['sentence_id', 'person', 'label'], 'trained')
    """
    from ..store import TokenStore
    from .predict import model_persons
    from .scorer import chosen_model

    chosen = chosen_model(model, lexicon, options, tokens)
    if chosen is not None:
        if per_word:
            raise ParameterError("per_word applies to the lexicon scorer", hint="pass model='lexicon'")
        return model_persons(tokens, chosen, person_mentions(tokens, persons, mentions=mentions))
    if isinstance(tokens, TokenStore):  # scored on the arrays; patterns read the store's table
        scores = score_sentences(tokens, lexicon, per_word=per_word, model="lexicon", **options)
        who = person_sentences(None if persons is None else tokens.to_frame(columns=list(_PATTERN_COLUMNS)),
                               persons, mentions=mentions)
    else:
        contributions = contributions_table(tokens, lexicon, options)
        who = person_sentences(contributions, persons, mentions=mentions)
        scores = score_sentences(contributions, per_word=per_word)
    result = who.merge(scores, on=["doc_id", "sentence_id"], how="inner", validate="many_to_one")
    result.attrs["coverage"] = scores.attrs.get("coverage", math.nan)
    result.attrs["lexicon"] = scores.attrs.get("lexicon", "")
    result.attrs["model"] = "lexicon"
    return result


def aggregate_sentiment(
    scores: pd.DataFrame,
    documents: pd.DataFrame,
    group="outlet",
    *,
    value: str = "score",
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    unit: str = "document",
) -> pd.DataFrame:
    """Mean sentiment per group with a percentile bootstrap interval over articles.

    Parameters
    ----------
    scores : pandas.DataFrame
        Rows to average with ``doc_id`` and ``value`` columns: sentence scores
        (:func:`~analysis.sentiment.scorer.score_sentences`), person sentences
        (:func:`score_persons`) or document scores.
    documents : pandas.DataFrame
        The documents table; group columns not in ``scores`` are taken from it by ``doc_id``.
    group : str or list of str, default "outlet"
        Column(s) to group by, e.g. ``["outlet", "person"]``.
    value : str, default "score"
        The column averaged.
    n_boot : int, default 2000
        Bootstrap resamples.
    level : float, default 0.95
        Coverage of the interval.
    seed : int, default 0
        Seed of the random generator: the same seed gives the same table.
    unit : {"document", "sentence"}, default "document"
        What is resampled within each group: whole documents (their rows together), or the
        rows one by one (sentences; too narrow where rows of one document go together).

    Returns
    -------
    pandas.DataFrame
        The group column(s), then ``n`` (rows), ``n_documents``, ``mean``, ``ci_low``,
        ``ci_high`` (NaN when the group has only one unit to resample) and ``coverage``
        (matched / word tokens of the group's rows, when ``scores`` has ``n_words`` and
        ``n_matched``); sorted by group. ``attrs`` records ``n_boot``, ``level``, ``seed``, ``model`` (when the scores name it)
        and ``unit``.

    Raises
    ------
    ParameterError
        For a missing column, an unknown unit or out-of-range numbers.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    >>> scores = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "score": [1.0, 0.0, 2.0, -1.0]})
    >>> table = aggregate_sentiment(scores, docs, n_boot=200, unit="sentence")  # one article per outlet
    >>> table[["outlet", "n", "mean"]].values.tolist()
    [['X', 3, 1.0], ['Y', 1, -1.0]]
    >>> bool(table["ci_low"].iloc[0] <= 1.0 <= table["ci_high"].iloc[0]), bool(np.isnan(table["ci_low"].iloc[1]))
    (True, True)
    """
    groups = [group] if isinstance(group, str) else list(group)
    if not groups or not all(isinstance(g, str) for g in groups):
        raise ParameterError("group must be a column name or a list of column names")
    for name, table in (("scores", scores), ("documents", documents)):
        if not isinstance(table, pd.DataFrame):
            raise ParameterError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    for column in ("doc_id", value):
        if column not in scores.columns:
            raise ParameterError(f"the scores table has no column {column!r}", hint="pass score_sentences(...) output")
    if unit not in _UNITS:
        raise ParameterError(f"unit={unit!r} is not one of {', '.join(_UNITS)}")
    if isinstance(n_boot, (bool, np.bool_)) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(f"n_boot must be a positive whole number, got {n_boot!r}")
    if not isinstance(level, (int, float)) or not 0 < level < 1:
        raise ParameterError(f"level must be between 0 and 1, got {level!r}", hint="e.g. 0.95")

    data = scores
    need = [g for g in groups if g not in scores.columns]
    if need:
        missing = [g for g in need if g not in documents.columns]
        if missing or "doc_id" not in documents.columns:
            raise ParameterError(
                f"neither scores nor documents have the column {', '.join(map(repr, missing or ['doc_id']))}",
                hint="available in documents: " + ", ".join(map(str, documents.columns)),
            )
        lookup = documents[["doc_id", *need]].drop_duplicates("doc_id")
        data = scores.merge(lookup, on="doc_id", how="left", validate="many_to_one")
        if data[need].isna().any().any():
            raise ParameterError(
                "some scores have doc_ids that are not in the documents table",
                hint="pass the documents table the scores were made from",
            )
    data = data[~data[value].isna()]

    rng = np.random.default_rng(seed)
    has_coverage = {"n_words", "n_matched"} <= set(data.columns)
    rows = []
    for key, part in data.groupby(groups, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        values = part[value].to_numpy(dtype=float)
        if unit == "sentence":
            sums, weights = values, np.ones(len(values))
        else:
            per_doc = part.groupby("doc_id", sort=True)[value].agg(["sum", "count"])
            sums, weights = per_doc["sum"].to_numpy(dtype=float), per_doc["count"].to_numpy(dtype=float)
        mean = float(values.mean())
        if len(sums) > 1:
            bounds = cluster_bootstrap_ratio(sums, weights, n_boot=int(n_boot), level=level, rng=rng)
            low, high = float(bounds[0][0]), float(bounds[1][0])
        else:
            low = high = math.nan
        coverage = math.nan
        if has_coverage:
            words = part["n_words"].sum()
            coverage = float(part["n_matched"].sum() / words) if words else math.nan
        rows.append((*key, len(values), part["doc_id"].nunique(), mean, low, high, coverage))
    result = pd.DataFrame(rows, columns=[*groups, *AGGREGATE_COLUMNS])
    result = result.astype({"n": np.int64, "n_documents": np.int64})
    result.attrs.update({"n_boot": int(n_boot), "level": float(level), "seed": seed, "unit": unit, "value": value})
    if "model" in scores.attrs:  # which scorer made the scores: the figures label their axis with it
        result.attrs["model"] = scores.attrs["model"]
    return result
