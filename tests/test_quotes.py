"""Quotations: marks, unbalanced and nested quotes, classification, speakers, summary and figure."""

import doctest

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import analysis.framing.quotes as quotes_module
from analysis.clean import clean_corpus
from analysis.io.corpus import load_bundled_corpus
from analysis.errors import ParameterError
from analysis.plots.quotes_and_sources import KIND_STYLES, plot_quote_kinds
from analysis.framing.quotes import (
    MAX_STRAIGHT_SENTENCES,
    MAX_STRAIGHT_WORDS,
    MAX_UNCLOSED_SENTENCES,
    QUOTATION_COLUMNS,
    QUOTE_KINDS,
    STRAY_PROBLEMS,
    find_quotations,
    quotation_summary,
    stray_marks,
)
from analysis.plots.style import outlet_colors
from analysis.text import tokenize

AFP = "000_f72946cf7d7e84f3"
CNN = "001_06388abdcad2d3b3"


@pytest.fixture(scope="module")
def bundled():
    documents, _ = clean_corpus(load_bundled_corpus())
    tokens = tokenize(documents, lemmas=False, stems=False)
    return documents, tokens, find_quotations(documents, tokens=tokens)


def _docs(*texts):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "outlet": "X", "text": list(texts)})


def _one(text, **kwargs):
    table = find_quotations(_docs(text), **kwargs)
    return table


def _row(table, quote):
    rows = table[table["quote"] == quote]
    assert len(rows) == 1, table[["quote", "kind"]]
    return rows.iloc[0]


def test_doctests():
    assert doctest.testmod(quotes_module).failed == 0


# ---------------------------------------------------------------------------------- bundled corpus
def test_columns_and_offsets(bundled):
    documents, _, table = bundled
    assert list(table.columns) == list(QUOTATION_COLUMNS)
    texts = dict(zip(documents["doc_id"], documents["text"]))
    for row in table.itertuples():
        written = texts[row.doc_id][row.start : row.end]
        assert written[0] == row.marks[0] and written[-1] == row.marks[-1]
        assert row.quote in written
    assert set(table["kind"]) <= set(QUOTE_KINDS)
    assert table["balanced"].all()  # the bundled texts have no unbalanced marks
    assert stray_marks(documents).empty


def test_scare_quotes_in_the_afp_article(bundled):
    _, _, table = bundled
    afp = table[table["doc_id"] == AFP]
    for quote in ("beste Freunde", "Hegemonie"):
        assert _row(afp, quote)["kind"] == "distancing"
    # "…, so Putin" ends the sentence with „Hegemonie“, but a quoted noun stays distancing.
    assert _row(afp, "Hegemonie")["cue"] == "so Putin"


def test_uschakow_quote_is_attributed(bundled):
    _, _, table = bundled
    row = _row(table, "Ein Admiralsdolch und ein Teeservice.")
    assert row["doc_id"] == AFP
    assert row["kind"] == "attributed"
    assert row["cue"] == "laut Aussagen von Juri Uschakow"
    assert "Uschakow" in row["speaker"]
    assert row["marks"] == "„“" and row["n_words"] == 5


def test_putin_erpressung_quote_is_attributed(bundled):
    documents, _, table = bundled
    rows = table[table["quote"].str.contains("Erpressung")]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["quote"].startswith("Russland und Korea") and row["quote"].endswith("nicht akzeptieren.")
    assert row["kind"] == "attributed"
    assert row["cue"] == "bekräftigte"
    assert row["speaker"] == "Putin"
    text = documents.set_index("doc_id").loc[AFP, "text"]
    assert text[: row["start"]].endswith("Putin bekräftigte, dass ")


def test_cnn_quotes(bundled):
    _, _, table = bundled
    cnn = table[table["doc_id"] == CNN]
    assert _row(cnn, "neues Niveau")["kind"] == "distancing"
    solidarity = cnn[cnn["quote"].str.startswith("volle Unterstützung")].iloc[0]
    assert solidarity["kind"] == "attributed" and solidarity["speaker"] == "Kim"
    assert solidarity["cue"] == "brachte … zum Ausdruck"  # separable: "brachte … zum Ausdruck"


def test_unattributed_long_quote_is_unclear(bundled):
    _, _, table = bundled
    row = table[table["quote"].str.startswith("Nordkorea drückt")].iloc[0]
    assert row["kind"] == "unclear" and row["cue"] == "" and row["speaker"] == ""


