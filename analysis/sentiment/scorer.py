"""Lexicon sentiment scoring with German negation and modifiers, token by token.

Every score is the sum of per-token *contributions*, and :func:`score_tokens` returns the
table of those contributions, so each number can be traced back to the words behind it.

How a token is scored
---------------------
1. **Matching.** Only ``word`` tokens are looked up. Multi-word entries of the lexicon are
   tried first (longest first, on consecutive word tokens of one sentence, each part
   matching the token or its lemma, case-insensitively); the whole expression's score is put
   on its first token, the others are marked ``phrase``. Otherwise the lemma is looked up,
   then the surface form, **case-sensitively**: German capitalisation separates nouns from
   other words, and matching *trotz* (despite) to the noun *Trotz* (defiance, −1) or *bleiben*
   to *Bleiben* made news sentences negative for nothing. Only the first word of a sentence
   (or after an opening quote or a colon) and words in capitals are also tried
   case-insensitively ("Gut gemacht", "SCHLECHT"). A hyphenated compound the lexicon does
   not know is looked up by its last part ("Corona-Krise" → "Krise"; ``compounds=True``).
2. **Negators and modifiers are never scored themselves**, even when the lexicon lists them
   (the default lexicon scores *nichts* −0.7 and *absolut* +0.7).
3. **Negation** (``negation=True``). Negators (:data:`NEGATORS`): *nicht, kein, keine, keinen,
   keinem, keiner, keines, keinerlei, keineswegs, keinesfalls, nie, niemals, nirgends,
   nirgendwo, ohne, nichts, niemand, niemanden, niemandem, weder* and *noch* after *weder* in
   the same sentence; written in lower case, except at the start of a sentence ("aus dem
   Nichts" is a noun). A negator's **scope** is the following ``negation_window`` word tokens
   (default 4), ending earlier at the end of the clause: any punctuation token (``, ; : . ! ?``,
   dashes, brackets) or a clause-opening word (:data:`CLAUSE_WORDS`: *aber, sondern, jedoch,
   doch, obwohl, weil, denn, dass, während, wobei*). When no word follows in the clause (a
   clause-final *nicht*: "Das Essen schmeckte ihm nicht."), the scope is instead the up to
   ``negation_window`` words before it in the same clause. A negator directly followed by
   a blocker (:data:`NEGATION_BLOCKERS`: *nicht nur*, *nicht zuletzt*, *nicht allein*,
   *nicht umsonst*, *nicht minder*) negates nothing. A token in the scope of an odd number
   of negators is ``negated`` ("nicht ohne Erfolg" is not): its score is multiplied by
   ``negation_factor`` (default −1, a flip), or replaced by the lexicon's explicit negated
   score when it has one (Rauh's ``NOT_`` entries).
4. **Modifiers** (:data:`MODIFIERS`). An intensifier or diminisher multiplies the score of the
   sentiment words among the next ``modifier_window`` word tokens (default 2) of its clause;
   several modifiers multiply ("sehr, sehr gut" does not, the comma ends the clause).
   Intensifiers: *sehr* 1.5, *besonders* 1.5, *äußerst* 1.8, *extrem* 1.8, *höchst* 1.8,
   *überaus* 1.8, *außerordentlich* 1.8, *zutiefst* 1.8, *hochgradig* 1.8, *ausgesprochen*
   1.5, *absolut* 1.5, *völlig* 1.5, *total* 1.5, *enorm* 1.5, *ungemein* 1.5, *ziemlich* 1.25;
   diminishers: *kaum* 0.3, *wenig* 0.5, *weniger* 0.5, *etwas* 0.7, *leicht* 0.7, *bisschen*
   0.7, *einigermaßen* 0.7, *halbwegs* 0.7, *eher* 0.8, *relativ* 0.8. The values are a
   judgement in the spirit of VADER's ±0.293 boosters and textblob-de's intensities (*kaum*
   0.3, *wenig* 0.5, *extrem* 2.0), not estimates.

``contribution = polarity × modifier × (negation_factor if negated else 1)``.

Scores
------
:func:`score_sentences` and :func:`score_documents` sum the contributions: by default the
**score is the plain sum** (so the contributions add up to it exactly, and a long article
with many sentiment words scores further from 0 than a short one). With ``per_word=True`` the
sum is divided by the number of word tokens, for comparing texts of different length.
Every table reports **coverage**, the share of word tokens matched by the lexicon: as a
column, and for the whole table in ``.attrs["coverage"]``.

Known failures of this approach: a negated intensifier is flipped *and* strengthened ("kein
besonders großer Erfolg", a modest success, scores −2.55), irony, reported speech (the sentiment of a quoted person is
scored as the outlet's), sentiment toward *whom* (a sentence can praise one person and attack
another), news words whose lexicon polarity differs from their use in news (see
``docs/validation.md``), and negation scopes that German word order puts elsewhere.
"""

