"""Quotations in German news text: where they are, who is quoted, and which are scare quotes.

:func:`find_quotations` finds every quotation, with its sentence, its marks and its length,
and classifies it as ``attributed`` (a source is given), ``distancing`` (a short quoted
phrase, "scare quotes": „beste Freunde“, „Hegemonie“) or ``unclear``. :func:`stray_marks`
lists the marks that did not take part in a quotation, and :func:`quotation_summary` counts
the kinds per outlet.

Design decisions
----------------
* **Marks.** German „…“ (also „…” and „…"), »…« and ‹…›, Swiss/French «…» and ›…‹, German
  single ‚…‘ (also ‚…’), English “…” and ‘…’, and straight "…" and '…'. Marks are paired with
  a stack, line by line (in scraped news every line is a paragraph). „ always opens; the
  other marks open when they stand at the start of a word (after a space, a bracket, a dash
  or other punctuation, before a non-space) and close an open quotation that accepts them,
  otherwise; » and « open or close by that position, so both »…« and «…» work.
* **Apostrophes.** ' and ’ between two letters or digits are apostrophes ("geht's",
  "Kim’s"), as are ' and ’ right after or before a word when no quotation is waiting for them
  ("Hans' Auto", "'s"). A straight ' that opens but is never closed is read as an apostrophe as
  well: it is dropped, not turned into a quotation (reported by :func:`stray_marks` as
  ``dropped``).
* **Unbalanced marks.** An opening mark without a closing one makes a quotation that ends at
  the end of its line (trailing spaces left out), or where the quotation around it closes;
  ``balanced`` is False. A closing mark with nothing open is ignored (``stray``).
* **Nesting.** A quotation inside another (‚…‘ inside „…“) is found as well (up to
  :data:`MAX_DEPTH` levels); by default only
  the outermost quotations are returned (``nested=True`` adds the inner ones and a ``depth``
  column, 0 for the outermost). Inner quotations are classified by the cues inside their
  enclosing quotation.
* **Offsets.** ``start``/``end`` index the (clean) ``text`` and include the marks:
  ``text[start:end]`` is the quotation as written. ``quote`` is the text between the marks,
  stripped of surrounding spaces. ``n_words`` counts the word and number tokens inside.

Classification
--------------
Cues are searched in the sentence(s) of the quotation (from the sentence of its opening mark
to that of its closing mark), never inside other quotations:

* reporting verbs of the registry (:mod:`analysis.framing.sources`), with separable verbs
  ("räumte … ein");
* "…, so Putin" ("so" after a comma, dash or closing mark, then a name);
* "laut Putin", "laut Aussagen von Juri Uschakow", "nach Angaben von …", "dem Kreml zufolge";
* a colon right before the quotation, after a reporting verb or a name ("Putin: „…“").

A cue **governs** a quotation directly when (a) a colon introduces the quotation after a
verb or name; (b) a verb stands right before it ("sagte: „…“", "bekräftigte, dass „…“") and
the quotation ends its clause; or (c) the quotation opens its sentence or clause and a verb
or "so + name" follows right after it ("„…“, sagte Kim", "„…“, so Putin").

The kind is then, in this order:

1. ``unclear`` — nothing inside the marks but punctuation (``n_words == 0``);
2. ``attributed`` — a cue governs the quotation directly, whatever its length;
3. ``distancing`` — at most :data:`MAX_DISTANCING_WORDS` (3) words and no governing cue: a
   quoted word or phrase inside the writer's own sentence ("als „beste Freunde“ zu
   demonstrieren"). This holds even when the sentence has a cue elsewhere ("…, vereint gegen
   die amerikanische „Hegemonie“, … vorsehe, so Putin"): a quoted noun is marked as
   someone's word, but the sentence is the writer's;
4. ``attributed`` — a longer quotation with a cue anywhere in its sentence, or a quotation of
   at least :data:`MIN_SENTENCE_WORDS` (5) words that is a whole sentence next to a sentence
   with a cue (the one before in the same line, or ending with a colon; the one after in the
   same line);
5. ``unclear`` — everything else.

``cue`` is the governing cue, else the nearest cue of the sentence (also for distancing
quotations, where it does not govern the quotation but shows whose word is marked);
``speaker`` is the name given with it: the capitalised words next to the verb (before it, or
after it in inverted order), after "so"/"laut"/"nach Angaben von", before "zufolge" or the
colon. Role nouns and genitives in front of a name are dropped ("Putins Berater Juri Uschakow"
→ "Juri Uschakow"). When the chosen cue has no name, the nearest cue of the sentence with a
name gives it (coordinated verbs share their subject).

Limits: the rules see no syntax. Pronouns ("sagte er") give no speaker; a capitalised object
after an inverted verb can be taken for the speaker ("Dann lobte Kim Putin" → "Kim Putin"); a
one-word quotation with "so Putin" in the middle of a sentence stays distancing; partial
quotations of four or more words inside indirect speech count as attributed; quotations over
several paragraphs are cut at each paragraph end.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .reporting import (
    DocTokens,
    SourceRegistry,
    as_source_registry,
    check_document_texts,
    check_table,
    doc_tokens,
    group_labels,
    group_running_words,
    verbs_in_document,
)

__all__ = [
    "MARKS",
    "MAX_DEPTH",
    "MAX_DISTANCING_WORDS",
    "MIN_SENTENCE_WORDS",
    "QUOTATION_COLUMNS",
    "QUOTE_KINDS",
    "STRAY_COLUMNS",
    "find_quotations",
    "quotation_summary",
    "stray_marks",
]

#: Columns of the table returned by :func:`find_quotations`.
QUOTATION_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "start", "end", "quote", "marks", "n_words", "balanced", "kind", "cue", "speaker",
)
#: Columns of the table returned by :func:`stray_marks`.
STRAY_COLUMNS: tuple[str, ...] = ("doc_id", "start", "end", "mark", "problem")
#: Values of the ``kind`` column.
QUOTE_KINDS: tuple[str, ...] = ("attributed", "distancing", "unclear")
#: Quotations of at most this many words without a governing cue are distancing.
MAX_DISTANCING_WORDS = 3
#: A whole-sentence quotation needs at least this many words to take a cue from the next sentence.
MIN_SENTENCE_WORDS = 5

#: Quotations open at the same time, at most; an opening mark beyond is a stray mark (this keeps
#: the pairing linear on pathological input).
MAX_DEPTH = 16

#: Opening mark → the marks that may close it.
MARKS: dict[str, str] = {
    "\u201e": "\u201c\u201d\"",  # „ → “ ” "
    "\u201f": "\u201d\u201c\"",  # ‟ → ” “ "
    "\u201a": "\u2018\u2019'",  # ‚ → ‘ ’ '
    "\u201b": "\u2019\u2018'",  # ‛ → ’ ‘ '
    "\u00bb": "\u00ab",  # » → «
    "\u00ab": "\u00bb",  # « → »
    "\u203a": "\u2039",  # › → ‹
    "\u2039": "\u203a",  # ‹ → ›
    "\u201c": "\u201d\u201c\"",  # “ → ” “ "  (English)
    "\u2018": "\u2019",  # ‘ → ’  (English)
    '"': '"',
    "'": "'",
}
_ALL_MARKS = "".join(sorted(set(MARKS) | set("".join(MARKS.values()))))
_MARK_RE = re.compile("[" + re.escape(_ALL_MARKS) + "]")
_ALWAYS_OPEN = frozenset("\u201e\u201f")
_WEAK = frozenset("'")
_APOSTROPHES = frozenset("'\u2019")
_LINE_RE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_LINE_BREAK_RE = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


# --------------------------------------------------------------------------------------
# Pairing marks
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Quote:
    start: int
    end: int
    marks: str
    balanced: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.balanced else self.end


def _space(ch: str | None) -> bool:
    return ch is None or ch.isspace()


def _alnum(ch: str | None) -> bool:
    return ch is not None and ch.isalnum()


def _punct_or_mark(ch: str) -> bool:
    return ch in _ALL_MARKS or unicodedata.category(ch)[0] == "P"


def _opens_here(prev: str | None, nxt: str | None) -> bool:
    if _space(nxt) or (nxt not in _ALL_MARKS and unicodedata.category(nxt) in ("Pe", "Pf", "Po")):
        return False  # "“." or "“ " cannot open
    return _space(prev) or _punct_or_mark(prev)


def _closes_here(prev: str | None, nxt: str | None) -> bool:
    return not _space(prev) and (_space(nxt) or _punct_or_mark(nxt) or unicodedata.category(nxt)[0] == "S")


def _scan(text: str) -> tuple[list[_Quote], list[tuple[int, str, str]]]:
    """All quotations of a text (any depth, by start) and the marks left over."""
    quotes: list[_Quote] = []
    strays: list[tuple[int, str, str]] = []
    for line in _LINE_RE.finditer(text):
        a, b = line.span()
        stack: list[tuple[int, str]] = []  # (position, opening mark)

        def unclosed(position: int, mark: str, end: int) -> None:
            if mark in _WEAK:
                strays.append((position, mark, "dropped"))
            else:
                quotes.append(_Quote(position, max(end, position + 1), mark, False))
                strays.append((position, mark, "unclosed"))

        for match in _MARK_RE.finditer(text, a, b):
            i = match.start()
            mark = text[i]
            prev = text[i - 1] if i > a else None
            nxt = text[i + 1] if i + 1 < b else None
            if mark in _APOSTROPHES and _alnum(prev) and _alnum(nxt):
                continue
            opens, closes = _opens_here(prev, nxt), _closes_here(prev, nxt)
            k = next((j for j in range(len(stack) - 1, -1, -1) if mark in MARKS[stack[j][1]]), None)
            if k is not None and (closes or not opens or mark not in MARKS):
                for position, inner in stack[k + 1 :]:
                    unclosed(position, inner, i)
                position, opening = stack[k]
                del stack[k:]
                quotes.append(_Quote(position, i + 1, opening + mark, True))
                continue
            if mark in MARKS and (mark in _ALWAYS_OPEN or opens) and len(stack) < MAX_DEPTH:
                stack.append((i, mark))
                continue
            if mark in _APOSTROPHES and (_alnum(prev) or _alnum(nxt)):
                continue
            strays.append((i, mark, "stray"))
        end = a + len(text[a:b].rstrip())
        for position, mark in stack:
            unclosed(position, mark, end)
    quotes.sort(key=lambda q: (q.start, -q.end))
    strays.sort()
    return quotes, strays


def _depths(quotes: list[_Quote]) -> list[int]:
    """Nesting depth of each quotation (quotes sorted by start, longest first)."""
    depths = []
    open_ends: list[int] = []
    for q in quotes:
        while open_ends and open_ends[-1] <= q.start:
            open_ends.pop()
        depths.append(len(open_ends))
        open_ends.append(q.end)
    return depths


def outer_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the outermost quotations of a text."""
    quotes, _ = _scan(text)
    return [(q.start, q.end) for q, d in zip(quotes, _depths(quotes)) if d == 0]


