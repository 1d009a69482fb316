"""First cleaning pass for scraped news text, with an audit that can undo it.

Scraped and machine-translated articles carry page furniture around the body text: the
headline printed several times, "PREV …"/"NEXT …" teasers, "Siehe auch …" links, photo
credits such as "KCNA/Reuters", a bare date or time, the site's name, and small artefacts
inside sentences (a lost space in "Anschließendüberreichte", "Geschenke.Dies").

Every rule in :data:`RULES` is a small function that looks at the *raw* text and returns
:class:`Edit` objects in raw coordinates. The edits of all rules are merged (they never
overlap) and the clean text is built from them in one pass. Because every edit records the
raw span it replaced (``before``) and its replacement (``after``), :func:`restore_raw`
rebuilds the raw text exactly from the clean text plus the edits (or the audit rows of one
document, as returned by :func:`clean_corpus`).

Every rule costs time in proportion to the length of the text, whatever the text holds (a
2 MB "word" without a space, a line of punctuation, a million control characters): no
per-word search over all split points of an unbounded word, no diff of long lines, and the
edits are merged by binary search instead of comparing each edit with every other.

Texts are normalised to Unicode NFC (rule ``unicode_nfc``): a text written with decomposed
umlauts ("Pjo\u0308ngjang", as macOS and some exports write it) reads as the composed
"Pjöngjang" that patterns, lexicons and registries are written in. Each changed combining
sequence is one edit, so :func:`restore_raw` gives back the decomposed raw text. The other
rules read the raw characters: in a decomposed text, a lost space right next to an umlaut
may go unnoticed by ``glued_words`` and ``missing_space``.

The pass is deliberately conservative: it removes whole lines only when they match a
documented pattern, and inside lines it only inserts a lost space or normalises spaces.
Misspellings ("QUtin", "J.ong Un", "UNDDas") and the closing source credit
("Cauf Informationen von AFP*") are kept: later steps (entity registry, source analysis)
deal with them.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, Sequence

import pandas as pd

from analysis.io.encoding import control_spans, has_controls, may_need_repair, repair_mojibake
from analysis.errors import ParameterError

__all__ = [
    "AGENCY_NAMES",
    "AUDIT_COLUMNS",
    "BOILERPLATE_PATTERNS",
    "Edit",
    "RULES",
    "clean_corpus",
    "clean_text",
    "glued_split",
    "restore_raw",
]

#: Rule name → one-line description, in the order the rules take precedence.
RULES: Mapping[str, str] = MappingProxyType(
    {
        "repeated_title": (
            "Remove lines that repeat the title (the given title, or the first non-empty "
            "line when it recurs); the first occurrence is kept."
        ),
        "navigation_line": (
            "Remove teaser/navigation lines: 'PREV …', 'NEXT …', 'Siehe auch …', "
            "'Lesen Sie hier/auch: …', 'Mehr zum Thema …', 'Weiterlesen …' "
            "(a stray lowercase letter glued in front is tolerated)."
        ),
        "boilerplate_line": (
            "Remove site boilerplate lines matching a short documented list "
            "(BOILERPLATE_PATTERNS), e.g. 'Finden Sie alle nationalen und internationalen "
            "Informationen zu …'."
        ),
        "photo_credit": (
            "Remove lines made only of agency/credit names ('KCNA/Reuters', 'AFP via Getty "
            "Images', 'CNN') and short 'Foto: …', 'Bild: …', '© …' lines."
        ),
        "dateline": (
            "Remove lines that are only a date, only a time, a lone separator ('-', '***') "
            "or the document's publisher/outlet name."
        ),
        "encoding_repair": (
            "Repair mojibake (UTF-8 read as Windows-1252 or Latin-1, e.g. 'GrÃ¶ÃŸe' → 'Größe') "
            "with ftfy, keeping German quotation marks; each changed span is one audit row."
        ),
        "unicode_nfc": (
            "Normalise to Unicode NFC: decomposed letters ('u' + combining diaeresis) become "
            "composed ones ('ü'); each changed combining sequence is one audit row."
        ),
        "control_characters": (
            "Remove control characters (NUL, escape codes, C1 controls, stray byte-order "
            "marks); vertical tab and form feed become line breaks."
        ),
        "glued_words": (
            "Insert the space lost between a sentence-initial adverb and a verb form "
            "('Anschließendüberreichte' → 'Anschließend überreichte'), checked with "
            "simplemma's German dictionary; words longer than 48 letters are never split."
        ),
        "missing_space": (
            "Insert the space lost after a sentence period ('Geschenke.Dies' → "
            "'Geschenke. Dies'); not in URLs, domains or abbreviations."
        ),
        "whitespace": (
            "No-break spaces → spaces, trailing spaces removed, runs of blank lines "
            "collapsed to one, blank lines and the final line break at the start/end of "
            "the document removed."
        ),
    }
)

#: Columns of the audit table returned by :func:`clean_corpus`, in order.
AUDIT_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "rule",
    "action",
    "start",
    "end",
    "before",
    "after",
    "clean_start",
)

_ACTIONS = ("removed", "changed", "inserted")


@dataclass(frozen=True)
class Edit:
    """One change of the raw text.

    Parameters
    ----------
    rule : str
        Name of the rule that made the change (a key of :data:`RULES`).
    action : str
        ``"removed"`` (``after`` is empty), ``"changed"`` or ``"inserted"``
        (``before`` is empty and ``start == end``).
    start, end : int
        The replaced span in the raw text, ``raw[start:end] == before``.
    before : str
        The raw text of the span.
    after : str
        Its replacement in the clean text.

    Examples
    --------
    >>> Edit("missing_space", "inserted", 9, 9, "", " ")
    Edit(rule='missing_space', action='inserted', start=9, end=9, before='', after=' ')
    """

    rule: str
    action: str
    start: int
    end: int
    before: str
    after: str


# ---------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------

_EOL = re.compile(r"\r\n|\r|\n")
# Horizontal whitespace: every whitespace character except line breaks.
_HSPACE = r"[^\S\r\n]"
#: No-break and fixed-width spaces turned into an ordinary space by ``whitespace``.
_NBSP = re.compile("[\u00a0\u2007\u202f]+")


@dataclass(frozen=True)
class _Line:
    """A line of the raw text: ``text[start:stop]`` is its content, ``text[stop:end]`` its
    line break (empty for a last line without one)."""

    start: int
    stop: int
    end: int
    content: str
    norm: str  # _normalise(content), computed once: every line rule reads it

def _split_lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    while pos < len(text):
        match = _EOL.search(text, pos)
        stop = len(text) if match is None else match.start()
        end = len(text) if match is None else match.end()
        content = text[pos:stop]
        lines.append(_Line(pos, stop, end, content, _normalise(content)))
        pos = end
    return lines


def _normalise(line: str) -> str:
    """Whitespace-normalised line: every run of whitespace (incl. no-break spaces) → one
    space, stripped."""
    return " ".join(line.split())


def _remove_line(rule: str, text: str, line: _Line) -> Edit:
    return Edit(rule, "removed", line.start, line.end, text[line.start : line.end], "")


# ---------------------------------------------------------------------------------------
# Line rules: each takes (lines, context) and returns the indices of the lines to remove.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    title: str | None
    names: frozenset[str]  # case-folded publisher/outlet names


def _rule_repeated_title(lines: Sequence[_Line], ctx: _Context) -> list[int]:
    """Lines repeating the title; the first occurrence stays."""
    titles = set()
    if ctx.title and _normalise(ctx.title):
        titles.add(_normalise(ctx.title))
    first = next((line.norm for line in lines if line.norm), None)
    if first:
        titles.add(first)
    seen: set[str] = set()
    found = []
    for i, line in enumerate(lines):
        norm = line.norm
        if norm in titles:
            if norm in seen:
                found.append(i)
            seen.add(norm)
    return found


# A stray lowercase letter glued in front of a capitalised marker ("lLesen Sie hier: …").
_STRAY = r"(?:[a-zäöüß](?=[A-ZÄÖÜ]))?"
# Markers that make a line navigation whatever follows.
_NAV_ALWAYS = re.compile(_STRAY + r"(?:PREV|NEXT)(?:\s|$)")
# Markers that are navigation when followed by a colon/arrow/dash/bar, or when the line
# does not end like a sentence (teasers are headlines without a final period).
_NAV_MARKER = re.compile(
    _STRAY
    + r"(?:Siehe auch|Lesen Sie (?:hier|auch|mehr|weiter)|Mehr zum Thema|Mehr dazu"
    r"|Weiterlesen|Auch interessant|Das könnte Sie auch interessieren)\b"
)
_NAV_SEPARATOR = re.compile(r"\s*(?:[:›»>|–—-]|\.\.\.|…|$)")


def _is_navigation(norm: str) -> bool:
    if _NAV_ALWAYS.match(norm):
        return True
    match = _NAV_MARKER.match(norm)
    if match is None:
        return False
    return bool(_NAV_SEPARATOR.match(norm, match.end())) or not norm.endswith(".")


def _rule_navigation_line(lines: Sequence[_Line], ctx: _Context) -> list[int]:
    """Teaser and navigation lines."""
    return [i for i, line in enumerate(lines) if line.norm and _is_navigation(line.norm)]


#: Site boilerplate: a line is removed when one of these matches at its start.
BOILERPLATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "Finden Sie alle nationalen und internationalen Informationen zu Deutschland. …"
    re.compile(r"Finden Sie alle (?:\w+ )*(?:Informationen|Nachrichten) (?:zu|über|aus) "),
    # "Wählen Sie die Themen aus, über die Sie mehr erfahren möchten"
    re.compile(r"Wählen Sie die Themen aus, über die Sie mehr erfahren möchten\W*$"),
    # "Alle Rechte vorbehalten."
    re.compile(r"(?:©.*)?Alle Rechte vorbehalten\W*$"),
    # "Abonnieren Sie unseren Newsletter", "Melden Sie sich für unseren Newsletter an"
    re.compile(r"(?:Abonnieren|Bestellen) Sie (?:jetzt )?unseren Newsletter\b"),
    re.compile(r"Melden Sie sich (?:jetzt )?(?:für|zu) unserem? Newsletter an\b"),
    # "Teilen Sie diesen Artikel", "Artikel teilen", "Diesen Artikel teilen:"
    re.compile(r"(?:Teilen Sie diesen Artikel|(?:Diesen )?Artikel teilen)\W*$"),
    # "Folgen Sie uns auf …" (social-media footer)
    re.compile(r"Folgen Sie uns (?:auf|bei) "),
)


def _rule_boilerplate_line(lines: Sequence[_Line], ctx: _Context) -> list[int]:
    """Site boilerplate lines (:data:`BOILERPLATE_PATTERNS`)."""
    return [
        i
        for i, line in enumerate(lines)
        if line.norm and any(p.match(line.norm) for p in BOILERPLATE_PATTERNS)
    ]


#: Names of news agencies, broadcasters and picture agencies seen in credit lines
#: (matched case-insensitively, as whole parts of a line).
AGENCY_NAMES: frozenset[str] = frozenset(
    {
        "AFP", "Agence France-Presse", "AP", "Associated Press", "dpa",
        "Deutsche Presse-Agentur", "picture alliance", "picture-alliance", "Reuters",
        "KCNA", "KNS", "TASS", "RIA Nowosti", "RIA Novosti", "Xinhua", "CNN",
        "BBC", "EPA", "EPA-EFE", "EFE", "ANSA", "Getty Images", "Getty", "Imago",
        "Imago Images", "Yonhap", "Kyodo", "Sputnik", "Interfax", "Bloomberg",
        "Anadolu", "Anadolu Agency", "UPI", "Keystone", "APA", "Shutterstock", "Pool",
        "Kremlin", "Kremlin.ru", "Al Jazeera", "Europa Press",
    }
)  # fmt: skip
_AGENCY_KEYS = frozenset(name.casefold() for name in AGENCY_NAMES)
_AGENCY_PREFIXES = tuple(sorted(_AGENCY_KEYS))
_AGENCY_MAX = max(map(len, AGENCY_NAMES)) + 1
_CREDIT_SPLIT = re.compile(r"\s*(?:/|\||,|;|&|·|\bvia\b|\bund\b)\s*", re.IGNORECASE)
_CREDIT_PREFIX = re.compile(r"(?:Fotos?|Bild(?:er)?|Foto/Video|Video|Grafik)\s*:\s*\S|©\s*\S")
#: A 'Foto: …' / '© …' line is a credit only when it is this short.
_CREDIT_MAX_CHARS = 80


def _is_credit(norm: str) -> bool:
    if _CREDIT_PREFIX.match(norm):
        return len(norm) <= _CREDIT_MAX_CHARS
    inner = norm.strip("()[] ")
    if not inner or not inner[:_AGENCY_MAX].casefold().startswith(_AGENCY_PREFIXES):
        return False  # the first part must be an agency name
    # Part by part, stopping at the first part that is no agency name: splitting a whole
    # paragraph first would cost its full length on every ordinary line.
    pos = 0
    for match in _CREDIT_SPLIT.finditer(inner):
        if inner[pos : match.start()].casefold() not in _AGENCY_KEYS:
            return False
        pos = match.end()
    return inner[pos:].casefold() in _AGENCY_KEYS


def _rule_photo_credit(lines: Sequence[_Line], ctx: _Context) -> list[int]:
    """Lines made only of agency/credit names, or short photo-credit lines."""
    return [i for i, line in enumerate(lines) if line.norm and _is_credit(line.norm)]


_MONTH = (
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
    r"|Dezember|January|February|March|May|June|July|October|December"
    r"|Jan|Feb|Mär|Mar|Apr|Jun|Jul|Aug|Sept?|Okt|Oct|Nov|Dez|Dec)\.?"
)
_WEEKDAY = (
    r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
)
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*Uhr)?(?:\s*(?:MEZ|MESZ|CET|CEST|GMT|UTC))?|\d{1,2}\s*Uhr"
_DATE = (
    rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"  # November 8, 2024
    rf"|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}"  # 8. November 2024
    rf"|{_MONTH}\s+\d{{4}}"  # November 2024
    r"|\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})"  # 08.11.2024
    r"|\d{4}-\d{2}-\d{2}"  # 2024-11-08
)
_DATELINE = re.compile(
    r"(?:(?:Veröffentlicht|Aktualisiert|Erstellt|Stand)(?:\s+am)?:?\s*)?"
    rf"(?:(?:{_WEEKDAY})?(?:{_DATE})(?:\s*(?:,|\||-|–|um)?\s*(?:{_TIME}))?|(?:{_TIME}))",
    re.IGNORECASE,
)
_SEPARATOR_LINE = re.compile(r"(?:[-–—_*•·=~#|]\s*)+")
# Longer than any line _DATELINE can match once whitespace runs are one space ("Veröffentlicht
# am: Donnerstag, 30. September 2024 um 12:30 Uhr MESZ" has 67 characters): paragraphs skip it.
_DATELINE_MAX = 100


def _rule_dateline(lines: Sequence[_Line], ctx: _Context) -> list[int]:
    """Lines that are only a date, a time, a separator, or the publisher/outlet name."""
    found = []
    for i, line in enumerate(lines):
        norm = line.norm
        if not norm:
            continue
        if (
            (len(norm) <= _DATELINE_MAX and _DATELINE.fullmatch(norm))
            or _SEPARATOR_LINE.fullmatch(norm)
            or norm.casefold() in ctx.names
        ):
            found.append(i)
    return found


_LINE_RULES: dict[str, Callable[[Sequence[_Line], _Context], list[int]]] = {
    "repeated_title": _rule_repeated_title,
    "navigation_line": _rule_navigation_line,
    "boilerplate_line": _rule_boilerplate_line,
    "photo_credit": _rule_photo_credit,
    "dateline": _rule_dateline,
}

# ---------------------------------------------------------------------------------------
# In-line rules: each takes (text, kept lines) and returns edits inside the line contents.
# ---------------------------------------------------------------------------------------

#: Left halves that regularly start real compounds of a verb form (particle verbs,
#: participles used as adjectives: "Zurückgelassene", "Hochentwickelte"); never split there.
_COMPOUND_PREFIXES = frozenset(
    """ab an auf aus bei da dar dabei dafür dagegen daher dahin daneben davon dazu durch
    ein empor entgegen fest fort frei gegen gleich her herab heran herauf heraus herbei
    herein herum hervor hin hinab hinauf hinaus hinein hinzu hoch los mit nach nieder
    schwer tief über um unter voll vor voran voraus vorbei vorher weg weit weiter wider
    wieder zu zurück zusammen anti pro post prä ex neo non""".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_TITLECASE = re.compile(r"[A-ZÄÖÜ][a-zäöüß]+")
#: Characters skipped when looking back for the start of a sentence.
_OPENERS = " \t\u00a0\"'„“‚‘»«(["
_MIN_PART = 3
#: Longest word :func:`glued_split` considers. A glued pair is a sentence adverb and a verb
#: form ("Unglücklicherweise" + "auseinandersetzten": 36 letters); testing every split point
#: of a longer word would cost time in proportion to the square of its length.
GLUED_MAX_CHARS = 48


@lru_cache(maxsize=65536)
def _known(word: str) -> bool:
    import simplemma

    return bool(simplemma.is_known(word, lang="de"))


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="de")


def _left_ok(left: str) -> bool:
    """Capitalised first half: a known word that is not a noun and not a compound prefix."""
    if len(left) < _MIN_PART or left.lower() in _COMPOUND_PREFIXES or not _known(left):
        return False
    return _lemma(left)[:1].islower()


def _right_ok(right: str) -> bool:
    """Lowercase second half: an inflected verb form that cannot be read as a noun."""
    if len(right) < _MIN_PART or not right.islower() or right.startswith("ge"):
        return False
    if not _known(right):
        return False
    lemma = _lemma(right)
    if lemma == right or not lemma[:1].islower() or not lemma.endswith("n"):
        return False
    return _lemma(right.capitalize())[:1].islower()


def glued_split(word: str) -> int | None:
    """Where to insert the space lost inside `word`, or None when it is not a glued pair.

    The criterion (deliberately conservative) is met when all of these hold:

    1. `word` is capitalised and otherwise lowercase ("Anschließendüberreichte"), and
       simplemma's German dictionary does not know it.
    2. It splits into a first half and a second half of at least 3 letters each where
       - the first half is a known word whose lemma is lowercase when it is written
         capitalised – an adverb, conjunction or particle, not a noun (nouns start most
         compounds: "Luxus|fahrzeugen", "Gipfel|treffen") – and is not one of the verb
         particles/adverbs that build real compounds ("zurück", "hoch", "davon", …);
       - the second half is a known, *inflected verb form*: its lemma differs from it and
         ends in "n" (an infinitive such as "überreichen"), it does not start with "ge"
         (a participle used as an adjective), and it cannot be read as a noun either
         (the lemma of its capitalised form is lowercase: "Treffen", "Werke" fail).
    3. Exactly one split point qualifies (otherwise the word is ambiguous and kept).
    4. It has at most :data:`GLUED_MAX_CHARS` letters (a longer run of letters is no glued
       pair, and testing its split points would cost quadratic time).

    :func:`clean_text` also requires the word to begin a sentence, where a capitalised
    adverb is expected.

    Parameters
    ----------
    word : str
        A single word (letters only).

    Returns
    -------
    int or None
        The offset inside `word` where a space belongs.

    Examples
    --------
    >>> glued_split("Anschließendüberreichte")
    12
    >>> glued_split("Verteidigungsabkommen") is None
    True
    >>> glued_split("Anschließend" + "ü" * 100) is None  # longer than GLUED_MAX_CHARS
    True
    """
    # Checked before the cache, which would otherwise keep every long string it was asked about.
    if not isinstance(word, str) or not 2 * _MIN_PART <= len(word) <= GLUED_MAX_CHARS:
        return None
    return _glued_split(word)


@lru_cache(maxsize=65536)
def _glued_split(word: str) -> int | None:
    if not _TITLECASE.fullmatch(word) or _known(word):
        return None
    found = [
        i
        for i in range(_MIN_PART, len(word) - _MIN_PART + 1)
        if _right_ok(word[i:]) and _left_ok(word[:i])
    ]
    return found[0] if len(found) == 1 else None


class _UrlTokens:
    """Whether positions of one line lie inside a URL, e-mail address or path-like token.

    The space-delimited token around a position is looked up once: asked about positions in
    increasing order (as the rules do), a line costs its length once, however many candidates
    one long token holds.
    """

    def __init__(self, content: str):
        self.content = content
        self.left = self.right = -1
        self.url = False

    def __call__(self, pos: int) -> bool:
        if not self.left <= pos < self.right:
            content = self.content
            self.left = content.rfind(" ", 0, pos) + 1
            right = content.find(" ", pos)
            self.right = len(content) if right < 0 else right
            token = content[self.left : self.right]
            self.url = "://" in token or "www." in token.lower() or "@" in token or "/" in token
            if self.right == pos:  # pos is a space: an empty token, cached for this position only
                self.right = pos + 1
        return self.url


def _in_url(content: str, pos: int) -> bool:
    """Whether `pos` lies inside a URL, e-mail address or path-like token."""
    return _UrlTokens(content)(pos)


# A word (a maximal run of letters) at a sentence start: at the line start or after ".!?:…",
# with only opening quotes, brackets and spaces in between. One search per line finds every
# candidate; looking back from each word instead would cost quadratic time on long lines.
_SENTENCE_INITIAL_WORD = re.compile(r"(?:^|[.!?:…])[" + re.escape(_OPENERS) + r"]*([A-ZÄÖÜ][^\W\d_]*)")


_SENTENCE_INITIAL_LINES = re.compile(_SENTENCE_INITIAL_WORD.pattern, re.MULTILINE)


def _rule_glued_words(text: str, lines: Sequence[_Line]) -> list[Edit]:
    """Insert the space lost between a sentence-initial adverb and a verb form."""
    edits = []
    # Glued pairs are rare: first test each distinct sentence-initial word of the whole text
    # once (one C-level findall; "^" at every "\n" sees the line starts, and a match cannot
    # cross a line), and look line by line only when one of them splits. A text with other
    # line breaks ("\r") is read line by line straight away.
    if "\r" not in text and not any(
        _TITLECASE.fullmatch(w) and glued_split(w) is not None for w in set(_SENTENCE_INITIAL_LINES.findall(text))
    ):
        return edits
    for line in lines:
        words = set(_SENTENCE_INITIAL_WORD.findall(line.content))
        if not any(_TITLECASE.fullmatch(w) and glued_split(w) is not None for w in words):
            continue
        in_url = _UrlTokens(line.content)
        for match in _SENTENCE_INITIAL_WORD.finditer(line.content):
            word = match.group(1)
            if not _TITLECASE.fullmatch(word):
                continue
            if in_url(match.start(1)):
                continue
            split = glued_split(word)
            if split is not None:
                pos = line.start + match.start(1) + split
                edits.append(Edit("glued_words", "inserted", pos, pos, "", " "))
    return edits


#: Abbreviations that end in a period and may be followed by a capitalised word.
_ABBREVIATIONS = frozenset(
    """abs abt anm art bd bzw ca chr co dr ebd etc evtl ff fr gem ggf hr hrsg inkl jh jr
    jun kap kt lt mio mrd nr pkt prof sen sog st str tel usw vgl vs zb zit zt""".split()
)
_DOMAIN_TAIL = re.compile(r"[^\W\d_]+(?:/|\.[^\W\d_])")
_GLUED_PERIOD = re.compile(r"(?<![\w.])([^\W\d_]*[a-zäöüß]{2})\.(?=[A-ZÄÖÜ][a-zäöüß])")


# A necessary condition for _GLUED_PERIOD, cheap enough to test on the whole text first.
_GLUED_PERIOD_HINT = re.compile(r"[a-zäöüß]\.[A-ZÄÖÜ]")


def _rule_missing_space(text: str, lines: Sequence[_Line]) -> list[Edit]:
    """Insert the space lost after a sentence period before a capitalised word."""
    edits = []
    if not _GLUED_PERIOD_HINT.search(text):
        return edits
    for line in lines:
        in_url = _UrlTokens(line.content)
        for match in _GLUED_PERIOD.finditer(line.content):
            if match.group(1).lower() in _ABBREVIATIONS:
                continue
            if in_url(match.start()):
                continue
            if _DOMAIN_TAIL.match(line.content, match.end()):
                continue  # "Name.De/…", "Name.Com.Au": a domain, not a sentence
            pos = line.start + match.end()
            edits.append(Edit("missing_space", "inserted", pos, pos, "", " "))
    return edits


def _rule_whitespace(text: str, lines: Sequence[_Line]) -> list[Edit]:
    """Blank lines, trailing spaces and no-break spaces (on the lines still kept)."""
    edits = []
    has_nbsp = _NBSP.search(text) is not None
    blank = [not line.content.strip() for line in lines]
    content_idx = [i for i, b in enumerate(blank) if not b]
    first = content_idx[0] if content_idx else len(lines)
    last = content_idx[-1] if content_idx else -1
    for i, line in enumerate(lines):
        if blank[i] and (i < first or i > last or blank[i - 1]):
            edits.append(_remove_line("whitespace", text, line))
            continue
        content = line.content
        # rstrip() removes exactly what [^\S\r\n]+\Z matches (a line holds no line break),
        # without the regex's scan of every space in the line.
        cut = len(content.rstrip())
        trailing = cut < len(content)
        for match in (_NBSP.finditer(content, 0, cut) if has_nbsp else ()):
            before = match.group()
            start = line.start + match.start()
            edits.append(
                Edit("whitespace", "changed", start, start + len(before), before, " " * len(before))
            )
        if trailing:
            edits.append(
                Edit("whitespace", "removed", line.start + cut, line.stop, content[cut:], "")
            )
        if i == last and line.end > line.stop:
            edits.append(
                Edit("whitespace", "removed", line.stop, line.end, text[line.stop : line.end], "")
            )
    return edits


def _rule_encoding_repair(text: str, lines: Sequence[_Line]) -> list[Edit]:
    edits = []
    # A line can need a repair only if the whole text may: most texts do not, and the
    # check is one pass in C instead of one repair attempt per line.
    if not may_need_repair(text):
        return edits
    for line in lines:
        for offset, content in _repair_pieces(line.content):
            if content.isascii() and "\x1b" not in content:
                continue
            fixed, _ = repair_mojibake(content)
            if fixed == content:
                continue
            if unicodedata.normalize("NFC", content) == fixed:
                continue  # composing decomposed letters only: the unicode_nfc rule records that
            start = line.start + offset
            for i1, i2, j1, j2 in _changed_spans(content, fixed):
                before, after = content[i1:i2], fixed[j1:j2]
                action = "inserted" if not before else "removed" if not after else "changed"
                edits.append(Edit("encoding_repair", action, start + i1, start + i2, before, after))
    return edits


#: Lines longer than this are repaired piece by piece (see :func:`_repair_pieces`).
_REPAIR_PIECE = 8_000
_PIECE_END = re.compile(r"\s+|[\x00-\x7f]")


def _repair_pieces(content: str) -> Iterable[tuple[int, str]]:
    """A line cut into pieces of about :data:`_REPAIR_PIECE` characters, with their offsets.

    ftfy reads a line as a whole and looks for the start of the line before each suspicious
    spot: on one long line, that costs time in proportion to the square of its length. A
    mojibake sequence is a run of non-ASCII characters (the bytes of one UTF-8 character read
    one by one), so a piece ends after whitespace or, failing that, before an ASCII
    character, never inside one.
    """
    if len(content) <= _REPAIR_PIECE:
        yield 0, content
        return
    pos = 0
    while pos < len(content):
        stop = pos + _REPAIR_PIECE
        if stop >= len(content):
            stop = len(content)
        else:
            cut = _PIECE_END.search(content, stop)
            if cut is not None and cut.start() - stop < _REPAIR_PIECE:
                stop = cut.end() if cut.group().isspace() else cut.start()
            if stop == pos:
                stop += 1
        yield pos, content[pos:stop]
        pos = stop


#: How far a repair may reach on each side before the two lines agree again (the longest
#: mojibake sequence ftfy turns into one character is a few characters long).
_ALIGN_REACH = 12
#: Characters that must agree after a difference for the two lines to be back in step.
_ALIGN_CONFIRM = 3
_ALIGN_BLOCK = 64


def _changed_spans(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The spans ``(i1, i2, j1, j2)`` where ``old[i1:i2]`` became ``new[j1:j2]``, left to right.

    A repair replaces short sequences, so after a difference the two lines fall in step again
    within a few characters: the nearest point (fewest characters skipped on both sides) from
    which :data:`_ALIGN_CONFIRM` characters agree ends the change. When there is none within
    :data:`_ALIGN_REACH`, the rest of the line is one change. One pass, linear in the length
    of the line (a character diff such as difflib's costs quadratic time on long lines). The
    spans always rebuild ``new`` from ``old`` exactly.

    Examples
    --------
    >>> _changed_spans("Die GrÃ¶ÃŸe", "Die Größe")
    [(6, 10, 6, 8)]
    """
    spans = []
    n, m = len(old), len(new)
    i = j = 0

    def agree(a: int, b: int) -> bool:
        width = min(_ALIGN_CONFIRM, n - a, m - b)
        if old[a : a + width] != new[b : b + width]:
            return False
        return width == _ALIGN_CONFIRM or n - a == m - b == width  # near the end: the rest agrees

    while i < n or j < m:
        # Skip the agreeing stretch, a block at a time.
        while i + _ALIGN_BLOCK <= n and j + _ALIGN_BLOCK <= m and old[i : i + _ALIGN_BLOCK] == new[j : j + _ALIGN_BLOCK]:
            i += _ALIGN_BLOCK
            j += _ALIGN_BLOCK
        while i < n and j < m and old[i] == new[j]:
            i += 1
            j += 1
        if i == n and j == m:
            break
        resync = None
        for skipped in range(1, 2 * _ALIGN_REACH + 1):
            for k in range(min(skipped, _ALIGN_REACH), max(0, skipped - _ALIGN_REACH) - 1, -1):
                a, b = i + k, j + skipped - k
                if a <= n and b <= m and agree(a, b):
                    resync = a, b
                    break
            if resync is not None:
                break
        if resync is None:
            spans.append((i, n, j, m))
            break
        spans.append((i, resync[0], j, resync[1]))
        i, j = resync
    return spans


