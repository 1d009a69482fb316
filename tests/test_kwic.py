"""Keyword in context: matches found by reading the bundled articles and hand-written texts."""

import doctest
import importlib

import pandas as pd
import pytest

from analysis.clean import clean_corpus
from analysis.io.corpus import load_bundled_corpus
from analysis.errors import ParameterError
from analysis.stats.kwic import compile_pattern, format_kwic, kwic, kwic_html
from analysis.text import tokenize

kwic_module = importlib.import_module("analysis.stats.kwic")  # the package attribute `kwic` is the function

AFP = "000_f72946cf7d7e84f3"
CNN = "001_06388abdcad2d3b3"
COLUMNS = ["doc_id", "outlet", "sentence_id", "start", "end", "left", "match", "right", "sentence", "pattern"]


@pytest.fixture(scope="module")
def bundled():
    documents, _ = clean_corpus(load_bundled_corpus())
    return documents, tokenize(documents)


def _docs(*texts):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "outlet": "X", "text": list(texts)})


def test_doctests():
    assert doctest.testmod(kwic_module).failed == 0


# ---------------------------------------------------------------------------------- bundled corpus
def test_diktator_only_in_the_cnn_article(bundled):
    documents, tokens = bundled
    table = kwic(documents, "Diktator*", tokens=tokens)
    assert list(table.columns) == COLUMNS
    assert len(table) == 1
    row = table.iloc[0]
    assert row["doc_id"] == CNN and row["outlet"] == "CNN-based"
    assert row["match"] == "Diktatoren"
    assert "die beiden Diktatoren" in f"{row['left']} {row['match']} {row['right']}"
    assert (table["doc_id"] != AFP).all()


def test_beste_freunde_only_in_the_afp_article(bundled):
    documents, tokens = bundled
    table = kwic(documents, "beste* Freund*", tokens=tokens)
    assert table["match"].tolist() == ["beste Freunde", "besten Freund"]
    assert set(table["doc_id"]) == {AFP}
    # The quotation marks are outside the match, next to it in the contexts.
    assert table["left"].str.endswith("„").all()
    assert table["right"].str.startswith("“").all()


def test_tokenizing_inside_gives_the_same_table(bundled):
    documents, tokens = bundled
    pd.testing.assert_frame_equal(kwic(documents, "beste* Freund*"), kwic(documents, "beste* Freund*", tokens=tokens))


def test_fixed_multiword_kim_jong_un(bundled):
    documents, tokens = bundled
    table = kwic(documents, "Kim Jong Un", valuetype="fixed", tokens=tokens)
    # Read in the articles: four times in the AFP text, twice in the CNN text; "Kim Jong-un" in the
    # AFP title is one token and "J.ong Un" is not the name.
    assert table["doc_id"].tolist() == [AFP] * 4 + [CNN] * 2
    assert set(table["match"]) == {"Kim Jong Un"}
    assert kwic(documents, "Diktator*", valuetype="fixed", tokens=tokens).empty  # no wildcard in fixed


def test_match_is_the_text_slice_and_lies_in_its_sentence(bundled):
    documents, tokens = bundled
    table = kwic(documents, ["Putin*", "Kim Jong Un", "Staats- und Regierungschef*"], tokens=tokens)
    texts = documents.set_index("doc_id")["text"]
    for row in table.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.match
        assert row.match in row.sentence
    # Document order, then offset.
    assert table["doc_id"].tolist() == sorted(table["doc_id"])
    for _, part in table.groupby("doc_id"):
        assert part["start"].is_monotonic_increasing
    assert set(table["pattern"]) == {"Putin*", "Kim Jong Un", "Staats- und Regierungschef*"}


# ---------------------------------------------------------------------------------- value types
def test_lemma_valuetype_matches_all_forms():
    table = kwic(_docs("Die Freunde halfen ihren Freunden und dem Freund. Freundschaft zählt."), "Freund",
                 valuetype="lemma")
    assert table["match"].tolist() == ["Freunde", "Freunden", "Freund"]


def test_glob_wildcards():
    docs = _docs("Der Kremlchef und der Staatschef, Putins Putinismus. Staats- und Regierungschefs, Staatsfeind.")
    assert kwic(docs, "*chef")["match"].tolist() == ["Kremlchef", "Staatschef"]
    assert kwic(docs, "Staats?")["match"].tolist() == ["Staats-"]
    assert kwic(docs, "staats*")["match"].tolist() == ["Staatschef", "Staats-", "Staatsfeind"]
    assert kwic(docs, "staats*", case_insensitive=False).empty


def test_regex_is_searched_in_each_token():
    docs = _docs("Der Kremlchef und der Staatschef, Putins Putinismus. Putin schweigt.")
    assert kwic(docs, "^Putins?$", valuetype="regex")["match"].tolist() == ["Putins", "Putin"]
    assert kwic(docs, "chef", valuetype="regex")["match"].tolist() == ["Kremlchef", "Staatschef"]
    assert kwic(docs, r"^Putin\w* schw", valuetype="regex")["match"].tolist() == ["Putin schweigt"]


def test_several_patterns_and_the_pattern_column():
    docs = _docs("Kim lobt Putin.", "Putin lobt Kim.")
    table = kwic(docs, ["Putin", "Kim"])
    assert table[["doc_id", "match", "pattern"]].values.tolist() == [
        ["d0", "Kim", "Kim"], ["d0", "Putin", "Putin"], ["d1", "Putin", "Putin"], ["d1", "Kim", "Kim"],
    ]
    compiled = compile_pattern("Freund", valuetype="lemma")
    assert kwic(_docs("Gute Freunde."), [compiled])["pattern"].tolist() == ["Freund"]


