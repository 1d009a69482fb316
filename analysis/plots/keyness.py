"""Keyness figures: bars for the most distinctive terms, and a term-rate scatter of two groups."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..errors import ParameterError
from .style import SHARED_GREY, WIDTH_ONE_COLUMN, WIDTH_TWO_COLUMN, house_style, log_axes
from .label_placement import place_labels

__all__ = ["plot_keyness", "plot_rate_scatter", "MEASURE_LABELS"]

#: Axis labels for each keyness measure.
MEASURE_LABELS = {
    "logodds": "log-odds z-score (informative Dirichlet prior)",
    "chi2": "signed χ²",
    "g2": "signed G² (log-likelihood)",
    "logratio": "log ratio (log₂ of relative frequencies)",
}


def _require(table: pd.DataFrame, columns) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(
            f"the table has no column {', '.join(map(repr, missing))}",
            hint="pass the output of analysis.stats.keyness.keyness",
        )


def _single(table: pd.DataFrame, column: str) -> str:
    values = table[column].astype(str).unique()
    if len(values) != 1:
        raise ParameterError(
            f"the table mixes several {column} values ({', '.join(values[:4])})",
            hint=f"select one comparison first, e.g. table[table['{column}'] == '{values[0]}']",
        )
    return values[0]


def keyness_bar_rows(table: pd.DataFrame, *, top: int = 15) -> pd.DataFrame:
    """The rows :func:`plot_keyness` draws, top to bottom: the ``top`` terms with the highest
    positive statistic, then the ``top`` with the most negative one (ties by term).

    Examples
    --------
    >>> table = pd.DataFrame({"term": list("abcde"), "statistic": [3.0, -1.0, 2.0, -4.0, 0.0]})
    >>> keyness_bar_rows(table, top=1)["term"].tolist()
    ['a', 'd']
    """
    ordered = table.sort_values(["statistic", "term"], ascending=[False, True])
    upper = ordered[ordered["statistic"] > 0].head(top)
    lower = ordered[ordered["statistic"] < 0].tail(top)
    return pd.concat([upper, lower])


def plot_keyness(
    table: pd.DataFrame,
    *,
    top: int = 15,
    colors: dict[str, str] | None = None,
    width: float = WIDTH_ONE_COLUMN * 1.25,
):
    """Bars of the ``top`` terms most typical of the target (upper block) and of the reference (lower block).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`analysis.stats.keyness.keyness` for one target/reference pair (columns
        ``term, statistic, measure, target, reference``).
    top : int
        Terms shown on each side.
    colors : dict, optional
        Group → colour; a reference that is not a single group (``rest``, a set, a background) is grey.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _require(table, ("term", "statistic", "measure", "target", "reference"))
    if top < 1:
        raise ParameterError(f"top={top} must be at least 1")
    target, reference, measure = (_single(table, c) for c in ("target", "reference", "measure"))
    colors = colors or {}
    rows = keyness_bar_rows(table, top=top)
    upper, lower = rows[rows["statistic"] > 0], rows[rows["statistic"] < 0]
    bar_colors = [colors.get(target, "#0072B2")] * len(upper) + [colors.get(reference, SHARED_GREY)] * len(lower)

    height = max(2.2, 0.14 * len(rows) + 0.9)
    with house_style():
        fig, ax = plt.subplots(figsize=(width, height))
        positions = np.arange(len(rows))[::-1]
        ax.barh(positions, rows["statistic"], color=bar_colors, height=0.75)
        ax.axvline(0, color="black", lw=0.6)
        for pos, (term, value) in zip(positions, zip(rows["term"], rows["statistic"])):
            # Term names sit beside the zero line, on the side opposite the bar, a fixed
            # distance in points from it: a distance in data units breaks down when every
            # statistic is tiny (a bounding box thousands of inches wide at 1e-15).
            ax.annotate(term, xy=(0, pos), xytext=(-2.0 * np.sign(value), 0), textcoords="offset points",
                        ha="right" if value > 0 else "left", va="center", fontsize=6.5)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlabel(MEASURE_LABELS.get(measure, measure))
        ax.set_title(f"{target} (top) vs. {reference} (bottom)")
        limit = float(np.abs(rows["statistic"]).max()) if len(rows) else 1.0
        ax.set_xlim(-limit * 1.6, limit * 1.6)
        fig.tight_layout()
    return fig