def test_summary_on_the_bundled_corpus(bundled):
    documents, tokens, table = bundled
    summary = quotation_summary(table, documents, tokens=tokens)
    assert list(summary.columns) == ["outlet", "kind", "count", "share", "per_1000_words", "running_words"]
    assert len(summary) == 2 * len(QUOTE_KINDS)
    counts = summary.set_index(["outlet", "kind"])["count"]
    assert counts.sum() == len(table)
    assert counts[("AFP-based", "distancing")] > counts[("CNN-based", "distancing")]
    shares = summary.groupby("outlet")["share"].sum()
    assert shares.round(9).eq(1.0).all()
    running = tokens[tokens["kind"].astype(str).isin(["word", "number"])].groupby("doc_id").size()
    afp = summary[summary["outlet"] == "AFP-based"].iloc[0]
    assert afp["running_words"] == running[AFP]
    expected = counts[("AFP-based", "attributed")] / running[AFP] * 1000
    rate = summary.set_index(["outlet", "kind"]).loc[("AFP-based", "attributed"), "per_1000_words"]
    assert rate == pytest.approx(expected)
    # Without tokens the same table.
    pd.testing.assert_frame_equal(summary, quotation_summary(table, documents))


# ---------------------------------------------------------------------------------- marks
@pytest.mark.parametrize(
    "text, quote, marks",
    [
        ("Er nannte es „Freundschaft“.", "Freundschaft", "„“"),
        ("Er nannte es „Freundschaft”.", "Freundschaft", "„”"),
        ('Er nannte es „Freundschaft".', "Freundschaft", '„"'),
        ("Er nannte es »Freundschaft«.", "Freundschaft", "»«"),
        ("Er nannte es «Freundschaft».", "Freundschaft", "«»"),
        ("Er nannte es ‚Freundschaft‘.", "Freundschaft", "‚‘"),
        ("Er nannte es ‹Freundschaft›.", "Freundschaft", "‹›"),
        ("Er nannte es ›Freundschaft‹.", "Freundschaft", "›‹"),
        ('Er nannte es "Freundschaft".', "Freundschaft", '""'),
        ("Er nannte es 'Freundschaft'.", "Freundschaft", "''"),
        ("Er nannte es “Freundschaft”.", "Freundschaft", "“”"),
        ("Er nannte es „ Freundschaft “.", "Freundschaft", "„“"),
    ],
)
def test_every_quote_style(text, quote, marks):
    table = _one(text)
    assert table["quote"].tolist() == [quote]
    row = table.iloc[0]
    assert row["marks"] == marks and row["balanced"]
    assert text[row["start"] : row["end"]] == marks[0] + text[row["start"] + 1 : row["end"] - 1] + marks[1]
    assert row["kind"] == "distancing"


def test_apostrophes_are_not_quotes():
    text = "Geht's noch? Hans' Auto und Kim’s Hund, 's ist spät, rock'n'roll."
    assert _one(text).empty
    strays = stray_marks(_docs(text))
    # Only the word-initial "'s" opens and is dropped as an apostrophe.
    assert strays["problem"].tolist() == ["dropped"]
    assert text[strays["start"].iloc[0] : strays["start"].iloc[0] + 2] == "'s"


def test_apostrophe_inside_a_single_quote():
    table = _one("Er rief 'Geht's noch?' und ging.")
    assert table["quote"].tolist() == ["Geht's noch?"]


def test_unbalanced_quote_ends_at_the_end_of_its_line():
    text = "Kim sagte: „Wir werden niemals aufgeben   \nDer Besuch endete."
    table = _one(text)
    assert len(table) == 1
    row = table.iloc[0]
    assert not row["balanced"] and row["marks"] == "„"
    assert row["quote"] == "Wir werden niemals aufgeben"
    assert text[row["start"] : row["end"]] == "„Wir werden niemals aufgeben"
    assert row["kind"] == "attributed" and row["speaker"] == "Kim"
    assert stray_marks(_docs(text))["problem"].tolist() == ["unclosed"]


