"""Term frequency tables: count, rate, rank and document frequency of every term, per group.

The table quanteda's ``textstat_frequency`` gives, computed from the document-term counts
with two sparse products (one for the counts, one for the documents containing each term),
so it costs the same for 2 articles or 100,000.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import ParameterError
from .counts import CountMatrix, group_codes

__all__ = ["FREQUENCY_COLUMNS", "term_frequency"]

#: Columns of :func:`term_frequency` after the group column.
FREQUENCY_COLUMNS = ("term", "count", "rate", "rank", "documents", "document_share")


def term_frequency(
    counts: CountMatrix,
    documents: pd.DataFrame | None = None,
    *,
    group: str | None = None,
    min_count: int = 1,
    top: int | None = None,
) -> pd.DataFrame:
    """Count, rate, rank and document frequency of every term, overall or per group.

    Parameters
    ----------
    counts : CountMatrix
        Document-term counts (rows are doc_ids), e.g. ``prepared.doc_counts``.
    documents : pandas.DataFrame, optional
        Documents table with ``doc_id`` and the ``group`` column; needed with ``group``.
    group : str, optional
        Documents column to tabulate by (``outlet``); None: the whole corpus.
    min_count : int, default 1
        Leave out terms seen fewer times than this in a group.
    top : int, optional
        Keep the ``top`` most frequent terms of each group (ties at the cut are cut by term).

    Returns
    -------
    pandas.DataFrame
        One row per group and term, most frequent first: the group column (when grouped),
        ``term``, ``count``, ``rate`` (per 1,000 running words of the group), ``rank``
        (1 = most frequent; tied counts share the smallest rank, as quanteda's default),
        ``documents`` (documents of the group that contain the term) and
        ``document_share`` (that number over the group's documents).

    Examples
    --------
    >>> from analysis.stats.counts import count_terms
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "token": ["Kim", "Kim", "Kim", "Putin"],
    ...                        "kind": "word", "is_stop": False})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"]})
    >>> term_frequency(count_terms(tokens, by="token"), docs, group="outlet")
      outlet   term  count    rate  rank  documents  document_share
    0      X    Kim      3  1000.0     1          2             1.0
    1      Y  Putin      1  1000.0     1          1             1.0
    """
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ParameterError(f"min_count={min_count!r} must be a positive integer", hint="e.g. min_count=5")
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ParameterError(f"top={top!r} must be a positive integer or None", hint="e.g. top=20")
    n_docs = len(counts.rows)
    if group is None:
        codes, labels = np.zeros(n_docs, dtype=np.int64), pd.Index(["all"])
    else:
        if documents is None:
            raise ParameterError(f"group={group!r} needs the documents table", hint="pass documents=prepared.metadata")
        codes, labels = group_codes(counts, documents, group=group)
    indicator = sparse.csr_matrix((np.ones(n_docs, dtype=np.int64), (codes, np.arange(n_docs))),
                                  shape=(len(labels), n_docs))
    matrix = counts.matrix.tocsr()
    present = matrix.copy()
    present.data = np.ones_like(present.data)
    summed = (indicator @ matrix).tocsr()
    containing = (indicator @ present).tocsr()
    summed.sort_indices()
    containing.sort_indices()
    # Both products have the pattern of the summed counts: one entry per group and term seen.
    rows = np.repeat(np.arange(len(labels)), np.diff(summed.indptr))
    cols, count, docs = summed.indices, summed.data.astype(np.int64), containing.data.astype(np.int64)
    keep = count >= min_count
    rows, cols, count, docs = rows[keep], cols[keep], count[keep], docs[keep]
    order = np.lexsort((cols, -count, rows))  # counts.terms is sorted: column order is term order
    rows, cols, count, docs = rows[order], cols[order], count[order], docs[order]
    rank = _min_ranks(rows, count)
    if top is not None:
        position = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        keep = position < top
        rows, cols, count, docs, rank = rows[keep], cols[keep], count[keep], docs[keep], rank[keep]
    running = np.asarray(indicator @ counts.totals.to_numpy(dtype=np.float64), dtype=np.float64)
    group_docs = np.bincount(codes, minlength=len(labels)).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = 1000.0 * count / running[rows]
    table = pd.DataFrame({
        "term": counts.terms.to_numpy()[cols],
        "count": count,
        "rate": rate,
        "rank": rank,
        "documents": docs,
        "document_share": docs / group_docs[rows],
    })
    if group is not None:
        table.insert(0, group, labels.to_numpy()[rows])
    return table


def _min_ranks(rows: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Rank within each group of rows sorted by group, then count descending: a run of
    equal counts takes the position of its first row."""
    n = len(rows)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts_run = np.ones(n, dtype=bool)
    starts_run[1:] = (rows[1:] != rows[:-1]) | (count[1:] != count[:-1])
    run_first = np.maximum.accumulate(np.where(starts_run, np.arange(n), 0))
    group_first = np.searchsorted(rows, rows, side="left")
    return (run_first - group_first + 1).astype(np.int64)
