"""Read one table file (CSV, TSV, JSON lines, JSON, Parquet) into records.

Tables are read strictly and checked against the file, so that a broken export stops with an
error naming the place instead of loading shifted or merged records.

CSV and TSV
-----------
Parsed with the standard library's :mod:`csv` module in strict mode (``"`` as quote
character, inner quotes doubled), one physical line at a time, so that every record is known
with the lines it spans. (pandas' C parser is not used: it reads an undoubled quote as text,
takes a surplus field in the first row as the index — shifting every column — and does not say
which line a record came from. The strict parse is the check, and it is no slower: about 0.3 s
more per 200 MB than pandas, with less memory.) The separator is the most frequent of ``,`` ``;`` and tab in the header
line, or the one named by Excel's ``sep=;`` first line (that line is skipped). Blank lines are
skipped; they do not make records. Decisions:

* Fewer fields than the header: the missing trailing cells are read as empty (some tools
  leave them out); the ledger notes the line. More fields than the header: an error, unless the
  extra fields are all empty (a stray separator at the line end), which are ignored with a note.
* A record whose cells would have the header's field count when split at another separator is a
  separator change in the middle of the file: an error.
* A line repeating the header (two exports joined) is an error.
* A double quote that closes a quoted cell but is not followed by the separator or the line end
  (an undoubled inner quote, ``"Er sagte "Nein" und ging"``) is an error, as is a quoted cell
  still open at the end of the file.
* A quoted cell spanning lines that look like records of their own (as many cells as the
  header, all but the last with the shapes of the id, outlet, date ... cells of the other
  records — ``g0042`` like ``a9``, ``2024-06-12`` like ``9-9-9`` — and no cell starting with a
  space, as cells after a comma in prose do) is a runaway quote: a closing quote is missing on
  the line where the cell opens. Not checked in a table of one column.

Every error names the physical line an editor shows (1-based, blank lines and the ``sep=``
line counted). With ``lenient=True`` the records affected are excluded with the reason
``broken structure`` and a note naming the lines; reading goes on at the next line that
starts a record, so that the records after a runaway quote are loaded.

Record numbers in ``source`` (``corpus.csv:row N``) are rows as a spreadsheet shows them:
the header is row 1 (after any blank lines before it), a record spanning several lines is one
row, and a blank line is an empty row of its own, so it counts. In a broken file read with
``lenient=True`` the rows follow the records as this reader split them.

Typed formats
-------------
Cells that JSON or Parquet give a type are read as what they hold, not as a Python repr:
integers keep every digit (ids beyond 2**53 are not rounded through float, also when a
Parquet integer column has missing values), a JSON number keeps the digits it was written with
(``12.50`` stays ``"12.50"`` as an id), Parquet bytes columns (Spark writes text as ``binary``)
are decoded as UTF-8 (bytes that are not UTF-8 are an error naming the column and row, or the
exclusion ``undecodable`` with ``lenient=True``), and a list or an object in the ``doc_id``,
``text``, ``title``, ``outlet`` or ``date`` field is refused (an error naming the field and
record, or the exclusion ``broken structure``). Parquet timestamps are kept as timestamps.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

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
    JsonFloat,
    ReadOptions,
    Records,
    cell_to_str,
    decoding_notes,
    read_bytes,
)

BROKEN = "broken structure"
UNDECODABLE = "undecodable"
# Fields of a record that must hold a single value (after renaming).
_SCALAR_FIELDS = ("doc_id", "text", "title", "outlet", "date")
_LENIENT_HINT = "or pass lenient=True (command line: --lenient) to exclude the affected records and load the rest"


class _Issue(NamedTuple):
    """A record that cannot be read as it is: raised, or (lenient) excluded with ``reason``."""

    index: int  # position of the record in the table
    reason: str
    message: str  # names the place: "line 5: ...", "record 3, field 'text': ..."
    hint: str


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
    issues: list[_Issue] = []
    row_notes: dict[int, list[str]] = {}
    if suffix == ".parquet":
        frame, issues = _read_parquet(path, label)
        numbers = np.arange(2, len(frame) + 2)
        unit = "row"
        file_notes: list[str] = []
    else:
        data = read_bytes(path, label)
        try:
            decoded = decode_bytes(data, source=label)
        except CorpusError as exc:
            raise CorpusError(exc.reason, file=label, hint=exc.hint) from None
        del data  # every reader works on the decoded text; keep no second copy
        if not decoded.text or decoded.text.isspace():
            raise CorpusError("the file is empty (only whitespace)", file=label, hint="export the corpus again")
        file_notes = [f"file {note}" if note.startswith("decoded") else note for note in decoding_notes(decoded)]
        if suffix in (".csv", ".tsv"):
            table = _parse_delimited(decoded.text, label, tab=suffix == ".tsv", lenient=options.lenient)
            frame, numbers, issues, row_notes = table.frame, table.rows, table.issues, table.notes
            unit = "row"
        elif suffix in (".jsonl", ".ndjson"):
            frame, numbers = _read_jsonl(decoded.text, label)
            unit = "line"
        else:
            frame, numbers = _read_json(decoded.text, label)
            unit = "record"
        del decoded
    if len(frame) == 0:
        raise CorpusError(
            "holds no records" + (" (only a header)" if len(frame.columns) else ""),
            file=label,
            hint="export the corpus again",
        )
    _stop_unless_lenient(issues, label, options.lenient)
    return _records_from_frame(frame, label=label, name=name, unit=unit, numbers=numbers,
                               options=options, file_notes=file_notes, stem=path.stem,
                               issues=issues, row_notes=row_notes)


def _stop_unless_lenient(issues: list[_Issue], label: str, lenient: bool | None, prefix: str = "") -> None:
    """Raise CorpusError for the first issue (counting the others) unless ``lenient``.

    ``lenient=None``: a file without a lenient mode (``metadata.csv``): always raise, no hint at it.
    """
    if not issues or lenient:
        return
    first = issues[0]
    others = len({issue.index for issue in issues} - {first.index})
    more = f" ({others} more record{'s' if others > 1 else ''} with problems like this)" if others else ""
    hint = first.hint if lenient is None else f"{first.hint}; {_LENIENT_HINT}"
    raise CorpusError(f"{prefix}{first.message}{more}", file=label, hint=hint)


# --------------------------------------------------------------------------------------------
# CSV and TSV


def _sniff_separator(text: str) -> str:
    """The separator of a .csv from its header line: the most frequent of , ; and tab."""
    header = text.lstrip("\r\n").split("\n", 1)[0]  # blank lines before the header are skipped
    header = re.sub(r'"[^"]*"', "", header)
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


# Excel reads (and writes) a first line "sep=;" naming the separator.
_EXCEL_SEPARATOR = re.compile(r"sep=([,;\t|])[ \t]*(?:\r\n|\r|\n)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_QUOTE_HINT = (
    "a cell holding the separator, a double quote or a line break must be enclosed in double "
    'quotes, with inner quotes doubled ("")'
)


def read_delimited(data: bytes, decoded: DecodedText, label: str, *, tab: bool) -> pd.DataFrame:
    """Read a CSV (or TSV) that is not a corpus (``metadata.csv``): strictly, no lenient mode."""
    return _parse_delimited(decoded.text, label, tab=tab, lenient=None).frame


class _Delimited(NamedTuple):
    frame: pd.DataFrame  # one column per header field, cells as str (object dtype)
    rows: np.ndarray  # spreadsheet row of each record
    issues: list[_Issue]
    notes: dict[int, list[str]]  # record index -> notes on how it was read


@dataclass(slots=True)
class _Raw:
    """One record as the csv module parsed it, with where it lies in the text."""

    fields: list[str] | None  # None: the csv module refused it (see error)
    start: int  # offset of its first character
    end: int  # offset after its last line break
    line: int  # its first physical line (1-based)
    last: int  # its last physical line
    error: str = ""


class _Cursor:
    __slots__ = ("pos",)

    def __init__(self, pos: int):
        self.pos = pos


def _lines(text: str, cursor: _Cursor, lone_cr: bool):
    """Physical lines of ``text`` from ``cursor.pos``, each with its line break.

    ``cursor.pos`` is the offset after the last line handed out: the csv module asks for a line
    only when it needs one, so after each record the cursor is at the record's end. (A StringIO
    would copy the whole text into a buffer four times its size.)
    """
    n = len(text)
    pos = cursor.pos
    if lone_cr:  # old Mac files: a lone \r ends a line too, as in an editor
        while pos < n:
            match = _LINE_BREAK.search(text, pos)
            end = n if match is None else match.end()
            cursor.pos = end
            yield text[pos:end]
            pos = end
        return
    find = text.find
    while pos < n:
        end = find("\n", pos)
        end = n if end < 0 else end + 1
        cursor.pos = end
        yield text[pos:end]
        pos = end


def _count_breaks(text: str, start: int, end: int) -> int:
    """Line breaks in text[start:end] as an editor counts them (\\r\\n, \\r and \\n)."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


