"""The bad-input suite, part bounds: work bounded by the input's size, outputs that cannot collide
or half-exist, every parameter checked with a one-line error, NFC text and patterns, and terminal
output without control characters.

No test is timed: each checks the rule that bounds the work (a limit, a number of calls, a
piece size) on an input that would take minutes or hours without it.
"""

import unicodedata

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import analysis.clean as clean  # noqa: E402
import analysis.io.writing as writing  # noqa: E402
import analysis.store.patterns as patterns  # noqa: E402
from analysis.cli import main, terminal_text  # noqa: E402
from analysis.clean import GLUED_MAX_CHARS, clean_corpus, clean_text, glued_split, restore_raw  # noqa: E402
from analysis.errors import ParameterError  # noqa: E402
from analysis.framing.dictionary import dictionary_from_dict  # noqa: E402
from analysis.framing.frames import match_dictionary  # noqa: E402
from analysis.plots.style import save_figure  # noqa: E402
from analysis.report.figures import SLUG_MAX_CHARS, group_slugs, render_figures  # noqa: E402
from analysis.stats.collocations import collocates  # noqa: E402
from analysis.stats.dispersion import dispersion  # noqa: E402
from analysis.stats.kwic import compile_pattern, kwic  # noqa: E402
from analysis.text import tokenize  # noqa: E402

GERMAN = (
    "Der russische Präsident Wladimir Putin und der nordkoreanische Machthaber Kim Jong Un "
    "unterzeichneten in Pjöngjang ein Abkommen über gegenseitige Hilfe. Die Größe des Empfangs "
    "überraschte die Beobachter, die von „besten Freunden“ sprachen."
)
NFD = unicodedata.normalize("NFD", GERMAN)
MB2 = 2_000_000
KB200 = 200_000


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("error: ") and "Traceback" not in err
    return err


def csv_corpus(tmp_path, rows, name="korpus.csv"):
    path = tmp_path / name
    pd.DataFrame(rows, columns=["doc_id", "outlet", "text"]).to_csv(path, index=False)
    return path


# ----------------------------------------------------------------------------- 1. linear cleaning
def test_glued_words_longer_than_the_limit_are_not_split(monkeypatch):
    assert glued_split("Anschließendüberreichte") == 12
    # Not one dictionary look-up for a word above the limit: testing its split points is what
    # made a 2 MB word take hours (every split point, each looking up both halves).
    looked_up = []
    monkeypatch.setattr(clean, "_known", lambda word: looked_up.append(word) or True)
    assert glued_split("Anschließend" + "ü" * (GLUED_MAX_CHARS - 11)) is None
    assert glued_split("A" + "b" * (MB2 - 1)) is None
    assert looked_up == []
    word = "A" + "b" * (MB2 - 1)
    cleaned, edits = clean_text(word)
    assert cleaned == word and edits == []


