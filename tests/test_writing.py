"""write_csv writes exactly what DataFrame.to_csv writes, through Arrow when it can."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.io import writing
from analysis.io.writing import write_csv, write_csv_bytes

_TEXT = st.text(st.sampled_from(list("aäßZ ,;\"'\n\r\t-„“0.e") + ["\u2028", "\ufeff"]), max_size=6)


def _pandas(frame, header=True):
    return frame.to_csv(index=False, header=header, lineterminator="\n")


def _ours(frame, header=True):
    buffer = io.StringIO()
    write_csv(frame, buffer, header=header)
    return buffer.getvalue()


@st.composite
def frames(draw):
    n = draw(st.integers(0, 30))
    columns = {}
    for number in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["int", "float", "bool", "str", "object", "mixed", "date"]))
        name = draw(st.sampled_from([f"c{number}", f"name, {number}", f"„{number}“"]))
        if kind == "int":
            values = pd.Series(draw(st.lists(st.integers(-2**62, 2**62), min_size=n, max_size=n)), dtype=np.int64)
        elif kind == "float":
            values = pd.Series(draw(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
                [1e-5, 1e16, 0.1, -0.0, 123456789012345680.0, 5e-324]), min_size=n, max_size=n)), dtype=np.float64)
        elif kind == "bool":
            values = pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        elif kind == "date":
            days = st.integers(-40_000, 40_000).map(lambda d: np.datetime64(d, "D").astype("datetime64[ns]"))
            timed = st.integers(-10**18, 10**18).map(lambda ns: np.datetime64(ns, "ns"))
            values = pd.Series(draw(st.lists(days | st.just(np.datetime64("NaT", "ns")) | timed, min_size=n,
                                             max_size=n)), dtype="datetime64[ns]")
        elif kind == "str":
            values = pd.Series(draw(st.lists(_TEXT | st.none(), min_size=n, max_size=n)), dtype="str")
        elif kind == "object":
            values = pd.Series(draw(st.lists(_TEXT | st.none(), min_size=n, max_size=n)), dtype=object)
        else:
            values = pd.Series(draw(st.lists(_TEXT | st.integers() | st.floats(), min_size=n, max_size=n)),
                               dtype=object)
        columns[f"{name}#{number}"] = values.reset_index(drop=True)
    return pd.DataFrame(columns)


@settings(max_examples=300, deadline=None)
@given(frames(), st.booleans())
def test_write_csv_writes_what_pandas_writes(frame, header):
    old = writing._FAST_VALUES
    writing._FAST_VALUES = 0  # every frame through the Arrow path (as a large one would go)
    try:
        assert _ours(frame, header) == _pandas(frame, header)
    finally:
        writing._FAST_VALUES = old


def test_a_large_keyness_like_table_goes_through_arrow_and_matches(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    n = 50_000
    frame = pd.DataFrame({
        "term": pd.Series([f"Wort{i}" for i in range(n)], dtype="str"),
        "n_target": rng.integers(0, 1000, n),
        "statistic": rng.normal(size=n) * 10.0 ** rng.integers(-12, 12, n),
        "p": np.where(rng.random(n) < 0.01, np.nan, rng.random(n)),
        "flag": rng.random(n) < 0.5,
        "target": pd.Series(["Allgäuer Bote"] * n, dtype="str"),
        "source": pd.Series([None if i % 7 == 0 else f"Quelle „{i}“" for i in range(n)], dtype="str"),
    })
    called = []
    original = writing._arrow_bytes
    monkeypatch.setattr(writing, "_arrow_bytes", lambda *a: called.append(original(*a)) or called[-1])
    write_csv(frame, tmp_path / "t.csv")
    assert called and called[0] is not None  # written by Arrow
    assert (tmp_path / "t.csv").read_text("utf-8") == _pandas(frame)
    buffer = io.StringIO()  # and to an open text handle
    write_csv(frame, buffer)
    assert buffer.getvalue() == _pandas(frame)
    # Values that need quoting are quoted by Arrow's kernels, with the same result.
    frame.loc[7, "term"] = 'Wort, "zitiert"'
    frame.loc[8, "source"] = "zwei\nZeilen"
    called.clear()
    write_csv(frame, tmp_path / "u.csv")
    assert called and called[0] is not None
    assert (tmp_path / "u.csv").read_text("utf-8") == _pandas(frame)


def test_a_documents_table_with_texts_goes_through_arrow_and_matches(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    pieces = np.array(["Kim", "sagte:", "„Freund“", '"Diktator"', "ja,", "nein\n", "\r", "Größe", " "], dtype=object)
    texts = ["".join(rng.choice(pieces, 30)) for _ in range(5_000)]
    texts[5] = ""
    frame = pd.DataFrame({"doc_id": pd.Series([f"d{i}" for i in range(5_000)], dtype="str"),
                          "outlet": pd.Series(["Bild, Berlin"] * 5_000, dtype="str"),
                          "text": pd.Series(texts, dtype="str"),
                          "raw_text": pd.Series(texts, dtype=object),
                          "year": np.arange(5_000),
                          "date": pd.Series(np.datetime64("2024-06-19") + np.arange(5_000) % 40)
                          .astype("datetime64[ns]")})
    frame.loc[11, "date"] = pd.NaT
    frame.loc[9, "text"] = None
    called = []
    original = writing._arrow_bytes
    monkeypatch.setattr(writing, "_arrow_bytes", lambda *a: called.append(original(*a)) or called[-1])
    write_csv(frame, tmp_path / "d.csv")
    assert called and called[0] is not None
    assert (tmp_path / "d.csv").read_bytes().decode("utf-8") == _pandas(frame)  # "\r" kept
    assert write_csv_bytes(frame.iloc[100:200], header=False) == _pandas(frame.iloc[100:200], False).encode()


@pytest.mark.parametrize("frame", [pd.DataFrame({"a": ["", None]}), pd.DataFrame({"a": [], "b": []}),
                                   pd.DataFrame({"d": pd.to_datetime(["2024-06-19"]), "e": [1]})])
def test_edge_tables(frame):
    assert _ours(frame) == _pandas(frame)


def test_signed_zeros_keep_their_sign():
    old = writing._FAST_VALUES
    writing._FAST_VALUES = 0
    try:
        for values in ([0.0, 0.0, -0.0, -1.0], [-0.0, 0.0, -0.0], [0.0, -0.0]):
            frame = pd.DataFrame({"x": values, "n": range(len(values))})
            assert _ours(frame) == _pandas(frame)
    finally:
        writing._FAST_VALUES = old
