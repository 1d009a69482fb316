"""A cheap check that a text is German: function words of German against four other languages.

Used by ``load_corpus(language="de")`` to exclude texts that are clearly in another language.
"""

from __future__ import annotations

__all__ = ["not_german"]

_DE_WORDS = """
der die das den dem des und ist sind nicht ein eine einen einem einer eines zu von mit sich
auf für im zum zur auch als nach wie aus bei beim noch nur oder aber vor bis mehr durch über
wird werden wurde wurden hat haben hatte hatten war waren sie er wir ich ihr ihre ihren ihrem
ihrer seine seinen seinem seiner sein kann können konnte dass daß wenn um am unter schon gegen
diese dieser dieses diesem diesen doch seit sowie zwischen nun ob immer wieder keine kein
keinen hier heute soll sollen sollte muss müssen damit dies einem jedoch worden sei laut
""".split()
_OTHER_WORDS = {
    "English": """
        the of and to a is that it for on with as be by this are at from his have has not but
        they which or were their been would there said who its had one about after more than
        when can what into could she he we our them those how other some such only over
        """.split(),
    "French": """
        le la les et du une est que qui dans pour pas sur au avec ce il elle sont par ne se
        ont été mais comme nous vous leur aux cette ces son sa ses être fait
        """.split(),
    "Spanish": """
        el la los las y de que en una por con no para del al lo como más pero sus le ya fue
        este ha porque esta son entre cuando muy sin sobre también hasta desde
        """.split(),
    "Italian": """
        il di che è la una non sono del della le dei gli con si nel alla anche come più ma ha
        questo questa essere delle degli nella sulla
        """.split(),
}
# Words common in more than one of the compared languages (or in German names, brands and
# abbreviations) tell nothing and are left out of every list.
_AMBIGUOUS = {"in", "an", "so", "was", "man", "also", "will", "her", "da", "per", "plus",
              "these", "un", "e", "des", "es", "a", "o", "i", "die", "war", "hat", "am"}


def _build_language_sets() -> tuple[frozenset, dict[str, frozenset]]:
    german = frozenset(_DE_WORDS) - _AMBIGUOUS
    others = {lang: frozenset(words) - _AMBIGUOUS - german for lang, words in _OTHER_WORDS.items()}
    return german, others


_GERMAN_WORDS, _FOREIGN_WORDS = _build_language_sets()
_ANY_FOREIGN_WORD = frozenset().union(*_FOREIGN_WORDS.values())
_LANGUAGE_MIN_WORDS = 30
_LANGUAGE_MIN_HITS = 5
_LANGUAGE_SAMPLE = 2000  # characters from the start and from the middle of long texts


def not_german(text: str) -> str | None:
    """Return a note when the text is clearly not German, else None.

    Words are split at whitespace and lower-cased; the evidence is the number of *different*
    function words of each language found (a word glued to punctuation is not counted). A
    text needs at least 30 words and 5 different function words to be judged; it is not
    German when it holds more different foreign function words than German ones.
    """
    if len(text) > 2 * _LANGUAGE_SAMPLE:
        middle = len(text) // 2
        text = text[:_LANGUAGE_SAMPLE] + " " + text[middle : middle + _LANGUAGE_SAMPLE]
    words = text.lower().split()
    if len(words) < _LANGUAGE_MIN_WORDS:
        return None
    distinct = set(words)
    german = len(distinct & _GERMAN_WORDS)
    foreign = len(distinct & _ANY_FOREIGN_WORD)
    if german + foreign < _LANGUAGE_MIN_HITS or german >= foreign:
        return None
    counts = {lang: len(distinct & words_) for lang, words_ in _FOREIGN_WORDS.items()}
    lang = max(counts, key=lambda name: (counts[name], name))
    return (
        f"looks {lang}: {german} German vs {counts[lang]} {lang} function words "
        f"among {len(words)} words checked"
    )
