"""Precision and recall of the alignment against a hand-made gold alignment.

The gold (``data/gold/`` for the bundled corpus; its README gives the rules) has two tables:

``bundled_alignment.csv``
    ``pair, sentence_a, text_a, sentence_b, text_b, strength, fact``: the sentence pairs of the two
    articles that report the same fact; ``strength`` is ``sure`` or ``possible``. ``text_a`` and
    ``text_b`` are the first words of each sentence: a gold pair is matched to the sentences that
    start with them (the sentence number is used when it still fits), so the gold survives a change
    of sentence splitting.
``bundled_substitutions.csv``
    ``pair, kind, term_a, term_b, note``: the differences a reader names in gold pairs.

**Pairs** are scored as word alignments are with sure and possible links (Och & Ney 2003):
precision = found pairs that are gold (sure or possible) / found pairs; recall = sure gold pairs
found / sure gold pairs.

**Substitutions.** A gold difference is found when a change row (of any kind) of a found pair
between the same two sentences has, on each side, a word of the gold side (lower case; a side
of stop words only, such as "Sie", matches any). Recall = gold differences found / gold
differences (all, and of the gold pairs that were found); precision = ``substitution`` and
``label`` rows of found gold pairs that match a gold difference / all such rows. The gold lists
the differences a reader names, not every word, so this precision is a lower bound.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import ParameterError
from .units import sentence_units

__all__ = ["GOLD_FOLDER", "match_gold", "pair_scores_against", "read_gold", "validate_alignment"]

#: The gold alignment of the bundled corpus.
GOLD_FOLDER = Path(__file__).resolve().parents[2] / "data" / "gold"
_WORD = re.compile(r"\w+")
_STOP = frozenset("der die das den dem des ein eine einer eines einem einen und oder in im mit von zu auf für an am "
                  "sie er es ihn ihm ihr sein seine seinem seinen seiner beide beiden".split())


def read_gold(folder=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gold pairs and gold differences of ``folder`` (default: :data:`GOLD_FOLDER`)."""
    folder = GOLD_FOLDER if folder is None else Path(folder)
    files = folder / "bundled_alignment.csv", folder / "bundled_substitutions.csv"
    for file in files:
        if not file.is_file():
            raise ParameterError(f"no gold file {file}", hint="give --gold the folder with bundled_alignment.csv and "
                                                             "bundled_substitutions.csv")
    pairs = pd.read_csv(files[0], dtype={"pair": str, "text_a": str, "text_b": str, "strength": str}, keep_default_na=False)
    changes = pd.read_csv(files[1], dtype=str, keep_default_na=False)
    return pairs, changes


def _normal(text: str) -> str:
    return " ".join(str(text).split())


def _sentence_of(units: pd.DataFrame, doc_id: str, number: int, start: str) -> int:
    """The sentence of ``doc_id`` that starts with ``start`` (``number`` when it still does)."""
    part = units[units["doc_id"].astype(str) == doc_id]
    texts = dict(zip(part["sentence_id"].astype(int), part["text"].map(_normal)))
    start = _normal(start)
    if texts.get(int(number), "").startswith(start):
        return int(number)
    found = [k for k, text in texts.items() if text.startswith(start)]
    if len(found) != 1:
        raise ParameterError(f"gold sentence {start!r} of {doc_id} is found {len(found)} times in the corpus",
                             hint="the gold and the corpus do not fit: check text_a/text_b of the gold file")
    return found[0]


def match_gold(gold: pd.DataFrame, units: pd.DataFrame, doc_a: str, doc_b: str) -> pd.DataFrame:
    """The gold pairs with the corpus's sentence numbers (``sentence_id_a``, ``sentence_id_b``)."""
    gold = gold.copy()
    gold["sentence_id_a"] = [_sentence_of(units, doc_a, n, t) for n, t in zip(gold["sentence_a"], gold["text_a"])]
    gold["sentence_id_b"] = [_sentence_of(units, doc_b, n, t) for n, t in zip(gold["sentence_b"], gold["text_b"])]
    return gold


