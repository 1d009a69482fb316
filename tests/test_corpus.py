"""Tests for analysis.io.corpus: formats, the documents table, the ingest ledger and errors."""

from __future__ import annotations

import doctest
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis.io.corpus as corpus_module
from analysis.clean import clean_corpus, restore_raw
from analysis.io.corpus import (
    DOCUMENT_COLUMNS,
    LEDGER_COLUMNS,
    bundled_corpus_path,
    load_bundled_corpus,
    load_corpus,
    parse_date,
    summarise_ledger,
)
from analysis.errors import CorpusError, ParameterError

SEED = Path(__file__).parents[1] / "data" / "raw" / "seed"
DOC0 = "000_f72946cf7d7e84f3"
DOC1 = "001_06388abdcad2d3b3"

# Hand-written texts of 30+ words.
DE = (
    "Die Bundesregierung hat am Montag in Berlin beschlossen, dass die Förderung für Schulen "
    "im kommenden Jahr deutlich erhöht wird. Der Minister sagte, man werde die Mittel gerecht "
    "verteilen und mit den Ländern sprechen. Kritiker bemängeln jedoch, dass die Pläne nicht "
    "weit genug gehen."
)
DE2 = (
    "Der Stadtrat von München hat über die Größe der neuen Straße gestritten. „Wir brauchen "
    "mehr Platz für Räder“, sagte eine Sprecherin. Die Opposition hält das für übertrieben und "
    "will bei der nächsten Sitzung einen eigenen Antrag stellen."
)
EN = (
    "The government announced on Monday that it would increase funding for schools in the "
    "coming year. The minister said that the money would be distributed fairly and that he "
    "would talk with the regions about it. Critics say that the plans do not go far enough."
)


def check_ledger(documents: pd.DataFrame, ledger: pd.DataFrame) -> None:
    """The ledger identity: every record read is either loaded or excluded, exactly once."""
    assert list(ledger.columns) == list(LEDGER_COLUMNS)
    read = len(ledger)
    loaded = int((ledger["status"] == "loaded").sum())
    excluded = int((ledger["status"] == "excluded").sum())
    assert loaded + excluded == read
    assert loaded == len(documents)
    assert ledger["record"].tolist() == list(range(1, read + 1))
    assert ledger.loc[ledger["status"] == "loaded", "doc_id"].tolist() == documents["doc_id"].tolist()
    assert (ledger.loc[ledger["status"] == "loaded", "reason"] == "").all()
    assert (ledger.loc[ledger["status"] == "excluded", "reason"] != "").all()
    assert list(documents.columns[: len(DOCUMENT_COLUMNS)]) == list(DOCUMENT_COLUMNS)
    assert documents["doc_id"].is_unique


def load(path, **kwargs):
    """load_corpus with the ledger, checking the ledger identity."""
    documents, ledger = load_corpus(path, return_ledger=True, **kwargs)
    check_ledger(documents, ledger)
    return documents, ledger


def write_csv(path: Path, frame: pd.DataFrame, **kwargs) -> Path:
    frame.to_csv(path, index=False, **kwargs)
    return path


def make_folder(root: Path, files: dict[str, bytes | str], name: str = "korpus") -> Path:
    folder = root / name
    folder.mkdir()
    for filename, content in files.items():
        if isinstance(content, str):
            content = content.encode("utf-8")
        (folder / filename).write_bytes(content)
    return folder


def reason_of(ledger: pd.DataFrame, doc_id: str) -> str:
    return ledger.set_index("doc_id").loc[doc_id, "reason"]


def note_of(ledger: pd.DataFrame, doc_id: str) -> str:
    return ledger.set_index("doc_id").loc[doc_id, "note"]


def test_doctests():
    result = doctest.testmod(corpus_module)
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# the bundled corpus


