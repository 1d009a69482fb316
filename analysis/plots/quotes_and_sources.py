"""Figures of quotations and sources: kinds of quotation per outlet, and sources per outlet.

Outlets keep their house colours (:func:`analysis.plots.style.outlet_colors`); what differs within an
outlet (the kind of quotation, the place a source is named) is shown by fill and hatching as
well as shade, so the figures stay readable in grey scale and for colour-blind readers.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..errors import ParameterError
from .style import SHARED_GREY, WIDTH_ONE_COLUMN, WIDTH_TWO_COLUMN, house_style, legend_below, outlet_colors

__all__ = ["KIND_STYLES", "plot_quote_kinds", "plot_sources"]

#: Fill and hatching of each kind of quotation: ``(share of the outlet colour, hatch)``; a
#: share of 0 leaves the bar white with an outline in the outlet colour.
KIND_STYLES: dict[str, tuple[float, str]] = {
    "attributed": (1.0, ""),
    "distancing": (0.45, "////"),
    "unclear": (0.0, "...."),
    "title": (0.2, "xx"),
}
_KIND_ORDER = ("attributed", "distancing", "title", "unclear")
_VALUE_LABELS = {
    "count": "Quotations",
    "share": "Share of the outlet's quotations",
    "per_1000_words": "Quotations per 1,000 running words",
}
# Place a source is named → (share of the outlet colour, hatch).
_CONTEXT_STYLES = {"text": (1.0, ""), "credit_line": (0.45, "xxx"), "photo_credit": (0.3, "////")}
_CONTEXT_LABELS = {"text": "named in the text", "credit_line": "credit line", "photo_credit": "photo credit"}


def _shade(color: str, share: float) -> tuple[float, float, float]:
    """``color`` mixed with white: ``share`` 1 is the colour itself, 0 is white."""
    r, g, b = to_rgb(color)
    return (1 - share + share * r, 1 - share + share * g, 1 - share + share * b)


def _require(table, columns, what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"the summary must be a pandas DataFrame, got {type(table).__name__}", hint=f"pass {what}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(f"the summary has no column {', '.join(map(repr, missing))}", hint=f"pass {what}")


def plot_quote_kinds(
    summary: pd.DataFrame,
    *,
    colors: dict[str, str] | None = None,
    value: str = "count",
    width: float = WIDTH_ONE_COLUMN * 1.3,
):
    """Grouped horizontal bars: attributed, distancing, title and unclear quotations per outlet.

    Each outlet has one block of bars in its colour, one per kind: attributed quotations solid,
    distancing quotations light and hatched ``////``, names and titles („Hart aber fair“)
    pale and cross-hatched, unclear ones white with a dotted hatch.
    The value is written at the end of each bar.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`analysis.framing.quotes.quotation_summary`: the group column first, then
        ``kind`` and the ``value`` column.
    colors : dict, optional
        Outlet → colour; :func:`analysis.plots.style.outlet_colors` of the summary's outlets by default.
    value : {"count", "share", "per_1000_words"}
        What the bars show.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        If the summary lacks a column or is empty.

    Examples
    --------
    >>> summary = pd.DataFrame({"outlet": ["A"] * 3 + ["B"] * 3,
    ...     "kind": ["attributed", "distancing", "unclear"] * 2, "count": [3, 9, 1, 3, 1, 0]})
    >>> fig = plot_quote_kinds(summary)
    >>> len(fig.axes[0].patches)
    6
    >>> plt.close(fig)
    """
    _require(summary, ("kind", value), "the output of analysis.framing.quotes.quotation_summary")
    group = summary.columns[0]
    if group in ("kind", value):
        raise ParameterError("the first column of the summary must be the group (e.g. outlet)")
    outlets = sorted(summary[group].astype(str).unique())
    if not outlets:
        raise ParameterError("the summary is empty: there is nothing to plot")
    colors = colors or outlet_colors(outlets)
    kinds = [k for k in _KIND_ORDER if k in set(summary["kind"].astype(str))]
    kinds += sorted(set(summary["kind"].astype(str)) - set(kinds))
    keyed = summary.assign(_g=summary[group].astype(str), _k=summary["kind"].astype(str))
    values = keyed.groupby(["_g", "_k"])[value].sum()

    bar = 0.8 / max(len(kinds), 1)
    height = max(1.8, 0.28 * len(outlets) * len(kinds) + 0.9)
    upper = float(values.max()) if len(values) else 0.0
    upper = upper if np.isfinite(upper) and upper > 0 else 1.0
    with house_style():
        fig, ax = plt.subplots(figsize=(width, height))
        for g, outlet in enumerate(outlets):
            color = colors.get(outlet, SHARED_GREY)
            centre = len(outlets) - 1 - g
            for k, kind in enumerate(kinds):
                share, hatch = KIND_STYLES.get(kind, (0.2, "xx"))
                y = centre + 0.4 - bar * (k + 0.5)
                number = float(values.get((outlet, kind), 0.0))
                ax.barh(y, number, height=bar * 0.9, color=_shade(color, share), edgecolor=color,
                        hatch=hatch, linewidth=0.8, label=None)
                text = f"{number:.0f}" if value == "count" else f"{number:.2g}"
                ax.text(number + upper * 0.02, y, text, va="center", ha="left", fontsize=6.5)
        ax.set_yticks(range(len(outlets)), outlets[::-1])
        for label in ax.get_yticklabels():
            label.set_color(colors.get(label.get_text(), "#333333"))
            label.set_fontweight("bold")
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, upper * 1.18)
        if value == "count":
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(_VALUE_LABELS.get(value, value))
        handles = [
            Patch(facecolor=_shade(SHARED_GREY, KIND_STYLES.get(k, (0.2, "xx"))[0]), edgecolor="#555555",
                  hatch=KIND_STYLES.get(k, (0.2, "xx"))[1], label=k)
            for k in kinds
        ]
        ax.set_title("Quotations by kind")
        # The legend sits below the axes, so it never covers a bar.
        fig.tight_layout(rect=(0, legend_below(fig, handles), 1, 1))
    return fig


def plot_sources(
    summary: pd.DataFrame,
    *,
    colors: dict[str, str] | None = None,
    width: float = WIDTH_TWO_COLUMN,
):
    """Sources per outlet, photo credits in a panel of their own.

    Left panel: how often each source is named in the text (solid) or in a credit line
    (light, cross-hatched, stacked on the text mentions). Right panel: photo credits (light,
    hatched ``////``), counted apart because they say who supplied a picture, not who is relied
    on. Within each source there is one bar per outlet, in the outlet's colour; sources are
    sorted by their total count.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`analysis.framing.sources.source_summary`: the group column first, then
        ``source``, ``context`` and ``count``.
    colors : dict, optional
        Outlet → colour; :func:`analysis.plots.style.outlet_colors` of the summary's outlets by default.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: text and credit lines, photo credits.

    Raises
    ------
    ParameterError
        If the summary lacks a column or is empty.

    Examples
    --------
    >>> summary = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "source": ["AFP", "TASS", "KCNA", "Reuters"],
    ...     "context": ["credit_line", "text", "text", "photo_credit"], "count": [1, 1, 2, 2]})
    >>> fig = plot_sources(summary)
    >>> [ax.get_title() for ax in fig.axes]
    ['Named in the text or a credit line', 'Photo credits (counted apart)']
    >>> plt.close(fig)
    """
    _require(summary, ("source", "context", "count"), "the output of analysis.framing.sources.source_summary")
    group = summary.columns[0]
    if group in ("source", "context", "count"):
        raise ParameterError("the first column of the summary must be the group (e.g. outlet)")
    outlets = sorted(summary[group].astype(str).unique())
    if not outlets:
        raise ParameterError("the summary is empty: there is nothing to plot")
    colors = colors or outlet_colors(outlets)
    table = summary.assign(_g=summary[group].astype(str), _s=summary["source"].astype(str),
                           _c=summary["context"].astype(str))
    counts = table.groupby(["_s", "_g", "_c"])["count"].sum()
    totals = table.groupby("_s")["count"].sum()
    sources = sorted((s for s in totals.index if totals[s] > 0), key=lambda s: (-totals[s], s))
    if not sources:
        sources = sorted(totals.index)

    bar = 0.8 / len(outlets)
    height = max(2.0, 0.22 * len(sources) * len(outlets) + 1.0)

    def get(source, outlet, context):
        return float(counts.get((source, outlet, context), 0))

    with house_style():
        fig, (left, right) = plt.subplots(1, 2, figsize=(width, height), sharey=True,
                                          gridspec_kw={"width_ratios": [3, 2]})
        for s, source in enumerate(sources):
            centre = len(sources) - 1 - s
            for o, outlet in enumerate(outlets):
                color = colors.get(outlet, SHARED_GREY)
                y = centre + 0.4 - bar * (o + 0.5)
                named = get(source, outlet, "text")
                credit = get(source, outlet, "credit_line")
                photo = get(source, outlet, "photo_credit")
                for ax, start, number, context in (
                    (left, 0.0, named, "text"),
                    (left, named, credit, "credit_line"),
                    (right, 0.0, photo, "photo_credit"),
                ):
                    if number > 0:
                        share, hatch = _CONTEXT_STYLES[context]
                        ax.barh(y, number, left=start, height=bar * 0.9, color=_shade(color, share),
                                edgecolor=color, hatch=hatch, linewidth=0.8)
        left.set_yticks(range(len(sources)), sources[::-1])
        left.tick_params(axis="y", length=0)
        right.tick_params(axis="y", length=0)
        for ax, title in ((left, "Named in the text or a credit line"), (right, "Photo credits (counted apart)")):
            ax.set_title(title)
            ax.set_xlabel("Mentions")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlim(left=0)
            ax.set_ylim(-0.6, len(sources) - 0.4)
        if not any(get(s, o, "photo_credit") for s in sources for o in outlets):
            right.text(0.5, 0.5, "no photo credits", transform=right.transAxes, ha="center", va="center",
                       color=SHARED_GREY)
            right.set_xlim(0, 1)
        handles = [Patch(facecolor=colors.get(o, SHARED_GREY), label=o) for o in outlets] + [
            Patch(facecolor=_shade(SHARED_GREY, share), edgecolor="#555555", hatch=hatch, label=_CONTEXT_LABELS[c])
            for c, (share, hatch) in _CONTEXT_STYLES.items()
        ]
        fig.tight_layout(rect=(0, legend_below(fig, handles), 1, 1))
    return fig
