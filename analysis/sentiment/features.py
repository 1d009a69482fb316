"""Features of the trained sentiment model, computed on token arrays.

A **unit** is what one prediction is about: a sentence, or a target mention inside a
sentence (a gold target of GerNTSA, a person mention of a corpus). Units are given as arrays:
``sentence`` (index into the sentences of the token arrays) and ``target_lo``, ``target_hi``
(token positions of the target, ``hi`` exclusive; −1 for a unit without target).

Two kinds of features:

**N-grams** (sparse) of the unit's *context*: its sentence and ``context`` sentences on each
side in the same document (GerNTSA texts are two or three sentences; the neighbours say what
the story is). Word tokens only, lower-cased: word unigrams ``w:krieg``, word bigrams of
adjacent words ``b:nicht gut``, and character n-grams of each word padded with ``<`` and
``>`` (``c:<kri``, ``c:rieg>``). The target's own tokens are left out (``mask_target``): the
model is not to learn that a person is liked or disliked, but how the text speaks of them.
With ``window_words`` > 0, the words within that many words of the target are counted once
more as ``t:`` features (off in the shipped model: it did not help in cross-validation).
Counts are turned into TF-IDF weights by the model (:mod:`analysis.sentiment.model`).

**Lexicon evidence** (dense, :data:`LEXICON_FEATURES`), from the lexicon scorer's
contributions (:mod:`analysis.sentiment.engine`: polarity × modifiers × −1 when negated) in the
unit's sentence: sums of positive and negative contributions; counts of positive and negative
sentiment words, sums of negated ones and the count of negators; the same sums **weighted
by the distance** to the target, ``1 / (1 + d / distance_scale)`` with *d* the number of words
between the word and the nearest target word (0 inside the target; every word gets weight 1
when there is no target); sums **in the target's clause** (clause ends: punctuation and
clause-opening words, as in the negation scopes); sums **in the other voice** — inside a
quotation when the target is outside, outside when it is inside (reported speech); the sums
of the neighbouring sentences; and three flags: the target is inside a quotation, the target
is next to a reporting verb (within three words: the target is the speaker, "…, sagte
Müller"), the sentence holds a quotation. A unit without target has its clause and distance
sums equal to the sentence sums and its flags 0.

Intensifiers and diminishers act only through the sums (the scorer multiplies a word's
contribution by them). There is deliberately no feature counting intensified words: such a
count carries no direction, and the model trained on GerNTSA gave it a weight against the
positive class, so that "sehr gut" scored lower than "gut".

Every feature value is a sum over tokens (a flag counts on the target's tokens), so a
prediction can be traced back to the tokens behind it (:func:`token_shares`).

Everything is computed with array operations over all tokens of a slice of documents; the
only loops are over the word *types* of the vocabulary (their character n-grams) and over
slices of about half a million tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from .engine import Scored, prepare_types, score_arrays

__all__ = ["LEXICON_FEATURES", "TokenArrays", "Units", "dense_features", "ngram_counts", "token_shares"]

#: Names of the dense lexicon-evidence features, in their column order.
LEXICON_FEATURES: tuple[str, ...] = (
    "sentence_positive", "sentence_negative", "sentence_n_positive", "sentence_n_negative",
    "sentence_negated_positive", "sentence_negated_negative", "sentence_negators",
    "window_positive", "window_negative", "clause_positive", "clause_negative",
    "other_voice_positive", "other_voice_negative", "context_positive", "context_negative",
    "target_in_quote", "target_is_speaker", "sentence_has_quote",
)
_SUMS = {name: i for i, name in enumerate(LEXICON_FEATURES)}
_SPEAKER_REACH = 3


@dataclass(frozen=True)
class TokenArrays:
    """Token arrays of some documents: what the features need of a store or a tokens table.

    ``type_ids`` index the per-type lists ``forms``, ``lemmas``, ``kinds``; ``new_sentence``
    is True at the first token of every sentence; ``doc_offsets`` (length documents + 1) give
    the tokens of document *d* as ``doc_offsets[d]:doc_offsets[d + 1]``.
    """

    type_ids: np.ndarray
    new_sentence: np.ndarray
    doc_offsets: np.ndarray
    forms: list
    lemmas: list
    kinds: list

    @property
    def n_tokens(self) -> int:
        return int(len(self.type_ids))

    def release_pages(self) -> None:
        """Hand back the pages read so far of ``type_ids`` when it maps the store's file (see
        :meth:`analysis.store.TokenStore.release_pages`)."""
        from ..store.memory import release_mapped

        release_mapped(self.type_ids)

    def sentence_starts(self) -> np.ndarray:
        """Token position of the first token of every sentence (a sentence never spans documents)."""
        starts = self.new_sentence.copy()
        present = self.doc_offsets[:-1][np.diff(self.doc_offsets) > 0]
        starts[present] = True
        return np.flatnonzero(starts)

    @classmethod
    def from_store(cls, store) -> "TokenArrays":
        """The arrays of a :class:`~analysis.store.TokenStore`."""
        new_sentence = np.ones(store.n_tokens, dtype=bool)
        if store.n_tokens:
            new_sentence[1:] = store.sentence_ids[1:] != store.sentence_ids[:-1]
            new_sentence[store.offsets[:-1][store.lengths > 0]] = True
        vocabulary = store.vocabulary
        return cls(np.asarray(store.type_ids), new_sentence, np.asarray(store.offsets, dtype=np.int64),
                   vocabulary["form"].astype(str).tolist(), vocabulary["lemma"].astype(str).tolist(),
                   vocabulary["kind"].astype(str).tolist())

    @classmethod
    def from_frame(cls, tokens: pd.DataFrame) -> "TokenArrays":
        """The arrays of a tokens table (documents in order, tokens in order within each)."""
        keys = pd.DataFrame({c: tokens[c].astype(str).to_numpy(dtype=object) for c in ("token", "lemma", "kind")})
        type_ids = keys.groupby(["token", "lemma", "kind"], sort=False).ngroup().to_numpy(dtype=np.int64)
        first = keys.drop_duplicates()
        doc = tokens["doc_id"].to_numpy()
        sentence = tokens["sentence_id"].to_numpy()
        n = len(tokens)
        new_doc = np.ones(n, dtype=bool)
        new_sentence = np.ones(n, dtype=bool)
        if n:
            new_doc[1:] = doc[1:] != doc[:-1]
            new_sentence[1:] = new_doc[1:] | (sentence[1:] != sentence[:-1])
        offsets = np.append(np.flatnonzero(new_doc), n).astype(np.int64)
        return cls(type_ids, new_sentence, offsets, first["token"].tolist(), first["lemma"].tolist(),
                   first["kind"].tolist())

    def documents(self, lo: int, hi: int) -> "TokenArrays":
        """The arrays of documents ``lo:hi`` (same type lists)."""
        a, b = int(self.doc_offsets[lo]), int(self.doc_offsets[hi])
        return TokenArrays(self.type_ids[a:b], self.new_sentence[a:b], self.doc_offsets[lo:hi + 1] - a,
                           self.forms, self.lemmas, self.kinds)


@dataclass(frozen=True)
class Units:
    """What is predicted: ``sentence`` indexes the sentences of the token arrays
    (:meth:`TokenArrays.sentence_starts`); ``target_lo``/``target_hi`` are token positions of the
    target (``hi`` exclusive), −1 for none."""

    sentence: np.ndarray
    target_lo: np.ndarray
    target_hi: np.ndarray

    def __len__(self) -> int:
        return int(len(self.sentence))

    @classmethod
    def sentences(cls, n: int) -> "Units":
        """One unit per sentence, without target."""
        none = np.full(n, -1, dtype=np.int64)
        return cls(np.arange(n, dtype=np.int64), none, none.copy())

    def take(self, index) -> "Units":
        return Units(self.sentence[index], self.target_lo[index], self.target_hi[index])


# --------------------------------------------------------------------------------------
# Shared per-token layout
# --------------------------------------------------------------------------------------


@dataclass
class _Layout:
    starts: np.ndarray       # sentence starts (token positions)
    ends: np.ndarray         # sentence ends (exclusive)
    sentence_doc: np.ndarray # document of each sentence
    token_sentence: np.ndarray


def feature_layout(arrays: TokenArrays) -> _Layout:
    starts = arrays.sentence_starts()
    ends = np.append(starts[1:], arrays.n_tokens).astype(np.int64)
    sentence_doc = np.searchsorted(arrays.doc_offsets, starts, side="right") - 1
    token_sentence = np.repeat(np.arange(len(starts)), ends - starts)
    return _Layout(starts, ends, sentence_doc, token_sentence)


def _context_matrix(units: Units, layout: _Layout, context: int, *, own: bool = True) -> sparse.csr_matrix:
    """Units × sentences: 1 for the unit's sentence (when ``own``) and its neighbours in its document."""
    rows, cols = [], []
    doc = layout.sentence_doc
    for shift in range(-context, context + 1):
        if shift == 0 and not own:
            continue
        target = units.sentence + shift
        ok = (target >= 0) & (target < len(doc))
        ok[ok] = doc[target[ok]] == doc[units.sentence[ok]]
        rows.append(np.flatnonzero(ok))
        cols.append(target[ok])
    rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    cols = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(units), len(doc)))


