"""Which language a text is in: py3langid's classifier, checked against German function words.

``load_corpus(language="de")`` records the language of every text of at least
:data:`MIN_WORDS` words (shorter ones are not judged: ``""``) and by default excludes the
texts identified as another language. False exclusions of German articles are what matters
most, so a text is identified as another language only when

1. py3langid (its bundled model, no download; probabilities normalised) gives German a
   probability below :data:`NOT_GERMAN_BELOW` — read on the text's *narrative*: the text with
   its quotations („…“, »…«, "…", “…”) taken out, because a German article may quote in any
   language (the whole text when fewer than :data:`NARRATIVE_MIN_WORDS` words are left); and
2. fewer than :data:`GERMAN_SHARE` of the narrative's words are German function words (der,
   und, nicht, wurde, …). German news runs at 0.2–0.35; the languages that share some of the
   words stay far below (Danish 0.05, Norwegian 0.04, Dutch 0.02, by wordfreq's frequencies;
   English, French, Russian about 0). Names, titles and jargon do not lower the share much.

A text whose narrative has enough German function words is German whatever the classifier
says; one that the classifier gives neither to German nor (with probability
:data:`NOT_GERMAN_BELOW` or more for German) clearly to another language is not identified
(``""``). Language codes are py3langid's: ISO 639-1 (``de``, ``en``, ``ru``) where there is
one, else ISO 639-3.

Speed: the classifier reads at most two pieces of :data:`SAMPLE_CHARS` characters (start and
middle); a first look at the first 300 characters settles most German texts.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

__all__ = [
    "GERMAN_FUNCTION_WORDS",
    "GERMAN_SHARE",
    "MIN_WORDS",
    "NARRATIVE_MIN_WORDS",
    "NOT_GERMAN_BELOW",
    "SAMPLE_CHARS",
    "Identification",
    "identify_language",
    "language_name",
    "describe",
    "not_german",
    "preload",
]

#: Texts with fewer words (whitespace-separated) are not judged: language ``""``.
MIN_WORDS = 30
#: Fewer words outside quotations: the whole text is read instead of the narrative.
NARRATIVE_MIN_WORDS = 10
#: py3langid's probability of German below which a text can be another language.
NOT_GERMAN_BELOW = 0.1
#: Share of German function words among the narrative's words from which a text is German.
GERMAN_SHARE = 0.1
#: Characters read from the start (and as many from the middle) of a long text.
SAMPLE_CHARS = 2000
_FIRST_LOOK = 300  # characters of the first look
_SURE = 0.99  # the first look settles a text given German with at least this probability
_SHARE_MIN_WORDS = 2  # a narrative shorter than this: the function words of all of the text

_DE_WORDS = """
der die das den dem des und ist sind nicht ein eine einen einem einer eines zu von mit sich
auf für im zum zur auch als nach wie aus bei beim noch nur oder aber vor bis mehr durch über
wird werden wurde wurden hat haben hatte hatten war waren sie er wir ich ihr ihre ihren ihrem
ihrer seine seinen seinem seiner sein kann können konnte dass daß wenn um am unter schon gegen
diese dieser dieses diesem diesen doch seit sowie zwischen nun ob immer wieder keine kein
keinen hier heute soll sollen sollte muss müssen damit dies einem jedoch worden sei laut
""".split()
# Words common in other languages too (or in names, brands and abbreviations) tell nothing.
_AMBIGUOUS = {"in", "an", "so", "was", "man", "also", "will", "her", "da", "per", "plus",
              "these", "un", "e", "des", "es", "a", "o", "i", "die", "war", "hat", "am"}
GERMAN_FUNCTION_WORDS = frozenset(_DE_WORDS) - _AMBIGUOUS
_STRIP = ".,;:!?()[]{}\"'„“”‚‘’«»‹›–—…/*"
# A German opening mark without its closing one quotes to the end of the line.
_QUOTATION = re.compile(
    r"„[^“”„\n]{0,2000}[“”]?|»[^«»\n]{0,2000}«?|«[^«»\n]{0,2000}»|\"[^\"\n]{0,2000}\"|“[^“”\n]{0,2000}”"
)
_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew",
    "hr": "Croatian", "hu": "Hungarian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "lb": "Luxembourgish", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}


class Identification(NamedTuple):
    """The language of one text and the evidence for it."""

    language: str  # ISO code; "" when too short or not identified
    probability: float  # py3langid's probability of its best language (nan when not judged)
    german: float  # py3langid's probability of German (nan when not judged)
    german_share: float  # German function words per word of the narrative (nan when not needed)
    words: int  # words of the narrative read (0 when not judged or not counted)


_NOT_JUDGED = Identification("", math.nan, math.nan, math.nan, 0)
_IDENTIFIER = None


def preload() -> None:
    """Load py3langid's model now (about a second), e.g. before worker processes fork."""
    _identifier()


