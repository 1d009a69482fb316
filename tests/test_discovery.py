"""Entities found automatically: hand-made texts with known answers, and a generated corpus."""

import random
import re

import pandas as pd
import pytest

from analysis.clean import clean_corpus
from analysis.errors import ParameterError
from analysis.framing.discovery import (
    ROLE_NOUNS,
    SOURCE,
    TABLE_COLUMNS,
    WORD_COLUMNS,
    discover,
    discover_entities,
    discovery_table,
    registry_to_dict,
    write_registry,
)
from analysis.framing.entities import Registry, find_mentions, load_registry, registry_from_dict
from analysis.io.corpus import bundled_corpus_path, load_corpus
from analysis.store import TokenStore
from analysis.text import tokenize


def _docs(*texts):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def _by_name(registry):
    return {e.name: e for e in registry}


def _words(registry):
    """Every word of every variant of every entity."""
    return {w for e in registry for v in e.variants for w in v.replace("-", " ").split()}


# ------------------------------------------------------------------------------ hand-made
SCHOLZ_TEXTS = (
    "Bundeskanzler Olaf Scholz traf am Mittwoch Außenministerin Annalena Baerbock in Berlin. "
    "Die Regierung teilte mit, Scholz habe große Sorgen wegen der Lage. Die SPD schwieg dazu.",
    "Am Mittwoch sagte Scholz, die Regierung sei sich einig. Baerbocks Reise nach Paris war kurz. "
    "Sorgen bereitet der Regierung vor allem der Haushalt. Auch die SPD lobte Kanzler Olaf Scholz.",
    "Die Sorgen der Regierung wachsen. Außenministerin Annalena Baerbock widersprach am Mittwoch "
    "der SPD. Kanzler Scholz schwieg, erklärte Baerbock später.",
)


def test_roles_genitives_and_short_forms_give_one_person_each():
    registry = discover_entities(_docs(*SCHOLZ_TEXTS))
    found = _by_name(registry)
    assert found["Olaf Scholz"].type == "person"
    assert set(found["Olaf Scholz"].variants) == {"Olaf Scholz", "Scholz"}
    # The role nouns are evidence, not part of the name.
    assert {"Bundeskanzler", "Kanzler"} <= set(found["Olaf Scholz"].roles)
    assert set(found["Annalena Baerbock"].variants) == {"Annalena Baerbock", "Baerbock", "Baerbocks"}
    assert found["Annalena Baerbock"].roles == ("Außenministerin",)
    assert found["SPD"].type == "organisation"
    # Capitalised common nouns and weekdays are not names.
    assert not {"Regierung", "Mittwoch", "Sorgen", "Lage", "Haushalt", "Reise"} & _words(registry)
    assert not any(v.startswith(("Bundeskanzler", "Kanzler", "Außenministerin")) for e in registry for v in e.variants)


def test_every_entity_says_it_was_found_automatically():
    registry = discover_entities(_docs(*SCHOLZ_TEXTS))
    assert isinstance(registry, Registry) and registry.source == SOURCE == "found automatically"
    assert all(e.note.startswith("found automatically: ") for e in registry)
    assert "role nouns" in registry["Olaf Scholz"].note


def test_the_word_table_says_why_common_nouns_are_not_names():
    words = discover(_docs(*SCHOLZ_TEXTS)).words
    assert list(words.columns) == list(WORD_COLUMNS)
    verdict = dict(zip(words["form"], words["verdict"]))
    assert verdict["Mittwoch"] == "weekday or month"
    assert verdict["Sorgen"] in ("after determiners", "inflected noun without enough name contexts")
    assert verdict["Lage"] == "after determiners"
    assert verdict["Scholz"] == "name" and verdict["Außenministerin"] == "role noun"
    row = words.set_index("form").loc["Scholz"]
    assert row["determiner_share"] == 0 and row["context_share"] >= 0.5 and row["zipf"] > 3


KIM_TEXTS = (
    "Machthaber Kim Jong Un empfing seine Schwester Kim Yo Jong. Kim lachte.",
    "Die Schwester Kim Yo Jong lobte Machthaber Kim Jong-un. Danach schwieg Kim.",
    "Kim Jong Uns Rede war kurz, sagte Kim Yo Jong.",
)


