"""Labels and their attribution: acceptance on the bundled corpus and one small text per rule."""

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.clean import clean_corpus  # noqa: E402
from analysis.io.corpus import load_bundled_corpus  # noqa: E402
from analysis.framing.entities import find_mentions, lexicon_path, load_registry, registry_from_dict  # noqa: E402
from analysis.errors import LexiconError, ParameterError  # noqa: E402
from analysis.framing.labels import (  # noqa: E402
    labels_from_dict,
    ATTRIBUTION_COLUMNS,
    LABEL_CATEGORIES,
    OCCURRENCE_COLUMNS,
    RULES,
    UNATTRIBUTED_COLUMNS,
    UNATTRIBUTED_REASONS,
    attribute_labels,
    find_labels,
    label_shares,
    load_german_news_labels,
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
    assert both.values.tolist() == expected.values.tolist()


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
    # And one definite plural stays open by the precision rule of rule 5: in the CNN-based text
    # "zwischen den Staats- und Regierungschefs" (official) means the two leaders, but that text
    # never gives Kim an official label in the singular (only "Machthaber", "Kim-Regime").
    assert rest["form"].tolist() == ["Freunde", "Verbündete", "Staats- und Regierungschefs", "Verbündeten"]
    assert rest["reason"].tolist() == ["indefinite_plural", "no_rule", "unshared_plural", "no_rule"]
    assert all(row.form in row.sentence for row in rest.itertuples())
    assert rest["sentence"].iloc[3].startswith("Nach seinem Besuch in Nordkorea")
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
    # Both are given an official label in the singular, so the official plurals are theirs.
    text = ("Putin traf Kim. Der russische Präsident lachte. Nordkoreas Staatschef nickte. Uschakow kam. "
            "Die beiden Diktatoren fuhren. Die Staatsoberhäupter "
            "sprachen mit den Staats- und Regierungschefs. Die beiden Führer gingen. Viele Diktatoren schwiegen. "
            "Ihre Berater schwiegen. Diktatoren lieben Limousinen.")
    att, rest = _attribute(text, registry, lexicon)
    att = att[att["rule"] == "plural"]
    pairs = att.groupby("form")["person"].apply(set).to_dict()
    assert pairs == {"Diktatoren": {"Putin", "Kim"}, "Staatsoberhäupter": {"Putin", "Kim"},
                     "Staats- und Regierungschefs": {"Putin", "Kim"}, "Führer": {"Putin", "Kim"}}
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
    documents = _docs("Putin traf Kim. Die beiden Diktatoren und ein Despot. Mit Verbündeten und Partnern.",
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
    assert list(shares.columns) == ["outlet", "person", "label", "n", "n_person", "articles", "share", "ci_low",
                                    "ci_high", "interval"]
    assert (shares["interval"] == "mentions").all()  # one article per outlet: Wilson over the mentions
    sums = shares.groupby(["outlet", "person"])["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    kim_cnn = shares[(shares["outlet"] == "CNN-based") & (shares["person"] == "Kim")].set_index("label")
    # Eight labels read by hand, less "den Staats- und Regierungschefs", which rule 5 leaves open
    # there (the CNN-based text gives Kim no official label in the singular).
    assert kim_cnn.loc["Machthaber", "n"] == 1 and kim_cnn.loc["Machthaber", "n_person"] == 7
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


# ---------------------------------------------------------------------------------- reasons
def test_unattributed_reasons(registry, lexicon):
    # Hand-read: "Viele Diktatoren" are counted, "Ihre Berater" belong to someone, a bare plural is
    # generic, "Der Gastgeber" without owner is a singular no rule resolves.
    att, rest = _attribute("Putin traf Kim. Viele Diktatoren schwiegen. Ihre Berater schwiegen. "
                           "Diktatoren lieben Limousinen. Der Gastgeber schwieg.", registry, lexicon)
    assert att.empty
    assert rest[["form", "reason"]].values.tolist() == [
        ["Diktatoren", "quantified_plural"], ["Berater", "owned_plural"], ["Diktatoren", "indefinite_plural"],
        ["Gastgeber", "no_rule"]]
    assert set(rest["reason"]) <= set(UNATTRIBUTED_REASONS)
    _, alone = _attribute("Putin kam. Die beiden Diktatoren lachten.", registry, lexicon)
    assert alone["reason"].tolist() == ["no_principals"]


# ---------------------------------------------------------------------------------- German news
def _german_registry(*, merkel_labels=(), herrmann=False, seehofer_labels=()):
    entities = [
        {"id": "Merkel", "type": "person", "name": "Angela Merkel", "variants": ["Merkel", "Merkels"],
         "country": "Deutschland", "labels": list(merkel_labels)},
        {"id": "Macron", "type": "person", "name": "Emmanuel Macron", "variants": ["Macron", "Macrons"],
         "country": "Frankreich"},
        {"id": "Seehofer", "type": "person", "name": "Horst Seehofer", "variants": ["Seehofer", "Seehofers"],
         "country": "Bayern", "labels": list(seehofer_labels)},
        {"id": "Söder", "type": "person", "name": "Markus Söder", "variants": ["Söder", "Söders"],
         "country": "Bayern"},
    ]
    if herrmann:
        entities.append({"id": "Herrmann", "type": "person", "name": "Joachim Herrmann",
                         "variants": ["Herrmann", "Herrmanns"], "country": "Bayern"})
    return registry_from_dict({
        "countries": {"Deutschland": {"genitive": ["Deutschlands"], "adjectives": ["deutsch"]},
                      "Frankreich": {"genitive": ["Frankreichs"], "adjectives": ["französisch"]},
                      "Bayern": {"genitive": ["Bayerns"], "adjectives": ["bayerisch"]}},
        "entities": entities,
    })


@pytest.fixture(scope="module")
def news_labels():
    return load_german_news_labels()


def test_german_news_lexicon(news_labels):
    names = {lab.label for lab in news_labels}
    assert {"Kanzler", "Bundeskanzler", "Minister", "Ministerpräsident", "Präsident", "Bundespräsident",
            "Staatschef", "Regierungschef", "Chef", "Vorsitzender", "Parteichef", "Sprecher", "Botschafter",
            "Bürgermeister", "Abgeordneter", "Machthaber", "Diktator", "Autokrat", "Despot", "Herrscher",
            "Staatsoberhaupt", "Regime", "Führer", "Oppositionsführer", "Kritiker", "Gegner", "Verbündeter",
            "Partner", "Gastgeber"} <= names
    assert {lab.category for lab in news_labels} == set(LABEL_CATEGORIES)
    assert load_labels(lexicon_path("labels_german_news.yml")).labels == news_labels.labels
    text = ("Die Kanzlerin, Außenministerin, des Innenministers, Bundestagsabgeordnete, SPD-Chefin, Kreml-Chef, "
            "Premierministerin, Oberbürgermeister, Regierungssprecherin, US-Präsident, Parteivorsitzende. "
            "Der vorsitzende Richter, die Lautsprecher, das Ministerium, die Präsidentschaft, Kriegsgegner.")
    found = find_labels(_docs(text), news_labels)
    assert found[["label", "form"]].values.tolist() == [
        ["Kanzler", "Kanzlerin"], ["Minister", "Außenministerin"], ["Minister", "Innenministers"],
        ["Abgeordneter", "Bundestagsabgeordnete"], ["Chef", "SPD-Chefin"], ["Kremlchef", "Kreml-Chef"],
        ["Premierminister", "Premierministerin"], ["Bürgermeister", "Oberbürgermeister"],
        ["Sprecher", "Regierungssprecherin"], ["Präsident", "US-Präsident"], ["Vorsitzender", "Parteivorsitzende"],
    ]
    kanzler = news_labels["Kanzler"]
    assert kanzler.is_feminine_form(["Kanzlerin"]) and not kanzler.is_feminine_form(["Kanzlerinnen"])
    assert kanzler.is_plural_form(["Kanzlerinnen"]) and not kanzler.is_plural_form(["Kanzlerin"])
    assert news_labels["Minister"].is_feminine_form(["Innenministerin"])
    assert "feminine_forms" in news_labels.to_frame().columns


def test_feminine_singular_is_one_person(news_labels):
    # Principals: Macron (3 mentions) and Merkel (1). Hand-read attributions:
    #   "Die Kanzlerin": one woman, no rule names her → unattributed (was: both principals);
    #   "der Kanzlerin" (dative): singular, unattributed as before;
    #   "Die deutsche Kanzlerin": singular, German → Merkel (was: both principals);
    #   "seine Gastgeberin": singular relational, owner Macron → Merkel (was: unattributed plural);
    #   "Frankreichs Präsident": Macron; "Die Staats- und Regierungschefs": plural, and both principals
    #   hold an official label in the singular → both principals.
    text = ("Angela Merkel empfing Emmanuel Macron in Berlin. Die Kanzlerin lobte den Gast. Macron dankte der "
            "Kanzlerin. Die deutsche Kanzlerin lächelte. Macron lobte seine Gastgeberin. Frankreichs Präsident "
            "nickte. Die Staats- und Regierungschefs aßen.")
    att, rest = _attribute(text, _german_registry(), news_labels)
    assert _rows(att) == [
        ["Kanzlerin", "Merkel", "country_adjective"], ["Gastgeberin", "Merkel", "relational"],
        ["Präsident", "Macron", "country_genitive"],
        ["Staats- und Regierungschefs", "Macron", "plural"], ["Staats- und Regierungschefs", "Merkel", "plural"],
    ]
    assert rest[["form", "reason"]].values.tolist() == [["Kanzlerin", "no_rule"], ["Kanzlerin", "no_rule"]]
    # With the registry saying that "Kanzler" names Merkel, both go to her alone.
    att, rest = _attribute(text, _german_registry(merkel_labels=["Kanzler"]), news_labels)
    kanzlerin = att[att["form"] == "Kanzlerin"]
    assert kanzlerin[["person", "rule"]].values.tolist() == [
        ["Merkel", "implied"], ["Merkel", "implied"], ["Merkel", "country_adjective"]]
    assert rest.empty
    # The plural stays plural: "die Kanzlerinnen", and a quantifier before an adjectival noun.
    att, rest = _attribute("Merkel traf Macron. Die beiden Kanzlerinnen lachten. Drei Abgeordnete schwiegen. "
                           "Die Abgeordnete schwieg.", _german_registry(), news_labels)
    assert _rows(att) == [["Kanzlerinnen", "Merkel", "plural"], ["Kanzlerinnen", "Macron", "plural"]]
    assert rest[["form", "reason"]].values.tolist() == [["Abgeordnete", "quantified_plural"],
                                                        ["Abgeordnete", "no_rule"]]


def test_unregistered_name_keeps_the_label_from_registered_persons(news_labels):
    # Söder (3 mentions) is the registry's most-mentioned Bavarian. Hand-read:
    #   "Bayerns Innenminister Joachim Herrmann": Herrmann is not in the registry → unattributed
    #     (was: country_genitive → Söder);
    #   "Innenminister Herrmann": a bare title and a name → unattributed, reason unregistered_name;
    #   "der bayerische Ministerpräsident": no name follows → Söder;
    #   "dass der bayerische Ministerpräsident Geld verteilt": one capitalised word after an article
    #     may be a noun, so it is no name → Söder.
    text = ("Markus Söder traf Horst Seehofer. Söder lobte Seehofer. Söder lachte. Bayerns Innenminister Joachim "
            "Herrmann sagte, die Polizei sei bereit. Auch Innenminister Herrmann war zufrieden. Der bayerische "
            "Ministerpräsident nickte. Man hofft, dass der bayerische Ministerpräsident Geld verteilt.")
    att, rest = _attribute(text, _german_registry(), news_labels)
    assert _rows(att) == [["Ministerpräsident", "Söder", "country_adjective"],
                          ["Ministerpräsident", "Söder", "country_adjective"]]
    assert rest[["form", "reason"]].values.tolist() == [["Innenminister", "unregistered_name"],
                                                        ["Innenminister", "unregistered_name"]]


def test_name_in_the_phrase_wins_over_the_registry(news_labels):
    # The registry says "Minister" names Seehofer (a corpus from his time as Bundesinnenminister).
    # Hand-read:
    #   "Der Minister lobte": no name → implied → Seehofer;
    #   "Der Innenminister Joachim Herrmann sagte": the phrase opens the sentence, so the name is in it
    #     → Herrmann (was: implied → Seehofer);
    #   "Bayerns Innenminister Joachim Herrmann": no article → Herrmann by apposition (was: country_genitive);
    #   "Dann gab der Minister Herrmann die Hand": mid-sentence after an article Herrmann may be the
    #     object → the registry's Seehofer.
    registry = _german_registry(herrmann=True, seehofer_labels=["Minister"])
    text = ("Horst Seehofer traf Joachim Herrmann. Der Minister lobte die Polizei. Der Innenminister Joachim "
            "Herrmann sagte, alles sei ruhig. Bayerns Innenminister Joachim Herrmann nickte. Dann gab der "
            "Minister Herrmann die Hand.")
    att, rest = _attribute(text, registry, news_labels)
    assert _rows(att) == [
        ["Minister", "Seehofer", "implied"], ["Innenminister", "Herrmann", "apposition"],
        ["Innenminister", "Herrmann", "apposition"], ["Minister", "Seehofer", "implied"],
    ]
    assert rest.empty


def test_names_after_a_plural_label(registry, lexicon):
    # "Die Präsidenten Macron und Putin": only Putin is registered → Putin alone by apposition;
    # "Die Präsidenten Macron und Biden": two names the registry does not know → unattributed. Both
    # went to the two principals Putin and Kim before.
    att, rest = _attribute("Putin traf Kim. Putin lobte Kim. Die Präsidenten Macron und Putin lachten. "
                           "Die Präsidenten Macron und Biden schwiegen.", registry, lexicon)
    assert _rows(att) == [["Präsidenten", "Putin", "apposition"]]
    assert rest[["form", "reason"]].values.tolist() == [["Präsidenten", "unregistered_name"]]


def test_plurals_for_the_others_are_not_the_principals(registry, lexicon):
    # Hand-read: only the last plural means Putin and Kim; "restlichen", "übrigen", "anderen",
    # "verbliebenen" mean the others. "restlichen" and "verbliebenen" were read as adjectives, so those
    # phrases went to both principals before.
    text = ("Putin traf Kim in Pjöngjang. Der russische Präsident lobte Nordkoreas Staatschef. Die restlichen "
            "Staats- und Regierungschefs schwiegen. "
            "Die übrigen Staatschefs reisten ab. Alle anderen Diktatoren auch. Die anderen beiden Präsidenten "
            "fehlten. Die verbliebenen Machthaber tranken Tee. Die Staats- und Regierungschefs lachten.")
    att, rest = _attribute(text, registry, lexicon)
    att = att[att["rule"] == "plural"]
    assert _rows(att) == [["Staats- und Regierungschefs", "Putin", "plural"],
                          ["Staats- und Regierungschefs", "Kim", "plural"]]
    assert att["start"].nunique() == 1 and att["start"].iloc[0] == text.rindex("Staats- und")
    assert rest[["form", "reason"]].values.tolist() == [
        ["Staats- und Regierungschefs", "other_persons"], ["Staatschefs", "other_persons"],
        ["Diktatoren", "other_persons"], ["Präsidenten", "other_persons"], ["Machthaber", "other_persons"]]


@pytest.mark.parametrize(
    "entry, words",
    [
        ("{label: Kanzler, category: official, forms: [Kanzlerin], feminine_forms: 3}", ["'feminine_forms'"]),
        ("{label: Kanzler, category: official, forms: [Kanzlerinnen], plural_forms: [Kanzlerinnen], "
         "feminine_forms: [Kanzlerinnen]}", ["'Kanzlerinnen'", "both", "plural_forms"]),
        ("{label: Kanzler, category: official, forms: [Kanzler], feminine_forms: [Kanzlerin]}",
         ["'Kanzlerin'", "none of 'forms'"]),
    ],
)
def test_feminine_forms_errors(tmp_path, entry, words):
    path = tmp_path / "labels.yml"
    path.write_text(f"labels:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_labels(path)
    message = str(info.value)
    assert str(path) in message and "'Kanzler'" in message
    for word in words:
        assert word.lower() in message.lower()


def test_a_definite_plural_goes_to_the_principals_only_when_both_hold_that_kind_of_label():
    registry = registry_from_dict({"entities": [
        {"id": "Albrecht", "type": "person", "name": "Petra Albrecht", "variants": ["Albrecht"]},
        {"id": "Keller", "type": "person", "name": "Jonas Keller", "variants": ["Keller"]}]})
    text = ("Bundeskanzlerin Petra Albrecht traf Außenminister Jonas Keller. Albrecht lobte Keller. "
            "Die Abgeordneten berieten den Entwurf. Die Regierungsmitglieder lachten. Keller reiste ab.")
    docs = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    lexicon = labels_from_dict({"labels": [
        {"label": "Bundeskanzler", "category": "official", "forms": ["Bundeskanzlerin"], "feminine_forms": ["Bundeskanzlerin"]},
        {"label": "Minister", "category": "official", "forms": ["Außenminister"]},
        {"label": "Abgeordneter", "category": "descriptive", "forms": ["Abgeordneten"], "plural_forms": ["Abgeordneten"]},
        {"label": "Regierungsmitglied", "category": "official", "forms": ["Regierungsmitglieder"],
         "plural_forms": ["Regierungsmitglieder"]}]})
    found, rest = attribute_labels(docs, registry, lexicon)
    # Both are given an official label in the singular: the official plural is theirs; nobody
    # is called a descriptive label, so "Die Abgeordneten" are other people.
    assert sorted(found.loc[found["label"] == "Regierungsmitglied", "person"]) == ["Albrecht", "Keller"]
    assert rest[["form", "reason"]].values.tolist() == [["Abgeordneten", "unshared_plural"]]
    # "die beiden …" points to the pair whatever the article calls them.
    pair, _ = attribute_labels(docs.assign(text=text.replace("Die Abgeordneten", "Die beiden Abgeordneten")),
                               registry, lexicon)
    assert sorted(pair.loc[pair["label"] == "Abgeordneter", "person"]) == ["Albrecht", "Keller"]
