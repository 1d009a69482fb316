"""Collocates and multi-word expressions: counts and scores worked out by hand on tiny texts, and
expressions read off the bundled articles."""

import doctest
import math

import pandas as pd
import pytest

import analysis.stats.collocations as collocations_module
from analysis.clean import clean_corpus
from analysis.stats.collocations import collocates, find_multiword_expressions, join_multiword_expressions
from analysis.io.corpus import load_bundled_corpus
from analysis.stats.counts import count_terms
from analysis.errors import ParameterError
from analysis.text import tokenize


@pytest.fixture(scope="module")
def bundled():
    documents, _ = clean_corpus(load_bundled_corpus())
    return documents, tokenize(documents)


def _docs(*texts):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def g2(o11, r1, c1, n):
    """G² of the 2×2 table written out cell by cell, signed like the module's llr."""
    cells = [
        (o11, r1 * c1 / n),
        (r1 - o11, r1 * (n - c1) / n),
        (c1 - o11, (n - r1) * c1 / n),
        (n - r1 - c1 + o11, (n - r1) * (n - c1) / n),
    ]
    value = 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)
    return value if o11 >= r1 * c1 / n else -value


def test_doctests():
    assert doctest.testmod(collocations_module).failed == 0


# ---------------------------------------------------------------------------------- collocates
# Positions (words and numbers) per sentence:
#   d0: Putin lobt Kim | Kim lobt Putin heute | Kim fährt Auto        -> 3 + 4 + 3
#   d1: Putin schweigt | Die Presse schweigt auch | Kim lacht laut    -> 2 + 4 + 3
# n_total = 19; "Putin" occurs 3 times. With window 1 the windows hold: "lobt" (d0, 1st sentence),
# "lobt" and "heute" (d0, 2nd), "schweigt" (d1, 1st).
SMALL = (
    "Putin lobt Kim. Kim lobt Putin heute. Kim fährt Auto.",
    "Putin schweigt. Die Presse schweigt auch. Kim lacht laut.",
)


def test_collocate_counts_and_measures_by_hand():
    table = collocates(_docs(*SMALL), "Putin", by="token", window=1, min_count=1).set_index("collocate")
    assert sorted(table.index) == ["heute", "lobt", "schweigt"]
    n_total, n_node, window = 19, 3, 1
    for collocate, o11, f2 in [("lobt", 2, 2), ("heute", 1, 1), ("schweigt", 1, 2)]:
        row = table.loc[collocate]
        assert (row["n_collocate_in_window"], row["n_collocate"]) == (o11, f2)
        assert (row["n_node"], row["n_total"], row["node"]) == (n_node, n_total, "Putin")
        expected = n_node * f2 * (2 * window) / n_total
        assert row["expected"] == pytest.approx(expected, abs=1e-9)
        assert row["pmi"] == pytest.approx(math.log2(o11 / expected), abs=1e-9)
        assert row["t_score"] == pytest.approx((o11 - expected) / math.sqrt(o11), abs=1e-9)
        assert row["llr"] == pytest.approx(g2(o11, 2 * window * n_node, f2, n_total), abs=1e-9)
    # "lobt": O11 = 2, window slots 6, so O12 = 4, O21 = 0, O22 = 19 - 6 - 2 + 2 = 13.
    e11, e12, e22 = 6 * 2 / 19, 6 * 17 / 19, 13 * 17 / 19
    by_hand = 2 * (2 * math.log(2 / e11) + 4 * math.log(4 / e12) + 13 * math.log(13 / e22))
    assert table.loc["lobt", "llr"] == pytest.approx(by_hand, abs=1e-9)


def test_collocates_are_sorted_by_llr_and_filtered_by_min_count():
    table = collocates(_docs(*SMALL), "Putin", by="token", window=1, min_count=1)
    assert table["llr"].is_monotonic_decreasing
    assert table["collocate"].tolist()[0] == "lobt"
    assert collocates(_docs(*SMALL), "Putin", by="token", window=1)["collocate"].tolist() == ["lobt"]
    assert list(collocates(_docs(*SMALL), "Putin", by="token", window=1, measures=("pmi",)).columns) == [
        "node", "collocate", "n_collocate_in_window", "n_node", "n_collocate", "n_total", "expected", "pmi",
    ]


