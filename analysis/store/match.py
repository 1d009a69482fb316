"""One matching engine: token patterns compiled against the vocabulary, matched over id arrays.

A pattern part ("Diktator*", "Kim", a regular expression, a lemma glob) is tested once per
distinct word type, never per token, and most parts not even that often: a literal is one
dictionary lookup, and a glob with a literal prefix (or suffix) only looks at the types that
share it, found by binary search in the case-folded sorted vocabulary. The result is a
boolean mask over type ids; a sequence pattern is then matched with array operations at
the token positions where its first part matches.

The semantics are those of :class:`analysis.store.patterns.TokenPattern`: the candidate search only
narrows down which types are tested with the pattern's own test, so the result is the same
as testing every type.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

import numpy as np


__all__ = ["MappedIndex", "StoreMasks", "VocabularyIndex", "find_sequences", "glob_test", "precompute_masks",
           "store_index", "type_masks"]

_WILDCARDS = re.compile(r"[*?]")


def glob_regex(glob: str) -> str:
    """Regular expression for a glob: ``*`` any run of characters, ``?`` one character."""
    return "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in glob)


def glob_test(part: str, *, case_insensitive: bool):
    """A function telling whether a whole value matches the glob ``part``."""
    matcher = re.compile(glob_regex(part), (re.IGNORECASE if case_insensitive else 0) | re.DOTALL).fullmatch
    return lambda value: matcher(value) is not None


def store_index(store, column: str):
    """Per-token codes and the :class:`VocabularyIndex` of a store column (``token``, ``lemma``
    or ``stem``): ``token`` codes are the type ids over the forms, the others index a column's
    distinct values through a :class:`MappedIndex`. Built once per store and column."""
    import pandas as pd

    def build():
        if column == "token":
            return store.type_ids, VocabularyIndex(store.type_attribute("form").tolist())
        codes, uniques = pd.factorize(store.type_attribute(column))
        return store.type_ids, MappedIndex(VocabularyIndex([str(u) for u in uniques]), codes)

    return store.memo(f"index:{column}", build)


class VocabularyIndex:
    """Look-up structures over the distinct values of one vocabulary column.

    Parameters
    ----------
    values : sequence of str
        Distinct values (forms or lemmas); their positions are the ids the masks refer to.

    Examples
    --------
    >>> index = VocabularyIndex(["Diktator", "Diktatoren", "diktieren", "Freund"])
    >>> index.glob("diktator*", case_insensitive=True).tolist()
    [True, True, False, False]
    >>> index.fixed("freund", case_insensitive=True).tolist()
    [False, False, False, True]
    """

    def __init__(self, values):
        self.values = list(values)

    def __len__(self) -> int:
        return len(self.values)

    @cached_property
    def _exact(self) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for i, value in enumerate(self.values):
            table.setdefault(value, []).append(i)
        return table

    @cached_property
    def _folded(self) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for i, value in enumerate(self.values):
            table.setdefault(value.casefold(), []).append(i)
        return table

    @cached_property
    def _prefix_order(self) -> tuple[list[str], np.ndarray]:
        folded = [v.casefold() for v in self.values]
        order = np.argsort(np.array(folded, dtype=object), kind="stable")
        return [folded[i] for i in order], order

    @cached_property
    def _suffix_order(self) -> tuple[list[str], np.ndarray]:
        folded = [v.casefold()[::-1] for v in self.values]
        order = np.argsort(np.array(folded, dtype=object), kind="stable")
        return [folded[i] for i in order], order

    def _mask(self, ids) -> np.ndarray:
        mask = np.zeros(len(self.values), dtype=bool)
        if len(ids):
            mask[np.asarray(ids, dtype=np.int64)] = True
        return mask

    def fixed(self, part: str, *, case_insensitive: bool) -> np.ndarray:
        """Types equal to ``part`` (case-folded when ``case_insensitive``)."""
        if case_insensitive:
            return self._mask(self._folded.get(part.casefold(), []))
        return self._mask(self._exact.get(part, []))

    def _candidates(self, order: tuple[list[str], np.ndarray], key: str) -> np.ndarray:
        keys, positions = order
        lo = bisect.bisect_left(keys, key)
        hi = bisect.bisect_left(keys, key + "\U0010ffff")
        # Keys that merely start with key + a character above U+10FFFF cannot exist; every key
        # starting with ``key`` sorts in [key, key + max char).
        while hi < len(keys) and keys[hi].startswith(key):
            hi += 1
        return positions[lo:hi]

    def test(self, test, candidates=None) -> np.ndarray:
        """Types (among ``candidates``, or all) for which ``test(value)`` is true."""
        values = self.values
        if candidates is None:
            hit = np.fromiter((test(v) for v in values), dtype=bool, count=len(values))
            return hit
        candidates = np.asarray(candidates, dtype=np.int64)
        keep = [i for i in candidates.tolist() if test(values[i])]
        return self._mask(keep)

    def glob(self, part: str, *, case_insensitive: bool, test=None) -> np.ndarray:
        """Types matching the glob ``part`` as a whole (``*`` any run, ``?`` one character)."""
        if test is None:
            test = glob_test(part, case_insensitive=case_insensitive)
        if not _WILDCARDS.search(part):
            if not case_insensitive:
                return self._mask(self._exact.get(part, []))
            # re.IGNORECASE equates characters whose case folds agree, so the case-folded
            # look-up finds a superset; the pattern's own test decides.
            return self.test(test, self._folded.get(part.casefold(), []))
        prefix = _WILDCARDS.split(part, maxsplit=1)[0]
        if prefix:
            return self.test(test, self._candidates(self._prefix_order, prefix.casefold()))
        suffix = _WILDCARDS.split(part)[-1]
        if suffix:
            return self.test(test, self._candidates(self._suffix_order, suffix.casefold()[::-1]))
        return self.test(test)


class MappedIndex:
    """A :class:`VocabularyIndex` over distinct values (e.g. lemmas), read per type id.

    ``codes[t]`` is the position of type ``t``'s value in ``index``; every mask is returned
    over type ids, so lemma patterns match on the same arrays as form patterns.
    """

    def __init__(self, index: VocabularyIndex, codes: np.ndarray):
        self.index, self.codes = index, codes

    def __len__(self) -> int:
        return len(self.codes)

    def fixed(self, part: str, *, case_insensitive: bool) -> np.ndarray:
        return self.index.fixed(part, case_insensitive=case_insensitive)[self.codes]

    def glob(self, part: str, *, case_insensitive: bool, test=None) -> np.ndarray:
        return self.index.glob(part, case_insensitive=case_insensitive, test=test)[self.codes]

    def test(self, test, candidates=None) -> np.ndarray:
        return self.index.test(test, candidates)[self.codes]


def _part_mask(index, valuetype: str, part: str, test, case_insensitive: bool) -> np.ndarray:
    if valuetype in ("glob", "lemma"):
        return index.glob(part, case_insensitive=case_insensitive, test=test)
    if valuetype == "fixed":
        return index.fixed(part, case_insensitive=case_insensitive)
    return index.test(test)


def type_masks(pattern, index) -> list[np.ndarray]:
    """One boolean mask over the index's ids per part of ``pattern``.

    ``index`` is a :class:`VocabularyIndex`, a :class:`MappedIndex` or a :class:`StoreMasks`.
    """
    if isinstance(index, StoreMasks):
        return index.masks(pattern)
    return [_part_mask(index, pattern.valuetype, part, test, pattern.case_insensitive)
            for part, test in zip(pattern.parts, pattern.part_tests)]


class StoreMasks:
    """Masks of pattern parts over the type ids of a token store, each computed once.

    The type ids a part matches are kept in the store (a few per part, not a mask over the
    whole vocabulary), so the look-up index behind them is needed only once: after
    :func:`precompute_masks` in a parent process, worker processes forked from it match
    without building an index of their own.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.store import TokenStore
    >>> from analysis.store.patterns import compile_pattern
    >>> store = TokenStore.from_texts(["a"], ["Die Diktatoren kamen."])
    >>> masks = StoreMasks(store, "token").masks(compile_pattern("diktator*"))
    >>> store.type_attribute("form")[masks[0]].tolist()
    ['Diktatoren']
    """

    def __init__(self, store, column: str):
        self.store, self.column = store, column

    def masks(self, pattern) -> list[np.ndarray]:
        n = len(self.store.vocabulary)
        masks = []
        for part, test in zip(pattern.parts, pattern.part_tests):
            key = ("mask", self.column, pattern.valuetype, pattern.case_insensitive, part)

            def compute(part=part, test=test):
                index = store_index(self.store, self.column)[1]
                return np.flatnonzero(_part_mask(index, pattern.valuetype, part, test, pattern.case_insensitive))

            mask = np.zeros(n, dtype=bool)
            mask[self.store.memo(key, compute)] = True
            masks.append(mask)
        return masks


def precompute_masks(store, patterns) -> None:
    """Compute the :class:`StoreMasks` of ``patterns`` (``TokenPattern``, or ``(pattern, key)``
    pairs) and forget the look-up indexes used for them (hundreds of megabytes on a large
    vocabulary). Call it before :func:`analysis.store.executor.map_documents` so that the
    workers share the result instead of each building the indexes."""
    for pattern in patterns:
        pattern = pattern[0] if isinstance(pattern, tuple) else pattern
        StoreMasks(store, pattern.column).masks(pattern)
    store.forget("index:")


def find_sequences(
    masks: list[np.ndarray],
    type_ids: np.ndarray,
    same_segment,
    positions: np.ndarray | None = None,
) -> np.ndarray:
    """Start indices (into ``positions``, or into ``type_ids``) of matches of a sequence.

    Parameters
    ----------
    masks : list of numpy.ndarray
        Per part, a boolean mask over type ids (from :func:`type_masks`).
    type_ids : numpy.ndarray
        Type id of every token.
    same_segment : callable
        ``same_segment(a, b)`` takes two arrays of token indices and tells, element-wise,
        whether both tokens lie in one sentence of one document.
    positions : numpy.ndarray, optional
        The token indices the sequence runs over (e.g. the tokens that are not punctuation);
        consecutive entries are consecutive pattern parts. All tokens when None.

    Returns
    -------
    numpy.ndarray
        Sorted start indices ``i``: entries ``i .. i + k - 1`` match the ``k`` parts.
    """
    k = len(masks)
    sequence = type_ids if positions is None else type_ids[positions]
    n = len(sequence)
    if n < k or not masks[0].any():
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(masks[0][sequence[: n - k + 1]])
    for offset in range(1, k):
        if not len(starts):
            break
        starts = starts[masks[offset][sequence[starts + offset]]]
    if k > 1 and len(starts):
        first = starts if positions is None else positions[starts]
        last = starts + k - 1 if positions is None else positions[starts + k - 1]
        starts = starts[same_segment(first, last)]
    return starts

