"""Load a corpus into the documents table, with an ingest ledger.

``load_corpus`` reads a folder of ``.txt`` (and ``.html``/``.htm``) files with an optional
``metadata.csv``, or one table (``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``, ``.json``,
``.parquet``), and returns the documents table of ``docs/pipeline.md``:

============  ==========================================================================
``doc_id``    str, unique; the file stem in a folder; the id column in a table
``outlet``    str; ``"unknown"`` when missing or empty
``date``      datetime64[ns]; NaT when missing or not understood (noted in the ledger)
``title``     str; ``""`` when missing
``text``      str; decoded, mojibake repaired, control characters removed, otherwise as given
``source``    str; where the record came from (see below)
...           every other metadata column, in the order given
============  ==========================================================================

``source`` is the path relative to the folder that contains the corpus path: ``seed/001.txt``
for a file in the folder ``seed``; ``corpus.csv:row 5`` for a table. Record numbers in
``source`` count as a person reading the file does:

* ``.csv``/``.tsv``/``.parquet``: ``:row N`` as in a spreadsheet — the header is row 1, the first
  record row 2 (a record spanning several lines in a CSV is still one row);
* ``.jsonl``/``.ndjson``: ``:line N``, the line of the file (1-based, blank lines counted);
* ``.json``: ``:record N``, the position in the list (1-based).

The **ingest ledger** (``return_ledger=True``) has one row per record read — per file in a
folder, per row or line in a table — with the columns ``LEDGER_COLUMNS``:
``record`` (1-based read order), ``source``, ``doc_id``, ``status`` (``loaded`` or
``excluded``), ``reason`` (empty when loaded) and ``note`` (decoding, repairs, dates, ...).
Loaded plus excluded always equals the number of records read.

Exclusion reasons, checked in this order (the first that applies is recorded):

``unreadable``
    a file in a folder that cannot be read or parsed (one bad file does not stop loading);
``undecodable``
    a file in a folder that is not text (binary data);
``duplicate doc_id``
    an id already used by an earlier record (only with ``duplicates="first"``);
``empty text``
    empty or whitespace only after decoding;
``no words``
    not a single letter: only punctuation, digits or symbols;
``below minimum length``
    fewer than ``min_chars`` non-space characters;
``not German``
    with ``language="de"``, a text of at least 30 words whose function words are mostly
    English, French, Spanish or Italian ones;
``duplicate text``
    the same text, after whitespace normalisation, as an earlier loaded record.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.io.encoding import DecodedText, count_controls, decode_bytes, normalise_controls, repair_mojibake
from analysis.errors import CorpusError, ParameterError

__all__ = [
    "DOCUMENT_COLUMNS",
    "EXCLUSION_REASONS",
    "LEDGER_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "bundled_corpus_path",
    "load_bundled_corpus",
    "load_corpus",
    "parse_date",
    "summarise_ledger",
]

DOCUMENT_COLUMNS = ("doc_id", "outlet", "date", "title", "text", "source")
LEDGER_COLUMNS = ("record", "source", "doc_id", "status", "reason", "note")
_HAS_LETTER = re.compile(r"[^\W\d_]")
EXCLUSION_REASONS = (
    "unreadable",
    "undecodable",
    "duplicate doc_id",
    "empty text",
    "no words",
    "below minimum length",
    "not German",
    "duplicate text",
)
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")
FOLDER_SUFFIXES = (".txt", ".html", ".htm")
SUPPORTED_SUFFIXES = TABLE_SUFFIXES + FOLDER_SUFFIXES
METADATA_NAME = "metadata.csv"

_SUPPORTED_TEXT = (
    "a folder of .txt (or .html/.htm) files with an optional metadata.csv, "
    "or a single .csv, .tsv, .jsonl, .ndjson, .json or .parquet file"
)
# Column names that usually hold the article text (compared lower-cased).
_TEXT_ALIASES = (
    "text", "body", "content", "article", "text_body", "body_text", "article_text",
    "articlebody", "full_text", "fulltext", "maintext", "main_text", "story", "volltext",
    "inhalt", "artikel", "artikeltext", "fliesstext", "fließtext", "beitrag", "nachricht",
    "texte", "txt", "message",
)
_ID_ALIASES = ("id", "doc", "docid", "doc-id", "document_id", "article_id", "artikel_id", "key", "uid")
_ORIGINAL_SOURCE = "original_source"


# --------------------------------------------------------------------------------------------
# public API


def load_corpus(
    path,
    *,
    text_column: str = "text",
    id_column: str = "doc_id",
    columns: dict | None = None,
    strict: bool = False,
    duplicates: str = "error",
    min_chars: int = 1,
    language: str | None = "de",
    return_ledger: bool = False,
    jobs: int | None = 1,
):
    """Load a corpus into the documents table.

    Parameters
    ----------
    path : str or path-like
        A folder of ``.txt``/``.html``/``.htm`` files (read in name order, not recursively;
        hidden files and other files are ignored; the file stem is the ``doc_id``) with an
        optional ``metadata.csv`` joined on ``doc_id``, or a ``.csv``, ``.tsv``,
        ``.jsonl``/``.ndjson``, ``.json`` (a list of records) or ``.parquet`` file.
        In a folder, a ``metadata.csv`` row without a file is an error; a file without a
        row is loaded with outlet ``"unknown"`` and the ledger note ``no metadata row``.
        HTML files are reduced to their article text with ``trafilatura`` (title and date
        taken from the page when ``metadata.csv`` does not give them); without trafilatura
        installed an HTML file raises CorpusError.
    text_column : str, default "text"
        Column of a table that holds the text (the command line's ``--text-column``);
        not used for folders, where the text comes from the files.
    id_column : str, default "doc_id"
        Column of a table (or of ``metadata.csv``) that holds the document id. A table without
        it gets ids ``<file stem>-<row>`` (noted in the ledger).
    columns : dict, optional
        Renames applied to the table's (or ``metadata.csv``'s) columns before anything else,
        e.g. ``{"body": "text", "id": "doc_id", "quelle": "outlet"}``. For a table, renaming
        a column that does not exist is an error; for ``metadata.csv`` it is ignored.
    strict : bool, default False
        Raise instead of excluding: any record that would be excluded raises CorpusError.
    duplicates : {"error", "first"}, default "error"
        What to do with a ``doc_id`` that occurs more than once: raise, or keep the first
        record and exclude the others with reason ``duplicate doc_id``.
    min_chars : int, default 1
        Records with fewer non-space characters are excluded (``below minimum length``).
    language : {"de", None}, default "de"
        ``"de"`` excludes texts of 30 words or more that are clearly not German (a count of
        German against English, French, Spanish and Italian function words); None disables
        the check.
    return_ledger : bool, default False
        Also return the ingest ledger.
    jobs : int or None, default 1
        Worker processes for the per-text checks (encoding notes, fingerprints, language);
        None uses every core. The result is the same for any number.

    Returns
    -------
    documents : pandas.DataFrame
        Columns ``doc_id, outlet, date, title, text, source`` and then the other metadata
        columns as given (a column named ``source`` in the input is kept as
        ``original_source``). One row per loaded record, in read order.
    ledger : pandas.DataFrame
        Only with ``return_ledger=True``: one row per record read, columns ``LEDGER_COLUMNS``.

    Raises
    ------
    CorpusError
        The path does not exist or has an unsupported format; a file is empty or cannot be
        parsed (a bad JSONL line is named by its line number); the text column is missing;
        ``metadata.csv`` names a document without a file; a ``doc_id`` is duplicated and
        ``duplicates="error"``; ``strict=True`` and a record would be excluded; or no document
        is left. The error raised for the last two carries the ledger as ``error.ledger``.
    ParameterError
        An argument is out of range.

    Notes
    -----
    Text is decoded with :func:`analysis.io.encoding.decode_bytes` (files) and passed through
    :func:`analysis.io.encoding.repair_mojibake` and :func:`analysis.io.encoding.normalise_controls`
    (files and table cells); every change is noted in the ledger. Nothing else is changed: no
    stripping, no cleaning (that is ``clean_corpus``' job). Table cells are read as strings
    (``dtype=str``, an empty cell is ``""``). A ``.csv`` whose header line holds more ``;`` (or
    tabs) than commas is read with that separator. Dates are read by :func:`parse_date`; a date
    that is not understood becomes NaT with a ledger note, the document is kept. Timezone
    offsets are dropped, keeping the local time as written.

    Examples
    --------
    >>> documents, ledger = load_corpus(bundled_corpus_path(), return_ledger=True)
    >>> list(documents.columns[:6])
    ['doc_id', 'outlet', 'date', 'title', 'text', 'source']
    >>> documents["outlet"].tolist()
    ['AFP-based', 'CNN-based']
    >>> ledger["status"].tolist()
    ['loaded', 'loaded']

    A table whose text column is called ``body``:

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "artikel.csv").write_text(
    ...     "id,body\\na1,Die Regierung hat am Montag beschlossen.\\n", encoding="utf-8")
    >>> docs = load_corpus(folder / "artikel.csv", columns={"body": "text", "id": "doc_id"})
    >>> docs[["doc_id", "outlet", "source"]].values.tolist()
    [['a1', 'unknown', 'artikel.csv:row 2']]
    """
    if duplicates not in ("error", "first"):
        raise ParameterError(
            f"duplicates must be 'error' or 'first', not {duplicates!r}",
            hint="'first' keeps the first record with an id and excludes the others",
        )
    if isinstance(min_chars, bool) or not isinstance(min_chars, (int, np.integer)) or min_chars < 0:
        raise ParameterError(f"min_chars must be a whole number ≥ 0, not {min_chars!r}")
    if language not in ("de", None):
        raise ParameterError(
            f"language must be 'de' or None, not {language!r}",
            hint="only German is checked; pass language=None to skip the check",
        )
    if columns is not None and not isinstance(columns, dict):
        raise ParameterError(
            f"columns must be a dict of renames such as {{'body': 'text'}}, not {type(columns).__name__}"
        )
    path = Path(path)
    label = str(path)
    if not path.exists():
        raise CorpusError(
            "does not exist",
            file=label,
            hint=f"pass {_SUPPORTED_TEXT}",
        )
    options = _Options(dict(columns or {}), text_column, id_column)
    if path.is_dir():
        records = _read_folder(path, label, options)
    else:
        records = _read_table(path, label, options)
    documents, ledger = _finish(
        records,
        label=label,
        strict=strict,
        duplicates=duplicates,
        min_chars=int(min_chars),
        language=language,
        jobs=jobs,
    )
    return (documents, ledger) if return_ledger else documents


def summarise_ledger(ledger: pd.DataFrame) -> pd.DataFrame:
    """Count the ledger's records by status and reason.

    Parameters
    ----------
    ledger : pandas.DataFrame
        A ledger from ``load_corpus(..., return_ledger=True)``.

    Returns
    -------
    pandas.DataFrame
        Columns ``status``, ``reason`` (empty for loaded records) and ``count``; loaded
        first, then exclusions by falling count.

    Examples
    --------
    >>> ledger = pd.DataFrame({
    ...     "record": [1, 2, 3], "source": ["a.txt", "b.txt", "c.txt"],
    ...     "doc_id": ["a", "b", "c"], "status": ["loaded", "excluded", "loaded"],
    ...     "reason": ["", "empty text", ""], "note": ["", "", ""]})
    >>> summarise_ledger(ledger).values.tolist()
    [['loaded', '', 2], ['excluded', 'empty text', 1]]
    """
    missing = [c for c in ("status", "reason") if c not in ledger.columns]
    if missing:
        raise ParameterError(
            f"the ledger has no column {missing[0]!r}",
            hint="pass the ledger returned by load_corpus(..., return_ledger=True)",
        )
    frame = pd.DataFrame(
        {"status": ledger["status"].astype(object), "reason": ledger["reason"].astype(object).fillna("")}
    )
    counts = frame.groupby(["status", "reason"], sort=False).size().rename("count").reset_index()
    counts["_order"] = (counts["status"] != "loaded").astype(int)
    counts = counts.sort_values(["_order", "count", "reason"], ascending=[True, False, True], kind="stable")
    counts = counts.drop(columns="_order").reset_index(drop=True)
    counts["count"] = counts["count"].astype("int64")
    return counts


def bundled_corpus_path() -> Path:
    """Return the folder of the corpus bundled with the repository (``data/raw/seed``).

    Returns
    -------
    pathlib.Path
        The folder, found relative to the ``analysis`` package.

    Raises
    ------
    CorpusError
        If the folder is not there, e.g. when the package was installed without the
        repository's ``data`` folder.

    Examples
    --------
    >>> bundled_corpus_path().name
    'seed'
    """
    folder = Path(__file__).resolve().parents[2] / "data" / "raw" / "seed"
    if not folder.is_dir():
        raise CorpusError(
            "the bundled corpus is not there",
            file=str(Path("data") / "raw" / "seed"),
            hint="it ships with the repository, not with an installed package: work in a "
            "checkout of the repository or pass your own corpus path to load_corpus",
        )
    return folder


def load_bundled_corpus(**kwargs):
    """Load the bundled corpus; keyword arguments are passed to :func:`load_corpus`.

    Examples
    --------
    >>> load_bundled_corpus()["doc_id"].tolist()
    ['000_f72946cf7d7e84f3', '001_06388abdcad2d3b3']
    """
    return load_corpus(bundled_corpus_path(), **kwargs)


# --------------------------------------------------------------------------------------------
# dates

_DE_MONTHS = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6,
    "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
}
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7,
    "october": 10, "oct": 10, "december": 12, "dec": 12,
}
_MONTHS = {**_DE_MONTHS, **_EN_MONTHS}
_WEEKDAY = re.compile(
    r"^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mo|di|mi|do|fr|sa|so|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+"
)
_TIME = re.compile(r"(?:\s*,\s*|\s+)(?:um\s+|at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*uhr)?$")
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:z|utc|[+-]\d{2}(?::?\d{2})?)?$"
)
_DMY_NUMERIC = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4}|\d{2})$")
_DMY_NAMED = re.compile(r"^(\d{1,2})\.?\s*([a-zäöü]+)\.?,?\s+(\d{4})$")
_MDY_NAMED = re.compile(r"^([a-zäöü]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\.?,?\s+(\d{4})$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


def parse_date(value) -> _dt.datetime | None:
    """Parse a date as news sites and spreadsheets write it.

    Understood: ISO dates and date-times (``2024-11-08``, ``2024-11-08T12:15:00+01:00`` —
    an offset is dropped, the local time kept), ``08.11.2024`` and ``8.11.24`` (day first,
    two-digit years are 20xx), ``8. November 2024``, ``8. Nov. 2024``, ``8 November 2024``,
    ``November 8, 2024``, ``Nov 8th, 2024``, ``2024/11/08``, each optionally with a leading
    weekday (``Freitag, 8. November 2024``) and a trailing time (``, 12:15 Uhr``). German and
    English month names and their abbreviations. ``11/08/2024`` is ambiguous and not read.

    Parameters
    ----------
    value : str
        The date as written.

    Returns
    -------
    datetime.datetime or None
        None when empty or not understood, or outside the range datetime64[ns] can hold
        (1678–2261).

    Examples
    --------
    >>> parse_date("8. November 2024")
    datetime.datetime(2024, 11, 8, 0, 0)
    >>> parse_date("November 8, 2024")
    datetime.datetime(2024, 11, 8, 0, 0)
    >>> parse_date("Freitag, 08.11.2024, 12:15 Uhr")
    datetime.datetime(2024, 11, 8, 12, 15)
    >>> parse_date("32.13.2024") is None
    True
    """
    if value is None:
        return None
    text = " ".join(str(value).split()).lower()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        y, m, d, hh, mm, ss = (int(g) if g else 0 for g in match.groups())
        return _make_date(y, m, d, hh, mm, ss)
    text = _WEEKDAY.sub("", text)
    hh = mm = ss = 0
    match = _TIME.search(text)
    if match:
        hh, mm = int(match.group(1)), int(match.group(2))
        ss = int(match.group(3) or 0)
        text = text[: match.start()].strip()
    if match := _DMY_NUMERIC.match(text):
        d, m, y = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            y += 2000
        return _make_date(y, m, d, hh, mm, ss)
    if match := _DMY_NAMED.match(text):
        month = _MONTHS.get(match.group(2))
        if month is None:
            return None
        return _make_date(int(match.group(3)), month, int(match.group(1)), hh, mm, ss)
    if match := _MDY_NAMED.match(text):
        month = _MONTHS.get(match.group(1))
        if month is None:
            return None
        return _make_date(int(match.group(3)), month, int(match.group(2)), hh, mm, ss)
    if match := _YMD_SLASH.match(text):
        y, m, d = (int(g) for g in match.groups())
        return _make_date(y, m, d, hh, mm, ss)
    return None


def _make_date(y, m, d, hh=0, mm=0, ss=0) -> _dt.datetime | None:
    if not 1678 <= y <= 2261:
        return None
    try:
        return _dt.datetime(y, m, d, hh, mm, ss)
    except ValueError:
        return None


def _parse_date_column(values) -> tuple[np.ndarray, list[str]]:
    """Parse a column of dates; return datetime64[ns] values and a note per value ("" if none)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    n = len(series)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_localize(None)
        return series.astype("datetime64[ns]").to_numpy(), [""] * n
    texts = [_cell_to_str(v).strip() for v in series.tolist()]
    parsed: dict[str, np.datetime64] = {}
    nat = np.datetime64("NaT", "ns")
    for text in set(texts):
        value = parse_date(text) if text else None
        parsed[text] = nat if value is None else np.datetime64(value, "ns")
    dates = np.array([parsed[t] for t in texts], dtype="datetime64[ns]")
    notes = [
        f"date {t!r} not understood, set to NaT (write dates as YYYY-MM-DD)" if t and np.isnat(parsed[t]) else ""
        for t in texts
    ]
    return dates, notes


