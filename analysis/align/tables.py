"""Tidy tables from an alignment: substitutions, labels per person, evaluative words, shared copy.

Every table is built from :class:`analysis.align.run.AlignmentResult` and can be traced back to
its pairs (``examples`` quote them; ``pair`` ids lead to the rows of ``result.pairs``).

Rows are **oriented**: the outlet whose name sorts first is ``outlet_a``, so that Zeitung A ↔
Zeitung B and Zeitung B ↔ Zeitung A are counted as one pair of outlets (an insertion seen
from the other side is a deletion).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["EXAMPLES_PER_ROW", "SUBSTITUTION_COLUMNS", "article_table", "evaluative_table", "label_table", "passage_words",
           "oriented_changes", "substitution_table"]

#: Examples quoted in a row of a table.
EXAMPLES_PER_ROW = 3
#: Columns of :func:`substitution_table`.
SUBSTITUTION_COLUMNS = ("outlet_a", "term_a", "outlet_b", "term_b", "kind", "person", "count", "stories", "pairs",
                        "examples")

_SWAP = {"insertion": "deletion", "deletion": "insertion"}


def oriented_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The change rows with ``outlet_a`` ≤ ``outlet_b`` (sides swapped where needed).

    Examples
    --------
    >>> rows = pd.DataFrame({"outlet_a": ["Y"], "outlet_b": ["X"], "kind": ["insertion"], "term_a": [""],
    ...                      "term_b": ["hart"], "text_a": [""], "text_b": ["harten"], "doc_id_a": ["y1"],
    ...                      "doc_id_b": ["x1"], "sentence_id_a": [0], "sentence_id_b": [3],
    ...                      "status_a": [""], "status_b": [""]})
    >>> oriented_changes(rows)[["outlet_a", "kind", "term_a", "doc_id_a"]].values.tolist()
    [['X', 'deletion', 'hart', 'x1']]
    """
    table = changes.copy()
    swap = table["outlet_a"].astype(str) > table["outlet_b"].astype(str)
    for left, right in (("outlet_a", "outlet_b"), ("term_a", "term_b"), ("text_a", "text_b"),
                        ("doc_id_a", "doc_id_b"), ("sentence_id_a", "sentence_id_b"), ("status_a", "status_b")):
        if left in table.columns and right in table.columns:
            a, b = table.loc[swap, left].copy(), table.loc[swap, right].copy()
            table.loc[swap, left], table.loc[swap, right] = b.to_numpy(), a.to_numpy()
    table.loc[swap, "kind"] = table.loc[swap, "kind"].map(lambda k: _SWAP.get(k, k))
    return table


def _examples(changes: pd.DataFrame) -> pd.Series:
    """``text_a ↔ text_b`` per row, ``∅`` for an empty side."""
    sides = [changes[column].fillna("").astype(str) for column in ("text_a", "text_b")]
    sides = [side.where(side != "", "∅") for side in sides]
    return sides[0] + " ↔ " + sides[1]


def substitution_table(changes: pd.DataFrame, *, kinds=("substitution", "label"),
                       examples: int = EXAMPLES_PER_ROW) -> pd.DataFrame:
    """How often each outlet wrote ``term_a`` where another wrote ``term_b`` for the same fact.

    Parameters
    ----------
    changes : pandas.DataFrame
        ``result.changes`` of :func:`analysis.align.run.align_corpus`.
    kinds : tuple of str
        Which change kinds to count (default: token substitutions and label changes).
    examples : int
        Examples per row.

    Returns
    -------
    pandas.DataFrame
        :data:`SUBSTITUTION_COLUMNS`, most frequent first: ``count`` aligned pairs with this
        change, in ``stories`` stories; ``pairs`` lists their ids; ``examples`` quotes
        ``text_a ↔ text_b``. ``person`` names the person of a ``label`` row.

    Examples
    --------
    >>> changes = pd.DataFrame({"story": ["s", "s"], "pair": ["s#1", "s#2"], "outlet_a": ["A", "B"],
    ...     "outlet_b": ["B", "A"], "kind": ["label", "label"], "term_a": ["Staatsoberhaupt", "Diktator"],
    ...     "term_b": ["Diktator", "Staatsoberhaupt"], "text_a": ["Staatsoberhaupt", "Diktator"],
    ...     "text_b": ["Diktator", "Staatsoberhaupt"], "person": ["Putin", "Putin"]})
    >>> substitution_table(changes)[["outlet_a", "term_a", "outlet_b", "term_b", "count"]].values.tolist()
    [['A', 'Staatsoberhaupt', 'B', 'Diktator', 2]]
    """
    chosen = changes[changes["kind"].isin(kinds)]
    if not len(chosen):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SUBSTITUTION_COLUMNS})
    chosen = oriented_changes(chosen)
    keys = ["outlet_a", "term_a", "outlet_b", "term_b", "kind", "person"]
    chosen = chosen.assign(person=chosen["person"].fillna("").astype(str), example=_examples(chosen))
    # One row per pair and change: a pair that makes the same change twice counts once.
    distinct = chosen.drop_duplicates(keys + ["pair"])
    grouped = distinct.groupby(keys, sort=False, dropna=False)
    table = pd.concat([grouped["pair"].size().rename("count"), grouped["story"].nunique().rename("stories"),
                       grouped["pair"].agg(" ".join).rename("pairs"),
                       grouped.head(examples).groupby(keys, sort=False, dropna=False)["example"]
                       .agg(" | ".join).rename("examples")],
                      axis=1).reset_index()[list(SUBSTITUTION_COLUMNS)]
    return table.sort_values(["count", "stories", "outlet_a", "term_a", "term_b"],
                             ascending=[False, False, True, True, True], kind="stable").reset_index(drop=True)


