"""Same input, same tables: every step of the pipeline is deterministic."""

import pandas as pd

from analysis.stats.keyness import keyness_all
from analysis.pipeline import prepare_corpus
from analysis.stats.robustness import rank_stability
from analysis.stats.tfidf import tfidf


def test_same_corpus_same_tables():
    first, second = prepare_corpus(), prepare_corpus()
    for name in ("documents", "ledger", "audit", "tokens"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)
    assert (first.doc_counts.matrix != second.doc_counts.matrix).nnz == 0
    assert first.doc_counts.terms.equals(second.doc_counts.terms)
    pd.testing.assert_frame_equal(tfidf(first.group_counts), tfidf(second.group_counts))
    pd.testing.assert_frame_equal(keyness_all(first.group_counts), keyness_all(second.group_counts))
    pd.testing.assert_frame_equal(
        rank_stability(first.tokens, first.documents, "CNN-based"),
        rank_stability(second.tokens, second.documents, "CNN-based"),
    )
    assert first.colors == second.colors
