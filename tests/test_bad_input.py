"""The bad-input suite: every case has an expected outcome — a clear error or a recorded exclusion.

Each test names the case of the issue it covers. The ledger identity (loaded + excluded = read)
is checked wherever a corpus loads.
"""

import json

import pandas as pd
import pytest

from analysis.cli import main
from analysis.clean import clean_corpus, restore_raw
from analysis.io.corpus import load_corpus
from analysis.stats.counts import count_terms, group_counts
from analysis.errors import CorpusError, ParameterError
from analysis.stats.keyness import keyness
from analysis.stats.kwic import kwic, kwic_html
from analysis.stats.robustness import bootstrap_keyness
from analysis.text import tokenize

GERMAN = (
    "Der russische Präsident Wladimir Putin und der nordkoreanische Machthaber Kim Jong Un "
    "unterzeichneten in Pjöngjang ein Abkommen über gegenseitige Hilfe. Die Größe des Empfangs "
    "überraschte die Beobachter, die von „besten Freunden“ sprachen."
)
ENGLISH = (
    "The Russian president and the North Korean leader signed a defence agreement in Pyongyang on "
    "Wednesday, and they said that the two countries would help each other if one of them was attacked "
    "by another state in the future."
)


def load(path, **kwargs):
    documents, ledger = load_corpus(path, return_ledger=True, **kwargs)
    assert (ledger["status"] == "loaded").sum() + (ledger["status"] == "excluded").sum() == len(ledger)
    assert (ledger["status"] == "loaded").sum() == len(documents)
    return documents, ledger


def csv_file(tmp_path, rows, name="corpus.csv", columns=("doc_id", "outlet", "text")):
    path = tmp_path / name
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path


def folder(tmp_path, files: dict[str, bytes]):
    root = tmp_path / "corpus"
    root.mkdir()
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


# ----------------------------------------------------------------------------- files and folders
def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(CorpusError, match="empty.csv"):
        load(path)


def test_empty_folder(tmp_path):
    (tmp_path / "nothing").mkdir()
    with pytest.raises(CorpusError, match="nothing"):
        load(tmp_path / "nothing")


def test_binary_file_among_text_files_is_excluded_and_the_rest_loads(tmp_path):
    root = folder(tmp_path, {"a.txt": GERMAN.encode(), "b.txt": bytes(range(256)) * 8})
    documents, ledger = load(root)
    assert list(documents["doc_id"]) == ["a"]
    assert ledger.set_index("doc_id").loc["b", "reason"] == "undecodable"


def test_binary_only_stops_with_the_reasons(tmp_path):
    root = folder(tmp_path, {"b.txt": b"\x00\x01\x02\xff" * 100})
    with pytest.raises(CorpusError, match="undecodable"):
        load(root)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_encodings_decode_to_the_same_text(tmp_path, encoding):
    text = GERMAN.replace("„", '"').replace("“", '"') if encoding == "latin-1" else GERMAN
    root = folder(tmp_path, {"a.txt": text.encode(encoding)})
    documents, _ = load(root)
    assert documents.loc[0, "text"] == text
    assert "\ufeff" not in documents.loc[0, "text"]


def test_mojibake_is_repaired_and_every_repair_is_in_the_audit(tmp_path):
    broken = GERMAN.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    root = folder(tmp_path, {"a.txt": broken})
    documents, ledger = load(root)
    assert "mojibake found" in ledger.loc[0, "note"]
    cleaned, audit = clean_corpus(documents)
    assert "Größe" in cleaned.loc[0, "text"] and "„besten Freunden“" in cleaned.loc[0, "text"]
    assert (audit["rule"] == "encoding_repair").sum() >= 4
    assert restore_raw(cleaned.loc[0, "text"], audit) == documents.loc[0, "text"]


def test_html_instead_of_text_is_extracted(tmp_path):
    pytest.importorskip("trafilatura")
    page = (
        "<html><head><title>Gipfel in Pjöngjang</title><script>track()</script></head><body>"
        "<nav>Startseite | Politik</nav><article><h1>Gipfel in Pjöngjang</h1>"
        f"<p>{GERMAN}</p><p>{GERMAN.replace('Beobachter', 'Diplomaten')}</p></article></body></html>"
    )
    root = folder(tmp_path, {"seite.html": page.encode("utf-8")})
    documents, _ = load(root)
    text = documents.loc[0, "text"]
    assert "Machthaber Kim Jong Un" in text and "track()" not in text
    assert documents.loc[0, "title"] == "Gipfel in Pjöngjang"


# ----------------------------------------------------------------------------- tables
def test_csv_without_text_column(tmp_path):
    path = csv_file(tmp_path, [("a", "X", GERMAN)], columns=("doc_id", "outlet", "inhalt"))
    with pytest.raises(CorpusError, match=r"corpus\.csv.*text") as error:
        load(path)
    assert "inhalt" in str(error.value)


