"""The on-disk cache of prepared corpora.

Preparing a corpus (loading, cleaning, tokens, entity mentions) is the expensive step; every
command and notebook on the same corpus after the first reads its result from here.

Location
    ``$XDG_CACHE_HOME/framing-analysis`` (``~/.cache/framing-analysis`` when
    ``XDG_CACHE_HOME`` is not set); ``ANALYSIS_CACHE_DIR`` or the command line's
    ``--cache-dir`` choose another folder, ``--no-cache`` bypasses it.
Key
    A SHA-256 over the input's bytes (every file of a corpus folder, with its relative
    name), the loading options, the entity registry's bytes, the package's source and
    resource files and the versions of the language resources and readers (simplemma,
    stop-words, PyStemmer, datasketch, py3langid, ftfy, trafilatura, pandas, pyarrow).
    Changing any of them prepares the corpus again.
Layout
    One folder per key holding Parquet tables (documents, ledger, audit, mentions), the
    token store (:meth:`analysis.store.TokenStore.save`) and ``manifest.json``. A folder is
    written under a temporary name and renamed when complete, so an interrupted run never
    leaves a half-written entry behind.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from importlib import metadata, resources
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["as_stored", "cache_root", "content_hash", "corpus_key", "environment_versions", "frame_slices",
           "read_counts", "read_derived", "read_derived_exists", "read_entry", "read_group_counts", "write_counts", "write_derived",
           "write_entry", "write_group_counts"]

_FORMAT = 2
_RESOURCE_PACKAGES = ("simplemma", "stop-words", "PyStemmer", "pandas", "pyarrow", "datasketch", "py3langid", "ftfy", "trafilatura",
                      "textblob-de")


def cache_root(cache_dir=None) -> Path:
    """The cache folder: ``cache_dir``, else ``ANALYSIS_CACHE_DIR``, else the user cache folder."""
    if cache_dir is not None:
        return Path(cache_dir)
    if os.environ.get("ANALYSIS_CACHE_DIR"):
        return Path(os.environ["ANALYSIS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "framing-analysis"


def _hash_path(digest, path: Path) -> None:
    """Feed a file, or every file below a folder (sorted, with relative names), to ``digest``."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(str(child.relative_to(path)).encode("utf-8", "surrogateescape") + b"\0")
            _hash_file(digest, child)
    elif path.exists():
        _hash_file(digest, path)


