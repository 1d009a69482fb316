"""Write the report of a prepared corpus: every page's data, then the one HTML file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ... import __version__
from ...errors import ParameterError
from ...io.writing import write_text_atomic
from ..figures import FigureOptions
from .feeling import sentiment_data
from .framing import frames_data, labels_data, quotes_data, sources_data
from .gallery import figure_data
from .limits import SiteLimits
from .overview import overview_data
from .page import render_page
from .terms import term_data

__all__ = ["check_out_dir", "write_report"]

#: The file the report is written to, in the output folder.
INDEX = "index.html"


def check_out_dir(out_dir) -> Path:
    """The output folder, refused when it is a file (before any work is done)."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {out} is a file, not a folder",
                             hint="give a folder for the report (it is created when missing)")
    return out


def write_report(prepared, out_dir, *, options: FigureOptions | None = None,
                 limits: SiteLimits | None = None) -> dict:
    """Write a self-contained static report of ``prepared`` to ``out_dir/index.html``.

    The page needs no network and no other file: script, style, data and figures are inside
    it, and it opens from ``file://``. The same corpus and options give the same bytes.

    Parameters
    ----------
    prepared : analysis.pipeline.PreparedCorpus
    out_dir : str or Path
        Folder of the report (created when missing).
    options : analysis.report.figures.FigureOptions, optional
        Registry, label lexicon and frame dictionary (default: as ``figures`` chooses them).
    limits : SiteLimits, optional
        How much of a large corpus the page keeps (default: :class:`SiteLimits` ()).

    Returns
    -------
    dict
        ``path`` (the file written), ``bytes`` (its size) and ``omitted`` (the counts of
        terms, KWIC lines and articles left out).

    Raises
    ------
    ParameterError
        When ``out_dir`` is a file, or ``limits`` is not a :class:`SiteLimits`.
    """
    limits = SiteLimits() if limits is None else limits
    if not isinstance(limits, SiteLimits):
        raise ParameterError(f"limits must be a SiteLimits, got {type(limits).__name__}",
                             hint="e.g. SiteLimits(terms=2000)")
    options = FigureOptions() if options is None else options
    out = check_out_dir(out_dir)
    data = {}
    # The figures first: render_figures releases the texts between builders, and each later
    # part reads them again only as far as it needs them.
    with tempfile.TemporaryDirectory(prefix="framing-report-") as workdir:
        data["figures"], tables = figure_data(prepared, options, limits, workdir)
    data["overview"] = overview_data(prepared)
    data["terms"] = term_data(prepared, limits)
    data["labels"] = labels_data(prepared, options, limits)
    data["frames"] = frames_data(prepared, options, limits)
    data["quotes"] = quotes_data(prepared, limits)
    data["sources"] = sources_data(prepared)
    prepared.release_documents()
    data["sentiment"] = sentiment_data(prepared, tables, limits)
    source = data["overview"]["corpus"]["source"]
    data["meta"] = {
        "title": f"Framing report: {source}",
        "version": __version__,
        "group": prepared.group,
        "colors": {str(k): str(v) for k, v in sorted(prepared.colors.items())},
        "limits": {name: getattr(limits, name) for name in sorted(vars(limits))},
    }
    text = render_page(data["meta"]["title"], data)
    out.mkdir(parents=True, exist_ok=True)
    path = out / INDEX
    write_text_atomic(path, text)
    return {"path": path, "bytes": len(text.encode("utf-8")), "omitted": data["terms"]["omitted"]}