from __future__ import annotations

import inspect
import math
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..io.tables import check_tokens
from ..text import lemmatize_word, split_sentences, tokenize_text
from .engine import ROLES, Rules, Scored, score_arrays
from .rules import (
    CLAUSE_WORDS,
    MODIFIERS,
    NEGATION_BLOCKERS,
    NEGATORS,
    check_flag,
    scoring_rules,
)

__all__ = [
    "CLAUSE_WORDS",
    "LEXICON_MODEL",
    "chosen_model",
    "CONTRIBUTION_COLUMNS",
    "MODIFIERS",
    "NEGATION_BLOCKERS",
    "NEGATORS",
    "explain",
    "score_documents",
    "score_sentences",
    "score_text",
    "score_tokens",
]

#: Columns of the contributions table returned by :func:`score_tokens`.
CONTRIBUTION_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "token_id", "token", "lemma", "kind", "role", "entry",
    "polarity", "modifier", "negated", "contribution",
)
_TOKEN_NEEDS = ("doc_id", "sentence_id", "token_id", "token", "kind", "lemma")
_SCORE_COLUMNS = ("n_words", "n_matched", "coverage", "positive", "negative", "score")


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


def _check_tokens(tokens) -> None:
    check_tokens(tokens, _TOKEN_NEEDS)


def _frame_arrays(tokens: pd.DataFrame):
    """Type ids, sentence starts and per-type forms, lemmas and kinds of a tokens table."""
    keys = pd.DataFrame({c: tokens[c].astype(str).to_numpy(dtype=object) for c in ("token", "lemma", "kind")})
    type_ids = keys.groupby(["token", "lemma", "kind"], sort=False).ngroup().to_numpy(dtype=np.int64)
    first = keys.drop_duplicates()
    doc = tokens["doc_id"].to_numpy()
    sentence = tokens["sentence_id"].to_numpy()
    new_sentence = np.ones(len(tokens), dtype=bool)
    if len(tokens):
        new_sentence[1:] = (doc[1:] != doc[:-1]) | (sentence[1:] != sentence[:-1])
    return type_ids, new_sentence, first["token"].tolist(), first["lemma"].tolist(), first["kind"].tolist()


def _store_arrays(store):
    """The same arrays for a :class:`~analysis.store.TokenStore`."""
    new_sentence = np.ones(store.n_tokens, dtype=bool)
    if store.n_tokens:
        new_sentence[1:] = store.sentence_ids[1:] != store.sentence_ids[:-1]
        new_sentence[store.offsets[:-1][store.lengths > 0]] = True
    vocabulary = store.vocabulary
    return (store.type_ids, new_sentence, vocabulary["form"].tolist(), vocabulary["lemma"].tolist(),
            vocabulary["kind"].astype(str).tolist())


def _score(tokens, rules: Rules) -> Scored:
    store = _as_store(tokens)
    if store is None:
        return score_arrays(*_frame_arrays(tokens), rules)
    return _store_scored(store, rules)[0]


