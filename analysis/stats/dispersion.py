"""Dispersion: where in each article a term occurs, and how evenly over an outlet's articles.

A term an outlet uses 50 times may come from one article or from fifty; keyness cannot tell
the two apart. :func:`dispersion` finds a pattern's matches (the KWIC engine) and reports,
per group and pattern, the number of articles that use it (with a Wilson interval for the
share), Gries' *deviation of proportions* (DP) and where in the articles the matches sit.

Gries' DP (Gries 2008, "Dispersions and adjusted frequencies in corpora"): with s_i the share
of the group's running words in article i and v_i the share of the term's matches in it,
``DP = ½ Σ |v_i − s_i|`` over every article of the group — 0 when the term is spread exactly
in proportion to the articles' lengths, close to 1 when it sits in one small article.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .counts import running_words
from .intervals import wilson_interval
from .kwic import kwic

__all__ = ["DISPERSION_LEVELS", "dispersion"]

#: What :func:`dispersion` can return.
DISPERSION_LEVELS = ("summary", "match")


def dispersion(
    documents: pd.DataFrame,
    pattern,
    *,
    tokens=None,
    valuetype: str = "glob",
    case_insensitive: bool = True,
    group: str | None = "outlet",
    level: str = "summary",
) -> pd.DataFrame:
    """Where and how evenly a pattern occurs, per group.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents with ``doc_id``, ``text`` and the ``group`` column.
    pattern : str or list of str
        One or more patterns, as :func:`analysis.stats.kwic.kwic` reads them.
    tokens : pandas.DataFrame or analysis.store.TokenStore, optional
        The documents' tokens (``prepared.store`` for a corpus); tokenized here if omitted.
    valuetype : {"glob", "fixed", "regex", "lemma"}
    case_insensitive : bool
    group : str or None, default "outlet"
        Documents column to compare; None treats the documents as one group.
    level : {"summary", "match"}
        ``summary``: one row per group and pattern; ``match``: one row per match.

    Returns
    -------
    pandas.DataFrame
        ``summary``: the group column (when grouped), ``pattern``, ``matches``, ``rate`` (per
        1,000 running words of the group), ``documents`` (articles with a match),
        ``documents_total``, ``document_share`` with its 95 % Wilson interval ``ci_low``,
        ``ci_high``, ``dp`` (Gries' deviation of proportions; NaN without matches) and
        ``mean_position`` (mean position of the matches in their articles, 0 = first
        character, 1 = last). Every group appears for every pattern, also with no match.
        ``match``: ``doc_id``, the group column, ``pattern``, ``match``, ``start``, ``end``
        and ``position`` (``start`` over the article's length in characters).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
    ...                      "text": ["Der Diktator kam.", "Ein Gipfel.", "Diktator und Diktator."]})
    >>> dispersion(docs, "Diktator*")[["outlet", "matches", "documents", "dp"]]
      outlet  matches  documents   dp
    0      X        1          1  0.4
    1      Y        2          1  0.0

    In X the match sits in article a, which holds 3 of the 5 running words:
    DP = ½ (|1 − 0.6| + |0 − 0.4|) = 0.4.
    """
    if level not in DISPERSION_LEVELS:
        raise ParameterError(f"level={level!r} is not one of {', '.join(DISPERSION_LEVELS)}")
    if group is not None and group not in documents.columns:
        raise ParameterError(f"the documents table has no column {group!r}",
                             hint=f"available columns: {', '.join(map(str, documents.columns))}")
    patterns = list(pattern) if isinstance(pattern, (list, tuple)) else [pattern]
    found = kwic(documents, patterns, tokens=tokens, valuetype=valuetype, case_insensitive=case_insensitive,
                 window=0, contexts=False)
    doc_ids = documents["doc_id"].astype(str)
    labels = (documents[group].astype(str) if group is not None else pd.Series("all", index=documents.index))
    label_of = pd.Series(labels.to_numpy(), index=doc_ids.to_numpy())
    length_of = pd.Series(documents["text"].fillna("").astype(str).str.len().to_numpy(), index=doc_ids.to_numpy())
    match_doc = found["doc_id"].astype(str).to_numpy()
    position = found["start"].to_numpy(dtype=np.float64) / np.maximum(length_of.reindex(match_doc).to_numpy(), 1)
    if level == "match":
        table = pd.DataFrame({"doc_id": match_doc, "pattern": found["pattern"].to_numpy(),
                              "match": found["match"].to_numpy(), "start": found["start"].to_numpy(),
                              "end": found["end"].to_numpy(), "position": position})
        if group is not None:
            table.insert(1, group, label_of.reindex(match_doc).to_numpy())
        return table

    if tokens is None:
        from ..text import tokenize

        tokens = tokenize(documents)
    words = running_words(tokens).reindex(doc_ids.to_numpy()).fillna(0).to_numpy(dtype=np.float64)
    names = [str(getattr(p, "pattern", p)) for p in patterns]
    per_doc = pd.DataFrame({"doc_id": match_doc, "pattern": found["pattern"].astype(str).to_numpy(),
                            "position": position})
    hits = per_doc.groupby(["doc_id", "pattern"], sort=False).agg(f=("position", "size"),
                                                                   position=("position", "sum")).reset_index()
    hits["group"] = label_of.reindex(hits["doc_id"].to_numpy()).to_numpy()
    hits["words"] = pd.Series(words, index=doc_ids.to_numpy()).reindex(hits["doc_id"].to_numpy()).to_numpy()
    frame = pd.DataFrame({"group": labels.to_numpy(), "words": words})
    sizes = frame.groupby("group")["words"].agg(["sum", "size"])
    hits["s"] = hits["words"] / hits["group"].map(sizes["sum"]).to_numpy()
    totals = hits.groupby(["group", "pattern"])["f"].transform("sum")
    hits["v"] = hits["f"] / totals
    # Articles without a match add their s_i to the sum; the s_i of a group sum to 1, so
    # DP = ½ (1 + Σ over the articles with a match of (|v_i − s_i| − s_i)).
    hits["term"] = (hits["v"] - hits["s"]).abs() - hits["s"]
    summed = hits.groupby(["group", "pattern"]).agg(matches=("f", "sum"), documents=("doc_id", "size"),
                                                     dp_sum=("term", "sum"), position=("position", "sum"))
    grid = pd.MultiIndex.from_product([sorted(sizes.index), names], names=["group", "pattern"])
    summed = summed.reindex(grid)
    matches = summed["matches"].fillna(0).to_numpy(dtype=np.int64)
    documents_with = summed["documents"].fillna(0).to_numpy(dtype=np.int64)
    group_of = grid.get_level_values("group")
    documents_total = sizes["size"].reindex(group_of).to_numpy(dtype=np.int64)
    running = sizes["sum"].reindex(group_of).to_numpy(dtype=np.float64)
    low, high = wilson_interval(documents_with, documents_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame({
            "group": group_of,
            "pattern": grid.get_level_values("pattern"),
            "matches": matches,
            "rate": np.where(running > 0, 1000.0 * matches / running, np.nan),
            "documents": documents_with,
            "documents_total": documents_total,
            "document_share": documents_with / documents_total,
            "ci_low": low,
            "ci_high": high,
            "dp": np.where(matches > 0, 0.5 * (1.0 + summed["dp_sum"].to_numpy(dtype=np.float64)), np.nan),
            "mean_position": np.where(matches > 0, summed["position"].to_numpy(dtype=np.float64) / matches, np.nan),
        })
    # Rounding leaves -1e-17 where the spread is exactly proportional.
    table["dp"] = table["dp"].clip(lower=0.0)
    if group is None:
        return table.drop(columns="group")
    return table.rename(columns={"group": group})