# A combining sequence NFC may change: an optional base character (not a line break nor a
# control character, which the control_characters rule removes) followed by combining marks
# or characters that may compose with what precedes them (NFC_Quick_Check Maybe, e.g. Hangul
# vowels); or a character that NFC always replaces (NFC_Quick_Check No, such as U+212B
# ANGSTROM SIGN) with the marks that follow it.
_JOINING = r"[\p{M}\p{NFC_QC=Maybe}]"


@lru_cache(maxsize=1)
def _nfc_sequence():
    import regex  # Unicode properties the standard library's re does not know

    return regex.compile(rf"[^\n\r\p{{Cc}}]?{_JOINING}+|\p{{NFC_QC=No}}{_JOINING}*")


def _rule_unicode_nfc(text: str, lines: Sequence[_Line]) -> list[Edit]:
    """Compose decomposed characters (NFC), one edit per changed combining sequence."""
    edits: list[Edit] = []
    if unicodedata.is_normalized("NFC", text):
        return edits  # nearly every text: one pass in C
    sequence = _nfc_sequence()
    for line in lines:
        content = line.content
        if unicodedata.is_normalized("NFC", content):
            continue
        found = []
        pieces = []
        pos = 0
        for match in sequence.finditer(content):
            before = match.group()
            after = unicodedata.normalize("NFC", before)
            if after != before:
                found.append((match.start(), match.end(), before, after))
                pieces += (content[pos : match.start()], after)
                pos = match.end()
        pieces.append(content[pos:])
        if "".join(pieces) != unicodedata.normalize("NFC", content):
            # A composition across the sequences found (never seen in German text): the line as one edit.
            found = [(0, len(content), content, unicodedata.normalize("NFC", content))]
        for start, end, before, after in found:
            edits.append(Edit("unicode_nfc", "changed", line.start + start, line.start + end, before, after))
    return edits