def test_actual_window_size():
    # The windows cover 4 positions: lobt, lobt, heute, schweigt.
    table = collocates(_docs(*SMALL), "Putin", by="token", window=1, min_count=1, window_size="actual")
    row = table.set_index("collocate").loc["lobt"]
    assert row["expected"] == pytest.approx(2 * 4 / 19, abs=1e-9)
    assert row["llr"] == pytest.approx(g2(2, 4, 2, 19), abs=1e-9)


def test_overlapping_windows_count_a_token_once_and_nodes_are_not_collocates():
    # Nodes at 0 and 2; "trifft" lies in both windows, the other "Kim" is a node, not a collocate.
    table = collocates(_docs("Kim trifft Kim heute."), "Kim", by="token", window=2, min_count=1,
                       window_size="actual", measures=("pmi",)).set_index("collocate")
    assert table["n_collocate_in_window"].to_dict() == {"heute": 1, "trifft": 1}
    assert table["expected"].tolist() == pytest.approx([1 * 2 / 4, 1 * 2 / 4])  # W = 2 positions, N = 4


def test_windows_stop_at_the_sentence_and_skip_punctuation():
    table = collocates(_docs("Putin, so heißt es, lacht. Kim weint."), "Putin", by="token", window=3,
                       min_count=1, measures=("t",), keep_stopwords=True)
    # Positions right of "Putin": so, heißt, es (the commas are not positions); "Kim" is in the next sentence.
    assert sorted(table["collocate"]) == ["es", "heißt", "so"]


def test_stop_words_are_dropped_unless_kept():
    docs = _docs(*SMALL)
    plain = collocates(docs, "Presse", by="token", window=1, min_count=1)
    kept = collocates(docs, "Presse", by="token", window=1, min_count=1, keep_stopwords=True)
    assert plain["collocate"].tolist() == ["schweigt"]
    assert sorted(kept["collocate"]) == ["Die", "schweigt"]
    # Stop words still fill window slots and count in n_total.
    assert plain["n_total"].iloc[0] == kept["n_total"].iloc[0] == 19


def test_lemma_collocates_and_multiword_node():
    docs = _docs("Die Freunde lachen. Der Freund lacht. Kim Jong Un lacht.")
    table = collocates(docs, "Freund", window=1, min_count=2)
    assert table[["collocate", "n_collocate_in_window", "n_collocate"]].values.tolist() == [["lachen", 2, 3]]
    node = collocates(docs, "Jong Un", by="token", window=1, min_count=1, measures=("pmi",))
    assert sorted(node["collocate"]) == ["Kim", "lacht"]
    assert node["n_node"].tolist() == [1, 1]


def test_nominal_window_larger_than_the_corpus_warns():
    with pytest.warns(UserWarning, match="window_size='actual'"):
        table = collocates(_docs("Putin lobt Kim."), "Putin", by="token", window=5, min_count=1)
    assert table["llr"].isna().all()


def test_collocate_errors():
    docs = _docs(*SMALL)
    for kwargs in ({"window": 0}, {"by": "word"}, {"measures": ("dice",)}, {"window_size": "exact"},
                   {"min_count": 0}, {"valuetype": "wildcard"}):
        with pytest.raises(ParameterError):
            collocates(docs, "Putin", **kwargs)
    with pytest.raises(ParameterError):
        collocates(docs, "")
    with pytest.raises(ParameterError):
        collocates(None, "Putin")


# ---------------------------------------------------------------------------------- expressions
# Sentences: Kim Jong Un lacht | Kim Jong Un weint | Kim Il Un schweigt | Xi Il Un lacht
# Bigram slots: 3 per sentence, 12 in all. Trigram slots: 2 per sentence, 8 in all.
NAMES = "Kim Jong Un lacht. Kim Jong Un weint. Kim Il Un schweigt. Xi Il Un lacht."


