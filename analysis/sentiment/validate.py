"""Check the sentiment scorer against human labels.

A gold table has the columns ``text`` and ``label`` (``positive``, ``negative`` or
``neutral``; a column named ``polarity`` is accepted instead of ``label``), and optionally a
target span ``target_from``, ``target_to`` (character offsets into ``text``) when the label is
the sentiment *toward* that target, as in GerNTSA.

What is scored (``scope``)
--------------------------
``"sentence"`` (default)
    The sentence (:func:`analysis.text.split_sentences`) that contains the start of the
    target; the whole text when a row has no target.
``"window"``
    The target's tokens and ``window`` tokens on each side (punctuation and quotes not
    counted), within that sentence. Negation scopes are found in the whole sentence first,
    so a negator just outside the window still flips a word inside it.
``"text"``
    The whole text.

The score is the plain sum of the contributions in the scope
(:mod:`analysis.sentiment.scorer`). A row is **neutral** when ``|score| <= threshold``,
positive above, negative below. The threshold is a free parameter: :func:`threshold_curve`
shows every value of a grid on the gold set, and :func:`cross_validated_threshold` estimates
how a threshold chosen on part of the data does on the rest.

Metrics come from scikit-learn: accuracy, macro-F1 (over the classes that occur in the gold
labels or the predictions, as scikit-learn does by default), per-class precision, recall and
F1, the confusion matrix (rows gold, columns predicted), and the majority-class baseline
(every row predicted as the most frequent gold label).

Run it as a program::

    python -m analysis validate-sentiment --gold FILE.csv [--out TABLE.csv]          # trained model, CV
    python -m analysis validate-sentiment --gold FILE.csv --model lexicon [--lexicon NAME|PATH] [--scope sentence]

The trained model is validated by grouped cross-validation (:func:`cross_validate_model`).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import AnalysisError, ParameterError
from .gold import LABELS, read_gold
from .lexicon import load_lexicon
from .scorer import scoring_tokens, score_tokens

__all__ = [
    "LABELS",
    "SCOPES",
    "ValidationResult",
    "classify",
    "cross_validate_model",
    "cross_validated_threshold",
    "main",
    "read_gold",
    "score_gold",
    "threshold_curve",
    "validate",
]

#: What can be scored in a gold row.
SCOPES: tuple[str, ...] = ("sentence", "window", "text")
#: Thresholds tried by :func:`threshold_curve` when none are given.
DEFAULT_GRID: tuple[float, ...] = tuple(round(x, 2) for x in np.arange(0.0, 3.01, 0.1))


def score_gold(gold, lexicon=None, *, scope: str = "sentence", window: int = 5, **options) -> pd.DataFrame:
    """Score every gold row in the chosen scope.

    Parameters
    ----------
    gold : pandas.DataFrame, str or Path
        See :func:`read_gold`.
    lexicon : optional
        Anything :func:`~analysis.sentiment.lexicon.load_lexicon` accepts; the default lexicon
        when omitted.
    scope : {"sentence", "window", "text"}
        What is scored (module notes).
    window : int, default 5
        Tokens on each side of the target for ``scope="window"``.
    **options
        Scoring options of :func:`~analysis.sentiment.scorer.score_tokens`.

    Returns
    -------
    pandas.DataFrame
        The gold table with ``scored`` (the text scored), ``score``, ``n_words`` and
        ``n_matched`` (word tokens in the scope, and those matched by the lexicon).

    Examples
    --------
    >>> gold = pd.DataFrame({"text": ["Gut. Schlecht."], "label": ["negative"], "target_from": [5], "target_to": [13]})
    >>> score_gold(gold, {"gut": 1, "schlecht": -1})[["scored", "score"]].values.tolist()
    [['Schlecht.', -1.0]]
    """
    if scope not in SCOPES:
        raise ParameterError(f"scope={scope!r} is not one of {', '.join(SCOPES)}")
    if isinstance(window, (bool, np.bool_)) or not isinstance(window, (int, np.integer)) or window < 0:
        raise ParameterError(f"window must be a non-negative whole number, got {window!r}")
    table = read_gold(gold)
    lexicon = load_lexicon("default" if lexicon is None else lexicon)
    tokens = scoring_tokens([str(i) for i in range(len(table))], table["text"].tolist())
    contributions = score_tokens(tokens, lexicon, **options)
    doc_rows = pd.factorize(tokens["doc_id"], sort=False)[0]
    bounds = np.searchsorted(doc_rows, np.arange(len(table) + 1))
    starts = tokens["start"].to_numpy()
    ends = tokens["end"].to_numpy()
    sentence = tokens["sentence_id"].to_numpy()
    counted = ~tokens["kind"].astype(str).isin(["punct", "quote"]).to_numpy()
    is_word = (tokens["kind"].astype(str) == "word").to_numpy()
    matched = contributions["role"].isin(["sentiment", "phrase"]).to_numpy() & is_word
    value = contributions["contribution"].to_numpy()
    has_target = "target_from" in table.columns

    scored, scores, n_words, n_matched = [], [], [], []
    for row, text in enumerate(table["text"]):
        lo, hi = bounds[row], bounds[row + 1]
        selection = np.arange(lo, hi)
        target = None
        if has_target and not pd.isna(table.at[row, "target_from"]):
            target = (int(table.at[row, "target_from"]), int(table.at[row, "target_to"]))
        if scope != "text" and target is not None and hi > lo:
            inside = np.flatnonzero(ends[lo:hi] > target[0])
            anchor = lo + (int(inside[0]) if len(inside) else hi - lo - 1)
            selection = selection[sentence[lo:hi] == sentence[anchor]]
            if scope == "window":
                keep = selection[counted[selection]]
                hit = np.flatnonzero((starts[keep] < target[1]) & (ends[keep] > target[0]))
                if len(hit):
                    first = max(0, int(hit[0]) - window)
                    last = min(len(keep) - 1, int(hit[-1]) + window)
                    selection = np.arange(keep[first], keep[last] + 1)
        if len(selection):
            scored.append(text[int(starts[selection[0]]) : int(ends[selection[-1]])])
        else:
            scored.append("")
        total = float(value[selection].sum())
        scores.append(total + 0.0 if total != 0 else 0.0)
        n_words.append(int(is_word[selection].sum()))
        n_matched.append(int(matched[selection].sum()))
    result = table.copy()
    result["scored"] = scored
    result["score"] = scores
    result["n_words"] = n_words
    result["n_matched"] = n_matched
    result.attrs["lexicon"] = lexicon.name
    return result


def classify(scores, threshold: float = 0.0) -> np.ndarray:
    """Labels from scores: neutral when ``|score| <= threshold``.

    Examples
    --------
    >>> classify([-1.0, 0.2, 0.0, 0.7], threshold=0.5).tolist()
    ['negative', 'neutral', 'neutral', 'positive']
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.floating)) or not threshold >= 0:
        raise ParameterError(f"threshold must be a number >= 0, got {threshold!r}")
    values = np.asarray(scores, dtype=float)
    return np.where(values > threshold, "positive", np.where(values < -threshold, "negative", "neutral")).astype(object)