def _rule_control_characters(text: str, lines: Sequence[_Line]) -> list[Edit]:
    edits = []
    if not has_controls(text):
        return edits
    for line in lines:
        for start, end, replacement in control_spans(text, line.start, line.stop):
            action = "changed" if replacement else "removed"
            edits.append(Edit("control_characters", action, start, end, text[start:end], replacement))
    return edits


_INLINE_RULES: dict[str, Callable[[str, Sequence[_Line]], list[Edit]]] = {
    "encoding_repair": _rule_encoding_repair,
    "unicode_nfc": _rule_unicode_nfc,
    "control_characters": _rule_control_characters,
    "glued_words": _rule_glued_words,
    "missing_space": _rule_missing_space,
    "whitespace": _rule_whitespace,
}

assert tuple(RULES) == tuple(_LINE_RULES) + tuple(_INLINE_RULES)


# ---------------------------------------------------------------------------------------
# Applying edits
# ---------------------------------------------------------------------------------------


def _check_rules(rules: Sequence[str] | str | None) -> tuple[str, ...]:
    """The selected rules in :data:`RULES` order; raises on unknown names."""
    if rules is None:
        return tuple(RULES)
    if isinstance(rules, str):
        rules = [rules]
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise ParameterError(
            f"unknown cleaning rule {unknown[0]!r}",
            hint="valid rules are: " + ", ".join(RULES),
        )
    chosen = set(rules)
    return tuple(r for r in RULES if r in chosen)


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _position(edit: Edit) -> tuple[int, int]:
    return edit.start, edit.end


