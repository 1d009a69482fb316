"""TF-IDF variants: scikit-learn as an independent oracle, hand-worked tidytext/quanteda values."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from analysis.stats.counts import CountMatrix, count_terms
from analysis.errors import ParameterError
from analysis.stats.tfidf import VARIANTS, caption_note, idf, tfidf

COLUMNS = ["outlet", "term", "count", "tf", "df", "idf", "tfidf", "rank", "variant"]


def _counts(dense, rows, terms, totals=None, name="outlet"):
    index = pd.Index(rows, name=name)
    dense = np.asarray(dense, dtype=np.int64)
    if totals is None:
        totals = dense.sum(axis=1)
    return CountMatrix(
        sparse.csr_matrix(dense), index, pd.Index(terms, name="term"), pd.Series(totals, index=index)
    )


# Four outlets, five terms; every term used somewhere, document frequencies 1 to 4.
DENSE = [
    [3, 0, 1, 0, 2],
    [1, 2, 0, 0, 1],
    [0, 4, 2, 1, 1],
    [2, 0, 0, 5, 1],
]
TERMS = ["Diktator", "Freiheit", "Krieg", "Protest", "Regierung"]
ROWS = ["bild", "faz", "taz", "welt"]


def _cell_values(table, rows, terms):
    """Dense array of the table's tfidf values (zero where the table has no row)."""
    out = np.zeros((len(rows), len(terms)))
    r = pd.Index(rows).get_indexer(table.iloc[:, 0])
    c = pd.Index(terms).get_indexer(table["term"])
    out[r, c] = table["tfidf"].to_numpy()
    return out


@pytest.mark.parametrize("variant, smooth_idf", [("smooth", True), ("standard", False)])
def test_sklearn_transformer_reproduced(variant, smooth_idf):
    counts = _counts(DENSE, ROWS, TERMS)
    expected = TfidfTransformer(norm="l2", smooth_idf=smooth_idf).fit(np.array(DENSE))
    weights = expected.transform(np.array(DENSE)).toarray()

    table = tfidf(counts, variant=variant)
    assert list(table.columns) == COLUMNS
    np.testing.assert_allclose(_cell_values(table, ROWS, TERMS), weights, rtol=0, atol=1e-12)
    np.testing.assert_allclose(idf(counts, variant).to_numpy(), expected.idf_, rtol=0, atol=1e-12)
    # one row per non-zero cell
    assert len(table) == np.count_nonzero(DENSE)
    assert (table["variant"] == variant).all()


@pytest.mark.parametrize("variant, smooth_idf", [("smooth", True), ("standard", False)])
def test_sklearn_vectorizer_on_german_texts(variant, smooth_idf):
    texts = {
        "d1": "Die Regierung lobt die Regierung",
        "d2": "Der Protest gegen die Regierung wächst",
        "d3": "Protest Protest und Freiheit",
    }
    vectorizer = TfidfVectorizer(analyzer=str.split, lowercase=False, smooth_idf=smooth_idf, norm="l2")
    weights = vectorizer.fit_transform(list(texts.values())).toarray()
    vocabulary = list(vectorizer.get_feature_names_out())

    tokens = pd.DataFrame(
        [(doc, word) for doc, text in texts.items() for word in text.split()], columns=["doc_id", "token"]
    ).assign(kind="word", is_stop=False)
    counts = count_terms(tokens, by="token", min_chars=1)
    table = tfidf(counts, variant=variant)
    assert table.columns[0] == "doc_id"
    np.testing.assert_allclose(_cell_values(table, list(texts), vocabulary), weights, rtol=0, atol=1e-12)


def _hand_counts():
    # Three outlets; the totals (running words) are deliberately larger than the counted terms.
    #            Krieg  Frieden  Wahl   | row sum | totals
    # ard          2       1       0    |    3    |   10
    # taz          1       0       3    |    4    |    8
    # zdf          0       0       1    |    1    |    5
    return _counts([[2, 1, 0], [1, 0, 3], [0, 0, 1]], ["ard", "taz", "zdf"], ["Krieg", "Frieden", "Wahl"],
                   totals=[10, 8, 5])