class _Parser:
    """Records of a delimited text by start offset, parsed once and re-parsed only to resync."""

    def __init__(self, text: str, sep: str):
        self.text = text
        self.sep = sep
        self.lone_cr = "\r" in text and text.count("\r") != text.count("\r\n")
        self.by_start: dict[int, _Raw] = {}

    def at(self, offset: int, line: int) -> _Raw | None:
        """The record starting at ``offset`` (physical line ``line``)."""
        if offset not in self.by_start:
            self._parse(offset, line)
        return self.by_start.get(offset)

    def _parse(self, offset: int, line: int) -> None:
        # Parse until the records meet ones parsed before: from a record start the csv module
        # reads the same records, so the rest is known.
        cursor = _Cursor(offset)
        reader = csv.reader(_lines(self.text, cursor, self.lone_cr), delimiter=self.sep, strict=True)
        by_start = self.by_start
        start, first = offset, line
        while start not in by_start:
            try:
                fields, error = next(reader), ""
            except StopIteration:
                return
            except csv.Error as exc:
                fields, error = None, str(exc)
            last = line - 1 + reader.line_num
            by_start[start] = _Raw(fields, start, cursor.pos, first, last, error)
            start, first = cursor.pos, last + 1
            if start >= len(self.text):
                return


def _unique_names(fields: list[str]) -> list[str]:
    """Header names as pandas gives them: stripped, empty ones 'Unnamed: i', repeats 'x.1'."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, value in enumerate(fields):
        name = value.strip().lstrip("\ufeff").strip() or f"Unnamed: {i}"
        base = name
        while name in seen:
            seen[base] += 1
            name = f"{base}.{seen[base]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def _is_blank(fields: list[str] | None) -> bool:
    # Like pandas: an empty line or one of spaces only is no record.
    return fields is not None and (not fields or (len(fields) == 1 and not fields[0].strip()))


_SHAPE_TOKEN = re.compile(r"[^\W_]+|\s+|.", re.S)


def _shape(value: str) -> str | None:
    """The shape of a short cell: 'g0042' → 'a9', 'Der Morgen' → 'Aa Aa', '2024-06-12' → '9-9-9'.

    None for long or multi-line cells (free text).
    """
    if len(value) > 40 or "\n" in value or "\r" in value:
        return None
    parts = []
    for token in _SHAPE_TOKEN.findall(value):
        if token[0].isspace():
            parts.append(" ")
        elif token.isalnum():
            parts.append(("A" if any(c.isupper() for c in token) else "")
                         + ("a" if any(c.islower() for c in token) else "")
                         + ("9" if any(c.isdigit() for c in token) else ""))
        else:
            parts.append(token)
    return "".join(parts)


class _RecordShapes:
    """What the first cells of this file's records look like, to spot record starts in a cell."""

    _SAMPLE = 2000
    _MAX_SHAPES = 24

    def __init__(self, records: list[list[str]], width: int, sep: str, lone_cr: bool):
        step = max(1, len(records) // self._SAMPLE)
        sample = records[::step]
        self.width = width
        self.shapes: list[set[str] | None] = []
        for j in range(width - 1):  # the last column is often the text: never used
            shapes = [_shape(r[j]) for r in sample]
            known = [s for s in shapes if s is not None]
            distinct = set(known)
            shaped = sample and len(known) >= 0.98 * len(shapes) and len(distinct) <= self._MAX_SHAPES
            self.shapes.append(distinct if shaped else None)
        first = [r[0] for r in sample]
        if width >= 2 and self.shapes and self.shapes[0] is not None:
            longest = max(1, min(64, max(len(v) for v in first)))
            spaces = "" if any(any(c.isspace() for c in v) for v in first) else r"\s"
        else:
            longest, spaces = 64, ""
        sep_re = re.escape(sep)
        # A line break followed by a short first cell, the separator and no space: a cheap
        # filter run over multi-line records, before the closer look of looks_like_record.
        # (A literal \n in front lets the regex engine skip to line breaks: five times faster.)
        breaks = "[\r\n]" if lone_cr else "\n"
        self.candidate = re.compile(
            rf'{breaks}(?="?[^\r\n"{sep_re}{spaces}]{{1,{longest}}}"?{sep_re}[^\s{sep_re}])'
        )
        self.sep = sep

    def looks_like_record(self, line: str) -> bool:
        try:
            fields = next(csv.reader([line], delimiter=self.sep))
        except (csv.Error, StopIteration):
            return False
        width = self.width
        # Lines of whole records (a runaway cell swallows them) have the header's field count.
        if width < 2 or len(fields) != width:
            return False
        if any(value[:1].isspace() for value in fields[1:]):
            return False  # prose: a space after each comma; exported cells: none
        evidence = 0
        for j, value in enumerate(fields[: width - 1]):
            shapes = self.shapes[j]
            if shapes is None:
                continue
            if _shape(value) not in shapes:
                return False
            evidence += 1
        return evidence > 0

    def first_record_start(self, text: str, start: int, end: int) -> int | None:
        """Offset of the first line after the first of text[start:end] that starts a record."""
        if self.width < 2 or not any(self.shapes):
            return None  # nothing to recognise a record by
        for match in self.candidate.finditer(text, start, end):
            pos = match.end()
            stop = _LINE_BREAK.search(text, pos, min(end, pos + 4096))
            line = text[pos: stop.start() if stop else min(end, pos + 4096)]
            if self.looks_like_record(line):
                return pos
        return None


def _quote_scan(text: str, start: int, end: int, sep: str) -> tuple[int | None, int | None]:
    """Where the last quoted cell of text[start:end] opens, and the first quote that breaks one.

    Follows the csv module's rules on this span only (a broken record), to name the lines.
    Returns (offset of the opening quote or None, offset of a closing quote followed by neither
    the separator nor a line end, or None).
    """
    specials = re.compile('["\r\n' + re.escape(sep) + "]")
    pos, field_start, opened = start, True, None
    while pos < end:
        if field_start and text[pos] == '"':
            opened = pos
            q = pos + 1
            while True:
                q = text.find('"', q, end)
                if q < 0:
                    return opened, None  # still open at the end of the span
                if q + 1 < end and text[q + 1] == '"':
                    q += 2
                    continue
                break
            if q + 1 < end and text[q + 1] not in (sep, "\r", "\n"):
                return opened, q
            pos, field_start = q + 1, False
            continue
        match = specials.search(text, pos, end)
        if match is None:
            break
        pos = match.end()
        field_start = match.group() != '"'  # a quote inside an unquoted cell is a character
    return opened, None


def _snippet(text: str, pos: int) -> str:
    line_start = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
    stop = _LINE_BREAK.search(text, pos)
    line_end = stop.start() if stop else len(text)
    left, right = max(line_start, pos - 30), min(line_end, pos + 20)
    return ("…" if left > line_start else "") + text[left:right] + ("…" if right < line_end else "")


def _lines_text(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}–{last}"


def _other_separator(text: str, raw: _Raw, sep: str, width: int) -> str | None:
    """Another separator that would split this record into the header's field count."""
    chunk = text[raw.start:raw.end]
    for other in (",", ";", "\t", "|"):
        if other == sep or other not in chunk:
            continue
        try:
            fields = next(csv.reader(chunk.splitlines(True), delimiter=other))
        except (csv.Error, StopIteration):
            continue
        if len(fields) == width:
            return other
    return None


_SEP_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}


