"""News sources and reporting verbs: who is named as a source, and how speech is reported.

A registry (``data/lexicons/sources.yml``, read with :func:`load_source_registry`) lists news
agencies, photo agencies and media with their spelling variants ("AFP" / "Agence
France-Presse", "TASS" / "Nachrichtenagentur TASS", "KCNA" / "Koreanische Zentrale
Nachrichtenagentur"), German reporting verbs with their forms ("sagte", "bekräftigte",
separable "räumte … ein") and role nouns that stand in front of a speaker's name. The lists
are a documented starting point, meant to be extended.

Design decisions
----------------
* **Where a source is named** (the ``context`` column of :func:`find_sources`):

  - ``text``: named in the article text ("gegenüber der russischen Nachrichtenagentur TASS",
    "Von Nordkoreas Staatsmedien KCNA … veröffentlichte Aufnahmen");
  - ``credit_line``: a line (paragraph) of the clean text that does nothing but credit a
    source: at most :data:`CREDIT_LINE_MAX_WORDS` words, and apart from source names only
    words of :data:`CREDIT_WORDS` ("Mit Material von dpa", "Quelle: Reuters", the Spanish
    "Con información de AFP") — one other word is tolerated, so the garbled
    "Cauf Informationen von AFP*" of the bundled corpus counts;
  - ``photo_credit``: a line that :mod:`analysis.clean` removed with its ``photo_credit``
    rule ("KCNA/Reuters", "KCNA/AP", "CNN"), read from the cleaning audit. Every source in such
    a line counts once. Their ``start``/``end`` are offsets into ``raw_text`` (the line is not
    in the clean text any more); those of the other two contexts index ``text``.

  Photo credits say who took or distributed a picture, not who is quoted or relied on, so
  they are kept apart in every table and figure. The cleaning rule cannot tell a picture
  credit from a stand-alone outlet line (the "CNN" line of the CNN-based article is removed by
  the same rule), so such lines are counted as photo credits as well.
* **Matching.** Variants match case-sensitively as whole words; a letter, digit or hyphen in
  front blocks a match, a hyphen after it does not ("TASS-Angaben" names TASS, "ITAR-TASS"
  is its own variant). The longest variant wins ("Nachrichtenagentur TASS" over "TASS").
* **Reporting verbs** are found by their forms, not by lemmatizer output, because the
  lemmatizer does not join separable verbs ("räumte" → "räumen"). A form of ``forms`` counts
  on its own; a form of ``split_forms`` only when its particle follows later in the same
  clause, as the last word of the clause or before "und"/"oder"/"aber"/"sowie"/"dass"
  ("räumte den Fehler ein, …", "kündigte einen Besuch an."), skipping quotations in between
  ("brachte seine „…“ zum Ausdruck"). Forms are lower-case; a capitalised form counts only as
  the first word of a sentence, so the noun "Berichten" is not the verb "berichten". Verbs
  inside quotations are the quoted speaker's words and are left out by default.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .reporting import (
    REGISTRY_PATH,
    ReportingVerb,
    Source,
    SourceRegistry,
    as_source_registry,
    check_document_texts,
    check_table,
    doc_tokens,
    group_labels,
    group_running_words,
    load_source_registry,
    verbs_in_document,
)

__all__ = [
    "CONTEXTS",
    "CREDIT_LINE_MAX_WORDS",
    "CREDIT_WORDS",
    "REGISTRY_PATH",
    "REPORTING_VERB_COLUMNS",
    "SourceRegistry",
    "ReportingVerb",
    "SOURCE_COLUMNS",
    "Source",
    "find_reporting_verbs",
    "find_sources",
    "find_sources_in_parts",
    "load_source_registry",
    "reporting_verb_summary",
    "source_summary",
]


#: Columns of the table returned by :func:`find_sources`.
SOURCE_COLUMNS: tuple[str, ...] = ("doc_id", "source", "form", "start", "end", "context")
#: Columns of the table returned by :func:`find_reporting_verbs`.
REPORTING_VERB_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "start", "end", "verb", "form")
#: Values of the ``context`` column, in table order.
CONTEXTS: tuple[str, ...] = ("text", "credit_line", "photo_credit")

#: Words (lower-case) a credit line may contain besides source names (German, plus the
#: Spanish and English of translated or syndicated articles).
CREDIT_WORDS: frozenset[str] = frozenset(
    """mit material informationen information von vom der des den dem die nach angaben agentur
    agenturen agenturmaterial nachrichtenagentur nachrichtenagenturen quelle quellen text
    foto fotos bild bilder video grafik red redaktion und sowie auf basis unter verwendung
    con información informaciones de y with reporting by from and source sources""".split()
)
#: A credit line has at most this many words (source names included).
CREDIT_LINE_MAX_WORDS = 10

_LINE_RE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_WORD_RE = re.compile(r"[^\W\d_]+")


def find_reporting_verbs(
    documents: pd.DataFrame,
    *,
    tokens: pd.DataFrame | None = None,
    registry: SourceRegistry | str | Path | None = None,
    inside_quotes: bool = False,
) -> pd.DataFrame:
    """Find the reporting verbs of the registry in the documents.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    tokens : pandas.DataFrame, optional
        The tokens table of these documents (``tokenize(documents)``), to avoid tokenizing
        again.
    registry : SourceRegistry or path, optional
        The registry; :func:`load_source_registry` by default.
    inside_quotes : bool, default False
        Also report verbs inside quotations (the quoted speaker's own words).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, verb, form``: one row per verb, in document
        order. ``verb`` is the lemma ("einräumen"); ``form`` the words as written, with "…"
        between a separable verb and its particle ("räumte … ein"). ``start``/``end`` index
        ``text`` and span the verb form (for a separable verb the finite verb only).

    Raises
    ------
    ParameterError
        For a documents table without ``doc_id``/``text`` or tokens that do not fit it.
    LexiconError
        If the registry cannot be read.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Der Minister räumte Fehler ein. Kim sagte: „Wir sagen nichts.“ Das berichtete Yonhap."]})
    >>> find_reporting_verbs(docs)[["sentence_id", "verb", "form"]].values.tolist()
    [[0, 'einräumen', 'räumte … ein'], [1, 'sagen', 'sagte'], [2, 'berichten', 'berichtete']]
    """
    texts = check_document_texts(documents)
    if not isinstance(inside_quotes, (bool, np.bool_)):
        raise ParameterError(f"inside_quotes must be True or False, got {inside_quotes!r}")
    registry = as_source_registry(registry)
    from .quotes import outer_spans

    rows = []
    doc_ids = documents["doc_id"].astype(str).tolist()
    for doc_id, text, dt in zip(doc_ids, texts, doc_tokens(documents, texts, tokens, registry)):
        for verb in verbs_in_document(dt, registry, outer_spans(text)):
            if verb.inside and not inside_quotes:
                continue
            rows.append((doc_id, verb.sentence_id, verb.start, verb.end, verb.lemma, verb.form))
    return _frame(rows, REPORTING_VERB_COLUMNS, ("sentence_id", "start", "end"))


def _frame(rows, columns, int_columns) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    if not rows:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for column in int_columns:
        frame[column] = frame[column].astype(np.int64)
    return frame


# --------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------


def _is_credit_line(line: str, registry: SourceRegistry) -> bool:
    mentions = list(registry.source_pattern.finditer(line))
    if not mentions:
        return False
    total = len(_WORD_RE.findall(line))
    if total > CREDIT_LINE_MAX_WORDS:
        return False
    rest = registry.source_pattern.sub(" ", line)
    words = [w.lower() for w in _WORD_RE.findall(rest)]
    unknown = [w for w in words if w not in CREDIT_WORDS]
    if not words:
        return True
    return len(unknown) <= 1 and len(unknown) < len(words)


def find_sources(
    documents: pd.DataFrame,
    *,
    audit: pd.DataFrame | None = None,
    registry: SourceRegistry | str | Path | None = None,
) -> pd.DataFrame:
    """Find the news sources of the registry named in the documents and their photo credits.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    audit : pandas.DataFrame, optional
        The cleaning audit of these documents (from :func:`analysis.clean.clean_corpus`); its
        ``photo_credit`` rows give the photo credits. Without it no photo credits are reported.
    registry : SourceRegistry or path, optional
        The registry; :func:`load_source_registry` by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, source, form, start, end, context``: one row per mention, by document,
        then context (``text``, ``credit_line``, ``photo_credit``), then offset. ``source`` is
        the canonical name, ``form`` the variant as written. For ``text`` and ``credit_line``
        ``start``/``end`` index the clean ``text``; for ``photo_credit`` they index
        ``raw_text``, because the credit line was removed from the clean text.

    Raises
    ------
    ParameterError
        For a documents table without ``doc_id``/``text``, or an audit without its columns.
    LexiconError
        If the registry cannot be read.

    Examples
    --------
    >>> from analysis.clean import clean_corpus
    >>> raw = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Kim empfing Putin.\\nKCNA/Reuters\\nDas meldete die Nachrichtenagentur TASS.\\nMit Material von dpa"]})
    >>> documents, audit = clean_corpus(raw)
    >>> find_sources(documents, audit=audit)[["source", "form", "context", "start"]].values.tolist()
    [['TASS', 'Nachrichtenagentur TASS', 'text', 35], ['dpa', 'dpa', 'credit_line', 77], \
['KCNA', 'KCNA', 'photo_credit', 19], ['Reuters', 'Reuters', 'photo_credit', 24]]
    """
    texts = check_document_texts(documents)
    registry = as_source_registry(registry)
    doc_ids = documents["doc_id"].astype(str).tolist()
    rank = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    rows = []
    for doc_id, text in zip(doc_ids, texts):
        # One scan of the whole text finds the lines worth reading: every match within a line
        # lies inside a match of the whole text or starts where one does (the pattern's
        # boundaries see a line break as they see the start or end of a line).
        spans = [m.span() for m in registry.source_pattern.finditer(text)]
        if not spans:
            continue
        for line in _LINE_RE.finditer(text):
            if not any(start < line.end() and end > line.start() for start, end in spans):
                continue
            content = line.group()
            context = "credit_line" if _is_credit_line(content, registry) else "text"
            for match in registry.source_pattern.finditer(content):
                rows.append((doc_id, registry.source_of(match.group()), match.group(),
                             line.start() + match.start(), line.start() + match.end(), context))
    if audit is not None:
        rows.extend(_photo_credits(audit, rank, registry))
    order = {c: i for i, c in enumerate(CONTEXTS)}
    rows.sort(key=lambda r: (rank[r[0]], order[r[5]], r[3]))
    return _frame(rows, SOURCE_COLUMNS, ("start", "end"))


def find_sources_in_parts(
    documents,
    *,
    audit: pd.DataFrame | None = None,
    registry: SourceRegistry | str | Path | None = None,
    jobs: int | None = None,
    doc_ids=None,
) -> pd.DataFrame:
    """:func:`find_sources` over a prepared corpus, in parts of documents on ``jobs`` worker
    processes; the same table.

    ``documents`` is a documents table, or a :class:`analysis.pipeline.PreparedCorpus`, whose
    documents are then read part by part from its cache
    (:meth:`~analysis.pipeline.PreparedCorpus.map_documents`, on its own ``jobs``) instead of all
    at once. Each part finds the photo credits of its own documents in ``audit``. ``doc_ids``
    keeps only those documents.

    Examples
    --------
    >>> from analysis.pipeline import prepare_corpus
    >>> prepared = prepare_corpus(cache=False, jobs=1)
    >>> found = find_sources_in_parts(prepared, audit=prepared.audit)
    >>> found.equals(find_sources(prepared.documents, audit=prepared.audit))
    True
    """
    from ..store.executor import concat_parts, map_documents

    registry = as_source_registry(registry)
    if audit is not None:
        _photo_credits(audit, {}, registry)  # validates the audit once, before any worker starts
        # Only the photo-credit rows are read; the workers share these instead of the whole audit.
        audit = audit[audit["rule"].astype(str) == "photo_credit"]
    shared = dict(audit=audit, registry=registry)
    if doc_ids is not None:
        doc_ids = {str(d) for d in doc_ids}
    if isinstance(documents, pd.DataFrame):
        if doc_ids is not None:
            documents = documents[documents["doc_id"].astype(str).isin(doc_ids)].reset_index(drop=True)
        parts = map_documents(find_sources, documents, jobs=jobs, **shared)
    else:
        parts = documents.map_documents(find_sources, doc_ids=doc_ids, **shared)
    if not parts:
        return _frame([], SOURCE_COLUMNS, ("start", "end"))
    return concat_parts(parts).reset_index(drop=True)


def _photo_credits(audit, rank, registry) -> list[tuple]:
    if not isinstance(audit, pd.DataFrame):
        raise ParameterError(
            f"audit must be a pandas DataFrame, got {type(audit).__name__}",
            hint="pass the audit returned by analysis.clean.clean_corpus",
        )
    missing = [c for c in ("doc_id", "rule", "start", "before") if c not in audit.columns]
    if missing:
        raise ParameterError(
            f"the audit has no column {', '.join(map(repr, missing))}",
            hint="pass the audit returned by analysis.clean.clean_corpus",
        )
    rows = []
    credits = audit[audit["rule"].astype(str) == "photo_credit"]
    for doc_id, start, before in zip(credits["doc_id"].astype(str), credits["start"], credits["before"]):
        if doc_id not in rank or not isinstance(before, str):
            continue
        for match in registry.source_pattern.finditer(before):
            rows.append((doc_id, registry.source_of(match.group()), match.group(),
                         int(start) + match.start(), int(start) + match.end(), "photo_credit"))
    return rows


# --------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------


def source_summary(sources: pd.DataFrame, documents: pd.DataFrame, *, group: str = "outlet") -> pd.DataFrame:
    """Mentions of each source per group and context.

    Parameters
    ----------
    sources : pandas.DataFrame
        Output of :func:`find_sources`.
    documents : pandas.DataFrame
        The documents table, or any table with ``doc_id`` and the ``group`` column
        (``prepared.metadata``): only the group of each document is read.
    group : str, default "outlet"
        Documents column to sum documents by.

    Returns
    -------
    pandas.DataFrame
        Columns ``<group>, source, context, count``: every group × every source found ×
        every context of :data:`CONTEXTS` (zeros included), sorted by group, source and
        context. Photo credits are their own context, never added to the others.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "text": ["…", "…"]})
    >>> found = pd.DataFrame({"doc_id": ["a", "a", "b"], "source": ["AFP", "AFP", "AFP"],
    ...     "form": "AFP", "start": 0, "end": 3, "context": ["text", "credit_line", "photo_credit"]})
    >>> source_summary(found, docs).query("count > 0").values.tolist()
    [['X', 'AFP', 'text', 1], ['X', 'AFP', 'credit_line', 1], ['Y', 'AFP', 'photo_credit', 1]]
    """
    check_table(sources, ("doc_id", "source", "context"), "analysis.framing.sources.find_sources")
    check_table(documents, ("doc_id",), "analysis.io.corpus.load_corpus (or prepared.metadata)")
    mapping, labels = group_labels(documents, group)
    names = sorted(sources["source"].astype(str).unique())
    index = pd.MultiIndex.from_product([labels, names, list(CONTEXTS)], names=[group, "source", "context"])
    keyed = pd.DataFrame(
        {group: sources["doc_id"].astype(str).map(mapping), "source": sources["source"].astype(str),
         "context": sources["context"].astype(str)}
    ).dropna()
    counts = keyed.groupby([group, "source", "context"]).size()
    table = counts.reindex(index, fill_value=0).rename("count").reset_index()
    table["count"] = table["count"].astype(np.int64)
    return table


def reporting_verb_summary(
    verbs: pd.DataFrame, documents: pd.DataFrame, *, group: str = "outlet", tokens: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Reporting verbs per group: counts and rates per 1,000 running words.

    Parameters
    ----------
    verbs : pandas.DataFrame
        Output of :func:`find_reporting_verbs`.
    documents : pandas.DataFrame
        The documents table (group of each document; the text for the running words when
        ``tokens`` is omitted, so with ``tokens`` a table of ``doc_id`` and the group column
        such as ``prepared.metadata`` will do).
    group : str, default "outlet"
        Documents column to sum documents by.
    tokens : pandas.DataFrame or analysis.store.TokenStore, optional
        The tokens table of these documents, or their token store; running words are its
        ``word`` and ``number`` tokens. Tokenized when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``<group>, verb, count, per_1000_words, running_words``: every group × every
        lemma found (zeros included), sorted by group and verb.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["Kim sagte das und Putin lobte es heute."]})
    >>> reporting_verb_summary(find_reporting_verbs(docs), docs).values.tolist()
    [['X', 'loben', 1, 125.0, 8], ['X', 'sagen', 1, 125.0, 8]]
    """
    check_table(verbs, ("doc_id", "verb"), "analysis.framing.sources.find_reporting_verbs")
    mapping, labels = group_labels(documents, group)
    running = group_running_words(documents, tokens, mapping)
    lemmas = sorted(verbs["verb"].astype(str).unique())
    index = pd.MultiIndex.from_product([labels, lemmas], names=[group, "verb"])
    keyed = pd.DataFrame({group: verbs["doc_id"].astype(str).map(mapping), "verb": verbs["verb"].astype(str)}).dropna()
    counts = keyed.groupby([group, "verb"]).size()
    table = counts.reindex(index, fill_value=0).rename("count").reset_index()
    table["count"] = table["count"].astype(np.int64)
    table["running_words"] = table[group].map(running).fillna(0).astype(np.int64)
    rate = table["count"] / table["running_words"].where(table["running_words"] > 0) * 1000
    table["per_1000_words"] = rate.fillna(0.0).astype(float)
    return table[[group, "verb", "count", "per_1000_words", "running_words"]]
