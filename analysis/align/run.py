"""Align a whole corpus: stories, then passages and their differences, story by story.

:func:`align_corpus` groups the articles into stories (:mod:`analysis.align.stories`), and
aligns each story with more than one outlet on its own (:mod:`analysis.align.passages`,
:mod:`analysis.align.substitutions`, :mod:`analysis.align.attribution`). A story needs only its
own sentences, so the stories run in the chunked map of the store
(:func:`analysis.store.executor.map_documents_to_files` over the table of stories,
:data:`STORIES_PER_PART` at a time, in forked workers that share the token store; each part's
tables wait on disk until the workers are done): memory follows the largest story, not the
corpus, while the workers run.

Quotations and label attributions are found once for the whole corpus beforehand, with the
document-parallel helpers of :mod:`analysis.framing`; after that the texts are released, since
sentences are rebuilt from the token store.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..store.executor import concat_part_files, map_documents_to_files
from .attribution import attribution_rows
from .passages import PAIR_COLUMNS, aligned_rows, unit_counts
from .stories import find_stories
from .substitutions import DIFF_COLUMNS, diff_rows, label_rows
from .units import sentence_units

__all__ = ["ALIGNED_COLUMNS", "AlignmentResult", "CHANGE_COLUMNS", "STORIES_PER_PART", "align_corpus",
           "align_stories"]

#: Stories per part of the chunked map. Small parts keep a worker's peak at the size of a few
#: stories and balance the workers; at 10,000 articles 50 per part was both faster (40.6 s
#: against 47 s) and lighter (about 530 MB per worker against 850 MB) than 200.
STORIES_PER_PART = 50
#: Columns of :attr:`AlignmentResult.pairs`.
ALIGNED_COLUMNS = ("story", "pair", "doc_id_a", "outlet_a", "sentence_id_a", "text_a", "doc_id_b", "outlet_b",
                   "sentence_id_b", "text_b") + PAIR_COLUMNS[4:]
#: Columns of :attr:`AlignmentResult.units`.
UNIT_RESULT_COLUMNS = ("story", "doc_id", "outlet", "sentence_id", "n_words")
#: Columns of :attr:`AlignmentResult.changes`.
CHANGE_COLUMNS = ("story", "pair", "doc_id_a", "outlet_a", "sentence_id_a", "doc_id_b", "outlet_b",
                  "sentence_id_b") + DIFF_COLUMNS + ("status_a", "status_b")


@dataclass(frozen=True)
class AlignmentResult:
    """Everything :func:`align_corpus` found.

    Attributes
    ----------
    stories : pandas.DataFrame
        One row per article (:data:`analysis.align.stories.STORY_COLUMNS`).
    pairs : pandas.DataFrame
        One row per aligned sentence pair (:data:`ALIGNED_COLUMNS`).
    changes : pandas.DataFrame
        One row per difference within an aligned pair (:data:`CHANGE_COLUMNS`): ``kind`` is
        ``substitution``, ``rewrite``, ``insertion``, ``deletion``, ``label`` or ``attribution``.
    units : pandas.DataFrame
        One row per sentence of every aligned story: ``story, doc_id, outlet, sentence_id,
        n_words`` (:data:`UNIT_RESULT_COLUMNS`). The sentences' texts are in :attr:`pairs` for
        the aligned ones and in :func:`analysis.align.units.sentence_units` for any.
    group : str
        The documents column of the outlets.
    """

    stories: pd.DataFrame
    pairs: pd.DataFrame
    changes: pd.DataFrame
    units: pd.DataFrame
    group: str = "outlet"


def _references(attributions: pd.DataFrame, mentions: pd.DataFrame) -> dict:
    """(doc_id, sentence_id) → {person: set of references}: the labels attributed to each person
    in the sentence, or the person's id when the sentence names the person without a label."""
    found: dict = {}
    if len(attributions):
        for doc, sent, person, label in zip(attributions["doc_id"].astype(str), attributions["sentence_id"],
                                            attributions["person"], attributions["label"]):
            found.setdefault((doc, int(sent)), {}).setdefault(str(person), set()).add(str(label))
    persons = mentions[mentions["type"] == "person"] if len(mentions) else mentions
    for doc, sent, person in zip(persons["doc_id"].astype(str), persons["sentence_id"], persons["entity"]):
        # Named without a label: referred to by the name, whatever its spelling ("Putins",
        # "QUtin" and "Wladimir Putin" are the same reference, the entity's id).
        found.setdefault((doc, int(sent)), {}).setdefault(str(person), {str(person)})
    return found


