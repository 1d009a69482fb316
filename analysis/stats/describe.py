"""Descriptive tables of a corpus: how much text each group contributes."""

from __future__ import annotations

import pandas as pd

from .counts import RUNNING_WORD_KINDS
from ..errors import ParameterError

__all__ = ["describe_corpus"]


def describe_corpus(documents: pd.DataFrame, tokens: pd.DataFrame, *, group: str = "outlet") -> pd.DataFrame:
    """Documents, sentences, tokens, running words and word types per group.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``group``.
    tokens : pandas.DataFrame
        Tokens table of the same documents (``doc_id``, ``sentence_id``, ``token``, ``kind``).
    group : str
        Documents column to group by.

    Returns
    -------
    pandas.DataFrame
        Columns ``<group>, documents, sentences, tokens, running_words, types``: ``tokens``
        counts every token including punctuation; ``running_words`` only words and numbers
        (the totals used by every statistic); ``types`` distinct lower-cased words. Groups
        without tokens appear with zeros.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "a"], "sentence_id": [0, 0, 0],
    ...                        "token": ["Kim", "lacht", "."], "kind": ["word", "word", "punct"]})
    >>> describe_corpus(docs, tokens)
      outlet  documents  sentences  tokens  running_words  types
    0      X          1          1       3              2      2
    1      Y          1          0       0              0      0
    """
    for table, name, columns in (
        (documents, "documents", ("doc_id", group)),
        (tokens, "tokens", ("doc_id", "sentence_id", "token", "kind")),
    ):
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise ParameterError(f"the {name} table has no column {', '.join(map(repr, missing))}")
    groups = documents[["doc_id", group]].astype({"doc_id": str})
    merged = tokens.assign(doc_id=tokens["doc_id"].astype(str)).merge(groups, on="doc_id", how="left")
    running = merged["kind"].astype(str).isin(RUNNING_WORD_KINDS)
    words = merged["kind"].astype(str) == "word"
    per_group = pd.DataFrame(
        {
            "sentences": merged.groupby(group)[["doc_id", "sentence_id"]].apply(
                lambda g: len(g.drop_duplicates())
            ),
            "tokens": merged.groupby(group).size(),
            "running_words": running.groupby(merged[group]).sum(),
            "types": merged["token"].str.lower().where(words).groupby(merged[group]).nunique(),
        }
    )
    result = groups.groupby(group).size().rename("documents").to_frame().join(per_group)
    result = result.fillna(0).astype("int64").reset_index()
    return result[[group, "documents", "sentences", "tokens", "running_words", "types"]]
