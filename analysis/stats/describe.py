"""Descriptive tables of a corpus: how much text each group contributes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .counts import RUNNING_WORD_KINDS
from ..errors import ParameterError

__all__ = ["describe_corpus"]


def _describe_store(groups: pd.DataFrame, store, group: str) -> pd.DataFrame:
    """The same table from the token store's arrays: no token table is built."""
    from ..store.vocabulary import KINDS

    names = groups.drop_duplicates("doc_id").set_index("doc_id")[group]
    labels, codes = np.unique(names.reindex(store.doc_ids.astype(str)).astype(str).to_numpy(), return_inverse=True)
    token_group = codes[store.doc_index]
    n = len(labels)
    doc = store.doc_index
    first = np.ones(store.n_tokens, dtype=bool)
    first[1:] = (doc[1:] != doc[:-1]) | (store.sentence_ids[1:] != store.sentence_ids[:-1])
    kinds = store.token_attribute("kind")
    running_codes = [KINDS.index(k) for k in RUNNING_WORD_KINDS if k in KINDS]
    running = np.isin(kinds, running_codes)
    words = kinds == KINDS.index("word")
    lower_ids = pd.factorize(store.vocabulary["lower"])[0][store.type_ids]
    pairs = np.unique(token_group[words].astype(np.int64) * (lower_ids.max() + 1 if len(lower_ids) else 1)
                      + lower_ids[words])
    types = np.bincount(pairs // (lower_ids.max() + 1 if len(lower_ids) else 1), minlength=n)
    per_group = pd.DataFrame({
        "sentences": np.bincount(token_group[first], minlength=n),
        "tokens": np.bincount(token_group, minlength=n),
        "running_words": np.bincount(token_group[running], minlength=n),
        "types": types,
    }, index=pd.Index(labels, name=group))
    return per_group


def describe_corpus(documents: pd.DataFrame, tokens, *, group: str = "outlet") -> pd.DataFrame:
    """Documents, sentences, tokens, running words and word types per group.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``group``.
    tokens : pandas.DataFrame or analysis.store.TokenStore
        Tokens table of the same documents (``doc_id``, ``sentence_id``, ``token``, ``kind``),
        or their token store (``prepared.store``: the same table from its arrays, for corpora
        of any size).
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
    from ..store import TokenStore

    if isinstance(tokens, TokenStore):
        if group not in documents.columns or "doc_id" not in documents.columns:
            raise ParameterError(f"the documents table needs the columns 'doc_id' and {group!r}")
        groups = documents[["doc_id", group]].astype({"doc_id": str, group: str})
        result = groups.groupby(group).size().rename("documents").to_frame().join(
            _describe_store(groups, tokens, group))
        result = result.fillna(0).astype("int64").reset_index()
        return result[[group, "documents", "sentences", "tokens", "running_words", "types"]]
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
