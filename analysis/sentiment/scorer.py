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

import math
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..tables import check_tokens
from ..text import lemmatize_word, split_sentences, tokenize_text
from .lexicon import Lexicon, load_lexicon

__all__ = [
    "CLAUSE_WORDS",
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

#: Negation words (lower-case). *noch* is added only after *weder* in the same sentence.
NEGATORS: frozenset[str] = frozenset(
    "nicht kein keine keinen keinem keiner keines keinerlei keineswegs keinesfalls nie niemals "
    "nirgends nirgendwo ohne nichts niemand niemanden niemandem weder".split()
)
#: Words that end a negation scope or a modifier's reach, like punctuation does.
CLAUSE_WORDS: frozenset[str] = frozenset(
    "aber sondern jedoch doch obwohl weil denn dass während wobei".split()
)
#: A negator directly followed by one of these negates nothing ("nicht nur", "nicht zuletzt").
NEGATION_BLOCKERS: frozenset[str] = frozenset("nur zuletzt allein umsonst minder".split())
# Words are compared casefolded ("äußerst" → "äusserst").
_CLAUSE_FOLDED = frozenset(w.casefold() for w in CLAUSE_WORDS)
_BLOCKERS_FOLDED = frozenset(w.casefold() for w in NEGATION_BLOCKERS)
#: Intensifiers (> 1) and diminishers (< 1): word → multiplier of the next sentiment words.
MODIFIERS: Mapping[str, float] = {
    "sehr": 1.5, "besonders": 1.5, "äußerst": 1.8, "extrem": 1.8, "höchst": 1.8, "überaus": 1.8,
    "außerordentlich": 1.8, "zutiefst": 1.8, "hochgradig": 1.8, "ausgesprochen": 1.5,
    "absolut": 1.5, "völlig": 1.5, "total": 1.5, "enorm": 1.5, "ungemein": 1.5, "ziemlich": 1.25,
    "kaum": 0.3, "wenig": 0.5, "weniger": 0.5, "etwas": 0.7, "leicht": 0.7, "bisschen": 0.7,
    "einigermaßen": 0.7, "halbwegs": 0.7, "eher": 0.8, "relativ": 0.8,
}

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


def _check_window(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ParameterError(f"{name} must be a non-negative whole number, got {value!r}")
    return int(value)


def _check_flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _as_lexicon(lexicon) -> Lexicon:
    return load_lexicon("default" if lexicon is None else lexicon)


def _modifier_table(modifiers) -> dict[str, float]:
    if modifiers is None:
        return {word.casefold(): value for word, value in MODIFIERS.items()}
    if not isinstance(modifiers, Mapping):
        raise ParameterError(
            f"modifiers must be a mapping word → multiplier, got {type(modifiers).__name__}",
            hint="e.g. {'sehr': 1.5, 'kaum': 0.3}; {} switches modifiers off",
        )
    table = {}
    for word, value in modifiers.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not isinstance(word, str) or not math.isfinite(number):
            raise ParameterError(f"modifier {word!r}: the multiplier {value!r} is not a finite number")
        table[word.casefold()] = number
    return table


def _negator_set(negators) -> frozenset[str]:
    if negators is None:
        return frozenset(w.casefold() for w in NEGATORS)
    if isinstance(negators, str) or not isinstance(negators, Iterable):
        raise ParameterError("negators must be a collection of words", hint="e.g. {'nicht', 'kein'}")
    return frozenset(str(w).casefold() for w in negators)


# --------------------------------------------------------------------------------------
# Scoring one sentence
# --------------------------------------------------------------------------------------


class _Options:
    __slots__ = ("lexicon", "negation", "negators", "negation_window", "negation_factor", "modifiers",
                 "modifier_window", "compounds", "cache")

    def __init__(self, lexicon, negation, negators, negation_window, negation_factor, modifiers, modifier_window,
                 compounds):
        self.lexicon = lexicon
        self.negation = negation
        self.negators = negators
        self.negation_window = negation_window
        self.negation_factor = negation_factor
        self.modifiers = modifiers
        self.modifier_window = modifier_window
        self.compounds = compounds
        self.cache: dict[tuple[str, str, bool], tuple[str, float] | None] = {}

    def lookup(self, token: str, lemma: str, initial: bool):
        fold = initial or (token.isupper() and len(token) > 1)
        key = (token, lemma, fold)
        if key in self.cache:
            return self.cache[key]
        hit = self.lexicon.lookup(lemma, token, fold=fold)
        if hit is None and self.compounds and "-" in token.strip("-"):
            head = token.strip("-").rsplit("-", 1)[-1]
            if head:
                hit = self.lexicon.lookup(lemmatize_word(head), head)
        self.cache[key] = hit
        return hit


def _is_initial(i, tokens, kinds) -> bool:
    """Whether token ``i`` starts the sentence, or follows an opening quote or a colon there."""
    for j in range(i - 1, -1, -1):
        if kinds[j] == "quote":
            continue
        return tokens[j] in (":", "(", "-", "\u2013")
    return True


def _score_sentence(tokens, lemmas, kinds, opts: _Options):
    """Roles, entries, polarities, modifier factors and negation counts of one sentence."""
    n = len(tokens)
    folded = [t.casefold() for t in tokens]
    lemma_folded = [l.casefold() for l in lemmas]
    is_word = [k == "word" for k in kinds]
    is_break = [k == "punct" or (is_word[i] and folded[i] in _CLAUSE_FOLDED) for i, k in enumerate(kinds)]
    role = [""] * n
    entry = [""] * n
    polarity = [math.nan] * n
    factor = [1.0] * n
    negations = [0] * n
    lexicon = opts.lexicon

    def next_word(i):
        for j in range(i + 1, n):
            if is_word[j]:
                return j
            if kinds[j] != "quote":
                return None
        return None

    # 1. Multi-word entries, negators, modifiers, single words.
    seen_weder = False
    i = 0
    while i < n:
        if not is_word[i]:
            i += 1
            continue
        if lexicon.phrases:
            matched = False
            for length in range(min(lexicon.max_phrase, n - i), 1, -1):
                span = range(i, i + length)
                if not all(is_word[j] for j in span):
                    continue
                key = tuple(folded[j] for j in span)
                score = lexicon.phrases.get(key)
                if score is None:
                    key = tuple(lemma_folded[j] for j in span)
                    score = lexicon.phrases.get(key)
                if score is not None:
                    role[i], entry[i], polarity[i] = "sentiment", " ".join(key), float(score)
                    for j in range(i + 1, i + length):
                        role[j], entry[j] = "phrase", " ".join(key)
                    i += length
                    matched = True
                    break
            if matched:
                continue
        word = folded[i]
        # Negators are function words: a capitalised one inside a sentence is a noun
        # ("aus dem Nichts", "das Nie").
        lower_case = tokens[i] == word or _is_initial(i, tokens, kinds) or tokens[i].isupper()
        if opts.negation and lower_case and (word in opts.negators or (word == "noch" and seen_weder)):
            following = next_word(i)
            if following is None or folded[following] not in _BLOCKERS_FOLDED:
                role[i] = "negator"
            seen_weder = seen_weder or word == "weder"
            i += 1
            continue
        if word in opts.negators and lower_case:  # negation switched off: still never scored
            i += 1
            continue
        multiplier = opts.modifiers.get(word, opts.modifiers.get(lemma_folded[i]))
        if multiplier is not None:
            role[i], entry[i], polarity[i] = "modifier", word, math.nan
            i += 1
            continue
        hit = opts.lookup(tokens[i], lemmas[i], _is_initial(i, tokens, kinds))
        if hit is not None:
            role[i], entry[i], polarity[i] = "sentiment", hit[0], hit[1]
        i += 1

    # 2. Scopes of negators and modifiers.
    def reach(i, width, step=1):
        """Up to ``width`` words from token ``i`` in direction ``step``, stopping at a clause break."""
        reached = []
        j = i + step
        while 0 <= j < n and not is_break[j] and len(reached) < width:
            if is_word[j]:
                reached.append(j)
            j += step
        return reached

    for i in range(n):
        if role[i] == "negator":
            scope = reach(i, opts.negation_window) or reach(i, opts.negation_window, step=-1)
            for j in scope:
                negations[j] += 1
        elif role[i] == "modifier":
            multiplier = opts.modifiers.get(folded[i], opts.modifiers.get(lemma_folded[i], 1.0))
            for j in reach(i, opts.modifier_window):
                if role[j] == "sentiment":
                    factor[j] *= multiplier
    return role, entry, polarity, factor, negations


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
) -> pd.DataFrame:
    """The contribution of every token to the sentiment score.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A tokens table (:func:`analysis.text.tokenize`), in document order.
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
    _check_tokens(tokens)
    opts = _Options(
        _as_lexicon(lexicon),
        _check_flag(negation, "negation"),
        _negator_set(negators),
        _check_window(negation_window, "negation_window"),
        None,
        _modifier_table(modifiers),
        _check_window(modifier_window, "modifier_window"),
        _check_flag(compounds, "compounds"),
    )
    try:
        opts.negation_factor = float(negation_factor)
    except (TypeError, ValueError):
        opts.negation_factor = math.nan
    if not math.isfinite(opts.negation_factor):
        raise ParameterError(f"negation_factor must be a finite number, got {negation_factor!r}")

    doc_ids = tokens["doc_id"].to_numpy()
    sentence_ids = tokens["sentence_id"].to_numpy()
    token_texts = tokens["token"].astype(str).tolist()
    lemma_texts = tokens["lemma"].astype(str).tolist()
    kinds = tokens["kind"].astype(str).tolist()
    n = len(tokens)
    role: list[str] = []
    entry: list[str] = []
    polarity: list[float] = []
    factor: list[float] = []
    negations: list[int] = []
    start = 0
    while start < n:
        end = start + 1
        while end < n and sentence_ids[end] == sentence_ids[start] and doc_ids[end] == doc_ids[start]:
            end += 1
        r, e, p, f, g = _score_sentence(token_texts[start:end], lemma_texts[start:end], kinds[start:end], opts)
        role += r
        entry += e
        polarity += p
        factor += f
        negations += g
        start = end

    negated = np.asarray(negations, dtype=np.int64) % 2 == 1 if n else np.zeros(0, dtype=bool)
    if not opts.negation:
        negated[:] = False
    polarity_arr = np.asarray(polarity, dtype=float)
    factor_arr = np.asarray(factor, dtype=float)
    is_sentiment = np.asarray([r == "sentiment" for r in role], dtype=bool)
    base = np.where(negated, polarity_arr * opts.negation_factor, polarity_arr)
    if opts.lexicon.negated:
        explicit = np.array(
            [opts.lexicon.negated.get(l.casefold(), opts.lexicon.negated.get(t.casefold(), math.nan))
             if s and g else math.nan
             for t, l, s, g in zip(token_texts, lemma_texts, is_sentiment, negated)],
            dtype=float,
        )
        base = np.where(np.isnan(explicit), base, explicit)
    contribution = np.where(is_sentiment, base * factor_arr, 0.0)
    contribution = np.where(contribution == 0, 0.0, contribution)  # no negative zeros

    table = pd.DataFrame(
        {
            "doc_id": tokens["doc_id"].to_numpy(),
            "sentence_id": tokens["sentence_id"].to_numpy(),
            "token_id": tokens["token_id"].to_numpy(),
            "token": token_texts,
            "lemma": lemma_texts,
            "kind": kinds,
            "role": role,
            "entry": entry,
            "polarity": polarity_arr,
            "modifier": factor_arr,
            "negated": negated,
            "contribution": contribution,
        },
        columns=list(CONTRIBUTION_COLUMNS),
    )
    table.attrs["coverage"] = _coverage(table)
    table.attrs["lexicon"] = opts.lexicon.name
    return table


def _coverage(contributions: pd.DataFrame) -> float:
    words = contributions["kind"].astype(str) == "word"
    matched = contributions["role"].isin(["sentiment", "phrase"]) & words
    total = int(words.sum())
    return float(matched.sum() / total) if total else math.nan


def _contributions(table, lexicon, options) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame) and {"contribution", "role", "kind", "doc_id"} <= set(table.columns):
        if lexicon is not None or options:
            raise ParameterError(
                "the table already holds contributions; lexicon and scoring options cannot apply",
                hint="pass a tokens table to score with other options",
            )
        return table
    return score_tokens(table, lexicon, **options)


def _summarise(contributions: pd.DataFrame, keys: list[str], per_word: bool) -> pd.DataFrame:
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
    grouped = frame.groupby(keys, sort=False).sum().reset_index()
    grouped["score"] = grouped["positive"] + grouped["negative"]
    with np.errstate(divide="ignore", invalid="ignore"):
        words = grouped["n_words"].to_numpy(dtype=float)
        grouped["coverage"] = np.where(words > 0, grouped["n_matched"] / np.where(words > 0, words, 1), np.nan)
        if per_word:
            for column in ("positive", "negative", "score"):
                grouped[column] = np.where(words > 0, grouped[column] / np.where(words > 0, words, 1), 0.0)
    grouped["score"] = grouped["score"].where(grouped["score"] != 0, 0.0)
    return grouped


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
    **options,
) -> pd.DataFrame:
    """Sentiment score of every sentence: the sum of its tokens' contributions.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A tokens table, or a contributions table from :func:`score_tokens` (then ``lexicon``
        and ``options`` must be left out).
    lexicon : optional
        As in :func:`score_tokens`.
    per_word : bool, default False
        Divide ``positive``, ``negative`` and ``score`` by the sentence's word tokens. By
        default the score is the plain sum of the contributions.
    documents : pandas.DataFrame, optional
        The documents table; when given, a ``sentence`` column with the sentence text is added.
    **options
        Scoring options of :func:`score_tokens`.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, n_words, n_matched, coverage, positive, negative,
        score`` (plus ``sentence``): ``positive``/``negative`` are the sums of the positive and
        negative contributions, ``score`` their sum, ``coverage`` = ``n_matched / n_words``
        (NaN for a sentence without words). ``attrs["coverage"]`` is the coverage of the table.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Ein guter Tag. Kein guter Tag."]})
    >>> table = score_sentences(tokenize(docs), {"gut": 1.0})
    >>> table["n_words"].tolist(), table["n_matched"].tolist(), table["score"].tolist()
    ([3, 3], [1, 1], [1.0, -1.0])
    """
    contributions = _contributions(tokens, lexicon, options)
    result = _summarise(contributions, ["doc_id", "sentence_id"], _check_flag(per_word, "per_word"))
    result = result[["doc_id", "sentence_id", *_SCORE_COLUMNS]]
    if documents is not None:
        result = result.merge(_sentence_texts(documents), on=["doc_id", "sentence_id"], how="left")
    result.attrs["coverage"] = _coverage(contributions)
    result.attrs["lexicon"] = contributions.attrs.get("lexicon", "")
    return result


def score_documents(
    tokens: pd.DataFrame,
    lexicon=None,
    *,
    per_word: bool = False,
    **options,
) -> pd.DataFrame:
    """Sentiment score of every document: the sum of its tokens' contributions.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A tokens table, or a contributions table from :func:`score_tokens`.
    lexicon : optional
        As in :func:`score_tokens`.
    per_word : bool, default False
        Divide ``positive``, ``negative`` and ``score`` by the document's word tokens (by
        default the score is the plain sum).
    **options
        Scoring options of :func:`score_tokens`.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, n_sentences, n_words, n_matched, coverage, positive, negative,
        score``; ``attrs["coverage"]`` is the coverage of the table.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Gut. Sehr gut.", "Schlecht, nicht gut."]})
    >>> score_documents(tokenize(docs), {"gut": 1.0, "schlecht": -1.0})[["doc_id", "score"]].values.tolist()
    [['a', 2.5], ['b', -2.0]]
    """
    contributions = _contributions(tokens, lexicon, options)
    result = _summarise(contributions, ["doc_id"], _check_flag(per_word, "per_word"))
    n_sentences = contributions.groupby("doc_id", sort=False)["sentence_id"].nunique()
    result.insert(1, "n_sentences", result["doc_id"].map(n_sentences).to_numpy(dtype=np.int64))
    result = result[["doc_id", "n_sentences", *_SCORE_COLUMNS]]
    result.attrs["coverage"] = _coverage(contributions)
    result.attrs["lexicon"] = contributions.attrs.get("lexicon", "")
    return result


def _text_tokens(doc_ids, texts) -> pd.DataFrame:
    """A tokens table with the columns the scorer needs, like :func:`analysis.text.tokenize`
    but without stems and stop words (which would load NLTK for nothing)."""
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
    table = score_tokens(_text_tokens(["text"], [text]), lexicon, **options)
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
    if _check_flag(per_word, "per_word"):
        return total / len(table) if len(table) else 0.0
    return total + 0.0
