"""What every reader of a corpus produces: records with sources, ids, texts and notes.

The table readers (``table_files``) and the folder reader (``folders``) both return a
:class:`Records`; ``load_corpus`` checks them and turns them into the documents table and
the ledger.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import CorpusError
from analysis.io.encoding import DecodedText, count_controls, repair_mojibake
from analysis.io.html import cell_text

TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")
FOLDER_SUFFIXES = (".txt", ".html", ".htm")
METADATA_NAME = "metadata.csv"

SUPPORTED_TEXT = (
    "a folder of .txt (or .html/.htm) files with an optional metadata.csv, "
    "or a single .csv, .tsv, .jsonl, .ndjson, .json or .parquet file"
)
# Column names that usually hold the article text (compared lower-cased).
TEXT_ALIASES = (
    "text", "body", "content", "article", "text_body", "body_text", "article_text",
    "articlebody", "full_text", "fulltext", "maintext", "main_text", "story", "volltext",
    "inhalt", "artikel", "artikeltext", "fliesstext", "fließtext", "beitrag", "nachricht",
    "texte", "txt", "message",
)
ID_ALIASES = ("id", "doc", "docid", "doc-id", "document_id", "article_id", "artikel_id", "key", "uid")
ORIGINAL_SOURCE = "original_source"




@dataclass
class ReadOptions:
    columns: dict
    text_column: str
    id_column: str
    lenient: bool = False  # broken table structure: exclude the affected records, not raise
    recursive: bool = False  # folder corpora: read subfolders too


@dataclass
class Records:
    """The records read from one input, before checks."""

    sources: list[str]
    doc_ids: list[str]
    texts: list  # str (prepared) or raw cells (not yet prepared)
    notes: list[list[str]]
    forced: list[str]  # an exclusion reason fixed while reading ("" if none)
    meta: pd.DataFrame  # outlet/date/title and other metadata, one row per record
    prepared: bool = False
    title_fallback: list[str] = field(default_factory=list)
    date_fallback: list[str] = field(default_factory=list)


class JsonFloat(float):
    """A number read from JSON that remembers how it was written (``12.50`` stays "12.50").

    Used as ``json.loads(..., parse_float=JsonFloat)``; it is a float everywhere else.
    """

    def __new__(cls, written: str):
        number = super().__new__(cls, written)
        number.written = written
        return number


def cell_to_str(value) -> str:
    """A table cell as a string; missing values become "".

    Numbers keep every digit (integers are never passed through float; a :class:`JsonFloat` is
    given as written); bytes are decoded as UTF-8 (the readers decode bytes columns first, so
    that a failure can name the row).
    """
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, JsonFloat):
        return value.written
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def prepare_text(value, *, markup: bool = True) -> tuple[str, list[str]]:
    """Normalise line ends; note (but do not change) mojibake and control characters.

    Repairs are made by :func:`analysis.clean.clean_corpus` (rules ``encoding_repair`` and
    ``control_characters``), so that each one is recorded in the cleaning audit and the loaded
    text can be rebuilt from the clean text. With ``markup=True`` (table cells) a cell holding
    HTML is reduced to its text and entities are unescaped, with a note
    (:func:`analysis.io.html.cell_text`): markup is not part of the text at all.
    """
    text = cell_to_str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes = []
    if markup:
        text, notes = cell_text(text)
    repaired, repairs = repair_mojibake(text)
    if repaired != text:
        notes.append("mojibake found (" + "; ".join(repairs) + "): repaired by cleaning, rule encoding_repair")
    controls = count_controls(text)
    if controls:
        notes.append(
            f"{controls} control character{'s' if controls != 1 else ''}: removed by cleaning, rule control_characters"
        )
    return text, notes


def decoding_notes(decoded: DecodedText) -> list[str]:
    notes = []
    if decoded.encoding == "utf-8-sig":
        notes.append("decoded as UTF-8 (byte-order mark removed)")
    elif decoded.encoding != "utf-8":
        notes.append(f"decoded as {decoded.encoding}")
    notes.extend(decoded.repairs)
    return notes


def read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(
            f"cannot be read: {exc.strerror or exc}",
            file=label,
            hint="check that the file exists and that you may read it",
        ) from None
