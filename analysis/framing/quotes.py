"""Quotations in German news text: where they are, who is quoted, and which are scare quotes.

:func:`find_quotations` finds every quotation, with its sentence, its marks and its length,
and classifies it as ``attributed`` (a source is given), ``distancing`` (a short quoted
phrase, "scare quotes": „beste Freunde“, „Hegemonie“), ``title`` (a quoted name or title: der
Film »Das Boot«, der Flugzeugträger »Admiral Kusnezow«) or ``unclear``. :func:`stray_marks`
lists the marks that did not take part in a quotation, and :func:`quotation_summary` counts
the kinds per outlet.

Design decisions
----------------
* **Marks.** German „…“ (also „…” and „…"), »…« and ‹…›, Swiss/French «…» and ›…‹, German
  single ‚…‘ (also ‚…’), English “…” and ‘…’, and straight "…" and '…'. Marks are paired with
  a stack, line by line (in scraped news every line is a paragraph), so no pair ever crosses a
  line break. „ always opens; the other marks open when they stand at the start of a word
  (after a space, a bracket, a dash or other punctuation, before a non-space) and close an
  open quotation that accepts them, otherwise; » and « open or close by that position, so
  both »…« and «…» work.
* **Straight marks.** " and ' look the same at both ends and also stand for inches, seconds
  or a lost typographic mark, so they pair by position only: one opens at the start of a word
  and closes an open straight quotation only at the end of a word (before a space,
  punctuation or the end of the line; "Er sagte "Wir kommen" und ging"). A straight mark
  in the middle of a word or between two spaces is ``stray``. A pair around more than
  :data:`MAX_STRAIGHT_WORDS` (60) words or more than :data:`MAX_STRAIGHT_SENTENCES` (3)
  sentences (by :func:`analysis.text.split_sentences`) is no quotation: such spans are
  almost always a stray mark paired with one far away, and both marks are reported as
  ``unpaired_straight`` (quotations inside the span are still found). A straight " that opens
  and is never closed makes no quotation either (``unpaired_straight``); a " may still close
  a „ („…").
* **Apostrophes.** ' and ’ between two letters or digits are apostrophes ("geht's",
  "Kim’s"), as are ' and ’ right after or before a word when no quotation is waiting for them
  ("Hans' Auto", "'s"). A straight ' that opens but is never closed is read as an apostrophe as
  well: it is dropped, not turned into a quotation (reported by :func:`stray_marks` as
  ``dropped``).
* **Unbalanced marks.** A typographic opening mark („, », ‚ …) without a closing one is
  unambiguous about where a quotation starts, not about where it ends: it makes a quotation
  that ends at the end of its line (trailing spaces left out), where the quotation around it
  closes, or at the end of its :data:`MAX_UNCLOSED_SENTENCES`-th (3rd) sentence, whichever
  comes first; ``balanced`` is False. The sentence limit matches the one for straight
  marks: a quotation rarely runs on for more, a forgotten closing mark often does. A closing
  mark with nothing open is ignored (``stray``).
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
* a colon right before the quotation, after a reporting verb, a name or a noun ("Putin: „…“",
  "Sein Fazit: „…“").

A cue **governs** a quotation directly when (a) a colon introduces the quotation after a
verb, name or noun; (b) a verb stands right before it ("sagte: „…“", "bekräftigte, dass „…“")
and the quotation ends its clause; or (c) the quotation opens its sentence or clause and a verb
or "so + name" follows right after it ("„…“, sagte Kim", "„…“, so Putin").

The kind is then, in this order:

1. ``unclear`` — nothing inside the marks but punctuation (``n_words == 0``);
2. ``title`` — a name or title in quotation marks, either

   a. right after a title noun of :data:`TITLE_NOUNS` or a compound ending in one ("der Film
      „Das Boot“", "die Sendung „Hart aber fair“", "die Zeitung „Welt“", "der
      Flugzeugträger »Admiral Kusnezow«", "unter dem Motto „Wir schaffen das“"), with at most
      :data:`MAX_TITLE_WORDS` (12) words of which the first is capitalised (or a number); or
   b. in »…« or «…», of 2 to :data:`MAX_NAME_WORDS` (6) words, every one of them capitalised
      (or a number) and nothing else inside, in a sentence without any cue ("Die »Admiral
      Kusnezow« lief aus").

   A single capitalised word without a title noun stays distancing, whatever its marks:
   every German noun is capitalised, so »Hegemonie« cannot be told from a one-word name by
   its shape. Rule (b) cannot tell a capitalised phrase from a name either (»Gute
   Zusammenarbeit« in a sentence without cue is a title) and misses a name in a sentence with
   a cue ("Putin sagte, die »Admiral Kusnezow« werde auslaufen" stays distancing); names in
   „…“ are found only after a title noun. ``cue`` and ``speaker`` of a title are "" (a name is
   nobody's words);
3. ``attributed`` — a cue governs the quotation directly, whatever its length;
4. ``distancing`` — at most :data:`MAX_DISTANCING_WORDS` (3) words and no governing cue: a
   quoted word or phrase inside the writer's own sentence ("als „beste Freunde“ zu
   demonstrieren"). This holds even when the sentence has a cue elsewhere ("…, vereint gegen
   die amerikanische „Hegemonie“, … vorsehe, so Putin"): a quoted noun is marked as
   someone's word, but the sentence is the writer's;
5. ``attributed`` — a longer quotation with a cue anywhere in its sentence, or a quotation of
   at least :data:`MIN_SENTENCE_WORDS` (5) words that is a whole sentence next to a sentence
   with a cue (the one before in the same line, or ending with a colon; the one after in the
   same line);
6. ``unclear`` — everything else.

Speakers
--------
``cue`` is the governing cue, else the nearest cue of the sentence (also for distancing
quotations, where it does not govern the quotation but shows whose word is marked);
``speaker`` is the name given with it: the capitalised words next to the verb (before it, or
after it in inverted order, also after one adverb: "äußerte auch Friedrich Merz"), after
"so"/"laut"/"nach Angaben von", before "zufolge" or the colon. Role nouns and genitives in
front of a name are dropped ("Putins Berater Juri Uschakow" → "Juri Uschakow"). When the
chosen cue has no name, the nearest cue of the sentence with a name gives it (coordinated
verbs share their subject).

A speaker is a person or an organisation, so these words are never (part of) one:

* **time words** (:data:`TIME_WORDS`): weekdays, months, parts of the day and spans of time,
  and weekday compounds ("Am Mittwoch sagte er" → no speaker; "Am Mittwochabend erklärte
  Putin" → "Putin"; "sagte Putin Ende Juni" → "Putin"). Those that are surnames as well
  (:data:`SURNAME_TIME_WORDS`) may follow a first name ("Katrin Sommer");
* **words in capitals** that are neither an agency or state medium of the source registry
  ("AFP", "TASS", "KCNA") nor one of :data:`ORGANISATION_ACRONYMS` ("NATO", "EU", "SPD"),
  unless a name follows them: in running text "BILD", "SPIEGEL" or "ARD" mostly name the
  outlet that carried an interview ("sagte Scholz BILD" → "Scholz", "heißt es in BILD");
* **common nouns**, when the whole name would consist of them ("Sorgen äußerte …", "Sein
  Fazit: „…“", "dem Bericht zufolge"): the cue stays, its speaker is "". A capitalised word
  is a common noun when the lemmatizer's German dictionary (simplemma, which the tokenizer
  uses for lemmas) knows it with a capitalised lemma that has a plural form there (the lemma
  plus -e, -en, -n, -er, -nen, an umlaut, or -nisse for -nis maps back to it: "Sorgen" →
  "Sorge" ← "Sorgen"; "Fazit" ← "Fazite"), or when only its lower-case form is known or its
  lemma is lower-case (a verb or adjective capitalised at the start of a sentence: "Besorgt",
  "Neue"). Names have no plural in that dictionary ("Putin", "Merkel", "Moskau", "Kim"; at
  most a genitive in -s), so they pass. Exempt are role nouns of the registry ("der
  Minister", "Experten"), registry sources, organisation nouns of :data:`ORGANISATION_NOUNS`
  and compounds ending in one ("die Polizei", "die Bundesregierung", "dem Kreml zufolge"),
  and words that follow a name-shaped word elsewhere in the same document, so that a surname
  that is also a common noun is a name there ("Thomas Müller … Müller sagte"). The lexical
  test runs once per distinct word (cached); the document test only when needed.

  Word frequencies (``wordfreq``) were considered and not used: they are case-folded, so
  "Sorgen" and "sorgen" share one figure, and names are as frequent as common nouns (Putin
  and Merkel rank above Fazit and Aussage).

Limits: the rules see no syntax. Pronouns ("sagte er") give no speaker; a capitalised object
after an inverted verb can be taken for the speaker ("Dann lobte Kim Putin" → "Kim Putin"); a
one-word quotation with "so Putin" in the middle of a sentence stays distancing; partial
quotations of four or more words inside indirect speech count as attributed; quotations over
several paragraphs are cut at each paragraph end. A surname that is a common noun (Müller,
Koch, Rutte) standing alone, without its first name in the document, gives no speaker, nor
does an organisation whose noun is not listed ("die Botschaft", which is as often "the
message"), an acronym in capitals that is not listed, or a generic group ("Kritiker warnen").
"""

