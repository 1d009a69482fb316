"""German tokens, sentences, lemmas, stems and stop words — offline and regex-based.

The tokenizer is one compiled regular expression applied left to right plus a few
context checks on trailing periods; sentences are derived from the token stream, so
token and sentence boundaries always agree. Everything runs in linear time and needs no
downloaded data: lemmas come from ``simplemma`` (German), stems from Snowball's German
stemmer (PyStemmer) and stop words from the ``stop-words`` package.

Design decisions
----------------
* Hyphenated compounds are one token ("Kim-Il-Sung-Platz", "russisch-nordkoreanische").
* Suspended hyphens keep their hyphen: "Staats- und Regierungschefs" gives "Staats-",
  "und", "Regierungschefs"; likewise the trailing form "Ein- und -ausfuhr" gives "-ausfuhr".
* A period belongs to the word before it when that word is in :data:`ABBREVIATIONS` or is a
  single letter ("z. B.", "J. R. R. Tolkien"); a single letter at the end of a line keeps its
  period separate.
* A period belongs to the number before it (an ordinal or date, "am 79. Tag",
  "20. Juni") when the next word is lower-case, a month name, or a capitalised word after a
  typical ordinal cue such as "am", "im", "der", "seinem" (see :data:`ORDINAL_CUES`).
  "im Februar 2022. Sie" therefore keeps "." as its own token. A number of one or two digits
  that begins a text or line or follows a sentence end (".", "!", "?", "…") keeps its period
  as well: it numbers a list item ("… fest. 2. Soziale Bewegungen …").
* Two or more hyphen-minus signs ("--", a dash typed in ASCII) are one ``punct`` token.
* URLs, e-mail addresses and bare domains with a common top-level domain ("spiegel.de") are
  single ``symbol`` tokens.
* Every non-space character ends up in exactly one token; anything the rules do not know
  becomes a one-character ``symbol`` token (combining marks stay with their base).

The tokens table produced by :func:`tokenize` is described in ``docs/pipeline.md``.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from importlib import resources
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.io.tables import check_documents

__all__ = [
    "ABBREVIATIONS",
    "KINDS",
    "RUNNING_WORD_KINDS",
    "RUNNING_WORDS_COLUMN",
    "MONTHS",
    "ORDINAL_CUES",
    "TOKEN_COLUMNS",
    "SENTENCE_COLUMNS",
    "Token",
    "german_stopwords",
    "lemmatize_word",
    "lemma_is_form",
    "sentences",
    "split_sentences",
    "stem_word",
    "tokenize",
    "tokenize_text",
]

#: Token kinds, in the order of the categories of the ``kind`` column.
KINDS: tuple[str, ...] = ("word", "number", "punct", "quote", "symbol")
#: Token kinds that are running words: the denominator of every rate and the totals of every
#: count (docs/pipeline.md, "Running words").
RUNNING_WORD_KINDS = frozenset({"word", "number"})
#: Optional tokens-table column: the running words a token stands for (1 for a word or number,
#: 0 for punctuation, all the words of a merged mention; see
#: :func:`analysis.framing.entities.canonical_tokens`). Counts and rates read it when present.
RUNNING_WORDS_COLUMN = "running_words"

#: Columns of the tokens table returned by :func:`tokenize`.
TOKEN_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "token_id", "token", "start", "end", "kind", "lemma", "stem", "is_stop",
)

#: Columns of the sentence table returned by :func:`sentences`.
SENTENCE_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "start", "end", "sentence")

_ABBREVIATION_TEXT = """
z. b. | u. a. | d. h. | o. ä. | u. u. | v. a. | s. o. | s. u. | i. d. r. | z. t. | m. e. | o. g. | u. ä.
z.b. | u.a. | d.h. | o.ä. | u.u. | v.a. | s.o. | s.u. | i.d.r. | z.t. | m.e. | o.g. | u.ä. | e.v. | u.s.
abb. | abg. | abk. | abs. | abt. | allg. | anh. | anm. | apr. | aug. | bd. | betr. | bez. | bsp. | bspw.
bzgl. | bzw. | ca. | chr. | co. | dez. | dipl. | dr. | dt. | ebd. | ehem. | einschl. | engl. | erg.
etc. | ev. | evang. | evtl. | feb. | ff. | frz. | geb. | gegr. | gem. | ges. | gest. | ggf. | hbf.
hl. | hrsg. | inc. | ing. | inkl. | insb. | jh. | jhd. | jr. | kap. | kath. | lt. | ltd. | med.
min. | mio. | mr. | mrd. | mrs. | ms. | mwst. | nat. | nov. | nr. | okt. | orig. | phil. | pkt.
prof. | rd. | sept. | sog. | st. | std. | stellv. | str. | stv. | tel. | tsd. | ugs. | urspr. | usf.
usw. | verh. | vgl. | vors. | vs. | zit. | zzgl.
"""
#: German abbreviations that keep their period, lower-cased. Each entry is written as it
#: appears in text; multi-part entries such as ``"z. b."`` are matched part by part
#: (``"z."`` and ``"b."``) and glued forms such as ``"z.b."`` as one token. Any single
#: letter followed by a period is treated as an abbreviation or initial as well, so
#: "u. a.", "d. h." and "J. R. R. Tolkien" need no entry. Lookup is case-insensitive.
#: Words that are also ordinary German words or names ("Art", "Max", "Jan", "Gen") are
#: deliberately left out, because a sentence-final period after them would be swallowed.
ABBREVIATIONS: frozenset[str] = frozenset(
    entry.strip() for entry in _ABBREVIATION_TEXT.replace("\n", "|").split("|") if entry.strip()
)

#: Month names and their abbreviations (lower-case, abbreviations without period). A
#: number followed by a period and a month name is a date ("20. Juni").
MONTHS: frozenset[str] = frozenset(
    "januar jänner februar feber märz april mai juni juli august september oktober november dezember "
    "jan feb mär mrz apr jun jul aug sep sept okt nov dez".split()
)

#: Words (lower-case) that, directly before "<number>.", make the number an ordinal even when
#: the next word is capitalised: "am 79. Tag", "der 2. Weltkrieg", "seinem 70. Geburtstag".
ORDINAL_CUES: frozenset[str] = frozenset(
    "am im zum vom beim ins ans aufs zur der die das dem den des "
    "ihr ihre ihrem ihren ihrer ihres sein seine seinem seinen seiner seines "
    "unser unsere unserem unseren unserer unseres jeder jede jedes jedem jeden "
    "dieser diese dieses diesem diesen".split()
)

# Abbreviations as single tokens ("bzw.", "z.b."); the single letters of multi-part entries
# ("z. b.") are left to the single-letter rule, which does not take a period at a line end.
_ABBREVIATION_TOKENS = frozenset(part for entry in ABBREVIATIONS for part in entry.split() if len(part) > 2)

_WORD, _NUMBER, _PUNCT, _QUOTE, _SYMBOL = range(5)


class Token(NamedTuple):
    """One token of a text.

    Attributes
    ----------
    text : str
        The surface form; always ``source[start:end]``.
    start, end : int
        Character offsets into the source text.
    kind : str
        One of ``"word"``, ``"number"``, ``"punct"``, ``"quote"``, ``"symbol"``.

    Examples
    --------
    >>> Token("Putin", 0, 5, "word").text
    'Putin'
    """

    text: str
    start: int
    end: int
    kind: str


# --------------------------------------------------------------------------------------
# The token pattern
# --------------------------------------------------------------------------------------


def _mark_ranges() -> list[tuple[int, int]]:
    """Code-point ranges of all combining marks (Mn, Mc, Me) in planes 0-1 and the
    variation selectors supplement."""
    ranges: list[tuple[int, int]] = []
    for code in list(range(0x20000)) + list(range(0xE0100, 0xE01F0)):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return ranges


def _class_body(ranges) -> str:
    return "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)


_MARK_RANGES = _mark_ranges()
# All marks: used after symbols (emoji modifiers, stray accents).
_ALL_MARKS = _class_body(_MARK_RANGES)
# Marks inside words: only the Basic Multilingual Plane, so that the class compiles to a
# bitmap (a class with astral ranges is searched range by range, which is much slower),
# plus soft hyphen, zero-width non-joiner and zero-width joiner.
_WORD_MARKS = _class_body([(lo, min(hi, 0xFFFF)) for lo, hi in _MARK_RANGES if lo <= 0xFFFF]) + (
    "\u00ad\u200c\u200d"
)
_ALNUM = r"[^\W_]"
# A run of letters/digits with inner combining marks, e.g. "Putin", "e\u0301".
_RUN = rf"[^\W_]+(?:[{_WORD_MARKS}]+[^\W_]*)*"
_HYPHEN = "\\-\u2010\u2011"
_QUOTES = "\"'\u201e\u201c\u201d\u00bb\u00ab\u201a\u2018\u2019\u2039\u203a\u201f\u201b"
# A compound part: a run, or a number with separators and an optional suffix ("1.000er").
_SEGMENT = rf"(?:\d+(?:[.,:]\d+)+(?:[^\W_]*(?:[{_WORD_MARKS}]+[^\W_]*)*)|{_RUN})"
# Compound parts are joined by hyphens; an apostrophe joins only before a letter ("geht's").
_JOINER = rf"(?:[{_HYPHEN}]|['\u2019](?=[^\W\d_]))"
_CONJUNCTIONS = r"(?:und|oder|bis|sowie|bzw\.|beziehungsweise|respektive|noch|wie|als|u\.|o\.|&)"
_SUSPENDED = rf"[{_HYPHEN}](?=\s*[,/]|\s+{_CONJUNCTIONS}(?=\s))"
_PREFIX_CUES = "|".join(
    rf"(?<=\b{re.escape(cue)}\s)" for cue in ("und", "oder", "bis", "sowie", "bzw.", "wie", "noch", "u.")
)
_URL_STOP = rf"\s<>{_QUOTES}"
_URL_TAIL = rf"(?:[^{_URL_STOP}]*[^{_URL_STOP}.,;:!?()\[\]])"
_TLDS = "de|at|ch|li|lu|eu|com|org|net|info|io|ru|ua|uk|fr|it|nl|pl|tv|fm|gov|edu"

# Alternatives are tried in order at each position; the first that matches wins. The last
# one takes any non-space character, so every non-space character lands in a token.
_TOKEN_PATTERN = "|".join(
    [
        # URLs, trailing sentence punctuation and closing brackets excluded.
        rf"(?P<url>(?i:(?:https?|ftp)://|www\.){_URL_TAIL})",
        # Glued initialisms: "z.B.", "U.S.A.", "e.V."
        r"(?P<initialism>(?:[^\W\d_]\.){2,})",
        # Numbers: 2024, 1.000, 3,5, 12:15, 10'000, ranges 1950-1953 / 1950–1953;
        # not when letters follow ("5G", "18-Jährige", "1950er" are words).
        rf"(?P<number>\d+(?:[.,:]\d+|['\u2019]\d{{3}}(?!\d))*(?:[{_HYPHEN}\u2013]\d+(?:[.,:]\d+)*)*"
        rf"(?![^\W_]|[{_WORD_MARKS}]|[{_HYPHEN}'\u2019][^\W_]|[.,:]\d))",
        # Words, hyphenated compounds, inner apostrophes, suspended hyphen "Staats-".
        rf"(?P<word>{_SEGMENT}(?:{_JOINER}{_SEGMENT})*(?:{_SUSPENDED})?)",
        # Trailing part of a suspended compound: "Ein- und -ausfuhr".
        rf"(?P<prefixed>(?=[{_HYPHEN}])(?:{_PREFIX_CUES})[{_HYPHEN}](?=[a-zäöüß]){_SEGMENT}"
        rf"(?:{_JOINER}{_SEGMENT})*)",
        rf"(?P<quote>[{_QUOTES}])",
        r"(?P<punct>\.{2,}|-{2,}|[.,;:!?¡¿()\[\]{}\u2012-\u2015\u2026/" + _HYPHEN + "])",
        # Anything else, with its combining marks, skin-tone modifiers and ZWJ sequences.
        rf"(?P<symbol>\S(?:[{_ALL_MARKS}\U0001F3FB-\U0001F3FF]|\u200d\S)*)",
    ]
)
_TOKEN_RE = re.compile(_TOKEN_PATTERN)
# Kind of each alternative by group number (lastindex); the pattern has no other groups.
_KIND_OF_GROUP = (None, _SYMBOL, _WORD, _NUMBER, _WORD, _WORD, _QUOTE, _PUNCT, _SYMBOL)
# E-mail addresses and bare domains ("spiegel.de/politik"), tried at the start of a word or
# number that is followed by one of "@._+". They must not end where a token could go on,
# and they start only after a character that cannot be part of them (which also keeps the
# scan linear on long runs such as "a.b.a.b...").
_LINK_RE = re.compile(
    rf"(?<![\w.+\-@/])(?:[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    rf"|{_ALNUM}[\w\-]*(?:\.[\w\-]+)*\.(?:{_TLDS})(?![\w\-]|\.[^\W_])(?:/{_URL_TAIL})?)"
    rf"(?![\w\-{_WORD_MARKS}'\u2019]|[.,:]\w)"
)
_LINK_TRIGGERS = frozenset("@._+")
_ORDINAL_BODY_RE = re.compile(r"\d{1,4}|\d{1,2}\.\d{1,2}")
_ENUMERATOR_RE = re.compile(r"\d{1,2}")
_NEXT_WORD_RE = re.compile(r"[ \t\u00a0\u202f]+([^\W\d_]+)")
_LINE_END_RE = re.compile(r"[ \t\u00a0\u202f]*(?:[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|\Z)")
_LINE_BREAK_RE = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_TERMINALS = frozenset({".", "!", "?", "\u2026"})
_CLOSERS = frozenset({")", "]"})
_OPENERS = frozenset({"(", "["})
_SENTENCE_TAILS = _TERMINALS | _CLOSERS


def _check_text(text, name: str = "text") -> None:
    if not isinstance(text, str):
        raise ParameterError(
            f"{name} must be a str, got {type(text).__name__}",
            hint="pass the document text as a Python string",
        )


def _is_ordinal(text: str, body: str, period: int, previous: str, sentence_start: bool = False) -> bool:
    """Whether the period at ``text[period]`` after the number ``body`` marks an ordinal.

    ``previous`` is the token before the number when it is a word, else "". ``sentence_start``
    says that the number begins a text or line or follows ``.``, ``!``, ``?`` or ``…``: then a
    number of one or two digits is the enumerator of a list item ("2. Soziale Bewegungen").
    """
    if not _ORDINAL_BODY_RE.fullmatch(body):
        return False
    following = _NEXT_WORD_RE.match(text, period + 1)
    if following is None:
        return False
    word = following.group(1)
    if word[0].islower() or word.lower() in MONTHS:
        return True
    if sentence_start and _ENUMERATOR_RE.fullmatch(body):
        return True
    return previous.lower() in ORDINAL_CUES


def _scan(text: str) -> tuple[list[str], list[int], list[int], list[int]]:
    """Tokenize ``text`` into parallel lists (texts, starts, ends, kind codes)."""
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[int] = []
    add_text, add_start, add_end, add_kind = texts.append, starts.append, ends.append, kinds.append
    n = len(text)
    kind_of = _KIND_OF_GROUP
    triggers = _LINK_TRIGGERS
    absorbed = -1  # offset of a period already attached to the token before it
    position = 0
    while position is not None:
        resume = None
        for match in _TOKEN_RE.finditer(text, position):
            start, end = match.span()
            if start == absorbed:
                continue
            kind = kind_of[match.lastindex]
            token = match.group()
            if kind < 2 and end < n and text[end] in triggers:  # a word or number before "@._+"
                link = _LINK_RE.match(text, start)
                if link is not None and link.end() > end:
                    # An e-mail address or domain: one symbol token, then rescan after it.
                    add_text(link.group())
                    add_start(start)
                    add_end(link.end())
                    add_kind(_SYMBOL)
                    resume = link.end()
                    break
                if text[end] == "." and (end + 1 == n or text[end + 1] != "."):
                    if kind == _WORD:
                        take = token.lower() + "." in _ABBREVIATION_TOKENS or (
                            len(token) == 1 and token.isalpha() and not _LINE_END_RE.match(text, end + 1)
                        )
                    else:
                        glued = kinds and kinds[-1] == _WORD
                        opens = not texts or texts[-1] in _TERMINALS or _LINE_BREAK_RE.search(
                            text, ends[-1], start) is not None
                        take = _is_ordinal(text, token, end, texts[-1] if glued else "", opens)
                    if take:
                        absorbed = end
                        end += 1
                        token += "."
            add_text(token)
            add_start(start)
            add_end(end)
            add_kind(kind)
        position = resume
    return texts, starts, ends, kinds


# --------------------------------------------------------------------------------------
# The batch scanner: the same rules over arrays
# --------------------------------------------------------------------------------------
# ``_scan`` above walks a text token by token in Python (about 3 µs a token). For corpora the
# work is split instead: one C-level ``re.split`` per text yields every token and every gap
# between tokens, token attributes are computed once per distinct form, and the context rules
# (periods of abbreviations and ordinals, sentence ends) run as array operations on the few
# positions where they can apply. Texts that contain an e-mail address or bare domain, which
# need a rescan after the link, go through ``_scan``; the tests check that both give the same
# tokens and sentences.

# Each alternative of the pattern starts with a guard on its first character, so that
# positions where it cannot match fail at once (same tokens; about 15 % faster).
_GUARDED_PATTERN = (
    _TOKEN_PATTERN.replace("(?P<url>", "(?P<url>(?=[hHfFwW])", 1)
    .replace("(?P<initialism>", "(?P<initialism>(?=[^\\W\\d_]\\.)", 1)
    .replace("(?P<number>", "(?P<number>(?=\\d)", 1)
)
# One capturing group around the whole pattern: ``split`` then alternates gap, token, gap, ...
_SPLIT_RE = re.compile("(" + re.sub(r"\(\?P<\w+>", "(?:", _GUARDED_PATTERN) + ")")
_URL_FULL_RE = re.compile(rf"(?i:(?:https?|ftp)://|www\.){_URL_TAIL}")
_NUMBER_FULL_RE = re.compile(
    rf"\d+(?:[.,:]\d+|['\u2019]\d{{3}}(?!\d))*(?:[{_HYPHEN}\u2013]\d+(?:[.,:]\d+)*)*\.?"
)
_PUNCT_FULL_RE = re.compile(r"\.{2,}|-{2,}|[.,;:!?¡¿()\[\]{}\u2012-\u2015\u2026/" + _HYPHEN + "]")
# A necessary condition for ``_LINK_RE``: an "@" or a common top-level domain after a period.
_LINK_HINT_RE = re.compile(rf"@|\.(?:{_TLDS})(?![\w\-])")
_QUOTE_SET = frozenset(_QUOTES)
_HYPHEN_SET = frozenset(_HYPHEN)
_HYPHEN_CHARS = frozenset(_HYPHEN.replace("\\", ""))  # without the escape of the pattern
_LOWER_SET = frozenset("abcdefghijklmnopqrstuvwxyzäöüß")


def form_kind(form: str) -> int:
    """Kind code (index into :data:`KINDS`) of a token form, from its shape alone.

    A form always has the same kind wherever the tokenizer produces it, so the kind is an
    attribute of the word type.
    """
    first = form[0]
    if len(form) == 1 and first in _QUOTE_SET:
        return _QUOTE
    if _PUNCT_FULL_RE.fullmatch(form):
        return _PUNCT
    if first.isalnum() and first != "_" or (first in _HYPHEN_SET and len(form) > 1 and form[1].isalnum()):
        if _URL_FULL_RE.fullmatch(form):
            return _SYMBOL
        return _NUMBER if _NUMBER_FULL_RE.fullmatch(form) else _WORD
    return _SYMBOL


class TypeFlags(NamedTuple):
    """Per-type attributes the batch scanner's context rules read (arrays over forms).

    Attributes needed only at the few positions where a rule can apply (abbreviations,
    initials, glued periods) are computed there instead: see :func:`_at`.
    """

    kind: np.ndarray
    period: np.ndarray  # exactly "."
    terminal: np.ndarray  # in _TERMINALS
    tail: np.ndarray  # in _SENTENCE_TAILS, a quote, or starts with ".."
    ellipsis: np.ndarray  # starts with ".."
    closer_or_quote: np.ndarray
    opener: np.ndarray
    starts_upper: np.ndarray
    starts_digit: np.ndarray


_SPECIAL_FORMS = tuple(sorted(_TERMINALS | _CLOSERS | _OPENERS | {"."}))


def _kinds(forms) -> np.ndarray:
    """Kind codes of forms: letters only are words and decimal digits only are numbers
    (what :func:`form_kind` says of them, at C speed); the rest asks :func:`form_kind`."""
    n = len(forms)
    kind = np.full(n, _WORD, dtype=np.int8)
    alpha = np.fromiter(map(str.isalpha, forms), dtype=bool, count=n)
    decimal = np.fromiter(map(str.isdecimal, forms), dtype=bool, count=n)
    kind[decimal] = _NUMBER
    for i in np.flatnonzero(~alpha & ~decimal).tolist():
        kind[i] = form_kind(forms[i])
    return kind


def type_flags(forms) -> TypeFlags:
    """Compute :class:`TypeFlags` for a sequence of distinct forms."""
    n = len(forms)
    kind = _kinds(forms)
    # The few special forms are looked up by hash, not compared with every form.
    where = pd.Index(list(forms), dtype=object).get_indexer(list(_SPECIAL_FORMS)) if n else []

    def member(names) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        hits = [i for form, i in zip(_SPECIAL_FORMS, list(where)) if i >= 0 and form in names]
        mask[hits] = True
        return mask

    ellipsis = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(kind == _PUNCT).tolist():
        ellipsis[i] = forms[i].startswith("..")
    is_quote = kind == _QUOTE
    first = [f[0] for f in forms]
    return TypeFlags(
        kind=kind,
        period=member({"."}),
        terminal=member(_TERMINALS),
        tail=member(_SENTENCE_TAILS) | ellipsis | is_quote,
        ellipsis=ellipsis,
        closer_or_quote=member(_CLOSERS) | is_quote,
        opener=member(_OPENERS),
        starts_upper=np.fromiter(map(str.isupper, first), dtype=bool, count=n),
        starts_digit=np.fromiter(map(str.isdigit, first), dtype=bool, count=n),
    )


def _at(vocabulary, type_ids, test) -> np.ndarray:
    """``test(form)`` for the forms of some type ids (a rule's candidate positions), asked
    once per distinct type."""
    distinct, inverse = np.unique(np.asarray(type_ids, dtype=np.int64), return_inverse=True)
    answers = np.fromiter((test(vocabulary[t]) for t in distinct.tolist()), dtype=bool, count=len(distinct))
    return answers[inverse.reshape(-1)]


def _is_abbreviation(form: str) -> bool:
    return form.lower() + "." in _ABBREVIATION_TOKENS


def _is_single_letter(form: str) -> bool:
    return len(form) == 1 and form.isalpha()


def _ends_in_two_lower(form: str) -> bool:
    return len(form) >= 2 and form[-1].islower() and form[-2].islower()


def _extend_flags(flags: TypeFlags, forms) -> TypeFlags:
    more = type_flags(forms)
    return TypeFlags(*(np.concatenate([a, b]) for a, b in zip(flags, more)))


class ScannedBatch(NamedTuple):
    """Tokens of a batch of texts as arrays over a batch-local vocabulary.

    Attributes
    ----------
    forms : list of str
        The distinct token forms of the batch; ``type_ids`` index into it.
    type_ids, starts, ends, sentence_ids : numpy.ndarray
        One entry per token, texts one after another; offsets are into each text,
        sentence numbers restart at 0 in each text.
    counts : numpy.ndarray
        Number of tokens of each text.
    """

    forms: list
    type_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    sentence_ids: np.ndarray
    counts: np.ndarray


def _has_link(text: str) -> bool:
    return _LINK_HINT_RE.search(text) is not None and _LINK_RE.search(text) is not None


def scan_texts(texts) -> ScannedBatch:
    """Tokenize and sentence-split many texts at once (see :func:`tokenize_text` for the rules).

    Parameters
    ----------
    texts : sequence of str

    Returns
    -------
    ScannedBatch

    Examples
    --------
    >>> batch = scan_texts(["Er kam am 20. Juni. Sie blieb.", "z. B. hier"])
    >>> [batch.forms[i] for i in batch.type_ids]
    ['Er', 'kam', 'am', '20.', 'Juni', '.', 'Sie', 'blieb', '.', 'z.', 'B.', 'hier']
    >>> batch.sentence_ids.tolist()
    [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0]
    """
    slow: dict[int, tuple] = {}
    texts = texts if isinstance(texts, list) else list(texts)  # read twice: scanned, then the rules
    for number, text in enumerate(texts):
        _check_text(text)
        if _has_link(text):
            slow[number] = _scan(text)
    n_docs = len(texts)
    split = _split_batch(texts, [number for number in range(n_docs) if number not in slow])
    vocabulary, codes, starts, ends, gap_len, line_break, counts, _ = split
    first = np.zeros(len(codes), dtype=bool)
    first[(np.cumsum(counts) - counts)[counts > 0]] = True
    doc_of = np.repeat(np.arange(n_docs), counts)
    flags = type_flags(vocabulary)
    glued = (gap_len == 0) & ~first  # token i touches token i-1

    # Periods that belong to the word or number before them.
    kind = flags.kind[codes]
    nxt = np.flatnonzero(flags.period[codes[1:]] & glued[1:] & (kind[:-1] <= _NUMBER))
    # ``_scan`` looks at text[end + 1]: a period followed by another period is "..", never ".".
    take = np.zeros(len(nxt), dtype=bool)
    words = kind[nxt] == _WORD
    abbrev = words.copy()
    abbrev[words] = _at(vocabulary, codes[nxt[words]], _is_abbreviation)
    take |= abbrev
    letters = words & ~abbrev
    letters[letters] = _at(vocabulary, codes[nxt[letters]], _is_single_letter)
    for k in np.flatnonzero(letters):
        i = nxt[k]
        take[k] = not _LINE_END_RE.match(texts[doc_of[i]], int(ends[i]) + 1)
    taken = set(nxt[take].tolist())  # tokens that take the period after them, in order
    for k in np.flatnonzero(~words):
        i = nxt[k]
        text = texts[doc_of[i]]
        previous = vocabulary[codes[i - 1]] if not first[i] and kind[i - 1] == _WORD else ""
        # A list item's number: at the start of a text or line, or after a sentence end (a
        # period taken by the token before it is no sentence end).
        opens = bool(first[i] or line_break[i]) or (
            bool(flags.terminal[codes[i - 1]]) and (i - 2) not in taken)
        take[k] = _is_ordinal(text, vocabulary[codes[i]], int(ends[i]), previous, opens)
        if take[k]:
            taken.add(int(i))
    absorbing = nxt[take]
    if len(absorbing):
        # The form with its period, once per distinct form: found in the vocabulary or added.
        bodies, inverse = np.unique(codes[absorbing], return_inverse=True)
        with_period = [vocabulary[t] + "." for t in bodies.tolist()]
        found = pd.Index(vocabulary, dtype=object).get_indexer(with_period)
        added = [form for form, at in zip(with_period, found.tolist()) if at < 0]
        found[found < 0] = len(vocabulary) + np.arange(len(added))
        vocabulary.extend(added)
        codes[absorbing] = found[inverse.reshape(-1)]
        ends[absorbing] += 1
        keep = np.ones(len(codes), dtype=bool)
        keep[absorbing + 1] = False
        codes, starts, ends, first, doc_of = codes[keep], starts[keep], ends[keep], first[keep], doc_of[keep]
        line_break = line_break[keep]
        counts = np.bincount(doc_of, minlength=n_docs).astype(np.int64)
        if added:
            flags = _extend_flags(flags, added)
        glued = np.concatenate([[False], ends[:-1] == starts[1:]]) & ~first

    sentence_ids = _batch_sentence_ids(codes, flags, glued, first, line_break, vocabulary)
    if slow:
        batch = _with_slow_texts(vocabulary, codes, starts, ends, sentence_ids, counts, slow, n_docs, texts)
    else:
        batch = ScannedBatch(vocabulary, codes.astype(np.int32), starts.astype(np.int32), ends.astype(np.int32),
                             sentence_ids, counts)
    if slow or len(absorbing) or split.reordered:
        batch = _in_first_occurrence_order(batch)
    return batch


class _Split(NamedTuple):
    vocabulary: list
    codes: np.ndarray  # type id of each token
    starts: np.ndarray  # offsets within each text
    ends: np.ndarray
    gap_len: np.ndarray  # length of the white space before each token
    line_break: np.ndarray  # a line break in that white space
    counts: np.ndarray  # tokens of each text (0 for the texts not split here)
    reordered: bool  # the vocabulary is not in order of first occurrence


_WHITE_SPLIT = re.compile(r"(\s+)").split
# Tokens of chunks met before, per process: a corpus repeats its chunks ("die", "Putin,")
# far more often than it adds new ones. Emptied when full, so memory stays bounded.
_CHUNK_TOKENS: dict[str, tuple] = {}
_CHUNK_MEMO_SIZE = 200_000
_IN_CONTEXT = ()  # memo value of a chunk that is tokenized where it stands


def _chunk_tokens(chunk: str) -> tuple:
    """The tokens of a chunk (a maximal run of non-space characters), or ``_IN_CONTEXT``.

    No token spans white space, and the token pattern looks past a chunk only at a hyphen:
    a hyphen at its end may suspend a compound ("Staats- und"), a hyphen at its start may
    continue one ("Ein- und -ausfuhr"). Such chunks are tokenized in their text; every
    other chunk is tokenized alike wherever it occurs.
    """
    if len(chunk) > 1 and (chunk[-1] in _HYPHEN_CHARS or chunk[0] in _HYPHEN_CHARS and chunk[1] in _LOWER_SET):
        forms = _IN_CONTEXT
    else:
        forms = tuple(_SPLIT_RE.split(chunk)[1::2])  # the gaps between them are empty
    if len(_CHUNK_TOKENS) >= _CHUNK_MEMO_SIZE:
        _CHUNK_TOKENS.clear()
    _CHUNK_TOKENS[chunk] = forms
    return forms


def _split_batch(texts, numbers) -> _Split:
    """Tokens of the texts ``numbers``, with their offsets and the white space before them.

    What one ``_SPLIT_RE.split`` per text gives, computed once per distinct chunk between
    white space instead of once per token: a text is split at white space (a simple
    pattern, several times faster than the token pattern), the distinct chunks of the batch
    are tokenized (or found in :data:`_CHUNK_TOKENS`), and their tokens are laid out over
    the chunks' occurrences as arrays. Chunks that depend on their context are tokenized
    where they stand. The tests compare the result with the whole-text split.
    """
    chunks: list[str] = []
    white: list[str] = []
    per_text = np.zeros(len(numbers), dtype=np.int64)
    for k, number in enumerate(numbers):
        parts = _WHITE_SPLIT(texts[number])  # chunk, white, chunk, ..., chunk
        chunks.extend(parts[0::2])
        white.append("")  # nothing before the first chunk of a text
        white.extend(parts[1::2])
        per_text[k] = (len(parts) + 1) // 2
    # Lengths and line breaks once per distinct chunk and white space.
    chunk_codes, distinct = pd.factorize(pd.Series(chunks, dtype=object), sort=False)
    del chunks
    chunk_codes = chunk_codes.astype(np.int64)
    distinct = distinct.tolist()
    chunk_len = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))[chunk_codes]
    white_codes, white_distinct = pd.factorize(pd.Series(white, dtype=object), sort=False)
    del white
    white_distinct = white_distinct.tolist()
    white_len = np.fromiter(map(len, white_distinct), dtype=np.int64, count=len(white_distinct))[white_codes]
    white_breaks = np.fromiter((_LINE_BREAK_RE.search(w) is not None for w in white_distinct), dtype=bool,
                               count=len(white_distinct))[white_codes]
    # Offset of each chunk in its text.
    chunk_end = np.cumsum(white_len + chunk_len)
    text_start = np.concatenate([[0], chunk_end])[np.cumsum(per_text) - per_text]
    chunk_start = chunk_end - chunk_len - np.repeat(text_start, per_text)
    chunk_text = np.repeat(np.asarray(numbers, dtype=np.int64), per_text)

    found = list(map(_CHUNK_TOKENS.get, distinct))
    for u in [u for u, forms in enumerate(found) if forms is None]:
        found[u] = _chunk_tokens(distinct[u])
    context = [u for u, forms in enumerate(found) if forms is _IN_CONTEXT]
    if context:
        # Each occurrence of a context chunk becomes a chunk of its own, tokenized in its text.
        where = np.flatnonzero(np.isin(chunk_codes, context))
        for occurrence in where.tolist():
            text = texts[chunk_text[occurrence]]
            begin = int(chunk_start[occurrence])
            stop = begin + int(chunk_len[occurrence])
            forms = []
            for match in _SPLIT_RE.finditer(text, begin):
                if match.start() >= stop:
                    break
                forms.append(match.group())
            found.append(tuple(forms))
        chunk_codes[where] = len(distinct) + np.arange(len(where))
    n_tokens = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    flat_forms = list(itertools.chain.from_iterable(found))
    del found
    # In order of first occurrence: the distinct chunks are (context chunks aside).
    flat_codes, vocabulary = pd.factorize(pd.Series(flat_forms, dtype=object), sort=False)
    flat_ids_array = flat_codes.astype(np.int64)
    flat_len_array = np.fromiter(map(len, flat_forms), dtype=np.int64, count=len(flat_forms))
    vocabulary = vocabulary.tolist()
    del flat_forms
    pointer = np.cumsum(n_tokens) - n_tokens  # first flat token of each chunk
    # Offset of each token in its chunk.
    flat_offset = np.cumsum(flat_len_array) - flat_len_array
    flat_offset -= np.repeat(flat_offset[pointer[n_tokens > 0]], n_tokens[n_tokens > 0])

    # Lay the chunks' tokens out over their occurrences.
    occurrence_tokens = n_tokens[chunk_codes]
    total = int(occurrence_tokens.sum())
    occurrence_first = np.cumsum(occurrence_tokens) - occurrence_tokens
    flat = np.repeat(pointer[chunk_codes] - occurrence_first, occurrence_tokens) + np.arange(total)
    codes = flat_ids_array[flat]
    starts = np.repeat(chunk_start, occurrence_tokens) + flat_offset[flat]
    ends = starts + flat_len_array[flat]
    # White space only before the first token of a chunk.
    has_tokens = occurrence_tokens > 0
    gap_len = np.zeros(total, dtype=np.int64)
    gap_len[occurrence_first[has_tokens]] = white_len[has_tokens]
    line_break = np.zeros(total, dtype=bool)
    line_break[occurrence_first[has_tokens]] = white_breaks[has_tokens]
    counts = np.bincount(chunk_text, weights=occurrence_tokens, minlength=len(texts)).astype(np.int64)
    return _Split(vocabulary, codes, starts, ends, gap_len, line_break, counts, bool(context))


def _in_first_occurrence_order(batch: ScannedBatch) -> ScannedBatch:
    """Renumber the vocabulary of a batch in order of first occurrence.

    Forms made by absorbing a period, and forms of texts scanned one by one, are appended to
    the vocabulary as they are met; renumbering makes the order a property of the texts
    alone, so the corpus's type ids do not depend on how it was split into batches.
    """
    if not len(batch.type_ids):
        return batch
    present, first_seen = np.unique(batch.type_ids, return_index=True)
    order = present[np.argsort(first_seen, kind="stable")]
    new_id = np.empty(len(batch.forms), dtype=np.int32)
    new_id[order] = np.arange(len(order), dtype=np.int32)
    forms = [batch.forms[i] for i in order.tolist()]
    return batch._replace(forms=forms, type_ids=new_id[batch.type_ids])


def _batch_sentence_ids(codes, flags: TypeFlags, glued, first, line_break, vocabulary) -> np.ndarray:
    """Sentence numbers of the tokens of a batch (the rules of ``_sentence_ids``, as arrays)."""
    n = len(codes)
    if n == 0:
        return np.empty(0, dtype=np.int32)
    kind = flags.kind[codes]
    breaks = np.zeros(n, dtype=bool)
    inner = ~first
    # Glued period: "Geschenke.Dies".
    i = np.flatnonzero(glued[2:] & (kind[2:] == _WORD) & flags.starts_upper[codes[2:]]) + 2
    i = i[flags.terminal[codes[i - 1]] & (kind[i - 2] == _WORD) & glued[i - 1] & ~first[i - 1]]
    i = i[_at(vocabulary, codes[i - 2], _ends_in_two_lower)]
    breaks[i] = True
    # A line break in the gap.
    spaced = inner & ~glued
    breaks |= spaced & line_break
    # Terminal punctuation, maybe behind glued closing quotes or brackets, then a capital,
    # digit, quote or opening bracket.
    i = np.flatnonzero(spaced & ~line_break)
    i = i[flags.tail[codes[i - 1]] & (flags.starts_upper[codes[i]] | flags.starts_digit[codes[i]]
                                      | (kind[i] == _QUOTE) | flags.opener[codes[i]])]
    j = i - 1
    decided = np.zeros(len(j), dtype=bool)
    result = np.zeros(len(j), dtype=bool)
    for _ in range(4):
        open_ = ~decided
        closer = open_ & flags.closer_or_quote[codes[j]]
        stop = closer & (first[j] | ~glued[j])
        decided |= stop
        ends_here = open_ & ~closer
        result |= ends_here & (kind[j] == _PUNCT) & (flags.terminal[codes[j]] | flags.ellipsis[codes[j]])
        decided |= ends_here
        j = np.where(closer & ~stop, j - 1, j)
    breaks[i[result]] = True
    breaks[first] = False
    sid = np.cumsum(breaks, dtype=np.int64)
    base = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    return (sid - sid[base]).astype(np.int32)


def _with_slow_texts(vocabulary, codes, starts, ends, sentence_ids, counts, slow, n_docs, texts):
    """Splice the tokens of texts scanned by ``_scan`` into a batch, in text order."""
    index = {form: i for i, form in enumerate(vocabulary)}
    pieces = {k: [] for k in ("codes", "starts", "ends", "sids")}
    offsets = np.concatenate([[0], np.cumsum(counts)])
    out_counts = counts.copy()
    for number in range(n_docs):
        if number in slow:
            t_texts, t_starts, t_ends, t_kinds = slow[number]
            ids = []
            for form in t_texts:
                if form not in index:
                    index[form] = len(vocabulary)
                    vocabulary.append(form)
                ids.append(index[form])
            pieces["codes"].append(np.asarray(ids, dtype=np.int64))
            pieces["starts"].append(np.asarray(t_starts, dtype=np.int64))
            pieces["ends"].append(np.asarray(t_ends, dtype=np.int64))
            pieces["sids"].append(np.asarray(_sentence_ids(texts[number], t_texts, t_starts, t_ends, t_kinds),
                                             dtype=np.int64))
            out_counts[number] = len(ids)
        else:
            a, b = offsets[number], offsets[number + 1]
            pieces["codes"].append(codes[a:b])
            pieces["starts"].append(starts[a:b])
            pieces["ends"].append(ends[a:b])
            pieces["sids"].append(sentence_ids[a:b])
    joined = {k: np.concatenate(v) if v else np.empty(0, np.int64) for k, v in pieces.items()}
    return ScannedBatch(vocabulary, joined["codes"].astype(np.int32), joined["starts"].astype(np.int32),
                        joined["ends"].astype(np.int32), joined["sids"].astype(np.int32), out_counts)


def _ends_sentence(j: int, texts, starts, ends, kinds) -> bool:
    """Whether token ``j`` closes a sentence: terminal punctuation, maybe followed by glued
    closing quotes or brackets."""
    for _ in range(4):
        token = texts[j]
        if kinds[j] == _QUOTE or token in _CLOSERS:
            if j == 0 or starts[j] != ends[j - 1]:
                return False
            j -= 1
            continue
        return kinds[j] == _PUNCT and (token in _TERMINALS or token.startswith(".."))
    return False


def _sentence_ids(text: str, texts, starts, ends, kinds) -> list[int]:
    """Sentence number of every token (see :func:`split_sentences` for the rules)."""
    count = len(texts)
    ids = [0] * count
    sid = 0
    for i in range(1, count):
        gap_start, gap_end = ends[i - 1], starts[i]
        if gap_start == gap_end:
            # Glued period: "Geschenke.Dies" -> break when the left word ends in two
            # lower-case letters and the right word is capitalised.
            if (
                i >= 2
                and kinds[i] == _WORD
                and texts[i][0].isupper()
                and texts[i - 1] in _TERMINALS
                and kinds[i - 2] == _WORD
                and starts[i - 1] == ends[i - 2]
            ):
                left = texts[i - 2]
                if len(left) >= 2 and left[-1].islower() and left[-2].islower():
                    sid += 1
        elif not (gap_end - gap_start == 1 and text[gap_start] == " ") and _LINE_BREAK_RE.search(
            text, gap_start, gap_end
        ):
            sid += 1
        else:
            before = texts[i - 1]
            if (kinds[i - 1] == _QUOTE or before in _SENTENCE_TAILS or before.startswith("..")) and (
                texts[i][0].isupper() or texts[i][0].isdigit() or kinds[i] == _QUOTE or texts[i] in _OPENERS
            ):
                if _ends_sentence(i - 1, texts, starts, ends, kinds):
                    sid += 1
        ids[i] = sid
    return ids


# --------------------------------------------------------------------------------------
# Public text functions
# --------------------------------------------------------------------------------------


def tokenize_text(text: str) -> list[Token]:
    """Split a German text into tokens.

    Parameters
    ----------
    text : str
        The text. Any Unicode is accepted; every non-space character ends up in exactly one
        token.

    Returns
    -------
    list of Token
        Tokens in order, not overlapping, with ``text[token.start:token.end] == token.text``.

    Raises
    ------
    ParameterError
        If ``text`` is not a string.

    Notes
    -----
    Hyphenated compounds are one token; a suspended hyphen stays on its word
    ("Staats-"); abbreviations from :data:`ABBREVIATIONS`, single letters and ordinals
    ("am 79. Tag", "20. Juni") keep their period; quotation marks are ``quote`` tokens;
    URLs and e-mail addresses are single ``symbol`` tokens.

    Examples
    --------
    >>> [t.text for t in tokenize_text("Die Staats- und Regierungschefs trafen sich am 20. Juni.")]
    ['Die', 'Staats-', 'und', 'Regierungschefs', 'trafen', 'sich', 'am', '20.', 'Juni', '.']
    >>> tokenize_text("„Freunde“")[0]
    Token(text='„', start=0, end=1, kind='quote')
    """
    _check_text(text)
    texts, starts, ends, kinds = _scan(text)
    return [Token(t, s, e, KINDS[k]) for t, s, e, k in zip(texts, starts, ends, kinds)]


def _spans(text: str, texts, starts, ends, kinds) -> list[tuple[int, int]]:
    ids = _sentence_ids(text, texts, starts, ends, kinds)
    spans: list[tuple[int, int]] = []
    current = -1
    for sid, start, end in zip(ids, starts, ends):
        if sid != current:
            spans.append((start, end))
            current = sid
        else:
            spans[-1] = (spans[-1][0], end)
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split a German text into sentences.

    A sentence ends at every line break (in scraped news each line is a paragraph); after
    ``.``, ``!``, ``?`` or ``…`` (possibly followed by closing quotes or brackets) when
    whitespace and an upper-case letter, a digit, an opening quote or bracket follow; and at
    a period glued to a capitalised word when the word before it ends in two lower-case
    letters ("Geschenke.Dies"). Periods that belong to abbreviations, single-letter
    initials, ordinals and dates ("z. B.", "J. R. R.", "am 79. Tag", "20. Juni") and
    periods inside numbers ("1.000") never end a sentence.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    list of tuple of (int, int)
        ``(start, end)`` character offsets of each sentence, in order, trimmed of
        surrounding whitespace; together they cover every non-space character exactly once.

    Raises
    ------
    ParameterError
        If ``text`` is not a string.

    Examples
    --------
    >>> text = "Kim sagte: „Wir sind Freunde.“ Putin nickte.\\nDas Treffen dauerte z. B. zwei Tage."
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['Kim sagte: „Wir sind Freunde.“', 'Putin nickte.', 'Das Treffen dauerte z. B. zwei Tage.']
    """
    _check_text(text)
    return _spans(text, *_scan(text))


def german_stopwords(*, extra: bool = True) -> frozenset[str]:
    """German stop words, lower-cased.

    The German list of the ``stop-words`` package, plus (``extra=True``) the project's
    supplement ``analysis/resources/german_stopwords_extra.txt``: function words the package list
    lacks (*beide*, *laut*, *seit*, *gegenüber*, *wurde*, ...), which would otherwise top word lists.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> {"und", "der", "beide", "laut"} <= german_stopwords()
    True
    >>> "beide" in german_stopwords(extra=False)
    False
    >>> "putin" in german_stopwords()
    False
    """
    return _stopwords(extra)


@functools.lru_cache(maxsize=2)
def _stopwords(extra: bool) -> frozenset[str]:
    from stop_words import get_stop_words

    words = {word.lower() for word in get_stop_words("german")}
    if extra:
        text = resources.files("analysis").joinpath("resources", "german_stopwords_extra.txt").read_text("utf-8")
        words |= {line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(words)


@functools.lru_cache(maxsize=1)
def stemmer():
    """The German Snowball stemmer (PyStemmer: Snowball's own C code, imported in milliseconds;
    the 2.x series carries the German algorithm of Snowball 2, which 3.x changed)."""
    import Stemmer

    return Stemmer.Stemmer("german")


def lemma_is_form(form: str) -> bool:
    """Whether a word form is its own lemma whatever the lemmatizer says: acronyms and names
    in capitals ("BILD", "NATO" — not the verb "bilden") and initials ("A." in "Sami A." —
    not "anderer").

    Examples
    --------
    >>> [lemma_is_form(w) for w in ("BILD", "A.", "Bild", "Prof.")]
    [True, True, False, False]
    """
    return (len(form) >= 2 and form.isupper()) or (len(form) == 2 and form[0].isalpha() and form[1] == ".")


def lemmatize_word(word: str) -> str:
    """Lemma of a German word form (simplemma, ``lang="de"``, with the fallbacks of
    :func:`analysis.store.vocabulary.lemmatize_form`): the lemma the ``lemma`` column of
    :func:`tokenize` gives the same form.

    Parameters
    ----------
    word : str
        One word form, as it appears in the text.

    Returns
    -------
    str
        The lemma; the word itself when neither simplemma nor a fallback finds one.

    Raises
    ------
    ParameterError
        If ``word`` is not a string.

    Examples
    --------
    >>> lemmatize_word("Diktatoren")
    'Diktator'
    """
    _check_text(word, "word")
    from analysis.store.vocabulary import lemmatize_form

    return lemmatize_form(word)


def stem_word(word: str) -> str:
    """Snowball (German) stem of the lower-cased word.

    Parameters
    ----------
    word : str
        One word form.

    Returns
    -------
    str
        The stem, always lower-case.

    Raises
    ------
    ParameterError
        If ``word`` is not a string.

    Examples
    --------
    >>> stem_word("Regierungschefs")
    'regierungschef'
    """
    _check_text(word, "word")
    return stemmer().stemWord(word.lower())


# --------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------


def _check_documents(documents, text_column) -> None:
    check_documents(documents, text_column=text_column, unique=False)


def _document_texts(documents: pd.DataFrame, text_column: str):
    for row, text in enumerate(documents[text_column].tolist()):
        if not isinstance(text, str):
            raise ParameterError(
                f"text must be a str, got {type(text).__name__}",
                row=row,
                column=text_column,
                hint="drop or fill documents without text before tokenizing",
            )
        yield text


def _repeat_doc_ids(documents: pd.DataFrame, counts: list[int]) -> pd.Series:
    positions = np.repeat(np.arange(len(documents)), np.asarray(counts, dtype=np.int64))
    return documents["doc_id"].take(positions).reset_index(drop=True)


def _check_flag(value, name: str) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name} must be True or False, got {value!r}")


def tokenize(
    documents: pd.DataFrame, *, text_column: str = "text", lemmas: bool = True, stems: bool = True
) -> pd.DataFrame:
    """Tokenize a documents table into the tokens table of ``docs/pipeline.md``.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with a ``doc_id`` column and a text column.
    text_column : str, default "text"
        The column holding the text to tokenize.
    lemmas : bool, default True
        Fill ``lemma`` with simplemma lemmas of ``word`` tokens. When False the column is
        still present and equals ``token``.
    stems : bool, default True
        Fill ``stem`` with Snowball stems of the lower-cased ``word`` tokens. When False the
        column is still present and equals ``token``.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, token_id, token, start, end, kind, lemma, stem,
        is_stop``; one row per token, documents in the order given. Ids and offsets are
        int32, ``kind`` is categorical with categories :data:`KINDS`. Tokens of other kinds
        than ``word`` keep the token as lemma and stem. ``is_stop`` tells whether the
        lower-cased token is in :func:`german_stopwords`.

    Raises
    ------
    ParameterError
        If ``documents`` is not a DataFrame, lacks ``doc_id`` or the text column, a text is
        not a string, or a flag is not a bool.

    Notes
    -----
    Lemmas and stems are computed once per distinct word form of the call.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Die beiden Diktatoren lachen."]})
    >>> tokenize(docs)[["token", "lemma", "stem", "is_stop"]].values.tolist()[2]
    ['Diktatoren', 'Diktator', 'diktator', False]
    """
    _check_documents(documents, text_column)
    _check_flag(lemmas, "lemmas")
    _check_flag(stems, "stems")
    from analysis.store.tokens import TokenStore

    texts = list(_document_texts(documents, text_column))
    store = TokenStore.from_texts(documents["doc_id"].tolist(), texts, lemmas=lemmas, stems=stems)
    columns = [c for c in TOKEN_COLUMNS if stems or c != "stem"]
    table = store.to_frame(columns=columns)
    table["doc_id"] = _repeat_doc_ids(documents, store.lengths.tolist())
    if not stems:
        table.insert(TOKEN_COLUMNS.index("stem"), "stem", table["token"])
    return table


def sentences(documents: pd.DataFrame, *, text_column: str = "text") -> pd.DataFrame:
    """Tidy sentence table of a documents table.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with a ``doc_id`` column and a text column.
    text_column : str, default "text"
        The column holding the text.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, sentence``: one row per sentence found by
        :func:`split_sentences`, documents in the order given; ``sentence`` is
        ``text[start:end]``. ``sentence_id`` matches the one in :func:`tokenize`.

    Raises
    ------
    ParameterError
        If ``documents`` is not a DataFrame, lacks ``doc_id`` or the text column, or a text
        is not a string.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Putin kam am 19. Juni an. Kim wartete."]})
    >>> sentences(docs)["sentence"].tolist()
    ['Putin kam am 19. Juni an.', 'Kim wartete.']
    """
    _check_documents(documents, text_column)
    sentence_ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    counts: list[int] = []
    for text in _document_texts(documents, text_column):
        spans = _spans(text, *_scan(text))
        sentence_ids.extend(range(len(spans)))
        for start, end in spans:
            starts.append(start)
            ends.append(end)
            texts.append(text[start:end])
        counts.append(len(spans))
    return pd.DataFrame(
        {
            "doc_id": _repeat_doc_ids(documents, counts),
            "sentence_id": np.asarray(sentence_ids, dtype=np.int32),
            "start": np.asarray(starts, dtype=np.int32),
            "end": np.asarray(ends, dtype=np.int32),
            "sentence": pd.Series(texts, dtype=str),
        },
        columns=list(SENTENCE_COLUMNS),
    )
