"""Dictionary-based frame indicators: matches, rates per group, and precision checks.

The steps::

    documents + Dictionary ──match_dictionary──▶ matches ──frame_rates──▶ rates (group × category)
                                                 matches ──sample_matches──▶ KWIC lines to judge
                                                   judged lines ──precision_from_judgements──▶ precision

Matching reuses :func:`analysis.stats.kwic.kwic` (and so :func:`analysis.stats.kwic.compile_pattern`):
punctuation and quotation marks are skipped, a multi-word pattern matches consecutive other
tokens within one sentence, and matching is case-insensitive by default.

Decisions
---------
* **Overlaps within a category count once.** When two patterns of the *same* category match
  overlapping spans ("Staats- und Regierungschef*" and "Regierungschef*" on "Staats- und
  Regierungschefs"; "Präsident*" and ``{lemma: Präsident}`` on the same token), only the longest
  span is kept; among equally long spans the earlier one, then the pattern listed first.
* **Different categories count independently.** A span matched by two categories counts for
  both, so category counts do not add up to the number of distinct matched spans.
* **Rates** are per ``per`` (1,000) running words of each group, running words as in
  :mod:`analysis.stats.counts`: tokens of kind ``word`` and ``number``. Every group of the documents
  table × every category of the dictionary appears, with zeros.
* **Precision** is estimated from a random sample of matches judged by a person; the interval
  is Wilson's score interval, which behaves well for small samples and proportions near 0 or 1.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..stats.counts import running_words
from .dictionary import Dictionary, read_dictionary
from ..errors import ParameterError
from ..stats.intervals import wilson_interval
from ..io.tables import check_documents
from ..stats.kwic import kwic
from ..store.patterns import compile_pattern

__all__ = [
    "GENERIC_DICTIONARY_PATH",
    "MATCH_COLUMNS",
    "load_generic_dictionary",
    "load_starter_dictionary",
    "frame_rates",
    "match_dictionary",
    "match_dictionary_in_parts",
    "precision_from_judgements",
    "sample_matches",
    "STARTER_DICTIONARY_PATH",
]

#: Columns of the table returned by :func:`match_dictionary`.
MATCH_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "start", "end", "category", "pattern", "match", "valuetype", "weight",
)

#: The starter dictionary shipped with the project.
STARTER_DICTIONARY_PATH = Path(__file__).resolve().parents[2] / "data" / "lexicons" / "frames_summit.yml"
#: The generic news frames of Semetko & Valkenburg (2000), a starter for any German news corpus.
GENERIC_DICTIONARY_PATH = Path(__file__).resolve().parents[2] / "data" / "lexicons" / "frames_generic.yml"

_CORRECT = frozenset({"correct", "c", "yes", "y", "true", "1", "richtig", "ja"})
_INCORRECT = frozenset({"incorrect", "i", "no", "n", "false", "0", "falsch", "nein"})


def load_starter_dictionary() -> Dictionary:
    """The starter dictionary ``data/lexicons/frames_summit.yml`` for the Putin–Kim summit.

    A starting point checked against the bundled corpus, not a validated instrument: judge a
    sample of its matches (:func:`sample_matches`) before relying on it.

    Returns
    -------
    Dictionary

    Examples
    --------
    >>> d = load_starter_dictionary()
    >>> d.name
    'frames_summit'
    >>> "delegitimising_labels" in d.categories
    True
    """
    return read_dictionary(STARTER_DICTIONARY_PATH)


def load_generic_dictionary() -> Dictionary:
    """The five generic news frames, ``data/lexicons/frames_generic.yml``, as a starter dictionary.

    The frames of Semetko and Valkenburg (2000) — ``conflict``, ``human_interest``,
    ``economic_consequences``, ``morality`` and ``responsibility`` — with German glob, regex
    and multi-word patterns for the vocabulary that typically goes with each. Semetko and
    Valkenburg coded whole articles with yes/no questions; these word lists are our own,
    unvalidated translation of the idea into German vocabulary, meant as a starting point for
    any German news corpus (the summit corpus has its own :func:`load_starter_dictionary`).
    Judge a sample of matches (:func:`sample_matches`, :func:`precision_from_judgements`)
    and adapt the lists before reporting rates; the file's description names the ambiguous
    words left out and the known false matches.

    Returns
    -------
    Dictionary

    References
    ----------
    Semetko, H. A. & Valkenburg, P. M. (2000). Framing European politics: A content analysis
    of press and television news. *Journal of Communication*, 50(2), 93–109.

    Examples
    --------
    >>> d = load_generic_dictionary()
    >>> d.name, list(d.categories)
    ('frames_generic', ['conflict', 'human_interest', 'economic_consequences', 'morality', 'responsibility'])
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Der Streit um den Haushalt kostet Milliarden; die Regierung muss handeln."]})
    >>> for row in match_dictionary(docs, d)[["category", "match"]].values.tolist():
    ...     print(row)  # "muss handeln" overlaps "Regierung muss": counted once
    ['conflict', 'Streit']
    ['economic_consequences', 'Haushalt']
    ['economic_consequences', 'kostet']
    ['economic_consequences', 'Milliarden']
    ['responsibility', 'Regierung muss']
    """
    return read_dictionary(GENERIC_DICTIONARY_PATH)


def _empty_matches(categories) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in MATCH_COLUMNS})
    for c in ("sentence_id", "start", "end"):
        frame[c] = frame[c].astype(np.int64)
    frame["weight"] = frame["weight"].astype(float)
    frame["category"] = pd.Categorical([], categories=list(categories))
    return frame


def match_dictionary(
    documents: pd.DataFrame,
    dictionary: Dictionary,
    *,
    tokens: pd.DataFrame | None = None,
    case_insensitive: bool = True,
) -> pd.DataFrame:
    """Find every entry of a dictionary in the documents.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    dictionary : Dictionary
        From :func:`analysis.framing.dictionary.read_dictionary`, :func:`load_starter_dictionary` or
        :func:`analysis.framing.dictionary.dictionary_from_dict`.
    tokens : pandas.DataFrame or analysis.store.TokenStore, optional
        Tokens table of these documents (with ``lemma`` when the dictionary has lemma
        entries), or their token store (``prepared.store``), to avoid tokenizing again.
    case_insensitive : bool, default True
        Ignore case.

    Returns
    -------
    pandas.DataFrame
        One row per counted match, columns ``doc_id, sentence_id, start, end, category,
        pattern, match, valuetype, weight``, in document order, then by offset, then by
        category order. ``match == text[start:end]`` (the exact slice); ``category`` is
        categorical with the dictionary's categories in order, so categories without any
        match are still known to :func:`frame_rates`; ``weight`` is the entry's weight (1 when
        not given). Overlapping matches of the same category are counted once (the longest);
        different categories may count the same span.

    Raises
    ------
    ParameterError
        For a documents table without ``doc_id``/``text``, a ``dictionary`` that is not a
        :class:`Dictionary`, or tokens that do not fit the texts.

    Examples
    --------
    >>> from analysis.framing.dictionary import dictionary_from_dict
    >>> d = dictionary_from_dict({"official": ["Staats- und Regierungschef*", "Regierungschef*"],
    ...                           "warmth": ["beste* Freund*", "lächel*"]})
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "outlet": ["X"],
    ...     "text": ["Die Staats- und Regierungschefs lächelten als „beste Freunde“."]})
    >>> for row in match_dictionary(docs, d)[["category", "pattern", "match"]].values.tolist():
    ...     print(row)
    ['official', 'Staats- und Regierungschef*', 'Staats- und Regierungschefs']
    ['warmth', 'lächel*', 'lächelten']
    ['warmth', 'beste* Freund*', 'beste Freunde']
    """
    check_documents(documents)
    if not isinstance(dictionary, Dictionary):
        raise ParameterError(
            f"dictionary must be a Dictionary, got {type(dictionary).__name__}",
            hint="read one with analysis.framing.dictionary.read_dictionary or load_starter_dictionary()",
        )
    categories = list(dictionary.categories)
    entries = dictionary.to_frame()
    entries["order"] = np.arange(len(entries))
    entries["category_order"] = pd.Index(categories).get_indexer(entries["category"])
    if entries.empty or documents.empty:
        return _empty_matches(categories)
    if tokens is None:
        from ..text import tokenize

        tokens = tokenize(documents, lemmas=bool((entries["valuetype"] == "lemma").any()), stems=False)

    found = []
    for valuetype, rows in entries.groupby("valuetype", sort=False):
        unique = list(dict.fromkeys(rows["pattern"]))
        compiled = [
            compile_pattern(p, valuetype=valuetype, case_insensitive=case_insensitive) for p in unique
        ]
        table = kwic(documents, compiled, tokens=tokens, window=0, group=None, contexts=False)
        if table.empty:
            continue
        table = table[["doc_id", "sentence_id", "start", "end", "match", "pattern"]].copy()
        table["valuetype"] = valuetype
        found.append(table.merge(rows, on=["pattern", "valuetype"], how="inner"))
    if not found:
        return _empty_matches(categories)
    hits = pd.concat(found, ignore_index=True)
    hits["doc_order"] = pd.Index(documents["doc_id"].astype(str)).get_indexer(hits["doc_id"].astype(str))
    hits = _resolve_overlaps(hits)
    hits = hits.sort_values(["doc_order", "start", "category_order", "end", "order"], kind="stable")
    result = pd.DataFrame(
        {
            "doc_id": hits["doc_id"].to_numpy(),
            "sentence_id": hits["sentence_id"].to_numpy(dtype=np.int64),
            "start": hits["start"].to_numpy(dtype=np.int64),
            "end": hits["end"].to_numpy(dtype=np.int64),
            "category": pd.Categorical(hits["category"], categories=categories),
            "pattern": hits["pattern"].to_numpy(),
            "match": hits["match"].to_numpy(),
            "valuetype": hits["valuetype"].to_numpy(),
            "weight": hits["weight"].to_numpy(dtype=float),
        }
    )
    return result.reset_index(drop=True)


def match_dictionary_in_parts(
    documents,
    dictionary: Dictionary,
    *,
    store,
    jobs: int | None = None,
    doc_ids=None,
    case_insensitive: bool = True,
) -> pd.DataFrame:
    """:func:`match_dictionary` over a prepared corpus, in parts of documents on ``jobs``
    worker processes; the same table.

    ``documents`` is a documents table, or a :class:`analysis.pipeline.PreparedCorpus`, whose
    documents are then read part by part from its cache
    (:meth:`~analysis.pipeline.PreparedCorpus.map_documents`, on its own ``jobs``) instead of all
    at once: the texts are needed only to slice each match, so a large corpus never holds them
    all. ``store`` is the token store the documents were prepared into; the dictionary's
    patterns are matched against its vocabulary once, before the workers start. ``doc_ids``
    keeps only those documents. Matches never cross a document and parts follow the document
    order, so the parts' tables one under the other are the table of the whole.

    Examples
    --------
    >>> from analysis.pipeline import prepare_corpus
    >>> prepared = prepare_corpus(cache=False, jobs=1)
    >>> matches = match_dictionary_in_parts(prepared, load_starter_dictionary(), store=prepared.store)
    >>> matches.equals(match_dictionary(prepared.documents, load_starter_dictionary(), tokens=prepared.store))
    True
    """
    from ..store.executor import concat_parts, map_documents
    from ..store.match import precompute_masks

    if not isinstance(dictionary, Dictionary):
        raise ParameterError(
            f"dictionary must be a Dictionary, got {type(dictionary).__name__}",
            hint="read one with analysis.framing.dictionary.read_dictionary or load_starter_dictionary()",
        )
    entries = dictionary.to_frame()
    precompute_masks(store, [compile_pattern(p, valuetype=v, case_insensitive=case_insensitive)
                             for p, v in dict.fromkeys(zip(entries["pattern"], entries["valuetype"]))])
    shared = dict(dictionary=dictionary, tokens=store, case_insensitive=case_insensitive)
    if doc_ids is not None:
        doc_ids = {str(d) for d in doc_ids}
    if isinstance(documents, pd.DataFrame):
        if doc_ids is not None:
            documents = documents[documents["doc_id"].astype(str).isin(doc_ids)].reset_index(drop=True)
        parts = map_documents(match_dictionary, documents, jobs=jobs, **shared)
    else:
        parts = documents.map_documents(match_dictionary, doc_ids=doc_ids, **shared)
    if not parts:
        return _empty_matches(list(dictionary.categories))
    return concat_parts(parts).reset_index(drop=True)


def _resolve_overlaps(hits: pd.DataFrame) -> pd.DataFrame:
    """Keep, per document and category, non-overlapping spans: longest first, then earliest,
    then the pattern listed first."""
    hits = hits.assign(length=hits["end"] - hits["start"])
    hits = hits.sort_values(
        ["doc_order", "category_order", "length", "start", "order"],
        ascending=[True, True, False, True, True],
        kind="stable",
    )
    keep = np.zeros(len(hits), dtype=bool)
    starts = hits["start"].to_numpy()
    ends = hits["end"].to_numpy()
    keys = list(zip(hits["doc_order"].to_numpy(), hits["category_order"].to_numpy()))
    taken: dict[tuple, list[tuple[int, int]]] = {}
    for i, key in enumerate(keys):
        spans = taken.setdefault(key, [])
        a, b = starts[i], ends[i]
        if all(b <= s or a >= e for s, e in spans):
            spans.append((a, b))
            keep[i] = True
    return hits[keep].drop(columns="length")


def _group_lookup(documents: pd.DataFrame, group: str) -> pd.Series:
    if not isinstance(group, str) or group not in documents.columns:
        raise ParameterError(
            f"the documents table has no column {group!r}",
            hint="available columns: " + ", ".join(map(str, documents.columns)),
        )
    lookup = pd.Series(documents[group].astype(str).to_numpy(), index=documents["doc_id"].astype(str))
    if lookup.index.has_duplicates:
        raise ParameterError(
            "the documents table has duplicate doc_ids", hint="load it with analysis.io.corpus.load_corpus"
        )
    return lookup


def _check_matches(matches, needed) -> None:
    if not isinstance(matches, pd.DataFrame):
        raise ParameterError(
            f"matches must be a pandas DataFrame, got {type(matches).__name__}",
            hint="pass the result of match_dictionary",
        )
    missing = [c for c in needed if c not in matches.columns]
    if missing:
        raise ParameterError(
            f"the matches table has no column {', '.join(map(repr, missing))}",
            hint="pass the result of match_dictionary",
        )


def _categories_of(matches: pd.DataFrame, categories) -> list[str]:
    if categories is not None:
        if isinstance(categories, Dictionary):
            return list(categories.categories)
        return [str(c) for c in categories]
    if isinstance(matches["category"].dtype, pd.CategoricalDtype):
        return [str(c) for c in matches["category"].cat.categories]
    return [str(c) for c in pd.unique(matches["category"].astype(str))]


def frame_rates(
    matches: pd.DataFrame,
    documents: pd.DataFrame,
    tokens: pd.DataFrame,
    *,
    group: str = "outlet",
    per: float = 1000,
    categories=None,
    weighted: bool = False,
) -> pd.DataFrame:
    """Matches per ``per`` running words, for every group × category.

    Parameters
    ----------
    matches : pandas.DataFrame
        Output of :func:`match_dictionary` (``doc_id``, ``category``; ``weight`` when
        ``weighted``).
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and the ``group`` column.
    tokens : pandas.DataFrame or analysis.store.TokenStore
        Tokens table (``doc_id``, ``kind``) or token store of the same documents; gives the running words
        (kinds ``word`` and ``number``, as in :mod:`analysis.stats.counts`).
    group : str, default "outlet"
        Documents column to group by.
    per : float, default 1000
        Rates are per this many running words.
    categories : list of str or Dictionary, optional
        Categories to report, in order. By default the categories of the categorical
        ``category`` column (all dictionary categories), else those that occur.
    weighted : bool, default False
        Sum the entries' weights instead of counting matches.

    Returns
    -------
    pandas.DataFrame
        Columns ``<group>, category, n, running_words, rate``: one row per group of the
        documents table (sorted) × category (in order), zeros included. ``rate`` is
        ``n / running_words * per`` (NaN for a group without running words).

    Raises
    ------
    ParameterError
        For missing columns, a non-positive ``per``, or doc_ids not in the documents table.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    >>> tokens = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 2,
    ...                        "kind": ["word", "word", "punct", "number", "word", "word"]})
    >>> matches = pd.DataFrame({"doc_id": ["a"], "category": ["warmth"]})
    >>> frame_rates(matches, docs, tokens, per=100)
      outlet category  n  running_words       rate
    0      X   warmth  1              3  33.333333
    1      Y   warmth  0              2   0.000000
    """
    _check_matches(matches, ("doc_id", "category") + (("weight",) if weighted else ()))
    if not isinstance(documents, pd.DataFrame) or "doc_id" not in documents.columns:
        raise ParameterError("documents must be a DataFrame with a doc_id column", hint="pass the documents table")
    per_document = running_words(tokens)
    if isinstance(per, (bool, np.bool_)) or not isinstance(per, (int, float, np.number)) or not per > 0:
        raise ParameterError(f"per must be a positive number, got {per!r}", hint="e.g. per=1000")
    lookup = _group_lookup(documents, group)
    cats = _categories_of(matches, categories)
    groups = sorted(pd.unique(lookup.to_numpy()))

    def groups_of(doc_ids: pd.Series, what: str) -> pd.Series:
        labels = lookup.reindex(doc_ids.astype(str).to_numpy())
        if labels.isna().any():
            unknown = pd.unique(doc_ids.astype(str).to_numpy()[labels.isna().to_numpy()])[:5]
            raise ParameterError(
                f"{what} refer to doc_ids not in the documents table: {', '.join(unknown)}",
                hint="use the same documents table for matching, tokenizing and rates",
            )
        return pd.Series(labels.to_numpy(), index=doc_ids.index)

    if not isinstance(tokens, pd.DataFrame):  # a store holds every document; count those asked for
        per_document = per_document[per_document.index.isin(lookup.index)]
    labels = groups_of(pd.Series(per_document.index, dtype=object), "tokens")
    words = pd.Series(per_document.to_numpy(), index=labels.to_numpy()).groupby(level=0).sum()
    words = words.reindex(groups, fill_value=0)

    unknown_cats = sorted(set(matches["category"].astype(str)) - set(cats))
    if unknown_cats:
        raise ParameterError(
            f"matches hold categories not in categories: {', '.join(unknown_cats[:5])}",
            hint="leave categories=None or list every category of the matches",
        )
    grid = pd.MultiIndex.from_product([groups, cats], names=[group, "category"])
    if len(matches):
        frame = pd.DataFrame(
            {
                group: groups_of(matches["doc_id"], "matches").to_numpy(),
                "category": matches["category"].astype(str).to_numpy(),
                "value": matches["weight"].to_numpy(dtype=float) if weighted else 1,
            }
        )
        n = frame.groupby([group, "category"])["value"].sum().reindex(grid, fill_value=0)
    else:
        n = pd.Series(0, index=grid)
    result = n.rename("n").reset_index()
    result["n"] = result["n"].astype(float if weighted else np.int64)
    result["running_words"] = words.reindex(result[group]).to_numpy(dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = result["n"].to_numpy(dtype=float) / result["running_words"].to_numpy(dtype=float) * float(per)
    result["rate"] = np.where(result["running_words"].to_numpy() > 0, rate, np.nan)
    return result


# --------------------------------------------------------------------------------------
# Precision
# --------------------------------------------------------------------------------------


def _category_seed(seed: int, category: str) -> np.random.Generator:
    # One stream per category, so adding a category never changes another's sample.
    return np.random.default_rng([int(seed), zlib.crc32(category.encode("utf-8"))])


def sample_matches(
    matches: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    n: int = 10,
    seed: int = 0,
    window: int = 8,
    group: str = "outlet",
    tokens: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Draw up to ``n`` random matches per category as KWIC lines, for judging precision.

    Save the table (e.g. as CSV), let a person fill ``judgement`` with ``correct`` or
    ``incorrect`` for each line (does the match express the category here?), read it back and
    pass it to :func:`precision_from_judgements`.

    Parameters
    ----------
    matches : pandas.DataFrame
        Output of :func:`match_dictionary`.
    documents : pandas.DataFrame
        The documents table the matches come from.
    n : int, default 10
        Lines per category at most (all matches when a category has fewer).
    seed : int, default 0
        Random seed; the same seed gives the same sample. Each category draws from its own
        stream, so a category's sample does not depend on the other categories.
    window : int, default 8
        Tokens of context on each side, as in :func:`analysis.stats.kwic.kwic`.
    group : str, default "outlet"
        Documents column shown after ``doc_id`` (left out when the documents lack it).
    tokens : pandas.DataFrame, optional
        Tokens table of the documents, to avoid tokenizing again.

    Returns
    -------
    pandas.DataFrame
        Columns ``category, doc_id, <group>, left, match, right, pattern, judgement``;
        ``judgement`` is empty. Rows are ordered by category, then document and offset.

    Raises
    ------
    ParameterError
        For a negative ``n``, a bad ``window`` or a matches table without the needed columns.

    Examples
    --------
    >>> from analysis.framing.dictionary import dictionary_from_dict
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "outlet": ["X"],
    ...     "text": ["Kim lächelte. Putin lächelte auch. Beide lächelten lange."]})
    >>> d = dictionary_from_dict({"warmth": ["lächel*"]})
    >>> sample = sample_matches(match_dictionary(docs, d), docs, n=2, window=1)
    >>> len(sample), sample["judgement"].tolist()
    (2, ['', ''])
    """
    _check_matches(matches, ("doc_id", "start", "end", "category", "pattern"))
    check_documents(documents)
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ParameterError(f"n must be a non-negative whole number, got {n!r}", hint="lines per category, e.g. 10")
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"seed must be a non-negative whole number, got {seed!r}")
    cats = _categories_of(matches, None)
    show_group = isinstance(group, str) and group in documents.columns and group not in ("doc_id", "category")
    columns = ["category", "doc_id", *([group] if show_group else []), "left", "match", "right", "pattern", "judgement"]

    doc_order = pd.Index(documents["doc_id"].astype(str))
    picked = []
    for category in cats:
        rows = matches[matches["category"].astype(str) == category]
        if len(rows) > n:
            chosen = _category_seed(seed, category).choice(len(rows), size=n, replace=False)
            rows = rows.iloc[np.sort(chosen)]
        picked.append(rows)
    sample = pd.concat(picked, ignore_index=True) if picked else matches.iloc[:0]
    if sample.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return empty

    valuetypes = sample["valuetype"] if "valuetype" in sample.columns else pd.Series("glob", index=sample.index)
    sample = sample.assign(valuetype=valuetypes.astype(str).to_numpy(), doc_id=sample["doc_id"].astype(str))
    wanted = documents[documents["doc_id"].astype(str).isin(set(sample["doc_id"]))]
    if tokens is not None and "doc_id" in tokens.columns:
        tokens = tokens[tokens["doc_id"].astype(str).isin(set(sample["doc_id"]))]
    # Contexts come from kwic itself: re-find the sampled patterns (case-insensitively, a
    # superset of any match) in the sampled documents and join on the span.
    span = ["doc_id", "start", "end", "pattern", "valuetype"]
    contexts = []
    for valuetype, rows in sample.groupby("valuetype", sort=False):
        found = kwic(wanted, list(dict.fromkeys(rows["pattern"])), tokens=tokens, valuetype=valuetype,
                     window=window, group=None)
        contexts.append(found.assign(valuetype=valuetype)[[*span, "left", "right"]])
    context = pd.concat(contexts, ignore_index=True).drop_duplicates(span)
    context["doc_id"] = context["doc_id"].astype(str)
    merged = sample.merge(context, on=span, how="left")
    if merged["left"].isna().any():
        raise ParameterError(
            "some matches are not in the documents given",
            hint="pass the same documents table (and tokens) that match_dictionary was given",
        )
    merged["category"] = merged["category"].astype(str)
    merged["_cat"] = pd.Index(cats).get_indexer(merged["category"])
    merged["_doc"] = doc_order.get_indexer(merged["doc_id"])
    merged = merged.sort_values(["_cat", "_doc", "start", "end"], kind="stable")
    if show_group:
        merged[group] = documents.set_index(documents["doc_id"].astype(str))[group].reindex(merged["doc_id"]).to_numpy()
    merged["judgement"] = ""
    return merged[columns].reset_index(drop=True)