# --------------------------------------------------------------------------------------
# Cues and speakers
# --------------------------------------------------------------------------------------

_ARTICLES = frozenset(
    "der die das den dem des ein eine einer eines einem einen dieser diese diesem diesen dieses".split()
)
_CONJUNCTIONS = frozenset("und oder aber sowie sondern denn dass weil während als wenn ob wie".split())
# Capitalised words that are not names, although not stop words either.
_NOT_NAMES = frozenset("laut so zufolge nach angaben aussagen worten informationen".split())
_UNNAMED_SUFFIXES = ("berichten", "angaben", "informationen", "quellen", "kreisen")
# Each pattern starts with its literal letters and checks the character before them in a
# look-behind after them: a leading look-behind makes the engine try it at every position
# (three to fifteen times slower on news text).
_LAUT_RE = re.compile(
    r"[Ll]aut(?<![\w\-][Ll]aut)\s+"
    r"(?:(?:Aussagen|Angaben|Worten|Informationen|Berichten|Äußerungen|Darstellung)\s+(?:von\s+)?)?"
)
_NACH_RE = re.compile(
    r"[Nn]ach(?<![\w\-][Nn]ach)\s+(?:Angaben|Aussagen|Worten|Informationen|Darstellung|Einschätzung|Ansicht)\s+"
    r"(?:von\s+)?"
)
_SO_RE = re.compile(r"[,;–—\u201c\u201d\"«»‹›\u2019'](\s*)([Ss]o)\s+")
_ZUFOLGE_RE = re.compile(r"zufolge(?<=\szufolge)(?!\w)")
_GAP_BEFORE_RE = re.compile(r"\s*[,:–—-]?\s*(?:dass\s*)?[,:]?\s*")
_GAP_AFTER_RE = re.compile(r"\s*[,.!?…]?\s*")
_CLAUSE_OPENERS = frozenset(":;–—-(")