#: Above this many grey points the cloud is rasterized in vector formats.
_RASTER_POINTS = 5_000


def plot_rate_scatter(
    table: pd.DataFrame,
    *,
    label_top: int = 12,
    colors: dict[str, str] | None = None,
    width: float = WIDTH_TWO_COLUMN * 0.62,
):
    """Rates of every term in the target (x) and reference (y) on log axes.

    Terms on the diagonal are used alike. The ``label_top`` terms most typical of each side
    (by the table's statistic) are coloured with their group's colour and labelled without
    overlaps; all other terms are grey. Terms a group never uses are drawn at half a count, on
    a dashed line, because a log axis has no zero.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`analysis.stats.keyness.keyness` for one pair (``term, n_target,
        n_reference, rate_target, rate_reference, statistic, target, reference``).
    label_top : int
        Distinctive terms labelled on each side.
    colors : dict, optional
        Group → colour.
    width : float
        Figure width in inches (square figure).

    Returns
    -------
    matplotlib.figure.Figure
    """
    _require(table, ("term", "n_target", "n_reference", "rate_target", "rate_reference", "statistic"))
    target, reference = _single(table, "target"), _single(table, "reference")
    colors = colors or {}
    data = table.reset_index(drop=True)
    # Per-1,000 rate of half a count: where zero counts are drawn.
    scale_t = _per_count(data["rate_target"], data["n_target"])
    scale_r = _per_count(data["rate_reference"], data["n_reference"])
    x = np.where(data["n_target"] > 0, data["rate_target"], 0.5 * scale_t)
    y = np.where(data["n_reference"] > 0, data["rate_reference"], 0.5 * scale_r)

    ranked = data.sort_values(["statistic", "term"], ascending=[False, True])
    top_target = ranked[ranked["statistic"] > 0].head(label_top).index
    top_reference = ranked[ranked["statistic"] < 0].iloc[::-1].head(label_top).index
    color_target = colors.get(target, "#0072B2")
    color_reference = colors.get(reference, "#000000")  # "rest" or a background: black

    with house_style():
        fig, ax = plt.subplots(figsize=(width, width))
        shared = ~data.index.isin(top_target.union(top_reference))
        # The grey cloud (every term of a large corpus: hundreds of thousands of points) is
        # embedded as an image in SVG and PDF, which keeps those files small and quick to open;
        # the labelled points and all text stay vectors.
        ax.scatter(x[shared], y[shared], s=6, color=SHARED_GREY, alpha=0.5, lw=0, label="used alike",
                   rasterized=bool(shared.sum() > _RASTER_POINTS))
        ax.scatter(x[top_target], y[top_target], s=10, color=color_target, lw=0, label=f"typical of {target}")
        ax.scatter(x[top_reference], y[top_reference], s=10, color=color_reference, lw=0,
                   label=f"typical of {reference}")
        log_axes(ax)
        low = 0.25 * min(scale_t, scale_r)
        high = 2.0 * max(float(np.max(x)), float(np.max(y)))
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
        ax.plot([low, high], [low, high], color="black", lw=0.5, ls=":")
        ax.axvline(0.5 * scale_t, color=SHARED_GREY, lw=0.5, ls="--")
        ax.axhline(0.5 * scale_r, color=SHARED_GREY, lw=0.5, ls="--")
        ax.set_xlabel(f"{target}: per 1,000 running words")
        ax.set_ylabel(f"{reference}: per 1,000 running words")
        ax.set_aspect("equal")
        ax.legend(loc="upper left", frameon=False, markerscale=1.5)
        fig.tight_layout()
        # Alternate between the sides so that neither side's labels crowd out the other's.
        sides = (list(top_target), list(top_reference))
        order = [side[i] for i in range(max(map(len, sides))) for side in sides if i < len(side)]
        place_labels(
            ax,
            x[order],
            y[order],
            data.loc[order, "term"].tolist(),
            color=[color_target if i in top_target else color_reference for i in order],
        )
    return fig


def _per_count(rates: pd.Series, counts: pd.Series) -> float:
    """Rate per 1,000 words that one occurrence represents in this group."""
    used = counts > 0
    if used.any():
        return float((rates[used] / counts[used]).iloc[0])
    return 1.0