def _metrics(gold_labels, predicted) -> dict:
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "accuracy": float(accuracy_score(gold_labels, predicted)),
        "macro_f1": float(f1_score(gold_labels, predicted, average="macro", zero_division=0)),
    }


@dataclass
class ValidationResult:
    """Agreement of the scorer with gold labels.

    Attributes
    ----------
    accuracy, macro_f1 : float
        Of the scorer's predictions.
    per_class : pandas.DataFrame
        ``label, precision, recall, f1, support`` for each of :data:`LABELS`.
    confusion : pandas.DataFrame
        Counts, rows the gold labels, columns the predicted ones (:data:`LABELS` order).
    baseline : dict
        ``label`` (the majority gold label), ``accuracy`` and ``macro_f1`` of predicting it always.
    predictions : pandas.DataFrame
        The scored gold rows with ``predicted``.
    coverage : float
        Matched / word tokens over all scopes scored.
    config : dict
        Lexicon, scope, window, threshold and scoring options.
    """

    accuracy: float
    macro_f1: float
    per_class: pd.DataFrame
    confusion: pd.DataFrame
    baseline: dict
    predictions: pd.DataFrame
    coverage: float
    config: dict = field(default_factory=dict)

    def report(self) -> str:
        """A plain-text report of every number."""
        lines = ["configuration: " + ", ".join(f"{k}={v}" for k, v in self.config.items())]
        lines.append(f"rows: {len(self.predictions)}    lexicon coverage of scored words: {self.coverage:.3f}")
        lines.append(f"accuracy: {self.accuracy:.3f}    macro-F1: {self.macro_f1:.3f}")
        lines.append(
            f"majority baseline ({self.baseline['label']}): accuracy {self.baseline['accuracy']:.3f}    "
            f"macro-F1 {self.baseline['macro_f1']:.3f}"
        )
        lines.append("")
        lines.append("per class:")
        lines.append(self.per_class.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        lines.append("")
        lines.append("confusion matrix (rows: gold, columns: predicted):")
        lines.append(self.confusion.to_string())
        return "\n".join(lines)


def _result(scored: pd.DataFrame, threshold: float, config: dict) -> ValidationResult:
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    gold_labels = scored["label"].to_numpy(dtype=object)
    predicted = classify(scored["score"].to_numpy(), threshold)
    main_metrics = _metrics(gold_labels, predicted)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold_labels, predicted, labels=list(LABELS), zero_division=0
    )
    per_class = pd.DataFrame(
        {"label": list(LABELS), "precision": precision, "recall": recall, "f1": f1, "support": support}
    )
    confusion = pd.DataFrame(
        confusion_matrix(gold_labels, predicted, labels=list(LABELS)),
        index=pd.Index(list(LABELS), name="gold"),
        columns=pd.Index(list(LABELS), name="predicted"),
    )
    counts = pd.Series(gold_labels).value_counts()
    majority = sorted(counts[counts == counts.max()].index)[0]
    baseline = {"label": majority, **_metrics(gold_labels, np.full(len(gold_labels), majority, dtype=object))}
    words = scored["n_words"].sum()
    predictions = scored.copy()
    predictions["predicted"] = predicted
    return ValidationResult(
        accuracy=main_metrics["accuracy"],
        macro_f1=main_metrics["macro_f1"],
        per_class=per_class,
        confusion=confusion,
        baseline=baseline,
        predictions=predictions,
        coverage=float(scored["n_matched"].sum() / words) if words else math.nan,
        config=config,
    )


