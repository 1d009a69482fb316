"""General German as a keyness reference (wordfreq's German list)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import wordfreq

from analysis.cli import main
from analysis.errors import ParameterError
from analysis.pipeline import prepare_corpus
from analysis.stats.background import NOMINAL_TOTAL, general_german
from analysis.stats.keyness import keyness

from generated import write_corpus


def test_counts_are_the_list_shares_of_each_terms_forms():
    vocabulary = pd.DataFrame({
        "form": ["Diktator", "Diktatoren", "Die", "die", "der", "Xqzvw", "Gipfel"],
        "lemma": ["Diktator", "Diktator", "der", "der", "der", "Xqzvw", "Gipfel"],
        "stem": ["diktator", "diktator", "die", "die", "der", "xqzvw", "gipfel"],
    })
    listed = wordfreq.get_frequency_dict("de")  # word_frequency() rounds to three digits
    share = {w: listed[w] for w in ("diktator", "diktatoren", "die", "der", "gipfel")}
    lemmas = general_german(vocabulary, total=1000.0)
    assert lemmas["Diktator"] == pytest.approx(1000 * (share["diktator"] + share["diktatoren"]))
    assert lemmas["der"] == pytest.approx(1000 * (share["die"] + share["der"]))  # "Die" and "die" once
    assert "Xqzvw" not in lemmas.index  # unknown to the list: count 0
    tokens = general_german(vocabulary, by="token", total=1000.0)
    assert tokens["Die"] == tokens["die"] == pytest.approx(1000 * share["die"])
    with pytest.raises(ParameterError, match="by"):
        general_german(vocabulary, by="wort")
    with pytest.raises(ParameterError, match="no column"):
        general_german(vocabulary.drop(columns="lemma"))


def test_words_the_story_needs_stand_out_against_general_german(tmp_path):
    prepared = prepare_corpus(write_corpus(tmp_path / "corpus.csv", 300, seed=3), cache=False, jobs=1, quiet=True)
    background = general_german(prepared.store.vocabulary)
    outlet = prepared.group_counts.rows[0]
    table = keyness(prepared.group_counts, outlet, reference="background", background=background,
                    background_total=NOMINAL_TOTAL, measure="logratio")
    top = table.head(40)["term"].tolist()
    # The generated story is about a summit with Putin in Pjöngjang: its words are far above
    # ordinary usage; function words are not.
    assert {"Pjöngjang", "Verteidigungsabkommen"} & set(top)
    for word in ("und", "der", "in", "sein"):
        if word in set(table["term"]):
            rank = table.index[table["term"] == word][0]
            assert rank > len(table) / 4, word
    # The effect size is the log ratio of the rates, by definition.
    row = table[table["term"] == "Pjöngjang"].iloc[0]
    counts = prepared.group_counts
    nt = counts.totals[outlet]
    a = counts.matrix[list(counts.rows).index(outlet), list(counts.terms).index("Pjöngjang")]
    assert row["effect_size"] == pytest.approx(np.log2((a / nt) / (background["Pjöngjang"] / NOMINAL_TOTAL)))


def test_keyness_command_against_general_german(tmp_path, capsys):
    out = tmp_path / "general.csv"
    assert main(["keyness", "--reference", "general", "--measure", "logratio", "--top", "5", "--out", str(out),
                 "--cache-dir", str(tmp_path / "cache"), "--quiet"]) == 0
    table = pd.read_csv(out)
    assert set(table["reference"]) == {"general German"} and set(table["target"]) == {"AFP-based", "CNN-based"}
    assert main(["keyness", "--reference", "general", "--target", "CNN-based", "--out", str(out),
                 "--cache-dir", str(tmp_path / "cache"), "--quiet"]) == 0
    assert "not meaningful" in capsys.readouterr().err