@dataclass
class _Cue:
    start: int  # where the cue starts (the verb, "so", "laut", the name before "zufolge")
    end: int  # where the cue (with particle or name) ends
    text: str
    kind: str  # verb, so, laut, zufolge, colon
    first: int = -1  # verb: token index of the verb
    after: int = -1  # verb: token index right after the verb form (where an inverted subject starts)
    speaker: str = ""
    speaker_end: int = -1


class _Speakers:
    """Finds names next to a token position in one document."""

    def __init__(self, dt: DocTokens, registry: SourceRegistry):
        from ..text import german_stopwords

        self.dt = dt
        self.registry = registry
        self.stop = german_stopwords()

    def _name_like(self, i: int) -> bool:
        dt = self.dt
        token = dt.tokens[i]
        low = token.lower()
        return (
            dt.kinds[i] == "word"
            and token[:1].isupper()
            and low not in self.stop
            and low not in _NOT_NAMES
            and low not in self.registry._forms
            and low not in self.registry._split
        )

    def _trim(self, run: list[int]) -> list[int]:
        tokens, is_role = self.dt.tokens, self.registry.is_role
        while len(run) > 1 and (
            is_role(tokens[run[0]]) or (tokens[run[0]].endswith("s") and is_role(tokens[run[1]]))
        ):
            run = run[1:]
        return run

    def _name(self, run: list[int]) -> tuple[str, int]:
        run = self._trim(run)
        if not run:
            return "", -1
        name = " ".join(self.dt.tokens[i] for i in run)
        if name.lower().endswith(_UNNAMED_SUFFIXES):
            return "", -1
        return name, int(self.dt.ends[run[-1]])

    def left(self, i: int, sid: int, *, adverb: bool = False) -> tuple[str, int]:
        """Name ending right before token ``i`` (with ``adverb``: or before one lower-case word
        in between, "Putin wiederum lobte")."""
        dt = self.dt
        run = []
        j = i - 1
        if (
            adverb and j >= 1 and dt.sentence[j] == sid and dt.kinds[j] == "word" and dt.tokens[j].islower()
            and dt.tokens[j] not in _ARTICLES and dt.tokens[j] not in _CONJUNCTIONS
            and dt.sentence[j - 1] == sid and self._name_like(j - 1)
        ):
            j -= 1
        while j >= 0 and len(run) < 5 and self.dt.sentence[j] == sid and self._name_like(j):
            run.insert(0, j)
            j -= 1
        return self._name(run)

    def right(self, i: int, sid: int, *, adjectives: bool = False) -> tuple[str, int]:
        """Name starting at token ``i`` (after an article and up to two adjectives)."""
        dt = self.dt
        n = len(dt.tokens)
        j = i
        if j < n and dt.sentence[j] == sid and dt.tokens[j].lower() in _ARTICLES:
            j += 1
            adjectives = True
        if adjectives:
            for _ in range(2):
                if j < n and dt.sentence[j] == sid and dt.kinds[j] == "word" and dt.tokens[j].islower():
                    j += 1
        run = []
        while j < n and len(run) < 5 and dt.sentence[j] == sid and self._name_like(j):
            run.append(j)
            j += 1
        return self._name(run)


