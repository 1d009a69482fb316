"""Stories: the articles that report the same event, by a metadata column or found automatically.

Passages are aligned only within a story: two articles about different events share words
("Regierung", "Mittwoch") but no facts. :func:`find_stories` groups the articles either

* by a documents column (``story="event"``): articles with the same value are one story, an
  article with an empty value is a story of its own; or
* automatically: two articles are linked when the cosine similarity of their TF-IDF vectors
  reaches :data:`STORY_SIMILARITY` and their dates are at most :data:`STORY_DATE_WINDOW_DAYS`
  apart (an article without a date may be linked with any); a story is a connected group of
  links. The vectors are the corpus's document-term counts (``prepared.doc_counts``: lemmas,
  with every entity mention counted as its entity, so "Putins" and "Wladimir Putin" agree),
  weighted by sublinear TF and smooth IDF over the corpus and scaled to length 1 — the named
  entities are part of them, and as rarer terms they weigh more than common words.

  A chain of links can join stories that share no article pair above the threshold; a group of
  more than :data:`MAX_STORY_ARTICLES` articles is split again at a higher threshold (in steps
  of :data:`STORY_SPLIT_STEP`), since an event reported by hundreds of articles of one corpus is
  rare and such groups are mostly chains. Every automatic story is listed with its articles and
  each article's most similar article of the story, so a reader can check it.

The similarities are computed in blocks of :data:`STORY_BLOCK_ROWS` articles against the
articles of their date range, so memory stays bounded for any corpus size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ..errors import ParameterError

__all__ = ["MAX_STORY_ARTICLES", "STORY_BLOCK_ROWS", "STORY_COLUMNS", "STORY_DATE_WINDOW_DAYS", "STORY_SIMILARITY",
           "STORY_SPLIT_STEP", "find_stories", "story_links"]

#: Cosine similarity of two articles' TF-IDF vectors from which they may report one story. Two
#: reports of one event by different outlets (the bundled pair: 0.35) share its names, places
#: and key nouns; articles of the same outlet on different events of one topic stay mostly below
#: 0.2 on the generated corpora. A starting value: check the stories table.
STORY_SIMILARITY = 0.25
#: Largest gap in days between the dates of two articles of one story.
STORY_DATE_WINDOW_DAYS = 3
#: A group with more articles is split again at a higher threshold.
MAX_STORY_ARTICLES = 100
#: Step by which the threshold rises while a group is too large.
STORY_SPLIT_STEP = 0.05
#: Articles whose similarities are computed at once.
STORY_BLOCK_ROWS = 2000
#: Columns of the stories table.
STORY_COLUMNS = ("story", "doc_id", "n_articles", "n_outlets", "nearest", "similarity", "method")


def _vectors(doc_counts):
    from sklearn.feature_extraction.text import TfidfTransformer

    # Sublinear TF: a name repeated ten times in one article should not outweigh five shared ones.
    return TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2").fit_transform(
        sparse.csr_matrix(doc_counts.matrix, dtype=np.float64))


def _days(metadata: pd.DataFrame) -> np.ndarray:
    """Days since 1970 of every article (NaN without a date)."""
    if "date" not in metadata.columns:
        return np.full(len(metadata), np.nan)
    dates = pd.to_datetime(metadata["date"], errors="coerce", format="mixed")
    days = (dates - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
    return np.floor(days.to_numpy(dtype=np.float64))


def story_links(vectors, days: np.ndarray, *, threshold: float = STORY_SIMILARITY,
                window: int = STORY_DATE_WINDOW_DAYS, block: int = STORY_BLOCK_ROWS) -> pd.DataFrame:
    """Pairs of articles similar enough to be one story.

    Parameters
    ----------
    vectors : scipy.sparse matrix
        One row per article, rows of length 1 (cosine = dot product).
    days : numpy.ndarray
        Day number of each article (NaN: no date, compared with every article).
    threshold : float
    window : int
        Largest date difference in days.
    block : int
        Articles compared at once (memory: one block against its date range).

    Returns
    -------
    pandas.DataFrame
        ``a, b, similarity``: row positions with ``a < b``.

    Examples
    --------
    >>> from scipy import sparse
    >>> x = sparse.csr_matrix([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> story_links(x, np.array([0.0, 1.0, 9.0]), threshold=0.5).values.tolist()
    [[0.0, 1.0, 0.8]]
    """
    vectors = sparse.csr_matrix(vectors)
    n = vectors.shape[0]
    days = np.asarray(days, dtype=np.float64)
    dated = np.flatnonzero(~np.isnan(days))
    undated = np.flatnonzero(np.isnan(days))
    order = dated[np.argsort(days[dated], kind="stable")]
    sorted_days = days[order]
    found_a, found_b, found_s = [], [], []

    def collect(rows: np.ndarray, columns: np.ndarray):
        if not len(rows) or not len(columns):
            return
        product = (vectors[rows] @ vectors[columns].T).tocoo()
        a, b, s = rows[product.row], columns[product.col], product.data
        keep = (a < b) & (s >= threshold - 1e-12)
        gap = np.abs(days[a[keep]] - days[b[keep]])
        close = np.isnan(gap) | (gap <= window)
        found_a.append(a[keep][close])
        found_b.append(b[keep][close])
        found_s.append(s[keep][close])

    for start in range(0, len(order), block):
        rows = order[start:start + block]
        low = np.searchsorted(sorted_days, sorted_days[start] - window, side="left")
        high = np.searchsorted(sorted_days, sorted_days[min(start + block, len(order)) - 1] + window, side="right")
        collect(rows, np.concatenate([order[low:high], undated]))
    for start in range(0, len(undated), block):
        rows = undated[start:start + block]
        # Undated against every article; the dated ones saw them above, so each pair is found
        # once (a < b keeps one orientation of every product).
        collect(rows, np.arange(n))
    if found_a:
        table = pd.DataFrame({"a": np.concatenate(found_a), "b": np.concatenate(found_b),
                              "similarity": np.round(np.concatenate(found_s), 6)})
    else:
        table = pd.DataFrame({"a": [], "b": [], "similarity": []})
    table = table.drop_duplicates(["a", "b"]).sort_values(["a", "b"]).reset_index(drop=True)
    return table.astype({"a": np.int64, "b": np.int64, "similarity": np.float64}) if len(table) else table


def _components(n: int, links: pd.DataFrame, threshold: float, limit: int, step: float) -> np.ndarray:
    """Connected groups of the links at ``threshold``; a group larger than ``limit`` is split
    again at a higher threshold."""
    labels = np.arange(n)
    strong = links[links["similarity"] >= threshold - 1e-12]
    graph = sparse.coo_matrix((np.ones(len(strong)), (strong["a"].to_numpy(), strong["b"].to_numpy())), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    result = labels.astype(np.int64) * (n + 1)
    for label in np.flatnonzero(sizes > limit):
        members = np.flatnonzero(labels == label)
        if threshold + step > 1.0:
            continue  # near-identical articles all: they stay one story
        inside = links[np.isin(links["a"], members) & np.isin(links["b"], members)].copy()
        local = pd.Series(np.arange(len(members)), index=members)
        inside["a"], inside["b"] = local[inside["a"]].to_numpy(), local[inside["b"]].to_numpy()
        split = _components(len(members), inside, threshold + step, limit, step)
        result[members] = label * (n + 1) + 1 + np.unique(split, return_inverse=True)[1]
    return result


def find_stories(metadata: pd.DataFrame, doc_counts=None, *, story: str | None = None, group: str = "outlet",
                 threshold: float = STORY_SIMILARITY, window: int = STORY_DATE_WINDOW_DAYS,
                 max_articles: int = MAX_STORY_ARTICLES) -> pd.DataFrame:
    """Assign every article to a story.

    Parameters
    ----------
    metadata : pandas.DataFrame
        The documents table (``prepared.metadata``): ``doc_id``, ``group`` and, for automatic
        stories, ``date`` when known.
    doc_counts : analysis.stats.counts.CountMatrix, optional
        Document-term counts with rows in the order of ``metadata`` (``prepared.doc_counts``);
        needed for automatic stories.
    story : str, optional
        A documents column naming each article's story; None finds stories automatically.
    group : str
        The column of the outlets (``n_outlets`` counts its values per story).
    threshold, window, max_articles
        See :data:`STORY_SIMILARITY`, :data:`STORY_DATE_WINDOW_DAYS`, :data:`MAX_STORY_ARTICLES`.

    Returns
    -------
    pandas.DataFrame
        :data:`STORY_COLUMNS`, one row per article in corpus order: its story, the story's
        articles and outlets, its most similar article in the story and their similarity
        (automatic stories; empty and NaN for a column), and ``method`` (``column <name>`` or
        ``automatic``).

    Examples
    --------
    >>> meta = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"], "event": ["g", "g", ""]})
    >>> find_stories(meta, story="event")[["story", "doc_id", "n_articles", "n_outlets"]].values.tolist()
    [['g', 'a', 2, 2], ['g', 'b', 2, 2], ['c', 'c', 1, 1]]
    """
    if not 0.0 < float(threshold) <= 1.0:
        raise ParameterError(f"threshold={threshold!r} must be in (0, 1]")
    ids = metadata["doc_id"].astype(str).reset_index(drop=True)
    outlets = metadata[group].astype(str).reset_index(drop=True) if group in metadata.columns else pd.Series(
        ["unknown"] * len(ids))
    nearest = pd.Series([""] * len(ids), dtype=object)
    similarity = np.full(len(ids), np.nan)
    if story is not None:
        if story not in metadata.columns:
            raise ParameterError(f"the corpus has no column {story!r} naming stories",
                                 hint=f"choose one of: {', '.join(map(str, metadata.columns))}, or leave --story out "
                                      "to find stories automatically")
        values = metadata[story].reset_index(drop=True)
        empty = values.isna() | (values.astype(str).str.strip() == "")
        names = values.astype(str).where(~empty, "")
        names = names.where(~empty, ids)  # an article without a story is a story of its own
        method = f"column {story}"
    else:
        if doc_counts is None:
            raise ParameterError("automatic stories need the document-term counts (prepared.doc_counts)")
        if len(doc_counts.rows) != len(ids) or not (pd.Index(doc_counts.rows.astype(str)) == pd.Index(ids)).all():
            raise ParameterError("doc_counts rows must be the documents of metadata, in the same order")
        links = story_links(_vectors(doc_counts), _days(metadata), threshold=threshold, window=window)
        labels = _components(len(ids), links, threshold, max_articles, STORY_SPLIT_STEP)
        # Stories named after their first article in corpus order: stable when others are added.
        first = pd.Series(np.arange(len(ids))).groupby(labels).transform("min").to_numpy()
        names = pd.Series([f"story-{ids[i]}" for i in first], dtype=object)
        if len(links):
            same = labels[links["a"].to_numpy()] == labels[links["b"].to_numpy()]
            inside = links[same]
            both = pd.DataFrame({"doc": np.concatenate([inside["a"], inside["b"]]),
                                 "other": np.concatenate([inside["b"], inside["a"]]),
                                 "similarity": np.concatenate([inside["similarity"]] * 2)})
            best = both.sort_values(["doc", "similarity", "other"], ascending=[True, False, True]).drop_duplicates("doc")
            nearest.iloc[best["doc"].to_numpy()] = ids.iloc[best["other"].to_numpy()].to_numpy()
            similarity[best["doc"].to_numpy()] = best["similarity"].to_numpy()
        method = "automatic"
    table = pd.DataFrame({"story": names.astype(str).to_numpy(dtype=object), "doc_id": ids.to_numpy(dtype=object)})
    table["n_articles"] = table.groupby("story")["doc_id"].transform("size").astype(np.int64)
    table["n_outlets"] = outlets.groupby(table["story"]).transform("nunique").astype(np.int64).to_numpy()
    table["nearest"] = nearest.to_numpy(dtype=object)
    table["similarity"] = similarity
    table["method"] = method
    return table[list(STORY_COLUMNS)]