def test_a_surname_shared_by_two_persons_stays_ambiguous():
    result = discover(_docs(*KIM_TEXTS))
    found = _by_name(result.registry)
    assert found["Kim Jong Un"].type == found["Kim Yo Jong"].type == "person"
    assert {"Kim Jong Un", "Kim Jong-un", "Kim Jong Uns"} == set(found["Kim Jong Un"].variants)
    assert "Kim" not in {v for e in result.registry for v in e.variants}
    row = result.table.set_index("name").loc["Kim"]
    assert row["status"] == "ambiguous" and row["ambiguous_with"] == "Kim Jong Un | Kim Yo Jong"
    # So a lone "Kim" is no mention of either.
    mentions = find_mentions(_docs(*KIM_TEXTS), result.registry)
    assert "Kim" not in set(mentions["form"])
    assert mentions["entity"].value_counts().to_dict() == {"Kim Yo Jong": 3, "Kim Jong Un": 3}


def test_a_short_form_of_one_name_joins_it():
    texts = ("Machthaber Kim Jong Un kam. Kim lachte.", "Kim sprach mit Machthaber Kim Jong Un.")
    found = _by_name(discover_entities(_docs(*texts)))
    assert set(found["Kim Jong Un"].variants) == {"Kim Jong Un", "Kim"}


def test_patronymic_and_hyphen_spellings_are_one_person():
    texts = (
        "Präsident Wladimir Putin kam. Dann sprach Putin lange.",
        "Kremlchef Wladimir Wladimirowitsch Putin lachte. Putins Gast schwieg.",
        "Am Abend sagte Wladimir Putin nichts. Putin ging.",
    )
    found = _by_name(discover_entities(_docs(*texts)))
    assert set(found["Wladimir Putin"].variants) == {"Wladimir Putin", "Wladimir Wladimirowitsch Putin",
                                                      "Putin", "Putins"}


def test_two_names_side_by_side_are_split():
    texts = [f"Präsident Wladimir Putin und Machthaber Kim Jong Un reisten. Dann lachte Putin. Kim {v}."
             for v in ("schwieg", "lachte", "ging")]
    texts.append("Danach überreichte Putin Kim ein Auto. Putin lachte.")
    result = discover(_docs(*texts))
    names = set(result.table["name"])
    assert "Putin Kim" not in names and "Putin Kim" not in _words(result.registry) | {""}
    found = _by_name(result.registry)
    assert "Putin" in found["Wladimir Putin"].variants and "Kim" in found["Kim Jong Un"].variants
    mentions = find_mentions(_docs(*texts), result.registry)
    assert mentions[mentions["doc_id"] == "d3"]["form"].tolist() == ["Putin", "Kim", "Putin"]


def test_acronyms_are_organisations_and_shouting_is_not():
    texts = (
        "Die SPD und die CDU stritten. NEIN, sagte die FDP. Das TV-Duell lief im TV. LIVE aus Berlin!",
        "Auch die NATO und die SPD tagten. Die CDU schwieg. Die USA warteten. Das lief live im TV, III.",
    )
    found = _by_name(discover_entities(_docs(*texts), min_documents=1))
    assert {name: e.type for name, e in found.items()} == {
        "SPD": "organisation", "CDU": "organisation", "NATO": "organisation", "FDP": "organisation",
        "USA": "place"}
    # "NEIN" is a stop word, "LIVE" is written in lower case too, "TV" and "III" are listed.
    assert not {"NEIN", "LIVE", "TV", "III"} & set(found)


def test_a_capitalised_acronym_spelling_is_the_same_organisation():
    texts = ("Die NATO tagte. Die Nato warnte.", "Die Nato und die NATO schwiegen.")
    found = _by_name(discover_entities(_docs(*texts)))
    assert set(found) == {"NATO"} and set(found["NATO"].variants) == {"NATO", "Nato"}


