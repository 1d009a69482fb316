"""Writing result tables as CSV: the bytes pandas writes, at the speed of Arrow's writer.

``DataFrame.to_csv`` formats every row in Python (about 1 µs a value): the full keyness table
of one outlet in a corpus of 40,000 articles takes seconds, and ``figures`` writes one per
outlet. :func:`write_csv` formats the columns as whole arrays and hands them to
``pyarrow.csv``, which writes the same bytes pandas would. Values that need quoting (article
texts) are quoted and joined into rows by Arrow's compute kernels instead; a column type
without a matching format goes to pandas.

Every file is written atomically (:func:`atomic_target`): into a temporary file in the same
folder, which then replaces the target in one step. An interrupted run (an error, Ctrl-C, a
full disk) leaves the previous file or none, never half a table under the target's name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["atomic_target", "write_bytes_atomic", "write_csv", "write_csv_bytes", "write_text_atomic"]


@contextlib.contextmanager
def atomic_target(target):
    """Context manager giving a temporary path beside ``target`` that replaces it on success.

    Write the file to the path yielded; when the block ends without an error it is renamed to
    ``target`` with :func:`os.replace` (atomic within one file system), else removed. Readers
    see the old file or the whole new one, never a part. The temporary name is short (a
    target name near the file system's limit still fits) and starts with a dot.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_target(folder / "zahlen.txt") as path:
    ...     _ = path.write_text("1, 2, 3", encoding="utf-8")
    >>> sorted(p.name for p in folder.iterdir())
    ['zahlen.txt']
    >>> with atomic_target(folder / "halb.txt") as path:
    ...     _ = path.write_text("1, 2", encoding="utf-8")
    ...     raise OSError("Datenträger voll")
    Traceback (most recent call last):
    OSError: Datenträger voll
    >>> sorted(p.name for p in folder.iterdir())
    ['zahlen.txt']
    """
    target = Path(target)
    folder = target.parent
    # The target's last suffix is kept: pandas chooses the compression of "x.csv.gz" by it.
    suffix = target.suffix if len(target.suffix) <= 8 else ""
    while True:
        temporary = folder / f".{secrets.token_hex(6)}.part{suffix}"
        try:
            # Created empty with the permissions an ordinary new file gets (umask applies).
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:  # pragma: no cover - a clash of 48 random bits
            continue
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_bytes_atomic(target, data) -> None:
    """Write ``data`` (bytes) to ``target`` atomically (see :func:`atomic_target`)."""
    with atomic_target(target) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(data)


def write_text_atomic(target, text: str) -> None:
    """Write ``text`` as UTF-8 to ``target`` atomically (see :func:`atomic_target`)."""
    write_bytes_atomic(target, text.encode("utf-8"))

# Below this many values the Arrow path saves nothing worth a second code path.
_FAST_VALUES = 20_000


def write_csv(frame: pd.DataFrame, target, *, header: bool = True) -> None:
    """Write ``frame`` without its index as CSV (``"\\n"`` line ends, UTF-8).

    Parameters
    ----------
    frame : pandas.DataFrame
    target : str, Path or text file
        A file name, written atomically (:func:`atomic_target`), or an open text handle
        (e.g. ``sys.stdout``) to append to.
    header : bool, default True
        Write the column names first.

    The output is exactly ``frame.to_csv(target, index=False, header=header,
    lineterminator="\\n")``.

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> write_csv(pd.DataFrame({"term": ["Diktator", "Freund"], "z": [2.5, float("nan")]}), buffer)
    >>> print(buffer.getvalue(), end="")
    term,z
    Diktator,2.5
    Freund,
    """
    if isinstance(target, (str, Path)):
        with atomic_target(target) as temporary:
            _write_csv(frame, temporary, header)
    else:
        _write_csv(frame, target, header)


#: File suffixes pandas compresses by; the Arrow path writes plain bytes, so they go to pandas.
_COMPRESSED = (".gz", ".bz2", ".zip", ".xz", ".zst", ".tar")


def _write_csv(frame: pd.DataFrame, target, header: bool) -> None:
    compressed = isinstance(target, (str, Path)) and Path(target).suffix.lower() in _COMPRESSED
    data = _arrow_bytes(frame) if frame.size >= _FAST_VALUES and not compressed else None
    if data is None:
        frame.to_csv(target, index=False, header=header, lineterminator="\n")
        return
    head = frame.iloc[:0].to_csv(index=False, lineterminator="\n") if header else ""
    if isinstance(target, (str, Path)):
        # Bytes straight to the file: no text copy of a table that may be hundreds of megabytes.
        with open(target, "wb") as handle:
            handle.write(head.encode("utf-8"))
            handle.write(data)
    else:
        target.write(head + bytes(data).decode("utf-8"))


def write_csv_bytes(frame: pd.DataFrame, *, header: bool = True) -> bytes:
    """The bytes :func:`write_csv` writes, for appending a large table part by part to a
    file opened in binary mode.

    Examples
    --------
    >>> write_csv_bytes(pd.DataFrame({"doc_id": ["a"], "text": ['Er sagte: "Ja", gut.']}))
    b'doc_id,text\\na,"Er sagte: ""Ja"", gut."\\n'
    """
    data = _arrow_bytes(frame)  # the parts of a large table: worth Arrow whatever their size
    if data is None:
        return frame.to_csv(index=False, header=header, lineterminator="\n").encode("utf-8")
    head = frame.iloc[:0].to_csv(index=False, lineterminator="\n") if header else ""
    return head.encode("utf-8") + bytes(data)


def _arrow_bytes(frame: pd.DataFrame):
    """The CSV rows of ``frame`` (UTF-8, no header) written by Arrow, or None when pandas has
    to write them."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if frame.shape[1] < 2 or not frame.columns.is_unique:
        return None  # one field per row: the csv module quotes an empty one
    columns = {}
    for number, name in enumerate(frame.columns):
        values = _formatted(frame.iloc[:, number])
        if values is None:
            return None
        columns[f"c{number}"] = values
    sink = pa.BufferOutputStream()
    try:
        # quoting "none" refuses any value holding a delimiter, quote or line break: exactly
        # the values the csv module would quote, so this path never writes them.
        pa_csv.write_csv(pa.table(columns), sink,
                         pa_csv.WriteOptions(include_header=False, quoting_style="none"))
    except pa.ArrowInvalid:
        return _joined_rows(list(columns.values()))
    return memoryview(sink.getvalue())


def _csv_quoted_characters() -> str:
    """The characters that make Python's csv module (as pandas calls it) quote a field.

    Asked of the module itself: whether a lone ``"\\r"`` is quoted with ``"\\n"`` line ends
    differs between Python versions.
    """
    import csv
    import io

    probe = ',"\n\r'
    quoted = []
    for char in probe:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(["a" + char, "b"])
        if buffer.getvalue().startswith('"'):
            quoted.append(char)
    return "".join(quoted)


_QUOTED = _csv_quoted_characters()


def _joined_rows(columns: list):
    """The CSV rows of text columns, quoted as the csv module quotes them, joined by Arrow's
    compute kernels (for tables with values to quote, such as article texts)."""
    import re

    import pyarrow as pa
    import pyarrow.compute as pc

    quote, empty = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    fields = []
    for values in columns:
        number = pa.types.is_integer(values.type) or pa.types.is_dictionary(values.type)  # floats, formatted
        values = pc.cast(values, pa.large_string())  # integers as Arrow writes them; no 2 GB limit
        if number:  # digits, signs, points and exponents: never quoted
            fields.append(pc.fill_null(values, empty))
            continue
        needs = pc.match_substring_regex(values, "[" + re.escape(_QUOTED) + "]")
        quoted = pc.binary_join_element_wise(quote, pc.replace_substring(values, '"', '""'), quote, empty)
        fields.append(pc.fill_null(pc.if_else(needs, quoted, values), empty))
    rows = pc.binary_join_element_wise(*fields, pa.scalar(",", pa.large_string()))
    # Each row ends with its line break.
    rows = pc.binary_join_element_wise(rows, empty, pa.scalar("\n", pa.large_string()))
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset : rows.offset + len(rows) + 1]
    data = rows.buffers()[2]
    if data is None:
        return memoryview(b"")
    return memoryview(data)[int(offsets[0]) : int(offsets[-1])]