# ---------------------------------------------------------------------------------- multi-word rules
def test_punctuation_inside_a_multiword_match_is_kept_verbatim():
    table = kwic(_docs("Die „besten“ Freunde!"), "beste* Freund*")
    assert table["match"].tolist() == ["besten“ Freunde"]
    assert table[["start", "end"]].values.tolist() == [[5, 20]]


def test_no_match_across_sentences_or_lines():
    docs = _docs("Er ist der beste. Freunde hat er nicht.", "Die besten\nFreunde.", "Sie sind beste Freunde.")
    table = kwic(docs, "beste* Freund*")
    assert table["doc_id"].tolist() == ["d2"]


# ---------------------------------------------------------------------------------- windows
TEXT = "Kim sagte gestern: „Putin ist mein bester Freund.“ Danach lachten beide laut."


def _contexts(**kwargs):
    table = kwic(_docs(TEXT), "Putin", **kwargs)
    assert len(table) == 1
    return table.iloc[0]["left"], table.iloc[0]["right"]


def test_window_counts_tokens_but_not_punctuation():
    # Left of "Putin": "gestern" (1), "sagte" (2); ":" and "„" are not counted but shown.
    assert _contexts(window=2) == ("sagte gestern: „", "ist mein")
    assert _contexts(window=1) == ("gestern: „", "ist")
    # Right: ist, mein, bester, Freund, Danach, lachten: the window may leave the sentence.
    assert _contexts(window=6) == ("Kim sagte gestern: „", "ist mein bester Freund.“ Danach lachten")
    assert _contexts(window=0) == ("", "")


def test_window_runs_to_the_document_edge():
    assert _contexts(window=50) == ("Kim sagte gestern: „", "ist mein bester Freund.“ Danach lachten beide laut.")


def test_sentence_context():
    table = kwic(_docs(TEXT), "Putin", context="sentence")
    row = table.iloc[0]
    assert (row["left"], row["right"]) == ("Kim sagte gestern: „", "ist mein bester Freund.“")
    assert row["sentence"] == "Kim sagte gestern: „Putin ist mein bester Freund.“"
    assert row["sentence_id"] == 0
    second = kwic(_docs(TEXT), "lachten", context="sentence").iloc[0]
    assert (second["left"], second["right"], second["sentence_id"]) == ("Danach", "beide laut.", 1)


# ---------------------------------------------------------------------------------- tables
def test_empty_result_has_the_columns():
    table = kwic(_docs("Kim lacht."), "Diktator*")
    assert table.empty and list(table.columns) == COLUMNS
    no_outlet = kwic(_docs("Kim lacht.").drop(columns="outlet"), "Diktator*")
    assert list(no_outlet.columns) == [c for c in COLUMNS if c != "outlet"]
    assert "outlet" not in kwic(_docs("Kim lacht."), "Kim", group=None).columns


def test_tokens_of_other_texts_are_refused(bundled):
    documents, _ = bundled
    raw_tokens = tokenize(documents, text_column="raw_text")
    with pytest.raises(ParameterError, match="do not fit"):
        kwic(documents, "Putin", tokens=raw_tokens)


def test_format_kwic_aligns_the_match():
    docs = _docs("Kim nannte Putin seinen besten Freund.", "Putin lacht.")
    table = kwic(docs, "Putin", window=3)
    lines = format_kwic(table, width=20, label=None).split("\n")
    assert len(lines) == 2
    assert lines[0] == "          Kim nannte  Putin  seinen besten Freund"
    assert lines[1] == "                      Putin  lacht."
    assert all(line[22:27] == "Putin" for line in lines)
    # A long left context is cut at the front and marked.
    long = format_kwic(kwic(_docs(TEXT), "Freund", window=10), width=12, label=None)
    assert long.index("Freund") == 14 and long.startswith("…")
    assert format_kwic(table.iloc[:0]) == ""
    # With an outlet column, each line starts with the outlet, padded to the longest name.
    labelled = format_kwic(table.assign(outlet=["AFP-based", "X"]), width=20).split("\n")
    assert labelled[0].startswith("AFP-based  ") and labelled[1].startswith("X          ")
    assert all(line[33:38] == "Putin" for line in labelled)


def test_kwic_html_escapes_everything():
    docs = _docs("Der Text <script>alert(1)</script> nennt Putin einen Diktator & Autokraten.")
    page = kwic_html(kwic(docs, "Diktator", context="sentence"))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Diktator</b>" in page and "&amp; Autokraten." in page


# ---------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("pattern", ["", "   ", []])
def test_empty_pattern(pattern):
    with pytest.raises(ParameterError):
        kwic(_docs("Kim lacht."), pattern)


def test_parameter_errors():
    docs = _docs("Kim lacht.")
    with pytest.raises(ParameterError, match="valuetype"):
        kwic(docs, "Kim", valuetype="wildcard")
    with pytest.raises(ParameterError, match="window"):
        kwic(docs, "Kim", window=-1)
    with pytest.raises(ParameterError, match="text"):
        kwic(docs.drop(columns="text"), "Kim")
    with pytest.raises(ParameterError, match="regular expression"):
        kwic(docs, "Kim(", valuetype="regex")
    with pytest.raises(ParameterError, match="context"):
        kwic(docs, "Kim", context="paragraph")
    with pytest.raises(ParameterError):
        compile_pattern(None)
