"""Load a corpus into the documents table, with an ingest ledger.

``load_corpus`` reads a folder of ``.txt`` (and ``.html``/``.htm``) files with an optional
``metadata.csv``, or one table (``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``, ``.json``,
``.parquet``), and returns the documents table of ``docs/pipeline.md``:

============  ==========================================================================
``doc_id``    str, unique; in a folder the file's path without extension, NFC (``a``,
              ``2024/juni/a``); the id column in a table
``outlet``    str; ``"unknown"`` when missing or empty
``date``      datetime64[ns]; NaT when missing or not understood (noted in the ledger)
``title``     str; ``""`` when missing
``text``      str; decoded, mojibake repaired, control characters removed, otherwise as given
``source``    str; where the record came from (see below)
``language``  str; ISO code of the text's language (``de``), ``""`` when shorter than
              30 words, not identified, or ``language=None`` (see below)
``shared_``   str; ``shared_text``: the same text printed by other outlets too: one id
``text``      (``s-`` and 10 hex digits of the text's fingerprint) for all copies; ``""``
              when the text is in one outlet only
``near_``     str; ``near_duplicate``: the cluster of near-duplicates the text belongs to
``duplicate`` (``n-`` and 10 hex digits, from the first member's doc_id); ``""`` if none
...           every other metadata column, in the order given (an input column named
              like a computed one is kept as ``original_<name>``, e.g. ``original_source``)
============  ==========================================================================

``source`` is the path relative to the folder that contains the corpus path: ``seed/001.txt``
for a file in the folder ``seed``; ``corpus.csv:row 5`` for a table. Record numbers in
``source`` count as a person reading the file does:

* ``.csv``/``.tsv``/``.parquet``: ``:row N`` as in a spreadsheet — the header is row 1, the first
  record row 2 (a record spanning several lines in a CSV is still one row; a blank line is an
  empty row, so it counts). Errors and ledger notes about the structure of a CSV name the
  physical *line* an editor shows instead (1-based, blank lines counted), see
  :mod:`analysis.io.table_files`;
* ``.jsonl``/``.ndjson``: ``:line N``, the line of the file (1-based, blank lines counted);
* ``.json``: ``:record N``, the position in the list (1-based).

The **ingest ledger** (``return_ledger=True``) has one row per record read — per file in a
folder, per row or line in a table — with the columns ``LEDGER_COLUMNS``:
``record`` (1-based read order), ``source``, ``doc_id``, ``status`` (``loaded`` or
``excluded``), ``reason`` (empty when loaded), ``note`` (decoding, repairs, dates, shared copies,
near-duplicates with their closest earlier partner and similarity, ...) and ``shared_text`` (as
in the documents table; ``""`` for excluded records). Loaded plus excluded always equals the
number of records read.

**Duplicates** (:mod:`analysis.io.duplicates`). The same text (after whitespace normalisation)
twice in one outlet is one article counted twice: the repeat is excluded. The same text in
different outlets — an agency text printed by several papers — is each outlet's article: all
copies are loaded and marked with one ``shared_text`` id, so word counts and keyness count it
for every outlet that printed it (filter on ``shared_text`` to count it once). Near-duplicates
are texts whose word 5-gram shingles have a Jaccard similarity of at least 0.8 (MinHash of 128
permutations with a fixed seed, LSH, the estimate checked per pair): they are marked with a
``near_duplicate`` cluster id and, with ``drop_near_duplicates=True``, a near-duplicate of an
earlier loaded record of the *same* outlet is excluded. :func:`analysis.io.duplicates.duplicate_pairs`
lists every pair.

**Language** (:mod:`analysis.io.language`, with ``language="de"``): py3langid's classifier on the
text outside quotations, checked against the share of German function words; a text of at
least 30 words is another language only when py3langid gives German a probability below 0.1
*and* fewer than 10 % of its words are German function words, so German articles full of
English quotations or names stay German.

Exclusion reasons, checked in this order (the first that applies is recorded):

``unreadable``
    a file in a folder that cannot be read or parsed, or a subfolder that cannot be listed
    (one bad file does not stop loading);
``undecodable``
    a file in a folder that is not text (binary data); with ``lenient=True``, a record of a
    Parquet table whose bytes column holds bytes that are not UTF-8;
``broken structure``
    with ``lenient=True``, a record of a table that cannot be read as it stands (without it,
    CorpusError naming the line): in a CSV/TSV a record with more fields than the header, an
    undoubled double quote, a quoted cell that is never closed or runs over lines that start
    records of their own (a missing closing quote), a separator change, a repeated header line;
    in JSON/JSONL/Parquet a list or object in the ``doc_id``, ``text``, ``title``, ``outlet`` or
    ``date`` field. The note names the lines (or the record and field);
``subfolder``
    a subfolder of a folder corpus read without ``recursive=True`` (the note says how many files
    it holds), or one with nothing to read;
``unsupported file type``
    an entry of a folder that is not a ``.txt``/``.html``/``.htm`` file (the note names the
    extension), a named pipe, socket or device (never opened), or a ``metadata.csv`` in a
    subfolder;
``broken link``
    a symbolic link in a folder whose target does not exist;
``link loop``
    a symbolic link that leads back to a folder being read, or to itself through other links;
``duplicate doc_id``
    an id already used by an earlier record (only with ``duplicates="first"``);
``empty text``
    empty or whitespace only after decoding;
``no words``
    not a single letter: only punctuation, digits or symbols;
``below minimum length``
    fewer than ``min_chars`` non-space characters;
``not German``
    with ``language="de"`` and ``other_languages="exclude"``, a text of at least 30 words
    identified as another language (see **Language**; the note gives the language and the
    probabilities);
``duplicate text``
    the same text, after whitespace normalisation, as an earlier loaded record of the same
    outlet;
``near duplicate``
    only with ``drop_near_duplicates=True``: a text whose word shingles have a Jaccard
    similarity of at least 0.8 (MinHash estimate) with an earlier loaded record of the same
    outlet (the note names it and gives the similarity).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.errors import CorpusError, ParameterError
from analysis.io.dates import parse_date, parse_date_column
from analysis.io.duplicates import (
    fingerprint,
    near_duplicate_clusters,
    near_duplicate_pairs,
    shared_text_id,
    signature,
)
from analysis.io.encoding import normalise_controls, repair_mojibake
from analysis.io.folders import read_folder
from analysis.io.language import Identification, describe, identify_language, preload
from analysis.io.records import (
    FOLDER_SUFFIXES,
    SUPPORTED_TEXT,
    TABLE_SUFFIXES,
    ReadOptions,
    Records,
    cell_to_str,
    prepare_text,
)
from analysis.io.table_files import read_table

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

DOCUMENT_COLUMNS = ("doc_id", "outlet", "date", "title", "text", "source", "language", "shared_text",
                    "near_duplicate")
LEDGER_COLUMNS = ("record", "source", "doc_id", "status", "reason", "note", "shared_text")
_HAS_LETTER = re.compile(r"[^\W\d_]")
EXCLUSION_REASONS = (
    "unreadable",
    "undecodable",
    "broken structure",
    "subfolder",
    "unsupported file type",
    "broken link",
    "link loop",
    "duplicate doc_id",
    "empty text",
    "no words",
    "below minimum length",
    "not German",
    "duplicate text",
    "near duplicate",
)
SUPPORTED_SUFFIXES = TABLE_SUFFIXES + FOLDER_SUFFIXES


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
    lenient: bool = False,
    recursive: bool = False,
    drop_near_duplicates: bool = False,
    other_languages: str = "exclude",
):
    """Load a corpus into the documents table.

    Parameters
    ----------
    path : str or path-like
        A folder of ``.txt``/``.html``/``.htm`` files (read in name order; the file stem is
        the ``doc_id``, the path below the folder with ``recursive``; every other entry — a
        subfolder, another file type, a broken link — is a ledger row with its reason, hidden
        entries are counted in a note: see :mod:`analysis.io.folders`) with an
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
        record and exclude the others with reason ``duplicate doc_id``. (Repeated *texts* are
        handled apart: see the module docstring.)
    min_chars : int, default 1
        Records with fewer non-space characters are excluded (``below minimum length``).
    language : {"de", None}, default "de"
        ``"de"`` identifies the language of every text of 30 words or more (the ``language``
        column) and treats those identified as another language as ``other_languages`` says;
        None skips the identification (the ``language`` column is empty).
    return_ledger : bool, default False
        Also return the ingest ledger.
    jobs : int or None, default 1
        Worker processes for the per-text checks (encoding notes, fingerprints, MinHash
        signatures, language); None uses every core. The result is the same for any number.
    lenient : bool, default False
        A table whose structure is broken (see Notes) raises CorpusError naming the line; with
        ``lenient=True`` each affected record is excluded with its reason instead.
    recursive : bool, default False
        Read the files in the subfolders of a folder corpus too (otherwise each subfolder is a
        ledger row, excluded as ``subfolder``).
    drop_near_duplicates : bool, default False
        Exclude a near-duplicate of an earlier loaded record of the same outlet (reason
        ``near duplicate``) instead of only marking it; near-duplicates in different outlets
        are always kept.
    other_languages : {"exclude", "keep"}, default "exclude"
        With ``language="de"``: exclude a text identified as another language (reason
        ``not German``), or keep it with its language recorded in the documents table (and
        a ledger note).

    Returns
    -------
    documents : pandas.DataFrame
        Columns ``DOCUMENT_COLUMNS`` (``doc_id, outlet, date, title, text, source, language,
        shared_text, near_duplicate``) and then the other metadata columns as given (an
        input column named ``source``, ``language``, ``shared_text`` or ``near_duplicate`` is
        kept as ``original_<name>``). One row per loaded record, in read order.
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
    >>> list(documents.columns[:9])
    ['doc_id', 'outlet', 'date', 'title', 'text', 'source', 'language', 'shared_text', 'near_duplicate']
    >>> documents["outlet"].tolist(), documents["language"].tolist()
    (['AFP-based', 'CNN-based'], ['de', 'de'])
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
            hint=f"pass {SUPPORTED_TEXT}",
        )
    if other_languages not in ("exclude", "keep"):
        raise ParameterError(
            f"other_languages must be 'exclude' or 'keep', not {other_languages!r}",
            hint="'keep' loads texts in other languages and records their language",
        )
    options = ReadOptions(dict(columns or {}), text_column, id_column, lenient=bool(lenient),
                          recursive=bool(recursive))
    if path.is_dir():
        records = read_folder(path, label, options)
    else:
        records = read_table(path, label, options)
    documents, ledger = _finish(
        records,
        label=label,
        strict=strict,
        duplicates=duplicates,
        min_chars=int(min_chars),
        language=language,
        jobs=jobs,
        drop_near_duplicates=bool(drop_near_duplicates),
        other_languages=other_languages,
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
# checks, documents and ledger

class _TextFacts(NamedTuple):
    """What the checks need to know of one text, computed independently of the others."""

    text: str | None  # the prepared text when it differs from the input (None: unchanged)
    notes: list
    non_space: int
    key: bytes
    has_letter: bool
    language: Identification | None  # None: not identified (language=None, or no words)
    signature: np.ndarray | None  # MinHash of the word shingles (None: no words)


def _text_facts(value, prepare: bool, language) -> _TextFacts:
    notes: list[str] = []
    if prepare:
        text, notes = prepare_text(value)
    else:
        text = value
    non_space, key = fingerprint(text)
    has_letter = _HAS_LETTER.search(text) is not None
    found = sketch = None
    if non_space and has_letter:
        found = identify_language(text) if language == "de" else None
        sketch = signature(text)
    return _TextFacts(None if text is value else text, notes, non_space, key, has_letter, found, sketch)


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

    if language == "de":
        preload()  # forked workers share the model instead of each loading it

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


def _finish(records: Records, *, label, strict, duplicates, min_chars, language, jobs=1,
            drop_near_duplicates=False, other_languages="exclude"):
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

    meta = records.meta.reset_index(drop=True)
    outlets = [cell_to_str(v).strip() for v in meta["outlet"].tolist()] if "outlet" in meta else [""] * n
    outlets = [o or "unknown" for o in outlets]

    # text checks
    seen_text: dict[tuple[str, bytes], int] = {}
    languages = [""] * n
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
        if fact.language is not None:
            languages[i] = fact.language.language
            if languages[i] not in ("", "de"):
                if other_languages == "exclude":
                    reasons[i] = "not German"
                    notes[i].append(describe(fact.language))
                    continue
                notes[i].append(f"{describe(fact.language)}: kept (other_languages='keep')")
        # The same text in another outlet is that outlet's article too: only repeats within
        # one outlet are excluded (copies across outlets are marked below).
        j = seen_text.setdefault((outlets[i], key), i)
        if j != i:
            reasons[i] = "duplicate text"
            notes[i].append(f"same text as doc_id {ids[j]!r} of the same outlet (record {j + 1}, {sources[j]})")

    near = _near_duplicates(facts, reasons, outlets, ids, sources, notes, drop_near_duplicates)
    shared = _shared_copies(facts, reasons, outlets, ids, notes)  # of the records still loaded

    # metadata columns
    titles = [cell_to_str(v) for v in meta["title"].tolist()] if "title" in meta else [""] * n
    if records.title_fallback:
        titles = [t if t.strip() else fb for t, fb in zip(titles, records.title_fallback)]
    titles = [_clean_title(t, notes[i]) for i, t in enumerate(titles)]
    if "date" in meta:
        date_values = meta["date"]
        if records.date_fallback and not pd.api.types.is_datetime64_any_dtype(date_values.dtype):
            date_values = pd.Series(
                [v if cell_to_str(v).strip() else fb for v, fb in zip(date_values.tolist(), records.date_fallback)],
                dtype=object,
            )
    elif records.date_fallback:
        date_values = pd.Series(records.date_fallback, dtype=object)
    else:
        date_values = pd.Series([""] * n, dtype=object)
    dates, date_notes = parse_date_column(date_values)
    for i, note in enumerate(date_notes):
        if note:
            notes[i].append(note)
    extras = meta.drop(columns=[c for c in ("outlet", "date", "title") if c in meta.columns])
    extras = extras.rename(columns=_kept_names(extras.columns))

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
            "shared_text": shared,
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
            "language": [languages[i] for i in keep],
            "shared_text": [shared[i] for i in keep],
            "near_duplicate": [near[i] for i in keep],
        },
        columns=list(DOCUMENT_COLUMNS),
    )
    documents["date"] = documents["date"].astype("datetime64[ns]")
    if len(extras.columns):
        extras = extras.iloc[keep_index].reset_index(drop=True)
        documents = pd.concat([documents, extras], axis=1)
    _check_identity(len(documents), excluded, n, len(ledger))
    return documents, ledger


