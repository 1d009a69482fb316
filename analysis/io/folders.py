"""Read a folder of text and HTML files, with an optional ``metadata.csv``, into records.

Every entry of the folder is accounted for: each is a record of the ledger, read or excluded
with its reason, except hidden entries and the ``metadata.csv`` itself.

Entries and what becomes of them
--------------------------------
``*.txt``, ``*.html``, ``*.htm`` (any case)
    A document, read and decoded (``.html``/``.htm`` reduced to the article text with
    trafilatura). A file that cannot be read is excluded as ``unreadable``, one that is not text
    as ``undecodable``.
``metadata.csv`` at the top of the folder
    Joined on ``doc_id``; not a record. A ``metadata.csv`` in a subfolder is not read (only the
    top-level one counts): it is excluded as ``unsupported file type`` with a note saying so.
a subfolder
    With ``recursive=True`` its entries are read in the same way, at any depth; a subfolder
    with nothing to read (empty, or only hidden entries) is one record excluded as
    ``subfolder``. Without ``recursive`` the subfolder is one record excluded as ``subfolder``,
    its note saying how many files it holds and to pass ``--recursive``.
any other file
    Excluded as ``unsupported file type``, the note naming its extension. So is an entry that
    is not a regular file (a named pipe, a socket, a device): it is never opened, so reading
    cannot block.
a symbolic link
    Followed: a link to a file is read as that file, a link to a folder as a subfolder. A link
    whose target does not exist is excluded as ``broken link``; a link that leads back to a
    folder being read (with ``recursive=True``), or to itself through other links, as
    ``link loop`` — never followed, so reading always ends.
hidden entries (names starting with ``.``)
    ``.DS_Store``, ``._name`` files macOS writes, ``.git`` and the like are not records and
    hidden folders are not entered; how many there were is noted on the first record.

Names
-----
``doc_id`` is the path of the file relative to the corpus folder, without its extension,
parts joined by ``/`` and normalised to Unicode NFC: ``artikel1`` for ``artikel1.txt`` at the
top, ``2024/juni/artikel1`` for ``2024/juni/artikel1.txt``. A file at the top has no ``/`` in its
id and a file in a subfolder always has one, so ids of different folders cannot collide. Within
one folder two files collide only when they differ in extension alone (``a.txt``, ``a.html``)
or their names are equal after NFC (one written decomposed, as macOS writes names); both are
duplicate ids (an error, or with ``duplicates="first"`` the later one excluded), the second
with a note. ``metadata.csv`` rows are matched on the NFC form of their ``doc_id`` too, so a
name written either way matches.

Records that are not documents get ids that cannot be taken for a document's: a subfolder's
relative path ends with ``/`` (``2024/``); any other entry keeps its whole name
(``notizen.docx``), except that an entry named like a document (a broken link ``x.txt``) drops
its extension as a document would. Should such an id equal another record's (a file
``README`` beside ``README.txt``) it is written ``./README``.

``source`` is ``<folder name>/<relative path>`` with the names as written on disk. A name that
is not valid UTF-8 (written on a system with another encoding) is read as cp1252 in ``doc_id``
and ``source``, with a note.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import CorpusError
from analysis.io.encoding import decode_bytes
from analysis.io.html import extract_html
from analysis.io.records import (
    FOLDER_SUFFIXES,
    ID_ALIASES,
    METADATA_NAME,
    SUPPORTED_TEXT,
    ReadOptions,
    Records,
    cell_to_str,
    decoding_notes,
    prepare_text,
    read_bytes,
)
from analysis.io.table_files import apply_renames, column_list, read_delimited

# The kinds of entry that are not documents: the exclusion reason each gets.
SUBFOLDER = "subfolder"
UNSUPPORTED = "unsupported file type"
BROKEN_LINK = "broken link"
LINK_LOOP = "link loop"
UNREADABLE = "unreadable"

_RECURSIVE_HINT = "pass --recursive (load_corpus(..., recursive=True)) to read subfolders"
_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass
class _Entry:
    """One entry of the folder tree that becomes a record."""

    path: Path
    parts: tuple[str, ...]  # names from the corpus folder down, as on disk
    reason: str  # "" for a document to read, else the exclusion reason
    note: str = ""
    directory: bool = False
    notes: list[str] = field(default_factory=list)  # added while naming the records


def read_folder(folder: Path, label: str, options: ReadOptions) -> Records:
    """Read every entry of ``folder`` into records (see the module docstring).

    Parameters
    ----------
    folder : pathlib.Path
        The corpus folder.
    label : str
        How the folder is named in errors.
    options : ReadOptions
        ``recursive`` and the renames for ``metadata.csv``.

    Returns
    -------
    Records
        One record per entry, documents prepared, other entries with an empty text and their
        exclusion reason in ``forced``.

    Raises
    ------
    CorpusError
        The folder cannot be listed, is empty or holds no document at all; ``metadata.csv`` is
        broken or names a document that is not there.
    """
    try:
        top = _listing(folder)
    except OSError as exc:
        raise CorpusError(f"cannot be read: {exc.strerror or exc}", file=label,
                          hint="check that you may read the folder") from None
    visible = [p for p in top if not p.name.startswith(".")]
    if not visible:
        hidden = f" (only hidden entries: {_shown([p.name for p in top])})" if top else ""
        raise CorpusError(
            "the folder is empty" + hidden,
            file=label,
            hint="put one .txt (or .html) file per document in it, optionally with a metadata.csv",
        )
    entries, hidden, meta_path = _walk(folder, top, options.recursive)
    documents = [e for e in entries if not e.reason]
    if not documents:
        found = [p.name + ("/" if p.is_dir() else "") for p in visible]
        hint = f"pass {SUPPORTED_TEXT}"
        nested = sum(_count_files(e.path)[1] for e in entries if e.reason == SUBFOLDER and e.directory)
        if nested:
            hint = f"its subfolders hold {nested} .txt/.html/.htm files: {_RECURSIVE_HINT}"
        raise CorpusError(
            f"the folder holds no .txt, .html or .htm files (found: {_shown(found)})",
            file=label,
            hint=hint,
        )
    folder_name = folder.resolve().name or folder.name
    ids, sources = _name_records(entries, folder_name)
    if hidden:
        entries[0].notes.append(
            f"{len(hidden)} hidden entr{'ies' if len(hidden) != 1 else 'y'} of the folder not read "
            f"({_shown(hidden)})"
        )

    texts, notes, forced, titles, dates = [], [], [], [], []
    for entry, source in zip(entries, sources):
        if entry.reason:
            text, record_notes, reason, title, date = "", [entry.note] if entry.note else [], entry.reason, "", ""
        else:
            text, record_notes, reason, title, date = _read_text_file(entry.path, source)
        texts.append(text)
        notes.append(entry.notes + record_notes)
        forced.append(reason)
        titles.append(title)
        dates.append(date)

    if meta_path is not None:
        document_ids = [doc_id for doc_id, entry in zip(ids, entries) if not entry.reason]
        unread = {doc_id: i for i, (doc_id, e) in enumerate(zip(ids, entries)) if e.reason == SUBFOLDER}
        meta, rows_of_unread = _read_metadata(meta_path, str(meta_path), options, document_ids, unread)
        for i, count in rows_of_unread.items():
            notes[i].append(f"metadata.csv has {count} row{'s' if count != 1 else ''} for its files")
        found = set(meta.index)
        for i, (doc_id, entry) in enumerate(zip(ids, entries)):
            if not entry.reason and doc_id not in found:
                notes[i].append("no metadata row")
        meta = meta.reindex(ids).reset_index(drop=True)
        meta = meta.fillna("")  # files without a metadata row: empty cells, as in the CSV
    else:
        meta = pd.DataFrame(index=pd.RangeIndex(len(ids)))
    return Records(
        sources=sources,
        doc_ids=ids,
        texts=texts,
        notes=notes,
        forced=forced,
        meta=meta,
        prepared=True,
        title_fallback=titles,
        date_fallback=dates,
    )


# --------------------------------------------------------------------------------------------
# walking the folder


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _listing(directory: Path) -> list[Path]:
    """The entries of ``directory`` in the order of their NFC names."""
    return sorted(directory.iterdir(), key=lambda p: (_nfc(_readable_name(p.name)[0]), p.name))


def _shown(names: list[str], limit: int = 8) -> str:
    names = [_readable_name(n)[0] for n in names]
    return ", ".join(names[:limit]) + (f", … ({len(names)} in all)" if len(names) > limit else "")


def _walk(folder: Path, top: list[Path], recursive: bool):
    """Every entry below ``folder`` in read order: (entries, hidden names, metadata path)."""
    entries: list[_Entry] = []
    hidden: list[str] = []
    meta_path = None
    # A stack of (listing, position, parts, real paths of the folders being read): depth first,
    # in name order, without Python recursion (a deep tree cannot overflow the stack).
    stack = [(top, 0, (), {os.path.realpath(folder)})]
    while stack:
        listing, position, parts, ancestors = stack.pop()
        if position == len(listing):
            continue
        stack.append((listing, position + 1, parts, ancestors))
        path = listing[position]
        name = path.name
        if name.startswith("."):
            hidden.append("/".join(parts + (name,)))
            continue
        here = parts + (name,)
        entry = _classify(path, here, ancestors, recursive)
        if entry is None:  # the top-level metadata.csv
            meta_path = path
        elif entry.reason == "descend":
            try:
                inner = _listing(path)
            except OSError as exc:
                entries.append(_Entry(path, here, UNREADABLE, f"cannot list the folder: {exc.strerror or exc}",
                                      directory=True))
                continue
            if not any(not p.name.startswith(".") for p in inner):
                what = "it holds only hidden entries" if inner else "nothing to read"
                entries.append(_Entry(path, here, SUBFOLDER, f"an empty subfolder: {what}", directory=True))
                hidden.extend("/".join(here + (p.name,)) for p in inner)
                continue
            stack.append((inner, 0, here, ancestors | {os.path.realpath(path)}))
        else:
            entries.append(entry)
    return entries, hidden, meta_path


def _classify(path: Path, parts: tuple[str, ...], ancestors: set[str], recursive: bool):
    """What one visible entry is: an _Entry (reason "descend" for a folder to read), or None
    for the top-level metadata.csv."""
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
        info = os.stat(path)  # follows links
    except FileNotFoundError:
        try:
            target = os.readlink(path)
        except OSError:  # the entry vanished while the folder was read
            return _Entry(path, parts, UNREADABLE, "the entry vanished while the folder was read")
        return _Entry(path, parts, BROKEN_LINK, f"a link to {target!r}, which does not exist")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _Entry(path, parts, LINK_LOOP, "a link that leads back to itself through other links")
        return _Entry(path, parts, UNREADABLE, f"cannot read the entry: {exc.strerror or exc}")
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        kind = "a link to a folder" if link else "a subfolder"
        if not recursive:
            files, documents = _count_files(path)
            if not files:
                return _Entry(path, parts, SUBFOLDER, f"{kind} without files: nothing to read", directory=True)
            held = f"holding {files} file{'s' if files != 1 else ''} ({documents} .txt/.html/.htm)"
            return _Entry(path, parts, SUBFOLDER, f"{kind} {held}, not read: {_RECURSIVE_HINT}", directory=True)
        if os.path.realpath(path) in ancestors:
            return _Entry(path, parts, LINK_LOOP, f"{kind} that leads back to a folder being read; not followed",
                          directory=True)
        return _Entry(path, parts, "descend", directory=True)
    if not stat.S_ISREG(mode):
        kind = next((what for test, what in _SPECIAL_FILES if test(mode)), "not a regular file")
        return _Entry(path, parts, UNSUPPORTED, f"{kind}, not a file to read")
    suffix = path.suffix.lower()
    if path.name.lower() == METADATA_NAME:
        if len(parts) == 1:
            return None
        return _Entry(path, parts, UNSUPPORTED,
                      "a metadata.csv in a subfolder is not read: only the one at the top of the corpus "
                      "folder counts (its doc_id for a file in a subfolder is the path, e.g. 2024/juni/artikel1)")
    if suffix in FOLDER_SUFFIXES:
        return _Entry(path, parts, "")
    shown = f"extension {suffix}" if suffix else "no extension"
    return _Entry(path, parts, UNSUPPORTED, f"{shown}: only .txt, .html and .htm files are read")


def _count_files(directory: Path) -> tuple[int, int]:
    """Regular files below ``directory`` (hidden ones and hidden folders left out): (all, documents)."""
    files = documents = 0
    for root, dirs, names in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith(".") or not os.path.isfile(os.path.join(root, name)):
                continue
            files += 1
            documents += Path(name).suffix.lower() in FOLDER_SUFFIXES
    return files, documents


def _readable_name(name: str) -> tuple[str, bool]:
    """A name as text: names that are not valid UTF-8 read as cp1252. (name, whether repaired)"""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by Python as lone surrogates
        raw = os.fsencode(name)
        return raw.decode("cp1252", errors="replace"), True
    return name, False


def _name_records(entries: list[_Entry], folder_name: str) -> tuple[list[str], list[str]]:
    """doc_id and source of every entry (see "Names" in the module docstring)."""
    ids, sources, raw_ids = [], [], []
    for entry in entries:
        names = []
        for part in entry.parts:
            readable, repaired = _readable_name(part)
            names.append(readable)
            if repaired and f"the name {readable!r} is not valid UTF-8: read as cp1252" not in entry.notes:
                entry.notes.append(f"the name {readable!r} is not valid UTF-8: read as cp1252")
        sources.append(f"{folder_name}/" + "/".join(names) + ("/" if entry.directory else ""))
        last = names[-1]
        if entry.directory:
            last += "/"
        elif Path(last).suffix.lower() in FOLDER_SUFFIXES:
            last = last[: -len(Path(last).suffix)]
        raw = "/".join(names[:-1] + [last])
        raw_ids.append(raw)
        ids.append(_nfc(raw))

    # Two documents with the same id: the duplicate-id check reports them; say why when the
    # names differ only in their Unicode form.
    first_raw: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.reason:
            continue
        j = first_raw.setdefault(ids[i], i)
        if j != i and raw_ids[j] != raw_ids[i]:
            entry.notes.append(
                f"its name equals that of {sources[j]} after Unicode normalisation (NFC): one of the "
                "two is written with decomposed accents, as macOS writes names"
            )

    # Records that are not documents never take a document's id (nor each other's).
    taken = {doc_id for doc_id, entry in zip(ids, entries) if not entry.reason}
    for i, entry in enumerate(entries):
        if not entry.reason:
            continue
        doc_id = ids[i]
        if doc_id in taken:
            doc_id = "./" + ids[i]
            number = 2
            while doc_id in taken:
                doc_id = f"./{ids[i]} ({number})"
                number += 1
        ids[i] = doc_id
        taken.add(doc_id)
    return ids, sources


# --------------------------------------------------------------------------------------------
# files


def _read_text_file(path: Path, source: str) -> tuple[str, list[str], str, str, str]:
    """Read one file of a folder: (text, notes, forced reason, title, date)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "", [f"cannot read the file: {exc.strerror or exc}"], UNREADABLE, "", ""
    try:
        decoded = decode_bytes(data, source=source)
    except CorpusError as exc:
        return "", [exc.reason.removeprefix("is ")], "undecodable", "", ""
    del data
    notes = decoding_notes(decoded)
    title = date = ""
    text = decoded.text
    if path.suffix.lower() in (".html", ".htm"):
        try:
            text, title, date = extract_html(text, source=str(path))
        except CorpusError:
            raise
        except Exception as exc:  # trafilatura/lxml raise many kinds of errors on broken pages
            return "", notes + [f"HTML could not be parsed: {' '.join(str(exc).split())}"], UNREADABLE, "", ""
        if not text:
            notes.append("trafilatura found no article text in the page")
        else:
            notes.append("text extracted from HTML with trafilatura")
    # markup=False: a .txt file is taken as written; HTML files are already reduced to text.
    text, text_notes = prepare_text(text, markup=False)
    return text, notes + text_notes, "", title, date