def _phrase_cues(text: str, dt: DocTokens, speakers: _Speakers) -> list[_Cue]:
    """"so Putin", "laut …", "nach Angaben von …" and "… zufolge" cues with a name."""
    cues = []
    for pattern in (_LAUT_RE, _NACH_RE):
        for match in pattern.finditer(text):
            i = dt.index_at(match.end() - 1)
            sid = dt.sentence_at(match.start())
            name, end = speakers.right(i, sid, adjectives=True)
            if end < 0:
                continue
            cues.append(_Cue(match.start(), end, " ".join(text[match.start() : end].split()), "laut",
                             speaker=name, speaker_end=end))
    for match in _SO_RE.finditer(text):
        start = match.start(2)
        i = dt.index_at(match.end() - 1)
        sid = dt.sentence_at(start)
        name, end = speakers.right(i, sid)
        if end < 0 or dt.sentence_at(end - 1) != sid:
            continue
        cues.append(_Cue(start, end, " ".join(text[start:end].split()), "so", speaker=name, speaker_end=end))
    for match in _ZUFOLGE_RE.finditer(text):
        i = dt.index_at(match.start())
        sid = dt.sentence_at(match.start())
        run_name, _ = speakers.left(i, sid)
        j = i - 1
        while j >= 0 and dt.sentence[j] == sid and speakers._name_like(j):
            j -= 1
        start = int(dt.starts[j + 1]) if j + 1 < i else match.start()
        if start == match.start():
            continue
        cues.append(_Cue(start, match.end(), " ".join(text[start : match.end()].split()), "zufolge",
                         speaker=run_name))
    return cues