def label_table(changes: pd.DataFrame, *, examples: int = EXAMPLES_PER_ROW) -> pd.DataFrame:
    """The labels used for the same person in the same fact, per pair of outlets.

    Returns
    -------
    pandas.DataFrame
        ``person, outlet_a, label_a, outlet_b, label_b, count, stories, examples``: one row per
        person and pair of differing references (from the ``label`` rows of ``changes``).

    Examples
    --------
    >>> changes = pd.DataFrame({"story": ["s"], "pair": ["s#1"], "outlet_a": ["A"], "outlet_b": ["B"],
    ...     "kind": ["label"], "term_a": ["Putin"], "term_b": ["Kremlchef"], "text_a": ["Putin"],
    ...     "text_b": ["Kremlchef"], "person": ["Putin"]})
    >>> label_table(changes)[["person", "label_a", "label_b", "count"]].values.tolist()
    [['Putin', 'Putin', 'Kremlchef', 1]]
    """
    table = substitution_table(changes, kinds=("label",), examples=examples)
    table = table.rename(columns={"term_a": "label_a", "term_b": "label_b"})
    return table[["person", "outlet_a", "label_a", "outlet_b", "label_b", "count", "stories", "examples"]]


def evaluative_table(changes: pd.DataFrame, *, examples: int = EXAMPLES_PER_ROW) -> pd.DataFrame:
    """Evaluative words one outlet adds to a fact another reports without them.

    Returns
    -------
    pandas.DataFrame
        ``outlet, word, other_outlet, count, stories, examples``: ``outlet`` has the evaluative
        ``word`` (in an insertion, deletion or substitution of its side) where ``other_outlet``
        has none; most frequent first.

    Examples
    --------
    >>> changes = pd.DataFrame({"story": ["s"], "pair": ["s#1"], "outlet_a": ["A"], "outlet_b": ["B"],
    ...     "kind": ["deletion"], "term_a": ["geheimnisvoll"], "term_b": [""], "text_a": ["geheimnisvollen"],
    ...     "text_b": [""], "evaluative": ["geheimnisvollen"]})
    >>> evaluative_table(changes)[["outlet", "word", "other_outlet", "count"]].values.tolist()
    [['A', 'geheimnisvollen', 'B', 1]]
    """
    columns = ["outlet", "word", "other_outlet", "count", "stories", "examples"]
    chosen = changes[changes["evaluative"].fillna("").astype(str) != ""] if "evaluative" in changes else changes.iloc[:0]
    chosen = chosen.assign(example=_examples(chosen))
    rows = []
    for row in chosen.itertuples():
        side_a = set(str(row.text_a).split())
        side_b = set(str(row.text_b).split())
        for word in str(row.evaluative).split():
            if word in side_a and word not in side_b:
                rows.append((row.outlet_a, word, row.outlet_b, row.story, row.pair, row.example))
            elif word in side_b and word not in side_a:
                rows.append((row.outlet_b, word, row.outlet_a, row.story, row.pair, row.example))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    found = pd.DataFrame(rows, columns=["outlet", "word", "other_outlet", "story", "pair", "example"])
    table = found.groupby(["outlet", "word", "other_outlet"], sort=False).agg(
        count=("pair", "nunique"), stories=("story", "nunique"),
        examples=("example", lambda x: " | ".join(list(dict.fromkeys(x))[:examples]))).reset_index()
    return table.sort_values(["count", "outlet", "word"], ascending=[False, True, True], kind="stable").reset_index(
        drop=True)[columns]