def _overlaps_kept(edit: Edit, kept: Sequence[Edit], starts: Sequence[int]) -> bool:
    """Whether `edit` overlaps one of `kept` (sorted, never overlapping; `starts` their starts).

    Only the few kept edits that end at or after `edit` starts and begin at or before it ends
    can overlap it; they lie next to its place in the sorted list.
    """
    place = bisect.bisect_left(starts, edit.start)
    before = place - 1
    while before >= 0 and kept[before].end >= edit.start:
        if _overlaps(edit, kept[before]):
            return True
        before -= 1
    after = place
    while after < len(kept) and kept[after].start <= edit.end:
        if _overlaps(edit, kept[after]):
            return True
        after += 1
    return False


def _merge(edits: Iterable[Edit]) -> list[Edit]:
    """Keep edits in priority order, dropping any that overlaps an earlier one; sort.

    The edits come rule by rule. Each rule's edits are checked against those kept from the
    rules before it by binary search, and against each other in one sweep when they come in
    text order (as every rule makes them): n log n for n edits, not n².
    """
    kept: list[Edit] = []
    for _, batch in itertools.groupby(edits, key=lambda e: e.rule):
        batch = list(batch)
        starts = [e.start for e in kept]
        in_order = all(_position(a) <= _position(b) for a, b in zip(batch, batch[1:]))
        accepted: list[Edit] = []
        accepted_starts: list[int] = []
        for edit in batch:
            if _overlaps_kept(edit, kept, starts):
                continue
            if in_order:
                # Sorted and never overlapping, the last accepted edit reaches furthest.
                if accepted and _overlaps(edit, accepted[-1]):
                    continue
                accepted.append(edit)
            elif not _overlaps_kept(edit, accepted, accepted_starts):
                place = bisect.bisect_right(accepted, _position(edit), key=_position)
                accepted.insert(place, edit)
                accepted_starts.insert(place, edit.start)
        kept = list(heapq.merge(kept, accepted, key=_position))
    return kept