from __future__ import annotations

import bisect
import functools
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
    "MAX_NAME_WORDS",
    "MAX_STRAIGHT_SENTENCES",
    "MAX_STRAIGHT_WORDS",
    "MAX_TITLE_WORDS",
    "MAX_UNCLOSED_SENTENCES",
    "MIN_SENTENCE_WORDS",
    "ORGANISATION_ACRONYMS",
    "ORGANISATION_NOUNS",
    "QUOTATION_COLUMNS",
    "QUOTE_KINDS",
    "STRAY_COLUMNS",
    "STRAY_PROBLEMS",
    "SURNAME_TIME_WORDS",
    "TIME_WORDS",
    "TITLE_NOUNS",
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
#: Values of the ``problem`` column of :func:`stray_marks`.
STRAY_PROBLEMS: tuple[str, ...] = ("stray", "unclosed", "dropped", "unpaired_straight")
#: Values of the ``kind`` column.
QUOTE_KINDS: tuple[str, ...] = ("attributed", "distancing", "unclear", "title")
#: Quotations of at most this many words without a governing cue are distancing.
MAX_DISTANCING_WORDS = 3
#: A whole-sentence quotation needs at least this many words to take a cue from the next sentence.
MIN_SENTENCE_WORDS = 5

#: A pair of straight marks ("…" or '…') around more words than this is no quotation: both marks
#: are reported as ``unpaired_straight``. 60 words is about three long news sentences; a quoted
#: passage in one paragraph rarely runs longer, while a stray inch sign or a mark lost in
#: scraping pairs with one a whole paragraph away (the 96–211-word "quotations" such pairs make).
MAX_STRAIGHT_WORDS = 60
#: A pair of straight marks around more sentences than this is no quotation either.
MAX_STRAIGHT_SENTENCES = 3
#: An opening „, », ‚ … without its closing mark runs at most to the end of this many sentences
#: (and never past the end of its line).
MAX_UNCLOSED_SENTENCES = 3
#: A quotation after a title noun ("der Film „Das Boot“") is a ``title`` if it has at most this
#: many words and its first word is capitalised.
MAX_TITLE_WORDS = 12
#: A »…« or «…» quotation of 2 to this many words, every one capitalised, without any cue in its
#: sentence, is a ``title`` (a name: »Admiral Kusnezow«).
MAX_NAME_WORDS = 6
#: Nouns that introduce a name or title in quotation marks. A word ending in one of them counts
#: too ("Flugzeugträger", "Fernsehsendung", "Tageszeitung"), also with a case ending ("Films").
TITLE_NOUNS: tuple[str, ...] = (
    "Film", "Buch", "Roman", "Serie", "Sendung", "Talkshow", "Show", "Magazin", "Zeitung", "Zeitschrift",
    "Schiff", "Boot", "Flugzeugträger", "Kreuzer", "Fregatte", "Zerstörer", "Operation", "Projekt",
    "Programm", "Album", "Lied", "Song", "Kampagne", "Initiative", "Ausstellung", "Stück", "Oper", "Titel",
    "Motto", "Slogan", "Manöver", "Podcast", "Dokumentation", "Doku", "Gedicht", "Festival",
)
#: Common nouns that name an organisation and may therefore be a speaker ("die Polizei teilte
#: mit", "dem Kreml zufolge"); a word ending in one counts too ("Bundesregierung"). The role
#: nouns of the source registry ("Minister", "Ministerium", "Zeitung") count as well.
ORGANISATION_NOUNS: tuple[str, ...] = (
    "Regierung", "Polizei", "Armee", "Militär", "Partei", "Gericht", "Staatsanwaltschaft", "Gewerkschaft",
    "Opposition", "Kommission", "Behörde", "Führung", "Verwaltung", "Feuerwehr", "Kreml", "Pentagon",
    "Parlament", "Senat", "Kabinett", "Bundestag", "Bundesrat", "Duma", "Sicherheitsrat", "Geheimdienst",
    "Nachrichtendienst", "Konzern", "Unternehmen", "Firma", "Verband", "Institut", "Universität", "Stiftung",
    "Organisation", "Allianz", "Bündnis", "Union", "Haus", "Vatikan", "Kommando", "Generalstab", "Bank",
)
#: Acronyms in capitals that are organisations and may be speakers on their own, besides the
#: agencies and state media of the source registry ("AFP", "TASS", "KCNA"). Other words in
#: capitals ("BILD", "SPIEGEL", "ARD") stand in running text mostly for the outlet an interview
#: was given to ("sagte Scholz der BILD"), and are a speaker only when a name follows them.
ORGANISATION_ACRONYMS: frozenset[str] = frozenset(
    "EU UN UNO NATO USA US OSZE IAEA IAEO WHO IWF EZB OPEC ASEAN BRICS G7 G20 OECD WTO UNHCR UNICEF IKRK IOC "
    "BND BKA FBI CIA NSA FSB GRU KGB CDU CSU SPD FDP BSW ÖVP SPÖ FPÖ SVP".split()
)
#: Time words, never speakers ("Am Mittwoch sagte er"): weekdays, months, parts of the day and
#: spans of time, lower-cased, with their case endings; weekday compounds ("Mittwochabend")
#: are recognised by their parts.
TIME_WORDS: frozenset[str] = frozenset(
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag "
    "montags dienstags mittwochs donnerstags freitags samstags sonnabends sonntags "
    "januar jänner februar feber märz april mai juni juli august september oktober november dezember "
    "januars februars märzes aprils mais junis julis augusts septembers oktobers novembers dezembers "
    "morgen morgens vormittag vormittags mittag mittags nachmittag nachmittags abend abends nacht nachts "
    "tag tage tages tagen woche wochen wochenende wochenendes monat monate monats monaten "
    "jahr jahre jahres jahren jahrzehnt jahrzehnte jahrzehnts jahrhundert jahrhunderts "
    "stunde stunden minute minuten sekunde sekunden zeit frühjahr frühling sommer herbst winter "
    "anfang ende mitte beginn jahresbeginn jahresende jahresanfang wochenbeginn monatsende "
    "heute gestern vorgestern übermorgen silvester neujahr ostern pfingsten weihnachten".split()
)
#: Time words of :data:`TIME_WORDS` that are surnames as well: they may follow a first name
#: ("Katrin Sommer sagte"), unless another time word or a number follows ("sagte Putin Ende Juni").
SURNAME_TIME_WORDS: frozenset[str] = frozenset(
    "sommer winter herbst frühling morgen abend nacht tag ende anfang mitte beginn zeit jahr woche".split()
)
_WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag")
_DAY_PARTS = frozenset("früh morgen vormittag mittag nachmittag abend nacht".split())

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
_STRAIGHT = frozenset("\"'")
_SENTENCE_END = ".!?…"
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