def _read_metadata(path: Path, label: str, options: ReadOptions, document_ids: list[str],
                   unread: dict[str, int]) -> tuple[pd.DataFrame, dict[int, int]]:
    """Read metadata.csv: (the frame indexed by doc_id, rows for files in unread subfolders).

    ``unread`` maps the id of each subfolder that is not read (``"2024/"``) to its record; rows
    for files in it are left out and counted per record instead of being errors.
    """
    if path.stat().st_size == 0:
        raise CorpusError("the file is empty", file=label, hint="add a header line with doc_id, or delete the file")
    data = read_bytes(path, label)
    try:
        decoded = decode_bytes(data, source=label)
    except CorpusError as exc:
        raise CorpusError(exc.reason, file=label, hint=exc.hint) from None
    if not decoded.text.strip():
        raise CorpusError("the file is empty", file=label, hint="add a header line with doc_id, or delete the file")
    frame = read_delimited(data, decoded, label, tab=False)
    frame = apply_renames(frame, options, label, strict_keys=False)
    if "doc_id" not in frame.columns:
        alias = next((c for c in frame.columns if c.lower() in ID_ALIASES), None)
        hint = "add a doc_id column holding each text file's name without extension"
        if alias is not None:
            hint = f"the ids seem to be in {alias!r}: pass columns={{{alias!r}: 'doc_id'}}"
        raise CorpusError(
            f"has no doc_id column; columns found: {column_list(frame.columns)}",
            file=label,
            column="doc_id",
            hint=hint,
        )
    if "text" in frame.columns:
        raise CorpusError(
            "has a 'text' column, but in a folder corpus the text comes from the files",
            file=label,
            column="text",
            hint="rename or delete that column",
        )
    # NFC, as the ids of the files: a name typed on one system matches a file saved on another.
    ids = [_nfc(cell_to_str(v).strip()) for v in frame["doc_id"].tolist()]
    first_row: dict[str, int] = {}
    for i, doc_id in enumerate(ids):
        row = i + 2
        if not doc_id:
            raise CorpusError(
                "the doc_id is empty",
                file=label,
                row=row,
                hint="fill in the name of the text file without extension, or delete the row",
            )
        if doc_id in first_row:
            raise CorpusError(
                f"doc_id {doc_id!r} appears twice (rows {first_row[doc_id]} and {row})",
                file=label,
                row=row,
                hint="keep one row per document",
            )
        first_row[doc_id] = row
    present = set(document_ids)
    rows_of_unread: dict[int, int] = {}
    keep = []
    for doc_id in ids:
        parts = doc_id.split("/")
        folder_id = next((f for f in ("/".join(parts[:k]) + "/" for k in range(1, len(parts))) if f in unread),
                         None)
        if doc_id not in present and folder_id is not None:
            rows_of_unread[unread[folder_id]] = rows_of_unread.get(unread[folder_id], 0) + 1
            keep.append(False)
        else:
            keep.append(True)
    orphans = [(first_row[d], d) for d, k in zip(ids, keep) if k and d not in present]
    if orphans:
        row, doc_id = orphans[0]
        more = f" ({len(orphans) - 1} more rows like this)" if len(orphans) > 1 else ""
        raise CorpusError(
            f"promises document {doc_id!r}, but the folder has no file {doc_id}.txt "
            f"(or .html/.htm){more}",
            file=label,
            row=row,
            hint="add the file, correct the doc_id, or delete the row",
        )
    frame = frame.assign(doc_id=ids)[keep].set_index("doc_id")
    return frame, rows_of_unread
