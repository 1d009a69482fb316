"""Figures of sentiment: outlets, persons, the arc of an article, the words behind it.

Every function takes a tidy table from :mod:`analysis.sentiment` and returns a matplotlib
Figure in the house style (:func:`analysis.plots.style.house_style`), outlets in their fixed colours.
The scores are the trained model's (the default: ``p(positive) − p(negative)``) or the lexicon
scorer's; the axis labels say which, from the table's ``attrs["model"]``.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..errors import ParameterError
from .style import (SHARED_GREY, WIDTH_ONE_COLUMN, WIDTH_TWO_COLUMN, columns_for_labels, house_style, outlet_colors,
                    outlet_markers, panel_grid)

__all__ = [
    "plot_person_sentiment",
    "plot_sentiment_arc",
    "plot_sentiment_by_outlet",
    "plot_top_contributors",
    "score_label",
    "top_contributors",
]

_INTERVAL_NOTE = "whiskers: {level:.0%} bootstrap interval over {unit}s"


def score_label(table: pd.DataFrame) -> str:
    """What a score of ``table`` is, for an axis label: the lexicon score when the table says
    it comes from the lexicon scorer, else the trained model's (the default).

    Examples
    --------
    >>> table = pd.DataFrame({"score": [0.1]})
    >>> score_label(table)
    'trained model score'
    >>> table.attrs["model"] = "lexicon"
    >>> score_label(table)
    'lexicon score'
    """
    return "lexicon score" if table.attrs.get("model") == "lexicon" else "trained model score"


def _need(table, columns, hint):
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"expected a pandas DataFrame, got {type(table).__name__}", hint=hint)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(f"the table has no column {', '.join(map(repr, missing))}", hint=hint)
    if table.empty:
        raise ParameterError("the table is empty: there is nothing to plot", hint=hint)


def _whiskers(rows: pd.DataFrame):
    """Lower and upper whisker lengths; zero where the interval is missing."""
    low = (rows["mean"] - rows["ci_low"]).to_numpy(dtype=float)
    high = (rows["ci_high"] - rows["mean"]).to_numpy(dtype=float)
    return np.nan_to_num(np.clip(low, 0, None)), np.nan_to_num(np.clip(high, 0, None))


def _note(fig, table):
    level = table.attrs.get("level", 0.95)
    unit = table.attrs.get("unit", "sentence")
    fig.text(0.01, 0.005, _INTERVAL_NOTE.format(level=level, unit=unit), fontsize=6, color="#555555", va="bottom")


def plot_sentiment_by_outlet(
    table: pd.DataFrame,
    *,
    group: str = "outlet",
    colors: dict[str, str] | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    width: float = WIDTH_ONE_COLUMN,
):
    """Mean sentiment per outlet: a point with its bootstrap interval as whiskers.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`analysis.sentiment.aggregate_sentiment` (``group``, ``n``, ``mean``,
        ``ci_low``, ``ci_high``).
    group : str
        The group column.
    colors : dict, optional
        Outlet → colour; :func:`analysis.plots.style.outlet_colors` of the table's outlets by default.
    xlabel : str, optional
        Axis label; by default "Mean sentence sentiment" and what the score is (:func:`score_label`).
    title : str, optional
        Title.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["AFP-based", "CNN-based"], "n": [40, 35], "mean": [-0.2, 0.1],
    ...                       "ci_low": [-0.5, -0.2], "ci_high": [0.1, 0.4]})
    >>> fig = plot_sentiment_by_outlet(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][::-1]  # top to bottom
    ['AFP-based (n = 40)', 'CNN-based (n = 35)']
    >>> fig.axes[0].get_xlabel()
    'Mean sentence sentiment\\n(trained model score)'
    """
    _need(table, [group, "n", "mean", "ci_low", "ci_high"], "pass the output of aggregate_sentiment")
    rows = table.sort_values(group, ascending=False).reset_index(drop=True)
    names = rows[group].astype(str).tolist()
    colors = colors or outlet_colors(names)
    low, high = _whiskers(rows)
    with house_style():
        fig, ax = plt.subplots(figsize=(width, max(1.6, 0.45 * len(rows) + 0.9)))
        ax.axvline(0, color=SHARED_GREY, lw=0.8, zorder=0)
        for i, name in enumerate(names):
            color = colors.get(name, "#333333")
            ax.errorbar(rows.loc[i, "mean"], i, xerr=[[low[i]], [high[i]]], fmt="o", color=color, ecolor=color,
                        elinewidth=1.2, capsize=3, markersize=5)
        ax.set_yticks(range(len(rows)), [f"{n} (n = {k})" for n, k in zip(names, rows["n"])])
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlabel(xlabel if xlabel is not None else f"Mean sentence sentiment\n({score_label(table)})")
        ax.tick_params(axis="y", length=0)
        if title:
            ax.set_title(title)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        _note(fig, table)
    return fig


def plot_person_sentiment(
    table: pd.DataFrame,
    *,
    person: str = "person",
    group: str = "outlet",
    colors: dict[str, str] | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    width: float = WIDTH_TWO_COLUMN,
):
    """Sentiment toward each person per outlet: one panel per person, one row per outlet.

    Panels share the x axis, so persons compare at a glance; outlets keep one row each (in
    every panel, in the same order), so their whiskers and counts never overlap however
    many outlets there are. The number of sentences behind each point stands in a column
    at the right edge.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of ``aggregate_sentiment(score_persons(...), documents, group=["outlet", "person"])``.
    person, group : str
        The person and outlet columns.
    colors : dict, optional
        Outlet → colour.
    xlabel : str, optional
        Axis label; by default what is averaged and what the score is (:func:`score_label`).
    title : str, optional
        Title.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "B", "A"], "person": ["Putin", "Putin", "Kim"], "n": [5, 4, 3],
    ...                       "mean": [-0.4, 0.1, 0.2], "ci_low": [-0.9, -0.3, float("nan")],
    ...                       "ci_high": [0.0, 0.5, float("nan")]})
    >>> fig = plot_person_sentiment(table)
    >>> [ax.get_title(loc="left") for ax in fig.axes]  # one panel per person, top to bottom
    ['Kim', 'Putin']
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][::-1]  # outlets, top to bottom
    ['A', 'B']
    """
    from matplotlib.transforms import blended_transform_factory

    _need(table, [person, group, "n", "mean", "ci_low", "ci_high"],
          'pass aggregate_sentiment(..., group=["outlet", "person"])')
    people = sorted(table[person].astype(str).unique())
    outlets = sorted(table[group].astype(str).unique())
    colors = colors or outlet_colors(outlets)
    markers = outlet_markers(set(colors) | set(outlets))
    rows_per_panel = len(outlets)
    row_height = 0.16  # inches: room for one line of 6.5 pt tick labels
    panel_height = rows_per_panel * row_height + 0.3
    with house_style():
        fig, axes = plt.subplots(len(people), 1, sharex=True, squeeze=False,
                                 figsize=(width, len(people) * panel_height + 0.75))
        for ax, name in zip(axes[:, 0], people):
            rows = table[table[person].astype(str) == name]
            ax.axvline(0, color=SHARED_GREY, lw=0.8, zorder=0)
            counts = blended_transform_factory(ax.transAxes, ax.transData)
            for k, outlet in enumerate(outlets):
                row = rows[rows[group].astype(str) == outlet]
                if row.empty:
                    continue
                y = rows_per_panel - 1 - k
                low, high = _whiskers(row)
                color = colors.get(outlet, "#333333")
                ax.errorbar(row["mean"], [y], xerr=[low, high], fmt=markers[outlet], color=color, ecolor=color,
                            elinewidth=1.1, capsize=2, markersize=4)
                ax.text(1.01, y, f"n={int(row['n'].iloc[0])}", transform=counts, fontsize=5.5, color=color,
                        va="center", ha="left")
            ax.set_yticks(range(rows_per_panel), outlets[::-1])
            for label in ax.get_yticklabels():
                label.set_color(colors.get(label.get_text(), "#333333"))
            ax.tick_params(axis="y", length=0, labelsize=6.5)
            ax.set_ylim(-0.6, rows_per_panel - 0.4)
            ax.set_title(name, loc="left", fontsize=8, fontweight="bold")
        if xlabel is None:
            # The trained model scores toward each mention; the lexicon scorer scores its sentence.
            what = ("Mean sentiment of sentences mentioning the person" if table.attrs.get("model") == "lexicon"
                    else "Mean sentiment toward the person")
            xlabel = f"{what}\n({score_label(table)})"
        axes[-1, 0].set_xlabel(xlabel)
        if title:
            fig.suptitle(title)
        fig.tight_layout(rect=(0, 0.04, 0.93, 1))
        _note(fig, table)
    return fig


def plot_sentiment_arc(
    sentence_scores: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    doc_ids=None,
    group: str = "outlet",
    colors: dict[str, str] | None = None,
    window: int = 3,
    title: str | None = None,
    width: float = WIDTH_TWO_COLUMN,
):
    """The sentence-by-sentence sentiment of articles: one panel per article.

    Bars are the sentence scores; the line is their centred rolling mean over ``window``
    sentences, which shows where an article turns.

    Parameters
    ----------
    sentence_scores : pandas.DataFrame
        Output of :func:`analysis.sentiment.score_sentences` (``doc_id``, ``sentence_id``, ``score``).
    documents : pandas.DataFrame, optional
        The documents table, to colour each article by its ``group`` and name it by its title.
    doc_ids : list, optional
        Articles to show (all by default, at most 12).
    group : str
        Column of ``documents`` that picks the colour.
    colors : dict, optional
        Group → colour.
    window : int, default 3
        Sentences in the rolling mean (1 for none).
    title : str, optional
        Figure title.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> scores = pd.DataFrame({"doc_id": ["d1"] * 4, "sentence_id": [0, 1, 2, 3], "score": [0.0, 1.0, -2.0, 0.5]})
    >>> fig = plot_sentiment_arc(scores)
    >>> fig.axes[0].get_xlabel()
    'Sentence in the article'
    """
    _need(sentence_scores, ["doc_id", "sentence_id", "score"], "pass the output of score_sentences")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ParameterError(f"window must be a whole number >= 1, got {window!r}")
    available = list(dict.fromkeys(sentence_scores["doc_id"].tolist()))
    chosen = available if doc_ids is None else list(doc_ids)
    unknown = [d for d in chosen if d not in available]
    if unknown:
        raise ParameterError(f"no sentence scores for doc_id {', '.join(map(str, unknown[:5]))}")
    if len(chosen) > 12:
        raise ParameterError(f"{len(chosen)} articles are too many for one figure", hint="pick at most 12 with doc_ids")
    info = {}
    if documents is not None:
        _need(documents, ["doc_id"], "pass the documents table")
        info = documents.drop_duplicates("doc_id").set_index("doc_id").to_dict("index")
    labels = {d: str(info.get(d, {}).get(group, "")) for d in chosen}
    colors = colors or outlet_colors([v for v in labels.values() if v] or ["article"])
    with house_style():
        fig, axes = plt.subplots(len(chosen), 1, figsize=(width, 1.5 * len(chosen) + 0.5), squeeze=False,
                                 sharey=True)
        for ax, doc in zip(axes[:, 0], chosen):
            rows = sentence_scores[sentence_scores["doc_id"] == doc].sort_values("sentence_id")
            color = colors.get(labels[doc], "#0072B2") if labels[doc] else "#0072B2"
            x = rows["sentence_id"].to_numpy()
            y = rows["score"].to_numpy(dtype=float)
            ax.bar(x, y, width=0.8, color=color, alpha=0.45, linewidth=0)
            if window > 1 and len(y):
                smooth = pd.Series(y).rolling(window, center=True, min_periods=1).mean()
                ax.plot(x, smooth, color=color, lw=1.4, label=f"rolling mean ({window} sentences)")
            ax.axhline(0, color=SHARED_GREY, lw=0.8)
            name = str(info.get(doc, {}).get("title", "") or doc)
            name = name if len(name) <= 80 else name[:79] + "…"
            prefix = f"{labels[doc]} · " if labels[doc] else ""
            ax.set_title(prefix + name, loc="left", fontsize=7.5, color=color)
            ax.set_ylabel("Score")
        axes[-1, 0].set_xlabel("Sentence in the article")
        if window > 1:
            axes[0, 0].legend(frameon=False, loc="upper right")
        if title:
            fig.suptitle(title)
        fig.tight_layout()
    return fig


def top_contributors(contributions: pd.DataFrame, documents: pd.DataFrame, *, group: str = "outlet",
                     top: int = 10) -> pd.DataFrame:
    """The lexicon entries adding most to the sentiment of each group, both directions.

    Returns
    -------
    pandas.DataFrame
        ``group, entry, contribution, n`` — summed contribution and number of tokens; per group
        the ``top`` most positive and the ``top`` most negative entries. Negated matches are
        counted separately as ``"not <entry>"``.

    Examples
    --------
    >>> contributions = pd.DataFrame({"doc_id": ["a", "a"], "role": ["sentiment"] * 2, "entry": ["gut", "gut"],
    ...                               "negated": [False, True], "contribution": [1.0, -1.0]})
    >>> top_contributors(contributions, pd.DataFrame({"doc_id": ["a"], "outlet": ["A"]}))["entry"].tolist()
    ['gut', 'not gut']
    """
    _need(contributions, ["doc_id", "role", "entry", "contribution"], "pass the output of score_tokens")
    _need(documents, ["doc_id", group], "pass the documents table")
    # Only the columns summed, and the group looked up per row: no copy of the whole table.
    columns = ["doc_id", "entry", "contribution"] + (["negated"] if "negated" in contributions.columns else [])
    hits = contributions.loc[(contributions["role"] == "sentiment").to_numpy(), columns]
    if "negated" in hits.columns:  # "akzeptieren" in "nicht akzeptieren" is its own entry
        negated = hits["negated"].astype(bool).to_numpy()
        entry = hits["entry"].astype(object).to_numpy(copy=True)
        entry[negated] = ["not " + str(e) for e in entry[negated].tolist()]
        hits["entry"] = entry
    groups = documents[["doc_id", group]].drop_duplicates("doc_id").set_index("doc_id")[group]
    hits[group] = hits["doc_id"].map(groups)
    summary = (hits.groupby([group, "entry"], sort=True)["contribution"].agg(["sum", "count"]).reset_index()
               .rename(columns={"sum": "contribution", "count": "n"}))
    parts = []
    for _, rows in summary.groupby(group, sort=True):
        positive = rows[rows["contribution"] > 0].nlargest(top, "contribution")
        negative = rows[rows["contribution"] < 0].nsmallest(top, "contribution")
        parts.append(pd.concat([positive, negative]))
    if not parts:
        return summary.iloc[0:0]
    return pd.concat(parts, ignore_index=True)


def plot_top_contributors(
    contributions: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    group: str = "outlet",
    top: int = 8,
    colors: dict[str, str] | None = None,
    title: str | None = None,
    width: float = WIDTH_TWO_COLUMN,
):
    """The words contributing most to each outlet's sentiment: diverging bars, one panel per outlet.

    Parameters
    ----------
    contributions : pandas.DataFrame
        Output of :func:`analysis.sentiment.score_tokens`.
    documents : pandas.DataFrame
        The documents table (``doc_id`` and ``group``).
    group : str
        Column to split by.
    top : int, default 8
        Entries per direction and panel.
    colors : dict, optional
        Group → colour; negative bars are drawn lighter (hatched) than positive ones.
    title : str, optional
        Figure title.
    width : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> contributions = pd.DataFrame({"doc_id": ["a", "a", "b"], "role": ["sentiment"] * 3,
    ...                               "entry": ["gut", "Krieg", "Erfolg"], "contribution": [1.0, -1.0, 1.0]})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"]})
    >>> fig = plot_top_contributors(contributions, docs)
    >>> [ax.get_title() for ax in fig.axes]
    ['A', 'B']
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ParameterError(f"top must be a whole number >= 1, got {top!r}")
    table = top_contributors(contributions, documents, group=group, top=top)
    if table.empty:
        raise ParameterError("no token matched the lexicon: there is nothing to plot")
    groups = sorted(table[group].astype(str).unique())
    colors = colors or outlet_colors(groups)
    most = max(len(rows) for _, rows in table.groupby(group))
    with house_style():
        shown = [f"{e} ({n}×)" for e, n in zip(table["entry"], table["n"])]
        fig, axes = panel_grid(len(groups), width=width, row_height=max(2.0, 0.17 * most + 1.0),
                               max_columns=min(3, columns_for_labels(shown, width=width)))
        limit = float(table["contribution"].abs().max()) * 1.15 or 1.0
        for ax, name in zip(axes, groups):
            rows = table[table[group].astype(str) == name].sort_values("contribution")
            color = colors.get(name, "#333333")
            values = rows["contribution"].to_numpy(dtype=float)
            bars = ax.barh(range(len(rows)), values, color=color, height=0.7)
            for bar, v in zip(bars, values):
                if v < 0:
                    bar.set_alpha(0.55)
                    bar.set_hatch("////")
                    bar.set_edgecolor("white")
            ax.set_yticks(range(len(rows)), [f"{e} ({n}×)" for e, n in zip(rows["entry"], rows["n"])])
            ax.axvline(0, color=SHARED_GREY, lw=0.8)
            ax.set_xlim(-limit if (table["contribution"] < 0).any() else 0, limit)
            ax.set_title(name, color=color, fontweight="bold")
            ax.set_xlabel("Summed contribution")
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3, symmetric=True))  # few ticks: narrow panels
            ax.tick_params(axis="y", length=0)
            if math.isfinite(limit):
                ax.set_ylim(-0.6, max(len(rows), 1) - 0.4)
        if title:
            fig.suptitle(title)
        fig.tight_layout()
    return fig