def _broken_quote_message(text: str, raw: _Raw, piece_end: int, sep: str) -> str:
    """What is wrong with the quotes of a record refused by the csv module (or a runaway)."""
    opened, bad = _quote_scan(text, raw.start, piece_end, sep)
    if bad is not None:
        bad_line = raw.line + _count_breaks(text, raw.start, bad)
        open_line = raw.line + _count_breaks(text, raw.start, opened) if opened is not None else bad_line
        follows = text[bad + 1]
        if text[bad - 1] == "\\":
            return (f"line {bad_line}: a double quote escaped with a backslash (\\\") near "
                    f"{_snippet(text, bad)!r}; inner quotes must be doubled (\"\")")
        if open_line == bad_line:
            return (f"line {bad_line}: a double quote inside a quoted cell is not doubled: the quote "
                    f"before {follows!r} near {_snippet(text, bad)!r} ends the cell too early")
        return (f"line {open_line}: a quoted cell opened here runs on to line {bad_line}, where a double "
                f"quote is followed by {follows!r} instead of the separator: the closing quote on line "
                f"{open_line} is missing, or a quote inside the cell is not doubled")
    if opened is not None:
        open_line = raw.line + _count_breaks(text, raw.start, opened)
        if "end of data" in raw.error:
            return f"line {open_line}: a quoted cell opened here is never closed (the file ends inside it)"
        return f"line {open_line}: a quoted cell opened here is never closed"
    return f"{_lines_text(raw.line, raw.last)}: {raw.error}"


