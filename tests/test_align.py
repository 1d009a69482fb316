"""Same story, different words: stories, passage alignment, substitutions, tables, figures, command.

Every expected value is known by construction — hand-worked sentences, the planted paraphrases of
``generated_stories.py``, the hand-made gold of ``data/gold/`` — never read from the suite's output.
"""

from pathlib import Path

import pandas as pd
import pytest

from analysis.align.attribution import attribution_changes
from analysis.align.passages import align_units, copy_ratio
from analysis.align.run import align_corpus
from analysis.align.stories import find_stories
from analysis.align.substitutions import diff_pair, label_changes
from analysis.align.tables import (article_table, evaluative_table, label_table, oriented_changes, passage_words,
                                   substitution_table)
from analysis.align.units import sentence_units
from analysis.align.validate import pair_scores_against, read_gold, validate_alignment
from analysis.cli import main
from analysis.pipeline import prepare_corpus
from analysis.store import TokenStore
from generated_stories import OUTLETS, WORDING, planted_substitutions, story_corpus, write_stories

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundled():
    return prepare_corpus(cache=False, jobs=1, quiet=True)


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    path = write_stories(tmp_path_factory.mktemp("stories") / "geschichten.csv", 4)
    prepared = prepare_corpus(path, cache=False, jobs=1, quiet=True)
    return prepared, story_corpus(4)[1]


@pytest.fixture(scope="module")
def aligned_stories(stories):
    prepared, _ = stories
    return align_corpus(prepared, story="story", jobs=1)


def test_alignment_in_worker_parts_equals_one_process(stories, aligned_stories):
    # One story per part in two workers, each part's tables waiting on disk: the same tables.
    prepared, _ = stories
    parted = align_corpus(prepared, story="story", jobs=2, stories_per_part=1)
    assert len(aligned_stories.pairs) > 20
    for name in ("stories", "pairs", "changes", "units"):
        pd.testing.assert_frame_equal(getattr(parted, name), getattr(aligned_stories, name), obj=name)


# --------------------------------------------------------------------------- hand-worked units
def test_units_merge_mentions_into_one_key_and_drop_stop_words():
    store = TokenStore.from_texts(["a"], ["Die Staatsoberhäupter trafen sich am 19. Juni."])
    units = sentence_units(store, ["a"])
    assert units.keys[0] == ["staatsoberhaupt", "treffen", "19.", "juni"]
    assert units.numbers[0] == frozenset({"19"})


def test_one_to_many_and_different_outlets_only():
    # The caption repeats the first sentence of A; the second sentence of A has no counterpart.
    store = TokenStore.from_texts(["a", "b", "c"], [
        "Kanzlerin Albrecht unterzeichnete in Wien das Verteidigungsabkommen. Im Zoo kamen drei Pinguine zur Welt.",
        "Albrecht unterzeichnete in Wien einen Verteidigungspakt. Das Verteidigungsabkommen unterzeichnete Albrecht in Wien.",
        "Kanzlerin Albrecht unterzeichnete in Wien das Verteidigungsabkommen.",
    ])
    pairs = align_units(sentence_units(store, ["a", "b", "c"]), {"a": "X", "b": "Y", "c": "X"})
    found = set(zip(pairs["doc_id_a"], pairs["sentence_id_a"], pairs["doc_id_b"], pairs["sentence_id_b"]))
    assert ("a", 0, "b", 0) in found and ("a", 0, "b", 1) in found  # one sentence of a, two of b
    assert not any(a == "a" and b == "c" for a, _, b, _ in found)  # same outlet: never aligned
    assert not any(a == "a" and s == 1 for a, s, _, _ in found)  # the zoo sentence stays alone