def test_stray_closing_marks_are_ignored_and_reported():
    text = "Das ist“ falsch. Ein „echtes Zitat“ folgt » allein."
    table = _one(text)
    assert table["quote"].tolist() == ["echtes Zitat"]
    strays = stray_marks(_docs(text))
    assert strays["mark"].tolist() == ["“", "»"]
    assert strays["problem"].tolist() == ["stray", "stray"]
    for row in strays.itertuples():
        assert text[row.start : row.end] == row.mark


def test_nested_quotes_give_the_outer_quote():
    text = "Kim sagte: „Putin nannte das ‚Erpressung‘ und lachte.“"
    table = _one(text)
    assert table["quote"].tolist() == ["Putin nannte das ‚Erpressung‘ und lachte."]
    assert table.iloc[0]["kind"] == "attributed" and table.iloc[0]["speaker"] == "Kim"
    nested = _one(text, nested=True)
    assert list(nested.columns) == list(QUOTATION_COLUMNS) + ["depth"]
    assert nested["depth"].tolist() == [0, 1]
    inner = nested.iloc[1]
    assert inner["quote"] == "Erpressung" and inner["marks"] == "‚‘"
    assert inner["kind"] == "distancing"
    # The inner quotation takes its cue from inside the outer one.
    assert inner["cue"] == "nannte" and inner["speaker"] == "Putin"


def test_inner_quote_left_open_ends_with_the_outer_one():
    text = "Er sagte: „Das ist ‚kein Problem für uns.“ Dann ging er."
    nested = _one(text, nested=True)
    assert nested["quote"].tolist() == ["Das ist ‚kein Problem für uns.", "kein Problem für uns."]
    assert nested["balanced"].tolist() == [True, False]


def test_quote_over_two_sentences_takes_the_verb_after_it():
    table = _one("„Wir sind Freunde. Wir bleiben es für immer“, sagte Kim Jong Un am Mittwoch.")
    row = table.iloc[0]
    assert row["kind"] == "attributed" and row["cue"] == "sagte" and row["speaker"] == "Kim Jong Un"
    assert row["sentence_id"] == 0


# ---------------------------------------------------------------------------------- straight marks
def test_straight_marks_pair_at_word_edges():
    # The inch sign after "12" closes nothing and is stray; "Wort" is quoted.
    text = 'Ein 12" Display und ein "Wort" dazu.'
    assert _one(text)["quote"].tolist() == ["Wort"]
    strays = stray_marks(_docs(text))
    assert strays[["start", "problem"]].values.tolist() == [[6, "stray"]]
    # A straight mark between two spaces neither opens nor closes: "Halt " is no quotation,
    # and the opening mark, never closed, is unpaired (no quotation to the end of the line).
    text = 'Sie rief "Halt " und lief.'
    assert _one(text).empty
    assert stray_marks(_docs(text))["problem"].tolist() == ["unpaired_straight", "stray"]


def test_unclosed_straight_mark_makes_no_quotation():
    text = 'Er rief "Wir kommen und ging.'
    assert _one(text).empty
    strays = stray_marks(_docs(text))
    assert strays[["start", "mark", "problem"]].values.tolist() == [[8, '"', "unpaired_straight"]]


def test_straight_pair_never_crosses_a_line():
    text = 'Er sagte "Wir kommen\nund gehen" heute.'
    assert _one(text).empty
    strays = stray_marks(_docs(text))
    # Line 1: an opening mark never closed; line 2: a closing mark with nothing open.
    assert strays[["start", "problem"]].values.tolist() == [[9, "unpaired_straight"], [30, "stray"]]


def test_straight_pair_longer_than_the_limit_is_no_quotation():
    def text(n):
        return 'Sie nannte das "' + " ".join(["Wort"] * n) + '" und ging.'

    table = _one(text(MAX_STRAIGHT_WORDS))
    assert table["n_words"].tolist() == [MAX_STRAIGHT_WORDS] and table.iloc[0]["marks"] == '""'
    assert stray_marks(_docs(text(MAX_STRAIGHT_WORDS))).empty
    long = text(MAX_STRAIGHT_WORDS + 1)
    assert _one(long).empty
    strays = stray_marks(_docs(long))
    assert strays["problem"].tolist() == ["unpaired_straight", "unpaired_straight"]
    assert strays["start"].tolist() == [15, long.index('" und')]


