"""Keyness measures: worked values from the project's statistics reference, hand computations
from the formulas, and independent checks against scipy."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse, stats

from analysis.stats.counts import CountMatrix
from analysis.errors import ParameterError
from analysis.stats.keyness import benjamini_hochberg, keyness, keyness_all

COLUMNS = [
    "term", "n_target", "n_reference", "statistic", "p", "q", "effect_size",
    "rate_target", "rate_reference", "measure", "target", "reference",
]


def _counts(dense, rows, terms, totals, name="outlet"):
    index = pd.Index(rows, name=name)
    return CountMatrix(
        sparse.csr_matrix(np.asarray(dense, dtype=np.int64)), index, pd.Index(terms, name="term"),
        pd.Series(totals, index=index),
    )


def _single_term(a, b, nt, nr):
    """Two groups, one counted term "Wort"; the other running words are not counted."""
    return _counts([[a], [b]], ["T", "R"], ["Wort"], [nt, nr])


def _row(table, term="Wort"):
    return table.set_index("term").loc[term]


# Worked values copied from the shared statistics reference, statistics.md, section "χ² and G² keyness (the quanteda
# definitions)": (a, b, Nt, Nr) -> chi2 without / with conditional Yates; G2 without / with.
# The expectations are compared at the precision the reference gives them.
WORKED = [
    ((30, 10, 10000, 12000), ("14.109", "14.109"), ("14.469", "14.469")),
    ((3, 0, 10000, 12000), ("3.600", "1.736"), ("4.731", "1.845")),
    ((12, 2, 5000, 50000), ("99.48", "90.42"), ("46.47", "42.51")),
]


def _close(value, literal):
    decimals = len(literal.split(".")[1])
    return abs(value - float(literal)) <= 0.5 * 10 ** -decimals


@pytest.mark.parametrize("cells, chi2_values, g2_values", WORKED)
def test_reference_worked_chi2_and_g2(cells, chi2_values, g2_values):
    counts = _single_term(*cells)
    for measure, values in (("chi2", chi2_values), ("g2", g2_values)):
        for correction, literal in zip(("none", "yates"), values):
            row = _row(keyness(counts, "T", reference="R", measure=measure, correction=correction))
            assert _close(row["statistic"], literal), (measure, correction, row["statistic"], literal)
            assert row["p"] == pytest.approx(stats.chi2.sf(abs(row["statistic"]), 1), rel=1e-10)
    # default correction is the conditional Yates
    default = _row(keyness(counts, "T", reference="R", measure="chi2"))["statistic"]
    assert _close(default, chi2_values[1])


@pytest.mark.parametrize("cells", [w[0] for w in WORKED])
def test_uncorrected_statistics_match_scipy(cells):
    a, b, nt, nr = cells
    table = [[a, b], [nt - a, nr - b]]
    counts = _single_term(a, b, nt, nr)
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    g2 = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    plain = {m: _row(keyness(counts, "T", reference="R", measure=m, correction="none")) for m in ("chi2", "g2")}
    assert plain["chi2"]["statistic"] == pytest.approx(chi2)
    assert plain["g2"]["statistic"] == pytest.approx(g2)


def test_williams_by_hand():
    a, b, nt, nr = 12, 2, 5000, 50000
    c, d = nt - a, nr - b
    n = a + b + c + d
    observed = [a, b, c, d]
    expected = [(a + b) * nt / n, (a + b) * nr / n, (c + d) * nt / n, (c + d) * nr / n]
    g2 = 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected))
    q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    row = _row(keyness(_single_term(a, b, nt, nr), "T", reference="R", measure="g2", correction="williams"))
    assert row["statistic"] == pytest.approx(g2 / q, rel=1e-12)
    assert g2 / q < g2  # q > 1
    with pytest.raises(ParameterError, match="Williams"):
        keyness(_single_term(a, b, nt, nr), "T", reference="R", measure="chi2", correction="williams")


def _log_odds_counts():
    # target "taz", reference "welt"; running words 20 and 25 (more than the counted terms)
    return _counts([[3, 0, 5], [1, 4, 2]], ["taz", "welt"], ["Klima", "Migration", "Streik"], [20, 25])


def _hand_z(a, b, nt, nr, alpha, alpha0, full=False):
    yi, yj = a + alpha, b + alpha
    delta = math.log(yi / (nt + alpha0 - yi)) - math.log(yj / (nr + alpha0 - yj))
    var = 1 / yi + 1 / yj
    if full:
        var += 1 / (nt + alpha0 - yi) + 1 / (nr + alpha0 - yj)
    return delta / math.sqrt(var)


@pytest.mark.parametrize("full", [False, True])
def test_log_odds_by_hand(full):
    # prior "pooled": pi(w) = (a + b) / (Nt + Nr) = (a + b) / 45; alpha0 = 10 -> alpha(w) = 10 (a + b) / 45
    a, b, nt, nr, alpha0 = [3, 0, 5], [1, 4, 2], 20, 25, 10.0
    table = keyness(_log_odds_counts(), "taz", reference="welt", alpha0=alpha0, variance="full" if full else "approx")
    got = table.set_index("term")["statistic"]
    for term, ai, bi in zip(["Klima", "Migration", "Streik"], a, b):
        alpha = alpha0 * (ai + bi) / 45
        z = _hand_z(ai, bi, nt, nr, alpha, alpha0, full)
        assert got[term] == pytest.approx(z, abs=1e-9)
        p = math.erfc(abs(z) / math.sqrt(2))
        assert table.set_index("term").loc[term, "p"] == pytest.approx(p, abs=1e-12)
    # Klima by hand: alpha = 40/45 = 0.888889; y_i + alpha = 3.888889, y_j + alpha = 1.888889
    # delta = ln(3.888889/26.111111) - ln(1.888889/33.111111) = 0.959643
    # sigma^2 = 1/3.888889 + 1/1.888889 = 0.786555 (+ 1/26.111111 + 1/33.111111 = 0.855054 for "full")
    # z = 0.959643 / sqrt(0.786555) = 1.082044, or 0.959643 / sqrt(0.855054) = 1.037798
    assert got["Klima"] == pytest.approx(1.037798 if full else 1.082044, abs=1e-6)


def test_log_odds_default_and_pooled_alpha0():
    counts = _log_odds_counts()
    # default alpha0 = min(Nt, Nr) / 10 = 2; alpha0="pooled" = Nt + Nr = 45, i.e. alpha(w) = a + b
    default = keyness(counts, "taz", reference="welt").set_index("term")["statistic"]
    pooled = keyness(counts, "taz", reference="welt", alpha0="pooled").set_index("term")["statistic"]
    assert default["Migration"] == pytest.approx(_hand_z(0, 4, 20, 25, 2 * 4 / 45, 2.0), abs=1e-9)
    assert pooled["Migration"] == pytest.approx(_hand_z(0, 4, 20, 25, 4.0, 45.0), abs=1e-9)
    with pytest.raises(ParameterError):
        keyness(counts, "taz", alpha0=0)
    with pytest.raises(ParameterError):
        keyness(counts, "taz", alpha0="huge")


def test_log_ratio_with_zero_count():
    table = keyness(_log_odds_counts(), "taz", reference="welt", measure="logratio").set_index("term")
    # Migration: a = 0 -> 0.5 (Hardie's constant): log2[(0.5/20) / (4/25)]
    assert table.loc["Migration", "statistic"] == pytest.approx(math.log2((0.5 / 20) / (4 / 25)), abs=1e-12)
    assert table.loc["Klima", "effect_size"] == pytest.approx(math.log2((3 / 20) / (1 / 25)), abs=1e-12)
    assert (table["statistic"] == table["effect_size"]).all()
    assert table["p"].isna().all() and table["q"].isna().all()
    # rates per 1,000 running words
    assert table.loc["Streik", "rate_target"] == pytest.approx(1000 * 5 / 20)
    assert table.loc["Streik", "rate_reference"] == pytest.approx(1000 * 2 / 25)


@pytest.mark.parametrize("measure", ["logodds", "chi2", "g2", "logratio"])
def test_sign_convention_and_order(measure):
    counts = _counts(
        [[40, 10, 20, 0], [10, 40, 20, 6]], ["taz", "welt"], ["Klimakrise", "Leistung", "Politik", "Heimat"],
        [1000, 1000],
    )
    table = keyness(counts, "taz", measure=measure)
    assert list(table.columns) == COLUMNS
    assert table["term"].iloc[0] == "Klimakrise"  # target-preferred first, positive
    assert table["statistic"].iloc[0] > 0
    assert table.set_index("term").loc[["Leistung", "Heimat"], "statistic"].lt(0).all()
    assert table["statistic"].is_monotonic_decreasing
    assert (table["effect_size"] > 0).tolist() == (table["statistic"] > 0).tolist()
    assert (table["measure"] == measure).all() and (table["target"] == "taz").all()
    assert (table["reference"] == "rest").all()
    # swapping the sides flips every sign
    swapped = keyness(counts, "welt", measure=measure).set_index("term")["statistic"]
    np.testing.assert_allclose(swapped[table["term"]].to_numpy(), -table["statistic"].to_numpy(), atol=1e-12)


def test_ties_sorted_by_term():
    counts = _counts([[5, 5, 5], [1, 1, 1]], ["a", "b"], ["Zug", "Auto", "Bahn"], [100, 100])
    assert keyness(counts, "a")["term"].tolist() == ["Auto", "Bahn", "Zug"]


@pytest.mark.parametrize("measure", ["logodds", "chi2", "g2", "logratio"])
def test_min_count_only_filters_rows(measure):
    counts = _counts([[30, 1, 0, 7], [10, 1, 2, 20], [0, 0, 0, 0]], ["a", "b", "c"], ["Asyl", "Ente", "Fisch", "Wahl"],
                     [500, 600, 50])
    everything = keyness(counts, "a", reference="b", measure=measure)
    filtered = keyness(counts, "a", reference="b", measure=measure, min_count=3)
    assert set(everything["term"]) == {"Asyl", "Ente", "Fisch", "Wahl"}
    assert set(filtered["term"]) == {"Asyl", "Wahl"}  # Ente (1+1) and Fisch (0+2) dropped
    cols = ["statistic", "p", "effect_size", "rate_target", "rate_reference"]
    pd.testing.assert_frame_equal(
        filtered.set_index("term")[cols], everything.set_index("term").loc[filtered["term"], cols]
    )
    assert filtered.attrs["total_target"] == everything.attrs["total_target"] == 500


def test_terms_neither_side_uses_are_left_out_and_stay_finite():
    counts = _counts([[3, 0, 0], [0, 0, 2], [0, 9, 0]], ["a", "b", "c"], ["Eins", "Zwei", "Drei"], [10, 10, 10])
    table = keyness(counts, "a", reference="b", prior="all")
    assert set(table["term"]) == {"Eins", "Drei"}
    assert np.isfinite(table[["statistic", "p", "q", "effect_size"]].to_numpy()).all()


def test_benjamini_hochberg_by_hand_and_scipy():
    # sorted p: 0.01, 0.03, 0.04, 0.5 (m = 4) -> m·p/rank = 0.04, 0.06, 0.0533, 0.5
    # running minimum from the top: 0.04, 0.0533, 0.0533, 0.5
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
    np.testing.assert_allclose(q, [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5], atol=1e-15)
    # NaN stays NaN and does not count in m; values are capped at 1
    q = benjamini_hochberg(pd.Series([0.02, np.nan, 0.9, 0.6], index=list("wxyz")))
    assert list(q.index) == list("wxyz") and np.isnan(q["x"])
    np.testing.assert_allclose(q[["w", "z", "y"]].to_numpy(), [0.06, 0.9, 0.9])
    assert benjamini_hochberg([0.9, 0.95]).max() <= 1
    p = np.random.default_rng(1).uniform(size=200) ** 3
    if hasattr(stats, "false_discovery_control"):
        np.testing.assert_allclose(benjamini_hochberg(p), stats.false_discovery_control(p, method="bh"), rtol=1e-12)


def test_q_values_in_table_are_bh_of_p():
    counts = _counts([[30, 1, 12, 7], [10, 1, 2, 20]], ["a", "b"], ["Asyl", "Ente", "Fisch", "Wahl"], [500, 600])
    table = keyness(counts, "a", measure="g2")
    np.testing.assert_allclose(table["q"], benjamini_hochberg(table["p"].to_numpy()))


def _three_outlets():
    return _counts(
        [[20, 5, 3, 10], [4, 25, 6, 10], [2, 3, 30, 10]],
        ["faz", "taz", "welt"], ["Klimakrise", "Migration", "Wirtschaft", "Regierung"], [400, 500, 600],
    )


@pytest.mark.parametrize("measure", ["logodds", "g2"])
def test_keyness_all_one_vs_rest(measure):
    counts = _three_outlets()
    table = keyness_all(counts, measure=measure, fdr="table")
    assert list(table.columns) == COLUMNS
    assert table["target"].unique().tolist() == ["faz", "taz", "welt"]
    assert (table["reference"] == "rest").all()
    for outlet in ("faz", "taz", "welt"):
        part = table[table["target"] == outlet].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, keyness(counts, outlet, measure=measure), check_like=False)
    # the rest of faz is taz + welt
    faz = table[(table["target"] == "faz") & (table["term"] == "Klimakrise")].iloc[0]
    assert (faz["n_target"], faz["n_reference"]) == (20, 6)
    assert faz["rate_reference"] == pytest.approx(1000 * 6 / 1100)


@pytest.mark.parametrize("scheme", ["one-vs-rest", "pairwise"])
def test_keyness_all_controls_the_false_discovery_rate_over_the_family_by_default(scheme):
    from scipy.stats import false_discovery_control

    counts = _three_outlets()
    family = keyness_all(counts, scheme=scheme, measure="g2")
    assert family.attrs["fdr"] == "family"
    # scipy's Benjamini–Hochberg over every p-value of every comparison at once.
    np.testing.assert_allclose(family["q"].to_numpy(), false_discovery_control(family["p"].to_numpy()))
    per_table = keyness_all(counts, scheme=scheme, measure="g2", fdr="table")
    for _, part in per_table.groupby(["target", "reference"]):
        np.testing.assert_allclose(part["q"].to_numpy(), false_discovery_control(part["p"].to_numpy()))
    assert family[["term", "statistic", "p"]].equals(per_table[["term", "statistic", "p"]])
    with pytest.raises(ParameterError, match="fdr"):
        keyness_all(counts, fdr="global")


def test_keyness_all_pairwise():
    counts = _three_outlets()
    pairs = keyness_all(counts, scheme="pairwise", measure="chi2", fdr="table")
    assert list(pairs.columns) == COLUMNS
    assert pairs[["target", "reference"]].drop_duplicates().values.tolist() == [
        ["faz", "taz"], ["faz", "welt"], ["taz", "welt"]
    ]
    part = pairs[(pairs["target"] == "faz") & (pairs["reference"] == "welt")].reset_index(drop=True)
    pd.testing.assert_frame_equal(part, keyness(counts, "faz", reference="welt", measure="chi2"))
    both = keyness_all(counts, scheme="pairwise", measure="chi2", ordered=True)
    assert len(both[["target", "reference"]].drop_duplicates()) == 6
    forward = both[(both["target"] == "taz") & (both["reference"] == "welt")].set_index("term")["statistic"]
    backward = both[(both["target"] == "welt") & (both["reference"] == "taz")].set_index("term")["statistic"]
    np.testing.assert_allclose(backward[forward.index].to_numpy(), -forward.to_numpy())
    with pytest.raises(ParameterError):
        keyness_all(counts, scheme="pairwise", reference="background")
    with pytest.raises(ParameterError):
        keyness_all(counts, scheme="round-robin")


def test_one_row_raises():
    counts = _counts([[3, 1]], ["nur"], ["Wahl", "Krieg"], [10])
    with pytest.raises(ParameterError, match="at least two groups"):
        keyness_all(counts)
    with pytest.raises(ParameterError, match="at least two groups"):
        keyness(counts, "nur")


def test_target_and_reference_lists_and_errors():
    counts = _three_outlets()
    table = keyness(counts, ["taz", "welt"], reference="faz", measure="g2")
    assert (table["target"] == "taz + welt").all() and (table["reference"] == "faz").all()
    merged = _counts([[6, 28, 36, 20], [20, 5, 3, 10]], ["taz+welt", "faz"],
                     ["Klimakrise", "Migration", "Wirtschaft", "Regierung"], [1100, 400])
    expected = keyness(merged, "taz+welt", reference="faz", measure="g2")
    np.testing.assert_allclose(table["statistic"], expected["statistic"])
    with pytest.raises(ParameterError, match="not a row"):
        keyness(counts, "bild")
    with pytest.raises(ParameterError, match="both target and reference"):
        keyness(counts, "taz", reference=["taz", "faz"])
    with pytest.raises(ParameterError, match="unknown keyness measure"):
        keyness(counts, "taz", measure="tfidf")
    with pytest.raises(ParameterError):
        keyness(counts, "taz", min_count=-1)
    too_small = _counts([[5, 5], [1, 1]], ["a", "b"], ["x", "y"], [4, 100])
    with pytest.raises(ParameterError, match="running words"):
        keyness(too_small, "a")


def test_background_reference_and_prior():
    counts = _three_outlets()
    background = pd.Series({"Klimakrise": 50, "Migration": 40, "Regierung": 100, "Fußball": 300})
    # reference = background equals a two-row count matrix with the background as a row
    table = keyness(counts, "taz", reference="background", measure="g2", background=background, background_total=5000)
    as_rows = _counts([[4, 25, 6, 10], [50, 40, 0, 100]], ["taz", "bg"],
                      ["Klimakrise", "Migration", "Wirtschaft", "Regierung"], [500, 5000])
    expected = keyness(as_rows, "taz", reference="bg", measure="g2")
    pd.testing.assert_series_equal(table.set_index("term")["statistic"], expected.set_index("term")["statistic"])
    assert (table["reference"] == "background").all()
    # without background_total, the background's own sum is its size
    default_total = keyness(counts, "taz", reference="background", measure="logratio", background=background)
    assert default_total.attrs["total_reference"] == 490
    # a background prior with a term it never saw (Wirtschaft): finite z, not NaN/inf
    prior = keyness(counts, "taz", reference="welt", prior="background", background=background)
    assert np.isfinite(prior["statistic"]).all() and len(prior) == 4
    # one-vs-background for every row, even with keyness_all
    every = keyness_all(counts, reference="background", background=background, measure="logratio")
    assert every["target"].unique().tolist() == ["faz", "taz", "welt"]
    with pytest.raises(ParameterError, match="background table"):
        keyness(counts, "taz", reference="background")