def test_bigram_and_trigram_scores_by_hand():
    table = find_multiword_expressions(tokenize(_docs(NAMES)), min_score=-math.inf).set_index("expression")
    # "Kim Jong": 2 times; bigrams starting with "Kim": 3; ending with "Jong": 2.
    assert table.loc["Kim Jong", "n"] == 2 and table.loc["Kim Jong", "length"] == 2
    assert table.loc["Kim Jong", "score"] == pytest.approx(g2(2, 3, 2, 12), abs=1e-9)
    # "Il Un": 2 times; bigrams starting with "Il": 2; ending with "Un": 4.
    assert table.loc["Il Un", "score"] == pytest.approx(g2(2, 2, 4, 12), abs=1e-9)
    # "Kim Jong Un" split as Kim | Jong Un: trigrams starting with Kim 3, ending with "Jong Un" 2;
    # split as Kim Jong | Un: starting with "Kim Jong" 2, ending with "Un" 4. The weaker joint counts.
    expected = min(g2(2, 3, 2, 8), g2(2, 2, 4, 8))
    assert table.loc["Kim Jong Un", "score"] == pytest.approx(expected, abs=1e-9)
    assert table.loc["Kim Jong Un", "length"] == 3
    pmi = find_multiword_expressions(tokenize(_docs(NAMES)), measure="pmi").set_index("expression")
    assert pmi.loc["Kim Jong", "score"] == pytest.approx(math.log2(2 / (3 * 2 / 12)), abs=1e-9)


def test_expressions_do_not_span_punctuation_but_keep_suspended_forms():
    tokens = tokenize(_docs("Kim, Jong lacht. Kim, Jong weint.", "Ein-, Aus- und Durchfuhr. Ein-, Aus- und Durchfuhr."))
    table = find_multiword_expressions(tokens, min_score=0)
    assert "Kim Jong" not in set(table["expression"]) and "Kim, Jong" not in set(table["expression"])
    assert "Ein-, Aus- und Durchfuhr" in set(table["expression"])
    # Sequences ending with a suspended form or beginning/ending with a stop word are dropped.
    assert not table["expression"].str.endswith("-").any()
    assert "und Durchfuhr" not in set(table["expression"])
    kept = find_multiword_expressions(tokens, min_score=0, keep_stopwords=True)
    assert "und Durchfuhr" in set(kept["expression"])


def test_bundled_corpus_expressions(bundled):
    _, tokens = bundled
    table = find_multiword_expressions(tokens, min_count=2).set_index("expression")
    # Counted in the articles: "Kim Jong Un" 4 + 2 times, "Staats- und Regierungschefs" 2 + 1 times.
    assert table.loc["Kim Jong Un", "n"] == 6
    assert table.loc["Staats- und Regierungschefs", "n"] == 3
    assert (table["n"] >= 2).all() and (table["score"] >= 10.83).all()
    assert set(table["length"]) <= {2, 3, 4}


# ---------------------------------------------------------------------------------- joining
def test_join_makes_one_token(bundled):
    documents, tokens = bundled
    joined = join_multiword_expressions(tokens, ["Kim Jong Un"], documents=documents)
    before = count_terms(tokens, by="token")
    after = count_terms(joined, by="token")
    assert after.term_totals()["Kim Jong Un"] == 6
    # "Jong" stands alone once more ("Putin und Jong Un unterhalten sich").
    assert before.term_totals()["Jong"] == 7 and after.term_totals()["Jong"] == 1
    # Decision: the joined expression is one running word, so each occurrence lowers the totals by 2.
    assert after.totals.sum() == before.totals.sum() - 6 * 2
    # Lemmas are joined too, so lemma counts see the same term.
    assert count_terms(joined).term_totals()["Kim Jong Un"] == 6
    # Every token is still its text slice; ids are renumbered; sentences are kept.
    texts = documents.set_index("doc_id")["text"]
    assert all(texts[d][s:e] == t for d, s, e, t in joined[["doc_id", "start", "end", "token"]].values)
    for _, part in joined.groupby("doc_id"):
        assert part["token_id"].tolist() == list(range(len(part)))
    assert list(joined.columns) == list(tokens.columns)


