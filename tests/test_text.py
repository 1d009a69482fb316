"""German tokens and sentences: hand-written expectations on short German texts."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.text import (
    ABBREVIATIONS,
    KINDS,
    TOKEN_COLUMNS,
    Token,
    german_stopwords,
    lemmatize_word,
    sentences,
    split_sentences,
    stem_word,
    tokenize,
    tokenize_text,
)

SEED = Path(__file__).parents[1] / "data" / "raw" / "seed"


def texts(text):
    return [t.text for t in tokenize_text(text)]


def pairs(text):
    return [(t.text, t.kind) for t in tokenize_text(text)]


def sentence_texts(text):
    return [text[start:end] for start, end in split_sentences(text)]


def assert_valid_tokens(text, tokens):
    """Offsets point into the text, tokens are ordered and disjoint, and every non-space
    character is inside a token."""
    position = 0
    for token in tokens:
        assert isinstance(token, Token)
        assert token.kind in KINDS
        assert text[token.start:token.end] == token.text
        assert position <= token.start < token.end
        assert text[position:token.start].strip() == "" or text[position:token.start].isspace()
        assert not any(c.isspace() for c in token.text)
        position = token.end
    assert text[position:].strip() == "" or text[position:].isspace()


# --------------------------------------------------------------------------------------
# tokenize_text
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "compound",
    [
        "Kim-Il-Sung-Platz",
        "High-End-Limousine",
        "russisch-nordkoreanische",
        "Pungsan-Hunde",
        "Kim-Regimes",
        "Russland-Ukraine-Krieg",
    ],
)
def test_hyphenated_compounds_are_one_word(compound):
    assert pairs(f"Auf dem {compound} stand er.")[2] == (compound, "word")


def test_suspended_hyphen_keeps_its_hyphen():
    assert pairs("Staats- und Regierungschefs") == [
        ("Staats-", "word"),
        ("und", "word"),
        ("Regierungschefs", "word"),
    ]
    assert texts("Haupt-, Neben- und Nachsaison") == ["Haupt-", ",", "Neben-", "und", "Nachsaison"]
    assert texts("Ein- und -ausfuhr") == ["Ein-", "und", "-ausfuhr"]


def test_dash_between_spaces_is_punctuation():
    assert pairs("Putin – Kim - Treffen") == [
        ("Putin", "word"),
        ("–", "punct"),
        ("Kim", "word"),
        ("-", "punct"),
        ("Treffen", "word"),
    ]


@pytest.mark.parametrize("number", ["2024", "24", "1.000", "3,5", "12:15", "1950-1953", "1.000.000"])
def test_numbers(number):
    assert pairs(f"Es waren {number} Menschen") == [
        ("Es", "word"),
        ("waren", "word"),
        (number, "number"),
        ("Menschen", "word"),
    ]


def test_range_in_brackets():
    assert pairs("Koreakrieg (1950-1953)") == [
        ("Koreakrieg", "word"),
        ("(", "punct"),
        ("1950-1953", "number"),
        (")", "punct"),
    ]


def test_ordinals_and_dates_keep_their_period():
    assert pairs("am 79. Tag der Invasion") == [
        ("am", "word"),
        ("79.", "number"),
        ("Tag", "word"),
        ("der", "word"),
        ("Invasion", "word"),
    ]
    assert texts("am 20. Juni 2024") == ["am", "20.", "Juni", "2024"]
    assert texts("der 3. und 4. Mai") == ["der", "3.", "und", "4.", "Mai"]


def test_sentence_final_year_keeps_the_sentence_period():
    assert pairs("im Februar 2022. Sie kamen") == [
        ("im", "word"),
        ("Februar", "word"),
        ("2022", "number"),
        (".", "punct"),
        ("Sie", "word"),
        ("kamen", "word"),
    ]
    assert texts("Er wurde 1961 geboren. Er starb 2022.") == [
        "Er", "wurde", "1961", "geboren", ".", "Er", "starb", "2022", ".",
    ]


def test_digits_mixed_with_letters_are_words():
    assert pairs("G20 und 5G") == [("G20", "word"), ("und", "word"), ("5G", "word")]
    assert pairs("der 18-Jährige") == [("der", "word"), ("18-Jährige", "word")]


def test_quotation_marks_are_quote_tokens():
    assert pairs("als „beste Freunde“") == [
        ("als", "word"),
        ("„", "quote"),
        ("beste", "word"),
        ("Freunde", "word"),
        ("“", "quote"),
    ]
    assert [t.kind for t in tokenize_text("»a« ‚b‘ 'c' \"d\" ”e”")] == [
        "quote", "word", "quote",
        "quote", "word", "quote",
        "quote", "word", "quote",
        "quote", "word", "quote",
        "quote", "word", "quote",
    ]


def test_apostrophe_inside_a_word_stays():
    assert texts("So geht's weiter") == ["So", "geht's", "weiter"]
    assert texts("So geht’s weiter") == ["So", "geht’s", "weiter"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("z. B. Hunde", ["z.", "B.", "Hunde"]),
        ("u. a. Pferde", ["u.", "a.", "Pferde"]),
        ("d. h. nichts", ["d.", "h.", "nichts"]),
        ("Hunde bzw. Pferde", ["Hunde", "bzw.", "Pferde"]),
        ("Hunde usw. gab es", ["Hunde", "usw.", "gab", "es"]),
        ("ca. 100 Menschen", ["ca.", "100", "Menschen"]),
        ("Dr. Müller", ["Dr.", "Müller"]),
        ("Prof. Schmidt", ["Prof.", "Schmidt"]),
        ("Nr. 5", ["Nr.", "5"]),
        ("St. Petersburg", ["St.", "Petersburg"]),
        ("3 Mio. Euro", ["3", "Mio.", "Euro"]),
        ("2 Mrd. Dollar", ["2", "Mrd.", "Dollar"]),
        ("vgl. Seite 3", ["vgl.", "Seite", "3"]),
        ("Hunde etc. gab es", ["Hunde", "etc.", "gab", "es"]),
        ("J. R. R. Tolkien", ["J.", "R.", "R.", "Tolkien"]),
    ],
)
def test_abbreviations_keep_their_period(text, expected):
    assert texts(text) == expected
    assert all(kind in ("word", "number") for _, kind in pairs(text))


def test_abbreviation_list_is_documented_and_lower_case():
    assert isinstance(ABBREVIATIONS, frozenset)
    for entry in ["z. b.", "u. a.", "d. h.", "bzw.", "usw.", "ca.", "dr.", "prof.", "nr.", "st.",
                  "mio.", "mrd.", "vgl.", "etc."]:
        assert entry in ABBREVIATIONS
    assert all(entry == entry.lower() and entry.endswith(".") for entry in ABBREVIATIONS)


def test_ordinary_word_before_period_does_not_take_it():
    assert texts("Er kam nach Hause.") == ["Er", "kam", "nach", "Hause", "."]


def test_punctuation_and_symbols():
    assert pairs("a . , ; : ! ? ( ) [ ] – — - … /") == [("a", "word")] + [
        (p, "punct") for p in [".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "–", "—", "-", "…", "/"]
    ]
    assert pairs("50 % 3 € $ & * #") == [
        ("50", "number"),
        ("%", "symbol"),
        ("3", "number"),
        ("€", "symbol"),
        ("$", "symbol"),
        ("&", "symbol"),
        ("*", "symbol"),
        ("#", "symbol"),
    ]


def test_urls_and_email_addresses_are_one_symbol():
    text = "Mehr auf https://www.tagesschau.de/ausland/asien/putin-kim-100.html. Fragen an redaktion@example.de!"
    assert pairs(text) == [
        ("Mehr", "word"),
        ("auf", "word"),
        ("https://www.tagesschau.de/ausland/asien/putin-kim-100.html", "symbol"),
        (".", "punct"),
        ("Fragen", "word"),
        ("an", "word"),
        ("redaktion@example.de", "symbol"),
        ("!", "punct"),
    ]


def test_unicode_letters():
    assert texts("Größe Übermaß Straße Ålesund Pjöngjang") == [
        "Größe", "Übermaß", "Straße", "Ålesund", "Pjöngjang",
    ]
    # A combining accent stays in its word.
    assert texts("Cafe\u0301 offen") == ["Cafe\u0301", "offen"]


def test_empty_and_blank_text():
    assert tokenize_text("") == []
    assert tokenize_text("  \n\t ") == []
    assert split_sentences("") == []
    assert split_sentences(" \n ") == []


def test_text_of_only_punctuation():
    text = "?!... –,;"
    tokens = tokenize_text(text)
    assert_valid_tokens(text, tokens)
    assert [t.text for t in tokens] == ["?", "!", "...", "–", ",", ";"]
    assert {t.kind for t in tokens} == {"punct"}
    assert [text[s:e] for s, e in split_sentences(text)] == ["?!... –,;"]


def test_control_characters_nul_and_emoji_do_not_crash():
    text = "Putin\x00Kim \x01\x02 Treffen\u200b! 👍🏽 \x7f\ufeffEnde\u0301\x1b[0m"
    tokens = tokenize_text(text)
    assert_valid_tokens(text, tokens)
    assert "\x00" in [t.text for t in tokens]
    assert ("👍🏽", "symbol") in [(t.text, t.kind) for t in tokens]
    spans = split_sentences(text)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")


def test_non_string_text_is_rejected():
    with pytest.raises(ParameterError, match="must be a str"):
        tokenize_text(None)
    with pytest.raises(ParameterError, match="must be a str"):
        split_sentences(b"bytes")


@pytest.mark.parametrize("path", sorted(SEED.glob("*.txt")), ids=lambda p: p.name)
def test_seed_articles_offsets_and_sentence_cover(path):
    text = path.read_text(encoding="utf-8")
    tokens = tokenize_text(text)
    assert len(tokens) > 100
    assert_valid_tokens(text, tokens)
    spans = split_sentences(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)


# --------------------------------------------------------------------------------------
# split_sentences
# --------------------------------------------------------------------------------------


def test_sentences_end_at_terminal_punctuation():
    text = "Putin reiste nach Pjöngjang. Kim empfing ihn! Wer zahlt? 24 Jahre ist es her … „Beste Freunde“"
    assert sentence_texts(text) == [
        "Putin reiste nach Pjöngjang.",
        "Kim empfing ihn!",
        "Wer zahlt?",
        "24 Jahre ist es her …",
        "„Beste Freunde“",
    ]


def test_no_split_before_lower_case_word():
    assert sentence_texts("Was nun? fragte er. Dann ging er.") == ["Was nun? fragte er.", "Dann ging er."]


def test_every_line_is_a_sentence():
    text = "12:15 Uhr\nKCNA/Reuters\r\n\nPutin und Kim lachen\n-"
    assert sentence_texts(text) == ["12:15 Uhr", "KCNA/Reuters", "Putin und Kim lachen", "-"]


def test_split_after_closing_quote():
    text = "Er sagte, man werde das „nicht akzeptieren.“ Kim feierte den Besuch."
    assert sentence_texts(text) == [
        "Er sagte, man werde das „nicht akzeptieren.“",
        "Kim feierte den Besuch.",
    ]


def test_split_at_period_glued_to_capitalised_word():
    text = "Sie tauschten Geschenke.Dies war sein erster Besuch."
    assert sentence_texts(text) == ["Sie tauschten Geschenke.", "Dies war sein erster Besuch."]


def test_no_split_after_abbreviations_ordinals_initials_and_numbers():
    text = (
        "Es gab z. B. Hunde, u. a. Pferde und Autos bzw. Dr. Müller als Gast. "
        "Am 79. Tag des Krieges, am 20. Juni 2024, las er J. R. R. Tolkien auf 1.000 Seiten."
    )
    assert sentence_texts(text) == [
        "Es gab z. B. Hunde, u. a. Pferde und Autos bzw. Dr. Müller als Gast.",
        "Am 79. Tag des Krieges, am 20. Juni 2024, las er J. R. R. Tolkien auf 1.000 Seiten.",
    ]


def test_sentence_final_year_ends_the_sentence():
    assert sentence_texts("Der Krieg begann im Februar 2022. Sie flohen.") == [
        "Der Krieg begann im Februar 2022.",
        "Sie flohen.",
    ]


def test_glued_initial_does_not_split():
    assert sentence_texts("J.ong Un ist bekannt. Davon zeugt die Sammlung.") == [
        "J.ong Un ist bekannt.",
        "Davon zeugt die Sammlung.",
    ]


# --------------------------------------------------------------------------------------
# Word functions
# --------------------------------------------------------------------------------------


def test_stopwords():
    stop = german_stopwords()
    assert isinstance(stop, frozenset)
    assert {"und", "der", "die", "nicht"} <= stop
    assert "putin" not in stop
    assert all(word == word.lower() for word in stop)
    assert german_stopwords() is stop  # cached


def test_stems_are_those_of_nltks_german_snowball_stemmer():
    # An independent implementation of the same algorithm (NLTK comes with textblob-de).
    nltk_snowball = pytest.importorskip("nltk.stem.snowball")
    from analysis.store.vocabulary import stem_forms
    from generated import generated_corpus

    reference = nltk_snowball.SnowballStemmer("german")
    texts = generated_corpus(300, seed=3)["text"].tolist()
    forms = sorted({t for text in texts for t in text.split()} | {"Straße", "Häuser", "GRÖSSTE", "aufzuhören"})
    assert stem_forms(forms, [0] * len(forms)) == [reference.stem(f) for f in forms]
    assert [stem_word(f) for f in forms[:200]] == [reference.stem(f) for f in forms[:200]]


def test_lemmatize_and_stem_word():
    assert lemmatize_word("Diktatoren") == "Diktator"
    assert stem_word("Regierungschefs") == "regierungschef"
    assert stem_word("Diktatoren") == stem_word("diktatoren")
    with pytest.raises(ParameterError):
        lemmatize_word(3)
    with pytest.raises(ParameterError):
        stem_word(None)


# --------------------------------------------------------------------------------------
# tokenize / sentences tables
# --------------------------------------------------------------------------------------


def _documents():
    return pd.DataFrame(
        {
            "doc_id": ["b", "a", "c"],
            "outlet": ["CNN", "AFP", "AFP"],
            "text": [
                "Die beiden Diktatoren und Putin lachen. Kim fährt.",
                "„Beste Freunde“, sagte er am 20. Juni.",
                "",
            ],
        },
        index=[10, 5, 7],
    )


def test_tokens_table_columns_and_dtypes():
    tokens = tokenize(_documents())
    assert list(tokens.columns) == list(TOKEN_COLUMNS) == [
        "doc_id", "sentence_id", "token_id", "token", "start", "end", "kind", "lemma", "stem", "is_stop",
    ]
    for column in ["sentence_id", "token_id", "start", "end"]:
        assert tokens[column].dtype == np.int32
    assert isinstance(tokens["kind"].dtype, pd.CategoricalDtype)
    assert list(tokens["kind"].cat.categories) == ["word", "number", "punct", "quote", "symbol"]
    assert tokens["is_stop"].dtype == bool
    for column in ["doc_id", "token", "lemma", "stem"]:
        assert pd.api.types.is_string_dtype(tokens[column])
    assert list(tokens.index) == list(range(len(tokens)))


def test_tokens_table_content():
    documents = _documents()
    tokens = tokenize(documents)
    # Documents in the order given; the empty document has no rows.
    assert list(dict.fromkeys(tokens["doc_id"])) == ["b", "a"]
    first = tokens[tokens["doc_id"] == "b"]
    assert first["token"].tolist() == [
        "Die", "beiden", "Diktatoren", "und", "Putin", "lachen", ".", "Kim", "fährt", ".",
    ]
    assert first["token_id"].tolist() == list(range(10))
    assert first["sentence_id"].tolist() == [0] * 7 + [1] * 3
    row = first.set_index("token").loc["Diktatoren"]
    assert row["lemma"] == "Diktator"
    assert row["stem"] == "diktator"
    stop = first.set_index("token")["is_stop"]
    assert stop["und"] and stop["Die"] and not stop["Putin"] and not stop["Diktatoren"]
    words = tokens[tokens["kind"] == "word"]
    assert (words["stem"] == words["stem"].str.lower()).all()
    # Non-words keep the token as lemma and stem.
    others = tokens[tokens["kind"] != "word"]
    assert (others["lemma"] == others["token"]).all() and (others["stem"] == others["token"]).all()
    # Offsets point into each document's text.
    text_of = dict(zip(documents["doc_id"], documents["text"]))
    for doc_id, token, start, end in tokens[["doc_id", "token", "start", "end"]].itertuples(index=False):
        assert text_of[doc_id][start:end] == token
    second = tokens[tokens["doc_id"] == "a"]
    assert second["kind"].tolist()[:4] == ["quote", "word", "word", "quote"]
    assert "20." in second["token"].tolist()


def test_tokens_without_lemmas_and_stems():
    tokens = tokenize(_documents(), lemmas=False, stems=False)
    assert list(tokens.columns) == list(TOKEN_COLUMNS)
    assert (tokens["lemma"] == tokens["token"]).all()
    assert (tokens["stem"] == tokens["token"]).all()


def test_other_text_column():
    documents = _documents().rename(columns={"text": "body"})
    tokens = tokenize(documents, text_column="body")
    assert tokens["token"].iloc[0] == "Die"


def test_empty_documents_table():
    empty = pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)})
    tokens = tokenize(empty)
    assert len(tokens) == 0
    assert list(tokens.columns) == list(TOKEN_COLUMNS)
    table = sentences(empty)
    assert len(table) == 0
    assert list(table.columns) == ["doc_id", "sentence_id", "start", "end", "sentence"]


def test_missing_columns_and_bad_arguments():
    documents = _documents()
    with pytest.raises(ParameterError, match="'doc_id'"):
        tokenize(documents.drop(columns="doc_id"))
    with pytest.raises(ParameterError, match="'body'"):
        tokenize(documents, text_column="body")
    with pytest.raises(ParameterError, match="'text'"):
        sentences(documents.drop(columns="text"))
    with pytest.raises(ParameterError, match="DataFrame"):
        tokenize(["Putin"])
    with pytest.raises(ParameterError, match="lemmas"):
        tokenize(documents, lemmas="yes")
    with pytest.raises(ParameterError, match="row 1"):
        tokenize(pd.DataFrame({"doc_id": ["a", "b"], "text": ["Putin", None]}))


def test_sentences_table_matches_tokens():
    documents = _documents()
    table = sentences(documents)
    assert list(table.columns) == ["doc_id", "sentence_id", "start", "end", "sentence"]
    assert table["sentence"].tolist() == [
        "Die beiden Diktatoren und Putin lachen.",
        "Kim fährt.",
        "„Beste Freunde“, sagte er am 20. Juni.",
    ]
    assert table["doc_id"].tolist() == ["b", "b", "a"]
    assert table["sentence_id"].tolist() == [0, 1, 0]
    assert table["start"].dtype == np.int32
    tokens = tokenize(documents, lemmas=False, stems=False)
    kim = tokens[(tokens["doc_id"] == "b") & (tokens["token"] == "Kim")].iloc[0]
    row = table[(table["doc_id"] == "b") & (table["sentence_id"] == kim["sentence_id"])].iloc[0]
    assert row["start"] <= kim["start"] < kim["end"] <= row["end"]


def test_arbitrary_text_keeps_the_invariants():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    pieces = list("aZä1 .,-'’„“\"@_+:/\n\u0301\u200dß(!?…–") + [
        "www.", "und ", "de", "Mai", "am ", "http://", "\x00", "👍", "🏽", "z.", " B.", "2022", "\u00ad",
    ]

    @hypothesis.settings(max_examples=150, deadline=None, database=None)
    @hypothesis.given(st.lists(st.sampled_from(pieces), max_size=25).map("".join) | st.text(max_size=30))
    def check(text):
        assert_valid_tokens(text, tokenize_text(text))
        spans = split_sentences(text)
        assert "".join("".join(text[s:e] for s, e in spans).split()) == "".join(text.split())
        assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))

    check()


def test_capitals_and_initials_are_not_lemmatised_into_common_words():
    from analysis.stats.counts import count_terms

    docs = pd.DataFrame({"doc_id": ["a"], "text": ["Wie BILD berichtet, wurde Sami A. abgeschoben. Die NATO bildet Truppen."]})
    table = tokenize(docs)
    lemma = dict(zip(table["token"], table["lemma"]))
    assert lemma["BILD"] == "BILD" and lemma["A."] == "A." and lemma["NATO"] == "NATO"
    assert lemma["bildet"] == "bilden" and lemma["berichtet"] == "berichten"  # ordinary words still are
    terms = set(count_terms(table, by="lemma").terms)
    assert "BILD" in terms and "anderer" not in terms


# --------------------------------------------------------------------------------------
# Lemma fallbacks (analysis.store.vocabulary.lemmatize_form), hand-picked words
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("form, lemma", [
    # present participles used as adjectives or adverbs: the participle, not the verb
    ("verheerend", "verheerend"), ("verheerenden", "verheerend"), ("verheerendes", "verheerend"),
    ("dringend", "dringend"), ("zunehmend", "zunehmend"), ("lächelnde", "lächelnd"),
    ("wandernden", "wandernd"), ("wegweisende", "wegweisend"), ("eierlegende", "eierlegend"),
    # ... but not nouns, pronouns, conjunctions or finite verbs that end in -end(e)
    ("jemand", "jemand"), ("jemanden", "jemand"), ("während", "während"), ("elend", "elend"),
    ("elenden", "elend"), ("tausende", "tausend"), ("Abend", "Abend"), ("Jugend", "Jugend"),
    ("Tugend", "Tugend"), ("Legende", "Legende"), ("Ende", "Ende"), ("Dividende", "Dividende"),
    ("Reisenden", "Reisende"), ("verwende", "verwenden"), ("blende", "blenden"),
    ("transgender", "transgender"),
    # spelling before 1996: ß after a short vowel, before a consonant or at the end
    ("wußtest", "wissen"), ("Kuß", "Kuss"), ("Imbiß", "Imbiss"), ("Schloßpark", "Schlosspark"),
    ("Nußschalen", "Nussschale"),
    # ... while current ß stays
    ("Fuß", "Fuß"), ("Straße", "Straße"), ("Grießbrei", "Grießbrei"), ("Rußpartikel", "Rußpartikel"),
    # a number glued to a word
    ("30jährigen", "30jährig"), ("3fache", "3fach"), ("10-tägigen", "10-tägig"),
    ("12köpfige", "12köpfig"), ("100prozentige", "100prozentig"), ("1990er", "1990er"),
    ("80ern", "80ern"),
    # compounds simplemma does not know (its greedy mode)
    ("Windkraftanlagenbetreibern", "Windkraftanlagenbetreiber"),
    ("Klimaschutzgesetzen", "Klimaschutzgesetz"), ("Großstadtbewohnern", "Großstadtbewohner"),
    # ... but not demonyms or agent nouns in -er, names with inner capitals, suspended hyphens
    ("Kreuzberger", "Kreuzberger"), ("Istanbuler", "Istanbuler"), ("Chicagoer", "Chicagoer"),
    ("FitnessPoint", "FitnessPoint"), ("Gesundheits-", "Gesundheits-"),
    # acronyms and initials as before
    ("BILD", "BILD"), ("A.", "A."),
])
def test_lemma_fallbacks(form, lemma):
    assert lemmatize_word(form) == lemma


def test_vocabulary_lemmas_are_those_of_lemmatize_word():
    from analysis.store.vocabulary import annotate_forms

    forms = ["verheerenden", "Kuß", "30jährigen", "Klimaschutzgesetzen", "Diktatoren", "jemanden", "BILD"]
    assert annotate_forms(forms, stems=False)["lemma"].tolist() == [lemmatize_word(f) for f in forms]
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["Die verheerenden Folgen wußte der 30jährige Imbiß-Wirt."]})
    table = tokenize(docs)
    words = table[table["kind"] == "word"]
    assert words["lemma"].tolist() == [lemmatize_word(t) for t in words["token"]]
    assert {"verheerend", "wissen", "30jährig"} <= set(words["lemma"])