def _store_scored(store, rules: Rules) -> tuple[Scored, np.ndarray]:
    """Scored arrays and sentence starts of a store, kept on the store per lexicon and options
    (a figure run asks for contributions, sentence scores and person scores of one scoring)."""
    key = ("sentiment", id(rules.lexicon), rules.negation, tuple(sorted(rules.negators)), rules.negation_window,
           rules.negation_factor, tuple(sorted(rules.modifiers.items())), rules.modifier_window, rules.compounds)

    def compute():
        arrays = _store_arrays(store)
        # The lexicon is kept with the result, so that its id cannot be reused by another one.
        return rules.lexicon, score_arrays(*arrays, rules), arrays[1]

    _, scored, new_sentence = store.memo(key, compute)
    return scored, new_sentence


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def score_tokens(
    tokens: pd.DataFrame,
    lexicon=None,
    *,
    negation: bool = True,
    negators: Iterable[str] | None = None,
    negation_window: int = 4,
    negation_factor: float = -1.0,
    modifiers: Mapping[str, float] | None = None,
    modifier_window: int = 2,
    compounds: bool = True,
    roles_only: bool = False,
) -> pd.DataFrame:
    """The contribution of every token to the sentiment score.

    Parameters
    ----------
    tokens : pandas.DataFrame or analysis.store.TokenStore
        A tokens table (:func:`analysis.text.tokenize`), in document order, or a token store
        (``prepared.store``), which is scored on its arrays without a table per token.
    lexicon : Lexicon, str, Path or dict, optional
        The lexicon (anything :func:`~analysis.sentiment.lexicon.load_lexicon` accepts); the
        default German lexicon when omitted.
    negation : bool, default True
        Apply negation scopes (see the module notes).
    negators : collection of str, optional
        Negation words; :data:`NEGATORS` by default.
    negation_window : int, default 4
        Word tokens a negation reaches (within its clause).
    negation_factor : float, default -1.0
        Multiplier of a negated score (−1 flips; −0.5 flips and halves).
    modifiers : mapping of str to float, optional
        Intensifiers and diminishers with their multipliers; :data:`MODIFIERS` by default,
        ``{}`` for none.
    modifier_window : int, default 2
        Word tokens a modifier reaches (within its clause).
    compounds : bool, default True
        Look up unknown hyphenated compounds by their last part.
    roles_only : bool, default False
        Return only the tokens with a role (matches, negators, modifiers): a few percent of
        the rows, for corpora whose full table would not fit in memory. Such a table feeds
        :func:`~analysis.plots.sentiment.top_contributors`; sentence and document scores
        need every word, so score the store itself with :func:`score_sentences`.

    Returns
    -------
    pandas.DataFrame
        One row per token, in the order given, with columns :data:`CONTRIBUTION_COLUMNS`:
        ``role`` is ``"sentiment"`` (a lexicon match carrying the contribution), ``"phrase"``
        (a later token of a multi-word match), ``"negator"``, ``"modifier"`` or ``""``;
        ``entry`` the lexicon entry matched; ``polarity`` its score (NaN when none);
        ``modifier`` the product of the modifiers applied (1.0 when none); ``negated`` whether
        the token is in the scope of an odd number of negators; ``contribution`` the signed
        contribution (0.0 for every token that is not a sentiment match).
        ``attrs["coverage"]`` holds the share of word tokens matched by the lexicon and
        ``attrs["lexicon"]`` the lexicon name.

    Raises
    ------
    ParameterError
        If ``tokens`` lacks a column, or an option is out of range.
    LexiconError
        If the lexicon cannot be loaded.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Das ist nicht sehr gut."]})
    >>> lex = {"gut": 1.0}
    >>> table = score_tokens(tokenize(docs), lex)
    >>> table[["token", "role", "modifier", "negated", "contribution"]].values.tolist()[2:5]
    [['nicht', 'negator', 1.0, False, 0.0], ['sehr', 'modifier', 1.0, True, 0.0], ['gut', 'sentiment', 1.5, True, -1.5]]
    >>> table.attrs["coverage"]
    0.2
    """
    rules = scoring_rules(lexicon, negation, negators, negation_window, negation_factor, modifiers, modifier_window,
                   compounds)
    roles_only = check_flag(roles_only, "roles_only")
    store = _as_store(tokens)
    if store is None:
        _check_tokens(tokens)
    scored = _score(store if store is not None else tokens, rules)
    rows = scored.rows if roles_only else np.arange(scored.n_tokens)
    if store is not None:
        doc = store.doc_of(rows)
        type_ids = store.type_ids[rows]
        columns = {
            "doc_id": pd.Series(store.doc_ids.to_numpy(dtype=object)[doc], dtype=object),
            "sentence_id": store.sentence_ids[rows].astype(np.int64),
            "token_id": (rows - store.offsets[doc]).astype(np.int64),
            "token": pd.Series(store.type_attribute("form")[type_ids], dtype=object),
            "lemma": pd.Series(store.type_attribute("lemma")[type_ids], dtype=object),
            "kind": pd.Series(store.vocabulary["kind"].astype(str).to_numpy(dtype=object)[type_ids], dtype=object),
        }
    else:
        columns = {
            "doc_id": tokens["doc_id"].to_numpy()[rows],
            "sentence_id": tokens["sentence_id"].to_numpy()[rows],
            "token_id": tokens["token_id"].to_numpy()[rows],
            "token": tokens["token"].astype(str).to_numpy(dtype=object)[rows],
            "lemma": tokens["lemma"].astype(str).to_numpy(dtype=object)[rows],
            "kind": tokens["kind"].astype(str).to_numpy(dtype=object)[rows],
        }
    names = np.array(["", *scored.entries], dtype=object)

    def values(per_row, fill):
        return per_row if roles_only else scored.dense(per_row, fill)

    table = pd.DataFrame(
        {
            **columns,
            "role": np.array(ROLES, dtype=object)[values(scored.role, 0)],
            "entry": names[values(scored.entry, -1) + 1],
            "polarity": values(scored.polarity, np.nan),
            "modifier": values(scored.modifier, 1.0),
            "negated": scored.negated[rows],
            "contribution": values(scored.contribution, 0.0),
        },
        columns=list(CONTRIBUTION_COLUMNS),
    )
    table.attrs["coverage"] = _share(scored)
    table.attrs["lexicon"] = rules.lexicon.name
    table.attrs["roles_only"] = roles_only
    return table