def test_names_with_proper_adjectives_are_organisations_in_every_case():
    texts = (
        "Die Europäische Union verhängte Sanktionen. Die Vereinten Nationen schwiegen.",
        "Die Sanktionen der Europäischen Union treffen die Wirtschaft. Auch die Deutsche Bank prüft.",
        "In der Europäischen Union und bei den Vereinten Nationen wächst die Kritik an der Deutschen Bank.",
    )
    found = _by_name(discover_entities(_docs(*texts)))
    assert found["Europäische Union"].type == "organisation"
    assert set(found["Europäische Union"].variants) == {"Europäische Union", "Europäischen Union"}
    assert found["Vereinten Nationen"].type == "organisation"
    assert set(found["Deutsche Bank"].variants) == {"Deutsche Bank", "Deutschen Bank"}
    assert not {"Sanktionen", "Wirtschaft", "Kritik"} & _words(discover_entities(_docs(*texts)))


def test_a_word_seen_only_at_the_start_of_sentences_is_no_name():
    texts = ("Dabei lachte Kanzler Olaf Scholz. Trotzdem ging er.", "Dabei sagte Scholz nichts. Trotzdem ging er.")
    words = discover(_docs(*texts)).words
    assert "Dabei" not in set(words["form"]) and "Trotzdem" not in set(words["form"])
    assert set(_by_name(discover_entities(_docs(*texts)))) == {"Olaf Scholz"}


def test_kinds_from_prepositions_and_unknown_names():
    texts = ("Die Delegation reiste nach Pjöngjang. In Pjöngjang regnete es. Ein Aurus fuhr vor, während Arras hupte.",
             "Aus Pjöngjang kam Kritik. Der Aurus glänzte, während Arras davonraste. Arras hupte.")
    result = discover(_docs(*texts))
    found = _by_name(result.registry)
    assert found["Pjöngjang"].type == "place"
    status = result.table.set_index("name")["status"].to_dict()
    assert status.get("Arras") == "no kind evidence" and "Arras" not in found
    kept = _by_name(discover_entities(_docs(*texts), unknown_type="object"))
    assert kept["Arras"].type == "object" and "kind unknown" in kept["Arras"].note


def test_documents_tokens_table_and_store_give_the_same_registry():
    docs = _docs(*SCHOLZ_TEXTS, *KIM_TEXTS)
    plain = discover_entities(docs)
    tidy = discover_entities(docs, tokens=tokenize(docs))
    store = TokenStore.from_texts(docs["doc_id"], docs["text"])
    stored = discover_entities(tokens=store)
    subset = discover_entities(docs.iloc[:3], tokens=store)

    def summary(registry):
        return [(e.id, e.type, e.variants) for e in registry]

    assert summary(plain) == summary(tidy) == summary(stored)
    assert summary(subset) == summary(discover_entities(docs.iloc[:3]))


def test_parameters_are_checked_and_limits_apply():
    docs = _docs(*SCHOLZ_TEXTS)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ParameterError, match="min_documents"):
            discover_entities(docs, min_documents=bad)
    with pytest.raises(ParameterError, match="unknown_type"):
        discover_entities(docs, unknown_type="thing")
    with pytest.raises(ParameterError, match="documents"):
        discover_entities()
    table = discovery_table(docs, max_entities=1)
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert (table["status"] == "kept").sum() == 1 and "beyond max_entities" in set(table["status"])
    assert len(discover_entities(docs, max_entities=1)) == 1
    assert {e.name for e in discover_entities(docs, min_documents=3)} == {"Olaf Scholz", "Annalena Baerbock", "SPD"}
    assert len(discover_entities(docs, min_documents=4)) == 0
    # Own role nouns replace the list: without "kanzler", "Kanzler" reads as part of a name.
    found = _by_name(discover_entities(docs, role_nouns=["Außenministerin"]))
    assert found["Annalena Baerbock"].roles == ("Außenministerin",) and "Kanzler Olaf Scholz" in found
    extended = discover_entities(docs, role_nouns=ROLE_NOUNS + ("schweiger",))
    assert [e.name for e in extended] == [e.name for e in discover_entities(docs)]