def validate(gold, lexicon=None, *, scope: str = "sentence", window: int = 5, threshold: float = 0.0,
             **options) -> ValidationResult:
    """Score gold rows and compare the predicted labels with the gold labels.

    Parameters
    ----------
    gold : pandas.DataFrame, str or Path
        Gold table or CSV (:func:`read_gold`).
    lexicon : optional
        Anything :func:`~analysis.sentiment.lexicon.load_lexicon` accepts; the default lexicon
        when omitted.
    scope : {"sentence", "window", "text"}
        What is scored (module notes).
    window : int, default 5
        Tokens on each side of the target for ``scope="window"``.
    threshold : float, default 0.0
        Neutral band: ``|score| <= threshold`` is neutral. The default 0 calls every text
        with any net sentiment polar; it was fixed before looking at any data.
    **options
        Scoring options of :func:`~analysis.sentiment.scorer.score_tokens` (``negation=False``,
        ``modifiers={}``, ...).

    Returns
    -------
    ValidationResult

    Examples
    --------
    >>> gold = pd.DataFrame({"text": ["Das ist gut.", "Das ist nicht gut.", "Ein Tisch."],
    ...                      "label": ["positive", "negative", "neutral"]})
    >>> result = validate(gold, {"gut": 1.0})
    >>> result.accuracy, result.macro_f1, result.baseline["accuracy"]
    (1.0, 1.0, 0.3333333333333333)
    """
    classify([], threshold)  # checks the threshold before scoring
    scored = score_gold(gold, lexicon, scope=scope, window=window, **options)
    config = {"lexicon": scored.attrs.get("lexicon", ""), "scope": scope}
    if scope == "window":
        config["window"] = window
    config["threshold"] = threshold
    config.update({k: v for k, v in options.items()})
    return _result(scored, float(threshold), config)