def test_renamed_columns_are_suggested_and_accepted(tmp_path):
    path = csv_file(tmp_path, [("a", "X", GERMAN)], columns=("id", "outlet", "body"))
    with pytest.raises(CorpusError, match="body"):
        load(path)
    documents, _ = load(path, columns={"id": "doc_id", "body": "text"})
    assert documents.loc[0, "doc_id"] == "a"


def test_duplicate_ids(tmp_path):
    path = csv_file(tmp_path, [("a", "X", GERMAN), ("a", "Y", GERMAN + " Nachtrag.")])
    with pytest.raises(CorpusError, match="'a'.*row 2.*row 3"):
        load(path)
    documents, ledger = load(path, duplicates="first")
    assert len(documents) == 1 and list(ledger["reason"]) == ["", "duplicate doc_id"]


def test_empty_and_missing_text_are_excluded(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(f'doc_id,outlet,text\na,X,"{GERMAN}"\nb,X,\nc,X,"   "\n', encoding="utf-8")
    documents, ledger = load(path)
    assert list(documents["doc_id"]) == ["a"]
    assert list(ledger["reason"]) == ["", "empty text", "empty text"]


def test_duplicate_text_is_excluded(tmp_path):
    # Within one outlet a repeat is excluded; in another outlet it is that outlet's copy (shared).
    documents, ledger = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", GERMAN), ("c", "Y", GERMAN)]))
    assert list(documents["doc_id"]) == ["a", "c"]
    assert ledger.loc[1, "reason"] == "duplicate text" and "'a'" in ledger.loc[1, "note"]
    assert documents["shared_text"].iloc[0] == documents["shared_text"].iloc[1] != ""


def test_bad_jsonl_line_names_the_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"doc_id": "a", "text": GERMAN}, ensure_ascii=False) + "\n{kaputt\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 2"):
        load(path)


def test_non_german_text_is_excluded(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("de", "X", GERMAN), ("en", "X", ENGLISH)]))
    assert list(documents["doc_id"]) == ["de"]
    assert ledger.loc[1, "reason"] == "not German"


def test_only_punctuation_is_excluded(tmp_path):
    documents, ledger = load(csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", "!!! ... ??? — „“ 2024")]))
    assert list(documents["doc_id"]) == ["a"]
    assert ledger.loc[1, "reason"] == "no words"


def test_control_characters_and_nul_bytes_are_removed(tmp_path):
    dirty = GERMAN[:40] + "\x00\x07\x1b" + GERMAN[40:]
    documents, ledger = load(csv_file(tmp_path, [("a", "X", dirty)]))
    assert "3 control characters" in ledger.loc[0, "note"]
    cleaned, audit = clean_corpus(documents)
    assert cleaned.loc[0, "text"] == GERMAN
    assert list(audit["before"]) == ["\x00", "\x07", "\x1b"]  # one audit row per character


def test_invalid_dates_become_missing_with_a_note(tmp_path):
    path = csv_file(tmp_path, [("a", "X", "gestern", GERMAN)], columns=("doc_id", "outlet", "date", "text"))
    documents, ledger = load(path)
    assert pd.isna(documents.loc[0, "date"])
    assert "gestern" in ledger.loc[0, "note"]


def test_strict_turns_exclusions_into_errors(tmp_path):
    path = csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", "")])
    with pytest.raises(CorpusError, match="empty text"):
        load(path, strict=True)


def test_a_50_mb_single_document_loads(tmp_path):
    body = (GERMAN + "\n") * (50_000_000 // (len(GERMAN.encode()) + 1))
    root = folder(tmp_path, {"gross.txt": body.encode("utf-8")})
    documents, _ = load(root, language=None)
    assert len(documents.loc[0, "text"]) == len(body)


def test_a_100000_row_csv_loads(tmp_path):
    rows = [(f"d{i}", f"Zeitung {i % 7}", f"{GERMAN} Meldung {i}.") for i in range(100_000)]
    documents, ledger = load(csv_file(tmp_path, rows), language=None)
    assert len(documents) == 100_000 and (ledger["status"] == "loaded").all()


# ----------------------------------------------------------------------------- text-level oddities
def test_a_10000_character_token_and_unbalanced_quotes():
    from analysis.framing.quotes import find_quotations

    text = "„Ein Wort " + "x" * 10_000 + " ohne Ende. Und dann »noch eins\nNeue Zeile ohne Zeichen."
    documents = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [text]})
    cleaned, audit = clean_corpus(documents)
    tokens = tokenize(cleaned)
    assert (tokens["end"] - tokens["start"]).max() == 10_000
    for row in tokens.itertuples():
        assert cleaned.loc[0, "text"][row.start:row.end] == row.token
    # The unclosed „ runs to the end of its line and is flagged; the next line is not swallowed.
    quotes = find_quotations(cleaned, tokens=tokens)
    assert len(quotes) >= 1 and not quotes["balanced"].any()
    assert all("Neue Zeile" not in q for q in quotes["quote"])


