"""German tokens, sentences, lemmas, stems and stop words — offline and regex-based.

The tokenizer is one compiled regular expression applied left to right plus a few
context checks on trailing periods; sentences are derived from the token stream, so
token and sentence boundaries always agree. Everything runs in linear time and needs no
downloaded data: lemmas come from ``simplemma`` (German), stems from NLTK's Snowball
stemmer (pure code) and stop words from the ``stop-words`` package.

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
  "im Februar 2022. Sie" therefore keeps "." as its own token.
* URLs, e-mail addresses and bare domains with a common top-level domain ("spiegel.de") are
  single ``symbol`` tokens.
* Every non-space character ends up in exactly one token; anything the rules do not know
  becomes a one-character ``symbol`` token (combining marks stay with their base).

The tokens table produced by :func:`tokenize` is described in ``docs/pipeline.md``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.tables import check_documents

__all__ = [
    "ABBREVIATIONS",
    "KINDS",
    "MONTHS",
    "ORDINAL_CUES",
    "TOKEN_COLUMNS",
    "SENTENCE_COLUMNS",
    "Token",
    "german_stopwords",
    "lemmatize_word",
    "sentences",
    "split_sentences",
    "stem_word",
    "tokenize",
    "tokenize_text",
]

#: Token kinds, in the order of the categories of the ``kind`` column.
KINDS: tuple[str, ...] = ("word", "number", "punct", "quote", "symbol")

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
        r"(?P<punct>\.{2,}|[.,;:!?¡¿()\[\]{}\u2012-\u2015\u2026/" + _HYPHEN + "])",
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
_NEXT_WORD_RE = re.compile(r"[ \t\u00a0\u202f]+([^\W\d_]+)")
_LINE_END_RE = re.compile(r"[ \t\u00a0\u202f]*(?:[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|\Z)")
_LINE_BREAK_RE = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Tokens are turned into compact columns in chunks of this many, to bound peak memory.
_CHUNK_TOKENS = 1_000_000
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


def _is_ordinal(text: str, body: str, period: int, previous: str) -> bool:
    """Whether the period at ``text[period]`` after the number ``body`` marks an ordinal.

    ``previous`` is the token before the number when it is a word, else "".
    """
    if not _ORDINAL_BODY_RE.fullmatch(body):
        return False
    following = _NEXT_WORD_RE.match(text, period + 1)
    if following is None:
        return False
    word = following.group(1)
    if word[0].islower() or word.lower() in MONTHS:
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
                        take = _is_ordinal(text, token, end, texts[-1] if glued else "")
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
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("german")


def lemmatize_word(word: str) -> str:
    """Lemma of a German word form (simplemma, ``lang="de"``).

    Parameters
    ----------
    word : str
        One word form, as it appears in the text.

    Returns
    -------
    str
        The lemma; the word itself when simplemma does not know it.

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
    if not word:
        return word
    import simplemma

    return simplemma.lemmatize(word, lang="de")


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
    return _stemmer().stem(word.lower())


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

    stopwords = german_stopwords()
    stem = _stemmer().stem
    lemma_of: dict[str, str] = {}
    stem_of: dict[str, str] = {}
    stop_of: dict[str, bool] = {}
    numeric: dict[str, list[np.ndarray]] = {"sentence_id": [], "start": [], "end": [], "kind": []}
    strings: dict[str, list[pd.Series]] = {"token": [], "lemma": [], "stem": []}
    is_stop: list[np.ndarray] = []
    counts: list[int] = []
    buffer_tokens: list[str] = []
    buffer_kinds: list[int] = []

    def flush() -> None:
        # Turn the buffered Python strings into compact columns; word forms are looked up
        # once per call (the caches outlive the chunks).
        for token, kind in zip(buffer_tokens, buffer_kinds):
            if kind == _WORD and token not in lemma_of:
                lemma_of[token] = lemmatize_word(token) if lemmas else token
                stem_of[token] = stem(token.lower()) if stems else token
        token_series = pd.Series(buffer_tokens, dtype=str)
        strings["token"].append(token_series)
        for column, table in (("lemma", lemma_of), ("stem", stem_of)):
            values = [table[t] if k == _WORD else t for t, k in zip(buffer_tokens, buffer_kinds)]
            strings[column].append(pd.Series(values, dtype=str))
        for token in buffer_tokens:
            if token not in stop_of:
                stop_of[token] = token.lower() in stopwords
        is_stop.append(np.fromiter((stop_of[t] for t in buffer_tokens), dtype=bool, count=len(buffer_tokens)))
        buffer_tokens.clear()
        buffer_kinds.clear()

    for text in _document_texts(documents, text_column):
        texts, starts, ends, kinds = _scan(text)
        numeric["sentence_id"].append(np.asarray(_sentence_ids(text, texts, starts, ends, kinds), dtype=np.int32))
        numeric["start"].append(np.asarray(starts, dtype=np.int32))
        numeric["end"].append(np.asarray(ends, dtype=np.int32))
        numeric["kind"].append(np.asarray(kinds, dtype=np.int8))
        counts.append(len(texts))
        buffer_tokens.extend(texts)
        buffer_kinds.extend(kinds)
        if len(buffer_tokens) >= _CHUNK_TOKENS:
            flush()
    flush()

    def joined(parts: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

    total = int(sum(counts))
    first_ids = np.repeat(np.cumsum([0] + counts[:-1]), counts) if counts else np.empty(0, np.int64)
    return pd.DataFrame(
        {
            "doc_id": _repeat_doc_ids(documents, counts),
            "sentence_id": joined(numeric["sentence_id"], np.int32),
            "token_id": (np.arange(total, dtype=np.int64) - first_ids).astype(np.int32),
            "token": pd.concat(strings["token"], ignore_index=True),
            "start": joined(numeric["start"], np.int32),
            "end": joined(numeric["end"], np.int32),
            "kind": pd.Categorical.from_codes(joined(numeric["kind"], np.int8), categories=list(KINDS)),
            "lemma": pd.concat(strings["lemma"], ignore_index=True),
            "stem": pd.concat(strings["stem"], ignore_index=True),
            "is_stop": joined(is_stop, bool),
        },
        columns=list(TOKEN_COLUMNS),
    )


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