def test_empty_and_name_free_corpora_give_an_empty_registry():
    assert len(discover_entities(_docs("die kleine katze schläft.", "sie schläft noch."))) == 0
    result = discover(_docs("Die Regierung tagte am Montag.", "Die Regierung schwieg am Montag."))
    assert len(result.registry) == 0 and list(result.table.columns) == list(TABLE_COLUMNS)


def test_the_registry_file_reads_back(tmp_path):
    registry = discover_entities(_docs(*SCHOLZ_TEXTS, *KIM_TEXTS))
    path = write_registry(registry, tmp_path / "found.yml")
    assert path.read_text(encoding="utf-8").startswith("# Entity registry (found automatically)")
    again = load_registry(path)
    assert [(e.id, e.type, e.name, e.variants, e.roles, e.note) for e in again] == \
        [(e.id, e.type, e.name, e.variants, e.roles, e.note) for e in registry]
    assert registry_from_dict(registry_to_dict(registry)).persons()[0].name == registry.persons()[0].name


# ------------------------------------------------------------------------------ generated
PERSONS = (  # first name, surname, role nouns
    ("Olaf", "Scholz", ("Bundeskanzler", "Kanzler", "Regierungschef")),
    ("Annalena", "Baerbock", ("Außenministerin", "Ministerin", "Grünen-Politikerin")),
    ("Wladimir", "Putin", ("Kremlchef", "Präsident", "Staatschef")),
    ("Emmanuel", "Macron", ("Präsident", "Staatschef")),
    ("Friedrich", "Merz", ("CDU-Chef", "Oppositionsführer")),
    ("Christian", "Lindner", ("Finanzminister", "FDP-Chef")),
    ("Robert", "Habeck", ("Wirtschaftsminister", "Vizekanzler")),
    ("Wolodymyr", "Selenskyj", ("Präsident", "Staatschef")),
    ("Boris", "Pistorius", ("Verteidigungsminister", "Minister")),
    ("Nancy", "Faeser", ("Innenministerin", "Ministerin")),
    ("Sahra", "Wagenknecht", ("Parteichefin", "Politikerin")),
    ("Giorgia", "Meloni", ("Regierungschefin", "Ministerpräsidentin")),
)
KOREANS = (("Kim Jong Un", ("Machthaber", "Diktator")), ("Kim Yo Jong", ("Schwester", "Sprecherin")))
ACRONYMS = ("SPD", "CDU", "FDP", "NATO", "EU")
COMMON_NOUNS = (  # (nominative singular or plural, article)
    ("Regierung", "die"), ("Wirtschaft", "die"), ("Koalition", "die"), ("Haushalt", "der"),
    ("Gipfel", "der"), ("Krieg", "der"), ("Streit", "der"), ("Reform", "die"), ("Lage", "die"),
    ("Entscheidung", "die"), ("Zukunft", "die"), ("Energie", "die"), ("Inflation", "die"),
    ("Sanktionen", "die"), ("Verhandlungen", "die"), ("Preise", "die"), ("Sorgen", "die"),
    ("Menschen", "die"), ("Bürger", "die"), ("Frage", "die"), ("Unterstützung", "die"),
    ("Grenze", "die"), ("Armee", "die"), ("Industrie", "die"), ("Opposition", "die"),
)
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag")
CITIES = ("Berlin", "Paris", "Kiew", "Moskau", "Brüssel", "Rom")
OUTLETS = ("Tagesblatt", "Rheinpost", "Der Morgen", "Hansa-Zeitung", "Südwest Aktuell")
ADJECTIVES = ("schwierig", "ernst", "offen", "entscheidend", "angespannt")
VERBS = ("sagte", "erklärte", "betonte", "kritisierte", "warnte")
QUOTES = ("Wir stehen zusammen", "Das ist ein wichtiger Tag", "Die Lage ist ernst", "Wir verhandeln weiter")


def _genitive(surname: str) -> str:
    return surname + ("'" if surname[-1] in "sxzß" else "s")


