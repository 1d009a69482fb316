"""Labels and their attribution: acceptance on the bundled corpus and one small text per rule."""

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.clean import clean_corpus  # noqa: E402
from analysis.io.corpus import load_bundled_corpus  # noqa: E402
from analysis.framing.entities import find_mentions, load_registry  # noqa: E402
from analysis.errors import LexiconError, ParameterError  # noqa: E402
from analysis.framing.labels import (  # noqa: E402
    ATTRIBUTION_COLUMNS,
    OCCURRENCE_COLUMNS,
    RULES,
    UNATTRIBUTED_COLUMNS,
    attribute_labels,
    find_labels,
    label_shares,
    load_labels,
    wilson_interval,
)
from analysis.plots.label_shares import plot_label_shares  # noqa: E402
from analysis.plots.style import outlet_colors  # noqa: E402
from analysis.text import tokenize  # noqa: E402

AFP = "000_f72946cf7d7e84f3"
CNN = "001_06388abdcad2d3b3"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def lexicon():
    return load_labels()


@pytest.fixture(scope="module")
def bundled(registry, lexicon):
    documents, _ = clean_corpus(load_bundled_corpus())
    tokens = tokenize(documents, stems=False)
    attributions, unattributed = attribute_labels(documents, registry, lexicon, tokens=tokens)
    return documents, tokens, attributions, unattributed


def _docs(*texts):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "outlet": "X", "text": list(texts)})


def _attribute(text, registry, lexicon):
    return attribute_labels(_docs(text), registry, lexicon)


def _who(attributions, doc, phrase, label=None, *, documents=None):
    """Persons a label occurrence inside the first occurrence of ``phrase`` is attributed to."""
    text = documents.set_index("doc_id")["text"][doc] if documents is not None else None
    start = text.index(phrase)
    rows = attributions[(attributions["doc_id"] == doc) & (attributions["start"] >= start)
                        & (attributions["end"] <= start + len(phrase))]
    if label is not None:
        rows = rows[rows["label"] == label]
    return set(rows["person"])


def _assert_identity(documents, tokens, attributions, unattributed, lexicon):
    occurrences = find_labels(documents, lexicon, tokens=tokens)
    keys = attributions[["doc_id", "start", "end"]].drop_duplicates()
    assert len(keys) + len(unattributed) == len(occurrences)
    both = pd.concat([keys, unattributed[["doc_id", "start", "end"]]]).sort_values(["doc_id", "start"])
    expected = occurrences[["doc_id", "start", "end"]].sort_values(["doc_id", "start"])
    assert both.reset_index(drop=True).equals(expected.reset_index(drop=True))


# ---------------------------------------------------------------------------------- lexicon
def test_lexicon(lexicon):
    names = {lab.label for lab in lexicon}
    assert {"Präsident", "Staatschef", "Staatsoberhaupt", "Kremlchef", "Machthaber", "Führer", "Diktator",
            "Autokrat", "Regime", "Gastgeber", "Kontrahent", "Gegner", "Staats- und Regierungschefs", "Berater",
            "Regierungschef", "Despot", "Tyrann", "Herrscher", "Amtskollege", "Partner", "Verbündeter",
            "Freund"} <= names
    assert {lab.category for lab in lexicon} == {"official", "delegitimising", "relational", "descriptive"}
    docs = _docs("Diktatoren, des Diktators, Staatsoberhäupter, Machthabern, die Kontrahenten, Präsidentschaft, "
                 "verbündeten Truppen, Kriegsgegner, Partnerschaft, der Staats- und Regierungschefs.")
    found = find_labels(docs, lexicon)
    assert list(found.columns) == list(OCCURRENCE_COLUMNS)
    assert found["form"].tolist() == ["Diktatoren", "Diktators", "Staatsoberhäupter", "Machthabern", "Kontrahenten",
                                      "Staats- und Regierungschefs"]


