"""Bad-input suite for tables: broken CSV structure and typed cells read strictly.

Every case states its expected outcome first: a CorpusError naming the file and the physical
line (or the record and field), or — with ``lenient=True`` — the affected records excluded as
``broken structure`` with a note naming the lines, and the rest loaded correctly. The ledger
identity (loaded + excluded = read, one ledger row per record) is checked wherever a corpus loads.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import CorpusError
from analysis.io.corpus import EXCLUSION_REASONS, load_corpus
from generated import write_corpus

# Texts without commas, so that they can stand unquoted in a CSV.
A = "Die Bundesregierung hat am Montag in Berlin beschlossen dass die Förderung für Schulen steigt"
B = "Der Stadtrat von München hat lange über die Größe der neuen Straße am Fluss gestritten"
C = "In Hamburg haben die Hafenarbeiter am Dienstag für höhere Löhne und kürzere Schichten gestreikt"
D = "Die Polizei in Köln meldet nach dem Fußballspiel am Samstag nur wenige kleinere Zwischenfälle"
E = "Das Wetter bleibt in Sachsen auch in der kommenden Woche sonnig und für die Jahreszeit zu warm"
HEADER = "doc_id,outlet,text\n"


def load(path, **kwargs):
    """load_corpus with the ledger; checks the ledger identity."""
    documents, ledger = load_corpus(path, return_ledger=True, language=None, **kwargs)
    loaded = int((ledger["status"] == "loaded").sum())
    excluded = int((ledger["status"] == "excluded").sum())
    assert loaded + excluded == len(ledger)
    assert loaded == len(documents)
    assert ledger["record"].tolist() == list(range(1, len(ledger) + 1))
    assert set(ledger.loc[ledger["status"] == "excluded", "reason"]) <= set(EXCLUSION_REASONS)
    return documents, ledger


def write(tmp_path, content: str, name: str = "corpus.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def error_of(path, **kwargs) -> str:
    with pytest.raises(CorpusError) as info:
        load_corpus(path, language=None, **kwargs)
    message = str(info.value)
    assert path.name in message
    return message


def broken(ledger) -> pd.DataFrame:
    return ledger[ledger["reason"] == "broken structure"]


# ----------------------------------------------------------------------------- runaway quotes
RUNAWAY = HEADER + f'a,X,"{A}\nb,Y,{B}\nc,Z,{C}\nd,X,{D}"\ne,Y,{E}\n'


def test_runaway_quote_closed_three_rows_later_is_an_error_naming_the_opening_line(tmp_path):
    # Expected: an error naming line 2, where the quoted cell opens (not one record of 4 articles).
    message = error_of(write(tmp_path, RUNAWAY))
    assert "line 2:" in message and "closing quote" in message and "--lenient" in message


def test_runaway_quote_lenient_excludes_the_record_and_loads_the_rest(tmp_path):
    # Expected: a excluded with a note naming line 2; b, c, d, e loaded with their own texts.
    documents, ledger = load(write(tmp_path, RUNAWAY), lenient=True)
    assert broken(ledger)["doc_id"].tolist() == ["a"]
    assert "line 2" in broken(ledger)["note"].iloc[0]
    assert documents["doc_id"].tolist() == ["b", "c", "d", "e"]
    assert documents.set_index("doc_id").loc["b", "text"] == B
    assert documents["outlet"].tolist() == ["Y", "Z", "X", "Y"]


QUOTED_NEXT = HEADER + f'a,X,"{A}\nb,Y,"{B}, sagte er"\nc,Z,"{C}, hieß es"\nd,X,{D}\n'


def test_runaway_quote_before_quoted_rows_names_both_lines(tmp_path):
    # Expected: an error naming line 2 (where the quote opens) and line 3 (where it breaks).
    message = error_of(write(tmp_path, QUOTED_NEXT))
    assert "line 2:" in message and "line 3" in message


def test_runaway_quote_before_quoted_rows_lenient_loses_only_that_record(tmp_path):
    # Expected: only a excluded; reading resumes at line 3, so b keeps its comma and text.
    documents, ledger = load(write(tmp_path, QUOTED_NEXT), lenient=True)
    assert broken(ledger)["doc_id"].tolist() == ["a"]
    assert documents["doc_id"].tolist() == ["b", "c", "d"]
    assert documents.loc[0, "text"] == f"{B}, sagte er"


UNCLOSED = HEADER + f"a,X,{A}\nb,Y,\"{B}\nc,Z,{C}\nd,X,{D}\n"


def test_quote_never_closed_names_its_line(tmp_path):
    # Expected: an error naming line 3, the quoted cell never closed (file ends inside it).
    message = error_of(write(tmp_path, UNCLOSED))
    assert "line 3:" in message and "never closed" in message


def test_quote_never_closed_lenient_keeps_the_records_after_it(tmp_path):
    # Expected: b excluded; a, c, d loaded (not swallowed up to the end of the file).
    documents, ledger = load(write(tmp_path, UNCLOSED), lenient=True)
    assert broken(ledger)["doc_id"].tolist() == ["b"]
    assert documents["doc_id"].tolist() == ["a", "c", "d"]


# ----------------------------------------------------------------------------- field counts
EXTRA_FIRST = HEADER + f"a,X,{A},zuviel\nb,Y,{B}\nc,Z,{C}\n"


def test_first_row_with_one_field_too_many_is_an_error_with_the_counts(tmp_path):
    # Expected: "line 2: 4 fields, but the header has 3" (not doc_id shifted to the outlet).
    message = error_of(write(tmp_path, EXTRA_FIRST))
    assert "line 2: 4 fields, but the header has 3" in message


def test_first_row_with_one_field_too_many_lenient_loads_the_others_correctly(tmp_path):
    # Expected: a excluded; b and c loaded with the right ids, outlets and texts.
    documents, ledger = load(write(tmp_path, EXTRA_FIRST), lenient=True)
    assert broken(ledger)["doc_id"].tolist() == ["a"]
    assert documents[["doc_id", "outlet", "text"]].values.tolist() == [["b", "Y", B], ["c", "Z", C]]


def test_later_row_with_fields_too_many(tmp_path):
    # Expected: error naming line 4 and the counts; lenient: only c excluded.
    path = write(tmp_path, HEADER + f"a,X,{A}\nb,Y,{B}\nc,Z,{C}, und mehr, noch mehr\nd,X,{D}\n")
    assert "line 4: 5 fields, but the header has 3" in error_of(path)
    documents, ledger = load(path, lenient=True)
    assert broken(ledger)["doc_id"].tolist() == ["c"]
    assert documents["doc_id"].tolist() == ["a", "b", "d"]


def test_fewer_fields_are_filled_as_empty_with_a_note(tmp_path):
    # Decision: missing trailing cells are read as empty (no error); the ledger notes the line.
    path = write(tmp_path, "doc_id,outlet,text,date\n" f"a,X,{A}\nb,Y,{B},2024-06-19\n")
    documents, ledger = load(path)
    assert documents["doc_id"].tolist() == ["a", "b"] and documents.loc[0, "text"] == A
    assert pd.isna(documents.loc[0, "date"]) and documents.loc[1, "date"] == pd.Timestamp("2024-06-19")
    assert "line 2 has 3 of the header's 4 fields" in ledger.loc[0, "note"]
    assert ledger.loc[1, "note"] == ""


def test_empty_fields_after_the_last_column_are_ignored(tmp_path):
    # Decision: a stray separator at the line end (Excel) loses nothing: loaded, with a note.
    documents, ledger = load(write(tmp_path, HEADER + f"a,X,{A},,\nb,Y,{B}\n"))
    assert documents[["doc_id", "outlet", "text"]].values.tolist() == [["a", "X", A], ["b", "Y", B]]
    assert "empty fields after the last column are ignored" in ledger.loc[0, "note"]


def test_text_only_csv_with_an_unquoted_comma(tmp_path):
    # Expected: a one-column table whose text holds an unquoted comma: error naming line 3.
    message = error_of(write(tmp_path, f"text\n{A}\n{B}, sagte sie\n"))
    assert "line 3: 2 fields, but the header has 1" in message


# ----------------------------------------------------------------------------- inner quotes
@pytest.mark.parametrize(
    "cell",
    [
        f'"Er sagte "Nein" und ging {A}"',  # the quote is followed by a letter
        f'"Er sagte "Nein", und ging {A}"',  # the quote is followed by the separator: one field more
        f'"{A} mit dem Zitat "Nein" am Ende"',
    ],
)
def test_undoubled_inner_quotes_are_an_error_naming_the_line(tmp_path, cell):
    # Expected: error naming line 3 (not a silently changed text); lenient: b excluded.
    path = write(tmp_path, HEADER + f"a,X,{A}\nb,Y,{cell}\nc,Z,{C}\n")
    assert "line 3" in error_of(path)
    documents, ledger = load(path, lenient=True)
    assert broken(ledger)["doc_id"].tolist() == ["b"]
    assert documents["text"].tolist() == [A, C]


def test_doubled_inner_quotes_are_read_as_one_quote(tmp_path):
    # Expected: the correct form loads; "" is one " in the text.
    documents, _ = load(write(tmp_path, HEADER + f'a,X,"Er sagte ""Nein"" und ging. {A}"\n'))
    assert documents.loc[0, "text"] == f'Er sagte "Nein" und ging. {A}'


def test_backslash_escaped_quotes_are_named_as_such(tmp_path):
    # Expected: error naming line 2 that says the quote is escaped with a backslash.
    message = error_of(write(tmp_path, HEADER + f'a,X,"Er sagte \\"Nein\\" und ging {A}"\n'))
    assert "line 2" in message and "backslash" in message


# ----------------------------------------------------------------------------- line numbers
def test_blank_lines_before_a_bad_row_errors_name_the_physical_line(tmp_path):
    # Expected: the bad record is on physical line 7 (blank lines 2, 4 and 5 counted).
    content = HEADER + f"\na,X,{A}\n\n\nb,Y,{B}\nc,Z,{C},zuviel\n"
    assert content.splitlines()[6].startswith("c,Z,")
    message = error_of(write(tmp_path, content))
    assert "line 7:" in message


def test_blank_lines_count_as_spreadsheet_rows_in_source(tmp_path):
    # Decision: source rows as a spreadsheet shows them; a blank line is an (empty) row.
    documents, ledger = load(write(tmp_path, HEADER + f"\na,X,{A}\n\n\nb,Y,{B}\n   \nc,Z,{C}\n"))
    assert documents["source"].tolist() == ["corpus.csv:row 3", "corpus.csv:row 6", "corpus.csv:row 8"]
    assert len(ledger) == 3  # blank and whitespace-only lines are no records


def test_multi_line_cells_count_lines_for_errors_and_one_row_for_source(tmp_path):
    # Expected: a record over lines 2-4 is row 2; the bad record after it is line 5, row 3.
    path = write(tmp_path, HEADER + f'a,X,"{A}\nZweiter Absatz.\nDritter Absatz."\nb,Y,{B},zuviel\nc,Z,{C}\n')
    assert "line 5:" in error_of(path)
    documents, ledger = load(path, lenient=True)
    assert ledger["source"].tolist() == ["corpus.csv:row 2", "corpus.csv:row 3", "corpus.csv:row 4"]
    assert documents.loc[0, "text"] == f"{A}\nZweiter Absatz.\nDritter Absatz."


# ----------------------------------------------------------------------------- other exports
def test_separator_change_in_the_middle_of_the_file(tmp_path):
    # Expected: two exports joined, the second with ';': error naming line 4 and the separator.
    path = write(tmp_path, HEADER + f"a,X,{A}\nb,Y,{B}\nc;Z;{C}\nd;X;{D}\n")
    message = error_of(path)
    assert "line 4:" in message and "';'" in message and "separator changes" in message
    documents, ledger = load(path, lenient=True)
    assert broken(ledger)["doc_id"].tolist() == ["c;Z;" + C, "d;X;" + D]
    assert documents["doc_id"].tolist() == ["a", "b"]


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_repeated_header_line_in_the_middle(tmp_path, bom):
    # Expected: two exports joined (the second perhaps with its own byte-order mark): error naming
    # line 4; lenient: that line excluded, not loaded as a document with the text "text".
    path = write(tmp_path, HEADER + f"a,X,{A}\nb,Y,{B}\n{bom}doc_id,outlet,text\nc,Z,{C}\n")
    assert "line 4 repeats the header" in error_of(path)
    documents, ledger = load(path, lenient=True)
    assert len(broken(ledger)) == 1 and documents["doc_id"].tolist() == ["a", "b", "c"]


def test_excel_sep_line_sets_the_separator_and_is_no_row(tmp_path):
    # Expected: Excel's "sep=;" first line is obeyed and skipped; the header is row 1, but
    # errors count the sep= line as line 1 of the file.
    path = write(tmp_path, f"sep=;\ndoc_id;outlet;text\na;X;{A}, sagte sie\nb;Y;{B}\n", encoding="cp1252")
    documents, ledger = load(path)
    assert documents[["doc_id", "outlet"]].values.tolist() == [["a", "X"], ["b", "Y"]]
    assert documents.loc[0, "text"] == f"{A}, sagte sie"
    assert ledger["source"].tolist() == ["corpus.csv:row 2", "corpus.csv:row 3"]
    bad = write(tmp_path, f"sep=;\ndoc_id;outlet;text\na;X;{A}\nb;Y;{B};zuviel\n", name="bad.csv")
    assert "line 4:" in error_of(bad)


def test_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    documents, ledger = load(write(tmp_path, "\ufeff" + HEADER + f"a,X,{A}\n"))
    assert documents.loc[0, "doc_id"] == "a"
    assert "byte-order mark removed" in ledger.loc[0, "note"]


def test_crlf_line_ends_with_a_multi_line_cell(tmp_path):
    # Expected: CRLF files load; line breaks in the text become \n; a bad line is still named.
    content = HEADER + f'a,X,"{A}\nZweiter Absatz."\nb,Y,{B}\n'
    documents, _ = load(write(tmp_path, content.replace("\n", "\r\n")))
    assert documents["text"].tolist() == [f"{A}\nZweiter Absatz.", B]
    bad = (HEADER + f"a,X,{A}\nb,Y,{B},zuviel\n").replace("\n", "\r\n")
    assert "line 3:" in error_of(write(tmp_path, bad, name="bad.csv"))


def test_old_mac_line_ends(tmp_path):
    # Expected: a lone \r ends a line, as in an editor.
    documents, _ = load(write(tmp_path, (HEADER + f"a,X,{A}\nb,Y,{B}\n").replace("\n", "\r")))
    assert documents["doc_id"].tolist() == ["a", "b"] and documents.loc[1, "text"] == B
    bad = (HEADER + f"a,X,{A}\nb,Y,{B},zuviel\n").replace("\n", "\r")
    assert "line 3:" in error_of(write(tmp_path, bad, name="bad.csv"))


def test_nul_byte_in_a_cell_is_kept_for_cleaning_not_a_cut(tmp_path):
    # Expected: the cell is not cut at the NUL; the ledger notes one control character.
    documents, ledger = load(write(tmp_path, HEADER + f"a,X,{A[:20]}\x00{A[20:]}\nb,Y,{B}\n"))
    assert documents.loc[0, "text"].replace("\x00", "") == A
    assert "1 control character" in ledger.loc[0, "note"]


def test_utf16_tab_separated_excel_unicode_text(tmp_path):
    # Expected: Excel's "Unicode text" (UTF-16 with BOM, tabs) saved as .csv loads.
    content = "doc_id\toutlet\ttext\r\n" f"a\tX\t{A}, sagte sie\r\nb\tY\t{B}\r\n"
    documents, _ = load(write(tmp_path, content, encoding="utf-16"))
    assert documents[["doc_id", "outlet", "text"]].values.tolist() == [["a", "X", f"{A}, sagte sie"], ["b", "Y", B]]


@pytest.mark.parametrize("content", [HEADER, HEADER + "\n\n  \n"])
def test_header_only(tmp_path, content):
    assert "no records (only a header)" in error_of(write(tmp_path, content))


def test_broken_header_is_an_error_even_when_lenient(tmp_path):
    # Expected: without a header nothing can be read: an error naming the header, also lenient.
    path = write(tmp_path, f'doc_id,"outlet"x,text\na,X,{A}\n')
    assert "the header" in error_of(path, lenient=True)


def test_a_cell_beyond_the_csv_module_field_limit_loads(tmp_path):
    # Expected: an article of 300,000 characters in one cell loads (csv's default limit is 131,072).
    long_text = " ".join([A] * 3200)
    assert len(long_text) > 300_000
    documents, _ = load(write(tmp_path, HEADER + f'a,X,"{long_text}"\nb,Y,{B}\n'))
    assert documents.loc[0, "text"] == long_text


def test_prose_lines_in_a_cell_are_not_mistaken_for_records(tmp_path):
    # Expected: lines in a correctly quoted cell that hold commas ("Berlin, Moskau, Peking",
    # "1,2,3", "b,Y") load as text: no runaway-quote false alarm.
    text = f"{A}\nBerlin, Moskau, Peking\n1,2,3\nb,Y\nZahl 3,5 Prozent,mehr"
    documents, _ = load(write(tmp_path, HEADER + f'a,X,"{text}"\nb,Y,{B}\nc,Z,{C}\n'))
    assert documents.loc[0, "text"] == text


def test_all_records_broken_lenient_stops_with_the_ledger(tmp_path):
    # Expected: nothing loads: an error with the ledger attached, every record "broken structure".
    path = write(tmp_path, HEADER + f"a,X,{A},eins\nb,Y,{B},zwei\n")
    with pytest.raises(CorpusError, match="broken structure: 2") as info:
        load_corpus(path, lenient=True)
    assert info.value.ledger["reason"].tolist() == ["broken structure"] * 2


def test_strict_error_counts_the_other_broken_records(tmp_path):
    message = error_of(write(tmp_path, HEADER + f"a,X,{A},eins\nb,Y,{B}\nc,Z,{C},drei\nd,X,{D},vier\n"))
    assert "line 2:" in message and "2 more records" in message


def test_metadata_csv_of_a_folder_is_read_strictly(tmp_path):
    # Expected: a folder's metadata.csv with a shifted row is an error, not shifted metadata.
    root = tmp_path / "korpus"
    root.mkdir()
    (root / "a.txt").write_text(A, encoding="utf-8")
    (root / "metadata.csv").write_text("doc_id,outlet\na,X,zuviel\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"metadata\.csv.*line 2: 3 fields, but the header has 2") as info:
        load_corpus(root, language=None)
    assert "lenient" not in str(info.value)  # no lenient mode for metadata


def test_semicolon_csv_with_blank_lines_before_the_header(tmp_path):
    # Expected: the separator is found on the header line, not on the blank first line.
    documents, ledger = load(write(tmp_path, f"\n\ndoc_id;outlet;text\na;X;{A}, sagte sie\n"))
    assert documents[["doc_id", "outlet", "text"]].values.tolist() == [["a", "X", f"{A}, sagte sie"]]
    assert ledger["source"].tolist() == ["corpus.csv:row 4"]  # two empty rows, the header row 3


# ----------------------------------------------------------------------------- generated corpus
@pytest.mark.parametrize("plant", ["inner quote", "missing closing quote", "extra field"])
def test_generated_corpus_with_one_planted_broken_row(tmp_path, plant):
    # Expected: 300 generated articles with one broken row: an error naming that row's line;
    # lenient: exactly one exclusion more than the clean file, the planted record.
    clean_path = write_corpus(tmp_path / "clean.csv", 300)
    content = clean_path.read_text(encoding="utf-8")
    start = content.index("\ng0150,") + 1
    opening = content.index(',"', start) + 1  # g0150's text is quoted (it spans lines)
    if plant == "inner quote":
        at = content.index("\n", opening)
        content, where = content[:at] + ' Er sagte "Nein" dazu.' + content[at:], at
    elif plant == "missing closing quote":
        closing = content.index('"\n', opening + 1)
        content, where = content[:closing] + content[closing + 1:], opening
    else:
        at = content.index(",", start)
        content, where = content[:at] + ",zuviel" + content[at:], at
    path = write(tmp_path, content, name="broken.csv")
    line = content.count("\n", 0, where) + 1
    message = error_of(path)
    assert re.search(rf"\blines? {line}\b", message), (line, message)
    _, clean_ledger = load(clean_path)
    documents, ledger = load(path, lenient=True)
    assert broken(ledger)["doc_id"].tolist() == ["g0150"]
    assert len(ledger) == len(clean_ledger) == 300
    assert (ledger["status"] == "excluded").sum() == (clean_ledger["status"] == "excluded").sum() + 1
    others = documents[documents["doc_id"] != "g0150"].reset_index(drop=True)
    expected = load(clean_path)[0]
    expected = expected[expected["doc_id"] != "g0150"].reset_index(drop=True)
    assert others["text"].tolist() == expected["text"].tolist()


def test_command_line_names_the_line_and_lenient_goes_on(tmp_path, capsys):
    path = write(tmp_path, EXTRA_FIRST)
    assert main(["frequency", "--corpus", str(path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "line 2: 4 fields" in err and "--lenient" in err
    out = tmp_path / "freq.csv"
    assert main(["frequency", "--corpus", str(path), "--no-cache", "--lenient", "--out", str(out)]) == 0
    assert out.exists()


# ----------------------------------------------------------------------------- typed cells
BIG = 9007199254740993  # 2**53 + 1: rounds to 2**53 through float
RECORDS = [
    {"doc_id": BIG, "outlet": "X", "text": A},
    {"doc_id": BIG - 1, "outlet": "Y", "text": B},
    {"doc_id": None, "outlet": "Z", "text": C},
]


def _write_typed(tmp_path, fmt: str, records: list[dict]):
    if fmt == "json":
        path = tmp_path / "corpus.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    elif fmt == "jsonl":
        path = tmp_path / "corpus.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    else:
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        path = tmp_path / "corpus.parquet"
        columns = {key: [r.get(key) for r in records] for key in records[0]}
        types = {"doc_id": pa.int64()} if all(isinstance(v, (int, type(None))) for v in columns["doc_id"]) else {}
        pq.write_table(pa.table({k: pa.array(v, types.get(k)) for k, v in columns.items()}), path)
    return path


@pytest.mark.parametrize("fmt", ["json", "jsonl", "parquet"])
def test_integer_ids_beyond_2_53_are_read_exactly(tmp_path, fmt):
    # Expected: ids as written; a missing id does not turn the column into floats (which made
    # 2**53 + 1 and 2**53 one id: a false duplicate-id error naming an id that exists nowhere).
    documents, ledger = load(_write_typed(tmp_path, fmt, RECORDS))
    assert documents["doc_id"].tolist()[:2] == [str(BIG), str(BIG - 1)]
    assert "id generated" in ledger.loc[2, "note"]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_numbers_as_ids_keep_their_digits(tmp_path, fmt):
    # Expected: 12.50 stays "12.50", 18446744073709551617 (beyond int64) stays exact.
    records = [{"doc_id": 12.50, "text": A}, {"doc_id": 18446744073709551617, "text": B}]
    path = _write_typed(tmp_path, fmt, records)
    path.write_text(path.read_text(encoding="utf-8").replace("12.5", "12.50"), encoding="utf-8")
    documents, _ = load(path)
    assert documents["doc_id"].tolist() == ["12.50", "18446744073709551617"]


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [("text", ["Absatz eins.", "Absatz zwei."], "array"), ("title", {"de": "Titel"}, "object"),
     ("outlet", ["X", "Y"], "array")],
)
def test_json_list_or_object_in_a_text_field_is_refused(tmp_path, field, value, kind):
    # Expected: an error naming the record and field (not the stringified repr); lenient: excluded.
    records = [{"doc_id": "a", "outlet": "X", "title": "T", "text": A}, {"doc_id": "b", "outlet": "Y", "title": "T", "text": B}]
    records[1][field] = value
    path = _write_typed(tmp_path, "json", records)
    message = error_of(path)
    assert f"record 2, field '{field}': holds a JSON {kind}" in message
    documents, ledger = load(path, lenient=True)
    assert documents["doc_id"].tolist() == ["a"]
    assert ledger.loc[1, "reason"] == "broken structure" and "[" not in ledger.loc[1, "note"]


def test_parquet_binary_text_is_decoded_as_utf8(tmp_path):
    # Expected: a binary text column (as Spark writes it) is text, not "b'...'".
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "spark.parquet"
    pq.write_table(pa.table({"doc_id": ["a", "b"], "outlet": pa.array([b"X", b"Y"], pa.binary()),
                             "text": pa.array([A.encode(), B.encode()], pa.binary())}), path)
    documents, _ = load(path)
    assert documents["text"].tolist() == [A, B] and documents["outlet"].tolist() == ["X", "Y"]


def test_parquet_bytes_that_are_not_utf8(tmp_path):
    # Expected: an error naming the column and row; lenient: that record excluded "undecodable".
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "spark.parquet"
    pq.write_table(pa.table({"doc_id": ["a", "b", "c"],
                             "text": pa.array([A.encode(), B.encode("cp1252"), C.encode()], pa.binary())}), path)
    message = error_of(path)
    assert "row 3, column 'text'" in message and "not UTF-8" in message
    documents, ledger = load(path, lenient=True)
    assert documents["doc_id"].tolist() == ["a", "c"]
    assert ledger.loc[1, "reason"] == "undecodable" and "row 3" in ledger.loc[1, "note"]


def test_parquet_timestamps_and_nullable_integers(tmp_path):
    # Expected: timestamps stay dates; a nullable integer metadata column stays exact (Int64).
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "k.parquet"
    pq.write_table(pa.table({
        "doc_id": pa.array([BIG, None], pa.int64()),
        "date": pa.array([pd.Timestamp("2024-06-19 10:00"), None], pa.timestamp("us")),
        "text": [A, B],
        "views": pa.array([BIG, None], pa.int64()),
    }), path)
    documents, _ = load(path)
    assert documents.loc[0, "doc_id"] == str(BIG)
    assert documents.loc[0, "date"] == pd.Timestamp("2024-06-19 10:00") and pd.isna(documents.loc[1, "date"])
    assert documents.loc[0, "views"] == BIG and pd.isna(documents.loc[1, "views"])


def test_parquet_list_column_as_text_is_refused(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "k.parquet"
    pq.write_table(pa.table({"doc_id": ["a", "b"], "text": pa.array([[A], [B, C]], pa.list_(pa.string()))}), path)
    assert "row 2, column 'text': holds a list" in error_of(path)
