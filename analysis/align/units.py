"""Sentences as alignment units: their text, their content words and the entities they name.

Alignment compares sentences of different articles. :func:`sentence_units` reads them from the
token store (no document text is needed: a sentence's text is rebuilt from its tokens and their
offsets) and gives, for every sentence of the chosen documents,

* ``keys`` — the content words as lower-case lemmas, numbers as written, and every entity
  mention as one key ``@<entity id>`` (so "Putin", "Putins" and "QUtin" are one key, and "Kim
  Jong Un" is one key, not three). Stop words and punctuation are left out: they carry no fact,
  and in a token alignment they would be anchors that match anywhere ("die", "und");
* ``forms`` — the same tokens as written (what a substitution shows);
* ``entities`` — the entity ids the sentence names, plus the persons its labels imply by
  themselves ("Kremlchef" → Putin, from the registry's ``labels``);
* ``numbers`` — its numbers ("24", "1961", "2022").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..text import KINDS

__all__ = ["UNIT_COLUMNS", "SentenceUnits", "sentence_units"]

#: Columns of :attr:`SentenceUnits.table`.
UNIT_COLUMNS = ("doc_id", "sentence_id", "text", "n_words")

_WORD, _NUMBER = KINDS.index("word"), KINDS.index("number")


@dataclass(frozen=True)
class SentenceUnits:
    """The sentences of some documents, ready to be compared.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per sentence: :data:`UNIT_COLUMNS` (``n_words``: word and number tokens).
    keys, forms : list of list of str
        Per sentence, its content tokens as keys and as written (see the module docstring).
    entities, numbers : list of frozenset
        Per sentence, the entity ids it names and the numbers it gives.
    """

    table: pd.DataFrame
    keys: list
    forms: list
    entities: list
    numbers: list

    def __len__(self) -> int:
        return len(self.table)

    def rows(self, lo: int, hi: int) -> "SentenceUnits":
        """The units ``lo:hi`` (e.g. one story's of the units of many stories)."""
        return SentenceUnits(self.table.iloc[lo:hi].reset_index(drop=True), self.keys[lo:hi], self.forms[lo:hi],
                             self.entities[lo:hi], self.numbers[lo:hi])


def sentence_units(store, doc_ids, *, mention_first=None, mention_last=None, mention_entities=None,
                   implied=None) -> SentenceUnits:
    """The sentences of ``doc_ids`` (in that order) as alignment units.

    Parameters
    ----------
    store : analysis.store.TokenStore
    doc_ids : sequence of str
    mention_first, mention_last : numpy.ndarray, optional
        Store token indices of the first and last token of every entity mention, in store order
        (``prepared.mention_tokens``).
    mention_entities : sequence of str, optional
        The entity id of each mention (``prepared.mentions["entity"]``).
    implied : dict, optional
        Lower-case lemma of a label → the entity it names by itself ({"kremlchef": "Putin"}).

    Returns
    -------
    SentenceUnits

    Examples
    --------
    >>> from analysis.store import TokenStore
    >>> store = TokenStore.from_texts(["a"], ["Der Kremlchef traf Kim am 19. Juni. Beide lachten."])
    >>> units = sentence_units(store, ["a"], implied={"kremlchef": "Putin"})
    >>> units.table["text"].tolist()
    ['Der Kremlchef traf Kim am 19. Juni.', 'Beide lachten.']
    >>> units.keys[0], sorted(units.entities[0])
    (['kremlchef', 'treffen', 'kim', '19.', 'juni'], ['Putin'])
    """
    doc_ids = [str(d) for d in doc_ids]
    positions = store.positions(doc_ids)
    rows = store.token_rows(positions)
    types = np.asarray(store.type_ids[rows])
    starts = np.asarray(store.starts[rows], dtype=np.int64)
    ends = starts + store.form_lengths[types]
    sentence = np.asarray(store.sentence_ids[rows], dtype=np.int64)
    lengths = store.lengths[positions]
    doc_pos = np.repeat(np.arange(len(positions)), lengths)
    form_of = store.type_attribute("form")
    lemma_of = store.type_attribute("lemma")
    kind = store.type_attribute("kind")[types]
    stop = store.type_attribute("is_stop")[types].astype(bool)

    # Entity mentions: the first token of a mention becomes the key "@id", its other tokens go.
    entity_at = np.full(len(rows), -1, dtype=np.int64)
    covered = np.zeros(len(rows), dtype=bool)
    names: list[str] = []
    if mention_first is not None and len(mention_first):
        first = np.asarray(mention_first, dtype=np.int64)
        last = np.asarray(mention_last, dtype=np.int64)
        # Store row → position in ``rows`` (rows are the documents' token ranges, in order).
        doc_start = store.offsets[positions]
        local_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(lengths) else np.zeros(0, np.int64)
        doc_of_first = np.searchsorted(store.offsets, first, side="right") - 1
        lookup = np.full(store.n_documents, -1, dtype=np.int64)
        lookup[positions] = np.arange(len(positions))
        chosen = lookup[doc_of_first]
        keep = chosen >= 0
        codes, names_index = pd.factorize(pd.Series(list(mention_entities), dtype=object)[keep])
        names = [str(n) for n in names_index]
        where_first = first[keep] - doc_start[chosen[keep]] + local_start[chosen[keep]]
        where_last = last[keep] - doc_start[chosen[keep]] + local_start[chosen[keep]]
        entity_at[where_first] = codes
        span = where_last - where_first
        for offset in range(1, int(span.max()) + 1 if len(span) else 1):
            covered[(where_first + offset)[span >= offset]] = True
    content = ((kind == _WORD) & ~stop) | (kind == _NUMBER) | (entity_at >= 0)
    content &= ~covered

    # Sentence boundaries: where the document or the sentence number changes.
    change = np.flatnonzero((np.diff(doc_pos) != 0) | (np.diff(sentence) != 0)) + 1
    bounds = np.concatenate([[0], change, [len(rows)]]).astype(np.int64) if len(rows) else np.zeros(1, np.int64)
    n_sentences = len(bounds) - 1
    forms_all = form_of[types]
    # Each token as it stands in the text: one space before it wherever the text had a gap (a
    # line break or several spaces become one), none at a sentence's start.
    gap = np.zeros(len(rows), dtype=bool)
    gap[1:] = starts[1:] > ends[:-1]
    gap[bounds[:-1]] = False
    # Sentence texts are joined by Arrow (a Python string per token was a sixth of the alignment).
    written = pa.array(forms_all, type=pa.large_string())
    space, nothing = pa.scalar(" ", type=pa.large_string()), pa.scalar("", type=pa.large_string())
    pieces = pc.if_else(pa.array(gap), pc.binary_join_element_wise(space, written, nothing), written)
    texts = pc.binary_join(pa.LargeListArray.from_arrays(pa.array(bounds, type=pa.int64()), pieces), nothing)

    def written_span(first: int, stop: int) -> str:
        """Tokens ``first:stop`` as they stand in the text, without a space before the first."""
        rest = zip(forms_all[first + 1:stop].tolist(), gap[first + 1:stop].tolist())
        return str(forms_all[first]) + "".join(" " + form if spaced else form for form, spaced in rest)

    # Content tokens, sentence by sentence: keys are lower-case lemmas (lowered once per type).
    picked = np.flatnonzero(content)
    of_sentence = np.searchsorted(bounds, picked, side="right") - 1
    picked_types, inverse = np.unique(types[picked], return_inverse=True)
    lowered = [str(lemma).lower() for lemma in lemma_of[picked_types]]
    keys_all = [lowered[k] for k in inverse.ravel().tolist()]
    forms_picked = forms_all[picked].tolist()
    implied = implied or {}
    found: list[set] = [set() for _ in range(n_sentences)]
    given: list[set] = [set() for _ in range(n_sentences)]
    for j in np.flatnonzero(entity_at[picked] >= 0).tolist():
        k, at = int(picked[j]), int(of_sentence[j])
        name = names[entity_at[k]]
        keys_all[j] = "@" + name
        found[at].add(name)
        # The mention as written: from its first token to the last token it covers.
        stop_at, z = k + 1, int(bounds[at + 1])
        while stop_at < z and covered[stop_at]:
            stop_at += 1
        forms_picked[j] = written_span(k, stop_at)
    is_number = kind[picked] == _NUMBER
    for j in np.flatnonzero(is_number).tolist():
        given[int(of_sentence[j])].add(forms_picked[j].rstrip("."))
    if implied:
        plain = np.flatnonzero(~is_number & (entity_at[picked] < 0)).tolist()
        for j in plain:
            person = implied.get(keys_all[j])
            if person is not None:
                found[int(of_sentence[j])].add(person)
    cuts = np.searchsorted(of_sentence, np.arange(n_sentences + 1)).tolist()
    keys = [keys_all[a:z] for a, z in zip(cuts[:-1], cuts[1:])]
    forms = [forms_picked[a:z] for a, z in zip(cuts[:-1], cuts[1:])]
    entities = [frozenset(s) for s in found]
    numbers = [frozenset(s) for s in given]
    is_word = ((kind == _WORD) | (kind == _NUMBER)).astype(np.int64)
    n_words = np.add.reduceat(is_word, bounds[:-1]) if len(rows) else np.zeros(0, np.int64)
    heads = bounds[:-1]
    table = pd.DataFrame({
        "doc_id": [doc_ids[k] for k in doc_pos[heads].tolist()],
        "sentence_id": sentence[heads].astype(np.int64),
        "text": pd.array(texts, dtype=pd.Series([""]).dtype),
        "n_words": n_words.astype(np.int64),
    }, columns=list(UNIT_COLUMNS))
    return SentenceUnits(table, keys, forms, entities, numbers)