def _quotes_by_sentence(quotations: pd.DataFrame | None) -> dict:
    """(doc_id, sentence_id) → the quotations of that sentence (rows with ``quote, kind, speaker``)."""
    found: dict = {}
    if quotations is None or not len(quotations):
        return found
    # One pass over the rows (a table per sentence would cost more than the quotations).
    for row in quotations[["doc_id", "sentence_id", "quote", "kind", "speaker"]].itertuples(index=False):
        found.setdefault((str(row.doc_id), int(row.sentence_id)), []).append(row)
    return found


def _rows_of(table: pd.DataFrame | None, doc_ids: set) -> pd.DataFrame | None:
    return None if table is None else table[table["doc_id"].astype(str).isin(doc_ids)]


def align_stories(story_table: pd.DataFrame, *, store, outlets: dict, mention_first, mention_last, mention_entities,
                  implied: dict, quotations: pd.DataFrame | None = None, attributions: pd.DataFrame | None = None,
                  mentions: pd.DataFrame | None = None, lexicon=None) -> tuple:
    """Align the stories of ``story_table`` (columns ``story``, ``doc_ids``: a tuple each).

    The function :func:`align_corpus` maps over the stories; it returns ``(pairs, changes,
    units)`` for these stories (see :class:`AlignmentResult`). ``quotations``,
    ``attributions`` and ``mentions`` are the corpus's tables (or of more documents than
    these stories'); the rows of these stories' documents are looked up here, so the worker
    processes share the tables instead of one dictionary per sentence of the corpus.
    """
    change_rows, unit_parts = [], []
    part_docs = {str(d) for doc_ids in story_table["doc_ids"] for d in doc_ids}
    quotes = _quotes_by_sentence(_rows_of(quotations, part_docs))
    references = {}
    if mentions is not None:
        empty = pd.DataFrame({"doc_id": [], "sentence_id": [], "person": [], "label": []})
        references = _references(_rows_of(attributions if attributions is not None else empty, part_docs),
                                 _rows_of(mentions, part_docs))
    mention_kw = dict(mention_first=mention_first, mention_last=mention_last, mention_entities=mention_entities,
                      implied=implied)
    stories = list(zip(story_table["story"], story_table["doc_ids"]))
    every_doc = [str(d) for _, doc_ids in stories for d in doc_ids]
    shared = None
    if len(set(every_doc)) == len(every_doc):
        # The units of all these stories at once, and their counts: the words of one part of
        # the corpus recur from story to story, so each form's character n-grams are cut once.
        # A document's units do not depend on the other documents read with it.
        every_unit = sentence_units(store, every_doc, **mention_kw)
        every_count = unit_counts(every_unit)
        per_doc = every_unit.table["doc_id"].value_counts(sort=False).to_dict()
        ends = np.cumsum([sum(per_doc.get(str(d), 0) for d in doc_ids) for _, doc_ids in stories])
        shared = (every_unit, every_count, np.concatenate([[0], ends]).astype(np.int64))
    pair_rows: list[tuple] = []
    for k, (story, doc_ids) in enumerate(stories):
        if shared is not None:
            lo, hi = int(shared[2][k]), int(shared[2][k + 1])
            units, counts = shared[0].rows(lo, hi), shared[1].rows(lo, hi)
        else:
            units = sentence_units(store, list(doc_ids), **mention_kw)
            counts = None
        found = aligned_rows(units, outlets, counts=counts)
        table = units.table
        unit_docs = table["doc_id"].astype(str).tolist()
        unit_sentences = table["sentence_id"].tolist()
        # The result keeps each sentence's place and length, not its text: the text of every
        # sentence of a large corpus would be the largest table of the result (the aligned
        # pairs carry the texts of their two sentences).
        unit_parts.append((story, unit_docs, unit_sentences, table["n_words"].tolist()))
        if not found:
            continue
        index = {key: k for k, key in enumerate(zip(unit_docs, unit_sentences))}
        texts = table["text"].tolist()
        # Rows as tuples, one table per part at the end: a table per story, or per pair, would
        # cost more than the alignment.
        for number, row in enumerate(found, start=1):
            doc_a, sentence_a, doc_b, sentence_b = row[:4]
            a, b = index[(doc_a, sentence_a)], index[(doc_b, sentence_b)]
            pair = f"{story}#{number}"
            outlet_a, outlet_b = outlets.get(doc_a), outlets.get(doc_b)
            text_a, text_b = texts[a], texts[b]
            pair_rows.append((story, pair, doc_a, outlet_a, sentence_a, text_a, doc_b, outlet_b, sentence_b, text_b)
                             + row[4:])
            key_a, key_b = (doc_a, sentence_a), (doc_b, sentence_b)
            head = (story, pair, doc_a, outlet_a, sentence_a, doc_b, outlet_b, sentence_b)
            for change in diff_rows(units.keys[a], units.forms[a], units.keys[b], units.forms[b], lexicon=lexicon):
                change_rows.append(head + change + ("", ""))
            for change in label_rows(references.get(key_a, {}), references.get(key_b, {})):
                change_rows.append(head + change + ("", ""))
            quotes_a, quotes_b = quotes.get(key_a, ()), quotes.get(key_b, ())
            if quotes_a or quotes_b:
                for kind, term_a, term_b, status_a, status_b in attribution_rows(quotes_a, text_a, quotes_b, text_b):
                    change_rows.append(head + (kind, term_a, term_b, term_a, term_b, "", "", status_a, status_b))
    pairs = (pd.DataFrame(pair_rows, columns=list(ALIGNED_COLUMNS)) if pair_rows
             else pd.DataFrame({c: pd.Series(dtype=object) for c in ALIGNED_COLUMNS}))
    changes = pd.DataFrame(change_rows, columns=list(CHANGE_COLUMNS))
    if not len(changes):
        changes = pd.DataFrame({c: pd.Series(dtype=object) for c in CHANGE_COLUMNS})
    for column in ("sentence_id_a", "sentence_id_b"):
        changes[column] = changes[column].astype("int64")
    if unit_parts:
        sizes = [len(part[1]) for part in unit_parts]
        units = pd.DataFrame({
            "story": np.repeat(np.array([part[0] for part in unit_parts], dtype=object), sizes),
            "doc_id": [d for part in unit_parts for d in part[1]],
            "sentence_id": np.array([s for part in unit_parts for s in part[2]], dtype=np.int64),
            "n_words": np.array([w for part in unit_parts for w in part[3]], dtype=np.int64),
        })
        units["outlet"] = [outlets.get(d) for d in units["doc_id"].tolist()]
    else:
        units = pd.DataFrame({c: pd.Series(dtype=object) for c in UNIT_RESULT_COLUMNS})
    return pairs, changes, units[list(UNIT_RESULT_COLUMNS)]


