"""The lexicon scorer: negation, modifiers, contributions that add up, coverage."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.sentiment import (
    Lexicon,
    explain,
    score_documents,
    score_sentences,
    score_text,
    score_tokens,
)
from analysis.text import tokenize

LEX = {"gut": 1.0, "schlecht": -1.0, "Erfolg": 1.0, "Krise": -1.0, "loben": 0.7, "Trotz": -1.0}


def _tokens(*texts):
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    return tokenize(docs)


# --- acceptance: hand-written sentences, default lexicon ---------------------------------


def test_negation_flips_the_sign_with_the_default_lexicon():
    assert score_text("nicht gut") < 0 < score_text("gut")
    assert score_text("Das Ergebnis ist nicht gut.") < 0 < score_text("Das Ergebnis ist gut.")
    assert score_text("Das war kein Erfolg.") < 0 < score_text("Das war ein Erfolg.")


def test_an_intensifier_strengthens_and_a_diminisher_weakens():
    assert score_text("sehr gut") > score_text("gut") > 0
    assert score_text("äußerst schlecht") < score_text("schlecht") < 0
    assert 0 < score_text("kaum gut") < score_text("gut")


def test_contributions_sum_to_the_score():
    text = "Der Gipfel war ein großer Erfolg. Doch die Krise ist nicht vorbei, und das ist sehr schlecht."
    tokens = _tokens(text, "Kein Problem.")
    contributions = score_tokens(tokens)
    sentences = score_sentences(contributions)
    documents = score_documents(contributions)
    by_sentence = contributions.groupby(["doc_id", "sentence_id"])["contribution"].sum()
    assert np.allclose(sentences.set_index(["doc_id", "sentence_id"])["score"], by_sentence)
    by_doc = contributions.groupby("doc_id")["contribution"].sum()
    assert np.allclose(documents.set_index("doc_id")["score"], by_doc)
    assert math.isclose(score_text(text), float(contributions.loc[contributions.doc_id == "d0", "contribution"].sum()))
    assert np.allclose(sentences["positive"] + sentences["negative"], sentences["score"])


def test_an_unknown_word_contributes_nothing():
    table = explain("Der Xylophonbauer ist gut.", {"gut": 1.0})
    unknown = table[table["token"] == "Xylophonbauer"].iloc[0]
    assert unknown["contribution"] == 0.0 and unknown["role"] == "" and math.isnan(unknown["polarity"])
    assert score_text("Der Xylophonbauer baut.", {"gut": 1.0}) == 0.0
    assert score_text("Quxlfrm") == 0.0


# --- negation details ----------------------------------------------------------------------


def test_negation_scope_ends_at_the_clause_and_after_the_window():
    assert score_text("Nicht heute, aber gut.", LEX) == 1.0
    assert score_text("Nicht heute, das Wetter ist gut.", LEX) == 1.0
    # window of 4 words: "gut" is the 6th word after "nicht"
    assert score_text("Nicht eins zwei drei vier fünf gut.", LEX) == 1.0
    assert score_text("Nicht eins zwei drei gut.", LEX) == -1.0
    assert score_text("Nicht eins zwei drei vier fünf gut.", LEX, negation_window=6) == -1.0


def test_clause_final_negation_looks_back():
    assert score_text("Er lobte den Plan nicht.", LEX) == pytest.approx(-0.7)
    assert score_text("Er lobte den Plan.", LEX) == pytest.approx(0.7)


def test_blockers_double_negation_and_weder_noch():
    assert score_text("Das ist nicht nur gut.", LEX) == 1.0
    assert score_text("Nicht ohne Erfolg.", LEX) == 1.0
    assert score_text("Ohne Erfolg.", LEX) == -1.0
    assert score_text("Weder der Plan noch das Ergebnis sind gut.", LEX) == -1.0
    assert score_text("Es ist noch gut.", LEX) == 1.0  # "noch" alone negates nothing


def test_negation_switch_factor_and_explicit_negated_scores():
    assert score_text("nicht gut", LEX, negation=False) == 1.0
    assert score_text("nicht gut", LEX, negation_factor=-0.5) == -0.5
    rauh_like = Lexicon.from_mapping({"gut": 1.0, "NOT_gut": -0.3})
    assert score_text("nicht gut", rauh_like) == pytest.approx(-0.3)
    table = explain("nicht gut", LEX)
    assert table["role"].tolist() == ["negator", "sentiment"] and table["negated"].tolist() == [False, True]


def test_negators_are_never_scored_themselves():
    assert score_text("Nichts.", {"Nichts": -0.7, "nichts": -0.7}) == 0.0


# --- modifiers, matching ----------------------------------------------------------------


def test_modifier_table_window_and_switch():
    assert score_text("sehr gut", LEX) == 1.5
    assert score_text("sehr gut", LEX, modifiers={}) == 1.0
    assert score_text("sehr, gut", LEX) == 1.0  # the comma ends the modifier's reach
    assert score_text("sehr sehr gut", LEX) == pytest.approx(2.25)
    assert score_text("ziemlich gut", LEX, modifiers={"ziemlich": 2}) == 2.0
    assert score_text("sehr das gut", LEX, modifier_window=1) == 1.0


def test_matching_is_case_sensitive_except_at_sentence_start():
    assert score_text("Trotz des Regens kam er.", LEX) == -1.0  # sentence-initial: folded
    assert score_text("Er kam trotz des Regens.", LEX) == 0.0  # the preposition is not the noun
    assert score_text("Gut gemacht.", LEX) == 1.0
    assert score_text("Das ist GUT.", LEX) == 1.0
    assert score_text("Das Gut liegt am See.", LEX) == 0.0


def test_lemmas_phrases_and_compounds():
    assert score_text("Die Erfolge waren schlechter.", LEX) == 0.0  # Erfolg +1, schlecht −1
    phrase = Lexicon.from_mapping({"keine Ahnung": -0.5, "gut": 1.0})
    table = explain("Er hat keine Ahnung.", phrase)
    assert table["role"].tolist() == ["", "", "sentiment", "phrase"]
    assert table["contribution"].sum() == -0.5
    assert score_text("Die Corona-Krise.", LEX) == -1.0
    assert score_text("Die Corona-Krise.", LEX, compounds=False) == 0.0


# --- tables ----------------------------------------------------------------------------


def test_contribution_table_shape_and_coverage():
    tokens = _tokens("Gut und schlecht.")
    table = score_tokens(tokens, LEX)
    assert len(table) == len(tokens)
    assert list(table.columns[:3]) == ["doc_id", "sentence_id", "token_id"]
    for column in ("token", "lemma", "polarity", "modifier", "negated", "contribution"):
        assert column in table.columns
    assert table.attrs["coverage"] == pytest.approx(2 / 3)
    sentences = score_sentences(table)
    assert sentences["coverage"].tolist() == [pytest.approx(2 / 3)]
    assert sentences.attrs["coverage"] == pytest.approx(2 / 3)
    assert score_documents(table)["coverage"].tolist() == [pytest.approx(2 / 3)]


def test_per_word_normalisation():
    tokens = _tokens("Gut. Das ist gut.")
    raw = score_documents(tokens, LEX)
    norm = score_documents(tokens, LEX, per_word=True)
    assert raw["score"].iloc[0] == 2.0
    assert norm["score"].iloc[0] == pytest.approx(2.0 / 4)
    assert score_text("Das ist gut.", LEX, per_word=True) == pytest.approx(1 / 3)


def test_sentence_texts_are_added_from_documents():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["Gut. Schlecht."]})
    table = score_sentences(tokenize(docs), LEX, documents=docs)
    assert table["sentence"].tolist() == ["Gut.", "Schlecht."]
    assert table["score"].tolist() == [1.0, -1.0]


def test_a_sentence_without_words_has_no_coverage():
    table = score_sentences(_tokens("1990 – 2000"), LEX)
    assert table["score"].tolist() == [0.0] and math.isnan(table["coverage"].iloc[0])


def test_bad_arguments():
    tokens = _tokens("gut")
    with pytest.raises(ParameterError):
        score_tokens("gut", LEX)
    with pytest.raises(ParameterError):
        score_tokens(tokens.drop(columns="lemma"), LEX)
    with pytest.raises(ParameterError):
        score_tokens(tokens, LEX, negation_window=-1)
    with pytest.raises(ParameterError):
        score_tokens(tokens, LEX, negation_factor="flip")
    with pytest.raises(ParameterError):
        score_tokens(tokens, LEX, modifiers=["sehr"])
    with pytest.raises(ParameterError):
        score_sentences(score_tokens(tokens, LEX), LEX)  # contributions plus a lexicon