def test_bundled_corpus_loads_two_documents():
    documents, ledger = load(bundled_corpus_path())
    assert documents["doc_id"].tolist() == [DOC0, DOC1]
    assert documents["outlet"].tolist() == ["AFP-based", "CNN-based"]
    dates = documents.set_index("doc_id")["date"]
    assert pd.isna(dates[DOC0])
    assert dates[DOC1] == pd.Timestamp("2024-11-08")
    assert str(documents["date"].dtype) == "datetime64[ns]"
    for doc_id, text in zip(documents["doc_id"], documents["text"]):
        assert text == (SEED / f"{doc_id}.txt").read_bytes().decode("utf-8")
    assert documents["source"].tolist() == [f"seed/{DOC0}.txt", f"seed/{DOC1}.txt"]
    assert documents["title"].iloc[1].startswith("Putin und Kim wurden lächelnd")
    # The metadata column "language" is kept apart from the identified language.
    assert list(documents.columns) == [*DOCUMENT_COLUMNS, "publisher", "agency", "original_language", "provenance"]
    assert documents["language"].tolist() == ["de", "de"]
    assert documents["shared_text"].tolist() == ["", ""] and documents["near_duplicate"].tolist() == ["", ""]
    assert ledger["status"].tolist() == ["loaded", "loaded"]
    assert ledger["note"].tolist() == ["", ""]


def test_load_bundled_corpus_passes_arguments():
    documents = load_bundled_corpus(language=None, min_chars=10)
    assert len(documents) == 2


def test_bundled_corpus_path_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(corpus_module, "__file__", str(tmp_path / "site" / "analysis" / "corpus.py"))
    with pytest.raises(CorpusError, match="bundled corpus is not there") as info:
        bundled_corpus_path()
    assert info.value.hint


# --------------------------------------------------------------------------------------------
# tables: round trips


def sample_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a1", "a2", "b1"],
            "outlet": ["Tagesblatt", "Tagesblatt", ""],
            "date": ["2024-11-08", "8. November 2024", "08.11.2024"],
            "title": ["Schulen", "Stadtrat", ""],
            "text": [DE, DE2, "Kurzer Text über die Wahl in Österreich."],
            "rubrik": ["Politik", "Lokales", "Ausland"],
        }
    )


def check_round_trip(documents: pd.DataFrame, name: str, unit: str, numbers: list[int]) -> None:
    frame = sample_frame()
    assert documents["doc_id"].tolist() == frame["doc_id"].tolist()
    assert documents["outlet"].tolist() == ["Tagesblatt", "Tagesblatt", "unknown"]
    assert documents["date"].tolist() == [pd.Timestamp("2024-11-08")] * 3
    assert documents["title"].tolist() == frame["title"].tolist()
    assert documents["text"].tolist() == frame["text"].tolist()
    assert documents["rubrik"].tolist() == frame["rubrik"].tolist()
    assert documents["source"].tolist() == [f"{name}:{unit} {n}" for n in numbers]
    assert list(documents.columns) == [*DOCUMENT_COLUMNS, "rubrik"]


def test_csv_round_trip(tmp_path):
    path = write_csv(tmp_path / "korpus.csv", sample_frame())
    documents, ledger = load(path)
    # Spreadsheet rows: the header is row 1, the first record row 2.
    check_round_trip(documents, "korpus.csv", "row", [2, 3, 4])
    assert ledger["source"].tolist() == ["korpus.csv:row 2", "korpus.csv:row 3", "korpus.csv:row 4"]


def test_csv_with_line_breaks_in_cells_counts_records_as_rows(tmp_path):
    frame = pd.DataFrame({"doc_id": ["x", "y"], "text": ["Erste Zeile\nzweite Zeile", "Noch ein Text"]})
    documents, _ = load(write_csv(tmp_path / "k.csv", frame))
    assert documents["text"].tolist() == frame["text"].tolist()
    assert documents["source"].tolist() == ["k.csv:row 2", "k.csv:row 3"]


