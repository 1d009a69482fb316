"""Collocates of a node word, and multi-word expressions.

:func:`collocates` measures which words occur near a node word (say, "Putin") more often
than chance; :func:`find_multiword_expressions` finds word sequences that behave like one
unit ("Kim Jong Un", "Staats- und Regierungschefs"); :func:`join_multiword_expressions` turns
each occurrence of such an expression into a single token so that
:func:`analysis.stats.counts.count_terms` counts it as one term.

Positions
---------
Both work on *positions*: the running words of :mod:`analysis.stats.counts`, i.e. tokens of kind
``word`` and ``number``. Punctuation, quotation marks and symbols are not positions: they
neither fill a window slot nor count in ``n_total``. Windows and n-grams stay inside one
sentence.

References
----------
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information, and
lexicography. *Computational Linguistics* 16(1), 22–29.
Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
*Computational Linguistics* 19(1), 61–74.
Evert, S. (2005). *The Statistics of Word Cooccurrences: Word Pairs and Collocations*.
Dissertation, Universität Stuttgart. Evert, S. (2008). Corpora and collocations. In
Lüdeling & Kytö (eds.), *Corpus Linguistics. An International Handbook*, article 58.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
from scipy import special

from ..errors import ParameterError
from ..io.tables import sentence_segments
from ..store.patterns import TokenPattern, compile_pattern
from ..io.tables import check_documents, check_tokens, order_tokens

__all__ = [
    "COLLOCATE_COLUMNS",
    "MWE_COLUMNS",
    "POSITION_KINDS",
    "collocates",
    "find_multiword_expressions",
    "join_multiword_expressions",
]

#: Token kinds that are positions (the running words of :mod:`analysis.stats.counts`).
POSITION_KINDS: frozenset[str] = frozenset({"word", "number"})
#: Columns of :func:`collocates` (measure columns only for the measures asked for).
COLLOCATE_COLUMNS: tuple[str, ...] = (
    "node", "collocate", "n_collocate_in_window", "n_node", "n_collocate", "n_total", "expected",
    "pmi", "llr", "t_score",
)
#: Columns of :func:`find_multiword_expressions`.
MWE_COLUMNS: tuple[str, ...] = ("expression", "n", "length", "score")
#: G² for p = 0.001 with one degree of freedom: the default ``min_score`` of ``measure="llr"``.
LLR_CRITICAL_001 = 10.83
_MEASURE_COLUMNS = {"pmi": "pmi", "llr": "llr", "t": "t_score"}
_BY = ("token", "lemma", "stem")
_WINDOW_SIZES = ("nominal", "actual")
_MWE_MEASURES = ("llr", "pmi")
_HYPHENS = ("-", "\u2010", "\u2011")


# --------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------


def _signed_g2(o11, r1, c1, n):
    """Signed G² of the 2×2 table with cell O11, row total R1, column total C1 and size N.

    ``G² = 2 Σ O_ij ln(O_ij / E_ij)``, ``E_ij = R_i C_j / N`` and ``0 ln 0 = 0``; negative when
    O11 < E11. NaN where a cell would be negative.
    """
    o11 = np.asarray(o11, dtype=np.float64)
    r1 = np.asarray(r1, dtype=np.float64)
    c1 = np.asarray(c1, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    o12, o21 = r1 - o11, c1 - o11
    o22 = n - r1 - c1 + o11
    r2, c2 = n - r1, n - c1

    def term(o, row, col):
        # O ln(O / E) with E = row · col / N; an empty cell adds nothing (0 ln 0 = 0).
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(o > 0, special.xlogy(o, o * n / (row * col)), 0.0)

    g2 = 2.0 * (term(o11, r1, c1) + term(o12, r1, c2) + term(o21, r2, c1) + term(o22, r2, c2))
    g2 = np.maximum(g2, 0.0) * np.where(o11 * n >= r1 * c1, 1.0, -1.0)
    bad = (o12 < 0) | (o21 < 0) | (o22 < 0)
    return np.where(bad, np.nan, g2)


def _check_by(by) -> None:
    if by not in _BY:
        raise ParameterError(f"by={by!r} is not one of {', '.join(_BY)}", hint="use token, lemma or stem")


def _check_count(value, name: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ParameterError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def _doc_index(tokens: pd.DataFrame, documents) -> pd.Index:
    if documents is not None:
        return pd.Index(documents["doc_id"].astype(str))
    return pd.Index(pd.unique(tokens["doc_id"].astype(str)))


def _stopword_set() -> frozenset[str]:
    from ..text import german_stopwords

    return german_stopwords()


# --------------------------------------------------------------------------------------
# Collocates
# --------------------------------------------------------------------------------------


def _collocate_table(node: TokenPattern, label: str, values, codes, uniques, segments, is_stop, window,
                     min_count, measures, keep_stopwords, window_size, stopwords) -> pd.DataFrame:
    n_total = len(codes)
    node_codes, node_uniques = values[node.column]
    first = node.find(node_codes, node_uniques, segments)
    last = first + len(node) - 1
    n_node = len(first)
    if n_node == 0 or n_total == 0:
        return pd.DataFrame(columns=_output_columns(measures))
    # Position ranges of each sentence, to cut windows at sentence boundaries.
    seg_first = np.searchsorted(segments, segments, side="left")
    seg_last = np.searchsorted(segments, segments, side="right") - 1
    cover = np.zeros(n_total + 1, dtype=np.int64)
    nodes = np.zeros(n_total + 1, dtype=np.int64)
    np.add.at(nodes, first, 1)
    np.add.at(nodes, last + 1, -1)
    left_lo = np.maximum(first - window, seg_first[first])
    right_hi = np.minimum(last + window, seg_last[last])
    np.add.at(cover, left_lo, 1)
    np.add.at(cover, first, -1)
    np.add.at(cover, last + 1, 1)
    np.add.at(cover, right_hi + 1, -1)
    is_node = np.cumsum(nodes)[:n_total] > 0
    in_window = (np.cumsum(cover)[:n_total] > 0) & ~is_node

    n_types = len(uniques)
    observed = np.bincount(codes[in_window], minlength=n_types)
    frequency = np.bincount(codes, minlength=n_types)
    slots = 2 * window * n_node if window_size == "nominal" else int(in_window.sum())
    keep = observed >= max(min_count, 1)
    if not keep_stopwords:
        stop_tokens = np.bincount(codes, weights=is_stop.astype(np.float64), minlength=n_types)
        lowered = np.fromiter((str(u).lower() in stopwords for u in uniques), dtype=bool, count=n_types)
        keep &= ~(lowered | (stop_tokens == frequency))
    index = np.flatnonzero(keep)
    o11 = observed[index].astype(np.float64)
    c1 = frequency[index].astype(np.float64)
    expected = c1 * slots / n_total
    table = {
        "node": label,
        "collocate": np.asarray(uniques, dtype=object)[index],
        "n_collocate_in_window": observed[index].astype(np.int64),
        "n_node": np.int64(n_node),
        "n_collocate": frequency[index].astype(np.int64),
        "n_total": np.int64(n_total),
        "expected": expected,
    }
    if "pmi" in measures:
        table["pmi"] = np.log2(o11 / expected)
    if "llr" in measures:
        table["llr"] = _signed_g2(o11, np.full(len(index), float(slots)), c1, float(n_total))
    if "t" in measures:
        table["t_score"] = (o11 - expected) / np.sqrt(o11)
    frame = pd.DataFrame(table, columns=_output_columns(measures))
    key = "llr" if "llr" in measures else _MEASURE_COLUMNS[measures[0]]
    frame = frame.sort_values([key, "collocate"], ascending=[False, True], kind="stable", na_position="last")
    return frame.reset_index(drop=True)


def _output_columns(measures) -> list[str]:
    chosen = {_MEASURE_COLUMNS[m] for m in measures}
    return [c for c in COLLOCATE_COLUMNS if c not in _MEASURE_COLUMNS.values() or c in chosen]


def collocates(
    documents: pd.DataFrame | None,
    node,
    *,
    tokens: pd.DataFrame | None = None,
    window: int = 5,
    by: str = "lemma",
    valuetype: str = "glob",
    min_count: int = 2,
    measures=("pmi", "llr", "t"),
    keep_stopwords: bool = False,
    window_size: str = "nominal",
) -> pd.DataFrame:
    """Words that occur near a node word more often than chance (window-based collocates).

    Definitions (Evert 2005, 2008; Church & Hanks 1990), with *positions* the word and number
    tokens (punctuation, quotation marks and symbols are skipped):

    * **Windows.** Around each occurrence of the node, the ``window`` positions to its left
      and to its right, cut at the sentence boundary. A node position is never part of a
      window. Overlapping windows of nearby node occurrences are merged: a collocate token
      is counted once however many windows it lies in.
    * ``n_collocate_in_window`` = O11: collocate tokens inside the windows.
    * ``n_node`` = f1: occurrences of the node (matches of the pattern);
      ``n_collocate`` = f2: corpus frequency of the collocate; ``n_total`` = N: positions in
      the corpus.
    * ``expected`` = E11 = f2 · W / N, where W is the window size. With
      ``window_size="nominal"`` (default) W = 2 · window · f1, Church & Hanks' correction
      for the span, so E11 = f1 · f2 · 2 · window / N. With ``window_size="actual"``
      W is the number of positions really inside the windows (after cutting at sentence
      boundaries and merging overlaps); this never exceeds N and suits very frequent nodes.
      The same W is used in every measure.
    * ``pmi`` = log2(O11 / E11).
    * ``t_score`` = (O11 − E11) / √O11.
    * ``llr`` = signed G² (Dunning 1993) of the 2×2 table of window slots against
      collocate tokens::

                         collocate         other positions
            in windows   O11               O12 = W − O11              | W
            elsewhere    O21 = f2 − O11    O22 = N − W − f2 + O11     | N − W
                         f2                N − f2                     | N

      G² = 2 Σ O_ij ln(O_ij / E_ij) with E_ij = row total · column total / N and
      0 · ln 0 = 0; negative when O11 < E11. With the nominal window size, O22 can turn
      negative for a node that fills most of the corpus with windows; llr is then NaN and
      a warning suggests ``window_size="actual"``.

    Parameters
    ----------
    documents : pandas.DataFrame or None
        Documents table (``doc_id``, ``text``); may be None when ``tokens`` is given.
    node : str, TokenPattern or list of these
        The node; a string is compiled with :func:`analysis.stats.kwic.compile_pattern` and matched
        against the ``by`` column (against ``lemma`` with ``valuetype="lemma"``). A
        multi-word node ("Kim Jong Un") is one occurrence per match.
    tokens : pandas.DataFrame or TokenStore, optional
        Tokens table of the documents, or the corpus's token store (``prepared.store``; any
        corpus size); tokenized when not given.
    window : int, default 5
        Positions on each side (at least 1).
    by : {"lemma", "token", "stem"}
        Column whose values are the collocates and are counted.
    valuetype : {"glob", "regex", "fixed", "lemma"}
        How a string node is read.
    min_count : int, default 2
        Keep collocates with O11 at least this.
    measures : sequence of {"pmi", "llr", "t"}
        Measures to compute; the others' columns are left out.
    keep_stopwords : bool, default False
        Keep stop words as collocates. A collocate is a stop word when its lower-cased
        value is a German stop word or all its tokens are marked ``is_stop``. Stop words are
        positions either way.
    window_size : {"nominal", "actual"}
        Which window size W enters E11 and the 2×2 table (see above).

    Returns
    -------
    pandas.DataFrame
        Columns ``node, collocate, n_collocate_in_window, n_node, n_collocate, n_total,
        expected, pmi, llr, t_score``, sorted by llr descending (by the first measure when
        llr is not asked for), then by collocate; with several nodes, one block per node in
        the order given.

    Raises
    ------
    ParameterError
        For an empty or invalid node, a window below 1, an unknown ``by``, measure or
        window size, or tables without the needed columns.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [
    ...     "Putin lobt Kim. Kim lobt Putin heute. Kim fährt Auto.",
    ...     "Putin schweigt. Die Presse schweigt auch. Kim lacht laut."]})
    >>> table = collocates(docs, "Putin", by="token", window=1, min_count=1)
    >>> table[["collocate", "n_collocate_in_window", "n_node", "n_collocate", "n_total"]].values.tolist()
    [['lobt', 2, 3, 2, 19], ['heute', 1, 3, 1, 19], ['schweigt', 1, 3, 2, 19]]
    >>> round(float(table["expected"].iloc[0]), 6) == round(3 * 2 * (2 * 1) / 19, 6)
    True
    """
    window = _check_count(window, "window", 1)
    min_count = _check_count(min_count, "min_count", 1)
    _check_by(by)
    if isinstance(measures, str):
        measures = (measures,)
    measures = tuple(measures)
    unknown = [m for m in measures if m not in _MEASURE_COLUMNS]
    if unknown or not measures:
        raise ParameterError(
            f"measures must be some of {', '.join(_MEASURE_COLUMNS)}, got {measures!r}",
            hint='e.g. measures=("pmi", "llr", "t")',
        )
    if window_size not in _WINDOW_SIZES:
        raise ParameterError(f"window_size={window_size!r} is not one of {', '.join(_WINDOW_SIZES)}")
    nodes = list(node) if isinstance(node, (list, tuple)) else [node]
    if not nodes:
        raise ParameterError("no node given", hint='give a node word, e.g. "Putin"')
    compiled = []
    for item in nodes:
        if not isinstance(item, TokenPattern):
            item = compile_pattern(item, valuetype=valuetype)
            if item.valuetype != "lemma":
                item = dataclasses.replace(item, column=by)
        compiled.append(item)

    from ..store import TokenStore

    if isinstance(tokens, TokenStore):
        positions = _store_positions(tokens, documents, by, {c.column for c in compiled})
    else:
        positions = _table_positions(documents, tokens, by, compiled, keep_stopwords)
    values, segments, is_stop = positions
    codes, uniques = values[by]
    stopwords = frozenset() if keep_stopwords else _stopword_set()
    frames = [
        _collocate_table(c, c.pattern, values, codes, uniques, segments, is_stop, window, min_count,
                         measures, keep_stopwords, window_size, stopwords)
        for c in compiled
    ]
    return _joined(frames, measures)


def _store_positions(store, documents, by: str, columns):
    """Factorized values, sentence segments and stop-word flags of the positions of a store
    (every document, or those of ``documents``), decided once per word type."""
    from ..text import KINDS

    selected = store.select(pd.Index(documents["doc_id"].astype(str)) if documents is not None else store.doc_ids)
    is_position = np.isin(np.asarray(KINDS, dtype=object), list(POSITION_KINDS))[store.type_attribute("kind")]
    chosen = np.flatnonzero(is_position[selected.type_ids])
    type_ids = np.asarray(selected.type_ids)[chosen]
    segments = sentence_segments(np.asarray(selected.doc_pos)[chosen], np.asarray(selected.sentence_ids)[chosen])
    values = {}
    for column in {by} | set(columns):
        type_codes, uniques = pd.factorize(store.type_attribute("form" if column == "token" else column).astype(str))
        values[column] = (type_codes[type_ids], uniques)
    return values, segments, store.type_attribute("is_stop")[type_ids].astype(bool)


def _table_positions(documents, tokens, by: str, compiled, keep_stopwords: bool):
    """Factorized values, sentence segments and stop-word flags of the positions of a tokens table."""
    if tokens is None:
        if documents is None:
            raise ParameterError("give documents or tokens", hint="collocates(documents, node) tokenizes the documents")
        from ..text import tokenize

        check_documents(documents)
        lemmas = by == "lemma" or any(c.column == "lemma" for c in compiled)
        tokens = tokenize(documents, lemmas=lemmas, stems=by == "stem")
    needed = ["doc_id", "sentence_id", "start", "kind", by] + sorted({c.column for c in compiled} - {by})
    if not keep_stopwords:
        needed.append("is_stop")
    tokens, doc_pos = order_tokens(tokens, _doc_index(tokens, documents), needed)
    position = np.flatnonzero(tokens["kind"].astype(str).isin(list(POSITION_KINDS)).to_numpy())
    segments = sentence_segments(doc_pos[position], tokens["sentence_id"].to_numpy(dtype=np.int64)[position])
    values = {
        column: pd.factorize(tokens[column].astype(str).to_numpy()[position])
        for column in {by} | {c.column for c in compiled}
    }
    is_stop = (
        tokens["is_stop"].to_numpy(dtype=bool)[position] if "is_stop" in tokens.columns
        else np.zeros(len(position), dtype=bool)
    )
    return values, segments, is_stop


def _joined(frames, measures) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    undefined = sorted({str(n) for f in frames if "llr" in f.columns for n in f.loc[f["llr"].isna(), "node"]})
    if undefined:
        warnings.warn(
            f"the nominal window of {', '.join(map(repr, undefined))} is larger than the rest of the "
            "corpus for some collocates (a negative cell in the 2x2 table); their llr is NaN — "
            "use window_size='actual'",
            UserWarning,
            stacklevel=3,  # the caller of collocates
        )
    if not frames:
        return pd.DataFrame(columns=_output_columns(measures))
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------
# Multi-word expressions
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Units:
    """Word units of a tokens table: one per ``word`` token, in order.

    A comma glued to a suspended form ("Ein-, Aus- und Durchfuhr") belongs to the unit
    before it and does not break the run; every other non-word token and every sentence
    boundary does.
    """

    tokens: pd.DataFrame      # sorted tokens table
    row: np.ndarray           # row of the unit's word token
    last_row: np.ndarray      # last row of the unit (the glued comma, if any)
    value: np.ndarray         # the unit's value in the chosen column (with ", " glued)
    run: np.ndarray           # run label: units of one run are consecutive words
    is_stop: np.ndarray
    suspended_end: np.ndarray   # value ends with a hyphen or a glued comma
    suspended_start: np.ndarray  # token starts with a hyphen ("-ausfuhr")


def _units(tokens: pd.DataFrame, by: str, documents=None) -> _Units:
    needed = ["doc_id", "sentence_id", "start", "end", "kind", "token", by]
    tokens, doc_pos = order_tokens(tokens, _doc_index(tokens, documents), needed)
    kind = tokens["kind"].astype(str).to_numpy()
    surface = tokens["token"].astype(str).to_numpy()
    starts = tokens["start"].to_numpy(dtype=np.int64)
    ends = tokens["end"].to_numpy(dtype=np.int64)
    segment = sentence_segments(doc_pos, tokens["sentence_id"].to_numpy(dtype=np.int64))
    word = kind == "word"
    n = len(tokens)
    hyphen_end = np.fromiter((t.endswith(_HYPHENS) for t in surface), dtype=bool, count=n)
    bridge = np.zeros(n, dtype=bool)
    if n > 2:
        same_prev = segment[1:-1] == segment[:-2]
        same_next = segment[1:-1] == segment[2:]
        bridge[1:-1] = (
            (surface[1:-1] == ",") & word[:-2] & hyphen_end[:-2] & (starts[1:-1] == ends[:-2])
            & word[2:] & same_prev & same_next
        )
    breaks = ~(word | bridge)
    new_segment = np.r_[True, segment[1:] != segment[:-1]] if n else np.zeros(0, dtype=bool)
    run = np.cumsum(breaks | new_segment)
    rows = np.flatnonzero(word)
    glued = np.zeros(n, dtype=bool)
    glued[:-1] = bridge[1:]
    values = tokens[by].astype(str).to_numpy().astype(object)
    unit_value = np.where(glued[rows], values[rows] + ",", values[rows]) if len(rows) else values[rows]
    is_stop = (
        tokens["is_stop"].to_numpy(dtype=bool)[rows] if "is_stop" in tokens.columns
        else np.zeros(len(rows), dtype=bool)
    )
    return _Units(
        tokens=tokens,
        row=rows,
        last_row=rows + glued[rows],
        value=np.asarray(unit_value, dtype=object),
        run=run[rows],
        is_stop=is_stop,
        suspended_end=hyphen_end[rows] | glued[rows],
        suspended_start=np.fromiter((t.startswith(_HYPHENS) for t in surface[rows]), dtype=bool, count=len(rows)),
    )


def _ngram_ids(codes: np.ndarray, n_values: int, max_length: int) -> dict[int, np.ndarray]:
    """``ids[k][i]``: a number for the k-gram of codes starting at ``i`` (equal k-grams, equal
    numbers), for k = 1 .. max_length."""
    ids = {1: codes.astype(np.int64)}
    m = len(codes)
    for k in range(2, max_length + 1):
        if m < k:
            break
        packed = ids[k - 1][: m - k + 1] * np.int64(max(n_values, 1)) + codes[k - 1 :]
        ids[k] = pd.factorize(packed)[0].astype(np.int64)
    return ids


def find_multiword_expressions(
    tokens: pd.DataFrame,
    *,
    by: str = "token",
    min_count: int = 2,
    max_length: int = 4,
    measure: str = "llr",
    min_score: float | None = None,
    keep_stopwords: bool = False,
) -> pd.DataFrame:
    """Find word sequences that occur together more often than chance.

    Candidates are contiguous sequences of 2 to ``max_length`` ``word`` tokens inside one
    sentence; any other token (punctuation, quotation mark, number, symbol) breaks a
    sequence, except a comma glued to a suspended form, which stays with it ("Ein-, Aus- und
    Durchfuhr" is a candidate of four words; "Staats- und Regierungschefs" needs no
    exception, its three tokens are words).

    Scores. Let the *slots* of length n be all positions where n consecutive words of one
    sentence start, S_n their number, and f(x) the number of slots of length n that begin
    with x (for a prefix) or end with x (for a suffix). For a bigram ``w1 w2`` the score is
    computed on the 2×2 table with O11 = f(w1 w2), row total f(w1 ·), column total
    f(· w2) and size S_2 (Dunning 1993; Evert 2005):

    * ``llr``: signed G² = 2 Σ O_ij ln(O_ij / E_ij), E_ij = row · column / S_2, negative
      when O11 < E11;
    * ``pmi``: log2(O11 / E11).

    A longer n-gram is split in each of its n − 1 places into a prefix and a suffix; each
    split gives the same kind of table over the slots of length n (O11 = f(n-gram), row
    total = f(prefix ·), column total = f(· suffix), size S_n), and the score is the
    *minimum* over the splits: the expression is only as strong as its weakest joint.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Tokens table (``doc_id, sentence_id, start, end, kind, token`` and the ``by``
        column; ``is_stop`` for the stop-word rule).
    by : {"token", "lemma", "stem"}
        Which column the words are taken from; the expression is its values joined by a
        space (case kept).
    min_count : int, default 2
        Minimum number of occurrences.
    max_length : int, default 4
        Longest expression, in words (at least 2).
    measure : {"llr", "pmi"}
        Association score.
    min_score : float, optional
        Keep expressions scoring at least this; default 10.83 for llr (p < 0.001 for one
        degree of freedom) and 0 for pmi.
    keep_stopwords : bool, default False
        When False, sequences that begin or end with a stop word (``is_stop``) are dropped.
        Sequences that begin with a trailing suspended part ("-ausfuhr") or end with a
        suspended form ("Staats-") are always dropped.

    Returns
    -------
    pandas.DataFrame
        Columns ``expression, n, length, score``: the expression, its number of
        occurrences, its length in words and its score, sorted by score descending, then
        length descending, then expression. Shorter expressions inside longer ones are kept
        ("Kim Jong" next to "Kim Jong Un"); :func:`join_multiword_expressions` prefers the
        longest. ``attrs["by"]`` records ``by``.

    Raises
    ------
    ParameterError
        For an unknown ``by`` or measure, ``min_count`` below 1, ``max_length`` below 2 or a
        tokens table without the needed columns.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [
    ...     "Kim Jong Un empfing Putin. Die Staats- und Regierungschefs lachten.",
    ...     "Putin lobte Kim Jong Un. Die Staats- und Regierungschefs fuhren Auto."]})
    >>> table = find_multiword_expressions(tokenize(docs), min_score=0)
    >>> table[table["length"] == 3]["expression"].tolist()
    ['Kim Jong Un', 'Staats- und Regierungschefs']
    """
    _check_by(by)
    min_count = _check_count(min_count, "min_count", 1)
    max_length = _check_count(max_length, "max_length", 2)
    if measure not in _MWE_MEASURES:
        raise ParameterError(f"measure={measure!r} is not one of {', '.join(_MWE_MEASURES)}")
    if min_score is None:
        min_score = LLR_CRITICAL_001 if measure == "llr" else 0.0
    check_tokens(tokens, [] if keep_stopwords else ["is_stop"])
    units = _units(tokens, by)
    codes, uniques = pd.factorize(units.value)
    ids = _ngram_ids(codes, len(uniques), max_length)
    m = len(codes)
    frames = []
    for n in range(2, max_length + 1):
        if n not in ids:
            break
        slots = m - n + 1
        valid = units.run[:slots] == units.run[n - 1 :]
        starts = np.flatnonzero(valid)
        if len(starts) == 0:
            continue
        total = float(len(starts))
        gram = ids[n][starts]
        counts = np.bincount(gram)
        distinct, first_index = np.unique(gram, return_index=True)
        rep = starts[first_index]  # a start position of each distinct n-gram
        observed = counts[distinct]
        keep = observed >= min_count
        keep &= ~units.suspended_start[rep] & ~units.suspended_end[rep + n - 1]
        if not keep_stopwords:
            keep &= ~units.is_stop[rep] & ~units.is_stop[rep + n - 1]
        rep, observed = rep[keep], observed[keep].astype(np.float64)
        if len(rep) == 0:
            continue
        score = np.full(len(rep), np.inf)
        for k in range(1, n):
            prefix_counts = np.bincount(ids[k][starts])
            suffix_counts = np.bincount(ids[n - k][starts + k])
            r1 = prefix_counts[ids[k][rep]].astype(np.float64)
            c1 = suffix_counts[ids[n - k][rep + k]].astype(np.float64)
            if measure == "llr":
                split = _signed_g2(observed, r1, c1, total)
            else:
                split = np.log2(observed * total / (r1 * c1))
            score = np.minimum(score, split)
        expression = [" ".join(units.value[i : i + n]) for i in rep]
        frames.append(pd.DataFrame({"expression": expression, "n": observed.astype(np.int64),
                                    "length": np.int64(n), "score": score}))
    if frames:
        table = pd.concat(frames, ignore_index=True)
        table = table[table["score"] >= min_score]
        table = table.sort_values(["score", "length", "expression"], ascending=[False, False, True], kind="stable")
        table = table.reset_index(drop=True)
    else:
        table = pd.DataFrame({"expression": pd.Series(dtype=object), "n": pd.Series(dtype=np.int64),
                              "length": pd.Series(dtype=np.int64), "score": pd.Series(dtype=np.float64)})
    table.attrs["by"] = by
    return table


def join_multiword_expressions(
    tokens: pd.DataFrame,
    expressions,
    *,
    separator: str = " ",
    by: str | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Make every occurrence of a multi-word expression one token.

    Expressions are matched on word units as in :func:`find_multiword_expressions` (inside
    a sentence, word tokens only, a comma glued to a suspended form belonging to its word),
    exactly and case-sensitively. Scanning each sentence left to right, at every position
    the longest expression that starts there is taken, and scanning resumes after it, so
    matches never overlap.

    The joined token has ``token`` = the text from the first token's start to the last
    token's end (sliced from ``documents`` when given; otherwise the tokens with each gap
    filled by as many spaces as it is wide, exact for ordinary spacing), ``start``/``end``
    spanning, ``kind`` ``"word"``, ``is_stop`` False, ``lemma`` and ``stem`` the parts'
    lemmas and stems joined by ``separator``, other columns from its first token;
    ``sentence_id`` is unchanged and ``token_id`` is renumbered within each document.

    Joining changes the running-word totals of :func:`analysis.stats.counts.count_terms`: an
    expression is one running word afterwards, like a hyphenated compound
    ("Kim-Il-Sung-Platz") always is.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Tokens table.
    expressions : list of str, or pandas.DataFrame
        Expressions, each with its words separated by whitespace ("Kim Jong Un"), or the
        table of :func:`find_multiword_expressions` (its ``expression`` column).
    separator : str, default " "
        Joins the lemmas and stems of the parts.
    by : {"token", "lemma", "stem"}, optional
        Column the expressions are written in; default the ``attrs["by"]`` of an expression
        table, else ``"token"``.
    documents : pandas.DataFrame, optional
        The documents table, for exact token text.

    Returns
    -------
    pandas.DataFrame
        A new tokens table (same columns), in document order.

    Raises
    ------
    ParameterError
        For an expression of fewer than two words, an unknown ``by``, or tables without the
        needed columns.

    Examples
    --------
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Putin traf Kim Jong Un in Pjöngjang."]})
    >>> joined = join_multiword_expressions(tokenize(docs), ["Kim Jong Un", "Kim Jong"])
    >>> joined["token"].tolist()
    ['Putin', 'traf', 'Kim Jong Un', 'in', 'Pjöngjang', '.']
    >>> joined["token_id"].tolist()
    [0, 1, 2, 3, 4, 5]
    """
    if isinstance(expressions, pd.DataFrame):
        if "expression" not in expressions.columns:
            raise ParameterError("the expression table has no column 'expression'",
                                 hint="pass the result of find_multiword_expressions or a list of strings")
        if by is None:
            by = expressions.attrs.get("by", "token")
        expressions = expressions["expression"].tolist()
    elif isinstance(expressions, str):
        expressions = [expressions]
    if by is None:
        by = "token"
    _check_by(by)
    if not isinstance(separator, str):
        raise ParameterError(f"separator must be a str, got {type(separator).__name__}")
    wanted = []
    for expression in expressions:
        if not isinstance(expression, str):
            raise ParameterError(f"an expression must be a str, got {type(expression).__name__}")
        parts = tuple(expression.split())
        if len(parts) < 2:
            raise ParameterError(f"the expression {expression!r} has fewer than two words",
                                 hint='write its words separated by spaces, e.g. "Kim Jong Un"')
        wanted.append(parts)
    if documents is not None:
        check_documents(documents)
    check_tokens(tokens)
    units = _units(tokens, by, documents)
    table = units.tokens
    m = len(units.value)
    # For each length, the unit positions where an expression of that length starts.
    best = np.zeros(m, dtype=np.int64)
    lengths = sorted({len(p) for p in wanted})
    for n in lengths:
        if m < n:
            continue
        slots = m - n + 1
        candidates = pd.MultiIndex.from_arrays([units.value[j : j + slots] for j in range(n)])
        hit = candidates.isin([p for p in wanted if len(p) == n])
        hit &= units.run[:slots] == units.run[n - 1 :]
        best[:slots] = np.where(hit, n, best[:slots])  # longer lengths come later and win
    accepted = []
    next_free = 0
    for i in np.flatnonzero(best):
        if i >= next_free:
            accepted.append((i, int(best[i])))
            next_free = i + best[i]
    if not accepted:
        result = table.copy()
    else:
        result = _collapse(table, units, accepted, separator, documents)
    if "token_id" in result.columns:
        ids = result.groupby(result["doc_id"].astype(str), sort=False).cumcount()
        result["token_id"] = ids.to_numpy().astype(table["token_id"].dtype)
    return result


