"""The whole pipeline on the bundled corpus: figures, determinism, offline, content-word results."""

import re
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.report.figures import REGISTRY, render_figures
from analysis.pipeline import prepare_corpus
from analysis.text import german_stopwords
from analysis.stats.tfidf import tfidf

ROOT = Path(__file__).resolve().parents[1]
NAVIGATION = {"prev", "next", "siehe", "lesen", "llesen", "weiterlesen"}


@pytest.fixture(scope="module")
def prepared():
    return prepare_corpus()


def test_top_tfidf_terms_are_content_words(prepared):
    table = tfidf(prepared.group_counts, variant="smooth", top=15)
    assert set(table["outlet"]) == {"AFP-based", "CNN-based"}
    assert (table.groupby("outlet").size() == 15).all()
    stop = german_stopwords()
    for term in table["term"]:
        assert term.lower() not in stop, term
        assert re.search(r"[^\W\d_]", term), f"{term!r} has no letter"
        assert not re.fullmatch(r"[\W\d_]+", term), term
        assert term.lower() not in NAVIGATION, term


def test_every_document_is_accounted_for(prepared):
    ledger = prepared.ledger
    assert len(ledger) == 2 and (ledger["status"] == "loaded").all()
    assert set(prepared.documents["doc_id"]) == set(ledger["doc_id"])
    assert list(prepared.doc_counts.rows) == list(prepared.documents["doc_id"])