def test_tsv_round_trip(tmp_path):
    path = write_csv(tmp_path / "korpus.tsv", sample_frame(), sep="\t")
    documents, _ = load(path)
    check_round_trip(documents, "korpus.tsv", "row", [2, 3, 4])


def test_semicolon_csv_is_recognised(tmp_path):
    path = write_csv(tmp_path / "excel.csv", sample_frame(), sep=";")
    documents, _ = load(path)
    check_round_trip(documents, "excel.csv", "row", [2, 3, 4])


def test_cp1252_csv(tmp_path):
    path = write_csv(tmp_path / "alt.csv", sample_frame(), encoding="cp1252")
    documents, ledger = load(path)
    check_round_trip(documents, "alt.csv", "row", [2, 3, 4])
    assert (ledger["note"] == "file decoded as cp1252").all()


def test_jsonl_round_trip_with_blank_line(tmp_path):
    lines = [json.dumps(r, ensure_ascii=False) for r in sample_frame().to_dict("records")]
    path = tmp_path / "korpus.jsonl"
    path.write_text(lines[0] + "\n\n" + lines[1] + "\n" + lines[2] + "\n", encoding="utf-8")
    documents, _ = load(path)
    check_round_trip(documents, "korpus.jsonl", "line", [1, 3, 4])


def test_ndjson_from_pandas(tmp_path):
    path = tmp_path / "korpus.ndjson"
    sample_frame().to_json(path, orient="records", lines=True, force_ascii=False)
    documents, _ = load(path)
    check_round_trip(documents, "korpus.ndjson", "line", [1, 2, 3])


def test_json_round_trip(tmp_path):
    path = tmp_path / "korpus.json"
    path.write_text(json.dumps(sample_frame().to_dict("records"), ensure_ascii=False, indent=2), encoding="utf-8")
    documents, _ = load(path)
    check_round_trip(documents, "korpus.json", "record", [1, 2, 3])


def test_parquet_round_trip(tmp_path):
    path = tmp_path / "korpus.parquet"
    sample_frame().to_parquet(path, index=False)
    documents, _ = load(path)
    check_round_trip(documents, "korpus.parquet", "row", [2, 3, 4])


def test_parquet_with_datetimes_and_numeric_ids(tmp_path):
    frame = pd.DataFrame(
        {
            "doc_id": [10, 11],
            "date": pd.to_datetime(["2024-11-08 10:00", None]).tz_localize("Europe/Berlin"),
            "text": [DE, DE2],
        }
    )
    path = tmp_path / "k.parquet"
    frame.to_parquet(path)
    documents, _ = load(path)
    assert documents["doc_id"].tolist() == ["10", "11"]
    assert documents["date"].iloc[0] == pd.Timestamp("2024-11-08 10:00")  # local time kept
    assert pd.isna(documents["date"].iloc[1])
    assert str(documents["date"].dtype) == "datetime64[ns]"


