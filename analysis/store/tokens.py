"""The token store: every token of a corpus as integer arrays over one vocabulary.

One token costs 12 bytes (type id, start offset, sentence number, all int32) instead of a
pandas row of about 70 bytes; the end offset follows from the form's length. Every
analysis reads the same store; :meth:`TokenStore.to_frame` gives the tidy tokens table of
``docs/pipeline.md`` for a subset of documents, or for all of them, when a table is wanted.
"""

from __future__ import annotations


from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..io.writing import atomic_target
from ..text import KINDS, TOKEN_COLUMNS, ScannedBatch
from .memory import release_mapped
from .vocabulary import VOCABULARY_COLUMNS, annotate_forms, stem_forms

__all__ = ["Selection", "TokenStore", "StoreBuilder"]

_ARRAYS = ("type_ids", "starts", "sentence_ids")


@dataclass(frozen=True)
class Selection:
    """Token arrays of some documents of a :class:`TokenStore` (see :meth:`TokenStore.select`).

    ``positions`` are the documents' positions in the store; ``rows`` indexes any per-token
    array of the store (a slice for the whole corpus); ``doc_pos`` is each token's document
    as a position in ``positions``; the other arrays as in the store.
    """

    positions: np.ndarray
    rows: object
    doc_pos: np.ndarray
    type_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    sentence_ids: np.ndarray


# Columns of the tokens file with page statistics (for filtering by document or position).
#: Tokens per row group of ``tokens.parquet`` (each is written with its own dictionaries).
ROW_GROUP_TOKENS = 1_000_000
_TOKEN_STATISTICS = ("doc_id", "sentence_id", "token_id", "start", "end")


