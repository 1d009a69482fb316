"""How much of a corpus the report keeps, so that the page stays small at any corpus size.

Every bound here is counted in the page as well: what was left out is shown next to what was
kept (terms, KWIC lines, articles, table rows), so a reader knows the page is a sample.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ...errors import ParameterError

__all__ = ["SiteLimits"]


@dataclass(frozen=True)
class SiteLimits:
    """Bounds of what the report embeds.

    Attributes
    ----------
    terms : int
        Terms kept in the term explorer (their counts per outlet are embedded).
    typical_terms : int
        Of those, the most typical terms of each outlet against the rest (log-odds z) that are
        always kept, whatever their frequency; the rest are the most frequent terms.
    kwic_lines : int
        KWIC lines per term and outlet, each from a different article.
    kwic_total : int
        Most KWIC lines in the page; with ``kwic_lines`` and the number of outlets it sets how
        many terms carry KWIC lines.
    window : int
        Tokens of context on each side of a KWIC match.
    articles : int
        Most articles embedded (only articles a KWIC line points to are embedded).
    article_tokens : int
        Most tokens of all embedded articles together.
    evidence : int
        Sentences shown behind one cell of the labels, frames, quotations and sentiment tables.
    persons : int
        Persons in the label and sentiment tables.
    table_rows : int
        Rows of each figure's data table embedded (the rest are counted).
    figure_width : int
        Widest figure image in pixels (figures are drawn at 150 dpi, then narrowed to this).
    """

    terms: int = 3000
    typical_terms: int = 60
    kwic_lines: int = 3
    kwic_total: int = 9000
    window: int = 6
    articles: int = 300
    article_tokens: int = 250_000
    evidence: int = 4
    persons: int = 12
    table_rows: int = 300
    figure_width: int = 1000

    def __post_init__(self):
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ParameterError(f"report limit {spec.name}={value!r} must be a whole number ≥ 1",
                                     hint=f"e.g. {spec.name}={spec.default}")
        if self.figure_width < 200:
            raise ParameterError(f"report limit figure_width={self.figure_width} is too narrow to read",
                                 hint="give at least 200 pixels")
        if self.typical_terms > self.terms:
            raise ParameterError(f"report limit typical_terms={self.typical_terms} exceeds terms={self.terms}",
                                 hint="keep at most as many typical terms per outlet as terms in all")