def _verb_cues(dt: DocTokens, verbs) -> list[_Cue]:
    return [
        _Cue(v.start, v.cue_end, v.form, "verb", first=v.first, after=v.first + 1 if "…" in v.form else v.last + 1)
        for v in verbs
    ]


def _verb_speaker(cue: _Cue, quote: _Quote, dt: DocTokens, speakers: _Speakers) -> tuple[str, int]:
    """Speaker of a verb cue: before the verb (subject first) or after it (inverted)."""
    sid = int(dt.sentence[cue.first])
    sides = [speakers.left(cue.first, sid, adverb=True), speakers.right(cue.after, sid)]
    if cue.start > quote.start:  # „…“, sagte Putin: the inverted subject first
        sides.reverse()
    for name, end in sides:
        if name:
            return name, end
    return "", -1


@dataclass
class _Scope:
    start: int
    end: int
    sentence_id: int


def _distance(cue: _Cue, quote: _Quote) -> tuple[int, int]:
    if cue.end <= quote.start:
        return quote.start - cue.end, 0
    if cue.start >= quote.end:
        return cue.start - quote.end, 1
    return 0, 0


def _governs(cue: _Cue, quote: _Quote, text: str, scope: _Scope) -> bool:
    """Whether the cue directly introduces or follows the quotation (see the module notes)."""
    if cue.kind == "colon":
        return True
    if cue.kind == "verb" and cue.end <= quote.start:
        gap_from = max(cue.end, cue.speaker_end) if cue.speaker_end > cue.end else cue.end
        rest = text[quote.end : scope.end].lstrip()
        ends_clause = not rest or _punct_or_mark(rest[0])
        return ends_clause and _GAP_BEFORE_RE.fullmatch(text, gap_from, quote.start) is not None
    if cue.kind in ("verb", "so") and cue.start >= quote.end:
        before = text[scope.start : quote.start].rstrip()
        opens_clause = not before or before[-1] in _CLAUSE_OPENERS
        return opens_clause and _GAP_AFTER_RE.fullmatch(text, quote.end, cue.start) is not None
    return False


def _colon_cue(quote: _Quote, text: str, scope: _Scope, cues, dt: DocTokens, speakers: _Speakers):
    """A cue for "Putin: „…“" or "Kim sagte vor Reportern: „…“", or None."""
    head = text[scope.start : quote.start].rstrip()
    if not head.endswith(":"):
        return None
    colon = scope.start + len(head) - 1
    before = [c for c in cues if c.kind == "verb" and c.end <= colon]
    if before:
        verb = max(before, key=lambda c: c.start)
        name, end = _verb_speaker(verb, quote, dt, speakers)
        return _Cue(verb.start, verb.end, verb.text, "colon", first=verb.first, after=verb.after,
                    speaker=name, speaker_end=end)
    i = dt.index_at(colon)
    name, _ = speakers.left(i, int(dt.sentence[i]) if i < len(dt.sentence) else 0)
    if not name:
        return None
    start = text.rfind(name.split()[0], scope.start, colon)
    return _Cue(max(start, scope.start), colon + 1, f"{name}:", "colon", speaker=name)


class _Index:
    """Cues and quotations of one document, searchable by offset."""

    def __init__(self, text: str, quotes: list[_Quote], cues: list[_Cue]):
        self.quotes = quotes  # sorted by start
        self.quote_starts = [q.start for q in quotes]
        self.cues = sorted(cues, key=lambda c: c.start)
        self.cue_starts = [c.start for c in self.cues]
        self.line_starts = [m.start() for m in _LINE_RE.finditer(text)] or [0]

    def cues_in(self, start: int, end: int) -> list[_Cue]:
        """Cues starting in ``[start, end)``."""
        return self.cues[bisect.bisect_left(self.cue_starts, start) : bisect.bisect_left(self.cue_starts, end)]

    def quotes_near(self, start: int, end: int) -> list[_Quote]:
        """Quotations that may overlap ``[start, end)`` (a quotation never crosses a line)."""
        line = self.line_starts[max(bisect.bisect_right(self.line_starts, start) - 1, 0)]
        return self.quotes[bisect.bisect_left(self.quote_starts, line) : bisect.bisect_left(self.quote_starts, end)]