# ---------------------------------------------------------------------------------- acceptance
def test_cnn_acceptance(bundled):
    documents, _, att, _ = bundled
    who = lambda phrase, label=None: _who(att, CNN, phrase, label, documents=documents)  # noqa: E731
    assert who("die beiden Diktatoren") == {"Putin", "Kim"}
    assert who("Die beiden Autokraten") == {"Putin", "Kim"}
    assert who("der Kremlchef") == {"Putin"}
    assert who("der russische Staatschef") == {"Putin"}
    assert who("der nordkoreanische Machthaber Kim Jong Un") == {"Kim"}
    assert who("seinem Kontrahenten") == {"Kim"}
    assert who("seinem Gegner") == {"Kim"}
    assert who("Der ehemalige südkoreanische Präsident Moon Jae-in") == {"Moon"}
    moon = att[(att["doc_id"] == CNN) & (att["person"] == "Moon")]
    assert moon[["form", "rule"]].values.tolist() == [["Präsident", "apposition"]]
    assert not ((att["doc_id"] == CNN) & (att["start"] == moon["start"].iloc[0]) & (att["person"] == "Putin")).any()
    assert who("Der russische Präsident Wladimir Putin") == {"Putin"}
    assert who("die beiden Führer") == {"Putin", "Kim"}
    assert who("Russischer Führer") == {"Putin"}
    assert who("des Kim-Regimes") == {"Kim"}
    assert who("Putins Berater Juri Uschakow") == {"Uschakow"}


def test_afp_acceptance(bundled):
    documents, _, att, _ = bundled
    who = lambda phrase, label=None: _who(att, AFP, phrase, label, documents=documents)  # noqa: E731
    assert who("dem nordkoreanischen Machthaber Kim Jong Un") == {"Kim"}
    assert who("der nordkoreanische Führer") == {"Kim"}
    assert who("das russische Staatsoberhaupt") == {"Putin"}
    assert who("der Staatsoberhäupter") == {"Putin", "Kim"}
    assert who("Sogar die Staats- und Regierungschefs") == {"Putin", "Kim"}
    assert who("Treffen der Staats- und Regierungschefs") == {"Putin", "Kim"}
    assert who("Nordkoreas Präsident") == {"Kim"}
    assert who("Der Präsident Russlands") == {"Putin"}
    assert who("dem russischen Präsidenten Wladimir Putin") == {"Putin"}
    assert who("sein Gastgeber Kim Jong Un") == {"Kim"}
    assert who("Juri Uschakow, Putins leitendem Berater") == {"Uschakow"}
    assert who("Nordkoreas „besten Freund“") == {"Putin"}
    afp = att[att["doc_id"] == AFP]
    fuehrer = afp[afp["label"] == "Führer"]
    assert len(fuehrer) == 4 and set(fuehrer["person"]) == {"Kim"}


def test_bundled_rules_and_unattributed(bundled, lexicon):
    documents, tokens, att, rest = bundled
    assert list(att.columns) == list(ATTRIBUTION_COLUMNS)
    assert list(rest.columns) == list(UNATTRIBUTED_COLUMNS)
    assert set(att["rule"]) == set(RULES)
    texts = documents.set_index("doc_id")["text"]
    for row in pd.concat([att, rest]).itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.form
    # Bare plurals are left open, with their sentences: "als „beste Freunde“" (the two leaders, but
    # indefinite), "Verbündete" (Moskau und Pjöngjang), "mit Verbündeten" (third parties).
    assert rest["form"].tolist() == ["Freunde", "Verbündete", "Verbündeten"]
    assert all(row.form in row.sentence for row in rest.itertuples())
    assert rest["sentence"].iloc[2].startswith("Nach seinem Besuch in Nordkorea")
    _assert_identity(documents, tokens, att, rest, lexicon)
    # Every plural row comes in pairs for the two principals.
    plural = att[att["rule"] == "plural"].groupby(["doc_id", "start"])["person"].apply(frozenset)
    assert set(plural) == {frozenset({"Putin", "Kim"})}
    # Supplying mentions gives the same answer.
    mentions = find_mentions(documents, load_registry(), tokens=tokens)
    again, _ = attribute_labels(documents, load_registry(), lexicon, tokens=tokens, mentions=mentions)
    pd.testing.assert_frame_equal(again, att)


# ---------------------------------------------------------------------------------- one rule each
def _rows(attributions):
    return attributions[["form", "person", "rule"]].values.tolist()


def test_apposition(registry, lexicon):
    att, rest = _attribute(
        "Der nordkoreanische Machthaber Kim Jong Un begrüßte dem russischen Präsidenten Wladimir Putin. "
        "Putins Berater Juri Uschakow lächelte. Es sprach Juri Uschakow, Putins leitender Berater, mit Kim. "
        "Die Präsidenten Putin und Kim lachten.", registry, lexicon)
    assert _rows(att) == [
        ["Machthaber", "Kim", "apposition"], ["Präsidenten", "Putin", "apposition"],
        ["Berater", "Uschakow", "apposition"], ["Berater", "Uschakow", "apposition"],
        ["Präsidenten", "Putin", "apposition"], ["Präsidenten", "Kim", "apposition"],
    ]
    assert rest.empty


