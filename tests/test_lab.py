"""`make lab`: notebook outputs never reach git, and JupyterLab starts as root in containers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBSTRIPOUT = Path(sys.executable).with_name("nbstripout")


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_filter_make_lab_installs_strips_outputs_when_staging(tmp_path):
    _git(tmp_path, "init", "-q")
    subprocess.run([str(NBSTRIPOUT), "--install"], cwd=tmp_path, check=True)
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('Diktator')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Diktator\n")]
    cell.execution_count = 3
    notebook.cells = [cell]
    nbformat.write(notebook, tmp_path / "01_beispiel.ipynb")
    _git(tmp_path, "add", "01_beispiel.ipynb")
    staged = nbformat.reads(_git(tmp_path, "show", ":01_beispiel.ipynb"), as_version=4)
    assert staged.cells[0].outputs == [] and staged.cells[0].execution_count is None
    assert nbformat.read(tmp_path / "01_beispiel.ipynb", as_version=4).cells[0].outputs  # the working copy keeps them


def test_make_lab_sets_up_the_filter_and_allows_root():
    dry = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "MAKEFLAGS": ""}).stdout
    assert "nbstripout --install" in dry
    lab = [line for line in dry.splitlines() if "jupyter lab" in line][0]
    assert ("--allow-root" in lab) == (os.getuid() == 0)
