"""Checks on drawn matplotlib figures: text that overlaps other text or leaves the figure."""

from __future__ import annotations

import matplotlib.text


def drawn_texts(fig) -> list[tuple[str, object]]:
    """``(text, window extent)`` of every text the figure draws: titles, labels, annotations,
    legend entries, and the tick labels of ticks inside their axis's view (matplotlib keeps
    label objects for ticks outside the view, which are not drawn)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = (high - low) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - span <= tick.get_loc() <= high + span:
                    hidden.update({id(tick.label1), id(tick.label2)})
    texts = []
    for text in fig.findobj(matplotlib.text.Text):
        if id(text) in hidden or not text.get_visible() or not text.get_text().strip():
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        if text.figure is None:
            continue
        box = text.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            texts.append((text.get_text(), box))
    return texts


def overlapping_texts(fig, *, tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap by more than ``tolerance`` pixels."""
    texts = drawn_texts(fig)
    pairs = []
    for i, (first, a) in enumerate(texts):
        for second, b in texts[i + 1:]:
            if (a.x0 < b.x1 - tolerance and b.x0 < a.x1 - tolerance
                    and a.y0 < b.y1 - tolerance and b.y0 < a.y1 - tolerance):
                pairs.append((first, second))
    return pairs


def texts_outside(fig, *, tolerance: float = 1.0) -> list[str]:
    """Drawn texts that reach beyond the edge of the figure (cut off in the saved file)."""
    width, height = fig.canvas.get_width_height()
    return [text for text, box in drawn_texts(fig)
            if box.x0 < -tolerance or box.y0 < -tolerance or box.x1 > width + tolerance or box.y1 > height + tolerance]
