"""The term explorer's data: per-outlet counts of the kept terms, KWIC lines and their articles.

Keyness itself is computed in the page (``report.js``) from these counts and each outlet's
running words, with the formula of :func:`analysis.stats.keyness.keyness` (log-odds ratio with
an informative Dirichlet prior): the statistic of a term depends only on its two counts and the
two totals, so the page gives the values Python gives for any pair of outlets, for the terms
it keeps.

Which terms are kept: the :attr:`SiteLimits.typical_terms` most typical terms of each outlet
against the rest (Python's :func:`~analysis.stats.keyness.keyness`), then the most frequent
terms of the corpus, up to :attr:`SiteLimits.terms`. KWIC lines (:func:`analysis.stats.kwic.kwic`)
are found for the terms in that order — each outlet's typical terms first, taken rank by rank —
within a bounded set of articles: a term's lines come from articles already embedded when it
occurs in them, and new articles are added only while :attr:`SiteLimits.articles` and
:attr:`SiteLimits.article_tokens` allow. Every left-out term, line and article is counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ...stats.keyness import keyness
from ...stats.kwic import kwic
from ...store.patterns import compile_pattern
from .limits import SiteLimits

__all__ = ["PRIOR_NOTE", "kept_terms", "term_data"]

#: What the page says about the prior (shown under the scatter plot).
PRIOR_NOTE = (
    "Keyness is the z-score of the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & "
    "Quinn 2008), as python -m analysis keyness computes it: α(w) = α0 · π(w) with α0 = a tenth of the "
    "smaller side's running words. π(w) is the term's share of the running words of the two texts compared "
    "(prior 'compared texts', the default of analysis.stats.keyness) or of the whole corpus (prior 'whole "
    "corpus', prior='all'); both come from the per-outlet counts embedded in this page. Running words are "
    "all words of each outlet, before stop words were left out."
)

_GLOB = set("*?")


def kept_terms(counts, limits: SiteLimits) -> tuple[list[int], list[int]]:
    """Which terms the explorer keeps, and in which order their KWIC lines are found.

    Returns
    -------
    kept : list of int
        Column positions of the kept terms in ``counts``, most frequent first (ties by term).
    priority : list of int
        The same positions in KWIC order: the typical terms of every outlet rank by rank, then
        the others by frequency.
    """
    column_totals = np.asarray(counts.matrix.sum(axis=0)).ravel()
    terms = counts.terms.astype(str).to_numpy()
    used = np.flatnonzero(column_totals > 0)
    by_frequency = used[np.lexsort((terms[used], -column_totals[used]))]
    position = pd.Index(terms)
    typical_lists = []
    if len(counts.rows) >= 2:
        for target in counts.rows:  # one table at a time: each holds every term
            table = keyness(counts, target, reference="rest")
            top = table[table["statistic"] > 0].head(limits.typical_terms)["term"].astype(str)
            typical_lists.append(position.get_indexer(top).tolist())
    typical = []
    for rank in range(limits.typical_terms):
        for chosen in typical_lists:
            if rank < len(chosen):
                typical.append(chosen[rank])
    typical = list(dict.fromkeys(typical))[: limits.terms]
    chosen = set(typical)
    for column in by_frequency.tolist():
        if len(chosen) >= limits.terms:
            break
        chosen.add(column)
    kept = [c for c in by_frequency.tolist() if c in chosen]
    priority = typical + [c for c in kept if c not in set(typical)]
    return kept, priority


def _entity_patterns(prepared) -> dict:
    """Counted term → the registry patterns of its entity (the term of a mention is the
    entity's name when lemmas or stems are counted)."""
    registry = prepared.registry
    if registry is None or prepared.by == "token":
        return {}
    by_entity: dict = {}
    for pattern, entity_id in registry.patterns:
        by_entity.setdefault(entity_id, []).append(pattern)
    return {entity.name: by_entity.get(entity.id, []) for entity in registry.entities}


def _term_pattern(term: str, by: str):
    """A KWIC pattern finding exactly the tokens counted as ``term``; None when there is none."""
    if by == "stem" or not term or _GLOB & set(term) or any(ch.isspace() for ch in term):
        return None
    return compile_pattern(term, valuetype="lemma" if by == "lemma" else "fixed", case_insensitive=False)


def _plan_articles(prepared, columns: list[int], outlet_codes: np.ndarray, n_outlets: int, limits: SiteLimits):
    """For each KWIC term and outlet, the articles its lines come from (rows of the document counts)."""
    matrix = sparse.csc_matrix(prepared.doc_counts.matrix[:, columns])
    store = prepared.store
    lengths = store.lengths[store.positions(prepared.doc_counts.rows.astype(str).tolist())]
    embedded = np.zeros(matrix.shape[0], dtype=bool)
    order: list[int] = []
    tokens = 0
    plan = {}
    for number in range(len(columns)):
        docs = matrix.indices[matrix.indptr[number]:matrix.indptr[number + 1]]
        docs = np.sort(docs)
        of_outlet = outlet_codes[docs]
        for outlet in range(n_outlets):
            candidates = docs[of_outlet == outlet]
            if not len(candidates):
                continue
            # Articles already in the page first: a term's lines cost no new article when it
            # occurs in one of them.
            chosen = candidates[embedded[candidates]][: limits.kwic_lines].tolist()
            for doc in candidates[~embedded[candidates]].tolist():
                if len(chosen) >= limits.kwic_lines or len(order) >= limits.articles:
                    break
                if tokens + int(lengths[doc]) > limits.article_tokens:
                    continue
                embedded[doc] = True
                order.append(doc)
                tokens += int(lengths[doc])
                chosen.append(doc)
            if chosen:
                plan[number, outlet] = chosen
    return plan, sorted(order)


def _without_overlaps(lines: pd.DataFrame) -> pd.DataFrame:
    """Of matches of one entity that overlap ("Kim Jong Un" and its "Kim"), the longest."""
    if lines.empty:
        return lines
    lines = lines.assign(_length=lines["end"] - lines["start"])
    lines = lines.sort_values(["_term", "doc_id", "start", "_length"], ascending=[True, True, True, False],
                              kind="stable")
    keep = np.ones(len(lines), dtype=bool)
    last_key, last_end = None, -1
    for i, (term, doc, start, end) in enumerate(zip(lines["_term"], lines["doc_id"], lines["start"], lines["end"])):
        key = (term, doc)
        if key == last_key and start < last_end:
            keep[i] = False
            continue
        if key != last_key or end > last_end:
            last_end = end
        last_key = key
    return lines[keep].drop(columns="_length")


def _kwic_lines(documents, patterns, store, window) -> pd.DataFrame:
    """KWIC lines of the patterns (pattern, term position) in the chosen documents."""
    if not patterns or documents.empty:
        return pd.DataFrame(columns=["doc_id", "start", "end", "left", "match", "right", "_term"])
    compiled = [p for p, _ in patterns]
    owner = {p.pattern: t for p, t in patterns}
    table = kwic(documents, compiled, tokens=store, window=window, group=None)
    table["_term"] = table["pattern"].map(owner)
    return table


def term_data(prepared, limits: SiteLimits) -> dict:
    """The data of the term explorer.

    Parameters
    ----------
    prepared : analysis.pipeline.PreparedCorpus
    limits : SiteLimits

    Returns
    -------
    dict
        ``outlets``, ``totals`` (running words), ``terms`` (kept terms), ``counts`` (one list
        per outlet), ``kwic`` (lines ``[term, outlet, article, start, end, left, match,
        right]``), ``kwic_terms`` (positions of the terms KWIC lines were looked for),
        ``articles`` (``[doc_id, outlet, title, date, text]``), ``omitted`` (what was left
        out) and the notes shown in the page.
    """
    counts = prepared.group_counts
    outlets = [str(r) for r in counts.rows]
    kept, priority = kept_terms(counts, limits)
    terms = counts.terms.astype(str).to_numpy()
    dense = sparse.csr_matrix(counts.matrix)[:, kept].toarray().astype(np.int64) if kept else np.zeros((len(outlets), 0), np.int64)
    used_terms = int((np.asarray(counts.matrix.sum(axis=0)).ravel() > 0).sum())
    index_of = {c: i for i, c in enumerate(kept)}

    # Which terms get KWIC lines: as many as the line budget allows for every outlet.
    n_kwic = max(1, limits.kwic_total // max(1, len(outlets) * limits.kwic_lines))
    entity_patterns = _entity_patterns(prepared)
    doc_terms = pd.Index(prepared.doc_counts.terms.astype(str))
    kwic_columns, kwic_terms, patterns = [], [], []
    skipped = 0
    for column in priority:
        if len(kwic_terms) >= n_kwic:
            break
        term = str(terms[column])
        found = entity_patterns.get(term)
        chosen = found if found else ([_term_pattern(term, prepared.by)] if _term_pattern(term, prepared.by) else [])
        doc_column = doc_terms.get_indexer([term])[0]
        if not chosen or doc_column < 0:
            skipped += 1
            continue
        kwic_terms.append(index_of[column])
        kwic_columns.append(doc_column)
        patterns.extend((p, index_of[column]) for p in chosen)

    metadata = prepared.metadata
    doc_ids = prepared.doc_counts.rows.astype(str).to_numpy()
    outlet_of = metadata.set_index(metadata["doc_id"].astype(str))[prepared.group].astype(str)
    outlet_codes = pd.Index(outlets).get_indexer(outlet_of.reindex(doc_ids).to_numpy())
    plan, article_positions = _plan_articles(prepared, kwic_columns, outlet_codes, len(outlets), limits)
    wanted = set(doc_ids[article_positions].tolist())
    parts = [part[part["doc_id"].astype(str).isin(wanted)] for part in prepared.iter_documents()]
    documents = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["doc_id", "text"])
    documents = documents.assign(doc_id=documents["doc_id"].astype(str))
    documents = documents.set_index("doc_id").loc[doc_ids[article_positions]].reset_index()

    entity_terms = {index_of[c] for c in priority if str(terms[c]) in entity_patterns}
    lines = _kwic_lines(documents, [(p, t) for p, t in patterns if t not in entity_terms], prepared.store, limits.window)
    entity_lines = _without_overlaps(_kwic_lines(documents, [(p, t) for p, t in patterns if t in entity_terms],
                                                 prepared.store, limits.window))
    lines = pd.concat([lines, entity_lines], ignore_index=True) if len(entity_lines) else lines
    position_of = {p: i for i, p in enumerate(article_positions)}
    # One line per planned article: the first match in it.
    first = lines.sort_values(["_term", "doc_id", "start"], kind="stable").drop_duplicates(["_term", "doc_id"])
    by_key = {(int(t), str(d)): row for t, d, row in zip(first["_term"], first["doc_id"], first.itertuples(index=False))}
    kwic_rows = []
    shown = np.zeros((len(outlets), len(kept)), dtype=np.int64)
    for (number, outlet), docs in sorted(plan.items()):
        term = kwic_terms[number]
        for doc in docs:
            row = by_key.get((term, doc_ids[doc]))
            if row is None:
                continue
            kwic_rows.append([term, outlet, position_of[doc], int(row.start), int(row.end), row.left, row.match,
                              row.right])
            shown[outlet, term] += 1
    kwic_rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    lookup = documents.set_index("doc_id")
    articles = []
    for doc in doc_ids[article_positions]:
        record = lookup.loc[doc]
        articles.append([doc, outlets.index(outlet_of[doc]), str(record.get("title", "") or ""),
                         record.get("date") if "date" in lookup.columns else None, str(record["text"])])
    kwic_set = sorted(kwic_terms)
    occurrences = int(dense[:, kwic_set].sum()) if kwic_set else 0
    return {
        "outlets": outlets,
        "totals": [int(counts.totals[r]) for r in counts.rows],
        "terms": [str(terms[c]) for c in kept],
        "counts": dense.tolist(),
        "kwic": kwic_rows,
        "kwic_terms": kwic_set,
        "articles": articles,
        "by": prepared.by,
        "window": limits.window,
        "prior_note": PRIOR_NOTE,
        "omitted": {
            "terms": used_terms - len(kept),
            "terms_used": used_terms,
            "typical_per_outlet": limits.typical_terms,
            "terms_without_kwic": len(kept) - len(kwic_set),
            "terms_without_pattern": skipped,
            "kwic_lines_per_outlet": limits.kwic_lines,
            "kwic_occurrences": occurrences,
            "kwic_lines_left_out": occurrences - int(shown.sum()),
            "articles": len(articles),
            "articles_left_out": int(len(metadata) - len(articles)),
        },
    }
