"""Sources and reporting verbs: registry, mentions in text, credit lines, photo credits, summaries, figure."""

import doctest
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml

import analysis.framing.sources as sources_module
from analysis.clean import clean_corpus
from analysis.io.corpus import load_bundled_corpus
from analysis.errors import LexiconError, ParameterError
from analysis.plots.quotes_and_sources import plot_sources
from analysis.framing.sources import (
    CONTEXTS,
    REPORTING_VERB_COLUMNS,
    SOURCE_COLUMNS,
    find_reporting_verbs,
    find_sources,
    load_source_registry,
    reporting_verb_summary,
    source_summary,
)
from analysis.plots.style import outlet_colors
from analysis.text import tokenize

AFP = "000_f72946cf7d7e84f3"
CNN = "001_06388abdcad2d3b3"


@pytest.fixture(scope="module")
def bundled():
    documents, audit = clean_corpus(load_bundled_corpus())
    tokens = tokenize(documents, lemmas=False, stems=False)
    return documents, audit, tokens, find_sources(documents, audit=audit)


def _docs(*texts):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "outlet": "X", "text": list(texts)})


def _found(table, doc_id, context):
    rows = table[(table["doc_id"] == doc_id) & (table["context"] == context)]
    return sorted(set(rows["source"]))


def test_doctests():
    assert doctest.testmod(sources_module).failed == 0


# ---------------------------------------------------------------------------------- registry
def test_registry_variants_and_verbs():
    registry = load_source_registry()
    for variant, name in [
        ("AFP", "AFP"), ("Agence France-Presse", "AFP"), ("TASS", "TASS"), ("Nachrichtenagentur TASS", "TASS"),
        ("KCNA", "KCNA"), ("Koreanische Zentrale Nachrichtenagentur", "KCNA"), ("Reuters", "Reuters"),
        ("AP", "AP"), ("Associated Press", "AP"), ("CNN", "CNN"), ("dpa", "dpa"), ("RIA Nowosti", "RIA Nowosti"),
        ("Xinhua", "Xinhua"), ("Yonhap", "Yonhap"), ("BBC", "BBC"), ("Interfax", "Interfax"),
        ("Sputnik", "Sputnik"), ("EPA", "EPA"), ("Getty Images", "Getty Images"),
    ]:
        assert registry.source_of(variant) == name
    for lemma in ("sagen", "erklären", "betonen", "behaupten", "bekräftigen", "einräumen", "versichern", "warnen",
                  "ankündigen", "loben", "nennen", "feiern", "äußern", "mitteilen", "berichten", "zitieren"):
        assert lemma in registry.lemmas
    assert registry.is_role("Kremlsprecher") and registry.is_role("Präsidenten") and not registry.is_role("Putin")


def test_registry_file_is_plain_yaml():
    registry_file = Path(__file__).resolve().parents[1] / sources_module.REGISTRY_PATH
    data = yaml.safe_load(registry_file.read_text(encoding="utf-8"))
    assert {"sources", "reporting_verbs", "speaker_roles"} <= set(data)


