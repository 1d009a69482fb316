"""keyness_within: strata listed or pooled (inverse-variance log-odds, Cochran–Mantel–Haenszel)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.cli import main
from analysis.errors import ParameterError
from analysis.stats.counts import CountMatrix, count_terms, group_counts
from analysis.stats.keyness import keyness, keyness_within

from generated import write_corpus


def _corpus(docs):
    """doc_counts and documents from {doc_id: (outlet, event, "words ...")}."""
    rows = [(d, w) for d, (_, _, text) in docs.items() for w in text.split()]
    tokens = pd.DataFrame(rows, columns=["doc_id", "token"]).assign(kind="word", is_stop=False)
    documents = pd.DataFrame([(d, o, e) for d, (o, e, _) in docs.items()], columns=["doc_id", "outlet", "event"])
    return count_terms(tokens, by="token"), documents


def _words(**counts) -> str:
    return " ".join(word for word, n in counts.items() for _ in range(n))


# Outlet A mostly covers the flood, B mostly the summit; everybody writes "Pegel" about the
# flood. A calls the leader "Diktator" where B writes "Präsident", in both events.
DOCS = {
    "a1": ("A", "Flut", _words(Pegel=30, Wasser=40, Diktator=6, Präsident=1, sagte=20)),
    "a2": ("A", "Flut", _words(Pegel=25, Wasser=35, Diktator=5, sagte=18)),
    "a3": ("A", "Gipfel", _words(Treffen=12, Diktator=3, Präsident=1, sagte=9)),
    "b1": ("B", "Flut", _words(Pegel=8, Wasser=11, Präsident=3, sagte=6)),
    "b2": ("B", "Gipfel", _words(Treffen=40, Präsident=9, Diktator=1, sagte=30)),
    "b3": ("B", "Gipfel", _words(Treffen=35, Präsident=8, sagte=25, Pegel=1)),
}


def _sides(doc_counts, documents):
    """(a, b, Nt, Nr) per event for target A, from the definition."""
    out = {}
    for event, part in documents.groupby("event"):
        rows = [list(doc_counts.rows).index(d) for d in part["doc_id"]]
        matrix = doc_counts.matrix[rows].toarray()
        outlets = part["outlet"].to_numpy()
        totals = doc_counts.totals.iloc[rows].to_numpy()
        out[event] = (matrix[outlets == "A"].sum(axis=0), matrix[outlets == "B"].sum(axis=0),
                      totals[outlets == "A"].sum(), totals[outlets == "B"].sum())
    return out


def test_listed_strata_are_the_keyness_of_each_stratum():
    doc_counts, documents = _corpus(DOCS)
    table = keyness_within(doc_counts, documents, "A", within="event")
    assert list(table.columns[:2]) == ["event", "term"]
    for event, part in documents.groupby("event"):
        rows = [list(doc_counts.rows).index(d) for d in part["doc_id"]]
        sub = CountMatrix(doc_counts.matrix[rows], pd.Index(part["doc_id"], name="doc_id"), doc_counts.terms,
                          doc_counts.totals.iloc[rows], doc_counts.by)
        expected = keyness(group_counts(sub, part, group="outlet"), "A")
        mine = table[table["event"] == event].drop(columns="event").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, expected.reset_index(drop=True), check_dtype=False)


def test_pooled_logodds_is_the_inverse_variance_mean_of_the_strata():
    doc_counts, documents = _corpus(DOCS)
    table = keyness_within(doc_counts, documents, "A", within="event", combine="pool").set_index("term")
    weight, weighted = {}, {}
    for a, b, nt, nr in _sides(doc_counts, documents).values():
        scale = min(nt, nr) / 10
        for j, term in enumerate(doc_counts.terms):
            if a[j] + b[j] == 0:
                continue
            alpha = scale * (a[j] + b[j]) / (nt + nr)
            delta = (np.log((a[j] + alpha) / (nt + scale - a[j] - alpha))
                     - np.log((b[j] + alpha) / (nr + scale - b[j] - alpha)))
            var = 1 / (a[j] + alpha) + 1 / (b[j] + alpha)
            weight[term] = weight.get(term, 0) + 1 / var
            weighted[term] = weighted.get(term, 0) + delta / var
    for term in weight:
        z = weighted[term] / np.sqrt(weight[term])
        assert table.loc[term, "statistic"] == pytest.approx(z, rel=1e-12)
        assert table.loc[term, "p"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    assert table.loc["Pegel", "strata"] == 2 and table.loc["Treffen", "strata"] == 1
    assert table.attrs["strata"] == 2


def test_one_stratum_pools_to_plain_keyness():
    doc_counts, documents = _corpus(DOCS)
    documents = documents.assign(event="alle")
    pooled = keyness_within(doc_counts, documents, "A", within="event", combine="pool")
    plain = keyness(group_counts(doc_counts, documents, group="outlet"), "A")
    merged = pooled.merge(plain, on="term", suffixes=("", "_plain"))
    assert len(merged) == len(plain)
    assert np.allclose(merged["statistic"], merged["statistic_plain"], rtol=1e-12)


def test_pooled_chi2_is_cochran_mantel_haenszel():
    doc_counts, documents = _corpus(DOCS)
    sides = _sides(doc_counts, documents)
    one = documents.assign(event="alle")
    single = keyness_within(doc_counts, one, "A", within="event", combine="pool", measure="chi2",
                            correction="none").set_index("term")
    a_all = sum(s[0] for s in sides.values())
    b_all = sum(s[1] for s in sides.values())
    nt, nr = sum(s[2] for s in sides.values()), sum(s[3] for s in sides.values())
    for j, term in enumerate(doc_counts.terms):
        table = [[a_all[j], b_all[j]], [nt - a_all[j], nr - b_all[j]]]
        chi2 = stats.chi2_contingency(table, correction=False).statistic
        n = nt + nr
        # With one stratum, CMH is Pearson's chi-squared times (n - 1) / n.
        assert abs(single.loc[term, "statistic"]) == pytest.approx(chi2 * (n - 1) / n, rel=1e-10)
    pooled = keyness_within(doc_counts, documents, "A", within="event", combine="pool", measure="chi2").set_index("term")
    for j, term in enumerate(doc_counts.terms):
        deviation = variance = 0.0
        for a, b, nt_s, nr_s in sides.values():
            n, m = nt_s + nr_s, a[j] + b[j]
            deviation += a[j] - m * nt_s / n
            variance += m * (n - m) * nt_s * nr_s / (n ** 2 * (n - 1))
        expected = np.sign(deviation) * max(abs(deviation) - 0.5, 0) ** 2 / variance
        assert pooled.loc[term, "statistic"] == pytest.approx(expected, rel=1e-10)


def test_stratifying_removes_a_topic_difference_and_keeps_a_word_choice():
    doc_counts, documents = _corpus(DOCS)
    plain = keyness(group_counts(doc_counts, documents, group="outlet"), "A").set_index("term")
    within = keyness_within(doc_counts, documents, "A", within="event", combine="pool").set_index("term")
    # Across the corpus "Pegel" looks typical of A (A covers the flood more) ...
    assert plain.loc["Pegel", "statistic"] > 3
    # ... inside each event it is not; "Diktator" stays A's word either way.
    assert abs(within.loc["Pegel", "statistic"]) < 1.5
    assert within.loc["Diktator", "statistic"] > 2 and within.loc["Präsident", "statistic"] < -2


def test_strata_without_both_sides_are_skipped_and_named():
    docs = dict(DOCS, c1=("A", "Wahl", _words(Urne=5, sagte=3)))
    doc_counts, documents = _corpus(docs)
    table = keyness_within(doc_counts, documents, "A", within="event", combine="pool")
    assert table.attrs["skipped"] == ["Wahl"] and table.attrs["strata"] == 2
    with pytest.raises(ParameterError, match="no event has both"):
        keyness_within(doc_counts, documents[documents["event"] == "Wahl"], "A", within="event")
    with pytest.raises(ParameterError, match="cannot be pooled"):
        keyness_within(doc_counts, documents, "A", within="event", measure="logratio")
    with pytest.raises(ParameterError, match="no column 'ereignis'"):
        keyness_within(doc_counts, documents, "A", within="ereignis")


def test_keyness_command_within_events(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus.csv", 300, seed=9)
    out = tmp_path / "within.csv"
    common = ["--corpus", str(corpus), "--cache-dir", str(tmp_path / "cache"), "--quiet"]
    assert main(["keyness", "--target", "Tagesblatt", "--within", "event", "--top", "3", "--out", str(out),
                 *common]) == 0
    listed = pd.read_csv(out)
    assert listed.columns[0] == "event" and listed["event"].nunique() >= 5
    assert (listed.groupby("event").size() <= 6).all()
    assert main(["keyness", "--within", "event", "--combine", "pool", "--measure", "g2", "--out", str(out),
                 *common]) == 0
    pooled = pd.read_csv(out)
    assert "strata" in pooled.columns and pooled["target"].nunique() == 5
    assert main(["keyness", "--within", "event", "--reference", "pairs", *common]) != 0