def _judgement(value, row: int):
    """True, False or None (not judged)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().casefold()
    if text == "":
        return None
    if text in _CORRECT:
        return True
    if text in _INCORRECT:
        return False
    raise ParameterError(
        f"judgement {value!r} is neither correct nor incorrect",
        row=row,
        column="judgement",
        hint="write 'correct' or 'incorrect' (or leave the cell empty to skip the line)",
    )


def precision_from_judgements(sample: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Precision of each category from a judged sample, with a Wilson score interval.

    Parameters
    ----------
    sample : pandas.DataFrame
        A table from :func:`sample_matches` with ``judgement`` filled in: ``correct`` or
        ``incorrect`` (also ``c``/``i``, ``yes``/``no``, ``richtig``/``falsch``, booleans,
        1/0; case-insensitive). Empty cells are lines not judged and are left out.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``category, judged, correct, precision, ci_low, ci_high, unjudged``, one row
        per category (in order of appearance). ``precision`` is ``correct / judged``; the
        interval is Wilson's score interval; all three are NaN when nothing was judged.

    Raises
    ------
    ParameterError
        For a missing ``category``/``judgement`` column, an unreadable judgement (naming its
        row) or a confidence outside (0, 1).

    Examples
    --------
    >>> sample = pd.DataFrame({"category": ["warmth"] * 4 + ["threat"],
    ...                        "judgement": ["correct", "correct", "incorrect", "", "correct"]})
    >>> precision_from_judgements(sample).round(3)
      category  judged  correct  precision  ci_low  ci_high  unjudged
    0   warmth       3        2      0.667   0.208    0.939         1
    1   threat       1        1      1.000   0.207    1.000         0
    """
    if not isinstance(sample, pd.DataFrame) or not {"category", "judgement"} <= set(sample.columns):
        raise ParameterError(
            "the sample needs the columns category and judgement", hint="pass a filled table from sample_matches"
        )
    if isinstance(confidence, (bool, np.bool_)) or not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ParameterError(f"confidence must be between 0 and 1, got {confidence!r}", hint="e.g. 0.95")
    verdicts = [_judgement(v, row) for row, v in enumerate(sample["judgement"].tolist())]
    category = sample["category"].astype(str).tolist()
    order = _categories_of(sample, None)
    rows = []
    for name in order:
        own = [v for c, v in zip(category, verdicts) if c == name]
        judged = sum(v is not None for v in own)
        correct = sum(v is True for v in own)
        low, high = (float(bound[0]) for bound in wilson_interval([correct], [judged], confidence)) \
            if judged else (float("nan"), float("nan"))
        rows.append((name, judged, correct, correct / judged if judged else float("nan"), low, high, len(own) - judged))
    return pd.DataFrame(rows, columns=["category", "judged", "correct", "precision", "ci_low", "ci_high", "unjudged"])