def align_corpus(prepared, *, story: str | None = None, labels=None, jobs: int | None = None,
                 stories_per_part: int = STORIES_PER_PART) -> AlignmentResult:
    """Stories, aligned passages and their differences for a prepared corpus.

    Parameters
    ----------
    prepared : analysis.pipeline.PreparedCorpus
    story : str, optional
        Documents column naming each article's story; None finds stories automatically.
    labels : LabelLexicon or path, optional
        Label lexicon for the ``label`` rows (default: the starter of the corpus, see
        :func:`analysis.report.choices.starter_labels`).
    jobs : int, optional
        Worker processes (default: those the corpus was prepared with).
    stories_per_part : int
        Stories per part of the chunked map.

    Returns
    -------
    AlignmentResult

    Examples
    --------
    >>> from analysis.pipeline import prepare_corpus
    >>> result = align_corpus(prepare_corpus(cache=False, jobs=1, quiet=True), jobs=1)
    >>> result.stories["story"].nunique(), bool(len(result.pairs) > 0)
    (1, True)
    """
    from ..framing.labels import attribute_labels_in_parts
    from ..report.choices import starter_labels
    from ..sentiment import load_lexicon

    jobs = prepared.jobs if jobs is None else jobs
    group = prepared.group
    metadata = prepared.metadata
    stories = find_stories(metadata, prepared.doc_counts, story=story, group=group)
    outlets = dict(zip(metadata["doc_id"].astype(str), metadata[group].astype(str)))
    many = stories[stories["n_outlets"] > 1]
    story_table = (many.groupby("story", sort=False)["doc_id"].agg(tuple).rename("doc_ids").reset_index()
                   if len(many) else pd.DataFrame({"story": [], "doc_ids": []}))
    registry = prepared.registry
    implied = {}
    if registry is not None:
        implied = {label.lower(): entity.id for entity in registry.entities for label in entity.labels}
    quotations = attributions = mentions = None
    if len(story_table):
        chosen = set(many["doc_id"].astype(str))
        quotations = prepared.quotations
        quotations = quotations.loc[quotations["doc_id"].astype(str).isin(chosen),
                                    ["doc_id", "sentence_id", "quote", "kind", "speaker"]]
        mentions = prepared.mentions
        mentions = mentions[mentions["doc_id"].astype(str).isin(chosen)].reset_index(drop=True)
        if registry is not None and len(mentions):
            # The prepared corpus, not its documents table: the texts are read part by part
            # from the cache, never all at once.
            attributions, _ = attribute_labels_in_parts(prepared, registry, starter_labels(prepared, labels),
                                                        store=prepared.store, mentions=mentions, jobs=jobs,
                                                        doc_ids=chosen)
            attributions = attributions[["doc_id", "sentence_id", "person", "label"]]
        prepared.release_documents()
        if len(mentions):
            mentions = mentions.loc[mentions["type"] == "person", ["doc_id", "sentence_id", "entity", "type"]]
    first, last = prepared.mention_tokens if prepared.mention_tokens else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    entities = prepared.mentions["entity"].astype(str).tolist()
    prepared.store.release_pages()  # what the attributions read of the mapped token arrays
    if len(story_table):
        # The parts' tables wait on disk until the workers are done (at 40,000 articles they are
        # about 600 MB: in this process beside the workers, the two would add up).
        with tempfile.TemporaryDirectory(prefix="analysis-align-") as folder:
            files = map_documents_to_files(align_stories, story_table, folder, jobs=jobs,
                                           piece_documents=stories_per_part, store=prepared.store, outlets=outlets,
                                           mention_first=first, mention_last=last, mention_entities=entities,
                                           implied=implied, quotations=quotations, attributions=attributions,
                                           mentions=mentions, lexicon=load_lexicon())
            del quotations, attributions, mentions, entities, first, last
            pairs, changes, units = concat_part_files(files)
    else:
        pairs, changes, units = align_stories(story_table, store=prepared.store, outlets=outlets, mention_first=first,
                                              mention_last=last, mention_entities=entities, implied=implied)
    return AlignmentResult(stories, pairs.reset_index(drop=True), changes.reset_index(drop=True),
                           units.reset_index(drop=True), group)
