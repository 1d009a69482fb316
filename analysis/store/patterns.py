"""The token-pattern language shared by KWIC, dictionaries, registries and lexicons.

A pattern is one or more parts separated by spaces ("Kim Jong*", "beste* Freund*"), each
matching one token: a glob (``*`` any run of characters, ``?`` one), a regular expression,
a fixed string or a lemma glob. :func:`compile_pattern` checks and compiles it once; the
matching engine (:mod:`analysis.store.match`) tests each part against the vocabulary, never
against every token.

Patterns are normalised to Unicode NFC before they are compiled, as the cleaned texts are
(:mod:`analysis.clean`, rule ``unicode_nfc``): "Pjo\u0308ngjang" typed with a decomposed
umlaut finds "Pjöngjang". No pattern can hang a run: a regular expression runs with a time
limit per token (:data:`REGEX_TIMEOUT`), and a glob with several ``*`` is matched segment by
segment, in time proportional to the token's length, never by backtracking.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..errors import ParameterError
from .match import MappedIndex, StoreMasks, VocabularyIndex, glob_test, type_masks

__all__ = ["REGEX_TIMEOUT", "VALUETYPES", "TokenPattern", "as_patterns", "compile_pattern"]

#: Value types understood by :func:`compile_pattern`.
VALUETYPES: tuple[str, ...] = ("glob", "regex", "fixed", "lemma")

@dataclass(frozen=True)
class TokenPattern:
    """A compiled pattern for a sequence of tokens; make it with :func:`compile_pattern`.

    Attributes
    ----------
    pattern : str
        The pattern as given, e.g. ``"beste* Freund*"``.
    valuetype : str
        One of :data:`VALUETYPES`.
    case_insensitive : bool
        Whether case is ignored.
    parts : tuple of str
        One part per token of the sequence (the pattern in NFC, split at whitespace).
    column : str
        The tokens-table column the parts are matched against (``"token"``, or ``"lemma"``
        for ``valuetype="lemma"``).

    Examples
    --------
    >>> p = compile_pattern("beste* Freund*")
    >>> len(p), p.parts
    (2, ('beste*', 'Freund*'))
    >>> p.matches(["besten", "Freund"]), p.matches(["beste", "Feinde"])
    (True, False)
    """

    pattern: str
    valuetype: str
    case_insensitive: bool
    parts: tuple[str, ...]
    column: str = "token"
    _tests: tuple[Callable[[str], bool], ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self):
        object.__setattr__(self, "_tests", _part_tests(self.parts, self.valuetype, self.case_insensitive))

    def __len__(self) -> int:
        return len(self.parts)

    @property
    def part_tests(self) -> tuple[Callable[[str], bool], ...]:
        """One function per part: does a token value (a form, or a lemma) match it?"""
        return self._tests

    def matches(self, values) -> bool:
        """Whether a sequence of token values (one per part) matches the pattern."""
        values = list(values)
        return len(values) == len(self.parts) and all(test(str(v)) for test, v in zip(self._tests, values))

    def part_masks(self, codes: np.ndarray, uniques) -> list[np.ndarray]:
        """For factorized values (``codes`` into ``uniques``), one boolean mask per part.

        ``uniques`` may be an :class:`analysis.store.match.VocabularyIndex` of the values,
        which callers matching many patterns build once: literal parts are then looked up and
        globs test only the values sharing their literal prefix or suffix, never every value.
        """
        index = self._index(uniques)
        return [hit[codes] if len(codes) else np.zeros(0, dtype=bool) for hit in type_masks(self, index)]

    def find(self, codes: np.ndarray, uniques, segments: np.ndarray) -> np.ndarray:
        """Start positions of the matches in a sequence of factorized token values.

        Parameters
        ----------
        codes, uniques
            The values, as from :func:`pandas.factorize`.
        segments : numpy.ndarray
            A label per position (e.g. a sentence number); a match lies within one segment.
            Positions of one segment must be consecutive.

        Returns
        -------
        numpy.ndarray
            Sorted start positions ``i``: positions ``i .. i + len(self) - 1`` match.
        """
        k = len(self.parts)
        n = len(codes)
        if n < k:
            return np.zeros(0, dtype=np.int64)
        # Masks over the distinct values; the later parts are read at the candidate starts only.
        masks = type_masks(self, self._index(uniques))
        starts = np.flatnonzero(masks[0][codes[: n - k + 1]])
        for offset in range(1, k):
            starts = starts[masks[offset][codes[starts + offset]]]
        if k > 1:
            starts = starts[segments[starts] == segments[starts + k - 1]]
        return starts

    @staticmethod
    def _index(uniques):
        if isinstance(uniques, (VocabularyIndex, MappedIndex, StoreMasks)):
            return uniques
        return VocabularyIndex([str(u) for u in uniques])


def compile_pattern(pattern: str, *, valuetype: str = "glob", case_insensitive: bool = True) -> TokenPattern:
    """Compile a pattern for one token or a sequence of tokens.

    Parameters
    ----------
    pattern : str
        The pattern; whitespace separates the parts of a multi-token pattern, each part
        matching one token ("beste* Freund*" matches two consecutive tokens).
    valuetype : {"glob", "regex", "fixed", "lemma"}
        ``glob``: ``*`` stands for any characters, ``?`` for one, the rest is literal and the
        whole token must match ("Diktator*", "*chef", "Staats?"). ``regex``: a Python regular
        expression searched in each token (``re.search``; use ``^``/``$`` to anchor).
        ``fixed``: the whole token, literally. ``lemma``: a glob matched against the lemma
        column ("Freund" matches Freund, Freunde, Freunden).
    case_insensitive : bool, default True
        Ignore case.

    Returns
    -------
    TokenPattern

    Raises
    ------
    ParameterError
        For an empty pattern, an unknown value type or an invalid regular expression; when
        matching, for a regular expression that takes longer than :data:`REGEX_TIMEOUT`
        seconds on one token.

    Notes
    -----
    The pattern is normalised to Unicode NFC first, as cleaned texts are.

    Examples
    --------
    >>> compile_pattern("Diktator*").matches(["Diktatoren"])
    True
    >>> compile_pattern("*chef").matches(["Kremlchef"])
    True
    >>> compile_pattern("Staats?", case_insensitive=False).matches(["staats-"])
    False
    >>> compile_pattern("^Putins?$", valuetype="regex").matches(["Putins"])
    True
    >>> compile_pattern("Kim Jong Un", valuetype="fixed").matches(["kim", "jong", "un"])
    True
    >>> compile_pattern("Freund", valuetype="lemma").column
    'lemma'
    >>> compile_pattern("Pjo\u0308ngjang").matches(["Pjöngjang"])  # typed decomposed
    True
    """
    if not isinstance(pattern, str):
        raise ParameterError(
            f"a pattern must be a str, got {type(pattern).__name__}",
            hint='pass e.g. "Diktator*" or a list of such strings',
        )
    if valuetype not in VALUETYPES:
        raise ParameterError(
            f"valuetype={valuetype!r} is not one of {', '.join(VALUETYPES)}",
            hint="use glob for wildcards, regex for regular expressions, fixed for exact tokens, lemma for lemmas",
        )
    if not isinstance(case_insensitive, (bool, np.bool_)):
        raise ParameterError(f"case_insensitive must be True or False, got {case_insensitive!r}")
    parts = tuple(unicodedata.normalize("NFC", pattern).split())
    if not parts:
        raise ParameterError("the pattern is empty", hint='give at least one token pattern, e.g. "Diktator*"')
    column = "lemma" if valuetype == "lemma" else "token"
    return TokenPattern(pattern, valuetype, bool(case_insensitive), parts, column)


def _part_tests(parts, valuetype: str, case_insensitive: bool) -> tuple[Callable[[str], bool], ...]:
    """One test function per pattern part."""
    if valuetype not in VALUETYPES:
        raise ParameterError(f"valuetype={valuetype!r} is not one of {', '.join(VALUETYPES)}")
    flags = re.IGNORECASE if case_insensitive else 0
    tests: list[Callable[[str], bool]] = []
    for part in parts:
        if valuetype in ("glob", "lemma"):
            tests.append(_glob_test(part, case_insensitive))
        elif valuetype == "regex":
            try:
                re.compile(part, flags)  # the syntax users read about: Python's re
            except re.error as error:
                raise ParameterError(
                    f"invalid regular expression {part!r}: {error}",
                    hint="check the brackets and escapes, or use valuetype='glob'",
                ) from None
            tests.append(_bounded_search(part, case_insensitive))
        elif case_insensitive:
            folded = part.casefold()
            tests.append(lambda value, f=folded: value.casefold() == f)
        else:
            tests.append(lambda value, f=part: value == f)
    return tuple(tests)


def _glob_test(part: str, case_insensitive: bool) -> Callable[[str], bool]:
    """A test of the whole value against a glob, in time linear in the value's length.

    A glob with at most one ``*`` (or one ``*`` at each end) runs as one regular expression,
    which backtracks over the value at most once. With more, the regular expression of
    ``a*b*c`` would backtrack polynomially (a token of 100 letters against ``a*a*a*a*a*a*c?``
    takes minutes); instead the literal segments between the stars are found left to right,
    each at its earliest place, which decides the same question.
    """
    part = re.sub(r"\*{2,}", "*", part)  # "**" means "*"
    segments = part.split("*")
    if len(segments) <= 2 or (len(segments) == 3 and not segments[0] and not segments[-1]):
        return glob_test(part, case_insensitive=case_insensitive)
    flags = (re.IGNORECASE if case_insensitive else 0) | re.DOTALL
    # "?" is one character, the rest literal; case-insensitive matching compares character by
    # character, so every segment has a fixed length.
    compiled = [re.compile("".join("." if ch == "?" else re.escape(ch) for ch in seg), flags) for seg in segments]
    first, middle, last = compiled[0], compiled[1:-1], compiled[-1]
    head, tail = len(segments[0]), len(segments[-1])
    least = sum(map(len, segments))

    def test(value: str) -> bool:
        end = len(value)
        if end < least:
            return False
        if head and first.match(value, 0, head) is None:
            return False
        if tail and last.fullmatch(value, end - tail, end) is None:
            return False
        pos, end = head, end - tail
        for segment in middle:
            found = segment.search(value, pos, end)
            if found is None:
                return False
            pos = found.end()
        return True

    return test


#: Longest time one regular-expression test of one token may take, in seconds.
REGEX_TIMEOUT = 2.0


def _bounded_search(part: str, case_insensitive: bool) -> Callable[[str], bool]:
    """``re.search`` semantics with a time bound, so that a pattern with catastrophic
    backtracking stops with an error instead of hanging the run.

    The standard library's engine cannot be interrupted; the ``regex`` package (same syntax
    and Unicode classes as ``re``) takes a timeout per call.
    """
    import regex

    try:
        compiled = regex.compile(part, regex.IGNORECASE if case_insensitive else 0)
    except regex.error as error:  # accepted by re, refused by regex: rare, but not a crash
        raise ParameterError(
            f"invalid regular expression {part!r}: {error}",
            hint="check the brackets and escapes, or use valuetype='glob'",
        ) from None

    def test(value: str) -> bool:
        try:
            # Read at each call, so that a caller (or a test) may change the limit.
            return compiled.search(value, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError:
            shown = value if len(value) <= 40 else value[:39] + f"… ({len(value):,} characters)"
            raise ParameterError(
                f"the regular expression {part!r} took longer than {REGEX_TIMEOUT:g} s on one word ({shown!r})",
                hint="simplify it: nested repeats such as (a+)+ or (a|aa)+ backtrack catastrophically; "
                "or use a glob (valuetype 'glob')",
            ) from None

    return test


def as_patterns(pattern, valuetype: str, case_insensitive: bool) -> list[TokenPattern]:
    """A list of compiled patterns from a pattern, a compiled pattern or a list of either."""
    items = list(pattern) if isinstance(pattern, (list, tuple)) else [pattern]
    if not items:
        raise ParameterError("the list of patterns is empty", hint='give at least one pattern, e.g. "Diktator*"')
    return [
        item if isinstance(item, TokenPattern)
        else compile_pattern(item, valuetype=valuetype, case_insensitive=case_insensitive)
        for item in items
    ]
