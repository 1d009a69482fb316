"""Keyness: which terms a target group uses more (or less) than a reference.

All measures work on group-term counts (usually outlets × terms from
:func:`analysis.stats.counts.group_counts`) and on the running-word totals ``counts.totals``. For one
term, ``a`` and ``b`` are its counts in the target and the reference and ``Nt``, ``Nr`` the
running words of target and reference. The totals never change when terms are filtered, and
``min_count`` only drops rows from the output, so a term's statistic does not depend on which
other terms are shown.

Measures
--------
``logodds`` (default)
    Log-odds ratio with an informative Dirichlet prior, Monroe, Colaresi & Quinn (2008), "Fightin'
    Words", *Political Analysis* 16(4), 372–403, eqs. for δ and its approximate variance::

        δ  = ln[(a + α) / (Nt + α0 − a − α)] − ln[(b + α) / (Nr + α0 − b − α)]
        σ² = 1/(a + α) + 1/(b + α)                      (variance="approx", the paper's)
        z  = δ / σ

    ``variance="full"`` adds 1/(Nt + α0 − a − α) + 1/(Nr + α0 − b − α), the variant used by
    scattertext; it makes z slightly smaller. tidylo's "each group against all groups pooled
    including itself" variant is not implemented.
``chi2`` and ``g2``
    Pearson's χ² and the log-likelihood G² (Dunning 1993) on the 2×2 table
    ``[[a, b], [Nt − a, Nr − b]]``, signed +1 when ``a`` exceeds its expected count, as in
    quanteda's ``textstat_keyness``. ``correction="yates"`` (default) applies quanteda's
    *conditional* Yates correction: 0.5 is subtracted only when ``|ad − bc| ≥ N/2`` and at least
    one expected count is below 5; for G² the observed cells are moved by 0.5 towards
    independence. ``correction="williams"`` divides G² by Williams' (1976) ``q``; it is not
    defined for χ².
``logratio``
    Hardie's (2014) log ratio, ``log2[(a/Nt) / (b/Nr)]``, with a zero count replaced by 0.5 (the
    constant Hardie suggests), so a term one side never uses gets a finite value. It is an effect
    size, not a test: ``p`` and ``q`` are NaN.

Whatever the measure, ``effect_size`` is the log ratio and ``rate_target`` / ``rate_reference``
are occurrences per 1,000 running words, because significance grows with corpus size.

Prior of ``logodds``
--------------------
``α(w) = α0 · π(w)``, where ``π(w)`` is the term's relative frequency **per running word** in the
prior source: ``prior="pooled"`` (default) uses target + reference, ``(a + b) / (Nt + Nr)``
(Monroe et al.'s informative prior with the compared texts as background; in one-vs-rest that is
the whole corpus, and swapping target and reference only flips the sign of z); ``prior="all"``
uses all rows of ``counts`` (differs from ``"pooled"`` in pairwise comparisons);
``prior="background"`` uses the ``background`` table, where a term with count 0 is given 0.5
(the log-ratio constant) so that no term has zero prior mass. Dividing by running words, not by
counted terms, matches ``n_i`` in δ, which are running words too: the pseudo-counts of words
removed by term filters (stop words) stay part of ``α0`` just as those words stay part of
``n_i``. Without term filters this is the plain vocabulary share and ``α0 = Σ α(w)``.

``alpha0=None`` (default) is ``min(Nt, Nr) / 10``: the prior weighs as much as a tenth of the
smaller side. Monroe et al. leave the scale to the analyst, and published choices range from a
fixed α0 (e.g. 500 or 1000; strong for a small corpus, negligible for a big one) to the pooled
counts themselves (α(w) = a + b, tidylo's empirical-Bayes default). Because the *same* α(w) is
added to both sides, a prior on the scale of the pooled corpus outweighs a small target's own
counts in one-vs-rest comparisons (20 outlets: the prior is ~20 times the target). Scaled to the
smaller side, it pulls each side's rate at most 1/11 (about 9 %) of the way towards the prior
rate, while still keeping a term one side never uses from getting an infinite δ.
``alpha0="pooled"`` gives ``α0 = Nt + Nr`` (with ``prior="pooled"`` and no term filter,
α(w) = a + b, as tidylo); any positive number sets α0 directly.

p- and q-values
---------------
``p`` is two-sided normal for z, and the upper tail of χ²(1) at ``|statistic|`` for χ² and G².
``q`` are Benjamini–Hochberg (1995) adjusted p-values over the terms of one output table (one
comparison); in :func:`keyness_all` they are adjusted within each comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse, special

from .counts import CountMatrix
from ..errors import ParameterError

__all__ = ["MEASURES", "LOG_RATIO_ZERO", "WITHIN_COMBINE", "keyness", "keyness_all", "keyness_within",
           "keyness_statistic", "benjamini_hochberg", "adjust_fdr", "FDR_SCOPES"]

#: Measure name → one-line description for figure captions.
MEASURES = {
    "logodds": "z of the log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)",
    "chi2": "signed chi-squared, 2x2 table, conditional Yates correction (quanteda)",
    "g2": "signed log-likelihood G2, 2x2 table, conditional Yates correction (quanteda)",
    "logratio": "Hardie's log ratio log2[(a/Nt)/(b/Nr)], 0.5 for zero counts",
}
#: The count that replaces a zero in the log ratio (Hardie 2014).
LOG_RATIO_ZERO = 0.5

_CORRECTIONS = ("none", "yates", "williams")
_PRIORS = ("pooled", "all", "background")
_VARIANCES = ("approx", "full")
_SCHEMES = ("one-vs-rest", "pairwise")
COLUMNS = [
    "term", "n_target", "n_reference", "statistic", "p", "q", "effect_size",
    "rate_target", "rate_reference", "measure", "target", "reference",
]


def benjamini_hochberg(p):
    """Benjamini–Hochberg adjusted p-values (q-values).

    ``q_(i) = min over j ≥ i of m · p_(j) / j`` for the p-values sorted ascending, capped at 1;
    ``m`` is the number of non-missing p-values. NaN stays NaN and does not count in ``m``.

    Parameters
    ----------
    p : array-like or pandas.Series
        p-values.

    Returns
    -------
    numpy.ndarray or pandas.Series
        q-values in the input order (a Series keeps its index).

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.5]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.5]
    """
    values = np.asarray(p, dtype=np.float64)
    q = np.full(values.shape, np.nan)
    flat = values.ravel()
    present = np.flatnonzero(~np.isnan(flat))
    if len(present):
        if (flat[present] < 0).any() or (flat[present] > 1).any():
            raise ParameterError("p-values must lie between 0 and 1", hint="pass raw p-values, not test statistics")
        m = len(present)
        order = present[np.argsort(flat[present], kind="stable")]
        scaled = flat[order] * m / np.arange(1, m + 1)
        adjusted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
        out = q.ravel()
        out[order] = adjusted
        q = out.reshape(values.shape)
    if isinstance(p, pd.Series):
        return pd.Series(q, index=p.index, name="q")
    return q


# --------------------------------------------------------------------------- measures
def _log_ratio(a, b, nt, nr):
    a = np.where(a == 0, LOG_RATIO_ZERO, a)
    b = np.where(b == 0, LOG_RATIO_ZERO, b)
    return np.log2(a / nt) - np.log2(b / nr)


def _log_odds(a, b, nt, nr, alpha, alpha0, variance):
    yi = a + alpha
    yj = b + alpha
    rest_i = nt + alpha0 - yi
    rest_j = nr + alpha0 - yj
    delta = (np.log(yi) - np.log(rest_i)) - (np.log(yj) - np.log(rest_j))
    var = 1.0 / yi + 1.0 / yj
    if variance == "full":
        var = var + 1.0 / rest_i + 1.0 / rest_j
    z = delta / np.sqrt(var)
    return z, special.erfc(np.abs(z) / np.sqrt(2.0))  # two-sided normal p


def _two_by_two(a, b, nt, nr, measure, correction):
    c = nt - a
    d = nr - b
    n = nt + nr
    row1, row2, col1, col2 = a + b, c + d, nt, nr
    e11, e12, e21, e22 = row1 * col1 / n, row1 * col2 / n, row2 * col1 / n, row2 * col2 / n
    sign = np.where(a > e11, 1.0, -1.0)
    diff = a * d - b * c
    if correction == "yates":
        small = np.minimum(np.minimum(e11, e12), np.minimum(e21, e22)) < 5
        shift = np.where((np.abs(diff) >= n / 2) & small, 0.5, 0.0)
    else:
        shift = np.zeros_like(a)
    if measure == "chi2":
        stat = n * (np.abs(diff) - n * shift) ** 2 / (row1 * row2 * col1 * col2)
    else:
        toward = np.where(diff > 0, 1.0, -1.0) * shift
        o11, o12, o21, o22 = a - toward, b + toward, c + toward, d - toward
        stat = 2.0 * (
            special.xlogy(o11, o11 / e11) + special.xlogy(o12, o12 / e12)
            + special.xlogy(o21, o21 / e21) + special.xlogy(o22, o22 / e22)
        )
        if correction == "williams":
            q = 1.0 + (n / row1 + n / row2 - 1.0) * (n / col1 + n / col2 - 1.0) / (6.0 * n)
            stat = stat / q
    stat = sign * np.maximum(stat, 0.0)
    return stat, special.erfc(np.sqrt(np.abs(stat) / 2.0))  # chi-squared(1) upper tail = erfc(sqrt(x/2))


def keyness_statistic(a, b, total_target, total_reference, *, measure: str = "logodds", alpha=None,
                      alpha0=None, correction: str = "yates", variance: str = "approx"):
    """The statistic and p-value of each term from its counts: the formulas of :func:`keyness`.

    For computations that hold parts of the model fixed, such as a bootstrap that keeps the
    observed prior while the counts vary (:func:`analysis.stats.robustness.bootstrap_keyness`).
    A term with ``a = b = 0`` gets statistic 0 and p = 1 from ``chi2`` and ``g2`` (no evidence
    either way); ``logodds`` and ``logratio`` are defined for it as they are for any other count.

    Parameters
    ----------
    a, b : array-like
        Counts of each term in the target and the reference.
    total_target, total_reference : float
        Running words of target and reference (``Nt``, ``Nr``).
    measure : {"logodds", "chi2", "g2", "logratio"}
    alpha : array-like, optional
        Prior counts α(w) = α0 · π(w) of each term; required for ``logodds``.
    alpha0 : float, optional
        Prior scale α0 (the sum of α over the whole vocabulary); required for ``logodds``.
    correction, variance
        As in :func:`keyness`.

    Returns
    -------
    statistic, p : numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> stat, p = keyness_statistic(np.array([30, 0]), np.array([5, 0]), 1000, 1200, measure="g2")
    >>> stat.round(2).tolist(), float(p[1])
    ([25.03, 0.0], 1.0)
    """
    _validate(measure, "pooled", correction, variance, None, 0)
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    nt, nr = float(total_target), float(total_reference)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "logodds":
            if alpha is None or alpha0 is None:
                raise ParameterError("measure='logodds' needs alpha (the prior counts) and alpha0")
            stat, p = _log_odds(a, b, nt, nr, np.asarray(alpha, dtype=float), float(alpha0), variance)
        elif measure in ("chi2", "g2"):
            stat, p = _two_by_two(a, b, nt, nr, measure, correction)
            unused = (a + b) == 0
            stat, p = np.where(unused, 0.0, stat), np.where(unused, 1.0, p)
        else:
            stat, p = _log_ratio(a, b, nt, nr), np.full(len(a), np.nan)
    return stat + 0.0, p  # no negative zeros


# --------------------------------------------------------------------------- input handling
@dataclass(frozen=True)
class _Prepared:
    counts: CountMatrix
    matrix: sparse.csr_matrix
    column_totals: np.ndarray
    row_sums: np.ndarray
    totals: np.ndarray
    term_order: np.ndarray


def _prepare(counts: CountMatrix) -> _Prepared:
    if not isinstance(counts, CountMatrix):
        raise ParameterError(
            "counts must be an analysis.stats.counts.CountMatrix", hint="make it with count_terms / group_counts"
        )
    matrix = sparse.csr_matrix(counts.matrix, dtype=np.float64)
    if matrix.nnz and matrix.data.min() < 0:
        raise ParameterError("the count matrix has negative counts", hint="pass raw term counts")
    row_sums = np.asarray(matrix.sum(axis=1)).ravel()
    totals = counts.totals.to_numpy(dtype=np.float64)
    if counts.terms.is_monotonic_increasing:
        term_order = np.arange(len(counts.terms))
    else:
        order = np.argsort(counts.terms.to_numpy(dtype=object), kind="stable")
        term_order = np.empty(len(order), dtype=np.int64)
        term_order[order] = np.arange(len(order))
    return _Prepared(counts, matrix, np.asarray(matrix.sum(axis=0)).ravel(), row_sums, totals, term_order)


def _as_labels(spec) -> list:
    if isinstance(spec, (list, tuple, set, frozenset, pd.Index, pd.Series, np.ndarray)):
        labels = list(dict.fromkeys(spec))
    else:
        labels = [spec]
    if not labels:
        raise ParameterError("an empty list of groups was given", hint="name at least one row label")
    return labels


def _positions(prep: _Prepared, spec, what: str) -> tuple[np.ndarray, str]:
    labels = _as_labels(spec)
    rows = prep.counts.rows
    if not rows.is_unique:
        raise ParameterError(
            f"the {prep.counts.row_name} labels of the counts are not unique", hint="group the counts first"
        )
    found = rows.get_indexer(labels)
    missing = [str(x) for x, i in zip(labels, found) if i < 0]
    if missing:
        shown = ", ".join(map(str, rows[:10]))
        raise ParameterError(
            f"{what} {', '.join(map(repr, missing))} is not a row of the counts",
            hint=f"{prep.counts.row_name} values are: {shown}{', ...' if len(rows) > 10 else ''}",
        )
    return np.asarray(found, dtype=np.int64), " + ".join(map(str, labels))


def _side(prep: _Prepared, positions: np.ndarray, what: str) -> tuple[np.ndarray, float]:
    counts = np.asarray(prep.matrix[positions].sum(axis=0)).ravel()
    total = float(prep.totals[positions].sum())
    _check_total(counts, total, what)
    return counts, total


def _check_total(counts: np.ndarray, total: float, what: str) -> None:
    if total <= 0:
        raise ParameterError(f"the {what} has no running words", hint="compare groups that contain text")
    if counts.sum() > total + 1e-9 * total:
        raise ParameterError(
            f"the {what} has more counted terms ({counts.sum():.0f}) than running words ({total:.0f})",
            hint="counts.totals must be the running words before term filters (see count_terms)",
        )


def _background(prep: _Prepared, background, background_total):
    if background is None:
        raise ParameterError(
            "reference='background' or prior='background' needs a background table",
            hint="pass background=<pandas Series term → count>",
        )
    if not isinstance(background, pd.Series):
        background = pd.Series(background)
    values = pd.to_numeric(background, errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise ParameterError("the background table must hold non-negative counts", hint="pass a Series term → count")
    values = values.groupby(level=0).sum()
    aligned = values.reindex(prep.counts.terms, fill_value=0).to_numpy(dtype=np.float64)
    total = float(values.sum()) if background_total is None else float(background_total)
    _check_total(values.to_numpy(dtype=np.float64), total, "background")
    return aligned, total


def _validate(measure, prior, correction, variance, alpha0, min_count):
    if measure not in MEASURES:
        raise ParameterError(f"unknown keyness measure {measure!r}", hint=f"use one of {', '.join(MEASURES)}")
    if prior not in _PRIORS:
        raise ParameterError(f"unknown prior {prior!r}", hint=f"use one of {', '.join(_PRIORS)}")
    if correction not in _CORRECTIONS:
        raise ParameterError(f"unknown correction {correction!r}", hint=f"use one of {', '.join(_CORRECTIONS)}")
    if measure == "chi2" and correction == "williams":
        raise ParameterError(
            "Williams' correction is defined for G2, not for chi2",
            hint="use measure='g2' with correction='williams', or correction='yates'/'none' for chi2",
        )
    if variance not in _VARIANCES:
        raise ParameterError(
            f"unknown variance {variance!r}", hint="use 'approx' (Monroe et al.) or 'full' (scattertext)"
        )
    named = alpha0 is None or (isinstance(alpha0, str) and alpha0 == "pooled")
    if not named and (
        isinstance(alpha0, bool)
        or not isinstance(alpha0, (int, float, np.integer, np.floating))
        or not (np.isfinite(alpha0) and alpha0 > 0)
    ):
        raise ParameterError(
            f"alpha0={alpha0!r} must be a positive number",
            hint="or None (a tenth of the smaller side's running words) or 'pooled' (Nt + Nr)",
        )
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)) or min_count < 0:
        raise ParameterError(f"min_count={min_count!r} must be a non-negative integer", hint="e.g. min_count=5")


# --------------------------------------------------------------------------- core
def _compare(prep, a, nt, b, nr, *, measure, prior, alpha0, correction, variance, min_count,
             background_counts, background_n, target_label, reference_label) -> pd.DataFrame:
    pooled = a + b
    # Prior mass over the whole vocabulary, before the output filter.
    if measure == "logodds":
        if prior == "pooled":
            pi = pooled / (nt + nr)
        elif prior == "all":
            pi = prep.column_totals / prep.totals.sum()
        else:
            pi = np.where(background_counts == 0, LOG_RATIO_ZERO, background_counts) / background_n
        if alpha0 is None:
            scale = min(nt, nr) / 10.0
        elif isinstance(alpha0, str):
            scale = nt + nr
        else:
            scale = float(alpha0)
        alpha_all = scale * pi

    keep = np.flatnonzero((pooled > 0) & (pooled >= min_count))
    a_k, b_k = a[keep], b[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        effect = _log_ratio(a_k, b_k, nt, nr)
    stat, p = keyness_statistic(a_k, b_k, nt, nr, measure=measure,
                                alpha=alpha_all[keep] if measure == "logodds" else None,
                                alpha0=scale if measure == "logodds" else None,
                                correction=correction, variance=variance)
    order = np.lexsort((prep.term_order[keep], -stat))
    keep, a_k, b_k, stat, p, effect = (x[order] for x in (keep, a_k, b_k, stat, p, effect))
    table = _table(prep.counts.terms.array.take(keep), a_k, b_k, nt, nr, stat, p, effect, measure, target_label,
                   reference_label)
    table.attrs.update(
        measure=measure, target=target_label, reference=reference_label, total_target=nt, total_reference=nr,
        correction=correction if measure in ("chi2", "g2") else None,
        prior=prior if measure == "logodds" else None,
        alpha0=scale if measure == "logodds" else None,
        variance=variance if measure == "logodds" else None,
    )
    return table


def _table(terms, a_k, b_k, nt, nr, stat, p, effect, measure, target_label, reference_label) -> pd.DataFrame:
    """The keyness table (:data:`COLUMNS`) of the kept terms, in the order given."""
    return pd.DataFrame(
        {
            "term": terms,
            "n_target": a_k.astype(np.int64),
            "n_reference": b_k.astype(np.int64),
            "statistic": stat,
            "p": p,
            "q": benjamini_hochberg(p),
            "effect_size": effect,
            "rate_target": 1000.0 * a_k / nt,
            "rate_reference": 1000.0 * b_k / nr,
            "measure": measure,
            "target": target_label,
            "reference": reference_label,
        },
        columns=COLUMNS,
    )


def _keyness(prep, target, *, reference, measure, prior, alpha0, correction, variance, min_count,
             background, background_total) -> pd.DataFrame:
    _validate(measure, prior, correction, variance, alpha0, min_count)
    n_rows = len(prep.counts.rows)
    target_pos, target_label = _positions(prep, target, "target")
    a, nt = _side(prep, target_pos, "target")

    background_counts = background_n = None
    if (prior == "background" and measure == "logodds") or (isinstance(reference, str) and reference == "background"):
        background_counts, background_n = _background(prep, background, background_total)

    if isinstance(reference, str) and reference == "rest":
        rest = np.setdiff1d(np.arange(n_rows), target_pos)
        if len(rest) == 0:
            raise ParameterError(
                "keyness needs at least two groups, but every row is in the target",
                hint="group the counts by a column with two or more values, or pass reference='background'",
            )
        b = prep.column_totals - a
        nr = float(prep.totals[rest].sum())
        _check_total(b, nr, "reference")
        reference_label = "rest"
    elif isinstance(reference, str) and reference == "background":
        b, nr = background_counts, background_n
        reference_label = "background"
    else:
        ref_pos, reference_label = _positions(prep, reference, "reference")
        overlap = np.intersect1d(ref_pos, target_pos)
        if len(overlap):
            raise ParameterError(
                f"{', '.join(map(str, prep.counts.rows[overlap]))} is in both target and reference",
                hint="a group cannot be compared with itself",
            )
        b, nr = _side(prep, ref_pos, "reference")
    return _compare(
        prep, a, nt, b, nr, measure=measure, prior=prior, alpha0=alpha0, correction=correction,
        variance=variance, min_count=min_count, background_counts=background_counts,
        background_n=background_n, target_label=target_label, reference_label=reference_label,
    )


def keyness(
    counts: CountMatrix,
    target,
    *,
    reference="rest",
    measure: str = "logodds",
    prior: str = "pooled",
    alpha0: float | str | None = None,
    correction: str = "yates",
    variance: str = "approx",
    min_count: int = 0,
    background: pd.Series | None = None,
    background_total: float | None = None,
) -> pd.DataFrame:
    """Keyness of every term for a target group against a reference.

    Parameters
    ----------
    counts : CountMatrix
        Group-term counts (e.g. outlets × terms); ``counts.totals`` gives the running words.
    target : label or list of labels
        Row(s) of ``counts`` forming the target; several rows are summed.
    reference : "rest", "background", label or list of labels
        ``"rest"`` (default): all other rows pooled. ``"background"``: the ``background`` table.
        Otherwise the row(s) to sum as reference (must not overlap the target). The keywords win
        over a row literally called ``"rest"`` or ``"background"``.
    measure : {"logodds", "chi2", "g2", "logratio"}
        See the module docstring. ``statistic`` is z, χ², G² or the log ratio.
    prior : {"pooled", "all", "background"}
        Source of the prior rates π (per running word) for ``logodds``: target + reference
        (default), all rows of ``counts``, or the ``background`` table. Ignored by other measures.
    alpha0 : float or "pooled", optional
        Prior scale α0 for ``logodds`` (α(w) = α0 · π(w)). None (default): ``min(Nt, Nr) / 10``, a
        prior worth a tenth of the smaller side; ``"pooled"``: ``Nt + Nr`` (α(w) = a + b, as
        tidylo); a positive number: that α0. See the module docstring for the reasoning.
    correction : {"yates", "none", "williams"}
        Continuity correction for ``chi2`` and ``g2``: quanteda's conditional Yates (default), none,
        or Williams' (``g2`` only; raises for ``chi2``). Ignored by the other measures.
    variance : {"approx", "full"}
        Variance of δ for ``logodds``: Monroe et al.'s two-term approximation (default) or the
        four-term version used by scattertext.
    min_count : int
        Drop output rows of terms with ``n_target + n_reference < min_count``. Does not change the
        totals, the prior or any other term's statistic (only ``q``, which is adjusted over the
        rows shown). Terms neither side uses are never shown.
    background : pandas.Series, optional
        External frequency table term → count, for ``reference="background"`` and/or
        ``prior="background"``. Terms missing from it count 0.
    background_total : float, optional
        Running words of the background corpus; default the sum of ``background``.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, n_target, n_reference, statistic, p, q, effect_size, rate_target,
        rate_reference, measure, target, reference``; one row per term either side uses, sorted by
        ``statistic`` descending (target terms first), ties by term. ``effect_size`` is the log
        ratio (log2), rates are per 1,000 running words; ``target``/``reference`` name the rows
        (several joined with ``" + "``, or ``"rest"``/``"background"``). ``attrs`` records the
        totals, prior, α0 and correction used.

    Raises
    ------
    ParameterError
        Unknown labels or options, overlapping target and reference, a single group with
        ``reference="rest"``, a missing background table, or totals smaller than the counts.

    Examples
    --------
    >>> import pandas as pd
    >>> from scipy import sparse
    >>> from analysis.stats.counts import CountMatrix
    >>> rows = pd.Index(["taz", "welt"], name="outlet")
    >>> terms = pd.Index(["Klimakrise", "Regierung", "Wirtschaft"], name="term")
    >>> counts = CountMatrix(sparse.csr_matrix([[30, 20, 2], [5, 22, 25]]), rows, terms,
    ...                      pd.Series([1000, 1200], index=rows))
    >>> table = keyness(counts, "taz", measure="g2")
    >>> table[["term", "n_target", "n_reference", "statistic", "effect_size"]].round(2)
             term  n_target  n_reference  statistic  effect_size
    0  Klimakrise        30            5      25.03         2.85
    1   Regierung        20           22       0.08         0.13
    2  Wirtschaft         2           25     -19.40        -3.38
    >>> keyness(counts, "taz")[["term", "statistic"]].round(3)  # z, alpha0 = min(1000, 1200) / 10
             term  statistic
    0  Klimakrise      4.106
    1   Regierung      0.275
    2  Wirtschaft     -3.298
    """
    prep = _prepare(counts)
    return _keyness(
        prep, target, reference=reference, measure=measure, prior=prior, alpha0=alpha0,
        correction=correction, variance=variance, min_count=min_count, background=background,
        background_total=background_total,
    )


def keyness_all(
    counts: CountMatrix,
    *,
    scheme: str = "one-vs-rest",
    measure: str = "logodds",
    ordered: bool = False,
    fdr: str = "family",
    **kw,
) -> pd.DataFrame:
    """Keyness tables for every row (one-vs-rest) or every pair of rows (pairwise), stacked.

    Parameters
    ----------
    counts : CountMatrix
        Group-term counts with at least two rows.
    scheme : {"one-vs-rest", "pairwise"}
        ``"one-vs-rest"``: each row against all other rows pooled (or against the background with
        ``reference="background"``). ``"pairwise"``: each *unordered* pair ``(i, j)``, ``i`` before
        ``j`` in ``counts.rows`` order, with ``i`` as target; terms the second row prefers have
        negative statistics. ``ordered=True`` adds the reverse comparisons (``j`` against ``i``).
    measure : {"logodds", "chi2", "g2", "logratio"}
        As in :func:`keyness`.
    ordered : bool
        Pairwise only: include both directions of every pair.
    fdr : {"family", "table"}, default "family"
        Which tests ``q`` (Benjamini–Hochberg) controls the false discovery rate over:
        ``"family"``, every row of every comparison together; ``"table"``, each comparison on
        its own (as :func:`keyness` does for one). The default is the family because the
        stacked table is read as one result — which terms are distinctive of which outlet —
        and with one adjustment per comparison the expected share of false discoveries among
        all the rows called significant grows with the number of comparisons (thirteen
        outlets, thirteen separate 5 % budgets). See :func:`adjust_fdr`.
    **kw
        Other :func:`keyness` options (``prior``, ``alpha0``, ``correction``, ``min_count``,
        ``background``, ...). ``reference`` may only be ``"rest"`` or ``"background"``, and only
        with ``scheme="one-vs-rest"``.

    Returns
    -------
    pandas.DataFrame
        The :func:`keyness` columns; comparisons follow ``counts.rows`` order, each sorted as in
        :func:`keyness`. ``q`` is adjusted as ``fdr`` says; ``attrs["fdr"]`` records which.

    Raises
    ------
    ParameterError
        Fewer than two rows (unless compared with a background), an unknown scheme, or a
        ``reference`` the scheme does not allow.

    Examples
    --------
    >>> import pandas as pd
    >>> from scipy import sparse
    >>> from analysis.stats.counts import CountMatrix
    >>> rows = pd.Index(["faz", "taz", "welt"], name="outlet")
    >>> terms = pd.Index(["Klimakrise", "Migration", "Wirtschaft"], name="term")
    >>> counts = CountMatrix(sparse.csr_matrix([[4, 6, 20], [25, 5, 3], [3, 22, 6]]), rows, terms,
    ...                      pd.Series([500, 500, 500], index=rows))
    >>> table = keyness_all(counts, measure="logratio")
    >>> table.groupby("target").head(1)[["target", "reference", "term", "statistic"]].round(2)
      target reference        term  statistic
    0    faz      rest  Wirtschaft       2.15
    3    taz      rest  Klimakrise       2.84
    6   welt      rest   Migration       2.00
    >>> pairs = keyness_all(counts, scheme="pairwise", measure="logratio")
    >>> pairs[["target", "reference"]].drop_duplicates().to_numpy().tolist()
    [['faz', 'taz'], ['faz', 'welt'], ['taz', 'welt']]
    """
    if scheme not in _SCHEMES:
        raise ParameterError(f"unknown scheme {scheme!r}", hint="use 'one-vs-rest' or 'pairwise'")
    _check_fdr(fdr)
    reference = kw.pop("reference", "rest")
    if not (isinstance(reference, str) and reference in ("rest", "background")) or (
        scheme == "pairwise" and reference != "rest"
    ):
        raise ParameterError(
            f"reference={reference!r} cannot be used with scheme={scheme!r}",
            hint="keyness_all compares rows with the rest, the background (one-vs-rest) or each other (pairwise); "
            "use keyness() for a chosen reference",
        )
    if "target" in kw:
        raise ParameterError("keyness_all chooses the targets itself", hint="use keyness() for a single target")
    prep = _prepare(counts)
    n_rows = len(counts.rows)
    if n_rows < 2 and not (scheme == "one-vs-rest" and reference == "background"):
        raise ParameterError(
            f"keyness needs at least two groups, but the counts have {n_rows} row(s)",
            hint="group the counts by a column with two or more values (group_counts), or pass reference='background'",
        )
    options = dict(
        measure=measure, prior="pooled", alpha0=None, correction="yates", variance="approx",
        min_count=0, background=None, background_total=None,
    )
    unknown = set(kw) - set(options)
    if unknown:
        raise ParameterError(
            f"unknown keyness option(s): {', '.join(sorted(unknown))}", hint=f"use {', '.join(options)}"
        )
    options.update(kw)
    rows = counts.rows
    if scheme == "one-vs-rest":
        comparisons = [(rows[i], reference) for i in range(n_rows)]
    else:
        comparisons = [(rows[i], rows[j]) for i in range(n_rows) for j in range(i + 1, n_rows)]
        if ordered:
            comparisons = [pair for i, j in comparisons for pair in ((i, j), (j, i))]
    tables = [_keyness(prep, target, reference=ref, **options) for target, ref in comparisons]
    result = pd.concat(tables, ignore_index=True)
    result.attrs.update({k: v for k, v in tables[0].attrs.items() if k not in ("target", "reference")})
    result.attrs["scheme"] = scheme
    return adjust_fdr(result, fdr)


#: What :func:`adjust_fdr` and ``keyness_all`` control the false discovery rate over.
FDR_SCOPES = ("family", "table")


def _check_fdr(fdr) -> None:
    if not isinstance(fdr, str) or fdr not in FDR_SCOPES:
        raise ParameterError(f"fdr={fdr!r} is not one of {', '.join(FDR_SCOPES)}",
                             hint="'family' adjusts over all comparisons together, 'table' each on its own")


def adjust_fdr(table: pd.DataFrame, fdr: str = "family", *, by=("target", "reference")) -> pd.DataFrame:
    """Set ``q`` of a stacked keyness table: Benjamini–Hochberg over all its rows (``"family"``)
    or within each comparison (``"table"``).

    Parameters
    ----------
    table : pandas.DataFrame
        Keyness rows with ``p`` and the ``by`` columns (one or more comparisons).
    fdr : {"family", "table"}
    by : sequence of str, default ("target", "reference")
        The columns that tell one comparison from another (add the stratum column of
        :func:`keyness_within`'s ``combine="list"``).

    Returns
    -------
    pandas.DataFrame
        A copy with ``q`` replaced and ``attrs["fdr"]`` set.

    Examples
    --------
    >>> rows = pd.DataFrame({"target": ["A", "A", "B", "B"], "reference": "rest",
    ...                      "p": [0.01, 0.04, 0.02, 0.5], "q": float("nan")})
    >>> adjust_fdr(rows, "table")["q"].round(3).tolist()
    [0.02, 0.04, 0.04, 0.5]
    >>> adjust_fdr(rows, "family")["q"].round(3).tolist()
    [0.04, 0.053, 0.04, 0.5]
    """
    _check_fdr(fdr)
    out = table.copy()
    if fdr == "family":
        out["q"] = benjamini_hochberg(out["p"].to_numpy(dtype=np.float64))
    else:
        q = np.full(len(out), np.nan)
        keys = out[list(by)].astype(str).agg("\0".join, axis=1) if len(out) else pd.Series([], dtype=object)
        for _, positions in keys.groupby(keys, sort=False).indices.items():
            q[positions] = benjamini_hochberg(out["p"].to_numpy(dtype=np.float64)[positions])
        out["q"] = q
    out.attrs.update(table.attrs)
    out.attrs["fdr"] = fdr
    return out


#: How :func:`keyness_within` combines the strata.
WITHIN_COMBINE = ("list", "pool")


def keyness_within(
    doc_counts: CountMatrix,
    documents: pd.DataFrame,
    target,
    *,
    within: str,
    group: str = "outlet",
    reference="rest",
    measure: str = "logodds",
    combine: str = "list",
    alpha0: float | None = None,
    correction: str = "yates",
    min_count: int = 0,
) -> pd.DataFrame:
    """Keyness of a target group inside each stratum (e.g. each event), listed or pooled.

    Outlets covering different stories differ in topic words; comparing them inside each
    event removes that difference. With ``combine="list"`` the table of every stratum is
    returned, one under the other, with the stratum in a column named after ``within``. With
    ``combine="pool"`` one table combines the strata:

    * ``logodds``: each stratum's δ (log-odds ratio with an informative Dirichlet prior, its
      own α0 as in :func:`keyness`) is combined by inverse variance, the fixed-effect
      meta-analytic mean: δ̄ = Σ δₛ/σₛ² / Σ 1/σₛ², z = δ̄ · √(Σ 1/σₛ²). A stratum where
      neither side uses the term carries no information and is left out.
    * ``chi2`` / ``g2``: the Cochran–Mantel–Haenszel statistic over the strata's 2×2 tables
      (term vs. other running words, target vs. reference):
      ``(|Σ (aₛ − E aₛ)| − c)² / Σ Var aₛ`` with ``E aₛ = (aₛ+bₛ) ntₛ / nₛ``,
      ``Var aₛ = (aₛ+bₛ)(nₛ−aₛ−bₛ) ntₛ nrₛ / (nₛ² (nₛ − 1))`` and c = ½ with
      ``correction="yates"``, 0 with ``"none"``; χ²(1), signed by the direction of Σ (aₛ − E aₛ).

    Parameters
    ----------
    doc_counts : CountMatrix
        Document-term counts (``prepared.doc_counts``).
    documents : pandas.DataFrame
        Documents table with ``doc_id``, ``group`` and ``within`` (``prepared.metadata``).
    target : label
        The group to characterise.
    within : str
        Documents column whose values are the strata.
    group : str
    reference : "rest" or label
        The other groups of the stratum pooled (default), or one group.
    measure : {"logodds", "chi2", "g2"}
    combine : {"list", "pool"}
    alpha0 : float, optional
        Prior scale of ``logodds`` in every stratum (default: a tenth of the stratum's smaller side).
    correction : {"yates", "none"}
    min_count : int
        Leave out terms with fewer uses on both sides together (per stratum, or pooled).

    Returns
    -------
    pandas.DataFrame
        ``list``: the columns of :func:`keyness` after the stratum column. ``pool``: the
        columns of :func:`keyness` (counts and rates summed over the strata, ``effect_size``
        the log ratio of the summed counts) and ``strata``, the number of strata where the
        term is used. Strata without the target or without a reference are skipped; their
        names are in ``attrs["skipped"]``.

    Examples
    --------
    >>> from analysis.stats.counts import count_terms
    >>> words = ["Kim", "Putin", "Kim", "Putin", "Kim", "Kim", "Putin", "Putin"]
    >>> tokens = pd.DataFrame({"doc_id": list("aabbccdd"), "token": words, "kind": "word", "is_stop": False})
    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "outlet": ["A", "B", "A", "B"], "event": [1, 1, 2, 2]})
    >>> table = keyness_within(count_terms(tokens, by="token"), docs, "A", within="event", combine="list")
    >>> table[["event", "term", "n_target", "n_reference"]].values.tolist()
    [['1', 'Kim', 1, 1], ['1', 'Putin', 1, 1], ['2', 'Kim', 2, 0], ['2', 'Putin', 0, 2]]
    """
    from .counts import group_counts

    if combine not in WITHIN_COMBINE:
        raise ParameterError(f"combine={combine!r} is not one of {', '.join(WITHIN_COMBINE)}")
    if measure not in ("logodds", "chi2", "g2"):
        raise ParameterError(f"measure={measure!r} cannot be pooled over strata", hint="use logodds, chi2 or g2")
    if correction not in ("yates", "none"):
        raise ParameterError(f"correction={correction!r} is not one of yates, none",
                             hint="Williams' correction has no stratified form")
    for column in ("doc_id", group, within):
        if column not in documents.columns:
            raise ParameterError(f"the documents table has no column {column!r}",
                                 hint=f"available columns: {', '.join(map(str, documents.columns))}")
    position = pd.Series(np.arange(len(doc_counts.rows)), index=doc_counts.rows.astype(str))
    strata = documents[within].astype(str)
    tables, skipped, sides = [], [], []
    for value in sorted(strata.unique()):
        part = documents[(strata == value).to_numpy()]
        rows = position.reindex(part["doc_id"].astype(str)).to_numpy()
        if np.isnan(rows.astype(float)).any():
            raise ParameterError(f"doc_ids of stratum {value!r} are not in the counts",
                                 hint="pass the documents table of the same prepared corpus")
        rows = rows.astype(np.int64)
        counts = group_counts(doc_counts.take_rows(rows), part, group=group)
        labels = [str(r) for r in counts.rows]
        others = [r for r in labels if r != str(target)] if reference == "rest" else [str(reference)]
        if str(target) not in labels or not others or any(r not in labels for r in others):
            skipped.append(value)
            continue
        if combine == "list":
            table = keyness(counts, str(target), reference="rest" if reference == "rest" else str(reference),
                            measure=measure, alpha0=alpha0, correction=correction, min_count=min_count)
            table.insert(0, within, value)
            tables.append(table)
        else:
            matrix = sparse.csr_matrix(counts.matrix, dtype=np.float64)
            totals = counts.totals.to_numpy(dtype=np.float64)
            t = labels.index(str(target))
            r = [labels.index(o) for o in others]
            a = np.asarray(matrix[t].todense()).ravel()
            b = np.asarray(matrix[r].sum(axis=0)).ravel()
            sides.append((a, b, float(totals[t]), float(totals[r].sum())))
    if combine == "list":
        if not tables:
            raise ParameterError(f"no {within} has both {target!r} and a reference",
                                 hint=f"check the {group} values of each {within}")
        result = pd.concat(tables, ignore_index=True)
        result.attrs.update(within=within, skipped=skipped, combine="list", measure=measure)
        return result
    if not sides:
        raise ParameterError(f"no {within} has both {target!r} and a reference",
                             hint=f"check the {group} values of each {within}")
    result = _pooled(sides, doc_counts.terms, measure, alpha0, correction, min_count, str(target),
                     "rest" if reference == "rest" else str(reference))
    result.attrs.update(within=within, skipped=skipped, combine="pool", measure=measure, strata=len(sides))
    return result


def _pooled(sides, terms: pd.Index, measure, alpha0, correction, min_count, target_label, reference_label):
    """One keyness table from the strata's (target counts, reference counts, Nt, Nr)."""
    n_terms = len(terms)
    a_sum, b_sum = np.zeros(n_terms), np.zeros(n_terms)
    nt_sum = nr_sum = 0.0
    used = np.zeros(n_terms, dtype=np.int64)
    weight, weighted = np.zeros(n_terms), np.zeros(n_terms)  # logodds: Σ 1/σ², Σ δ/σ²
    deviation, variance = np.zeros(n_terms), np.zeros(n_terms)  # CMH: Σ (a − E a), Σ Var a
    for a, b, nt, nr in sides:
        pooled = a + b
        present = pooled > 0
        used += present
        a_sum += a
        b_sum += b
        nt_sum += nt
        nr_sum += nr
        if measure == "logodds":
            scale = min(nt, nr) / 10.0 if alpha0 is None else float(alpha0)
            alpha = scale * pooled / (nt + nr)
            with np.errstate(divide="ignore", invalid="ignore"):
                yi, yj = a + alpha, b + alpha
                delta = (np.log(yi) - np.log(nt + scale - yi)) - (np.log(yj) - np.log(nr + scale - yj))
                var = 1.0 / yi + 1.0 / yj
            weight[present] += 1.0 / var[present]
            weighted[present] += delta[present] / var[present]
        else:
            n = nt + nr
            expected = pooled * nt / n
            deviation += a - expected
            if n > 1:
                variance += pooled * (n - pooled) * nt * nr / (n * n * (n - 1.0))
    keep = np.flatnonzero((a_sum + b_sum > 0) & (a_sum + b_sum >= min_count))
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "logodds":
            stat = weighted[keep] / np.sqrt(weight[keep])
            p = special.erfc(np.abs(stat) / np.sqrt(2.0))
        else:
            shift = 0.5 if correction == "yates" else 0.0
            size = np.maximum(np.abs(deviation[keep]) - shift, 0.0)
            stat = np.sign(deviation[keep]) * size ** 2 / variance[keep]
            p = special.erfc(np.sqrt(np.abs(stat) / 2.0))
        effect = _log_ratio(a_sum[keep], b_sum[keep], nt_sum, nr_sum)
    stat = stat + 0.0
    order = np.lexsort((keep, -np.nan_to_num(stat, nan=-np.inf)))
    keep, stat, p, effect = keep[order], stat[order], p[order], effect[order]
    table = _table(terms.to_numpy()[keep], a_sum[keep], b_sum[keep], nt_sum, nr_sum, stat, p, effect, measure,
                   target_label, reference_label)
    table["strata"] = used[keep]
    return table


