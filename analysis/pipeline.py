"""Run the shared first steps once: load → clean → token store → mentions → counts.

Notebooks and the command line both start here, so they analyse exactly the same tables. The
prepared corpus is cached on disk (:mod:`analysis.store.cache`): a second command or notebook
on the same corpus reads it instead of preparing it again.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from .io.corpus import bundled_corpus_path, load_corpus
from .stats.counts import CountMatrix, check_by, group_codes, group_counts
from .framing.entities import MENTION_COLUMNS, lexicon_path, load_registry
from .errors import ParameterError
from .store import TokenStore, prepare_store
from .store.cache import (as_stored, cache_root, corpus_key, frame_slices, read_counts, read_entry, read_group_counts,
                          read_derived, read_derived_exists, write_counts, write_derived, write_entry, write_group_counts)
from .store.counting import count_store
from .store.executor import can_fork, run_isolated
from .store.memory import release_memory
from .store.prepare import CHUNK_DOCUMENTS
from .plots.colors import outlet_colors

__all__ = ["PreparedCorpus", "prepare_corpus"]

_TABLES = ("documents", "ledger", "audit", "mentions")
_ARRAYS = ("mention_first", "mention_last")


def _chosen_batches(batches: Iterator[pd.DataFrame], chosen: set | None, size: int) -> Iterator[pd.DataFrame]:
    """The rows of ``batches`` whose ``doc_id`` is in ``chosen`` (all when None), regrouped into
    tables of ``size`` rows: the parts :func:`analysis.store.executor.map_documents` would cut
    from the chosen documents."""
    held, n_held = [], 0
    for batch in batches:
        if chosen is not None:
            batch = batch[batch["doc_id"].astype(str).isin(chosen)]
        held.append(batch)
        n_held += len(batch)
        while n_held >= size:
            table = pd.concat(held, ignore_index=True)
            yield table.iloc[:size].reset_index(drop=True)
            rest = table.iloc[size:]
            held, n_held = [rest], len(rest)
    if n_held:
        yield pd.concat(held, ignore_index=True)


@dataclass(frozen=True)
class PreparedCorpus:
    """Every table of the shared first steps, for one corpus.

    Attributes
    ----------
    documents : pandas.DataFrame
        Cleaned documents (``text``) with the text as loaded (``raw_text``). Read from the
        cache on first use: commands that only need counts never load the texts.
    metadata : pandas.DataFrame
        The documents table without its two text columns (always at hand).
    ledger : pandas.DataFrame
        One row per input record: loaded or excluded, and why.
    audit : pandas.DataFrame
        One row per cleaning edit.
    store : analysis.store.TokenStore
        Every token as integer arrays over one vocabulary; ``tokens`` is its tidy table.
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
    cache : str
        ``"hit"`` (read from the cache), ``"miss"`` (prepared and written to it) or ``"off"``.
    seconds : float
        Time spent preparing (or reading) the corpus.
    mention_tokens : tuple of numpy.ndarray
        Store token indices of the first and last token of every mention.
    jobs : int or None
        The worker processes asked for (None: every core); analyses that run document by
        document use as many (:func:`analysis.store.executor.map_documents`).
    query : str or None
        The ``where`` expression the documents were chosen with (see :meth:`where`).
    registry_file : str or None
        The entity registry the mentions were found with (None when entities are off); read
        with :attr:`registry`.
    registry_found : bool
        Whether that registry was found in the text (no registry was given for a corpus other
        than the bundled one; see :mod:`analysis.framing.discovery`).
    cache_entry : tuple or None
        ``(cache root, key)`` of the corpus's cache entry, where tables computed later from it
        are kept too (:attr:`sentence_sentiment`); None without a cache and for :meth:`where`.
    """

    metadata: pd.DataFrame
    load_documents: Callable[[], pd.DataFrame]
    ledger: pd.DataFrame
    audit: pd.DataFrame
    store: TokenStore
    mentions: pd.DataFrame
    doc_counts: CountMatrix
    group_counts: CountMatrix
    group: str
    by: str
    colors: dict = field(default_factory=dict)
    source: str = ""
    cache: str = "off"
    seconds: float = 0.0
    mention_tokens: tuple = ()
    document_batches: Callable[[int], Iterator[pd.DataFrame]] | None = None
    jobs: int | None = None
    query: str | None = None
    registry_file: str | None = None
    registry_found: bool = False
    cache_entry: tuple | None = None

    @cached_property
    def registry(self):
        """The entity registry the mentions were found with (:class:`analysis.framing.entities.Registry`),
        or None when the corpus was prepared without entities."""
        return load_registry(self.registry_file) if self.registry_file else None

    @cached_property
    def documents(self) -> pd.DataFrame:
        """The documents table with the clean ``text`` and the loaded ``raw_text``."""
        documents = self.load_documents()
        release_memory()  # the buffers of reading them
        return documents

    def release_documents(self) -> None:
        """Forget the loaded :attr:`documents` when they can be read again from the cache (their
        texts are the largest table of a big corpus); the next use reads them again."""
        if self.document_batches is not None and "documents" in self.__dict__:
            del self.__dict__["documents"]
            release_memory()

    def iter_documents(self, batch_documents: int = 1000) -> Iterator[pd.DataFrame]:
        """The documents table in consecutive slices of ``batch_documents`` rows.

        Read from the cache slice by slice (unless :attr:`documents` was read already), so a
        large corpus can be written out or scanned with the texts of one slice in memory.

        Examples
        --------
        >>> prepared = prepare_corpus(cache=False, jobs=1)
        >>> [len(part) for part in prepared.iter_documents(1)]
        [1, 1]
        """
        if isinstance(batch_documents, bool) or not isinstance(batch_documents, int) or batch_documents < 1:
            raise ParameterError(f"batch_documents must be a whole number ≥ 1, got {batch_documents!r}")
        if self.document_batches is None or "documents" in self.__dict__:
            return frame_slices(self.documents, batch_documents)
        return self.document_batches(batch_documents)

    @cached_property
    def tokens(self) -> pd.DataFrame:
        """The tidy tokens table of every document (built from the store on first use)."""
        return self.store.to_frame()

    @cached_property
    def quotations(self) -> pd.DataFrame:
        """Every quotation of the corpus (:func:`analysis.framing.quotes.find_quotations` over the
        documents, in the chunked map), found once for the figures, the alignment and the report."""
        from .framing.quotes import find_quotations
        from .store.executor import concat_parts

        if self.cache_entry is not None:
            found = read_derived(*self.cache_entry, "quotations")
            if found is not None:
                return found
        table = concat_parts(self.map_documents(find_quotations, tokens=self.store))
        if self.cache_entry is not None:
            # Kept with the prepared corpus and read back, as the sentence sentiment.
            write_derived(*self.cache_entry, "quotations", table)
            stored = read_derived(*self.cache_entry, "quotations")
            table = stored if stored is not None else table
        return table

    def release_derived(self) -> None:
        """Forget the tables computed from the corpus that are read back from its cache entry
        when next used (:attr:`quotations`, :attr:`sentence_sentiment`,
        :attr:`sentiment_contributions`) and the tidy
        :attr:`tokens` (rebuilt from the store): between the steps of a long run on a large
        corpus, each holds hundreds of megabytes the next step may not need."""
        names = ["tokens"]
        if self.cache_entry is not None:
            names += [name for name in ("quotations", *_SCORINGS)
                      if read_derived_exists(*self.cache_entry, name)]
        dropped = [name for name in names if self.__dict__.pop(name, None) is not None]
        if dropped:
            release_memory()

    def map_documents(self, func, *, doc_ids=None, **kwargs) -> list:
        """``func(part, **kwargs)`` over the documents in parts, on the corpus's :attr:`jobs`
        (only the documents of ``doc_ids`` when given).

        When the documents are not loaded and the cache can read them slice by slice, the parts
        are read one after another (:func:`analysis.store.executor.map_batches`): the texts of a
        large corpus never all sit in memory. Otherwise the loaded documents are split
        (:func:`analysis.store.executor.map_documents`). The parts are the same
        (:data:`analysis.store.executor.MAP_DOCUMENTS` documents each) either way, and so are
        the results.

        Examples
        --------
        >>> prepared = prepare_corpus(cache=False, jobs=1)
        >>> prepared.map_documents(len)
        [2]
        """
        from .store.executor import MAP_DOCUMENTS, map_batches, map_documents

        chosen = None if doc_ids is None else {str(d) for d in doc_ids}
        if self.document_batches is None or "documents" in self.__dict__:
            documents = self.documents
            if chosen is not None:
                documents = documents[documents["doc_id"].astype(str).isin(chosen)].reset_index(drop=True)
            return map_documents(func, documents, jobs=self.jobs, **kwargs)
        return map_batches(func, _chosen_batches(self.document_batches(MAP_DOCUMENTS), chosen, MAP_DOCUMENTS),
                           jobs=self.jobs, **kwargs)

    @cached_property
    def sentiment_contributions(self) -> pd.DataFrame:
        """The lexicon scorer's contributions of the tokens with a role, computed once.

        Matches, negators and modifiers of the default (cleaned) lexicon only
        (``score_tokens(store, roles_only=True)``): the word-level evidence behind the
        contribution figures, and what the trained model's lexicon features are built from. The
        sentence scores themselves come from the trained model (:attr:`sentence_sentiment`).
        """
        return self._derived("sentiment_contributions")

    @cached_property
    def sentence_sentiment(self) -> pd.DataFrame:
        """The sentiment of every sentence by the trained model (the default scorer), computed once on first use.

        ``score_sentences(store)``: class probabilities, label and ``score`` = p(positive) −
        p(negative) per sentence (:mod:`analysis.sentiment.model`); ``score_sentences(store,
        model="lexicon")`` gives the lexicon scores instead.
        """
        # Without a fork, the model's per-type look-ups are made once in this process and the
        # slices predicted in workers that read them from its memory.
        return self._derived("sentence_sentiment")

    def compute_derived(self, *names: str) -> None:
        """Compute the named tables (``"sentence_sentiment"``, ``"sentiment_contributions"``)
        into the cache entry, each in a forked process, without reading them yet.

        A builder that needs both asks for both first: each process then forks from this one
        before it holds either table, so the peak is the larger of the two scorings, not their
        sum. Nothing happens without a cache entry or where processes cannot fork (the
        properties compute in this process then).
        """
        unknown = sorted(set(names) - set(_SCORINGS))
        if unknown:
            raise ParameterError(f"no derived table called {unknown[0]!r}", hint="choose from: " + ", ".join(_SCORINGS))
        if self.cache_entry is None or not can_fork():
            return
        for name in names:
            if name not in self.__dict__ and not read_derived_exists(*self.cache_entry, name):
                # The process writes the table into the entry and ends: the scorer's look-ups
                # over the vocabulary, its working arrays and the heap they leave go back to
                # the system with it (about 1.5 GB each at 40,000 articles).
                run_isolated(_score_into_entry, name=name, store=self.store, jobs=self.jobs, cached=self.cache_entry)

    def _derived(self, name: str) -> pd.DataFrame:
        """A table kept beside the cache entry: read, else computed (in a forked process when
        :meth:`compute_derived` can) and read back, so that a later hit gives the same table."""
        if self.cache_entry is not None:
            self.compute_derived(name)
            found = read_derived(*self.cache_entry, name)
            if found is not None:
                return found
        table = _SCORINGS[name](self.store, self.jobs)
        release_memory()  # the scoring's working arrays
        if self.cache_entry is not None:
            write_derived(*self.cache_entry, name, table)
            stored = read_derived(*self.cache_entry, name)
            table = stored if stored is not None else table
        return table

    def where(self, query: str) -> "PreparedCorpus":
        """The corpus restricted to the documents that satisfy ``query``.

        ``query`` is a :meth:`pandas.DataFrame.query` expression over the documents table
        (``metadata``), e.g. ``"event == 'gipfel'"`` or ``"date >= '2024-06-19'"``. Store,
        mentions, counts and the audit keep those documents only; the ledger stays the
        ledger of the whole input and the colours stay those of the whole corpus, so every
        outlet keeps its colour. Nothing is prepared again.

        Examples
        --------
        >>> prepared = prepare_corpus(cache=False, jobs=1)
        >>> part = prepared.where("outlet == 'AFP-based'")
        >>> part.metadata["outlet"].tolist(), list(part.group_counts.rows)
        (['AFP-based'], ['AFP-based'])
        """
        selected = _query(self.metadata, query)
        keep = self.metadata["doc_id"].astype(str).isin(set(selected["doc_id"].astype(str))).to_numpy()
        ids = self.metadata["doc_id"].astype(str)[keep].tolist()
        positions = self.store.positions(ids)
        store = self.store.subset(ids)
        metadata = self.metadata[keep].reset_index(drop=True)
        chosen = set(ids)
        in_mentions = self.mentions["doc_id"].astype(str).isin(chosen).to_numpy()
        first, last = self.mention_tokens if self.mention_tokens else (np.zeros(0, np.int64), np.zeros(0, np.int64))
        if len(first):
            # Token indices move with their documents: from the old document start to the new.
            old_doc = self.store.doc_of(first[in_mentions])
            new_doc = np.full(self.store.n_documents, -1, dtype=np.int64)
            new_doc[positions] = np.arange(len(positions))
            shift = store.offsets[new_doc[old_doc]] - self.store.offsets[old_doc]
            first, last = first[in_mentions] + shift, last[in_mentions] + shift
        doc_counts = self.doc_counts.take_rows(positions)

        def load_documents():
            documents = self.load_documents()
            return documents[documents["doc_id"].astype(str).isin(chosen)].reset_index(drop=True)

        def document_batches(batch_documents: int):
            for part in self.iter_documents(batch_documents):
                part = part[part["doc_id"].astype(str).isin(chosen)]
                if len(part):
                    yield part.reset_index(drop=True)

        return dataclasses.replace(
            self,
            metadata=metadata,
            load_documents=load_documents,
            document_batches=document_batches,
            audit=self.audit[self.audit["doc_id"].astype(str).isin(chosen)].reset_index(drop=True),
            store=store,
            mentions=self.mentions[in_mentions].reset_index(drop=True),
            doc_counts=doc_counts,
            group_counts=group_counts(doc_counts, metadata, group=self.group),
            mention_tokens=(first, last),
            query=query if self.query is None else f"({self.query}) and ({query})",
            cache_entry=None,  # the derived tables of the cache are those of the whole corpus
        )

    def summary(self, seconds: float | None = None) -> str:
        """One line: articles, tokens, seconds (default: of the preparation), cache hit or miss."""
        seconds = self.seconds if seconds is None else seconds
        chosen = f" (--where {self.query})" if self.query else ""
        found = ""
        if self.registry_found:
            count = len(self.registry.entities) if self.registry is not None else 0
            found = f", {count} entities found in the text (no --registry given)"
        return (f"{len(self.metadata):,} articles{chosen}, {self.store.n_tokens:,} tokens{found}, "
                f"{seconds:.1f} s, cache {self.cache}")


#: ``entities=True`` on a corpus other than the bundled one: its persons and organisations
#: are found in the text (:mod:`analysis.framing.discovery`).
DISCOVERED = "found automatically"
#: Most entities a found registry keeps (those named in most documents): matching costs
#: time per spelling on every token, and beyond a few hundred actors a table is read by
#: nobody. Give a registry file to count more.
MAX_DISCOVERED_ENTITIES = 300
#: Entities are found in at most this many documents, evenly spaced through the corpus (all of
#: a smaller corpus); their mentions are then counted in every document. The actors named in
#: the most documents — those a registry of at most :data:`MAX_DISCOVERED_ENTITIES` keeps —
#: are all in such a sample, and the time to find them stays bounded whatever the corpus size.
DISCOVERY_SAMPLE_DOCUMENTS = 10_000
_REGISTRY_FILE = "registry.yml"


def _registry_file(entities, path: Path):
    if entities is False:
        return None
    if entities is True:
        return lexicon_path("entities.yml") if path.resolve() == bundled_corpus_path().resolve() else DISCOVERED
    return Path(entities)


def _discovered_mentions(documents, store):
    """Find the corpus's entities; return the registry (None when nothing was found) and the
    mentions with their first and last tokens."""
    from .framing.discovery import discover_entities
    from .framing.entities import store_mentions

    sample = store
    if store.n_documents > DISCOVERY_SAMPLE_DOCUMENTS:
        chosen = np.linspace(0, store.n_documents - 1, DISCOVERY_SAMPLE_DOCUMENTS).round().astype(np.int64)
        sample = store.subset(store.doc_ids[np.unique(chosen)])
    registry = discover_entities(tokens=sample, max_entities=MAX_DISCOVERED_ENTITIES)
    del sample
    release_memory()  # the discovery's working tables, before the mentions of the whole corpus
    if not registry.entities:
        return None, None, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # The text column itself, read by position: a list of every text as Python strings would
    # double the texts' memory for the few characters each mention cuts out.
    mentions, first, last = store_mentions(store, documents["text"].reset_index(drop=True), registry)
    return registry, mentions, first, last


def prepare_corpus(
    path: str | Path | None = None,
    *,
    group: str = "outlet",
    by: str = "lemma",
    strict: bool = False,
    entities=True,
    jobs: int | None = None,
    scheduler: str = "processes",
    cache: bool = True,
    cache_dir: str | Path | None = None,
    quiet: bool = False,
    where: str | None = None,
    **load_kwargs,
) -> PreparedCorpus:
    """Load, clean, tokenize and count a corpus — or read all of it from the cache.

    Parameters
    ----------
    path : str or Path, optional
        A corpus folder or table file; the bundled corpus when omitted.
    group : str
        Documents column to group by (``outlet``).
    by : {"lemma", "token", "stem"}
        What the counts count.
    strict : bool
        Turn every exclusion into an error (see :func:`analysis.io.corpus.load_corpus`).
    entities : bool or path
        Count every mention of an entity of the registry as one term named after the entity, so
        that spellings and inflections of a name are not counted apart. ``True``: for the
        bundled corpus its registry ``data/lexicons/entities.yml``; for any other corpus the
        persons, organisations and places found in its text (:mod:`analysis.framing.discovery`,
        at most :data:`MAX_DISCOVERED_ENTITIES`; :attr:`PreparedCorpus.registry_found` is then
        True and the registry is kept beside the cache entry). A path: that registry file.
        ``False`` counts the words as written.
    jobs : int, optional
        Worker processes for the preparation (None: every core; 1: this process only). The
        result is the same for any number.
    scheduler : str, default "processes"
        ``"processes"``, ``"dask"`` (a local Dask cluster) or ``"dask=ADDRESS"``.
    cache : bool, default True
        Read the prepared corpus from the cache when it is there, write it when it is not.
    cache_dir : str or Path, optional
        The cache folder (default: see :func:`analysis.store.cache.cache_root`).
    quiet : bool
        No progress bar.
    where : str, optional
        Keep the documents that satisfy this :meth:`pandas.DataFrame.query` expression over the
        documents table (see :meth:`PreparedCorpus.where`); the whole corpus is prepared and
        cached once, whatever the expression.
    **load_kwargs
        Passed to :func:`analysis.io.corpus.load_corpus` (``text_column``, ``columns``, ...).

    Returns
    -------
    PreparedCorpus

    Examples
    --------
    >>> prepared = prepare_corpus(cache=False, jobs=1)
    >>> sorted(prepared.group_counts.rows)
    ['AFP-based', 'CNN-based']
    """
    began = time.perf_counter()
    check_by(by)
    path = bundled_corpus_path() if path is None else Path(path)
    registry_file = _registry_file(entities, path)
    discovering = registry_file == DISCOVERED
    options = {"strict": strict, "entities": DISCOVERED if discovering else registry_file is not None,
               "chunk": CHUNK_DOCUMENTS, "load": {k: load_kwargs[k] for k in sorted(load_kwargs)}}
    root = cache_root(cache_dir) if cache else None
    files = [registry_file] if registry_file is not None and not discovering else []
    key = corpus_key(path, options, files) if cache else None
    entry = read_entry(root, key, _TABLES, _ARRAYS, lazy=("documents",)) if cache else None
    state, isolated = "hit", False
    if entry is None and cache:
        write = dict(path=path, strict=strict, jobs=jobs, scheduler=scheduler, quiet=quiet, discovering=discovering,
                     registry_file=registry_file, group=group, root=root, key=key, options=options,
                     load_kwargs=load_kwargs)
        isolated = scheduler == "processes" and can_fork()
        if isolated:
            # In a forked process that ends when the entry is written: what the preparation
            # leaves behind (the lemmatizer's and the language identifier's tables, the heap
            # fragmented by millions of short-lived strings) goes back to the system with it,
            # and this process reads the entry as a later command would.
            run_isolated(_write_prepared, **write)
        else:
            _write_prepared(**write)
        # Read back what was written: the tables are then exactly those of a later cache
        # hit, and the texts stay on disk until they are needed.
        entry = read_entry(root, key, _TABLES, _ARRAYS, lazy=("documents",))
        if entry is None:
            raise OSError(f"the cache entry just written to {root / key} cannot be read back")
        state = "miss"
    elif entry is None:
        loaded, ledger = load_corpus(path, strict=strict, return_ledger=True, jobs=jobs, **load_kwargs)
        _check_group(loaded, group)
        documents, audit, store, mentions, first, last = prepare_store(
            loaded, jobs=jobs, scheduler=scheduler, quiet=quiet, registry=None if discovering else registry_file)
        del loaded
        release_memory()  # what the loading and the merging of the workers' results left freed
        if discovering:
            # Without a cache, the registry is kept in a folder of this process.
            from .framing.discovery import registry_yaml

            registry, mentions, first, last = _discovered_mentions(documents, store)
            registry_file = None
            if registry is not None:
                registry_file = _temporary_folder("framing-registry-") / _REGISTRY_FILE
                registry_file.write_text(registry_yaml(registry), encoding="utf-8")
        if mentions is None:
            mentions = pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
        documents = as_stored(documents)
        tables = {"documents": (documents.drop(columns=["text", "raw_text"]), lambda: documents, None),
                  "ledger": as_stored(ledger), "audit": as_stored(audit), "mentions": as_stored(mentions)}
        entry = (tables, store, {"mention_first": first, "mention_last": last}, {})
        state = "off"
    tables, store, arrays, _ = entry
    if discovering and cache:
        found = root / key / _REGISTRY_FILE
        registry_file = found if found.is_file() else None
    (metadata, load_documents, document_batches), ledger, audit, mentions = (tables[name] for name in _TABLES)
    first, last = arrays["mention_first"], arrays["mention_last"]
    _check_group(metadata, group)
    if state == "miss" and isolated:
        # Counted into the entry by another forked process, for the same reason: counting
        # leaves a fragmented heap behind, and this process then reads the counts as after a hit.
        run_isolated(_count_into_entry, store=store, by=by, registry_file=registry_file, mentions=mentions,
                     first=first, last=last, metadata=metadata, group=group, cached=(root, key))
    doc_counts = _document_counts(store, by, registry_file, mentions, first, last,
                                  (root, key) if cache else None)
    grouped = _group_counts(doc_counts, metadata, group, (root, key) if cache else None)
    prepared = PreparedCorpus(
        metadata=metadata,
        load_documents=load_documents,
        document_batches=document_batches,
        jobs=jobs,
        ledger=ledger,
        audit=audit,
        store=store,
        mentions=mentions,
        doc_counts=doc_counts,
        group_counts=grouped,
        group=group,
        by=by,
        colors=outlet_colors(metadata[group].astype(str)),
        source=str(path),
        cache=state,
        seconds=time.perf_counter() - began,
        mention_tokens=(first, last),
        registry_file=str(registry_file) if registry_file is not None else None,
        registry_found=discovering,
        cache_entry=(root, key) if cache else None,
    )
    if where is not None:
        prepared = prepared.where(where)
        prepared = dataclasses.replace(prepared, seconds=time.perf_counter() - began)
    return prepared


def _sentence_sentiment(store, jobs) -> pd.DataFrame:
    from .sentiment import score_sentences

    return score_sentences(store, jobs=jobs)


def _sentiment_contributions(store, jobs) -> pd.DataFrame:
    from .sentiment import score_tokens

    return score_tokens(store, roles_only=True)


#: The derived tables scored from the token store, by name: what :meth:`PreparedCorpus.compute_derived`
#: computes in a forked process and the properties of the same names read.
_SCORINGS = {"sentence_sentiment": _sentence_sentiment, "sentiment_contributions": _sentiment_contributions}


def _score_into_entry(*, name, store, jobs, cached) -> None:
    """Score the derived table ``name`` of a cache entry's store into the entry."""
    write_derived(*cached, name, _SCORINGS[name](store, jobs))


