"""The token store, its preparation in chunks and workers, the matching engine and the cache.

Each array-based result is checked against an independent computation: the token-by-token
reference scanner, the tidy-table functions (``tokenize``, ``find_mentions``,
``canonical_tokens`` + ``count_terms``) and a per-type test of every pattern.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.io import corpus as corpus_module
from analysis.clean import clean_corpus
from analysis.io.corpus import load_corpus
from analysis.stats.counts import count_terms
from analysis.framing.entities import canonical_tokens, find_mentions, load_registry, store_mentions
from analysis.errors import ParameterError
from analysis.store.patterns import _part_tests
from analysis.pipeline import prepare_corpus
from analysis.store import TokenStore, prepare_store
from analysis.store.cache import cache_root
from analysis.store.counting import count_store
from analysis.store.executor import make_executor
from analysis.store.match import VocabularyIndex
import analysis.text as text_module
from analysis.text import _scan, _sentence_ids, scan_texts, tokenize

from generated import generated_corpus, write_corpus

ROOT = Path(__file__).resolve().parents[1]

PIECES = [
    "Putin", "Kim Jong Un", "z. B.", "u.a.", "bzw.", "J. R. R.", "am 19. Juni", "20.", "1.000", "3,5",
    "„", "“", "»", "«", "‚", "‘", '"', "'", "(", ")", "[", "]", "...", "…", "!", "?", ".", ",", ":",
    "Staats-", " und ", "-ausfuhr", "geht's", "www.x.de/a", "info@x.de", "spiegel.de", "e\u0301",
    "\n", "\n\n", " ", "  ", "\t", "\u00a0", "Geschenke.Dies", "Tag.", "A.", "ÄÖÜß", "🙂", "😀🏽", "2024-2025",
    "im Februar 2022. Sie", "der 2. Weltkrieg", "seinem 70. Geburtstag", "x", "ein", "Der",
]


def _reference(text: str):
    texts, starts, ends, kinds = _scan(text)
    return texts, starts, ends, _sentence_ids(text, texts, starts, ends, kinds)


def _batch_docs(batch):
    out, position = [], 0
    for count in batch.counts.tolist():
        ids = batch.type_ids[position : position + count]
        out.append(([batch.forms[i] for i in ids], batch.starts[position : position + count].tolist(),
                    batch.ends[position : position + count].tolist(),
                    batch.sentence_ids[position : position + count].tolist()))
        position += count
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=25).map("".join), min_size=1, max_size=6))
def test_batch_scanner_agrees_with_the_token_by_token_scanner(texts):
    expected = [_reference(t) for t in texts]
    got = _batch_docs(scan_texts(texts))
    assert [tuple(map(list, e)) for e in expected] == [tuple(map(list, g)) for g in got]


_HYPHENATED = PIECES + ["-", "\u2010", "\u2011", "Ein", "oder", " oder ", "/", ", ", "bzw.", " \n", "\u2028",
                       "-und", "Nord-", "- ", " -", "10-", "\u200d", "'s"]


def _whole_text_split(text):
    """Tokens, offsets and the white space before each token from one split of the whole text."""
    parts = text_module._SPLIT_RE.split(text)
    forms, gaps = parts[1::2], parts[0:-1:2]
    starts, ends, position = [], [], 0
    for gap, form in zip(gaps, forms):
        position += len(gap)
        starts.append(position)
        position += len(form)
        ends.append(position)
    return forms, starts, ends, [len(g) for g in gaps], [bool(text_module._LINE_BREAK_RE.search(g)) for g in gaps]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_HYPHENATED), max_size=25).map("".join), min_size=1, max_size=6),
       st.sampled_from([200_000, 3]))
def test_chunked_split_agrees_with_the_whole_text_split(texts, memo_size):
    old = text_module._CHUNK_MEMO_SIZE
    text_module._CHUNK_MEMO_SIZE = memo_size  # 3: the memo is emptied over and over
    try:
        for _ in range(2):  # the second time from the memo
            split = text_module._split_batch(texts, list(range(len(texts))))
            position = 0
            for number, text in enumerate(texts):
                count = int(split.counts[number])
                rows = slice(position, position + count)
                got = ([split.vocabulary[c] for c in split.codes[rows]], split.starts[rows].tolist(),
                       split.ends[rows].tolist(), split.gap_len[rows].tolist(), split.line_break[rows].tolist())
                expected = _whole_text_split(text)
                assert got == tuple(expected)
                position += count
    finally:
        text_module._CHUNK_MEMO_SIZE = old


def test_batch_scanner_on_a_generated_corpus():
    texts = generated_corpus(400, seed=3)["text"].tolist()
    assert _batch_docs(scan_texts(texts)) == [tuple(map(list, _reference(t))) for t in texts]


@pytest.fixture(scope="module")
def generated():
    documents = generated_corpus(300, seed=1)
    cleaned, audit = clean_corpus(documents)
    return documents, cleaned, audit


def test_store_table_is_the_tokens_table(generated):
    _, cleaned, _ = generated
    store = TokenStore.from_texts(cleaned["doc_id"], cleaned["text"])
    tokens = tokenize(cleaned)
    frame = store.to_frame()
    for column in tokens.columns:
        assert frame[column].astype(str).tolist() == tokens[column].astype(str).tolist(), column
    # A subset, in the order asked for.
    wanted = ["g0007", "g0002"]
    subset = store.to_frame(wanted)
    expected = pd.concat([tokens[tokens["doc_id"] == d] for d in wanted])
    assert subset["token"].tolist() == expected["token"].tolist()
    assert subset["token_id"].tolist() == expected["token_id"].tolist()
    # Every form is held once, and every token's text is the slice of the document it names.
    assert store.vocabulary["form"].is_unique
    texts = dict(zip(cleaned["doc_id"], cleaned["text"]))
    sample = frame.sample(500, random_state=0)
    assert all(texts[d][s:e] == t for d, s, e, t in zip(sample["doc_id"], sample["start"], sample["end"], sample["token"]))


def test_store_mentions_and_counts_equal_the_table_path(generated):
    _, cleaned, _ = generated
    registry = load_registry()
    store = TokenStore.from_texts(cleaned["doc_id"], cleaned["text"])
    mentions, first, last = store_mentions(store, cleaned["text"].tolist(), registry)
    tokens = tokenize(cleaned)
    expected = find_mentions(cleaned, registry, tokens=tokens)
    pd.testing.assert_frame_equal(mentions, expected)
    assert len(mentions) > 300
    names = {e.id: e.name for e in registry.entities}
    merged = canonical_tokens(tokens, expected, registry)
    for by in ("lemma", "token", "stem"):
        for options in ({}, {"lowercase": True, "keep_stopwords": True, "keep_numbers": True, "min_chars": 1}):
            got = count_store(store, by=by, mention_first=first, mention_last=last,
                              mention_terms=[names[e] for e in mentions["entity"]],
                              mention_forms=mentions["form"].tolist(), **options)
            want = count_terms(merged, documents=cleaned, by=by, **options)
            assert list(got.terms) == list(want.terms)
            assert (got.matrix != want.matrix).nnz == 0
            assert got.totals.tolist() == want.totals.tolist()


def test_store_mentions_slice_by_slice_equal_the_table_path(generated, monkeypatch):
    # Slices of about 700 tokens: every few documents a slice ends, so mentions at slice
    # starts and ends and token indices past the first slice are all exercised.
    import analysis.framing.entities as entities_module

    _, cleaned, _ = generated
    registry = load_registry()
    store = TokenStore.from_texts(cleaned["doc_id"], cleaned["text"])
    monkeypatch.setattr(entities_module, "MENTION_SLICE_TOKENS", 700)
    assert len(list(store.slices(700))) > 50
    mentions, first, last = store_mentions(store, cleaned["text"].tolist(), registry)
    pd.testing.assert_frame_equal(mentions, find_mentions(cleaned, registry, tokens=tokenize(cleaned)))
    forms = store.type_attribute("form")
    # first and last index the whole store: each mention starts with its first token's form and
    # ends with its last one's.
    assert all(m.startswith(forms[store.type_ids[a]]) and m.endswith(forms[store.type_ids[z]])
               for a, z, m in zip(first.tolist(), last.tolist(), mentions["form"]))
    assert (last >= first).all() and np.array_equal(store.doc_of(first), store.doc_of(last))


def test_document_range_is_a_view_of_the_store(generated):
    _, cleaned, _ = generated
    store = TokenStore.from_texts(cleaned["doc_id"], cleaned["text"])
    part = store.document_range(10, 25)
    assert np.shares_memory(part.type_ids, store.type_ids)
    expected = store.to_frame(list(cleaned["doc_id"].iloc[10:25]))
    pd.testing.assert_frame_equal(part.to_frame(), expected)
    assert part.n_tokens == int(store.offsets[25] - store.offsets[10])
    with pytest.raises(ParameterError, match="outside"):
        store.document_range(5, store.n_documents + 1)


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="aäbDdikKoOrst*?ß", min_size=1, max_size=6),
    st.booleans(),
)
def test_vocabulary_index_equals_testing_every_type(part, case_insensitive):
    values = ["Diktator", "Diktatoren", "diktieren", "DIKTAT", "Staats-", "straße", "STRASSE", "Kim",
              "kims", "Rost", "ost", "Ost", "Öst", "ä", "ß", "ss", "SS", "Kreml", "Kremlchef", "a*b"]
    index = VocabularyIndex(values)
    test = _part_tests((part,), "glob", case_insensitive)[0]
    expected = [test(v) for v in values]
    assert index.glob(part, case_insensitive=case_insensitive).tolist() == expected


def _same_preparation(a, b):
    (docs_a, audit_a, store_a, *mentions_a), (docs_b, audit_b, store_b, *mentions_b) = a, b
    pd.testing.assert_frame_equal(mentions_a[0], mentions_b[0])
    for x, y in zip(mentions_a[1:], mentions_b[1:]):
        assert np.array_equal(x, y)
    pd.testing.assert_frame_equal(docs_a, docs_b)
    pd.testing.assert_frame_equal(audit_a, audit_b)
    pd.testing.assert_frame_equal(store_a.vocabulary, store_b.vocabulary)
    for name in ("offsets", "type_ids", "starts", "sentence_ids"):
        assert np.array_equal(getattr(store_a, name), getattr(store_b, name)), name


def test_one_worker_two_workers_and_dask_give_the_same_store():
    documents = load_corpus_frame(generated_corpus(600, seed=2))
    registry = ROOT / "data" / "lexicons" / "entities.yml"
    serial = prepare_store(documents, jobs=1, chunk_documents=50, quiet=True, registry=registry)
    parallel = prepare_store(documents, jobs=2, chunk_documents=50, quiet=True, registry=registry)
    _same_preparation(serial, parallel)
    # Mentions found chunk by chunk are those found on the whole store.
    whole, first, last = store_mentions(serial.store, serial.documents["text"].tolist(), load_registry(registry))
    pd.testing.assert_frame_equal(serial.mentions, whole)
    assert np.array_equal(serial.mention_first, first) and np.array_equal(serial.mention_last, last)
    assert len(whole) > 500
    pytest.importorskip("dask.distributed")
    on_dask = prepare_store(documents, jobs=2, scheduler="dask", chunk_documents=50, quiet=True, registry=registry)
    _same_preparation(serial, on_dask)
    # Chunks do not change the result either.
    _same_preparation(serial, prepare_store(documents, jobs=1, chunk_documents=7, quiet=True, registry=registry))


def load_corpus_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["source"] = "generated"
    return frame


def test_parallel_loading_checks_equal_serial_ones(tmp_path, monkeypatch):
    path = write_corpus(tmp_path / "corpus.csv", 500, seed=4)
    serial = load_corpus(path, return_ledger=True, jobs=1)
    monkeypatch.setattr(corpus_module, "_PARALLEL_RECORDS", 10)
    monkeypatch.setattr(corpus_module, "_FACT_CHUNK", 64)
    parallel = load_corpus(path, return_ledger=True, jobs=2)
    for a, b in zip(serial, parallel):
        pd.testing.assert_frame_equal(a, b)


def test_executor_rejects_bad_settings():
    with pytest.raises(ParameterError, match="jobs"):
        make_executor(0)
    with pytest.raises(ParameterError, match="scheduler"):
        make_executor(1, "threads")


# ------------------------------------------------------------------------------------ cache


@pytest.fixture()
def corpus_file(tmp_path):
    return write_corpus(tmp_path / "corpus.csv", 200, seed=5)


def _tables(prepared):
    return {
        "documents": prepared.documents, "ledger": prepared.ledger, "audit": prepared.audit,
        "mentions": prepared.mentions, "tokens": prepared.tokens, "counts": prepared.group_counts.to_frame(),
    }


def test_cache_hit_gives_the_tables_of_the_miss_and_of_no_cache(corpus_file, tmp_path):
    cache = tmp_path / "cache"
    miss = prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    hit = prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    off = prepare_corpus(corpus_file, cache=False, jobs=2, quiet=True)
    assert (miss.cache, hit.cache, off.cache) == ("miss", "hit", "off")
    for name, table in _tables(miss).items():
        pd.testing.assert_frame_equal(table, _tables(hit)[name], obj=name)
        pd.testing.assert_frame_equal(table, _tables(off)[name], obj=name)
    assert len([p for p in cache.iterdir() if not p.name.startswith(".")]) == 1


def test_sentence_sentiment_is_kept_with_the_cache_entry(corpus_file, tmp_path, monkeypatch):
    import analysis.sentiment as sentiment

    cache = tmp_path / "cache"
    first = prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True).sentence_sentiment
    calls = []
    monkeypatch.setattr(sentiment, "score_sentences", lambda *a, **k: calls.append(1))
    again = prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    pd.testing.assert_frame_equal(again.sentence_sentiment, first, check_exact=True)
    assert again.sentence_sentiment.attrs == first.attrs and calls == []  # read, not computed
    # A part of the corpus does not read the whole corpus's table.
    part = again.where("outlet == outlet")
    assert part.cache_entry is None
    assert (cache / again.cache_entry[1] / "derived-sentence_sentiment").is_dir()


def test_group_counts_of_each_column_are_kept_apart_in_the_cache(corpus_file, tmp_path):
    from analysis.stats.counts import group_counts

    cache = tmp_path / "cache"
    for group in ("outlet", "event", "outlet", "event"):
        prepared = prepare_corpus(corpus_file, cache_dir=cache, group=group, jobs=1, quiet=True)
        # Summed here from the document counts, by the documents table's column.
        expected = group_counts(prepared.doc_counts, prepared.metadata, group=group)
        got = prepared.group_counts
        assert got.rows.name == group and list(got.rows) == list(expected.rows)
        assert (got.matrix != expected.matrix).nnz == 0 and list(got.terms) == list(expected.terms)
        assert got.totals.tolist() == expected.totals.tolist()
    (entry,) = [p for p in cache.iterdir() if not p.name.startswith(".")]
    assert len(list((entry / "counts-lemma").glob("group-*"))) == 2


@pytest.mark.parametrize("rows", [1, 7, 200, 5000])
def test_document_batches_from_the_cache_and_from_memory_are_the_documents_table(corpus_file, tmp_path, rows):
    cache = tmp_path / "cache"
    prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    hit = prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    off = prepare_corpus(corpus_file, cache=False, jobs=1, quiet=True)
    for prepared in (hit, off):
        parts = list(prepared.iter_documents(rows))
        n = len(off.documents)
        assert [len(p) for p in parts] == [min(rows, n - i) for i in range(0, n, rows)]
        pd.testing.assert_frame_equal(pd.concat(parts), off.documents)
    assert "documents" not in hit.__dict__  # read slice by slice, never as a whole
    with pytest.raises(ParameterError, match="batch_documents"):
        hit.iter_documents(0)


def test_released_documents_are_read_again_from_the_cache(corpus_file, tmp_path):
    cache = tmp_path / "cache"
    prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    hit = prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    off = prepare_corpus(corpus_file, cache=False, jobs=1, quiet=True)
    first = hit.documents
    hit.release_documents()
    assert "documents" not in hit.__dict__
    pd.testing.assert_frame_equal(hit.documents, first)
    pd.testing.assert_frame_equal(hit.documents, off.documents)
    kept = off.documents
    off.release_documents()  # prepared in memory: nothing to read them again from, so kept
    assert off.documents is kept


def test_cli_documents_csv_is_the_documents_table(corpus_file, tmp_path):
    result = _cli("corpus", "--corpus", str(corpus_file), "--out", str(tmp_path / "out"),
                  "--cache-dir", str(tmp_path / "cache"), "--jobs", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    expected = prepare_corpus(corpus_file, cache=False, jobs=1, quiet=True).documents
    assert (tmp_path / "out" / "documents.csv").read_text("utf-8") == expected.to_csv(index=False, lineterminator="\n")


def test_cache_is_invalidated_by_input_option_and_registry(corpus_file, tmp_path):
    cache = tmp_path / "cache"
    assert prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True).cache == "miss"
    assert prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True, by="token").cache == "hit"
    # A changed byte of the input.
    text = corpus_file.read_text(encoding="utf-8")
    corpus_file.write_text(text.replace("Bericht 1,", "Bericht eins,", 1), encoding="utf-8")
    changed = prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    assert changed.cache == "miss"
    assert "Bericht eins" in changed.documents["title"].tolist()
    # A changed loading option.
    assert prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True, min_chars=5).cache == "miss"
    # A changed registry.
    registry = tmp_path / "entities.yml"
    original = (ROOT / "data" / "lexicons" / "entities.yml").read_text(encoding="utf-8")
    registry.write_text(original, encoding="utf-8")
    # The key holds the registry's bytes, not its path: a copy of the bundled one is a hit.
    bundled = ROOT / "data" / "lexicons" / "entities.yml"
    assert prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True, entities=bundled).cache == "miss"
    assert prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True, entities=registry).cache == "hit"
    registry.write_text(original.replace("QUtin", "QUTIN"), encoding="utf-8")
    assert prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True, entities=registry).cache == "miss"
    assert prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True, entities=registry).cache == "hit"
    assert prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True, entities=False).cache == "miss"


def test_content_hash_is_sha256sum_and_follows_every_change(tmp_path):
    import hashlib

    from analysis.store.cache import content_hash

    table = tmp_path / "korpus.csv"
    table.write_bytes(b"doc_id,text\na,Kim lacht.\n")
    assert content_hash(table) == hashlib.sha256(b"doc_id,text\na,Kim lacht.\n").hexdigest()
    # Same size, new bytes: the modification time tells the remembered hash apart.
    table.write_bytes(b"doc_id,text\na,Kim weint.\n"[:len(b"doc_id,text\na,Kim lacht.\n")])
    stat = table.stat()
    os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert content_hash(table) == hashlib.sha256(table.read_bytes()).hexdigest()
    folder = tmp_path / "texte"
    folder.mkdir()
    (folder / "a.txt").write_text("Putin reist.", encoding="utf-8")
    before = content_hash(folder)
    (folder / "b.txt").write_text("Kim wartet.", encoding="utf-8")
    assert content_hash(folder) != before
    (folder / "b.txt").unlink()
    assert content_hash(folder) == before


def test_a_damaged_cache_entry_is_prepared_again(corpus_file, tmp_path):
    cache = tmp_path / "cache"
    prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    (entry,) = [p for p in cache.iterdir() if not p.name.startswith(".")]
    (entry / "store" / "type_ids.npy").write_bytes(b"broken")
    again = prepare_corpus(corpus_file, cache_dir=cache, jobs=1, quiet=True)
    assert again.cache == "miss" and again.store.n_tokens > 1000


def test_cache_location(monkeypatch, tmp_path):
    monkeypatch.delenv("ANALYSIS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "framing-analysis"
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"
    assert cache_root(tmp_path / "given") == tmp_path / "given"


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={**os.environ}, timeout=600)


def test_cli_jobs_give_identical_tables_and_a_summary_line(corpus_file, tmp_path):
    outputs = []
    runs = [("1", "processes"), ("2", "processes")]
    try:
        import dask.distributed  # noqa: F401

        runs.append(("2", "dask"))
    except ImportError:  # the dask extra is part of the test extra; without it the two local runs
        pass
    for jobs, scheduler in runs:
        out = tmp_path / f"jobs{jobs}-{scheduler}"
        result = _cli("corpus", "--corpus", str(corpus_file), "--out", str(out), "--jobs", jobs, "--no-cache",
                      "--tokens-format", "csv", "--scheduler", scheduler, "--quiet")
        assert result.returncode == 0, result.stderr
        loaded = (pd.read_csv(out / "ledger.csv")["status"] == "loaded").sum()
        assert re.fullmatch(rf"{loaded} articles, [\d,]+ tokens, \d+ entities found in the text \(no --registry given\), [\d.]+ s, cache off",
                            result.stderr.strip().splitlines()[-1])
        # The tables; params.json beside them records the options, --jobs and --scheduler among them.
        assert (out / "params.json").exists()
        outputs.append({p.name: p.read_bytes() for p in out.iterdir() if p.name != "params.json"})
    assert all(output == outputs[0] for output in outputs[1:])
    assert set(outputs[0]) == {"documents.csv", "ledger.csv", "cleaning_audit.csv", "tokens.csv"}
    cache = tmp_path / "cache"
    first = _cli("keyness", "--corpus", str(corpus_file), "--cache-dir", str(cache), "--target", "Tagesblatt",
                 "--out", str(tmp_path / "k1.csv"))
    second = _cli("keyness", "--corpus", str(corpus_file), "--cache-dir", str(cache), "--target", "Tagesblatt",
                  "--out", str(tmp_path / "k2.csv"))
    assert first.stderr.strip().endswith("cache miss") and second.stderr.strip().endswith("cache hit")
    assert (tmp_path / "k1.csv").read_bytes() == (tmp_path / "k2.csv").read_bytes()
    bad = _cli("corpus", "--corpus", str(corpus_file), "--jobs", "0")
    assert bad.returncode == 2 and "--jobs" in bad.stderr


@pytest.mark.parametrize("row_group_tokens", [1_000_000, 700])
def test_tokens_parquet_is_the_tokens_table(corpus_file, tmp_path, monkeypatch, row_group_tokens):
    import pyarrow.parquet as pq

    import analysis.store.tokens as tokens

    monkeypatch.setattr(tokens, "ROW_GROUP_TOKENS", row_group_tokens)  # several row groups, own dictionaries
    prepared = prepare_corpus(corpus_file, cache=False, jobs=1, quiet=True)
    prepared.store.write_tokens(tmp_path / "tokens.parquet")
    groups = pq.ParquetFile(tmp_path / "tokens.parquet").metadata.num_row_groups
    assert groups == (1 if row_group_tokens > prepared.store.n_tokens else len(list(prepared.store.slices(700))))
    written = pd.read_parquet(tmp_path / "tokens.parquet")
    expected = prepared.tokens
    assert list(written.columns) == list(expected.columns)
    for column in expected.columns:
        assert written[column].astype(str).tolist() == expected[column].astype(str).tolist(), column


def test_a_runaway_regular_expression_stops_with_an_error(monkeypatch):
    import analysis.store.patterns as patterns
    from analysis.stats.kwic import kwic

    documents = pd.DataFrame({"doc_id": ["a"], "text": ["Die Staatsoberhäupter " + "a" * 5000 + "b trafen sich."]})
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 1e-6)
    with pytest.raises(ParameterError, match="took longer than"):
        kwic(documents, r"^(a|aa)+$", valuetype="regex")


def test_regex_patterns_match_as_python_re_does():
    import re as stdlib_re

    from analysis.stats.kwic import kwic

    documents = generated_corpus(120, seed=6)
    tokens = tokenize(documents)
    words = tokens[~tokens["kind"].isin(["punct", "quote"])]["token"]
    for pattern in (r"^Kreml", r"chef$", r"[äöü]", r"^\w+-\w+$", r"^(?!Kim)K\w+", r"\d{4}"):
        expected = int(words.map(lambda t: stdlib_re.search(pattern, t, stdlib_re.IGNORECASE) is not None).sum())
        assert len(kwic(documents, pattern, valuetype="regex", tokens=tokens)) == expected, pattern


def test_drop_caches_forgets_indexes_and_gives_the_same_values_again(corpus_file):
    from analysis.store.match import store_index

    store = prepare_corpus(corpus_file, cache=False, jobs=1, quiet=True).store
    ends = store.ends.copy()
    codes, index = store_index(store, "lemma")
    lemmas = store.type_attribute("lemma")
    store.drop_caches()
    assert "ends" not in store.__dict__ and store_index(store, "lemma")[1] is not index
    assert store.type_attribute("lemma") is lemmas  # vocabulary columns stay
    np.testing.assert_array_equal(store.ends, ends)
    np.testing.assert_array_equal(store_index(store, "lemma")[0], codes)


def test_code_fingerprint_covers_the_lemma_code(monkeypatch):
    # The lemma rules live in analysis/store/vocabulary.py (and analysis/text.py); a change to
    # them must give new cache keys, so both files must be hashed into the code fingerprint.
    from analysis.store import cache

    hashed = []
    real = cache._hash_file
    monkeypatch.setattr(cache, "_hash_file", lambda digest, path: (hashed.append(Path(path).as_posix()), real(digest, path)))
    cache._code_fingerprint()
    assert any(p.endswith("analysis/store/vocabulary.py") for p in hashed)
    assert any(p.endswith("analysis/text.py") for p in hashed)


def _mapped_rss_kib(path: Path) -> int:
    """Resident KiB of this process's mappings of ``path`` (Linux's /proc/self/smaps)."""
    total, inside = 0, False
    with open("/proc/self/smaps", encoding="ascii", errors="replace") as handle:
        for line in handle:
            fields = line.split()
            if fields and "-" in fields[0] and len(fields) >= 5:  # a mapping's header line
                inside = len(fields) >= 6 and fields[-1] == str(path)
            elif inside and line.startswith("Rss:"):
                total += int(fields[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux's /proc/self/smaps")
def test_release_mapped_hands_back_the_pages_of_a_memory_map_and_keeps_its_values(tmp_path):
    from analysis.store.memory import release_mapped

    path = tmp_path / "ids.npy"
    values = np.arange(2_000_000, dtype=np.int32)  # 8 MB
    np.save(path, values)
    mapped = np.load(path, mmap_mode="r")
    view = np.asarray(mapped[1000:])  # a plain view of the map, as the stores hand out
    assert int(view.sum(dtype=np.int64)) == int(values[1000:].sum(dtype=np.int64))  # every page read
    before = _mapped_rss_kib(path.resolve())
    assert before > 7000
    release_mapped(view)
    assert _mapped_rss_kib(path.resolve()) < before / 4
    np.testing.assert_array_equal(view, values[1000:])  # read again from the page cache
    release_mapped(values, None)  # arrays in memory: nothing to do
    assert int(values[-1]) == 1_999_999


def test_store_release_pages_keeps_the_arrays_of_a_cached_store(corpus_file, tmp_path):
    first = prepare_corpus(corpus_file, cache_dir=tmp_path, jobs=1, quiet=True).store
    store = prepare_corpus(corpus_file, cache_dir=tmp_path, jobs=1, quiet=True).store  # read from the cache
    ids = np.array(store.type_ids)
    store.release_pages()
    np.testing.assert_array_equal(store.type_ids, ids)
    np.testing.assert_array_equal(store.type_ids, first.type_ids)


def test_documents_streamed_from_the_cache_give_the_tables_of_the_loaded_documents(corpus_file, tmp_path, monkeypatch):
    # Quotations and label attributions read the texts part by part from the cache
    # (PreparedCorpus.map_documents → map_batches); the tables must equal those of the loaded
    # documents split by map_documents, for any part size and subset.
    from analysis.framing.labels import attribute_labels_in_parts
    from analysis.framing.quotes import find_quotations
    from analysis.report.choices import starter_labels
    from analysis.store import executor
    from analysis.store.executor import concat_parts, map_documents

    monkeypatch.setattr(executor, "MAP_DOCUMENTS", 37)  # several parts, one of them short
    prepared = prepare_corpus(corpus_file, cache_dir=tmp_path / "cache", jobs=2, quiet=True)
    streamed = prepared.quotations
    assert "documents" not in prepared.__dict__  # the texts were never all loaded
    loaded = concat_parts(map_documents(find_quotations, prepared.documents, jobs=2, tokens=prepared.store))
    pd.testing.assert_frame_equal(streamed.reset_index(drop=True), loaded.reset_index(drop=True))
    assert len(streamed) > 0
    chosen = set(prepared.metadata["doc_id"].astype(str)[::3])
    labels = starter_labels(prepared, None)
    from_table = attribute_labels_in_parts(prepared.documents, prepared.registry, labels, store=prepared.store,
                                           mentions=prepared.mentions, jobs=2, doc_ids=chosen)
    prepared.release_documents()
    from_cache = attribute_labels_in_parts(prepared, prepared.registry, labels, store=prepared.store,
                                           mentions=prepared.mentions, jobs=2, doc_ids=chosen)
    for a, b in zip(from_table, from_cache):
        pd.testing.assert_frame_equal(a, b)
    assert set(from_cache[0]["doc_id"].astype(str)) <= chosen and len(from_cache[0]) > 0


def test_map_batches_keeps_the_order_of_the_batches_for_any_number_of_jobs():
    from analysis.store.executor import map_batches

    batches = [pd.DataFrame({"doc_id": [f"d{k}"] * (k % 4 + 1)}) for k in range(11)]
    expected = [(b["doc_id"].iloc[0], len(b)) for b in batches]

    def first_and_size(part, *, extra):
        return part["doc_id"].iloc[0], len(part) + extra

    assert map_batches(first_and_size, iter(batches), jobs=1, extra=0) == expected
    assert map_batches(first_and_size, iter(batches), jobs=2, extra=0) == expected
    with pytest.raises(ParameterError, match="jobs"):
        map_batches(first_and_size, iter(batches), jobs=0, extra=0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks")
def test_run_isolated_returns_relays_output_and_warnings_and_raises_the_error(capsys):
    import warnings as warnings_module

    from analysis.store.executor import run_isolated

    def talk(x):
        print("aus dem Kindprozess", x)
        print("auf stderr", file=sys.stderr)
        warnings_module.warn("Vorsicht", UserWarning)
        return {"x": x, "pid": os.getpid()}

    with pytest.warns(UserWarning, match="Vorsicht"):
        result = run_isolated(talk, x=3)
    assert result["x"] == 3 and result["pid"] != os.getpid()  # it ran in another process
    captured = capsys.readouterr()
    assert "aus dem Kindprozess 3" in captured.out and "auf stderr" in captured.err

    def fail():
        raise ParameterError("kaputt", file="x.csv", hint="repair it")

    with pytest.raises(ParameterError, match="x.csv: kaputt — repair it") as raised:
        run_isolated(fail)
    assert raised.value.hint == "repair it"

    def die():
        os._exit(3)

    with pytest.raises(RuntimeError, match="exit code 3"):
        run_isolated(die)


def test_frames_and_sources_streamed_from_the_cache_equal_one_pass_over_all_texts(corpus_file, tmp_path, monkeypatch):
    # The reference is one call over every loaded text (no parts at all); the streamed tables
    # come from parts of 37 documents read from the cache on two workers.
    from analysis.framing.frames import frame_rates, load_generic_dictionary, match_dictionary, match_dictionary_in_parts
    from analysis.framing.quotes import quotation_summary
    from analysis.framing.sources import find_sources, find_sources_in_parts, source_summary
    from analysis.store import executor

    monkeypatch.setattr(executor, "MAP_DOCUMENTS", 37)
    prepared = prepare_corpus(corpus_file, cache_dir=tmp_path / "cache", jobs=2, quiet=True)
    dictionary = load_generic_dictionary()
    streamed = match_dictionary_in_parts(prepared, dictionary, store=prepared.store)
    found = find_sources_in_parts(prepared, audit=prepared.audit)
    assert "documents" not in prepared.__dict__  # the texts were never all loaded
    whole = match_dictionary(prepared.documents, dictionary, tokens=prepared.store)
    assert len(whole) > 0 and whole["doc_id"].nunique() > 37
    pd.testing.assert_frame_equal(streamed, whole)
    pd.testing.assert_frame_equal(frame_rates(streamed, prepared.metadata, prepared.store, group="outlet"),
                                  frame_rates(whole, prepared.documents, prepared.store, group="outlet"))
    reference = find_sources(prepared.documents, audit=prepared.audit)
    assert len(reference) > 0
    pd.testing.assert_frame_equal(found, reference)
    # The summaries read only each document's group: the metadata table will do.
    pd.testing.assert_frame_equal(source_summary(found, prepared.metadata), source_summary(reference, prepared.documents))
    quotes = prepared.quotations
    pd.testing.assert_frame_equal(quotation_summary(quotes, prepared.metadata, tokens=prepared.store),
                                  quotation_summary(quotes, prepared.documents, tokens=prepared.store))
    chosen = set(prepared.metadata["doc_id"].astype(str)[::4])
    subset = match_dictionary_in_parts(prepared.documents, dictionary, store=prepared.store, jobs=2, doc_ids=chosen)
    pd.testing.assert_frame_equal(subset, whole[whole["doc_id"].astype(str).isin(chosen)].reset_index(drop=True))


def test_the_registry_found_without_a_cache_lives_as_long_as_the_process(corpus_file):
    # Without a cache the discovered registry is written to a temporary folder that its
    # process removes when it ends: a notebook or test session does not leave one per call.
    script = ("import sys; from pathlib import Path; from analysis.pipeline import prepare_corpus; "
              "p = prepare_corpus(sys.argv[1], cache=False, jobs=2, quiet=True); "
              "f = Path(p.registry_file); assert f.is_file() and p.registry is not None; print(f.parent)")
    done = subprocess.run([sys.executable, "-c", script, str(corpus_file)], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1])
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert folder.name.startswith("framing-registry-")
    assert not folder.exists()


def test_the_documents_are_stored_in_row_groups_read_one_part_at_a_time(corpus_file, tmp_path, monkeypatch):
    # Reading part by part decodes one Parquet row group at a time: the texts are written in
    # groups of TEXT_ROW_GROUP_ROWS documents, the other tables in one piece.
    import pyarrow.parquet as pq

    from analysis.store import cache as cache_module

    monkeypatch.setattr(cache_module, "TEXT_ROW_GROUP_ROWS", 64)
    prepared = prepare_corpus(corpus_file, cache_dir=tmp_path / "cache", jobs=1, quiet=True)
    folder = tmp_path / "cache" / prepared.cache_entry[1]
    groups = pq.ParquetFile(folder / "documents.parquet").metadata.num_row_groups
    assert groups == -(-len(prepared.metadata) // 64) and groups > 1
    assert pq.ParquetFile(folder / "mentions.parquet").metadata.num_row_groups == 1
    batches = list(prepared.document_batches(50))
    assert [len(b) for b in batches[:-1]] == [50] * (len(batches) - 1)
    pd.testing.assert_frame_equal(pd.concat(batches), prepared.documents)


def test_derived_tables_are_kept_in_the_entry_and_read_back_after_release(corpus_file, tmp_path):
    # The quotations and the sentence sentiment are computed once (the sentiment in a forked
    # process), kept beside the cache entry, forgotten by release_derived and read back equal
    # to what a run without a cache computes in its own process.
    from analysis.framing.quotes import find_quotations
    from analysis.sentiment import score_sentences
    from analysis.store.executor import concat_parts, map_documents

    prepared = prepare_corpus(corpus_file, cache_dir=tmp_path / "cache", jobs=2, quiet=True)
    off = prepare_corpus(corpus_file, cache=False, jobs=1, quiet=True)
    sentiment = prepared.sentence_sentiment
    reference = score_sentences(off.store, jobs=1)
    pd.testing.assert_frame_equal(sentiment[reference.columns], reference)
    quotes = prepared.quotations
    found = concat_parts(map_documents(find_quotations, off.documents, jobs=1, tokens=off.store))
    pd.testing.assert_frame_equal(quotes.reset_index(drop=True), found.reset_index(drop=True))
    prepared.release_derived()
    assert "quotations" not in prepared.__dict__ and "sentence_sentiment" not in prepared.__dict__
    pd.testing.assert_frame_equal(prepared.quotations, quotes)
    pd.testing.assert_frame_equal(prepared.sentence_sentiment, sentiment)
    later = prepare_corpus(corpus_file, cache_dir=tmp_path / "cache", jobs=1, quiet=True)
    pd.testing.assert_frame_equal(later.quotations, quotes)


def test_lexicon_contributions_are_scored_into_the_entry_and_equal_those_of_a_run_without_cache(corpus_file,
                                                                                                  tmp_path):
    # The contributions behind the sentiment-word figures are scored by a forked process into
    # the cache entry; read back, they are the scorer's own table of a run without a cache.
    from analysis.sentiment import score_tokens

    prepared = prepare_corpus(corpus_file, cache_dir=tmp_path / "cache", jobs=2, quiet=True)
    off = prepare_corpus(corpus_file, cache=False, jobs=1, quiet=True)
    reference = score_tokens(off.store, roles_only=True)
    found = prepared.sentiment_contributions
    assert len(reference) > 100 and set(reference["role"]) >= {"sentiment", "negator"}
    pd.testing.assert_frame_equal(found, reference, check_dtype=False)
    assert found.attrs["coverage"] == pytest.approx(reference.attrs["coverage"])
    assert any(path.name == "derived-sentiment_contributions" for path in (tmp_path / "cache").rglob("*"))
    prepared.release_derived()
    assert "sentiment_contributions" not in prepared.__dict__
    pd.testing.assert_frame_equal(prepared.sentiment_contributions, found)
    assert off.sentiment_contributions.equals(reference)  # no cache: scored in this process


def test_compute_derived_writes_the_tables_into_the_entry_without_reading_them(corpus_file, tmp_path):
    from analysis.errors import ParameterError
    from analysis.store.cache import read_derived_exists

    prepared = prepare_corpus(corpus_file, cache_dir=tmp_path / "cache", jobs=1, quiet=True)
    names = ("sentence_sentiment", "sentiment_contributions")
    assert not any(read_derived_exists(*prepared.cache_entry, name) for name in names)
    prepared.compute_derived(*names)
    assert all(read_derived_exists(*prepared.cache_entry, name) for name in names)
    assert not any(name in prepared.__dict__ for name in names)
    with pytest.raises(ParameterError, match="no derived table called 'tokens'"):
        prepared.compute_derived("tokens")
    uncached = prepare_corpus(corpus_file, cache=False, jobs=1, quiet=True)
    uncached.compute_derived(*names)  # nothing to write into: computed when first read
    assert not any(name in uncached.__dict__ for name in names)


def test_render_figures_scores_the_derived_tables_before_the_first_builder(corpus_file, tmp_path, monkeypatch):
    # The scorings fork from the process before any builder has run (and left its look-ups
    # behind): when the first builder starts, the tables the sentiment builder reads are there.
    import dataclasses

    from analysis.report import figures
    from analysis.store.cache import read_derived_exists

    prepared = prepare_corpus(corpus_file, cache_dir=tmp_path / "cache", jobs=1, quiet=True)
    names = ("sentence_sentiment", "sentiment_contributions")
    assert figures.REGISTRY["sentiment"].derived == names
    seen = []
    first = figures.REGISTRY["tfidf_top_terms"]

    def build(prepared, options):
        seen.append([read_derived_exists(*prepared.cache_entry, name) for name in names])
        return first.build(prepared, options)

    monkeypatch.setitem(figures.REGISTRY, "tfidf_top_terms", dataclasses.replace(first, build=build))
    figures.render_figures(prepared, tmp_path / "alone", formats=("png",), only=["tfidf_top_terms"])
    figures.render_figures(prepared, tmp_path / "both", formats=("png",), only=["tfidf_top_terms", "sentiment"])
    assert seen == [[False, False], [True, True]]  # scored only when a builder asks for them


@pytest.mark.parametrize("missing_first", [False, True])
def test_large_tables_are_written_slice_by_slice_and_read_back_as_one_call_writes_them(tmp_path, monkeypatch,
                                                                                      missing_first):
    # A table of more rows than a row group is converted to Arrow one group at a time; what is
    # read back equals the frame and what pandas' own to_parquet writes. A column the first
    # slice has no value of is written in one call.
    import pyarrow.parquet as pq

    from analysis.store import cache

    monkeypatch.setattr(cache, "ROW_GROUP_ROWS", 40)
    rng = np.random.default_rng(4)
    n = 1000
    frame = pd.DataFrame({
        "doc_id": [f"d{k // 7}" for k in range(n)],
        "sentence_id": np.arange(n, dtype=np.int64),
        "label": rng.choice(["negative", "neutral", "positive"], n).astype(object),
        "score": rng.normal(size=n),
        "entry": [None if (missing_first and k < 60) or k % 5 else f"wort{k}" for k in range(n)],
        "negated": rng.random(n) < 0.3,
    })
    cache._write_frame(frame, tmp_path / "table")
    back = cache._read_frame(tmp_path / "table")
    frame.to_parquet(tmp_path / "plain.parquet", index=False)
    pd.testing.assert_frame_equal(back, frame)
    pd.testing.assert_frame_equal(back, pd.read_parquet(tmp_path / "plain.parquet"))
    groups = pq.ParquetFile(tmp_path / "table.parquet").metadata.num_row_groups
    assert groups == -(-n // 40)


def test_spilled_token_arrays_equal_those_held_in_memory(tmp_path, monkeypatch):
    from analysis.store import StoreBuilder
    from analysis.store.vocabulary import annotate_forms

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    texts = [f"Kim traf Putin am {k}. Juni in Pjöngjang. Beide lachten {'sehr ' * (k % 3)}laut." for k in range(40)]
    stores = []
    for spill in (False, True):
        builder = StoreBuilder(spill=spill)
        for lo in range(0, len(texts), 7):  # batches of uneven size, as chunks come back
            builder.add(scan_texts(texts[lo:lo + 7]))
        vocabulary = annotate_forms(builder.new_forms())
        stores.append(builder.finish([f"d{k}" for k in range(len(texts))], vocabulary))
    held, spilled = stores
    for name in ("type_ids", "starts", "sentence_ids"):
        assert isinstance(getattr(spilled, name), np.memmap) and not isinstance(getattr(held, name), np.memmap)
        assert np.array_equal(getattr(spilled, name), getattr(held, name))
    assert spilled.to_frame().equals(held.to_frame())
    assert list(tmp_path.iterdir()) == []  # the files are gone; the maps keep the data
    spilled.release_pages()
    assert np.array_equal(spilled.type_ids, held.type_ids)


def test_a_discarded_builder_leaves_no_spilled_files(tmp_path, monkeypatch):
    import tempfile

    from analysis.store import StoreBuilder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    builder = StoreBuilder(spill=True)
    builder.add(scan_texts(["Kim traf Putin."]))
    assert len(list(tmp_path.iterdir())) == 1
    builder.discard()
    assert list(tmp_path.iterdir()) == []