def threshold_curve(scored: pd.DataFrame, thresholds=DEFAULT_GRID) -> pd.DataFrame:
    """Accuracy and macro-F1 of every threshold, on already scored gold rows.

    Parameters
    ----------
    scored : pandas.DataFrame
        Output of :func:`score_gold` (``label`` and ``score``).
    thresholds : sequence of float
        Values to try.

    Returns
    -------
    pandas.DataFrame
        ``threshold, accuracy, macro_f1``.

    Examples
    --------
    >>> scored = pd.DataFrame({"label": ["positive", "neutral"], "score": [1.0, 0.3]})
    >>> threshold_curve(scored, [0.0, 0.5])["macro_f1"].tolist()
    [0.3333333333333333, 1.0]
    """
    rows = []
    for t in thresholds:
        predicted = classify(scored["score"].to_numpy(), float(t))
        rows.append({"threshold": float(t), **_metrics(scored["label"].to_numpy(dtype=object), predicted)})
    return pd.DataFrame(rows, columns=["threshold", "accuracy", "macro_f1"])


def cross_validated_threshold(scored: pd.DataFrame, thresholds=DEFAULT_GRID, *, folds: int = 5,
                              seed: int = 0) -> pd.DataFrame:
    """Choose the threshold on ``folds - 1`` parts and measure it on the held-out part.

    Rows with the same ``text`` always fall into the same part, so a sentence with several
    targets never helps choose the threshold it is tested with.

    Parameters
    ----------
    scored : pandas.DataFrame
        Output of :func:`score_gold`.
    thresholds : sequence of float
        Grid to choose from (the best macro-F1 on the training parts; ties: the smallest).
    folds : int, default 5
    seed : int, default 0
        Seed of the assignment of texts to parts.

    Returns
    -------
    pandas.DataFrame
        One row per fold: ``fold, threshold, n, accuracy, macro_f1`` (held-out values);
        ``attrs["macro_f1"]`` and ``attrs["accuracy"]`` are the values over all held-out
        predictions together.

    Examples
    --------
    >>> scored = pd.DataFrame({"text": list("abcdef"), "score": [2.0, 0.2, -2.0, 1.5, 0.1, -1.0],
    ...                        "label": ["positive", "neutral", "negative", "positive", "neutral", "negative"]})
    >>> table = cross_validated_threshold(scored, [0.0, 0.5], folds=2)
    >>> list(table.columns), int(table["n"].sum())
    (['fold', 'threshold', 'n', 'accuracy', 'macro_f1'], 6)
    """
    from sklearn.metrics import accuracy_score, f1_score

    if isinstance(folds, bool) or not isinstance(folds, (int, np.integer)) or folds < 2:
        raise ParameterError(f"folds must be a whole number >= 2, got {folds!r}")
    texts = pd.factorize(scored["text"])[0]
    rng = np.random.default_rng(seed)
    order = rng.permutation(texts.max() + 1)
    part = order[texts] % folds
    labels = scored["label"].to_numpy(dtype=object)
    values = scored["score"].to_numpy()
    predicted = np.empty(len(scored), dtype=object)
    rows = []
    for fold in range(folds):
        train = part != fold
        curve = threshold_curve(scored[train], thresholds)
        best = float(curve.loc[curve["macro_f1"].idxmax(), "threshold"])
        test = ~train
        predicted[test] = classify(values[test], best)
        rows.append({"fold": fold, "threshold": best, "n": int(test.sum()),
                     **_metrics(labels[test], predicted[test])})
    table = pd.DataFrame(rows)
    table.attrs["macro_f1"] = float(f1_score(labels, predicted.astype(str), average="macro", zero_division=0))
    table.attrs["accuracy"] = float(accuracy_score(labels, predicted.astype(str)))
    return table