def _too_long(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, the inside of a straight-mark pair, is longer than a
    quotation in straight marks may be (:data:`MAX_STRAIGHT_WORDS`, :data:`MAX_STRAIGHT_SENTENCES`).

    Cheap bounds come first: ``n`` words need at least ``2n - 1`` characters and ``n``
    sentences at least ``n - 1`` sentence-ending characters, so the tokenizer and the sentence
    splitter only see the rare long spans.
    """
    from ..text import split_sentences, tokenize_text

    inner = text[start:end]
    if len(inner) > 2 * MAX_STRAIGHT_WORDS:
        words = sum(1 for t in tokenize_text(inner) if t.kind in ("word", "number"))
        if words > MAX_STRAIGHT_WORDS:
            return True
    if sum(inner.count(c) for c in _SENTENCE_END) >= MAX_STRAIGHT_SENTENCES:
        return len(split_sentences(inner)) > MAX_STRAIGHT_SENTENCES
    return False


def _capped_end(text: str, start: int, end: int) -> int:
    """End of an unclosed quotation opened at ``start - 1`` that could run to ``end``: the end of
    its :data:`MAX_UNCLOSED_SENTENCES`-th sentence when more sentences follow, else ``end``."""
    from ..text import split_sentences

    inner = text[start:end]
    if sum(inner.count(c) for c in _SENTENCE_END) < MAX_UNCLOSED_SENTENCES:
        return end
    spans = split_sentences(inner)
    if len(spans) > MAX_UNCLOSED_SENTENCES:
        return start + spans[MAX_UNCLOSED_SENTENCES - 1][1]
    return end


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
            elif mark in _STRAIGHT:
                strays.append((position, mark, "unpaired_straight"))
            else:
                end = _capped_end(text, position + 1, end)
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
            if k is not None and mark in _STRAIGHT and stack[k][1] in _STRAIGHT and not closes:
                k = None  # a straight mark closes a straight quotation only at the end of a word
            if k is not None and (closes or not opens or mark not in MARKS):
                for position, inner in stack[k + 1 :]:
                    unclosed(position, inner, i)
                position, opening = stack[k]
                del stack[k:]
                if opening in _STRAIGHT and _too_long(text, position + 1, i):
                    strays.append((position, opening, "unpaired_straight"))
                    strays.append((i, mark, "unpaired_straight"))
                    continue
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
_PRONOUNS = frozenset(
    "ich du er sie es wir ihr man mir mich dir dich ihm ihn uns euch ihnen sich jemand niemand".split()
)
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


_CASE_ENDINGS = ("", "s", "es", "e", "en", "n")
_UMLAUT = str.maketrans("aouAOU", "äöüÄÖÜ")
_PLURAL_SUFFIXES = ("e", "en", "n", "er", "nen")
_SOURCE_TYPES_AS_SPEAKERS = ("agency", "state_media")
_ACRONYM_CACHE: dict[int, tuple[SourceRegistry, frozenset]] = {}


@functools.lru_cache(maxsize=1 << 16)
def _ends_in(word: str, nouns: tuple[str, ...]) -> bool:
    """Whether ``word`` is one of ``nouns`` or a compound ending in one, also with a case ending."""
    folded = word.casefold()
    return any(folded.endswith(noun.casefold() + ending) for noun in nouns for ending in _CASE_ENDINGS)


def _is_caps(word: str) -> bool:
    """A word in capitals ("BILD", "NATO", "G7"; not an initial: "J.")."""
    return word.isupper() and len(word.rstrip(".")) >= 2


@functools.lru_cache(maxsize=1 << 16)
def _is_time_word(word: str) -> bool:
    """Weekday, month or another time word of :data:`TIME_WORDS`, or a weekday compound
    ("Mittwochabend", "Sonntagmorgens")."""
    folded = word.casefold()
    if folded in TIME_WORDS:
        return True
    for day in _WEEKDAYS:
        if folded.startswith(day):
            rest = folded[len(day):].lstrip("-")
            return rest in _DAY_PARTS or (rest.endswith("s") and rest[:-1] in _DAY_PARTS)
    return False


@functools.lru_cache(maxsize=1)
def _lemma_dictionary():
    """simplemma's German dictionary (form → lemma, case-sensitive), or None if unavailable."""
    try:
        try:
            from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY as factory
        except ImportError:
            from simplemma.strategies.dictionaries import DefaultDictionaryFactory

            factory = DefaultDictionaryFactory()
        return factory.get_dictionary("de")
    except (ImportError, AttributeError, OSError, ValueError, KeyError):  # pragma: no cover - other simplemma
        return None


def _umlauted(lemma: str) -> str | None:
    """``lemma`` with its last a, o, u (or the a of au) umlauted ("Haus" → "Häus"), or None."""
    index = max(lemma.rfind(c) for c in "aouAOU")
    if index < 0:
        return None
    if lemma[index] in "uU" and index > 0 and lemma[index - 1] in "aA":
        index -= 1
    return lemma[:index] + lemma[index].translate(_UMLAUT) + lemma[index + 1 :]


def _lookup(lexicon, form: str) -> str | None:
    """Lemma of ``form`` in the dictionary (case-sensitive), or None."""
    lemma = lexicon.get(form)
    return lemma.decode("utf-8") if isinstance(lemma, bytes) else lemma


@functools.lru_cache(maxsize=1 << 16)
def _word_class(word: str) -> tuple[str, str]:
    """``(class, lemma)`` of a capitalised word by the lemmatizer's dictionary.

    ``noun``: a common noun — the dictionary has the word, its lemma is capitalised and the
    lemma has a plural form (the lemma with -e, -en, -n, -er, -nen, an umlaut, or -nisse for
    -nis, maps back to it: "Sorgen" → "Sorge" ← "Sorgen", "Fazit" ← "Fazite"). Names have no
    plural there ("Putin", "Merkel", "Moskau"; at most a genitive in -s). ``lower``: a word that
    is written in lower case except at the start of a sentence (its lemma is lower-case, or
    only its lower-case form is known: "Neue", "Besorgt"). ``""``: anything else, and every
    word when the dictionary cannot be read.
    """
    if not word[:1].isupper() or _is_caps(word):
        return "", word
    lexicon = _lemma_dictionary()
    if lexicon is None:
        return "", word
    lemma = _lookup(lexicon, word)
    if lemma is None:
        return ("lower", word.lower()) if _lookup(lexicon, word.lower()) is not None else ("", word)
    if not lemma[:1].isupper():
        return "lower", lemma
    if any(_lookup(lexicon, lemma + suffix) == lemma for suffix in _PLURAL_SUFFIXES):
        return "noun", lemma
    if lemma.endswith("nis") and _lookup(lexicon, lemma + "se") == lemma:  # "Ergebnis" ← "Ergebnisse"
        return "noun", lemma
    umlauted = _umlauted(lemma)
    if umlauted is not None and any(_lookup(lexicon, umlauted + suffix) == lemma for suffix in ("", "e", "er")):
        return "noun", lemma
    return "", lemma


def _known_acronyms(registry: SourceRegistry) -> frozenset:
    """Words in capitals that may be speakers: those of the registry's agencies and state
    media, and :data:`ORGANISATION_ACRONYMS`."""
    cached = _ACRONYM_CACHE.get(id(registry))
    if cached is None or cached[0] is not registry:
        words = {
            word
            for source in registry.sources
            if source.type in _SOURCE_TYPES_AS_SPEAKERS
            for variant in source.variants
            for word in variant.split()
            if _is_caps(word)
        }
        if len(_ACRONYM_CACHE) > 16:
            _ACRONYM_CACHE.clear()
        cached = (registry, frozenset(words) | ORGANISATION_ACRONYMS)
        _ACRONYM_CACHE[id(registry)] = cached
    return cached[1]


class _Speakers:
    """Finds names next to a token position in one document."""

    def __init__(self, dt: DocTokens, registry: SourceRegistry):
        from ..text import german_stopwords

        self.dt = dt
        self.registry = registry
        self.stop = german_stopwords()
        self.acronyms = _known_acronyms(registry)
        self._names: set[str] | None = None  # words used in a full name in this document

    def _plain_word(self, i: int) -> bool:
        """A capitalised word that is no stop word, cue word or verb form."""
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

    def _word_like(self, i: int) -> bool:
        """:meth:`_plain_word` and no time word, except a surname-like time word right after
        another name word and not before a time word or number ("Katrin Sommer")."""
        if not self._plain_word(i):
            return False
        dt = self.dt
        token = dt.tokens[i]
        if not _is_time_word(token):
            return True
        if token.casefold() not in SURNAME_TIME_WORDS:
            return False
        sid = dt.sentence[i]
        after_name = i > 0 and dt.sentence[i - 1] == sid and self._plain_word(i - 1) and not (
            _is_time_word(dt.tokens[i - 1]) or _is_caps(dt.tokens[i - 1])
        )
        j = i + 1
        before_time = j < len(dt.tokens) and dt.sentence[j] == sid and (
            dt.kinds[j] == "number" or _is_time_word(dt.tokens[j])
        )
        return after_name and not before_time

    def _name_like(self, i: int) -> bool:
        """A word that can be part of a name; a word in capitals only if it is a known acronym
        or a name follows it ("sagte Scholz BILD" → "Scholz")."""
        if not self._word_like(i):
            return False
        dt = self.dt
        token = dt.tokens[i]
        if _is_caps(token) and token not in self.acronyms:
            j = i + 1
            return (
                j < len(dt.tokens) and dt.sentence[j] == dt.sentence[i] and self._word_like(j)
                and not _is_caps(dt.tokens[j])
            )
        return True

    def _names_in_document(self) -> set[str]:
        """Capitalised words that follow a name-shaped word in this document ("Thomas Müller"):
        surnames that are common nouns as well (Müller, Koch, Fischer) are names here."""
        if self._names is None:
            dt = self.dt
            tokens, sentence = dt.tokens, dt.sentence
            names = set()
            for k in range(1, len(tokens)):
                word, before = tokens[k], tokens[k - 1]
                if not (word[:1].isupper() and dt.kinds[k] == "word" and sentence[k] == sentence[k - 1]):
                    continue
                if not self._word_like(k - 1) or _is_caps(before) or _word_class(before)[0]:
                    continue
                if before.endswith("s") and _word_class(word)[1] != word:
                    continue  # "Russlands Sorgen": a genitive before an inflected noun
                if not self.registry.is_role(before):
                    names.add(word)
            self._names = names
        return self._names

    def _common_noun(self, i: int) -> bool:
        """Whether token ``i`` is a common noun or another word that names no person or
        organisation (see the module notes)."""
        token = self.dt.tokens[i]
        if (
            _is_caps(token)
            or self.registry.is_role(token)
            or self.registry.source_of(token) is not None
            or _ends_in(token, ORGANISATION_NOUNS)
        ):
            return False
        if not _word_class(token)[0]:
            return False
        return token not in self._names_in_document()

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
        end = int(self.dt.ends[run[-1]])
        if all(self._common_noun(i) for i in run):
            return "", end  # "Sorgen äußerte …", "Sein Fazit: …": a noun phrase, not a speaker
        return name, end

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

    def right(self, i: int, sid: int, *, adjectives: bool = False, adverb: bool = False) -> tuple[str, int]:
        """Name starting at token ``i`` (after an article and up to two adjectives; with
        ``adverb``: or after one lower-case word that is no pronoun, "äußerte auch Merz")."""
        dt = self.dt
        n = len(dt.tokens)
        j = i
        if (
            adverb and j + 1 < n and dt.sentence[j] == sid and dt.kinds[j] == "word" and dt.tokens[j].islower()
            and dt.tokens[j] not in _ARTICLES and dt.tokens[j] not in _CONJUNCTIONS
            and dt.tokens[j] not in _PRONOUNS and dt.sentence[j + 1] == sid and self._name_like(j + 1)
        ):
            j += 1
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
    sides = [speakers.left(cue.first, sid, adverb=True), speakers.right(cue.after, sid, adverb=True)]
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
    name, end = speakers.left(i, int(dt.sentence[i]) if i < len(dt.sentence) else 0)
    if end < 0:
        return None
    if not name:  # "Sein Fazit: „…“": a noun introduces the quotation, but names no speaker
        start = int(dt.starts[i - 1])
        return _Cue(max(start, scope.start), colon + 1, f"{text[start:colon]}:", "colon")
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
        of :data:`QUOTE_KINDS` (``attributed``, ``distancing``, ``unclear`` or ``title``);
        ``cue`` and ``speaker`` are "" when none was found (always for titles). The rules are in
        the module notes.

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
    elif _is_title(text, quote, dt, inner_start, inner_end, n_words, found):
        kind = "title"
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


def _title_head(text: str, quote: _Quote, dt: DocTokens) -> bool:
    """Whether a title noun (:data:`TITLE_NOUNS`) stands right before the opening mark."""
    j = int(np.searchsorted(dt.ends, quote.start, side="right")) - 1
    if j < 0 or dt.kinds[j] != "word":
        return False
    gap = text[int(dt.ends[j]) : quote.start]
    if gap.strip() or _LINE_BREAK_RE.search(gap):
        return False
    token = dt.tokens[j]
    return token[:1].isupper() and _ends_in(token, TITLE_NOUNS)


def _is_title(text, quote, dt, inner_start, inner_end, n_words, found) -> bool:
    """Whether a quotation is a name or title (see the module notes)."""
    i = int(np.searchsorted(dt.starts, inner_start, side="left"))
    j = int(np.searchsorted(dt.starts, inner_end, side="left"))
    inside = [k for k in range(i, j) if dt.ends[k] <= inner_end]
    words = [k for k in inside if dt.kinds[k] in ("word", "number")]
    if not words:
        return False
    capitalised = [dt.tokens[k][:1].isupper() or dt.tokens[k][:1].isdigit() for k in words]
    if n_words <= MAX_TITLE_WORDS and capitalised[0] and _title_head(text, quote, dt):
        return True
    return (
        quote.marks[0] in "»«" and 2 <= n_words <= MAX_NAME_WORDS and not found
        and len(words) == len(inside) and all(capitalised)
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
        one of :data:`STRAY_PROBLEMS`: ``stray`` (a closing mark with nothing open, or a mark
        that can neither open nor close where it stands: ignored), ``unclosed`` (a typographic
        opening mark without its closing mark: the quotation runs to the end of the line, of
        the quotation around it or of its :data:`MAX_UNCLOSED_SENTENCES`-th sentence,
        ``balanced`` is False in :func:`find_quotations`), ``dropped`` (a straight ' that opens
        but is never closed, read as an apostrophe) or ``unpaired_straight`` (a straight mark
        that makes no quotation: a " that opens but is never closed, or both marks of a
        straight pair around more than :data:`MAX_STRAIGHT_WORDS` words or
        :data:`MAX_STRAIGHT_SENTENCES` sentences). Apostrophes inside or at the edge of words
        are not listed.

    Raises
    ------
    ParameterError
        For a documents table without ``doc_id``/``text``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Er sagte“ nichts. „Wir kommen\\nSo 'n Quatsch, geht's?"]})
    >>> stray_marks(docs).values.tolist()
    [['d1', 8, 9, '“', 'stray'], ['d1', 18, 19, '„', 'unclosed'], ['d1', 33, 34, "'", 'dropped']]
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ['Ein 12" Display. Er rief "Wir kommen']})
    >>> stray_marks(docs).values.tolist()
    [['d1', 6, 7, '"', 'stray'], ['d1', 25, 26, '"', 'unpaired_straight']]
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
        The documents table (group of each document; the text for the running words when
        ``tokens`` is omitted, so with ``tokens`` a table of ``doc_id`` and the group column
        such as ``prepared.metadata`` will do).
    group : str, default "outlet"
        Documents column to sum documents by.
    tokens : pandas.DataFrame or analysis.store.TokenStore, optional
        The tokens table of these documents, or their token store; running words are its
        ``word`` and ``number`` tokens. Tokenized when omitted.

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
    ...     "Beide feierten gestern die „Freundschaft“. Putin sagte: „Wir stehen zusammen.“ "
    ...     "Kim sagte: „Ja.“ Sie sahen gemeinsam den Film »Das Boot«."]})
    >>> quotation_summary(find_quotations(docs), docs).values.tolist()
    [['X', 'attributed', 2, 0.5, 100.0, 20], ['X', 'distancing', 1, 0.25, 50.0, 20], \
['X', 'unclear', 0, 0.0, 0.0, 20], ['X', 'title', 1, 0.25, 50.0, 20]]
    """
    check_table(quotes, ("doc_id", "kind"), "analysis.framing.quotes.find_quotations")
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
