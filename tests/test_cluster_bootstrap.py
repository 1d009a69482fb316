"""Intervals that respect articles: the cluster bootstrap against scipy's own bootstrap."""

import numpy as np
import pytest
from scipy import stats

from analysis.errors import ParameterError
from analysis.stats.intervals import cluster_bootstrap_ratio, wilson_interval


def _clustered(seed=0, articles=40):
    """Label mentions in articles: each article mostly repeats one of two labels."""
    rng = np.random.default_rng(seed)
    mentions = rng.integers(1, 9, articles)
    prefers = rng.random(articles) < 0.3
    share = np.where(prefers, 0.9, 0.1)
    labelled = rng.binomial(mentions, share)
    return labelled, mentions


def test_matches_scipy_bootstrap_of_the_ratio_over_articles():
    labelled, mentions = _clustered()
    low, high = cluster_bootstrap_ratio(labelled, mentions, n_boot=40_000, seed=1)

    def ratio(num, den, axis=-1):
        return num.sum(axis=axis) / den.sum(axis=axis)

    reference = stats.bootstrap((labelled, mentions), ratio, paired=True, vectorized=True, n_resamples=40_000,
                                method="percentile", confidence_level=0.95, random_state=np.random.default_rng(2))
    assert low[0] == pytest.approx(reference.confidence_interval.low, abs=0.01)
    assert high[0] == pytest.approx(reference.confidence_interval.high, abs=0.01)


def test_articles_that_repeat_their_words_give_wider_intervals_than_independent_draws():
    labelled, mentions = _clustered(seed=3, articles=60)
    low, high = cluster_bootstrap_ratio(labelled, mentions, n_boot=4000)
    w_low, w_high = wilson_interval([labelled.sum()], [mentions.sum()])
    # The mentions of one article are not independent: the interval over articles is wider.
    assert (high[0] - low[0]) > 1.4 * (w_high[0] - w_low[0])


def test_several_ratios_share_the_draws_and_edge_cases_are_explicit():
    num = np.array([[2, 1], [0, 3], [1, 1]])
    den = np.array([3, 3, 2])
    low, high = cluster_bootstrap_ratio(num, den, n_boot=500, seed=4)
    assert low.shape == (2,) and (low <= high).all()
    # Two ratios with the same denominator that add up to 1 have mirrored limits.
    assert low[0] + high[1] == pytest.approx(1.0) and high[0] + low[1] == pytest.approx(1.0)
    one_low, one_high = cluster_bootstrap_ratio([2], [3])
    assert np.isnan(one_low).all() and np.isnan(one_high).all()  # one article: nothing to resample
    same = cluster_bootstrap_ratio([1, 1, 1], [2, 2, 2], n_boot=200)
    assert same[0][0] == same[1][0] == 0.5  # identical articles: an interval of width zero
    with pytest.raises(ParameterError, match="n_boot"):
        cluster_bootstrap_ratio([1, 2], [2, 2], n_boot=0)
    with pytest.raises(ParameterError, match="denominators"):
        cluster_bootstrap_ratio([1, 2], [2, 2, 2])


def test_the_same_seed_gives_the_same_interval():
    labelled, mentions = _clustered(seed=5)
    assert cluster_bootstrap_ratio(labelled, mentions, seed=9) == cluster_bootstrap_ratio(labelled, mentions, seed=9)