def _eligible(cue: _Cue, quote: _Quote, quotes: list[_Quote]) -> bool:
    """A cue counts for a quotation unless it is inside another quotation that does not
    contain this one."""
    for other in quotes:
        if other.start <= cue.start < other.end and not (other.start <= quote.start and quote.end <= other.end):
            return False
        if other.start <= cue.start < other.end and other is quote:
            return False
    return True


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def _empty_quotes(nested: bool) -> pd.DataFrame:
    columns = list(QUOTATION_COLUMNS) + (["depth"] if nested else [])
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for c in ("sentence_id", "start", "end", "n_words") + (("depth",) if nested else ()):
        frame[c] = frame[c].astype(np.int64)
    frame["balanced"] = frame["balanced"].astype(bool)
    return frame


def find_quotations(
    documents: pd.DataFrame,
    *,
    tokens: pd.DataFrame | None = None,
    registry: SourceRegistry | str | Path | None = None,
    nested: bool = False,
) -> pd.DataFrame:
    """Find and classify the quotations of the documents.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    tokens : pandas.DataFrame, optional
        The tokens table of these documents (``tokenize(documents)``), to avoid tokenizing
        again; sentences and word counts come from it.
    registry : SourceRegistry or path, optional
        Reporting verbs and speaker roles; :func:`analysis.framing.reporting.load_source_registry` by default.
    nested : bool, default False
        Also return quotations inside other quotations, with a ``depth`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, quote, marks, n_words, balanced, kind,
        cue, speaker`` (plus ``depth`` with ``nested=True``), one row per quotation in
        document order. ``text[start:end]`` is the quotation with its marks; ``marks`` the
        opening and closing mark ("„“", or only the opening mark when unbalanced);
        ``sentence_id`` the sentence of the opening mark (as in the tokens table); ``kind`` one
        of :data:`QUOTE_KINDS`; ``cue`` and ``speaker`` are "" when none was found. The rules
        are in the module notes.

    Raises
    ------
    ParameterError
        For a documents table without ``doc_id``/``text``, or tokens that do not fit it.
    LexiconError
        If the registry cannot be read.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Kim nannte Putin seinen „besten Freund“. Putin sagte: „Wir werden zusammenarbeiten.“\\n"
    ...     "„Das ist ein historischer Tag für uns“, so Kim."]})
    >>> find_quotations(docs)[["quote", "kind", "cue", "speaker"]].values.tolist()
    [['besten Freund', 'distancing', 'nannte', 'Kim'], \
['Wir werden zusammenarbeiten.', 'attributed', 'sagte', 'Putin'], \
['Das ist ein historischer Tag für uns', 'attributed', 'so Kim', 'Kim']]
    """
    texts = check_document_texts(documents)
    if not isinstance(nested, (bool, np.bool_)):
        raise ParameterError(f"nested must be True or False, got {nested!r}")
    registry = as_source_registry(registry)
    rows = []
    doc_ids = documents["doc_id"].astype(str).tolist()
    for doc_id, text, dt in zip(doc_ids, texts, doc_tokens(documents, texts, tokens, registry)):
        quotes, _ = _scan(text)
        if not quotes:
            continue
        depths = _depths(quotes)
        outer = [(q.start, q.end) for q, d in zip(quotes, depths) if d == 0]
        speakers = _Speakers(dt, registry)
        cues = _verb_cues(dt, verbs_in_document(dt, registry, outer)) + _phrase_cues(text, dt, speakers)
        index = _Index(text, quotes, cues)
        for number, (quote, depth) in enumerate(zip(quotes, depths)):
            if depth and not nested:
                continue
            parent = _parent(quotes, depths, number)
            row = _classify(text, quote, parent, index, dt, speakers)
            rows.append((doc_id,) + row + ((depth,) if nested else ()))
    if not rows:
        return _empty_quotes(nested)
    columns = list(QUOTATION_COLUMNS) + (["depth"] if nested else [])
    frame = pd.DataFrame(rows, columns=columns)
    for c in ("sentence_id", "start", "end", "n_words") + (("depth",) if nested else ()):
        frame[c] = frame[c].astype(np.int64)
    frame["balanced"] = frame["balanced"].astype(bool)
    return frame


