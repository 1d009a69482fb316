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
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment

__all__ = ["ALIGN_THRESHOLD", "MANY_THRESHOLD", "PAIR_COLUMNS", "SHARED_COPY_RATIO", "SHARED_MIN_WORDS",
           "WEIGHT_CHARS", "WEIGHT_ENTITIES", "WEIGHT_LEMMA", "WEIGHT_NUMBERS", "CHAR_NGRAMS", "align_units",
           "aligned_rows",
           "UnitCounts", "char_ngrams", "pair_scores", "unit_counts"]

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


#: Character n-gram lengths of the ``chars`` similarity (scikit-learn's ``char_wb`` analyser).
CHAR_NGRAMS = (3, 5)


def char_ngrams(forms) -> tuple[np.ndarray, np.ndarray]:
    """The character n-grams of word forms as integer codes, as scikit-learn's ``char_wb`` cuts them.

    Each form is lower-cased and split at white space; each word is padded with one space on
    either side and cut into its substrings of :data:`CHAR_NGRAMS` lengths, a padded word shorter
    than an n-gram length giving itself once. Written over arrays (the code of an n-gram is its
    characters as digits of one integer) because the analyser's loop over every character of every
    word was most of the alignment's time; ``tests/test_align.py`` checks the result against the
    analyser.

    Returns
    -------
    (form, code) : tuple of numpy.ndarray
        For every n-gram occurrence, the index of its form in ``forms`` and the n-gram's code
        (equal codes, equal n-grams; the codes of one call only).

    Examples
    --------
    >>> form, code = char_ngrams(["Auto", "auto", "Kim"])
    >>> [int((form == k).sum()) for k in range(3)]  # " auto ": 4 + 3 + 2; " kim ": 3 + 2 + 1
    [9, 9, 6]
    >>> bool((code[:9] == code[9:18]).all()), len(set(code[18:].tolist()))
    (True, 6)
    """
    low, high = CHAR_NGRAMS
    words, owner = [], []
    for k, form in enumerate(forms):
        for word in str(form).lower().split():
            words.append(f" {word} ")
            owner.append(k)
    if not words:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    points = np.frombuffer("".join(words).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    owner = np.asarray(owner, dtype=np.int64)
    alphabet, digits = np.unique(points, return_inverse=True)
    base = len(alphabet) + 1  # digits 1..len(alphabet): an n-gram's code also tells its length
    if base ** high >= 2 ** 63:
        raise ValueError(f"{len(alphabet)} distinct characters are too many for integer n-gram codes")
    digits = digits.astype(np.int64) + 1
    found_word, found_code = [], []
    for n in range(low, high + 1):
        # Windows of n characters inside each padded word; a word of at most n characters gives
        # itself once, at its own length, and no longer n-grams.
        if n == low:
            windows = np.maximum(lengths - n + 1, 1)
        else:
            windows = np.where(lengths >= n, lengths - n + 1, 0)
        width = np.where(lengths >= n, n, lengths)
        word = np.repeat(np.arange(len(words)), windows)
        at = starts[word] + (np.arange(int(windows.sum())) - np.repeat(np.cumsum(windows) - windows, windows))
        span = width[word]
        code = np.zeros(len(at), dtype=np.int64)
        for k in range(n):
            inside = k < span
            code = np.where(inside, code * base + digits[np.minimum(at + k, len(digits) - 1)], code)
        found_word.append(word)
        found_code.append(code)
    # The analyser's order: word by word, shorter n-grams first, left to right.
    word = np.concatenate(found_word)
    order = np.argsort(word, kind="stable")
    return owner[word[order]], np.concatenate(found_code)[order]


def _counts(rows: np.ndarray, columns: np.ndarray, n_rows: int, n_columns: int) -> sparse.csr_matrix:
    """Count matrix of (row, column) occurrences (duplicates summed)."""
    return sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n_rows, n_columns))