def _hash_file(digest, path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        # An unreadable file is a ledger row of load_corpus, not a reason to stop here.
        digest.update(f"unreadable: {exc.errno}".encode())
    digest.update(b"\0")


def _code_fingerprint() -> str:
    """Hash of the package's own source and resource files."""
    digest = hashlib.sha256()
    root = Path(str(resources.files("analysis")))
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt", ".yml", ".yaml", ".json", ".tsv", ".csv"):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            _hash_file(digest, path)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    found = {}
    for name in _RESOURCE_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def content_hash(path) -> str:
    """SHA-256 (hex) of a file's bytes — what ``sha256sum FILE`` prints — or, for a folder, of
    every file below it with its relative name (sorted: the same on any machine).

    Within one process the hash of an unchanged file or folder (same size, modification time
    and inode of every file) is computed once: a command reads it for the cache key and again
    for the ``params.json`` of its output, and a corpus may be gigabytes.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        state = tuple((str(f.relative_to(path)), *_file_state(f)) for f in files)
    else:
        state = _file_state(path)
    return _content_hash(str(path.resolve()), state)


def _file_state(path: Path) -> tuple:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


@functools.lru_cache(maxsize=64)
def _content_hash(resolved: str, state: tuple) -> str:
    path = Path(resolved)
    digest = hashlib.sha256()
    if path.is_dir():
        _hash_path(digest, path)
        return digest.hexdigest()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def environment_versions() -> dict:
    """What a result depends on besides its input and options: the suite's version, a hash of
    its source and resource files, and the versions of the language resources and readers."""
    from .. import __version__

    return {"analysis": __version__, "code": _code_fingerprint()[:16], **_versions()}


def corpus_key(path: Path, options: dict, extra_files=()) -> str:
    """Cache key of a corpus: its bytes, the options, the extra files and the code versions."""
    digest = hashlib.sha256()
    digest.update(f"format {_FORMAT}\0".encode())
    if Path(path).exists():
        try:
            digest.update(content_hash(path).encode() + b"\0")
        except OSError as exc:
            # An unreadable file is a ledger row of load_corpus, not a reason to stop here.
            digest.update(f"unreadable: {exc.errno}\0".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode() + b"\0")
    for extra in extra_files:
        _hash_path(digest, Path(extra))
    digest.update(_code_fingerprint().encode())
    digest.update(json.dumps(_versions(), sort_keys=True).encode())
    return digest.hexdigest()[:32]


def as_stored(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as it reads back from the cache (Arrow's column types), so that a prepared
    corpus is the same table whether it was just prepared or read from the cache."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(frame, preserve_index=False).to_pandas()
    except (TypeError, ValueError, pa.ArrowException):
        return frame  # stored as a pickle: read back unchanged


#: Rows per Parquet row group of a table with texts: reading such a table part by part
#: (:func:`_frame_batches`) decodes one row group at a time, so a part of the documents costs
#: the texts of about this many documents, not those of the whole corpus.
TEXT_ROW_GROUP_ROWS = 1000


#: Rows per Parquet row group of the other tables, converted to Arrow one group at a time.
ROW_GROUP_ROWS = 262_144


def _write_frame(frame: pd.DataFrame, path: Path) -> None:
    texts = any(c in frame.columns for c in _TEXT_COLUMNS)
    try:
        _write_parquet(frame, path.with_suffix(".parquet"), TEXT_ROW_GROUP_ROWS if texts else ROW_GROUP_ROWS)
    except (TypeError, ValueError, OverflowError, ImportError):  # columns Arrow cannot hold
        path.with_suffix(".parquet").unlink(missing_ok=True)
        frame.to_pickle(path.with_suffix(".pickle"))


def _write_parquet(frame: pd.DataFrame, path: Path, rows: int) -> None:
    """``frame.to_parquet(path, index=False)`` converted to Arrow ``rows`` rows at a time.

    Why not ``to_parquet`` in one call: it converts the whole frame first, and the Arrow copy of
    the string columns of a table of millions of rows (the sentence sentiment, the lexicon
    contributions) is hundreds of megabytes beside the frame. A column whose type the first
    slice cannot tell (all of it missing) is written in one call, as before.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if len(frame) <= rows:
        frame.to_parquet(path, index=False, row_group_size=rows)
        return
    first = pa.Table.from_pandas(frame.iloc[:rows], preserve_index=False)
    if any(pa.types.is_null(field.type) for field in first.schema):
        frame.to_parquet(path, index=False, row_group_size=rows)
        return
    with pq.ParquetWriter(path, first.schema) as writer:
        writer.write_table(first, row_group_size=rows)
        del first
        for start in range(rows, len(frame), rows):
            writer.write_table(pa.Table.from_pandas(frame.iloc[start:start + rows], schema=writer.schema,
                                                    preserve_index=False), row_group_size=rows)


def _read_frame(path: Path) -> pd.DataFrame:
    parquet = path.with_suffix(".parquet")
    if parquet.exists():
        return pd.read_parquet(parquet)
    return pd.read_pickle(path.with_suffix(".pickle"))


def write_entry(root: Path, key: str, tables: dict, store, arrays: dict, manifest: dict, files: dict | None = None) -> Path:
    """Write one cache entry atomically and return its folder; ``files`` maps further file names
    to their text (e.g. a registry found in the corpus)."""
    final = root / key
    root.mkdir(parents=True, exist_ok=True)
    with _atomic_folder(final) as temporary:
        for name, frame in tables.items():
            _write_frame(frame, temporary / name)
        store.save(temporary / "store")
        for name, array in arrays.items():
            np.save(temporary / f"{name}.npy", array)
        for name, text in (files or {}).items():
            (temporary / name).write_text(text, encoding="utf-8")
        (temporary / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True, default=str) + "\n",
                                                 encoding="utf-8")
    return final


