"""The scoring rules of :mod:`analysis.sentiment.scorer`, applied to token arrays.

The rules (multi-word entries, negators and their scopes, modifiers, case-sensitive look-up
with folding at the start of a sentence) are decided once per **word type** (look-ups,
flags) and then as array operations over all tokens at once (sentence starts, clause
segments, word ranks, scopes as ranges of word ranks). Only candidate starts of a
multi-word entry are visited one by one, because a match consumes the words after it.

Token input: ``type_ids`` (one per token, into per-type ``forms``, ``lemmas`` and ``kinds``)
and ``new_sentence`` (True where a sentence starts). Output: per-token arrays, see
:class:`Scored`. The token-by-token reading of the rules is in the module notes of
:mod:`analysis.sentiment.scorer`; ``tests/sentiment_reference.py`` implements it sentence by
sentence and the tests compare the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text import lemmatize_word

__all__ = ["ROLES", "Rules", "Scored", "TypeRules", "prepare_types", "score_arrays"]

#: Role codes of :attr:`Scored.role` (index → name).
ROLES: tuple[str, ...] = ("", "sentiment", "phrase", "negator", "modifier")
_NONE, _SENTIMENT, _PHRASE, _NEGATOR, _MODIFIER = range(5)
_OPENERS = frozenset((":", "(", "-", "\u2013"))


@dataclass(frozen=True)
class Rules:
    """The validated options of a scoring run (see :func:`analysis.sentiment.score_tokens`)."""

    lexicon: object
    negation: bool
    negators: frozenset
    negation_window: int
    negation_factor: float
    modifiers: dict
    modifier_window: int
    compounds: bool
    clause_words: frozenset
    blockers: frozenset


@dataclass(frozen=True)
class Scored:
    """The result of a scoring run, sparse: only a few percent of the tokens have a role.

    ``rows`` are the token positions with a role, in order; for each of them ``role`` (codes
    into :data:`ROLES`), ``entry`` (index into ``entries``, −1 for none), ``polarity`` (NaN
    for none), ``modifier`` (product of the modifiers applied) and ``contribution``. Per
    token: ``negated`` (in the scope of an odd number of negators) and ``is_word``.
    """

    n_tokens: int
    rows: np.ndarray
    role: np.ndarray
    entry: np.ndarray
    entries: list
    polarity: np.ndarray
    modifier: np.ndarray
    contribution: np.ndarray
    negated: np.ndarray
    is_word: np.ndarray

    @property
    def matched(self) -> np.ndarray:
        """For each row: a word matched by the lexicon (a single word or part of an entry)."""
        return self.is_word[self.rows] & ((self.role == _SENTIMENT) | (self.role == _PHRASE))

    def dense(self, values: np.ndarray, fill) -> np.ndarray:
        """A per-token array from per-row ``values`` (``fill`` where a token has no role)."""
        out = np.full(self.n_tokens, fill, dtype=np.asarray(values).dtype)
        out[self.rows] = values
        return out


class _Entries:
    """Interned entry strings: one id per distinct entry."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.names: list[str] = []

    def id(self, name: str) -> int:
        found = self.ids.get(name)
        if found is None:
            found = self.ids[name] = len(self.names)
            self.names.append(name)
        return found


