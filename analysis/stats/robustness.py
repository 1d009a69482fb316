"""How far to trust a word-choice result: bootstrap intervals over articles, and rank stability.

``bootstrap_keyness`` resamples the *articles* of each group with replacement (a stratified
bootstrap: every group keeps its number of articles), sums them into group counts again and
recomputes keyness, so the interval shows how much a term's statistic and rank depend on which
articles happened to be collected. Word-level statistics such as the log-odds z-score treat
every word as an independent draw and are too confident when words cluster in articles.

With a single article in a group, resampling articles always returns the same article: its
article-level uncertainty cannot be estimated, and the table says so instead of printing an
interval of width zero.

``rank_stability`` asks whether a top term stays near the top when the measure (TF-IDF,
log-odds, G²) or the unit counted (token, lemma, stem) changes.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from .counts import CountMatrix, count_terms, group_counts
from ..errors import ParameterError
from .keyness import keyness
from .tfidf import tfidf

__all__ = ["bootstrap_keyness", "rank_stability", "SINGLE_ARTICLE_NOTE"]

#: Note used when a compared group has only one article.
SINGLE_ARTICLE_NOTE = (
    "article-level uncertainty cannot be estimated: {groups} {verb} only one article, so "
    "resampling articles cannot vary the counts"
)


def _group_labels(counts: CountMatrix, documents: pd.DataFrame, group: str) -> pd.Series:
    for column in ("doc_id", group):
        if column not in documents.columns:
            raise ParameterError(f"the documents table has no column {column!r}")
    lookup = pd.Series(documents[group].astype(str).to_numpy(), index=documents["doc_id"].astype(str))
    labels = lookup.reindex(counts.rows)
    if labels.isna().any():
        raise ParameterError(
            "the counts have rows that are not in the documents table",
            hint="pass the documents table the counts were made from",
        )
    return labels


def _rank_descending(values: np.ndarray) -> np.ndarray:
    """1-based rank, highest value first; ties share the best rank (min method)."""
    return pd.Series(values).rank(method="min", ascending=False).to_numpy()


def bootstrap_keyness(
    counts: CountMatrix,
    documents: pd.DataFrame,
    target,
    *,
    group: str = "outlet",
    reference="rest",
    measure: str = "logodds",
    n_boot: int = 1000,
    level: float = 0.95,
    terms=None,
    seed: int = 0,
    **keyness_options,
) -> pd.DataFrame:
    """Percentile bootstrap intervals, over articles, for each term's keyness and rank.

    Parameters
    ----------
    counts : CountMatrix
        **Document**-term counts (rows are doc_ids), e.g. from :func:`analysis.stats.counts.count_terms`.
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``group``.
    target, reference
        As in :func:`analysis.stats.keyness.keyness`: group values (``reference="rest"`` pools the others).
    group : str
        Documents column that defines the groups.
    measure : str
        Keyness measure (``logodds``, ``chi2``, ``g2``, ``logratio``).
    n_boot : int
        Bootstrap replicates.
    level : float
        Coverage of the percentile interval (0.95 gives the 2.5 % and 97.5 % quantiles).
    terms : iterable of str, optional
        Report only these terms (all terms are still ranked).
    seed : int
        Seed of the random generator: the same seed gives the same table.
    **keyness_options
        Passed to :func:`analysis.stats.keyness.keyness` (``alpha0``, ``correction``, ...).

    Returns
    -------
    pandas.DataFrame
        Columns ``term, statistic, ci_low, ci_high, rank, rank_low, rank_high, n_boot, level,
        note``: the statistic and rank (1 = most typical of the target) on the observed data,
        and their percentile intervals. When a compared group has a single article, the
        interval columns are NaN and ``note`` says why (a warning is issued as well).

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.stats.counts import count_terms
    >>> tokens = pd.DataFrame({"doc_id": ["a1", "a1", "a2", "b1", "b2"],
    ...     "token": ["Diktator", "Gipfel", "Diktator", "Freund", "Gipfel"], "kind": "word", "is_stop": False})
    >>> docs = pd.DataFrame({"doc_id": ["a1", "a2", "b1", "b2"], "outlet": ["A", "A", "B", "B"]})
    >>> table = bootstrap_keyness(count_terms(tokens, by="token"), docs, "A", n_boot=200)
    >>> table.loc[table.term == "Diktator", ["ci_low", "ci_high"]].notna().all(axis=None)
    np.True_
    """
    if n_boot < 1:
        raise ParameterError(f"n_boot={n_boot} must be at least 1")
    if not 0 < level < 1:
        raise ParameterError(f"level={level} must be between 0 and 1, e.g. 0.95")
    labels = _group_labels(counts, documents, group)
    grouped = group_counts(counts, documents.astype({group: str}), group=group)
    observed = keyness(grouped, target, reference=reference, measure=measure, **keyness_options)
    vocabulary = pd.Index(observed["term"])
    observed_rank = _rank_descending(observed["statistic"].to_numpy())

    targets = [target] if isinstance(target, str) else list(target)
    if isinstance(reference, str) and reference == "rest":
        involved = list(grouped.rows)
    else:
        involved = targets + ([reference] if isinstance(reference, str) else list(reference))
    sizes = labels.value_counts()
    single = sorted(g for g in involved if sizes.get(str(g), 0) == 1)

    result = pd.DataFrame(
        {"term": observed["term"], "statistic": observed["statistic"], "rank": observed_rank}
    )
    if single:
        note = SINGLE_ARTICLE_NOTE.format(groups=", ".join(single), verb="has" if len(single) == 1 else "have")
        warnings.warn(note, stacklevel=2)
        for column in ("ci_low", "ci_high", "rank_low", "rank_high"):
            result[column] = np.nan
        result["n_boot"] = 0
    else:
        note = ""
        rng = np.random.default_rng(seed)
        codes, names = pd.factorize(labels, sort=True)
        members = [np.flatnonzero(codes == k) for k in range(len(names))]
        stats = np.empty((n_boot, len(vocabulary)))
        ranks = np.empty((n_boot, len(vocabulary)))
        rows = pd.Index(names, name=group)
        for b in range(n_boot):
            # Stratified resample: each group draws as many articles as it has, with replacement.
            draws = np.concatenate([rng.choice(m, size=len(m), replace=True) for m in members])
            draw_group = codes[draws]
            indicator = sparse.csr_matrix(
                (np.ones(len(draws), dtype=np.int64), (draw_group, draws)), shape=(len(names), len(codes))
            )
            replicate = CountMatrix(
                (indicator @ counts.matrix).tocsr(),
                rows,
                counts.terms,
                pd.Series(indicator @ counts.totals.to_numpy(), index=rows),
                counts.by,
            )
            table = keyness(replicate, target, reference=reference, measure=measure, **keyness_options)
            # A term whose articles were not drawn has no statistic in that replicate; its interval
            # is taken over the replicates that contain it.
            stat = table.set_index("term")["statistic"].reindex(vocabulary).to_numpy()
            stats[b] = stat
            # A term nobody used in the replicate ranks last (all such terms tie).
            ranks[b] = _rank_descending(np.where(np.isnan(stat), -np.inf, stat))
        tail = (1 - level) / 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns for terms never drawn
            result["ci_low"] = np.nanquantile(stats, tail, axis=0)
            result["ci_high"] = np.nanquantile(stats, 1 - tail, axis=0)
        result["rank_low"] = np.quantile(ranks, tail, axis=0)
        result["rank_high"] = np.quantile(ranks, 1 - tail, axis=0)
        result["n_boot"] = n_boot
    result["level"] = level
    result["note"] = note
    result = result[["term", "statistic", "ci_low", "ci_high", "rank", "rank_low", "rank_high", "n_boot", "level", "note"]]
    result.attrs.update(observed.attrs)
    result.attrs["note"] = note
    if terms is not None:
        result = result[result["term"].isin(list(terms))]
    return result.reset_index(drop=True)


def _term_to_lemma(tokens, by: str) -> pd.Series:
    """Most frequent lemma of each token or stem (ties: alphabetical), to compare across units."""
    from ..store import TokenStore

    if by == "lemma":
        return pd.Series(dtype=object)
    if isinstance(tokens, TokenStore):
        # Per word type with its corpus frequency: the same counts as one row per token.
        n = np.bincount(np.asarray(tokens.type_ids), minlength=len(tokens.vocabulary))
        words = tokens.type_attribute("kind") == 0
        column = "form" if by == "token" else by
        pairs = pd.DataFrame({by: tokens.type_attribute(column)[words].astype(str),
                              "lemma": tokens.type_attribute("lemma")[words].astype(str), "n": n[words]})
        counted = pairs[pairs["n"] > 0].groupby([by, "lemma"], sort=False)["n"].sum().reset_index()
    else:
        pairs = tokens.loc[tokens["kind"].astype(str) == "word", [by, "lemma"]].astype(str)
        counted = pairs.value_counts().rename("n").reset_index()
    counted = counted.sort_values(["n", "lemma"], ascending=[False, True])
    return counted.drop_duplicates(by).set_index(by)["lemma"]


def rank_stability(
    tokens: pd.DataFrame,
    documents: pd.DataFrame,
    target: str,
    *,
    group: str = "outlet",
    reference="rest",
    top: int = 15,
    near: int | None = None,
    measures=("tfidf", "logodds", "g2"),
    units=("lemma", "token", "stem"),
) -> pd.DataFrame:
    """Does each top term of ``target`` stay near the top across measures and counting units?

    Every combination of a measure (``tfidf`` — smooth variant — ``logodds``, ``chi2``, ``g2``,
    ``logratio``) and a unit (``lemma``, ``token``, ``stem``) ranks the target's terms. Token and
    stem terms are mapped to their most frequent lemma so that the rows can be compared; a lemma
    takes the best rank of its forms.

    Parameters
    ----------
    tokens : pandas.DataFrame or TokenStore
        Tokens table of the corpus, or its token store (``prepared.store``: any corpus size).
    documents : pandas.DataFrame
        Documents table (``doc_id`` and ``group``; the texts are not read).
    target : str
        The group whose typical terms are checked.
    group, reference
        As in :func:`analysis.stats.keyness.keyness`; TF-IDF ranks the target among all groups.
    top : int
        Terms reported: the union of each configuration's ``top`` best.
    near : int, optional
        A term is *stable* if its rank is at most ``near`` in every configuration (default ``2 * top``).
    measures, units : sequences of str
        Configurations to compare.

    Returns
    -------
    pandas.DataFrame
        One row per term (lemma): ``term``, one ``rank_<measure>_<unit>`` column per configuration,
        ``best_rank``, ``worst_rank``, ``n_near`` (configurations with rank ≤ near), ``stable``;
        sorted by worst rank. Missing ranks (the term does not occur in that configuration) are NaN
        and make the term unstable.
    """
    from ..store import TokenStore
    from ..store.counting import count_store

    near = 2 * top if near is None else near
    if top < 1 or near < 1:
        raise ParameterError("top and near must be at least 1")
    known_measures = {"tfidf", "logodds", "chi2", "g2", "logratio"}
    unknown = [m for m in measures if m not in known_measures]
    if unknown:
        raise ParameterError(f"unknown measure {', '.join(unknown)}", hint=f"choose from {', '.join(sorted(known_measures))}")
    columns = {}
    for unit in units:
        doc_counts = (count_store(tokens, by=unit) if isinstance(tokens, TokenStore)
                      else count_terms(tokens, documents=documents, by=unit))
        grouped = group_counts(doc_counts, documents, group=group)
        if target not in set(grouped.rows):
            raise ParameterError(f"target {target!r} is not a value of {group!r}", hint=f"choose from {', '.join(map(str, grouped.rows))}")
        mapping = _term_to_lemma(tokens, unit)
        for measure in measures:
            if measure == "tfidf":
                table = tfidf(grouped, variant="smooth")
                table = table[table[group].astype(str) == str(target)][["term", "rank"]]
            else:
                table = keyness(grouped, target, reference=reference, measure=measure)
                table = table.assign(rank=_rank_descending(table["statistic"].to_numpy()))[["term", "rank"]]
            if unit != "lemma":
                table = table.assign(term=table["term"].map(mapping).fillna(table["term"]))
            columns[f"rank_{measure}_{unit}"] = table.groupby("term")["rank"].min()
    ranks = pd.DataFrame(columns)
    chosen = set()
    for column in ranks.columns:
        chosen |= set(ranks.index[ranks[column] <= top])
    ranks = ranks.loc[sorted(chosen)]
    result = ranks.rename_axis("term").reset_index()
    values = result[list(columns)]
    result["best_rank"] = values.min(axis=1)
    result["worst_rank"] = values.max(axis=1).where(values.notna().all(axis=1), np.nan)
    result["n_near"] = (values <= near).sum(axis=1)
    result["stable"] = result["n_near"] == len(columns)
    return result.sort_values(["stable", "worst_rank", "best_rank", "term"], ascending=[False, True, True, True],
                              na_position="last").reset_index(drop=True)
