"""Duplicate texts: exact copies by fingerprint, near-duplicates by MinHash and LSH.

Two kinds of duplicates are told apart:

``exact``
    the same text after whitespace normalisation (:func:`fingerprint`). ``load_corpus``
    excludes a repeat within one outlet and keeps copies printed by different outlets (an
    agency text, say), marking them with the same ``shared_text`` id (:func:`shared_text_id`).
``near``
    texts whose sets of word shingles overlap by a Jaccard similarity of at least
    :data:`NEAR_DUPLICATE_THRESHOLD`: the same article filed twice with a few words changed,
    or with a paragraph added or cut. Their ``near_duplicate`` id names the cluster, the
    connected component of all such pairs.

How near-duplicates are found:

* **Shingles**: every run of :data:`SHINGLE_WORDS` consecutive words. Words are the
  whitespace-separated tokens, lower-cased, with punctuation stripped at both ends (so
  that quotation marks or a changed comma count as little as possible). Texts of fewer
  than :data:`NEAR_MIN_WORDS` words are not compared.
* **Hashing** is deterministic in every process and run (not Python's salted ``hash``):
  CRC-32 of each word's UTF-8 bytes, combined per shingle by a polynomial over unsigned
  64-bit integers (vectorised with numpy) and folded to 32 bits.
* **Signature**: a :class:`datasketch.MinHash` of :data:`NUM_PERM` permutations with the
  fixed seed :data:`MINHASH_SEED`, filled with :meth:`~datasketch.MinHash.update_batch`
  (a vectorised update per batch of shingles); 128 uint32 values per text. Long texts are
  read in pieces, so memory stays bounded.
* **Candidates**: :class:`datasketch.MinHashLSH` with :data:`LSH_BANDS` bands of
  :data:`LSH_ROWS` rows. A pair of Jaccard 0.8 becomes a candidate with probability 0.95,
  0.85 with 0.996, 0.5 with 0.06 — recall is favoured, as every candidate is checked.
* **Check**: the similarity of a candidate pair is the MinHash estimate of its Jaccard
  similarity (the share of equal signature values; standard error about 0.035 at 0.8),
  kept when at least the threshold. Texts are indexed in order and each is compared with
  the earlier ones; one with :data:`MAX_PARTNERS` near-duplicates found is not indexed itself,
  which bounds the work on huge clusters of near-identical texts.
"""

from __future__ import annotations

import hashlib
import string
import threading
import zlib

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

__all__ = [
    "DUPLICATE_PAIR_COLUMNS",
    "LSH_BANDS",
    "LSH_ROWS",
    "MAX_PARTNERS",
    "MINHASH_SEED",
    "NEAR_DUPLICATE_THRESHOLD",
    "NEAR_MIN_WORDS",
    "NUM_PERM",
    "SHINGLE_WORDS",
    "duplicate_pairs",
    "fingerprint",
    "near_duplicate_clusters",
    "near_duplicate_pairs",
    "shared_text_id",
    "signature",
]

#: Words per shingle. Five words are specific enough that unrelated articles on one story
#: share few shingles, and short enough that one changed word spoils only five of them.
SHINGLE_WORDS = 5
#: Permutations of the MinHash signature.
NUM_PERM = 128
#: Seed of the permutations: the same signatures in every run.
MINHASH_SEED = 20240619
#: Jaccard similarity of the shingle sets from which two texts are near-duplicates. An
#: 800-word article with 10 words changed keeps about 0.88; with a 150-word paragraph added,
#: 0.84; two reports of one event by different writers stay far below 0.5.
NEAR_DUPLICATE_THRESHOLD = 0.8
#: Texts with fewer words are not compared: a few shingles give no stable similarity, and
#: short boilerplate items would all be candidates of one another.
NEAR_MIN_WORDS = 30
#: A text with this many near-duplicates among the earlier texts is not added to the LSH index.
#: Up to clusters of this size every pair is found; in a larger cluster of near-identical texts
#: (a template or a boilerplate item repeated thousands of times) each new member is compared
#: with the indexed members only, so time and the number of pairs grow linearly, not
#: quadratically, and the cluster stays connected.
MAX_PARTNERS = 10
#: LSH bands × rows per band = NUM_PERM.
LSH_BANDS, LSH_ROWS = 16, 8
DUPLICATE_PAIR_COLUMNS = ("doc_id_a", "outlet_a", "doc_id_b", "outlet_b", "kind", "similarity", "cluster")