def test_pairs_come_by_article_then_sentence_whatever_the_order_of_the_units():
    from analysis.align.units import SentenceUnits

    store = TokenStore.from_texts(["a", "b"], [
        "Albrecht landete in Wien. Albrecht unterzeichnete das Verteidigungsabkommen. Es gab drei Pinguine.",
        "Drei Pinguine kamen zur Welt. Albrecht unterzeichnete einen Verteidigungspakt. Albrecht landete in Wien.",
    ])
    units = sentence_units(store, ["a", "b"])
    expected = align_units(units, {"a": "X", "b": "Y"})
    assert len(expected) >= 3
    key = ["doc_id_a", "doc_id_b", "sentence_id_a", "sentence_id_b"]
    assert expected[key].values.tolist() == expected.sort_values(key)[key].values.tolist()
    # The same sentences, b's first and each article's backwards: the same table.
    order = [5, 4, 3, 2, 1, 0]
    shuffled = SentenceUnits(units.table.iloc[order].reset_index(drop=True), [units.keys[k] for k in order],
                             [units.forms[k] for k in order], [units.entities[k] for k in order],
                             [units.numbers[k] for k in order])
    found = align_units(shuffled, {"a": "X", "b": "Y"})
    flipped = found["doc_id_a"] == "b"
    assert flipped.all()  # b comes first in these units
    swapped = found.rename(columns={"doc_id_a": "doc_id_b", "doc_id_b": "doc_id_a", "sentence_id_a": "sentence_id_b",
                                    "sentence_id_b": "sentence_id_a"})
    swapped = swapped.sort_values(key).reset_index(drop=True)[list(expected.columns)]
    assert swapped[key].values.tolist() == expected[key].values.tolist()
    assert swapped["score"].tolist() == expected["score"].tolist()
    assert found[["doc_id_a", "sentence_id_a", "sentence_id_b"]].values.tolist() == sorted(
        found[["doc_id_a", "sentence_id_a", "sentence_id_b"]].values.tolist())


def test_shared_copy_is_marked():
    text = "Die Delegation landete am Vormittag auf dem Flughafen der Hauptstadt."
    store = TokenStore.from_texts(["a", "b"], [text, text.replace("Vormittag", "Morgen")])
    pairs = align_units(sentence_units(store, ["a", "b"]), {"a": "X", "b": "Y"})
    # 10 words, one changed: SequenceMatcher ratio 2·9/20 = 0.9.
    assert pairs["shared"].tolist() == [True] and pairs["copy_ratio"].tolist() == [0.9]
    assert copy_ratio(["a", "b"], ["c", "d"]) == 0.0


def test_token_diff_slots():
    keys_a = ["@Putin", "unterzeichnen", "verteidigungsabkommen", "@Wien"]
    keys_b = ["@Putin", "unterzeichnen", "verteidigungspakt", "@Wien"]
    rows = diff_pair(keys_a, ["Putin", "unterzeichnete", "Verteidigungsabkommen", "Wien"],
                     keys_b, ["QUtin", "unterzeichnete", "Verteidigungspakt", "Wien"])
    # Putin and QUtin are one entity: the only difference is the agreement.
    assert rows[["kind", "term_a", "term_b"]].values.tolist() == [["substitution", "verteidigungsabkommen",
                                                                   "verteidigungspakt"]]
    inserted = diff_pair(["abkommen"], ["Abkommen"], ["umstritten", "abkommen"], ["umstrittene", "Abkommen"])
    assert inserted[["kind", "text_b", "evaluative"]].values.tolist() == [["insertion", "umstrittene", "umstrittene"]]
    long = diff_pair(list("abcdefg"), list("abcdefg"), list("hijklmn"), list("hijklmn"))
    assert long["kind"].tolist() == ["rewrite"]


def test_label_and_attribution_changes():
    rows = label_changes({"Putin": {"Staatsoberhaupt"}, "Kim": {"Kim"}}, {"Putin": {"Diktator"}, "Kim": {"Kim"}})
    assert rows[["person", "term_a", "term_b"]].values.tolist() == [["Putin", "Staatsoberhaupt", "Diktator"]]
    quoted = pd.DataFrame({"quote": ["Wir sind Freunde"], "kind": ["attributed"], "speaker": ["Kim"]})
    none = pd.DataFrame({"quote": [], "kind": [], "speaker": []})
    change = attribution_changes(quoted, "„Wir sind Freunde“, sagte Kim.", none, "Die beiden sind Freunde, hieß es.")
    assert change[["status_a", "status_b"]].values.tolist() == [["attributed (Kim)", "unquoted"]]
    same = attribution_changes(quoted, "„Wir sind Freunde“, sagte Kim.", quoted, "Kim sagte: „Wir sind Freunde“.")
    assert same.empty