def _type_tables(forms, lemmas, kinds, rules: Rules, entries: _Entries):
    """Everything the rules need to know about each type, computed once per type."""
    n = len(forms)
    is_word = np.fromiter((k == "word" for k in kinds), dtype=bool, count=n)
    is_quote = np.fromiter((k == "quote" for k in kinds), dtype=bool, count=n)
    is_punct = np.fromiter((k == "punct" for k in kinds), dtype=bool, count=n)
    folded = [f.casefold() for f in forms]
    lemma_folded = [l.casefold() for l in lemmas]
    clause = np.fromiter((f in rules.clause_words for f in folded), dtype=bool, count=n)
    table = {
        "is_word": is_word,
        "is_quote": is_quote,
        "is_break": is_punct | (is_word & clause),
        "opener": np.fromiter((f in _OPENERS for f in forms), dtype=bool, count=n),
        "lower_form": np.fromiter((f == c for f, c in zip(forms, folded)), dtype=bool, count=n),
        "upper": np.fromiter((f.isupper() for f in forms), dtype=bool, count=n),
        "long_upper": np.fromiter((f.isupper() and len(f) > 1 for f in forms), dtype=bool, count=n),
        "negator": is_word & np.fromiter((f in rules.negators for f in folded), dtype=bool, count=n),
        "noch": is_word & np.fromiter((f == "noch" for f in folded), dtype=bool, count=n),
        "weder": np.fromiter((f == "weder" for f in folded), dtype=bool, count=n),
        "blocker": is_word & np.fromiter((f in rules.blockers for f in folded), dtype=bool, count=n),
    }
    words = np.flatnonzero(is_word)
    word_folded = pd.Series([folded[t] for t in words], dtype=object)
    word_lemma_folded = pd.Series([lemma_folded[t] for t in words], dtype=object)
    modifiers = pd.Series(rules.modifiers, dtype=float) if rules.modifiers else pd.Series(dtype=float)
    value = word_folded.map(modifiers).to_numpy(dtype=float)
    value = np.where(np.isnan(value), word_lemma_folded.map(modifiers).to_numpy(dtype=float), value)
    modifier = np.full(n, np.nan)
    modifier[words] = value
    entry = np.full(n, -1, dtype=np.int64)  # a modifier's entry is its folded form
    with_value = ~np.isnan(value)
    entry[words[with_value]] = [entries.id(w) for w in word_folded[with_value]]

    lexicon = rules.lexicon
    word_forms = [forms[t] for t in words]
    word_lemmas = [lemmas[t] for t in words]
    compound = _compound_hits(word_forms, lexicon) if rules.compounds else None
    hits = {}
    for fold in (False, True):
        names, scores = lexicon.lookup_many(word_lemmas, word_forms, fold=fold)
        if compound is not None:
            use = (names == None) & (compound[0] != None)  # noqa: E711 (element-wise)
            names, scores = np.where(use, compound[0], names), np.where(use, compound[1], scores)
        ids = np.full(n, -1, dtype=np.int64)
        found = names != None  # noqa: E711
        ids[words[found]] = [entries.id(name) for name in names[found]]
        polarity = np.full(n, np.nan)
        polarity[words[found]] = scores[found]
        hits[fold] = (ids, polarity)
    negated = np.full(n, np.nan)
    if lexicon.negated:
        for t in np.flatnonzero(is_word):
            negated[t] = lexicon.negated.get(lemma_folded[t], lexicon.negated.get(folded[t], math.nan))
    table.update(modifier=modifier, modifier_entry=entry, hit_plain=hits[False], hit_fold=hits[True],
                 explicit_negated=negated)
    first_parts = {p[0] for p in lexicon.phrases}
    table["phrase_start"] = is_word & np.fromiter(
        (f in first_parts or l in first_parts for f, l in zip(folded, lemma_folded)), dtype=bool, count=n)
    return table, folded, lemma_folded


def _compound_hits(word_forms, lexicon):
    """Entries of hyphenated compounds by their last part ("Corona-Krise" → "Krise"), no folding."""
    n = len(word_forms)
    names = np.full(n, None, dtype=object)
    scores = np.full(n, np.nan)
    rows, heads = [], []
    for row, form in enumerate(word_forms):
        inner = form.strip("-")
        if "-" in inner:
            head = inner.rsplit("-", 1)[-1]
            if head:
                rows.append(row)
                heads.append(head)
    if rows:
        lemma_of = {head: lemmatize_word(head) for head in dict.fromkeys(heads)}
        found, values = lexicon.lookup_many([lemma_of[h] for h in heads], heads)
        names[rows], scores[rows] = found, values
    return names, scores


def _previous_valid(valid: np.ndarray) -> np.ndarray:
    """For each position, the index of the last ``valid`` position before it (−1: none)."""
    index = np.where(valid, np.arange(len(valid)), -1)
    last = np.maximum.accumulate(index) if len(index) else index
    return np.concatenate(([-1], last[:-1])) if len(index) else index


def _next_valid(valid: np.ndarray) -> np.ndarray:
    """For each position, the index of the first ``valid`` position after it (len: none)."""
    n = len(valid)
    index = np.where(valid, np.arange(n), n)
    first = np.minimum.accumulate(index[::-1])[::-1] if n else index
    return np.concatenate((first[1:], [n])) if n else index


