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


def _many_outlets_table(n_outlets: int, n_terms: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    outlets = [f"Zeitung {i:02d}" for i in range(n_outlets)]
    terms = [f"Begriff{j:03d}" for j in range(n_terms)]
    rows = [(t, float(rng.normal() * 3), o) for o in outlets for t in terms]
    return pd.DataFrame(rows, columns=["term", "statistic", "target"])


def test_keyness_heatmap_rows_choose_each_outlets_top_terms_once():
    from analysis.plots.keyness_heatmap import keyness_heatmap_rows

    table = _many_outlets_table(6)
    rows = keyness_heatmap_rows(table, top=4)
    chosen = rows.drop_duplicates("term")
    assert chosen["term"].is_unique and len(rows) == len(chosen) * 6  # every chosen term × every outlet
    for outlet, part in chosen.groupby("chosen_for"):
        mine = table[table["target"] == outlet].sort_values(["statistic", "term"], ascending=[False, True])
        assert set(part["term"]) <= set(mine["term"].head(4 + 6 * 4))
        # Each chosen term is among the outlet's top four, or was taken by an outlet ranking it higher.
        for term, rank in zip(part["term"], part["rank"]):
            assert mine["term"].tolist().index(term) == rank - 1
    cell = rows[(rows["term"] == chosen["term"].iloc[0]) & (rows["target"] == "Zeitung 03")]["statistic"].iloc[0]
    assert cell == table[(table["term"] == chosen["term"].iloc[0]) & (table["target"] == "Zeitung 03")]["statistic"].iloc[0]


@pytest.mark.parametrize("n_outlets", [3, 12, 20])
def test_keyness_heatmap_reads_for_many_outlets(n_outlets):
    from matplotlib.patches import Rectangle

    from analysis.plots.keyness_heatmap import MAX_ROWS, plot_keyness_heatmap

    fig = plot_keyness_heatmap(_many_outlets_table(n_outlets))
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    terms = [t for t in ax.get_yticklabels() if t.get_text()]
    outlets = [t for t in ax.get_xticklabels() if t.get_text()]
    assert len(outlets) == n_outlets and len(terms) <= MAX_ROWS
    for labels in (terms, outlets):
        boxes = [t.get_window_extent(renderer) for t in labels]
        for i, first in enumerate(boxes):
            for second in boxes[i + 1:]:
                assert not first.overlaps(second)
    assert sum(isinstance(p, Rectangle) and not p.get_fill() for p in ax.patches) == len(terms)  # one frame per row
    plt.close(fig)


@pytest.mark.parametrize("scale", [1e-15, 1e-300, 1.0, 1e6])
def test_keyness_bars_stay_inside_the_figure_whatever_the_scale(scale):
    # Statistics that are numerical noise (1e-15) once put the term names thousands of inches
    # away: the labels' distance from the zero line must not depend on the data's scale.
    table = _table(n=40)
    table["statistic"] = table["statistic"] * scale
    fig = plot_keyness(table, colors=COLORS)
    fig.canvas.draw()
    width, height = fig.get_size_inches()
    box = fig.get_tightbbox()
    plt.close(fig)
    assert box.width <= width + 0.5 and box.height <= height + 0.5
