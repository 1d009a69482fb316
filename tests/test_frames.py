"""Frame indicators: matches counted by hand, rates, samples, precision, starter dictionary, heatmap."""

import doctest

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import analysis.framing.frames as frames_module
import analysis.plots.frame_heatmap as frames_plot_module
from analysis.clean import clean_corpus
from analysis.io.corpus import load_bundled_corpus
from analysis.framing.dictionary import dictionary_from_dict
from analysis.errors import ParameterError
from analysis.framing.frames import (
    MATCH_COLUMNS,
    GENERIC_DICTIONARY_PATH,
    frame_rates,
    load_generic_dictionary,
    load_starter_dictionary,
    match_dictionary,
    precision_from_judgements,
    sample_matches,
)
from analysis.plots.frame_heatmap import plot_frame_heatmap
from analysis.text import tokenize

AFP = "000_f72946cf7d7e84f3"
CNN = "001_06388abdcad2d3b3"

TEXT_A = (
    "Die beiden Diktatoren lächelten. Der Präsident nannte ihn seinen „besten Freund“. "
    "Die Staats- und Regierungschefs sprachen 2024 über Waffen und Krieg."
)
TEXT_B = "Der Machthaber fuhr eine Limousine. Kein Lächeln, keine Geschenke – nur Sanktionen."
TEXT_C = "Nichts davon."
CATEGORIES = ["delegitimising", "official", "warmth", "threat", "luxury", "unicorns", "persons"]


@pytest.fixture(scope="module")
def small():
    documents = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"], "text": [TEXT_A, TEXT_B, TEXT_C]}
    )
    dictionary = dictionary_from_dict(
        {
            "delegitimising": ["Diktator*", "Machthaber*"],
            "official": ["Präsident*", "Staats- und Regierungschef*", "Regierungschef*"],
            "warmth": ["beste* Freund*", "Freund", "lächel*"],
            "threat": ["Waffe*", {"regex": "^krieg"}],
            "luxury": ["Limousine*", {"glob": "Geschenk*", "weight": 2}],
            "unicorns": ["Einhorn*"],
            "persons": [{"lemma": "Präsident"}, {"fixed": "Machthaber"}],
        },
        name="test",
    )
    tokens = tokenize(documents)
    return documents, dictionary, tokens, match_dictionary(documents, dictionary, tokens=tokens)


@pytest.fixture(scope="module")
def bundled():
    documents, _ = clean_corpus(load_bundled_corpus())
    tokens = tokenize(documents)
    return documents, tokens, match_dictionary(documents, load_starter_dictionary(), tokens=tokens)


def test_doctests():
    assert doctest.testmod(frames_module).failed == 0
    assert doctest.testmod(frames_plot_module).failed == 0
    plt.close("all")


# ---------------------------------------------------------------------------------- matching
def test_matches_counted_by_hand(small):
    documents, _, _, matches = small
    assert list(matches.columns) == list(MATCH_COLUMNS)
    got = matches.groupby(["doc_id", "category"], observed=True).size().to_dict()
    assert got == {
        ("a", "delegitimising"): 1,  # Diktatoren
        ("a", "official"): 2,  # Präsident; Staats- und Regierungschefs (once, not also Regierungschefs)
        ("a", "warmth"): 2,  # lächelten; besten Freund (once, not also Freund)
        ("a", "threat"): 2,  # Waffen, Krieg
        ("a", "persons"): 1,  # Präsident (also counted under official)
        ("b", "delegitimising"): 1,  # Machthaber
        ("b", "warmth"): 1,  # Lächeln
        ("b", "luxury"): 2,  # Limousine, Geschenke
        ("b", "persons"): 1,  # Machthaber (also counted under delegitimising)
    }
    rows = matches.set_index(["doc_id", "category", "pattern"])["match"]
    assert rows[("a", "official", "Staats- und Regierungschef*")] == "Staats- und Regierungschefs"
    assert rows[("a", "warmth", "beste* Freund*")] == "besten Freund"
    assert rows[("b", "warmth", "lächel*")] == "Lächeln"
    texts = documents.set_index("doc_id")["text"]
    for row in matches.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.match
    assert list(matches["category"].cat.categories) == CATEGORIES
    assert matches.loc[matches["pattern"] == "Geschenk*", "weight"].tolist() == [2.0]