def _as_store(tokens):
    from ..store import TokenStore

    return tokens if isinstance(tokens, TokenStore) else None


def _share(scored: Scored) -> float:
    words = int(scored.is_word.sum())
    return float(scored.matched.sum() / words) if words else math.nan


def _coverage(contributions: pd.DataFrame) -> float:
    words = contributions["kind"].astype(str) == "word"
    matched = contributions["role"].isin(["sentiment", "phrase"]) & words
    total = int(words.sum())
    return float(matched.sum() / total) if total else math.nan


def contributions_table(table, lexicon, options) -> pd.DataFrame:
    """``table`` itself when it already holds contributions, else :func:`score_tokens` of it."""
    if isinstance(table, pd.DataFrame) and {"contribution", "role", "kind", "doc_id"} <= set(table.columns):
        if lexicon is not None or options:
            raise ParameterError(
                "the table already holds contributions; lexicon and scoring options cannot apply",
                hint="pass a tokens table to score with other options",
            )
        return table
    return score_tokens(table, lexicon, **options)


def _summarise(contributions: pd.DataFrame, keys: list[str], per_word: bool) -> pd.DataFrame:
    if contributions.attrs.get("roles_only"):
        raise ParameterError(
            "this contributions table holds only the tokens with a role (roles_only=True), so sentence "
            "and document scores cannot count their words",
            hint="pass the tokens table or the TokenStore itself (e.g. prepared.store)",
        )
    frame = pd.DataFrame(
        {
            **{k: contributions[k].to_numpy() for k in keys},
            "n_words": (contributions["kind"].astype(str) == "word").to_numpy(dtype=np.int64),
            "n_matched": (
                contributions["role"].isin(["sentiment", "phrase"]) & (contributions["kind"].astype(str) == "word")
            ).to_numpy(dtype=np.int64),
            "positive": contributions["contribution"].clip(lower=0).to_numpy(),
            "negative": contributions["contribution"].clip(upper=0).to_numpy(),
        }
    )
    return _finish(frame.groupby(keys, sort=False).sum().reset_index(), per_word)


