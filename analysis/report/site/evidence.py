"""The sentences behind a table cell: a bounded sample of the rows a number was counted from,
each shown in its sentence with the counted words marked."""

from __future__ import annotations

import pandas as pd

from ...text import sentences

__all__ = ["cell_evidence", "sample_rows"]


def sample_rows(rows: pd.DataFrame, keys: list[str], per_cell: int) -> pd.DataFrame:
    """The first ``per_cell`` rows of each cell (in document order), and every cell's size.

    Returns the sample with a column ``_cell_size`` (the number of rows of its cell).
    """
    if rows.empty:
        return rows.assign(_cell_size=pd.Series(dtype="int64"))
    ordered = rows.sort_values(["doc_id", "start"], kind="stable")
    size = ordered.groupby(keys, sort=False)["doc_id"].transform("size")
    ordered = ordered.assign(_cell_size=size)
    return ordered[ordered.groupby(keys, sort=False).cumcount() < per_cell]


def cell_evidence(prepared, rows: pd.DataFrame) -> list:
    """``[sentence, mark start, mark end, doc_id]`` for each row (``doc_id``, ``sentence_id``,
    ``start``, ``end`` in the document's clean text); the mark is relative to the sentence.

    The documents of the rows are read from the cache one slice at a time, so the sentences of
    a sample cost only the texts they come from.
    """
    if rows.empty:
        return []
    wanted = set(rows["doc_id"].astype(str))
    found = {}
    for part in prepared.iter_documents():
        part = part[part["doc_id"].astype(str).isin(wanted)]
        if len(part):
            table = sentences(part[["doc_id", "text"]].assign(doc_id=part["doc_id"].astype(str)))
            for doc, number, start, text in zip(table["doc_id"], table["sentence_id"], table["start"],
                                                table["sentence"]):
                found[doc, int(number)] = (int(start), text)
    out = []
    for doc, number, start, end in zip(rows["doc_id"].astype(str), rows["sentence_id"], rows["start"], rows["end"]):
        begin, text = found.get((doc, int(number)), (int(start), ""))
        a = max(0, int(start) - begin)
        out.append([text, a, max(a, min(len(text), int(end) - begin)), doc])
    return out