def test_matches_in_document_order(small):
    matches = small[3]
    keys = list(zip(matches["doc_id"], matches["start"]))
    assert keys == sorted(keys)


def test_tokenizing_inside_gives_the_same_matches(small):
    documents, dictionary, _, matches = small
    pd.testing.assert_frame_equal(match_dictionary(documents, dictionary), matches)


def test_multiword_pattern_does_not_cross_sentences():
    documents = pd.DataFrame({"doc_id": ["d"], "text": ["Er war der beste. Freunde kamen."]})
    d = dictionary_from_dict({"warmth": ["beste* Freund*"]})
    assert match_dictionary(documents, d).empty


def test_no_match_gives_an_empty_table_with_the_columns():
    documents = pd.DataFrame({"doc_id": ["d"], "text": ["Nichts."]})
    result = match_dictionary(documents, dictionary_from_dict({"a": ["Einhorn*"]}))
    assert result.empty and list(result.columns) == list(MATCH_COLUMNS)
    assert list(result["category"].cat.categories) == ["a"]


def test_match_dictionary_needs_a_dictionary(small):
    with pytest.raises(ParameterError):
        match_dictionary(small[0], {"a": ["x"]})


# ---------------------------------------------------------------------------------- rates
def test_frame_rates_by_hand(small):
    documents, _, tokens, matches = small
    rates = frame_rates(matches, documents, tokens)
    assert list(rates.columns) == ["outlet", "category", "n", "running_words", "rate"]
    # Every outlet × category, zeros included: 2 × 7 rows.
    assert len(rates) == 14
    table = rates.set_index(["outlet", "category"])
    # X: documents a (21 running words: 20 words + the number 2024) and c (2 words).
    # Y: document b (11 words; the dash and the commas do not count).
    assert (table.xs("X")["running_words"] == 23).all()
    assert (table.xs("Y")["running_words"] == 11).all()
    expected_n = {
        ("X", "delegitimising"): 1, ("X", "official"): 2, ("X", "warmth"): 2, ("X", "threat"): 2,
        ("X", "luxury"): 0, ("X", "unicorns"): 0, ("X", "persons"): 1,
        ("Y", "delegitimising"): 1, ("Y", "official"): 0, ("Y", "warmth"): 1, ("Y", "threat"): 0,
        ("Y", "luxury"): 2, ("Y", "unicorns"): 0, ("Y", "persons"): 1,
    }
    assert table["n"].to_dict() == expected_n
    assert table.loc[("X", "official"), "rate"] == pytest.approx(86.956521739)  # 2 / 23 * 1000
    assert table.loc[("X", "delegitimising"), "rate"] == pytest.approx(43.478260870)  # 1 / 23 * 1000
    assert table.loc[("Y", "luxury"), "rate"] == pytest.approx(181.818181818)  # 2 / 11 * 1000
    assert table.loc[("Y", "unicorns"), "rate"] == 0.0
    assert rates["category"].tolist()[:7] == CATEGORIES


def test_frame_rates_per_and_weights(small):
    documents, _, tokens, matches = small
    table = frame_rates(matches, documents, tokens, per=100, weighted=True).set_index(["outlet", "category"])
    # Limousine (weight 1) + Geschenke (weight 2) = 3 per 11 words.
    assert table.loc[("Y", "luxury"), "n"] == 3.0
    assert table.loc[("Y", "luxury"), "rate"] == pytest.approx(27.272727273)


def test_frame_rates_with_no_matches_keeps_the_zero_rows(small):
    documents, _, tokens, matches = small
    rates = frame_rates(matches.iloc[:0], documents, tokens)
    assert len(rates) == 14 and (rates["n"] == 0).all() and (rates["rate"] == 0).all()


def test_frame_rates_rejects_bad_input(small):
    documents, _, tokens, matches = small
    with pytest.raises(ParameterError):
        frame_rates(matches, documents, tokens, per=0)
    with pytest.raises(ParameterError):
        frame_rates(matches, documents, tokens, group="publisher")
    with pytest.raises(ParameterError, match="doc_ids not in the documents"):
        frame_rates(matches, documents[documents["doc_id"] != "b"], tokens)


