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

    python -m analysis validate-sentiment --gold FILE.csv [--lexicon NAME|PATH] [--scope sentence]
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AnalysisError, ParameterError
from .lexicon import load_lexicon
from .scorer import scoring_tokens, score_tokens

__all__ = [
    "LABELS",
    "SCOPES",
    "ValidationResult",
    "classify",
    "cross_validated_threshold",
    "main",
    "read_gold",
    "score_gold",
    "threshold_curve",
    "validate",
]

#: The three labels, in the order of the confusion matrix.
LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
#: What can be scored in a gold row.
SCOPES: tuple[str, ...] = ("sentence", "window", "text")
#: Thresholds tried by :func:`threshold_curve` when none are given.
DEFAULT_GRID: tuple[float, ...] = tuple(round(x, 2) for x in np.arange(0.0, 3.01, 0.1))


def read_gold(gold, *, source: str | None = None) -> pd.DataFrame:
    """Check a gold table and bring it into the form ``text, label[, target_from, target_to]``.

    Parameters
    ----------
    gold : pandas.DataFrame, str or Path
        The table, or a CSV file (UTF-8).
    source : str, optional
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``text``, ``label`` (lower-case) and, when given, ``target_from``,
        ``target_to`` (nullable integers); other columns are kept.

    Raises
    ------
    ParameterError
        For a missing column, an unknown label, an empty text or a target span outside the text.

    Examples
    --------
    >>> read_gold(pd.DataFrame({"text": ["Gut."], "polarity": ["Positive"]}))["label"].tolist()
    ['positive']
    """
    where = source
    if isinstance(gold, (str, Path)):
        where = source or str(gold)
        if not Path(gold).is_file():
            raise ParameterError("no such gold file", file=where, hint="give a CSV file with columns text and label")
        try:
            gold = pd.read_csv(gold, encoding="utf-8", dtype={"text": str})
        except (UnicodeDecodeError, pd.errors.ParserError) as error:
            raise ParameterError(
                f"the gold file cannot be read as CSV: {error}", file=where, hint="save it as UTF-8 CSV"
            ) from None
    if not isinstance(gold, pd.DataFrame):
        raise ParameterError(f"gold must be a DataFrame or a CSV path, got {type(gold).__name__}")
    table = gold.copy()
    if "label" not in table.columns and "polarity" in table.columns:
        table = table.rename(columns={"polarity": "label"})
    missing = [c for c in ("text", "label") if c not in table.columns]
    if missing:
        raise ParameterError(
            f"the gold table has no column {', '.join(map(repr, missing))}",
            file=where,
            hint="columns: text, label (positive/negative/neutral), optionally target_from, target_to",
        )
    table["label"] = table["label"].astype(str).str.strip().str.lower()
    for row, (text, label) in enumerate(zip(table["text"], table["label"])):
        if not isinstance(text, str) or not text.strip():
            raise ParameterError("empty text", file=where, row=row, column="text")
        if label not in LABELS:
            raise ParameterError(
                f"unknown label {label!r}",
                file=where,
                row=row,
                column="label",
                hint="labels are positive, negative and neutral",
            )
    if ("target_from" in table.columns) != ("target_to" in table.columns):
        raise ParameterError("give both target_from and target_to, or neither")
    if "target_from" in table.columns:
        for column in ("target_from", "target_to"):
            table[column] = pd.to_numeric(table[column], errors="coerce").astype("Int64")
        lengths = table["text"].str.len()
        bad = table["target_from"].notna() & (
            (table["target_from"] < 0) | (table["target_to"] > lengths) | (table["target_to"] <= table["target_from"])
        )
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy(dtype=bool))[0])
            raise ParameterError(
                "the target span is outside the text or empty",
                file=where,
                row=row,
                hint="target_from and target_to are character offsets, from < to <= len(text)",
            )
    return table.reset_index(drop=True)


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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis validate-sentiment",
        description="Compare the lexicon sentiment scorer with human labels.",
    )
    parser.add_argument("--gold", required=True, help="CSV with text, label (or polarity), optional target_from/to")
    parser.add_argument("--lexicon", default="default", help="lexicon name or path (default: textblob-de)")
    parser.add_argument("--lexicon-format", default=None, help="sentiws, rauh, gervader, plain or pattern-xml")
    parser.add_argument("--scope", default="sentence", choices=SCOPES, help="what is scored (default: sentence)")
    parser.add_argument("--window", type=int, default=5, help="tokens each side of the target for --scope window")
    parser.add_argument("--threshold", type=float, default=0.0, help="neutral band |score| <= threshold (default 0)")
    parser.add_argument("--no-negation", action="store_true", help="switch negation handling off")
    parser.add_argument("--no-modifiers", action="store_true", help="switch intensifiers and diminishers off")
    parser.add_argument("--tune", action="store_true",
                        help="also print the threshold curve and a 5-fold cross-validated threshold estimate")
    return parser


def main(argv=None) -> int:
    """Command-line entry: print the validation report; 0 on success, 2 on a user error."""
    args = _parser().parse_args(argv)
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