def test_tables_orient_and_count():
    changes = pd.DataFrame({
        "story": ["s1", "s2", "s2"], "pair": ["s1#1", "s2#1", "s2#2"], "doc_id_a": ["b1", "a2", "a2"],
        "outlet_a": ["B", "A", "A"], "sentence_id_a": [0, 1, 2], "doc_id_b": ["a1", "b2", "b2"],
        "outlet_b": ["A", "B", "B"], "sentence_id_b": [3, 4, 5],
        "kind": ["substitution", "substitution", "insertion"], "term_a": ["pakt", "abkommen", ""],
        "term_b": ["abkommen", "pakt", "umstritten"], "text_a": ["Pakt", "Abkommen", ""],
        "text_b": ["Abkommen", "Pakt", "umstrittene"], "person": ["", "", ""], "evaluative": ["", "", "umstrittene"],
        "status_a": ["", "", ""], "status_b": ["", "", ""]})
    assert oriented_changes(changes)["outlet_a"].tolist() == ["A", "A", "A"]
    table = substitution_table(changes)
    assert table[["outlet_a", "term_a", "term_b", "count", "stories"]].values.tolist() == [["A", "abkommen", "pakt", 2, 2]]
    words = evaluative_table(changes)
    assert words[["outlet", "word", "other_outlet", "count"]].values.tolist() == [["B", "umstrittene", "A", 1]]


def test_stories_by_column_and_automatic():
    meta = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "outlet": ["X", "Y", "X", "Y"],
                         "event": ["g", "g", None, "h"]})
    table = find_stories(meta, story="event")
    assert table["story"].tolist() == ["g", "g", "c", "h"] and table["n_outlets"].tolist() == [2, 2, 1, 1]


# ---------------------------------------------------------------------- planted paraphrases
def test_automatic_stories_find_the_planted_events(stories):
    prepared, _ = stories
    table = find_stories(prepared.metadata, prepared.doc_counts)
    truth = prepared.metadata["story"].astype(str).tolist()
    found = table["story"].tolist()
    # The same partition: two articles share a found story exactly when they share a planted one.
    for i in range(len(truth)):
        for j in range(len(truth)):
            assert (found[i] == found[j]) == (truth[i] == truth[j])
    assert (table["method"] == "automatic").all() and table["similarity"].notna().all()


def test_planted_paraphrases_are_aligned(stories, aligned_stories):
    _, facts = stories
    fact = facts.set_index(["doc_id", "sentence_id"])["fact"]
    pairs = aligned_stories.pairs
    got_a = [fact.get((d, s)) for d, s in zip(pairs["doc_id_a"], pairs["sentence_id_a"])]
    got_b = [fact.get((d, s)) for d, s in zip(pairs["doc_id_b"], pairs["sentence_id_b"])]
    right = sum(a is not None and a == b for a, b in zip(got_a, got_b))
    n_expected = 4 * 3 * 5  # stories × pairs of outlets × facts
    assert right == n_expected  # every planted paraphrase found
    assert right == len(pairs)  # and nothing else (fillers stay alone)