# ---------------------------------------------------------------------------------- samples and precision
def test_sample_is_deterministic_and_at_most_n_per_category(bundled):
    documents, tokens, matches = bundled
    first = sample_matches(matches, documents, n=3, seed=7, tokens=tokens)
    again = sample_matches(matches, documents, n=3, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == ["category", "doc_id", "outlet", "left", "match", "right", "pattern", "judgement"]
    sizes = first.groupby("category").size()
    available = matches.groupby("category", observed=True).size()
    for category, size in sizes.items():
        assert size == min(3, available[category])
    assert (first["judgement"] == "").all()
    other = sample_matches(matches, documents, n=3, seed=8, tokens=tokens)
    assert not other[["doc_id", "match", "left"]].equals(first[["doc_id", "match", "left"]])


def test_sample_lines_are_kwic_lines(small):
    documents, _, tokens, matches = small
    sample = sample_matches(matches, documents, n=10, window=2, tokens=tokens)
    assert len(sample) == len(matches)  # fewer than n everywhere: every match
    row = sample[(sample["category"] == "warmth") & (sample["doc_id"] == "a") & (sample["match"] == "besten Freund")]
    assert row[["left", "right"]].values.tolist() == [["ihn seinen „", "“. Die Staats-"]]


def test_precision_against_hand_computed_wilson_interval():
    sample = pd.DataFrame(
        {
            "category": ["a"] * 10 + ["b"] * 3 + ["c"],
            "judgement": ["correct"] * 7 + ["incorrect", "Incorrect ", ""] + ["correct"] * 3 + [None],
        }
    )
    result = precision_from_judgements(sample).set_index("category")
    # a: 7 of 9 judged. p = 0.7778, z = 1.96:
    # centre = (p + z²/18) / (1 + z²/9) = 0.99119 / 1.42683 = 0.69468
    # half = z · sqrt(p(1-p)/9 + z²/324) / 1.42683 = 0.24209
    assert result.loc["a", ["judged", "correct", "unjudged"]].tolist() == [9, 7, 1]
    assert result.loc["a", "precision"] == pytest.approx(7 / 9)
    assert result.loc["a", "ci_low"] == pytest.approx(0.452589, abs=1e-5)
    assert result.loc["a", "ci_high"] == pytest.approx(0.936775, abs=1e-5)
    # b: 3 of 3: the interval runs from n / (n + z²) = 3 / 6.8415 = 0.43850 to 1.
    assert result.loc["b", "ci_low"] == pytest.approx(0.438503, abs=1e-5)
    assert result.loc["b", "ci_high"] == 1.0
    # c: nothing judged.
    assert result.loc["c", "judged"] == 0 and pd.isna(result.loc["c", "precision"])


def test_precision_names_the_row_of_an_unreadable_judgement():
    sample = pd.DataFrame({"category": ["a", "a"], "judgement": ["correct", "vielleicht"]})
    with pytest.raises(ParameterError, match="row 1"):
        precision_from_judgements(sample)


# ---------------------------------------------------------------------------------- starter dictionary
def test_starter_dictionary_loads():
    d = load_starter_dictionary()
    assert d.name == "frames_summit"
    assert "kein validiertes Instrument" in d.description
    for category in ("delegitimising_labels", "official_labels", "friendship_warmth", "military_threat",
                     "luxury_spectacle", "isolation_secrecy"):
        assert d.categories[category]


def test_starter_dictionary_on_the_bundled_corpus(bundled):
    documents, _, matches = bundled
    cnn = matches[(matches["doc_id"] == CNN) & (matches["category"] == "delegitimising_labels")]
    assert {"Diktatoren", "Autokraten"} <= set(cnn["match"])
    afp = matches[(matches["doc_id"] == AFP) & (matches["category"] == "friendship_warmth")]
    assert "beste Freunde" in set(afp["match"])
    # Every category hits in both outlets.
    assert (matches.groupby(["category", "doc_id"], observed=True).size().unstack().notna()).all().all()
    # Known false positives stay out: the ceremony's Militärkapelle is no military threat.
    threat = matches[matches["category"] == "military_threat"]["match"]
    assert "Militärkapelle" not in set(threat)
    official = matches[(matches["category"] == "official_labels") & (matches["doc_id"] == AFP)]["match"]
    assert "Staats- und Regierungschefs" in set(official) and "Regierungschefs" not in set(official)


# ---------------------------------------------------------------------------------- generic frames
GENERIC = ["conflict", "human_interest", "economic_consequences", "morality", "responsibility"]


def _generic_matches(text, category):
    documents = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    matches = match_dictionary(documents, load_generic_dictionary())
    return matches.loc[matches["category"] == category, "match"].tolist()


def test_generic_dictionary_loads():
    d = load_generic_dictionary()
    assert d.name == "frames_generic" and GENERIC_DICTIONARY_PATH.name == "frames_generic.yml"
    assert list(d.categories) == GENERIC
    assert all(len(d.categories[c]) >= 20 for c in GENERIC)
    for words in ("Semetko", "Valkenburg", "(2000)", "Journal of Communication", "50(2), 93–109",
                  "nicht validierte", "Ausgangspunkt", "in Angriff nehmen"):
        assert words in d.description, words


@pytest.mark.parametrize(
    "category, text, expected",
    [
        ("conflict", "Im Koalitionsstreit kritisierte die Opposition den Kanzler scharf, der Konflikt eskalierte.",
         ["Koalitionsstreit", "kritisierte", "Konflikt", "eskalierte"]),
        ("human_interest", "Die Familie des Opfers trauert, die Kinder weinten am Grab.",
         ["Familie", "Opfers", "trauert", "Kinder", "weinten"]),
        ("economic_consequences",
         "Die Sanktionen kosten Arbeitsplätze, die Preise steigen und der Haushalt braucht Milliarden.",
         ["kosten", "Arbeitsplätze", "Preise", "Haushalt", "Milliarden"]),
        ("morality", "Der Bischof sprach von Gottes Gebot, von Schuld und Sünde und der Würde des Menschen.",
         ["Gottes", "Sünde", "Würde des Menschen"]),
        # "muss handeln" overlaps "Bundesregierung muss" and is counted once, as the earlier span.
        ("responsibility", "Die Bundesregierung muss handeln, sagte sie: Verantwortlich seien die Behörden, "
         "eine Lösung fehle.", ["Bundesregierung muss", "Verantwortlich", "Lösung"]),
    ],
)
def test_generic_frames_match_hand_made_sentences(category, text, expected):
    assert _generic_matches(text, category) == expected


@pytest.mark.parametrize(
    "category, text",
    [
        # Armed forces and denying are no quarrel.
        ("conflict", "Die Streitkräfte marschierten, er bestritt nichts."),
        # "leider", "es tut mir leid", a minister's title and a benefit are no personal fates.
        ("human_interest", "Leider tut es mir leid, sagte die Familienministerin zum Kindergeld."),
        # "handeln" is to act, "am Steuer" the wheel, "Millionen Menschen" no money, "unternehmen" the verb.
        ("economic_consequences",
         "Wir müssen handeln, sagte er am Steuer; Millionen Menschen wollen etwas unternehmen."),
        # "glaube" is to think, "gewissen" certain, "würde" would; Gottschalk is a name.
        ("morality", "Ich glaube, in gewissen Fällen würde Thomas Gottschalk helfen."),
        # Debts are economic, not blame.
        ("responsibility", "Die Schulden der Stadt wachsen."),
    ],
)
def test_generic_frames_leave_out_false_friends(category, text):
    assert _generic_matches(text, category) == []


def test_generic_frames_known_limits():
    # Documented false positive: "in Angriff nehmen" (to tackle) still counts as conflict.
    assert _generic_matches("Sie will das Problem in Angriff nehmen.", "conflict") == ["Angriff"]
    assert _generic_matches("Die Schulden der Stadt wachsen.", "economic_consequences") == ["Schulden"]


# ---------------------------------------------------------------------------------- heatmap
def test_heatmap_has_one_cell_per_category_and_outlet(small):
    documents, _, tokens, matches = small
    rates = frame_rates(matches, documents, tokens)
    fig = plot_frame_heatmap(rates)
    ax = fig.axes[0]
    assert ax.images[0].get_array().shape == (7, 2)
    assert len(ax.texts) == 14
    assert [t.get_text() for t in ax.get_xticklabels()] == ["X", "Y"]
    assert ax.get_yticklabels()[0].get_text() == "delegitimising"
    assert "(n = 2)" in {t.get_text().split("\n")[1] for t in ax.texts}
    assert ax.images[0].get_cmap().name == "cividis"
    plt.close(fig)


def test_heatmap_rejects_duplicates(small):
    documents, _, tokens, matches = small
    rates = frame_rates(matches, documents, tokens)
    with pytest.raises(ParameterError):
        plot_frame_heatmap(pd.concat([rates, rates]))