def test_column_named_source_is_kept_as_original_source(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a"], "text": [DE], "source": ["dpa"]})
    documents, _ = load(write_csv(tmp_path / "k.csv", frame))
    assert documents["source"].tolist() == ["k.csv:row 2"]
    assert documents["original_source"].tolist() == ["dpa"]


# --------------------------------------------------------------------------------------------
# tables: columns


def test_csv_without_text_column_names_file_and_columns(tmp_path):
    path = write_csv(tmp_path / "ohne.csv", pd.DataFrame({"doc_id": ["a"], "titel": ["x"]}))
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    message = str(info.value)
    assert "ohne.csv" in message
    assert "no text column 'text'" in message
    assert "'doc_id', 'titel'" in message  # the columns found


def test_csv_with_body_column_suggests_the_alias(tmp_path):
    path = write_csv(tmp_path / "body.csv", pd.DataFrame({"id": ["a"], "body": [DE]}))
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    message = str(info.value)
    assert "body.csv" in message
    assert "columns={'body': 'text'}" in message
    assert "--text-column body" in message


def test_rename_with_columns_and_text_column(tmp_path):
    path = write_csv(tmp_path / "body.csv", pd.DataFrame({"id": ["a"], "body": [DE], "quelle": ["X"]}))
    documents, _ = load(path, columns={"body": "text", "id": "doc_id", "quelle": "outlet"})
    assert documents[["doc_id", "outlet", "text"]].values.tolist() == [["a", "X", DE]]
    documents, _ = load(path, text_column="body", id_column="id")
    assert documents[["doc_id", "text"]].values.tolist() == [["a", DE]]


def test_rename_of_missing_column_is_an_error(tmp_path):
    path = write_csv(tmp_path / "k.csv", pd.DataFrame({"text": [DE]}))
    with pytest.raises(CorpusError, match="renames 'inhalt'"):
        load_corpus(path, columns={"inhalt": "text"})


def test_missing_doc_id_generates_ids_and_notes_it(tmp_path):
    path = write_csv(tmp_path / "artikel.csv", pd.DataFrame({"text": [DE, DE2]}))
    documents, ledger = load(path)
    assert documents["doc_id"].tolist() == ["artikel-2", "artikel-3"]
    assert ledger["note"].str.contains("no doc_id column").all()


def test_empty_doc_id_cell_gets_a_generated_id(tmp_path):
    path = write_csv(tmp_path / "k.csv", pd.DataFrame({"doc_id": ["a", ""], "text": [DE, DE2]}))
    documents, ledger = load(path)
    assert documents["doc_id"].tolist() == ["a", "k-3"]
    assert "empty doc_id" in note_of(ledger, "k-3")


# --------------------------------------------------------------------------------------------
# duplicates


def test_duplicate_doc_ids_raise_naming_id_and_rows(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b", "a"], "text": [DE, DE2, "Ein anderer Text."]})
    path = write_csv(tmp_path / "k.csv", frame)
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    message = str(info.value)
    assert "duplicate doc_id 'a'" in message
    assert "row 2" in message and "row 4" in message
    assert "duplicates='first'" in message


def test_duplicates_first_keeps_the_first_and_records_the_rest(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b", "a"], "text": [DE, DE2, "Ein anderer Text."]})
    documents, ledger = load(write_csv(tmp_path / "k.csv", frame), duplicates="first")
    assert documents["doc_id"].tolist() == ["a", "b"]
    assert documents["text"].tolist() == [DE, DE2]
    third = ledger.iloc[2]
    assert (third["status"], third["reason"]) == ("excluded", "duplicate doc_id")
    assert "record 1" in third["note"] and "k.csv:row 2" in third["note"]


def test_duplicate_text_is_excluded(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [DE, DE2, "  " + DE.replace(" ", "\n  ")]})
    documents, ledger = load(write_csv(tmp_path / "k.csv", frame))
    assert documents["doc_id"].tolist() == ["a", "b"]
    assert reason_of(ledger, "c") == "duplicate text"
    assert "doc_id 'a'" in note_of(ledger, "c")


def test_bad_duplicates_argument():
    with pytest.raises(ParameterError):
        load_corpus(SEED, duplicates="last")


# --------------------------------------------------------------------------------------------
# exclusions


def test_empty_and_whitespace_texts_are_excluded(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": [DE, "", "  \n\t ", DE2]})
    documents, ledger = load(write_csv(tmp_path / "k.csv", frame))
    assert documents["doc_id"].tolist() == ["a", "d"]
    assert reason_of(ledger, "b") == "empty text"
    assert reason_of(ledger, "c") == "empty text"


def test_min_chars(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [DE, "Kurz  ja"]})
    documents, ledger = load(write_csv(tmp_path / "k.csv", frame), min_chars=8)
    assert documents["doc_id"].tolist() == ["a"]
    assert reason_of(ledger, "b") == "below minimum length"
    assert "6 non-space characters" in note_of(ledger, "b")


def test_english_text_is_excluded_and_german_kept(tmp_path):
    frame = pd.DataFrame({"doc_id": ["de", "en", "kurz"], "text": [DE, EN, "The end of the story."]})
    path = write_csv(tmp_path / "k.csv", frame)
    documents, ledger = load(path)
    assert documents["doc_id"].tolist() == ["de", "kurz"]  # under 30 words: not checked
    assert reason_of(ledger, "en") == "not German"
    assert "English" in note_of(ledger, "en")
    documents, _ = load(path, language=None)
    assert documents["doc_id"].tolist() == ["de", "en", "kurz"]


def test_invalid_date_becomes_nat_with_a_note(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [DE, DE2, "Text."], "date": ["gestern", "", "November 8, 2024"]})
    documents, ledger = load(write_csv(tmp_path / "k.csv", frame))
    assert len(documents) == 3  # never drops a document
    assert pd.isna(documents["date"].iloc[0]) and pd.isna(documents["date"].iloc[1])
    assert documents["date"].iloc[2] == pd.Timestamp("2024-11-08")
    assert "date 'gestern' not understood" in note_of(ledger, "a")
    assert note_of(ledger, "b") == ""  # no date is not an error


def test_mojibake_and_controls_in_table_cells(tmp_path):
    frame = pd.DataFrame(
        {"doc_id": ["a", "b"], "title": ["Die GrÃ¶ÃŸe", "ok"], "text": ["Die GrÃ¶ÃŸe der â€žStadtâ€œ.", "Null\x00Byte und\x07 Glocke"]}
    )
    documents, ledger = load(write_csv(tmp_path / "k.csv", frame))
    # The text is loaded as decoded; cleaning makes (and audits) the repairs.
    assert documents["text"].tolist() == frame["text"].tolist()
    assert documents["title"].tolist() == ["Die Größe", "ok"]  # metadata is repaired at once
    assert "mojibake found" in note_of(ledger, "a") and "encoding_repair" in note_of(ledger, "a")
    assert "2 control characters" in note_of(ledger, "b")
    cleaned, audit = clean_corpus(documents)
    assert cleaned["text"].tolist() == ["Die Größe der „Stadt“.", "NullByte und Glocke"]
    assert set(audit["rule"]) == {"encoding_repair", "control_characters"}
    for row in cleaned.itertuples():
        assert restore_raw(row.text, audit[audit["doc_id"] == row.doc_id]) == row.raw_text


def test_strict_turns_an_exclusion_into_an_error(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [DE, ""]})
    path = write_csv(tmp_path / "k.csv", frame)
    with pytest.raises(CorpusError) as info:
        load_corpus(path, strict=True)
    message = str(info.value)
    assert "k.csv:row 3" in message and "record 2" in message and "empty text" in message
    assert len(load_corpus(path)) == 1  # not strict: excluded, loading goes on