def _parse_delimited(text: str, label: str, *, tab: bool, lenient: bool | None) -> _Delimited:
    what = "TSV" if tab else "CSV"
    start, line = 0, 1
    sep = "\t" if tab else None
    excel = _EXCEL_SEPARATOR.match(text)
    if excel:
        sep = sep or excel.group(1)
        start, line = excel.end(), 2
    if sep is None:
        sep = _sniff_separator(text[:65536])
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, len(text) + 1))  # a whole article is one field
    try:
        return _walk(text, label, what, sep, start, line, lenient)
    finally:
        csv.field_size_limit(old_limit)


def _walk(text: str, label: str, what: str, sep: str, start: int, line: int, lenient: bool | None) -> _Delimited:
    """Go through the records from the header on, checking each; broken ones become issues.

    After a broken record that runs over the start of another, reading goes on at that start.
    """
    parser = _Parser(text, sep)
    n_text = len(text)
    row = 0  # spreadsheet rows so far
    header = None
    offset = start
    while offset < n_text:
        raw = parser.at(offset, line)
        if raw is None:
            break
        row += 1
        offset, line = raw.end, raw.last + 1
        if _is_blank(raw.fields):
            continue
        header = raw
        break
    if header is None:
        return _Delimited(pd.DataFrame(), np.zeros(0, dtype=int), [], {})
    if header.fields is None:
        message = _broken_quote_message(text, header, header.end, sep)
        raise CorpusError(f"cannot be read as {what}: the header, {message}", file=label, hint=_QUOTE_HINT)
    names = _unique_names(header.fields)
    width = len(names)
    header_key = [f.strip().lstrip("\ufeff").strip() for f in header.fields]

    # The shapes of the records' first cells, from the records as first parsed.
    good = [r.fields for r in parser.by_start.values()
            if r.fields is not None and len(r.fields) == width and r is not header]
    shapes = _RecordShapes(good, width, sep, parser.lone_cr)
    del good

    cells: list[list[str]] = []
    rows: list[int] = []
    issues: list[_Issue] = []
    notes: dict[int, list[str]] = {}
    while offset < n_text:
        raw = parser.at(offset, line)
        if raw is None:
            break
        row += 1
        fields = raw.fields
        if _is_blank(fields):
            offset, line = raw.end, raw.last + 1
            continue
        resume = None
        if fields is None:
            # The csv module goes on at the next line, which may be inside the broken cell:
            # go on at the next line that starts a record instead.
            resume = shapes.first_record_start(text, raw.start, min(n_text, raw.end + _RESYNC_CHARS))
        elif raw.last > raw.line:
            resume = shapes.first_record_start(text, raw.start, raw.end)
        piece_end = raw.end if resume is None else resume
        piece_last = raw.last if resume is None else raw.line + _count_breaks(text, raw.start, resume) - 1
        problem, hint, note = _check_record(text, raw, resume, piece_last, sep, names, header_key)
        if problem:
            if fields is None or resume is not None:
                fields = _fields_of_piece(text[raw.start:piece_end], sep)
            issues.append(_Issue(len(cells), BROKEN, problem, hint))
        elif note:
            notes.setdefault(len(cells), []).append(note)
        if len(fields) != width:
            fields = (fields + [""] * width)[:width]
        cells.append(fields)
        rows.append(row)
        if resume is not None:
            offset, line = resume, piece_last + 1
        else:
            offset, line = raw.end, raw.last + 1
    _stop_unless_lenient(issues, label, lenient, prefix=f"cannot be read as {what}: ")
    columns = list(zip(*cells)) if cells else [()] * width
    frame = pd.DataFrame({name: list(values) for name, values in zip(names, columns)}, dtype=object,
                         columns=names)
    return _Delimited(frame, np.asarray(rows, dtype=int), issues, notes)


