"""Document-term counts straight from the token store.

The same counts as :func:`analysis.stats.counts.count_terms` on the tokens table (after
:func:`analysis.framing.entities.canonical_tokens` when entity mentions are given), computed on the
id arrays: term ids are assigned once per type, and the documents are counted in slices of
about a million tokens, so memory stays bounded whatever the corpus size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..stats.counts import CountMatrix, check_by

__all__ = ["count_store"]

_WORD, _NUMBER = 0, 1
_SLICE_TOKENS = 1_000_000


def count_store(
    store,
    *,
    by: str = "lemma",
    mention_first: np.ndarray | None = None,
    mention_last: np.ndarray | None = None,
    mention_terms=None,
    mention_forms=None,
    lowercase: bool = False,
    keep_stopwords: bool = False,
    keep_numbers: bool = False,
    min_chars: int = 2,
) -> CountMatrix:
    """Count terms per document of a :class:`~analysis.store.TokenStore`.

    Parameters
    ----------
    store : TokenStore
    by : {"lemma", "token", "stem"}
        What is counted.
    mention_first, mention_last : numpy.ndarray, optional
        Token indices of the first and last token of each entity mention. The tokens of a
        mention count as one occurrence of the term ``mention_terms`` (``by="lemma"`` or
        ``"stem"``) or ``mention_forms`` (the text as written, ``by="token"``). They stay
        running words each: ``totals`` are the same with and without mentions, as for every
        rate of the suite.
    mention_terms, mention_forms : sequence of str, optional
        One per mention.
    lowercase, keep_stopwords, keep_numbers, min_chars
        As in :func:`analysis.stats.counts.count_terms`.

    Returns
    -------
    CountMatrix
        Rows are the store's doc_ids in store order; terms sorted.

    Examples
    --------
    >>> from analysis.store import TokenStore
    >>> store = TokenStore.from_texts(["d1"], ["Die Diktatoren lachen."])
    >>> counts = count_store(store)
    >>> list(counts.terms), int(counts.totals["d1"])
    (['Diktator', 'lachen'], 3)
    """
    check_by(by)
    values = store.type_attribute("form" if by == "token" else by)
    kinds = store.type_attribute("kind")
    values = pd.Series(values, dtype=object)
    if lowercase:
        values = values.str.lower()
    keep_type = (kinds == _WORD) | ((kinds == _NUMBER) & keep_numbers)
    if not keep_stopwords:
        keep_type &= ~store.type_attribute("is_stop").astype(bool)
    keep_type &= values.str.len().to_numpy() >= min_chars
    running_type = (kinds == _WORD) | (kinds == _NUMBER)

    n_mentions = 0 if mention_first is None else len(mention_first)
    heads = np.zeros(0, dtype=np.int64)
    inner = np.zeros(0, dtype=np.int64)
    head_terms = pd.Series([], dtype=object)
    if n_mentions:
        heads = np.asarray(mention_first, dtype=np.int64)
        last = np.asarray(mention_last, dtype=np.int64)
        spans = last - heads
        inner = np.repeat(heads, spans) + _ramp(spans) + 1  # tokens after each head
        head_terms = pd.Series(list(mention_forms if by == "token" else mention_terms), dtype=object)
        if lowercase:
            head_terms = head_terms.str.lower()

    # One sorted term list for the kept types and the mention terms.
    type_values = values[keep_type]
    head_keep = head_terms.str.len().to_numpy() >= min_chars if n_mentions else np.zeros(0, dtype=bool)
    all_terms = pd.concat([type_values, head_terms[head_keep]], ignore_index=True)
    terms = pd.Index(pd.unique(all_terms.to_numpy(dtype=object)), dtype=object).sort_values()
    term_of_type = np.full(len(values), -1, dtype=np.int64)
    term_of_type[keep_type] = terms.get_indexer(type_values.to_numpy(dtype=object))
    head_term = np.full(n_mentions, -1, dtype=np.int64)
    if n_mentions:
        head_term[head_keep] = terms.get_indexer(head_terms[head_keep].to_numpy(dtype=object))

    # Tokens inside a mention vanish and heads become the mention; both index arrays are
    # sorted (mentions are in token order and never overlap), so each slice finds its own.
    n_docs = store.n_documents
    totals = np.zeros(n_docs, dtype=np.int64)
    pieces = []
    offsets = store.offsets
    for doc_start, doc_end in store.slices(_SLICE_TOKENS):
        a, z = int(offsets[doc_start]), int(offsets[doc_end])
        t = np.asarray(store.type_ids[a:z])
        rows = np.repeat(np.arange(doc_start, doc_end, dtype=np.int64), np.diff(offsets[doc_start : doc_end + 1]))
        term = term_of_type[t]
        running = running_type[t]
        if n_mentions:
            # The running words stay the tokens (docs/pipeline.md, "Running words"): merging a
            # mention changes what is counted, not how many words the text has.
            lo, hi = np.searchsorted(inner, [a, z])
            term[inner[lo:hi] - a] = -1
            lo, hi = np.searchsorted(heads, [a, z])
            term[heads[lo:hi] - a] = head_term[lo:hi]
        totals[doc_start:doc_end] = np.bincount(rows[running] - doc_start, minlength=doc_end - doc_start)
        kept = term >= 0
        keys = (rows[kept] - doc_start) * len(terms) + term[kept]
        unique, counts = np.unique(keys, return_counts=True)
        local_rows, cols = np.divmod(unique, max(len(terms), 1))
        pieces.append((local_rows + doc_start, cols, counts))
    # Each slice's keys come out sorted by row, then column: together they are already a
    # canonical CSR matrix, so it is assembled directly instead of through COO.
    rows = np.concatenate([p[0] for p in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    cols = np.concatenate([p[1] for p in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    data = np.concatenate([p[2] for p in pieces]).astype(np.int64) if pieces else np.zeros(0, dtype=np.int64)
    # Terms of types that occur only inside mentions have no count left: drop them.
    used = np.bincount(cols, minlength=len(terms)) > 0
    if not used.all():
        cols = (np.cumsum(used) - 1)[cols]
        terms = terms[used]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_docs))])
    matrix = sparse.csr_matrix((data, cols.astype(np.int32 if len(terms) < 2**31 else np.int64), indptr),
                               shape=(n_docs, len(terms)))
    matrix.has_sorted_indices = True
    row_labels = pd.Index(store.doc_ids.astype(str), name="doc_id")
    return CountMatrix(
        matrix=matrix,
        rows=row_labels,
        terms=pd.Index(terms, name="term"),
        totals=pd.Series(totals, index=row_labels, name="total"),
        by=by,
    )


def _ramp(lengths: np.ndarray) -> np.ndarray:
    """0, 1, ..., n-1 for each n in ``lengths``, concatenated."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.arange(total, dtype=np.int64) - starts