def test_apposition_guards(registry, lexicon):
    # A genitive is the owner, not the apposition; the Kremlchef is not Kim; a Russian is not Moon.
    att, rest = _attribute("Der Berater Putins sprach mit Kim. Dann gab der Kremlchef Kim ein Auto. "
                           "Der russische Präsident Moon Jae-in ist falsch.", registry, lexicon)
    assert _rows(att) == [["Kremlchef", "Putin", "implied"], ["Präsident", "Putin", "country_adjective"]]
    assert rest["form"].tolist() == ["Berater"]


def test_country_genitive(registry, lexicon):
    att, _ = _attribute("Putin traf Kim. Nordkoreas Präsident lachte, der Präsident Russlands auch.", registry, lexicon)
    assert _rows(att) == [["Präsident", "Kim", "country_genitive"], ["Präsident", "Putin", "country_genitive"]]


def test_country_adjective(registry, lexicon):
    att, rest = _attribute(
        "Putin traf Kim und Moon Jae-in. Der russische Staatschef, das russische Staatsoberhaupt und der "
        "nordkoreanische Führer lachten. Der ehemalige südkoreanische Präsident schwieg. "
        "Der ukrainische Präsident fehlte.", registry, lexicon)
    assert _rows(att) == [
        ["Staatschef", "Putin", "country_adjective"], ["Staatsoberhaupt", "Putin", "country_adjective"],
        ["Führer", "Kim", "country_adjective"], ["Präsident", "Moon", "country_adjective"],
    ]
    assert rest["form"].tolist() == ["Präsident"]  # no Ukrainian in the registry


def test_country_needs_a_mentioned_person(registry, lexicon):
    att, rest = _attribute("Putin kam an. Der südkoreanische Präsident schwieg.", registry, lexicon)
    assert att.empty and rest["form"].tolist() == ["Präsident"]


def test_implied(registry, lexicon):
    att, _ = _attribute("Der Kremlchef kam. Der Kremlherr ging. Das Putin-Regime und das Kim-Regime.", registry, lexicon)
    assert _rows(att) == [
        ["Kremlchef", "Putin", "implied"], ["Kremlherr", "Putin", "implied"],
        ["Putin-Regime", "Putin", "implied"], ["Kim-Regime", "Kim", "implied"],
    ]


def test_plural(registry, lexicon):
    text = ("Putin traf Kim. Putin lachte. Uschakow kam. Die beiden Diktatoren fuhren. Die Staatsoberhäupter "
            "sprachen mit den Staats- und Regierungschefs. Die beiden Führer gingen. Viele Diktatoren schwiegen. "
            "Ihre Berater schwiegen. Diktatoren lieben Limousinen.")
    att, rest = _attribute(text, registry, lexicon)
    pairs = att.groupby("form")["person"].apply(set).to_dict()
    assert pairs == {"Diktatoren": {"Putin", "Kim"}, "Staatsoberhäupter": {"Putin", "Kim"},
                     "Staats- und Regierungschefs": {"Putin", "Kim"}, "Führer": {"Putin", "Kim"}}
    assert set(att["rule"]) == {"plural"}
    # "Viele Diktatoren" are not the principals, "Ihre Berater" belong to someone, a bare plural is generic.
    assert rest["form"].tolist() == ["Diktatoren", "Berater", "Diktatoren"]


def test_plural_needs_two_persons(registry, lexicon):
    att, rest = _attribute("Putin kam. Die beiden Diktatoren lachten.", registry, lexicon)
    assert att.empty and len(rest) == 1


def test_relational(registry, lexicon):
    text = ("Laut Staatsmedien überreichte Putin Kim am Mittwoch ein Auto – das zweite Mal, dass der Kremlchef "
            "das Automodell seinem Kontrahenten überreichte. Zuvor dankte Kim, dass Putin seinem Gegner half. "
            "Kim nannte Putin Nordkoreas „besten Freund“. Putins Partner lachte. Der Gastgeber schwieg.")
    att, rest = _attribute(text, registry, lexicon)
    relational = att[att["rule"] == "relational"]
    assert _rows(relational) == [
        ["Kontrahenten", "Kim", "relational"], ["Gegner", "Kim", "relational"],
        ["Freund", "Putin", "relational"], ["Partner", "Kim", "relational"],
    ]
    assert rest["form"].tolist() == ["Gastgeber"]


def test_count_identity_on_small_texts(registry, lexicon):
    documents = _docs("Putin traf Kim. Die Diktatoren und ein Despot. Mit Verbündeten und Partnern.",
                      "Keine Person, aber ein Tyrann und das Mullah-Regime.", "Gar kein Etikett.")
    tokens = tokenize(documents)
    att, rest = attribute_labels(documents, registry, lexicon, tokens=tokens)
    _assert_identity(documents, tokens, att, rest, lexicon)
    assert rest["form"].tolist() == ["Despot", "Verbündeten", "Partnern", "Tyrann", "Mullah-Regime"]
    assert att["form"].tolist() == ["Diktatoren", "Diktatoren"]


