"""The HTML document: markup, the inlined script and style, the data blocks and a
Content-Security-Policy that forbids every network request.

The policy (``default-src 'none'``) lets the page run only its own inline script and style,
identified by their SHA-256 hashes, and show images from ``data:`` and ``blob:`` URIs; it
allows no fetch, no frame, no form and no external file, so the page cannot send or load
anything even if a text of the corpus were read as markup. The data are
``<script type="application/json">`` blocks (:func:`analysis.report.site.encode.script_json`),
which browsers never execute.
"""

from __future__ import annotations

import base64
import hashlib
import html
from importlib import resources

from .encode import script_json

__all__ = ["SECTIONS", "content_security_policy", "render_page", "resource_text"]

#: Data block names, in page order.
SECTIONS = ("meta", "overview", "terms", "labels", "frames", "quotes", "sources", "sentiment", "figures")


def resource_text(name: str) -> str:
    """A file of ``analysis/resources/report/`` as text."""
    return resources.files("analysis").joinpath("resources", "report", name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    """The policy of the page for its inline ``script`` and ``style``."""
    return ("default-src 'none'; "
            f"script-src {_hash(script)}; style-src {_hash(style)}; "
            "img-src data: blob:; connect-src 'none'; font-src 'none'; media-src 'none'; object-src 'none'; "
            "frame-src 'none'; worker-src 'none'; form-action 'none'; base-uri 'none'")


def render_page(title: str, data: dict) -> str:
    """The whole page as text.

    Parameters
    ----------
    title : str
        Page title (escaped).
    data : dict
        Section name (:data:`SECTIONS`) → its data; each becomes one JSON block
        ``<script type="application/json" id="data-NAME">``.
    """
    script = resource_text("report.js")
    style = resource_text("report.css")
    blocks = "\n".join(
        f'<script type="application/json" id="data-{name}">{script_json(data[name])}</script>'
        for name in SECTIONS if name in data)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(content_security_policy(script, style))}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        # An empty icon: without one a browser asks for /favicon.ico, which the policy refuses.
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n"
        '<header><h1 id="title"></h1><p id="subtitle"></p></header>\n'
        '<nav id="tabs" aria-label="Pages"></nav>\n'
        '<main id="main"><noscript>This report needs JavaScript (it runs offline; nothing is loaded from '
        "the network).</noscript></main>\n"
        f"{blocks}\n"
        f"<script>{script}</script>\n"
        "</body>\n</html>\n"
    )