def _parent(quotes: list[_Quote], depths: list[int], index: int) -> _Quote | None:
    if depths[index] == 0:
        return None
    for j in range(index - 1, -1, -1):
        if depths[j] == depths[index] - 1:
            return quotes[j]
    return None


def _scope(quote: _Quote, parent: _Quote | None, dt: DocTokens) -> _Scope:
    sid = dt.sentence_at(quote.start)
    last = dt.sentence_at(max(quote.end - 1, quote.start))
    start = dt.sent_start.get(sid, quote.start)
    end = max(dt.sent_end.get(last, quote.end), quote.end)
    if parent is not None:
        inner_start, inner_end = parent.inner
        start, end = max(start, inner_start), min(end, inner_end)
    return _Scope(min(start, quote.start), max(end, quote.end), sid)


def _count_words(dt: DocTokens, start: int, end: int) -> int:
    i = int(np.searchsorted(dt.starts, start, side="left"))
    j = int(np.searchsorted(dt.starts, end, side="left"))
    return sum(1 for k in range(i, j) if dt.ends[k] <= end and dt.kinds[k] in ("word", "number"))


def _with_speaker(cue: _Cue, quote: _Quote, dt: DocTokens, speakers: _Speakers) -> _Cue:
    if cue.kind == "verb":
        name, end = _verb_speaker(cue, quote, dt, speakers)
        return _Cue(cue.start, cue.end, cue.text, cue.kind, cue.first, cue.after, name, end)
    return cue


def _classify(text, quote, parent, index, dt, speakers):
    scope = _scope(quote, parent, dt)
    inner_start, inner_end = quote.inner
    n_words = _count_words(dt, inner_start, inner_end)
    near = index.quotes_near(scope.start, scope.end)
    found = [
        _with_speaker(c, quote, dt, speakers)
        for c in index.cues_in(scope.start, scope.end)
        if c.end <= scope.end and _eligible(c, quote, near)
    ]
    colon = _colon_cue(quote, text, scope, found, dt, speakers)
    if colon is not None:
        found.append(colon)
    found.sort(key=lambda c: _distance(c, quote))
    governing = [c for c in found if _governs(c, quote, text, scope)]
    chosen = None
    if n_words == 0:
        kind = "unclear"
    elif governing:
        kind, chosen = "attributed", governing[0]
    elif n_words <= MAX_DISTANCING_WORDS:
        kind = "distancing"
        chosen = found[0] if found else None
    elif found:
        kind, chosen = "attributed", found[0]
    else:
        chosen = _neighbour_cue(text, quote, parent, scope, n_words, index, dt, speakers)
        kind = "attributed" if chosen is not None else "unclear"
    cue = speaker = ""
    if chosen is not None:
        cue, speaker = chosen.text, chosen.speaker
        if not speaker:
            speaker = next((c.speaker for c in found if c.speaker), "")
    return (
        scope.sentence_id, quote.start, quote.end, text[inner_start:inner_end].strip(), quote.marks,
        n_words, quote.balanced, kind, cue, speaker,
    )


def _neighbour_cue(text, quote, parent, scope, n_words, index, dt, speakers):
    """The nearest cue of the sentence before or after a whole-sentence quotation."""
    if parent is not None or n_words < MIN_SENTENCE_WORDS:
        return None
    outside = text[scope.start : quote.start] + text[quote.end : scope.end]
    if any(ch.isalnum() for ch in outside):
        return None
    candidates = []
    last = dt.sentence_at(max(quote.end - 1, quote.start))
    for sid, before in ((scope.sentence_id - 1, True), (last + 1, False)):
        if sid not in dt.sent_start:
            continue
        a, b = dt.sent_start[sid], dt.sent_end[sid]
        between = text[b:scope.start] if before else text[scope.end:a]
        same_line = _LINE_BREAK_RE.search(between) is None
        if not same_line and not (before and text[a:b].rstrip().endswith(":")):
            continue
        near = index.quotes_near(min(a, scope.start), max(b, scope.end))
        for cue in index.cues_in(a, b):
            if _eligible(cue, quote, near):
                candidates.append(_with_speaker(cue, quote, dt, speakers))
    if not candidates:
        return None
    candidates.sort(key=lambda c: _distance(c, quote))
    return candidates[0]