def _check_record(text: str, raw: _Raw, resume: int | None, piece_last: int, sep: str,
                  names: list[str], header_key: list[str]) -> tuple[str, str, str]:
    """(problem, hint, note) of one record; problem "" when it can be read as it is."""
    fields, width = raw.fields, len(names)
    where = _lines_text(raw.line, raw.last)
    if fields is None:
        return _broken_quote_message(text, raw, raw.end, sep), _QUOTE_HINT, ""
    if resume is not None:
        opened, _ = _quote_scan(text, raw.start, resume, sep)
        open_line = raw.line + _count_breaks(text, raw.start, opened) if opened is not None else raw.line
        return (f"line {open_line}: a quoted cell opened here runs on to line {raw.last}, over line "
                f"{piece_last + 1}, which looks like the start of a record: the closing quote on line "
                f"{open_line} seems to be missing"), _QUOTE_HINT, ""
    if len(fields) > width:
        if not any(value.strip() for value in fields[width:]):
            return "", "", (f"{where} has {len(fields)} fields, the header {width}: the empty fields "
                            "after the last column are ignored")
        problem = f"{where}: {len(fields)} fields, but the header has {width}"
        other = _other_separator(text, raw, sep, width)
        if other:
            problem += f"; split at {_SEP_NAMES[other]} it would have {width}: the separator changes"
        return problem, (f"a cell that holds the separator ({_SEP_NAMES[sep]}) must be enclosed in double "
                         "quotes; check the line in an editor"), ""
    if len(fields) < width:
        other = _other_separator(text, raw, sep, width)
        if other:
            return (f"{where}: {len(fields)} field{'s' if len(fields) != 1 else ''}, but the header has "
                    f"{width}; split at {_SEP_NAMES[other]} instead of {_SEP_NAMES[sep]} it would have "
                    f"{width}: the separator changes in the file"), "save the whole file again with one separator", ""
        if all(name.startswith("Unnamed: ") for name in names[len(fields):]):
            return "", "", ""  # only unnamed columns (a separator at the header's end) are missing
        return "", "", (f"{where} has {len(fields)} of the header's {width} fields: the missing cells at "
                        "the end are read as empty")
    if (fields[0].strip().lstrip("\ufeff").strip() == header_key[0]
            and [f.strip().lstrip("\ufeff").strip() for f in fields] == header_key):
        return f"{where} repeats the header line (two exports joined?)", "delete the repeated header line", ""
    return "", "", ""


