"""JSON for the page: safe inside a ``<script type="application/json">`` element, same bytes
for the same data.

Corpus text may contain ``</script>``, ``<!--`` or ``&``: they are written as ``\\u003c``,
``\\u003e`` and ``\\u0026``, which JSON reads back as the same characters, so no text of an
article can end the element or be read as markup. Floats are written with six significant
digits, keys sorted, so two runs give the same bytes and the page does not carry noise digits.
"""

from __future__ import annotations

import datetime as _dt
import json
import math

import numpy as np
import pandas as pd

__all__ = ["FLOAT_DIGITS", "plain", "script_json", "table_records"]

#: Significant digits of every float in the page.
FLOAT_DIGITS = 6

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
            # Line and paragraph separators are valid JSON but end a line in some parsers.
            0x2028: "\\u2028", 0x2029: "\\u2029"}


def _number(value: float):
    if not math.isfinite(value):
        return None
    rounded = float(f"{value:.{FLOAT_DIGITS}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


def plain(value):
    """``value`` with numpy, pandas and date values turned into JSON types.

    Floats get :data:`FLOAT_DIGITS` significant digits (a whole float becomes an int), NaN,
    infinities, ``NaT`` and ``None`` become ``None``, dates become ``YYYY-MM-DD``.

    Examples
    --------
    >>> plain({"z": np.float64(1.23456789), "n": np.int64(3), "q": float("nan"), "w": 2.0})
    {'z': 1.23457, 'n': 3, 'q': None, 'w': 2}
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _number(float(value))
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str):
        return value
    if pd.isna(value):
        return None
    return str(value)


def script_json(value) -> str:
    """``value`` as compact JSON, keys sorted, with ``<``, ``>``, ``&`` escaped.

    Examples
    --------
    >>> script_json({"text": "</script><b>&"})
    '{"text":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.translate(_ESCAPES)


def table_records(frame: pd.DataFrame, columns=None) -> dict:
    """A table as ``{"columns": [...], "rows": [[...], ...]}`` (smaller than one object per row).

    Examples
    --------
    >>> table_records(pd.DataFrame({"outlet": ["A"], "n": [3]}))
    {'columns': ['outlet', 'n'], 'rows': [['A', 3]]}
    """
    columns = list(frame.columns) if columns is None else list(columns)
    rows = frame[columns].astype(object).to_numpy().tolist() if len(frame) else []
    return {"columns": [str(c) for c in columns], "rows": plain(rows)}