@contextmanager
def _atomic_folder(final: Path):
    """A temporary folder beside ``final`` that replaces it when the block succeeds and is
    removed when it fails, so a reader never sees a half-written folder."""
    temporary = final.parent / f".{final.name}.{uuid.uuid4().hex}.tmp"
    temporary.mkdir()
    try:
        yield temporary
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(temporary, final)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


_TEXT_COLUMNS = ("text", "raw_text")


def _metadata(folder: Path, name: str) -> pd.DataFrame:
    """A documents table without its text columns, read without reading the texts."""
    parquet = (folder / name).with_suffix(".parquet")
    if parquet.exists():
        import pyarrow.parquet as pq

        columns = [c for c in pq.read_schema(parquet).names if c not in _TEXT_COLUMNS]
        return pd.read_parquet(parquet, columns=columns)
    return _read_frame(folder / name).drop(columns=list(_TEXT_COLUMNS), errors="ignore")


def _frame_batches(path: Path, rows: int):
    """A stored table, ``rows`` rows at a time (as :func:`_read_frame` reads it, in pieces)."""
    parquet = path.with_suffix(".parquet")
    if not parquet.exists():
        yield from frame_slices(_read_frame(path), rows)
        return
    import pyarrow.parquet as pq

    start = 0
    for batch in pq.ParquetFile(parquet).iter_batches(batch_size=rows):
        frame = batch.to_pandas()  # the pandas metadata in the file restores every dtype
        frame.index = pd.RangeIndex(start, start + len(frame))
        start += len(frame)
        yield frame


def frame_slices(frame: pd.DataFrame, rows: int):
    """Consecutive row slices of ``frame`` of ``rows`` rows (at least one slice, maybe empty)."""
    if rows < 1:
        raise ValueError(f"rows must be ≥ 1, got {rows}")
    yield frame.iloc[:rows]
    for start in range(rows, len(frame), rows):
        yield frame.iloc[start : start + rows]


def read_entry(root: Path, key: str, table_names, array_names, *, lazy=()):
    """The tables, store, arrays and manifest of a cache entry, or None when there is none.

    Tables named in ``lazy`` come as a triple ``(metadata, load, batches)``: the table without
    its text columns, read at once; a function that reads the whole table when it is needed;
    and one that yields it ``n`` rows at a time (``batches(n)``), so that it can be written
    out without holding every text in memory.
    """
    from .tokens import TokenStore

    folder = root / key
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        tables = {}
        for name in table_names:
            if name in lazy:
                tables[name] = (_metadata(folder, name), lambda name=name: _read_frame(folder / name),
                                lambda rows, name=name: _frame_batches(folder / name, rows))
            else:
                tables[name] = _read_frame(folder / name)
        store = TokenStore.load(folder / "store")
        arrays = {name: np.load(folder / f"{name}.npy") for name in array_names}
    except (OSError, ValueError, KeyError):
        return None  # a damaged entry is prepared again
    return tables, store, arrays, manifest


#: The arrays of a CSR matrix, each stored as one .npy file.
_CSR_PARTS = ("data", "indices", "indptr")


def read_counts(root: Path, key: str, name: str):
    """Counts stored with :func:`write_counts` (``(matrix, terms, totals)``), or None."""
    return _read_labelled(root / key / f"counts-{name}", "term")


def write_counts(root: Path, key: str, name: str, matrix, terms, totals) -> None:
    """Add a count matrix to an existing cache entry (written under a temporary name first)."""
    entry = root / key
    if not (entry / "manifest.json").exists():
        return
    with _atomic_folder(entry / f"counts-{name}") as temporary:
        _write_labelled(temporary, matrix, "term", terms, totals)


