"""Checks shared by every step that takes a tokens table."""

from __future__ import annotations

from collections.abc import Sequence

from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import ParameterError

__all__ = ["check_documents", "check_tokens", "order_tokens"]

_HINT = "make it with analysis.text.tokenize(documents)"


def check_tokens(tokens, needed: Iterable[str] = ()) -> None:
    """Raise a :class:`ParameterError` unless ``tokens`` is a DataFrame with the ``needed`` columns.

    Examples
    --------
    >>> check_tokens(pd.DataFrame({"doc_id": ["a"], "token": ["Kim"]}), ["doc_id", "token"])
    >>> check_tokens(pd.DataFrame({"doc_id": ["a"]}), ["doc_id", "start"])
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: the tokens table has no column 'start' — make it with analysis.text.tokenize(documents)
    """
    if not isinstance(tokens, pd.DataFrame):
        raise ParameterError(f"tokens must be a pandas DataFrame, got {type(tokens).__name__}", hint=_HINT)
    missing = [c for c in needed if c not in tokens.columns]
    if missing:
        raise ParameterError(f"the tokens table has no column {', '.join(map(repr, missing))}", hint=_HINT)


def order_tokens(tokens: pd.DataFrame, doc_ids: pd.Index, needed: Iterable[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Tokens sorted by document order (``doc_ids``) then offset, with each token's document position.

    Checks the table first (:func:`check_tokens`) and that every token belongs to one of ``doc_ids``.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["b", "a", "a"], "start": [0, 4, 0], "token": ["Kim", "lacht", "Putin"]})
    >>> ordered, position = order_tokens(tokens, pd.Index(["a", "b"]), ["doc_id", "start"])
    >>> ordered["token"].tolist(), position.tolist()
    (['Putin', 'lacht', 'Kim'], [0, 0, 1])
    """
    check_tokens(tokens, needed)
    doc_pos = doc_ids.get_indexer(tokens["doc_id"].astype(str))
    if (doc_pos < 0).any():
        unknown = pd.unique(tokens["doc_id"].astype(str)[doc_pos < 0])[:5]
        raise ParameterError(
            f"tokens refer to doc_ids not in the documents table: {', '.join(unknown)}",
            hint="tokenize the same documents table you pass here",
        )
    order = np.lexsort((tokens["start"].to_numpy(dtype=np.int64), doc_pos))
    if not (np.diff(order) > 0).all():
        tokens = tokens.iloc[order]
        doc_pos = doc_pos[order]
    return tokens.reset_index(drop=True), doc_pos


def check_documents(documents, *columns: str, text_column: str = "text", unique: bool = True) -> tuple[pd.Index, list]:
    """Check a documents table; return its doc_ids (as str) and texts.

    Raises a :class:`ParameterError` naming the problem unless ``documents`` is a DataFrame with
    ``doc_id``, ``text_column`` and ``columns``, every text is a str (the row is named) and, with
    ``unique``, the doc_ids are unique.

    Examples
    --------
    >>> ids, texts = check_documents(pd.DataFrame({"doc_id": [1], "text": ["Kim lacht."]}))
    >>> list(ids), list(texts)
    (['1'], ['Kim lacht.'])
    """
    if not isinstance(documents, pd.DataFrame):
        raise ParameterError(
            f"documents must be a pandas DataFrame, got {type(documents).__name__}",
            hint="load it with analysis.io.corpus.load_corpus",
        )
    if not isinstance(text_column, str):
        raise ParameterError(f"text_column must be a str, got {type(text_column).__name__}")
    for column in ("doc_id", text_column, *columns):
        if column not in documents.columns:
            raise ParameterError(
                f"the documents table has no column {column!r}",
                hint="available columns: " + ", ".join(map(str, documents.columns)),
            )
    doc_ids = pd.Index(documents["doc_id"].astype(str))
    if unique and doc_ids.has_duplicates:
        raise ParameterError("the documents table has duplicate doc_ids", hint="load it with analysis.io.corpus.load_corpus")
    column = documents[text_column]
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        # UTF-8 in an Arrow buffer: check for missing texts only, hand out one str at a time.
        missing = np.flatnonzero(column.isna().to_numpy())
        if len(missing):
            raise ParameterError("text must be a str, got a missing value", row=int(missing[0]), column=text_column,
                                 hint="drop or fill documents without text")
        return doc_ids, TextColumn(column)
    texts = column.tolist()
    for row, text in enumerate(texts):
        if not isinstance(text, str):
            raise ParameterError(
                f"text must be a str, got {type(text).__name__}", row=row, column=text_column,
                hint="drop or fill documents without text",
            )
    return doc_ids, texts


class TextColumn(Sequence):
    """The texts of an Arrow-backed documents column as a sequence of str, made on access.

    A corpus of tens of thousands of articles holds its texts once, as UTF-8 in Arrow
    buffers; a list of Python strings would hold them a second time (at two bytes per
    character as soon as a text has an umlaut). Iterating converts a batch at a time.

    Examples
    --------
    >>> texts = TextColumn(pd.Series(["Kim lacht.", "Putin auch."], dtype="string[pyarrow]"))
    >>> len(texts), texts[1], list(texts)
    (2, 'Putin auch.', ['Kim lacht.', 'Putin auch.'])
    """

    _BATCH = 256

    def __init__(self, column: pd.Series):
        self._array = column.array

    def __len__(self) -> int:
        return len(self._array)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._array[index].tolist()
        return str(self._array[int(index)])

    def __iter__(self):
        for start in range(0, len(self._array), self._BATCH):
            yield from self._array[start:start + self._BATCH].tolist()


def sentence_segments(doc_pos: np.ndarray, sentence_id: np.ndarray) -> np.ndarray:
    """Consecutive sentence numbers over a tokens table sorted by document then offset.

    Examples
    --------
    >>> sentence_segments(np.array([0, 0, 0, 1]), np.array([0, 0, 1, 0])).tolist()
    [0, 0, 1, 2]
    """
    if len(doc_pos) == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(len(doc_pos), dtype=bool)
    new[1:] = (doc_pos[1:] != doc_pos[:-1]) | (sentence_id[1:] != sentence_id[:-1])
    # int32 while it fits: one number per token of a large corpus.
    return np.cumsum(new, dtype=np.int32 if len(new) < 2**31 else np.int64) - 1