def test_planted_substitutions_labels_evaluative_and_attribution(aligned_stories):
    table = substitution_table(aligned_stories.changes)
    tokens = table[table["kind"] == "substitution"]
    for row in planted_substitutions().itertuples():
        hit = tokens[(tokens["outlet_a"] == row.outlet_a) & (tokens["outlet_b"] == row.outlet_b)
                     & tokens["term_a"].str.contains(row.term_a.lower(), regex=False)
                     & tokens["term_b"].str.contains(row.term_b.lower(), regex=False)]
        assert hit["count"].sum() == 4, row  # once per story
    labels = label_table(aligned_stories.changes)
    host = labels[(labels["outlet_a"] == "Der Beobachter") & (labels["outlet_b"] == "Tagesspiegel Nord")]
    assert set(zip(host["label_a"], host["label_b"])) == {(WORDING["Der Beobachter"]["label"],
                                                           WORDING["Tagesspiegel Nord"]["label"])}
    assert host["count"].sum() == 4
    words = evaluative_table(aligned_stories.changes)
    assert set(words["outlet"]) == {"Der Beobachter"} and set(words["word"]) == {"umstrittene"}
    changes = aligned_stories.changes
    moved = oriented_changes(changes[changes["kind"] == "attribution"])
    # Abendpost writes the quotation as its own words; the two others quote it, attributed.
    assert set(moved["outlet_a"]) == {"Abendpost"} and set(moved["status_a"]) == {"unquoted"}
    assert moved["status_b"].str.startswith("attributed").all() and len(moved) == 4 * 2


def test_articles_and_passage_words(aligned_stories):
    articles = article_table(aligned_stories)
    assert (articles["sentences"] == 7).all() and (articles["aligned_sentences"] == 5).all()
    first = aligned_stories.pairs["pair"].iloc[0]
    words = passage_words(aligned_stories.pairs, [first])
    assert set(words["side"]) == {"a", "b"} and words["changed"].any() and not words["changed"].all()


def test_one_outlet_gives_no_pairs_and_figures_skip(tmp_path):
    from analysis.report.figures import render_figures

    corpus, _ = story_corpus(2)
    corpus = corpus[corpus["outlet"] == OUTLETS[0]]
    corpus.to_csv(tmp_path / "eine.csv", index=False)
    prepared = prepare_corpus(tmp_path / "eine.csv", cache=False, jobs=1, quiet=True)
    assert align_corpus(prepared, jobs=1).pairs.empty
    manifest = render_figures(prepared, tmp_path / "figs", formats=("png",), only=["aligned_passages", "substitutions"])
    assert manifest["skipped"].str.contains("two or more outlets").all()


# --------------------------------------------------------------------------- bundled and gold
def test_gold_files_fit_the_bundled_corpus(bundled):
    pairs, changes = read_gold()
    assert set(pairs["strength"]) == {"sure", "possible"} and set(changes["pair"]) <= set(pairs["pair"])
    result = validate_alignment(bundled)
    assert len(result["pairs"][result["pairs"]["gold"] != ""]) == len(pairs)  # every gold pair located


def test_similarities_equal_scikit_learn_tfidf(stories):
    # The reference: scikit-learn's own vectorizers fitted on the sentences of one story, as
    # the module docstring defines the two TF-IDF similarities.
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.align.passages import pair_scores

    prepared, _ = stories
    first, last = prepared.mention_tokens
    for story, part in prepared.metadata.groupby("story"):
        units = sentence_units(prepared.store, part["doc_id"].astype(str).tolist(), mention_first=first,
                               mention_last=last, mention_entities=prepared.mentions["entity"].astype(str).tolist())
        scores = pair_scores(units)
        lemma = TfidfVectorizer(analyzer=lambda keys: keys, sublinear_tf=True).fit_transform(units.keys)
        docs = [" ".join(f for f, k in zip(forms, keys) if not k.startswith("@") and not f[:1].isdigit())
                for forms, keys in zip(units.forms, units.keys)]
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(docs)
        np.testing.assert_allclose(scores["lemma"], (lemma @ lemma.T).toarray(), atol=1e-12)
        np.testing.assert_allclose(scores["chars"], (chars @ chars.T).toarray(), atol=1e-12)
        assert scores["chars"].max() > 0.99 and (scores["lemma"] < 1e-12).any()  # not all zero, not all one


