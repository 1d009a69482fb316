"""House style for every figure: outlet colours, sizes, fonts and deterministic export.

The style is applied with a context manager (:func:`house_style`), never by changing
matplotlib's global settings, so importing the package changes nothing for the user.
"""

from __future__ import annotations

import contextlib
import io
import math
from pathlib import Path
from typing import Sequence

import matplotlib
import matplotlib.pyplot as plt

from ..errors import ParameterError
from .colors import OKABE_ITO, OUTLET_PALETTE, SHARED_GREY, outlet_colors, outlet_markers  # noqa: F401  (part of the house style)

__all__ = [
    "legend_below",
    "OKABE_ITO",
    "SHARED_GREY",
    "WIDTH_ONE_COLUMN",
    "WIDTH_TWO_COLUMN",
    "FORMATS",
    "outlet_colors",
    "outlet_markers",
    "OUTLET_PALETTE",
    "house_style",
    "panel_grid",
    "columns_for_labels",
    "MAX_PANEL_COLUMNS",
    "decade_label",
    "log_axes",
    "save_figure",
    "fit_texts",
    "parse_formats",
]

#: Journal figure widths in inches (89 mm and 183 mm, common one- and two-column widths).
WIDTH_ONE_COLUMN = 89 / 25.4
WIDTH_TWO_COLUMN = 183 / 25.4

#: File formats figures can be exported to.
FORMATS = ("png", "svg", "pdf")

_RC = {
    # DejaVu Sans ships with matplotlib and has umlauts, ß and the German quotes „ “ ‚ ‘.
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    # Fixed ids in SVG files so the same figure gives the same bytes.
    "svg.hashsalt": "framing-analysis",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}

# Metadata that would otherwise carry a timestamp or version into the file.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


