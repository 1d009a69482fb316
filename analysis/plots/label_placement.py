"""Place text labels next to points without letting them overlap.

A greedy, deterministic placement: labels are placed in priority order; each tries positions
on rings of growing distance around its point and takes the first whose box overlaps no label
placed before and stays inside the axes. A label that fits nowhere is left out and reported.
"""

from __future__ import annotations

import math
from typing import Sequence

__all__ = ["place_labels"]

_DIRECTIONS = 8
_RADII_PT = (3, 8, 14, 22, 32, 44, 58)


def _overlaps(box, boxes, pad):
    x0, y0, x1, y1 = box
    return any(x0 < b[2] + pad and b[0] < x1 + pad and y0 < b[3] + pad and b[1] < y1 + pad for b in boxes)


def place_labels(ax, x: Sequence[float], y: Sequence[float], labels: Sequence[str], *, color="black",
                 fontsize=6.5, pad_pt: float = 1.5, avoid_points: bool = True) -> list[str]:
    """Annotate points ``(x[i], y[i])`` with ``labels[i]`` (first = most important) without overlaps.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose limits and scales are already final.
    x, y : sequences of float
        Data coordinates of the labelled points.
    labels : sequence of str
        Label texts, in priority order.
    color : str or sequence of str
        One colour, or one per label.
    fontsize : float
        Label font size in points.
    pad_pt : float
        Minimum gap between labels, in points.
    avoid_points : bool
        Also keep labels off the labelled points themselves.

    Returns
    -------
    list of str
        Labels that did not fit anywhere and were left out.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_px = fig.dpi / 72.0
    pad = pad_pt * to_px
    colors = [color] * len(labels) if isinstance(color, str) else list(color)
    axes_box = ax.get_window_extent(renderer)
    placed: list[tuple[float, float, float, float]] = []
    if avoid_points:
        for xi, yi in zip(x, y):
            px, py = ax.transData.transform((xi, yi))
            placed.append((px - 2 * to_px, py - 2 * to_px, px + 2 * to_px, py + 2 * to_px))
    legend = ax.get_legend()
    if legend is not None:
        box = legend.get_window_extent(renderer)
        placed.append((box.x0, box.y0, box.x1, box.y1))
    skipped = []
    for xi, yi, text, col in zip(x, y, labels, colors):
        px, py = ax.transData.transform((xi, yi))
        probe = ax.text(0, 0, text, fontsize=fontsize, transform=None)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        width, height = extent.width, extent.height
        chosen = None
        for radius in _RADII_PT:
            for k in range(_DIRECTIONS):
                angle = 2 * math.pi * k / _DIRECTIONS
                dx, dy = math.cos(angle) * radius * to_px, math.sin(angle) * radius * to_px
                # Anchor the label box on the side facing away from the point.
                left = px + dx - (width if dx < -1e-9 else 0 if dx > 1e-9 else width / 2)
                bottom = py + dy - (height if dy < -1e-9 else 0 if dy > 1e-9 else height / 2)
                box = (left, bottom, left + width, bottom + height)
                inside = (box[0] >= axes_box.x0 and box[2] <= axes_box.x1
                          and box[1] >= axes_box.y0 and box[3] <= axes_box.y1)
                if inside and not _overlaps(box, placed, pad):
                    chosen = (box, radius)
                    break
            if chosen:
                break
        if chosen is None:
            skipped.append(text)
            continue
        box, radius = chosen
        placed.append(box)
        inverse = ax.transData.inverted()
        label_x, label_y = inverse.transform((box[0], box[1]))
        ax.text(label_x, label_y, text, ha="left", va="bottom", fontsize=fontsize, color=col)
        if radius > _RADII_PT[0]:
            # Leader line from the point to the nearest point of the label's box.
            near = (min(max(px, box[0]), box[2]), min(max(py, box[1]), box[3]))
            (x0, y0), (x1, y1) = inverse.transform([(px, py), near])
            ax.plot([x0, x1], [y0, y1], color=col, lw=0.4, solid_capstyle="butt")
    return skipped
