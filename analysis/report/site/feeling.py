"""Sentiment per outlet and toward persons, with the words behind it.

The tables are those behind the sentiment figures (:mod:`analysis.report.figures`: means with
bootstrap intervals, the lexicon words adding most); the sentences behind a person's cell are
the most positive and most negative scored sentences that mention the person, each with the
words that contributed to its lexicon score.
"""

from __future__ import annotations

import pandas as pd

from ...sentiment import person_sentences
from .encode import table_records
from .evidence import cell_evidence
from .limits import SiteLimits

__all__ = ["sentiment_data"]


def _words(contributions: pd.DataFrame, keys: set) -> dict:
    """(doc_id, sentence_id) → ``[[word, contribution], ...]`` of the sentences asked for."""
    if contributions.empty or not keys:
        return {}
    where = pd.MultiIndex.from_arrays([contributions["doc_id"].astype(str),
                                       contributions["sentence_id"].astype("int64")])
    chosen = contributions[where.isin(sorted(keys))]
    if "contribution" not in chosen:
        return {}
    chosen = chosen[chosen["contribution"].fillna(0) != 0]
    words: dict = {}
    for doc, number, token, value in zip(chosen["doc_id"].astype(str), chosen["sentence_id"], chosen["token"],
                                         chosen["contribution"]):
        words.setdefault((doc, int(number)), []).append([str(token), float(value)])
    return words


def sentiment_data(prepared, tables: dict, limits: SiteLimits) -> dict:
    """The sentiment page.

    Parameters
    ----------
    prepared : analysis.pipeline.PreparedCorpus
    tables : dict
        Figure id → the table behind it (``sentiment_outlets``, ``sentiment_words``,
        ``sentiment_persons`` are read when present).
    limits : SiteLimits
    """
    group = prepared.group
    result = {"group": group, "outlets": None, "words": None, "persons": None, "cells": {}}
    for name, key in (("sentiment_outlets", "outlets"), ("sentiment_words", "words"), ("sentiment_persons", "persons")):
        if name in tables:
            result[key] = table_records(tables[name])
    persons = tables.get("sentiment_persons")
    mentions = prepared.mentions
    if persons is None or persons.empty or mentions.empty:
        return result
    chosen = set(persons["person"].astype(str))
    who = person_sentences(None, mentions=mentions[(mentions["type"] == "person")
                                                   & mentions["entity"].astype(str).isin(chosen)])
    scores = prepared.sentence_sentiment[["doc_id", "sentence_id", "score"]]
    scored = who.merge(scores, on=["doc_id", "sentence_id"], how="inner")
    groups = prepared.metadata.set_index(prepared.metadata["doc_id"].astype(str))[group].astype(str)
    scored = scored.assign(_group=scored["doc_id"].astype(str).map(groups))
    scored = scored.sort_values(["_group", "person", "score", "doc_id", "sentence_id"], kind="stable")
    half = max(1, limits.evidence // 2)
    parts = []
    for _, cell in scored.groupby(["_group", "person"], sort=True):
        picked = pd.concat([cell.head(half), cell.tail(half)]).drop_duplicates(["doc_id", "sentence_id"])
        parts.append(picked.assign(_cell_size=len(cell)))
    if not parts:
        return result
    sample = pd.concat(parts, ignore_index=True)
    # The whole sentence is the evidence: marked from its first to its last character.
    spans = sample.assign(start=0, end=0)
    items = cell_evidence(prepared, spans)
    keys = set(zip(sample["doc_id"].astype(str), sample["sentence_id"].astype(int)))
    words = _words(prepared.sentiment_contributions, keys)
    cells: dict = {}
    for g, person, doc, number, score, size, item in zip(sample["_group"], sample["person"].astype(str),
                                                          sample["doc_id"].astype(str), sample["sentence_id"],
                                                          sample["score"], sample["_cell_size"], items):
        cell = cells.setdefault(f"{g}\t{person}", {"n": int(size), "items": []})
        cell["items"].append({"sentence": item[0], "doc_id": doc, "score": float(score),
                              "words": words.get((doc, int(number)), [])})
    result["cells"] = cells
    return result
