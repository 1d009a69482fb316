"""Validation against gold labels: metrics equal scikit-learn's, scopes, the command line."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from analysis.errors import ParameterError
from analysis.sentiment.validate import (
    LABELS,
    classify,
    cross_validated_threshold,
    main,
    score_gold,
    threshold_curve,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
LEX = {"gut": 1.0, "schlecht": -1.0, "Erfolg": 1.0, "Krise": -1.0, "loben": 0.7}
GOLD = pd.DataFrame(
    {
        "text": [
            "Das Konzert war gut.",
            "Die Krise ist schlecht für alle.",
            "Der Zug fährt um acht.",
            "Das ist nicht gut.",
            "Ein großer Erfolg für die Stadt.",
            "Die Sitzung dauerte zwei Stunden.",
            "Kein Erfolg, aber gut gelaunt.",
            "Der Minister lobte die Polizei.",
            "Die Lage bleibt gut, sagt er.",
            "Schlecht geschlafen, heißt es.",
        ],
        "label": ["positive", "negative", "neutral", "negative", "positive", "neutral", "neutral",
                  "positive", "neutral", "negative"],
    }
)


def test_metrics_equal_scikit_learn():
    result = validate(GOLD, LEX)
    predicted = result.predictions["predicted"].tolist()
    truth = GOLD["label"].tolist()
    assert result.accuracy == accuracy_score(truth, predicted)
    assert result.macro_f1 == f1_score(truth, predicted, average="macro")
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=list(LABELS),
                                                                     zero_division=0)
    assert np.allclose(result.per_class["precision"], precision)
    assert np.allclose(result.per_class["recall"], recall)
    assert np.allclose(result.per_class["f1"], f1)
    assert result.per_class["support"].tolist() == support.tolist()
    assert (result.confusion.to_numpy() == confusion_matrix(truth, predicted, labels=list(LABELS))).all()
    # the predictions are what the scorer says, classified with the threshold
    assert predicted == classify(result.predictions["score"], 0.0).tolist()


def test_majority_baseline_equals_scikit_learn():
    result = validate(GOLD, LEX)
    truth = GOLD["label"].tolist()
    majority = ["neutral"] * len(truth)  # 4 neutral, 3 negative, 3 positive
    assert result.baseline["label"] == "neutral"
    assert result.baseline["accuracy"] == accuracy_score(truth, majority)
    assert result.baseline["macro_f1"] == f1_score(truth, majority, average="macro", zero_division=0)
    assert result.macro_f1 > result.baseline["macro_f1"]


def test_threshold_band_and_options():
    assert classify([-0.5, 0.5, 0.51, -0.51], 0.5).tolist() == ["neutral", "neutral", "positive", "negative"]
    with pytest.raises(ParameterError):
        classify([1.0], -1)
    no_negation = validate(GOLD, LEX, negation=False)
    assert no_negation.predictions.loc[3, "predicted"] == "positive"
    assert no_negation.config["negation"] is False
    assert validate(GOLD, LEX).predictions.loc[3, "predicted"] == "negative"


def test_scopes_sentence_window_text():
    gold = pd.DataFrame({
        "text": ["Das Wetter ist gut. Der Minister ist schlecht vorbereitet und müde heute abend."],
        "label": ["negative"], "target_from": [24], "target_to": [32],
    })
    sentence = score_gold(gold, LEX, scope="sentence")
    assert sentence["score"].tolist() == [-1.0] and sentence["scored"].iloc[0].startswith("Der Minister")
    assert score_gold(gold, LEX, scope="text")["score"].tolist() == [0.0]
    window = score_gold(gold, LEX, scope="window", window=1)
    assert window["scored"].tolist() == ["Der Minister ist"] and window["score"].tolist() == [0.0]
    assert score_gold(gold, LEX, scope="window", window=2)["score"].tolist() == [-1.0]
    with pytest.raises(ParameterError):
        score_gold(gold, LEX, scope="paragraph")


def test_gold_checks():
    with pytest.raises(ParameterError, match="unknown label"):
        validate(pd.DataFrame({"text": ["gut"], "label": ["good"]}), LEX)
    with pytest.raises(ParameterError, match="no column"):
        validate(pd.DataFrame({"sentence": ["gut"], "label": ["positive"]}), LEX)
    with pytest.raises(ParameterError, match="target span"):
        validate(pd.DataFrame({"text": ["gut"], "label": ["positive"], "target_from": [0], "target_to": [9]}), LEX)
    polarity = validate(pd.DataFrame({"text": ["gut"], "polarity": ["Positive"]}), LEX)
    assert polarity.accuracy == 1.0


def test_threshold_curve_and_cross_validation():
    scored = score_gold(GOLD, LEX)
    curve = threshold_curve(scored, [0.0, 0.8, 2.0])
    assert curve["threshold"].tolist() == [0.0, 0.8, 2.0]
    assert curve.loc[2, "accuracy"] == accuracy_score(GOLD["label"], ["neutral"] * len(GOLD))
    cv = cross_validated_threshold(scored, [0.0, 0.8], folds=2, seed=1)
    assert cv["n"].sum() == len(GOLD) and set(cv["threshold"]) <= {0.0, 0.8}
    assert 0 <= cv.attrs["macro_f1"] <= 1


def test_command_line(tmp_path, capsys):
    gold = tmp_path / "gold.csv"
    GOLD.to_csv(gold, index=False)
    lexicon = tmp_path / "lex.tsv"
    lexicon.write_text("".join(f"{k}\t{v}\n" for k, v in LEX.items()), encoding="utf-8")
    assert main(["--gold", str(gold), "--lexicon", str(lexicon), "--tune"]) == 0
    out = capsys.readouterr().out
    for part in ("accuracy", "macro-F1", "majority baseline", "confusion matrix", "per class", "cross-validated"):
        assert part in out
    assert main(["--gold", str(tmp_path / "missing.csv"), "--lexicon", str(lexicon)]) == 2
    assert "no such gold file" in capsys.readouterr().err


def test_runs_as_a_module():
    # --help exits before any scoring; a RuntimeWarning (module imported twice) would fail
    done = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-m", "analysis.sentiment.validate", "--help"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "--gold" in done.stdout and "--lexicon" in done.stdout and "--no-negation" in done.stdout