def article_table(result) -> pd.DataFrame:
    """Per article of an aligned story: its sentences, how many are aligned, how many are shared copy.

    Returns
    -------
    pandas.DataFrame
        ``story, doc_id, outlet, sentences, words, aligned_sentences, shared_sentences,
        shared_share`` — ``shared_share`` is the share of the article's words that stand in
        sentences marked as shared copy with an article of another outlet.
    """
    units = result.units
    columns = ["story", "doc_id", "outlet", "sentences", "words", "aligned_sentences", "shared_sentences",
               "shared_share"]
    if not len(units):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    pairs = result.pairs
    sides = pd.concat([
        pairs[["doc_id_a", "sentence_id_a", "shared"]].set_axis(["doc_id", "sentence_id", "shared"], axis=1),
        pairs[["doc_id_b", "sentence_id_b", "shared"]].set_axis(["doc_id", "sentence_id", "shared"], axis=1)],
        ignore_index=True)
    sides["sentence_id"] = sides["sentence_id"].astype("int64")
    flags = sides.groupby(["doc_id", "sentence_id"])["shared"].any().rename("shared").reset_index()
    table = units.merge(flags, on=["doc_id", "sentence_id"], how="left")
    table["aligned"] = table["shared"].notna()
    table["shared"] = table["shared"].fillna(False).astype(bool)
    table["shared_words"] = table["n_words"].where(table["shared"], 0)
    out = table.groupby(["story", "doc_id", "outlet"], sort=False).agg(
        sentences=("sentence_id", "size"), words=("n_words", "sum"), aligned_sentences=("aligned", "sum"),
        shared_sentences=("shared", "sum"), shared_words=("shared_words", "sum")).reset_index()
    out["shared_share"] = (out["shared_words"] / out["words"].where(out["words"] > 0)).fillna(0.0).round(4)
    return out[columns]


def passage_words(pairs: pd.DataFrame, pair_ids) -> pd.DataFrame:
    """The words of some aligned pairs, side by side, each marked as shared or changed.

    Words are the whitespace-separated words of each sentence; a word is ``changed`` when the
    :class:`difflib.SequenceMatcher` alignment of the two word lists (lower case, punctuation at
    the ends stripped) leaves it outside the matched blocks — what the passage figure highlights.

    Returns
    -------
    pandas.DataFrame
        ``pair, side ("a"/"b"), outlet, doc_id, sentence_id, position, word, changed``.

    Examples
    --------
    >>> pairs = pd.DataFrame({"pair": ["s#1"], "outlet_a": ["A"], "outlet_b": ["B"], "doc_id_a": ["a"],
    ...     "doc_id_b": ["b"], "sentence_id_a": [0], "sentence_id_b": [2],
    ...     "text_a": ["Die Diktatoren fuhren los."], "text_b": ["Die Staatsoberhäupter fuhren los."]})
    >>> passage_words(pairs, ["s#1"])[["side", "word", "changed"]].values.tolist()[:2]
    [['a', 'Die', False], ['a', 'Diktatoren', True]]
    """
    import difflib

    strip = ".,;:!?„“”»«()\"'–-"
    rows = []
    chosen = pairs.set_index("pair", drop=False)
    for pair in pair_ids:
        row = chosen.loc[pair]
        words_a, words_b = str(row["text_a"]).split(), str(row["text_b"]).split()
        matcher = difflib.SequenceMatcher(None, [w.strip(strip).lower() for w in words_a],
                                          [w.strip(strip).lower() for w in words_b], autojunk=False)
        same_a, same_b = set(), set()
        for block in matcher.get_matching_blocks():
            same_a.update(range(block.a, block.a + block.size))
            same_b.update(range(block.b, block.b + block.size))
        for side, words, same in (("a", words_a, same_a), ("b", words_b, same_b)):
            for k, word in enumerate(words):
                rows.append((pair, side, row[f"outlet_{side}"], row[f"doc_id_{side}"], int(row[f"sentence_id_{side}"]),
                             k, word, k not in same))
    return pd.DataFrame(rows, columns=["pair", "side", "outlet", "doc_id", "sentence_id", "position", "word",
                                       "changed"])
