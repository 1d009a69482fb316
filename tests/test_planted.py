"""The analyses find the differences planted in a generated corpus of ten outlets.

``tests/planted.py`` builds 320 articles in which six outlets differ from the others in one
known way each. Every expectation below follows from that construction, not from a previous
run of the suite.
"""

import pandas as pd
import pytest

from analysis.framing.entities import load_registry
from analysis.framing.labels import attribute_labels, label_shares, load_labels
from analysis.framing.quotes import find_quotations, quotation_summary
from analysis.framing.sources import find_sources, source_summary
from analysis.pipeline import prepare_corpus
from analysis.sentiment import aggregate_sentiment
from analysis.stats.keyness import keyness
from planted import DIKTATOR, DISTANCING, DPA, NEGATIVE, OUTLETS, PRAESIDENT, REUTERS, planted_corpus, write_planted


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    path = write_planted(tmp_path_factory.mktemp("planted") / "planted.csv")
    return prepare_corpus(path, cache=False, jobs=1, quiet=True)


def test_the_corpus_has_the_promised_shape(planted):
    meta = planted.metadata
    assert len(meta) == 320 and meta["outlet"].nunique() == len(OUTLETS) >= 8
    assert meta.groupby("outlet")["event"].nunique().min() >= 4
    assert set(meta.columns) >= {"doc_id", "outlet", "event", "date", "title"}


@pytest.mark.parametrize(("outlet", "term"), [(DIKTATOR, "Diktator"), (PRAESIDENT, "Präsident")])
def test_keyness_puts_each_outlets_planted_label_first(planted, outlet, term):
    table = keyness(planted.group_counts, outlet)
    assert table["term"].iloc[0] == term
    # Only this outlet uses the word, and often enough to survive the multiple-testing correction.
    assert table["n_reference"].iloc[0] == 0 and table["q"].iloc[0] < 0.01


def test_keyness_finds_the_negative_outlets_words(planted):
    table = keyness(planted.group_counts, NEGATIVE)
    planted_words = table[table["term"].isin(["gefährlich", "katastrophal", "brutal", "grausam"])]
    assert len(planted_words) == 4
    assert (planted_words["statistic"] > 0).all() and (planted_words["q"] < 0.01).all()


@pytest.mark.parametrize(("outlet", "label"), [(DIKTATOR, "Diktator"), (PRAESIDENT, "Präsident")])
def test_labels_give_putin_the_planted_label(planted, outlet, label):
    registry = load_registry()
    attributions, _ = attribute_labels(planted.documents, registry, load_labels(), tokens=planted.store)
    shares = label_shares(attributions, planted.metadata)
    putin = shares[(shares["person"] == "Putin") & (shares["label"] == label)].set_index("outlet")
    assert putin.loc[outlet, "share"] > 0.8
    others = putin.drop(index=outlet)
    # The planting outlet's interval lies above every other outlet's.
    assert putin.loc[outlet, "ci_low"] > others["ci_high"].max()
    assert (others["n"] == 0).all()


def test_without_a_registry_the_persons_are_found_and_labelled_with_the_german_news_starter(planted):
    from analysis.report.choices import starter_labels

    assert planted.registry_found
    persons = {e.name for e in planted.registry.entities if e.type == "person"}
    assert {"Wladimir Putin", "Kim Jong Un", "Petra Albrecht", "Jonas Keller"} <= persons
    attributions, _ = attribute_labels(planted.documents, planted.registry, starter_labels(planted),
                                       tokens=planted.store, mentions=planted.mentions)
    shares = label_shares(attributions, planted.metadata)
    putin = shares[shares["person"] == "Wladimir Putin"]
    top = putin.sort_values("share", ascending=False).groupby("outlet")["label"].first()
    assert top[DIKTATOR] == "Diktator" and top[PRAESIDENT] == "Präsident"
    # "Bundeskanzlerin Petra Albrecht": a feminine singular title by apposition, to her alone.
    albrecht = attributions[attributions["person"] == "Petra Albrecht"]
    title = albrecht[albrecht["label"] == "Bundeskanzler"]
    assert len(title) and set(title["rule"]) == {"apposition"}
    assert not attributions[(attributions["label"] == "Bundeskanzler")
                            & (attributions["person"] != "Petra Albrecht")].shape[0]
    # Her other labels are definite plurals given to an article's two principal persons ("Die
    # Minister unterzeichneten …"): the documented limit of the plural rule, which reads "die
    # Minister" as the two persons the article is about.
    assert set(albrecht.loc[albrecht["label"] != "Bundeskanzler", "rule"]) <= {"plural"}


def test_quotations_find_the_outlet_with_distancing_marks(planted):
    quotes = find_quotations(planted.documents, tokens=planted.store)
    summary = quotation_summary(quotes, planted.documents, tokens=planted.store)
    distancing = summary[summary["kind"] == "distancing"].set_index("outlet")["count"]
    articles = planted.metadata["outlet"].value_counts()
    # Every article of the planting outlet has one distancing quote, no other article has any.
    assert distancing[DISTANCING] == articles[DISTANCING]
    assert distancing.drop(index=DISTANCING).sum() == 0
    # The attributed quotations of every outlet are found as attributed.
    corpus = planted_corpus()
    with_quote = corpus["text"].str.contains("“, sagte|sagte: „", regex=True).groupby(corpus["outlet"]).sum()
    attributed = summary[summary["kind"] == "attributed"].set_index("outlet")["count"]
    pd.testing.assert_series_equal(attributed.sort_index(), with_quote.sort_index(), check_names=False,
                                   check_dtype=False)


