"""--where: a prepared corpus restricted to some documents equals the corpus of those documents alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import ParameterError
from analysis.pipeline import prepare_corpus

from generated import generated_corpus

QUERY = "event in ['ereignis-2', 'ereignis-5'] and date >= '2024-06-15'"


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    folder = tmp_path_factory.mktemp("where")
    table = generated_corpus(300, seed=21)
    table.to_csv(folder / "all.csv", index=False)
    chosen = table.query(QUERY)
    chosen.to_csv(folder / "chosen.csv", index=False)
    whole = prepare_corpus(folder / "all.csv", cache=False, jobs=1, quiet=True)
    return whole, whole.where(QUERY), prepare_corpus(folder / "chosen.csv", cache=False, jobs=1, quiet=True), chosen


def test_the_documents_are_those_the_query_picks(corpora):
    whole, part, alone, chosen = corpora
    assert 20 < len(part.metadata) < len(whole.metadata)
    assert part.metadata["doc_id"].tolist() == chosen["doc_id"].tolist() == alone.metadata["doc_id"].tolist()
    assert part.query == QUERY and f"--where {QUERY}" in part.summary()
    assert part.documents["text"].tolist() == alone.documents["text"].tolist()
    parts = list(part.iter_documents(7))
    assert pd.concat(parts)["doc_id"].tolist() == chosen["doc_id"].tolist() and all(len(p) for p in parts)
    assert len(part.ledger) == len(whole.ledger)  # the ledger accounts for the whole input
    assert part.colors == whole.colors  # every outlet keeps its colour


def test_tokens_mentions_and_counts_equal_those_of_the_documents_alone(corpora):
    _, part, alone, _ = corpora
    pd.testing.assert_frame_equal(part.store.to_frame(), alone.store.to_frame())
    columns = ["doc_id", "sentence_id", "start", "end", "entity", "form"]
    pd.testing.assert_frame_equal(part.mentions[columns].astype(str), alone.mentions[columns].astype(str))
    for mine, theirs in zip(part.mention_tokens, alone.mention_tokens):
        assert np.array_equal(mine, theirs)  # the same documents in the same order: the same token indices
    for name in ("doc_counts", "group_counts"):
        mine, theirs = getattr(part, name).to_frame(), getattr(alone, name).to_frame()
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), theirs.reset_index(drop=True))
        assert getattr(part, name).totals.tolist() == getattr(alone, name).totals.tolist()
    assert part.audit[["doc_id", "rule"]].values.tolist() == alone.audit[["doc_id", "rule"]].values.tolist()
    pd.testing.assert_frame_equal(part.sentence_sentiment.reset_index(drop=True),
                                  alone.sentence_sentiment.reset_index(drop=True))


def test_where_twice_combines_both():
    prepared = prepare_corpus(cache=False, jobs=1, quiet=True)
    with pytest.raises(ParameterError, match="matches no document"):
        prepared.where("outlet == 'AFP-based'").where("outlet == 'CNN-based'")


@pytest.mark.parametrize("query, message", [
    ("sender == 'x'", "no column 'sender'"),
    ("outlet == ", "cannot be read"),
    ("outlet == 'Nirgendwo'", "matches no document"),
    ("", "must be a query expression"),
])
def test_bad_queries_say_what_to_do(query, message):
    prepared = prepare_corpus(cache=False, jobs=1, quiet=True)
    with pytest.raises(ParameterError, match=message):
        prepared.where(query)


def test_the_command_line_option(tmp_path, capsys):
    out = tmp_path / "frequency.csv"
    assert main(["frequency", "--where", "outlet == 'CNN-based'", "--top", "3", "--out", str(out),
                 "--cache-dir", str(tmp_path / "cache"), "--quiet"]) == 0
    assert set(pd.read_csv(out)["outlet"]) == {"CNN-based"}
    assert "--where outlet == 'CNN-based'" in capsys.readouterr().err
    assert main(["frequency", "--where", "sender == 'x'", "--cache-dir", str(tmp_path / "cache"), "--quiet"]) != 0
    assert "no column 'sender'" in capsys.readouterr().err
