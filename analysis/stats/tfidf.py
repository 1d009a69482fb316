"""TF-IDF weights on a count matrix, in four named variants.

Each variant reproduces one widely used convention so that a figure can say exactly which
weighting it shows (``n`` = rows of the count matrix, ``df`` = rows that contain the term):

=============  =========================  ============================  ================
variant        tf                         idf                           ``norm="auto"``
=============  =========================  ============================  ================
``smooth``     raw count                  ln((1 + n) / (1 + df)) + 1    ``"l2"``
``standard``   raw count                  ln(n / df) + 1                ``"l2"``
``tidytext``   count / row length         ln(n / df)                    ``None``
``quanteda``   raw count                  log10(n / df)                 ``None``
=============  =========================  ============================  ================

``smooth`` and ``standard`` are scikit-learn's ``TfidfTransformer`` with ``smooth_idf=True`` or
``False`` (rows L2-normalised by default), ``tidytext`` is R tidytext's ``bind_tf_idf`` and
``quanteda`` is R quanteda's ``dfm_tfidf`` with its defaults.

Row length for ``tidytext``
    ``bind_tf_idf`` divides each count by the sum of the counts *in the table it is given*, so
    here the row length is the row sum of ``counts.matrix`` (the counted terms after any stop-word
    or term filter), **not** ``counts.totals`` (running words). The ``tf`` column then sums to 1
    within each row, as in tidytext. Use :mod:`analysis.stats.keyness` for rates per running word.

Per-outlet TF-IDF
    Sum the documents of each outlet first (:func:`analysis.stats.counts.group_counts`); ``n`` is then
    the number of outlets. With two outlets, every term both outlets use has the lowest possible
    idf, so the ranking favours terms only one outlet uses; :func:`caption_note` says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .counts import CountMatrix
from ..errors import ParameterError

__all__ = ["VARIANTS", "NORMS", "tfidf", "idf", "caption_note"]

#: TF-IDF variant name → one-line description for figure captions.
VARIANTS = {
    "smooth": "smooth idf = ln((1+n)/(1+df)) + 1 on raw counts, rows L2-normalised (scikit-learn default)",
    "standard": "idf = ln(n/df) + 1 on raw counts, rows L2-normalised (scikit-learn, smooth_idf=False)",
    "tidytext": "tf = count / row sum of counted terms, idf = ln(n/df), not normalised (tidytext bind_tf_idf)",
    "quanteda": "idf = log10(n/df) on raw counts, not normalised (quanteda dfm_tfidf defaults)",
}

#: Row normalisation each variant uses when ``norm="auto"``.
NORMS = {"smooth": "l2", "standard": "l2", "tidytext": None, "quanteda": None}

_NORM_CHOICES = ("auto", "l2", "l1", None)
_UNITS = {"doc_id": "document", "outlet": "outlet"}


def _check_variant(variant) -> str:
    if variant not in VARIANTS:
        raise ParameterError(
            f"unknown TF-IDF variant {variant!r}",
            hint=f"use one of {', '.join(VARIANTS)}",
        )
    return variant


def _resolve_norm(variant: str, norm):
    if isinstance(norm, str) and norm.lower() == "none":
        norm = None
    if norm not in _NORM_CHOICES:
        raise ParameterError(
            f"unknown norm {norm!r}",
            hint="use 'auto' (the variant's convention), 'l2', 'l1' or None",
        )
    return NORMS[variant] if norm == "auto" else norm


def _idf_values(n_rows: int, df: np.ndarray, variant: str) -> np.ndarray:
    """idf for document frequencies ``df``; terms with ``df == 0`` get NaN except for ``smooth``."""
    df = np.asarray(df, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if variant == "smooth":
            values = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
        elif variant == "standard":
            values = np.log(n_rows / df) + 1.0
        elif variant == "tidytext":
            values = np.log(n_rows / df)
        else:  # quanteda
            values = np.log10(n_rows / df)
    if variant != "smooth":
        values[df == 0] = np.nan
    return values


def _nonzero_csr(counts: CountMatrix) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(counts.matrix, copy=True)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    return matrix


def _term_order(terms: pd.Index) -> np.ndarray:
    """Position of each term in ascending term order (for deterministic tie-breaking)."""
    if terms.is_monotonic_increasing:
        return np.arange(len(terms))
    order = np.argsort(terms.to_numpy(dtype=object), kind="stable")
    ranks = np.empty(len(terms), dtype=np.int64)
    ranks[order] = np.arange(len(terms))
    return ranks


def idf(counts: CountMatrix, variant: str = "smooth") -> pd.Series:
    """Inverse document frequency of every term of ``counts``.

    Parameters
    ----------
    counts : CountMatrix
        Counts; ``n`` is its number of rows (documents, or outlets after grouping) and ``df`` the
        number of rows in which a term's count is non-zero.
    variant : {"smooth", "standard", "tidytext", "quanteda"}
        Which idf formula to use (see :data:`VARIANTS`).

    Returns
    -------
    pandas.Series
        idf indexed by ``counts.terms``, named ``"idf"``. A term no row uses (``df == 0``) has no
        defined idf and gets NaN, except for ``smooth``, whose formula stays finite.

    Examples
    --------
    >>> import pandas as pd
    >>> from scipy import sparse
    >>> from analysis.stats.counts import CountMatrix
    >>> rows = pd.Index(["taz", "welt", "zeit"], name="outlet")
    >>> counts = CountMatrix(sparse.csr_matrix([[2, 1], [0, 3], [0, 1]]), rows,
    ...                      pd.Index(["Klimakrise", "Regierung"], name="term"),
    ...                      pd.Series([10, 12, 8], index=rows))
    >>> idf(counts, "standard").round(4).tolist()  # ln(3/1) + 1, ln(3/3) + 1
    [2.0986, 1.0]
    >>> idf(counts, "quanteda").round(4).tolist()  # log10(3/1), log10(3/3)
    [0.4771, 0.0]
    """
    _check_variant(variant)
    matrix = _nonzero_csr(counts)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return pd.Series(_idf_values(matrix.shape[0], df, variant), index=counts.terms, name="idf")


def caption_note(variant: str, n_rows: int, *, norm="auto", unit: str = "outlet") -> str:
    """A caption sentence naming the TF-IDF variant, with a warning for two rows.

    Parameters
    ----------
    variant : {"smooth", "standard", "tidytext", "quanteda"}
        The variant the figure shows.
    n_rows : int
        Number of rows the idf was computed over (``n``).
    norm : {"auto", "l2", "l1", None}
        The ``norm`` passed to :func:`tfidf`; mentioned when it differs from the variant's
        convention.
    unit : str
        Singular noun for a row (``"outlet"``, ``"document"``); an ``s`` makes the plural.

    Returns
    -------
    str
        For example ``"TF-IDF (smooth): smooth idf = ... ; n = 3 outlets."``. With two rows the
        sentence adds that every term used by both gets the lowest idf, so the ranking favours
        terms only one of them uses; with one row, that idf cannot distinguish terms at all.

    Examples
    --------
    >>> print(caption_note("smooth", 2))  # doctest: +NORMALIZE_WHITESPACE
    TF-IDF (smooth): smooth idf = ln((1+n)/(1+df)) + 1 on raw counts, rows L2-normalised
    (scikit-learn default); n = 2 outlets. With two outlets every term used by both gets the
    lowest idf (1, against 1.405 for a term only one uses); ranking favours terms only one
    outlet uses.
    >>> print(caption_note("quanteda", 5))  # doctest: +NORMALIZE_WHITESPACE
    TF-IDF (quanteda): idf = log10(n/df) on raw counts, not normalised (quanteda dfm_tfidf
    defaults); n = 5 outlets.
    """
    _check_variant(variant)
    resolved = _resolve_norm(variant, norm)
    n_rows = int(n_rows)
    plural = unit + "s" if n_rows != 1 else unit
    text = f"TF-IDF ({variant}): {VARIANTS[variant]}"
    if resolved != NORMS[variant]:
        text += f"; rows {'not normalised' if resolved is None else resolved.upper() + '-normalised'} instead"
    text += f"; n = {n_rows} {plural}."
    if n_rows == 2:
        low, high = _idf_values(2, np.array([2, 1]), variant)
        text += (
            f" With two {unit}s every term used by both gets the lowest idf ({low:.4g}, against "
            f"{high:.4g} for a term only one uses)"
        )
        if low == 0:
            text += ", so its TF-IDF is 0"
        text += f"; ranking favours terms only one {unit} uses."
    elif n_rows == 1:
        text += f" With a single {unit} every term has the same idf, so TF-IDF only ranks by frequency."
    return text


def tfidf(counts: CountMatrix, *, variant: str = "smooth", norm="auto", top: int | None = None) -> pd.DataFrame:
    """TF-IDF weight of every non-zero (row, term) cell, as a tidy ranked table.

    Parameters
    ----------
    counts : CountMatrix
        Document-term counts, or group-term counts from :func:`analysis.stats.counts.group_counts`
        (then every outlet is one "document" and ``n`` is the number of outlets).
    variant : {"smooth", "standard", "tidytext", "quanteda"}
        Weighting convention (see :data:`VARIANTS` and the module docstring). For ``tidytext``
        the row length is the row sum of the counted terms, not ``counts.totals``.
    norm : {"auto", "l2", "l1", None}
        Row normalisation of the weights. ``"auto"`` uses the variant's convention: L2 for
        ``smooth`` and ``standard`` (as scikit-learn), none for ``tidytext`` and ``quanteda``.
    top : int, optional
        Keep only the ``top`` highest-ranked terms of every row.

    Returns
    -------
    pandas.DataFrame
        Columns ``<counts.rows.name>, term, count, tf, df, idf, tfidf, rank, variant``: one row per
        non-zero cell. ``tf`` is the raw count, or count / row sum for ``tidytext``; ``tfidf`` is
        ``tf * idf`` after normalisation. ``rank`` is the 1-based ordinal rank within the row by
        ``tfidf`` descending, ties broken by ``count`` descending, then ``term`` ascending. Rows
        follow ``counts.rows`` order, then rank. ``attrs`` holds ``variant``, ``norm``, ``n`` and
        ``caption`` (from :func:`caption_note`).

    Raises
    ------
    ParameterError
        For an unknown variant or norm, a ``top`` that is not a positive integer, or a count
        matrix without rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from scipy import sparse
    >>> from analysis.stats.counts import CountMatrix
    >>> rows = pd.Index(["taz", "welt"], name="outlet")
    >>> terms = pd.Index(["Klimakrise", "Regierung", "Wirtschaft"], name="term")
    >>> counts = CountMatrix(sparse.csr_matrix([[3, 2, 0], [0, 2, 4]]), rows, terms,
    ...                      pd.Series([20, 25], index=rows))
    >>> table = tfidf(counts, variant="tidytext")
    >>> table[["outlet", "term", "count", "tf", "idf", "tfidf", "rank"]].round(4)
      outlet        term  count      tf     idf   tfidf  rank
    0    taz  Klimakrise      3  0.6000  0.6931  0.4159     1
    1    taz   Regierung      2  0.4000  0.0000  0.0000     2
    2   welt  Wirtschaft      4  0.6667  0.6931  0.4621     1
    3   welt   Regierung      2  0.3333  0.0000  0.0000     2
    >>> tfidf(counts, top=1)[["outlet", "term", "tfidf"]].round(4)  # smooth, L2: 3·1.405 / √(4.216² + 2²)
      outlet        term   tfidf
    0    taz  Klimakrise  0.9035
    1   welt  Wirtschaft  0.9422
    """
    _check_variant(variant)
    resolved = _resolve_norm(variant, norm)
    if top is not None:
        if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
            raise ParameterError(
                f"top={top!r} is not a positive integer", hint="pass e.g. top=20, or None for all terms"
            )
        top = int(top)
    matrix = _nonzero_csr(counts)
    n_rows, n_terms = matrix.shape
    if n_rows == 0:
        raise ParameterError("the count matrix has no rows", hint="count at least one document")

    row_of_cell = np.repeat(np.arange(n_rows), np.diff(matrix.indptr))
    cols = matrix.indices
    count = matrix.data.astype(np.int64)
    df = np.bincount(cols, minlength=n_terms)
    idf_values = _idf_values(n_rows, df, variant)

    if variant == "tidytext":
        row_sum = np.bincount(row_of_cell, weights=count, minlength=n_rows)
        tf = count / row_sum[row_of_cell]
    else:
        tf = count.astype(np.float64)
    weight = tf * idf_values[cols]
    if resolved is not None:
        power = 2 if resolved == "l2" else 1
        length = np.bincount(row_of_cell, weights=np.abs(weight) ** power, minlength=n_rows)
        if power == 2:
            length = np.sqrt(length)
        length[length == 0] = 1.0
        weight = weight / length[row_of_cell]

    term_order = _term_order(counts.terms)
    order = np.lexsort((term_order[cols], -count, -weight, row_of_cell))
    row_of_cell, cols, count, tf, weight = (x[order] for x in (row_of_cell, cols, count, tf, weight))
    starts = np.searchsorted(row_of_cell, np.arange(n_rows))
    rank = np.arange(len(order)) - starts[row_of_cell] + 1

    table = pd.DataFrame(
        {
            counts.row_name: counts.rows.array.take(row_of_cell),
            "term": counts.terms.array.take(cols),
            "count": count,
            "tf": tf,
            "df": df[cols].astype(np.int64),
            "idf": idf_values[cols],
            "tfidf": weight,
            "rank": rank.astype(np.int64),
            "variant": variant,
        }
    )
    if top is not None:
        table = table[table["rank"] <= top].reset_index(drop=True)
    unit = _UNITS.get(counts.row_name, str(counts.row_name))
    table.attrs.update(
        variant=variant,
        norm=resolved,
        n=n_rows,
        caption=caption_note(variant, n_rows, norm=resolved if resolved != NORMS[variant] else "auto", unit=unit),
    )
    return table
