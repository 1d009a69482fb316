"""Passage alignment: which sentences of two articles of one story report the same fact.

Within a story, every sentence of an article is compared with every sentence of each article of
another outlet. The score of a sentence pair is a weighted sum of four similarities, each in
[0, 1]:

* **lemmas** (:data:`WEIGHT_LEMMA`): cosine of TF-IDF vectors over the content keys of
  :mod:`analysis.align.units` (lemmas, numbers, entity ids). The IDF is fitted on the
  sentences of the story, so that what every sentence of the story says ("Putin", "Gipfel") weighs
  little and what few say ("Pungsan-Hunde", "Teeservice") much;
* **characters** (:data:`WEIGHT_CHARS`): cosine of TF-IDF vectors of character 3- to 5-grams
  within words of the content forms. German compounds share their parts: "Verteidigungsabkommen"
  and "Verteidigungspakt", "Luxusauto" and "luxuriösen Auto", "Pungsan-" and "Bungsan-Hunde";
* **entities** (:data:`WEIGHT_ENTITIES`): Jaccard similarity of the entity ids named (mentions
  and labels that name a person by themselves);
* **numbers** (:data:`WEIGHT_NUMBERS`): Jaccard similarity of the numbers given (0 when one
  sentence has none).

**Choosing the pairs.** For each pair of articles, a global one-to-one assignment
(:func:`scipy.optimize.linear_sum_assignment`, maximising the summed score) gives each sentence
at most one partner; its pairs with a score of at least :data:`ALIGN_THRESHOLD` are aligned.
One sentence of one outlet often reports what two sentences of the other report (a caption
repeats the text; one long sentence holds two facts), so a pair outside the assignment is
aligned too when it is the best partner of one of its two sentences and scores at least
:data:`MANY_THRESHOLD` (one-to-many). Each aligned pair keeps its score, its four parts and
how it was chosen (``assignment`` or ``best``).

**Shared copy.** A pair whose content forms agree almost word for word — the
:class:`difflib.SequenceMatcher` ratio over the lower-cased forms of all words, stop words
included, at least :data:`SHARED_COPY_RATIO` and at least :data:`SHARED_MIN_WORDS` words — is
marked ``shared`` (wire copy, or a text one outlet took from the other). The share of every
article that is shared copy is in :func:`analysis.align.tables.article_table`. Whole articles
printed by several outlets are already marked by loading (``shared_text``, ``near_duplicate``;
:mod:`analysis.io.duplicates`); this finds the shared sentences inside articles that differ.

Limits: the scores see words, not meaning. A paraphrase without shared words or names ("Sie
machten eine Fahrt" — "reisten in einem Auto") scores low; a sentence that repeats the
names and the setting of another but reports a different fact can score high.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment

__all__ = ["ALIGN_THRESHOLD", "MANY_THRESHOLD", "PAIR_COLUMNS", "SHARED_COPY_RATIO", "SHARED_MIN_WORDS",
           "WEIGHT_CHARS", "WEIGHT_ENTITIES", "WEIGHT_LEMMA", "WEIGHT_NUMBERS", "align_units", "pair_scores"]

#: Weights of the four similarities (they sum to 1).
WEIGHT_LEMMA, WEIGHT_CHARS, WEIGHT_ENTITIES, WEIGHT_NUMBERS = 0.4, 0.35, 0.15, 0.1
#: Least score of an aligned pair of the one-to-one assignment.
ALIGN_THRESHOLD = 0.15
#: Least score of a further pair that is the best partner of one of its sentences.
MANY_THRESHOLD = 0.2
#: SequenceMatcher ratio of the lower-cased words from which a pair is shared copy.
SHARED_COPY_RATIO = 0.9
#: Shorter sentences are never shared copy ("Das ist richtig." is everybody's sentence).
SHARED_MIN_WORDS = 6
#: Columns of the table of aligned pairs.
PAIR_COLUMNS = ("doc_id_a", "sentence_id_a", "doc_id_b", "sentence_id_b", "score", "lemma", "chars", "entities",
                "numbers", "chosen", "shared", "copy_ratio")


def _jaccard(sets: list) -> sparse.csr_matrix:
    """Pairwise Jaccard similarities of a list of sets, as a sparse matrix (zero where disjoint)."""
    vocabulary = {item: k for k, item in enumerate(sorted({x for s in sets for x in s}, key=str))}
    if not vocabulary:
        return sparse.csr_matrix((len(sets), len(sets)))
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    cols = np.fromiter((vocabulary[x] for s in sets for x in s), dtype=np.int64, count=len(rows))
    member = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), len(vocabulary)))
    inter = (member @ member.T).tocoo()
    size = np.asarray(member.sum(axis=1)).ravel()
    union = size[inter.row] + size[inter.col] - inter.data
    return sparse.csr_matrix((inter.data / union, (inter.row, inter.col)), shape=(len(sets), len(sets)))


def pair_scores(units) -> dict:
    """The four similarity matrices between all sentences of ``units`` and their weighted sum.

    Parameters
    ----------
    units : analysis.align.units.SentenceUnits
        The sentences of one story.

    Returns
    -------
    dict
        ``lemma``, ``chars``, ``entities``, ``numbers`` and ``score``: dense arrays of shape
        ``(n, n)``.

    Examples
    --------
    >>> from analysis.store import TokenStore
    >>> from analysis.align.units import sentence_units
    >>> store = TokenStore.from_texts(["a", "b"], ["Putin schenkte Kim ein Auto. Es regnete.",
    ...                                            "Putin überreichte Kim ein Luxusauto."])
    >>> scores = pair_scores(sentence_units(store, ["a", "b"]))
    >>> bool(scores["score"][0, 2] > scores["score"][1, 2])
    True
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(units)
    out = {}
    if n == 0:
        empty = np.zeros((0, 0))
        return {name: empty for name in ("lemma", "chars", "entities", "numbers", "score")}
    # Keys are already tokens: the vectorizer only counts and weighs them.
    lemma = TfidfVectorizer(analyzer=lambda keys: keys, sublinear_tf=True, norm="l2")
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True, sublinear_tf=True, norm="l2")
    for name, vectorizer, docs in (("lemma", lemma, units.keys),
                                   ("chars", chars, [" ".join(f for f, k in zip(forms, keys)
                                                              if not k.startswith("@") and not f[:1].isdigit())
                                                     for forms, keys in zip(units.forms, units.keys)])):
        if any(len(d) for d in docs):
            matrix = vectorizer.fit_transform(docs)
            out[name] = (matrix @ matrix.T).toarray()
        else:
            out[name] = np.zeros((n, n))
    out["entities"] = _jaccard(units.entities).toarray()
    out["numbers"] = _jaccard(units.numbers).toarray()
    out["score"] = (WEIGHT_LEMMA * out["lemma"] + WEIGHT_CHARS * out["chars"] + WEIGHT_ENTITIES * out["entities"]
                    + WEIGHT_NUMBERS * out["numbers"])
    return out


