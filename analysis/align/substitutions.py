"""What changes between two aligned sentences: substitutions, insertions, deletions, labels.

**Token alignment.** The content keys of the two sentences (:mod:`analysis.align.units`:
lemmas, numbers, one key per entity mention) are aligned with
:class:`difflib.SequenceMatcher` (``autojunk=False``: sentences are short). Because a mention
is its entity's id, "Putin" and "QUtin", "Kim Jong Un" and "Kim" are the same token and align;
because stop words are not keys, "die" or "und" cannot anchor an alignment anywhere. Its
opcodes give the rows of :func:`diff_pair`:

* ``substitution`` — a ``replace`` block of at most :data:`MAX_SLOT_WORDS` content words on each
  side: A's words stand where B's stand, between the same matched words (or the sentence's
  start or end) — the same slot of the same fact ("Verteidigungsabkommen" ↔ "Verteidigungspakt");
* ``rewrite`` — a longer ``replace`` block: the sentences say it differently, not word for word;
* ``deletion`` / ``insertion`` — words only A has (``delete``) or only B has (``insert``).

Words of a row that are **evaluative** are listed in ``evaluative``: a lower-case word (an
adjective or adverb, not a noun: German capitalises nouns) that the polarity lexicon of
:mod:`analysis.sentiment` scores, or one of :data:`EVALUATIVE_WORDS`, evaluative adjectives of
news that carry no lexicon polarity ("geheimnisvoll", "isoliert").

**Labels.** :func:`label_changes` compares how the two sentences refer to each person they both
name or label (from the label attribution of :mod:`analysis.framing.labels`): a person called
"Staatsoberhaupt" in A and "Diktator" in B is a ``label`` row, also when the token alignment
cannot pair the two words (they stand in different places of differently built sentences). A
person named without a label is referred to by the name as written ("Putin").
"""

from __future__ import annotations

import difflib

import pandas as pd

__all__ = ["DIFF_COLUMNS", "EVALUATIVE_WORDS", "MAX_SLOT_WORDS", "diff_pair", "diff_rows", "evaluative_words",
           "label_changes", "label_rows"]

#: Longest side (content words) of a ``replace`` block read as a substitution.
MAX_SLOT_WORDS = 4
#: Evaluative words of news without a polarity in the lexicon (lemmas, lower case).
EVALUATIVE_WORDS = frozenset({
    "geheimnisvoll", "isoliert", "abgeschottet", "hart", "berüchtigt", "umstritten", "selbsternannt",
    "sogenannt", "angeblich", "mutmaßlich", "luxuriös", "großzügig", "pompös", "prunkvoll", "martialisch",
    "skrupellos", "brutal", "autoritär", "totalitär", "kommunistisch", "diktatorisch", "aggressiv",
    "sorgfältig", "choreografiert", "inszeniert", "selten", "beispiellos", "historisch",
})
_VERB_ENDINGS = ("en", "ln", "rn")
#: Columns of the rows of :func:`diff_pair` and :func:`label_changes`.
DIFF_COLUMNS = ("kind", "term_a", "term_b", "text_a", "text_b", "person", "evaluative")


def evaluative_words(forms, keys, lexicon=None) -> list[str]:
    """The evaluative words among ``forms`` (see the module docstring).

    Examples
    --------
    >>> evaluative_words(["geheimnisvollen", "Land", "brutale"], ["geheimnisvoll", "land", "brutal"])
    ['geheimnisvollen', 'brutale']
    """
    found = []
    for form, key in zip(forms, keys):
        if not form[:1].islower():
            continue  # nouns (and names) are capitalised
        if key in EVALUATIVE_WORDS:
            found.append(form)
        elif lexicon is not None and not key.endswith(_VERB_ENDINGS) and lexicon.lookup(form, key) is not None:
            # The lexicon scores verbs too ("lächeln", "verteidigen"): a lemma ending like an
            # infinitive is taken for a verb, which leaves the adjectives and adverbs.
            found.append(form)
    return found


def _term(keys) -> str:
    # An entity key "@Putin" is shown as the entity's id.
    return " ".join(k[1:] if k.startswith("@") else k for k in keys)


