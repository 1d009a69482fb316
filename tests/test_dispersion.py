"""dispersion: Gries' DP by its definition, document shares, positions, on a generated corpus."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import ParameterError
from analysis.pipeline import prepare_corpus
from analysis.stats.counts import running_words
from analysis.stats.dispersion import dispersion
from analysis.stats.intervals import wilson_interval
from analysis.stats.kwic import kwic

from generated import write_corpus


def _dp_by_definition(sizes: dict, hits: dict) -> float:
    """½ Σ |v_i − s_i| over every article, written out (Gries 2008)."""
    total_size, total_hits = sum(sizes.values()), sum(hits.values())
    return 0.5 * sum(abs(hits.get(d, 0) / total_hits - size / total_size) for d, size in sizes.items())


def test_a_hand_worked_corpus():
    docs = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"], "outlet": ["X", "X", "X", "Y"],
        "text": ["Der Diktator sprach lange.", "Kein Wort davon.", "Diktator hier, Diktator dort.", "Nichts."],
    })
    table = dispersion(docs, "Diktator")
    x, y = table.iloc[0], table.iloc[1]
    # X: running words a 4, b 3, c 4 (11); matches a 1, c 2.
    assert (x["outlet"], x["matches"], x["documents"], x["documents_total"]) == ("X", 3, 2, 3)
    assert x["dp"] == pytest.approx(0.5 * (abs(1 / 3 - 4 / 11) + 3 / 11 + abs(2 / 3 - 4 / 11)))
    assert x["rate"] == pytest.approx(1000 * 3 / 11)
    low, high = wilson_interval([2], [3])
    assert (x["ci_low"], x["ci_high"]) == pytest.approx((low[0], high[0]))
    # Positions: "Der Diktator" at 4 of 26 characters; c at 0 and 15 of 29.
    assert x["mean_position"] == pytest.approx((4 / 26 + 0 / 29 + 15 / 29) / 3)
    # Y has no match, and is still listed.
    assert (y["outlet"], y["matches"], y["documents"]) == ("Y", 0, 0)
    assert np.isnan(y["dp"]) and np.isnan(y["mean_position"])
    matches = dispersion(docs, "Diktator", level="match")
    assert matches[["doc_id", "outlet", "start"]].values.tolist() == [["a", "X", 4], ["c", "X", 0], ["c", "X", 15]]


def test_agrees_with_the_definition_on_a_generated_corpus(tmp_path):
    prepared = prepare_corpus(write_corpus(tmp_path / "corpus.csv", 300, seed=11), cache=False, jobs=1, quiet=True)
    documents, store = prepared.documents, prepared.store
    patterns = ["Diktator*", "Moskau", "Aurus"]
    table = dispersion(documents, patterns, tokens=store)
    outlets = sorted(documents["outlet"].unique())
    assert len(outlets) >= 4 and len(table) == len(outlets) * len(patterns)
    words = running_words(store)
    found = kwic(documents, patterns, tokens=store)
    for row in table.itertuples(index=False):
        in_outlet = documents[documents["outlet"] == row.outlet]
        sizes = {d: int(words[d]) for d in in_outlet["doc_id"]}
        mine = found[found["doc_id"].isin(sizes) & (found["pattern"] == row.pattern)]
        hits = mine.groupby("doc_id").size().to_dict()
        assert row.matches == len(mine) and row.documents == len(hits)
        assert row.documents_total == len(in_outlet)
        assert row.document_share == pytest.approx(len(hits) / len(in_outlet))
        if hits:
            assert row.dp == pytest.approx(_dp_by_definition(sizes, hits), abs=1e-12)
            lengths = in_outlet.set_index("doc_id")["text"].str.len()
            expected = (mine["start"] / mine["doc_id"].map(lengths)).mean()
            assert row.mean_position == pytest.approx(expected)
    assert (table["matches"] > 0).sum() >= 6  # the patterns occur in most outlets


def test_bad_parameters_say_what_to_do():
    docs = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["Kim."]})
    with pytest.raises(ParameterError, match="level"):
        dispersion(docs, "Kim", level="article")
    with pytest.raises(ParameterError, match="no column 'event'"):
        dispersion(docs, "Kim", group="event")


def test_dispersion_command(tmp_path):
    out = tmp_path / "dispersion.csv"
    assert main(["dispersion", "Diktator*", "Freund*", "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
                 "--quiet"]) == 0
    table = pd.read_csv(out)
    assert list(table.columns[:3]) == ["outlet", "pattern", "matches"]
    assert len(table) == 4 and set(table["outlet"]) == {"AFP-based", "CNN-based"}
    assert main(["dispersion", "Diktator*", "--level", "match", "--out", str(out), "--cache-dir",
                 str(tmp_path / "cache"), "--quiet"]) == 0
    matches = pd.read_csv(out)
    assert len(matches) >= 1 and matches["position"].between(0, 1).all()
