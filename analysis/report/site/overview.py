"""The corpus overview: outlets × articles × running words, dates, the ingest ledger, the
cleaning audit and shared or near-duplicate copies, summarised."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...io.corpus import summarise_ledger
from .encode import table_records

__all__ = ["overview_data"]


def _dates(values: pd.Series) -> tuple:
    dates = pd.to_datetime(values, errors="coerce").dropna() if len(values) else pd.Series(dtype="datetime64[ns]")
    return (dates.min(), dates.max()) if len(dates) else (None, None)


def overview_data(prepared) -> dict:
    """The numbers of the overview page.

    Parameters
    ----------
    prepared : analysis.pipeline.PreparedCorpus

    Returns
    -------
    dict
        ``corpus`` (source file name, articles, running words, group, counted column, filter,
        date range, entity registry), ``outlets`` (one row per group: articles, running words,
        first and last date, shared and near-duplicate copies), ``ledger`` (records by status
        and reason), ``audit`` (edits and articles by cleaning rule and action) and
        ``duplicates``.
    """
    metadata = prepared.metadata
    group = prepared.group
    totals = prepared.group_counts.totals
    outlet = metadata[group].astype(str)
    shared = metadata["shared_text"].astype(str) if "shared_text" in metadata else pd.Series("", index=metadata.index)
    near = (metadata["near_duplicate"].astype(str) if "near_duplicate" in metadata
            else pd.Series("", index=metadata.index))
    dates = metadata["date"] if "date" in metadata else pd.Series(pd.NaT, index=metadata.index)
    rows = []
    for name in sorted(outlet.unique()):
        chosen = (outlet == name).to_numpy()
        first, last = _dates(dates[chosen])
        rows.append([name, int(chosen.sum()), int(totals.get(name, 0)), first, last,
                     int((shared[chosen] != "").sum()), int((near[chosen] != "").sum())])
    outlets = pd.DataFrame(rows, columns=[group, "articles", "running_words", "first_date", "last_date",
                                          "shared_copies", "near_duplicates"])
    audit = prepared.audit
    if len(audit):
        edits = (audit.groupby(["rule", "action"], sort=True)
                 .agg(edits=("doc_id", "size"), articles=("doc_id", "nunique")).reset_index())
        edits = edits.sort_values(["edits", "rule", "action"], ascending=[False, True, True], kind="stable")
    else:
        edits = pd.DataFrame(columns=["rule", "action", "edits", "articles"])
    first, last = _dates(dates)
    registry = prepared.registry
    return {
        "corpus": {
            "source": Path(str(prepared.source)).name,
            "articles": int(len(metadata)),
            "running_words": int(totals.sum()),
            "group": group,
            "by": prepared.by,
            "where": prepared.query or "",
            "first_date": first,
            "last_date": last,
            "entities": 0 if registry is None else len(registry.entities),
            "entities_found": bool(prepared.registry_found),
            "read": int(len(prepared.ledger)),
        },
        "outlets": table_records(outlets),
        "ledger": table_records(summarise_ledger(prepared.ledger)),
        "audit": table_records(edits, ["rule", "action", "edits", "articles"]),
        "duplicates": {
            "shared_articles": int((shared != "").sum()),
            "shared_texts": int(shared[shared != ""].nunique()),
            "near_articles": int((near != "").sum()),
            "near_clusters": int(near[near != ""].nunique()),
        },
    }
