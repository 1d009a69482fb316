"""The scorer's rules read token by token, sentence by sentence: the reference the array
engine (:mod:`analysis.sentiment.engine`) is tested against.

This is the rules' first implementation, kept here as an independent reading of the module
notes of :mod:`analysis.sentiment.scorer`.
"""

import math

import numpy as np

from analysis.sentiment.scorer import CLAUSE_WORDS, NEGATION_BLOCKERS
from analysis.text import lemmatize_word

_CLAUSE_FOLDED = frozenset(w.casefold() for w in CLAUSE_WORDS)
_BLOCKERS_FOLDED = frozenset(w.casefold() for w in NEGATION_BLOCKERS)


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


def reference_scores(tokens, opts):
    """Role, entry, polarity, modifier, negated and contribution of every row of ``tokens``."""
    doc_ids = tokens["doc_id"].to_numpy()
    sentence_ids = tokens["sentence_id"].to_numpy()
    token_texts = tokens["token"].astype(str).tolist()
    lemma_texts = tokens["lemma"].astype(str).tolist()
    kinds = tokens["kind"].astype(str).tolist()
    n = len(tokens)
    role, entry, polarity, factor, negations = [], [], [], [], []
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
    polarity = np.asarray(polarity, dtype=float)
    factor = np.asarray(factor, dtype=float)
    is_sentiment = np.asarray([r == "sentiment" for r in role], dtype=bool)
    base = np.where(negated, polarity * opts.negation_factor, polarity)
    if opts.lexicon.negated:
        explicit = np.array(
            [opts.lexicon.negated.get(l.casefold(), opts.lexicon.negated.get(t.casefold(), math.nan))
             if s and g else math.nan
             for t, l, s, g in zip(token_texts, lemma_texts, is_sentiment, negated)],
            dtype=float,
        )
        base = np.where(np.isnan(explicit), base, explicit)
    contribution = np.where(is_sentiment, base * factor, 0.0)
    contribution = np.where(contribution == 0, 0.0, contribution)
    return {"role": role, "entry": entry, "polarity": polarity, "modifier": factor, "negated": negated,
            "contribution": contribution}
