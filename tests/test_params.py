"""Every written table carries its parameters (``<name>.params.json``), and a table is
reproduced byte for byte from them (``python -m analysis rerun``)."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import build_parser, main
from analysis.provenance import params_path, read_params, without_outputs
from analysis.errors import ParameterError

from generated import generated_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("params")
    path = folder / "korpus.csv"
    generated_corpus(300, seed=4).to_csv(path, index=False)
    return path


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))


def _run(args):
    assert main([*args, "--quiet"]) == 0


def test_a_table_names_every_option_its_input_and_its_ledger(corpus, tmp_path):
    out = tmp_path / "tables" / "keyness.csv"
    _run(["keyness", "--corpus", str(corpus), "--measure", "g2", "--min-count", "3", "--out", str(out)])
    sidecar = out.with_name("keyness.params.json")
    assert params_path(out) == sidecar and sidecar.exists()
    params = json.loads(sidecar.read_text(encoding="utf-8"))
    assert params["command"] == "keyness" and params["output"] == "keyness.csv"
    # Every option of the command, defaults included, as argparse itself defines them.
    parsed = vars(build_parser().parse_args(["keyness", "--corpus", str(corpus)]))
    expected = {k for k in parsed if k not in {"func", "command", "out", "debug"}}
    assert set(params["options"]) == expected
    assert params["options"]["measure"] == "g2" and params["options"]["min_count"] == 3
    assert params["options"]["correction"] == parsed["correction"]  # a default in force
    # Where the table went is not recorded: no path of this machine, the same bytes anywhere.
    assert "--out" not in params["argv"] and str(out.parent) not in sidecar.read_text(encoding="utf-8")
    # The input's hash, computed here independently.
    assert params["input"]["sha256"] == hashlib.sha256(corpus.read_bytes()).hexdigest()
    ledger = pd.read_csv(out.with_name("keyness.ledger.csv"))
    assert params["ledger"]["records"] == len(ledger)
    assert params["ledger"]["loaded"] == int((ledger["status"] == "loaded").sum())
    assert set(params["versions"]) >= {"analysis", "code", "simplemma", "pandas"}


@pytest.mark.parametrize("command", [
    ["keyness", "--measure", "logodds", "--alpha0", "50"],
    ["frequency"],
    ["tfidf", "--variant", "quanteda", "--top", "20"],
])
def test_rerun_from_the_params_file_reproduces_the_table_byte_for_byte(corpus, tmp_path, command):
    first = tmp_path / "first.csv"
    _run([*command, "--corpus", str(corpus), "--out", str(first)])
    again = tmp_path / "again.csv"
    # In a fresh process with an empty cache: nothing is carried over but the params file.
    result = subprocess.run([sys.executable, "-m", "analysis", "rerun", str(first.with_name("first.params.json")),
                             "--out", str(again)], cwd=ROOT, capture_output=True, text=True,
                            env={"ANALYSIS_CACHE_DIR": str(tmp_path / "c2"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == first.read_bytes()


def test_rerun_refuses_a_changed_input(corpus, tmp_path):
    changed = tmp_path / "korpus.csv"
    changed.write_bytes(corpus.read_bytes())
    out = tmp_path / "k.csv"
    _run(["frequency", "--corpus", str(changed), "--out", str(out)])
    changed.write_bytes(corpus.read_bytes().replace(b"Putin", b"Putln", 1))
    assert main(["rerun", str(tmp_path / "k.params.json")]) == 2


def test_rerun_errors_name_the_file(tmp_path, capsys):
    assert main(["rerun", str(tmp_path / "fehlt.params.json")]) == 2
    assert "fehlt.params.json: no such file" in capsys.readouterr().err
    bad = tmp_path / "kaputt.params.json"
    bad.write_text("{nicht json", encoding="utf-8")
    with pytest.raises(ParameterError, match="kaputt.params.json: not a readable params file"):
        read_params(bad)


def test_figures_record_their_parameters_in_captions_and_metadata(tmp_path):
    out = tmp_path / "figures"
    _run(["figures", "--out", str(out), "--formats", "png,svg", "--only", "tfidf_top_terms",
          "--n-boot", "300", "--seed", "7"])
    params = json.loads((out / "params.json").read_text(encoding="utf-8"))
    assert params["options"]["n_boot"] == 300 and params["options"]["seed"] == 7
    captions = (out / "captions.md").read_text(encoding="utf-8")
    assert "## Parameters" in captions and '"n_boot": 300' in captions
    svg = next(out.glob("*.svg")).read_text(encoding="utf-8")
    assert f"input sha256 {params['input']['sha256'][:16]}" in svg
    assert str(out) not in captions and str(out) not in svg


def test_without_outputs_leaves_what_is_computed():
    params = {"argv": ["figures", "--out=a", "--tables", "b", "--seed", "3"],
              "options": {"out": "a", "tables": "b", "seed": 3}}
    assert without_outputs(params) == {"argv": ["figures", "--seed", "3"], "options": {"seed": 3}}


@pytest.mark.parametrize("fdr", ["family", "table"])
def test_keyness_command_adjusts_over_the_family_or_each_table(corpus, tmp_path, fdr):
    from scipy.stats import false_discovery_control

    out = tmp_path / "k.csv"
    _run(["keyness", "--corpus", str(corpus), "--measure", "g2", "--fdr", fdr, "--out", str(out)])
    table = pd.read_csv(out)
    assert table["target"].nunique() >= 3  # one comparison per outlet
    if fdr == "family":
        expected = false_discovery_control(table["p"].to_numpy())
    else:
        expected = table.groupby(["target", "reference"])["p"].transform(
            lambda p: false_discovery_control(p.to_numpy())).to_numpy()
    assert table["q"].to_numpy() == pytest.approx(expected, rel=1e-9, abs=1e-15)
    assert json.loads(out.with_name("k.params.json").read_text(encoding="utf-8"))["options"]["fdr"] == fdr