def test_join_details_on_a_small_text():
    text = "Putin traf Kim  Jong Un und die Staats- und Regierungschefs. Kim Jong Un lacht."
    tokens = tokenize(_docs(text))
    joined = join_multiword_expressions(tokens, ["Kim Jong", "Kim Jong Un", "Jong Un lacht",
                                                 "Staats- und Regierungschefs"])
    assert joined["token"].tolist() == [
        "Putin", "traf", "Kim  Jong Un", "und", "die", "Staats- und Regierungschefs", ".", "Kim Jong Un", "lacht", ".",
    ]
    row = joined.iloc[2]
    assert (row["start"], row["end"]) == (11, 23) and text[11:23] == "Kim  Jong Un"
    assert (row["kind"], row["is_stop"], row["lemma"], row["sentence_id"]) == ("word", False, "Kim Jong Un", 0)
    assert joined.iloc[5]["lemma"] == "Staats- und Regierungschef"
    assert joined["sentence_id"].tolist() == [0] * 7 + [1] * 3
    assert joined["token_id"].tolist() == list(range(10))
    assert join_multiword_expressions(tokens, ["Kim Jong Un"], separator="_").iloc[2]["lemma"] == "Kim_Jong_Un"


def test_join_with_the_finder_table_and_suspended_commas():
    tokens = tokenize(_docs("Die Ein-, Aus- und Durchfuhr stockt. Die Ein-, Aus- und Durchfuhr läuft."))
    found = find_multiword_expressions(tokens, min_score=0)
    joined = join_multiword_expressions(tokens, found[found["expression"] == "Ein-, Aus- und Durchfuhr"])
    assert joined["token"].tolist()[:3] == ["Die", "Ein-, Aus- und Durchfuhr", "stockt"]
    assert len(joined) == len(tokens) - 2 * 4


def test_join_errors():
    tokens = tokenize(_docs("Kim lacht."))
    with pytest.raises(ParameterError, match="two words"):
        join_multiword_expressions(tokens, ["Kim"])
    with pytest.raises(ParameterError):
        join_multiword_expressions(tokens, ["Kim lacht"], by="word")
    assert join_multiword_expressions(tokens, ["Putin lacht"])["token"].tolist() == ["Kim", "lacht", "."]


def test_collocations_command_per_group_partitions_the_corpus(tmp_path):
    from analysis.cli import main
    from analysis.pipeline import prepare_corpus

    from generated import write_corpus

    corpus = write_corpus(tmp_path / "corpus.csv", 300, seed=4)
    options = ["--corpus", str(corpus), "--cache-dir", str(tmp_path / "cache"), "--quiet", "--min-count", "1"]
    whole, groups = tmp_path / "whole.csv", tmp_path / "groups.csv"
    assert main(["collocations", "Putin", "Kim", "--out", str(whole), *options]) == 0
    assert main(["collocations", "Putin", "Kim", "--per-group", "--out", str(groups), *options]) == 0
    corpus_table, per_group = pd.read_csv(whole), pd.read_csv(groups)
    prepared = prepare_corpus(corpus, cache_dir=tmp_path / "cache", quiet=True)
    assert set(per_group["outlet"]) == set(prepared.metadata["outlet"]) and per_group["outlet"].nunique() >= 4
    # The outlets' positions and node occurrences add up to the corpus's.
    for node in ("Putin", "Kim"):
        mine = per_group[per_group["node"] == node].drop_duplicates("outlet")
        corpus_row = corpus_table[corpus_table["node"] == node].iloc[0]
        assert mine["n_total"].sum() == corpus_row["n_total"]
        assert mine["n_node"].sum() == corpus_row["n_node"]
    # A collocate's window count in the corpus is the sum over the outlets.
    pair = corpus_table.iloc[0]
    rows = per_group[(per_group["node"] == pair["node"]) & (per_group["collocate"] == pair["collocate"])]
    assert rows["n_collocate_in_window"].sum() == pair["n_collocate_in_window"]
    top = tmp_path / "top.csv"
    assert main(["collocations", "Putin", "--per-group", "--top", "3", "--out", str(top), *options]) == 0
    assert (pd.read_csv(top).groupby("outlet").size() <= 3).all()