# --------------------------------------------------------------------------------------------
# language check

_DE_WORDS = """
der die das den dem des und ist sind nicht ein eine einen einem einer eines zu von mit sich
auf für im zum zur auch als nach wie aus bei beim noch nur oder aber vor bis mehr durch über
wird werden wurde wurden hat haben hatte hatten war waren sie er wir ich ihr ihre ihren ihrem
ihrer seine seinen seinem seiner sein kann können konnte dass daß wenn um am unter schon gegen
diese dieser dieses diesem diesen doch seit sowie zwischen nun ob immer wieder keine kein
keinen hier heute soll sollen sollte muss müssen damit dies einem jedoch worden sei laut
""".split()
_OTHER_WORDS = {
    "English": """
        the of and to a is that it for on with as be by this are at from his have has not but
        they which or were their been would there said who its had one about after more than
        when can what into could she he we our them those how other some such only over
        """.split(),
    "French": """
        le la les et du une est que qui dans pour pas sur au avec ce il elle sont par ne se
        ont été mais comme nous vous leur aux cette ces son sa ses être fait
        """.split(),
    "Spanish": """
        el la los las y de que en una por con no para del al lo como más pero sus le ya fue
        este ha porque esta son entre cuando muy sin sobre también hasta desde
        """.split(),
    "Italian": """
        il di che è la una non sono del della le dei gli con si nel alla anche come più ma ha
        questo questa essere delle degli nella sulla
        """.split(),
}
# Words common in more than one of the compared languages (or in German names, brands and
# abbreviations) tell nothing and are left out of every list.
_AMBIGUOUS = {"in", "an", "so", "was", "man", "also", "will", "her", "da", "per", "plus",
              "these", "un", "e", "des", "es", "a", "o", "i", "die", "war", "hat", "am"}


