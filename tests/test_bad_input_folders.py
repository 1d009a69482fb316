"""The bad-input suite, folders and cells: every entry of a folder corpus is accounted for.

Each test states its expected outcome first, then loads. The ledger identity (loaded + excluded
= records read, one ledger row per entry) is checked wherever a corpus loads.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import CorpusError
from analysis.io.corpus import EXCLUSION_REASONS, load_corpus
from analysis.io.encoding import decode_bytes
from tests.generated import generated_corpus

GERMAN = (
    "Der russische Präsident und der nordkoreanische Machthaber unterzeichneten in Pjöngjang ein "
    "Abkommen über gegenseitige Hilfe. Die Größe des Empfangs überraschte die Beobachter."
)


def text(number: int) -> str:
    """A German text that is no other's duplicate."""
    return f"Bericht {number}: {GERMAN}\n"


def load(path, **kwargs):
    documents, ledger = load_corpus(path, return_ledger=True, **kwargs)
    assert (ledger["status"] == "loaded").sum() + (ledger["status"] == "excluded").sum() == len(ledger)
    assert (ledger["status"] == "loaded").sum() == len(documents)
    assert ledger["record"].tolist() == list(range(1, len(ledger) + 1))
    assert set(ledger["reason"]) <= set(EXCLUSION_REASONS) | {""}
    return documents, ledger


def make_folder(tmp_path: Path, files: dict[str, str | bytes], name: str = "corpus") -> Path:
    """A folder with ``files`` (relative paths; folders are made as needed)."""
    root = tmp_path / name
    root.mkdir()
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def symlink(link: Path, target, *, directory: bool = False) -> None:
    try:
        os.symlink(target, link, target_is_directory=directory)
    except (OSError, NotImplementedError):  # e.g. Windows without the right to make links
        pytest.skip("symbolic links cannot be made here")


def row(ledger: pd.DataFrame, doc_id: str) -> pd.Series:
    return ledger.set_index("doc_id").loc[doc_id]


# ----------------------------------------------------------------------------- subfolders


def test_subfolder_without_recursive_is_one_excluded_row_that_says_how_to_read_it(tmp_path):
    expected = {"loaded": ["a"], "subfolder": "2024/", "files": "holding 3 files (2 .txt/.html/.htm)"}
    root = make_folder(tmp_path, {"a.txt": text(1), "2024/juni/artikel1.txt": text(2),
                                  "2024/juni/artikel2.txt": text(3), "2024/bild.jpg": b"\xff\xd8\xff"})
    documents, ledger = load(root)
    assert documents["doc_id"].tolist() == expected["loaded"]
    assert len(ledger) == 2
    sub = row(ledger, expected["subfolder"])
    assert sub["reason"] == "subfolder" and sub["source"] == "corpus/2024/"
    assert expected["files"] in sub["note"] and "--recursive" in sub["note"]


def test_recursive_reads_subfolders_with_the_relative_path_as_doc_id(tmp_path):
    expected_ids = ["2024/juni/artikel1", "2024/juni/artikel2", "2024/mai/artikel1", "a"]
    expected_sources = ["corpus/2024/juni/artikel1.txt", "corpus/2024/juni/artikel2.txt",
                        "corpus/2024/mai/artikel1.txt", "corpus/a.txt"]
    root = make_folder(tmp_path, {"a.txt": text(1), "2024/juni/artikel1.txt": text(2),
                                  "2024/juni/artikel2.txt": text(3), "2024/mai/artikel1.txt": text(4)})
    documents, ledger = load(root, recursive=True)
    assert documents["doc_id"].tolist() == expected_ids  # same stem in two folders: no collision
    assert documents["source"].tolist() == expected_sources
    assert (ledger["status"] == "loaded").all()


def test_metadata_rows_for_files_in_subfolders_match_their_relative_doc_id(tmp_path):
    expected = {"2024/juni/artikel1": "Tagesblatt", "a": "Rheinpost"}
    metadata = "doc_id,outlet,date\n2024/juni/artikel1,Tagesblatt,2024-06-19\na,Rheinpost,2024-06-20\n"
    root = make_folder(tmp_path, {"a.txt": text(1), "2024/juni/artikel1.txt": text(2), "metadata.csv": metadata})
    documents, ledger = load(root, recursive=True)
    assert dict(zip(documents["doc_id"], documents["outlet"])) == expected
    assert documents["date"].iloc[0] == pd.Timestamp("2024-06-19")
    assert "no metadata row" not in " ".join(ledger["note"])


