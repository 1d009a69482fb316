"""How far to trust a word-choice result: bootstrap intervals over articles, and rank stability.

``bootstrap_keyness`` resamples the *articles* of each group with replacement (a stratified
bootstrap: every group keeps its number of articles), sums them into group counts again and
recomputes keyness, so the interval shows how much a term's statistic and rank depend on which
articles happened to be collected. Every term of the observed table is scored in every
replicate: one whose articles were not drawn counts with its zero counts, never dropped
(dropping it would leave its interval to the replicates that favour it — the bias is largest
for the rare, distinctive terms). The prior of the log-odds measure (π and α0) is the observed
one in every replicate: it is part of the model, and it gives zero counts a defined value. Word-level statistics such as the log-odds z-score treat
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
from .keyness import LOG_RATIO_ZERO, keyness, keyness_statistic
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
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(f"n_boot={n_boot!r} must be a whole number ≥ 1", hint="e.g. n_boot=1000")
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
    elif isinstance(reference, str) and reference == "background":
        involved = targets
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
        reported = np.arange(len(vocabulary)) if terms is None else np.flatnonzero(vocabulary.isin(list(terms)))
        stats, ranks = _replicates(counts, labels, grouped, observed, targets, reference, measure,
                                   keyness_options, reported, n_boot=n_boot, seed=seed)
        tail = (1 - level) / 2
        for column, values in (("ci_low", np.quantile(stats, tail, axis=0)),
                               ("ci_high", np.quantile(stats, 1 - tail, axis=0)),
                               ("rank_low", np.quantile(ranks, tail, axis=0)),
                               ("rank_high", np.quantile(ranks, 1 - tail, axis=0))):
            result[column] = np.nan
            result.loc[reported, column] = values
        result["n_boot"] = n_boot
    result["level"] = level
    result["note"] = note
    result = result[["term", "statistic", "ci_low", "ci_high", "rank", "rank_low", "rank_high", "n_boot", "level", "note"]]
    result.attrs.update(observed.attrs)
    result.attrs["note"] = note
    if terms is not None:
        result = result[result["term"].isin(list(terms))]
    return result.reset_index(drop=True)


def _observed_prior(grouped: CountMatrix, observed: pd.DataFrame, keyness_options: dict) -> np.ndarray:
    """The prior counts α(w) of the observed comparison, for each of its terms.

    The prior is part of the model, not of the sample: every replicate uses the observed one,
    which is also what gives a term absent from a replicate a defined statistic (its zero
    counts against a prior that is not zero).
    """
    prior = keyness_options.get("prior", "pooled")
    terms = pd.Index(observed["term"])
    if prior == "pooled":
        rates = (observed["n_target"] + observed["n_reference"]).to_numpy(float) / (
            observed.attrs["total_target"] + observed.attrs["total_reference"])
    elif prior == "all":
        column = np.asarray(grouped.matrix.sum(axis=0)).ravel()[grouped.terms.get_indexer(terms)]
        rates = column / float(grouped.totals.sum())
    else:  # background: as keyness reads it, a term it lacks counted 0 and then LOG_RATIO_ZERO
        background = keyness_options["background"]
        total = keyness_options.get("background_total") or float(background.sum())
        found = background.reindex(terms).fillna(0).to_numpy(float)
        rates = np.where(found == 0, LOG_RATIO_ZERO, found) / total
    return observed.attrs["alpha0"] * rates


def _replicates(counts, labels, grouped, observed, targets, reference, measure, keyness_options, reported,
                *, n_boot: int, seed: int):
    """Statistic and rank of every observed term in each replicate (rows), for the ``reported`` terms.

    Each replicate draws, within every group, as many articles as the group has, with
    replacement (a stratified cluster bootstrap: an article's words stay together). Every term
    of the observed table is scored in every replicate — a term whose articles were not drawn
    counts with zero, never dropped — and ranked among all of them.
    """
    options = {key: value for key, value in keyness_options.items()
               if key in ("correction", "variance")}
    terms = pd.Index(observed["term"])
    columns = counts.terms.get_indexer(terms)
    matrix = counts.matrix.tocsc()[:, columns].tocsr()  # articles × observed terms
    totals = counts.totals.to_numpy(float)
    alpha = _observed_prior(grouped, observed, keyness_options) if measure == "logodds" else None
    alpha0 = observed.attrs.get("alpha0")

    codes, names = pd.factorize(labels, sort=True)
    members = [np.flatnonzero(codes == k) for k in range(len(names))]
    name_list = [str(n) for n in names]
    target_rows = np.array([name_list.index(str(t)) for t in targets])
    background_side = isinstance(reference, str) and reference == "background"
    if isinstance(reference, str) and reference == "rest":
        reference_rows = np.setdiff1d(np.arange(len(names)), target_rows)
    elif background_side:
        reference_rows = None
        b_fixed = observed["n_reference"].to_numpy(float)
        nr_fixed = float(observed.attrs["total_reference"])
    else:
        refs = [reference] if isinstance(reference, str) else list(reference)
        reference_rows = np.array([name_list.index(str(r)) for r in refs])

    rng = np.random.default_rng(seed)
    stats = np.empty((n_boot, len(reported)))
    ranks = np.empty((n_boot, len(reported)))
    for replicate in range(n_boot):
        draws = np.concatenate([rng.choice(m, size=len(m), replace=True) for m in members])
        indicator = sparse.csr_matrix(
            (np.ones(len(draws)), (codes[draws], draws)), shape=(len(names), len(codes)))
        summed = np.asarray((indicator @ matrix).todense())
        group_totals = indicator @ totals
        a, nt = summed[target_rows].sum(axis=0), float(group_totals[target_rows].sum())
        if background_side:
            b, nr = b_fixed, nr_fixed
        else:
            b, nr = summed[reference_rows].sum(axis=0), float(group_totals[reference_rows].sum())
        statistic, _ = keyness_statistic(a, b, nt, nr, measure=measure, alpha=alpha, alpha0=alpha0, **options)
        stats[replicate] = statistic[reported]
        ranks[replicate] = _rank_descending(statistic)[reported]
    return stats, ranks


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
