"""The bad-input suite, duplicates and languages: each case has its expected outcome.

Repeated and copied texts, near-duplicates, texts in other languages and columns that clash
with the ones loading computes. The ledger identity (loaded + excluded = read) is checked
wherever a corpus loads.
"""

import pandas as pd
import pytest

from analysis.errors import CorpusError, ParameterError
from analysis.io.corpus import load_corpus
from analysis.io.duplicates import duplicate_pairs

GERMAN = (
    "Der Gemeinderat von Freiburg hat am Donnerstag mit knapper Mehrheit beschlossen, die Gebühren für "
    "Kindergärten im kommenden Jahr nicht zu erhöhen. Die Stadtkämmerin warnte, das Loch im Haushalt werde "
    "dadurch größer. Die Elternvertreter begrüßten die Entscheidung und kündigten an, sich auch künftig "
    "gegen höhere Beiträge zu wehren."
)
OTHER_GERMAN = (
    "In Leipzig ist am Wochenende die Buchmesse zu Ende gegangen. Nach Angaben der Veranstalter kamen mehr "
    "Besucher als im Vorjahr, vor allem junge Leute. Viele Verlage zeigten sich zufrieden mit dem Verkauf. "
    "Im nächsten Jahr soll die Messe um einen Tag verlängert werden, kündigte die Leitung an."
)
RUSSIAN = (
    "Городской совет принял решение не повышать плату за детские сады в следующем году. Финансовый директор "
    "предупредила, что дефицит бюджета из-за этого вырастет. Представители родителей приветствовали "
    "решение и заявили, что и дальше будут выступать против повышения взносов."
)
UKRAINIAN = (
    "Міська рада ухвалила рішення не підвищувати плату за дитячі садки наступного року. Фінансова директорка "
    "попередила, що дефіцит бюджету через це зросте. Представники батьків привітали рішення та заявили, що "
    "й надалі виступатимуть проти підвищення внесків."
)
GERMAN_WITH_RUSSIAN_QUOTE = (
    "Der russische Außenminister äußerte sich am Abend in Moskau. «Мы готовы к переговорам, но только на "
    "наших условиях и без предварительных требований», sagte er vor Journalisten. In Berlin wurde die "
    "Äußerung zurückhaltend aufgenommen. Ein Sprecher des Auswärtigen Amtes sagte, man prüfe die Aussagen "
    "sorgfältig und bleibe mit den Partnern in engem Kontakt."
)


def load(path, **kwargs):
    documents, ledger = load_corpus(path, return_ledger=True, **kwargs)
    assert (ledger["status"] == "loaded").sum() + (ledger["status"] == "excluded").sum() == len(ledger)
    assert (ledger["status"] == "loaded").sum() == len(documents)
    return documents, ledger


def csv_file(tmp_path, rows, columns=("doc_id", "outlet", "text"), name="corpus.csv"):
    path = tmp_path / name
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path


def reasons(ledger):
    return ledger["reason"].tolist()


# ------------------------------------------------------------------------------ exact duplicates
def test_repeat_within_an_outlet_is_excluded_naming_the_first(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", GERMAN)]))
    assert list(documents["doc_id"]) == ["a"]
    assert reasons(ledger) == ["", "duplicate text"]
    assert "doc_id 'a'" in ledger.loc[1, "note"] and "record 1" in ledger.loc[1, "note"]


def test_copy_in_another_outlet_is_kept_and_shared(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "Y", GERMAN)]))
    assert list(documents["doc_id"]) == ["a", "b"]
    assert documents["shared_text"].iloc[0] == documents["shared_text"].iloc[1] != ""
    assert ledger["shared_text"].tolist() == documents["shared_text"].tolist()


def test_copies_differing_in_whitespace_share_one_id(tmp_path):
    spaced = "\n\n  " + GERMAN.replace(". ", ".\n\n").replace(" ", "   ") + "  \n"
    documents, _ = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "Y", spaced)]))
    assert documents["shared_text"].nunique() == 1 and documents["shared_text"].iloc[0] != ""
    assert documents["text"].iloc[1] == spaced  # the text itself is loaded as given


def test_three_copies_two_outlets(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "Y", GERMAN), ("c", "X", GERMAN)]))
    assert list(documents["doc_id"]) == ["a", "b"]
    assert reasons(ledger) == ["", "", "duplicate text"]
    assert ledger["shared_text"].tolist()[2] == ""  # excluded records carry no shared id
    pairs = duplicate_pairs(documents)
    assert pairs[["doc_id_a", "doc_id_b", "kind", "similarity"]].values.tolist() == [["a", "b", "exact", 1.0]]


def test_missing_outlets_are_one_outlet(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("a", "", GERMAN), ("b", None, GERMAN)]))
    assert list(documents["outlet"]) == ["unknown"]
    assert reasons(ledger) == ["", "duplicate text"]


def test_outlet_names_differing_in_surrounding_spaces_are_one_outlet(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("a", "Tagesblatt", GERMAN), ("b", " Tagesblatt ", GERMAN)]))
    assert reasons(ledger) == ["", "duplicate text"]


def test_strict_stops_at_a_repeated_text(tmp_path):
    with pytest.raises(CorpusError, match="duplicate text") as info:
        load_corpus(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", GERMAN)]), strict=True)
    assert list(info.value.ledger["reason"]) == ["", "duplicate text"]


def test_every_record_the_same_text_of_one_outlet(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [(f"d{i}", "X", GERMAN) for i in range(5)]))
    assert list(documents["doc_id"]) == ["d0"]
    assert reasons(ledger) == [""] + ["duplicate text"] * 4