def test_metadata_rows_for_an_unread_subfolder_are_counted_not_errors(tmp_path):
    expected_note = "metadata.csv has 2 rows for its files"
    metadata = "doc_id,outlet\na,X\n2024/juni/artikel1,Y\n2024/juni/artikel2,Z\n"
    root = make_folder(tmp_path, {"a.txt": text(1), "2024/juni/artikel1.txt": text(2),
                                  "2024/juni/artikel2.txt": text(3), "metadata.csv": metadata})
    documents, ledger = load(root)
    assert documents["outlet"].tolist() == ["X"]
    assert expected_note in row(ledger, "2024/")["note"]


@pytest.mark.parametrize("recursive", [False, True])
def test_an_empty_subfolder_is_a_ledger_row(tmp_path, recursive):
    expected = ("subfolder", "empty subfolder" if recursive else "without files")
    root = make_folder(tmp_path, {"a.txt": text(1)})
    (root / "leer").mkdir()
    documents, ledger = load(root, recursive=recursive)
    assert documents["doc_id"].tolist() == ["a"]
    assert row(ledger, "leer/")["reason"] == expected[0]
    assert expected[1] in row(ledger, "leer/")["note"]


@pytest.mark.parametrize("recursive", [False, True])
def test_a_metadata_csv_in_a_subfolder_is_not_read(tmp_path, recursive):
    # Only the top-level metadata.csv counts; one in a subfolder is an unsupported file.
    expected_outlet = "unknown"
    root = make_folder(tmp_path, {"a.txt": text(1), "teil/b.txt": text(2),
                                  "teil/metadata.csv": "doc_id,outlet\nb,Tagesblatt\n"})
    documents, ledger = load(root, recursive=recursive)
    if recursive:
        assert documents.set_index("doc_id").loc["teil/b", "outlet"] == expected_outlet
        nested = row(ledger, "teil/metadata.csv")
        assert nested["reason"] == "unsupported file type"
        assert "only the one at the top" in nested["note"]
    else:
        assert "holding 2 files" in row(ledger, "teil/")["note"]


def test_a_folder_with_documents_only_in_subfolders_says_to_pass_recursive(tmp_path):
    root = make_folder(tmp_path, {"2024/a.txt": text(1), "2024/b.txt": text(2)})
    with pytest.raises(CorpusError, match="recursive") as info:
        load_corpus(root)
    assert "2 .txt/.html/.htm files" in str(info.value)
    documents, _ = load(root, recursive=True)
    assert documents["doc_id"].tolist() == ["2024/a", "2024/b"]


# ----------------------------------------------------------------------------- other entries


@pytest.mark.parametrize(
    ("name", "shown"),
    [("notizen.docx", "extension .docx"), ("scan.pdf", "extension .pdf"), ("LIESMICH.md", "extension .md"),
     ("daten.csv", "extension .csv"), ("ohne_endung", "no extension"), ("foto.JPG", "extension .jpg")],
)
def test_files_of_other_types_are_excluded_with_their_extension(tmp_path, name, shown):
    root = make_folder(tmp_path, {"a.txt": text(1), name: b"irgendetwas"})
    documents, ledger = load(root)
    assert documents["doc_id"].tolist() == ["a"]
    other = row(ledger, name)
    assert other["reason"] == "unsupported file type"
    assert other["note"].startswith(shown)


def test_an_other_file_never_takes_a_documents_doc_id(tmp_path):
    # README beside README.txt: the document keeps "README", the other file is "./README".
    expected = {"README": "loaded", "./README": "excluded"}
    root = make_folder(tmp_path, {"README.txt": text(1), "README": b"kein Dokument"})
    _, ledger = load(root)
    assert dict(zip(ledger["doc_id"], ledger["status"])) == expected


