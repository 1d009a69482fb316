"""Confidence intervals shared by every analysis that reports a proportion."""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

__all__ = ["check_level", "wilson_interval"]


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
