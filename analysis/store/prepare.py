"""Clean and tokenize a documents table in chunks, in parallel, into one token store.

Per-document work — cleaning with its audit, tokens, sentences — runs on chunks of
documents in worker processes (or on a Dask cluster). The main process merges the chunks
in input order: it maps each chunk's local vocabulary onto the global one and sends only
forms never seen before to the workers for their lemmas and stems. Chunks have a fixed size
that does not depend on the number of workers, so every table is the same for any ``jobs``.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from ..clean import AUDIT_COLUMNS, clean_corpus
from ..text import KINDS, ScannedBatch, scan_texts
from .executor import make_executor
from .tokens import StoreBuilder, TokenStore
from .vocabulary import VOCABULARY_COLUMNS, annotate_forms, preload_lemmatizer

__all__ = ["CHUNK_DOCUMENTS", "Prepared", "prepare_store", "progress"]

#: Documents per chunk of work: large enough to keep the workers busy, small enough that a
#: chunk's texts and tokens stay a few megabytes.
CHUNK_DOCUMENTS = 250
# Columns the cleaning rules read.
_CLEAN_INPUT = ("doc_id", "text", "title", "publisher", "outlet")


class _Chunk(NamedTuple):
    texts: object  # pyarrow string array: UTF-8, a third of the memory of Python strings
    audit: pd.DataFrame
    batch: ScannedBatch
    mentions: pd.DataFrame | None
    mention_first: np.ndarray  # token indices within the chunk
    mention_last: np.ndarray


class Prepared(NamedTuple):
    """What :func:`prepare_store` returns."""

    documents: pd.DataFrame
    audit: pd.DataFrame
    store: TokenStore
    mentions: pd.DataFrame | None
    mention_first: np.ndarray
    mention_last: np.ndarray


@functools.lru_cache(maxsize=4)
def _worker_registry(path: str, mtime_ns: int, size: int):
    """The registry, read once per process rather than once per chunk (and again when the
    file changes: the modification time and size are part of the cache key)."""
    from ..framing.entities import load_registry

    return load_registry(path)


def _clean_and_scan(frame: pd.DataFrame, registry_file) -> _Chunk:
    """Worker: clean the documents of one chunk, tokenize the clean texts and find the
    registry's entity mentions (they never cross a document, so chunks find them all)."""
    from ..framing.entities import store_mentions

    cleaned, audit = clean_corpus(frame)
    texts = cleaned["text"].tolist()
    batch = scan_texts(texts)
    empty = np.zeros(0, dtype=np.int64)
    mentions, first, last = None, empty, empty
    if registry_file is not None:
        local = TokenStore(pd.DataFrame({"form": pd.Series(batch.forms, dtype=object)}),
                           pd.Index(cleaned["doc_id"].astype(str).tolist(), dtype=object),
                           np.concatenate([[0], np.cumsum(batch.counts)]).astype(np.int64),
                           batch.type_ids, batch.starts, batch.sentence_ids)
        stat = os.stat(registry_file)
        registry = _worker_registry(str(registry_file), stat.st_mtime_ns, stat.st_size)
        mentions, first, last = store_mentions(local, texts, registry)
    return _Chunk(pa.array(texts, type=pa.large_string()), audit, batch, mentions, first, last)


_STRING_COLUMNS = ("form", "lower", "lemma", "stem")


def _annotate(forms) -> pa.Table:
    """Worker: vocabulary rows of new forms, as an Arrow table: UTF-8 buffers are compact to
    send back and to keep (a corpus of 40,000 articles has about 700,000 forms)."""
    frame = annotate_forms(forms)
    columns = {name: pa.array(frame[name].tolist(), type=pa.string()) for name in _STRING_COLUMNS}
    columns["kind"] = pa.array(frame["kind"].cat.codes.to_numpy())
    columns["is_stop"] = pa.array(frame["is_stop"].to_numpy())
    return pa.table(columns)


def _vocabulary_frame(parts: list) -> pd.DataFrame:
    """The vocabulary table from the workers' Arrow parts (strings stay in Arrow buffers)."""
    if not parts:
        return annotate_forms([])
    table = pa.concat_tables(parts)
    text = pd.Series([""]).dtype  # the default string dtype (Arrow-backed from pandas 3 on)
    data = {name: pd.array(table.column(name), dtype=text) for name in _STRING_COLUMNS}
    data["kind"] = pd.Categorical.from_codes(table.column("kind").to_numpy(), categories=list(KINDS))
    data["is_stop"] = table.column("is_stop").to_numpy()
    return pd.DataFrame(data)[list(VOCABULARY_COLUMNS)]


