"""Every figure of :mod:`analysis.report.figures` for the page: drawn by
:func:`~analysis.report.figures.render_figures`, each PNG narrowed for the screen and embedded as
a ``data:`` URI, with its caption and the first rows of the table behind it."""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path

import pandas as pd

from ..figures import REGISTRY, render_figures
from .limits import SiteLimits

__all__ = ["SCREEN_SCALE", "figure_data", "screen_png"]

#: The report's images are the 300 dpi PNGs of ``figures`` at this scale (150 dpi): sharp on a
#: screen at a sixth of the bytes once reduced to a palette.
SCREEN_SCALE = 0.5
_PALETTE = 128


def screen_png(data: bytes, width: int) -> bytes:
    """A PNG for the screen: scaled by :data:`SCREEN_SCALE`, at most ``width`` pixels wide,
    reduced to a palette of 128 colours (figures have few), without metadata; the same
    input gives the same bytes."""
    from PIL import Image  # matplotlib's own dependency

    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        scale = min(SCREEN_SCALE, width / image.width)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        small = image.resize(size, Image.Resampling.LANCZOS)
    quantized = small.quantize(colors=_PALETTE, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    quantized.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _table_head(path: Path, rows: int) -> tuple[list, list, int]:
    """Header, first ``rows`` rows (as written, strings) and the row count of a CSV file."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        kept, count = [], 0
        for row in reader:
            if count < rows:
                kept.append(row)
            count += 1
    return header, kept, count


def figure_data(prepared, options, limits: SiteLimits, workdir: str | Path) -> tuple[dict, dict]:
    """Draw every registered figure into ``workdir`` and collect it for the page.

    Returns
    -------
    figures : dict
        ``figures`` (id, description, caption, PNG as a ``data:`` URI, table header, first rows
        and row count, file name of the table) and ``skipped`` (id and reason).
    tables : dict
        Figure id → the whole table behind it (a DataFrame), for the pages that show them.
    """
    workdir = Path(workdir)
    manifest = render_figures(prepared, workdir, formats=("png",), options=options)
    figures, skipped, tables = [], [], {}
    described = {spec.id: spec.description for spec in REGISTRY.values()}
    for row in manifest.itertuples(index=False):
        if row.skipped:
            skipped.append([row.id, row.skipped])
            continue
        png = screen_png((workdir / f"{row.id}.png").read_bytes(), limits.figure_width)
        header, rows, count = _table_head(workdir / row.table, limits.table_rows)
        base = row.id if row.id in described else next(
            (fid for fid in described if row.id.startswith(fid + "_")), row.id)
        figures.append({
            "id": row.id,
            "description": described.get(base, ""),
            "caption": row.caption,
            "image": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
            "table": {"columns": header, "rows": rows, "count": count, "file": row.table},
        })
        if row.id.startswith("sentiment") or row.id in ("label_shares", "frame_rates", "quotations", "sources"):
            tables[row.id] = pd.read_csv(workdir / row.table, keep_default_na=False, na_values=[""])
    return {"figures": figures, "skipped": skipped}, tables