def top_of_each_side(table: pd.DataFrame, top: int, *, within: str | None = None) -> pd.DataFrame:
    """The ``top`` terms most typical of the target and of the reference, for each comparison.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`keyness` or :func:`keyness_all` (sorted by statistic, descending).
    top : int
        Terms kept on each side (positive and negative statistic) of each target/reference pair.
    within : str, optional
        A stratum column (the listed tables of :func:`keyness_within`): the top terms of each
        stratum are kept.

    Returns
    -------
    pandas.DataFrame
        The kept rows, in the table's order.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"term": ["Diktator", "Autokrat", "Gipfel", "Freund"],
    ...                       "statistic": [2.0, 1.5, 0.0, -1.8], "target": "A", "reference": "B"})
    >>> top_of_each_side(table, 1)["term"].tolist()
    ['Diktator', 'Freund']
    """
    if top < 1:
        raise ParameterError(f"top={top} must be at least 1")
    for column in ("statistic", "target", "reference"):
        if column not in table.columns:
            raise ParameterError(f"the table has no column {column!r}", hint="pass the output of keyness()")
    pair = table["target"].astype(str) + "\x00" + table["reference"].astype(str)
    if within is not None:
        if within not in table.columns:
            raise ParameterError(f"the table has no column {within!r}", hint="pass the listed keyness_within table")
        pair = pair + "\x00" + table[within].astype(str)
    positive = table["statistic"] > 0
    negative = table["statistic"] < 0
    rank_up = positive.groupby(pair).cumsum().where(positive, 0)
    rank_down = negative[::-1].groupby(pair[::-1]).cumsum()[::-1].where(negative, 0)
    keep = ((rank_up >= 1) & (rank_up <= top)) | ((rank_down >= 1) & (rank_down <= top))
    return table[keep]
