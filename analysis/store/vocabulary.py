"""The vocabulary: one row per distinct token form, with every attribute computed once.

A corpus of 40,000 articles has about 32 million tokens but well under a million distinct
forms. Lemmas (simplemma), stems (Snowball), lower-case forms, stop-word flags and token
kinds are computed here, once per form, and every token refers to its form by an integer id.

Lemmas are simplemma's, with a few fallbacks (:func:`lemmatize_form`), all cheap per form.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..text import KINDS, form_kind, german_stopwords, lemma_is_form, stemmer

__all__ = ["VOCABULARY_COLUMNS", "annotate_forms", "lemmatize_form", "preload_lemmatizer", "stem_forms"]

#: Columns of a vocabulary table; the row number is the type id.
VOCABULARY_COLUMNS: tuple[str, ...] = ("form", "lower", "lemma", "stem", "kind", "is_stop")


def annotate_forms(forms, *, lemmas: bool = True, stems: bool = True) -> pd.DataFrame:
    """The vocabulary rows of distinct token forms.

    Parameters
    ----------
    forms : sequence of str
        Distinct token forms, as the tokenizer produced them.
    lemmas : bool, default True
        Compute simplemma lemmas of ``word`` forms; when False the column repeats the form.
    stems : bool, default True
        Compute Snowball stems; when False the ``stem`` column holds None, for
        :func:`stem_forms` to fill when stems are first needed (the token store does that).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VOCABULARY_COLUMNS`, one row per form in the order given. ``kind`` is
        categorical with categories :data:`analysis.text.KINDS`; forms of other kinds than
        ``word`` keep the form as lemma and stem.

    Examples
    --------
    >>> annotate_forms(["Diktatoren", "die", "."])[["lemma", "stem", "kind", "is_stop"]].values.tolist()
    [['Diktator', 'diktator', 'word', False], ['der', 'die', 'word', True], ['.', '.', 'punct', False]]
    >>> annotate_forms(["BILD", "A.", "Prof."])["lemma"].tolist()  # capitals and initials stay as written
    ['BILD', 'A.', 'Professor']
    """
    forms = list(forms)
    kinds = np.fromiter(map(form_kind, forms), dtype=np.int8, count=len(forms))
    lower = [form.lower() for form in forms]
    stopwords = german_stopwords()
    is_word = (kinds == 0).tolist()
    lemma = [lemmatize_form(f) if w and lemmas else f for f, w in zip(forms, is_word)]
    stems_ = stem_forms(forms, kinds) if stems else [None] * len(forms)
    return pd.DataFrame(
        {
            "form": pd.Series(forms, dtype=object),
            "lower": pd.Series(lower, dtype=object),
            "lemma": pd.Series(lemma, dtype=object),
            "stem": pd.Series(stems_, dtype=object),
            "kind": pd.Categorical.from_codes(kinds, categories=list(KINDS)),
            "is_stop": np.fromiter((low in stopwords for low in lower), dtype=bool, count=len(forms)),
        },
        columns=list(VOCABULARY_COLUMNS),
    )


#: A present participle, possibly inflected: "verheerend", "verheerenden" (group 1: without
#: the ending).
_PRESENT_PARTICIPLE = re.compile(r"(.{3,}end)(?:e[mnrs]?)?")
#: A "ß" that the spelling reform of 1996 made "ss": after a short vowel, at the end of a
#: word or before a consonant ("wußte", "Kuß", "Schloßpark"). Before a vowel ("Straße",
#: "Schleußer") or after a diphthong ("heißt") it is current spelling.
_OLD_SHARP_S = re.compile(r"(?<![aäe][iu])(?<!ie)ß(?![aeiouyäöü])", re.IGNORECASE)
#: A number glued to a word, possibly by a hyphen: "18jährigen", "3fache", "20-jährigen".
_NUMBER_PREFIX = re.compile(r"(\d+-?)([^\W\d_][^\W\d]{2,})")


def preload_lemmatizer() -> None:
    """Load simplemma's German dictionary now (about 100 MB and two seconds), e.g. before
    worker processes fork: they then share the parent's copy instead of each loading its own."""
    import simplemma

    simplemma.lemmatize("Häuser", lang="de")


def lemmatize_form(form: str) -> str:
    """Lemma of one German word form: simplemma's (``lang="de"``), with fallbacks.

    Acronyms, names in capitals and initials are their own lemma (:func:`analysis.text.
    lemma_is_form`). When simplemma returns a form unchanged (it does not know it) and the
    form is not part of a compound split by a hyphen (*Gesundheits-*, *-ausfuhr*), these are
    tried in turn, and the first that gives another lemma is taken:

    1. a number glued to a word (*18jährigen*, *3fache*): the word is lemmatized as part of
       a compound with *zwei* (*zweijährig*), or alone, and the number is put back
       (*18jährig*, *3fach*);
    2. a form with *ß* that simplemma does not know at all, where the spelling before 1996
       had *ß* for today's *ss* (after a short vowel, at the end of a word or before a
       consonant: *wußte*, *Kuß*, *Schloßpark*, not *Straße* or *heißt*): the same with *ss*
       (*wissen*, *Kuss*, *Schlosspark*; the lemma is simplemma's, in current spelling);
    3. simplemma's greedy mode, which splits compounds of more than eight letters
       (*Terminvorgaben* → *Terminvorgabe*), for forms without inner capitals
       (*FitnessPoint* stays). A capitalised form that is a known word plus *-er* is
       its own lemma (*Kreuzberger*, *Istanbuler*: a noun with an *-er* plural would have
       that plural in simplemma's dictionary).

    A fallback lemma is refused when it turns a lower-case form into a capitalised one
    (*petersburger* is not *Petersburg*) or is a lower-case form plus *n* (*fragerunde* is not
    a verb *fragerunden*).

    Finally, a lower-case present participle (*-end*, *-ende*, *-enden*, …) whose lemma is
    its verb (*verheerenden* → *verheeren*) gets the participle as lemma, *verheerend*, as in
    the Universal Dependencies treebanks of German; such forms are nearly always adjectives
    or adverbs (*die verheerenden Folgen*, *entscheidend*). Capitalised forms are nouns
    (*die Reisenden*) or sentence-initial and keep simplemma's lemma.

    Examples
    --------
    >>> [lemmatize_form(w) for w in ("Diktatoren", "BILD", "verheerenden", "wußte", "3fache")]
    ['Diktator', 'BILD', 'verheerend', 'wissen', '3fach']
    """
    if not form or lemma_is_form(form):
        return form
    import simplemma

    lemma = simplemma.lemmatize(form, lang="de")
    if lemma == form and form[0] != "-" and form[-1] != "-":  # not "Gesundheits-", "-ausfuhr"
        lemma = _unknown_form_lemma(form, simplemma)
    if form.islower():
        participle = _PRESENT_PARTICIPLE.fullmatch(form)
        if participle:
            base = participle.group(1)
            verb = base[:-1]
            if verb.endswith("n") and (lemma == verb or (
                    lemma == form and simplemma.is_known(base, lang="de")
                    and simplemma.lemmatize(base, lang="de") in (base, verb))):
                return base
    return lemma


def _acceptable(form: str, lemma: str) -> bool:
    """Whether a fallback lemma of ``form`` may be used (see :func:`lemmatize_form`)."""
    if lemma == form or not lemma:
        return False
    if form[0].islower() and not lemma[0].islower():
        return False
    return not (form.islower() and lemma == form + "n")


def _unknown_form_lemma(form: str, simplemma) -> str:
    """The lemma of a form simplemma returns unchanged: the first fallback that applies."""
    number = _NUMBER_PREFIX.fullmatch(form)
    if number:
        prefix, word = number.groups()
        lemma = None
        if word.islower():
            compound = simplemma.lemmatize("zwei" + word, lang="de")
            if compound.startswith("zwei") and compound != "zwei" + word:
                lemma = compound[4:]
        if lemma is None:
            lemma = lemmatize_form(word)
        return prefix + lemma if _acceptable(word, lemma) else form
    spelled = _OLD_SHARP_S.sub("ss", form) if "ß" in form else form
    if spelled != form and not simplemma.is_known(form, lang="de"):
        lemma = simplemma.lemmatize(spelled, lang="de")
        if (lemma != spelled or simplemma.is_known(spelled, lang="de")) and _acceptable(form, lemma):
            return lemma
    if not form[1:].islower():  # inner capitals: "FitnessPoint", "E-Bikes"
        return form
    lemma = simplemma.lemmatize(form, lang="de", greedy=True)
    if form[0].isupper() and form == lemma + "er" and simplemma.is_known(lemma, lang="de"):
        # A known noun would have its plural in -er listed too: "Kreuzberger" (of Kreuzberg)
        # and "Vermögensbesitzer" (not of "Vermögensbesitz") are their own lemma, while
        # "Vorschulkinder" is a plural.
        return form
    return lemma if _acceptable(form, lemma) else form


def stem_forms(forms, kinds) -> list[str]:
    """Snowball (German) stems of the lower-cased ``word`` forms; other kinds keep the form.

    ``kinds`` are the integer kind codes of the forms. Stems are needed only for counting by
    stem, so the token store computes them on first use.

    Examples
    --------
    >>> stem_forms(["Regierungschefs", "2024"], [0, 1])
    ['regierungschef', '2024']
    """
    forms = list(forms)
    words = [i for i, kind in enumerate(kinds) if kind == 0]
    stems = list(forms)
    for i, stem in zip(words, stemmer().stemWords([forms[i].lower() for i in words])):
        stems[i] = stem
    return stems