def test_counts_of_many_stories_give_each_story_its_own_similarities(stories):
    # The counts of all stories at once, cut into each story's rows, must give the TF-IDF
    # similarities of scikit-learn fitted on that story alone (idf of the story, not the part).
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.align.passages import pair_scores, unit_counts

    prepared, _ = stories
    first, last = prepared.mention_tokens
    kw = dict(mention_first=first, mention_last=last, mention_entities=prepared.mentions["entity"].astype(str).tolist())
    groups = [part["doc_id"].astype(str).tolist() for _, part in prepared.metadata.groupby("story")]
    every = sentence_units(prepared.store, [d for g in groups for d in g], **kw)
    counts = unit_counts(every)
    lo = 0
    for doc_ids in groups:
        alone = sentence_units(prepared.store, doc_ids, **kw)
        hi = lo + len(alone)
        units = every.rows(lo, hi)
        assert units.table.equals(alone.table) and units.keys == alone.keys
        scores = pair_scores(units, counts=counts.rows(lo, hi))
        lemma = TfidfVectorizer(analyzer=lambda keys: keys, sublinear_tf=True).fit_transform(alone.keys)
        docs = [" ".join(f for f, k in zip(forms, keys) if not k.startswith("@") and not f[:1].isdigit())
                for forms, keys in zip(alone.forms, alone.keys)]
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(docs)
        np.testing.assert_allclose(scores["lemma"], (lemma @ lemma.T).toarray(), atol=1e-12)
        np.testing.assert_allclose(scores["chars"], (chars @ chars.T).toarray(), atol=1e-12)
        lo = hi
    assert lo == len(every) and len(groups) > 1


def test_char_ngrams_are_the_analysers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.align.passages import char_ngrams

    analyse = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    forms = ["a", "ab", "Abc", "Straße", "STRASSE", "Pjöngjang", "İstanbul", "zwei Wörter", "x", "Kim"]
    form, code = char_ngrams(forms)
    strings = [gram for text in forms for gram in analyse(text)]
    assert form.tolist() == [k for k, text in enumerate(forms) for _ in analyse(text)]
    # Occurrence by occurrence in the analyser's order; equal codes exactly where the strings are equal.
    assert len(set(zip(strings, code.tolist()))) == len(set(strings)) == len(set(code.tolist()))


def test_pair_scores_by_hand():
    assert pair_scores_against({(1, 1), (2, 2)}, {(1, 1)}, {(2, 2)})["precision"] == 1.0
    assert pair_scores_against({(1, 1)}, {(1, 1), (3, 3)}, set())["recall"] == 0.5


def test_bundled_alignment_finds_what_the_gold_says_it_can(bundled):
    result = align_corpus(bundled, jobs=1)
    pairs = set(zip(result.pairs["sentence_id_a"], result.pairs["sentence_id_b"]))
    # The Uschakow sentences (gold p26) and the first visit in 24 years (p06) share their words.
    assert (16, 11) in pairs and (2, 3) in pairs
    labels = label_table(result.changes)
    # The same person in the same fact, labelled differently: A's label of the leaders against B's.
    assert len(labels[(labels["label_a"].isin(["Staatsoberhaupt", "Staats- und Regierungschefs", "Führer",
                                               "Präsident"]))
                      & labels["label_b"].isin(["Diktator", "Autokrat", "Kontrahent", "Gegner", "Kremlchef",
                                                "Machthaber", "Staatschef"])]) > 0
    attribution = result.changes[result.changes["kind"] == "attribution"]
    assert attribution["term_a"].str.contains("Teeservice").any()  # gold p26: quoted in A, indirect in B


def test_align_command_writes_its_tables(tmp_path, stories, capsys):
    path = tmp_path / "geschichten.csv"
    write_stories(path, 2)
    assert main(["align", "--corpus", str(path), "--story", "story", "--out", str(tmp_path / "out"), "--no-cache",
                 "--jobs", "1", "--quiet"]) == 0
    for name in ("stories", "pairs", "changes", "substitutions", "labels", "evaluative", "articles", "ledger"):
        assert (tmp_path / "out" / f"{name}.csv").is_file()
    assert "2 stories (2 with two or more outlets), 30 aligned sentence pairs" in capsys.readouterr().out
    assert main(["align", "--corpus", str(path), "--story", "keine", "--out", str(tmp_path / "x"), "--no-cache",
                 "--jobs", "1", "--quiet"]) == 2


def test_validate_align_command(capsys):
    assert main(["validate-align"]) == 0
    out = capsys.readouterr().out
    assert "sentence pairs" in out and "precision" in out