def _shared_copies(facts, reasons, outlets, ids, notes) -> list[str]:
    """``shared_text`` of every record: the id of a text loaded in more than one outlet, else ""."""
    groups: dict[bytes, list[int]] = {}
    for i, fact in enumerate(facts):
        if not reasons[i]:
            groups.setdefault(fact.key, []).append(i)
    shared = [""] * len(facts)
    for key, members in groups.items():
        if len(members) < 2:
            continue  # (repeats within one outlet were excluded: two members are two outlets)
        group = shared_text_id(key)
        first = members[0]
        for i in members:
            shared[i] = group
            if i != first:
                notes[i].append(f"same text as doc_id {ids[first]!r} of {outlets[first]!r} (record {first + 1}): "
                                f"kept as a shared copy, shared_text {group}")
    return shared


def _near_duplicates(facts, reasons, outlets, ids, sources, notes, drop: bool) -> list[str]:
    """``near_duplicate`` cluster of every record ("" if none); with ``drop``, excludes the
    near-duplicates of an earlier loaded record of the same outlet (reason ``near duplicate``)."""
    n = len(facts)
    rows = [i for i in range(n) if not reasons[i] and facts[i].signature is not None]
    if len(rows) < 2:
        return [""] * n
    found = near_duplicate_pairs(np.stack([facts[i].signature for i in rows]), [facts[i].key for i in rows])
    pairs = [(rows[a], rows[b], value) for a, b, value in found]  # sorted by the later record
    if drop:
        for i, j, value in pairs:
            if reasons[i]:
                continue  # a partner excluded as a near duplicate itself is no longer loaded
            if outlets[i] == outlets[j] and not reasons[j]:
                reasons[j] = "near duplicate"
                notes[j].append(f"near duplicate of doc_id {ids[i]!r} of the same outlet (record {i + 1}, "
                                f"{sources[i]}): similarity {value:.2f}")
        pairs = [(i, j, value) for i, j, value in pairs if not reasons[i] and not reasons[j]]
    clusters = near_duplicate_clusters(n, pairs, ids)
    closest: dict[int, tuple] = {}  # record → (is earlier, similarity, partner)
    for i, j, value in pairs:
        for member, partner in ((j, i), (i, j)):
            candidate = (partner < member, value, -partner)
            if member not in closest or candidate > closest[member]:
                closest[member] = candidate
    for member, (earlier, value, partner) in sorted(closest.items()):
        partner = -partner
        notes[member].append(f"near duplicate, cluster {clusters[member]}: closest {'earlier' if earlier else 'later'} "
                             f"doc_id {ids[partner]!r} of {outlets[partner]!r} (record {partner + 1}), "
                             f"similarity {value:.2f}")
    return clusters


def _kept_names(columns) -> dict:
    """Input columns named like a computed documents column are kept as ``original_<name>``."""
    taken = set(map(str, columns))
    renames = {}
    for name in ("language", "shared_text", "near_duplicate"):
        if name in taken:
            new = f"original_{name}"
            number = 2
            while new in taken:
                new, number = f"original_{name}_{number}", number + 1
            renames[name] = new
            taken.add(new)
    return renames


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