def _formatted(series: pd.Series):
    """One column as an Arrow array whose text is what pandas writes, or None."""
    import pyarrow as pa

    dtype = series.dtype
    if dtype.kind in "iu" and isinstance(dtype, np.dtype):
        return pa.array(series.to_numpy())
    if dtype == np.float64:
        values = np.ascontiguousarray(series.to_numpy())
        # repr is the shortest text that reads back as the same double, as pandas writes it.
        # Formatted once per distinct value (counts and rates repeat a lot in a long table)
        # and laid out by Arrow: no Python string per row. Distinct by bit pattern, so that
        # 0.0 and -0.0 keep their own text.
        codes, bits = pd.factorize(values.view(np.int64))
        distinct = np.asarray(bits).view(np.float64)
        text = pa.array([repr(x) for x in distinct.tolist()], type=pa.string())
        indices = pa.array(codes.astype(np.int32), mask=np.isnan(values))  # NaN: an empty field
        return pa.DictionaryArray.from_arrays(indices, text)
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        values = series.to_numpy()
        missing = np.isnat(values)
        if (values[~missing] != values[~missing].astype("datetime64[D]")).any():
            return None  # times of day: pandas picks the precision
        # Dates only: pandas writes them as YYYY-MM-DD.
        text = np.datetime_as_string(values, unit="D").astype(object)
        text[missing] = None
        return pa.array(text, type=pa.string())
    if dtype == np.bool_:
        return pa.array(np.where(series.to_numpy(), "True", "False"), type=pa.string())
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return pa.array(series)  # already Arrow strings (missing values are nulls): no copy
    if isinstance(dtype, pd.StringDtype) or dtype == object:
        values = series.to_numpy(dtype=object)
        missing = pd.isna(values)
        present = values[~missing]
        if not all(type(v) is str for v in present.tolist()):
            return None  # numbers, dates, lists ... in an object column: pandas formats them
        values = values.copy()
        values[missing] = None
        return pa.array(values, type=pa.string())
    return None
