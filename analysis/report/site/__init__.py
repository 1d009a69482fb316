"""The offline report: one self-contained static site of a prepared corpus.

:func:`write_report` writes ``index.html`` — the corpus overview, a term explorer with keyness
computed in the page, actor labels, frames, quotations and sources, sentiment and every figure
of :mod:`analysis.report.figures` — with the data embedded as JSON and the script and style
from ``analysis/resources/report/``. The modules each build one part:

* ``limits`` — how much of a large corpus the page keeps (:class:`SiteLimits`);
* ``encode`` — JSON that is safe inside a ``<script>`` element, with fixed float formatting;
* ``overview``, ``terms``, ``framing``, ``feeling``, ``gallery`` — the data of each page;
* ``evidence`` — the sentences behind a table cell;
* ``page`` — the HTML document with its Content-Security-Policy;
* ``build`` — runs them in order and writes the file.
"""

from .build import write_report
from .limits import SiteLimits

__all__ = ["SiteLimits", "write_report"]
