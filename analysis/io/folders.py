"""Read a folder of text and HTML files, with an optional ``metadata.csv``, into records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import CorpusError
from analysis.io.encoding import decode_bytes
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


def read_folder(folder: Path, label: str, options: ReadOptions) -> Records:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise CorpusError(f"cannot be read: {exc.strerror or exc}", file=label,
                          hint="check that you may read the folder") from None
    visible = [p for p in entries if not p.name.startswith(".")]
    if not visible:
        raise CorpusError(
            "the folder is empty",
            file=label,
            hint="put one .txt (or .html) file per document in it, optionally with a metadata.csv",
        )
    files = [p for p in visible if p.suffix.lower() in FOLDER_SUFFIXES and p.is_file()]
    meta_path = next((p for p in visible if p.name.lower() == METADATA_NAME and p.is_file()), None)
    if not files:
        others = [p.name for p in visible]
        shown = ", ".join(others[:8]) + (f", … ({len(others)} in all)" if len(others) > 8 else "")
        raise CorpusError(
            f"the folder holds no .txt, .html or .htm files (found: {shown})",
            file=label,
            hint=f"pass {SUPPORTED_TEXT}",
        )
    folder_name = folder.resolve().name or folder.name
    sources, ids, texts, notes, forced, titles, dates = [], [], [], [], [], [], []
    for path in files:
        source = f"{folder_name}/{path.name}"
        text, record_notes, reason, title, date = _read_text_file(path, source)
        sources.append(source)
        ids.append(path.stem)
        texts.append(text)
        notes.append(record_notes)
        forced.append(reason)
        titles.append(title)
        dates.append(date)

    if meta_path is not None:
        meta = _read_metadata(meta_path, str(meta_path), options, ids)
        found = set(meta.index)
        for i, doc_id in enumerate(ids):
            if doc_id not in found:
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


def _read_text_file(path: Path, source: str) -> tuple[str, list[str], str, str, str]:
    """Read one file of a folder: (text, notes, forced reason, title, date)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "", [f"cannot read the file: {exc.strerror or exc}"], "unreadable", "", ""
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
            text, title, date = _extract_html(text, path)
        except CorpusError:
            raise
        except Exception as exc:  # trafilatura/lxml raise many kinds of errors on broken pages
            return "", notes + [f"HTML could not be parsed: {' '.join(str(exc).split())}"], "unreadable", "", ""
        if not text:
            notes.append("trafilatura found no article text in the page")
        else:
            notes.append("text extracted from HTML with trafilatura")
    text, text_notes = prepare_text(text)
    return text, notes + text_notes, "", title, date


def _extract_html(html: str, path: Path) -> tuple[str, str, str]:
    try:
        import trafilatura
    except ImportError:
        raise CorpusError(
            "is an HTML file; reading HTML needs the trafilatura package, which is not installed "
            "(or cannot be imported)",
            file=str(path),
            hint="pip install trafilatura, or save the article text as a .txt file",
        ) from None
    result = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    if result is None:
        return "", "", ""
    if isinstance(result, dict):
        get = result.get
    else:
        def get(key):
            return getattr(result, key, None)
    text = get("text") or ""
    title = get("title") or ""
    date = get("date") or ""
    return str(text), " ".join(str(title).split()), str(date)


def _read_metadata(path: Path, label: str, options: ReadOptions, stems: list[str]) -> pd.DataFrame:
    """Read metadata.csv; return it indexed by doc_id (all columns but doc_id)."""
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
    ids = [cell_to_str(v).strip() for v in frame["doc_id"].tolist()]
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
    present = set(stems)
    orphans = [(first_row[d], d) for d in ids if d not in present]
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
    frame = frame.assign(doc_id=ids).set_index("doc_id")
    return frame