def test_all_excluded_is_an_error_with_the_counts(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["", " ", EN]})
    with pytest.raises(CorpusError) as info:
        load_corpus(write_csv(tmp_path / "k.csv", frame))
    message = str(info.value)
    assert "no documents loaded from" in message and "3 records read, all excluded" in message
    assert "empty text: 2" in message and "not German: 1" in message
    assert list(info.value.ledger["reason"]) == ["empty text", "empty text", "not German"]


# --------------------------------------------------------------------------------------------
# folders


def test_encodings_in_a_folder_decode_to_the_same_text(tmp_path):
    def text(name):  # the same German text, numbered so that it is not a duplicate
        return f"{name}: Die Größe der Straße: „Äpfel“ und ‚Birnen‘ – schön.\n"

    latin = "Die Größe der Straße: »Äpfel« und Birnen, schön.\n"
    folder = make_folder(
        tmp_path,
        {
            "a_utf8.txt": text("a").encode("utf-8"),
            "b_bom.txt": b"\xef\xbb\xbf" + text("b").encode("utf-8"),
            "c_cp1252.txt": text("c").encode("cp1252"),
            "d_utf16.txt": b"\xff\xfe" + text("d").encode("utf-16-le"),
            "e_latin1.txt": latin.encode("latin-1"),
            "f_crlf.txt": text("f").replace("\n", "\r\n").encode("utf-8"),
        },
    )
    documents, ledger = load(folder)
    texts = documents.set_index("doc_id")["text"]
    for doc_id in ["a_utf8", "b_bom", "c_cp1252", "d_utf16", "f_crlf"]:
        assert texts[doc_id] == text(doc_id[0])
    assert texts["e_latin1"] == latin
    notes = ledger.set_index("doc_id")["note"]
    assert notes["a_utf8"] == ""
    assert notes["b_bom"] == "decoded as UTF-8 (byte-order mark removed)"
    assert notes["c_cp1252"] == "decoded as cp1252"
    assert notes["d_utf16"] == "decoded as utf-16-le"
    assert documents["source"].tolist()[0] == "korpus/a_utf8.txt"