def test_an_unreadable_file_is_excluded(tmp_path, monkeypatch):
    root = make_folder(tmp_path, {"a.txt": text(1), "gesperrt.txt": text(2)})
    original = Path.read_bytes

    def read_bytes(self):
        if self.name == "gesperrt.txt":
            raise PermissionError(errno.EACCES, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    documents, ledger = load(root)
    assert documents["doc_id"].tolist() == ["a"]
    assert row(ledger, "gesperrt")["reason"] == "unreadable"
    assert "Permission denied" in row(ledger, "gesperrt")["note"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="file permissions do not stop root (or there are none)")
def test_a_file_without_read_permission_is_excluded(tmp_path):
    root = make_folder(tmp_path, {"a.txt": text(1), "gesperrt.txt": text(2)})
    (root / "gesperrt.txt").chmod(0)
    try:
        documents, ledger = load(root)
    finally:
        (root / "gesperrt.txt").chmod(0o644)
    assert row(ledger, "gesperrt")["reason"] == "unreadable"


def test_a_subfolder_that_cannot_be_listed_is_excluded_as_unreadable(tmp_path, monkeypatch):
    root = make_folder(tmp_path, {"a.txt": text(1), "gesperrt/b.txt": text(2)})
    original = Path.iterdir

    def iterdir(self):
        if self.name == "gesperrt":
            raise PermissionError(errno.EACCES, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    documents, ledger = load(root, recursive=True)
    assert documents["doc_id"].tolist() == ["a"]
    assert row(ledger, "gesperrt/")["reason"] == "unreadable"
    assert "Permission denied" in row(ledger, "gesperrt/")["note"]


def test_a_broken_link_is_excluded(tmp_path):
    root = make_folder(tmp_path, {"a.txt": text(1)})
    symlink(root / "weg.txt", "gibt_es_nicht.txt")
    documents, ledger = load(root)
    assert documents["doc_id"].tolist() == ["a"]
    assert row(ledger, "weg")["reason"] == "broken link"
    assert "gibt_es_nicht.txt" in row(ledger, "weg")["note"]


def test_a_link_to_a_file_is_read_as_that_file(tmp_path):
    root = make_folder(tmp_path, {"a.txt": text(1)})
    (tmp_path / "aussen.txt").write_text(text(2), encoding="utf-8")
    symlink(root / "verweis.txt", tmp_path / "aussen.txt")
    documents, _ = load(root)
    assert documents.set_index("doc_id").loc["verweis", "text"] == text(2)


def test_a_link_to_a_parent_folder_is_a_link_loop_not_endless_recursion(tmp_path):
    expected = {"a": "", "teil/b": "", "teil/zurueck/": "link loop", "teil/hier/": "link loop"}
    root = make_folder(tmp_path, {"a.txt": text(1), "teil/b.txt": text(2)})
    symlink(root / "teil" / "zurueck", "..", directory=True)
    symlink(root / "teil" / "hier", ".", directory=True)
    _, ledger = load(root, recursive=True)
    assert dict(zip(ledger["doc_id"], ledger["reason"])) == expected


def test_links_that_lead_to_each_other_are_a_link_loop(tmp_path):
    root = make_folder(tmp_path, {"a.txt": text(1)})
    symlink(root / "eins.txt", "zwei.txt")
    symlink(root / "zwei.txt", "eins.txt")
    _, ledger = load(root)
    assert ledger.set_index("doc_id")["reason"].to_dict() == {"a": "", "eins": "link loop", "zwei": "link loop"}


def _load_in_time(root, seconds=60):
    """Load in a thread: a read that blocks (on a pipe) fails the test instead of hanging it."""
    result = {}
    thread = threading.Thread(target=lambda: result.update(zip(("documents", "ledger"), load(root))), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "loading blocked"
    return result["documents"], result["ledger"]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_device_is_skipped_without_reading_it(tmp_path, kind):
    expected = {"fifo": "a named pipe (FIFO)", "device": "a character device"}[kind]
    root = make_folder(tmp_path, {"a.txt": text(1)})
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(root / "rohr.txt")
    else:
        if os.devnull != "/dev/null":
            pytest.skip("no device files here")
        symlink(root / "geraet.txt", os.devnull)
    documents, ledger = _load_in_time(root)
    assert documents["doc_id"].tolist() == ["a"]
    other = ledger[ledger["doc_id"] != "a"].iloc[0]
    assert other["reason"] == "unsupported file type" and other["note"].startswith(expected)


def test_hidden_entries_are_not_records_but_are_counted(tmp_path):
    root = make_folder(tmp_path, {"a.txt": text(1), ".DS_Store": b"\x00\x00\x00\x01Bud1",
                                  "._a.txt": b"\x00\x05\x16\x07", ".git/config": "[core]\n"})
    documents, ledger = load(root)
    assert ledger["doc_id"].tolist() == ["a"]
    assert "3 hidden entries of the folder not read (.DS_Store, ._a.txt, .git)" in ledger["note"].iloc[0]


# ----------------------------------------------------------------------------- names


def test_a_decomposed_file_name_matches_its_composed_metadata_row(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Gipfel-Pjöngjang")
    assert decomposed == "Gipfel-Pjo\u0308ngjang"
    expected = {"doc_id": "Gipfel-Pjöngjang", "outlet": "Tagesblatt"}  # NFC
    root = make_folder(tmp_path, {f"{decomposed}.txt": text(1),
                                  "metadata.csv": "doc_id,outlet\nGipfel-Pjöngjang,Tagesblatt\n"})
    documents, ledger = load(root)
    assert documents[["doc_id", "outlet"]].iloc[0].to_dict() == expected
    assert unicodedata.is_normalized("NFC", documents["doc_id"].iloc[0])
    assert ledger["note"].iloc[0] == ""


@pytest.mark.parametrize("duplicates", ["error", "first"])
def test_two_names_equal_after_nfc_are_duplicate_ids(tmp_path, duplicates):
    composed, decomposed = "Pjöngjang", unicodedata.normalize("NFD", "Pjöngjang")
    root = make_folder(tmp_path, {f"{composed}.txt": text(1), f"{decomposed}.txt": text(2)})
    if len(list(root.iterdir())) < 2:
        pytest.skip("this file system stores both names as one")
    if duplicates == "error":
        with pytest.raises(CorpusError, match="duplicate doc_id 'Pjöngjang'"):
            load_corpus(root)
        return
    documents, ledger = load(root, duplicates="first")
    assert documents["doc_id"].tolist() == ["Pjöngjang"]
    second = ledger.iloc[1]
    assert second["reason"] == "duplicate doc_id"
    assert "Unicode normalisation (NFC)" in second["note"]


@pytest.mark.parametrize(
    "name",
    ["Gipfel in Pjöngjang – Bericht vom 19. Juni", "Eilmeldung 🚨 Kim trifft Putin 🤝", "  zwei  Leerzeichen ",
     "Bericht-" + "x" * 125, "Ü" * 120],
    ids=["spaces", "emoji", "outer-spaces", "133-characters", "120-umlauts"],
)
def test_unusual_file_names_become_doc_ids(tmp_path, name):
    expected = unicodedata.normalize("NFC", name)
    root = make_folder(tmp_path, {f"{name}.txt": text(1)})
    documents, _ = load(root)
    assert documents["doc_id"].tolist() == [expected]
    assert documents["source"].tolist() == [f"corpus/{name}.txt"]


@pytest.mark.parametrize("length", [300])
def test_a_300_character_name(tmp_path, length):
    # Most file systems allow 255 bytes per name: then a 300-character path of folders stands in.
    name = "B" * (length - 4)
    root = make_folder(tmp_path, {"a.txt": text(1)})
    try:
        (root / f"{name}.txt").write_text(text(2), encoding="utf-8")
        expected_id, recursive = name, False
    except OSError as exc:
        assert exc.errno in (errno.ENAMETOOLONG, errno.EINVAL)
        parts = ["O" * 99, "P" * 99, "Q" * 98]
        nested = root.joinpath(*parts[:-1])
        nested.mkdir(parents=True)
        (nested / f"{parts[-1]}.txt").write_text(text(2), encoding="utf-8")
        expected_id, recursive = "/".join(parts), True
    assert len(expected_id) >= 296
    documents, _ = load(root, recursive=recursive)
    assert expected_id in documents["doc_id"].tolist()


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="names must be valid Unicode there")
def test_a_file_name_that_is_not_utf8_is_read_as_cp1252(tmp_path):
    root = make_folder(tmp_path, {"a.txt": text(1)})
    try:
        with open(os.path.join(os.fsencode(root), "Größe.txt".encode("cp1252")), "wb") as handle:
            handle.write(text(2).encode("utf-8"))
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    documents, ledger = load(root)
    assert "Größe" in documents["doc_id"].tolist()
    assert "not valid UTF-8" in row(ledger, "Größe")["note"]
    ledger.to_csv(tmp_path / "ledger.csv", index=False, encoding="utf-8")  # no lone surrogates left


# ----------------------------------------------------------------------------- HTML in table cells

ARTICLE_HTML = (
    '<div class="article"><p>Der Bundestag hat am Donnerstag ein neues Gesetz über die Förderung '
    "der Schulen beschlossen. Die Opposition sprach von einem &quot;schwarzen Tag&quot; für die "
    "Demokratie.</p><p>Die Abstimmung fiel knapp aus.</p></div>"
)


@pytest.mark.parametrize(
    ("cell", "expected_text", "expected_note"),
    [
        (ARTICLE_HTML,
         "Der Bundestag hat am Donnerstag ein neues Gesetz über die Förderung der Schulen beschlossen. "
         "Die Opposition sprach von einem \"schwarzen Tag\" für die Demokratie.\nDie Abstimmung fiel knapp aus.",
         "text extracted from HTML in the cell"),
        ("<p>Kurz &amp; knapp: der Stadtrat tagt.</p>", "Kurz & knapp: der Stadtrat tagt.",
         "text extracted from HTML in the cell (trafilatura found no article text; tags removed with lxml)"),
        ("Erste Zeile der Meldung.<br>Zweite Zeile der Meldung.", "Erste Zeile der Meldung.\nZweite Zeile der Meldung.",
         "text extracted from HTML in the cell"),
        ("Die Partei sprach von &quot;Verrat&quot; &amp; Lüge.", 'Die Partei sprach von "Verrat" & Lüge.',
         "3 HTML entities unescaped in the cell"),
        ("Wenn die Inflation < 2 % liegt und der Zins > 3 % ist, spart man.",
         "Wenn die Inflation < 2 % liegt und der Zins > 3 % ist, spart man.", ""),
        ("Die Firma Müller&Co und AT&T; kündigten an.", "Die Firma Müller&Co und AT&T; kündigten an.", ""),
    ],
    ids=["article-markup", "short-cell-lxml", "line-break-tag", "entities-only", "lone-angle-brackets",
         "ampersand-not-entity"],
)
def test_html_in_a_table_cell_is_reduced_to_its_text(tmp_path, cell, expected_text, expected_note):
    path = tmp_path / "corpus.csv"
    pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [cell]}).to_csv(path, index=False)
    documents, ledger = load(path)
    loaded = documents["text"].iloc[0]
    assert loaded.startswith(expected_text[:40])
    assert loaded == expected_text
    assert ledger["note"].iloc[0].startswith(expected_note) if expected_note else ledger["note"].iloc[0] == ""
    for markup_word in ("div", "class", "quot", "amp"):
        assert markup_word not in loaded.split()


def test_html_in_a_cell_without_trafilatura_falls_back_to_lxml(tmp_path, monkeypatch):
    expected_note = "text extracted from HTML in the cell (trafilatura is not installed; tags removed with lxml)"
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # makes the import fail
    path = tmp_path / "corpus.jsonl"
    path.write_text(pd.DataFrame({"doc_id": ["a"], "text": [ARTICLE_HTML]}).to_json(orient="records", lines=True,
                                                                                    force_ascii=False),
                    encoding="utf-8")
    documents, ledger = load(path)
    assert documents["text"].iloc[0].endswith("für die Demokratie.\nDie Abstimmung fiel knapp aus.")
    assert ledger["note"].iloc[0].endswith(expected_note)


# ----------------------------------------------------------------------------- encodings

FULL = "Die Größe der Straße: „Äpfel“ und ‚Birnen‘ – schön, übel, Öl. Grüße aus Köln."
LATIN1 = "Die Größe der Straße: »Äpfel« und Birnen, schön, übel, Öl. Grüße aus Köln."


@pytest.mark.parametrize(
    ("encoding", "original", "expected_note"),
    [("cp1252", FULL, "decoded as cp1252"), ("mac_roman", FULL, "decoded as mac_roman"),
     ("latin-1", LATIN1, "decoded as cp1252")],  # Latin-1 without 0x80-0x9F reads the same as cp1252
)
def test_single_byte_encodings_decode_to_the_original_text(tmp_path, encoding, original, expected_note):
    root = make_folder(tmp_path, {"a.txt": original.encode(encoding)})
    documents, ledger = load(root)
    assert documents["text"].iloc[0] == original
    assert ledger["note"].iloc[0] == expected_note  # clear evidence: not reported as a guess


def test_a_macroman_table_decodes_to_the_original_text(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_bytes(f'doc_id,text\na,"{FULL}"\n'.encode("mac_roman"))
    documents, ledger = load(path)
    assert documents["text"].iloc[0] == FULL
    assert "mac_roman" in ledger["note"].iloc[0]


@pytest.mark.parametrize(
    ("data", "expected_encoding", "expected_note"),
    [("Der Preis: 5 €".encode("cp1252"), "cp1252", "encoding guessed: cp1252 (MacRoman also possible)"),
     ("Er sagte „Nein“ und ging.".encode("cp1252"), "cp1252", "encoding guessed: cp1252 (MacRoman also possible)"),
     # One umlaut is too little evidence for MacRoman: the rule keeps cp1252 and says so.
     ("Käse".encode("mac_roman"), "cp1252", "encoding guessed: cp1252 (MacRoman also possible)")],
    ids=["euro-sign", "quotes-only", "one-macroman-umlaut"],
)
def test_encodings_the_bytes_cannot_tell_apart_are_noted_as_guesses(tmp_path, data, expected_encoding, expected_note):
    assert decode_bytes(data).encoding == expected_encoding
    root = make_folder(tmp_path, {"a.txt": data + b" Ein Satz dazu."})
    _, ledger = load(root)
    assert expected_note in ledger["note"].iloc[0]


# ----------------------------------------------------------------------------- a generated corpus


def _write_generated_folder(root: Path, n: int = 300) -> tuple[pd.DataFrame, dict[str, str]]:
    """``generated_corpus(n)`` as a folder: a tenth at the top, the rest in outlet/month folders,
    plus stray entries. Returns the corpus with its doc_ids as paths and the stray entries."""
    corpus = generated_corpus(n)
    ids = []
    for number, record in enumerate(corpus.itertuples()):
        if number % 10 == 0:
            doc_id = record.doc_id
        else:
            doc_id = f"{record.outlet}/{record.date[:7]}/{record.doc_id}"
        path = root / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record.text, encoding="utf-8")
        ids.append(doc_id)
    corpus = corpus.assign(doc_id=ids)
    corpus[["doc_id", "outlet", "date", "title"]].to_csv(root / "metadata.csv", index=False)
    stray = {"LIESMICH.md": "unsupported file type", "Tagesblatt/foto.jpg": "unsupported file type",
             "Rheinpost/alt/": "subfolder", "kaputt.txt": "broken link"}
    (root / "LIESMICH.md").write_text("Nur eine Notiz.", encoding="utf-8")
    (root / "Tagesblatt" / "foto.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (root / "Rheinpost" / "alt").mkdir(parents=True)
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    symlink(root / "kaputt.txt", "nirgends.txt")
    return corpus, stray


def test_a_generated_folder_corpus_accounts_for_every_entry(tmp_path):
    root = tmp_path / "generiert"
    root.mkdir()
    corpus, stray = _write_generated_folder(root)
    expected_top = {doc_id for doc_id in corpus["doc_id"] if "/" not in doc_id}
    expected_folders = {doc_id.split("/")[0] + "/" for doc_id in corpus["doc_id"] if "/" in doc_id}

    documents, ledger = load(root, recursive=True)
    reasons = ledger.set_index("doc_id")["reason"]
    assert len(ledger) == len(corpus) + len(stray)  # every file, every stray entry; no hidden one
    assert set(corpus["doc_id"]) <= set(ledger["doc_id"])
    for doc_id, reason in stray.items():
        assert reasons[doc_id.removesuffix(".txt")] == reason
    loaded = documents.set_index("doc_id")
    assert (loaded["outlet"] == corpus.set_index("doc_id").loc[loaded.index, "outlet"]).all()
    excluded_documents = ledger[ledger["doc_id"].isin(corpus["doc_id"]) & (ledger["status"] == "excluded")]
    assert len(documents) + len(excluded_documents) == len(corpus)

    documents, ledger = load(root)
    top_level = {"LIESMICH.md", "kaputt"} | expected_top | expected_folders
    assert set(ledger["doc_id"]) == top_level
    assert set(documents["doc_id"]) <= expected_top
    folder_rows = ledger[ledger["reason"] == "subfolder"]
    counted = folder_rows["note"].str.extract(r"metadata\.csv has (\d+) rows?")[0].astype(int).sum()
    assert counted == len(corpus) - len(expected_top)  # every metadata row accounted for


# ----------------------------------------------------------------------------- command line


def test_the_command_line_summary_lists_the_entries_not_read(tmp_path, capsys):
    root = make_folder(tmp_path, {"a.txt": text(1), "b.txt": text(2), "2024/c.txt": text(3),
                                  "notizen.docx": b"PK\x03\x04"})
    assert main(["corpus", "--corpus", str(root), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    printed = capsys.readouterr().out
    assert "subfolder" in printed and "unsupported file type" in printed
    ledger = pd.read_csv(tmp_path / "out" / "ledger.csv", keep_default_na=False)
    assert len(ledger) == 4 and "--recursive" in ledger.set_index("doc_id").loc["2024/", "note"]
