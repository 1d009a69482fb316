"""Count matrices: hand-worked expectations on small tokens tables."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats.counts import CountMatrix, count_terms, group_counts
from analysis.errors import ParameterError


def _tokens():
    # d1: "Die beiden Diktatoren lachen . 2024"   d2: "Beste Freunde lachen"   d3: (no tokens)
    rows = [
        ("d1", "Die", "die", "die", "word", True),
        ("d1", "beiden", "beide", "beid", "word", True),
        ("d1", "Diktatoren", "Diktator", "diktator", "word", False),
        ("d1", "lachen", "lachen", "lach", "word", False),
        ("d1", ".", ".", ".", "punct", False),
        ("d1", "2024", "2024", "2024", "number", False),
        ("d2", "Beste", "gut", "best", "word", False),
        ("d2", "Freunde", "Freund", "freund", "word", False),
        ("d2", "lachen", "lachen", "lach", "word", False),
    ]
    return pd.DataFrame(rows, columns=["doc_id", "token", "lemma", "stem", "kind", "is_stop"])


def _documents():
    return pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "outlet": ["CNN-based", "AFP-based", "AFP-based"]})


def test_lemma_counts_and_running_word_totals():
    counts = count_terms(_tokens(), by="lemma")
    assert list(counts.rows) == ["d1", "d2"]
    assert list(counts.terms) == ["Diktator", "Freund", "gut", "lachen"]
    dense = counts.matrix.toarray()
    assert dense.tolist() == [[1, 0, 0, 1], [0, 1, 1, 1]]
    # Running words: d1 has 4 words + 1 number (punctuation excluded); d2 has 3 words.
    assert counts.totals.to_dict() == {"d1": 5, "d2": 3}


def test_documents_give_every_document_a_row_even_without_tokens():
    counts = count_terms(_tokens(), documents=_documents(), by="token")
    assert list(counts.rows) == ["d1", "d2", "d3"]
    assert counts.totals["d3"] == 0
    assert counts.matrix.toarray()[2].sum() == 0


def test_options_stopwords_numbers_lowercase():
    counts = count_terms(_tokens(), by="token", keep_stopwords=True, keep_numbers=True, lowercase=True)
    assert "die" in counts.terms and "2024" in counts.terms and "beste" in counts.terms
    assert counts.totals.to_dict() == {"d1": 5, "d2": 3}


def test_stems():
    counts = count_terms(_tokens(), by="stem")
    assert list(counts.terms) == ["best", "diktator", "freund", "lach"]
    assert counts.term_totals()["lach"] == 2


def test_group_counts_sum_rows_and_totals():
    counts = count_terms(_tokens(), documents=_documents(), by="lemma")
    grouped = group_counts(counts, _documents(), group="outlet")
    assert list(grouped.rows) == ["AFP-based", "CNN-based"]
    assert grouped.rows.name == "outlet"
    frame = grouped.to_frame()
    assert frame.to_dict("records") == [
        {"outlet": "AFP-based", "term": "Freund", "count": 1},
        {"outlet": "AFP-based", "term": "gut", "count": 1},
        {"outlet": "AFP-based", "term": "lachen", "count": 1},
        {"outlet": "CNN-based", "term": "Diktator", "count": 1},
        {"outlet": "CNN-based", "term": "lachen", "count": 1},
    ]
    assert grouped.totals.to_dict() == {"AFP-based": 3, "CNN-based": 5}


def test_filter_terms_keeps_totals():
    counts = count_terms(_tokens(), by="lemma")
    filtered = counts.filter_terms(min_count=2)
    assert list(filtered.terms) == ["lachen"]
    assert filtered.totals.equals(counts.totals)
    assert list(counts.filter_terms(terms=["Freund"]).terms) == ["Freund"]


def test_errors_name_the_problem():
    with pytest.raises(ParameterError, match="by='words'"):
        count_terms(_tokens(), by="words")
    with pytest.raises(ParameterError, match="'lemma'"):
        count_terms(_tokens().drop(columns="lemma"))
    with pytest.raises(ParameterError, match="'party'"):
        group_counts(count_terms(_tokens()), _documents(), group="party")
    with pytest.raises(ParameterError, match="doc_ids not in the documents"):
        count_terms(_tokens(), documents=_documents().iloc[:1])


def test_count_matrix_checks_its_shape():
    with pytest.raises(ParameterError, match="does not match"):
        CountMatrix(
            matrix=__import__("scipy").sparse.csr_matrix(np.zeros((2, 2))),
            rows=pd.Index(["a"]),
            terms=pd.Index(["x", "y"]),
            totals=pd.Series([1], index=pd.Index(["a"])),
        )