def test_tidytext_by_hand():
    # n = 3; df: Krieg 2, Frieden 1, Wahl 2
    # idf = ln(n/df): Krieg ln(3/2) = 0.405465, Frieden ln 3 = 1.098612, Wahl ln(3/2) = 0.405465
    # tf = count / row sum of the counted terms (tidytext's bind_tf_idf), not / totals:
    #   ard: Krieg 2/3 -> 0.270310, Frieden 1/3 -> 0.366204
    #   taz: Krieg 1/4 -> 0.101366, Wahl 3/4 -> 0.304099
    #   zdf: Wahl 1/1 -> 0.405465
    table = tfidf(_hand_counts(), variant="tidytext")
    got = {(r.outlet, r.term): (r.tf, r.idf, r.tfidf) for r in table.itertuples()}
    expected = {
        ("ard", "Krieg"): (2 / 3, math.log(3 / 2), 2 / 3 * math.log(3 / 2)),
        ("ard", "Frieden"): (1 / 3, math.log(3), 1 / 3 * math.log(3)),
        ("taz", "Krieg"): (1 / 4, math.log(3 / 2), 1 / 4 * math.log(3 / 2)),
        ("taz", "Wahl"): (3 / 4, math.log(3 / 2), 3 / 4 * math.log(3 / 2)),
        ("zdf", "Wahl"): (1.0, math.log(3 / 2), math.log(3 / 2)),
    }
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        assert got[key] == pytest.approx(values, abs=1e-12)
    assert got[("ard", "Frieden")][2] == pytest.approx(0.366204, abs=1e-6)
    assert got[("taz", "Wahl")][2] == pytest.approx(0.304099, abs=1e-6)
    # no normalisation by default; ranks within each row
    assert table[["outlet", "term", "rank"]].values.tolist() == [
        ["ard", "Frieden", 1], ["ard", "Krieg", 2], ["taz", "Wahl", 1], ["taz", "Krieg", 2], ["zdf", "Wahl", 1]
    ]


def test_quanteda_by_hand():
    # raw count × log10(n/df), not normalised:
    #   ard: Krieg 2·log10(1.5) = 0.352183, Frieden 1·log10(3) = 0.477121
    #   taz: Krieg 1·log10(1.5) = 0.176091, Wahl 3·log10(1.5) = 0.528274
    #   zdf: Wahl 1·log10(1.5) = 0.176091
    table = tfidf(_hand_counts(), variant="quanteda")
    got = {(r.outlet, r.term): r.tfidf for r in table.itertuples()}
    assert got[("ard", "Krieg")] == pytest.approx(0.352183, abs=1e-6)
    assert got[("ard", "Frieden")] == pytest.approx(0.477121, abs=1e-6)
    assert got[("taz", "Krieg")] == pytest.approx(0.176091, abs=1e-6)
    assert got[("taz", "Wahl")] == pytest.approx(0.528274, abs=1e-6)
    assert got[("zdf", "Wahl")] == pytest.approx(math.log10(1.5), abs=1e-12)
    assert (table["tf"] == table["count"]).all()


def test_norm_options():
    counts = _counts(DENSE, ROWS, TERMS)
    l1 = tfidf(counts, variant="smooth", norm="l1")
    assert l1.groupby("outlet")["tfidf"].sum().to_numpy() == pytest.approx([1, 1, 1, 1], abs=1e-12)
    raw = tfidf(counts, variant="smooth", norm=None)
    assert (raw["tfidf"] == raw["count"] * raw["idf"]).all()
    l2 = tfidf(counts, variant="quanteda", norm="l2")
    assert (l2["tfidf"] ** 2).groupby(l2["outlet"]).sum().to_numpy() == pytest.approx([1, 1, 1, 1], abs=1e-12)
    with pytest.raises(ParameterError):
        tfidf(counts, norm="max")


