"""Heatmap of frame-category rates per outlet (or any other group)."""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize

from ..errors import ParameterError
from .style import WIDTH_ONE_COLUMN, WIDTH_TWO_COLUMN, house_style

__all__ = ["plot_frame_heatmap"]

#: Colour-bar labels for the usual value columns of :func:`analysis.framing.frames.frame_rates`.
VALUE_LABELS = {
    "rate": "matches per 1,000 running words",
    "n": "matches",
}


#: Most groups drawn as columns; more groups are drawn as rows.
MAX_GROUP_COLUMNS = 6


def _label(text: str, width: int | None = None) -> str:
    """A category or group name for display: underscores as spaces, wrapped at ``width`` characters."""
    text = str(text).replace("_", " ")
    return textwrap.fill(text, width) if width else text


def plot_frame_heatmap(
    rates: pd.DataFrame,
    *,
    group: str = "outlet",
    value: str = "rate",
    cmap: str = "cividis",
    title: str | None = None,
    value_label: str | None = None,
    width: float | None = None,
):
    """Categories × groups heatmap of frame rates, each cell annotated with its value and count.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`analysis.framing.frames.frame_rates`: columns ``<group>, category, value``
        and, for the count in each cell, ``n``. Categories keep their order of appearance,
        groups are sorted.
    group : str, default "outlet"
        Column whose values become the heatmap's columns.
    value : str, default "rate"
        Column mapped to colour.
    cmap : str, default "cividis"
        A sequential colormap; cividis is readable with colour-vision deficiencies and in
        grey scale.
    title : str, optional
        Figure title.
    value_label : str, optional
        Colour-bar label; by default "matches per 1,000 running words" for ``rate``.
    width : float, optional
        Figure width in inches (one column for up to three groups, two columns beyond).

    Returns
    -------
    matplotlib.figure.Figure
        One heatmap axes (its image holds the categories × groups values) and a colour bar.

    Raises
    ------
    ParameterError
        For missing columns, an empty table or a group × category pair given twice.

    Examples
    --------
    >>> rates = pd.DataFrame({"outlet": ["A", "A", "B", "B"],
    ...                       "category": ["warmth", "threat", "warmth", "threat"],
    ...                       "n": [2, 0, 1, 3], "running_words": 500, "rate": [4.0, 0.0, 2.0, 6.0]})
    >>> fig = plot_frame_heatmap(rates)
    >>> fig.axes[0].images[0].get_array().shape
    (2, 2)
    """
    if not isinstance(rates, pd.DataFrame):
        raise ParameterError(f"rates must be a pandas DataFrame, got {type(rates).__name__}")
    missing = [c for c in (group, "category", value) if c not in rates.columns]
    if missing:
        raise ParameterError(
            f"the table has no column {', '.join(map(repr, missing))}",
            hint="pass the output of analysis.framing.frames.frame_rates (and the same group)",
        )
    if rates.empty:
        raise ParameterError("the table is empty: there is nothing to plot")
    table = rates.assign(**{group: rates[group].astype(str), "category": rates["category"].astype(str)})
    if table.duplicated([group, "category"]).any():
        raise ParameterError(
            f"some {group} × category pairs occur more than once",
            hint="pass one row per pair, as frame_rates returns",
        )
    categories = list(pd.unique(table["category"]))
    groups = sorted(pd.unique(table[group]))
    values = table.pivot(index="category", columns=group, values=value).reindex(index=categories, columns=groups)
    counts = (
        table.pivot(index="category", columns=group, values="n").reindex(index=categories, columns=groups)
        .to_numpy(dtype=float)
        if "n" in table.columns and value != "n"
        else None
    )
    matrix = values.to_numpy(dtype=float)
    finite = matrix[np.isfinite(matrix)]
    upper = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    norm = Normalize(vmin=0.0, vmax=upper)
    colormap = plt.get_cmap(cmap)

    # Up to six groups are the columns; beyond, groups become the rows (their names read
    # horizontally, one line each, however many there are) and categories the columns.
    by_row = len(groups) > MAX_GROUP_COLUMNS
    row_names, column_names = (groups, categories) if by_row else (categories, groups)
    if by_row:
        matrix = matrix.T
        counts = counts.T if counts is not None else None
    if width is None:
        width = WIDTH_ONE_COLUMN * 1.3 if len(groups) <= 3 else WIDTH_TWO_COLUMN
    height = max(1.8, (0.3 if by_row else 0.38) * len(row_names) + (1.6 if by_row else 1.0))
    with house_style():
        fig, ax = plt.subplots(figsize=(width, height))
        image = ax.imshow(np.ma.masked_invalid(matrix), cmap=colormap, norm=norm, aspect="auto")
        if by_row:
            # Wrapped, not rotated: a column is about an inch wide, room for a dozen characters a line.
            ax.set_xticks(range(len(column_names)), [_label(c, 12) for c in column_names])
            ax.set_yticks(range(len(row_names)), [_label(g) for g in row_names])
            ax.set_xlabel("Frame category")
            ax.set_ylabel(_label(group).capitalize())
        else:
            ax.set_xticks(range(len(column_names)), [_label(g, 12) for g in column_names])
            ax.set_yticks(range(len(row_names)), [_label(c) for c in row_names])
            ax.set_xlabel(_label(group).capitalize())
            ax.set_ylabel("Frame category")
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for i in range(len(row_names)):
            for j in range(len(column_names)):
                cell = matrix[i, j]
                if math.isfinite(cell):
                    text = f"{cell:.1f}"
                    # Dark text on the light (yellow) end of the map, light text on the dark end.
                    red, green, blue, _ = colormap(norm(cell))
                    colour = "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.4 else "white"
                else:
                    text, colour = "–", "black"
                if counts is not None:
                    count = counts[i, j]
                    if pd.notna(count):
                        shown = int(count) if float(count).is_integer() else round(float(count), 1)
                        text += f" (n = {shown})" if by_row else f"\n(n = {shown})"
                ax.text(j, i, text, ha="center", va="center", color=colour, fontsize=6.5 if by_row else 7)
        bar = fig.colorbar(image, ax=ax, fraction=0.06, pad=0.03)
        bar.set_label(value_label or VALUE_LABELS.get(value, _label(value)))
        bar.outline.set_visible(False)
        if title:
            ax.set_title(title)
        fig.tight_layout()
    return fig