#: The ablations of :func:`cross_validate_model`: name → (feature settings, blocks, lexicon).
ABLATIONS: dict = {
    "without character n-grams": ({}, {"chars": False}, None),
    "without word n-grams": ({}, {"words": False}, None),
    "without lexicon evidence (n-grams only)": ({}, {"dense": False}, None),
    "without target features (sentence sums only)": ({}, {"dense_names": (
        "sentence_positive", "sentence_negative", "sentence_n_positive", "sentence_n_negative",
        "sentence_negated_positive", "sentence_negated_negative", "sentence_negators", "context_positive", "context_negative")}, None),
    "without neighbouring sentences (context 0)": ({"context": 0}, {}, None),
    "without target masking": ({"mask_target": False}, {}, None),
    "with a block of the words near the target (3 each side)": ({"window_words": 3}, {}, None),
    "lexicon not cleaned (file as distributed)": ({}, {}, "textblob-de-raw"),
    "lexicon cleaned but without the topic-word list": ({}, {}, "no-topic-words"),
}
def _bootstrap_f1(labels, predicted, groups, *, n_boot: int, seed: int, level: float = 0.95):
    """Percentile interval of macro-F1, resampling texts (all rows of a text together)."""
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(seed)
    codes = pd.factorize(groups)[0]
    n_groups = codes.max() + 1
    members = pd.Series(np.arange(len(codes))).groupby(codes).apply(np.array).to_list()
    values = np.empty(n_boot)
    for b in range(n_boot):
        drawn = np.concatenate([members[g] for g in rng.integers(0, n_groups, n_groups)])
        values[b] = f1_score(labels[drawn], predicted[drawn], average="macro", labels=list(LABELS), zero_division=0)
    alpha = (1 - level) / 2
    return float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha)), values