def _target_tokens(units: Units) -> tuple[np.ndarray, np.ndarray]:
    """(unit, token position) of every target token."""
    has = units.target_lo >= 0
    lengths = np.where(has, units.target_hi - units.target_lo, 0)
    unit = np.repeat(np.arange(len(units)), lengths)
    first = np.repeat(units.target_lo, lengths)
    offset = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return unit, first + offset


# --------------------------------------------------------------------------------------
# N-grams
# --------------------------------------------------------------------------------------


def _type_keys(arrays: TokenArrays):
    """A key id per type (its lower-cased form; −1 for non-words) and the key strings."""
    kinds = pd.Series(arrays.kinds, dtype=object)
    lowered = pd.Series(arrays.forms, dtype=object).str.lower()
    lowered[kinds.to_numpy() != "word"] = None
    codes, keys = pd.factorize(lowered)
    return codes.astype(np.int64), [str(k) for k in keys]


def _char_grams(key: str, low: int, high: int) -> list[str]:
    padded = f"<{key}>"
    return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


def _key_blocks(keys, settings, columns_for):
    """(key, column) pairs of the unigram and character n-gram columns of every key."""
    n_keys = len(keys)
    uni = columns_for([f"w:{k}" for k in keys])
    grams_rows, grams_cols = [], []
    low, high = int(settings["char_low"]), int(settings["char_high"])
    if high >= low > 0:
        for key_id, key in enumerate(keys):
            for gram in _char_grams(key, low, high):
                grams_rows.append(key_id)
                grams_cols.append(f"c:{gram}")
    gram_cols = columns_for(grams_cols) if grams_cols else np.zeros(0, np.int64)
    key_rows = np.concatenate([np.arange(n_keys), np.asarray(grams_rows, dtype=np.int64)])
    key_cols = np.concatenate([uni, gram_cols])
    known = key_cols >= 0
    return key_rows[known], key_cols[known]


