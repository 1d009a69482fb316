"""The notebooks: committed without outputs, driven by their parameters cell, and run on the
bundled corpus and on a generated corpus of ten outlets through ``python -m analysis notebooks``."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis.cli import main
from analysis.errors import ParameterError
from analysis.report.notebooks import inject_parameters, notebook_paths, parameter_names, parse_assignments

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Values of the bundled story (its persons, places, outlets, objects): no notebook may name them,
#: so that nothing in a notebook is specific to one corpus.
BUNDLED_VALUES = ("Putin", "Kim", "Pjöngjang", "Nordkorea", "CNN-based", "AFP-based", "Aurus", "Uschakow",
                  "Kremlchef", "Kreml", "QUtin", "Moon Jae", "Pungsan")


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path.name}: a code cell carries outputs"
            assert cell.get("execution_count") is None, f"{path.name}: a code cell carries an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_drive_corpus_and_group_and_name_no_bundled_value(path):
    notebook = nbformat.read(path, as_version=4)
    names = parameter_names(notebook)
    assert {"CORPUS", "GROUP"} <= set(names)
    for cell in notebook.cells:
        found = [value for value in BUNDLED_VALUES if re.search(rf"\b{re.escape(value)}", cell.source)]
        assert not found, f"{path.name}: a {cell.cell_type} cell names {found}:\n{cell.source[:300]}"


def test_parameters_are_injected_after_the_parameters_cell():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Titel"),
        nbformat.v4.new_code_cell('CORPUS = None\nGROUP = "outlet"  # column', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(CORPUS)"),
    ])
    names = inject_parameters(notebook, {"CORPUS": "/daten/korpus.csv", "TOP": 3})
    assert names == ["CORPUS"]  # TOP is not a parameter of this notebook
    injected = notebook.cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"]
    namespace = {}
    exec(notebook.cells[1].source + "\n" + injected.source, namespace)
    assert namespace["CORPUS"] == "/daten/korpus.csv" and namespace["GROUP"] == "outlet"
    with pytest.raises(ParameterError, match="tagged 'parameters'"):
        inject_parameters(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), {})


def test_param_values_and_notebook_choice():
    assert parse_assignments(["TOP=20", "TARGET=Der Morgen", "TERMS=['Krieg']", "DOC_IDS=None"]) == {
        "TOP": 20, "TARGET": "Der Morgen", "TERMS": ["Krieg"], "DOC_IDS": None}
    with pytest.raises(ParameterError, match="NAME=VALUE"):
        parse_assignments(["TOP"])
    assert [p.name[:2] for p in notebook_paths(only=["02", "05_sentiment"])] == ["02", "05"]
    with pytest.raises(ParameterError, match="no notebook 09"):
        notebook_paths(only=["09"])


def _figure_cells_show_images(path: Path):
    notebook = nbformat.read(path, as_version=4)
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    drawing = [c for c in notebook.cells if c.cell_type == "code" and re.search(r"\bplot_\w+\(", c.source)]
    assert drawing, f"{path.name} draws no figure"
    for cell in drawing:
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        assert images, f"{path.name}: this cell draws but shows no figure:\n{cell.source}"


@pytest.fixture()
def private_cache(tmp_path, monkeypatch):
    # The kernels inherit the environment: their prepared corpora go to this test's folder.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.notebook
@pytest.mark.parametrize("corpus", ["bundled", "generated"])
def test_every_notebook_runs_and_shows_its_figures(corpus, tmp_path, private_cache, capsys):
    from planted import write_planted

    out = tmp_path / "executed"
    arguments = ["notebooks", "--out", str(out)]
    if corpus == "generated":
        arguments += ["--corpus", str(write_planted(tmp_path / "zehn_zeitungen.csv")), "--group", "outlet"]
    assert main(arguments) == 0, capsys.readouterr().err
    executed = sorted(out.glob("*.ipynb"))
    assert [p.name for p in executed] == [p.name for p in NOTEBOOKS]
    for path in executed:
        _figure_cells_show_images(path)
    if corpus == "generated":  # the corpus reached every notebook, and its own values are shown
        first = nbformat.read(out / NOTEBOOKS[0].name, as_version=4)
        assert "zehn_zeitungen.csv" in first.cells[3].source
        shown = "".join(o.get("text", "") for c in first.cells if c.cell_type == "code" for o in c.get("outputs", []))
        assert "320 documents; 10 values of 'outlet'" in shown


@pytest.mark.notebook
def test_a_notebook_that_fails_is_written_and_reported(tmp_path, private_cache, capsys):
    out = tmp_path / "executed"
    assert main(["notebooks", "--only", "01", "--group", "keine_spalte", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "01_corpus_and_word_choice.ipynb: failed" in captured.out and "keine_spalte" in captured.out
    assert "1 of 1 notebooks stopped with an error" in captured.err
    assert (out / "01_corpus_and_word_choice.ipynb").exists()