def _write_csr(folder: Path, matrix) -> None:
    from scipy import sparse

    matrix = sparse.csr_matrix(matrix)
    for part in _CSR_PARTS:
        np.save(folder / f"matrix-{part}.npy", getattr(matrix, part))
    np.save(folder / "matrix-shape.npy", np.asarray(matrix.shape, dtype=np.int64))


def _read_csr(folder: Path):
    from scipy import sparse

    # Memory-mapped, copy on write: a command that needs only the outlets' counts reads the
    # pages once, for the sum, instead of copying the document-term matrix out of an archive;
    # writes (sorting indices, say) go to private pages, never to the cache.
    parts = [np.load(folder / f"matrix-{part}.npy", mmap_mode="c") for part in _CSR_PARTS]
    shape = tuple(int(x) for x in np.load(folder / "matrix-shape.npy"))
    return sparse.csr_matrix(tuple(parts), shape=shape, copy=False)


def _group_folder(root: Path, key: str, name: str, group: str) -> Path:
    # The column's name as a hash: any name will do, also one that is no valid file name.
    digest = hashlib.sha256(str(group).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return root / key / f"counts-{name}" / f"group-{digest}"


def write_group_counts(root: Path, key: str, name: str, group: str, matrix, rows, totals) -> None:
    """Add the group-term counts of a documents column (``rows``: its values) beside the
    document-term counts ``name`` of a cache entry: a later command on the same corpus and
    column reads them instead of summing the document rows again."""
    if not (root / key / f"counts-{name}" / "totals.npy").exists():
        return
    with _atomic_folder(_group_folder(root, key, name, group)) as temporary:
        _write_labelled(temporary, matrix, "row", rows, totals)


def read_group_counts(root: Path, key: str, name: str, group: str):
    """Counts stored with :func:`write_group_counts` (``(matrix, rows, totals)``), or None."""
    return _read_labelled(_group_folder(root, key, name, group), "row")


def _derived_folder(root: Path, key: str, name: str) -> Path:
    return root / key / f"derived-{name}"


def write_derived(root: Path, key: str, name: str, frame: pd.DataFrame) -> None:
    """Keep a table computed from a prepared corpus (e.g. the sentence sentiment) beside its
    cache entry, with its ``attrs``: a later command on the same corpus reads it instead of
    computing it again. The entry's key covers the code and its resources (the model file
    among them), so a changed model is a new entry."""
    if not (root / key / "manifest.json").exists():
        return
    with _atomic_folder(_derived_folder(root, key, name)) as temporary:
        _write_frame(frame, temporary / "table")
        (temporary / "attrs.json").write_text(json.dumps(frame.attrs, sort_keys=True, default=str) + "\n",
                                              encoding="utf-8")


def read_derived_exists(root: Path, key: str, name: str) -> bool:
    """Whether a table was stored with :func:`write_derived`."""
    return (_derived_folder(root, key, name) / "attrs.json").exists()


def read_derived(root: Path, key: str, name: str) -> pd.DataFrame | None:
    """A table stored with :func:`write_derived` (``attrs`` restored), or None."""
    folder = _derived_folder(root, key, name)
    if not (folder / "attrs.json").exists():
        return None
    try:
        frame = _read_frame(folder / "table")
        frame.attrs.update(json.loads((folder / "attrs.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):  # a damaged entry is computed again
        return None
    return frame

def _write_labelled(folder: Path, matrix, label: str, labels, totals) -> None:
    """A count matrix, the labels of one of its axes (``<label>s.parquet``) and the totals."""
    _write_csr(folder, matrix)
    pd.DataFrame({label: pd.Series(list(labels), dtype=object)}).to_parquet(folder / f"{label}s.parquet", index=False)
    np.save(folder / "totals.npy", np.asarray(totals))


def _read_labelled(folder: Path, label: str):
    """``(matrix, labels, totals)`` written by :func:`_write_labelled`, or None."""
    try:
        matrix = _read_csr(folder)
        labels = pd.read_parquet(folder / f"{label}s.parquet")[label].astype(object)
        totals = np.load(folder / "totals.npy")
    except (OSError, ValueError, KeyError):
        return None
    return matrix, labels, totals