_CHUNK = 1 << 20
# Characters of a long text shingled at a time (bounded working memory of update_batch).
_SHINGLE_PIECE = 1 << 18
# Batches of more shingles are made a set first (cheaper than hashing repeats; the signature
# is the same either way).
_DEDUPLICATE_FROM = 5000
_STRIP = string.punctuation + "„“”‚‘’«»‹›–—…·•"
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: every word hash is kept apart
_LOW32 = np.uint64(0xFFFFFFFF)


def fingerprint(text: str) -> tuple[int, bytes]:
    """Non-space character count and a hash of the whitespace-normalised text.

    Whitespace normalisation: runs of whitespace become one space, leading and trailing
    whitespace is dropped. Long texts are processed in chunks of about a million
    characters, cut at whitespace, so memory stays bounded.

    Parameters
    ----------
    text : str

    Returns
    -------
    non_space : int
        Characters that are not whitespace.
    key : bytes
        16 bytes of BLAKE2b of the normalised text.

    Examples
    --------
    >>> fingerprint("Die  Wahl\\n") == fingerprint(" Die Wahl")
    True
    >>> fingerprint("Die Wahl")[0]
    7
    """
    digest = hashlib.blake2b(digest_size=16)
    non_space = 0
    first = True
    for part in _normalised_pieces(text):
        words = part.split()
        if not words:
            continue
        part = " ".join(words)
        non_space += len(part) - (len(words) - 1)
        if not first:
            digest.update(b" ")
        digest.update(part.encode("utf-8", "surrogatepass"))
        first = False
    return non_space, digest.digest()


def _normalised_pieces(text: str, size: int = _CHUNK):
    """``text`` in consecutive pieces of about ``size`` characters, cut at whitespace."""
    start, n = 0, len(text)
    while start < n:
        stop = min(n, start + size)
        if stop < n:
            cut = stop
            limit = max(start, stop - 1000)
            while cut > limit and not text[cut - 1].isspace():
                cut -= 1
            stop = cut if cut > limit else stop  # an enormous "word": cut it anyway
        yield text[start:stop]
        start = stop


def shared_text_id(key: bytes) -> str:
    """The ``shared_text`` id of the texts with fingerprint ``key``: ``s-`` and 10 hex digits.

    It depends on the text alone, so it stays the same when other records change.

    Examples
    --------
    >>> shared_text_id(fingerprint("Die Wahl")[1]) == shared_text_id(fingerprint(" Die  Wahl ")[1])
    True
    >>> len(shared_text_id(fingerprint("Die Wahl")[1]))
    12
    """
    return "s-" + bytes(key).hex()[:10]


