"""Figure of label shares: which labels each outlet uses for each person, with intervals."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..errors import ParameterError
from .style import WIDTH_ONE_COLUMN, house_style, outlet_colors, outlet_markers

__all__ = ["plot_label_shares"]

_SHARE_COLUMNS = ("person", "label", "n", "n_person", "share", "ci_low", "ci_high")
# Columns of label_shares that are neither required here nor the group.
_OPTIONAL_COLUMNS = ("articles", "interval")


def _group_column(shares: pd.DataFrame) -> str:
    others = [c for c in shares.columns if c not in _SHARE_COLUMNS and c not in _OPTIONAL_COLUMNS]
    if len(others) != 1:
        raise ParameterError(
            "cannot tell which column holds the outlets "
            f"(candidates: {', '.join(map(str, others)) or 'none'})",
            hint="pass the output of analysis.framing.labels.label_shares unchanged",
        )
    return others[0]


def plot_label_shares(shares: pd.DataFrame, *, colors: dict[str, str] | None = None, persons=None):
    """One panel per person (stacked): the share of each label among the person's labels, per outlet.

    Labels are on the y axis (most frequent on top), the share on the x axis; each outlet is
    one dot in its fixed colour with its interval (``ci_low``, ``ci_high``) as whiskers. Outlets are offset a
    little vertically so that their whiskers do not hide each other.

    Parameters
    ----------
    shares : pandas.DataFrame
        Output of :func:`analysis.framing.labels.label_shares` (``<group>, person, label, n,
        n_person, share, ci_low, ci_high``).
    colors : dict, optional
        Outlet → colour; by default :func:`analysis.plots.style.outlet_colors` of the outlets in the
        table. Pass the corpus-wide mapping to keep colours fixed across figures.
    persons : list of str, optional
        Persons to show, in this order; by default every person, most labelled first.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        If the table lacks columns, is empty, or a requested person is not in it.

    Examples
    --------
    >>> shares = pd.DataFrame({"outlet": ["X", "Y"], "person": "Kim", "label": "Machthaber",
    ...                        "n": [2, 1], "n_person": [3, 4], "share": [2 / 3, 0.25],
    ...                        "ci_low": [0.2, 0.05], "ci_high": [0.94, 0.7]})
    >>> fig = plot_label_shares(shares)
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Kim']
    >>> plt.close(fig)
    """
    if not isinstance(shares, pd.DataFrame):
        raise ParameterError(f"shares must be a pandas DataFrame, got {type(shares).__name__}")
    missing = [c for c in _SHARE_COLUMNS if c not in shares.columns]
    if missing:
        raise ParameterError(
            f"the table has no column {', '.join(map(repr, missing))}",
            hint="pass the output of analysis.framing.labels.label_shares",
        )
    group = _group_column(shares)
    if shares.empty:
        raise ParameterError("the table is empty: no label was attributed", hint="check attribute_labels first")
    table = shares.assign(**{group: shares[group].astype(str), "person": shares["person"].astype(str)})
    if persons is None:
        totals = table.groupby("person")["n"].sum()
        persons = sorted(totals.index, key=lambda p: (-totals[p], p))
    else:
        persons = [str(p) for p in ([persons] if isinstance(persons, str) else persons)]
        unknown = [p for p in persons if p not in set(table["person"])]
        if unknown or not persons:
            raise ParameterError(
                f"no rows for person {', '.join(unknown) or '(none given)'}",
                hint="choose from: " + ", ".join(sorted(table["person"].unique())),
            )
    outlets = sorted(table[group].unique())
    colors = dict(colors) if colors else outlet_colors(outlets)
    markers = outlet_markers(set(colors) | set(outlets))
    # The first outlet sits highest within each label's row; with many outlets a row grows
    # so that every outlet keeps about 0.06 in of its own.
    spread = 0.18 if len(outlets) <= 3 else 0.36
    offsets = np.linspace(spread, -spread, len(outlets)) if len(outlets) > 1 else np.zeros(1)
    row_height = max(0.19, 0.06 * len(outlets))
    legend_columns = min(len(outlets), 4)
    legend_height = 0.17 * math.ceil(len(outlets) / legend_columns) + 0.13

    rows_per_panel = [table.loc[table["person"] == p, "label"].nunique() for p in persons]
    height = row_height * sum(rows_per_panel) + 0.42 * len(persons) + 0.45 + legend_height
    with house_style():
        fig, axes = plt.subplots(
            len(persons), 1, figsize=(WIDTH_ONE_COLUMN * 1.5, height), sharex=True, squeeze=False,
            gridspec_kw={"height_ratios": [n + 0.8 for n in rows_per_panel]},
        )
        for ax, person in zip(axes[:, 0], persons):
            part = table[table["person"] == person]
            totals = part.groupby("label")["n"].sum()
            top_down = sorted(totals.index, key=lambda lab: (-totals[lab], lab))
            position = {label: len(top_down) - 1 - i for i, label in enumerate(top_down)}
            for offset, outlet in zip(offsets, outlets):
                rows = part[part[group] == outlet]
                if rows.empty:
                    continue
                y = rows["label"].map(position).to_numpy(dtype=float) + offset
                x = rows["share"].to_numpy(dtype=float)
                low = np.clip(x - rows["ci_low"].to_numpy(dtype=float), 0, None)
                high = np.clip(rows["ci_high"].to_numpy(dtype=float) - x, 0, None)
                ax.errorbar(x, y, xerr=[low, high], fmt=markers[outlet], ms=3.5, lw=0.8, capsize=1.5,
                            color=colors.get(outlet, "black"), label=outlet)
            ax.set_yticks([position[label] for label in top_down])
            ax.set_yticklabels(top_down)
            ax.set_ylim(-0.6, len(position) - 0.4)
            ax.set_xlim(-0.03, 1.03)
            ax.set_xticks([0, 0.5, 1])
            ax.set_title(person, loc="left")
            ax.grid(axis="x", color="#DDDDDD", lw=0.5)
            ax.set_axisbelow(True)
        axes[-1, 0].set_xlabel("share of the person's labels (dot) with 95 % interval")
        handles = [plt.Line2D([], [], marker=markers[o], ls="", ms=4, color=colors.get(o, "black")) for o in outlets]
        fig.legend(handles, outlets, loc="upper center", ncol=legend_columns, frameon=False,
                   bbox_to_anchor=(0.5, 1.0))
        fig.tight_layout(rect=(0, 0, 1, 1 - legend_height / height))
    return fig