def _collapse(table: pd.DataFrame, units: _Units, accepted, separator: str, documents) -> pd.DataFrame:
    texts = None
    if documents is not None:
        texts = dict(zip(documents["doc_id"].astype(str), documents["text"]))
    tokens = table["token"].astype(str).to_numpy()
    starts = table["start"].to_numpy(dtype=np.int64)
    ends = table["end"].to_numpy(dtype=np.int64)
    doc_ids = table["doc_id"].astype(str).to_numpy()
    columns = {c: table[c].astype(str).to_numpy() for c in ("lemma", "stem") if c in table.columns}
    drop = np.zeros(len(table), dtype=bool)
    first_rows, texts_out, end_out = [], [], []
    joined = {c: [] for c in columns}
    for i, n in accepted:
        first_row, last_row = units.row[i], units.last_row[i + n - 1]
        drop[first_row + 1 : last_row + 1] = True
        start, end = starts[first_row], ends[last_row]
        if texts is not None:
            text = texts[doc_ids[first_row]][start:end]
        else:
            pieces = [tokens[first_row]]
            for r in range(first_row + 1, last_row + 1):
                pieces.append(" " * int(starts[r] - ends[r - 1]) + tokens[r])
            text = "".join(pieces)
        first_rows.append(first_row)
        texts_out.append(text)
        end_out.append(end)
        for c, values in columns.items():
            parts = []
            for j in range(i, i + n):
                part = values[units.row[j]]
                parts.append(part + "," if units.last_row[j] != units.row[j] else part)
            joined[c].append(separator.join(parts))
    result = table.copy()
    rows = np.asarray(first_rows)
    position = result.columns.get_loc
    result.iloc[rows, position("token")] = texts_out
    result.iloc[rows, position("end")] = np.asarray(end_out).astype(table["end"].dtype)
    result.iloc[rows, position("kind")] = "word"
    if "is_stop" in result.columns:
        result.iloc[rows, position("is_stop")] = False
    for c, values in joined.items():
        result.iloc[rows, position(c)] = values
    return result[~drop].reset_index(drop=True)