def _cli_figures(out: Path):
    return subprocess.run(
        [sys.executable, "-m", "analysis", "figures", "--out", str(out), "--formats", "png,svg,pdf"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )


def test_figures_command_twice_gives_identical_files(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    _cli_figures(first)
    _cli_figures(second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    suffixes = {p.suffix for p in files}
    assert {".png", ".svg", ".pdf", ".csv", ".md"} <= suffixes
    assert Path("tfidf_top_terms.svg") in files and Path("tfidf_top_terms.pdf") in files
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between runs"


def test_no_network_is_used(prepared, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = prepare_corpus()
    manifest = render_figures(fresh, tmp_path, formats=["png"])
    assert set(manifest["id"]).issuperset({"tfidf_top_terms"})


def test_no_code_downloads_at_run_time():
    pattern = re.compile(r"nltk\.download\(|hf_hub_download|urllib\.request\.urlopen|requests\.get\(")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("analysis", "notebooks")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".ipynb"} and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_registered_figure_is_drawn(prepared, tmp_path):
    manifest = render_figures(prepared, tmp_path, formats=["svg"])
    drawn = {row.split("_")[0] for row in manifest["id"]}
    assert {spec.split("_")[0] for spec in REGISTRY} <= drawn
    captions = (tmp_path / "captions.md").read_text(encoding="utf-8")
    assert "smooth" in captions and "lowest idf" in captions


def test_cli_help_and_one_line_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for word in ("figures", "keyness", "tfidf", "corpus", "metadata.csv"):
        assert word in help_text

    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,body\na1,Die beiden Diktatoren.\n", encoding="utf-8")
    assert main(["tfidf", "--corpus", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.csv" in err[0] and "text" in err[0] and "Traceback" not in err[0]


def test_cli_tables(tmp_path):
    out = tmp_path / "tfidf.csv"
    assert main(["tfidf", "--variant", "tidytext", "--top", "5", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert set(table["variant"]) == {"tidytext"} and (table.groupby("outlet").size() == 5).all()
    # Every written result has the ingest ledger beside it.
    ledger = pd.read_csv(tmp_path / "tfidf.ledger.csv")
    assert list(ledger["status"]) == ["loaded", "loaded"]
    out = tmp_path / "keyness.csv"
    assert main(["keyness", "--target", "CNN-based", "--reference", "AFP-based", "--measure", "g2",
                 "--top", "4", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert list(table.columns[:7]) == ["term", "n_target", "n_reference", "statistic", "p", "q", "effect_size"]
    assert (table["statistic"] > 0).sum() == 4 and (table["statistic"] < 0).sum() == 4


def test_each_person_is_one_term_whatever_the_spelling(prepared):
    counts = prepared.group_counts.to_frame().set_index(["outlet", "term"])["count"]
    # Hand counts from reading the two articles (every spelling, inflection and misspelling).
    assert counts[("AFP-based", "Wladimir Putin")] == 15 and counts[("CNN-based", "Wladimir Putin")] == 14
    assert counts[("AFP-based", "Kim Jong Un")] == 12 and counts[("CNN-based", "Kim Jong Un")] == 9
    terms = set(prepared.group_counts.terms)
    assert not {"Jong", "Un", "Putins", "QUtin", "Auras-Auto", "Arras"} & terms
    # The tokens themselves keep the text as written, for KWIC and everything else.
    assert {"Putins", "Jong", "Un"} <= set(prepared.tokens["token"])


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    import analysis.stats.tfidf

    def broken(*args, **kwargs):
        raise KeyError("simulated")

    monkeypatch.setattr(analysis.stats.tfidf, "tfidf", broken)
    assert main(["tfidf"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected KeyError" in err and "--debug" in err
    with pytest.raises(KeyError):
        main(["tfidf", "--debug"])


def test_figures_read_the_lexicons_given(tmp_path):
    """--dictionary and --labels reach the figures: the frame heatmap shows the given categories,
    the label figure only the given labels."""
    dictionary = tmp_path / "frames.yml"
    dictionary.write_text(
        "name: eigenes_woerterbuch\ncategories:\n  gipfel:\n    - Gipfel*\n    - Staatsbesuch*\n"
        "  fahrzeug:\n    - Limousine*\n    - Aurus\n", encoding="utf-8")
    labels = tmp_path / "labels.yml"
    labels.write_text("version: 1\ncase_sensitive: true\nlabels:\n"
                      "  - label: Präsident\n    category: official\n    lemmas: [Präsident]\n"
                      "  - label: Kremlchef\n    category: descriptive\n    forms: [Kremlchef*]\n",
                      encoding="utf-8")
    out = tmp_path / "figures"
    assert main(["figures", "--only", "frame_rates", "label_shares", "--formats", "png", "--out", str(out),
                 "--dictionary", str(dictionary), "--labels", str(labels), "--cache-dir", str(tmp_path / "cache"),
                 "--quiet"]) == 0
    rates = pd.read_csv(out / "frame_rates.csv")
    assert set(rates["category"]) == {"gipfel", "fahrzeug"}
    assert "eigenes_woerterbuch" in (out / "captions.md").read_text(encoding="utf-8")
    assert set(pd.read_csv(out / "label_shares.csv")["label"]) == {"Kremlchef", "Präsident"}


def test_label_shares_without_attributions_say_why(tmp_path, capsys):
    labels = tmp_path / "labels.yml"
    labels.write_text("version: 1\nlabels:\n  - label: Bürgermeister\n    category: official\n"
                      "    lemmas: [Bürgermeister]\n", encoding="utf-8")
    out = tmp_path / "shares.csv"
    assert main(["labels", "--level", "shares", "--labels", str(labels), "--out", str(out),
                 "--cache-dir", str(tmp_path / "cache"), "--quiet"]) == 0
    assert pd.read_csv(out).empty
    message = capsys.readouterr().err
    assert "no label was attributed" in message and "--registry" in message and "0 label occurrences" in message


def test_keyness_heatmap_is_drawn_for_many_outlets_and_skipped_for_two(prepared, tmp_path):
    from generated import write_corpus

    many = prepare_corpus(write_corpus(tmp_path / "corpus.csv", 300, seed=2), cache=False, jobs=1, quiet=True)
    manifest = render_figures(many, tmp_path / "many", formats=["png"], only=["keyness_heatmap"])
    assert manifest["skipped"].tolist() == [""]
    cells = pd.read_csv(tmp_path / "many" / "keyness_heatmap.csv")
    assert cells["target"].nunique() == many.metadata["outlet"].nunique() >= 4
    two = render_figures(prepared, tmp_path / "two", formats=["png"], only=["keyness_heatmap"])
    assert "three or more" in two["skipped"].iloc[0]


def test_figures_doc_ids_choose_the_articles_of_the_arc(prepared, tmp_path, capsys):
    chosen = prepared.metadata["doc_id"].iloc[1]
    out = tmp_path / "figures"
    common = ["--only", "sentiment", "--formats", "png", "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
              "--quiet"]
    assert main(["figures", "--doc-ids", chosen, *common]) == 0
    arc = pd.read_csv(out / "sentiment_arc.csv")
    assert set(arc["doc_id"]) == {chosen}
    assert "--doc-ids" in (out / "captions.md").read_text(encoding="utf-8")
    assert main(["figures", "--doc-ids", "gibt-es-nicht", *common]) != 0
    assert "gibt-es-nicht" in capsys.readouterr().err