def test_straight_pair_over_more_sentences_than_the_limit_is_no_quotation():
    assert MAX_STRAIGHT_SENTENCES == 3
    table = _one('Er sagte "Ja. Nein. Vielleicht." und ging.')
    assert table["quote"].tolist() == ["Ja. Nein. Vielleicht."]
    # Four sentences: the pair is dropped, but a quotation inside it is still found.
    text = 'Er sagte "Ja. Nein. Das ist „Unsinn“. Morgen." und ging.'
    table = _one(text, nested=True)
    assert table["quote"].tolist() == ["Unsinn"] and table["depth"].tolist() == [0]
    assert stray_marks(_docs(text))["problem"].tolist() == ["unpaired_straight"] * 2


def test_straight_mark_still_closes_a_low_quote():
    row = _one('Kim sagte: „Wir kommen wieder" und ging.').iloc[0]
    assert row["marks"] == '„"' and row["quote"] == "Wir kommen wieder"


def test_unclosed_low_quote_stops_after_three_sentences():
    assert MAX_UNCLOSED_SENTENCES == 3
    text = "Kim sagte: „Wir kommen. Wir gehen. Wir bleiben. Der Besuch endete am Abend."
    row = _one(text).iloc[0]
    assert row["quote"] == "Wir kommen. Wir gehen. Wir bleiben." and not row["balanced"]
    assert text[row["start"] : row["end"]] == "„Wir kommen. Wir gehen. Wir bleiben."
    assert (row["kind"], row["speaker"]) == ("attributed", "Kim")
    # Three sentences or fewer: to the end of the line as before.
    row = _one("Kim sagte: „Wir kommen. Wir gehen. Wir bleiben.").iloc[0]
    assert row["quote"] == "Wir kommen. Wir gehen. Wir bleiben."


def test_stray_problems_are_documented():
    text = "Das ist“ falsch. „Offen\nEr rief \"Los und 'n Quatsch."
    strays = stray_marks(_docs(text))
    assert strays["problem"].tolist() == ["stray", "unclosed", "unpaired_straight", "dropped"]
    assert set(strays["problem"]) == set(STRAY_PROBLEMS)


# ---------------------------------------------------------------------------------- classification
def test_so_name_attribution():
    table = _one("„Das ist ein neues Kapitel unserer Beziehungen“, so Putin.")
    row = table.iloc[0]
    assert (row["kind"], row["cue"], row["speaker"]) == ("attributed", "so Putin", "Putin")
    # A one-word quotation opening the sentence is governed by "so Putin" too …
    assert _one("„Niemals“, so Putin.").iloc[0]["kind"] == "attributed"
    # … but a quoted noun inside the sentence is distancing.
    row = _one("Beide sind gegen die „Hegemonie“ des Westens, so Putin.").iloc[0]
    assert (row["kind"], row["cue"], row["speaker"]) == ("distancing", "so Putin", "Putin")


def test_colon_attribution():
    row = _one("Putin: „Wir werden siegen.“").iloc[0]
    assert (row["kind"], row["cue"], row["speaker"]) == ("attributed", "Putin:", "Putin")
    row = _one("Der Kremlsprecher Dmitri Peskow erklärte vor Reportern: „Nein.“").iloc[0]
    assert (row["kind"], row["cue"], row["speaker"]) == ("attributed", "erklärte", "Dmitri Peskow")


@pytest.mark.parametrize(
    "text, cue",
    [
        ("Der Minister räumte ein, dass „die Lage an der Front schwierig ist“.", "räumte … ein"),
        ("Peskow kündigte an: „Der Besuch wird bald stattfinden.“", "kündigte … an"),
        ("Moskau teilte am Abend mit, „alle Ziele seien erreicht worden“.", "teilte … mit"),
    ],
)
def test_separable_verbs(text, cue):
    row = _one(text).iloc[0]
    assert row["kind"] == "attributed" and row["cue"] == cue


def test_separable_verb_needs_its_particle():
    # "räumte … auf" is not "einräumen"; the long quotation has no cue.
    row = _one("Er räumte das Zimmer auf und „alle Bücher standen wieder ordentlich im Regal“.").iloc[0]
    assert row["kind"] == "unclear" and row["cue"] == ""


