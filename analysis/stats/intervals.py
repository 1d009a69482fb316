"""Confidence intervals shared by every analysis that reports a proportion or a rate.

``wilson_interval`` is for proportions of independent units (articles with a match among
articles). ``cluster_bootstrap_ratio`` is for shares and rates of things that come in
articles — label mentions, sentences, tokens — whose occurrences within one article are not
independent draws (a writer repeats their own word): it resamples whole articles.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import ParameterError

__all__ = ["check_level", "cluster_bootstrap_ratio", "wilson_interval", "DEFAULT_N_BOOT"]

#: Bootstrap replicates by default: the percentile limits of a 95 % interval vary by about 1 %
#: of their value between seeds.
DEFAULT_N_BOOT = 2000
# Replicate weights held at once (replicates × articles): bounds the memory of a large group.
_WEIGHTS_AT_ONCE = 4_000_000


def wilson_interval(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for binomial proportions ``k / n``.

    Parameters
    ----------
    k, n : array-like of int
        Successes and trials (``n`` > 0 where an interval is wanted; ``n == 0`` gives NaN).
    level : float
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds.

    Examples
    --------
    >>> low, high = wilson_interval([3], [10])
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.1078, 0.6032)
    """
    from scipy.stats import norm

    level = check_level(level)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = float(norm.ppf(0.5 + level / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z / denominator * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    # Exact bounds at the edges (rounding can leave 1e-17 instead of 0).
    low = np.where(k == 0, 0.0, low)
    high = np.where(k == n, 1.0, high)
    return low, high


def check_level(level) -> float:
    """``level`` as a float, or a ParameterError unless it lies strictly between 0 and 1."""
    if isinstance(level, (bool, np.bool_)) or not isinstance(level, (int, float, np.floating)) or not 0 < level < 1:
        raise ParameterError(f"level must be a number strictly between 0 and 1, got {level!r}", hint="e.g. 0.95")
    return float(level)


def cluster_bootstrap_ratio(numerators, denominators, *, n_boot: int = DEFAULT_N_BOOT, level: float = 0.95,
                            seed: int = 0, rng=None):
    """Percentile bootstrap interval of ``Σ numerators / Σ denominator`` over clusters.

    The clusters (articles) are resampled with replacement, as many as there are; each
    replicate's ratio is the sum of the drawn clusters' numerators over the sum of their
    denominators — the words or sentences of an article stay together (a cluster bootstrap).
    Several numerators that share one denominator (the labels of one person, say) are
    resampled together, with the same draws.

    Parameters
    ----------
    numerators : array-like, shape (n_clusters,) or (n_clusters, k)
        Per cluster, the count (or sum) in the numerator of each of ``k`` ratios.
    denominators : array-like, shape (n_clusters,)
        Per cluster, the denominator's count.
    n_boot : int, default DEFAULT_N_BOOT
    level : float, default 0.95
    seed : int, default 0
        Seed of the generator when ``rng`` is not given.
    rng : numpy.random.Generator, optional
        The generator to draw from (to share one stream across several groups).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper limits, one per ratio (NaN for a single cluster, which resampling
        cannot vary, or when no cluster has a denominator). A replicate whose denominators
        sum to zero is left out of the quantiles.

    Examples
    --------
    >>> low, high = cluster_bootstrap_ratio([3, 0, 1, 2], [4, 2, 2, 3], n_boot=1000)
    >>> bool(low[0] < 6 / 11 < high[0])
    True
    """
    level = check_level(level)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(f"n_boot={n_boot!r} must be a whole number ≥ 1", hint="e.g. n_boot=2000")
    num = np.asarray(numerators, dtype=float)
    num = num.reshape(len(num), -1)
    den = np.asarray(denominators, dtype=float).ravel()
    if len(den) != len(num):
        raise ParameterError(f"{len(num)} numerator rows but {len(den)} denominators", hint="one row per cluster")
    m, k = num.shape
    nan = np.full(k, np.nan)
    if m < 2 or den.sum() <= 0:
        return nan.copy(), nan.copy()
    rng = np.random.default_rng(seed) if rng is None else rng
    ratios = np.empty((n_boot, k))
    step = max(1, _WEIGHTS_AT_ONCE // m)
    for first in range(0, n_boot, step):
        size = min(step, n_boot - first)
        # How often each cluster is drawn in each replicate: multinomial(m, 1/m), the same
        # distribution as m draws with replacement.
        weights = rng.multinomial(m, np.full(m, 1.0 / m), size=size).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios[first:first + size] = (weights @ num) / (weights @ den)[:, None]
    tail = (1 - level) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a ratio with no defined replicate
        low = np.nanquantile(ratios, tail, axis=0)
        high = np.nanquantile(ratios, 1 - tail, axis=0)
    return low, high