def _build_language_sets() -> tuple[frozenset, dict[str, frozenset]]:
    german = frozenset(_DE_WORDS) - _AMBIGUOUS
    others = {lang: frozenset(words) - _AMBIGUOUS - german for lang, words in _OTHER_WORDS.items()}
    return german, others


_GERMAN_WORDS, _FOREIGN_WORDS = _build_language_sets()
_ANY_FOREIGN_WORD = frozenset().union(*_FOREIGN_WORDS.values())
_LANGUAGE_MIN_WORDS = 30
_LANGUAGE_MIN_HITS = 5
_LANGUAGE_SAMPLE = 2000  # characters from the start and from the middle of long texts


def _not_german(text: str) -> str | None:
    """Return a note when the text is clearly not German, else None.

    Words are split at whitespace and lower-cased; the evidence is the number of *different*
    function words of each language found (a word glued to punctuation is not counted). A
    text needs at least 30 words and 5 different function words to be judged; it is not
    German when it holds more different foreign function words than German ones.
    """
    if len(text) > 2 * _LANGUAGE_SAMPLE:
        middle = len(text) // 2
        text = text[:_LANGUAGE_SAMPLE] + " " + text[middle : middle + _LANGUAGE_SAMPLE]
    words = text.lower().split()
    if len(words) < _LANGUAGE_MIN_WORDS:
        return None
    distinct = set(words)
    german = len(distinct & _GERMAN_WORDS)
    foreign = len(distinct & _ANY_FOREIGN_WORD)
    if german + foreign < _LANGUAGE_MIN_HITS or german >= foreign:
        return None
    counts = {lang: len(distinct & words_) for lang, words_ in _FOREIGN_WORDS.items()}
    lang = max(counts, key=lambda name: (counts[name], name))
    return (
        f"looks {lang}: {german} German vs {counts[lang]} {lang} function words "
        f"among {len(words)} words checked"
    )


