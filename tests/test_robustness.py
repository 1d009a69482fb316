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