def test_two_rows_shared_terms_get_the_minimum_idf():
    counts = _counts([[3, 1, 0], [2, 0, 5]], ["spiegel", "welt"], ["Regierung", "Klimakrise", "Migration"])
    for variant in VARIANTS:
        values = idf(counts, variant)
        # "Regierung" is used by both outlets: df = n = 2
        assert values["Regierung"] == values.min()
        assert values["Regierung"] < values["Klimakrise"] == values["Migration"]
    assert idf(counts, "smooth")["Regierung"] == pytest.approx(math.log(3 / 3) + 1)
    assert idf(counts, "standard")["Regierung"] == pytest.approx(1.0)
    assert idf(counts, "tidytext")["Regierung"] == 0
    assert idf(counts, "quanteda")["Regierung"] == 0

    note = caption_note("smooth", 2)
    assert "every term used by both gets the lowest idf" in note
    assert "only one outlet uses" in note
    assert "lowest idf" not in caption_note("smooth", 3)
    assert "TF-IDF is 0" in caption_note("tidytext", 2)
    table = tfidf(counts)
    assert table.attrs["caption"] == caption_note("smooth", 2)


def test_rank_ties_are_deterministic_and_top():
    # quanteda, n = 4: term A has count 1, df 1 -> log10(4); term B count 2, df 2 -> 2·log10(2).
    # C and D: count 1, df 2 -> identical weights, tie broken by term ascending.
    dense = [[1, 2, 1, 1], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 0]]
    terms = ["Anschlag", "Bundestag", "Demo", "Corona"]  # deliberately not sorted
    counts = _counts(dense, ["a", "b", "c", "d"], terms)
    assert math.log10(4) == 2 * math.log10(2)  # the tie really is exact in floating point
    table = tfidf(counts, variant="quanteda")
    first = table[table["outlet"] == "a"]
    assert first["term"].tolist() == ["Bundestag", "Anschlag", "Corona", "Demo"]
    assert first["rank"].tolist() == [1, 2, 3, 4]
    # the same counts with the columns in another order give the same table
    order = [3, 1, 0, 2]
    shuffled = _counts(np.asarray(dense)[:, order], ["a", "b", "c", "d"], [terms[i] for i in order])
    pd.testing.assert_frame_equal(tfidf(shuffled, variant="quanteda"), table)
    # a row without any term has no output row; top keeps the first N per row
    assert "d" not in set(table["outlet"])
    top = tfidf(counts, variant="quanteda", top=2)
    assert top.groupby("outlet").size().to_dict() == {"a": 2, "b": 1, "c": 2}
    assert top[top["outlet"] == "a"]["term"].tolist() == ["Bundestag", "Anschlag"]
    assert top.index.tolist() == list(range(len(top)))
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ParameterError):
            tfidf(counts, top=bad)


def test_unknown_variant_raises():
    counts = _counts(DENSE, ROWS, TERMS)
    for call in (lambda: tfidf(counts, variant="bm25"), lambda: idf(counts, "bm25"), lambda: caption_note("bm25", 3)):
        with pytest.raises(ParameterError, match="unknown TF-IDF variant"):
            call()


def test_unused_term_has_no_idf_and_no_rows():
    counts = _counts([[1, 0], [2, 0]], ["x", "y"], ["Wahl", "Zensur"])
    assert np.isnan(idf(counts, "standard")["Zensur"])
    assert idf(counts, "smooth")["Zensur"] == pytest.approx(math.log(3) + 1)
    assert set(tfidf(counts, variant="standard")["term"]) == {"Wahl"}


def test_variants_describe_themselves():
    assert set(VARIANTS) == {"smooth", "standard", "tidytext", "quanteda"}
    assert "scikit-learn" in VARIANTS["smooth"] and "L2" in VARIANTS["smooth"]
    assert "log10" in VARIANTS["quanteda"]
