"""The vocabulary: one row per distinct token form, with every attribute computed once.

A corpus of 40,000 articles has about 32 million tokens but well under a million distinct
forms. Lemmas (simplemma), stems (Snowball), lower-case forms, stop-word flags and token
kinds are computed here, once per form, and every token refers to its form by an integer id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text import KINDS, form_kind, german_stopwords, lemma_is_form, stemmer

__all__ = ["VOCABULARY_COLUMNS", "annotate_forms", "stem_forms"]

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
    import simplemma

    forms = list(forms)
    kinds = np.fromiter(map(form_kind, forms), dtype=np.int8, count=len(forms))
    lower = [form.lower() for form in forms]
    stopwords = german_stopwords()
    is_word = (kinds == 0).tolist()
    lemma_of = simplemma.lemmatize
    lemma = [lemma_of(f, lang="de") if w and lemmas and f and not lemma_is_form(f) else f
             for f, w in zip(forms, is_word)]
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
