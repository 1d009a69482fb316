"""Clean-up of a sentiment lexicon for German news: spelling, English and malformed entries,
homographs, and topic words that carry no evaluation.

:func:`clean_lexicon` returns a new :class:`~analysis.sentiment.lexicon.Lexicon` and, in its
``cleanup`` attribute, the table of every change (``term, action, new, reason``). The default
lexicon of the suite is the cleaned German Polarity Lexicon
(:func:`~analysis.sentiment.lexicon.default_lexicon`); ``default_lexicon(clean=False)`` is the
file as distributed.

The steps
---------
``spelling``
    Entries in Swiss spelling are written in standard German spelling, so that tables show the
    text's word forms (*groß*, *genießen*, not *gross*, *geniessen*); look-ups match both
    spellings either way. An "ss" becomes "ß" after a diphthong or *ie* (*heiss* → *heiß*,
    *geniessen* → *genießen*; *ausser*/*äusser* only, because *aus* + *s…* is a compound:
    *Aussicht*), or in a short list of long-vowel stems (*groß*, *Spaß*, *süß*, *Fuß*, *Gruß*,
    *bloß*, *Stoß*, *Buße*, *Straße*, *Maßnahme*, *mäßig*, *gemäß*), and only when the
    lemmatizer's dictionary (simplemma) knows the new form. Entries with *ae*, *oe*, *ue* for
    an umlaut (common in translated lexicons) get the umlaut under the same condition, when
    the transliterated form is not a known word itself.
``english``
    English words are dropped (translated lexicons such as GerVADER keep some; the default
    lexicon has *high*, *down*, *Penalty*…): a word is English when its English frequency
    (wordfreq, Zipf scale) is at least one above its German one and below 4 in German,
    except a few words that are also German (*apart*, *human*, *vital*, *Not*…).
    Multi-word entries are dropped when a part is a lower-case English function word as
    written in the source (*not akzeptieren*; *Not_leidend* is German).
``malformed``
    Entries that can never match a word token: no letter, digits, spaces inside a word, or a
    hyphenated phrase written as one word (*Sich-wohl-Fühlen*).
``homographs``
    The table ``analysis/resources/sentiment_homographs.tsv``: surface forms that never match
    (*heißen* is lemmatised to *heiß*, "hot") and entries whose frequent homograph is another
    word (*geraten*, *verschieden*).
``topic_words``
    The list ``analysis/resources/sentiment_neutral_news.txt``: news-domain words the lexicon
    scores but that carry no evaluation by themselves (*Abschiebung*, *abschieben*, *Haft*,
    *Impfung*, *Duell*, *hoch*…). Its measured effect is in ``docs/validation.md``.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import pandas as pd


__all__ = ["CLEANUP_STEPS", "clean_lexicon", "homograph_table", "neutral_news_words"]

#: The steps of :func:`clean_lexicon`, in the order they run.
CLEANUP_STEPS: tuple[str, ...] = ("spelling", "english", "malformed", "homographs", "topic_words")

_DIPHTHONG_SS = re.compile(r"(?<=ei|ai|eu|äu|ie)ss|(?<=^aus|^äus)s(?=er)|(?<=au|äu)ss(?=er)")
_LONG_STEMS = ("gross", "gröss", "spass", "süss", "fuss", "füss", "gruss", "grüss", "bloss", "stoss",
               "stöss", "busse", "bussgeld", "büss", "strasse", "massnahme", "mässig", "gemäss")
_UMLAUTS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("Ae", "Ä"), ("Oe", "Ö"), ("Ue", "Ü"))
_ENGLISH_FUNCTION = frozenset("not no the of to and or very never is are be a an it you i don't dont isn't".split())
#: Words that look English to the frequency test but are German words too.
_ALSO_GERMAN = frozenset("apart hold human militant omnipotent potent vital Not Bioterror Dehydration".split())


def _resource_text(name: str) -> str:
    return resources.files("analysis").joinpath("resources", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def neutral_news_words() -> tuple[str, ...]:
    """The news-domain topic words without evaluation (``resources/sentiment_neutral_news.txt``).

    Examples
    --------
    >>> "Abschiebung" in neutral_news_words()
    True
    """
    words = []
    for line in _resource_text("sentiment_neutral_news.txt").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return tuple(words)


@functools.lru_cache(maxsize=1)
def homograph_table() -> pd.DataFrame:
    """The homographs of ``resources/sentiment_homographs.tsv``: ``entry, action, forms, reason``.

    Examples
    --------
    >>> table = homograph_table()
    >>> table.set_index("entry").loc["heiß", "action"]
    'block'
    """
    rows = []
    for line in _resource_text("sentiment_homographs.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entry, action, forms, reason = (line.split("\t") + ["", "", ""])[:4]
        rows.append((entry, action, tuple(f for f in forms.split(",") if f), reason))
    return pd.DataFrame(rows, columns=["entry", "action", "forms", "reason"])


@functools.lru_cache(maxsize=None)
def _known(word: str) -> bool:
    import simplemma

    return bool(simplemma.is_known(word, lang="de"))


def _standard_spelling(word: str) -> str | None:
    """The standard spelling of a Swiss-spelled or transliterated word, or None."""
    candidate = word
    if "ss" in word.lower():
        lower = word.lower()
        marks = {m.start() for m in _DIPHTHONG_SS.finditer(lower)}
        for stem in _LONG_STEMS:
            for found in re.finditer(re.escape(stem), lower):
                marks.add(found.start() + stem.index("ss"))
        for at in sorted(marks, reverse=True):
            if candidate[at:at + 2].lower() == "ss":
                candidate = candidate[:at] + "ß" + candidate[at + 2:]
    elif any(a in word for a, _ in _UMLAUTS) and not _known(word):
        for a, b in _UMLAUTS:
            candidate = candidate.replace(a, b)
    if candidate != word and _known(candidate):
        return candidate
    return None


def _is_english(word: str) -> bool:
    from wordfreq import zipf_frequency

    if word in _ALSO_GERMAN or not word.isascii():
        return False
    english, german = zipf_frequency(word.lower(), "en"), zipf_frequency(word, "de")
    return english - german >= 1.0 and german < 4.0


def _is_malformed(word: str) -> bool:
    if not re.search(r"[^\W\d_]", word) or re.search(r"\d|\s", word):
        return True
    return word.lower().startswith("sich-")


def clean_lexicon(lexicon, *, spelling: bool = True, english: bool = True, malformed: bool = True,
                  homographs: bool = True, topic_words: bool = True, name: str | None = None):
    """A copy of ``lexicon`` cleaned for German news (see the module notes for each step).

    Parameters
    ----------
    lexicon : Lexicon
    spelling, english, malformed, homographs, topic_words : bool, default True
        The steps to run.
    name : str, optional
        Name of the new lexicon (the old name by default).

    Returns
    -------
    Lexicon
        With ``cleanup``, a table ``term, action, new, reason`` of every entry changed
        (``action``: ``respelled``, ``dropped`` or ``blocked``).

    Examples
    --------
    >>> from analysis.sentiment.lexicon import Lexicon
    >>> lex = Lexicon.from_mapping({"gross": 0.7, "heiss": 0.7, "Penalty": -0.7, "Abschiebung": -1.0, "gut": 1.0})
    >>> cleaned = clean_lexicon(lex)
    >>> sorted(cleaned.words)
    ['groß', 'gut', 'heiß']
    >>> cleaned.lookup("heißen") is None, cleaned.lookup("gross")
    (True, ('groß', 0.7))
    >>> cleaned.cleanup[["term", "action"]].values.tolist()
    [['gross', 'respelled'], ['heiss', 'respelled'], ['Penalty', 'dropped'], ['heißen', 'blocked'], ['heissen', 'blocked'], ['fest', 'blocked'], ['Abschiebung', 'dropped']]
    """
    changes: list[tuple[str, str, str, str]] = []
    words: dict[str, float] = {}
    for term, score in lexicon.words.items():
        if malformed and _is_malformed(term):
            changes.append((term, "dropped", "", "malformed: cannot match a word token"))
            continue
        if english and _is_english(term):
            changes.append((term, "dropped", "", "English word"))
            continue
        new = _standard_spelling(term) if spelling else None
        if new is not None and new not in lexicon.words:
            changes.append((term, "respelled", new, "standard spelling"))
            term = new
        words.setdefault(term, score)
    phrases = {}
    for key, score in lexicon.phrases.items():
        written = lexicon.phrase_terms.get(key, " ".join(key)).replace("_", " ").split()
        if english and any(part in _ENGLISH_FUNCTION for part in written):
            changes.append((" ".join(written), "dropped", "", "English words in a multi-word entry"))
            continue
        phrases[key] = score
    blocked = set(lexicon.blocked)
    if homographs:
        for row in homograph_table().itertuples(index=False):
            if row.action == "drop":
                for term in [t for t in words if t == row.entry]:
                    del words[term]
                    changes.append((term, "dropped", "", "homograph: " + row.reason))
            else:
                for form in row.forms:
                    if form not in blocked:
                        blocked.add(form)
                        changes.append((form, "blocked", "", f"homograph of {row.entry}: " + row.reason))
    if topic_words:
        for word in neutral_news_words():
            for term in [t for t in words if t == word]:
                del words[term]
                changes.append((term, "dropped", "", "news topic word without evaluation"))
    # The lexicon's own class: this module is imported by analysis.sentiment.lexicon.
    cleaned = type(lexicon)(name or lexicon.name, words, phrases, dict(lexicon.negated), lexicon.source, lexicon.licence,
                      list(lexicon.conflicts), blocked=frozenset(blocked),
                      phrase_terms={k: v for k, v in lexicon.phrase_terms.items() if k in phrases})
    cleaned.cleanup = pd.DataFrame(changes, columns=["term", "action", "new", "reason"])
    return cleaned