class KeyColumns(NamedTuple):
    """What :func:`ngram_counts` needs of some type lists for a fixed vocabulary (:func:`key_columns`)."""

    codes: np.ndarray          # key id of every type (−1: not a word)
    keys: list                 # the key strings (lower-cased forms)
    matrix: sparse.csr_matrix  # keys × vocabulary columns: the key's unigram and character n-grams
    #: The vocabulary's bigrams as ``first key × len(keys) + second key``, sorted, and their
    #: columns: a slice looks its bigrams up in arrays instead of writing out every name.
    bigram_codes: np.ndarray | None = None
    bigram_columns: np.ndarray | None = None


def _bigram_table(keys: list, vocabulary: dict) -> tuple[np.ndarray, np.ndarray]:
    """The sorted pair codes of the vocabulary's bigrams ``b:<first> <second>`` whose keys are
    both in ``keys``, and their columns (a bigram of another key can occur in no slice)."""
    index = {key: k for k, key in enumerate(keys)}
    n_keys = len(keys)
    codes, columns = [], []
    for name, column in vocabulary.items():
        if not name.startswith("b:"):
            continue
        text = name[2:]
        # Keys hold no white space, so the split is at the one space; tried at every space
        # all the same, so that a key with one could not be matched to the wrong pair.
        at = text.find(" ")
        while at >= 0:
            first, second = index.get(text[:at]), index.get(text[at + 1:])
            if first is not None and second is not None:
                codes.append(first * n_keys + second)
                columns.append(column)
                break
            at = text.find(" ", at + 1)
    codes = np.asarray(codes, dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    return codes[order], np.asarray(columns, dtype=np.int64)[order]


def _gram_codes(codepoints: np.ndarray, alphabet: np.ndarray, bits: int, starts: np.ndarray, n: int) -> np.ndarray:
    """An integer per character n-gram starting at ``starts``: the n characters' ranks in
    ``alphabet`` (1-based) side by side, ``bits`` bits each; −1 where a character is not in it."""
    found = np.searchsorted(alphabet, codepoints)
    found = np.minimum(found, max(len(alphabet) - 1, 0))
    rank = np.where((alphabet[found] == codepoints) if len(alphabet) else False, found + 1, 0).astype(np.int64)
    code = np.zeros(len(starts), dtype=np.int64)
    missing = np.zeros(len(starts), dtype=bool)
    for j in range(n):
        part = rank[starts + j]
        missing |= part == 0
        code = (code << bits) | part
    return np.where(missing, -1, code)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


def _char_gram_pairs(keys, low: int, high: int, vocabulary: dict) -> tuple[np.ndarray, np.ndarray]:
    """(key, column) of every occurrence of a vocabulary character n-gram in every key: what
    :func:`_char_grams` and a dictionary look-up per n-gram give, over arrays.

    Why not a loop: a corpus's vocabulary has hundreds of thousands of keys and millions of
    character n-grams; one dictionary look-up each was the largest part of a prediction. An
    n-gram is coded as an integer from its characters' ranks in the alphabet of the
    vocabulary's n-grams (an n-gram with another character is in no column), and the codes
    are matched with ``numpy.searchsorted``.
    """
    grams = [(name[2:], column) for name, column in vocabulary.items() if name.startswith("c:")]
    alphabet = np.unique(_codepoints("".join(g for g, _ in grams))) if grams else np.zeros(0, np.int64)
    bits = max(int(len(alphabet)).bit_length(), 1)
    if bits * high > 62:  # too many distinct characters for one int64 per n-gram
        per_key = [_char_grams(key, low, high) for key in keys]
        rows = np.repeat(np.arange(len(keys), dtype=np.int64), [len(g) for g in per_key])
        cols = np.array([vocabulary.get(f"c:{g}", -1) for grams_ in per_key for g in grams_], dtype=np.int64)
        return rows, cols
    padded = "".join(f"<{key}>" for key in keys)
    codepoints = _codepoints(padded)
    lengths = np.fromiter((len(key) + 2 for key in keys), dtype=np.int64, count=len(keys))
    first = np.cumsum(lengths) - lengths
    rows, cols = [], []
    for n in range(low, high + 1):
        vocab_grams = [(g, c) for g, c in grams if len(g) == n]
        if not vocab_grams:
            continue
        vocab_points = _codepoints("".join(g for g, _ in vocab_grams))
        vocab_codes = _gram_codes(vocab_points, alphabet, bits, np.arange(len(vocab_grams), dtype=np.int64) * n, n)
        order = np.argsort(vocab_codes, kind="stable")
        vocab_codes = vocab_codes[order]
        vocab_columns = np.array([c for _, c in vocab_grams], dtype=np.int64)[order]
        count = np.maximum(lengths - n + 1, 0)
        key_of = np.repeat(np.arange(len(keys), dtype=np.int64), count)
        starts = np.repeat(first, count) + (np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count))
        codes = _gram_codes(codepoints, alphabet, bits, starts, n)
        at = np.minimum(np.searchsorted(vocab_codes, codes), len(vocab_codes) - 1)
        hit = (codes >= 0) & (vocab_codes[at] == codes)
        rows.append(key_of[hit])
        cols.append(vocab_columns[at[hit]])
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows), np.concatenate(cols)


