"""The most frequent substitutions: what one outlet writes where another writes something else."""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError
from .style import WIDTH_TWO_COLUMN, house_style, outlet_colors

__all__ = ["plot_substitutions"]


def plot_substitutions(table: pd.DataFrame, *, top: int = 15, colors: dict[str, str] | None = None,
                       width: float = WIDTH_TWO_COLUMN):
    """Horizontal bars of the ``top`` substitution pairs by count.

    Each bar is one row of :func:`analysis.align.tables.substitution_table`; its label reads
    ``term_a ↔ term_b`` with the two outlets, and the bar is split in the two outlets' colours
    (the count is the number of aligned pairs, the same for both sides).

    Parameters
    ----------
    table : pandas.DataFrame
        ``outlet_a, term_a, outlet_b, term_b, count`` (and ``kind``, ``person``).
    top : int
        Rows shown, most frequent at the top.
    colors : dict, optional
        Outlet → colour.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> table = pd.DataFrame({"outlet_a": ["A"], "term_a": ["Staatsoberhaupt"], "outlet_b": ["B"],
    ...                       "term_b": ["Diktator"], "count": [3]})
    >>> fig = plot_substitutions(table)
    >>> fig.axes[0].get_yticklabels()[0].get_text()
    'Staatsoberhaupt ↔ Diktator  (A | B)'
    """
    missing = [c for c in ("outlet_a", "term_a", "outlet_b", "term_b", "count") if c not in table.columns]
    if missing:
        raise ParameterError(f"the table has no column {', '.join(map(repr, missing))}",
                             hint="pass the output of analysis.align.tables.substitution_table")
    if top < 1:
        raise ParameterError(f"top={top} must be at least 1")
    if not len(table):
        raise ParameterError("the table is empty: there is no substitution to show")
    rows = table.sort_values("count", ascending=False, kind="stable").head(top).iloc[::-1]
    colors = colors or outlet_colors(pd.concat([table["outlet_a"], table["outlet_b"]]).astype(str))
    labels = [f"{a} ↔ {b}  ({oa} | {ob})" for a, b, oa, ob in
              zip(rows["term_a"], rows["term_b"], rows["outlet_a"], rows["outlet_b"])]
    with house_style():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(width, max(1.6, 0.2 * len(rows) + 0.8)))
        positions = range(len(rows))
        counts = rows["count"].astype(float).to_numpy()
        ax.barh(positions, counts / 2, color=[colors.get(str(o), "#555555") for o in rows["outlet_a"]], height=0.7)
        ax.barh(positions, counts / 2, left=counts / 2, color=[colors.get(str(o), "#999999") for o in rows["outlet_b"]],
                height=0.7)
        ax.set_yticks(list(positions), labels)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("aligned sentence pairs with this substitution")
        ax.set_xlim(0, max(1.0, float(counts.max()) * 1.05))
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        fig.tight_layout()
    return fig