def _phrase_spellings(folded, lemma_folded, lexicon) -> list[tuple[np.ndarray, dict]]:
    """For the folded forms and the folded lemmas: a code per type and the codes of the words
    of multi-word entries. Computed once per scoring, not once per slice (the vocabulary of a
    large corpus has hundreds of thousands of types)."""
    parts = list(dict.fromkeys(part for key in lexicon.phrases for part in key))
    spellings = []
    for column in (folded, lemma_folded):
        codes, uniques = pd.factorize(pd.Series(column, dtype=object))
        found = pd.Index(uniques).get_indexer(pd.Index(parts, dtype=object)) if parts else np.zeros(0, dtype=np.int64)
        spellings.append((codes, {part: int(code) for part, code in zip(parts, found) if code >= 0}))
    return spellings


def _phrases(t, is_word_tok, new_sentence, candidates, spellings, lexicon):
    """Multi-word matches ``(start, length, entry, score)``: at each start the longest entry
    (its folded forms before its lemmas), then left to right, a match consuming its words.

    Candidate spans are looked up as whole columns (one join per length and spelling); only
    the matches are then visited one by one. ``spellings`` is from :func:`_phrase_spellings`.
    """
    run = _word_runs(is_word_tok, new_sentence)
    found = []
    for spelling, (codes, code_of) in enumerate(spellings):
        for length in range(2, lexicon.max_phrase + 1):
            keys = [k for k in lexicon.phrases if len(k) == length and all(part in code_of for part in k)]
            if not keys:
                continue
            starts = candidates[run[candidates] >= length]
            if not len(starts):
                continue
            spans = pd.DataFrame({f"p{k}": codes[t[starts + k]] for k in range(length)})
            spans["start"] = starts
            entries = pd.DataFrame([[code_of[part] for part in key] for key in keys],
                                   columns=[f"p{k}" for k in range(length)])
            entries["entry"] = [" ".join(key) for key in keys]
            entries["score"] = [float(lexicon.phrases[key]) for key in keys]
            hits = spans.merge(entries, on=[f"p{k}" for k in range(length)], how="inner")
            for start, entry, score in zip(hits["start"].tolist(), hits["entry"].tolist(), hits["score"].tolist()):
                found.append((start, -length, spelling, entry, score))
    found.sort()
    matches, free, last = [], 0, -1
    for start, negative_length, _, entry, score in found:
        if start == last or start < free:  # a longer entry (or the folded spelling) won here
            continue
        last = start
        matches.append((start, -negative_length, entry, score))
        free = start - negative_length
    return matches


def _word_runs(is_word: np.ndarray, new_sentence: np.ndarray) -> np.ndarray:
    """The number of consecutive word tokens starting at each token, within its sentence."""
    n = len(is_word)
    # A run ends before a non-word and before a sentence start.
    stop = ~is_word
    boundary = np.flatnonzero(stop | np.append(new_sentence[1:], True))
    # For each position, the first boundary at or after it (a non-word or the last token of a sentence).
    following = boundary[np.searchsorted(boundary, np.arange(n))] if n else boundary
    last_word = np.where(stop[following], following - 1, following)
    return np.maximum(last_word - np.arange(n) + 1, 0)


#: Tokens scored at once: the two dozen working arrays of one slice stay around 100 MB.
SLICE_TOKENS = 500_000


@dataclass(frozen=True)
class TypeRules:
    """What the rules decide once per type of a vocabulary (look-ups, flags, the spellings of
    multi-word entries), from :func:`prepare_types`: shared by every run of
    :func:`score_arrays` over token arrays with the same type lists."""

    n_types: int
    tables: dict
    entries: _Entries
    spellings: list | None


def prepare_types(forms, lemmas, kinds, rules: Rules) -> TypeRules:
    """The per-type part of :func:`score_arrays` for these type lists.

    A corpus scored in slices (the sentence sentiment of a large corpus) decides the look-ups
    once for its vocabulary instead of once for the types of each slice: most types recur in
    every slice.
    """
    entries = _Entries()
    tables, folded, lemma_folded = _type_tables(forms, lemmas, kinds, rules, entries)
    spellings = _phrase_spellings(folded, lemma_folded, rules.lexicon) if rules.lexicon.phrases else None
    return TypeRules(len(forms), tables, entries, spellings)