def test_prepositional_cues():
    row = _one("Laut Kremlsprecher Dmitri Peskow ist das Abkommen „ein Wendepunkt für die ganze Region“.").iloc[0]
    assert row["kind"] == "attributed" and row["speaker"] == "Dmitri Peskow"
    assert row["cue"] == "Laut Kremlsprecher Dmitri Peskow"
    row = _one("Dem Kreml zufolge ist die Partnerschaft „von großer Bedeutung für beide Seiten“.").iloc[0]
    assert (row["kind"], row["cue"], row["speaker"]) == ("attributed", "Kreml zufolge", "Kreml")
    row = _one("Nach Angaben von Yonhap war der Besuch „kürzer als zunächst geplant“.").iloc[0]
    assert row["kind"] == "attributed" and row["speaker"] == "Yonhap"


def test_short_quote_with_verb_elsewhere_is_distancing():
    row = _one("Kim nannte Putin seinen „besten Freund“ und lachte.").iloc[0]
    assert row["kind"] == "distancing"
    row = _one("Die Sanktionen seien „illegal“, sagte Putin.").iloc[0]
    assert row["kind"] == "distancing" and row["speaker"] == "Putin"


def test_whole_sentence_quote_takes_the_cue_of_the_sentence_before():
    row = _one("Putin sagte am Mittwoch vor Reportern. „Wir haben eine lange gemeinsame Geschichte.“").iloc[0]
    assert row["kind"] == "attributed" and row["speaker"] == "Putin" and row["sentence_id"] == 1
    # Not across a paragraph break.
    row = _one("Putin sagte am Mittwoch vor Reportern.\n„Wir haben eine lange gemeinsame Geschichte.“").iloc[0]
    assert row["kind"] == "unclear"


def test_verbs_inside_the_quote_are_not_cues():
    row = _one("„Wir sagen allen Partnern heute ganz klar die Wahrheit.“").iloc[0]
    assert row["kind"] == "unclear" and row["cue"] == ""


def test_empty_quote_is_unclear():
    table = _one("Leere „“ und „?“ Zeichen.")
    assert table["kind"].tolist() == ["unclear", "unclear"]
    assert table["n_words"].tolist() == [0, 0]


def test_speaker_drops_roles_and_genitives():
    row = _one("Putins Berater Juri Uschakow sagte: „Das Treffen war ein Erfolg.“").iloc[0]
    assert row["speaker"] == "Juri Uschakow"
    row = _one("„Das Treffen war ein großer Erfolg“, sagte Nordkoreas Machthaber Kim Jong Un.").iloc[0]
    assert row["speaker"] == "Kim Jong Un"
    row = _one("Er sagte: „Das Treffen war ein großer Erfolg.“").iloc[0]
    assert row["kind"] == "attributed" and row["speaker"] == ""


# ---------------------------------------------------------------------------------- titles and names
@pytest.mark.parametrize(
    "text, quote",
    [
        ("Der Flugzeugträger »Admiral Kusnezow« lief am Montag aus.", "Admiral Kusnezow"),
        ("Er sah den Film »Das Boot« zum dritten Mal.", "Das Boot"),
        ("Sie war Gast in der Sendung „Hart aber fair“.", "Hart aber fair"),
        ("Das sagte er der Zeitung „Welt“.", "Welt"),
        ("Er las den Roman «Krieg und Frieden».", "Krieg und Frieden"),
        ("Die Fernsehserie „Babylon Berlin“ läuft wieder.", "Babylon Berlin"),
        ("Unter dem Motto „Wir schaffen das“ warb sie für Zuversicht.", "Wir schaffen das"),
        ("Die Kampagne „Frieden jetzt“ sammelte Unterschriften.", "Frieden jetzt"),
        # No title noun, but a name in »…«: every word capitalised, no cue in the sentence.
        ("Die Marine verlegte die »Admiral Kusnezow« nach Norden.", "Admiral Kusnezow"),
    ],
)
def test_names_and_titles(text, quote):
    row = _one(text).iloc[0]
    assert row["quote"] == quote
    assert (row["kind"], row["cue"], row["speaker"]) == ("title", "", "")