def pair_scores_against(found: set, sure: set, possible: set) -> dict:
    """Precision (against sure ∪ possible), recall (of sure) and F1 of a set of found pairs.

    Examples
    --------
    >>> pair_scores_against({(1, 2), (3, 4), (5, 6)}, sure={(1, 2), (7, 8)}, possible={(3, 4)})
    {'found': 3, 'gold_sure': 2, 'gold_possible': 1, 'precision': 0.667, 'recall': 0.5, 'f1': 0.571}
    """
    possible = possible | sure
    precision = len(found & possible) / len(found) if found else 0.0
    recall = len(found & sure) / len(sure) if sure else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"found": len(found), "gold_sure": len(sure), "gold_possible": len(possible - sure),
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _side_matches(gold: str, predicted: str) -> bool:
    words = {w for w in _WORD.findall(str(gold).lower())}
    content = words - _STOP
    if not content:
        return True  # a pronoun or article: any wording of the other side's slot
    return bool(content & set(_WORD.findall(str(predicted).lower())))


def _matches(gold_row, change_row) -> bool:
    return (_side_matches(gold_row.term_a, f"{change_row.text_a} {change_row.term_a}")
            and _side_matches(gold_row.term_b, f"{change_row.text_b} {change_row.term_b}"))


def validate_alignment(prepared=None, *, gold=None, result=None) -> dict:
    """Precision and recall of passage alignment and differences on the bundled corpus.

    Parameters
    ----------
    prepared : analysis.pipeline.PreparedCorpus, optional
        The bundled corpus prepared (default: prepared here, without cache).
    gold : path, optional
        The gold folder (default: :data:`GOLD_FOLDER`).
    result : analysis.align.run.AlignmentResult, optional
        An alignment of ``prepared`` (default: :func:`analysis.align.run.align_corpus`).

    Returns
    -------
    dict
        ``summary`` (one row per measure: ``what, found, gold, precision, recall, f1``), ``pairs``
        (every gold and found pair with ``gold`` strength and ``found``), ``differences`` (every
        gold difference with ``found``).
    """
    from ..pipeline import prepare_corpus
    from .run import align_corpus

    if prepared is None:
        prepared = prepare_corpus(cache=False, jobs=1, quiet=True)
    if result is None:
        result = align_corpus(prepared, jobs=1)
    gold_pairs, gold_changes = read_gold(gold)
    docs = prepared.metadata["doc_id"].astype(str).tolist()
    if len(docs) != 2:
        raise ParameterError("the gold alignment is of the two bundled articles", hint="run on the bundled corpus")
    doc_a, doc_b = docs
    # The sentences of the two articles with their texts (the alignment keeps no texts).
    texts = sentence_units(prepared.store, [doc_a, doc_b]).table
    gold_pairs = match_gold(gold_pairs, texts, doc_a, doc_b)
    found_pairs = result.pairs
    oriented = set()
    for row in found_pairs.itertuples():
        if row.doc_id_a == doc_a:
            oriented.add((int(row.sentence_id_a), int(row.sentence_id_b)))
        else:
            oriented.add((int(row.sentence_id_b), int(row.sentence_id_a)))
    keys = list(zip(gold_pairs["sentence_id_a"], gold_pairs["sentence_id_b"]))
    sure = {k for k, s in zip(keys, gold_pairs["strength"]) if s == "sure"}
    possible = {k for k, s in zip(keys, gold_pairs["strength"]) if s == "possible"}
    scores = pair_scores_against(oriented, sure, possible)
    # Lexically reachable: sure pairs whose sentences share at least one content key.
    units = texts.set_index(["doc_id", "sentence_id"])
    shared_words = {}
    for a, b in sure:
        words_a = set(_WORD.findall(units.loc[(doc_a, a), "text"].lower())) - _STOP
        words_b = set(_WORD.findall(units.loc[(doc_b, b), "text"].lower())) - _STOP
        shared_words[(a, b)] = len(words_a & words_b)
    reachable = {k for k, n in shared_words.items() if n >= 2}
    # Recall of those; the other sure pairs count like possible ones (found: right; missed: not counted).
    reach = pair_scores_against(oriented, reachable, possible | (sure - reachable))

    # Differences: the change rows of each found gold pair.
    changes = result.changes.copy()
    flip = changes["doc_id_a"].astype(str) != doc_a
    for left, right in (("text_a", "text_b"), ("term_a", "term_b"), ("sentence_id_a", "sentence_id_b")):
        a, b = changes.loc[flip, left].copy(), changes.loc[flip, right].copy()
        changes.loc[flip, left], changes.loc[flip, right] = b.to_numpy(), a.to_numpy()
    changes["key"] = list(zip(changes["sentence_id_a"].astype(int), changes["sentence_id_b"].astype(int)))
    by_key = dict(zip(gold_pairs["pair"], keys))
    rows = []
    for row in gold_changes.itertuples():
        key = by_key[row.pair]
        candidates = changes[changes["key"] == key]
        rows.append((row.pair, key[0], key[1], row.kind, row.term_a, row.term_b, key in oriented,
                     any(_matches(row, c) for c in candidates.itertuples())))
    differences = pd.DataFrame(rows, columns=["pair", "sentence_id_a", "sentence_id_b", "kind", "term_a", "term_b",
                                              "pair_found", "found"])
    gold_keys = sure | possible
    counted = changes[changes["kind"].isin(["substitution", "label"]) & changes["key"].isin(gold_keys)]
    gold_by_key = {k: gold_changes[gold_changes["pair"].map(by_key) == k] for k in gold_keys}
    right = sum(any(_matches(g, c) for g in gold_by_key[c.key].itertuples()) for c in counted.itertuples())
    n_found_pairs = int(differences["pair_found"].sum())
    summary = pd.DataFrame([
        ("sentence pairs", scores["found"], f"{scores['gold_sure']} sure + {scores['gold_possible']} possible",
         scores["precision"], scores["recall"], scores["f1"]),
        ("sentence pairs, sure pairs sharing ≥ 2 content words", reach["found"],
         f"{reach['gold_sure']} sure + {reach['gold_possible']} possible", reach["precision"], reach["recall"],
         reach["f1"]),
        ("differences (all gold)", int(differences["found"].sum()), str(len(differences)), None,
         round(differences["found"].mean(), 3) if len(differences) else 0.0, None),
        ("differences (gold pairs found)", int(differences.loc[differences["pair_found"], "found"].sum()),
         str(n_found_pairs),
         round(right / len(counted), 3) if len(counted) else None,
         round(differences.loc[differences["pair_found"], "found"].mean(), 3) if n_found_pairs else 0.0, None),
    ], columns=["what", "found", "gold", "precision", "recall", "f1"])
    table = pd.DataFrame(sorted(oriented | gold_keys), columns=["sentence_id_a", "sentence_id_b"])
    strength = dict(zip(keys, gold_pairs["strength"]))
    table["gold"] = [strength.get(k, "") for k in zip(table["sentence_id_a"], table["sentence_id_b"])]
    table["found"] = [k in oriented for k in zip(table["sentence_id_a"], table["sentence_id_b"])]
    table["shared_words"] = [shared_words.get(k, "") for k in zip(table["sentence_id_a"], table["sentence_id_b"])]
    table["text_a"] = [units.loc[(doc_a, a), "text"] for a in table["sentence_id_a"]]
    table["text_b"] = [units.loc[(doc_b, b), "text"] for b in table["sentence_id_b"]]
    return {"summary": summary, "pairs": table, "differences": differences}


def main(argv=None) -> int:
    """``python -m analysis validate-align [--gold DIR] [--out DIR]``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m analysis validate-align",
                                     description="Precision and recall of passage alignment and of the differences "
                                                 "found, against the hand-made gold alignment of the bundled corpus.")
    parser.add_argument("--gold", metavar="DIR", help="gold folder (default: data/gold)")
    parser.add_argument("--out", metavar="DIR", help="write summary.csv, pairs.csv and differences.csv here")
    args = parser.parse_args(argv)
    try:
        found = validate_alignment(gold=args.gold)
    except ParameterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(found["summary"].to_string(index=False))
    if args.out:
        from ..io.writing import write_csv

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("summary", "pairs", "differences"):
            write_csv(found[name], out / f"{name}.csv")
        print(f"wrote summary.csv, pairs.csv and differences.csv to {out}", file=sys.stderr)
    return 0