def _cosine(counts: sparse.csr_matrix) -> np.ndarray:
    """Pairwise cosines of the rows' TF-IDF vectors, weighted as scikit-learn's ``TfidfVectorizer``
    with ``sublinear_tf=True`` weighs them (tf → 1 + ln tf; smooth idf ln((1 + n) / (1 + df)) + 1,
    fitted on these rows; l2 norm). Counting is done by the caller, over integer ids: the
    vectorizer's own counting walks Python strings and dominated the alignment's time."""
    from sklearn.preprocessing import normalize

    n = counts.shape[0]
    if counts.shape[1] == 0:
        return np.zeros((n, n))
    counts = counts.tocsr(copy=True)
    counts.sum_duplicates()
    # Columns no row of these uses (the rows of one story among those of many) get no weight.
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    counts.data = (np.log(counts.data) + 1) * (np.log((1 + n) / (1 + df[counts.indices])) + 1)
    weighted = normalize(counts, norm="l2")
    return (weighted @ weighted.T).toarray()


@dataclass(frozen=True)
class UnitCounts:
    """The counts behind the two TF-IDF similarities of some sentence units (one row per unit):
    content keys (``lemma``) and character n-grams of the content forms (``chars``).

    Counted once for all stories of a part of the corpus (the forms of one part recur from story
    to story); :meth:`rows` gives a story's rows.
    """

    lemma: sparse.csr_matrix
    chars: sparse.csr_matrix

    def rows(self, lo: int, hi: int) -> "UnitCounts":
        return UnitCounts(self.lemma[lo:hi], self.chars[lo:hi])


def unit_counts(units) -> UnitCounts:
    """:class:`UnitCounts` of ``units`` (an :class:`analysis.align.units.SentenceUnits`)."""
    n = len(units)
    keys = [key for sentence in units.keys for key in sentence]
    sentence_of = np.repeat(np.arange(n), [len(sentence) for sentence in units.keys])
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object)) if keys else (np.zeros(0, np.int64), [])
    lemma = _counts(sentence_of, codes, n, len(uniques))
    # Character n-grams of the words that are neither entity mentions nor numbers (each test
    # once per distinct key and form).
    flat_forms = [form for sentence in units.forms for form in sentence]
    form_codes, form_uniques = (pd.factorize(pd.Series(flat_forms, dtype=object)) if flat_forms
                                else (np.zeros(0, np.int64), []))
    is_entity = np.array([str(key).startswith("@") for key in uniques], dtype=bool)
    is_number = np.array([str(form)[:1].isdigit() for form in form_uniques], dtype=bool)
    keep = np.flatnonzero(~is_entity[codes] & ~is_number[form_codes]) if len(codes) else np.zeros(0, np.int64)
    if len(keep):
        used, local_form = np.unique(form_codes[keep], return_inverse=True)
        form_list = list(form_uniques)
        forms = [form_list[k] for k in used.tolist()]
        gram_form, gram_code = char_ngrams(forms)
        columns, local = np.unique(gram_code, return_inverse=True)
        grams = _counts(gram_form, local, len(forms), len(columns))
        words = _counts(sentence_of[keep], local_form, n, len(forms))
        chars = (words @ grams).tocsr()
        chars.sum_duplicates()  # sorted once for all stories here, not once per story's cosine
    else:
        chars = sparse.csr_matrix((n, 0))
    return UnitCounts(lemma, chars)


def pair_scores(units, *, counts: UnitCounts | None = None) -> dict:
    """The four similarity matrices between all sentences of ``units`` and their weighted sum.

    Parameters
    ----------
    units : analysis.align.units.SentenceUnits
        The sentences of one story.
    counts : UnitCounts, optional
        :func:`unit_counts` of ``units`` (or its rows of the units of many stories); counted
        here when not given.

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
    n = len(units)
    out = {}
    if n == 0:
        empty = np.zeros((0, 0))
        return {name: empty for name in ("lemma", "chars", "entities", "numbers", "score")}
    counts = unit_counts(units) if counts is None else counts
    if counts.lemma.shape[0] != n:
        raise ValueError(f"counts of {counts.lemma.shape[0]} units for {n} units")
    out["lemma"] = _cosine(counts.lemma)
    out["chars"] = _cosine(counts.chars) if counts.chars.nnz else np.zeros((n, n))
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
                many_threshold: float = MANY_THRESHOLD, counts: UnitCounts | None = None) -> pd.DataFrame:
    """The aligned sentence pairs of one story, between articles of different outlets.

    Parameters
    ----------
    units : analysis.align.units.SentenceUnits
        The sentences of the story's articles.
    outlets : dict
        doc_id → outlet; articles of the same outlet are not aligned with each other.
    threshold, many_threshold : float
        See :data:`ALIGN_THRESHOLD` and :data:`MANY_THRESHOLD`.
    counts : UnitCounts, optional
        See :func:`pair_scores`.

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
    rows = aligned_rows(units, outlets, threshold=threshold, many_threshold=many_threshold, counts=counts)
    return pd.DataFrame(rows, columns=list(PAIR_COLUMNS))