def _article(rng: random.Random, persons) -> str:
    """One article: sentences about two or three persons, with common nouns all around."""
    sentences = []
    for _ in range(rng.randint(8, 14)):
        first, last, roles = rng.choice(persons)
        other_first, other_last, other_roles = rng.choice(persons)
        full, other = f"{first} {last}".strip(), f"{other_first} {other_last}".strip()
        short = last or first.split()[0]
        noun, article = rng.choice(COMMON_NOUNS)
        noun2, article2 = rng.choice(COMMON_NOUNS)
        day, city, acronym = rng.choice(WEEKDAYS), rng.choice(CITIES), rng.choice(ACRONYMS)
        templates = (
            f"{rng.choice(roles)} {full} traf am {day} in {city} {rng.choice(other_roles)} {other}.",
            f"„{rng.choice(QUOTES)}“, {rng.choice(VERBS)} {short}.",
            f"{short} kritisierte am {day} {article} {noun} und {article2} {noun2}.",
            f"Nach Angaben der {acronym} wächst {article} {noun} in {city}.",
            f"{article.capitalize()} {noun} bereitet {short} große Sorgen.",
            f"Viele Menschen haben Sorgen wegen der {noun2}.",
            f"Sorgen macht vor allem {article} {noun}.",
            f"Am {day} erklärte {rng.choice(roles)} {short}, {article} {noun} sei {rng.choice(ADJECTIVES)}.",
            f"Die Regierung in {city} lehnte {article} {noun} ab.",
            f"Auch die {acronym} äußerte sich am {day} zu {article} {noun}.",
            f"Mit {short} sprach {rng.choice(other_roles)} {other} über {article} {noun}.",
            f"{_genitive(short)} Vorschlag zu {article} {noun} stieß auf Kritik.",
            f"Die Europäische Union und die {acronym} forderten mehr {noun2}.",
            f"In der Europäischen Union wächst {article} {noun}.",
            f"Die Vereinten Nationen warnten vor {article} {noun}.",
            f"Im Juni will {short} nach {city} reisen, {rng.choice(VERBS)} {other}.",
        )
        sentences.append(rng.choice(templates))
    return " ".join(sentences)


def generated_corpus(n: int = 300, seed: int = 7) -> pd.DataFrame:
    """``n`` articles of several outlets; each article is about two or three planted persons."""
    rng = random.Random(seed)
    people = list(PERSONS) + [(name, "", roles) for name, roles in KOREANS]
    rows = []
    for i in range(n):
        chosen = rng.sample(people, rng.randint(2, 3))
        rows.append((f"g{i:04d}", rng.choice(OUTLETS), _article(rng, chosen)))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])


@pytest.fixture(scope="module")
def generated():
    documents = generated_corpus()
    store = TokenStore.from_texts(documents["doc_id"], documents["text"])
    return documents, store, discover(documents, tokens=store)


def test_every_planted_person_is_found_with_its_short_forms(generated):
    _, _, result = generated
    found = _by_name(result.registry)
    for first, last, _ in PERSONS:
        entity = found[f"{first} {last}"]
        assert entity.type == "person", entity
        assert last in entity.variants
        assert entity.note.startswith(SOURCE)
    for name, _ in KOREANS:
        assert found[name].type == "person"
    # Genitives: "Putins" joins Putin; "Scholz'" is "Scholz" and an apostrophe.
    assert "Putins" in found["Wladimir Putin"].variants
    # Both Koreans use "Kim" alone: it stays ambiguous.
    assert result.table.set_index("name").loc["Kim", "status"] == "ambiguous"


def test_no_common_noun_or_weekday_is_found(generated):
    _, _, result = generated
    words = _words(result.registry)
    assert not words & {noun for noun, _ in COMMON_NOUNS}
    assert not words & set(WEEKDAYS) and "Juni" not in words and "Sorgen" not in words and "Kritik" not in words
    assert not words & {r for _, _, roles in PERSONS for r in roles}
    persons = {e.name for e in result.registry if e.type == "person"}
    assert persons == {f"{f} {s}" for f, s, _ in PERSONS} | {name for name, _ in KOREANS}


def test_the_planted_organisations_are_found(generated):
    _, _, result = generated
    found = _by_name(result.registry)
    for acronym in ACRONYMS:
        assert found[acronym].type == "organisation"
    assert found["Europäische Union"].type == "organisation"
    assert "Europäischen Union" in found["Europäische Union"].variants
    assert found["Vereinten Nationen"].type == "organisation"


