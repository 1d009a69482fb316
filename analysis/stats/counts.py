"""Document-term and group-term count matrices.

``count_terms`` turns a tokens table into a sparse :class:`CountMatrix` (documents × terms);
``group_counts`` sums its rows by a documents-table column such as ``outlet``.

The row totals are the number of *running words* of each row (tokens of kind ``word`` and
``number``), counted before stop words, short words or rare terms are dropped from the
columns. Relative frequencies, TF-IDF lengths and keyness therefore always refer to the real
size of each text, however the vocabulary is filtered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import ParameterError
from ..text import RUNNING_WORD_KINDS, RUNNING_WORDS_COLUMN

__all__ = ["COUNT_BY", "CountMatrix", "check_by", "count_terms", "group_codes", "group_counts", "running_words", "RUNNING_WORD_KINDS",
           "RUNNING_WORDS_COLUMN"]

# RUNNING_WORD_KINDS and RUNNING_WORDS_COLUMN are defined with the token kinds (analysis.text).

#: What a count can count: a tokens-table column.
COUNT_BY = ("token", "lemma", "stem")


@dataclass(frozen=True)
class CountMatrix:
    """Sparse term counts with their row and term labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Integer counts, shape ``(len(rows), len(terms))``.
    rows : pandas.Index
        Row labels (doc_ids, or group values after :func:`group_counts`); its ``name`` says which.
    terms : pandas.Index
        Column labels, sorted.
    totals : pandas.Series
        Running words per row, indexed like ``rows``; unchanged by any term filter.
    by : str
        Which token column was counted: ``"token"``, ``"lemma"`` or ``"stem"``.

    Examples
    --------
    >>> import pandas as pd
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "token": ["Kim", "lacht", "Kim"],
    ...                        "kind": "word", "is_stop": False})
    >>> counts = count_terms(tokens, by="token")
    >>> counts.to_frame()
      doc_id   term  count
    0      a    Kim      1
    1      a  lacht      1
    2      b    Kim      1
    """

    matrix: sparse.csr_matrix
    rows: pd.Index
    terms: pd.Index
    totals: pd.Series
    by: str = "token"

    def __post_init__(self):
        n_rows, n_terms = self.matrix.shape
        if n_rows != len(self.rows) or n_terms != len(self.terms):
            raise ParameterError(
                f"matrix shape {self.matrix.shape} does not match {len(self.rows)} rows "
                f"and {len(self.terms)} terms"
            )
        if not self.totals.index.equals(self.rows):
            raise ParameterError("totals must be indexed exactly like rows")

    @property
    def row_name(self) -> str:
        """Name of the row dimension (``doc_id``, ``outlet``, ...)."""
        return self.rows.name or "row"

    def term_totals(self) -> pd.Series:
        """Count of each term over all rows."""
        return pd.Series(np.asarray(self.matrix.sum(axis=0)).ravel(), index=self.terms, name="count")

    def to_frame(self) -> pd.DataFrame:
        """Tidy table ``(<row name>, term, count)`` of the non-zero cells, in row then term order."""
        coo = self.matrix.tocoo()
        order = np.lexsort((coo.col, coo.row))
        return pd.DataFrame(
            {
                self.row_name: self.rows.to_numpy()[coo.row[order]],
                "term": self.terms.to_numpy()[coo.col[order]],
                "count": coo.data[order].astype(np.int64),
            }
        )

    def take_rows(self, positions) -> "CountMatrix":
        """The rows at ``positions`` (in that order), with their totals; terms unchanged."""
        positions = np.asarray(positions, dtype=np.int64)
        return CountMatrix(self.matrix[positions], pd.Index(self.rows[positions], name=self.rows.name), self.terms,
                           self.totals.iloc[positions], self.by)

    def filter_terms(self, *, min_count: int = 1, min_rows: int = 1, terms=None) -> "CountMatrix":
        """Keep terms seen at least ``min_count`` times in at least ``min_rows`` rows.

        ``terms`` (an iterable) restricts the columns further to those terms. The totals are
        kept as they are: filtering changes the vocabulary, never the size of the texts.
        """
        keep = np.asarray(self.matrix.sum(axis=0)).ravel() >= min_count
        keep &= np.asarray((self.matrix > 0).sum(axis=0)).ravel() >= min_rows
        if terms is not None:
            keep &= self.terms.isin(list(terms))
        index = np.flatnonzero(keep)
        return CountMatrix(self.matrix[:, index].tocsr(), self.rows, self.terms[index], self.totals, self.by)


def running_words(tokens) -> pd.Series:
    """Running words (tokens of a kind in :data:`RUNNING_WORD_KINDS`) per document.

    Parameters
    ----------
    tokens : pandas.DataFrame or analysis.store.TokenStore
        A tokens table (``doc_id`` and ``kind``) or a token store.

    Returns
    -------
    pandas.Series
        int64 counts indexed by ``doc_id`` (str): every document of a store, the documents
        with at least one token of a table.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "kind": ["word", "punct", "number", "word"]})
    >>> running_words(tokens).to_dict()
    {'a': 2, 'b': 1}
    """
    from ..store import TokenStore
    from ..text import KINDS

    if isinstance(tokens, TokenStore):
        running_type = np.isin(np.asarray(KINDS, dtype=object), list(RUNNING_WORD_KINDS))[tokens.type_attribute("kind")]
        counts = np.zeros(tokens.n_documents, dtype=np.int64)
        for first, stop in tokens.slices():  # slice by slice: no array over every token
            lo, hi = int(tokens.offsets[first]), int(tokens.offsets[stop])
            cumulative = np.concatenate(([0], np.cumsum(running_type[tokens.type_ids[lo:hi]], dtype=np.int64)))
            bounds = tokens.offsets[first : stop + 1] - lo
            counts[first:stop] = cumulative[bounds[1:]] - cumulative[bounds[:-1]]
        return pd.Series(counts, index=pd.Index(tokens.doc_ids.astype(str), name="doc_id"), name="running_words")
    if not isinstance(tokens, pd.DataFrame) or not {"doc_id", "kind"} <= set(tokens.columns):
        raise ParameterError(
            "tokens must be a tokens table with doc_id and kind columns, or a TokenStore",
            hint="make it with analysis.text.tokenize, or pass prepared.store",
        )
    if RUNNING_WORDS_COLUMN in tokens.columns:
        weights = tokens[RUNNING_WORDS_COLUMN].astype(np.int64)
        counts = weights.groupby(tokens["doc_id"].astype(str), sort=False).sum().astype(np.int64)
        counts = counts[counts.index.isin(tokens.loc[weights > 0, "doc_id"].astype(str))]
    else:
        running = tokens[tokens["kind"].astype(str).isin(list(RUNNING_WORD_KINDS))]
        counts = running.groupby(running["doc_id"].astype(str), sort=False).size().astype(np.int64)
    counts.index.name = "doc_id"
    return counts.rename("running_words")


def check_by(by) -> None:
    """Raise a ParameterError unless ``by`` is one of :data:`COUNT_BY`."""
    if by not in COUNT_BY:
        raise ParameterError(f"by={by!r} is not one of {', '.join(COUNT_BY)}", hint="count tokens, lemmas or stems")


def count_terms(
    tokens: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    by: str = "lemma",
    lowercase: bool = False,
    keep_stopwords: bool = False,
    keep_numbers: bool = False,
    min_chars: int = 2,
) -> CountMatrix:
    """Count terms per document.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Tokens table (``doc_id``, ``kind``, ``is_stop`` and the column named by ``by``).
    documents : pandas.DataFrame, optional
        Documents table; when given, every one of its doc_ids gets a row, in its order, even a
        document without any token, so no document drops out of the counts.
    by : {"lemma", "token", "stem"}
        Which token column is counted.
    lowercase : bool
        Lower-case terms before counting. Off by default: German capitalises nouns, and lemmas
        already undo sentence-initial capitals for most words.
    keep_stopwords, keep_numbers : bool
        Keep stop words or number tokens as terms. Either way they count in the totals.
    min_chars : int
        Drop terms shorter than this many characters from the columns (not from the totals).

    Returns
    -------
    CountMatrix
        Rows are doc_ids (``rows.name == "doc_id"``), terms sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> tokens = pd.DataFrame({
    ...     "doc_id": ["d1"] * 4,
    ...     "token": ["Die", "Diktatoren", "lachen", "."],
    ...     "lemma": ["die", "Diktator", "lachen", "."],
    ...     "kind": ["word", "word", "word", "punct"],
    ...     "is_stop": [True, False, False, False]})
    >>> counts = count_terms(tokens)
    >>> list(counts.terms), int(counts.totals["d1"])
    (['Diktator', 'lachen'], 3)
    """
    check_by(by)
    missing = [c for c in ("doc_id", "kind", by) if c not in tokens.columns]
    if not keep_stopwords and "is_stop" not in tokens.columns:
        missing.append("is_stop")
    if missing:
        raise ParameterError(
            f"the tokens table has no column {', '.join(map(repr, missing))}",
            hint="make it with analysis.text.tokenize(documents)",
        )

    doc_ids = tokens["doc_id"].astype(str).to_numpy()
    if documents is not None:
        row_labels = pd.Index(documents["doc_id"].astype(str), name="doc_id")
        unknown = pd.Index(doc_ids).difference(row_labels)
        if len(unknown):
            raise ParameterError(
                f"tokens refer to doc_ids not in the documents table: {', '.join(unknown[:5])}",
                hint="tokenize the same documents table you pass here",
            )
    else:
        row_labels = pd.Index(pd.unique(doc_ids), name="doc_id")
    row_of = row_labels.get_indexer(doc_ids)

    kind = tokens["kind"].astype(str).to_numpy()
    running = np.isin(kind, list(RUNNING_WORD_KINDS))
    if RUNNING_WORDS_COLUMN in tokens.columns:
        # Tokens that stand for several (a mention merged by canonical_tokens) count as many
        # running words as they replace: one definition, with and without mentions.
        weights = tokens[RUNNING_WORDS_COLUMN].to_numpy(dtype=np.int64)
        totals = np.bincount(row_of, weights=weights, minlength=len(row_labels)).astype(np.int64)
    else:
        totals = np.bincount(row_of[running], minlength=len(row_labels))

    keep = (kind == "word") | ((kind == "number") & keep_numbers)
    if not keep_stopwords:
        keep &= ~tokens["is_stop"].to_numpy(dtype=bool)
    terms = tokens[by].astype(str)
    if lowercase:
        terms = terms.str.lower()
    keep &= terms.str.len().to_numpy() >= min_chars

    codes, vocabulary = pd.factorize(terms[keep], sort=True)
    matrix = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.int64), (row_of[keep], codes)),
        shape=(len(row_labels), len(vocabulary)),
    )
    matrix.sum_duplicates()
    return CountMatrix(
        matrix=matrix,
        rows=row_labels,
        terms=pd.Index(vocabulary, name="term"),
        totals=pd.Series(totals.astype(np.int64), index=row_labels, name="total"),
        by=by,
    )


def group_codes(counts: CountMatrix, documents: pd.DataFrame, *, group: str = "outlet") -> tuple[np.ndarray, pd.Index]:
    """The group of each row of document counts: integer codes and the sorted group values.

    Raises a ParameterError naming what to do for a missing column, duplicate doc_ids or a
    document without a group value.
    """
    for column in ("doc_id", group):
        if column not in documents.columns:
            raise ParameterError(
                f"the documents table has no column {column!r}",
                hint=f"available columns: {', '.join(map(str, documents.columns))}",
            )
    lookup = pd.Series(documents[group].to_numpy(), index=documents["doc_id"].astype(str))
    if lookup.index.has_duplicates:
        raise ParameterError("the documents table has duplicate doc_ids", hint="load it with analysis.io.corpus.load_corpus")
    labels = lookup.reindex(counts.rows.astype(str))
    if labels.isna().any():
        missing = list(counts.rows[labels.isna().to_numpy()][:5])
        raise ParameterError(
            f"doc_ids without a {group!r} value: {', '.join(map(str, missing))}",
            hint=f"fill the {group!r} column (e.g. 'unknown') or count only the documents you group",
        )
    codes, groups = pd.factorize(labels.astype(str), sort=True)
    return codes.astype(np.int64), pd.Index(groups, name=group)


def group_counts(counts: CountMatrix, documents: pd.DataFrame, *, group: str = "outlet") -> CountMatrix:
    """Sum document rows into one row per value of a documents-table column.

    Parameters
    ----------
    counts : CountMatrix
        Document-term counts (rows are doc_ids).
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and the ``group`` column.
    group : str
        Column to group by, e.g. ``"outlet"``; rows of the result are its values, sorted.

    Returns
    -------
    CountMatrix
        Group-term counts with ``rows.name == group``; totals are the summed running words.

    Examples
    --------
    >>> import pandas as pd
    >>> tokens = pd.DataFrame({"doc_id": ["a", "b", "c"], "token": ["Kim", "Kim", "Putin"],
    ...                        "kind": "word", "is_stop": False})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"]})
    >>> group_counts(count_terms(tokens, by="token"), docs).to_frame()
      outlet   term  count
    0      X    Kim      2
    1      Y  Putin      1
    """
    codes, groups = group_codes(counts, documents, group=group)
    indicator = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.int64), (codes, np.arange(len(codes)))),
        shape=(len(groups), len(codes)),
    )
    rows = pd.Index(groups, name=group)
    return CountMatrix(
        matrix=(indicator @ counts.matrix).tocsr(),
        rows=rows,
        terms=counts.terms,
        totals=pd.Series(indicator @ counts.totals.to_numpy(), index=rows, name="total"),
        by=counts.by,
    )