@contextlib.contextmanager
def house_style():
    """Context manager applying the house style to figures created inside it.

    Every setting is restored on exit except matplotlib's interactive mode: Jupyter's inline
    backend switches it on when the first figure loads the backend, and turning it off again
    would keep every later figure of a notebook from being shown.

    Examples
    --------
    >>> with house_style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    interactive = matplotlib.is_interactive()
    try:
        with matplotlib.rc_context(_RC):
            try:
                yield
            finally:
                interactive = matplotlib.is_interactive()
    finally:
        matplotlib.interactive(interactive)


#: Most panels side by side in a figure of two-column width; more groups wrap into rows, so a
#: panel keeps room for its term labels at 10 or 20 outlets.
MAX_PANEL_COLUMNS = 4


def columns_for_labels(labels, *, width: float, fontsize: float = 6.5, min_plot: float = 0.9,
                       max_columns: int = MAX_PANEL_COLUMNS) -> int:
    """How many panels fit side by side when each carries tick labels like ``labels`` on its
    y axis: a panel needs the longest label's width plus ``min_plot`` inches to draw in.

    Examples
    --------
    >>> columns_for_labels(["Krieg", "Gipfel"], width=7.2)
    4
    >>> columns_for_labels(["Deutsche Presse-Agentur (12×)"], width=7.2)
    3
    """
    longest = max((len(str(label)) for label in labels), default=0)
    label_inches = longest * fontsize * 0.55 / 72  # a DejaVu Sans character is about 0.55 em wide
    return max(1, min(max_columns, int(width // (label_inches + min_plot))))


def panel_grid(n: int, *, width: float, row_height: float, max_columns: int = MAX_PANEL_COLUMNS):
    """A figure with ``n`` panels in rows of at most ``max_columns``, and its panels in order.

    Panels of a last, shorter row that are not needed are hidden. Call it inside
    :func:`house_style`.

    Examples
    --------
    >>> with house_style():
    ...     fig, axes = panel_grid(6, width=7.2, row_height=2.0)
    >>> len(axes), fig.axes[-1].get_visible(), fig.get_size_inches().tolist()
    (6, False, [7.2, 4.0])
    >>> plt.close(fig)
    """
    columns = max(1, min(n, max_columns))
    rows = max(1, math.ceil(n / columns))
    fig, grid = plt.subplots(rows, columns, figsize=(width, row_height * rows), squeeze=False)
    flat = list(grid.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


#: Height of one row of a legend under the axes, in inches (7 pt text and its spacing).
LEGEND_ROW_HEIGHT = 0.17


def legend_below(fig, handles, *, max_columns: int = 4) -> float:
    """Put a legend under the axes, in rows of at most ``max_columns`` entries, and make the
    figure taller by the rows it needs, so that the legend never covers data nor leaves the
    figure however many outlets it lists.

    Returns the fraction of the (new) figure height the legend takes: pass it as the bottom of
    ``tight_layout``'s ``rect``. Call it inside :func:`house_style`.

    Examples
    --------
    >>> from matplotlib.patches import Patch
    >>> with house_style():
    ...     fig, ax = plt.subplots(figsize=(4, 2))
    ...     bottom = legend_below(fig, [Patch(label=f"Zeitung {i}") for i in range(6)])
    >>> fig.legends[0]._ncols, round(float(fig.get_size_inches()[1]), 2), round(float(bottom), 3)
    (4, 2.42, 0.174)
    >>> plt.close(fig)
    """
    columns = max(1, min(len(handles), max_columns))
    rows = math.ceil(len(handles) / columns)
    extra = LEGEND_ROW_HEIGHT * rows + 0.08
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + extra)
    fig.legend(handles=handles, loc="lower center", ncol=columns, frameon=False)
    return extra / (height + extra)


def decade_label(value: float, position=None) -> str:
    """Tick label of a power of ten: plain from 0.001 to 1,000, else ``10`` with a
    superscript exponent ("10⁻⁵") — plain text, not mathtext, which is slow to lay out and
    is all a log axis needs.

    Examples
    --------
    >>> [decade_label(v) for v in (1e-5, 0.01, 1.0, 1000.0, 1e6)]
    ['10⁻⁵', '0.01', '1', '1,000', '10⁶']
    """
    if not value > 0:
        return ""
    exponent = math.log10(value)
    if abs(exponent - round(exponent)) > 1e-9:
        return ""  # not a decade
    exponent = round(exponent)
    if -3 <= exponent <= 3:
        return f"{value:,.{max(0, -exponent)}f}"
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def log_axes(ax, which: str = "both") -> None:
    """Log scale with decade labels (:func:`decade_label`) and unlabelled minor ticks at
    2 and 5 times each decade."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axes = {"x": [ax.xaxis], "y": [ax.yaxis], "both": [ax.xaxis, ax.yaxis]}[which]
    for axis in axes:
        (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
        axis.set_major_locator(LogLocator(base=10))
        axis.set_major_formatter(FuncFormatter(decade_label))
        axis.set_minor_locator(LogLocator(base=10, subs=(2.0, 5.0)))
        axis.set_minor_formatter(NullFormatter())


def parse_formats(formats: str | Sequence[str]) -> tuple[str, ...]:
    """Turn ``"png,svg"`` or ``["png", "svg"]`` into a checked tuple of formats."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    items = [f.strip().lower().lstrip(".") for f in items if f and f.strip()]
    unknown = [f for f in items if f not in FORMATS]
    if unknown or not items:
        raise ParameterError(
            f"unknown figure format {', '.join(unknown) or '(none given)'}",
            hint=f"choose from {', '.join(FORMATS)}, comma-separated",
        )
    return tuple(dict.fromkeys(items))


def fit_texts(fig) -> int:
    """Cut every text of ``fig`` that is longer than the figure itself, ending it with "…".

    A group name can be of any length: a 300-character outlet name in a title would make the
    tight bounding box of the saved figure thousands of inches wide (matplotlib then stops
    with "Image size … is too large"). Only such texts are changed (the table and caption keep
    the full name); every other figure is left exactly as it is. Returns how many texts were cut.

    Examples
    --------
    >>> with house_style():
    ...     fig, ax = plt.subplots(figsize=(3, 2))
    ...     _ = ax.set_title("Das " + "Blatt " * 60)
    ...     fit_texts(fig), len(ax.get_title()) < 100, ax.get_title().endswith("…")
    (1, True, True)
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    width, height = fig.get_size_inches() * fig.dpi
    cut = 0
    for text in fig.findobj(Text):
        content = text.get_text()
        if len(content) < 20 or not text.get_visible():
            continue
        box = text.get_window_extent(renderer)
        upright = abs(text.get_rotation() % 180 - 90) < 45
        extent, room = (box.height, height) if upright else (box.width, width)
        if extent <= room:
            continue
        keep = max(1, int(len(content) * room / extent * 0.9) - 1)
        text.set_text(content[:keep].rstrip() + "…")
        cut += 1
    return cut


def save_figure(fig, path: str | Path, formats: str | Sequence[str] = FORMATS, *, dpi: int = 300,
                description: str | None = None) -> list[Path]:
    """Write ``fig`` to ``path`` with each format's suffix; same figure, same bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or Path
        File name without suffix (a suffix given is replaced).
    formats : str or sequence of str
        Any of ``png``, ``svg``, ``pdf``.
    dpi : int
        Resolution of the PNG (300 by default, the usual journal minimum).
    description : str, optional
        Written into the file's metadata (PNG and SVG ``Description``, PDF ``Subject``): the
        parameters of the run that drew it.

    Returns
    -------
    list of Path
        The files written.

    Notes
    -----
    A text longer than the figure is cut to fit first (:func:`fit_texts`). Each file is drawn
    into memory first and then written atomically
    (:func:`analysis.io.writing.atomic_target`): a figure that fails to draw, or a run that is
    interrupted, leaves the previous file or none under the target name, never a part of one.
    """
    from ..io.writing import write_bytes_atomic

    base = Path(path)
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with house_style():
        fit_texts(fig)
        for fmt in parse_formats(formats):
            target = base.with_suffix(f".{fmt}")
            buffer = io.BytesIO()
            metadata = dict(_METADATA[fmt])
            if description:
                # Where the figure came from (the run's parameters), in each format's own field.
                metadata["Subject" if fmt == "pdf" else "Description"] = description
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
            write_bytes_atomic(target, buffer.getvalue())
            written.append(target)
    return written


@contextlib.contextmanager
def figure(width: float = WIDTH_TWO_COLUMN, height: float | None = None, **subplots_kw):
    """Create a house-style figure and axes; the figure is left open for saving.

    ``height`` defaults to 0.6 × width.
    """
    with house_style():
        fig, axes = plt.subplots(figsize=(width, height or 0.6 * width), **subplots_kw)
        yield fig, axes
