"""Text out of HTML: whole pages (``.html`` files of a folder corpus) and markup in table cells.

``extract_html``
    A page → its article text, title and date, with trafilatura. Used for the ``.html``/``.htm``
    files of a folder corpus and for table cells that hold markup.
``cell_text``
    A table cell → its text. Cells are often exported from a content management system with
    their markup (``<div class="article"><p>…</p></div>``) or with HTML entities (``&quot;``);
    counted as they are, ``div``, ``class`` and ``quot`` would become words. A cell is treated
    as HTML only when it holds real markup (see ``looks_like_html``); a cell with entities but
    no tags has only its entities unescaped. Either change is returned as a ledger note.

Decisions
---------
* Detection is cheap and conservative, because it runs on every cell of every table, in the
  worker processes of the loader: a cell without ``<`` and ``&`` is passed over after two
  substring tests, any other after a precompiled regular-expression search. A cell counts as
  HTML when it holds a closing tag of a known element (``</p>``), a void element (``<br>``,
  ``<hr>``, ``<img …>``), a known tag with attributes (``<div class="…">``) or two known tags.
  A lone ``<`` ("a < b", "<Name>") or an unknown word in brackets is not markup.
* Entities are unescaped only where written in full with their semicolon (``&quot;``,
  ``&#8222;``, ``&#x201E;``); "AT&T" or "&Co" stay as they are.
* A cell's markup goes through trafilatura like a page. trafilatura leaves out texts it finds
  too short to be an article (often a cell of one or two sentences); then the text is taken
  from the markup with lxml (``text_content()``, with a line break after each block element and
  ``<br>``, scripts and styles dropped). Without trafilatura or lxml the tags are cut out with a
  regular expression and the entities unescaped. Titles and dates trafilatura finds in a cell
  are not used: a table has its own columns for them.
"""

from __future__ import annotations

import html as _stdlib_html
import re

from analysis.errors import CorpusError

__all__ = ["cell_text", "extract_html", "looks_like_html"]