def test_attribute_errors(registry, lexicon):
    docs = _docs("Putin kam.")
    with pytest.raises(ParameterError):
        attribute_labels(docs, registry, lexicon, tokens=tokenize(docs, lemmas=False).drop(columns="lemma"))
    with pytest.raises(ParameterError, match="mention"):
        attribute_labels(docs, registry, lexicon,
                         mentions=pd.DataFrame({"doc_id": ["d0"], "start": [1], "end": [3], "entity": ["Putin"]}))
    with pytest.raises(ParameterError):
        attribute_labels(docs, registry, "not a lexicon object".split())


# ---------------------------------------------------------------------------------- lexicon errors
@pytest.mark.parametrize(
    "text, words",
    [
        ("labels:\n  - {label: Diktator, category: bad, lemmas: [Diktator]\n", ["YAML"]),
        ("labels: !!python/object/apply:os.system ['echo hacked']\n", ["YAML", "python"]),
        ("labels:\n  - {label: Diktator, lemmas: [Diktator]}\n", ["'Diktator'", "'category'", "missing"]),
        ("labels:\n  - {label: Diktator, category: evil, lemmas: [Diktator]}\n", ["'Diktator'", "'category'"]),
        ("labels:\n  - {label: Diktator, category: official}\n", ["'Diktator'", "'lemmas'", "'forms'"]),
        ("labels:\n  - {label: Diktator, category: official, forms: [Diktator], colour: red}\n", ["'colour'"]),
    ],
)
def test_lexicon_errors_name_the_file(tmp_path, text, words):
    path = tmp_path / "labels.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_labels(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word.lower() in message.lower()


# ---------------------------------------------------------------------------------- shares and figure
def test_wilson_interval():
    low, high = wilson_interval([0, 3, 10], [10, 10, 10])
    assert low[0] == 0 and high[2] == 1
    np.testing.assert_allclose([low[1], high[1]], [0.10779, 0.60322], atol=1e-5)
    with pytest.raises(ParameterError):
        wilson_interval([1], [2], level=1.5)


def test_label_shares(bundled):
    documents, _, att, _ = bundled
    shares = label_shares(att, documents)
    assert list(shares.columns) == ["outlet", "person", "label", "n", "n_person", "share", "ci_low", "ci_high"]
    sums = shares.groupby(["outlet", "person"])["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    kim_cnn = shares[(shares["outlet"] == "CNN-based") & (shares["person"] == "Kim")].set_index("label")
    assert kim_cnn.loc["Machthaber", "n"] == 1 and kim_cnn.loc["Machthaber", "n_person"] == 8
    assert kim_cnn.loc["Gastgeber", "n"] == 0  # used for Kim only in the AFP-based text
    assert (shares["ci_low"] <= shares["share"]).all() and (shares["share"] <= shares["ci_high"]).all()
    narrow = label_shares(att, documents, level=0.5)
    assert ((narrow["ci_high"] - narrow["ci_low"]) <= (shares["ci_high"] - shares["ci_low"]) + 1e-12).all()
    with pytest.raises(ParameterError):
        label_shares(att, documents, group="publisher_x")
    with pytest.raises(ParameterError):
        label_shares(att, documents, level=0)


def test_plot_label_shares(bundled):
    documents, _, att, _ = bundled
    shares = label_shares(att, documents)
    colors = outlet_colors(documents["outlet"])
    fig = plot_label_shares(shares, colors=colors, persons=["Putin", "Kim"])
    try:
        titled = [ax for ax in fig.axes if ax.get_title(loc="left")]
        assert [ax.get_title(loc="left") for ax in titled] == ["Putin", "Kim"]
        ticks = {t.get_text() for t in titled[1].get_yticklabels()}
        assert {"Machthaber", "Führer", "Diktator"} <= ticks
        point_colors = {matplotlib.colors.to_hex(line.get_color()) for ax in titled for line in ax.get_lines()}
        assert point_colors == {colors["AFP-based"].lower(), colors["CNN-based"].lower()}
        assert "share" in titled[-1].get_xlabel()
    finally:
        plt.close(fig)
    with pytest.raises(ParameterError):
        plot_label_shares(shares, persons=["Merkel"])
    with pytest.raises(ParameterError):
        plot_label_shares(shares.drop(columns="ci_low"))
