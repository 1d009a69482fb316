"""The array engine of the scorer against the rules read sentence by sentence (the reference)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.sentiment import Lexicon, default_lexicon, score_documents, score_sentences, score_tokens
from analysis.sentiment.lexicon import load_lexicon
from analysis.sentiment.scorer import MODIFIERS, NEGATORS
from analysis.store import TokenStore
from analysis.text import tokenize
from generated import generated_corpus
from sentiment_reference import _Options, reference_scores

LEX = {
    "gut": 1.0, "schlecht": -1.0, "Erfolg": 1.0, "Krise": -0.8, "loben": 0.7, "Trotz": -1.0,
    "groß": 0.5, "Angst machen": -1.0, "keine Ahnung": -0.6, "gut gemeint": -0.3, "nicht übel": 0.4, "machen gut": 0.2,
    "NOT_gut": -0.4,
}
# Pieces that exercise every rule: negators (also capitalised and as nouns), "weder … noch",
# blockers, modifiers, clause words, multi-word entries, compounds, quotes, openers, capitals.
WORDS = [
    "gut", "Gut", "GUT", "schlecht", "Erfolg", "erfolg", "Krise", "Corona-Krise", "loben", "lobte", "trotz",
    "Trotz", "groß", "gross", "Angst", "machen", "keine", "Ahnung", "gemeint", "übel", "nicht", "Nicht",
    "kein", "Nichts", "nichts", "weder", "noch", "nur", "zuletzt", "sehr", "Sehr", "kaum", "äußerst",
    "aber", "doch", "dass", "Haus", "der", "die", "Putin", "ein", "war", "ist",
]
PUNCT = [",", ".", ":", "(", ")", "–", "-", "!", "„", "“", "»", "«", ";"]


def _reference_table(tokens, lexicon, **options):
    defaults = dict(negation=True, negators=None, negation_window=4, negation_factor=-1.0, modifiers=None,
                    modifier_window=2, compounds=True)
    defaults.update(options)
    opts = _Options(
        load_lexicon(lexicon),
        defaults["negation"],
        frozenset(w.casefold() for w in (defaults["negators"] or NEGATORS)),
        defaults["negation_window"],
        defaults["negation_factor"],
        {w.casefold(): v for w, v in (defaults["modifiers"] or MODIFIERS).items()},
        defaults["modifier_window"],
        defaults["compounds"],
    )
    return reference_scores(tokens, opts)


def _assert_same(table, reference):
    assert table["role"].tolist() == reference["role"]
    assert table["entry"].tolist() == reference["entry"]
    np.testing.assert_allclose(table["polarity"].to_numpy(), reference["polarity"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(table["modifier"].to_numpy(), reference["modifier"], rtol=1e-12)
    assert table["negated"].tolist() == reference["negated"].tolist()
    np.testing.assert_allclose(table["contribution"].to_numpy(), reference["contribution"], rtol=1e-12, atol=1e-12)


texts = st.lists(
    st.lists(st.sampled_from(WORDS + PUNCT), min_size=1, max_size=30).map(" ".join),
    min_size=1,
    max_size=4,
)
options = st.fixed_dictionaries({
    "negation": st.booleans(),
    "negation_window": st.integers(0, 5),
    "negation_factor": st.sampled_from([-1.0, -0.5, 0.0]),
    "modifier_window": st.integers(0, 3),
    "compounds": st.booleans(),
})


@settings(max_examples=300, deadline=None)
@given(texts, options)
def test_the_engine_follows_the_rules_on_random_sentences(pieces, chosen):
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(pieces))], "text": pieces})
    tokens = tokenize(docs)
    lexicon = Lexicon.from_mapping(LEX, name="test")
    _assert_same(score_tokens(tokens, lexicon, **chosen), _reference_table(tokens, lexicon, **chosen))


@settings(max_examples=100, deadline=None)
@given(texts)
def test_the_store_gives_the_table_of_the_tokens(pieces):
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(pieces))], "text": pieces})
    store = TokenStore.from_texts(docs["doc_id"], docs["text"])
    tokens = store.to_frame()
    lexicon = Lexicon.from_mapping(LEX, name="test")
    from_store = score_tokens(store, lexicon)
    from_table = score_tokens(tokens, lexicon)
    pd.testing.assert_frame_equal(from_store.astype({"kind": str}), from_table.astype({"kind": str}),
                                  check_dtype=False)
    sentences = score_sentences(store, lexicon)
    pd.testing.assert_frame_equal(sentences, score_sentences(from_table), check_dtype=False)
    pd.testing.assert_frame_equal(score_documents(store, lexicon), score_documents(from_table), check_dtype=False)


def test_the_default_lexicon_on_a_generated_corpus_matches_the_reference():
    corpus = generated_corpus(200, seed=3)
    store = TokenStore.from_texts(corpus["doc_id"], corpus["text"])
    tokens = store.to_frame()
    lexicon = default_lexicon()
    table = score_tokens(store, lexicon)
    reference = _reference_table(tokens, lexicon)
    _assert_same(table, reference)
    assert (table["role"] == "sentiment").sum() > 100  # the corpus exercises the lexicon


def test_roles_only_keeps_the_rows_with_a_role_and_refuses_sentence_sums():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Das ist nicht sehr gut. Ein Haus.", "Eine Krise."]})
    store = TokenStore.from_texts(docs["doc_id"], docs["text"])
    full = score_tokens(store, LEX)
    sparse = score_tokens(store, LEX, roles_only=True)
    expected = full[full["role"] != ""].reset_index(drop=True)
    pd.testing.assert_frame_equal(sparse, expected)
    assert sparse["token"].tolist() == ["nicht", "sehr", "gut", "Krise"]
    assert sparse.attrs["coverage"] == full.attrs["coverage"]
    with pytest.raises(Exception, match="roles_only"):
        score_sentences(sparse)


@pytest.mark.parametrize("text", [
    "Sie wollen Angst machen gut zu sein.",  # overlapping multi-word entries: the first wins
    "Weder gut noch schlecht, aber nicht nur gut.",
    "Das Essen war gut, schmeckte ihm aber nicht.",  # clause-final negator looks back
    "„Nicht gut“, sagte er: Gut gemeint ist nicht übel.",
    "Aus dem Nichts kam keine Ahnung, kein sehr sehr großer Erfolg.",
    "Die Corona-Krise ist (gut) – SEHR GUT – und kaum schlecht.",
])
def test_hand_written_sentences_match_the_reference(text):
    tokens = tokenize(pd.DataFrame({"doc_id": ["d"], "text": [text]}))
    lexicon = Lexicon.from_mapping(LEX, name="test")
    _assert_same(score_tokens(tokens, lexicon), _reference_table(tokens, lexicon))


def test_slices_of_whole_sentences_give_the_same_result():
    from analysis.sentiment.engine import score_arrays
    from analysis.sentiment.scorer import scoring_rules, _store_arrays

    corpus = generated_corpus(60, seed=5)
    store = TokenStore.from_texts(corpus["doc_id"], corpus["text"])
    rules = scoring_rules(None, True, None, 4, -1.0, None, 2, True)
    arrays = _store_arrays(store)
    whole = score_arrays(*arrays, rules)
    for size in (1, 7, 500):
        sliced = score_arrays(*arrays, rules, slice_tokens=size)
        for name in ("rows", "role", "entry", "polarity", "modifier", "contribution", "negated", "is_word"):
            np.testing.assert_array_equal(getattr(sliced, name), getattr(whole, name), err_msg=f"{name}, {size}")