def score_arrays(type_ids: np.ndarray, new_sentence: np.ndarray, forms, lemmas, kinds, rules: Rules,
                 *, slice_tokens: int = SLICE_TOKENS, prepared: TypeRules | None = None) -> Scored:
    """Apply the scoring rules to every token (see the module notes), slice by slice.

    Slices end at sentence starts (no rule reaches across a sentence), so the result does
    not depend on ``slice_tokens``; memory is bounded by it, not by the corpus. ``prepared``:
    :func:`prepare_types` of the same type lists and rules (computed here when not given).
    """
    type_ids = np.asarray(type_ids)
    new_sentence = np.asarray(new_sentence, dtype=bool)
    n = len(type_ids)
    if prepared is None:
        prepared = prepare_types(forms, lemmas, kinds, rules)
    elif prepared.n_types != len(forms):
        raise ValueError(f"prepared type rules of {prepared.n_types} types for type lists of {len(forms)}")
    types, entries, spellings = prepared.tables, prepared.entries, prepared.spellings
    sentence_starts = np.flatnonzero(new_sentence)
    if n and (not len(sentence_starts) or sentence_starts[0] != 0):
        sentence_starts = np.concatenate(([0], sentence_starts))
    bounds = [0]
    while bounds[-1] < n:
        at = int(np.searchsorted(sentence_starts, bounds[-1] + max(1, slice_tokens), side="left"))
        bounds.append(int(sentence_starts[at]) if at < len(sentence_starts) else n)
    parts = [_score_slice(type_ids[lo:hi].astype(np.int64), new_sentence[lo:hi], types, spellings, rules, entries)
             for lo, hi in zip(bounds[:-1], bounds[1:])]
    offsets = np.array(bounds[:-1], dtype=np.int64)

    def joined(index, dtype):
        return np.concatenate([part[index] for part in parts]).astype(dtype) if parts else np.zeros(0, dtype)

    rows = np.concatenate([part[0] + offset for part, offset in zip(parts, offsets)]) if parts else np.zeros(0, np.int64)
    return Scored(
        n_tokens=n,
        rows=rows.astype(np.int64),
        role=joined(1, np.int8),
        entry=joined(2, np.int32),
        entries=list(entries.names),
        polarity=joined(3, float),
        modifier=joined(4, float),
        contribution=joined(5, float),
        negated=joined(6, bool),
        is_word=joined(7, bool),
    )