def aligned_rows(units, outlets: dict, *, threshold: float = ALIGN_THRESHOLD,
                 many_threshold: float = MANY_THRESHOLD, counts: UnitCounts | None = None) -> list[tuple]:
    """The rows of :func:`align_units` as tuples (:data:`PAIR_COLUMNS`), in its order.

    The alignment of a corpus calls this once per story and makes one table per part of the
    corpus: a table per story cost more than the story's alignment at 40,000 articles.
    """
    table = units.table
    if len(table) == 0:
        return []
    scores = pair_scores(units, counts=counts)
    docs = table["doc_id"].astype(str).to_numpy(dtype=object)
    sentence_ids = table["sentence_id"].to_numpy()
    n_words = table["n_words"].to_numpy()
    texts = table["text"].tolist()
    order = list(dict.fromkeys(docs.tolist()))
    rows_of = {d: np.flatnonzero(docs == d) for d in order}
    score, lemma, chars = scores["score"], scores["lemma"], scores["chars"]
    entities, numbers = scores["entities"], scores["numbers"]
    found = []
    words: dict[int, list] = {}  # the words of the sentences in some pair, split once

    def words_of(k: int) -> list:
        if k not in words:
            words[k] = texts[k].split()
        return words[k]

    for i, doc_a in enumerate(order):
        for doc_b in order[i + 1:]:
            if outlets.get(doc_a) == outlets.get(doc_b):
                continue
            ra, rb = rows_of[doc_a], rows_of[doc_b]
            block = score[np.ix_(ra, rb)]
            assigned = np.zeros(block.shape, dtype=bool)
            ia, ib = linear_sum_assignment(-block)
            kept = block[ia, ib] >= threshold
            assigned[ia[kept], ib[kept]] = True
            # One-to-many: the best partner of a sentence, if clearly similar, also when the
            # one-to-one assignment gave that sentence (or the partner) to another.
            extra = np.zeros(block.shape, dtype=bool)
            extra[np.arange(len(ra)), block.argmax(axis=1)] = True
            extra[block.argmax(axis=0), np.arange(len(rb))] = True
            extra &= (block >= many_threshold) & ~assigned
            # Row by row of the block: the order of the sentences of a and then of b.
            for x, y in zip(*np.nonzero(assigned | extra)):
                a, b = int(ra[x]), int(rb[y])
                ratio = copy_ratio(words_of(a), words_of(b))
                shared = ratio >= SHARED_COPY_RATIO and min(n_words[a], n_words[b]) >= SHARED_MIN_WORDS
                found.append((doc_a, int(sentence_ids[a]), doc_b, int(sentence_ids[b]),
                              round(float(block[x, y]), 4), round(float(lemma[a, b]), 4),
                              round(float(chars[a, b]), 4), round(float(entities[a, b]), 4),
                              round(float(numbers[a, b]), 4), "assignment" if assigned[x, y] else "best",
                              bool(shared), ratio))
    # By article (in story order), then by sentence: the loops above give that order when each
    # article's sentences come in order; sorted here so that it holds for any units.
    rank = {d: k for k, d in enumerate(order)}
    keys = [(rank[row[0]], rank[row[2]], row[1], row[3]) for row in found]
    return [found[k] for k in sorted(range(len(found)), key=keys.__getitem__)]
