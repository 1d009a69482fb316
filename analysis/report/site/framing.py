"""Actor labels, frames, quotations and sources: the tables of the suite, with the sentences
behind each cell (a bounded sample, counted)."""

from __future__ import annotations

import pandas as pd

from ...framing.frames import frame_rates, match_dictionary_in_parts
from ...framing.labels import attribute_labels_in_parts, label_shares
from ...framing.quotes import quotation_summary
from ...framing.sources import find_sources_in_parts, source_summary
from ..choices import labelled_persons
from .encode import table_records
from .evidence import cell_evidence, sample_rows
from .limits import SiteLimits

__all__ = ["frames_data", "labels_data", "quotes_data", "sources_data"]


def _cells(prepared, rows: pd.DataFrame, keys: list[str], limits: SiteLimits) -> dict:
    """Cell key (the key columns joined by a tab) → ``{"n": rows, "items": evidence}``."""
    sample = sample_rows(rows, keys, limits.evidence)
    items = cell_evidence(prepared, sample)
    cells: dict = {}
    for key_values, size, item in zip(sample[keys].astype(str).itertuples(index=False), sample["_cell_size"], items):
        cell = cells.setdefault("\t".join(key_values), {"n": int(size), "items": []})
        cell["items"].append(item)
    return cells


def _with_group(prepared, rows: pd.DataFrame) -> pd.DataFrame:
    groups = prepared.metadata.set_index(prepared.metadata["doc_id"].astype(str))[prepared.group].astype(str)
    return rows.assign(_group=rows["doc_id"].astype(str).map(groups))


def labels_data(prepared, options, limits: SiteLimits) -> dict:
    """Who is called what per outlet: label shares with their intervals over articles
    (:func:`analysis.framing.labels.label_shares`) and the sentences behind each cell."""
    attributions, unattributed = attribute_labels_in_parts(
        prepared, options.entity_registry(prepared), options.label_lexicon(prepared),
        store=prepared.store, mentions=prepared.mentions, jobs=prepared.jobs)
    shares = label_shares(attributions, prepared.metadata, group=prepared.group)
    result = {"group": prepared.group, "attributions": int(len(attributions)),
              "unattributed": int(len(unattributed)),
              "rules": {str(k): int(v) for k, v in attributions["rule"].value_counts().sort_index().items()}
              if len(attributions) else {}}
    if shares.empty:
        result.update(shares=None, persons=[], cells={}, persons_left_out=0)
        return result
    persons = labelled_persons(shares, limits.persons)
    every = shares["person"].astype(str).unique()
    shown = shares[shares["person"].astype(str).isin(persons)].reset_index(drop=True)
    rows = _with_group(prepared, attributions[attributions["person"].astype(str).isin(persons)])
    result.update(
        shares=table_records(shown),
        persons=list(persons),
        persons_left_out=int(len(every) - len(persons)),
        cells=_cells(prepared, rows, ["_group", "person", "label"], limits),
    )
    return result


def frames_data(prepared, options, limits: SiteLimits) -> dict:
    """Frame-dictionary rates per outlet (:func:`analysis.framing.frames.frame_rates`) and
    matches in their sentences."""
    dictionary = options.frame_dictionary(prepared)
    matches = match_dictionary_in_parts(prepared, dictionary, store=prepared.store)
    rates = frame_rates(matches, prepared.metadata, prepared.store, group=prepared.group)
    return {
        "group": prepared.group,
        "dictionary": str(dictionary.name),
        "rates": table_records(rates),
        "cells": _cells(prepared, _with_group(prepared, matches), ["_group", "category"], limits),
    }


def quotes_data(prepared, limits: SiteLimits) -> dict:
    """Quotations by kind per outlet (:func:`analysis.framing.quotes.quotation_summary`) with
    examples: the quote, its cue and speaker, in its sentence."""
    quotes = prepared.quotations
    summary = quotation_summary(quotes, prepared.metadata, group=prepared.group, tokens=prepared.store)
    rows = _with_group(prepared, quotes)
    cells = _cells(prepared, rows, ["_group", "kind"], limits)
    sample = sample_rows(rows, ["_group", "kind"], limits.evidence)
    # The cue and speaker of each example, in the order of the cell's items.
    for key_values, cue, speaker in zip(sample[["_group", "kind"]].astype(str).itertuples(index=False),
                                        sample.get("cue", pd.Series("", index=sample.index)).fillna("").astype(str),
                                        sample.get("speaker", pd.Series("", index=sample.index)).fillna("").astype(str)):
        cells["\t".join(key_values)].setdefault("who", []).append([cue, speaker])
    return {"group": prepared.group, "summary": table_records(summary), "cells": cells}


def sources_data(prepared) -> dict:
    """Agencies and media named per outlet, by where they are named
    (:func:`analysis.framing.sources.source_summary`), the sources no outlet names left out."""
    found = find_sources_in_parts(prepared, audit=prepared.audit)
    summary = source_summary(found, prepared.metadata, group=prepared.group)
    named = summary.groupby("source")["count"].transform("sum") > 0
    return {"group": prepared.group, "summary": table_records(summary[named].reset_index(drop=True)),
            "sources_never_named": int(summary.loc[~named, "source"].nunique())}