@pytest.mark.parametrize(("outlet", "agency"), [(DPA, "dpa"), (REUTERS, "Reuters")])
def test_sources_find_the_outlet_that_cites_each_agency(planted, outlet, agency):
    sources = find_sources(planted.documents, audit=planted.audit)
    summary = source_summary(sources, planted.documents)
    per_article = (summary[summary["source"] == agency].groupby("outlet")["count"].sum()
                   / planted.metadata["outlet"].value_counts()).fillna(0)
    assert per_article.idxmax() == outlet
    assert per_article[outlet] > 0.6 and per_article.drop(index=outlet).max() < 0.3


def test_sentiment_finds_the_negative_outlet(planted):
    by_outlet = aggregate_sentiment(planted.sentence_sentiment, planted.metadata, n_boot=500, seed=0,
                                    unit="document").set_index("outlet")
    assert by_outlet["mean"].idxmin() == NEGATIVE
    others = by_outlet.drop(index=NEGATIVE)
    assert by_outlet.loc[NEGATIVE, "ci_high"] < others["ci_low"].min()


@pytest.fixture(scope="module")
def drawn(planted):
    """Every registered figure built on the planted corpus: id → figure, and id → skip reason."""
    import matplotlib.pyplot as plt

    from analysis.report.figures import REGISTRY, FigureOptions, FigureSkipped

    figures, skipped = {}, {}
    with plt.rc_context({"figure.max_open_warning": 0}):  # all are kept open to be inspected
        for spec in REGISTRY.values():
            try:
                for rendered in spec.build(planted, FigureOptions()):
                    figures[rendered.id] = rendered.figure
            except FigureSkipped as reason:
                skipped[spec.id] = str(reason)
    yield figures, skipped
    plt.close("all")


def test_every_figure_is_drawn_on_ten_outlets(drawn):
    from analysis.report.figures import REGISTRY

    figures, skipped = drawn
    assert skipped == {}
    built = {figure_id.split("_")[0] if figure_id.startswith(("keyness_", "rate_scatter_")) else figure_id
             for figure_id in figures}
    assert len(figures) >= len(REGISTRY)
    assert sum(figure_id.startswith("rate_scatter_") for figure_id in figures) == len(OUTLETS)
    assert built  # every figure id was built at least once


def test_no_text_of_any_figure_overlaps_or_is_cut_off(drawn):
    from figure_checks import overlapping_texts, texts_outside

    figures, _ = drawn
    problems = {figure_id: (overlapping_texts(fig)[:5], texts_outside(fig)[:5]) for figure_id, fig in figures.items()}
    assert {k: v for k, v in problems.items() if v != ([], [])} == {}


def test_every_outlet_has_its_own_colour_in_every_figure(planted, drawn):
    from matplotlib.colors import to_hex

    colors = planted.colors
    assert set(colors) == set(OUTLETS) and len(set(colors.values())) == len(OUTLETS)
    figures, _ = drawn
    # The TF-IDF panels: each outlet's bars are drawn in its colour.
    panels = [ax for ax in figures["tfidf_top_terms"].axes if ax.get_visible()]
    bar_colors = {ax.get_title(): {to_hex(p.get_facecolor()) for p in ax.patches} for ax in panels}
    assert bar_colors == {outlet: {colors[outlet].lower()} for outlet in OUTLETS}
    # The outlet means: one point per outlet in its colour.
    points = {to_hex(line.get_color()) for line in figures["sentiment_outlets"].axes[0].lines
              if line.get_marker() not in (None, "None", "")}
    assert points == {c.lower() for c in colors.values()}


def test_figures_command_writes_every_figure_captions_ledger_and_audit(tmp_path):
    from analysis.cli import main
    from analysis.report.figures import REGISTRY

    corpus = write_planted(tmp_path / "planted.csv")
    out = tmp_path / "figures"
    assert main(["figures", "--corpus", str(corpus), "--formats", "png", "--out", str(out), "--cache-dir",
                 str(tmp_path / "cache"), "--quiet"]) == 0
    captions = (out / "captions.md").read_text(encoding="utf-8")
    for figure_id in REGISTRY:
        assert f"## {figure_id}" in captions or any(line.startswith(f"## {figure_id}_") for line in captions.splitlines())
    assert "Not drawn" not in captions
    ledger = pd.read_csv(out / "ledger.csv")
    assert len(ledger) == 320 and (ledger["status"] == "loaded").all()
    assert (out / "cleaning_audit.csv").exists()
    assert len(list(out.glob("*.png"))) == captions.count("Files: ")


def test_entities_found_in_a_sample_are_counted_in_every_document(tmp_path, monkeypatch):
    import analysis.pipeline as pipeline

    monkeypatch.setattr(pipeline, "DISCOVERY_SAMPLE_DOCUMENTS", 60)
    sampled = prepare_corpus(write_planted(tmp_path / "planted.csv"), cache=False, jobs=1, quiet=True)
    persons = {e.name for e in sampled.registry.entities if e.type == "person"}
    assert {"Wladimir Putin", "Kim Jong Un", "Petra Albrecht", "Jonas Keller"} <= persons
    # Every article names Putin (one or two planted sentences each): found in all 320, not in 60.
    putin = sampled.mentions[sampled.mentions["entity"] == "Wladimir Putin"]
    assert putin["doc_id"].nunique() == 320
