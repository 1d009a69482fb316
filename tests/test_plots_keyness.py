"""Keyness bars and the rate scatter: content, colours and labels that never overlap."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.plots import plot_keyness, plot_rate_scatter
from analysis.plots.style import SHARED_GREY, outlet_colors

COLORS = outlet_colors(["AFP-based", "CNN-based"])


def _table(n=250, seed=1):
    rng = np.random.default_rng(seed)
    terms = [f"Wort{i}" for i in range(n)] + ["Diktator", "Autokrat", "Staatsoberhaupt", "Freund"]
    a = rng.integers(0, 5, len(terms))
    b = rng.integers(0, 5, len(terms))
    a[-4:], b[-4:] = [6, 5, 0, 0], [0, 0, 5, 6]
    keep = (a + b) > 0
    nt, nr = 900.0, 800.0
    stat = np.log2(((a + 0.5) / nt) / ((b + 0.5) / nr))
    return pd.DataFrame(
        {
            "term": np.array(terms)[keep],
            "n_target": a[keep],
            "n_reference": b[keep],
            "statistic": stat[keep],
            "rate_target": a[keep] / nt * 1000,
            "rate_reference": b[keep] / nr * 1000,
            "measure": "logratio",
            "target": "CNN-based",
            "reference": "AFP-based",
        }
    )


def test_keyness_bars_show_both_sides_in_their_colours():
    table = _table()
    fig = plot_keyness(table, top=5, colors=COLORS)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 10
    upper = [b for b in bars if b.get_width() > 0]
    lower = [b for b in bars if b.get_width() < 0]
    assert len(upper) == len(lower) == 5
    to_hex = lambda c: "#{:02X}{:02X}{:02X}".format(*(round(255 * v) for v in c[:3]))  # noqa: E731
    assert {to_hex(b.get_facecolor()) for b in upper} == {COLORS["CNN-based"]}
    assert {to_hex(b.get_facecolor()) for b in lower} == {COLORS["AFP-based"]}
    texts = {t.get_text() for t in ax.texts}
    assert {"Diktator", "Freund"} <= texts
    plt.close(fig)


def test_keyness_bars_refuse_mixed_comparisons():
    table = pd.concat([_table(), _table().assign(target="Other")])
    with pytest.raises(ParameterError, match="several target"):
        plot_keyness(table)


def test_scatter_labels_do_not_overlap_and_shared_terms_are_grey():
    fig = plot_rate_scatter(_table(), label_top=12, colors=COLORS)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) >= 12
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second)
    legend_box = ax.get_legend().get_window_extent(renderer)
    assert not any(box.overlaps(legend_box) for box in boxes)
    grey = ax.collections[0].get_facecolor()[0][:3]
    assert np.allclose(grey, [int(SHARED_GREY[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    labels = {t.get_text() for t in ax.texts}
    assert {"Diktator", "Autokrat", "Staatsoberhaupt", "Freund"} <= labels
    assert ax.get_xscale() == ax.get_yscale() == "log"
    plt.close(fig)