@dataclass(frozen=True, eq=False)
class TokenStore:
    """Tokens of a corpus as arrays.

    Attributes
    ----------
    vocabulary : pandas.DataFrame
        One row per type id, columns :data:`analysis.store.vocabulary.VOCABULARY_COLUMNS`.
    doc_ids : pandas.Index
        The documents, in corpus order (str).
    offsets : numpy.ndarray
        int64, ``len(doc_ids) + 1``: the tokens of document ``d`` are
        ``offsets[d]:offsets[d + 1]``.
    type_ids, starts, sentence_ids : numpy.ndarray
        int32, one entry per token: the row of the vocabulary, the character offset into the
        document's clean text, the 0-based sentence number within the document.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Kim lacht.", "Putin auch."]})
    >>> store = TokenStore.from_texts(docs["doc_id"], docs["text"])
    >>> store.n_tokens, len(store.vocabulary)
    (6, 5)
    >>> store.to_frame(["b"])["token"].tolist()
    ['Putin', 'auch', '.']
    """

    vocabulary: pd.DataFrame
    doc_ids: pd.Index
    offsets: np.ndarray
    type_ids: np.ndarray
    starts: np.ndarray
    sentence_ids: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # ----------------------------------------------------------------------------- sizes
    @property
    def n_tokens(self) -> int:
        return int(len(self.type_ids))

    @property
    def n_documents(self) -> int:
        return int(len(self.doc_ids))

    @cached_property
    def lengths(self) -> np.ndarray:
        """Tokens per document (int64)."""
        return np.diff(self.offsets)

    @cached_property
    def doc_index(self) -> np.ndarray:
        """Document position of every token (int32)."""
        return np.repeat(np.arange(self.n_documents, dtype=np.int32), self.lengths)

    def doc_of(self, rows) -> np.ndarray:
        """Document position (int64) of the tokens at ``rows``: a binary search over the
        offsets, for a few rows of a large store instead of :attr:`doc_index` of every token."""
        if "doc_index" in self.__dict__:
            return self.doc_index[rows].astype(np.int64)
        return np.searchsorted(self.offsets, np.asarray(rows, dtype=np.int64), side="right") - 1

    @cached_property
    def form_lengths(self) -> np.ndarray:
        return self.vocabulary["form"].str.len().to_numpy(dtype=np.int32)

    @cached_property
    def ends(self) -> np.ndarray:
        """End offset of every token (int32): start plus the length of its form."""
        return self.starts + self.form_lengths[self.type_ids]

    def ends_of(self, rows) -> np.ndarray:
        """End offsets of the tokens at ``rows``; computed for those rows only unless
        :attr:`ends` is at hand, so a worker reading a few documents of a large store does
        not build the array of every token."""
        if "ends" in self.__dict__:
            return self.ends[rows]
        return self.starts[rows] + self.form_lengths[self.type_ids[rows]]

    def drop_caches(self) -> None:
        """Forget what was computed on first use — look-up indexes, scorings, token end offsets
        (each up to hundreds of megabytes on a large corpus); vocabulary columns are kept.
        Everything is computed again when next asked for."""
        for key in [k for k in self._cache if k not in self.vocabulary.columns]:
            del self._cache[key]
        for name in ("ends", "doc_index"):
            self.__dict__.pop(name, None)
        self.release_pages()

    def release_pages(self) -> None:
        """Hand back the pages of the memory-mapped token arrays read so far.

        Arrays read from the cache are memory maps: the pages read count towards the process's
        resident memory until handed back, so a worker that reads the documents of one part
        after another would end up holding the whole store. They are read again from the page
        cache, or the file, when next used; arrays held in memory are left alone.
        """
        release_mapped(self.offsets, self.type_ids, self.starts, self.sentence_ids)

    def forget(self, prefix: str) -> None:
        """Drop the memos (see :meth:`memo`) whose string keys start with ``prefix``."""
        for key in [k for k in self._cache if isinstance(k, str) and k.startswith(prefix)]:
            del self._cache[key]

    def memo(self, key, compute):
        """``compute()``, computed once per store and key (e.g. a look-up index over a column)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def type_attribute(self, name: str) -> np.ndarray:
        """A vocabulary column as an array over type ids (``kind`` as its integer codes)."""
        if name not in self._cache:
            if name == "stem" and self.vocabulary["stem"].isna().any():
                # Stems are computed on first use (see annotate_forms).
                kinds = self.vocabulary["kind"].cat.codes.to_numpy()
                self.vocabulary["stem"] = pd.Series(stem_forms(self.vocabulary["form"].tolist(), kinds),
                                                    dtype=object, index=self.vocabulary.index)
            column = self.vocabulary[name]
            if name == "kind":
                values = column.cat.codes.to_numpy(dtype=np.int8)
            else:
                values = column.to_numpy()
            self._cache[name] = values
        return self._cache[name]

    def token_attribute(self, name: str) -> np.ndarray:
        """A vocabulary column for every token (``kind`` as integer codes into ``KINDS``)."""
        return self.type_attribute(name)[self.type_ids]

    # --------------------------------------------------------------------------- subsets
    def positions(self, doc_ids=None) -> np.ndarray:
        """Document positions of ``doc_ids`` (all when None), in the order given."""
        if doc_ids is None:
            return np.arange(self.n_documents)
        wanted = pd.Index([str(d) for d in doc_ids])
        found = self.doc_ids.get_indexer(wanted)
        if (found < 0).any():
            missing = list(wanted[found < 0][:5])
            raise ParameterError(
                f"doc_ids not in the token store: {', '.join(missing)}",
                hint="pick doc_ids of the prepared corpus (prepared.documents['doc_id'])",
            )
        return found

    def token_rows(self, positions: np.ndarray) -> np.ndarray:
        """Token indices of the documents at ``positions`` (in that order)."""
        positions = np.asarray(positions, dtype=np.int64)
        if len(positions) == self.n_documents and (positions == np.arange(self.n_documents)).all():
            return np.arange(self.n_tokens)
        starts, lengths = self.offsets[positions], self.lengths[positions]
        if not lengths.sum():
            return np.zeros(0, dtype=np.int64)
        base = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return base + np.arange(int(lengths.sum()))

    def subset(self, doc_ids) -> "TokenStore":
        """A store of some documents (in the order given), over the same vocabulary: type ids
        keep their meaning, and the vocabulary attributes computed so far are shared.

        Examples
        --------
        >>> store = TokenStore.from_texts(["a", "b"], ["Kim lacht.", "Putin auch."])
        >>> part = store.subset(["b"])
        >>> part.n_tokens, part.to_frame()["token"].tolist(), len(part.vocabulary) == len(store.vocabulary)
        (3, ['Putin', 'auch', '.'], True)
        """
        positions = self.positions(doc_ids)
        rows = self.token_rows(positions)
        lengths = self.lengths[positions]
        part = TokenStore(self.vocabulary, pd.Index(self.doc_ids[positions], dtype=object),
                          np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                          np.asarray(self.type_ids[rows]), np.asarray(self.starts[rows]),
                          np.asarray(self.sentence_ids[rows]))
        part._cache.update({k: v for k, v in self._cache.items() if k in self.vocabulary.columns})
        return part

    def document_range(self, first: int, stop: int) -> "TokenStore":
        """A store of the consecutive documents ``first:stop``, whose arrays are views of this
        store's (no copy): for work in bounded memory, slice by slice (see :meth:`slices`).
        Token ``i`` of the range is token ``offsets[first] + i`` of this store. Vocabulary
        attributes computed so far are shared.

        Examples
        --------
        >>> store = TokenStore.from_texts(["a", "b"], ["Kim lacht.", "Putin auch."])
        >>> part = store.document_range(1, 2)
        >>> part.to_frame()["token"].tolist(), int(store.offsets[1])
        (['Putin', 'auch', '.'], 3)
        """
        if not 0 <= first <= stop <= self.n_documents:
            raise ParameterError(f"document range {first}:{stop} is outside 0:{self.n_documents}",
                                 hint="give 0 <= first <= stop <= n_documents")
        lo, hi = int(self.offsets[first]), int(self.offsets[stop])
        part = TokenStore(self.vocabulary, self.doc_ids[first:stop], np.asarray(self.offsets[first : stop + 1]) - lo,
                          self.type_ids[lo:hi], self.starts[lo:hi], self.sentence_ids[lo:hi])
        part._cache.update({k: v for k, v in self._cache.items() if k in self.vocabulary.columns})
        return part

    def select(self, doc_ids=None) -> "Selection":
        """The token arrays of some documents (all when None), in the order given.

        For the whole corpus in store order the arrays are the store's own (views, no copy),
        so analyses over a large corpus do not double its memory.
        """
        positions = self.positions(doc_ids)
        if len(positions) == self.n_documents and (positions == np.arange(self.n_documents)).all():
            rows = slice(None)
            doc_pos = self.doc_index
        else:
            rows = self.token_rows(positions)
            doc_pos = np.repeat(np.arange(len(positions), dtype=np.int32), self.lengths[positions])
        return Selection(positions, rows, doc_pos, self.type_ids[rows], self.starts[rows], self.ends_of(rows),
                         self.sentence_ids[rows])

    def to_frame(self, doc_ids=None, *, columns=None) -> pd.DataFrame:
        """The tidy tokens table (columns of ``docs/pipeline.md``) for some or all documents.

        String columns refer to the vocabulary's string objects, so a table of many tokens
        holds one pointer per cell, not one string.
        """
        positions = self.positions(doc_ids)
        rows = self.token_rows(positions)
        type_ids = self.type_ids[rows]
        lengths = self.lengths[positions]
        first = np.repeat(np.cumsum(lengths) - lengths, lengths)
        wanted = list(TOKEN_COLUMNS) if columns is None else list(columns)
        data = {}
        for name in wanted:
            if name == "doc_id":
                data[name] = pd.Series(self.doc_ids.to_numpy(dtype=object)[np.repeat(positions, lengths)],
                                       dtype=object)
            elif name == "sentence_id":
                data[name] = self.sentence_ids[rows]
            elif name == "token_id":
                data[name] = (np.arange(len(rows), dtype=np.int64) - first).astype(np.int32)
            elif name == "token":
                data[name] = pd.Series(self.type_attribute("form")[type_ids], dtype=object)
            elif name == "start":
                data[name] = self.starts[rows]
            elif name == "end":
                data[name] = self.ends_of(rows)
            elif name == "kind":
                data[name] = pd.Categorical.from_codes(self.type_attribute("kind")[type_ids], categories=list(KINDS))
            elif name in ("lemma", "stem"):  # noqa: SIM114
                data[name] = pd.Series(self.type_attribute(name)[type_ids], dtype=object)
            elif name == "is_stop":
                data[name] = self.type_attribute("is_stop")[type_ids].astype(bool)
            else:
                raise ParameterError(f"the tokens table has no column {name!r}",
                                     hint="choose from: " + ", ".join(TOKEN_COLUMNS))
        return pd.DataFrame(data, columns=wanted)

    def slices(self, max_tokens: int = 1_000_000):
        """Consecutive document ranges ``(first, stop)`` of about ``max_tokens`` tokens each."""
        first = 0
        while first < self.n_documents:
            stop = int(np.searchsorted(self.offsets, self.offsets[first] + max_tokens, side="right")) - 1
            stop = min(max(stop, first + 1), self.n_documents)
            yield first, stop
            first = stop

    def write_tokens(self, path: Path, *, format: str = "parquet") -> None:
        """Write the tidy tokens table, slice by slice (memory stays bounded).

        Parquet columns ``doc_id``, ``token``, ``kind``, ``lemma`` and ``stem`` are
        dictionary-encoded (categorical in pandas): one copy of each distinct string.
        """
        if format not in ("csv", "parquet"):
            raise ParameterError(f"unknown tokens format {format!r}", hint="use parquet or csv")
        # Written under a temporary name and renamed when complete: an interrupted run leaves
        # no half-written tokens table.
        with atomic_target(Path(path)) as temporary:
            self._write_tokens(Path(temporary), format)

    def _write_tokens(self, path: Path, format: str) -> None:
        if format == "csv":
            with open(path, "w", encoding="utf-8", newline="") as handle:
                for number, (first, stop) in enumerate(self.slices()):
                    frame = self.to_frame(self.doc_ids[first:stop])
                    frame.to_csv(handle, index=False, header=number == 0, lineterminator="\n")
                if self.n_documents == 0:
                    self.to_frame([]).to_csv(handle, index=False, lineterminator="\n")
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        forms = pa.array(self.type_attribute("form").tolist(), type=pa.string())
        kinds = pa.array(list(KINDS), type=pa.string())
        lemma_codes, lemmas = pd.factorize(self.type_attribute("lemma"))
        stem_codes, stems = pd.factorize(self.type_attribute("stem"))
        lemmas, stems = pa.array(list(lemmas), type=pa.string()), pa.array(list(stems), type=pa.string())
        doc_dictionary = pa.array(self.doc_ids.astype(str).tolist(), type=pa.string())

        def dictionary(indices, values):
            return pa.DictionaryArray.from_arrays(pa.array(np.asarray(indices, dtype=np.int32)), values)

        def used(codes, values):
            # Each row group gets a dictionary of the values it uses: Parquet writes the whole
            # dictionary into every row group, and the vocabulary of a large corpus has
            # hundreds of thousands of forms.
            seen = np.zeros(len(values), dtype=bool)
            seen[codes] = True
            present = np.flatnonzero(seen)
            local = np.cumsum(seen, dtype=np.int32) - 1  # new code of each used value
            return dictionary(local[codes], values.take(pa.array(present)))

        from concurrent.futures import ThreadPoolExecutor

        schema = None
        writer = None
        writing = None
        # Arrow encodes and compresses a slice without the GIL: the next slice is built
        # meanwhile.
        pool = ThreadPoolExecutor(max_workers=1)
        try:
            for first, stop in self.slices(ROW_GROUP_TOKENS):
                rows = np.arange(self.offsets[first], self.offsets[stop])
                types = np.asarray(self.type_ids[rows])
                lengths = self.lengths[first:stop]
                table = pa.table({
                    "doc_id": dictionary(np.repeat(np.arange(stop - first), lengths),
                                         doc_dictionary.slice(first, stop - first)),
                    "sentence_id": pa.array(np.asarray(self.sentence_ids[rows])),
                    "token_id": pa.array((np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths))
                                         .astype(np.int32)),
                    "token": used(types, forms),
                    "start": pa.array(np.asarray(self.starts[rows])),
                    "end": pa.array(self.ends[rows]),
                    "kind": dictionary(self.type_attribute("kind")[types], kinds),
                    "lemma": used(lemma_codes[types], lemmas),
                    "stem": used(stem_codes[types], stems),
                    "is_stop": pa.array(self.type_attribute("is_stop")[types].astype(bool)),
                })
                if writer is None:
                    schema = table.schema
                    # Statistics of the dictionary-encoded text columns (min/max strings of
                    # every page) would double the writing time and filter nothing useful.
                    # Positions grow by small steps: delta encoding writes them faster and
                    # smaller than a dictionary of distinct values would.
                    writer = pq.ParquetWriter(
                        path, schema, write_statistics=list(_TOKEN_STATISTICS),
                        use_dictionary=["doc_id", "token", "kind", "lemma", "stem"],
                        column_encoding={name: "DELTA_BINARY_PACKED"
                                         for name in ("sentence_id", "token_id", "start", "end")})
                if writing is not None:
                    writing.result()
                writing = pool.submit(writer.write_table, table)
                del table
            if writing is not None:
                writing.result()
            if writer is None:
                pq.write_table(pa.Table.from_pandas(self.to_frame([]), preserve_index=False), path)
        finally:
            pool.shutdown(wait=True)
            if writer is not None:
                writer.close()

    # ----------------------------------------------------------------------- construction
    @classmethod
    def from_texts(cls, doc_ids, texts, *, lemmas: bool = True, stems: bool = True) -> "TokenStore":
        """Tokenize texts in this process (see :func:`analysis.store.prepare.prepare_store` for corpora)."""
        from ..text import scan_texts

        builder = StoreBuilder()
        builder.add(scan_texts(list(texts)))
        return builder.finish([str(d) for d in doc_ids], annotate_forms(builder.new_forms(), lemmas=lemmas,
                                                                           stems=stems))

    # ---------------------------------------------------------------------------- storage
    def save(self, folder: Path) -> None:
        """Write the store into ``folder`` (vocabulary as Parquet, arrays as ``.npy``)."""
        folder.mkdir(parents=True, exist_ok=True)
        vocabulary = self.vocabulary.copy()
        vocabulary["kind"] = vocabulary["kind"].astype(str)
        vocabulary["stem"] = vocabulary["stem"].astype(object)
        vocabulary.to_parquet(folder / "vocabulary.parquet", index=False)
        pd.DataFrame({"doc_id": self.doc_ids.astype(str)}).to_parquet(folder / "doc_ids.parquet", index=False)
        np.save(folder / "offsets.npy", self.offsets)
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name))

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> "TokenStore":
        """Read a store written by :meth:`save`; the token arrays are memory-mapped."""
        vocabulary = pd.read_parquet(folder / "vocabulary.parquet")
        vocabulary = _object_strings(vocabulary, ("form", "lower", "lemma", "stem"))
        vocabulary["kind"] = pd.Categorical(vocabulary["kind"], categories=list(KINDS))
        doc_ids = pd.Index(pd.read_parquet(folder / "doc_ids.parquet")["doc_id"].astype(object), dtype=object)
        mode = "r" if mmap else None
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode=mode) for name in _ARRAYS}
        return cls(vocabulary, doc_ids, np.load(folder / "offsets.npy"), **arrays)


def _object_strings(frame: pd.DataFrame, columns) -> pd.DataFrame:
    for column in columns:
        frame[column] = frame[column].astype(object)
    return frame


class StoreBuilder:
    """Merge scanned batches, in corpus order, into one store with one vocabulary.

    Each batch comes with its own local vocabulary; :meth:`add` maps it onto the global one
    (a dictionary lookup per distinct form of the batch, not per token) and remembers which
    forms are new, so that their attributes are computed exactly once
    (:meth:`new_forms`). Type ids are given in order of first occurrence, so the store is the
    same however the corpus was split into batches.
    """

    def __init__(self, *, spill: bool = False):
        self.index: dict[str, int] = {}
        self.forms: list[str] = []
        self._annotated = 0
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in _ARRAYS}
        self._lengths: list[np.ndarray] = []
        # With ``spill``, the token arrays go to files as the batches come (the temporary folder,
        # TMPDIR) and the store maps them: no pieces held and no joined copy made in this process
        # (about 10 GB at 1,000,000 articles). :meth:`discard` removes the files of a builder
        # that will not finish.
        self._files = None
        if spill:
            import tempfile

            self._folder = tempfile.mkdtemp(prefix="analysis-store-")
            self._files = {name: open(Path(self._folder) / f"{name}.int32", "wb") for name in _ARRAYS}
            self._counts = dict.fromkeys(_ARRAYS, 0)

    def _append(self, name: str, values: np.ndarray) -> None:
        values = np.ascontiguousarray(values, dtype=np.int32)
        if self._files is None:
            self._parts[name].append(values)
        else:
            self._files[name].write(memoryview(values).cast("B"))
            self._counts[name] += len(values)

    def add(self, batch: ScannedBatch) -> None:
        index, forms = self.index, self.forms
        # Look every form up at C speed; only the forms never seen before take a Python step.
        found = list(map(index.get, batch.forms))
        for i in [i for i, global_id in enumerate(found) if global_id is None]:
            form = batch.forms[i]  # a batch's forms are distinct: each new one is added once
            found[i] = index[form] = len(forms)
            forms.append(form)
        local = np.fromiter(found, dtype=np.int32, count=len(found))
        # Type ids must follow first occurrence in the corpus, not in the batch's vocabulary
        # (the batch's vocabulary is already in first-occurrence order, so the two agree).
        self._append("type_ids", local[batch.type_ids])
        self._append("starts", batch.starts)
        self._append("sentence_ids", batch.sentence_ids)
        self._lengths.append(np.asarray(batch.counts, dtype=np.int64))

    def new_forms(self) -> list[str]:
        """Forms added since the last call (each form is returned once)."""
        new = self.forms[self._annotated:]
        self._annotated = len(self.forms)
        return new

    def finish(self, doc_ids, vocabulary: pd.DataFrame) -> TokenStore:
        """The store; ``vocabulary`` holds the rows of every form, in type-id order (called once:
        the merged pieces are released as they are joined)."""
        if len(vocabulary) != len(self.forms):
            raise ValueError(f"vocabulary has {len(vocabulary)} rows for {len(self.forms)} forms")
        lengths = np.concatenate(self._lengths) if self._lengths else np.zeros(0, dtype=np.int64)
        if len(lengths) != len(doc_ids):
            raise ValueError(f"{len(lengths)} documents scanned for {len(doc_ids)} doc_ids")
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        if self._files is not None:
            arrays = self._mapped()
        else:
            arrays = {}
            for name in list(self._parts):
                parts = self._parts.pop(name)  # each array's pieces freed once it is joined
                arrays[name] = (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)).astype(
                    np.int32, copy=False)
                del parts
        vocabulary = vocabulary.reset_index(drop=True)
        return TokenStore(vocabulary[list(VOCABULARY_COLUMNS)], pd.Index(list(doc_ids), dtype=object), offsets,
                          **arrays)

    def discard(self) -> None:
        """Close and remove the spilled files of a builder that will not :meth:`finish`."""
        if self._files is not None:
            import shutil

            for file in self._files.values():
                file.close()
            self._files = None
            shutil.rmtree(self._folder, ignore_errors=True)

    def _mapped(self) -> dict:
        """The spilled arrays, mapped read-only; their files are unlinked at once (the maps keep
        the data until the last array is gone), or, where a mapped file cannot be removed,
        when the process ends."""
        import shutil

        arrays = {}
        for name, file in self._files.items():
            file.close()
            n = self._counts[name]
            path = Path(self._folder) / f"{name}.int32"
            arrays[name] = np.memmap(path, dtype=np.int32, mode="r", shape=(n,)) if n else np.zeros(0, np.int32)
        self._files = None
        try:
            shutil.rmtree(self._folder)
        except OSError:  # pragma: no cover - Windows keeps mapped files
            import atexit

            atexit.register(shutil.rmtree, self._folder, True)
        return arrays