@pytest.mark.parametrize(
    "text, quote",
    [
        ("Beide nannten sich „beste Freunde“.", "beste Freunde"),  # lower-case adjective
        ("Sie sprachen von »Hegemonie«.", "Hegemonie"),  # one capitalised noun, no title noun
        ("Er kritisierte die „Hegemonie“ des Westens.", "Hegemonie"),
        ("Der Film zeigt „brutale Gewalt“.", "brutale Gewalt"),  # the title noun is not right before
        ("Die Kampagne „gegen Rechts“ läuft.", "gegen Rechts"),  # first word lower-case
        ("Kim nannte Putin »Lieber Genosse«.", "Lieber Genosse"),  # a cue in the sentence
        # A documented limit: a name in »…« in a sentence with a cue stays distancing.
        ("Putin sagte, die »Admiral Kusnezow« werde auslaufen.", "Admiral Kusnezow"),
    ],
)
def test_scare_quotes_are_not_titles(text, quote):
    row = _one(text).iloc[0]
    assert (row["quote"], row["kind"]) == (quote, "distancing")


def test_summary_counts_titles():
    docs = _docs("Er sah den Film »Das Boot«. Sie sprachen von „Freundschaft“.")
    summary = quotation_summary(find_quotations(docs), docs).set_index("kind")
    assert "title" in QUOTE_KINDS and list(summary.index) == list(QUOTE_KINDS)
    assert summary.loc["title", "count"] == 1 and summary.loc["distancing", "count"] == 1
    assert summary.loc["title", "share"] == 0.5


# ---------------------------------------------------------------------------------- speakers are persons or organisations
@pytest.mark.parametrize(
    "text, speaker",
    [
        # Time words are never speakers.
        ("„Wir werden das nicht hinnehmen“, sagte er am Mittwoch.", ""),
        ("Am Mittwoch sagte er: „Wir werden das nicht hinnehmen.“", ""),
        ("Am Mittwochabend erklärte Putin: „Wir kommen wieder.“", "Putin"),
        ("Ende Juni sagte Selenskyj: „Wir brauchen mehr Luftabwehr.“", "Selenskyj"),
        ("Am Sonntag sagte Kremlsprecher Dmitri Peskow: „Nein.“", "Dmitri Peskow"),
        ("„Wir kommen“, sagte Putin Ende Juni.", "Putin"),
        ("„Wir kommen“, sagte Katrin Sommer am Montag.", "Katrin Sommer"),  # a surname, after a first name
        ("Im Sommer sagte Putin: „Wir kommen.“", "Putin"),
        ("Im Januar erklärte das Ministerium: „Wir kommen wieder.“", "Ministerium"),
        # Outlets in capitals are not speakers; agencies and listed organisations are.
        ("„Das ist ein Skandal“, heißt es in BILD.", ""),
        ("„Das ist ein Skandal“, schreibt BILD am Montag.", ""),
        ("„Wir liefern“, sagte Scholz BILD.", "Scholz"),
        ("Die Nachrichtenagentur AFP berichtete: „Die Lage ist ruhig.“", "AFP"),
        ("Die NATO erklärte: „Wir stehen an der Seite der Ukraine.“", "NATO"),
        # Common nouns are not speakers; organisation and role nouns are.
        ("Sorgen äußerte auch Friedrich Merz: „Das ist ein schwerer Fehler.“", "Friedrich Merz"),
        ("Sorgen bereitet vor allem die Aussage: „Wir liefern keine Waffen mehr.“", ""),
        ("Die Polizei teilte mit: „Es gab keine Verletzten.“", "Polizei"),
        ("Die Bundesregierung teilte mit: „Wir prüfen den Vorgang.“", "Bundesregierung"),
        ("Das Weiße Haus erklärte: „Wir prüfen den Vorgang.“", "Weiße Haus"),
        ("„Die Lage kann jederzeit eskalieren“, warnen Experten.", "Experten"),
        # A surname that is also a common noun is a name after its first name in the document …
        ("Thomas Müller ist Sprecher des Vereins. Müller sagte: „Es gab keine Verletzten.“", "Müller"),
        # … and, a documented limit, no speaker on its own.
        ("Müller sagte: „Es gab keine Verletzten.“", ""),
    ],
)
def test_speakers_are_persons_or_organisations(text, speaker):
    table = _one(text)
    assert table["speaker"].tolist() == [speaker]


