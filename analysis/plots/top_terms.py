"""Plots of ranked terms per group (TF-IDF and other per-term scores)."""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from ..errors import ParameterError
from .style import WIDTH_TWO_COLUMN, columns_for_labels, house_style, outlet_colors, panel_grid

__all__ = ["plot_top_terms"]


def plot_top_terms(
    table: pd.DataFrame,
    *,
    group: str | None = None,
    value: str = "tfidf",
    top: int = 15,
    colors: dict[str, str] | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    width: float = WIDTH_TWO_COLUMN,
):
    """Horizontal bars of the ``top`` terms of each group, one panel per group, in rows of at most four.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy table with a group column, ``term``, ``rank`` and the ``value`` column, e.g. the
        output of :func:`analysis.stats.tfidf.tfidf`.
    group : str, optional
        Group column; defaults to the table's first column.
    value : str
        Column drawn as bar length.
    top : int
        Terms per panel, best at the top.
    colors : dict, optional
        Outlet → colour; defaults to :func:`analysis.plots.style.outlet_colors` over the table's groups.
    xlabel, title : str, optional
        Axis label (defaults to ``value``) and figure title.
    width : float
        Figure width in inches (two-column journal width by default).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"outlet": ["A", "A", "B"], "term": ["Diktator", "Autokrat", "Freund"],
    ...                       "tfidf": [0.8, 0.5, 0.9], "rank": [1, 2, 1]})
    >>> fig = plot_top_terms(table, top=2)
    >>> len(fig.axes)
    2
    """
    group = group or table.columns[0]
    missing = [c for c in (group, "term", "rank", value) if c not in table.columns]
    if missing:
        raise ParameterError(
            f"the table has no column {', '.join(map(repr, missing))}",
            hint="pass a tidy table such as the output of analysis.stats.tfidf.tfidf",
        )
    if top < 1:
        raise ParameterError(f"top={top} must be at least 1")
    groups = sorted(table[group].astype(str).unique())
    if not groups:
        raise ParameterError("the table is empty: there is nothing to plot")
    colors = colors or outlet_colors(groups)

    height = max(2.0, 0.16 * top + 0.8)
    with house_style():
        # As many columns as the longest term leaves room for (long names need wide panels).
        shown = table.groupby(table[group].astype(str)).head(top)["term"]
        columns = columns_for_labels(shown, width=width)
        fig, axes = panel_grid(len(groups), width=width, row_height=height, max_columns=columns)
        for ax, name in zip(axes, groups):
            rows = table[table[group].astype(str) == name].nsmallest(top, "rank")
            rows = rows.iloc[::-1]  # best term at the top
            ax.barh(range(len(rows)), rows[value], color=colors.get(name, "#333333"), height=0.7)
            ax.set_yticks(range(len(rows)), rows["term"])
            ax.set_title(textwrap.fill(name, 24), color=colors.get(name, "#333333"), fontweight="bold")
            ax.set_xlabel(xlabel or value)
            ax.tick_params(axis="y", length=0)
            upper = float(rows[value].max()) if len(rows) else 1.0
            ax.set_xlim(0, upper * 1.05 if math.isfinite(upper) and upper > 0 else 1.0)
        if title:
            fig.suptitle(title)
        fig.tight_layout()
    return fig
