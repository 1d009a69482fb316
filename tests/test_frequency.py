"""term_frequency: checked by hand and against a pandas group-by of the tidy counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import ParameterError
from analysis.pipeline import prepare_corpus
from analysis.stats.counts import count_terms
from analysis.stats.frequency import FREQUENCY_COLUMNS, term_frequency

from generated import write_corpus


def _counts(rows):
    """Document-term counts from (doc_id, token) pairs, every token a running word."""
    tokens = pd.DataFrame(rows, columns=["doc_id", "token"]).assign(kind="word", is_stop=False)
    return count_terms(tokens, by="token")


def test_a_hand_worked_table():
    # X: a = "Kim Kim Putin", b = "Kim Gipfel"; Y: c = "Putin Putin Gipfel Gipfel".
    counts = _counts([("a", "Kim"), ("a", "Kim"), ("a", "Putin"), ("b", "Kim"), ("b", "Gipfel"),
                      ("c", "Putin"), ("c", "Putin"), ("c", "Gipfel"), ("c", "Gipfel")])
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"]})
    table = term_frequency(counts, docs, group="outlet")
    assert list(table.columns) == ["outlet", *FREQUENCY_COLUMNS]
    expected = [
        # X has 5 running words: Kim 3, Gipfel 1, Putin 1 (tied: both rank 2).
        ("X", "Kim", 3, 600.0, 1, 2, 1.0),
        ("X", "Gipfel", 1, 200.0, 2, 1, 0.5),
        ("X", "Putin", 1, 200.0, 2, 1, 0.5),
        # Y has 4: Gipfel 2 and Putin 2 share rank 1.
        ("Y", "Gipfel", 2, 500.0, 1, 1, 1.0),
        ("Y", "Putin", 2, 500.0, 1, 1, 1.0),
    ]
    assert [tuple(row) for row in table.itertuples(index=False)] == expected
    overall = term_frequency(counts)
    assert overall[["term", "count", "rank", "documents"]].values.tolist() == [
        ["Gipfel", 3, 1, 2], ["Kim", 3, 1, 2], ["Putin", 3, 1, 2]]  # a three-way tie, by term
    assert overall["rate"].tolist() == pytest.approx([1000 / 3] * 3)
    top = term_frequency(counts, docs, group="outlet", top=1, min_count=2)
    assert top[["outlet", "term"]].values.tolist() == [["X", "Kim"], ["Y", "Gipfel"]]


def test_agrees_with_a_group_by_of_the_tidy_counts(tmp_path):
    prepared = prepare_corpus(write_corpus(tmp_path / "corpus.csv", 300, seed=7), cache=False, jobs=1, quiet=True)
    table = term_frequency(prepared.doc_counts, prepared.metadata, group="outlet")
    cells = prepared.doc_counts.to_frame().merge(prepared.metadata[["doc_id", "outlet"]], on="doc_id")
    expected = cells.groupby(["outlet", "term"], as_index=False).agg(count=("count", "sum"),
                                                                     documents=("doc_id", "nunique"))
    expected["rank"] = expected.groupby("outlet")["count"].rank(method="min", ascending=False).astype(np.int64)
    running = prepared.doc_counts.totals.groupby(prepared.metadata.set_index("doc_id")["outlet"]).sum()
    expected["rate"] = 1000.0 * expected["count"] / expected["outlet"].map(running)
    sizes = prepared.metadata.groupby("outlet").size()
    expected["document_share"] = expected["documents"] / expected["outlet"].map(sizes)
    assert prepared.metadata["outlet"].nunique() >= 4
    merged = table.merge(expected, on=["outlet", "term"], suffixes=("", "_expected"), validate="one_to_one")
    assert len(merged) == len(table) == len(expected)
    for column in ("count", "documents", "rank"):
        assert (merged[column] == merged[f"{column}_expected"]).all(), column
    for column in ("rate", "document_share"):
        assert np.allclose(merged[column], merged[f"{column}_expected"], rtol=1e-12), column
    # Most frequent first within each outlet, ties by term.
    for _, part in table.groupby("outlet", sort=False):
        keys = list(zip(-part["count"], part["term"]))
        assert keys == sorted(keys)


def test_bad_parameters_say_what_to_do():
    counts = _counts([("a", "Kim")])
    with pytest.raises(ParameterError, match="min_count"):
        term_frequency(counts, min_count=0)
    with pytest.raises(ParameterError, match="top"):
        term_frequency(counts, top=0)
    with pytest.raises(ParameterError, match="documents table"):
        term_frequency(counts, group="outlet")
    with pytest.raises(ParameterError, match="no column 'event'"):
        term_frequency(counts, pd.DataFrame({"doc_id": ["a"], "outlet": ["X"]}), group="event")


def test_frequency_command(tmp_path, capsys):
    out = tmp_path / "frequency.csv"
    assert main(["frequency", "--top", "5", "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
                 "--quiet"]) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == ["outlet", *FREQUENCY_COLUMNS]
    assert set(table["outlet"]) == {"AFP-based", "CNN-based"}
    assert (table.groupby("outlet").size() == 5).all()
    assert main(["frequency", "--overall", "--min-count", "3", "--out", str(out), "--cache-dir",
                 str(tmp_path / "cache"), "--quiet"]) == 0
    overall = pd.read_csv(out)
    assert list(overall.columns) == list(FREQUENCY_COLUMNS) and (overall["count"] >= 3).all()