def diff_pair(keys_a, forms_a, keys_b, forms_b, *, lexicon=None, max_slot: int = MAX_SLOT_WORDS) -> pd.DataFrame:
    """The token-level differences of two aligned sentences.

    Parameters
    ----------
    keys_a, forms_a, keys_b, forms_b : list of str
        Content keys and written forms of each sentence (:class:`analysis.align.units.SentenceUnits`).
    lexicon : analysis.sentiment.Lexicon, optional
        Polarity lexicon for the ``evaluative`` column (None: :data:`EVALUATIVE_WORDS` only).
    max_slot : int
        See :data:`MAX_SLOT_WORDS`.

    Returns
    -------
    pandas.DataFrame
        :data:`DIFF_COLUMNS`: ``term_a``/``term_b`` are the keys of each side joined by spaces
        (what the substitution table counts), ``text_a``/``text_b`` the words as written,
        ``evaluative`` the evaluative words of the row joined by spaces (not for a ``rewrite``,
        whose words are not an addition to the same wording); ``person`` is empty.

    Examples
    --------
    >>> a = ["@Putin", "unterzeichnen", "verteidigungsabkommen"]
    >>> b = ["@Putin", "unterzeichnen", "verteidigungspakt", "heute"]
    >>> diff_pair(a, ["Putin", "unterzeichnete", "Verteidigungsabkommen"],
    ...           b, ["QUtin", "unterzeichnete", "Verteidigungspakt", "heute"])[["kind", "text_a", "text_b"]].values.tolist()
    [['substitution', 'Verteidigungsabkommen', 'Verteidigungspakt heute']]
    >>> diff_pair(["land"], ["Land"], ["geheimnisvoll", "land"], ["geheimnisvollen", "Land"])[["kind", "evaluative"]].values.tolist()
    [['insertion', 'geheimnisvollen']]
    """
    return pd.DataFrame(diff_rows(keys_a, forms_a, keys_b, forms_b, lexicon=lexicon, max_slot=max_slot),
                        columns=list(DIFF_COLUMNS))


def diff_rows(keys_a, forms_a, keys_b, forms_b, *, lexicon=None, max_slot: int = MAX_SLOT_WORDS) -> list[tuple]:
    """The rows of :func:`diff_pair` as tuples (what a corpus-wide run collects: no table per pair)."""
    matcher = difflib.SequenceMatcher(None, list(keys_a), list(keys_b), autojunk=False)
    rows = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace":
            kind = "substitution" if max(i2 - i1, j2 - j1) <= max_slot else "rewrite"
        else:
            kind = "deletion" if tag == "delete" else "insertion"
        evaluative = [] if kind == "rewrite" else (evaluative_words(forms_a[i1:i2], keys_a[i1:i2], lexicon)
                                                   + evaluative_words(forms_b[j1:j2], keys_b[j1:j2], lexicon))
        rows.append((kind, _term(keys_a[i1:i2]), _term(keys_b[j1:j2]), " ".join(forms_a[i1:i2]),
                     " ".join(forms_b[j1:j2]), "", " ".join(evaluative)))
    return rows


def label_changes(labels_a: dict, labels_b: dict) -> pd.DataFrame:
    """``label`` rows for the persons whose references differ between two aligned sentences.

    Parameters
    ----------
    labels_a, labels_b : dict
        Person → set of references in each sentence: label names ("Diktator") or, for a person
        named without a label, the name as written.

    Returns
    -------
    pandas.DataFrame
        :data:`DIFF_COLUMNS`, one row per person and pair of differing references (A's
        references that B lacks against B's that A lacks); persons only one sentence refers to
        are left out.

    Examples
    --------
    >>> label_changes({"Putin": {"Staatsoberhaupt"}, "Kim": {"Kim"}},
    ...               {"Putin": {"Diktator"}, "Kim": {"Kim"}})[["person", "term_a", "term_b"]].values.tolist()
    [['Putin', 'Staatsoberhaupt', 'Diktator']]
    """
    return pd.DataFrame(label_rows(labels_a, labels_b), columns=list(DIFF_COLUMNS))


def label_rows(labels_a: dict, labels_b: dict) -> list[tuple]:
    """The rows of :func:`label_changes` as tuples."""
    rows = []
    for person in sorted(set(labels_a) & set(labels_b)):
        only_a = sorted(set(labels_a[person]) - set(labels_b[person]))
        only_b = sorted(set(labels_b[person]) - set(labels_a[person]))
        for term_a in only_a:
            for term_b in only_b:
                rows.append(("label", term_a, term_b, term_a, term_b, person, ""))
    return rows