def cross_validate_model(gold, *, folds: int = 5, seed: int = 0, inner_folds: int = 3, grid=None,
                         n_boot: int = 1000, ablations: bool = True, progress=None) -> dict:
    """Grouped k-fold cross-validation of the trained model, its baselines and ablations, on the same folds.

    Every configuration is trained on k − 1 folds and predicts the held-out fold
    (``StratifiedGroupKFold``: rows with the same text stay in one fold). For the default and
    the two trained baselines, ``C`` and the class weights are chosen inside each training
    part by an inner grouped cross-validation (nested: the held-out fold never helps choose
    them); the ablations reuse the default's choice of each fold. The vocabulary, idf and
    scales always come from the training part only.

    Configurations: **default** (the shipped settings); **majority** (always the most
    frequent training label); **lexicon scorer** (the rule-based scorer on the target's
    sentence, neutral for ``|score| <= threshold``: the file as distributed with threshold 0,
    the old default, and the cleaned lexicon with the threshold chosen on the training part);
    **lexicon evidence only** and **n-grams only** (the trained model with one feature group);
    and the :data:`ABLATIONS`.

    Returns
    -------
    dict
        ``table`` (one row per configuration: ``configuration, kind, accuracy, macro_f1,
        ci_low, ci_high``, per-class precision and recall), ``default`` (the
        :class:`ValidationResult` of the default's held-out predictions), ``difference`` (macro-F1 of
        the default minus the best lexicon-only configuration, with its paired bootstrap interval),
        ``differences`` (the same against every lexicon-only configuration), ``chosen`` (the
        hyper-parameters per fold), ``offsets`` (the logit offsets of the offsets ablation per
        fold) and ``predictions``.
    """
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    from .cleanup import clean_lexicon
    from .lexicon import default_lexicon
    from .train import DEFAULT_SETTINGS, choose_offsets, grouped_folds, predict_rows, fit_rows, gold_features, tune

    from .train import DEFAULT_GRID

    grid = DEFAULT_GRID if grid is None else grid
    say = progress or (lambda message: None)
    table = read_gold(gold)
    data = gold_features(table)
    labels_index = data.labels
    labels = np.array(LABELS, dtype=object)[labels_index]
    rows = np.arange(len(labels))
    splits = list(grouped_folds(labels_index, data.groups, rows, folds, seed))
    predictions = {}
    kinds = {}
    chosen = []
    offset_log = []

    def trained(name, features, blocks=None, fixed=None, kind="model", offsets=False):
        out = np.empty(len(rows), dtype=np.int64)
        for number, (train, test) in enumerate(splits):
            if fixed is None:
                (C, power), _ = tune(features, train, grid=grid, folds=inner_folds, seed=seed, blocks=blocks)
            else:
                C, power = fixed[number]
            if name == "default":
                chosen.append({"fold": number, "C": C, "class_weight_power": power})
            model = fit_rows(features, train, C, power, blocks=blocks)
            shift = np.zeros(len(LABELS))
            if offsets:
                # Chosen on the training part's own inner folds: the held-out fold never helps.
                a, b = choose_offsets(features, train, C, power, folds=inner_folds, seed=seed, blocks=blocks)
                shift = np.array([a, 0.0, b])
                offset_log.append({"fold": number, "negative": a, "positive": b})
            probabilities = predict_rows(model, features, test)
            out[test] = (np.log(np.clip(probabilities, 1e-300, None)) + shift).argmax(axis=1)
        predictions[name] = np.array(LABELS, dtype=object)[out]
        kinds[name] = kind
        say(f"{name}: macro-F1 {f1_score(labels, predictions[name], average='macro', zero_division=0):.3f}")

    say("default: nested tuning")
    trained("default", data)
    fixed = [(c["C"], c["class_weight_power"]) for c in chosen]
    # Baselines.
    majority = np.empty(len(rows), dtype=object)
    for train, test in splits:
        counts = pd.Series(labels[train]).value_counts()
        majority[test] = sorted(counts[counts == counts.max()].index)[0]
    predictions["majority"], kinds["majority"] = majority, "baseline"
    for name, lexicon, tuned in (("lexicon scorer, file as distributed, threshold 0 (the old default)",
                                  default_lexicon(clean=False), False),
                                 ("lexicon scorer, cleaned lexicon, threshold chosen on the training folds",
                                  default_lexicon(), True)):
        scored = score_gold(table, lexicon)["score"].to_numpy()
        out = np.empty(len(rows), dtype=object)
        for train, test in splits:
            threshold = 0.0
            if tuned:
                curve = threshold_curve(pd.DataFrame({"label": labels[train], "score": scored[train]}))
                threshold = float(curve.loc[curve["macro_f1"].idxmax(), "threshold"])
            out[test] = classify(scored[test], threshold)
        predictions[name], kinds[name] = out, "baseline"
    say("lexicon evidence only, n-grams only: nested tuning")
    trained("lexicon evidence only (trained)", data, {"ngrams": False}, kind="baseline")
    trained("n-grams only (trained)", data, {"dense": False}, kind="baseline")
    if ablations:
        say("per-class logit offsets: nested choice")
        trained("with per-class logit offsets chosen by inner cross-validation", data, fixed=fixed, kind="ablation",
                offsets=True)
        for name, (settings, blocks, lexicon) in ABLATIONS.items():
            features = data
            if settings or lexicon:
                if lexicon == "no-topic-words":
                    lexicon = clean_lexicon(default_lexicon(clean=False), topic_words=False)
                features = gold_features(table, {**DEFAULT_SETTINGS, **settings}, lexicon=lexicon)
            trained(name, features, blocks, fixed=fixed, kind="ablation")

    groups = data.groups
    rows_out = []
    boot = {}
    for name, predicted in predictions.items():
        low, high, values = _bootstrap_f1(labels, predicted, groups, n_boot=n_boot, seed=seed)
        boot[name] = values
        precision, recall, _, _ = precision_recall_fscore_support(labels, predicted, labels=list(LABELS),
                                                                  zero_division=0)
        rows_out.append({
            "configuration": name, "kind": kinds[name],
            "accuracy": float(accuracy_score(labels, predicted)),
            "macro_f1": float(f1_score(labels, predicted, average="macro", zero_division=0)),
            "ci_low": low, "ci_high": high,
            **{f"precision_{k}": float(v) for k, v in zip(LABELS, precision)},
            **{f"recall_{k}": float(v) for k, v in zip(LABELS, recall)},
        })
    result_table = pd.DataFrame(rows_out)
    lexicon_names = [n for n in predictions if n.startswith("lexicon") and kinds[n] == "baseline"]
    by_name = result_table.set_index("configuration")["macro_f1"]
    differences = []
    for name in lexicon_names:
        gap = boot["default"] - boot[name]  # same resamples (same seed): a paired interval
        differences.append({"against": name, "macro_f1": float(by_name["default"] - by_name[name]),
                            "ci_low": float(np.quantile(gap, 0.025)), "ci_high": float(np.quantile(gap, 0.975))})
    difference = max(differences, key=lambda d: by_name[d["against"]])
    scored = table.copy()
    scored["score"] = 0.0
    scored["n_words"] = 0
    scored["n_matched"] = 0
    default = _result_from_labels(scored, predictions["default"],
                                  {"model": "trained (cross-validated)", "folds": folds, "seed": seed})
    return {"table": result_table, "default": default, "difference": difference,
            "differences": pd.DataFrame(differences), "chosen": pd.DataFrame(chosen),
            "offsets": pd.DataFrame(offset_log, columns=["fold", "negative", "positive"]),
            "predictions": pd.DataFrame({"text": table["text"], "label": labels, **predictions})}