def _cluster_id(doc_id: str) -> str:
    """The ``near_duplicate`` id of a cluster, from the doc_id of its first member."""
    return "n-" + hashlib.blake2b(str(doc_id).encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()


# --------------------------------------------------------------------------------------------
# signatures


def _word_hashes(piece: str) -> np.ndarray:
    crc32 = zlib.crc32
    return np.array([crc32(word.encode("utf-8", "surrogatepass"))
                     for token in piece.lower().split() if (word := token.strip(_STRIP))], dtype=np.uint64)


def _combine(word_hashes: np.ndarray) -> np.ndarray:
    """Hash of every run of SHINGLE_WORDS consecutive word hashes, as 32-bit values."""
    n = len(word_hashes) - SHINGLE_WORDS + 1
    combined = word_hashes[:n].copy()
    for offset in range(1, SHINGLE_WORDS):
        combined = combined * _MULTIPLIER + word_hashes[offset : offset + n]  # wraps mod 2**64
    return ((combined >> np.uint64(32)) ^ combined) & _LOW32


def _shingle_batches(text: str):
    """Shingle hashes of a long text, piece by piece (the last words of a piece carried over)."""
    carry = np.zeros(0, dtype=np.uint64)
    for piece in _normalised_pieces(text, _SHINGLE_PIECE):
        hashes = np.concatenate([carry, _word_hashes(piece)])
        if len(hashes) >= SHINGLE_WORDS:
            yield _combine(hashes)
            carry = hashes[len(hashes) - SHINGLE_WORDS + 1 :]
        else:
            carry = hashes


_LOCAL = threading.local()  # one MinHash per thread, emptied for each text


def _sketch():
    """An empty MinHash: the permutations are made once per process and thread."""
    sketch = getattr(_LOCAL, "sketch", None)
    if sketch is None:
        from datasketch import MinHash

        # The shingles are hashed already (above): datasketch's hash function is the identity.
        sketch = _LOCAL.sketch = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=int, scheme="affine32")
    else:
        sketch.clear()
    return sketch


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature of the text's word shingles; None for fewer than NEAR_MIN_WORDS words.

    Parameters
    ----------
    text : str

    Returns
    -------
    numpy.ndarray or None
        :data:`NUM_PERM` uint32 values; the share of equal values of two signatures estimates
        the Jaccard similarity of the two texts' shingle sets.

    Examples
    --------
    >>> text = ("Die Regierung in Berlin hat am Montag ein neues Gesetz zur Förderung von Schulen "
    ...         "beschlossen. Es soll im kommenden Jahr in Kraft treten und gilt für alle Länder. "
    ...         "Der Sprecher sagte, man habe lange mit den Kommunen verhandelt.")
    >>> a, b = signature(text), signature(text.replace("verhandelt.", "„verhandelt“!"))
    >>> a.dtype, len(a), bool((a == b).all())  # punctuation does not count
    (dtype('uint32'), 128, True)
    >>> signature("Zu kurz für einen Vergleich.") is None
    True
    """
    if len(text) <= _SHINGLE_PIECE:
        hashes = _word_hashes(text)
        if len(hashes) < NEAR_MIN_WORDS:
            return None
        batches = [_combine(hashes)]
    else:
        batches = _shingle_batches(text)
    sketch = None
    for batch in batches:
        if sketch is None:
            sketch = _sketch()
        if len(batch) > _DEDUPLICATE_FROM:
            batch = np.unique(batch)  # a long text's repeated shingles are hashed once
        sketch.update_batch(batch.tolist())
    return None if sketch is None else np.array(sketch.hashvalues, dtype=np.uint32)


# --------------------------------------------------------------------------------------------
# pairs and clusters


def near_duplicate_pairs(signatures, keys=None, *, threshold: float = NEAR_DUPLICATE_THRESHOLD):
    """Pairs of near-duplicate signatures, found with LSH and checked by their estimate.

    Parameters
    ----------
    signatures : numpy.ndarray
        One row of :data:`NUM_PERM` values per text (from :func:`signature`).
    keys : sequence of bytes, optional
        The texts' fingerprints: pairs of identical texts (an exact duplicate, not a near one)
        are left out.
    threshold : float, default NEAR_DUPLICATE_THRESHOLD

    Returns
    -------
    list of (int, int, float)
        ``(i, j, similarity)`` with ``i < j`` (row numbers), sorted by ``j`` then ``i``. Every
        pair over the threshold, except in clusters of more than :data:`MAX_PARTNERS` texts
        (see there).

    Examples
    --------
    >>> base = ("Die Regierung in Berlin hat am Montag ein neues Gesetz zur Förderung von Schulen "
    ...         "beschlossen. Es soll im kommenden Jahr in Kraft treten und gilt für alle Länder. "
    ...         "Der Sprecher sagte, man habe lange mit den Kommunen verhandelt")
    >>> texts = [base + ".", " ".join(reversed(base.split())), base + "!"]
    >>> sketches = np.stack([signature(t) for t in texts])
    >>> near_duplicate_pairs(sketches)  # 0 and 2 differ in punctuation only
    [(0, 2, 1.0)]
    >>> near_duplicate_pairs(sketches, [fingerprint(t)[1] for t in [base, base[::-1], base]])
    []
    """
    from datasketch import LeanMinHash, MinHashLSH

    signatures = np.asarray(signatures, dtype=np.uint32)
    if signatures.ndim != 2 or (len(signatures) and signatures.shape[1] != NUM_PERM):
        raise ParameterError(f"signatures must be a matrix of {NUM_PERM} columns, got shape {signatures.shape}")
    index = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
    pairs = []
    for j, row in enumerate(signatures):
        sketch = LeanMinHash(seed=MINHASH_SEED, hashvalues=row, scheme="affine32")
        candidates = sorted(index.query(sketch))  # earlier rows only: each pair is seen once
        partners = 0
        if candidates:
            similarity = np.count_nonzero(signatures[candidates] == row, axis=1) / NUM_PERM
            for i, value in zip(candidates, similarity.tolist()):
                if value >= threshold:
                    partners += 1
                    if keys is None or keys[i] != keys[j]:
                        pairs.append((i, j, value))
        if partners < MAX_PARTNERS:
            index.insert(j, sketch, check_duplication=False)
    return pairs


def near_duplicate_clusters(n: int, pairs, doc_ids) -> list[str]:
    """Cluster ids of ``n`` texts: connected components of ``pairs``; ``""`` for the others.

    A cluster is named after the doc_id of its first member (``n-`` and 10 hex digits).

    Examples
    --------
    >>> clusters = near_duplicate_clusters(4, [(0, 2, 0.9), (2, 3, 0.85)], ["a", "b", "c", "d"])
    >>> clusters[1], clusters[0] == clusters[2] == clusters[3] == _cluster_id("a")
    ('', True)
    """
    parent = list(range(n))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the root is the first member
    members = {i for i, j, _ in pairs} | {j for i, j, _ in pairs}
    return [_cluster_id(doc_ids[root(i)]) if i in members else "" for i in range(n)]


def duplicate_pairs(documents: pd.DataFrame) -> pd.DataFrame:
    """Every pair of duplicate documents: exact copies and near-duplicates.

    Parameters
    ----------
    documents : pandas.DataFrame
        With ``doc_id`` and ``outlet``, and ``text`` (the text as loaded). A documents table
        of :func:`analysis.io.corpus.load_corpus` has the columns ``shared_text`` and
        ``near_duplicate``: then the exact pairs are read from ``shared_text`` and only the
        texts of near-duplicates are needed (the others may be ``""`` or the column absent
        if there are none). Without those columns every text is compared.

    Returns
    -------
    pandas.DataFrame
        Columns ``DUPLICATE_PAIR_COLUMNS``: ``doc_id_a, outlet_a, doc_id_b, outlet_b`` (``a``
        before ``b`` in the table), ``kind`` (``exact`` or ``near``), ``similarity`` (1.0 for
        exact copies; the MinHash estimate of the shingles' Jaccard similarity for near ones)
        and ``cluster`` (the ``shared_text`` or ``near_duplicate`` id). Sorted by the position
        of ``a``, then of ``b``.

    Examples
    --------
    >>> text = ("Die Regierung in Berlin hat am Montag ein neues Gesetz zur Förderung von Schulen "
    ...         "beschlossen. Es soll im kommenden Jahr in Kraft treten und gilt für alle Länder. Der "
    ...         "Sprecher sagte, man habe lange mit den Kommunen verhandelt. Die Opposition kritisierte, "
    ...         "das Geld reiche bei weitem nicht aus, und kündigte eine Anhörung im Bundestag an.")
    >>> documents = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["Tagesblatt", "Rheinpost", "Tagesblatt"],
    ...                           "text": [text, text, text.replace("Bundestag", "Landtag")]})
    >>> pairs = duplicate_pairs(documents)
    >>> pairs[["doc_id_a", "doc_id_b", "kind"]].values.tolist()
    [['a', 'b', 'exact'], ['a', 'c', 'near'], ['b', 'c', 'near']]
    >>> pairs["similarity"].round(2).tolist()  # the shingle sets' Jaccard: 49/53 = 0.92
    [1.0, 0.91, 0.91]
    """
    if not isinstance(documents, pd.DataFrame):
        raise ParameterError(f"documents must be a pandas DataFrame, not {type(documents).__name__}")
    missing = [c for c in ("doc_id", "outlet") if c not in documents.columns]
    marked = "shared_text" in documents.columns and "near_duplicate" in documents.columns
    if not marked and "text" not in documents.columns:
        missing.append("text")
    if missing:
        raise ParameterError(
            f"documents has no column {missing[0]!r}",
            hint="pass the documents table of load_corpus (or one with doc_id, outlet and text)",
        )
    ids = documents["doc_id"].astype(str).tolist()
    outlets = documents["outlet"].astype(str).tolist()
    rows = []
    if marked:
        shared = documents["shared_text"].fillna("").astype(str).tolist()
        clusters = documents["near_duplicate"].fillna("").astype(str).tolist()
        groups: dict[str, list[int]] = {}
        for position, group in enumerate(shared):
            if group:
                groups.setdefault(group, []).append(position)
        for group, members in groups.items():
            rows += [(a, b, "exact", 1.0, group) for k, a in enumerate(members) for b in members[k + 1 :]]
        near = [p for p, cluster in enumerate(clusters) if cluster]
        if near and "text" not in documents.columns:
            raise ParameterError("documents has near-duplicates but no column 'text' to compare them by",
                                 hint="pass the documents table with its texts")
        texts = [_as_text(documents["text"].iloc[p]) for p in near]
        keys = [fingerprint(t)[1] for t in texts]
        found = _pairs_of_texts(texts, keys)
        rows += [(near[i], near[j], "near", value, clusters[near[i]]) for i, j, value in found
                 if clusters[near[i]] == clusters[near[j]]]
    else:
        texts = [_as_text(t) for t in documents["text"].tolist()]
        keys = [fingerprint(t)[1] for t in texts]
        groups = {}
        for position, key in enumerate(keys):
            groups.setdefault(key, []).append(position)
        for key, members in groups.items():
            group = shared_text_id(key)
            rows += [(a, b, "exact", 1.0, group) for k, a in enumerate(members) for b in members[k + 1 :]]
        found = _pairs_of_texts(texts, keys)
        clusters = near_duplicate_clusters(len(texts), found, ids)
        rows += [(i, j, "near", value, clusters[i]) for i, j, value in found]
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    return pd.DataFrame(
        {
            "doc_id_a": [ids[a] for a, *_ in rows],
            "outlet_a": [outlets[a] for a, *_ in rows],
            "doc_id_b": [ids[b] for _, b, *_ in rows],
            "outlet_b": [outlets[b] for _, b, *_ in rows],
            "kind": [row[2] for row in rows],
            "similarity": np.array([row[3] for row in rows], dtype="float64"),
            "cluster": [row[4] for row in rows],
        },
        columns=list(DUPLICATE_PAIR_COLUMNS),
    )


def _as_text(value) -> str:
    return value if isinstance(value, str) else ("" if value is None or pd.isna(value) else str(value))


def _pairs_of_texts(texts, keys):
    """Near-duplicate pairs among ``texts`` (positions in that list)."""
    signatures = [signature(t) for t in texts]
    present = [p for p, s in enumerate(signatures) if s is not None]
    if not present:
        return []
    matrix = np.stack([signatures[p] for p in present])
    found = near_duplicate_pairs(matrix, [keys[p] for p in present])
    return [(present[i], present[j], value) for i, j, value in found]