def test_mojibake_file_is_noted_and_repaired_by_cleaning(tmp_path):
    folder = make_folder(tmp_path, {"m.txt": "„Gruß“ aus der GrÃ¶ÃŸe\nStraÃŸe\n".encode("cp1252")})
    documents, ledger = load(folder)
    assert documents["text"].tolist() == ["„Gruß“ aus der GrÃ¶ÃŸe\nStraÃŸe\n"]
    assert ledger["note"].iloc[0].startswith("decoded as cp1252; mojibake found")
    cleaned, audit = clean_corpus(documents)
    assert cleaned["text"].tolist() == ["„Gruß“ aus der Größe\nStraße"]
    repairs = audit[audit["rule"] == "encoding_repair"]
    assert sorted(zip(repairs["before"], repairs["after"])) == [("Ã¶ÃŸ", "öß"), ("ÃŸ", "ß")]


def test_control_characters_in_files_are_noted_and_removed_by_cleaning(tmp_path):
    folder = make_folder(tmp_path, {"n.txt": "Text mit\x00 NUL und\x1b Escape.\r\n".encode("utf-8")})
    documents, ledger = load(folder)
    # Line ends are normalised on loading, as Python's text mode does; nothing else changes.
    assert documents["text"].tolist() == ["Text mit\x00 NUL und\x1b Escape.\n"]
    assert "2 control characters" in ledger["note"].iloc[0]
    cleaned, audit = clean_corpus(documents)
    assert cleaned["text"].tolist() == ["Text mit NUL und Escape."]
    assert list(audit.loc[audit["rule"] == "control_characters", "before"]) == ["\x00", "\x1b"]


def test_binary_file_is_excluded_and_others_still_load(tmp_path):
    folder = make_folder(
        tmp_path,
        {"a.txt": DE, "b.txt": b"%PDF-1.4\n\x00\x00\x01binary", "c.txt": DE2, "d.txt": bytes(range(256)) * 8},
    )
    documents, ledger = load(folder)
    assert documents["doc_id"].tolist() == ["a", "c"]
    assert reason_of(ledger, "b") == "undecodable"
    assert "PDF" in note_of(ledger, "b")
    assert reason_of(ledger, "d") == "undecodable"


def test_unreadable_file_is_excluded(tmp_path, monkeypatch):
    folder = make_folder(tmp_path, {"a.txt": DE, "b.txt": DE2})
    original = Path.read_bytes

    def read_bytes(self):
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    documents, ledger = load(folder)
    assert documents["doc_id"].tolist() == ["a"]
    assert reason_of(ledger, "b") == "unreadable"
    assert "Permission denied" in note_of(ledger, "b")


