"""Person sentences and outlet aggregation with bootstrap intervals."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.sentiment import aggregate_sentiment, person_sentences, score_persons, score_sentences
from analysis.text import tokenize

LEX = {"loben": 1.0, "gut": 1.0, "Krieg": -1.0, "schlecht": -1.0}
DOCS = pd.DataFrame(
    {
        "doc_id": ["a", "b"],
        "outlet": ["AFP-based", "CNN-based"],
        "text": [
            "Putin lobte Kim. Der Krieg ist schlecht. Wladimir Putin sprach.",
            "Kim Jong Un kam. Das Treffen mit Putin war gut.",
        ],
    }
)
PERSONS = {"Putin": ["Putin*", "Wladimir Putin"], "Kim": "Kim"}


@pytest.fixture(scope="module")
def tokens():
    return tokenize(DOCS)


def test_person_sentences_from_patterns(tokens):
    table = person_sentences(tokens, PERSONS)
    assert table.values.tolist() == [
        ["a", 0, "Putin"], ["a", 0, "Kim"], ["a", 2, "Putin"], ["b", 0, "Kim"], ["b", 1, "Putin"],
    ]


def test_person_sentences_from_a_mentions_table(tokens):
    mentions = pd.DataFrame({"doc_id": ["a", "a", "b"], "sentence_id": [1, 1, 0], "entity": ["Q1", "Q1", "Q2"]})
    assert person_sentences(tokens, mentions=mentions).values.tolist() == [["a", 1, "Q1"], ["b", 0, "Q2"]]
    with pytest.raises(ParameterError):
        person_sentences(tokens, PERSONS, mentions=mentions)
    with pytest.raises(ParameterError):
        person_sentences(tokens)
    with pytest.raises(ParameterError):
        person_sentences(tokens, mentions=mentions.drop(columns="entity"))


def test_score_persons_uses_the_whole_sentence_score(tokens):
    table = score_persons(tokens, PERSONS, lexicon=LEX)
    sentences = score_sentences(tokens, LEX).set_index(["doc_id", "sentence_id"])["score"]
    for row in table.itertuples():
        assert row.score == sentences[(row.doc_id, row.sentence_id)]
    putin = table[table.person == "Putin"]
    assert putin["score"].tolist() == [1.0, 0.0, 1.0]


def test_aggregate_mean_interval_and_determinism():
    rng = np.random.default_rng(3)
    scores = pd.DataFrame({"doc_id": ["a"] * 60 + ["b"] * 40, "score": rng.normal(0, 1, 100)})
    # One article per outlet: the sentences are resampled (the default, articles, has one to draw).
    first = aggregate_sentiment(scores, DOCS, n_boot=500, seed=7, unit="sentence")
    again = aggregate_sentiment(scores, DOCS, n_boot=500, seed=7, unit="sentence")
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == ["outlet", "n", "n_documents", "mean", "ci_low", "ci_high", "coverage"]
    assert first["n"].tolist() == [60, 40]
    assert np.allclose(first["mean"], [scores.score[:60].mean(), scores.score[60:].mean()])
    assert (first["ci_low"] < first["mean"]).all() and (first["mean"] < first["ci_high"]).all()
    # roughly the normal-theory width
    width = (first["ci_high"] - first["ci_low"]).iloc[0]
    assert 0.6 * 3.92 / math.sqrt(60) < width < 1.4 * 3.92 / math.sqrt(60)


def test_aggregate_single_units_and_document_bootstrap():
    scores = pd.DataFrame({"doc_id": ["a", "a", "b"], "score": [1.0, 3.0, -1.0]})
    table = aggregate_sentiment(scores, DOCS, n_boot=100, unit="sentence")
    assert math.isnan(table.loc[1, "ci_low"]) and table.loc[1, "mean"] == -1.0
    by_doc = aggregate_sentiment(scores, DOCS, n_boot=100)  # the default: articles
    assert by_doc["n_documents"].tolist() == [1, 1]
    assert by_doc["ci_low"].isna().all()  # one article per outlet: no article-level interval
    assert by_doc.attrs["unit"] == "document"


def test_the_default_interval_resamples_articles_and_agrees_with_scipy():
    from scipy import stats

    # 30 articles in one outlet; the sentences of an article share its tone.
    rng = np.random.default_rng(11)
    tone = rng.normal(0, 1, 30)
    sizes = rng.integers(2, 12, 30)
    doc_ids = np.repeat([f"d{i}" for i in range(30)], sizes)
    scores = pd.DataFrame({"doc_id": doc_ids, "score": np.repeat(tone, sizes) + rng.normal(0, 0.2, sizes.sum())})
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(30)], "outlet": "X"})
    table = aggregate_sentiment(scores, docs, n_boot=20_000, seed=1)
    assert table.attrs["unit"] == "document"
    per_doc = scores.groupby("doc_id", sort=True)["score"].agg(["sum", "count"])

    def mean(total, count, axis=-1):
        return total.sum(axis=axis) / count.sum(axis=axis)

    reference = stats.bootstrap((per_doc["sum"].to_numpy(), per_doc["count"].to_numpy()), mean, paired=True,
                                vectorized=True, n_resamples=20_000, method="percentile",
                                random_state=np.random.default_rng(2)).confidence_interval
    assert table.loc[0, "ci_low"] == pytest.approx(reference.low, abs=0.03)
    assert table.loc[0, "ci_high"] == pytest.approx(reference.high, abs=0.03)
    # Sentences resampled one by one give the too-narrow interval of independent draws.
    by_sentence = aggregate_sentiment(scores, docs, n_boot=2000, seed=1, unit="sentence")
    assert (by_sentence.loc[0, "ci_high"] - by_sentence.loc[0, "ci_low"]) < 0.6 * (
        table.loc[0, "ci_high"] - table.loc[0, "ci_low"])


def test_aggregate_by_outlet_and_person_with_coverage(tokens):
    persons = score_persons(tokens, PERSONS, lexicon=LEX)
    table = aggregate_sentiment(persons, DOCS, group=["outlet", "person"], n_boot=100)
    assert table[["outlet", "person", "n"]].values.tolist() == [
        ["AFP-based", "Kim", 1], ["AFP-based", "Putin", 2], ["CNN-based", "Kim", 1], ["CNN-based", "Putin", 1],
    ]
    assert table["coverage"].between(0, 1).all()


def test_aggregate_errors():
    scores = pd.DataFrame({"doc_id": ["a", "zzz"], "score": [1.0, 2.0]})
    with pytest.raises(ParameterError, match="not in the documents"):
        aggregate_sentiment(scores, DOCS)
    with pytest.raises(ParameterError):
        aggregate_sentiment(scores.iloc[:1], DOCS, group="section")
    with pytest.raises(ParameterError):
        aggregate_sentiment(scores.iloc[:1], DOCS, n_boot=0)
    with pytest.raises(ParameterError):
        aggregate_sentiment(scores.iloc[:1], DOCS, unit="word")
    with pytest.raises(ParameterError):
        aggregate_sentiment(scores.iloc[:1], DOCS, level=95)