def _store_summary(store, scored: Scored, new_sentence: np.ndarray, level: str, per_word: bool) -> pd.DataFrame:
    """Sentence or document sums straight from the arrays (no row per token)."""
    # Sums over runs of tokens (reduceat) and units of the scored rows (binary search): no
    # array of every token's unit, which would take 8 bytes a token.
    doc_ids = store.doc_ids.to_numpy(dtype=object)
    if level == "sentence":
        firsts = np.flatnonzero(new_sentence)
        keys = {"doc_id": doc_ids[store.doc_of(firsts)], "sentence_id": store.sentence_ids[firsts].astype(np.int64)}
    else:
        present = np.flatnonzero(store.lengths > 0)
        firsts = store.offsets[present].astype(np.int64)
        keys = {"doc_id": doc_ids[present], "n_sentences": _run_sums(new_sentence, firsts)}
    size = len(next(iter(keys.values())))
    contribution = scored.contribution
    row_unit = np.searchsorted(firsts, scored.rows, side="right") - 1
    grouped = pd.DataFrame({
        **keys,
        "n_words": _run_sums(scored.is_word, firsts),
        "n_matched": np.bincount(row_unit, weights=scored.matched, minlength=size).astype(np.int64),
        "positive": np.bincount(row_unit, weights=np.clip(contribution, 0, None), minlength=size),
        "negative": np.bincount(row_unit, weights=np.clip(contribution, None, 0), minlength=size),
    })
    return _finish(grouped, per_word)