def stray_marks(documents: pd.DataFrame) -> pd.DataFrame:
    """Quotation marks that did not pair up.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text``.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, start, end, mark, problem``, by document and offset. ``problem`` is
        ``stray`` (a closing mark with nothing open, or a mark that can neither open nor close
        where it stands: ignored), ``unclosed`` (an opening mark without its closing mark: the
        quotation runs to the end of the line or of the quotation around it, ``balanced`` is
        False in :func:`find_quotations`) or ``dropped`` (a straight ' that opens but is never
        closed, read as an apostrophe). Apostrophes inside or at the edge of words are not
        listed.

    Raises
    ------
    ParameterError
        For a documents table without ``doc_id``/``text``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Er sagte“ nichts. „Wir kommen\\nSo 'n Quatsch, geht's?"]})
    >>> stray_marks(docs).values.tolist()
    [['d1', 8, 9, '“', 'stray'], ['d1', 18, 19, '„', 'unclosed'], ['d1', 33, 34, "'", 'dropped']]
    """
    texts = check_document_texts(documents)
    rows = []
    for doc_id, text in zip(documents["doc_id"].astype(str), texts):
        _, strays = _scan(text)
        rows.extend((doc_id, position, position + 1, mark, problem) for position, mark, problem in strays)
    frame = pd.DataFrame(rows, columns=list(STRAY_COLUMNS))
    if not rows:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in STRAY_COLUMNS})
    for c in ("start", "end"):
        frame[c] = frame[c].astype(np.int64)
    return frame


def quotation_summary(
    quotes: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    group: str = "outlet",
    tokens: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Quotations per group and kind: counts, shares and rates per 1,000 running words.

    Parameters
    ----------
    quotes : pandas.DataFrame
        Output of :func:`find_quotations` (with ``nested=True`` only the outermost
        quotations, ``depth == 0``, are counted).
    documents : pandas.DataFrame
        The documents table (group of each document, text for the running words).
    group : str, default "outlet"
        Documents column to sum documents by.
    tokens : pandas.DataFrame, optional
        The tokens table of these documents; running words are its ``word`` and ``number``
        tokens. Tokenized when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``<group>, kind, count, share, per_1000_words, running_words``: every group ×
        every kind of :data:`QUOTE_KINDS` (zeros included). ``share`` is the count over all
        quotations of the group (0 when it has none).

    Raises
    ------
    ParameterError
        For tables without the needed columns or an unknown group column.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "outlet": ["X"], "text": [
    ...     "Beide feierten gestern die „Freundschaft“. Putin sagte: „Wir stehen zusammen.“"]})
    >>> quotation_summary(find_quotations(docs), docs).values.tolist()
    [['X', 'attributed', 1, 0.5, 100.0, 10], ['X', 'distancing', 1, 0.5, 100.0, 10], \
['X', 'unclear', 0, 0.0, 0.0, 10]]
    """
    check_table(quotes, ("doc_id", "kind"), "analysis.framing.quotes.find_quotations")
    check_document_texts(documents)
    mapping, labels = group_labels(documents, group)
    if "depth" in quotes.columns:
        quotes = quotes[quotes["depth"] == 0]
    running = group_running_words(documents, tokens, mapping)
    index = pd.MultiIndex.from_product([labels, list(QUOTE_KINDS)], names=[group, "kind"])
    keyed = pd.DataFrame({group: quotes["doc_id"].astype(str).map(mapping), "kind": quotes["kind"].astype(str)})
    counts = keyed.dropna().groupby([group, "kind"]).size()
    table = counts.reindex(index, fill_value=0).rename("count").reset_index()
    table["count"] = table["count"].astype(np.int64)
    totals = table.groupby(group)["count"].transform("sum")
    table["share"] = (table["count"] / totals.where(totals > 0)).fillna(0.0).astype(float)
    table["running_words"] = table[group].map(running).fillna(0).astype(np.int64)
    rate = table["count"] / table["running_words"].where(table["running_words"] > 0) * 1000
    table["per_1000_words"] = rate.fillna(0.0).astype(float)
    return table[[group, "kind", "count", "share", "per_1000_words", "running_words"]]