# --------------------------------------------------------------------------------------------
# reading


@dataclass
class _Options:
    columns: dict
    text_column: str
    id_column: str


@dataclass
class _Records:
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


def _cell_to_str(value) -> str:
    """A table cell as a string; missing values become ""."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
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


def _prepare_text(value) -> tuple[str, list[str]]:
    """Normalise line ends; note (but do not change) mojibake and control characters.

    Repairs are made by :func:`analysis.clean.clean_corpus` (rules ``encoding_repair`` and
    ``control_characters``), so that each one is recorded in the cleaning audit and the loaded
    text can be rebuilt from the clean text.
    """
    text = _cell_to_str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes = []
    repaired, repairs = repair_mojibake(text)
    if repaired != text:
        notes.append("mojibake found (" + "; ".join(repairs) + "): repaired by cleaning, rule encoding_repair")
    controls = count_controls(text)
    if controls:
        notes.append(
            f"{controls} control character{'s' if controls != 1 else ''}: removed by cleaning, rule control_characters"
        )
    return text, notes


def _decoding_notes(decoded: DecodedText) -> list[str]:
    notes = []
    if decoded.encoding == "utf-8-sig":
        notes.append("decoded as UTF-8 (byte-order mark removed)")
    elif decoded.encoding != "utf-8":
        notes.append(f"decoded as {decoded.encoding}")
    notes.extend(decoded.repairs)
    return notes


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(
            f"cannot be read: {exc.strerror or exc}",
            file=label,
            hint="check that the file exists and that you may read it",
        ) from None


def _read_table(path: Path, label: str, options: _Options) -> _Records:
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        if suffix in FOLDER_SUFFIXES:
            hint = (
                f"a single {suffix} file is not a corpus: put it in a folder (one file per "
                "document) and pass the folder"
            )
        else:
            hint = f"pass {_SUPPORTED_TEXT}"
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
        data = _read_bytes(path, label)
        try:
            decoded = decode_bytes(data, source=label)
        except CorpusError as exc:
            raise CorpusError(exc.reason, file=label, hint=exc.hint) from None
        if not decoded.text or decoded.text.isspace():
            raise CorpusError("the file is empty (only whitespace)", file=label, hint="export the corpus again")
        file_notes = [f"file {note}" if note.startswith("decoded") else note for note in _decoding_notes(decoded)]
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


def _read_delimited(data: bytes, decoded: DecodedText, label: str, *, tab: bool) -> pd.DataFrame:
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


def _column_list(columns) -> str:
    names = [str(c) for c in columns]
    shown = ", ".join(repr(c) for c in names[:20])
    return shown + (f", … ({len(names)} in all)" if len(names) > 20 else "") if names else "(none)"


def _apply_renames(frame: pd.DataFrame, options: _Options, label: str, *, strict_keys: bool) -> pd.DataFrame:
    frame.columns = [str(c).strip() for c in frame.columns]
    renames = {str(k): str(v) for k, v in options.columns.items()}
    missing = [k for k in renames if k not in frame.columns]
    if missing and strict_keys:
        raise CorpusError(
            f"columns= renames {missing[0]!r}, but there is no such column; columns found: "
            f"{_column_list(frame.columns)}",
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
        frame = frame.rename(columns={"source": _ORIGINAL_SOURCE})
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        raise CorpusError(
            f"has two columns named {duplicated[0]!r} (after renaming)",
            file=label,
            hint="rename one of them or change columns=",
        )
    return frame


def _missing_text_error(frame: pd.DataFrame, options: _Options, label: str) -> CorpusError:
    wanted = options.text_column
    found = [c for c in frame.columns if c.lower() in _TEXT_ALIASES and c != wanted]
    message = f"has no text column {wanted!r}; columns found: {_column_list(frame.columns)}"
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
    options: _Options,
    file_notes: list[str],
    stem: str,
) -> _Records:
    frame = _apply_renames(frame, options, label, strict_keys=True)
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
            f"has no id column {options.id_column!r}; columns found: {_column_list(frame.columns)}",
            file=label,
            hint="check id_column=, or leave it out to number the records",
        )
    frame = frame.reset_index(drop=True)
    n = len(frame)
    numbers_list = numbers.tolist()
    sources = [f"{name}:{unit} {k}" for k in numbers_list]
    notes: list[list[str]] = [list(file_notes) for _ in range(n)]
    if "doc_id" in frame.columns:
        ids = [_cell_to_str(v).strip() for v in frame["doc_id"].tolist()]
        id_note = f"empty doc_id: id generated from the file name and {unit} number"
    else:
        ids = [""] * n
        id_note = f"no doc_id column: id generated from the file name and {unit} number"
        alias = next((c for c in frame.columns if c.lower() in _ID_ALIASES), None)
        if alias is not None:
            id_note += f" (to use {alias!r}, pass columns={{{alias!r}: 'doc_id'}})"
    for i, doc_id in enumerate(ids):
        if not doc_id:
            ids[i] = f"{stem}-{numbers_list[i]}"
            notes[i].append(id_note)
    texts = frame["text"].tolist()
    meta = frame.drop(columns=[c for c in ("text", "doc_id") if c in frame.columns])
    return _Records(sources=sources, doc_ids=ids, texts=texts, notes=notes, forced=[""] * n, meta=meta)


# --------------------------------------------------------------------------------------------
# folders


def _read_folder(folder: Path, label: str, options: _Options) -> _Records:
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
            hint=f"pass {_SUPPORTED_TEXT}",
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
    return _Records(
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
    notes = _decoding_notes(decoded)
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
    text, text_notes = _prepare_text(text)
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


def _read_metadata(path: Path, label: str, options: _Options, stems: list[str]) -> pd.DataFrame:
    """Read metadata.csv; return it indexed by doc_id (all columns but doc_id)."""
    if path.stat().st_size == 0:
        raise CorpusError("the file is empty", file=label, hint="add a header line with doc_id, or delete the file")
    data = _read_bytes(path, label)
    try:
        decoded = decode_bytes(data, source=label)
    except CorpusError as exc:
        raise CorpusError(exc.reason, file=label, hint=exc.hint) from None
    if not decoded.text.strip():
        raise CorpusError("the file is empty", file=label, hint="add a header line with doc_id, or delete the file")
    frame = _read_delimited(data, decoded, label, tab=False)
    frame = _apply_renames(frame, options, label, strict_keys=False)
    if "doc_id" not in frame.columns:
        alias = next((c for c in frame.columns if c.lower() in _ID_ALIASES), None)
        hint = "add a doc_id column holding each text file's name without extension"
        if alias is not None:
            hint = f"the ids seem to be in {alias!r}: pass columns={{{alias!r}: 'doc_id'}}"
        raise CorpusError(
            f"has no doc_id column; columns found: {_column_list(frame.columns)}",
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
    ids = [_cell_to_str(v).strip() for v in frame["doc_id"].tolist()]
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


# --------------------------------------------------------------------------------------------
# checks, documents and ledger

_CHUNK = 1 << 20


def _fingerprint(text: str) -> tuple[int, bytes]:
    """Non-space character count and a hash of the whitespace-normalised text.

    Whitespace normalisation: runs of whitespace become one space, leading and trailing
    whitespace is dropped. Long texts are processed in chunks of about a million
    characters, cut at whitespace, so memory stays bounded.
    """
    digest = hashlib.blake2b(digest_size=16)
    non_space = 0
    first = True
    start = 0
    n = len(text)
    while start < n:
        stop = min(n, start + _CHUNK)
        if stop < n:
            cut = stop
            limit = max(start, stop - 1000)
            while cut > limit and not text[cut - 1].isspace():
                cut -= 1
            stop = cut if cut > limit else stop  # an enormous "word": cut it anyway
        words = text[start:stop].split()
        start = stop
        if not words:
            continue
        part = " ".join(words)
        non_space += len(part) - (len(words) - 1)
        if not first:
            digest.update(b" ")
        digest.update(part.encode("utf-8", "surrogatepass"))
        first = False
    return non_space, digest.digest()


class _TextFacts(NamedTuple):
    """What the checks need to know of one text, computed independently of the others."""

    text: str | None  # the prepared text when it differs from the input (None: unchanged)
    notes: list
    non_space: int
    key: bytes
    has_letter: bool
    not_german: str | None


def _text_facts(value, prepare: bool, language) -> _TextFacts:
    notes: list[str] = []
    if prepare:
        text, notes = _prepare_text(value)
    else:
        text = value
    non_space, key = _fingerprint(text)
    has_letter = _HAS_LETTER.search(text) is not None
    verdict = _not_german(text) if language == "de" and non_space and has_letter else None
    return _TextFacts(None if text is value else text, notes, non_space, key, has_letter, verdict)


def _facts_of_chunk(values, prepare: bool, language) -> list[_TextFacts]:
    return [_text_facts(value, prepare, language) for value in values]


# Below this many records the checks run in this process: starting workers costs more.
_PARALLEL_RECORDS = 2000
_FACT_CHUNK = 1000


def _all_facts(texts, prepare: bool, language, jobs) -> list[_TextFacts]:
    """Facts of every text, in order; in worker processes for large inputs."""
    if jobs == 1 or len(texts) < _PARALLEL_RECORDS:
        return _facts_of_chunk(texts, prepare, language)
    from ..store.executor import make_executor

    executor = make_executor(jobs)
    try:
        futures = [executor.submit(_facts_of_chunk, texts[i : i + _FACT_CHUNK], prepare, language)
                   for i in range(0, len(texts), _FACT_CHUNK)]
        facts = []
        for future in futures:
            facts.extend(future.result())
    finally:
        executor.close()
    return facts


def _finish(records: _Records, *, label, strict, duplicates, min_chars, language, jobs=1):
    n = len(records.doc_ids)
    sources, ids, notes = records.sources, records.doc_ids, records.notes
    reasons = list(records.forced)
    facts = _all_facts(records.texts, not records.prepared, language, jobs)
    texts = [value if fact.text is None else fact.text for value, fact in zip(records.texts, facts)]
    for i, fact in enumerate(facts):
        if fact.notes:
            notes[i].extend(fact.notes)

    # duplicate ids
    first_index: dict[str, int] = {}
    duplicate_pairs = []
    for i, doc_id in enumerate(ids):
        j = first_index.setdefault(doc_id, i)
        if j != i:
            duplicate_pairs.append((i, j))
    if duplicate_pairs:
        if duplicates == "error":
            i, j = duplicate_pairs[0]
            total = f" ({len(duplicate_pairs)} repeated ids in all)" if len(duplicate_pairs) > 1 else ""
            first, second = _short_source(sources[j]), _short_source(sources[i])
            raise CorpusError(
                f"duplicate doc_id {ids[i]!r} in {first} and {second}{total}",
                file=label,
                hint="make the ids unique, or pass duplicates='first' to keep the first record "
                "and record the others as excluded in the ledger",
            )
        for i, j in duplicate_pairs:
            if not reasons[i]:
                reasons[i] = "duplicate doc_id"
                notes[i].append(f"doc_id already used by record {j + 1} ({sources[j]})")

    # text checks
    seen_text: dict[bytes, int] = {}
    for i in range(n):
        if reasons[i]:
            continue
        fact = facts[i]
        non_space, key = fact.non_space, fact.key
        if non_space == 0:
            reasons[i] = "empty text"
            continue
        if not fact.has_letter:
            reasons[i] = "no words"
            notes[i].append("the text has no letter: only punctuation, digits or symbols")
            continue
        if non_space < min_chars:
            reasons[i] = "below minimum length"
            notes[i].append(f"{non_space} non-space characters, minimum {min_chars}")
            continue
        if language == "de":
            verdict = fact.not_german
            if verdict is not None:
                reasons[i] = "not German"
                notes[i].append(verdict)
                continue
        j = seen_text.setdefault(key, i)
        if j != i:
            reasons[i] = "duplicate text"
            notes[i].append(f"same text as doc_id {ids[j]!r} (record {j + 1}, {sources[j]})")

    # metadata columns
    meta = records.meta.reset_index(drop=True)
    outlets = [_cell_to_str(v).strip() for v in meta["outlet"].tolist()] if "outlet" in meta else [""] * n
    outlets = [o or "unknown" for o in outlets]
    titles = [_cell_to_str(v) for v in meta["title"].tolist()] if "title" in meta else [""] * n
    if records.title_fallback:
        titles = [t if t.strip() else fb for t, fb in zip(titles, records.title_fallback)]
    titles = [_clean_title(t, notes[i]) for i, t in enumerate(titles)]
    if "date" in meta:
        date_values = meta["date"]
        if records.date_fallback and not pd.api.types.is_datetime64_any_dtype(date_values.dtype):
            date_values = pd.Series(
                [v if _cell_to_str(v).strip() else fb for v, fb in zip(date_values.tolist(), records.date_fallback)],
                dtype=object,
            )
    elif records.date_fallback:
        date_values = pd.Series(records.date_fallback, dtype=object)
    else:
        date_values = pd.Series([""] * n, dtype=object)
    dates, date_notes = _parse_date_column(date_values)
    for i, note in enumerate(date_notes):
        if note:
            notes[i].append(note)
    extras = meta.drop(columns=[c for c in ("outlet", "date", "title") if c in meta.columns])

    # ledger
    statuses = ["excluded" if r else "loaded" for r in reasons]
    ledger = pd.DataFrame(
        {
            "record": np.arange(1, n + 1, dtype="int64"),
            "source": sources,
            "doc_id": ids,
            "status": statuses,
            "reason": reasons,
            "note": ["; ".join(record_notes) for record_notes in notes],
        },
        columns=list(LEDGER_COLUMNS),
    )
    keep = [i for i in range(n) if not reasons[i]]
    loaded = statuses.count("loaded")
    excluded = statuses.count("excluded")
    _check_identity(loaded, excluded, n, len(ledger))

    if strict and excluded:
        i = next(k for k in range(n) if reasons[k])
        detail = f" ({ledger.at[i, 'note']})" if ledger.at[i, "note"] else ""
        error = CorpusError(
            f"record {i + 1} (doc_id {ids[i]!r}) would be excluded: {reasons[i]}{detail}",
            file=sources[i],
            hint="fix or remove the record, or load without strict=True to skip it "
            "(the ledger lists every exclusion)",
        )
        error.ledger = ledger
        raise error
    if loaded == 0:
        counted = Counter(reasons)
        listed = ", ".join(f"{reason}: {count}" for reason, count in counted.most_common())
        error = CorpusError(
            f"no documents loaded from {label}: {n} record{'s' if n != 1 else ''} read, "
            f"all excluded ({listed})",
            hint="see the ledger, attached to this error as .ledger, for every record and its reason",
        )
        error.ledger = ledger
        raise error

    keep_index = np.asarray(keep, dtype=int)
    documents = pd.DataFrame(
        {
            "doc_id": [ids[i] for i in keep],
            "outlet": [outlets[i] for i in keep],
            "date": dates[keep_index],
            "title": [titles[i] for i in keep],
            "text": [texts[i] for i in keep],
            "source": [sources[i] for i in keep],
        },
        columns=list(DOCUMENT_COLUMNS),
    )
    documents["date"] = documents["date"].astype("datetime64[ns]")
    if len(extras.columns):
        extras = extras.iloc[keep_index].reset_index(drop=True)
        documents = pd.concat([documents, extras], axis=1)
    _check_identity(len(documents), excluded, n, len(ledger))
    return documents, ledger


def _check_identity(loaded: int, excluded: int, read: int, ledger_rows: int) -> None:
    """loaded + excluded == read, one ledger row per record: an internal error otherwise."""
    if loaded + excluded != read or ledger_rows != read:
        raise RuntimeError(
            f"internal error in load_corpus: {loaded} loaded + {excluded} excluded != {read} "
            f"records read ({ledger_rows} ledger rows); please report this"
        )


def _short_source(source: str) -> str:
    """'k.csv:row 2' → 'row 2' (the file is named in front of the message); paths stay."""
    _, sep, where = source.rpartition(":")
    return where if sep and where.split(" ")[0] in ("row", "line", "record") else source


def _clean_title(title: str, notes: list[str]) -> str:
    if not title or (title.isascii() and title.isprintable()):
        return title.strip()
    fixed, repairs = repair_mojibake(title)
    fixed, removed = normalise_controls(fixed)
    if repairs or removed:
        notes.append("title: " + ", ".join(list(repairs) + ([f"removed {removed} control characters"] if removed else [])))
    return " ".join(fixed.split()) if "\n" in fixed else fixed.strip()
