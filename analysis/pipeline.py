"""Run the shared first steps once: load → clean → tokenize → count.

Notebooks and the command line both start here, so they analyse exactly the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .clean import clean_corpus
from .corpus import bundled_corpus_path, load_corpus
from .counts import CountMatrix, count_terms, group_counts
from .entities import canonical_tokens, find_mentions, load_registry
from .errors import ParameterError
from .style import outlet_colors
from .text import tokenize

__all__ = ["PreparedCorpus", "prepare_corpus"]


@dataclass(frozen=True)
class PreparedCorpus:
    """Every table of the shared first steps, for one corpus.

    Attributes
    ----------
    documents : pandas.DataFrame
        Cleaned documents (``text``) with the text as loaded (``raw_text``).
    ledger : pandas.DataFrame
        One row per input record: loaded or excluded, and why.
    audit : pandas.DataFrame
        One row per cleaning edit.
    tokens : pandas.DataFrame
        Tokens of the cleaned texts.
    mentions : pandas.DataFrame
        Mentions of the entities of the registry (empty when entities are switched off).
    doc_counts, group_counts : CountMatrix
        Document-term and group-term counts over ``by``; every entity mention is counted as one
        term named after its entity ("Kim Jong Un" for "Kim", "Kim Jong-un", "Jong Un").
    group : str
        The documents column the groups come from (``outlet`` by default).
    by : str
        ``token``, ``lemma`` or ``stem``.
    colors : dict
        Group → colour, fixed for the whole corpus.
    source : str
        The corpus path as given.
    """

    documents: pd.DataFrame
    ledger: pd.DataFrame
    audit: pd.DataFrame
    tokens: pd.DataFrame
    mentions: pd.DataFrame
    doc_counts: CountMatrix
    group_counts: CountMatrix
    group: str
    by: str
    colors: dict = field(default_factory=dict)
    source: str = ""

    @cached_property
    def sentiment_contributions(self) -> pd.DataFrame:
        """Per-token sentiment contributions with the default lexicon, computed once on first use."""
        from .sentiment import score_tokens

        return score_tokens(self.tokens)


def prepare_corpus(
    path: str | Path | None = None,
    *,
    group: str = "outlet",
    by: str = "lemma",
    strict: bool = False,
    entities=True,
    **load_kwargs,
) -> PreparedCorpus:
    """Load, clean, tokenize and count a corpus.

    Parameters
    ----------
    path : str or Path, optional
        A corpus folder or table file; the bundled corpus when omitted.
    group : str
        Documents column to group by (``outlet``).
    by : {"lemma", "token", "stem"}
        What the counts count.
    strict : bool
        Turn every exclusion into an error (see :func:`analysis.corpus.load_corpus`).
    entities : bool or path
        Count every mention of an entity of the registry (``True``: ``data/lexicons/entities.yml``;
        or a registry file) as one term named after the entity, so that spellings and
        inflections of a name are not counted apart. ``False`` counts the words as written.
    **load_kwargs
        Passed to :func:`analysis.corpus.load_corpus` (``text_column``, ``columns``, ...).

    Returns
    -------
    PreparedCorpus

    Examples
    --------
    >>> prepared = prepare_corpus()
    >>> sorted(prepared.group_counts.rows)
    ['AFP-based', 'CNN-based']
    """
    path = bundled_corpus_path() if path is None else Path(path)
    documents, ledger = load_corpus(path, strict=strict, return_ledger=True, **load_kwargs)
    if group not in documents.columns:
        raise ParameterError(
            f"the corpus has no column {group!r} to group by",
            hint=f"choose one of: {', '.join(map(str, documents.columns))}",
        )
    documents, audit = clean_corpus(documents)
    tokens = tokenize(documents)
    if entities is False:
        mentions = pd.DataFrame(columns=["doc_id", "sentence_id", "start", "end", "entity", "type", "form"])
        counted = tokens
    else:
        registry = load_registry(None if entities is True else entities)
        mentions = find_mentions(documents, registry, tokens=tokens)
        counted = canonical_tokens(tokens, mentions, registry)
    doc_counts = count_terms(counted, documents=documents, by=by)
    grouped = group_counts(doc_counts, documents, group=group)
    return PreparedCorpus(
        documents=documents,
        ledger=ledger,
        audit=audit,
        tokens=tokens,
        mentions=mentions,
        doc_counts=doc_counts,
        group_counts=grouped,
        group=group,
        by=by,
        colors=outlet_colors(documents[group].astype(str)),
        source=str(path),
    )
