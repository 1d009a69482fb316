"""Read one table file (CSV, TSV, JSON lines, JSON, Parquet) into records."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import CorpusError
from analysis.io.encoding import DecodedText, decode_bytes
from analysis.io.records import (
    FOLDER_SUFFIXES,
    ID_ALIASES,
    ORIGINAL_SOURCE,
    SUPPORTED_TEXT,
    TABLE_SUFFIXES,
    TEXT_ALIASES,
    ReadOptions,
    Records,
    cell_to_str,
    decoding_notes,
    read_bytes,
)

def read_table(path: Path, label: str, options: ReadOptions) -> Records:
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        if suffix in FOLDER_SUFFIXES:
            hint = (
                f"a single {suffix} file is not a corpus: put it in a folder (one file per "
                "document) and pass the folder"
            )
        else:
            hint = f"pass {SUPPORTED_TEXT}"
        raise CorpusError(f"unsupported format {suffix or '(no extension)'!r}", file=label, hint=hint)
    if path.stat().st_size == 0:
        raise CorpusError("the file is empty", file=label, hint="export the corpus again")
    name = path.name
    if suffix == ".parquet":
        frame = _read_parquet(path, label)
        numbers = np.arange(2, len(frame) + 2)
        unit = "row"
        file_notes: list[str] = []
    else:
        data = read_bytes(path, label)
        try:
            decoded = decode_bytes(data, source=label)
        except CorpusError as exc:
            raise CorpusError(exc.reason, file=label, hint=exc.hint) from None
        if not decoded.text or decoded.text.isspace():
            raise CorpusError("the file is empty (only whitespace)", file=label, hint="export the corpus again")
        file_notes = [f"file {note}" if note.startswith("decoded") else note for note in decoding_notes(decoded)]
        if suffix in (".csv", ".tsv"):
            source, encoding, sep, engine = _csv_source(data, decoded, tab=suffix == ".tsv")
            del decoded, data  # the parser reads `source`; keep no second copy of the text
            frame = _parse_csv(source, encoding, sep, engine, label, tab=suffix == ".tsv")
            numbers = np.arange(2, len(frame) + 2)
            unit = "row"
        elif suffix in (".jsonl", ".ndjson"):
            frame, numbers = _read_jsonl(decoded.text, label)
            unit = "line"
        else:
            frame, numbers = _read_json(decoded.text, label)
            unit = "record"
    if len(frame) == 0:
        raise CorpusError(
            "holds no records" + (" (only a header)" if len(frame.columns) else ""),
            file=label,
            hint="export the corpus again",
        )
    return _records_from_frame(frame, label=label, name=name, unit=unit, numbers=numbers,
                               options=options, file_notes=file_notes, stem=path.stem)


def _sniff_separator(text: str) -> str:
    """The separator of a .csv from its header line: the most frequent of , ; and tab."""
    header = text.split("\n", 1)[0]
    header = re.sub(r'"[^"]*"', "", header)
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


def _csv_source(data: bytes, decoded: DecodedText, *, tab: bool):
    """What to hand to the CSV parser: (file object, encoding, separator).

    UTF-8 data goes to pandas' C parser as bytes (the decoded text only serves to sniff the
    separator); other encodings as the decoded text.
    """
    sep = "\t" if tab else _sniff_separator(decoded.text[:65536])
    # Some versions of pandas' C parser cut a cell at a NUL character; the Python parser
    # keeps it (normalise_controls removes it later and counts it per record).
    engine = "python" if "\x00" in decoded.text else "c"
    if decoded.encoding in ("utf-8", "utf-8-sig") and engine == "c":
        return io.BytesIO(data), decoded.encoding, sep, engine
    return io.StringIO(decoded.text), None, sep, engine


def read_delimited(data: bytes, decoded: DecodedText, label: str, *, tab: bool) -> pd.DataFrame:
    source, encoding, sep, engine = _csv_source(data, decoded, tab=tab)
    return _parse_csv(source, encoding, sep, engine, label, tab=tab)


_CSV_CHUNK_ROWS = 20_000


def _parse_csv(source, encoding, sep: str, engine: str, label: str, *, tab: bool) -> pd.DataFrame:
    try:
        # Read in chunks: the parser's temporary Python objects then stay small.
        reader = pd.read_csv(
            source,
            engine=engine,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            encoding=encoding,
            quoting=csv.QUOTE_MINIMAL,
            chunksize=_CSV_CHUNK_ROWS,
        )
        with reader:
            chunks = list(reader)
        frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
    except pd.errors.EmptyDataError:
        raise CorpusError("the file is empty", file=label, hint="export the corpus again") from None
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        message = " ".join(str(exc).split())
        raise CorpusError(
            f"cannot be read as {'TSV' if tab else 'CSV'}: {message}",
            file=label,
            hint="a cell holding the separator, a double quote or a line break must be enclosed "
            'in double quotes, with inner quotes doubled ("")',
        ) from None
    return frame


def _read_jsonl(text: str, label: str) -> tuple[pd.DataFrame, np.ndarray]:
    records = []
    numbers = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(
                f"line {number} is not valid JSON: {exc.msg} (character {exc.colno})",
                file=label,
                hint='every line must hold one JSON object such as {"doc_id": "a1", "text": "…"}; '
                "fix or delete that line",
            ) from None
        if not isinstance(record, dict):
            raise CorpusError(
                f"line {number} holds a JSON {_json_kind(record)}, not an object",
                file=label,
                hint='every line must hold one JSON object such as {"doc_id": "a1", "text": "…"}',
            )
        records.append(record)
        numbers.append(number)
    return pd.DataFrame.from_records(records) if records else pd.DataFrame(), np.asarray(numbers, dtype=int)


def _json_kind(value) -> str:
    return {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def _read_json(text: str, label: str) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            file=label,
            hint="a .json corpus is one list of records; for one record per line use .jsonl",
        ) from None
    if not isinstance(data, list):
        hint = "a .json corpus is one list of records: [{\"doc_id\": \"a1\", \"text\": \"…\"}, …]"
        if isinstance(data, dict):
            lists = [k for k, v in data.items() if isinstance(v, list)]
            if lists:
                hint = f"the records seem to be under the key {lists[0]!r}; save that list on its own"
        raise CorpusError(f"holds a JSON {_json_kind(data)}, not a list of records", file=label, hint=hint)
    for index, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise CorpusError(
                f"record {index} is a JSON {_json_kind(record)}, not an object",
                file=label,
                hint="every element of the list must be an object with at least a text field",
            )
    frame = pd.DataFrame.from_records(data) if data else pd.DataFrame()
    return frame, np.arange(1, len(data) + 1)


def _read_parquet(path: Path, label: str) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for damaged files
        message = " ".join(str(exc).split())
        raise CorpusError(
            f"cannot be read as Parquet: {message}",
            file=label,
            hint="check that the file is a complete Parquet file (pyarrow must be installed)",
        ) from None
    if not isinstance(frame.index, pd.RangeIndex) or any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    return frame


def column_list(columns) -> str:
    names = [str(c) for c in columns]
    shown = ", ".join(repr(c) for c in names[:20])
    return shown + (f", … ({len(names)} in all)" if len(names) > 20 else "") if names else "(none)"


def apply_renames(frame: pd.DataFrame, options: ReadOptions, label: str, *, strict_keys: bool) -> pd.DataFrame:
    frame.columns = [str(c).strip() for c in frame.columns]
    renames = {str(k): str(v) for k, v in options.columns.items()}
    missing = [k for k in renames if k not in frame.columns]
    if missing and strict_keys:
        raise CorpusError(
            f"columns= renames {missing[0]!r}, but there is no such column; columns found: "
            f"{column_list(frame.columns)}",
            file=label,
            hint="check the spelling (column names are case-sensitive)",
        )
    renames = {k: v for k, v in renames.items() if k in frame.columns}
    frame = frame.rename(columns=renames)
    if options.id_column != "doc_id" and options.id_column in frame.columns:
        if "doc_id" in frame.columns:
            raise CorpusError(
                f"has both a 'doc_id' column and the id column {options.id_column!r}",
                file=label,
                hint="rename or drop one of them",
            )
        frame = frame.rename(columns={options.id_column: "doc_id"})
    if "source" in frame.columns:
        frame = frame.rename(columns={"source": ORIGINAL_SOURCE})
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        raise CorpusError(
            f"has two columns named {duplicated[0]!r} (after renaming)",
            file=label,
            hint="rename one of them or change columns=",
        )
    return frame


def _missing_text_error(frame: pd.DataFrame, options: ReadOptions, label: str) -> CorpusError:
    wanted = options.text_column
    found = [c for c in frame.columns if c.lower() in TEXT_ALIASES and c != wanted]
    message = f"has no text column {wanted!r}; columns found: {column_list(frame.columns)}"
    if found:
        alias = found[0]
        hint = (
            f"the text seems to be in {alias!r}: pass columns={{{alias!r}: 'text'}} "
            f"(command line: --text-column {alias})"
        )
    else:
        hint = (
            "rename the column that holds the article text to 'text', or name it with "
            "text_column=... (command line: --text-column NAME)"
        )
    return CorpusError(message, file=label, hint=hint)


def _records_from_frame(
    frame: pd.DataFrame,
    *,
    label: str,
    name: str,
    unit: str,
    numbers: np.ndarray,
    options: ReadOptions,
    file_notes: list[str],
    stem: str,
) -> Records:
    frame = apply_renames(frame, options, label, strict_keys=True)
    if options.text_column != "text" and options.text_column in frame.columns:
        if "text" in frame.columns:
            raise CorpusError(
                f"has both a 'text' column and the text column {options.text_column!r}",
                file=label,
                hint="rename or drop one of them",
            )
        frame = frame.rename(columns={options.text_column: "text"})
    if "text" not in frame.columns:
        raise _missing_text_error(frame, options, label)
    if options.id_column != "doc_id" and "doc_id" not in frame.columns:
        raise CorpusError(
            f"has no id column {options.id_column!r}; columns found: {column_list(frame.columns)}",
            file=label,
            hint="check id_column=, or leave it out to number the records",
        )
    frame = frame.reset_index(drop=True)
    n = len(frame)
    numbers_list = numbers.tolist()
    sources = [f"{name}:{unit} {k}" for k in numbers_list]
    notes: list[list[str]] = [list(file_notes) for _ in range(n)]
    if "doc_id" in frame.columns:
        ids = [cell_to_str(v).strip() for v in frame["doc_id"].tolist()]
        id_note = f"empty doc_id: id generated from the file name and {unit} number"
    else:
        ids = [""] * n
        id_note = f"no doc_id column: id generated from the file name and {unit} number"
        alias = next((c for c in frame.columns if c.lower() in ID_ALIASES), None)
        if alias is not None:
            id_note += f" (to use {alias!r}, pass columns={{{alias!r}: 'doc_id'}})"
    for i, doc_id in enumerate(ids):
        if not doc_id:
            ids[i] = f"{stem}-{numbers_list[i]}"
            notes[i].append(id_note)
    texts = frame["text"].tolist()
    meta = frame.drop(columns=[c for c in ("text", "doc_id") if c in frame.columns])
    return Records(sources=sources, doc_ids=ids, texts=texts, notes=notes, forced=[""] * n, meta=meta)