def _result_from_labels(scored: pd.DataFrame, predicted, config: dict) -> ValidationResult:
    """A :class:`ValidationResult` of given predicted labels."""
    result = _result(scored, 0.0, config)
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    gold_labels = scored["label"].to_numpy(dtype=object)
    predicted = np.asarray(predicted, dtype=object)
    precision, recall, f1, support = precision_recall_fscore_support(gold_labels, predicted, labels=list(LABELS),
                                                                     zero_division=0)
    result.per_class = pd.DataFrame({"label": list(LABELS), "precision": precision, "recall": recall, "f1": f1,
                                     "support": support})
    result.confusion = pd.DataFrame(confusion_matrix(gold_labels, predicted, labels=list(LABELS)),
                                    index=pd.Index(list(LABELS), name="gold"),
                                    columns=pd.Index(list(LABELS), name="predicted"))
    metrics = _metrics(gold_labels, predicted)
    result.accuracy, result.macro_f1 = metrics["accuracy"], metrics["macro_f1"]
    result.predictions = scored.assign(predicted=predicted)
    result.coverage = math.nan
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis validate-sentiment",
        description="Compare the sentiment scorer with human labels: the trained model by grouped cross-validation "
                    "(with baselines and ablations on the same folds), or the lexicon scorer (--model lexicon).",
    )
    parser.add_argument("--gold", required=True, help="CSV with text, label (or polarity), optional target_from/to")
    parser.add_argument("--model", default=None, choices=("trained", "lexicon"),
                        help="trained: cross-validate the trained model (the default); lexicon: score with the lexicon "
                             "(the default when a lexicon option below is given)")
    parser.add_argument("--out", metavar="FILE.csv", help="write the table of configurations (trained) or the "
                                                           "scored rows (lexicon) to this CSV file")
    trained = parser.add_argument_group("trained model")
    trained.add_argument("--folds", type=int, default=5, help="outer folds (default 5)")
    trained.add_argument("--inner-folds", type=int, default=3, help="folds of the nested tuning (default 3)")
    trained.add_argument("--seed", type=int, default=0, help="seed of the folds and the bootstrap (default 0)")
    trained.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples of texts (default 1000)")
    trained.add_argument("--no-ablations", action="store_true", help="only the default and the baselines")
    trained.add_argument("--predictions", metavar="FILE.csv",
                         help="write every configuration's held-out prediction of every row to this CSV file")
    lexicon = parser.add_argument_group("lexicon scorer (--model lexicon)")
    lexicon.add_argument("--lexicon", default="default", help="lexicon name or path (default: textblob-de, cleaned)")
    lexicon.add_argument("--lexicon-format", default=None, help="sentiws, rauh, gervader, plain or pattern-xml")
    lexicon.add_argument("--scope", default="sentence", choices=SCOPES, help="what is scored (default: sentence)")
    lexicon.add_argument("--window", type=int, default=5, help="tokens each side of the target for --scope window")
    lexicon.add_argument("--threshold", type=float, default=0.0, help="neutral band |score| <= threshold (default 0)")
    lexicon.add_argument("--no-negation", action="store_true", help="switch negation handling off")
    lexicon.add_argument("--no-modifiers", action="store_true", help="switch intensifiers and diminishers off")
    lexicon.add_argument("--tune", action="store_true",
                         help="also print the threshold curve and a 5-fold cross-validated threshold estimate")
    return parser