def _temporary_folder(prefix: str) -> Path:
    """A new temporary folder, removed when this process ends (not by processes forked from it,
    whose workers read the file while it lives)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


def _write_prepared(*, path, strict, jobs, scheduler, quiet, discovering, registry_file, group, root, key, options,
                    load_kwargs) -> None:
    """Load, clean and tokenize the corpus at ``path`` and write it as the cache entry ``key``."""
    loaded, ledger = load_corpus(path, strict=strict, return_ledger=True, jobs=jobs, **load_kwargs)
    _check_group(loaded, group)
    documents, audit, store, mentions, first, last = prepare_store(
        loaded, jobs=jobs, scheduler=scheduler, quiet=quiet, registry=None if discovering else registry_file)
    del loaded
    release_memory()  # what the loading and the merging of the workers' results left freed
    found_text = None
    if discovering:
        # Kept in the cache entry.
        from .framing.discovery import registry_yaml

        registry, mentions, first, last = _discovered_mentions(documents, store)
        if registry is not None:
            found_text = registry_yaml(registry)
    if mentions is None:
        mentions = pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    manifest = {"key": key, "source": str(path), "options": options, "documents": len(documents),
                "tokens": store.n_tokens, "types": len(store.vocabulary)}
    write_entry(root, key, dict(zip(_TABLES, (documents, ledger, audit, mentions))), store,
                {"mention_first": first, "mention_last": last}, manifest,
                files={_REGISTRY_FILE: found_text} if found_text is not None else {})


def _count_into_entry(*, store, by, registry_file, mentions, first, last, metadata, group, cached) -> None:
    """Count the document-term and ``group``-term counts of a cache entry into it."""
    _group_counts(_document_counts(store, by, registry_file, mentions, first, last, cached), metadata, group, cached)


def _document_counts(store, by, registry_file, mentions, first, last, cached) -> CountMatrix:
    """Document-term counts, from the cache entry when they were counted before."""
    if cached is not None:
        found = read_counts(*cached, by)
        if found is not None:
            matrix, terms, totals = found
            rows = pd.Index(store.doc_ids.astype(str), name="doc_id")
            return CountMatrix(matrix, rows, pd.Index(terms, name="term"), pd.Series(totals, index=rows, name="total"),
                               by)
    names = {}
    if registry_file is not None and len(mentions):
        names = {entity.id: entity.name for entity in load_registry(registry_file).entities}
    counts = count_store(
        store, by=by, mention_first=first, mention_last=last,
        mention_terms=[names.get(e, e) for e in mentions["entity"]], mention_forms=mentions["form"].tolist(),
    )
    if cached is not None:
        write_counts(*cached, by, counts.matrix, counts.terms, counts.totals.to_numpy())
    return counts


def _group_counts(doc_counts: CountMatrix, metadata: pd.DataFrame, group: str, cached) -> CountMatrix:
    """Group-term counts, from the cache entry when they were summed before for this column."""
    if cached is not None:
        found = read_group_counts(*cached, doc_counts.by, group)
        if found is not None:
            matrix, rows, totals = found
            _, groups = group_codes(doc_counts, metadata, group=group)  # cheap: validates the column
            if list(rows) == list(groups) and matrix.shape == (len(groups), len(doc_counts.terms)):
                return CountMatrix(matrix, groups, doc_counts.terms, pd.Series(totals, index=groups, name="total"),
                                   doc_counts.by)
    grouped = group_counts(doc_counts, metadata, group=group)
    if cached is not None:
        write_group_counts(*cached, doc_counts.by, group, grouped.matrix, grouped.rows, grouped.totals.to_numpy())
    return grouped


def _query(metadata: pd.DataFrame, query) -> pd.DataFrame:
    """The rows of the documents table that satisfy a pandas query, with errors that say what to do."""
    columns = ", ".join(map(str, metadata.columns))
    if not isinstance(query, str) or not query.strip():
        raise ParameterError(f"where={query!r} must be a query expression", hint="e.g. \"event == 'gipfel'\"")
    try:
        selected = metadata.query(query, engine="python")
    except pd.errors.UndefinedVariableError as exc:
        name = str(exc).split("'")[1] if "'" in str(exc) else str(exc)
        raise ParameterError(f"--where {query!r}: the documents table has no column {name!r}",
                             hint=f"columns: {columns}; quote text values: \"outlet == 'Bild'\"") from None
    except (SyntaxError, ValueError, TypeError, KeyError) as exc:
        raise ParameterError(f"--where {query!r} cannot be read: {exc}",
                             hint=f"write a pandas query over the columns {columns}, e.g. \"event == 'gipfel'\"") from None
    if not len(selected):
        raise ParameterError(f"--where {query!r} matches no document",
                             hint=f"check the values of the columns ({columns}) in documents.csv")
    return selected


def _check_group(documents: pd.DataFrame, group: str) -> None:
    if group not in documents.columns:
        raise ParameterError(
            f"the corpus has no column {group!r} to group by",
            hint=f"choose one of: {', '.join(map(str, documents.columns))}",
        )