def test_malformed_registry(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("sources:\n  - name: A\n    variants: [X]\n  - name: B\n    variants: [X]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="both"):
        load_source_registry(bad)
    bad.write_text("reporting_verbs:\n  - lemma: einräumen\n    split_forms: [räumte]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="particle"):
        load_source_registry(bad)
    bad.write_text("sources: [unclosed\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="YAML"):
        load_source_registry(bad)
    with pytest.raises(LexiconError, match="cannot read"):
        load_source_registry(tmp_path / "missing.yml")


def test_own_registry(tmp_path):
    own = tmp_path / "own.yml"
    own.write_text(
        "sources:\n  - name: Tagesspiegel\n    type: newspaper\n    variants: [Tagesspiegel]\n"
        "reporting_verbs:\n  - lemma: flüstern\n    forms: [flüsterte]\n",
        encoding="utf-8",
    )
    docs = _docs("Kim flüsterte etwas, wie der Tagesspiegel und Reuters schrieben.")
    assert find_sources(docs, registry=own)["source"].tolist() == ["Tagesspiegel"]
    assert find_reporting_verbs(docs, registry=own)["verb"].tolist() == ["flüstern"]


# ---------------------------------------------------------------------------------- bundled corpus
def test_sources_of_the_cnn_article(bundled):
    documents, audit, _, table = bundled
    assert list(table.columns) == list(SOURCE_COLUMNS)
    assert {"KCNA", "Reuters", "AP"} <= set(table.loc[table["doc_id"] == CNN, "source"])
    assert _found(table, CNN, "text") == ["KCNA"]
    assert {"KCNA", "Reuters", "AP"} <= set(_found(table, CNN, "photo_credit"))
    photo = table[(table["doc_id"] == CNN) & (table["context"] == "photo_credit")]
    assert photo["source"].value_counts()[["KCNA", "Reuters", "AP"]].tolist() == [3, 2, 1]
    # Photo-credit offsets point into raw_text, text offsets into text.
    raw = documents.set_index("doc_id").loc[CNN, "raw_text"]
    text = documents.set_index("doc_id").loc[CNN, "text"]
    for row in table[table["doc_id"] == CNN].itertuples():
        source_text = raw if row.context == "photo_credit" else text
        assert source_text[row.start : row.end] == row.form
    assert "Reuters" not in text and "Reuters" in raw


def test_sources_of_the_afp_article(bundled):
    documents, _, _, table = bundled
    afp = table[table["doc_id"] == AFP]
    assert set(afp["source"]) == {"TASS", "AFP"}
    assert _found(table, AFP, "text") == ["TASS"]
    assert _found(table, AFP, "credit_line") == ["AFP"]
    assert _found(table, AFP, "photo_credit") == []
    tass = afp[afp["source"] == "TASS"].iloc[0]
    assert tass["form"] == "Nachrichtenagentur TASS"
    text = documents.set_index("doc_id").loc[AFP, "text"]
    credit = afp[afp["context"] == "credit_line"].iloc[0]
    assert text[credit["start"] : credit["end"]] == "AFP"
    assert text.splitlines()[-1] == "Cauf Informationen von AFP*"


def test_without_audit_no_photo_credits(bundled):
    documents, _, _, table = bundled
    plain = find_sources(documents)
    pd.testing.assert_frame_equal(plain, table[table["context"] != "photo_credit"].reset_index(drop=True))


def test_source_summary(bundled):
    documents, _, _, table = bundled
    summary = source_summary(table, documents)
    assert list(summary.columns) == ["outlet", "source", "context", "count"]
    sources = sorted(table["source"].unique())
    assert len(summary) == 2 * len(sources) * len(CONTEXTS)
    counts = summary.set_index(["outlet", "source", "context"])["count"]
    assert counts[("CNN-based", "KCNA", "text")] == 2
    assert counts[("CNN-based", "KCNA", "photo_credit")] == 3
    assert counts[("CNN-based", "Reuters", "photo_credit")] == 2
    assert counts[("CNN-based", "AP", "photo_credit")] == 1
    assert counts[("AFP-based", "TASS", "text")] == 1
    assert counts[("AFP-based", "AFP", "credit_line")] == 1
    assert counts[("AFP-based", "Reuters", "photo_credit")] == 0
    assert counts.sum() == len(table)


def test_reporting_verbs_of_the_bundled_corpus(bundled):
    documents, _, tokens, _ = bundled
    verbs = find_reporting_verbs(documents, tokens=tokens)
    assert list(verbs.columns) == list(REPORTING_VERB_COLUMNS)
    texts = dict(zip(documents["doc_id"], documents["text"]))
    for row in verbs.itertuples():
        assert row.form.startswith(texts[row.doc_id][row.start : row.end])
    afp = verbs[verbs["doc_id"] == AFP]
    assert {"bekräftigen", "nennen", "feiern", "äußern", "berichten"} <= set(afp["verb"])
    cnn = verbs[verbs["doc_id"] == CNN]
    assert {"sagen", "loben"} <= set(cnn["verb"])
    assert "brachte … zum Ausdruck" in set(cnn["form"])
    # "Laut russischen Staatsmedien" and "Berichten" are not verbs; "zeigten" is not a reporting verb.
    assert not verbs["form"].str.lower().isin(["zeigten", "laut"]).any()
    summary = reporting_verb_summary(verbs, documents, tokens=tokens)
    assert list(summary.columns) == ["outlet", "verb", "count", "per_1000_words", "running_words"]
    assert summary["count"].sum() == len(verbs)
    row = summary.set_index(["outlet", "verb"]).loc[("CNN-based", "sagen")]
    assert row["count"] == 2
    assert row["per_1000_words"] == pytest.approx(2 / row["running_words"] * 1000)


# ---------------------------------------------------------------------------------- hand-written
@pytest.mark.parametrize(
    "line",
    ["Mit Material von dpa", "Cauf Informationen von AFP*", "Quelle: Reuters", "Con información de AFP y EFE",
     "(dpa/AFP)", "Mit Informationen von Reuters und AP."],
)
def test_credit_lines(line):
    table = find_sources(_docs(f"Putin reiste nach Pjöngjang.\n{line}"))
    assert len(table) >= 1
    assert (table["context"] == "credit_line").all()


@pytest.mark.parametrize(
    "line",
    ["Die Nachrichtenagentur AFP berichtete am Mittwoch ausführlich über den Besuch.",
     "Das meldete Reuters.", "Laut AFP kam Putin am Abend in Pjöngjang an und wurde empfangen."],
)
def test_sentences_naming_a_source_are_text(line):
    table = find_sources(_docs(line))
    assert len(table) == 1 and table.iloc[0]["context"] == "text"


def test_whole_word_matching():
    table = find_sources(_docs("APPLAUS für AP, die ITAR-TASS und TASS-Angaben; CNNs Kamera; Associated Press."))
    assert table["form"].tolist() == ["AP", "ITAR-TASS", "TASS", "Associated Press"]
    assert table["source"].tolist() == ["AP", "TASS", "TASS", "AP"]


def test_photo_credits_from_the_audit():
    raw = _docs("Kim empfing Putin.\nAFP via Getty Images\nFoto: dpa\nDer Besuch endete.")
    documents, audit = clean_corpus(raw)
    table = find_sources(documents, audit=audit)
    assert table["source"].tolist() == ["AFP", "Getty Images", "dpa"]
    assert (table["context"] == "photo_credit").all()
    for row in table.itertuples():
        assert raw.loc[0, "text"][row.start : row.end] == row.form


@pytest.mark.parametrize(
    "text, verb, form",
    [
        ("Er räumte gestern Fehler ein.", "einräumen", "räumte … ein"),
        ("Peskow kündigte einen Besuch in Moskau an.", "ankündigen", "kündigte … an"),
        ("Der Kreml teilte mit, dass alles gut sei.", "mitteilen", "teilte … mit"),
        ("Sie fügte hinzu, der Besuch sei wichtig.", "hinzufügen", "fügte … hinzu"),
        ("Er hat es eingeräumt.", "einräumen", "eingeräumt"),
        ("Sagte er das wirklich?", "sagen", "Sagte"),
    ],
)
def test_separable_and_plain_verbs(text, verb, form):
    table = find_reporting_verbs(_docs(text))
    assert table[["verb", "form"]].values.tolist() == [[verb, form]]


@pytest.mark.parametrize(
    "text",
    ["Er räumte das Zimmer auf.", "Sie teilte das Brot.", "Laut Berichten kam er.", "Er kündigte, ein Fehler."],
)
def test_not_reporting_verbs(text):
    assert find_reporting_verbs(_docs(text)).empty


def test_verbs_inside_quotes():
    docs = _docs("Kim sagte: „Wir warnen alle Feinde.“")
    assert find_reporting_verbs(docs)["verb"].tolist() == ["sagen"]
    assert find_reporting_verbs(docs, inside_quotes=True)["verb"].tolist() == ["sagen", "warnen"]


def test_bad_input(bundled):
    documents, _, _, table = bundled
    with pytest.raises(ParameterError):
        find_sources(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ParameterError):
        find_sources(documents, audit="audit")
    with pytest.raises(ParameterError):
        find_sources(documents, registry=42)
    with pytest.raises(ParameterError):
        source_summary(table, documents, group="nope")
    with pytest.raises(ParameterError):
        find_reporting_verbs(_docs("x"), inside_quotes="no")
    with pytest.raises(ParameterError):
        find_sources(pd.concat([_docs("a"), _docs("b")]))  # duplicate doc_ids


def test_empty_results_keep_their_columns():
    docs = _docs("", "Nichts zu sehen.")
    assert list(find_sources(docs).columns) == list(SOURCE_COLUMNS)
    assert list(find_reporting_verbs(docs).columns) == list(REPORTING_VERB_COLUMNS)
    assert source_summary(find_sources(docs), docs).empty
    assert reporting_verb_summary(find_reporting_verbs(docs), docs).empty


def test_random_unicode_never_crashes():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    pieces = ["AFP", "TASS", "/", "räumte", " ein", "„", "“", ",", ".", "\n", " ", "Mit Material von ", "e\u0301", "😀"]

    @hypothesis.settings(max_examples=40, deadline=None, database=None)
    @hypothesis.given(st.lists(st.sampled_from(pieces), max_size=20).map("".join) | st.text(max_size=30))
    def check(text):
        docs = _docs(text)
        for row in find_sources(docs).itertuples():
            assert text[row.start : row.end] == row.form
        for row in find_reporting_verbs(docs).itertuples():
            assert 0 <= row.start < row.end <= len(text)

    check()


# ---------------------------------------------------------------------------------- figure
def test_plot_sources(bundled):
    documents, _, _, table = bundled
    summary = source_summary(table, documents)
    colors = outlet_colors(documents["outlet"])
    fig = plot_sources(summary, colors=colors)
    left, right = fig.axes[:2]
    assert right.get_title().startswith("Photo credits")
    # Photo credits only in the right panel, hatched; text and credit lines in the left one.
    photo_total = summary.loc[summary["context"] == "photo_credit", "count"].sum()
    assert sum(b.get_width() for b in right.patches) == photo_total
    assert all(b.get_hatch() for b in right.patches)
    assert sum(b.get_width() for b in left.patches) == summary.loc[summary["context"] != "photo_credit", "count"].sum()
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert labels[-1] == "KCNA"  # most mentioned on top
    assert {"AFP", "TASS", "Reuters", "AP"} <= set(labels)
    plt.close(fig)
    with pytest.raises(ParameterError):
        plot_sources(summary.drop(columns="context"))


def test_sources_of_a_generated_corpus_equal_those_found_line_by_line():
    import re

    import numpy as np

    from generated import generated_corpus

    docs = generated_corpus(300, seed=11)[["doc_id", "text"]].copy()
    rng = np.random.default_rng(11)
    planted = ["Nachrichtenagentur\nTASS", "dpa", "Mit Material von dpa\nund AFP", "KCNA/Reuters",
               "Agence France-\nPresse", "laut Reuters:", "ITAR-TASS"]
    docs["text"] = [text + "\n" + planted[rng.integers(len(planted))] if i % 3 else text
                    for i, text in enumerate(docs["text"])]
    found = find_sources(docs)
    # Reference: every line a document of its own, offsets mapped back.
    lines = []
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        for m in re.finditer(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+", text):
            lines.append((doc_id, m.start(), m.group()))
    frame = pd.DataFrame({"doc_id": [f"{d}#{s}" for d, s, _ in lines], "text": [t for *_, t in lines]})
    per_line = find_sources(frame)
    owner = per_line["doc_id"].str.rsplit("#", n=1)
    offset = owner.str[1].astype(int)
    expected = per_line.assign(doc_id=owner.str[0], start=per_line["start"] + offset, end=per_line["end"] + offset)
    key = ["doc_id", "start", "end", "source", "form", "context"]
    assert len(found) > 100
    pd.testing.assert_frame_equal(found[key].sort_values(key).reset_index(drop=True),
                                  expected[key].sort_values(key).reset_index(drop=True), check_dtype=False)


# ---------------------------------------------------------------------------------- German and international media
def test_registry_knows_german_and_international_media():
    registry = load_source_registry()
    for variant, name in [
        ("dpa", "dpa"), ("Deutschen Presse-Agentur", "dpa"), ("KNA", "KNA"), ("epd", "epd"),
        ("Evangelischen Pressedienstes", "epd"), ("SID", "SID"), ("Xinhua", "Xinhua"), ("ANSA", "ANSA"),
        ("EFE", "EFE"), ("Interfax", "Interfax"), ("ARD", "ARD"), ("Tagesschau", "ARD"), ("ZDF", "ZDF"),
        ("Deutschlandfunk", "Deutschlandfunk"), ("Deutschlandfunks", "Deutschlandfunk"), ("SPIEGEL", "Der Spiegel"),
        ("„Spiegel“", "Der Spiegel"), ("Bild-Zeitung", "BILD"), ("BILD", "BILD"),
        ("F.A.Z.", "Frankfurter Allgemeine Zeitung"),
        ("Frankfurter Allgemeinen Zeitung", "Frankfurter Allgemeine Zeitung"),
        ("Süddeutschen Zeitung", "Süddeutsche Zeitung"), ("„Süddeutsche“", "Süddeutsche Zeitung"),
        ("WELT", "WELT"), ("Welt am Sonntag", "Welt am Sonntag"), ("taz", "taz"), ("Zeit Online", "DIE ZEIT"),
        ("»Zeit«", "DIE ZEIT"), ("Handelsblatt", "Handelsblatt"), ("Handelsblatts", "Handelsblatt"),
        ("Focus Online", "FOCUS"), ("„Stern“", "STERN"), ("n-tv", "n-tv"), ("ntv", "n-tv"), ("RTL", "RTL"),
        ("BBC", "BBC"), ("CNN", "CNN"), ("New York Times", "New York Times"), ("Washington Post", "Washington Post"),
        ("Al Jazeera", "Al Jazeera"), ("Al-Dschasira", "Al Jazeera"),
    ]:
        assert registry.source_of(variant) == name, variant
    # No common word is a variant, and no canonical name is one either (names are always matched).
    for word in ("Welt", "Die Welt", "Zeit", "Die Zeit", "Bild", "Stern", "Focus", "Spiegel", "Standard",
                 "Der Standard", "BR", "SZ"):
        assert registry.source_of(word) is None, word


@pytest.mark.parametrize(
    "text",
    [
        "Die Welt schaut auf Pjöngjang.",
        "Zur Zeit ist unklar, wie lange Putin bleibt; die Zeit drängt.",
        "Die Zeit der Isolation ist vorbei, sagte er.",
        "Ein Bild zeigt beide Männer, ein Stern leuchtete über dem Platz.",
        "Im Focus steht die Wirtschaft, der Standard ist hoch.",
        "Er warf einen Blick in den Spiegel und ging auf die Bühne der Welt.",
    ],
)
def test_common_words_are_not_sources(text):
    assert find_sources(_docs(text)).empty


@pytest.mark.parametrize(
    "text, source, form",
    [
        ("Das berichtete die „Welt“ am Mittwoch.", "WELT", "„Welt“"),
        ("Laut dpa kam Putin am Abend an.", "dpa", "dpa"),
        ("Putin landete in Pjöngjang (Reuters).", "Reuters", "Reuters"),
        ("Wie die Welt am Sonntag schreibt, war der Besuch lange geplant.", "Welt am Sonntag", "Welt am Sonntag"),
        ("Der „Spiegel“ berichtete über die Limousine.", "Der Spiegel", "„Spiegel“"),
        ("Er sagte der »Zeit«, das Treffen sei wichtig.", "DIE ZEIT", "»Zeit«"),
        ("Die „Bild“-Zeitung nannte Kim einen Diktator.", "BILD", "„Bild“"),
        ("Laut Süddeutscher Zeitung dauerte das Treffen zwei Stunden.", "Süddeutsche Zeitung",
         "Süddeutscher Zeitung"),
        ("Die F.A.Z. zitierte einen Diplomaten.", "Frankfurter Allgemeine Zeitung", "F.A.Z."),
        ("Im Deutschlandfunk sagte ein Experte, der Besuch sei symbolisch.", "Deutschlandfunk", "Deutschlandfunk"),
        ("Nach Angaben des Evangelischen Pressedienstes protestierten Kirchen.", "epd", "Evangelischen Pressedienstes"),
        ("Der Sender n-tv zeigte die Ankunft live.", "n-tv", "n-tv"),
    ],
)
def test_outlets_named_in_unambiguous_forms(text, source, form):
    table = find_sources(_docs(text))
    assert table[["source", "form", "context"]].values.tolist() == [[source, form, "text"]]
    assert text[table["start"].iloc[0] : table["end"].iloc[0]] == form