def _text_or_empty(series: pd.Series) -> pd.Series:
    """The texts, with "" for a missing one (as :func:`analysis.clean.clean_corpus` reads them)."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.fillna("")
    return series.map(lambda text: text if isinstance(text, str) else "")


def progress(total: int, description: str, *, quiet: bool = False, unit: str = "doc"):
    """A tqdm progress bar on stderr, shown only when stderr is a terminal and not ``quiet``."""
    # The plain text bar: tqdm.auto would pick the widget bar in a notebook and warn when
    # ipywidgets is not installed; on stderr the text bar serves both.
    from tqdm import tqdm

    disable = quiet or not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty())
    return tqdm(total=total, desc=description, unit=unit, disable=disable, file=sys.stderr, leave=False)


def prepare_store(
    documents: pd.DataFrame,
    *,
    jobs: int | None = None,
    scheduler: str = "processes",
    chunk_documents: int = CHUNK_DOCUMENTS,
    quiet: bool = False,
    registry=None,
) -> Prepared:
    """Clean and tokenize every document, and find the entity mentions.

    Parameters
    ----------
    documents : pandas.DataFrame
        A documents table from :func:`analysis.io.corpus.load_corpus`.
    jobs : int, optional
        Worker processes (None: every core; 1: this process only).
    scheduler : str, default "processes"
        ``"processes"``, ``"dask"`` or ``"dask=ADDRESS"`` (see
        :func:`analysis.store.executor.make_executor`).
    chunk_documents : int
        Documents per chunk of work.
    quiet : bool
        No progress bar.
    registry : path, optional
        An entity registry file: its mentions are found in the same pass
        (:func:`analysis.framing.entities.store_mentions`). None finds none.

    Returns
    -------
    Prepared
        ``documents`` (as :func:`analysis.clean.clean_corpus` returns them: ``raw_text``
        added, ``text`` cleaned), ``audit`` (the cleaning audit), ``store``, and with a
        registry ``mentions`` with the store indices of their first and last tokens
        (``mention_first``, ``mention_last``).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Kim lacht.Putin auch."]})
    >>> cleaned, audit, store, *_ = prepare_store(docs, jobs=1)
    >>> cleaned.loc[0, "text"], audit["rule"].tolist(), store.n_tokens
    ('Kim lacht. Putin auch.', ['missing_space'], 6)
    """
    n = len(documents)
    inputs = documents[[c for c in _CLEAN_INPUT if c in documents.columns]]
    if scheduler == "processes":
        preload_lemmatizer()  # one copy, shared by the forked workers
    executor = make_executor(jobs, scheduler)
    builder = StoreBuilder(spill=True)
    texts = []
    audits: list[pd.DataFrame] = []
    vocabulary_parts = []
    mentions, firsts, lasts = [], [], []
    tokens_before = 0
    try:
        # At most a few chunks in flight per worker: memory stays bounded by the chunk size.
        window = 2 * executor.jobs
        bounds = list(range(0, n, chunk_documents))
        pending = []
        submitted = 0
        with progress(n, "prepare", quiet=quiet) as bar:
            while submitted < len(bounds) or pending:
                while submitted < len(bounds) and len(pending) < window:
                    start = bounds[submitted]
                    pending.append(executor.submit(_clean_and_scan, inputs.iloc[start : start + chunk_documents],
                                                   registry))
                    submitted += 1
                chunk = pending.pop(0).result()
                texts.append(chunk.texts)
                audits.append(chunk.audit)
                builder.add(chunk.batch)
                if chunk.mentions is not None:
                    mentions.append(chunk.mentions)
                    firsts.append(chunk.mention_first + tokens_before)
                    lasts.append(chunk.mention_last + tokens_before)
                tokens_before += len(chunk.batch.type_ids)
                new = builder.new_forms()
                if new:
                    vocabulary_parts.append(executor.submit(_annotate, new))
                bar.update(len(chunk.texts))
                del chunk
        vocabulary = [part.result() for part in vocabulary_parts]
    except BaseException:
        builder.discard()  # no spilled token arrays left behind by a failed or interrupted run
        raise
    finally:
        executor.close()
    store = builder.finish(documents["doc_id"].astype(str).tolist(), _vocabulary_frame(vocabulary))
    del vocabulary
    cleaned = documents.copy(deep=False)  # new columns only: the loaded texts are not copied
    cleaned["raw_text"] = _text_or_empty(documents["text"])
    column = pd.array(pa.chunked_array(texts, type=pa.large_string()), dtype=pd.Series([""]).dtype) \
        if texts else pd.array([], dtype=pd.Series([""]).dtype)
    cleaned["text"] = pd.Series(column, index=documents.index)
    audit = pd.concat(audits, ignore_index=True) if audits else pd.DataFrame(columns=list(AUDIT_COLUMNS))
    if audits:
        audit = audit.astype(audits[0].dtypes.to_dict())
    else:
        _, audit = clean_corpus(documents.iloc[:0])
    found = None
    first = last = np.zeros(0, dtype=np.int64)
    if registry is not None:
        from ..framing.entities import MENTION_COLUMNS

        found = (pd.concat(mentions, ignore_index=True) if mentions
                 else pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS}))
        if firsts:
            first, last = np.concatenate(firsts).astype(np.int64), np.concatenate(lasts).astype(np.int64)
    return Prepared(cleaned, audit, store, found, first, last)
