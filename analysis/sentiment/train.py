"""Train the sentiment model on gold rows: ``python -m analysis train-sentiment --gold FILE.csv --out MODEL``.

The gold table is the one of :func:`analysis.sentiment.validate.read_gold` (``text``,
``label``, optional target span ``target_from``/``target_to``). Every row is a unit at its
target (:func:`analysis.sentiment.model.text_units`).

How the model is chosen
-----------------------
1. Features of every row (:mod:`analysis.sentiment.features`), n-gram candidates of all rows.
2. The regularisation ``C`` and the class weights (scikit-learn's "balanced" weights raised to
   a power: 0 is no weighting, 1 is fully balanced) are chosen by grouped, stratified k-fold
   cross-validation (``StratifiedGroupKFold``, shuffled with a fixed seed; rows with the same
   text never fall into different folds): the pair with the best macro-F1 over the held-out
   predictions of all folds (ties: the smaller C, then the smaller power). In each fold the
   n-gram vocabulary, its idf and the scales of the lexicon evidence come from the training
   folds only.
3. The chosen pair is fitted on all rows: vocabulary (n-grams in at least ``min_df`` rows; the
   ``max_words`` word and ``max_chars`` character n-grams in most rows, ties by name), idf,
   scales, then a multinomial logistic regression (lbfgs).

The result is deterministic: the same gold file and settings give the same file, byte for
byte (fixed seeds, sorted vocabularies, numbers rounded to six significant digits).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import threadpool_limits

from ..errors import AnalysisError, ParameterError
from .features import LEXICON_FEATURES, dense_features, ngram_counts
from .model import CLASSES, SentimentModel, lexicon_checksum, text_units, transform

__all__ = ["DEFAULT_GRID", "DEFAULT_SETTINGS", "OFFSET_GRID", "GoldFeatures", "choose_offsets", "fit_rows",
           "gold_features", "main", "train_model", "tune"]

#: Feature and vocabulary settings of the shipped model.
DEFAULT_SETTINGS: dict = {
    "context": 1,
    "mask_target": True,
    "char_low": 3,
    "char_high": 5,
    "bigrams": True,
    "distance_scale": 3.0,
    "lexicon_weight": 1.0,
    "window_words": 0,
    "min_df": 2,
    "max_words": 12000,
    "max_chars": 20000,
}
#: Stopping tolerance of lbfgs (the file rounds to six digits; tighter costs time, not agreement).
TOLERANCE = 1e-4
#: The (C, class-weight power) pairs tried.
DEFAULT_GRID: tuple = tuple((c, p) for c in (0.5, 1.0, 2.0) for p in (0.75, 1.0))
#: Offsets tried for the negative and the positive logit by :func:`choose_offsets` (neutral stays at 0).
OFFSET_GRID: tuple = tuple(float(round(x, 1)) + 0.0 for x in np.arange(-1.0, 1.01, 0.1))


@dataclass
class GoldFeatures:
    """Raw features of gold rows: n-gram counts over every candidate (columns sorted by name),
    raw lexicon evidence, labels (class indices) and groups (one per distinct text)."""

    counts: sparse.csr_matrix
    names: list
    dense: np.ndarray
    labels: np.ndarray
    groups: np.ndarray
    settings: dict
    reporting_verbs: tuple


def reporting_forms() -> tuple[str, ...]:
    """Lower-case single-word forms of the reporting verbs of the source registry."""
    from ..framing.reporting import load_source_registry

    forms = set()
    for verb in load_source_registry().verbs:
        for form in tuple(verb.forms) + tuple(verb.split_forms):
            if " " not in form:
                forms.add(form.lower())
    return tuple(sorted(forms))


def gold_features(gold, settings: dict | None = None, *, lexicon=None) -> GoldFeatures:
    """Features of every gold row (see the module notes); ``lexicon`` replaces the default
    lexicon in the lexicon evidence (for ablations)."""
    from .rules import scoring_rules
    from .gold import read_gold

    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    table = read_gold(gold)
    spans = [None] * len(table)
    if "target_from" in table.columns:
        spans = [None if pd.isna(a) else (int(a), int(b)) for a, b in zip(table["target_from"], table["target_to"])]
    arrays, units = text_units(table["text"].tolist(), spans, whole_texts=True)
    counts, names = ngram_counts(arrays, units, settings)
    order = np.argsort(np.array(names, dtype=object), kind="stable")
    counts = counts[:, order].tocsr()
    names = [names[i] for i in order]
    verbs = reporting_forms()
    rules = scoring_rules("default" if lexicon is None else lexicon, True, None, 4, -1.0, None, 2, True)
    dense = dense_features(arrays, units, rules, settings, reporting_forms=frozenset(verbs))
    labels = np.array([CLASSES.index(label) for label in table["label"]], dtype=np.int64)
    groups = pd.factorize(table["text"])[0].astype(np.int64)
    return GoldFeatures(counts, names, dense, labels, groups, settings, verbs)


def _class_weights(labels: np.ndarray, power: float) -> dict:
    counts = np.bincount(labels, minlength=len(CLASSES)).astype(float)
    weights = {}
    for k, n in enumerate(counts):
        if n > 0:
            weights[k] = float((len(labels) / (len(CLASSES) * n)) ** power)
    return weights


def _select_columns(data: GoldFeatures, rows: np.ndarray, columns: np.ndarray | None) -> np.ndarray:
    """The n-gram columns of the vocabulary fitted on ``rows`` (sorted by name)."""
    settings = data.settings
    present = data.counts[rows].copy()
    present.data[:] = 1
    df = np.asarray(present.sum(axis=0)).ravel()
    keep = df >= int(settings["min_df"])
    if columns is not None:
        keep &= columns
    is_char = np.array([n.startswith("c:") for n in data.names], dtype=bool)
    chosen = []
    for block, limit in ((is_char, int(settings["max_chars"])), (~is_char, int(settings["max_words"]))):
        candidates = np.flatnonzero(keep & block)
        # Most frequent first; ties by name (the columns are sorted by name, and the sort is stable).
        ranked = candidates[np.argsort(-df[candidates], kind="stable")][:max(limit, 0)]
        chosen.append(ranked)
    return np.sort(np.concatenate(chosen))


def fit_rows(data: GoldFeatures, rows: np.ndarray, C: float, power: float, *, blocks: dict | None = None,
             training: dict | None = None) -> SentimentModel:
    """Fit the model on the gold ``rows`` with regularisation ``C`` and class-weight ``power``.

    ``blocks`` switches feature groups off for ablations: ``ngrams``, ``words``, ``chars``,
    ``dense`` (all False/True), ``dense_names`` (the lexicon features kept).
    """
    from sklearn.linear_model import LogisticRegression

    blocks = blocks or {}
    rows = np.asarray(rows)
    is_char = np.array([n.startswith("c:") for n in data.names], dtype=bool)
    allowed = np.ones(len(data.names), dtype=bool)
    if not blocks.get("ngrams", True):
        allowed[:] = False
    if not blocks.get("chars", True):
        allowed &= ~is_char
    if not blocks.get("words", True):
        allowed &= is_char
    columns = _select_columns(data, rows, allowed)
    counts = data.counts[:, columns].tocsr()
    present = counts[rows].copy()
    present.data[:] = 1
    df = np.asarray(present.sum(axis=0)).ravel()
    idf = np.log((1.0 + len(rows)) / (1.0 + df)) + 1.0
    dense_keep = np.array([blocks.get("dense", True) and name in blocks.get("dense_names", LEXICON_FEATURES)
                           for name in LEXICON_FEATURES], dtype=bool)
    logged = np.log1p(data.dense[rows])
    scale = np.where(dense_keep, logged.std(axis=0), 0.0)
    names = [data.names[c] for c in columns]
    char_flags = np.array([n.startswith("c:") for n in names], dtype=bool)
    # The numbers the model computes with are those of its file: round idf and scales first.
    from .model import round_floats

    idf = np.array([round_floats(v) for v in idf])
    scale = np.array([round_floats(v) for v in scale])
    X = transform(counts[rows], data.dense[rows], idf, scale, char_flags, float(data.settings["lexicon_weight"]))
    y = data.labels[rows]
    classifier = LogisticRegression(C=C, class_weight=_class_weights(y, power), max_iter=2000, tol=TOLERANCE)
    # One BLAS thread: the same sums in the same order on every machine, and no contention.
    with threadpool_limits(limits=1):
        classifier.fit(X, y)
    coef = np.zeros((len(CLASSES), X.shape[1]))
    intercept = np.zeros(len(CLASSES))
    if len(classifier.classes_) == 2:  # a fold with two classes: a binary model, as logits of both
        raise ParameterError("the gold rows of a fold hold only two classes", hint="give more rows of each class")
    coef[classifier.classes_] = classifier.coef_
    intercept[classifier.classes_] = classifier.intercept_
    from .lexicon import default_lexicon

    model = SentimentModel(
        settings={**data.settings, "C": float(C), "class_weight_power": float(power)},
        ngram_names=names, idf=idf, dense_names=list(LEXICON_FEATURES), scale=scale,
        coef=coef, intercept=intercept, reporting_verbs=data.reporting_verbs,
        lexicon={"name": default_lexicon().name, "entries": len(default_lexicon()),
                 "sha256": lexicon_checksum(default_lexicon())},
        training=training or {},
    )
    return model.rounded()


def predict_rows(model: SentimentModel, data: GoldFeatures, rows: np.ndarray) -> np.ndarray:
    """Probabilities of gold ``rows`` from their raw features."""
    from .model import softmax_rows

    index = {name: i for i, name in enumerate(data.names)}
    columns = np.array([index[n] for n in model.ngram_names], dtype=np.int64)
    counts = data.counts[rows][:, columns] if len(columns) else sparse.csr_matrix((len(rows), 0))
    X = model.transform(counts, data.dense[rows])
    return softmax_rows(model.logits(X))


def grouped_folds(labels, groups, rows, folds: int, seed: int):
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(rows)), labels[rows], groups[rows]):
        yield rows[train], rows[test]


def _macro_f1(truth, predicted) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, average="macro", labels=list(range(len(CLASSES))), zero_division=0))


def tune(data: GoldFeatures, rows: np.ndarray, *, grid=DEFAULT_GRID, folds: int = 5, seed: int = 0,
         blocks: dict | None = None) -> tuple[tuple[float, float], pd.DataFrame]:
    """Choose ``(C, power)`` by grouped k-fold cross-validation on ``rows``.

    Returns
    -------
    tuple
        The chosen pair and the table ``C, class_weight_power, macro_f1`` of the grid.
    """
    rows = np.asarray(rows)
    splits = list(grouped_folds(data.labels, data.groups, rows, folds, seed))
    results = []
    for C, power in grid:
        predicted = np.empty(len(data.labels), dtype=np.int64)
        for train, test in splits:
            model = fit_rows(data, train, C, power, blocks=blocks)
            predicted[test] = predict_rows(model, data, test).argmax(axis=1)
        results.append((float(C), float(power), _macro_f1(data.labels[rows], predicted[rows])))
    table = pd.DataFrame(results, columns=["C", "class_weight_power", "macro_f1"])
    best = table.sort_values(["macro_f1", "C", "class_weight_power"], ascending=[False, True, True],
                             kind="stable").iloc[0]
    return (float(best["C"]), float(best["class_weight_power"])), table


def choose_offsets(data: GoldFeatures, rows: np.ndarray, C: float, power: float, *, folds: int = 3, seed: int = 0,
                   grid=OFFSET_GRID, blocks: dict | None = None) -> tuple[float, float]:
    """Offsets of the negative and positive logits that maximise macro-F1, chosen by grouped
    k-fold cross-validation on ``rows`` alone (for nested use inside a training part).

    The held-out log-probabilities of the inner folds are shifted by every pair of ``grid``
    (neutral unshifted); the pair with the best macro-F1 wins, ties to the smaller
    ``|a| + |b|`` and then grid order. An offset added to an intercept keeps every explanation
    exact (the logits stay intercept plus contributions). Measured in ``validate-sentiment``;
    the shipped model has none: with class weights chosen by cross-validation they did not help.

    Returns
    -------
    tuple of float
        ``(negative, positive)`` offsets.
    """
    rows = np.asarray(rows)
    held_out = np.zeros((len(data.labels), len(CLASSES)))
    for train, test in grouped_folds(data.labels, data.groups, rows, folds, seed):
        model = fit_rows(data, train, C, power, blocks=blocks)
        held_out[test] = np.log(np.clip(predict_rows(model, data, test), 1e-300, None))
    truth = data.labels[rows]
    logits = held_out[rows]
    best = (-1.0, 0.0, 0.0)
    for a in grid:
        for b in grid:
            f1 = _macro_f1(truth, (logits + np.array([a, 0.0, b])).argmax(axis=1))
            if f1 > best[0] + 1e-12 or (abs(f1 - best[0]) <= 1e-12 and abs(a) + abs(b) < abs(best[1]) + abs(best[2])):
                best = (f1, float(a), float(b))
    return best[1], best[2]


def train_model(gold, settings: dict | None = None, *, grid=DEFAULT_GRID, folds: int = 5, seed: int = 0,
                source: str | None = None) -> SentimentModel:
    """Train the sentiment model on a gold table (module notes).

    Parameters
    ----------
    gold : pandas.DataFrame, str or Path
        Gold rows (:func:`analysis.sentiment.validate.read_gold`).
    settings : dict, optional
        Changes to :data:`DEFAULT_SETTINGS`.
    grid : sequence of (float, float)
        ``(C, class-weight power)`` pairs to choose from.
    folds, seed : int
        The grouped cross-validation that chooses from the grid.
    source : str, optional
        Name of the gold data recorded in the model (the file name by default).

    Returns
    -------
    SentimentModel

    Examples
    --------
    >>> import pandas as pd
    >>> gold = pd.DataFrame({"text": ["Anna ist großartig.", "Anna ist schrecklich.", "Anna fährt Bus."] * 4,
    ...                      "label": ["positive", "negative", "neutral"] * 4})
    >>> gold["text"] = [f"{t} Tag {i}." for i, t in enumerate(gold["text"])]
    >>> model = train_model(gold, grid=[(1.0, 1.0)], folds=2)
    >>> model.settings["C"], len(model.intercept)
    (1.0, 3)
    """
    data = gold_features(gold, settings)
    rows = np.arange(len(data.labels))
    (C, power), table = tune(data, rows, grid=grid, folds=folds, seed=seed)
    if isinstance(gold, (str, Path)):
        digest = hashlib.sha256(Path(gold).read_bytes()).hexdigest()
        name = source or Path(gold).name
    else:
        digest = hashlib.sha256(pd.DataFrame(gold).to_csv(index=False).encode("utf-8")).hexdigest()
        name = source or "gold table"
    counts = np.bincount(data.labels, minlength=len(CLASSES))
    training = {
        "data": name,
        "data_sha256": digest,
        "rows": int(len(rows)),
        "texts": int(data.groups.max() + 1) if len(rows) else 0,
        "labels": {k: int(n) for k, n in zip(CLASSES, counts)},
        "selection": f"grouped stratified {folds}-fold cross-validation (seed {seed}), macro-F1",
        "grid": [[float(c), float(p), round(float(f), 4)] for c, p, f in table.itertuples(index=False)],
    }
    return fit_rows(data, rows, C, power, training=training)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis train-sentiment",
        description="Train the sentiment model on gold rows (text, label, optional target_from/target_to) and "
                    "write it as a JSON file. The shipped model is rebuilt with --gold GERNTSA_DEV.csv "
                    "--out analysis/resources/sentiment_model.json.",
    )
    parser.add_argument("--gold", required=True, help="CSV with text, label (or polarity), optional target_from/to")
    parser.add_argument("--out", required=True, metavar="MODEL.json", help="where to write the model")
    parser.add_argument("--folds", type=int, default=5, help="folds of the grouped cross-validation (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fold assignment (default 0)")
    return parser


def main(argv=None) -> int:
    """Command-line entry: train and write the model; 0 on success, 2 on a user error."""
    args = _parser().parse_args(argv)
    try:
        model = train_model(args.gold, folds=args.folds, seed=args.seed)
        path = model.save(args.out)
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = path.stat().st_size
    print(f"wrote {path} ({size / 1e6:.2f} MB): {len(model.ngram_names)} n-grams, {len(model.dense_names)} lexicon "
          f"features; C={model.settings['C']}, class-weight power {model.settings['class_weight_power']}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