def _apply(text: str, edits: Sequence[Edit]) -> tuple[str, list[int]]:
    """Build the clean text from sorted, non-overlapping edits; also return each edit's
    offset in the clean text."""
    parts = []
    offsets = []
    pos = 0
    length = 0
    for edit in edits:
        kept = text[pos : edit.start]
        parts.append(kept)
        length += len(kept)
        offsets.append(length)
        parts.append(edit.after)
        length += len(edit.after)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts), offsets


def _find_edits(
    text: str,
    rules: tuple[str, ...],
    title: str | None,
    publisher: str | None,
    outlet: str | None,
) -> list[Edit]:
    lines = _split_lines(text)
    names = frozenset(
        _normalise(name).casefold()
        for name in (publisher, outlet)
        if isinstance(name, str) and _normalise(name)
    )
    ctx = _Context(title=title, names=names)
    edits: list[Edit] = []
    removed: set[int] = set()
    for rule in rules:
        if rule in _LINE_RULES:
            for i in _LINE_RULES[rule](lines, ctx):
                if i not in removed:
                    removed.add(i)
                    edits.append(_remove_line(rule, text, lines[i]))
    kept = [line for i, line in enumerate(lines) if i not in removed]
    for rule in rules:
        if rule in _INLINE_RULES:
            edits.extend(_INLINE_RULES[rule](text, kept))
    return _merge(edits)