# Elements whose tags are taken as markup (compared case-insensitively).
_ELEMENTS = (
    "a|abbr|article|aside|b|blockquote|body|br|caption|center|code|dd|div|dl|dt|em|figcaption|"
    "figure|font|footer|h[1-6]|head|header|hr|html|i|iframe|img|li|link|main|meta|nav|noscript|"
    "ol|p|picture|pre|q|s|script|section|small|source|span|strong|style|sub|sup|table|tbody|td|"
    "tfoot|th|thead|time|tr|u|ul|wbr"
)
_VOID = frozenset(("br", "hr", "img", "meta", "link", "source", "wbr"))
# A tag of a known element: "<p>", "</div>", "<br/>", '<a href="…">' (not "< b", not "<Name>").
_TAG = re.compile(rf"<(/?)({_ELEMENTS})(\s[^<>]*)?/?>", re.IGNORECASE)
# An entity written in full: named, decimal or hexadecimal.
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_TAGS_LOOKED_AT = 50
_BLOCKS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article",
    "section", "header", "footer", "figcaption", "pre", "table", "ul", "ol", "dd", "dt", "hr",
)
_ANY_TAG = re.compile(r"<[^<>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

NOTE_HTML = "text extracted from HTML in the cell"


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds HTML markup (not only a "<" or an entity).

    Parameters
    ----------
    text : str
        A table cell.

    Returns
    -------
    bool
        True for a closing tag of a known element, a void element (``<br>``, ``<img …>``), a
        known tag with attributes, or two known tags.

    Examples
    --------
    >>> looks_like_html('<div class="artikel"><p>Der Kanzler sprach.</p></div>')
    True
    >>> looks_like_html("Zeile eins<br>Zeile zwei")
    True
    >>> looks_like_html("Wenn a < b und b > c, dann a < c.")
    False
    >>> looks_like_html("Sie nannte ihn <Name> und ging.")
    False
    """
    if "<" not in text:
        return False
    count = 0
    for match in _TAG.finditer(text):
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if closing or name in _VOID or (attributes and "=" in attributes):
            return True
        count += 1
        if count >= 2:
            return True
        if count >= _TAGS_LOOKED_AT:
            break
    return False


def cell_text(text: str) -> tuple[str, list[str]]:
    """The text of a table cell that may hold HTML markup or entities.

    Parameters
    ----------
    text : str
        A table cell as a string.

    Returns
    -------
    text : str
        The cell itself (the same object) when it holds neither markup nor entities; else its
        text: extracted from the markup, or with the entities unescaped.
    notes : list of str
        Empty when nothing changed; else one ledger note: ``"text extracted from HTML in the
        cell"`` (with how, when trafilatura found nothing) or ``"N HTML entities unescaped in
        the cell"``.

    Examples
    --------
    >>> cell_text("Ein ganz normaler Satz.")
    ('Ein ganz normaler Satz.', [])
    >>> cell_text("Sie sprach von &quot;Freunden&quot; &amp; Partnern.")
    ('Sie sprach von "Freunden" & Partnern.', ['3 HTML entities unescaped in the cell'])
    >>> cell_text("<p>Kurz &amp; knapp.</p>")[0]
    'Kurz & knapp.'
    """
    # Two substring tests for most cells; one search each for a cell with "<" or "&" (one
    # pattern for both would be several times slower: no literal first character to scan for).
    if "<" in text and _TAG.search(text) is not None and looks_like_html(text):
        return _text_of_markup(text)
    if "&" not in text or _ENTITY.search(text) is None:
        return text, []
    count = 0

    def unescape(match: re.Match) -> str:
        nonlocal count
        replaced = _stdlib_html.unescape(match.group())
        if replaced != match.group():
            count += 1
        return replaced

    unescaped = _ENTITY.sub(unescape, text)
    if not count:
        return text, []
    return unescaped, [f"{count} HTML entit{'ies' if count != 1 else 'y'} unescaped in the cell"]


def extract_html(page: str, *, source: str) -> tuple[str, str, str]:
    """The article text, title and date of an HTML page, with trafilatura.

    Parameters
    ----------
    page : str
        The decoded page (or a fragment of one).
    source : str
        The file, named in the error when trafilatura is missing.

    Returns
    -------
    text, title, date : str
        ``""`` for what trafilatura does not find; the title with its whitespace collapsed.

    Raises
    ------
    CorpusError
        trafilatura is not installed (or cannot be imported).
    """
    try:
        import trafilatura
    except ImportError:
        raise CorpusError(
            "is an HTML file; reading HTML needs the trafilatura package, which is not installed "
            "(or cannot be imported)",
            file=source,
            hint="pip install trafilatura, or save the article text as a .txt file",
        ) from None
    result = trafilatura.bare_extraction(page, include_comments=False, with_metadata=True)
    if result is None:
        return "", "", ""
    if isinstance(result, dict):  # trafilatura < 2 returns a dict
        get = result.get
    else:
        def get(key):
            return getattr(result, key, None)
    text = get("text") or ""
    title = get("title") or ""
    date = get("date") or ""
    return str(text), " ".join(str(title).split()), str(date)


def _text_of_markup(markup: str) -> tuple[str, list[str]]:
    """trafilatura first; lxml when it finds nothing; a regular expression without either."""
    try:
        text = extract_html(markup, source="<cell>")[0]
    except CorpusError:
        text, how = "", "trafilatura is not installed"
    except Exception:  # noqa: BLE001 - lxml inside trafilatura raises many kinds on odd markup
        text, how = "", "trafilatura could not parse it"
    else:
        how = "trafilatura found no article text"
    if text.strip():
        return text, [NOTE_HTML]
    try:
        text, tool = _lxml_text(markup), "lxml"
    except Exception:  # noqa: BLE001 - lxml missing or refusing the markup
        text, tool = _tidy(_stdlib_html.unescape(_ANY_TAG.sub(" ", markup))), "a regular expression"
    return text, [f"{NOTE_HTML} ({how}; tags removed with {tool})"]


def _lxml_text(markup: str) -> str:
    import lxml.html

    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        # text_content() joins the text of neighbouring blocks without a space between them.
        element.tail = "\n" + (element.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