# ------------------------------------------------------------------------------- near-duplicates
def test_near_duplicate_in_the_same_outlet_dropped_on_request(tmp_path):
    edited = GERMAN.replace("zu wehren.", "zu wehren, auch vor Gericht.")
    path = csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", edited), ("c", "Y", OTHER_GERMAN)])
    documents, ledger = load(path)
    assert list(documents["doc_id"]) == ["a", "b", "c"]
    assert documents["near_duplicate"].iloc[0] == documents["near_duplicate"].iloc[1] != ""
    documents, ledger = load(path, drop_near_duplicates=True)
    assert list(documents["doc_id"]) == ["a", "c"]
    assert reasons(ledger) == ["", "near duplicate", ""]
    assert "similarity 0." in ledger.loc[1, "note"]
    assert documents["near_duplicate"].tolist() == ["", ""]  # its partner is gone


def test_near_duplicate_in_another_outlet_is_never_dropped(tmp_path):
    edited = GERMAN.replace("zu wehren.", "zu wehren, auch vor Gericht.")
    documents, ledger = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "Y", edited)]), drop_near_duplicates=True)
    assert list(documents["doc_id"]) == ["a", "b"]
    assert "closest earlier doc_id 'a'" in ledger.loc[1, "note"]


def test_short_texts_are_not_near_duplicates(tmp_path):
    documents, _ = load(csv_file(tmp_path, [("a", "X", "Die Wahl in Bayern ist entschieden."),
                                            ("b", "Y", "Die Wahl in Bayern ist entschieden!")]))
    assert documents["near_duplicate"].tolist() == ["", ""]
    assert len(duplicate_pairs(documents)) == 0


# -------------------------------------------------------------------------------------- language
def test_russian_text_is_excluded(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("de", "X", GERMAN), ("ru", "X", RUSSIAN)]))
    assert list(documents["doc_id"]) == ["de"]
    assert reasons(ledger) == ["", "not German"]
    assert "Russian" in ledger.loc[1, "note"] and "probability" in ledger.loc[1, "note"]


def test_ukrainian_text_is_excluded(tmp_path):
    _, ledger = load(csv_file(tmp_path, [("de", "X", GERMAN), ("uk", "X", UKRAINIAN)]))
    assert reasons(ledger) == ["", "not German"] and "Ukrainian" in ledger.loc[1, "note"]


def test_other_languages_keep_records_the_language(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("de", "X", GERMAN), ("ru", "X", RUSSIAN)]), other_languages="keep")
    assert documents["language"].tolist() == ["de", "ru"]
    assert reasons(ledger) == ["", ""] and "kept" in ledger.loc[1, "note"]


def test_german_with_a_russian_quotation_is_german(tmp_path):
    documents, _ = load(csv_file(tmp_path, [("a", "X", GERMAN_WITH_RUSSIAN_QUOTE)]))
    assert documents["language"].tolist() == ["de"]


def test_short_foreign_text_is_not_judged(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", "Привет из Москвы, друзья!")]))
    assert documents["language"].tolist() == ["de", ""]
    assert reasons(ledger) == ["", ""]


def test_language_none_skips_the_identification(tmp_path):
    documents, _ = load(csv_file(tmp_path, [("de", "X", GERMAN), ("ru", "X", RUSSIAN)]), language=None)
    assert documents["language"].tolist() == ["", ""]


def test_bad_other_languages_value(tmp_path):
    with pytest.raises(ParameterError, match="other_languages"):
        load_corpus(csv_file(tmp_path, [("a", "X", GERMAN)]), other_languages="drop")


# -------------------------------------------------------------------------------- clashing columns
def test_input_columns_named_like_computed_ones_are_kept_apart(tmp_path):
    path = csv_file(tmp_path, [("a", "X", GERMAN, "deutsch", "alt-1", "alt-2")],
                    columns=("doc_id", "outlet", "text", "language", "shared_text", "near_duplicate"))
    documents, _ = load(path)
    assert documents["language"].tolist() == ["de"]
    assert documents["original_language"].tolist() == ["deutsch"]
    assert documents["original_shared_text"].tolist() == ["alt-1"]
    assert documents["original_near_duplicate"].tolist() == ["alt-2"]
    assert documents["shared_text"].tolist() == [""] and documents["near_duplicate"].tolist() == [""]


def test_reloading_a_written_documents_table(tmp_path):
    documents, _ = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "Y", GERMAN)]))
    again = tmp_path / "documents.csv"
    documents.to_csv(again, index=False)
    reloaded, _ = load(again)
    assert reloaded["shared_text"].tolist() == documents["shared_text"].tolist()
    assert reloaded["original_shared_text"].tolist() == documents["shared_text"].tolist()


# -------------------------------------------------------------------------------- duplicate_pairs
def test_duplicate_pairs_needs_ids_and_outlets():
    with pytest.raises(ParameterError, match="outlet"):
        duplicate_pairs(pd.DataFrame({"doc_id": ["a"], "text": [GERMAN]}))
    with pytest.raises(ParameterError, match="DataFrame"):
        duplicate_pairs([GERMAN])


def test_duplicate_pairs_of_marked_documents_without_texts():
    marked = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "shared_text": ["", ""],
                           "near_duplicate": ["n-1", "n-1"]})
    with pytest.raises(ParameterError, match="text"):
        duplicate_pairs(marked)
    unmarked = marked.assign(near_duplicate="")
    assert len(duplicate_pairs(unmarked)) == 0  # nothing to compare: no texts needed