def key_columns(arrays: TokenArrays, settings: dict, vocabulary: dict) -> KeyColumns:
    """The word keys of the arrays' types and their unigram and character n-gram columns.

    What :func:`ngram_counts` needs of the type lists for a fixed ``vocabulary``; the slices of
    a corpus share their type lists, so a prediction computes this once for all of them
    (``prepared=``) instead of once per slice.

    Examples
    --------
    >>> from analysis.store import TokenStore
    >>> store = TokenStore.from_texts(["d"], ["Gute Nacht"])
    >>> vocabulary = {"w:gute": 0, "c:<gu": 1, "c:ute": 2, "c:cht>": 3, "c:xyz": 4}
    >>> found = key_columns(TokenArrays.from_store(store), {"char_low": 3, "char_high": 5}, vocabulary)
    >>> found.keys, found.matrix.toarray().tolist()
    (['gute', 'nacht'], [[1.0, 1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0, 0.0]])
    """
    codes, keys = _type_keys(arrays)
    low, high = int(settings["char_low"]), int(settings["char_high"])
    uni = np.array([vocabulary.get(f"w:{k}", -1) for k in keys], dtype=np.int64)
    rows, cols = [np.arange(len(keys), dtype=np.int64)], [uni]
    if high >= low > 0:
        gram_rows, gram_cols = _char_gram_pairs(keys, low, high, vocabulary)
        rows.append(gram_rows)
        cols.append(gram_cols)
    key_rows, key_cols = np.concatenate(rows), np.concatenate(cols)
    known = key_cols >= 0
    matrix = sparse.csr_matrix((np.ones(int(known.sum())), (key_rows[known], key_cols[known])),
                               shape=(len(keys), len(vocabulary)))
    return KeyColumns(codes, keys, matrix, *_bigram_table(keys, vocabulary))