# How far past a record the csv module refused to look for the next record start.
_RESYNC_CHARS = 2_000_000


def _fields_of_piece(piece: str, sep: str) -> list[str]:
    """The cells of a broken record as well as they can be read (for its id in the ledger)."""
    try:
        return next(csv.reader(piece.splitlines(True), delimiter=sep))
    except (csv.Error, StopIteration):
        return [piece.strip()]


# --------------------------------------------------------------------------------------------
# JSON lines and JSON


def _json_loads(text: str):
    # Numbers keep the digits they were written with (ids); ints are exact in Python anyway.
    return json.loads(text, parse_float=JsonFloat)


def _json_frame(records: list[dict]) -> pd.DataFrame:
    # object dtype: a column of integers with a missing value must not become float (ids)
    return pd.DataFrame(records, dtype=object) if records else pd.DataFrame()


def _read_jsonl(text: str, label: str) -> tuple[pd.DataFrame, np.ndarray]:
    records = []
    numbers = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = _json_loads(line)
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
    return _json_frame(records), np.asarray(numbers, dtype=int)


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {list: "array", dict: "object", str: "string"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def _read_json(text: str, label: str) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        data = _json_loads(text)
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
    return _json_frame(data), np.arange(1, len(data) + 1)


# --------------------------------------------------------------------------------------------
# Parquet


def _read_parquet(path: Path, label: str) -> tuple[pd.DataFrame, list[_Issue]]:
    try:
        import pyarrow.parquet as pq
        import pyarrow.types as pat

        frame = pd.read_parquet(path)
        schema = pq.read_schema(path)
    except Exception as exc:  # pyarrow raises many types for damaged files
        message = " ".join(str(exc).split())
        raise CorpusError(
            f"cannot be read as Parquet: {message}",
            file=label,
            hint="check that the file is a complete Parquet file (pyarrow must be installed)",
        ) from None
    issues: list[_Issue] = []
    for field in schema:
        name = field.name
        if name not in frame.columns:
            continue
        if pat.is_integer(field.type) and frame[name].dtype.kind == "f":
            # pandas turns an integer column with missing values into float, rounding ids
            # beyond 2**53: read the exact integers again.
            values = pq.read_table(path, columns=[name]).column(0).to_pylist()
            frame[name] = pd.Series(values, dtype=object, index=frame.index)
        elif pat.is_binary(field.type) or pat.is_large_binary(field.type) or pat.is_fixed_size_binary(field.type):
            frame[name] = _decode_column(frame[name], name, issues)
    if not isinstance(frame.index, pd.RangeIndex) or any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    return frame, issues


def _decode_column(column: pd.Series, name: str, issues: list[_Issue]) -> pd.Series:
    """A Parquet bytes column as UTF-8 text; cells that are not UTF-8 become issues ('' kept)."""
    values = column.tolist()
    for i, value in enumerate(values):
        if isinstance(value, (bytes, bytearray, memoryview)):
            try:
                values[i] = bytes(value).decode("utf-8")
            except UnicodeDecodeError as exc:
                values[i] = ""
                issues.append(_Issue(
                    i, UNDECODABLE,
                    f"row {i + 2}, column {name!r}: bytes that are not UTF-8 text "
                    f"(byte 0x{bytes(value)[exc.start]:02x} at position {exc.start})",
                    "write the column as UTF-8 text (a string column), or fix the bytes of that row",
                ))
    return pd.Series(values, dtype=object, index=column.index)


# --------------------------------------------------------------------------------------------
# records


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


def _value_kind(value) -> str | None:
    """'a JSON array' etc. for a cell that holds several values; None for a single value."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return "a list"
    return None


def _nested_issues(frame: pd.DataFrame, originals: dict[str, str], unit: str, numbers: list,
                   json_like: bool) -> list[_Issue]:
    issues = []
    for field in _SCALAR_FIELDS:
        if field not in frame.columns or frame[field].dtype != object:
            continue
        values = frame[field].tolist()
        bad = []
        for i, value in enumerate(values):
            kind = _value_kind(value)
            if kind is None:
                continue
            if json_like:
                kind = "a JSON array" if kind == "a list" else "a JSON object"
            where = "field" if json_like else "column"
            issues.append(_Issue(
                i, BROKEN,
                f"{unit} {numbers[i]}, {where} {originals.get(field, field)!r}: holds {kind}, not a single value",
                f"give the {field} as one string (join the parts before exporting), or drop the record",
            ))
            bad.append(i)
        if bad:  # excluded (lenient): no repr of the value goes anywhere
            for i in bad:
                values[i] = ""
            frame[field] = pd.Series(values, dtype=object, index=frame.index)
    return issues


def _typed(meta: pd.DataFrame) -> pd.DataFrame:
    """Metadata columns read as objects, given the dtype pandas would give them.

    Integers with missing values become the nullable Int64 (exact), not float.
    """
    for name in meta.columns:
        column = meta[name]
        if column.dtype != object:
            continue
        kind = pd.api.types.infer_dtype(column, skipna=True)
        if kind == "integer" and column.isna().any():
            try:
                meta[name] = column.astype("Int64")
            except (TypeError, ValueError, OverflowError):
                pass  # beyond int64: kept as Python integers
            continue
        if kind in ("string", "empty", "integer", "floating", "mixed-integer-float", "boolean"):
            meta[name] = column.infer_objects()
    return meta


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
    issues: list[_Issue] | None = None,
    row_notes: dict[int, list[str]] | None = None,
) -> Records:
    original_names = [str(c).strip() for c in frame.columns]
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
    originals = dict(zip(frame.columns, original_names))
    nested = _nested_issues(frame, originals, unit, numbers_list, json_like=unit in ("line", "record"))
    _stop_unless_lenient(nested, label, options.lenient)
    issues = sorted(list(issues or []) + nested, key=lambda issue: issue.index)
    sources = [f"{name}:{unit} {k}" for k in numbers_list]
    notes: list[list[str]] = [list(file_notes) for _ in range(n)]
    for i, extra in (row_notes or {}).items():
        notes[i].extend(extra)
    forced = [""] * n
    for issue in issues:
        if not forced[issue.index]:
            forced[issue.index] = issue.reason
        if issue.message not in notes[issue.index]:
            notes[issue.index].append(issue.message)
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
    meta = _typed(frame.drop(columns=[c for c in ("text", "doc_id") if c in frame.columns]))
    return Records(sources=sources, doc_ids=ids, texts=texts, notes=notes, forced=forced, meta=meta)