def _identifier():
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def language_name(code: str) -> str:
    """English name of a language code, or the code itself when not listed.

    Examples
    --------
    >>> language_name("ru"), language_name("gd")
    ('Russian', 'gd')
    """
    return _NAMES.get(code, code)


def identify_language(text: str) -> Identification:
    """The language of ``text`` (see the module docstring for the rules).

    Parameters
    ----------
    text : str

    Returns
    -------
    Identification
        ``language`` (an ISO code, or ``""`` when the text has fewer than :data:`MIN_WORDS`
        words or is not identified), py3langid's ``probability`` of that language and of
        German, the ``german_share`` of function words when it was needed, and the number
        of ``words`` read.

    Examples
    --------
    >>> identify_language("Das ist zu kurz.").language
    ''
    >>> text = ("Президент прибыл в Пхеньян с государственным визитом. На переговорах стороны "
    ...         "подписали договор о всеобъемлющем стратегическом партнёрстве. По словам Кремля, "
    ...         "документ предусматривает взаимную помощь в случае нападения на одну из стран.")
    >>> identify_language(text).language
    'ru'
    >>> quoted = ("„We will stand with Ukraine as long as it takes, and we will never back down from "
    ...           "this“, sagte der Präsident am Mittwoch in Washington. „Nobody should doubt our resolve, "
    ...           "not in Moscow and not anywhere else“, fügte er hinzu. Die Rede wurde in Berlin verfolgt.")
    >>> identify_language(quoted).language
    'de'
    """
    if not _has_words(text, MIN_WORDS):
        return _NOT_JUDGED
    sample = _sample(text)
    narrative = _QUOTATION.sub(" ", sample)
    read = narrative if _has_words(narrative, NARRATIVE_MIN_WORDS) else sample
    identifier = _identifier()
    first = _cut(read, _FIRST_LOOK)
    code, probability = identifier.classify(first)
    if code == "de" and probability >= _SURE:
        return Identification("de", probability, probability, math.nan, 0)  # words not counted
    ranked = identifier.rank(read)
    code, probability = ranked[0]
    german = next((p for c, p in ranked if c == "de"), 0.0)
    words = _words(read)
    if code == "de":
        return Identification("de", probability, german, math.nan, len(words))
    # The function words of the narrative, even of a short one: a German sentence around a
    # long foreign quotation still makes the text German.
    own = _words(narrative) if read is not narrative else words
    own = own if len(own) >= _SHARE_MIN_WORDS else words
    share = sum(w in GERMAN_FUNCTION_WORDS for w in own) / max(1, len(own))
    if share >= GERMAN_SHARE:
        return Identification("de", german, german, share, len(words))  # names or quotations misled it
    if german < NOT_GERMAN_BELOW and code != "zxx":  # zxx: no linguistic content
        return Identification(code, probability, german, share, len(words))
    return Identification("", probability, german, share, len(words))


def _words(text: str) -> list[str]:
    """Lower-cased words with punctuation stripped at both ends."""
    return [w for w in (word.strip(_STRIP) for word in text.lower().split()) if w]


def not_german(text: str) -> str | None:
    """A note when :func:`identify_language` identifies the text as another language, else None.

    Examples
    --------
    >>> english = ("The government announced on Monday that it would increase funding for schools in "
    ...            "the coming year. The minister said that the money would be distributed fairly and "
    ...            "that he would talk with the regions about it.")
    >>> not_german(english)
    'identified as English (en, probability 1.00; German 0.000; 0 % German function words in 36 words)'
    """
    found = identify_language(text)
    if found.language in ("", "de"):
        return None
    return describe(found)


def describe(found: Identification) -> str:
    """The ledger note of an identification as another language."""
    share = 0.0 if math.isnan(found.german_share) else found.german_share
    return (f"identified as {language_name(found.language)} ({found.language}, probability "
            f"{found.probability:.2f}; German {found.german:.3f}; {round(100 * share)} % German function "
            f"words in {found.words} words)")


def _has_words(text: str, count: int) -> bool:
    """At least ``count`` whitespace-separated words (without splitting all of a long text)."""
    found = 0
    for _ in re.finditer(r"\S+", text):
        found += 1
        if found >= count:
            return True
    return False


def _cut(text: str, size: int) -> str:
    """The first ``size`` characters of ``text``, ending at whitespace when there is some."""
    if len(text) <= size:
        return text
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > size // 2 else size]


def _sample(text: str) -> str:
    """The start of a long text and a piece from its middle, :data:`SAMPLE_CHARS` each."""
    if len(text) <= 2 * SAMPLE_CHARS:
        return text
    middle = len(text) // 2
    start = text.find(" ", middle)
    start = middle if start < 0 or start > middle + 100 else start
    return _cut(text, SAMPLE_CHARS) + " " + _cut(text[start:], SAMPLE_CHARS)