def test_a_noun_cue_keeps_the_quotation_attributed():
    # The colon, "laut" and "zufolge" cues stay; only the noun is not taken for a speaker.
    row = _one("Sein Fazit: „Es war ein guter Tag für beide Länder.“").iloc[0]
    assert (row["kind"], row["cue"], row["speaker"]) == ("attributed", "Fazit:", "")
    row = _one("Dem Bericht zufolge war die Lage „äußerst angespannt und gefährlich“.").iloc[0]
    assert (row["kind"], row["cue"], row["speaker"]) == ("attributed", "Bericht zufolge", "")
    row = _one("Laut einem Bericht der BILD soll die Lieferung „noch in diesem Sommer“ erfolgen.").iloc[0]
    assert (row["cue"], row["speaker"]) == ("Laut einem Bericht", "")


# ---------------------------------------------------------------------------------- robustness
def test_empty_and_quote_free_documents():
    table = find_quotations(_docs("", "Kein Zitat hier.", "\n\n"))
    assert table.empty and list(table.columns) == list(QUOTATION_COLUMNS)
    assert find_quotations(_docs(""), nested=True).columns[-1] == "depth"
    assert stray_marks(_docs("")).empty


def test_bad_input():
    with pytest.raises(ParameterError):
        find_quotations(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(ParameterError):
        find_quotations(_docs("x"), nested="yes")
    with pytest.raises(ParameterError):
        find_quotations(_docs("Ein „Wort“."), tokens=tokenize(_docs("Ganz anders.")))
    with pytest.raises(ParameterError):
        quotation_summary(find_quotations(_docs("x")), _docs("x"), group="nope")


def test_tokens_for_fewer_documents_are_completed():
    docs = _docs("Er sprach von „Freundschaft“.", "Sie sprach von „Verrat“.")
    tokens = tokenize(docs.iloc[:1])
    pd.testing.assert_frame_equal(find_quotations(docs, tokens=tokens), find_quotations(docs))


def test_pathological_nesting_is_fast():
    text = "„" * 5000 + "“" * 5000 + " »" * 5000
    table = find_quotations(_docs(text))
    assert len(table) >= 1


def test_random_unicode_never_crashes_and_offsets_are_valid():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    pieces = ["„", "“", "”", '"', "'", "’", "‘", "‚", "»", "«", "›", "‹", "‟", "‛", " ", "\n", "\u2028", "Wort",
              "sagte", ", so Putin", ":", ",", ".", "laut", "zufolge", "räumte", "ein", "e\u0301", "😀", "Kim"]

    @hypothesis.settings(max_examples=60, deadline=None, database=None)
    @hypothesis.given(st.lists(st.sampled_from(pieces), max_size=25).map("".join) | st.text(max_size=40))
    def check(text):
        docs = _docs(text)
        table = find_quotations(docs, nested=True)
        for row in table.itertuples():
            assert 0 <= row.start < row.end <= len(text)
            written = text[row.start : row.end]
            assert written[0] == row.marks[0]
            if row.balanced:
                assert len(row.marks) == 2 and written[-1] == row.marks[1]
            assert row.quote in written
            assert row.kind in QUOTE_KINDS
        for row in stray_marks(docs).itertuples():
            assert text[row.start : row.end] == row.mark

    check()


# ---------------------------------------------------------------------------------- figure
def test_plot_quote_kinds(bundled):
    documents, tokens, table = bundled
    summary = quotation_summary(table, documents, tokens=tokens)
    colors = outlet_colors(documents["outlet"])
    fig = plot_quote_kinds(summary, colors=colors)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 2 * len(QUOTE_KINDS)
    widths = sorted(b.get_width() for b in bars)
    assert widths == sorted(summary["count"].astype(float))
    # Each kind has its own hatch; the edges carry the outlet colours.
    hatches = {b.get_hatch() or "" for b in bars}
    assert len(hatches) == len(QUOTE_KINDS)
    assert {style[1] for kind, style in KIND_STYLES.items() if kind in QUOTE_KINDS} <= hatches
    to_hex = lambda c: "#{:02X}{:02X}{:02X}".format(*(round(255 * v) for v in c[:3]))  # noqa: E731
    assert {to_hex(b.get_edgecolor()) for b in bars} == {c.upper() for c in colors.values()}
    assert [t.get_text() for t in ax.get_yticklabels()] == ["CNN-based", "AFP-based"]
    assert ax.get_xlabel() == "Quotations"
    plt.close(fig)
    with pytest.raises(ParameterError):
        plot_quote_kinds(summary.drop(columns="kind"))