def _run_sums(flags: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Number of true flags in each run ``firsts[i]:firsts[i + 1]`` (the last to the end)."""
    if not len(firsts):
        return np.zeros(0, dtype=np.int64)
    return np.add.reduceat(np.asarray(flags, dtype=bool).view(np.int8), firsts, dtype=np.int64)


def _finish(grouped: pd.DataFrame, per_word: bool) -> pd.DataFrame:
    grouped["score"] = grouped["positive"] + grouped["negative"]
    with np.errstate(divide="ignore", invalid="ignore"):
        words = grouped["n_words"].to_numpy(dtype=float)
        grouped["coverage"] = np.where(words > 0, grouped["n_matched"] / np.where(words > 0, words, 1), np.nan)
        if per_word:
            for column in ("positive", "negative", "score"):
                grouped[column] = np.where(words > 0, grouped[column] / np.where(words > 0, words, 1), 0.0)
    for column in ("positive", "negative", "score"):  # no negative zeros
        grouped[column] = grouped[column].where(grouped[column] != 0, 0.0)
    return grouped


def _store_scores(store, lexicon, options, level: str, per_word: bool) -> pd.DataFrame:
    rules = scoring_rules(lexicon, **_known_options(options))
    scored, new_sentence = _store_scored(store, rules)
    result = _store_summary(store, scored, new_sentence, level, per_word)
    result.attrs["coverage"] = _share(scored)
    result.attrs["lexicon"] = rules.lexicon.name
    return result


def _scoring_defaults() -> dict:
    """The scoring options of :func:`score_tokens` with their defaults (one source of truth)."""
    parameters = inspect.signature(score_tokens).parameters.values()
    return {p.name: p.default for p in parameters if p.kind is p.KEYWORD_ONLY and p.name != "roles_only"}


def _known_options(options: dict) -> dict:
    defaults = _scoring_defaults()
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise ParameterError(f"unknown scoring option {', '.join(map(repr, unknown))}",
                             hint="options: " + ", ".join(defaults))
    return {**defaults, **options}


#: Values of ``model=`` that choose the lexicon scorer.
LEXICON_MODEL = "lexicon"


def chosen_model(model, lexicon, options: dict, tokens=None):
    """The trained model to score with, or None for the lexicon scorer.

    ``model=None`` (the default of the scoring functions) is the trained model, unless a
    ``lexicon`` or a lexicon scoring option is given, or ``tokens`` already holds lexicon
    contributions: then it is the lexicon scorer, as before the model existed.
    ``"lexicon"`` is always the lexicon scorer; ``"trained"``, a model file or a
    :class:`~analysis.sentiment.model.SentimentModel` the model.

    Examples
    --------
    >>> chosen_model("lexicon", None, {}) is None, chosen_model(None, {"gut": 1}, {}) is None
    (True, True)
    >>> chosen_model(None, None, {}).name
    'trained'
    """
    from .model import load_model

    if isinstance(model, str) and model.lower() == LEXICON_MODEL:
        return None
    given = lexicon is not None or bool(options)
    contributions = isinstance(tokens, pd.DataFrame) and "contribution" in tokens.columns
    if model is None:
        return None if given or contributions else load_model("trained")
    if given:
        raise ParameterError("a lexicon and lexicon scoring options apply to the lexicon scorer, not to a trained model",
                             hint="pass model='lexicon' with them, or leave them out")
    if contributions:
        raise ParameterError("this table holds lexicon contributions; a trained model scores tokens",
                             hint="pass the tokens table or the TokenStore")
    return load_model(model)


def _sentence_texts(documents) -> pd.DataFrame:
    from ..text import sentences

    table = sentences(documents)
    return table[["doc_id", "sentence_id", "sentence"]]


def score_sentences(
    tokens: pd.DataFrame,
    lexicon=None,
    *,
    per_word: bool = False,
    documents: pd.DataFrame | None = None,
    model=None,
    jobs: int | None = 1,
    **options,
) -> pd.DataFrame:
    """Sentiment of every sentence: the trained model's prediction, or the lexicon score.

    With the **trained model** (the default: :mod:`analysis.sentiment.model`) every sentence
    gets the class probabilities, a label and ``score`` = ``p_positive − p_negative``
    (:func:`analysis.sentiment.predict.model_sentences`). With the **lexicon scorer**
    (``model="lexicon"``, or when a lexicon or a lexicon option is given) the score is the
    sum of the tokens' contributions.

    Parameters
    ----------
    tokens : pandas.DataFrame or analysis.store.TokenStore
        A tokens table, a token store, or a contributions table from :func:`score_tokens`
        (lexicon scorer; then ``lexicon`` and ``options`` must be left out).
    lexicon : optional
        As in :func:`score_tokens` (lexicon scorer).
    model : {"trained", "lexicon"}, path or SentimentModel, optional
        See :func:`chosen_model`.
    per_word : bool, default False
        Divide ``positive``, ``negative`` and ``score`` by the sentence's word tokens. By
        default the score is the plain sum of the contributions.
    documents : pandas.DataFrame, optional
        The documents table; when given, a ``sentence`` column with the sentence text is added.
    jobs : int, optional
        Worker processes of the trained model's prediction (None: every core; 1: this
        process). The table is the same for any number.
    **options
        Scoring options of :func:`score_tokens`.

    Returns
    -------
    pandas.DataFrame
        Lexicon scorer: columns ``doc_id, sentence_id, n_words, n_matched, coverage, positive,
        negative, score`` (plus ``sentence``): ``positive``/``negative`` are the sums of the
        positive and negative contributions, ``score`` their sum, ``coverage`` =
        ``n_matched / n_words`` (NaN for a sentence without words). Trained model: ``doc_id,
        sentence_id`` and :data:`analysis.sentiment.predict.MODEL_COLUMNS`.
        ``attrs["coverage"]`` is the coverage of the table, ``attrs["model"]`` the scorer.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Ein guter Tag. Kein guter Tag."]})
    >>> table = score_sentences(tokenize(docs), {"gut": 1.0})
    >>> table["n_words"].tolist(), table["n_matched"].tolist(), table["score"].tolist()
    ([3, 3], [1, 1], [1.0, -1.0])
    >>> trained = score_sentences(tokenize(docs))
    >>> trained.attrs["model"], trained.columns[-2:].tolist()
    ('trained', ['label', 'score'])
    """
    per_word = check_flag(per_word, "per_word")
    chosen = chosen_model(model, lexicon, options, tokens)
    if chosen is not None:
        from .predict import model_sentences

        if per_word:
            raise ParameterError("per_word applies to the lexicon scorer", hint="pass model='lexicon'")
        result = model_sentences(tokens, chosen, jobs=jobs)
        if documents is not None:
            attrs = dict(result.attrs)
            result = result.merge(_sentence_texts(documents), on=["doc_id", "sentence_id"], how="left")
            result.attrs.update(attrs)
        return result
    if _as_store(tokens) is not None:
        result = _store_scores(tokens, lexicon, options, "sentence", per_word)
        attrs = dict(result.attrs)
    else:
        contributions = contributions_table(tokens, lexicon, options)
        result = _summarise(contributions, ["doc_id", "sentence_id"], per_word)
        attrs = {"coverage": _coverage(contributions), "lexicon": contributions.attrs.get("lexicon", "")}
    result = result[["doc_id", "sentence_id", *_SCORE_COLUMNS]]
    if documents is not None:
        result = result.merge(_sentence_texts(documents), on=["doc_id", "sentence_id"], how="left")
    result.attrs.update(attrs)
    result.attrs["model"] = LEXICON_MODEL
    return result


def score_documents(
    tokens: pd.DataFrame,
    lexicon=None,
    *,
    per_word: bool = False,
    model=None,
    **options,
) -> pd.DataFrame:
    """Sentiment of every document: the mean of the trained model's sentence predictions, or
    the sum of the tokens' lexicon contributions.

    Parameters
    ----------
    tokens : pandas.DataFrame or analysis.store.TokenStore
        A tokens table, a token store, or a contributions table from :func:`score_tokens`.
    lexicon : optional
        As in :func:`score_tokens` (lexicon scorer).
    model : {"trained", "lexicon"}, path or SentimentModel, optional
        See :func:`chosen_model`; the trained model by default.
    per_word : bool, default False
        Divide ``positive``, ``negative`` and ``score`` by the document's word tokens (by
        default the score is the plain sum).
    **options
        Scoring options of :func:`score_tokens`.

    Returns
    -------
    pandas.DataFrame
        Lexicon scorer: columns ``doc_id, n_sentences, n_words, n_matched, coverage, positive,
        negative, score``. Trained model: ``doc_id, n_sentences`` and
        :data:`analysis.sentiment.predict.MODEL_COLUMNS` (means over the sentences).
        ``attrs["coverage"]`` is the coverage of the table.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Gut. Sehr gut.", "Schlecht, nicht gut."]})
    >>> score_documents(tokenize(docs), {"gut": 1.0, "schlecht": -1.0})[["doc_id", "score"]].values.tolist()
    [['a', 2.5], ['b', -2.0]]
    """
    per_word = check_flag(per_word, "per_word")
    chosen = chosen_model(model, lexicon, options, tokens)
    if chosen is not None:
        from .predict import model_documents

        if per_word:
            raise ParameterError("per_word applies to the lexicon scorer", hint="pass model='lexicon'")
        return model_documents(tokens, chosen)
    if _as_store(tokens) is not None:
        result = _store_scores(tokens, lexicon, options, "document", per_word)
        attrs = dict(result.attrs)
    else:
        contributions = contributions_table(tokens, lexicon, options)
        result = _summarise(contributions, ["doc_id"], per_word)
        n_sentences = contributions.groupby("doc_id", sort=False)["sentence_id"].nunique()
        result.insert(1, "n_sentences", result["doc_id"].map(n_sentences).to_numpy(dtype=np.int64))
        attrs = {"coverage": _coverage(contributions), "lexicon": contributions.attrs.get("lexicon", "")}
    result = result[["doc_id", "n_sentences", *_SCORE_COLUMNS]]
    result.attrs.update(attrs)
    result.attrs["model"] = LEXICON_MODEL
    return result


def scoring_tokens(doc_ids, texts) -> pd.DataFrame:
    """A tokens table with the columns the scorer needs, like :func:`analysis.text.tokenize`
    but without stems and stop words (which the scorer never reads)."""
    columns = {c: [] for c in ("doc_id", "sentence_id", "token_id", "token", "start", "end", "kind", "lemma")}
    lemma_of: dict[str, str] = {}
    for doc_id, text in zip(doc_ids, texts):
        found = tokenize_text(text)
        starts = np.array([s for s, _ in split_sentences(text)], dtype=np.int64)
        for number, token in enumerate(found):
            if token.kind == "word" and token.text not in lemma_of:
                lemma_of[token.text] = lemmatize_word(token.text)
            columns["doc_id"].append(doc_id)
            columns["sentence_id"].append(int(np.searchsorted(starts, token.start, side="right")) - 1)
            columns["token_id"].append(number)
            columns["token"].append(token.text)
            columns["start"].append(token.start)
            columns["end"].append(token.end)
            columns["kind"].append(token.kind)
            columns["lemma"].append(lemma_of[token.text] if token.kind == "word" else token.text)
    return pd.DataFrame(columns)


def explain(text: str, lexicon=None, **options) -> pd.DataFrame:
    """The contributions of the words of one text, for reading how a score comes about.

    Parameters
    ----------
    text : str
        A German text.
    lexicon : optional
        As in :func:`score_tokens`.
    **options
        Scoring options of :func:`score_tokens`.

    Returns
    -------
    pandas.DataFrame
        The word tokens with columns ``sentence_id, token, lemma, role, entry, polarity,
        modifier, negated, contribution``; ``attrs["coverage"]`` as in :func:`score_tokens`.

    Examples
    --------
    >>> explain("Kaum gut.", {"gut": 1.0})[["token", "role", "contribution"]].values.tolist()
    [['Kaum', 'modifier', 0.0], ['gut', 'sentiment', 0.3]]
    """
    if not isinstance(text, str):
        raise ParameterError(f"text must be a str, got {type(text).__name__}")
    table = score_tokens(scoring_tokens(["text"], [text]), lexicon, **options)
    words = table[table["kind"] == "word"]
    result = words[["sentence_id", "token", "lemma", "role", "entry", "polarity", "modifier", "negated",
                    "contribution"]].reset_index(drop=True)
    result.attrs.update(table.attrs)
    return result


def score_text(text: str, lexicon=None, *, per_word: bool = False, **options) -> float:
    """Sentiment score of one text: the sum of its contributions.

    Parameters
    ----------
    text : str
        A German text.
    lexicon : optional
        As in :func:`score_tokens`.
    per_word : bool, default False
        Divide by the number of word tokens.
    **options
        Scoring options of :func:`score_tokens`.

    Returns
    -------
    float

    Examples
    --------
    >>> score_text("Das ist gut."), score_text("Das ist nicht gut.") < 0
    (1.0, True)
    >>> score_text("Das ist sehr gut.") > score_text("Das ist gut.")
    True
    """
    table = explain(text, lexicon, **options)
    total = float(table["contribution"].sum())
    if check_flag(per_word, "per_word"):
        return total / len(table) if len(table) else 0.0
    return total + 0.0