def _bigram_columns(pair: np.ndarray, codes: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The column of every pair code (−1: not in the vocabulary)."""
    if not len(codes):
        return np.full(len(pair), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(codes, pair), len(codes) - 1)
    return np.where(codes[at] == pair, columns[at], -1)


def ngram_counts(arrays: TokenArrays, units: Units, settings: dict, vocabulary: dict | None = None, *,
                 prepared: tuple | None = None, sort_indices: bool = True):
    """N-gram counts of every unit's context.

    Parameters
    ----------
    arrays, units
        See the module notes.
    settings : dict
        ``context`` (sentences on each side), ``mask_target`` (bool), ``char_low``,
        ``char_high`` (character n-gram lengths), ``bigrams`` (bool), ``window_words``.
    vocabulary : dict of str to int, optional
        Feature name → column. Without it every n-gram found is a column (for training).
    prepared : tuple, optional
        :func:`key_columns` of arrays with the same type lists and of ``vocabulary``.
    sort_indices : bool, default True
        Sort the column indices of every row. A prediction that only multiplies the counts
        with the coefficients skips it (a fifth of its time); the sums then run in another
        order, which changes the last bits of a probability, never a count.

    Returns
    -------
    tuple of (scipy.sparse.csr_matrix, list of str)
        Counts (units × columns) and the column names.

    Examples
    --------
    >>> from analysis.store import TokenStore
    >>> store = TokenStore.from_texts(["d"], ["Ein guter Tag. Kein guter Tag für Anna."])
    >>> arrays = TokenArrays.from_store(store)
    >>> settings = {"context": 0, "mask_target": True, "char_low": 3, "char_high": 3, "bigrams": True}
    >>> counts, names = ngram_counts(arrays, Units.sentences(2), settings)
    >>> row = dict(zip(names, counts.toarray()[1].tolist()))
    >>> row["w:guter"], row["b:kein guter"], row["c:<ta"], row["w:anna"]
    (1.0, 1.0, 1.0, 1.0)
    >>> target = Units(np.array([1]), np.array([8]), np.array([9]))  # token 8 is "Anna"
    >>> masked, _ = ngram_counts(arrays, target, settings, dict(zip(names, range(len(names)))))
    >>> dict(zip(names, masked.toarray()[0].tolist()))["w:anna"]
    0.0
    """
    layout = feature_layout(arrays)
    codes, keys = _type_keys(arrays) if prepared is None else (prepared.codes, prepared.keys)
    token_key = codes[arrays.type_ids] if arrays.n_tokens else np.zeros(0, np.int64)
    is_key = token_key >= 0
    n_sent, n_keys = len(layout.starts), len(keys)
    # Sentence × key counts, and units × key counts of the context minus the target.
    words = np.flatnonzero(is_key)
    by_sentence = sparse.csr_matrix((np.ones(len(words)), (layout.token_sentence[words], token_key[words])),
                                    shape=(n_sent, n_keys))
    context = _context_matrix(units, layout, int(settings["context"]))
    unit_keys = (context @ by_sentence).tocsr()
    mask_unit, mask_token = _target_tokens(units) if settings.get("mask_target", True) else (np.zeros(0, int),) * 2
    if len(mask_token):
        keep = is_key[mask_token]
        masked = sparse.csr_matrix((np.ones(int(keep.sum())), (mask_unit[keep], token_key[mask_token[keep]])),
                                   shape=unit_keys.shape)
        unit_keys = (unit_keys - masked).tocsr()
        unit_keys.eliminate_zeros()

    names: list[str] = []
    blocks = []
    column_of = {} if vocabulary is None else vocabulary

    def columns_for(candidates):
        """Column index of each candidate name (−1: not in the vocabulary)."""
        if vocabulary is None:
            out = np.empty(len(candidates), dtype=np.int64)
            for i, name in enumerate(candidates):
                found = column_of.get(name)
                if found is None:
                    found = column_of[name] = len(names)
                    names.append(name)
                out[i] = found
            return out
        return np.array([vocabulary.get(name, -1) for name in candidates], dtype=np.int64)

    # Unigrams and character n-grams: key → columns, once per key.
    key_to_col = None
    if prepared is not None and vocabulary is not None:
        key_to_col = prepared.matrix
    else:
        blocks.append(_key_blocks(keys, settings, columns_for))

    # Bigrams: adjacent word tokens of one sentence.
    bigram_matrix = None
    if settings.get("bigrams", True) and arrays.n_tokens > 1:
        first = np.flatnonzero(is_key[:-1] & is_key[1:] & ~arrays.new_sentence[1:])
        pair = token_key[first] * max(n_keys, 1) + token_key[first + 1]
        if key_to_col is not None and getattr(prepared, "bigram_codes", None) is not None:
            cols = _bigram_columns(pair, prepared.bigram_codes, prepared.bigram_columns)
        else:
            pairs, inverse = np.unique(pair, return_inverse=True)
            pair_cols = columns_for([f"b:{keys[p // n_keys]} {keys[p % n_keys]}" for p in pairs.tolist()])
            cols = pair_cols[inverse]
        ok = cols >= 0
        sentence_of = layout.token_sentence[first[ok]]
        n_cols_now = len(names) if vocabulary is None else len(vocabulary)
        by_sentence_pairs = sparse.csr_matrix((np.ones(int(ok.sum())), (sentence_of, cols[ok])),
                                              shape=(n_sent, n_cols_now))
        bigram_matrix = (context @ by_sentence_pairs).tocsr()
        if len(mask_token):
            # Pairs with a target token are taken out of the unit's counts.
            # A pair starting at a target token t, or at t - 1, touches the target.
            touch_unit, touch_first = [], []
            starts_ok = first[ok]
            for delta in (0, 1):
                where = np.searchsorted(starts_ok, mask_token - delta)
                inside = where < len(starts_ok)
                hit = inside.copy()
                hit[inside] = starts_ok[where[inside]] == (mask_token[inside] - delta)
                touch_unit.append(mask_unit[hit])
                touch_first.append(where[hit])
            touch_unit = np.concatenate(touch_unit)
            touch_first = np.concatenate(touch_first)
            if len(touch_unit):
                unique = np.unique(np.stack([touch_unit, touch_first]), axis=1)
                masked = sparse.csr_matrix((np.ones(unique.shape[1]), (unique[0], cols[ok][unique[1]])),
                                           shape=bigram_matrix.shape)
                bigram_matrix = (bigram_matrix - masked).tocsr()
                bigram_matrix.eliminate_zeros()

    # Words near the target (``t:``): within ``window_words`` words of it, in its sentence.
    window_matrix = None
    reach = int(settings.get("window_words", 0))
    if reach > 0 and (units.target_lo >= 0).any() and arrays.n_tokens:
        rank = np.cumsum(is_key)
        has = np.flatnonzero(units.target_lo >= 0)
        s_lo = layout.starts[units.sentence[has]]
        s_hi = layout.ends[units.sentence[has]]
        lengths = s_hi - s_lo
        unit = np.repeat(has, lengths)
        position = np.repeat(s_lo, lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
        r_lo = rank[units.target_lo[unit]]
        r_hi = rank[units.target_hi[unit] - 1]
        r = rank[position]
        near = is_key[position] & (r >= r_lo - reach) & (r <= r_hi + reach)
        near &= ~((position >= units.target_lo[unit]) & (position < units.target_hi[unit]))
        unit, position = unit[near], position[near]
        key_ids, inverse = np.unique(token_key[position], return_inverse=True)
        window_cols = columns_for([f"t:{keys[k]}" for k in key_ids.tolist()])[inverse]
        ok = window_cols >= 0
        n_cols_now = len(names) if vocabulary is None else len(vocabulary)
        window_matrix = sparse.csr_matrix((np.ones(int(ok.sum())), (unit[ok], window_cols[ok])),
                                          shape=(len(units), n_cols_now))

    n_cols = len(names) if vocabulary is None else len(vocabulary)
    if key_to_col is None:
        rows, cols = blocks[0]
        key_to_col = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_keys, n_cols))
    counts = (unit_keys @ key_to_col).tocsr()
    if bigram_matrix is not None:
        bigram_matrix.resize(counts.shape)
        counts = (counts + bigram_matrix).tocsr()
    if window_matrix is not None:
        window_matrix.resize(counts.shape)
        counts = (counts + window_matrix).tocsr()
    if sort_indices:
        counts.sort_indices()
    if vocabulary is not None:
        names = [None] * len(vocabulary)
        for name, col in vocabulary.items():
            names[col] = name
    return counts, names


# --------------------------------------------------------------------------------------
# Lexicon evidence
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DenseTypes:
    """The per-type part of :func:`dense_features` for some type lists (:func:`prepare_dense`)."""

    rules: object          # analysis.sentiment.engine.TypeRules
    is_word: np.ndarray
    is_quote: np.ndarray
    is_break: np.ndarray
    reporting: np.ndarray


def prepare_dense(arrays: TokenArrays, rules, reporting_forms=frozenset()) -> DenseTypes:
    """What :func:`dense_features` decides once per type of ``arrays``' type lists: passed as
    ``prepared=`` to every slice of a corpus that shares them."""
    kinds = np.array(arrays.kinds, dtype=object)
    lowered = [f.lower() for f in arrays.forms]
    folded = [f.casefold() for f in arrays.forms]
    clause_word = np.fromiter((f in rules.clause_words for f in folded), dtype=bool, count=len(folded))
    is_word = kinds == "word"
    return DenseTypes(
        rules=prepare_types(arrays.forms, arrays.lemmas, arrays.kinds, rules),
        is_word=is_word,
        is_quote=kinds == "quote",
        is_break=(kinds == "punct") | (is_word & clause_word),
        reporting=np.fromiter((f in reporting_forms for f in lowered), dtype=bool, count=len(lowered)),
    )


def _token_flags(arrays: TokenArrays, types: DenseTypes):
    """Per token: word rank, clause segment, inside a quotation, reporting verb."""
    t = arrays.type_ids
    is_word = types.is_word[t]
    is_quote = types.is_quote[t]
    is_break = types.is_break[t]
    reporting = types.reporting[t]
    rank = np.cumsum(is_word)
    segment = np.cumsum(arrays.new_sentence | is_break)
    # Inside a quotation: an odd number of quotation marks before the token in its document.
    prior = np.cumsum(is_quote) - is_quote
    doc_first = np.repeat(arrays.doc_offsets[:-1], np.diff(arrays.doc_offsets))
    before = prior - prior[doc_first] if len(prior) else prior
    inside = (before % 2 == 1) & ~is_quote
    return rank, segment, inside, reporting, is_word, is_quote


def _distance_weight(distance: np.ndarray, scale: float) -> np.ndarray:
    return 1.0 / (1.0 + distance / scale)


def dense_features(arrays: TokenArrays, units: Units, rules, settings: dict, *, reporting_forms=frozenset(),
                   detail: bool = False, prepared: DenseTypes | None = None):
    """The lexicon-evidence features (:data:`LEXICON_FEATURES`) of every unit, raw (sums and counts).

    Parameters
    ----------
    arrays, units
        See the module notes.
    rules : analysis.sentiment.engine.Rules
        The lexicon scorer's rules (lexicon, negation, modifiers).
    settings : dict
        ``distance_scale`` (words) and ``context`` (sentences on each side).
    reporting_forms : frozenset of str
        Lower-case forms of reporting verbs.
    detail : bool, default False
        Also return the token shares: a table ``unit, token, feature, value`` whose values add
        up to each feature (for explanations of a few units).
    prepared : DenseTypes, optional
        :func:`prepare_dense` of arrays with the same type lists, rules and reporting forms
        (computed here when not given).

    Returns
    -------
    numpy.ndarray or tuple
        Units × features (float), and the detail table when asked for.

    Examples
    --------
    >>> from analysis.store import TokenStore
    >>> from analysis.sentiment.scorer import scoring_rules
    >>> store = TokenStore.from_texts(["d"], ["Der Plan ist nicht gut."])
    >>> rules = scoring_rules({"gut": 1.0}, True, None, 4, -1.0, None, 2, True)
    >>> values = dense_features(TokenArrays.from_store(store), Units.sentences(1), rules,
    ...                         {"distance_scale": 3.0, "context": 1})
    >>> row = dict(zip(LEXICON_FEATURES, values[0].tolist()))
    >>> row["sentence_negative"], row["sentence_negated_positive"], row["sentence_negators"]
    (1.0, 1.0, 1.0)
    """
    layout = feature_layout(arrays)
    if prepared is None:
        prepared = prepare_dense(arrays, rules, reporting_forms)
    scored: Scored = score_arrays(arrays.type_ids, arrays.new_sentence, arrays.forms, arrays.lemmas, arrays.kinds,
                                  rules, prepared=prepared.rules)
    rank, segment, inside, reporting, is_word, _ = _token_flags(arrays, prepared)
    n = len(units)
    out = np.zeros((n, len(LEXICON_FEATURES)))
    shares = []

    sentiment = scored.role == 1
    rows = scored.rows[sentiment]
    value = scored.contribution[sentiment]
    negated = scored.negated[rows]
    polarity = scored.polarity[sentiment]
    row_sentence = layout.token_sentence[rows] if len(rows) else np.zeros(0, np.int64)
    negators = scored.rows[scored.role == 3]
    negator_sentence = layout.token_sentence[negators] if len(negators) else np.zeros(0, np.int64)

    # Pairs (unit, sentiment row) of the unit's own sentence.
    order = np.argsort(row_sentence, kind="stable")
    sorted_sentence = row_sentence[order]
    lo = np.searchsorted(sorted_sentence, units.sentence, side="left")
    hi = np.searchsorted(sorted_sentence, units.sentence, side="right")
    counts = hi - lo
    pair_unit = np.repeat(np.arange(n), counts)
    pair_row = order[np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))]
    token = rows[pair_row]
    v = value[pair_row]
    positive, negative = np.clip(v, 0, None), np.clip(-v, 0, None)

    has_target = units.target_lo >= 0
    t_lo = np.where(has_target, units.target_lo, 0)
    t_hi = np.where(has_target, units.target_hi - 1, 0)
    rank_lo = np.where(has_target, rank[t_lo] if arrays.n_tokens else 0, 0)
    rank_hi = np.where(has_target, rank[t_hi] if arrays.n_tokens else 0, 0)
    target_inside = np.zeros(n, dtype=bool)
    target_segments_lo = np.where(has_target, segment[t_lo] if arrays.n_tokens else 0, -1)
    target_segments_hi = np.where(has_target, segment[t_hi] if arrays.n_tokens else 0, -1)
    if has_target.any():
        t_unit, t_token = _target_tokens(units)
        target_inside[np.unique(t_unit[inside[t_token]])] = True

    r = rank[token]
    distance = np.maximum(np.maximum(rank_lo[pair_unit] - r, r - rank_hi[pair_unit]), 0)
    distance = np.where(has_target[pair_unit], distance, 0)
    weight = _distance_weight(distance.astype(float), float(settings["distance_scale"]))
    same_clause = ~has_target[pair_unit] | ((segment[token] >= target_segments_lo[pair_unit])
                                            & (segment[token] <= target_segments_hi[pair_unit]))
    other_voice = inside[token] != target_inside[pair_unit]
    negated_pair = negated[pair_row]
    pol = polarity[pair_row]

    def add(name, values, mask=None):
        values = np.asarray(values, dtype=float)
        if mask is not None:
            values = np.where(mask, values, 0.0)
        out[:, _SUMS[name]] += np.bincount(pair_unit, weights=values, minlength=n)
        if detail:
            keep = values != 0
            shares.append(pd.DataFrame({"unit": pair_unit[keep], "token": token[keep], "feature": name,
                                        "value": values[keep]}))

    add("sentence_positive", positive)
    add("sentence_negative", negative)
    add("sentence_n_positive", v > 0)
    add("sentence_n_negative", v < 0)
    add("sentence_negated_positive", np.abs(v), negated_pair & (pol > 0))
    add("sentence_negated_negative", np.abs(v), negated_pair & (pol < 0))
    add("window_positive", positive * weight)
    add("window_negative", negative * weight)
    add("clause_positive", positive, same_clause)
    add("clause_negative", negative, same_clause)
    add("other_voice_positive", positive, other_voice)
    add("other_voice_negative", negative, other_voice)

    # Negators of the unit's sentence.
    neg_count = np.bincount(negator_sentence, minlength=len(layout.starts))
    out[:, _SUMS["sentence_negators"]] = neg_count[units.sentence] if len(units) else 0
    if detail and len(negators):
        s_of = pd.Series(negator_sentence)
        for u, sentence in enumerate(units.sentence.tolist()):
            for tok in negators[(s_of == sentence).to_numpy()]:
                shares.append(pd.DataFrame({"unit": [u], "token": [tok], "feature": ["sentence_negators"],
                                            "value": [1.0]}))

    # Neighbouring sentences.
    neighbours = _context_matrix(units, layout, int(settings["context"]), own=False)
    sentence_pos = np.bincount(row_sentence, weights=np.clip(value, 0, None), minlength=len(layout.starts))
    sentence_neg = np.bincount(row_sentence, weights=np.clip(-value, 0, None), minlength=len(layout.starts))
    out[:, _SUMS["context_positive"]] = neighbours @ sentence_pos
    out[:, _SUMS["context_negative"]] = neighbours @ sentence_neg
    if detail and len(rows):
        nb = neighbours.tocoo()
        for u, sentence in zip(nb.row.tolist(), nb.col.tolist()):
            here = row_sentence == sentence
            for tok, val in zip(rows[here].tolist(), value[here].tolist()):
                name = "context_positive" if val > 0 else "context_negative"
                shares.append(pd.DataFrame({"unit": [u], "token": [tok], "feature": [name], "value": [abs(val)]}))

    # Flags.
    quote_in_sentence = np.bincount(layout.token_sentence, weights=_is_quote(arrays), minlength=len(layout.starts)) > 0
    out[:, _SUMS["sentence_has_quote"]] = quote_in_sentence[units.sentence] if len(units) else 0
    out[:, _SUMS["target_in_quote"]] = target_inside
    speaker = np.zeros(n, dtype=bool)
    if has_target.any() and reporting.any():
        verbs = np.flatnonzero(reporting & ~inside)
        verb_sentence = layout.token_sentence[verbs]
        verb_rank = rank[verbs]
        order = np.argsort(verb_sentence, kind="stable")
        vs, vr = verb_sentence[order], verb_rank[order]
        lo_v = np.searchsorted(vs, units.sentence, side="left")
        hi_v = np.searchsorted(vs, units.sentence, side="right")
        c = hi_v - lo_v
        pu = np.repeat(np.arange(n), c)
        pv = np.repeat(lo_v, c) + (np.arange(c.sum()) - np.repeat(np.cumsum(c) - c, c))
        near = (vr[pv] >= rank_lo[pu] - _SPEAKER_REACH) & (vr[pv] <= rank_hi[pu] + _SPEAKER_REACH)
        speaker[np.unique(pu[near & has_target[pu] & ~target_inside[pu]])] = True
    out[:, _SUMS["target_is_speaker"]] = speaker
    if detail:
        for name, flags in (("target_in_quote", target_inside), ("target_is_speaker", speaker)):
            for u in np.flatnonzero(flags).tolist():
                shares.append(pd.DataFrame({"unit": [u], "token": [int(units.target_lo[u])], "feature": [name],
                                            "value": [1.0]}))
        for u in np.flatnonzero(out[:, _SUMS["sentence_has_quote"]] > 0).tolist():
            s = int(units.sentence[u])
            first_quote = layout.starts[s] + int(np.flatnonzero(_is_quote(arrays)[layout.starts[s]:layout.ends[s]])[0])
            shares.append(pd.DataFrame({"unit": [u], "token": [first_quote], "feature": ["sentence_has_quote"],
                                        "value": [1.0]}))
        table = (pd.concat(shares, ignore_index=True) if shares
                 else pd.DataFrame({"unit": [], "token": [], "feature": [], "value": []}))
        return out, table
    return out


def _is_quote(arrays: TokenArrays) -> np.ndarray:
    kinds = np.array(arrays.kinds, dtype=object)
    return (kinds == "quote")[arrays.type_ids].astype(float)


def token_shares(arrays: TokenArrays, units: Units, unit: int, settings: dict, vocabulary: dict) -> pd.DataFrame:
    """Which tokens make each n-gram count of one unit: ``token, feature, count``.

    The counts of a feature over its tokens add up to the unit's count of it
    (:func:`ngram_counts`); a bigram is shared by its two words, half each.
    """
    layout = feature_layout(arrays)
    sentence = int(units.sentence[unit])
    doc = layout.sentence_doc
    context = int(settings["context"])
    chosen = [s for s in range(sentence - context, sentence + context + 1)
              if 0 <= s < len(doc) and doc[s] == doc[sentence]]
    masked = set()
    if settings.get("mask_target", True) and units.target_lo[unit] >= 0:
        masked = set(range(int(units.target_lo[unit]), int(units.target_hi[unit])))
    low, high = int(settings["char_low"]), int(settings["char_high"])
    rows = []
    for s in chosen:
        positions = range(int(layout.starts[s]), int(layout.ends[s]))
        for p in positions:
            if arrays.kinds[arrays.type_ids[p]] != "word" or p in masked:
                continue
            key = arrays.forms[arrays.type_ids[p]].lower()
            for name in [f"w:{key}"] + ([f"c:{g}" for g in _char_grams(key, low, high)] if high >= low > 0 else []):
                if name in vocabulary:
                    rows.append((p, name, 1.0))
            nxt = p + 1
            if (settings.get("bigrams", True) and nxt < layout.ends[s] and nxt not in masked
                    and arrays.kinds[arrays.type_ids[nxt]] == "word"):
                name = f"b:{key} {arrays.forms[arrays.type_ids[nxt]].lower()}"
                if name in vocabulary:
                    rows += [(p, name, 0.5), (nxt, name, 0.5)]
    return pd.DataFrame(rows, columns=["token", "feature", "count"])