def _print_model_report(report: dict) -> None:
    table = report["table"]
    print(f"grouped cross-validation, {len(report['predictions'])} rows")
    print(report["default"].report())
    print("")
    print("hyper-parameters chosen in each fold (nested):")
    print(report["chosen"].to_string(index=False))
    if len(report.get("offsets", ())):
        print("")
        print("logit offsets chosen in each fold (nested; ablation only):")
        print(report["offsets"].to_string(index=False))
    print("")
    print("configurations on the same folds (macro-F1 with a 95 % bootstrap interval over texts):")
    columns = ["configuration", "kind", "accuracy", "macro_f1", "ci_low", "ci_high"]
    print(table[columns].to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print("")
    for gap in report["differences"].to_dict("records"):
        print(f"default minus {gap['against']}: {gap['macro_f1']:+.3f} (paired 95 % interval "
              f"{gap['ci_low']:+.3f} to {gap['ci_high']:+.3f})")


def main(argv=None) -> int:
    """Command-line entry: print the validation report; 0 on success, 2 on a user error."""
    args = _parser().parse_args(argv)
    lexicon_options = (args.lexicon != "default" or args.lexicon_format or args.scope != "sentence" or args.window != 5
                       or args.threshold != 0.0 or args.no_negation or args.no_modifiers or args.tune)
    model = args.model or ("lexicon" if lexicon_options else "trained")
    if model == "trained":
        try:
            report = cross_validate_model(args.gold, folds=args.folds, seed=args.seed, inner_folds=args.inner_folds,
                                          n_boot=args.n_boot, ablations=not args.no_ablations,
                                          progress=lambda m: print(m, file=sys.stderr, flush=True))
        except AnalysisError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        _print_model_report(report)
        if args.out:
            report["table"].to_csv(args.out, index=False, float_format="%.4f")
            print(f"wrote {args.out}", file=sys.stderr)
        if args.predictions:
            report["predictions"].to_csv(args.predictions, index=False)
            print(f"wrote {args.predictions}", file=sys.stderr)
        return 0
    options = {}
    if args.no_negation:
        options["negation"] = False
    if args.no_modifiers:
        options["modifiers"] = {}
    try:
        lexicon = load_lexicon(args.lexicon, args.lexicon_format)
        result = validate(args.gold, lexicon, scope=args.scope, window=args.window, threshold=args.threshold,
                          **options)
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(result.report())
    if args.out:
        result.predictions.to_csv(args.out, index=False)
        print(f"wrote {args.out}", file=sys.stderr)
    if args.tune:
        scored = result.predictions
        curve = threshold_curve(scored)
        best = curve.loc[curve["macro_f1"].idxmax()]
        print("")
        print("threshold curve (chosen on this same gold set, so optimistic):")
        print(curve.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        print(f"best on this set: threshold {best['threshold']:.2f}, macro-F1 {best['macro_f1']:.3f}")
        cv = cross_validated_threshold(scored)
        print("")
        print("5-fold cross-validated threshold (chosen on 4/5 of the texts, measured on the rest):")
        print(cv.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        print(f"held-out overall: accuracy {cv.attrs['accuracy']:.3f}, macro-F1 {cv.attrs['macro_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