def test_malformed_sentiment_lexicon_names_file_and_line(tmp_path):
    from analysis.errors import LexiconError
    from analysis.sentiment import load_lexicon

    path = tmp_path / "meine_woerter.tsv"
    path.write_text("gut\t1.0\nschlecht\tsehr negativ\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"meine_woerter\.tsv.*(row|line) 2"):
        load_lexicon(path, format="plain")


def test_script_inside_an_article_is_escaped_in_html_output():
    documents = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"],
                              "text": ["Der Diktator <script>alert('x')</script> lachte."]})
    page = kwic_html(kwic(documents, "Diktator", context="sentence"))
    assert "<script>" not in page and "&lt;script&gt;" in page


# ----------------------------------------------------------------------------- analysis-level cases
def _counts(documents):
    tokens = tokenize(documents)
    return count_terms(tokens, documents=documents), tokens


def test_one_outlet_only_keyness_says_it_needs_two(tmp_path, capsys):
    documents = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "X"], "text": [GERMAN, ENGLISH]})
    doc_counts, _ = _counts(documents)
    grouped = group_counts(doc_counts, documents)
    with pytest.raises(ParameterError, match="two"):
        keyness(grouped, "X")
    path = csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", GERMAN + " Zweiter Text.")])
    assert main(["keyness", "--corpus", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "two" in err


def test_one_document_per_outlet_gives_a_note_not_an_interval():
    documents = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
                              "text": [GERMAN, GERMAN.replace("Machthaber", "Diktator")]})
    doc_counts, _ = _counts(documents)
    with pytest.warns(UserWarning, match="cannot be estimated"):
        table = bootstrap_keyness(doc_counts, documents, "X")
    assert table["ci_low"].isna().all() and table["note"].str.contains("only one article").all()


def test_figures_on_a_one_outlet_corpus_explain_what_is_skipped(tmp_path, capsys):
    path = csv_file(tmp_path, [("a", "X", GERMAN), ("b", "X", GERMAN + " Zweiter Text.")])
    assert main(["figures", "--corpus", str(path), "--out", str(tmp_path / "figs"), "--formats", "png"]) == 0
    out = capsys.readouterr().out
    assert "skipped" in out and "two" in out
    assert (tmp_path / "figs" / "tfidf_top_terms.png").exists()


# ----------------------------------------------------------------------------- lexicons and dictionaries
PYTHON_TAG = "categories:\n  bad: !!python/object/apply:os.system ['echo pwned']\n"


@pytest.mark.parametrize("reader", ["dictionary", "registry", "labels", "sources"])
def test_yaml_with_python_object_tags_is_rejected(tmp_path, reader):
    from analysis.framing.dictionary import read_dictionary
    from analysis.framing.entities import load_registry
    from analysis.errors import LexiconError
    from analysis.framing.labels import load_labels
    from analysis.framing.reporting import load_source_registry as load_sources

    path = tmp_path / "evil.yml"
    path.write_text(PYTHON_TAG, encoding="utf-8")
    load = {"dictionary": read_dictionary, "registry": load_registry, "labels": load_labels, "sources": load_sources}[reader]
    with pytest.raises(LexiconError, match="evil.yml"):
        load(path)


def test_malformed_dictionary_files_name_file_and_place(tmp_path):
    from analysis.framing.dictionary import read_dictionary
    from analysis.errors import LexiconError

    liwc = tmp_path / "frames.dic"
    liwc.write_text("%\n1\tbedrohung\n%\nKrieg*\t1\nFrieden\t7\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"frames\.dic.*(row|line) 5"):
        read_dictionary(liwc)
    yaml_file = tmp_path / "frames.yml"
    yaml_file.write_text("name: x\ncategories:\n  bedrohung: Krieg*\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"frames\.yml.*bedrohung"):
        read_dictionary(yaml_file)
    regex = tmp_path / "regex.yml"
    regex.write_text("name: x\ncategories:\n  kaputt:\n    - regex: '(['\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="regex.yml"):
        read_dictionary(regex)


def test_malformed_entity_registry_names_the_entity(tmp_path):
    from analysis.framing.entities import load_registry
    from analysis.errors import LexiconError

    path = tmp_path / "entities.yml"
    path.write_text("version: 1\nentities:\n  - id: Putin\n    type: person\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"entities\.yml.*Putin"):
        load_registry(path)