def test_mentions_of_the_found_registry(generated):
    documents, store, result = generated
    mentions = find_mentions(documents, result.registry, tokens=store)
    assert (mentions["form"].to_numpy() == [t[a:z] for t, a, z in zip(
        documents.set_index("doc_id").loc[mentions["doc_id"], "text"], mentions["start"], mentions["end"])]).all()
    text = " ".join(documents["text"])
    for first, last, _ in PERSONS:
        expected = len(re.findall(rf"(?<![\w-])(?:{first} )?{last}s?(?![\w-])", text))
        got = mentions[mentions["entity"] == f"{first} {last}"]
        assert len(got) == expected, (last, len(got), expected)
        assert set(got["type"]) == {"person"}
    # The tidy path gives the same table.
    tidy = find_mentions(documents, result.registry, tokens=tokenize(documents, lemmas=False, stems=False))
    pd.testing.assert_frame_equal(tidy, mentions)


def test_the_found_registry_drives_a_prepared_corpus(generated, tmp_path):
    from analysis.pipeline import prepare_corpus

    documents, _, result = generated
    corpus = tmp_path / "corpus.csv"
    documents.to_csv(corpus, index=False)
    registry_file = write_registry(result.registry, tmp_path / "found.yml")
    prepared = prepare_corpus(corpus, entities=registry_file, jobs=1, quiet=True, cache=False)
    persons = prepared.mentions[prepared.mentions["type"] == "person"]
    assert set(persons["entity"]) == {e.id for e in result.registry if e.type == "person"}
    # Names are counted as one term each, the canonical name.
    assert "Olaf Scholz" in prepared.doc_counts.terms


def test_labels_and_sentiment_toward_the_found_persons(generated):
    from analysis.framing.labels import attribute_labels
    from analysis.sentiment.levels import score_persons

    documents, store, result = generated
    found, _ = attribute_labels(documents, result.registry, None, tokens=store)
    # "Kremlchef" and "Machthaber" are labels of labels.yml; here they name the found persons.
    named = found.loc[found["label"].isin(["Kremlchef", "Machthaber"]), "person"]
    assert {"Wladimir Putin", "Kim Jong Un"} <= set(named)
    mentions = find_mentions(documents, result.registry, tokens=store)
    scores = score_persons(store, mentions=mentions[mentions["type"] == "person"])
    assert set(scores["person"]) == {e.name for e in result.registry if e.type == "person"}


# ------------------------------------------------------------------------------ bundled
def test_the_bundled_corpus_gives_the_summit_persons():
    documents, _ = clean_corpus(load_corpus(bundled_corpus_path()))
    result = discover(documents, min_documents=1)
    found = _by_name(result.registry)
    assert {e.name for e in result.registry if e.type == "person"} >= {
        "Wladimir Putin", "Kim Jong Un", "Juri Uschakow", "Moon Jae-in"}
    assert {"Putin", "Putins", "Wladimir Putin"} <= set(found["Wladimir Putin"].variants)
    assert {"Kim", "Kim Jong Un", "Kim Jong-un", "Jong Un"} <= set(found["Kim Jong Un"].variants)
    assert {"KCNA", "TASS", "AFP"} <= {e.name for e in result.registry if e.type == "organisation"}
    assert found["Pjöngjang"].type == "place"
    # The hand-made registry's persons are found with the same mentions, but for the
    # spellings seen only at the start of a sentence ("QUtin") or after a lower-case piece
    # ("J.ong Un").
    shipped = find_mentions(documents, load_registry())
    mine = find_mentions(documents, result.registry)
    for ident, name in (("Putin", "Wladimir Putin"), ("Kim", "Kim Jong Un"), ("Uschakow", "Juri Uschakow")):
        theirs = shipped[shipped["entity"] == ident]
        ours = mine[mine["entity"] == name]
        missing = set(zip(theirs["doc_id"], theirs["start"])) - set(zip(ours["doc_id"], ours["start"]))
        assert {f for d, s, f in zip(theirs["doc_id"], theirs["start"], theirs["form"]) if (d, s) in missing} \
            <= {"QUtin", "J.ong Un"}
