"""Bootstrap over articles and rank stability, checked against hand-built cases."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats.counts import count_terms, group_counts
from analysis.errors import ParameterError
from analysis.stats.keyness import keyness
from analysis.stats.robustness import bootstrap_keyness, rank_stability


def _tokens(rows):
    """rows: (doc_id, sentence_id, token, lemma, stem)"""
    frame = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "token", "lemma", "stem"])
    return frame.assign(kind="word", is_stop=False)


def _docs(mapping):
    return pd.DataFrame({"doc_id": list(mapping), "outlet": list(mapping.values())})


def test_single_article_groups_give_no_interval_but_a_note():
    tokens = _tokens([("a", 0, "Diktator", "Diktator", "diktator"), ("b", 0, "Freund", "Freund", "freund")])
    docs = _docs({"a": "A", "b": "B"})
    with pytest.warns(UserWarning, match="cannot be estimated"):
        table = bootstrap_keyness(count_terms(tokens, by="token"), docs, "A", n_boot=20)
    assert table[["ci_low", "ci_high", "rank_low", "rank_high"]].isna().all(axis=None)
    assert (table["n_boot"] == 0).all()
    assert "A, B have only one article" in table["note"].iloc[0]
    # The point estimates are still the plain keyness values.
    expected = keyness(group_counts(count_terms(tokens, by="token"), docs), "A")
    assert np.allclose(table.set_index("term")["statistic"], expected.set_index("term")["statistic"])


def test_identical_articles_give_a_zero_width_interval():
    # Every article of a group is the same text, so every resample reproduces the observed counts.
    rows = []
    for doc, words in {"a1": ["Diktator", "Gipfel"], "a2": ["Diktator", "Gipfel"],
                       "b1": ["Freund", "Gipfel"], "b2": ["Freund", "Gipfel"]}.items():
        rows += [(doc, 0, w, w, w.lower()) for w in words]
    tokens = _tokens(rows)
    docs = _docs({"a1": "A", "a2": "A", "b1": "B", "b2": "B"})
    table = bootstrap_keyness(count_terms(tokens, by="token"), docs, "A", n_boot=30, seed=3)
    assert np.allclose(table["ci_low"], table["statistic"])
    assert np.allclose(table["ci_high"], table["statistic"])
    assert np.allclose(table["rank_low"], table["rank"]) and np.allclose(table["rank_high"], table["rank"])
    assert (table["note"] == "").all()


def test_interval_reflects_article_variation_and_is_reproducible():
    # "Diktator" occurs in only one of A's three articles: some resamples drop it, others triple it.
    rows = [("a1", 0, "Diktator", "Diktator", "diktator"), ("a1", 0, "Gipfel", "Gipfel", "gipfel"),
            ("a2", 0, "Gipfel", "Gipfel", "gipfel"), ("a3", 0, "Treffen", "Treffen", "treffen"),
            ("b1", 0, "Gipfel", "Gipfel", "gipfel"), ("b2", 0, "Treffen", "Treffen", "treffen")]
    tokens = _tokens(rows)
    docs = _docs({"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"})
    counts = count_terms(tokens, by="token")
    first = bootstrap_keyness(counts, docs, "A", n_boot=200, seed=7, terms=["Diktator"])
    second = bootstrap_keyness(counts, docs, "A", n_boot=200, seed=7, terms=["Diktator"])
    pd.testing.assert_frame_equal(first, second)
    row = first.iloc[0]
    # Replicates drawing a1 once reproduce the observed counts exactly (every A article mix sums to
    # four words), so the lower bound may equal the estimate; drawing a1 twice (p = 2/9) raises it.
    assert row["ci_low"] <= row["statistic"] < row["ci_high"]
    assert row["rank_high"] > row["rank_low"]


def test_bootstrap_checks_its_arguments():
    tokens = _tokens([("a", 0, "x", "x", "x")])
    with pytest.raises(ParameterError, match="n_boot"):
        bootstrap_keyness(count_terms(tokens, by="token"), _docs({"a": "A"}), "A", n_boot=0)
    with pytest.raises(ParameterError, match="level"):
        bootstrap_keyness(count_terms(tokens, by="token"), _docs({"a": "A"}), "A", level=95)


def test_rank_stability_maps_forms_to_lemmas():
    # A uses "Diktatoren"/"Diktator" (lemma Diktator) three times; B uses "Freunde" three times;
    # both use "Gipfel" once. Diktator is A's top term in every configuration.
    rows = [("a", 0, "Diktatoren", "Diktator", "diktator"), ("a", 0, "Diktator", "Diktator", "diktator"),
            ("a", 1, "Diktatoren", "Diktator", "diktator"), ("a", 1, "Gipfel", "Gipfel", "gipfel"),
            ("b", 0, "Freunde", "Freund", "freund"), ("b", 0, "Freunde", "Freund", "freund"),
            ("b", 0, "Freunde", "Freund", "freund"), ("b", 1, "Gipfel", "Gipfel", "gipfel")]
    table = rank_stability(_tokens(rows), _docs({"a": "A", "b": "B"}), "A", top=1)
    first = table.iloc[0]
    assert first["term"] == "Diktator"
    rank_columns = [c for c in table.columns if c.startswith("rank_")]
    assert len(rank_columns) == 9
    assert (first[rank_columns] == 1).all()
    assert first["stable"] and first["worst_rank"] == 1
    with pytest.raises(ParameterError, match="not a value"):
        rank_stability(_tokens(rows), _docs({"a": "A", "b": "B"}), "C")


def _equal_length_corpus():
    """Four articles per outlet, ten tokens each in A and fifteen in B; "Diktator" only in a1 (three times)."""
    rows = []
    for doc in ("a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4"):
        if doc == "a1":
            words = ["Diktator"] * 3 + ["Gipfel"] * 7
        elif doc.startswith("a"):
            words = ["Gipfel"] * 5 + ["Treffen"] * 5
        else:
            words = ["Gipfel"] * 8 + ["Treffen"] * 7
        rows += [(doc, 0, w, w, w.lower()) for w in words]
    docs = _docs({d: d[0].upper() for d in ("a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4")})
    return count_terms(_tokens(rows), by="token"), docs


def test_a_term_absent_from_a_replicate_counts_with_its_zero():
    # Articles of one outlet have equal lengths, so every replicate has Nt = 40, Nr = 60.
    # "Diktator" is in a1 only: a replicate misses a1 with probability (3/4)**4 = 0.32, and then
    # its counts are a = b = 0. Counted with that zero (not dropped), the 2.5 % quantile is the
    # z of zero counts against the observed prior, worked out from Monroe et al.'s formula:
    # pi = 3 / 100, alpha0 = min(40, 60) / 10 = 4, alpha = alpha0 * pi.
    counts, docs = _equal_length_corpus()
    table = bootstrap_keyness(counts, docs, "A", n_boot=400, seed=3).set_index("term")
    alpha = 4 * 3 / 100
    delta = np.log(alpha / (40 + 4 - alpha)) - np.log(alpha / (60 + 4 - alpha))
    z_zero = delta / np.sqrt(1 / alpha + 1 / alpha)
    assert z_zero > 0.05  # the larger reference makes zero counts lean to the target
    assert table.loc["Diktator", "ci_low"] == pytest.approx(z_zero, abs=1e-12)
    # The upper end comes from replicates holding a1 at least once: positive.
    assert table.loc["Diktator", "ci_high"] > 1.0
    # Its rank has an interval too, from the replicates in which it ties with the other terms.
    assert table.loc["Diktator", "rank_high"] >= table.loc["Diktator", "rank_low"]


def test_the_share_of_replicates_without_a_term_matches_the_resampling_probability():
    # The mass at the zero-count value is the chance that a1 is never drawn: (3/4)**4.
    counts, docs = _equal_length_corpus()
    n_boot = 4000
    low = bootstrap_keyness(counts, docs, "A", n_boot=n_boot, level=0.5, seed=5).set_index("term")
    alpha = 4 * 3 / 100
    zero = (np.log(alpha / (44 - alpha)) - np.log(alpha / (64 - alpha))) / np.sqrt(2 / alpha)
    # With level 0.5 the lower quantile is the 25 % point: inside the zero mass (31.6 %).
    assert low.loc["Diktator", "ci_low"] == pytest.approx(zero, abs=1e-12)
    narrow = bootstrap_keyness(counts, docs, "A", n_boot=n_boot, level=0.2, seed=5).set_index("term")
    # With level 0.2 the lower quantile is the 40 % point: above the zero mass.
    assert narrow.loc["Diktator", "ci_low"] > zero + 0.5


@pytest.mark.parametrize("measure", ["chi2", "g2", "logratio"])
def test_other_measures_score_absent_terms_too(measure):
    counts, docs = _equal_length_corpus()
    table = bootstrap_keyness(counts, docs, "A", measure=measure, n_boot=300, seed=1).set_index("term")
    assert table[["ci_low", "ci_high", "rank_low", "rank_high"]].notna().all(axis=None)
    # Zero counts on both sides: no evidence (χ², G² = 0); the log ratio puts 0.5 for each zero:
    # log2((0.5 / 40) / (0.5 / 60)).
    expected = np.log2(60 / 40) if measure == "logratio" else 0.0
    assert table.loc["Diktator", "ci_low"] == pytest.approx(expected, abs=1e-12)