@pytest.mark.parametrize(
    "shape",
    ["one_word", "punctuation", "sentence_starts", "glued_periods", "no_break_spaces", "controls",
     "blank_lines", "repeated_title", "mojibake", "decomposed"],
)
def test_pathological_texts_clean_and_restore_exactly(shape):
    size = MB2 if shape in ("one_word", "punctuation", "sentence_starts", "glued_periods") else KB200
    text = {
        "one_word": "A" + "b" * (size - 1),
        "punctuation": ".!?:„“-" * (size // 7),
        "sentence_starts": "!Anschließendüberreichte" * (size // 24),  # one long token, many candidates
        "glued_periods": "-ab.Cd" * (size // 6),
        "no_break_spaces": "\u00a0 " * (size // 2) + "Ende",
        "controls": "a\x1b" * (size // 2),
        "blank_lines": "Text\n\n\n" * (size // 7),
        "repeated_title": "Titel\n" * (size // 6),
        "mojibake": "Die GrÃ¶ÃŸe " * (size // 12),
        "decomposed": NFD * (size // len(NFD)),
    }[shape]
    cleaned, edits = clean_text(text)
    assert restore_raw(cleaned, edits) == text
    assert unicodedata.is_normalized("NFC", cleaned)


def test_merging_edits_is_not_quadratic(monkeypatch):
    calls = 0
    original = clean._overlaps

    def counted(a, b):
        nonlocal calls
        calls += 1
        return original(a, b)

    monkeypatch.setattr(clean, "_overlaps", counted)
    text = "\u00a0 " * 50_000 + "x\n" + "a\x1b" * 50_000  # 100,000 edits of two rules
    cleaned, edits = clean_text(text)
    assert len(edits) == 100_000 and restore_raw(cleaned, edits) == text
    assert calls < 5 * len(edits)  # comparing every edit with every other: 5·10⁹


def test_a_long_line_is_repaired_in_pieces(monkeypatch):
    lengths = []
    original = clean.repair_mojibake
    monkeypatch.setattr(clean, "repair_mojibake", lambda text: lengths.append(len(text)) or original(text))
    text = "Die GrÃ¶ÃŸe " * 20_000  # 240,000 characters on one line
    cleaned, edits = clean_text(text, rules=["encoding_repair"])
    assert cleaned == "Die Größe " * 20_000 and restore_raw(cleaned, edits) == text
    assert max(lengths) <= 2 * clean._REPAIR_PIECE and len(edits) == 20_000


# ----------------------------------------------------------------------------- 2. NFC
def test_decomposed_text_is_composed_with_an_audit_that_restores_it():
    documents = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [NFD]})
    cleaned, audit = clean_corpus(documents)
    assert cleaned.loc[0, "text"] == GERMAN
    assert set(audit["rule"]) == {"unicode_nfc"} and len(audit) == GERMAN.count("ä") + GERMAN.count("ö") + GERMAN.count("ü")
    assert (audit["after"].str.len() == 1).all()
    assert restore_raw(cleaned.loc[0, "text"], audit) == NFD


def test_composed_text_takes_the_cheap_path(monkeypatch):
    def never():
        raise AssertionError("an NFC text needs no search for combining sequences")

    monkeypatch.setattr(clean, "_nfc_sequence", never)
    assert clean_text(GERMAN, rules=["unicode_nfc"]) == (GERMAN, [])


@pytest.mark.parametrize(
    "text, pattern, valuetype",
    [
        (NFD, "Pjöngjang", "glob"),
        (NFD, "Größe", "fixed"),
        (GERMAN, unicodedata.normalize("NFD", "Pjöngjang"), "glob"),
        (GERMAN, unicodedata.normalize("NFD", "Gr*ße"), "glob"),
        (GERMAN, unicodedata.normalize("NFD", "^überrasch"), "regex"),
    ],
    ids=["nfd-text-glob", "nfd-text-fixed", "nfd-pattern-glob", "nfd-pattern-wildcard", "nfd-pattern-regex"],
)
def test_kwic_finds_composed_and_decomposed_spellings(text, pattern, valuetype):
    documents, _ = clean_corpus(pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [text]}))
    table = kwic(documents, pattern, valuetype=valuetype, tokens=tokenize(documents))
    assert len(table) == 1
    assert unicodedata.normalize("NFC", table.loc[0, "match"]) == table.loc[0, "match"]


def test_a_decomposed_dictionary_entry_matches():
    dictionary = dictionary_from_dict({unicodedata.normalize("NFD", "größe"): [unicodedata.normalize("NFD", "Größe")]})
    documents = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [GERMAN]})
    matches = match_dictionary(documents, dictionary)
    assert matches["match"].tolist() == ["Größe"] and matches["category"].tolist() == ["größe"]


def test_cli_kwic_on_a_decomposed_corpus(tmp_path, capsys):
    path = csv_corpus(tmp_path, [("a", "Tagesblatt", NFD), ("b", "Abendpost", NFD.replace("Hilfe", "Zusammenarbeit"))])
    assert main(["kwic", "Pjöngjang", "--corpus", str(path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.count("Pjöngjang") == 2


# ----------------------------------------------------------------------------- 3. bounded regexes
CATASTROPHIC = "(a|aa)+$"
LONG_TOKEN = "a" * 5_000 + "b"


@pytest.fixture
def short_timeout(monkeypatch):
    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 0.05)


@pytest.mark.parametrize("caller", ["kwic", "dispersion", "collocations", "dictionary"])
def test_a_catastrophic_regex_stops_with_an_error(caller, short_timeout):
    documents = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [f"Der Beobachter sah {LONG_TOKEN} im Saal."]})
    run = {
        "kwic": lambda: kwic(documents, CATASTROPHIC, valuetype="regex"),
        "dispersion": lambda: dispersion(documents, CATASTROPHIC, valuetype="regex"),
        "collocations": lambda: collocates(documents, CATASTROPHIC, valuetype="regex", tokens=tokenize(documents)),
        "dictionary": lambda: match_dictionary(documents, dictionary_from_dict({"kaputt": [{"regex": CATASTROPHIC}]})),
    }[caller]
    with pytest.raises(ParameterError, match=r"took longer than 0\.05 s on one word .*simplify it"):
        run()


def test_a_glob_with_many_stars_is_matched_without_backtracking():
    glob = compile_pattern("a*a*a*a*a*a*c?")  # as a regex: minutes on a token of 100 letters
    assert not glob.matches(["a" * MB2 + "bb"])
    assert glob.matches(["a" * MB2 + "cx"])
    assert compile_pattern("*ab*ba*").matches(["xxabyybaz"]) and not compile_pattern("*ab*ba*").matches(["xxbaab"])


def test_cli_catastrophic_regex_is_one_line(tmp_path, capsys, short_timeout):
    path = csv_corpus(tmp_path, [("a", "Tagesblatt", f"{GERMAN} Er rief {LONG_TOKEN} laut."),
                                 ("b", "Abendpost", GERMAN.replace("Hilfe", "Zusammenarbeit"))])
    assert main(["kwic", CATASTROPHIC, "--valuetype", "regex", "--corpus", str(path), "--quiet"]) == 2
    err = one_line_error(capsys)
    assert "took longer than" in err and "(a|aa)+$" in err


@pytest.mark.parametrize(
    "where, expected",
    [
        ("outlet.to_csv('gehackt.csv') == 1", "'.to_csv' is not allowed"),
        ("@os", "'@' (a Python variable) is not allowed"),
        ("outlet.__class__ == 1", "'__class__' is not allowed"),
        ("title.str.contains('(a|aa)+$')", "regular expression"),
        ("len(outlet) > 2", "calling 'len' is not allowed"),
    ],
)
def test_where_cannot_run_code_or_unbounded_regexes(where, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["tfidf", "--where", where]) == 2
    assert expected in one_line_error(capsys)
    assert not (tmp_path / "gehackt.csv").exists()


def test_where_allows_literal_text_search(capsys):
    assert main(["tfidf", "--where", "title.str.contains('Kim', regex=False) or `outlet` == 'AFP-based'",
                 "--top", "1"]) == 0
    assert "AFP-based" in capsys.readouterr().out


# ----------------------------------------------------------------------------- 4. outputs
@pytest.mark.parametrize(
    "names",
    [["Zeitung A", "zeitung-a"], ["🗞️", "📰"], ["Известия", "Правда"], ["Heatmap", "Tagesblatt"],
     ["Süddeutsche " * 11 + "x", "Süddeutsche " * 25]],
    ids=["same-slug", "emoji-only", "cyrillic", "figure-id", "long-names"],
)
def test_group_file_names_are_unique_bounded_and_stable(names):
    slugs = group_slugs(names)
    assert len(set(slugs.values())) == len(names)
    assert all(0 < len(s) <= SLUG_MAX_CHARS + 9 for s in slugs.values())
    assert all(s.isascii() and s.replace("-", "").isalnum() for s in slugs.values())
    assert slugs == group_slugs(list(reversed(names)))  # the same name gets the same file


def test_figures_of_colliding_and_long_outlet_names_each_have_their_own_files(tmp_path):
    from analysis.pipeline import prepare_corpus

    outlets = ["Zeitung A", "zeitung-a", "🗞️", "📰", "Die " + "sehr " * 25 + "lange Zeitung", "Das " + "Blatt " * 50]
    assert len(outlets[4]) > 130 and len(outlets[5]) == 304
    words = ["Diktator", "Staatschef", "Machthaber", "Gastgeber", "Verbündeter", "Nachbar"]
    rows = [(f"d{i}", outlet, f"{GERMAN} Der {words[i]} lobte den {words[i - 1]}, der {words[i]} lachte. "
             f"Der {words[i]} kam zum {words[i - 2]}.") for i, outlet in enumerate(outlets)]
    prepared = prepare_corpus(csv_corpus(tmp_path, rows), cache=False, quiet=True, entities=False)
    out = tmp_path / "figuren"
    manifest = render_figures(prepared, out, formats=("png",), only=["keyness", "rate_scatter"])
    assert len(manifest) == 2 * len(outlets) and (manifest["skipped"] == "").all()
    files = set(manifest["files"]) | set(manifest["table"])
    assert len(files) == 4 * len(outlets)  # nothing overwritten
    for row in manifest.itertuples():
        assert (out / row.files).exists() and (out / row.table).exists()
        if row.id.startswith("keyness_"):  # names the rate-scatter table of the same outlet
            referenced = row.id.replace("keyness_", "rate_scatter_") + ".csv"
            assert f"; {referenced} (and" in row.caption and (out / referenced).exists()
    captions = (out / "captions.md").read_text(encoding="utf-8")
    assert all(f"Files: {row.files}; data: {row.table}" in captions for row in manifest.itertuples())
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("rows", [3, 30_000], ids=["pandas-path", "arrow-path"])
def test_an_interrupted_table_leaves_the_old_file_and_no_part(tmp_path, monkeypatch, rows):
    target = tmp_path / "keyness.csv"
    target.write_text("alt\n", encoding="utf-8")
    frame = pd.DataFrame({"term": [f"Wort{i}" for i in range(rows)], "z": [float(i) for i in range(rows)]})

    def broken_to_csv(self, path_or_buf=None, *args, **kwargs):
        with open(path_or_buf, "w", encoding="utf-8") as handle:
            handle.write("term,z\nWort0,")  # half a table, then the disk is full
        raise OSError(28, "No space left on device")

    if rows < writing._FAST_VALUES:
        monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)
    else:  # the header is written, then the rows cannot be
        monkeypatch.setattr(writing, "_arrow_bytes", lambda frame: object())
    with pytest.raises((OSError, TypeError)):
        writing.write_csv(frame, target)
    assert target.read_text(encoding="utf-8") == "alt\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keyness.csv"]


def test_an_interrupted_figure_leaves_no_part_and_keeps_the_formats_written(tmp_path, monkeypatch):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    original = fig.savefig

    def savefig(buffer, format, **kwargs):
        if format == "svg":
            raise KeyboardInterrupt
        return original(buffer, format=format, **kwargs)

    monkeypatch.setattr(fig, "savefig", savefig)
    with pytest.raises(KeyboardInterrupt):
        save_figure(fig, tmp_path / "keyness_zeitung-a", ("png", "svg"))
    plt.close(fig)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keyness_zeitung-a.png"]


# ----------------------------------------------------------------------------- 5. terminal output
def test_terminal_text_escapes_control_characters():
    assert terminal_text("\x1b[31mRot\x1b[0m") == "\\x1b[31mRot\\x1b[0m"
    assert terminal_text("Zeile\r\u202eevil\nzwei\t.") == "Zeile\\x0d\\u202eevil\nzwei\t."
    assert terminal_text("eins\nzwei", one_line=True) == "eins\\x0azwei"


def test_cli_prints_no_escape_codes(tmp_path, capsys):
    out = tmp_path / "\x1b[31mrot.csv"
    assert main(["frequency", "--top", "1", "--out", str(out)]) == 0
    assert main(["kwic", "\x1b[2JGibtsnicht"]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.err + captured.out
    assert "\\x1b[31mrot.csv" in captured.err and "no match for \\x1b[2JGibtsnicht" in captured.out


# ----------------------------------------------------------------------------- 6. parameters
@pytest.mark.parametrize(
    "argv, expected",
    [
        (["tfidf", "--top", "0"], "argument --top: expected a number ≥ 1, got 0"),
        (["tfidf", "--top", "viele"], "argument --top: expected a whole number"),
        (["tfidf", "--variant", "bm25"], "argument --variant: invalid choice"),
        (["tfidf", "--level", "satz"], "argument --level: invalid choice"),
        (["keyness", "--top", "0"], "argument --top: expected a number ≥ 1"),
        (["keyness", "--min-count", "-1"], "argument --min-count: expected a number ≥ 0"),
        (["keyness", "--alpha0", "nan"], "argument --alpha0: expected a positive finite number"),
        (["keyness", "--alpha0", "-2"], "argument --alpha0: expected a positive finite number"),
        (["keyness", "--measure", "zscore"], "argument --measure: invalid choice"),
        (["keyness", "--correction", "bonferroni"], "argument --correction: invalid choice"),
        (["keyness", "--reference", "Gibtsnicht"], "--reference 'Gibtsnicht' is neither rest, pairs, general"),
        (["keyness", "--reference", "AFP-based"], "give --target as well"),
        (["keyness", "--target", "AFP-based", "--reference", "AFP-based"], "are both 'AFP-based'"),
        (["keyness", "--target", "AFP-based", "--reference", "pairs"], "--reference pairs compares every pair"),
        (["keyness", "--target", "Gibtsnicht"], "--target 'Gibtsnicht' is not a value of outlet"),
        (["keyness", "--within", "ereignis"], "no column 'ereignis'"),
        (["frequency", "--min-count", "0"], "argument --min-count: expected a number ≥ 1"),
        (["kwic", "Putin", "--window", "-1"], "argument --window: expected a number ≥ 0"),
        (["kwic", "Putin", "--valuetype", "wildcard"], "argument --valuetype: invalid choice"),
        (["kwic", "Putin", "--context", "absatz"], "argument --context: invalid choice"),
        (["kwic", "(Putin", "--valuetype", "regex"], "invalid regular expression '(Putin'"),
        (["collocations", "Putin", "--window", "0"], "argument --window: expected a number ≥ 1"),
        (["collocations", "Putin", "--measure", "dice"], "argument --measure: invalid choice"),
        (["dispersion", "Putin", "--level", "satz"], "argument --level: invalid choice"),
        (["labels", "--level", "anteile"], "argument --level: invalid choice"),
        (["frames", "--level", "alles"], "argument --level: invalid choice"),
        (["quotes", "--level", "alles"], "argument --level: invalid choice"),
        (["sources", "--level", "alles"], "argument --level: invalid choice"),
        (["sentiment", "--level", "wort"], "argument --level: invalid choice"),
        (["tfidf", "--group", "ressort"], "no column 'ressort' to group by"),
        (["tfidf", "--by", "wort"], "argument --by: invalid choice"),
        (["tfidf", "--jobs", "0"], "argument --jobs: expected a number ≥ 1"),
        (["tfidf", "--scheduler", "threads"], "unknown scheduler 'threads'"),
        (["figures", "--only", "torte"], "--only: unknown figure id torte"),
        (["figures", "--formats", "gif"], "unknown figure format gif"),
        (["notebooks", "--timeout", "0"], "argument --timeout: expected a number ≥ 1"),
        (["corpus", "--tokens-format", "xlsx"], "argument --tokens-format: invalid choice"),
        (["tfidf", "--unbekannt"], "unrecognized arguments: --unbekannt"),
    ],
)
def test_every_bad_parameter_is_a_one_line_error(argv, expected, capsys):
    assert main(argv) == 2
    err = one_line_error(capsys)
    assert expected in err, err


def test_kwic_library_checks_the_group_column():
    documents = pd.DataFrame({"doc_id": ["a"], "text": [GERMAN]})
    assert len(kwic(documents, "Putin")) == 1  # no outlet column: the default is left out
    with pytest.raises(ParameterError, match="no column 'ressort'.*doc_id, text"):
        kwic(documents, "Putin", group="ressort")
    with pytest.raises(ParameterError, match="column of the result"):
        kwic(documents.assign(start=1), "Putin", group="start")