def test_folder_with_metadata(tmp_path):
    metadata = "doc_id,outlet,date,title,ressort\nb,Tagesblatt,8. November 2024,Stadtrat,Lokales\na,Abendpost,,,\n"
    folder = make_folder(tmp_path, {"a.txt": DE, "b.txt": DE2, "c.txt": "Ein dritter Text.", "metadata.csv": metadata})
    documents, ledger = load(folder)
    assert documents["doc_id"].tolist() == ["a", "b", "c"]  # file name order
    assert documents["outlet"].tolist() == ["Abendpost", "Tagesblatt", "unknown"]
    assert documents["title"].tolist() == ["", "Stadtrat", ""]
    assert documents["ressort"].tolist() == ["", "Lokales", ""]
    assert documents["date"].iloc[1] == pd.Timestamp("2024-11-08")
    assert note_of(ledger, "c") == "no metadata row"
    assert note_of(ledger, "a") == ""


def test_metadata_row_without_file_is_an_error(tmp_path):
    metadata = "doc_id,outlet\na,X\nfehlt,Y\n"
    folder = make_folder(tmp_path, {"a.txt": DE, "metadata.csv": metadata})
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    message = str(info.value)
    assert "metadata.csv" in message and "row 3" in message and "'fehlt'" in message


def test_metadata_without_doc_id_column(tmp_path):
    folder = make_folder(tmp_path, {"a.txt": DE, "metadata.csv": "id,outlet\na,X\n"})
    with pytest.raises(CorpusError, match="no doc_id column") as info:
        load_corpus(folder)
    assert "columns={'id': 'doc_id'}" in str(info.value)
    documents, _ = load(folder, columns={"id": "doc_id"})
    assert documents["outlet"].tolist() == ["X"]


def test_same_stem_twice_in_a_folder_is_a_duplicate(tmp_path):
    pytest.importorskip("trafilatura")
    folder = make_folder(tmp_path, {"a.txt": DE, "a.html": html_page(DE2)})
    with pytest.raises(CorpusError, match="duplicate doc_id 'a'") as info:
        load_corpus(folder)
    assert "korpus/a.html" in str(info.value) and "korpus/a.txt" in str(info.value)


def html_page(body: str, *, title: str = "Schulen bekommen mehr Geld", date: str | None = "2024-11-08") -> str:
    meta = f'<meta property="article:published_time" content="{date}T09:30:00+01:00">' if date else ""
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in body.split(". "))
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title} | Blatt</title>{meta}'
        '</head><body><nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav>'
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Impressum · Datenschutz</footer></body></html>"
    )


def test_html_files_are_extracted_with_trafilatura(tmp_path):
    pytest.importorskip("trafilatura")
    folder = make_folder(tmp_path, {"a.html": html_page(DE), "b.htm": html_page(DE2, title="Stadtrat", date=None)})
    documents, ledger = load(folder)
    first = documents.iloc[0]
    assert "Förderung für Schulen" in first["text"]
    assert "Startseite" not in first["text"] and "Impressum" not in first["text"]
    assert first["title"] == "Schulen bekommen mehr Geld"
    assert first["date"] == pd.Timestamp("2024-11-08")
    assert "„Wir brauchen" in documents.iloc[1]["text"]
    assert documents["source"].tolist() == ["korpus/a.html", "korpus/b.htm"]
    assert ledger["note"].str.contains("trafilatura").all()


def test_html_without_trafilatura_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # makes the import fail
    folder = make_folder(tmp_path, {"a.txt": DE, "b.html": html_page(DE2)})
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    message = str(info.value)
    assert "b.html" in message and "pip install trafilatura" in message


# --------------------------------------------------------------------------------------------
# inputs that cannot be loaded


def test_empty_folder(tmp_path):
    (tmp_path / "leer").mkdir()
    with pytest.raises(CorpusError, match="the folder is empty"):
        load_corpus(tmp_path / "leer")


def test_folder_without_text_files(tmp_path):
    folder = make_folder(tmp_path, {"notizen.docx": b"PK\x03\x04", "metadata.csv": "doc_id\n"})
    with pytest.raises(CorpusError, match=r"no \.txt, \.html or \.htm files \(found: metadata.csv, notizen.docx\)"):
        load_corpus(folder)


