"""Dates as news exports write them: ISO, German and English day-month forms, with times.

``parse_date`` reads one value; ``parse_date_column`` a whole column with a ledger note per
value it does not understand.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pandas as pd

from analysis.io.records import cell_to_str

__all__ = ["parse_date", "parse_date_column"]

_DE_MONTHS = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6,
    "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
}
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7,
    "october": 10, "oct": 10, "december": 12, "dec": 12,
}
_MONTHS = {**_DE_MONTHS, **_EN_MONTHS}
_WEEKDAY = re.compile(
    r"^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mo|di|mi|do|fr|sa|so|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+"
)
_TIME = re.compile(r"(?:\s*,\s*|\s+)(?:um\s+|at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*uhr)?$")
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:z|utc|[+-]\d{2}(?::?\d{2})?)?$"
)
_DMY_NUMERIC = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4}|\d{2})$")
_DMY_NAMED = re.compile(r"^(\d{1,2})\.?\s*([a-zäöü]+)\.?,?\s+(\d{4})$")
_MDY_NAMED = re.compile(r"^([a-zäöü]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\.?,?\s+(\d{4})$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


def parse_date(value) -> _dt.datetime | None:
    """Parse a date as news sites and spreadsheets write it.

    Understood: ISO dates and date-times (``2024-11-08``, ``2024-11-08T12:15:00+01:00`` —
    an offset is dropped, the local time kept), ``08.11.2024`` and ``8.11.24`` (day first,
    two-digit years are 20xx), ``8. November 2024``, ``8. Nov. 2024``, ``8 November 2024``,
    ``November 8, 2024``, ``Nov 8th, 2024``, ``2024/11/08``, each optionally with a leading
    weekday (``Freitag, 8. November 2024``) and a trailing time (``, 12:15 Uhr``). German and
    English month names and their abbreviations. ``11/08/2024`` is ambiguous and not read.

    Parameters
    ----------
    value : str
        The date as written.

    Returns
    -------
    datetime.datetime or None
        None when empty or not understood, or outside the range datetime64[ns] can hold
        (1678–2261).

    Examples
    --------
    >>> parse_date("8. November 2024")
    datetime.datetime(2024, 11, 8, 0, 0)
    >>> parse_date("November 8, 2024")
    datetime.datetime(2024, 11, 8, 0, 0)
    >>> parse_date("Freitag, 08.11.2024, 12:15 Uhr")
    datetime.datetime(2024, 11, 8, 12, 15)
    >>> parse_date("32.13.2024") is None
    True
    """
    if value is None:
        return None
    text = " ".join(str(value).split()).lower()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        y, m, d, hh, mm, ss = (int(g) if g else 0 for g in match.groups())
        return _make_date(y, m, d, hh, mm, ss)
    text = _WEEKDAY.sub("", text)
    hh = mm = ss = 0
    match = _TIME.search(text)
    if match:
        hh, mm = int(match.group(1)), int(match.group(2))
        ss = int(match.group(3) or 0)
        text = text[: match.start()].strip()
    if match := _DMY_NUMERIC.match(text):
        d, m, y = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            y += 2000
        return _make_date(y, m, d, hh, mm, ss)
    if match := _DMY_NAMED.match(text):
        month = _MONTHS.get(match.group(2))
        if month is None:
            return None
        return _make_date(int(match.group(3)), month, int(match.group(1)), hh, mm, ss)
    if match := _MDY_NAMED.match(text):
        month = _MONTHS.get(match.group(1))
        if month is None:
            return None
        return _make_date(int(match.group(3)), month, int(match.group(2)), hh, mm, ss)
    if match := _YMD_SLASH.match(text):
        y, m, d = (int(g) for g in match.groups())
        return _make_date(y, m, d, hh, mm, ss)
    return None


def _make_date(y, m, d, hh=0, mm=0, ss=0) -> _dt.datetime | None:
    if not 1678 <= y <= 2261:
        return None
    try:
        return _dt.datetime(y, m, d, hh, mm, ss)
    except ValueError:
        return None


def parse_date_column(values) -> tuple[np.ndarray, list[str]]:
    """Parse a column of dates; return datetime64[ns] values and a note per value ("" if none)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    n = len(series)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_localize(None)
        return series.astype("datetime64[ns]").to_numpy(), [""] * n
    texts = [cell_to_str(v).strip() for v in series.tolist()]
    parsed: dict[str, np.datetime64] = {}
    nat = np.datetime64("NaT", "ns")
    for text in set(texts):
        value = parse_date(text) if text else None
        parsed[text] = nat if value is None else np.datetime64(value, "ns")
    dates = np.array([parsed[t] for t in texts], dtype="datetime64[ns]")
    notes = [
        f"date {t!r} not understood, set to NaT (write dates as YYYY-MM-DD)" if t and np.isnat(parsed[t]) else ""
        for t in texts
    ]
    return dates, notes
