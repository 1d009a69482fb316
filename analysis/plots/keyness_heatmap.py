"""Terms × outlets: the typical terms of every outlet and how each other outlet uses them.

One figure for any number of outlets, where one bar chart per outlet no longer reads: rows are
the few most typical terms of each outlet (grouped by that outlet), columns the outlets, the
colour of a cell the keyness of the term for the column's outlet against the rest. A framed
cell marks the outlet a term was chosen for.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.patches import Rectangle

from ..errors import ParameterError
from .style import WIDTH_ONE_COLUMN, WIDTH_TWO_COLUMN, house_style

__all__ = ["keyness_heatmap_rows", "plot_keyness_heatmap"]

#: Rows of the figure at most: terms per outlet shrink as outlets grow.
MAX_ROWS = 64


def keyness_heatmap_rows(table: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """The cells of :func:`plot_keyness_heatmap` as a tidy table.

    Parameters
    ----------
    table : pandas.DataFrame
        One-vs-rest keyness of every outlet (:func:`analysis.stats.keyness.keyness_all`):
        ``term, statistic, target`` at least.
    top : int, optional
        Typical terms per outlet (default: 8, fewer when more outlets would exceed
        :data:`MAX_ROWS` rows; at least 2).

    Returns
    -------
    pandas.DataFrame
        ``term, chosen_for, rank, target, statistic``: for every chosen term (``chosen_for`` the
        outlet whose ``rank``-th most typical term it is) its statistic for every outlet
        (NaN where the outlet's table does not hold the term).
    """
    for column in ("term", "statistic", "target"):
        if column not in table.columns:
            raise ParameterError(f"the keyness table has no column {column!r}",
                                 hint="pass keyness_all(counts) (every outlet against the rest)")
    outlets = sorted(table["target"].astype(str).unique())
    if top is None:
        top = int(max(2, min(8, MAX_ROWS // max(len(outlets), 1))))
    data = table.assign(target=table["target"].astype(str))
    positive = data[data["statistic"] > 0].sort_values(["target", "statistic", "term"], ascending=[True, False, True])
    chosen = positive.groupby("target", sort=True).head(top)[["target", "term"]]
    chosen = chosen.assign(rank=chosen.groupby("target").cumcount() + 1).rename(columns={"target": "chosen_for"})
    # A term typical of two outlets is shown once, for the outlet where it ranks higher.
    chosen = chosen.sort_values(["rank", "chosen_for"]).drop_duplicates("term").sort_values(["chosen_for", "rank"])
    grid = chosen.merge(pd.DataFrame({"target": outlets}), how="cross")
    values = data.drop_duplicates(["target", "term"])[["target", "term", "statistic"]]
    return grid.merge(values, on=["target", "term"], how="left").reset_index(drop=True)


def plot_keyness_heatmap(
    table: pd.DataFrame,
    *,
    top: int | None = None,
    measure_label: str = "log-odds z against the other outlets",
    width: float | None = None,
):
    """Heatmap of the most typical terms of every outlet (rows) × outlets (columns).

    Parameters
    ----------
    table : pandas.DataFrame
        One-vs-rest keyness of every outlet (``keyness_all``), or the rows of
        :func:`keyness_heatmap_rows`.
    top : int, optional
        Typical terms per outlet (see :func:`keyness_heatmap_rows`).
    measure_label : str
        Colour-bar label.
    width : float, optional
        Figure width in inches (grows with the number of outlets by default).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["Diktator", "Freund", "Diktator", "Freund"],
    ...                       "statistic": [3.1, -2.0, -3.1, 2.0], "target": ["A", "A", "B", "B"]})
    >>> fig = plot_keyness_heatmap(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Diktator', 'Freund']
    """
    rows = table if "chosen_for" in table.columns else keyness_heatmap_rows(table, top=top)
    if rows.empty:
        raise ParameterError("no outlet has a term with a positive statistic", hint="check the keyness table")
    terms = list(dict.fromkeys(rows["term"]))
    outlets = sorted(rows["target"].astype(str).unique())
    matrix = (rows.pivot(index="term", columns="target", values="statistic")
              .reindex(index=terms, columns=outlets).to_numpy(dtype=float))
    owner = rows.drop_duplicates("term").set_index("term")["chosen_for"].reindex(terms).tolist()
    finite = np.abs(matrix[np.isfinite(matrix)])
    limit = float(np.quantile(finite, 0.95)) if len(finite) else 1.0
    limit = max(limit, 1e-9)
    width = width or min(WIDTH_TWO_COLUMN, max(WIDTH_ONE_COLUMN, 1.6 + 0.34 * len(outlets)))
    height = 1.3 + 0.16 * len(terms)
    with house_style():
        fig, ax = plt.subplots(figsize=(width, height))
        shown = np.clip(np.nan_to_num(matrix, nan=0.0), -limit, limit)
        image = ax.imshow(shown, aspect="auto", cmap="RdBu_r", norm=TwoSlopeNorm(0.0, -limit, limit),
                          interpolation="nearest")
        for i, outlet in enumerate(owner):  # the outlet each term was chosen for
            j = outlets.index(outlet)
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, lw=1.0, edgecolor="black"))
        ax.set_yticks(range(len(terms)), terms, fontsize=6.5)
        ax.set_xticks(range(len(outlets)), outlets, rotation=90)  # upright boxes never overlap their neighbours
        # A thin line between the blocks of each outlet's terms.
        for i in range(1, len(owner)):
            if owner[i] != owner[i - 1]:
                ax.axhline(i - 0.5, color="white", lw=1.5)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.02)
        bar.set_label(measure_label)
        # A figure title, not an axes title: the term labels can push the axes far to the
        # right, and the title must still fit inside the figure.
        fig.suptitle("Typical terms of each outlet (framed) and how the others use them", x=0.01, ha="left",
                     fontsize=plt.rcParams["axes.titlesize"])
        fig.tight_layout()
    return fig
