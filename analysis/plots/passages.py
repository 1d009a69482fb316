"""Side-by-side passages: the same fact in two outlets, the words that differ highlighted."""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError
from .style import WIDTH_TWO_COLUMN, house_style, outlet_colors

__all__ = ["plot_passages"]

_FONT = 6.5  # points
# Inches per character: DejaVu Sans averages about 0.55 em, its bold (the highlighted words) 0.62.
_CHAR = 0.64 * _FONT / 72
_LINE = 1.45 * _FONT / 72  # inches per line


def _lines(words: list[tuple[str, bool]], width: float) -> list[list[tuple[str, bool]]]:
    """Words wrapped into lines of at most ``width`` inches (estimated from their length)."""
    lines, current, used = [], [], 0.0
    for word, changed in words:
        size = (len(word) + 1.5) * _CHAR
        if current and used + size > width:
            lines.append(current)
            current, used = [], 0.0
        current.append((word, changed))
        used += size
    if current:
        lines.append(current)
    return lines or [[]]


def plot_passages(words: pd.DataFrame, *, colors: dict[str, str] | None = None, width: float = WIDTH_TWO_COLUMN,
                  titles: dict | None = None):
    """Aligned sentence pairs side by side, one row per pair, differing words highlighted.

    Parameters
    ----------
    words : pandas.DataFrame
        :func:`analysis.align.tables.passage_words`: ``pair, side, outlet, position, word, changed``.
    colors : dict, optional
        Outlet → colour (default: :func:`analysis.plots.style.outlet_colors`).
    width : float
        Figure width in inches.
    titles : dict, optional
        Pair id → a line shown above the pair (e.g. its score).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> words = pd.DataFrame({"pair": ["p"] * 4, "side": ["a", "a", "b", "b"], "outlet": ["A", "A", "B", "B"],
    ...                       "position": [0, 1, 0, 1], "word": ["Die", "Diktatoren", "Die", "Staatsoberhäupter"],
    ...                       "changed": [False, True, False, True]})
    >>> fig = plot_passages(words)
    >>> len(fig.axes)
    1
    """
    missing = [c for c in ("pair", "side", "outlet", "position", "word", "changed") if c not in words.columns]
    if missing:
        raise ParameterError(f"the table has no column {', '.join(map(repr, missing))}",
                             hint="pass the output of analysis.align.tables.passage_words")
    pairs = list(dict.fromkeys(words["pair"]))
    if not pairs:
        raise ParameterError("the table is empty: there is no aligned pair to show")
    colors = colors or outlet_colors(words["outlet"].astype(str))
    column = (width - 0.3) / 2
    blocks = []
    for pair in pairs:
        part = words[words["pair"] == pair]
        sides = {}
        for side in ("a", "b"):
            rows = part[part["side"] == side].sort_values("position")
            sides[side] = (str(rows["outlet"].iloc[0]) if len(rows) else "",
                           _lines(list(zip(rows["word"].astype(str), rows["changed"].astype(bool))), column - 0.1))
        blocks.append((pair, sides))
    heights = [(max(len(s["a"][1]), len(s["b"][1])) + 2.2) * _LINE for _, s in blocks]
    height = sum(heights) + 0.2
    with house_style():
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(width, height))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)  # inches from the top
        y = 0.1
        for (pair, sides), block_height in zip(blocks, heights):
            if titles and pair in titles:
                ax.text(0.1, y, titles[pair], fontsize=_FONT - 0.5, color="#555555", va="top")
            y_text = y + _LINE
            for k, side in enumerate(("a", "b")):
                outlet, lines = sides[side]
                x0 = 0.1 + k * (column + 0.1)
                color = colors.get(outlet, "#333333")
                ax.text(x0, y_text, outlet, fontsize=_FONT, fontweight="bold", color=color, va="top")
                for number, line in enumerate(lines):
                    x = x0
                    for word, changed in line:
                        box = dict(facecolor=color, alpha=0.22, edgecolor="none", pad=0.6) if changed else None
                        ax.text(x, y_text + (number + 1) * _LINE, word, fontsize=_FONT, va="top", bbox=box,
                                fontweight="bold" if changed else "normal")
                        x += (len(word) + 1.5) * _CHAR
            y += block_height
            ax.plot([0.1, width - 0.1], [y - 0.35 * _LINE, y - 0.35 * _LINE], color="#DDDDDD", lw=0.5)
    return fig