def _optional_str(value) -> str | None:
    if isinstance(value, str):
        return value
    return None


def clean_text(
    text: str,
    *,
    title: str | None = None,
    publisher: str | None = None,
    outlet: str | None = None,
    rules: Sequence[str] | None = None,
) -> tuple[str, list[Edit]]:
    """Clean one text and return it with the list of edits made.

    All selected rules look at the raw text; their edits (in raw coordinates, never
    overlapping) are then applied in one pass.

    Parameters
    ----------
    text : str
        The raw text.
    title : str, optional
        The document's title; lines repeating it are removed after its first occurrence.
        Without it, only the first non-empty line counts as the title.
    publisher, outlet : str, optional
        Names of the publishing site; a line consisting only of one of them is removed
        (rule ``dateline``).
    rules : sequence of str, optional
        Names of the rules to apply (keys of :data:`RULES`); all when None. Their
        precedence is always the order of :data:`RULES`.

    Returns
    -------
    clean : str
        The cleaned text.
    edits : list of Edit
        The edits, sorted by position in the raw text;
        ``restore_raw(clean, edits) == text``.

    Raises
    ------
    ParameterError
        If `rules` names an unknown rule.

    Examples
    --------
    >>> raw = ("Gipfel in Pjöngjang\\n\\nGipfel in Pjöngjang\\nKCNA/Reuters\\n"
    ...        "Der Besuch endete.Dies war neu.\\n")
    >>> clean, edits = clean_text(raw)
    >>> print(clean)
    Gipfel in Pjöngjang
    <BLANKLINE>
    Der Besuch endete. Dies war neu.
    >>> [e.rule for e in edits]
    ['repeated_title', 'photo_credit', 'missing_space', 'whitespace']
    >>> restore_raw(clean, edits) == raw
    True
    """
    if not isinstance(text, str):
        raise ParameterError(f"text must be a str, not {type(text).__name__}")
    chosen = _check_rules(rules)
    edits = _find_edits(
        text, chosen, _optional_str(title), _optional_str(publisher), _optional_str(outlet)
    )
    clean, _ = _apply(text, edits)
    return clean, edits


