"""Gold tables of sentiment labels: read, checked and brought into one form.

Used by the validation (:mod:`analysis.sentiment.validate`) and by the training of the
shipped model (:mod:`analysis.sentiment.train`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError

__all__ = ["LABELS", "read_gold"]

#: The three labels, in the order of the confusion matrix.
LABELS: tuple[str, ...] = ("negative", "neutral", "positive")


def read_gold(gold, *, source: str | None = None) -> pd.DataFrame:
    """Check a gold table and bring it into the form ``text, label[, target_from, target_to]``.

    Parameters
    ----------
    gold : pandas.DataFrame, str or Path
        The table, or a CSV file (UTF-8).
    source : str, optional
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``text``, ``label`` (lower-case) and, when given, ``target_from``,
        ``target_to`` (nullable integers); other columns are kept.

    Raises
    ------
    ParameterError
        For a missing column, an unknown label, an empty text or a target span outside the text.

    Examples
    --------
    >>> read_gold(pd.DataFrame({"text": ["Gut."], "polarity": ["Positive"]}))["label"].tolist()
    ['positive']
    """
    where = source
    if isinstance(gold, (str, Path)):
        where = source or str(gold)
        if not Path(gold).is_file():
            raise ParameterError("no such gold file", file=where, hint="give a CSV file with columns text and label")
        try:
            gold = pd.read_csv(gold, encoding="utf-8", dtype={"text": str})
        except (UnicodeDecodeError, pd.errors.ParserError) as error:
            raise ParameterError(
                f"the gold file cannot be read as CSV: {error}", file=where, hint="save it as UTF-8 CSV"
            ) from None
    if not isinstance(gold, pd.DataFrame):
        raise ParameterError(f"gold must be a DataFrame or a CSV path, got {type(gold).__name__}")
    table = gold.copy()
    if "label" not in table.columns and "polarity" in table.columns:
        table = table.rename(columns={"polarity": "label"})
    missing = [c for c in ("text", "label") if c not in table.columns]
    if missing:
        raise ParameterError(
            f"the gold table has no column {', '.join(map(repr, missing))}",
            file=where,
            hint="columns: text, label (positive/negative/neutral), optionally target_from, target_to",
        )
    table["label"] = table["label"].astype(str).str.strip().str.lower()
    for row, (text, label) in enumerate(zip(table["text"], table["label"])):
        if not isinstance(text, str) or not text.strip():
            raise ParameterError("empty text", file=where, row=row, column="text")
        if label not in LABELS:
            raise ParameterError(
                f"unknown label {label!r}",
                file=where,
                row=row,
                column="label",
                hint="labels are positive, negative and neutral",
            )
    if ("target_from" in table.columns) != ("target_to" in table.columns):
        raise ParameterError("give both target_from and target_to, or neither")
    if "target_from" in table.columns:
        for column in ("target_from", "target_to"):
            table[column] = pd.to_numeric(table[column], errors="coerce").astype("Int64")
        lengths = table["text"].str.len()
        bad = table["target_from"].notna() & (
            (table["target_from"] < 0) | (table["target_to"] > lengths) | (table["target_to"] <= table["target_from"])
        )
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy(dtype=bool))[0])
            raise ParameterError(
                "the target span is outside the text or empty",
                file=where,
                row=row,
                hint="target_from and target_to are character offsets, from < to <= len(text)",
            )
    return table.reset_index(drop=True)
