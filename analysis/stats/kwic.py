"""Keyword in context: every occurrence of a pattern with its surrounding text.

Like quanteda's ``kwic``, but for the German tokens of :mod:`analysis.text` and with the
sentence of each match at hand. The contexts are slices of the document text, never re-joined
tokens, so spacing, quotation marks and punctuation appear exactly as in the article.

Design decisions
----------------
* **What counts as a token.** Punctuation and quotation marks (kinds ``punct`` and ``quote``)
  are skipped: patterns match consecutive *other* tokens (words, numbers, symbols), and the
  context window counts only those. So "beste* Freund*" matches „beste Freunde“ (the quotes
  are outside the match) and also "beste, Freunde" (the comma is inside it, verbatim).
* **Sentences.** A match never crosses a sentence boundary (sentences as in
  :func:`analysis.text.split_sentences`). The token window (``context="tokens"``) may cross
  sentence boundaries within the document, as in quanteda; ``context="sentence"`` keeps the
  context inside the sentence. The ``sentence`` column always holds the whole sentence.
* **Context edges.** With ``window=n`` the left context starts at the n-th counted token
  before the match and the right context ends with the n-th counted token after it, with
  everything between copied verbatim. When fewer than n counted tokens remain, the context
  runs to the edge of the document (or of the sentence, with ``context="sentence"``), so
  closing punctuation at the very end is kept. Contexts are stripped of surrounding
  whitespace only; line breaks inside them are kept in the table (:func:`format_kwic`
  shows them as spaces).
* **Value types.** ``glob`` (``*`` any characters, ``?`` one character, the whole token must
  match), ``regex`` (Python ``re.search`` on each token, so anchor with ``^``/``$`` for whole
  tokens, as in quanteda), ``fixed`` (the whole token, literally) and ``lemma`` (glob over the
  ``lemma`` column). A pattern with whitespace is a sequence: one part per token. Matching is
  case-insensitive unless ``case_insensitive=False``.
* All matches are reported, including overlapping ones of different patterns.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..io.tables import check_documents, order_tokens, sentence_segments
from ..store.patterns import VALUETYPES, TokenPattern, as_patterns, compile_pattern

__all__ = ["KWIC_COLUMNS", "VALUETYPES", "TokenPattern", "compile_pattern", "format_kwic", "kwic", "kwic_html"]

#: Columns of the table returned by :func:`kwic` (the group column follows ``doc_id`` when present).
KWIC_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "start", "end", "left", "match", "right", "sentence", "pattern",
)
#: Token kinds that are skipped when matching and when counting the context window.
SKIPPED_KINDS: frozenset[str] = frozenset({"punct", "quote"})
_CONTEXTS = ("tokens", "sentence")
_TOKEN_NEEDS = ("doc_id", "sentence_id", "token", "start", "end", "kind")


def _check_window(window) -> int:
    if isinstance(window, (bool, np.bool_)) or not isinstance(window, (int, np.integer)) or window < 0:
        raise ParameterError(
            f"window must be a non-negative whole number, got {window!r}",
            hint="the number of tokens shown on each side, e.g. 5",
        )
    return int(window)


def _check_group(group, documents: pd.DataFrame) -> str | None:
    if group is None:
        return None
    if not isinstance(group, str):
        raise ParameterError(f"group must be a column name or None, got {group!r}")
    if group not in documents.columns:
        if group == "outlet":
            return None  # the default, for tables without outlets
        raise ParameterError(f"the documents table has no column {group!r}",
                             hint="available columns: " + ", ".join(map(str, documents.columns)))
    if group in KWIC_COLUMNS:
        raise ParameterError(f"group={group!r} is a column of the result itself",
                             hint="choose a documents column such as outlet, or group=None")
    return group


def _empty(group: str | None, contexts: bool = True) -> pd.DataFrame:
    columns = [c for c in KWIC_COLUMNS if contexts or c not in ("left", "right", "sentence")]
    if group is not None:
        columns.insert(1, group)
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for c in ("sentence_id", "start", "end"):
        frame[c] = frame[c].astype(np.int64)
    return frame


class _TokenView:
    """The token columns KWIC reads, from a tokens table or straight from a token store."""

    def __init__(self, sentence_id, starts, ends, doc_pos, counted, codes, forms):
        self.sentence_id, self.starts, self.ends = sentence_id, starts, ends
        self.doc_pos, self.counted, self.codes, self.forms = doc_pos, counted, codes, forms

    @classmethod
    def of(cls, documents, doc_ids: pd.Index, tokens, columns) -> "_TokenView":
        from ..store import TokenStore
        from ..store.match import VocabularyIndex

        if isinstance(tokens, TokenStore):
            return cls.of_store(tokens, doc_ids)
        if tokens is None:
            from ..text import tokenize

            tokens = tokenize(documents, lemmas="lemma" in columns, stems=False)
        tokens, doc_pos = order_tokens(tokens, doc_ids, list(_TOKEN_NEEDS) + columns)
        kind = tokens["kind"].astype(str).to_numpy()

        def codes(column):
            values, uniques = pd.factorize(tokens[column].astype(str).to_numpy())
            return values, VocabularyIndex([str(u) for u in uniques])

        token_column = tokens["token"].astype(str).to_numpy()
        return cls(tokens["sentence_id"].to_numpy(dtype=np.int64), tokens["start"].to_numpy(dtype=np.int64),
                   tokens["end"].to_numpy(dtype=np.int64), doc_pos, ~np.isin(kind, list(SKIPPED_KINDS)), codes,
                   lambda rows: token_column[rows])

    @classmethod
    def of_store(cls, store, doc_ids: pd.Index) -> "_TokenView":
        from ..store.match import StoreMasks
        from ..text import KINDS

        selected = store.select(doc_ids)
        skipped = np.isin(np.asarray(KINDS, dtype=object), list(SKIPPED_KINDS))

        def codes(column):
            if column not in ("token", "lemma", "stem"):
                raise ParameterError(f"the token store has no column {column!r}", hint="use token, lemma or stem")
            # Masks over type ids for every column, kept in the store: parts read one by one
            # compute each pattern's masks once.
            return selected.type_ids, StoreMasks(store, column)

        forms = store.type_attribute("form")
        return cls(selected.sentence_ids, selected.starts, selected.ends, selected.doc_pos,
                   ~skipped[store.type_attribute("kind")][selected.type_ids], codes,
                   lambda chosen: forms[selected.type_ids[chosen]])


def kwic(
    documents: pd.DataFrame,
    pattern,
    *,
    tokens: pd.DataFrame | None = None,
    valuetype: str = "glob",
    window: int = 5,
    context: str = "tokens",
    case_insensitive: bool = True,
    group: str | None = "outlet",
    contexts: bool = True,
) -> pd.DataFrame:
    """Find a pattern in the documents and show each match in its context.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    pattern : str, TokenPattern or list of these
        What to look for (see :func:`compile_pattern`); several patterns may be given.
    tokens : pandas.DataFrame or analysis.store.TokenStore, optional
        The tokens table of exactly these documents (``tokenize(documents)``), or the token
        store they were prepared into (``prepared.store``, read without a table), to avoid
        tokenizing again; it may cover fewer documents than ``documents``.
    valuetype : {"glob", "regex", "fixed", "lemma"}
        How string patterns are read.
    window : int, default 5
        Number of tokens shown on each side (punctuation and quotation marks are not counted
        but shown). Ignored with ``context="sentence"``.
    context : {"tokens", "sentence"}
        ``"tokens"``: ``window`` tokens each side, possibly beyond the sentence;
        ``"sentence"``: the rest of the match's sentence on each side.
    case_insensitive : bool, default True
        Ignore case in string patterns.
    group : str or None, default "outlet"
        A documents-table column copied into the result (after ``doc_id``). The default is
        left out when the table has no ``outlet`` column; any other name must be a column.
    contexts : bool, default True
        False leaves out ``left``, ``right`` and ``sentence`` (for counting matches on a
        large corpus, where their text would take more memory than everything else).

    Returns
    -------
    pandas.DataFrame
        One row per match, in document order, then by offset, then by pattern order, with
        columns ``doc_id, <group>, sentence_id, start, end, left, match, right, sentence,
        pattern``. ``start``/``end`` are character offsets into the document's ``text`` and
        ``match == text[start:end]``; ``left`` and ``right`` are verbatim text slices
        (stripped of surrounding whitespace); ``sentence`` is the whole sentence;
        ``pattern`` is the pattern that matched. No match gives an empty table with the
        same columns.

    Raises
    ------
    ParameterError
        For an empty pattern, an unknown value type or context, a negative window, a `group`
        that is no column (or is one of the result's own columns), a documents table without
        ``doc_id`` or ``text``, tokens that do not fit the texts, or a regular expression that
        takes longer than :data:`analysis.store.patterns.REGEX_TIMEOUT` seconds on one token.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "outlet": ["X"],
    ...     "text": ["Kim nannte Putin seinen „besten Freund“. Die beiden Diktatoren lachten."]})
    >>> table = kwic(docs, "beste* Freund*", window=2)
    >>> table[["left", "match", "right"]].values.tolist()
    [['Putin seinen „', 'besten Freund', '“. Die beiden']]
    >>> kwic(docs, "Diktator", valuetype="lemma", context="sentence")[["left", "match", "right"]].values.tolist()
    [['Die beiden', 'Diktatoren', 'lachten.']]
    """
    # The texts stay in their Arrow column when they are in one: each is read when a match needs it.
    doc_ids, texts = check_documents(documents)
    patterns = as_patterns(pattern, valuetype, case_insensitive)
    window = _check_window(window)
    if context not in _CONTEXTS:
        raise ParameterError(f"context={context!r} is not one of {', '.join(_CONTEXTS)}")
    group = _check_group(group, documents)
    from ..store import TokenStore

    if isinstance(tokens, TokenStore):
        bounds = _document_parts(tokens, doc_ids)
        if len(bounds) > 2:
            parts = []
            for lo, hi in zip(bounds[:-1], bounds[1:]):
                part = documents.iloc[lo:hi]
                part_ids, part_texts = check_documents(part)
                parts.append(_kwic(part, part_ids, part_texts, patterns, tokens, window, context, group, contexts))
            filled = [part for part in parts if len(part)]
            return pd.concat(filled, ignore_index=True) if filled else parts[0]
    return _kwic(documents, doc_ids, texts, patterns, tokens, window, context, group, contexts)


#: Tokens of a token store that :func:`kwic` reads at once: the working arrays (positions,
#: segments, offsets) of a part stay around 100 MB however large the corpus. Matches never
#: cross a document, so the parts' tables, one under the other, are the table of the whole.
PART_TOKENS = 4_000_000


def _document_parts(store, doc_ids: pd.Index, part_tokens: int | None = None) -> list[int]:
    """Document boundaries ``[0, ..., len(doc_ids)]`` of consecutive parts of about
    ``part_tokens`` tokens (at least one document each)."""
    part_tokens = PART_TOKENS if part_tokens is None else part_tokens
    lengths = store.lengths[store.positions(doc_ids)]
    ends = np.cumsum(lengths)
    bounds = [0]
    while bounds[-1] < len(doc_ids):
        done = int(ends[bounds[-1] - 1]) if bounds[-1] else 0
        stop = int(np.searchsorted(ends, done + part_tokens, side="right"))
        bounds.append(min(len(doc_ids), max(stop, bounds[-1] + 1)))
    return bounds


def _kwic(documents, doc_ids, texts, patterns, tokens, window, context, group, contexts) -> pd.DataFrame:
    columns = sorted({p.column for p in patterns})
    view = _TokenView.of(documents, doc_ids, tokens, columns)
    sentence_id, starts, ends, doc_pos = view.sentence_id, view.starts, view.ends, view.doc_pos
    segment = sentence_segments(doc_pos, sentence_id)
    # Sentence spans from the first to the last token of each sentence (as split_sentences).
    first_of_segment = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]]) if len(segment) else np.zeros(0, int)
    sentence_start = starts[first_of_segment]
    sentence_end = np.maximum.reduceat(ends, first_of_segment) if len(segment) else np.zeros(0, np.int64)

    counted = np.flatnonzero(view.counted)
    if len(counted) < 2**31:  # half the memory of int64 positions on a large corpus
        counted = counted.astype(np.int32)
    c_doc = doc_pos[counted]
    c_segment = segment[counted]
    c_start = starts[counted]
    c_end = ends[counted]

    found_first: list[np.ndarray] = []
    found_last: list[np.ndarray] = []
    found_pattern: list[np.ndarray] = []
    factorized = {}
    for number, compiled in enumerate(patterns):
        if compiled.column not in factorized:
            codes, uniques = view.codes(compiled.column)
            factorized[compiled.column] = (codes[counted], uniques)
        codes, uniques = factorized[compiled.column]
        first = compiled.find(codes, uniques, c_segment)
        found_first.append(first)
        found_last.append(first + len(compiled) - 1)
        found_pattern.append(np.full(len(first), number))
    first = np.concatenate(found_first)
    if len(first) == 0:
        return _empty(group, contexts)
    last = np.concatenate(found_last)
    which = np.concatenate(found_pattern)
    order = np.lexsort((which, c_start[first], c_doc[first]))
    first, last, which = first[order], last[order], which[order]

    match_start = c_start[first]
    match_end = c_end[last]
    docs_of = c_doc[first]
    seg = c_segment[first]
    if context == "sentence":
        left_from = sentence_start[seg]
        right_to = sentence_end[seg]
    elif window == 0:
        left_from, right_to = match_start, match_end
    else:
        left_index = first - window
        # First and last counted token of each match's document, looked up for the matches only.
        left_inside = left_index >= np.searchsorted(c_doc, c_doc[first], side="left")
        left_from = np.where(left_inside, c_start[np.maximum(left_index, 0)], 0)
        right_index = last + window
        right_inside = right_index <= np.searchsorted(c_doc, c_doc[last], side="right") - 1
        text_length = {d: len(texts[d]) for d in np.unique(docs_of).tolist()}
        lengths = np.fromiter((text_length[d] for d in docs_of.tolist()), dtype=np.int64, count=len(docs_of))
        right_to = np.where(right_inside, c_end[np.minimum(right_index, len(c_end) - 1)], lengths)

    first_forms, last_forms = view.forms(counted[first]), view.forms(counted[last])  # of the matches only
    if not contexts:
        left_from = right_to = match_start  # not read
    left, match, right, sentence = [], [], [], []
    current, text = -1, ""
    for i in range(len(first)):
        if docs_of[i] != current:  # matches come document by document
            current = docs_of[i]
            text = texts[current]
        a, b = int(match_start[i]), int(match_end[i])
        piece = text[a:b]
        if not (piece.startswith(first_forms[i]) and piece.endswith(last_forms[i])):
            raise ParameterError(
                f"the tokens do not fit the text of document {doc_ids[docs_of[i]]!r}",
                hint="tokenize the same (cleaned) documents table you pass here, or leave tokens=None",
            )
        match.append(piece)
        if contexts:
            left.append(text[int(left_from[i]) : a].strip())
            right.append(text[b : int(right_to[i])].strip())
            sentence.append(text[int(sentence_start[seg[i]]) : int(sentence_end[seg[i]])])

    result = {"doc_id": doc_ids.to_numpy()[docs_of]}
    if group is not None:
        result[group] = documents[group].to_numpy()[docs_of]
    result.update(
        {
            "sentence_id": sentence_id[counted][first].astype(np.int64),
            "start": match_start.astype(np.int64),
            "end": match_end.astype(np.int64),
            "left": left,
            "match": match,
            "right": right,
            "sentence": sentence,
            "pattern": [patterns[w].pattern for w in which],
        }
    )
    if not contexts:
        for name in ("left", "right", "sentence"):
            del result[name]
    return pd.DataFrame(result)


# --------------------------------------------------------------------------------------
# Display
# --------------------------------------------------------------------------------------

_SPACE_RE = re.compile(r"\s+")


def _flat(value) -> str:
    return _SPACE_RE.sub(" ", str(value)).strip()


def _clip_left(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]


def _clip_right(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_table(table, width) -> None:
    if not isinstance(table, pd.DataFrame) or not {"left", "match", "right"} <= set(table.columns):
        raise ParameterError("the table needs the columns left, match and right", hint="pass the result of kwic()")
    if isinstance(width, (bool, np.bool_)) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ParameterError(f"width must be a positive whole number, got {width!r}")


def format_kwic(table: pd.DataFrame, *, width: int = 40, label: str | None = "outlet") -> str:
    """Aligned plain-text lines of a :func:`kwic` table, for printing.

    Each line starts with the ``label`` column (the outlet, when the table has it), then the left context right-aligned to ``width`` characters, two spaces, the
    match padded to the longest match, two spaces and the right context cut to ``width``
    characters. Runs of whitespace (line breaks too) are shown as one space; a context
    that is cut is marked with "…".

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`kwic` (columns ``left``, ``match``, ``right``).
    width : int, default 40
        Characters of context shown on each side.
    label : str or None, default "outlet"
        Column shown in front of each line, padded to its longest value; ignored when the table
        has no such column.

    Returns
    -------
    str
        One line per row, joined by newlines; ``""`` for an empty table.

    Examples
    --------
    >>> table = pd.DataFrame({"left": ["die beiden", "als „"], "match": ["Diktatoren", "beste Freunde"],
    ...                       "right": ["genossen", "“ zu demonstrieren"]})
    >>> print(format_kwic(table, width=12))
      die beiden  Diktatoren     genossen
           als „  beste Freunde  “ zu demons…
    """
    _check_table(table, width)
    lefts = [_clip_left(_flat(v), width) for v in table["left"]]
    matches = [_flat(v) for v in table["match"]]
    rights = [_clip_right(_flat(v), width) for v in table["right"]]
    pad = max((len(m) for m in matches), default=0)
    lines = [f"{l:>{width}}  {m:<{pad}}  {r}".rstrip() for l, m, r in zip(lefts, matches, rights)]
    if label is not None and label in table.columns:
        labels = [str(v) for v in table[label]]
        label_width = max((len(v) for v in labels), default=0)
        lines = [f"{v:<{label_width}}  {line}" for v, line in zip(labels, lines)]
    return "\n".join(lines)


def kwic_html(table: pd.DataFrame, *, width: int = 60) -> str:
    """A small HTML table of a :func:`kwic` table, the match in bold.

    Every piece of text is HTML-escaped, so markup inside an article (``<script>``) is shown
    as text, never run. Contexts are cut to ``width`` characters as in :func:`format_kwic`.
    Display it in a notebook with ``IPython.display.HTML(kwic_html(table))``.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`kwic`; ``doc_id`` is shown in a first column when present.
    width : int, default 60
        Characters of context shown on each side.

    Returns
    -------
    str
        An HTML ``<table class="kwic">``.

    Examples
    --------
    >>> table = pd.DataFrame({"doc_id": ["d1"], "left": ["a <b>"], "match": ["Kim"], "right": ["& Putin"]})
    >>> print(kwic_html(table))  # doctest: +NORMALIZE_WHITESPACE
    <table class="kwic">
    <tr><td>d1</td><td style="text-align:right">a &lt;b&gt;</td><td><b>Kim</b></td><td>&amp; Putin</td></tr>
    </table>
    """
    _check_table(table, width)
    show_doc = "doc_id" in table.columns
    rows = []
    doc_values = table["doc_id"] if show_doc else [None] * len(table)
    for doc, left, match, right in zip(doc_values, table["left"], table["match"], table["right"]):
        cells = []
        if show_doc:
            cells.append(f"<td>{html.escape(str(doc))}</td>")
        cells.append(f'<td style="text-align:right">{html.escape(_clip_left(_flat(left), width))}</td>')
        cells.append(f"<td><b>{html.escape(_flat(match))}</b></td>")
        cells.append(f"<td>{html.escape(_clip_right(_flat(right), width))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table class="kwic">\n' + "".join(row + "\n" for row in rows) + "</table>"