def clean_corpus(
    documents: pd.DataFrame, *, rules: Sequence[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean every document of a documents table and return the audit of all edits.

    Parameters
    ----------
    documents : pandas.DataFrame
        A documents table with at least ``doc_id`` and ``text``; ``title``, ``publisher``
        and ``outlet`` are used when present (see :func:`clean_text`). A missing text
        (None/NaN) is cleaned as the empty string.
    rules : sequence of str, optional
        Names of the rules to apply (keys of :data:`RULES`); all when None.

    Returns
    -------
    documents : pandas.DataFrame
        A copy, same rows and order, with ``raw_text`` (the input ``text``, replacing any
        existing ``raw_text`` column) and ``text`` (the cleaned text).
    audit : pandas.DataFrame
        One row per edit with columns :data:`AUDIT_COLUMNS`: ``start``/``end`` index
        ``raw_text``, ``clean_start`` is where ``after`` begins in ``text``.

    Raises
    ------
    ParameterError
        If ``doc_id`` or ``text`` is missing, or `rules` names an unknown rule.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"],
    ...                      "text": ["PREV Alt\\nDer Besuch endete.Dies war neu."]})
    >>> cleaned, audit = clean_corpus(docs)
    >>> cleaned.loc[0, "text"]
    'Der Besuch endete. Dies war neu.'
    >>> audit[["rule", "action", "start", "end", "clean_start"]].values.tolist()
    [['navigation_line', 'removed', 0, 9, 0], ['missing_space', 'inserted', 27, 27, 18]]
    >>> restore_raw(cleaned.loc[0, "text"], audit) == docs.loc[0, "text"]
    True
    """
    for column in ("doc_id", "text"):
        if column not in documents.columns:
            raise ParameterError(
                "the documents table has no such column",
                column=column,
                hint="clean_corpus needs 'doc_id' and 'text'",
            )
    chosen = _check_rules(rules)

    def column(name: str) -> list:
        if name in documents.columns:
            return documents[name].tolist()
        return [None] * len(documents)

    raw_texts = ["" if _optional_str(t) is None else t for t in documents["text"].tolist()]
    clean_texts = []
    rows = []
    for doc_id, raw, title, publisher, outlet in zip(
        documents["doc_id"].tolist(), raw_texts, column("title"), column("publisher"),
        column("outlet"),
    ):
        edits = _find_edits(
            raw, chosen, _optional_str(title), _optional_str(publisher), _optional_str(outlet)
        )
        clean, offsets = _apply(raw, edits)
        clean_texts.append(clean)
        rows.extend(
            (doc_id, e.rule, e.action, e.start, e.end, e.before, e.after, offset)
            for e, offset in zip(edits, offsets)
        )

    result = documents.copy()
    result["raw_text"] = raw_texts
    result["text"] = clean_texts
    audit = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    audit = audit.astype(
        {
            "doc_id": object, "rule": object, "action": object, "before": object,
            "after": object, "start": "int64", "end": "int64", "clean_start": "int64",
        }
    )  # fmt: skip
    return result, audit


def _as_str(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""  # an empty string read back from CSV
    return str(value)


def _edits_from_frame(audit: pd.DataFrame) -> list[Edit]:
    for column in ("start", "end", "before", "after"):
        if column not in audit.columns:
            raise ParameterError("the audit table has no such column", column=column)
    if "doc_id" in audit.columns and audit["doc_id"].nunique() > 1:
        raise ParameterError(
            "the audit rows belong to several documents",
            column="doc_id",
            hint="pass the rows of one document, e.g. audit[audit.doc_id == doc_id]",
        )
    actions = audit["action"] if "action" in audit.columns else [""] * len(audit)
    rules = audit["rule"] if "rule" in audit.columns else [""] * len(audit)
    return [
        Edit(_as_str(rule), _as_str(action), int(start), int(end), _as_str(before), _as_str(after))
        for rule, action, start, end, before, after in zip(
            rules, actions, audit["start"], audit["end"], audit["before"], audit["after"]
        )
    ]


def restore_raw(text: str, edits: Sequence[Edit] | pd.DataFrame) -> str:
    """Rebuild the raw text from a clean text and the edits that produced it.

    Parameters
    ----------
    text : str
        The clean text.
    edits : list of Edit or pandas.DataFrame
        The edits returned by :func:`clean_text`, or the audit rows of this one document
        from :func:`clean_corpus` (columns ``start``, ``end``, ``before``, ``after``).

    Returns
    -------
    str
        The raw text, exactly.

    Raises
    ------
    ParameterError
        If the edits overlap, do not match the clean text, or the audit rows lack a column
        or belong to several documents.

    Examples
    --------
    >>> restore_raw("Geschenke. Dies", [Edit("missing_space", "inserted", 10, 10, "", " ")])
    'Geschenke.Dies'
    """
    if isinstance(edits, pd.DataFrame):
        edits = _edits_from_frame(edits)
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    parts = []
    raw_pos = 0  # position in the raw text being rebuilt
    clean_pos = 0  # position in the clean text
    for edit in ordered:
        if edit.start < raw_pos or edit.end < edit.start:
            raise ParameterError(
                f"edits overlap or are malformed at raw offset {edit.start} ({edit.rule})"
            )
        if edit.end - edit.start != len(edit.before):
            raise ParameterError(
                f"edit at raw offset {edit.start} ({edit.rule}): span length does not match "
                "'before'"
            )
        unchanged = edit.start - raw_pos
        parts.append(text[clean_pos : clean_pos + unchanged])
        clean_pos += unchanged
        if text[clean_pos : clean_pos + len(edit.after)] != edit.after:
            raise ParameterError(
                f"edit at raw offset {edit.start} ({edit.rule}) does not match the clean "
                f"text at offset {clean_pos}",
                hint="pass the clean text together with the edits that produced it",
            )
        clean_pos += len(edit.after)
        parts.append(edit.before)
        raw_pos = edit.end
    if clean_pos > len(text):
        raise ParameterError("the edits reach beyond the end of the clean text")
    parts.append(text[clean_pos:])
    return "".join(parts)