@pytest.mark.parametrize("name", ["leer.csv", "leer.jsonl", "leer.json", "leer.parquet", "leer.tsv"])
def test_empty_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(CorpusError, match="the file is empty") as info:
        load_corpus(tmp_path / name)
    assert name in str(info.value)


def test_header_only_csv(tmp_path):
    (tmp_path / "k.csv").write_text("doc_id,text\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no records"):
        load_corpus(tmp_path / "k.csv")


def test_bad_jsonl_line_is_reported_with_its_number(tmp_path):
    path = tmp_path / "k.jsonl"
    path.write_text(
        json.dumps({"doc_id": "a", "text": DE}) + "\n" + json.dumps({"doc_id": "b", "text": DE2}) + "\n"
        '{"doc_id": "c", "text": "kaputt\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    message = str(info.value)
    assert "k.jsonl" in message and "line 3 is not valid JSON" in message


def test_jsonl_line_that_is_not_an_object(tmp_path):
    path = tmp_path / "k.jsonl"
    path.write_text(json.dumps({"text": DE}) + "\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 2 holds a JSON array"):
        load_corpus(path)


def test_json_that_is_not_a_list(tmp_path):
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"artikel": [{"text": DE}]}), encoding="utf-8")
    with pytest.raises(CorpusError, match="not a list of records") as info:
        load_corpus(path)
    assert "'artikel'" in str(info.value)


def test_unsupported_format_and_missing_path(tmp_path):
    (tmp_path / "k.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(CorpusError, match="unsupported format") as info:
        load_corpus(tmp_path / "k.xlsx")
    assert ".jsonl" in str(info.value) and ".parquet" in str(info.value)
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nirgends.csv")


def test_malformed_csv(tmp_path):
    (tmp_path / "k.csv").write_text('doc_id,text\na,"offen\nb,zu\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="cannot be read as CSV"):
        load_corpus(tmp_path / "k.csv")


# --------------------------------------------------------------------------------------------
# helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-08", "2024-11-08"),
        ("2024-11-08T12:15:00+01:00", "2024-11-08 12:15"),
        ("8. November 2024", "2024-11-08"),
        ("8. Nov. 2024", "2024-11-08"),
        ("November 8, 2024", "2024-11-08"),
        ("08.11.2024", "2024-11-08"),
        ("Freitag, 8. November 2024, 12:15 Uhr", "2024-11-08 12:15"),
        ("3. März 2024", "2024-03-03"),
        ("11/08/2024", None),
        ("31.02.2024", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    result = parse_date(text)
    assert (None if result is None else pd.Timestamp(result)) == (None if expected is None else pd.Timestamp(expected))


def test_summarise_ledger(tmp_path):
    frame = pd.DataFrame({"doc_id": list("abcde"), "text": [DE, "", DE2, " ", DE]})
    _, ledger = load(write_csv(tmp_path / "k.csv", frame))
    summary = summarise_ledger(ledger)
    assert summary.values.tolist() == [
        ["loaded", "", 2],
        ["excluded", "empty text", 2],
        ["excluded", "duplicate text", 1],
    ]


def test_large_csv_loads_quickly(tmp_path):
    n = 100_000
    ids = np.arange(n).astype(str)
    frame = pd.DataFrame(
        {
            "doc_id": ids,
            "outlet": np.where(np.arange(n) % 2, "Abendpost", "Tagesblatt"),
            "date": "2024-11-08",
            "text": np.char.add("Die Größe der Straße Nummer ", ids),
        }
    )
    path = write_csv(tmp_path / "gross.csv", frame)
    start = time.perf_counter()
    documents, ledger = load(path)
    elapsed = time.perf_counter() - start
    assert len(documents) == n
    assert documents["text"].iloc[-1] == f"Die Größe der Straße Nummer {n - 1}"
    assert elapsed < 20  # about 1 s on a laptop; generous for slow CI machines