def _score_slice(t, new_sentence, types, spellings, rules: Rules, entries: _Entries):
    """The rules on one slice of whole sentences: the rows with a role and their values, and
    the per-token ``negated`` and ``is_word`` flags."""
    n = len(t)
    positions = np.arange(n)
    new_sentence = new_sentence.copy()
    if n:
        new_sentence[0] = True
    sentence_first = np.maximum.accumulate(np.where(new_sentence, positions, 0)) if n else positions
    sentence_starts = np.flatnonzero(new_sentence)
    sentence_end = np.repeat(np.append(sentence_starts[1:], n), np.diff(np.append(sentence_starts, n)))  # exclusive

    is_word = types["is_word"][t]
    non_quote = ~types["is_quote"][t]
    previous = _previous_valid(non_quote)
    no_previous = previous < sentence_first
    initial = no_previous | types["opener"][t[np.where(no_previous, 0, previous)]] if n else no_previous
    lower_case = types["lower_form"][t] | initial | types["upper"][t]

    # 1. Multi-word entries consume their words; every other word gets at most one role.
    role = np.zeros(n, dtype=np.int8)
    entry = np.full(n, -1, dtype=np.int64)
    polarity = np.full(n, np.nan)
    consumed = np.zeros(n, dtype=bool)
    if rules.lexicon.phrases:
        starts = np.flatnonzero(types["phrase_start"][t])
        for i, length, name, score in _phrases(t, is_word, new_sentence, starts, spellings, rules.lexicon):
            role[i], entry[i], polarity[i] = _SENTIMENT, entries.id(name), score
            role[i + 1:i + length] = _PHRASE
            entry[i + 1:i + length] = entry[i]
            consumed[i:i + length] = True
    open_word = is_word & ~consumed

    negator_type = types["negator"][t]
    candidate = np.zeros(n, dtype=bool)
    if rules.negation:
        weder = open_word & lower_case & negator_type & types["weder"][t]
        before = np.cumsum(weder) - weder  # weder tokens strictly before each token
        seen_weder = (before - before[sentence_first]) > 0 if n else weder
        candidate = open_word & lower_case & (negator_type | (types["noch"][t] & seen_weder))
        following = _next_valid(non_quote)
        has_next = following < sentence_end
        next_type = t[np.where(has_next, following, 0)] if n else t
        blocked = has_next & types["blocker"][next_type]
        role[candidate & ~blocked] = _NEGATOR
    skipped = candidate | (open_word & negator_type & lower_case)
    modifier_value = types["modifier"][t]
    is_modifier = open_word & ~skipped & ~np.isnan(modifier_value)
    role[is_modifier] = _MODIFIER
    entry[is_modifier] = types["modifier_entry"][t[is_modifier]]
    looked_up = open_word & ~skipped & ~is_modifier
    fold = initial | types["long_upper"][t]
    hit_entry = np.where(fold, types["hit_fold"][0][t], types["hit_plain"][0][t])
    hit_score = np.where(fold, types["hit_fold"][1][t], types["hit_plain"][1][t])
    is_hit = looked_up & (hit_entry >= 0)
    role[is_hit] = _SENTIMENT
    entry[is_hit] = hit_entry[is_hit]
    polarity[is_hit] = hit_score[is_hit]

    # 2. Scopes, as ranges of word ranks inside clause segments.
    is_break = types["is_break"][t]
    segment = np.cumsum(new_sentence | is_break) - 1
    rank = np.cumsum(is_word)  # the rank of a word token (1-based); words before i: rank - is_word
    before_rank = rank - is_word
    segment_starts = np.flatnonzero(new_sentence | is_break)
    segment_last = np.append(segment_starts[1:], n) - 1
    words_after = (rank[segment_last][segment] - rank) if n else rank
    n_words = int(rank[-1]) if n else 0
    negations = np.zeros(n_words + 2, dtype=np.int64)
    negators = np.flatnonzero(role == _NEGATOR)
    if len(negators) and rules.negation_window:
        width = rules.negation_window
        ahead = np.minimum(width, words_after[negators])
        forward = ahead > 0
        low = rank[negators] + 1
        high = rank[negators] + ahead
        # No word after it in the clause: the scope is the words before it.
        back = negators[~forward]
        first = back - 1  # the token before; the region walks back to its segment's start
        valid = (back > 0) & ~new_sentence[back]
        first_safe = np.where(valid, first, 0)
        region_start = segment_starts[segment[first_safe]]
        region_start = region_start + is_break[region_start]
        behind = np.where(valid, before_rank[back] - before_rank[np.minimum(region_start, back)], 0)
        behind = np.clip(behind, 0, width)
        back_low = before_rank[back] - behind + 1
        back_high = before_rank[back]
        lows = np.concatenate((low[forward], back_low[behind > 0]))
        highs = np.concatenate((high[forward], back_high[behind > 0]))
        np.add.at(negations, lows, 1)
        np.add.at(negations, highs + 1, -1)
    negations = np.cumsum(negations)
    negated = is_word & (negations[rank] % 2 == 1) if n else is_word
    if not rules.negation:
        negated = np.zeros(n, dtype=bool)

    factor_by_rank = np.ones(n_words + 2)
    modifiers = np.flatnonzero(role == _MODIFIER)
    for step in range(1, rules.modifier_window + 1):
        reached = modifiers[words_after[modifiers] >= step]
        np.multiply.at(factor_by_rank, rank[reached] + step, modifier_value[reached])
    is_sentiment = role == _SENTIMENT
    modifier = np.where(is_sentiment, factor_by_rank[rank], 1.0) if n else np.ones(0)

    base = np.where(negated, polarity * rules.negation_factor, polarity)
    if rules.lexicon.negated:
        explicit = np.where(is_sentiment & negated, types["explicit_negated"][t], np.nan)
        base = np.where(np.isnan(explicit), base, explicit)
    contribution = np.where(is_sentiment, base * modifier, 0.0)
    contribution = np.where(contribution == 0, 0.0, contribution)  # no negative zeros
    rows = np.flatnonzero(role > 0)
    return (rows, role[rows], entry[rows], polarity[rows], modifier[rows], contribution[rows], negated, is_word)
