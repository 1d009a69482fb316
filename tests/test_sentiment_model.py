"""The trained sentiment model: rebuilt byte for byte, predictions toward a target, explanations
that add up, the lexicon clean-up, the planted corpus, and the command line."""

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main as cli_main
from analysis.errors import ParameterError
from analysis.sentiment import (
    aggregate_sentiment,
    default_lexicon,
    explain,
    explain_prediction,
    predict_texts,
    score_documents,
    score_persons,
    score_sentences,
)
from analysis.sentiment.model import CLASSES, default_model, text_units
from analysis.sentiment.train import main as train_main
from analysis.store import TokenStore
from analysis.text import tokenize

ROOT = Path(__file__).resolve().parents[1]
SMALL_GOLD = ROOT / "tests" / "data" / "sentiment_gold_small.csv"
SMALL_MODEL = ROOT / "tests" / "data" / "sentiment_model_small.json"
SHIPPED = ROOT / "analysis" / "resources" / "sentiment_model.json"


def _toward(text, target):
    start = text.index(target)
    return predict_texts([text], [(start, start + len(target))]).iloc[0]


# --- the file ------------------------------------------------------------------------------


def test_training_rebuilds_the_model_byte_for_byte(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert train_main(["--gold", str(SMALL_GOLD), "--out", str(first)]) == 0
    assert train_main(["--gold", str(SMALL_GOLD), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    # ... and equals the file committed next to the gold rows (same code, same numbers).
    assert first.read_bytes() == SMALL_MODEL.read_bytes()


def test_the_shipped_model_is_small_plain_json_and_loads_offline():
    assert SHIPPED.stat().st_size <= 5_000_000
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert data["classes"] == list(CLASSES)
    assert data["training"]["rows"] == 1918 and "GerNTSA" in (ROOT / "analysis" / "resources" /
                                                           "SENTIMENT_MODEL_DATA.md").read_text(encoding="utf-8")
    names = [row[0] for row in data["ngrams"]]
    assert names == sorted(names)
    model = default_model()
    assert model.lexicon["sha256"]  # checked against the installed lexicon when loaded
    # The file's numbers are the model's numbers: writing it again gives the same text.
    assert model.to_json() == SHIPPED.read_text(encoding="utf-8")


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    from analysis.sentiment.model import load_model

    with pytest.raises(ParameterError, match="not a sentiment model"):
        load_model(bad)


# --- predictions toward a target ---------------------------------------------------------


@pytest.mark.parametrize(("text", "target", "label"), [
    ("Die Fans feierten Sabine Korn nach ihrem großartigen und mutigen Auftritt.", "Sabine Korn", "positive"),
    ("Die brutale und grausame Politik von Otto Rehm ist gescheitert.", "Otto Rehm", "negative"),
    ("Der Konzern Graufels steht wegen Betrug und Korruption in der Kritik.", "Graufels", "negative"),
    ("Otto Rehm reiste am Dienstag nach Brüssel.", "Otto Rehm", "neutral"),
])
def test_clear_sentences_toward_a_named_target(text, target, label):
    row = _toward(text, target)
    assert row["label"] == label
    assert math.isclose(row[["p_negative", "p_neutral", "p_positive"]].sum(), 1.0)


def test_the_target_decides_in_a_sentence_about_two_persons():
    text = "Sabine Korn wurde gefeiert, doch Otto Rehm wurde scharf kritisiert und ausgebuht."
    assert _toward(text, "Sabine Korn")["score"] > _toward(text, "Otto Rehm")["score"]


def _evidence(text, target):
    from analysis.sentiment.features import LEXICON_FEATURES, dense_features

    start = text.index(target)
    arrays, units = text_units([text], [(start, start + len(target))])
    model = default_model()
    values = dense_features(arrays, units, model.rules(), model.settings,
                            reporting_forms=frozenset(model.reporting_verbs))[0]
    return dict(zip(LEXICON_FEATURES, values.tolist()))


@pytest.mark.parametrize(("plain", "stronger", "target"), [
    ("Die Arbeit von Anna Vogt ist gut.", "Die Arbeit von Anna Vogt ist sehr gut.", "Anna Vogt"),
    ("Otto Rehm hielt eine gute Rede.", "Otto Rehm hielt eine äußerst gute Rede.", "Otto Rehm"),
    ("Die Arbeit von Anna Vogt ist schlecht.", "Die Arbeit von Anna Vogt ist sehr schlecht.", "Anna Vogt"),
    ("Otto Rehm hielt eine schwache Rede.", "Otto Rehm hielt eine extrem schwache Rede.", "Otto Rehm"),
])
def test_intensifiers_strengthen_the_trained_score(plain, stronger, target):
    # The lexicon says which way the sentence leans; the intensified sentence leans further.
    from analysis.sentiment.scorer import score_text

    lean = np.sign(score_text(plain))
    assert lean != 0
    assert lean * _toward(stronger, target)["score"] > lean * _toward(plain, target)["score"]


@pytest.mark.parametrize(("plain", "negated", "target"), [
    ("Die Arbeit von Anna Vogt ist gut.", "Die Arbeit von Anna Vogt ist nicht gut.", "Anna Vogt"),
    ("Otto Rehm ist ein guter Trainer.", "Otto Rehm ist kein guter Trainer.", "Otto Rehm"),
])
def test_negation_flips_the_trained_score(plain, negated, target):
    assert _toward(plain, target)["score"] > 0 > _toward(negated, target)["score"]


def test_the_evidence_behind_negation_and_intensifiers():
    # What the model reads: negation turns the positive word into negative evidence, an
    # intensifier strengthens it (its multiplier of the scorer's rules, 1.5 for "sehr").
    plain = _evidence("Die Arbeit von Anna Vogt ist gut.", "Anna Vogt")
    very = _evidence("Die Arbeit von Anna Vogt ist sehr gut.", "Anna Vogt")
    negated = _evidence("Die Arbeit von Anna Vogt ist nicht gut.", "Anna Vogt")
    assert very["sentence_positive"] > plain["sentence_positive"] > 0 == plain["sentence_negative"]
    assert very["window_positive"] > plain["window_positive"]
    assert negated["window_negative"] > 0 == negated["window_positive"]
    assert negated["sentence_negated_positive"] > 0 and negated["sentence_negators"] == 1


# --- explanations ------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["token", "feature"])
def test_contributions_add_up_to_the_logits(by):
    text = "Kritiker werfen Minister Otto Rehm Lügen vor. Die Sitzung dauerte lange."
    start = text.index("Otto Rehm")
    table = explain_prediction(text, (start, start + 9), by=by)
    model = default_model()
    arrays, units = text_units([text], [(start, start + 9)])
    logits = model.logits(model.features(arrays, units))[0]
    totals = table[list(CLASSES)].sum().to_numpy()
    if by == "feature":
        totals = totals + model.intercept
    assert np.allclose(totals, logits)
    probabilities = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    assert table.attrs["label"] == CLASSES[int(probabilities.argmax())]


def test_token_explanations_name_the_words_and_leave_out_the_target():
    text = "Die Opposition nannte den Plan von Otto Rehm katastrophal."
    start = text.index("Otto Rehm")
    table = explain_prediction(text, (start, start + 9))
    row = table.set_index("token").loc["katastrophal"]
    assert row["margin"] < 0 and "window_negative" in row["features"] and "c:" in row["features"]
    target_rows = table[table["target"]]
    assert set(target_rows["token"]) == {"Otto", "Rehm"}
    # The target's own words are masked out of the n-grams; only flags may sit on them.
    assert not target_rows["features"].str.contains("w:").any()


# --- lexicon clean-up --------------------------------------------------------------------


def test_the_cleaned_lexicon_shows_the_texts_spelling_and_handles_homographs():
    table = explain("Er genießt den großen Erfolg. Wie heißen Sie?")
    entries = table.loc[table["role"] == "sentiment", "entry"].tolist()
    assert entries == ["genießen", "groß", "Erfolg"]
    assert explain("Die Abschiebung wurde vollzogen.")["contribution"].sum() == 0.0
    raw = explain("Wie heißen Sie? Die Abschiebung.", "textblob-de-raw")
    assert set(raw.loc[raw["role"] == "sentiment", "entry"]) == {"heiss", "Abschiebung"}
    cleanup = default_lexicon().cleanup
    assert {"respelled", "dropped", "blocked"} <= set(cleanup["action"])


# --- corpus level -------------------------------------------------------------------------


def test_sentences_documents_and_persons_from_store_and_table_agree():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [
        "Sabine Korn wurde gefeiert. Die Sitzung dauerte zwei Stunden.",
        "Otto Rehm wurde scharf kritisiert. Otto Rehm schwieg."]})
    store = TokenStore.from_texts(docs["doc_id"], docs["text"])
    table = tokenize(docs)
    from_store, from_table = score_sentences(store), score_sentences(table)
    pd.testing.assert_frame_equal(from_store, from_table, check_dtype=False)
    assert from_store.attrs["model"] == "trained" and list(from_store["sentence_id"]) == [0, 1, 0, 1]
    assert np.allclose(from_store["score"], from_store["p_positive"] - from_store["p_negative"])
    documents = score_documents(store)
    assert np.allclose(documents["score"], from_store.groupby("doc_id", sort=False)["score"].mean().to_numpy())
    persons = score_persons(store, {"Korn": "Korn", "Rehm": "Rehm"})
    pd.testing.assert_frame_equal(persons, score_persons(table, {"Korn": "Korn", "Rehm": "Rehm"}), check_dtype=False)
    by_person = persons.groupby("person")["score"].mean()
    assert by_person["Korn"] > by_person["Rehm"]
    lexicon = score_sentences(store, model="lexicon")
    assert lexicon.attrs["model"] == "lexicon" and "positive" in lexicon.columns
    with pytest.raises(ParameterError, match="lexicon scorer"):
        score_sentences(store, {"gut": 1.0}, model="trained")


def test_the_trained_default_ranks_the_planted_negative_outlet_most_negative():
    from planted import NEGATIVE, planted_corpus

    documents = planted_corpus()
    store = TokenStore.from_texts(documents["doc_id"], documents["text"])
    sentences = score_sentences(store)
    by_outlet = aggregate_sentiment(sentences, documents, n_boot=300, seed=0, unit="document").set_index("outlet")
    assert by_outlet["mean"].idxmin() == NEGATIVE
    assert by_outlet.loc[NEGATIVE, "ci_high"] < by_outlet.drop(index=NEGATIVE)["ci_low"].min()


# --- command line ------------------------------------------------------------------------


def test_sentiment_command_with_the_model_and_the_lexicon(tmp_path, capsys):
    common = ["sentiment", "--level", "sentence", "--quiet", "--cache-dir", str(tmp_path / "cache")]
    assert cli_main([*common, "--out", str(tmp_path / "trained.csv")]) == 0
    assert cli_main([*common, "--model", "lexicon", "--out", str(tmp_path / "lexicon.csv")]) == 0
    trained = pd.read_csv(tmp_path / "trained.csv")
    lexicon = pd.read_csv(tmp_path / "lexicon.csv")
    assert {"p_negative", "p_neutral", "p_positive", "label", "score"} <= set(trained.columns)
    assert "positive" in lexicon.columns and "label" not in lexicon.columns
    assert len(trained) == len(lexicon)


def test_validate_sentiment_cross_validates_the_model_and_writes_the_table(tmp_path, capsys):
    from analysis.sentiment.validate import main as validate_main

    out = tmp_path / "table.csv"
    assert validate_main(["--gold", str(SMALL_GOLD), "--no-ablations", "--n-boot", "50", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "confusion matrix" in printed and "default minus" in printed
    table = pd.read_csv(out)
    assert {"default", "majority", "n-grams only (trained)", "lexicon evidence only (trained)"} <= set(
        table["configuration"])
    assert (table["ci_low"] <= table["macro_f1"]).all() and (table["macro_f1"] <= table["ci_high"]).all()


def test_train_sentiment_through_python_m_analysis(tmp_path):
    out = tmp_path / "m.json"
    done = subprocess.run([sys.executable, "-m", "analysis", "train-sentiment", "--gold", str(SMALL_GOLD),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == SMALL_MODEL.read_bytes()
    missing = subprocess.run([sys.executable, "-m", "analysis", "train-sentiment", "--gold", "fehlt.csv",
                              "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 2 and "no such gold file" in missing.stderr


def test_corpus_predictions_equal_the_explained_logits():
    # The corpus path (slices, n-gram columns looked up once, blocks multiplied separately) must
    # give the probabilities of the one-matrix path that the explanations add up to.
    from analysis.sentiment.features import TokenArrays, Units

    texts = ["Die Lage ist katastrophal. Otto Rehm lobte die gute Arbeit.", "Ein Tisch steht hier. Er ist nicht schön.",
             "Anna Vogt kritisierte den äußerst schwachen Plan scharf."]
    store = TokenStore.from_texts(["a", "b", "c"], texts)
    model = default_model()
    arrays = TokenArrays.from_store(store)
    units = Units.sentences(len(arrays.sentence_starts()))
    logits = model.logits(model.features(arrays, units))
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.allclose(model.predict_units(arrays, units), expected, atol=1e-12)


def test_character_ngram_columns_over_arrays_equal_a_lookup_per_ngram():
    # The vectorised look-up must give exactly the pairs of cutting every key into its padded
    # n-grams and looking each one up (umlauts, ß, digits, characters the vocabulary lacks,
    # keys shorter than an n-gram, a repeated n-gram within one key).
    from analysis.sentiment.features import _char_gram_pairs, _char_grams

    keys = ["ab", "straße", "größer", "banana", "x", "2024", "naïve", "€uro", "ананас", "aaaaaa"]
    grams = sorted({g for k in ["straße", "größer", "banana", "2024", "aaaaaa"] for g in _char_grams(k, 3, 5)})
    vocabulary = {f"c:{g}": i for i, g in enumerate(grams[::2])}
    vocabulary.update({"w:straße": len(vocabulary), "c:zzz": len(vocabulary) + 1})
    expected = sorted((k, vocabulary[f"c:{g}"]) for k, key in enumerate(keys) for g in _char_grams(key, 3, 5)
                      if f"c:{g}" in vocabulary)
    rows, cols = _char_gram_pairs(keys, 3, 5, vocabulary)
    assert sorted(zip(rows.tolist(), cols.tolist())) == expected
    assert len(expected) > 20  # the example exercises the look-up


def test_counts_with_the_prepared_look_ups_equal_the_counts_by_name():
    # A slice of a corpus looks its bigrams up in the pair codes key_columns made once, and
    # leaves the column indices unsorted: the same counts, cell for cell, as looking up every
    # n-gram's name, on a generated corpus with the shipped model's vocabulary (bigrams too),
    # for sentences and for person targets (masked tokens and the window words).
    from analysis.sentiment.features import TokenArrays, Units, key_columns, ngram_counts
    from tests.generated import generated_corpus

    corpus = generated_corpus(150, seed=8)
    store = TokenStore.from_texts(corpus["doc_id"].tolist(), corpus["text"].tolist())
    arrays = TokenArrays.from_store(store)
    model = default_model()
    prepared = key_columns(arrays, model.settings, model.vocabulary)
    assert len(prepared.bigram_codes) > 50 and np.all(np.diff(prepared.bigram_codes) > 0)
    n = len(arrays.sentence_starts())
    rng = np.random.default_rng(0)
    targets = rng.choice(arrays.n_tokens - 1, size=200, replace=False)
    sentence_of = np.searchsorted(arrays.sentence_starts(), targets, side="right") - 1
    for units in (Units.sentences(n), Units(sentence_of, targets, targets + 1)):
        by_name, _ = ngram_counts(arrays, units, model.settings, model.vocabulary)
        fast, _ = ngram_counts(arrays, units, model.settings, model.vocabulary, prepared=prepared, sort_indices=False)
        bigram_columns = [model.vocabulary[name] for name in model.vocabulary if name.startswith("b:")]
        assert by_name[:, bigram_columns].nnz > 100  # the corpus has bigrams of the vocabulary
        assert by_name.has_sorted_indices and (by_name != fast).nnz == 0


def test_sentence_scores_do_not_depend_on_the_slices(monkeypatch):
    # The look-ups decided once for the corpus's types are shared by every slice: scored in
    # slices of a few hundred tokens, a generated corpus gets the probabilities of one slice.
    import analysis.sentiment.model as model_module
    from analysis.sentiment.features import TokenArrays, Units
    from tests.generated import generated_corpus

    corpus = generated_corpus(200, seed=3)
    store = TokenStore.from_texts(corpus["doc_id"].tolist(), corpus["text"].tolist())
    arrays = TokenArrays.from_store(store)
    units = Units.sentences(len(arrays.sentence_starts()))
    model = default_model()
    whole = model.predict_units(arrays, units)
    monkeypatch.setattr(model_module, "SLICE_TOKENS", 300)
    assert len(list(model_module._document_slices(arrays.doc_offsets, 300))) > 50
    sliced = model.predict_units(arrays, units)
    assert np.allclose(sliced, whole, atol=1e-12)
    # The slices in two worker processes: the same numbers, bit for bit, as in this process.
    assert np.array_equal(model.predict_units(arrays, units, jobs=2), sliced)


def test_named_lexicon_evidence_is_those_columns_of_all_of_it():
    # The sentence tables keep two of the 18 evidence columns; asking for them by name gives
    # exactly those columns of the full evidence, in the order asked, in workers too.
    from analysis.sentiment.features import LEXICON_FEATURES, TokenArrays, Units
    from tests.generated import generated_corpus

    corpus = generated_corpus(120, seed=5)
    store = TokenStore.from_texts(corpus["doc_id"].tolist(), corpus["text"].tolist())
    arrays = TokenArrays.from_store(store)
    units = Units.sentences(len(arrays.sentence_starts()))
    model = default_model()
    probabilities, full = model.predict_units(arrays, units, with_dense=True)
    assert full.shape == (len(units), len(LEXICON_FEATURES))
    names = ["sentence_n_negative", "sentence_positive"]
    chosen_probabilities, chosen = model.predict_units(arrays, units, with_dense=names, jobs=2)
    columns = [LEXICON_FEATURES.index(name) for name in names]
    assert np.array_equal(chosen, full[:, columns])
    assert np.array_equal(chosen_probabilities, probabilities)
    assert full[:, columns].any()  # the generated corpus does match the lexicon
    with pytest.raises(ParameterError, match="sentence_n_neutral"):
        model.predict_units(arrays, units, with_dense=["sentence_n_neutral"])