def copy_ratio(words_a: list[str], words_b: list[str]) -> float:
    """:class:`difflib.SequenceMatcher` ratio of two word lists (lower-cased).

    Examples
    --------
    >>> copy_ratio("Die Staatsoberhäupter trafen sich".split(), "Die Staatsoberhäupter trafen sich heute".split())
    0.889
    """
    matcher = difflib.SequenceMatcher(None, [w.lower() for w in words_a], [w.lower() for w in words_b],
                                      autojunk=False)
    return round(matcher.ratio(), 3)


def align_units(units, outlets: dict, *, threshold: float = ALIGN_THRESHOLD,
                many_threshold: float = MANY_THRESHOLD) -> pd.DataFrame:
    """The aligned sentence pairs of one story, between articles of different outlets.

    Parameters
    ----------
    units : analysis.align.units.SentenceUnits
        The sentences of the story's articles.
    outlets : dict
        doc_id → outlet; articles of the same outlet are not aligned with each other.
    threshold, many_threshold : float
        See :data:`ALIGN_THRESHOLD` and :data:`MANY_THRESHOLD`.

    Returns
    -------
    pandas.DataFrame
        :data:`PAIR_COLUMNS`; ``doc_id_a`` is the article that comes first in the story (the
        pair's outlets are ``outlets[doc_id_a]`` and ``outlets[doc_id_b]``).

    Examples
    --------
    >>> from analysis.store import TokenStore
    >>> from analysis.align.units import sentence_units
    >>> store = TokenStore.from_texts(["a", "b"], [
    ...     "Die Diktatoren trafen sich in Pjöngjang. Es regnete den ganzen Tag.",
    ...     "Heute schien die Sonne. Die Staatsoberhäupter trafen sich in Pjöngjang."])
    >>> pairs = align_units(sentence_units(store, ["a", "b"]), {"a": "X", "b": "Y"})
    >>> pairs[["sentence_id_a", "sentence_id_b", "chosen"]].values.tolist()
    [[0, 1, 'assignment']]
    """
    table = units.table
    if len(table) == 0:
        return pd.DataFrame({c: [] for c in PAIR_COLUMNS})
    scores = pair_scores(units)
    docs = table["doc_id"].astype(str).to_numpy()
    order = list(dict.fromkeys(docs))
    rows_of = {d: np.flatnonzero(docs == d) for d in order}
    words = [text.split() for text in table["text"]]
    found = []
    for i, doc_a in enumerate(order):
        for doc_b in order[i + 1:]:
            if outlets.get(doc_a) == outlets.get(doc_b):
                continue
            ra, rb = rows_of[doc_a], rows_of[doc_b]
            block = scores["score"][np.ix_(ra, rb)]
            chosen = np.zeros(block.shape, dtype=object)
            chosen[:] = ""
            ia, ib = linear_sum_assignment(-block)
            kept = block[ia, ib] >= threshold
            chosen[ia[kept], ib[kept]] = "assignment"
            # One-to-many: the best partner of a sentence, if clearly similar, also when the
            # one-to-one assignment gave that sentence (or the partner) to another.
            best_b = block.argmax(axis=1)
            best_a = block.argmax(axis=0)
            extra = np.zeros(block.shape, dtype=bool)
            extra[np.arange(len(ra)), best_b] = True
            extra[best_a, np.arange(len(rb))] = True
            extra &= (block >= many_threshold) & (chosen == "")
            chosen[extra] = "best"
            for x, y in zip(*np.nonzero(chosen != "")):
                a, b = ra[x], rb[y]
                ratio = copy_ratio(words[a], words[b])
                shared = ratio >= SHARED_COPY_RATIO and min(table.at[a, "n_words"], table.at[b, "n_words"]) >= SHARED_MIN_WORDS
                found.append((doc_a, int(table.at[a, "sentence_id"]), doc_b, int(table.at[b, "sentence_id"]),
                              round(float(block[x, y]), 4), round(float(scores["lemma"][a, b]), 4),
                              round(float(scores["chars"][a, b]), 4), round(float(scores["entities"][a, b]), 4),
                              round(float(scores["numbers"][a, b]), 4), chosen[x, y], bool(shared), ratio))
    pairs = pd.DataFrame(found, columns=list(PAIR_COLUMNS))
    return pairs.sort_values(["doc_id_a", "doc_id_b", "sentence_id_a", "sentence_id_b"], kind="stable",
                             key=lambda c: c.map({d: k for k, d in enumerate(order)}) if c.name.startswith("doc") else c
                             ).reset_index(drop=True)
