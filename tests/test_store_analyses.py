"""Every analysis that accepts ``tokens`` gives the same table from the token store as from the
tidy tokens table, on a generated corpus of several outlets."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats.counts import running_words
from analysis.framing.entities import find_mentions, load_registry
from analysis.framing.frames import frame_rates, load_starter_dictionary, match_dictionary
from analysis.stats.kwic import kwic
from analysis.framing.labels import attribute_labels, find_labels, load_labels
from analysis.pipeline import prepare_corpus
from analysis.framing.quotes import find_quotations, quotation_summary
from analysis.sentiment import score_persons
from analysis.framing.sources import find_reporting_verbs, reporting_verb_summary
from generated import write_corpus


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    path = write_corpus(tmp_path_factory.mktemp("store") / "corpus.csv", n=300, seed=11)
    prepared = prepare_corpus(path, cache=False, quiet=True)
    assert prepared.documents["outlet"].nunique() >= 4
    return prepared


@pytest.fixture(scope="module")
def table(prepared):
    return prepared.store.to_frame()


def test_running_words_of_the_store_and_of_the_table(prepared, table):
    from_store = running_words(prepared.store)
    expected = table[table["kind"].astype(str).isin(["word", "number"])].groupby("doc_id").size()
    assert from_store.reindex(expected.index).tolist() == expected.tolist()
    assert (from_store.drop(expected.index) == 0).all()


def test_quotations_and_verbs(prepared, table):
    docs = prepared.documents
    quotes = find_quotations(docs, tokens=prepared.store)
    pd.testing.assert_frame_equal(quotes, find_quotations(docs, tokens=table))
    assert len(quotes) > 100
    pd.testing.assert_frame_equal(quotation_summary(quotes, docs, tokens=prepared.store),
                                  quotation_summary(quotes, docs, tokens=table))
    verbs = find_reporting_verbs(docs, tokens=prepared.store)
    pd.testing.assert_frame_equal(verbs, find_reporting_verbs(docs, tokens=table))
    pd.testing.assert_frame_equal(reporting_verb_summary(verbs, docs, tokens=prepared.store),
                                  reporting_verb_summary(verbs, docs, tokens=table))


def test_frames(prepared, table):
    docs = prepared.documents
    dictionary = load_starter_dictionary()
    matches = match_dictionary(docs, dictionary, tokens=prepared.store)
    pd.testing.assert_frame_equal(matches, match_dictionary(docs, dictionary, tokens=table))
    pd.testing.assert_frame_equal(frame_rates(matches, docs, prepared.store), frame_rates(matches, docs, table))
    # A subset of the documents counts only their running words.
    part = docs[docs["outlet"] == docs["outlet"].iloc[0]]
    subset = matches[matches["doc_id"].isin(part["doc_id"])]
    pd.testing.assert_frame_equal(frame_rates(subset, part, prepared.store),
                                  frame_rates(subset, part, table[table["doc_id"].isin(part["doc_id"])]))


@pytest.mark.parametrize("pattern, valuetype", [("Putin*", "glob"), ("treffen", "lemma"), ("der Präsident", "glob"),
                                                (r"^[A-Z]\w+in$", "regex")])
def test_kwic(prepared, table, pattern, valuetype):
    docs = prepared.documents
    found = kwic(docs, pattern, tokens=prepared.store, valuetype=valuetype)
    pd.testing.assert_frame_equal(found, kwic(docs, pattern, tokens=table, valuetype=valuetype))
    part = docs.iloc[::5]
    pd.testing.assert_frame_equal(kwic(part, pattern, tokens=prepared.store, valuetype=valuetype),
                                  kwic(part, pattern, tokens=table[table["doc_id"].isin(part["doc_id"])],
                                       valuetype=valuetype))


def test_labels(prepared, table):
    docs = prepared.documents
    registry, labels = load_registry(), load_labels()
    pd.testing.assert_frame_equal(find_labels(docs, labels, tokens=prepared.store), find_labels(docs, labels, tokens=table))
    from_store = attribute_labels(docs, registry, labels, tokens=prepared.store, mentions=prepared.mentions)
    from_table = attribute_labels(docs, registry, labels, tokens=table, mentions=prepared.mentions)
    for a, b in zip(from_store, from_table):
        pd.testing.assert_frame_equal(a, b)
    # Without mentions, they are found on the store's tokens.
    for a, b in zip(attribute_labels(docs, registry, labels, tokens=prepared.store),
                    attribute_labels(docs, registry, labels, tokens=table)):
        pd.testing.assert_frame_equal(a, b)


def test_person_sentiment(prepared, table):
    mentions = find_mentions(prepared.documents, load_registry(), tokens=table)
    persons = mentions[mentions["type"] == "person"]
    from_store = score_persons(prepared.store, mentions=persons)
    pd.testing.assert_frame_equal(from_store, score_persons(table, mentions=persons), check_dtype=False)
    assert from_store["person"].nunique() >= 2
    by_pattern = score_persons(prepared.store, {"Putin": "Putin*"})
    pd.testing.assert_frame_equal(by_pattern, score_persons(table, {"Putin": "Putin*"}), check_dtype=False)


@pytest.mark.parametrize("piece", [1, 37, 1000])
def test_document_by_document_analyses_in_worker_processes_equal_one_call(prepared, piece):
    from analysis.store.executor import concat_parts, map_documents

    docs = prepared.documents
    registry, labels = load_registry(), load_labels()
    calls = [
        (find_quotations, {"tokens": prepared.store}),
        (match_dictionary, {"dictionary": load_starter_dictionary(), "tokens": prepared.store}),
        (find_reporting_verbs, {"tokens": prepared.store}),
        (attribute_labels, {"registry": registry, "labels": labels, "tokens": prepared.store,
                            "mentions": prepared.mentions}),
    ]
    for func, kwargs in calls:
        whole = func(docs, **kwargs)
        parts = map_documents(func, docs, jobs=2, piece_documents=piece, **kwargs)
        assert len(parts) == -(-len(docs) // piece)
        joined = concat_parts(parts)
        for expected, got in zip(whole if isinstance(whole, tuple) else (whole,),
                                 joined if isinstance(joined, tuple) else (joined,)):
            assert len(expected) > 20
            pd.testing.assert_frame_equal(got, expected, obj=func.__name__)


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_written_to_files_by_the_workers_equal_those_sent_back(prepared, jobs, tmp_path):
    # A tuple result of tables comes back as one file per table and part; joined position by
    # position it is the joined result of map_documents, and the files are gone afterwards.
    from analysis.store.executor import concat_part_files, concat_parts, map_documents, map_documents_to_files

    docs = prepared.documents
    kwargs = {"registry": load_registry(), "labels": load_labels(), "tokens": prepared.store,
              "mentions": prepared.mentions}
    expected = concat_parts(map_documents(attribute_labels, docs, jobs=jobs, piece_documents=1, **kwargs))
    files = map_documents_to_files(attribute_labels, docs, tmp_path, jobs=jobs, piece_documents=1, **kwargs)
    assert len(files) == (len(docs) if jobs > 1 else 1)
    assert all(isinstance(part, tuple) and len(part) == len(expected) for part in files)
    assert len(list(tmp_path.iterdir())) == len(files) * len(expected)
    joined = concat_part_files(files)
    assert list(tmp_path.iterdir()) == []
    for want, got in zip(expected, joined):
        assert len(want) > 20
        pd.testing.assert_frame_equal(got, want)


def test_map_documents_rejects_bad_jobs(prepared):
    from analysis.errors import ParameterError
    from analysis.store.executor import map_documents

    for jobs in (0, True, 1.5):
        with pytest.raises(ParameterError, match="jobs"):
            map_documents(len, prepared.metadata, jobs=jobs)


def test_find_mentions_on_the_store_equals_the_table(prepared, table):
    docs = prepared.documents
    registry = load_registry()
    expected = find_mentions(docs, registry, tokens=table)
    assert len(expected) > 50
    pd.testing.assert_frame_equal(find_mentions(docs, registry, tokens=prepared.store), expected, check_dtype=False)
    part = docs.iloc[::3]
    pd.testing.assert_frame_equal(find_mentions(part, registry, tokens=prepared.store),
                                  find_mentions(part, registry, tokens=table[table["doc_id"].isin(part["doc_id"])]),
                                  check_dtype=False)


def test_rank_stability_on_the_store_equals_the_table(prepared, table):
    from analysis.stats.robustness import rank_stability

    target = prepared.metadata["outlet"].value_counts().index[0]
    expected = rank_stability(table, prepared.documents, target, top=8)
    assert len(expected) >= 8
    pd.testing.assert_frame_equal(rank_stability(prepared.store, prepared.metadata, target, top=8), expected)


@pytest.mark.parametrize("by,node,valuetype", [("lemma", "Präsident*", "glob"), ("token", "die", "fixed"),
                                               ("stem", "sag*", "glob"), ("token", "Kim Jong Un", "glob")])
def test_collocates_on_the_store_equal_the_table(prepared, table, by, node, valuetype):
    from analysis.stats.collocations import collocates

    docs = prepared.documents
    expected = collocates(docs, node, tokens=table, by=by, valuetype=valuetype, window=3, min_count=1)
    assert len(expected) > 5
    pd.testing.assert_frame_equal(collocates(docs, node, tokens=prepared.store, by=by, valuetype=valuetype,
                                             window=3, min_count=1), expected)
    part = docs.iloc[::2]
    pd.testing.assert_frame_equal(
        collocates(part, node, tokens=prepared.store, by=by, valuetype=valuetype, window=3, min_count=1),
        collocates(part, node, tokens=table[table["doc_id"].isin(part["doc_id"])], by=by, valuetype=valuetype,
                   window=3, min_count=1))


def test_precomputed_masks_equal_the_index_masks(prepared):
    from analysis.store.match import StoreMasks, precompute_masks, store_index, type_masks
    from analysis.store.patterns import compile_pattern

    store = prepared.store
    patterns = [p for p, _ in load_labels().patterns] + [
        compile_pattern("^Putin", valuetype="regex"), compile_pattern("Kim", valuetype="fixed"),
        compile_pattern("Gipfel", valuetype="lemma"), compile_pattern("*chef", case_insensitive=False),
    ]
    expected = [[m.copy() for m in type_masks(p, store_index(store, p.column)[1])] for p in patterns]
    assert sum(int(m.sum()) for masks in expected for m in masks) > 15
    store.drop_caches()
    precompute_masks(store, patterns)
    assert not [k for k in store._cache if isinstance(k, str) and k.startswith("index:")]
    for pattern, want in zip(patterns, expected):
        got = StoreMasks(store, pattern.column).masks(pattern)
        assert len(got) == len(want)
        for a, b in zip(got, want):
            np.testing.assert_array_equal(a, b)
    store.drop_caches()


@pytest.mark.parametrize("part_tokens", [1, 5_000])
def test_kwic_and_frames_read_the_store_part_by_part(prepared, monkeypatch, part_tokens):
    import analysis.stats.kwic as kwic_module

    docs = prepared.documents
    patterns = ["Putin*", "beste* Freund*", "Diktator"]
    whole = kwic(docs, patterns, tokens=prepared.store, window=3)
    frames = match_dictionary(docs, load_starter_dictionary(), tokens=prepared.store)
    assert len(whole) > 20 and len(frames) > 20
    monkeypatch.setattr(kwic_module, "PART_TOKENS", part_tokens)
    assert len(kwic_module._document_parts(prepared.store, pd.Index(docs["doc_id"]))) > 3
    pd.testing.assert_frame_equal(kwic(docs, patterns, tokens=prepared.store, window=3), whole)
    pd.testing.assert_frame_equal(match_dictionary(docs, load_starter_dictionary(), tokens=prepared.store), frames)
    spans = kwic(docs, patterns, tokens=prepared.store, contexts=False)
    pd.testing.assert_frame_equal(spans, whole.drop(columns=["left", "right", "sentence"]))


def test_describe_corpus_from_the_store_and_from_the_table(prepared, table):
    from analysis.stats.describe import describe_corpus

    from_store = describe_corpus(prepared.metadata, prepared.store, group="event")
    pd.testing.assert_frame_equal(from_store, describe_corpus(prepared.metadata, table, group="event"))
    # Independent of both: the documents per event, and every token counted once.
    assert from_store.set_index("event")["documents"].to_dict() == prepared.metadata["event"].value_counts().to_dict()
    assert from_store["tokens"].sum() == prepared.store.n_tokens
