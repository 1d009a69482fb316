"""Sentiment figures: they draw what the tables say, in the outlet colours, with English labels."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from analysis.errors import ParameterError
from analysis.plots.sentiment import (
    plot_person_sentiment,
    plot_sentiment_arc,
    plot_sentiment_by_outlet,
    plot_top_contributors,
    top_contributors,
)
from analysis.plots.style import outlet_colors

matplotlib.use("Agg")
COLORS = outlet_colors(["AFP-based", "CNN-based"])
AGG = pd.DataFrame({"outlet": ["AFP-based", "CNN-based"], "n": [28, 23], "mean": [0.27, 0.53],
                    "ci_low": [-0.06, 0.22], "ci_high": [0.56, 0.81]})


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _marker_colors(ax):
    return {to_hex(line.get_color()) for line in ax.lines if line.get_marker() == "o"}


def test_outlet_points_whiskers_and_colours():
    fig = plot_sentiment_by_outlet(AGG)
    ax = fig.axes[0]
    assert _marker_colors(ax) == {COLORS["AFP-based"].lower(), COLORS["CNN-based"].lower()}
    points = sorted((round(line.get_xdata()[0], 2), line.get_ydata()[0]) for line in ax.lines
                    if line.get_marker() == "o")
    assert [p[0] for p in points] == [0.27, 0.53]
    assert ax.get_xlabel().startswith("Mean sentence sentiment")
    assert any("bootstrap" in t.get_text() for t in fig.texts)


def test_missing_intervals_are_drawn_without_whiskers():
    table = AGG.assign(ci_low=[np.nan, 0.2], ci_high=[np.nan, 0.9])
    assert plot_sentiment_by_outlet(table) is not None


def test_person_plot_has_a_row_per_person_and_a_legend():
    table = pd.DataFrame({"outlet": ["AFP-based", "CNN-based", "AFP-based"], "person": ["Putin", "Putin", "Kim"],
                          "n": [12, 13, 10], "mean": [0.3, 0.55, 0.47], "ci_low": [-0.2, 0.1, 0.0],
                          "ci_high": [0.8, 0.9, 0.8]})
    fig = plot_person_sentiment(table)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Kim", "Putin"]
    for ax in fig.axes:  # every panel lists every outlet in the same order, top to bottom
        assert [t.get_text() for t in ax.get_yticklabels()][::-1] == ["AFP-based", "CNN-based"]
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()
    counts = [t.get_text() for t in fig.axes[0].texts]
    assert counts == ["n=10"]  # Kim: only AFP-based has sentences


def test_arc_one_panel_per_article_coloured_by_outlet():
    scores = pd.DataFrame({"doc_id": ["a"] * 5 + ["b"] * 3, "sentence_id": [0, 1, 2, 3, 4, 0, 1, 2],
                           "score": [0, 1, -1, 2, 0.5, 0, -1, 0]})
    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["AFP-based", "CNN-based"], "title": ["Gipfel", "Besuch"]})
    fig = plot_sentiment_arc(scores, docs)
    assert len(fig.axes) == 2
    assert fig.axes[0].get_title(loc="left") == "AFP-based · Gipfel"
    assert to_hex(fig.axes[1].patches[0].get_facecolor()) == COLORS["CNN-based"].lower()
    assert [p.get_height() for p in fig.axes[0].patches] == [0, 1, -1, 2, 0.5]
    assert len(plot_sentiment_arc(scores, doc_ids=["b"], window=1).axes) == 1
    with pytest.raises(ParameterError):
        plot_sentiment_arc(scores, doc_ids=["zzz"])


def test_top_contributors_sums_per_outlet_and_separates_negated_words():
    contributions = pd.DataFrame({
        "doc_id": ["a", "a", "a", "b", "b"], "role": ["sentiment"] * 4 + [""],
        "entry": ["gut", "gut", "Krieg", "gut", ""], "negated": [False, True, False, False, False],
        "contribution": [1.0, -1.0, -1.0, 1.0, 0.0],
    })
    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["AFP-based", "CNN-based"]})
    table = top_contributors(contributions, docs)
    assert table[["outlet", "entry", "contribution", "n"]].values.tolist() == [
        ["AFP-based", "gut", 1.0, 1], ["AFP-based", "Krieg", -1.0, 1], ["AFP-based", "not gut", -1.0, 1],
        ["CNN-based", "gut", 1.0, 1],
    ]
    fig = plot_top_contributors(contributions, docs)
    assert [ax.get_title() for ax in fig.axes] == ["AFP-based", "CNN-based"]
    assert fig.axes[0].get_xlabel() == "Summed contribution"


def test_empty_or_wrong_tables_are_refused():
    with pytest.raises(ParameterError):
        plot_sentiment_by_outlet(AGG.iloc[0:0])
    with pytest.raises(ParameterError):
        plot_sentiment_by_outlet(AGG.drop(columns="ci_low"))
    with pytest.raises(ParameterError):
        plot_top_contributors(pd.DataFrame({"doc_id": ["a"], "role": [""], "entry": [""], "contribution": [0.0]}),
                              pd.DataFrame({"doc_id": ["a"], "outlet": ["X"]}))


def test_the_axis_says_which_scorer_made_the_scores():
    # The trained model is the default: its scores are p(positive) − p(negative), not a lexicon
    # score; the label follows the scores through aggregate_sentiment.
    from analysis.sentiment import aggregate_sentiment, score_sentences
    from analysis.store import TokenStore

    store = TokenStore.from_texts(["d1", "d2"], ["Ein guter Tag. Ein schlechter Tag.", "Ein Tisch steht hier."])
    documents = pd.DataFrame({"doc_id": ["d1", "d2"], "outlet": ["AFP-based", "CNN-based"]})
    labels = {}
    for model in ("trained", "lexicon"):
        table = aggregate_sentiment(score_sentences(store, model=model), documents, n_boot=50)
        labels[model] = plot_sentiment_by_outlet(table).axes[0].get_xlabel()
    assert labels["trained"] == "Mean sentence sentiment\n(trained model score)"
    assert labels["lexicon"] == "Mean sentence sentiment\n(lexicon score)"
    person = AGG.assign(person="Putin")
    assert "toward the person" in plot_person_sentiment(person).axes[-1].get_xlabel()
