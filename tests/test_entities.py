"""Entity registry and mentions: counts established by reading the bundled articles."""

import pandas as pd
import pytest

from analysis.clean import clean_corpus
from analysis.io.corpus import load_bundled_corpus
from analysis.framing.entities import (
    MENTION_COLUMNS,
    find_mentions,
    lexicon_path,
    load_registry,
    registry_from_dict,
)
from analysis.errors import LexiconError, ParameterError
from analysis.text import tokenize

AFP = "000_f72946cf7d7e84f3"
CNN = "001_06388abdcad2d3b3"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def bundled(registry):
    documents, _ = clean_corpus(load_bundled_corpus())
    tokens = tokenize(documents, lemmas=False, stems=False)  # mentions need no lemmas
    return documents, tokens, find_mentions(documents, registry, tokens=tokens)


def _docs(*texts):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def _write(tmp_path, text, name="entities.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------- registry
def test_bundled_registry_is_valid(registry):
    assert lexicon_path("entities.yml").is_file()
    types = {e.type for e in registry}
    assert types == {"person", "place", "object", "organisation"}
    putin = registry["Putin"]
    assert putin.name == "Wladimir Putin" and putin.country == "Russland"
    assert {"Putin", "Putins", "QUtin", "Wladimir Putin"} <= set(putin.variants)
    assert {"Kim Jong Un", "Kim Jong-un", "Jong Un", "J.ong Un", "Kim", "Kims"} <= set(registry["Kim"].variants)
    assert registry.implied_by("Kremlchef") == registry.implied_by("Kremlherr") == "Putin"
    assert registry.genitive_country("Nordkoreas") == "Nordkorea"
    assert registry.genitive_country("Südkoreas") == "Südkorea"
    for word, country in [("russische", "Russland"), ("Russischer", "Russland"), ("nordkoreanischen", "Nordkorea"),
                          ("südkoreanische", "Südkorea"), ("russisch", "Russland")]:
        assert registry.adjective_country(word) == country
    assert registry.adjective_country("russisch-nordkoreanische") is None
    assert registry.is_genitive("Putin", "Putins") and not registry.is_genitive("Aurus", "Aurus")


# ---------------------------------------------------------------------------------- variants
def test_limousine_spellings_are_one_entity(registry):
    docs = _docs("Der Aurus fuhr vor. Die Auras glänzte. Arras raste davon. Eine Aura, ein Aurus Senat, "
                 "ein Auras-Auto und ein Auras-Luxusauto.")
    mentions = find_mentions(docs, registry)
    assert mentions["form"].tolist() == ["Aurus", "Auras", "Arras", "Aura", "Aurus Senat", "Auras-Auto", "Auras-Luxusauto"]
    assert set(mentions["entity"]) == {"Aurus"} and set(mentions["type"]) == {"object"}


def test_dog_spellings_are_one_entity(registry):
    mentions = find_mentions(_docs("Zwei Pungsan-Hunde, ein Pungsan, ein Bungsan und die Bungsan-Hunde."), registry)
    assert mentions["form"].tolist() == ["Pungsan-Hunde", "Pungsan", "Bungsan", "Bungsan-Hunde"]
    assert set(mentions["entity"]) == {"Pungsan"}


def test_longest_match_and_compounds(registry):
    text = "Kim Jong Un und Kim trafen QUtin auf dem Kim-Il-Sung-Platz. Das Kim-Regime lobte Kims Gast. J.ong Un lachte."
    mentions = find_mentions(_docs(text), registry)
    assert mentions[["form", "entity"]].values.tolist() == [
        ["Kim Jong Un", "Kim"], ["Kim", "Kim"], ["QUtin", "Putin"], ["Kim-Il-Sung-Platz", "Kim-Il-Sung-Platz"],
        ["Kims", "Kim"], ["J.ong Un", "Kim"],
    ]
    assert mentions.loc[3, "type"] == "place"


def test_names_do_not_cross_sentences_or_match_lowercase(registry):
    mentions = find_mentions(_docs("Das sagte Kim. Jong Un kam nicht. Ein putin ist kein Name."), registry)
    assert mentions["form"].tolist() == ["Kim", "Jong Un"]


# ---------------------------------------------------------------------------------- bundled corpus
def test_mention_table_shape(bundled):
    documents, _, mentions = bundled
    assert list(mentions.columns) == list(MENTION_COLUMNS)
    texts = documents.set_index("doc_id")["text"]
    for row in mentions.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.form
    for _, group in mentions.groupby("doc_id"):
        assert (group["start"].to_numpy()[1:] >= group["end"].to_numpy()[:-1]).all()  # no overlaps, in order


def test_person_mention_counts_by_reading(bundled):
    # Counted by hand in the cleaned texts.
    # AFP-based, Putin (15): title "Wladimir Putin"; "Wladimir Putin" (summit sentence); "Putins erster Besuch";
    #   "QUtin wurde"; "Putin schenkte"; "von Putin erhalten"; "nannte Putin"; "Putin und Jong Un";
    #   "brachte Putin"; "Putins leitendem Berater"; "Büste von Putin"; "so Putin"; "gegenüber Putin";
    #   "Putin bekräftigte"; "QUtin dankte".
    # AFP-based, Kim (12): title "Kim Jong-un"; "Machthaber Kim Jong Un"; "Gastgeber Kim Jong Un";
    #   "schenkte Kim Jong Un"; "J.ong Un ist"; "Kim Jong Un nannte"; "und Jong Un"; "Kim seinerseits";
    #   "Kim äußerte"; "Kim feierte"; "dankte Kim"; "nachdem Kim". Not "Kim-Il-Sung-Platz".
    # CNN-based, Putin (14): title "Putin und Kim"; "Wladimir Putin und Kim Jong Un reisten";
    #   "Präsident Wladimir Putin"; "Putins erster Besuch"; "wie Putin zunächst"; "von Putins hartem Krieg";
    #   "überreichte Putin Kim am Mittwoch"; "Putins Berater"; "wie Putin im Gegenzug"; "Putins Besuch";
    #   "überreichte Putin Kim beim Austausch"; "dass Putin seinem Gegner"; "Putin wiederum"; "landete Putin".
    # CNN-based, Kim (9): title; "Kim Jong Un reisten"; "Machthaber Kim Jong Un"; "während Kim";
    #   "Putin Kim am Mittwoch"; "habe Kim"; "die Kim ihm"; "Putin Kim beim"; "brachte Kim".
    #   Not "Kim-Regimes".
    _, _, mentions = bundled
    counts = mentions.groupby(["doc_id", "entity"]).size()
    assert counts[(AFP, "Putin")] == 15
    assert counts[(AFP, "Kim")] == 12
    assert counts[(CNN, "Putin")] == 14
    assert counts[(CNN, "Kim")] == 9
    assert counts[(AFP, "Uschakow")] == counts[(CNN, "Uschakow")] == 1
    assert counts[(CNN, "Moon")] == 1 and (AFP, "Moon") not in counts
    assert counts[(AFP, "Aurus")] == 2  # "Aurus Senat", "den ersten Aurus"
    assert counts[(CNN, "Aurus")] == 5  # Auras-Auto (2), Auras-Luxusauto, Arras, Aura
    assert counts[(AFP, "Pungsan")] == counts[(CNN, "Pungsan")] == 1
    forms = mentions[(mentions["doc_id"] == AFP) & (mentions["entity"] == "Kim")]["form"].value_counts()
    assert forms.to_dict() == {"Kim Jong Un": 4, "Kim": 5, "Jong Un": 1, "J.ong Un": 1, "Kim Jong-un": 1}


def test_places_and_tokens_argument(bundled, registry):
    documents, tokens, mentions = bundled
    places = set(mentions.loc[mentions["type"] == "place", "entity"])
    assert {"Pjöngjang", "Moskau", "Kreml", "Kim-Il-Sung-Platz", "Kumsusan-Gästepalast", "Hanoi", "Seoul",
            "Washington"} <= places
    pd.testing.assert_frame_equal(find_mentions(documents, registry), mentions)
    with pytest.raises(ParameterError):
        find_mentions(documents, registry, tokens=tokenize(_docs("Anderer Text")))


# ---------------------------------------------------------------------------------- errors
def test_malformed_yaml_names_the_file(tmp_path):
    path = _write(tmp_path, "entities:\n  - id: Putin\n    variants: [Putin\n")
    with pytest.raises(LexiconError) as info:
        load_registry(path)
    assert str(path) in str(info.value) and "YAML" in str(info.value)


def test_python_object_tag_is_refused(tmp_path):
    path = _write(tmp_path, "entities: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(LexiconError) as info:
        load_registry(path)
    assert str(path) in str(info.value) and "python" in str(info.value).lower()


@pytest.mark.parametrize(
    "entity, words",
    [
        ("- {id: Putin, name: Wladimir Putin, variants: [Putin]}", ["'Putin'", "'type'", "missing"]),
        ("- {id: Putin, type: person, variants: [Putin]}", ["'Putin'", "'name'", "missing"]),
        ("- {id: Putin, type: human, name: Putin, variants: [Putin]}", ["'Putin'", "'type'"]),
        ("- {id: Putin, type: person, name: Putin, variants: Putin, land: RU}", ["'Putin'", "'land'"]),
        ("- {id: Putin, type: person, name: Putin, variants: [1, 2]}", ["'Putin'", "'variants'"]),
        ("- {id: Putin, type: person, name: Putin, variants: [P], country: Mars}", ["'Putin'", "'country'", "Mars"]),
        ("- {id: Kreml, type: place, name: Kreml, variants: [K], country: Russland}", ["'Kreml'", "'country'"]),
        ("- {id: A, type: person, name: A, variants: [Kim]}\n  - {id: B, type: person, name: B, variants: [Kim]}",
         ["'B'", "'variants'", "'Kim'"]),
        ("- {id: A, type: person, name: A, variants: [A]}\n  - {id: A, type: person, name: B, variants: [B]}",
         ["'A'", "'id'"]),
    ],
)
def test_missing_or_wrong_fields_name_file_entity_and_field(tmp_path, entity, words):
    path = _write(tmp_path, "countries:\n  Russland: {genitive: [Russlands], adjectives: [russisch]}\nentities:\n  " + entity + "\n")
    with pytest.raises(LexiconError) as info:
        load_registry(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_missing_file_and_wrong_top_level(tmp_path):
    with pytest.raises(LexiconError, match="no such file"):
        load_registry(tmp_path / "nope.yml")
    with pytest.raises(LexiconError, match="entities"):
        load_registry(_write(tmp_path, "- just a list\n"))
    with pytest.raises(LexiconError, match="'people'"):
        registry_from_dict({"people": []}, source="x.yml")


def test_user_registry(tmp_path):
    path = _write(tmp_path, "entities:\n  - {id: Scholz, type: person, name: Olaf Scholz, variants: [Scholz, Scholzens]}\n")
    registry = load_registry(str(path))
    mentions = find_mentions(_docs("Olaf Scholz sprach. Scholz ging."), registry)
    assert mentions["form"].tolist() == ["Olaf Scholz", "Scholz"]
