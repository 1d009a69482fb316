"""Tests for analysis.clean: rules, audit and the exact round trip raw → clean → raw."""

from __future__ import annotations

import doctest
import io
import random
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import analysis.clean as clean_module
from analysis.clean import (
    AUDIT_COLUMNS,
    RULES,
    Edit,
    clean_corpus,
    clean_text,
    glued_split,
    restore_raw,
)
from analysis.errors import ParameterError

SEED = Path(__file__).parents[1] / "data" / "raw" / "seed"
DOC0 = "000_f72946cf7d7e84f3"
DOC1 = "001_06388abdcad2d3b3"

TITLE0 = (
    "Eine luxuriöse Limousine, Kunstwerke und andere Geschenke, mit denen Wladimir Putin "
    "und Kim Jong-un ihre diplomatischen Beziehungen festigten"
)
TITLE1 = (
    "Putin und Kim wurden lächelnd in einer in Russland hergestellten Limousine gesehen, "
    "nachdem sie ein gegenseitiges Sicherheitsabkommen unterzeichnet hatten"
)

# Every line the cleaning must remove, by hand, in document order, with its rule
# (blank lines are not listed: the whitespace rule handles them).
EXPECTED_REMOVED = {
    DOC0: [
        ("repeated_title", TITLE0),
        ("repeated_title", TITLE0),
        ("dateline", "-"),
        ("dateline", "12:15 Uhr"),
        (
            "navigation_line",
            "lLesen Sie hier: Putin besucht Nordkorea, ein Treffen, das die internationale "
            "Gemeinschaft beunruhigt",
        ),
        ("dateline", "-"),
        (
            "navigation_line",
            "PREV Die Terminator-Apokalypse rückt näher: Die KI schafft es, den Menschen "
            "vollständig nachzuahmen",
        ),
        (
            "navigation_line",
            "NEXT Nicaragua verurteilte die kolonialistische Politik der USA gegenüber "
            "Venezuela",
        ),
    ],
    DOC1: [
        ("dateline", "November 8, 2024"),
        ("dateline", "securnews"),
        (
            "boilerplate_line",
            "Finden Sie alle nationalen und internationalen Informationen zu Deutschland. "
            "Wählen Sie die Themen aus, über die Sie mehr erfahren möchten",
        ),
        ("repeated_title", TITLE1),
        ("photo_credit", "KCNA/Reuters"),
        ("photo_credit", "CNN"),
        (
            "navigation_line",
            "Siehe auch\u00a0 Russland-Ukraine-Krieg: Was wir am 79. Tag der Invasion wissen "
            "| Weltnachrichten",
        ),
        ("photo_credit", "KCNA/AP"),
        ("photo_credit", "KCNA/Reuters"),
        (
            "navigation_line",
            "Siehe auch\u00a0 Hadsch 2024: Mindestens 14 Pilger sterben an Sonnenbrand",
        ),
    ],
}

# The only in-line changes expected in the kept lines, by hand.
EXPECTED_INLINE = {
    DOC0: {
        "Geschenke.Dies": "Geschenke. Dies",
        "Anschließendüberreichte": "Anschließend überreichte",
    },
    DOC1: {},
}


def _raw(doc_id: str) -> str:
    return (SEED / f"{doc_id}.txt").read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def seed_documents() -> pd.DataFrame:
    meta = pd.read_csv(SEED / "metadata.csv", dtype=str, keep_default_na=False)
    meta["text"] = [_raw(doc_id) for doc_id in meta["doc_id"]]
    return meta


@pytest.fixture(scope="module")
def cleaned(seed_documents):
    return clean_corpus(seed_documents)


def _clean_of(cleaned, doc_id: str) -> str:
    documents, _ = cleaned
    return documents.set_index("doc_id").loc[doc_id, "text"]


def _audit_of(cleaned, doc_id: str) -> pd.DataFrame:
    _, audit = cleaned
    return audit[audit["doc_id"] == doc_id]


def _lines(text: str) -> list[str]:
    return text.splitlines()


# ---------------------------------------------------------------------------------------
# The two bundled articles
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id, title", [(DOC0, TITLE0), (DOC1, TITLE1)])
def test_title_appears_once(cleaned, doc_id, title):
    raw = _raw(doc_id)
    clean = _clean_of(cleaned, doc_id)
    assert raw.count(title) == {DOC0: 3, DOC1: 2}[doc_id]
    assert clean.count(title) == 1
    assert _lines(clean)[0] == title


@pytest.mark.parametrize("doc_id", [DOC0, DOC1])
def test_furniture_lines_are_gone(cleaned, doc_id):
    lines = [line.strip() for line in _lines(_clean_of(cleaned, doc_id))]
    for line in lines:
        assert not re.match(r"(PREV|NEXT|Siehe auch|Lesen Sie hier|lLesen)", line), line
    for furniture in ("KCNA/Reuters", "KCNA/AP", "CNN", "12:15 Uhr", "November 8, 2024",
                      "-", "securnews"):  # fmt: skip
        assert furniture not in lines


def test_in_line_repairs(cleaned):
    clean = _clean_of(cleaned, DOC0)
    assert "Anschließend überreichte" in clean
    assert "Geschenke. Dies" in clean
    assert "Anschließendüberreichte" not in clean


def test_other_artefacts_are_left_alone(cleaned):
    clean = _clean_of(cleaned, DOC0)
    for artefact in ("QUtin", "J.ong Un", "UNDDas", "Cauf Informationen von AFP*"):
        assert artefact in clean
    assert _lines(clean)[-1] == "Cauf Informationen von AFP*"
    clean1 = _clean_of(cleaned, DOC1)
    # body text that starts like a credit or mentions an agency stays
    assert "Von Nordkoreas Staatsmedien KCNA am Donnerstag veröffentlichte Aufnahmen" in clean1
    assert "Aufnahmen von KCNA zeigten" in clean1


@pytest.mark.parametrize("doc_id", [DOC0, DOC1])
def test_removed_lines_are_audited_with_their_rule(cleaned, doc_id):
    audit = _audit_of(cleaned, doc_id)
    removed = audit[(audit["action"] == "removed") & (audit["rule"] != "whitespace")]
    got = [(rule, before.rstrip("\r\n")) for rule, before in removed[["rule", "before"]].values]
    assert got == EXPECTED_REMOVED[doc_id]
    # removed lines are whole lines, taken with their line break
    for before in removed["before"]:
        assert before.endswith("\n") or doc_id == DOC0 and before.startswith("NEXT")


@pytest.mark.parametrize("doc_id", [DOC0, DOC1])
def test_no_body_line_is_lost(cleaned, doc_id):
    raw_lines = [line for line in _lines(_raw(doc_id)) if line.strip()]
    to_remove = Counter(line for _, line in EXPECTED_REMOVED[doc_id])
    total = Counter(raw_lines)
    # repeated lines: the first occurrences are kept, the later ones removed
    seen: Counter = Counter()
    kept = []
    for line in raw_lines:
        seen[line] += 1
        if seen[line] <= total[line] - to_remove[line]:
            kept.append(line)
    expected = []
    for line in kept:
        for old, new in EXPECTED_INLINE[doc_id].items():
            line = line.replace(old, new)
        expected.append(line.replace("\u00a0", " ").rstrip())
    clean_lines = [line for line in _lines(_clean_of(cleaned, doc_id)) if line.strip()]
    assert clean_lines == expected


@pytest.mark.parametrize("doc_id", [DOC0, DOC1])
def test_in_line_edits_are_audited(cleaned, doc_id):
    audit = _audit_of(cleaned, doc_id)
    inserted = audit[audit["action"] == "inserted"]
    expected = {DOC0: ["missing_space", "glued_words"], DOC1: []}[doc_id]
    assert inserted["rule"].tolist() == expected
    raw = _raw(doc_id)
    for start in inserted["start"]:
        assert raw[start - 1 : start + 1] in (".D", "dü")


@pytest.mark.parametrize("doc_id", [DOC0, DOC1])
def test_restore_raw_is_byte_exact(cleaned, doc_id):
    documents, _ = cleaned
    clean = _clean_of(cleaned, doc_id)
    restored = restore_raw(clean, _audit_of(cleaned, doc_id))
    assert restored.encode("utf-8") == (SEED / f"{doc_id}.txt").read_bytes()
    assert documents.set_index("doc_id").loc[doc_id, "raw_text"] == _raw(doc_id)


def test_audit_table_is_consistent(cleaned, seed_documents):
    documents, audit = cleaned
    assert list(audit.columns) == list(AUDIT_COLUMNS)
    assert set(audit["action"]) <= {"removed", "changed", "inserted"}
    assert set(audit["rule"]) <= set(RULES)
    for doc_id, rows in audit.groupby("doc_id", sort=False):
        raw = _raw(doc_id)
        clean = _clean_of(cleaned, doc_id)
        previous_end = 0
        for row in rows.itertuples():
            assert raw[row.start : row.end] == row.before
            assert clean[row.clean_start : row.clean_start + len(row.after)] == row.after
            assert row.start >= previous_end  # sorted, never overlapping
            previous_end = row.end
            if row.action == "removed":
                assert row.after == ""
            if row.action == "inserted":
                assert row.before == "" and row.start == row.end
    for column in ("start", "end", "clean_start"):
        assert audit[column].dtype == "int64"


def test_clean_corpus_keeps_rows_and_columns(seed_documents, cleaned):
    documents, _ = cleaned
    assert documents["doc_id"].tolist() == seed_documents["doc_id"].tolist()
    assert documents["raw_text"].tolist() == seed_documents["text"].tolist()
    for column in seed_documents.columns:
        if column != "text":
            assert documents[column].tolist() == seed_documents[column].tolist()
    assert "raw_text" not in seed_documents.columns  # the input is not modified


def test_every_word_of_the_articles_is_split_only_where_intended():
    words = set()
    for doc_id in (DOC0, DOC1):
        words |= set(re.findall(r"[^\W\d_]+", _raw(doc_id)))
    splits = {word: glued_split(word) for word in words if glued_split(word) is not None}
    assert splits == {"Anschließendüberreichte": len("Anschließend")}


# ---------------------------------------------------------------------------------------
# Rules on small hand-written strings
# ---------------------------------------------------------------------------------------


def _removed(text: str, **kwargs) -> list[tuple[str, str]]:
    _, edits = clean_text(text, **kwargs)
    return [
        (e.rule, e.before.rstrip("\r\n"))
        for e in edits
        if e.action == "removed" and e.rule != "whitespace"
    ]


def test_repeated_title_with_given_title():
    text = (
        "Kim trifft Putin\n\nEinleitung.\n\nKim  trifft\u00a0Putin\nMehr Text.\n"
        "Kim trifft Putin\n"
    )
    clean, _ = clean_text(text, title="Kim trifft Putin")
    assert clean == "Kim trifft Putin\n\nEinleitung.\n\nMehr Text."
    assert _removed(text, title="Kim trifft Putin") == [
        ("repeated_title", "Kim  trifft\u00a0Putin"),
        ("repeated_title", "Kim trifft Putin"),
    ]


def test_missing_title_values_are_ignored():
    text = "Titel\nText.\nTitel"
    assert clean_text(text, title=float("nan"), publisher=None)[0] == "Titel\nText."


def test_repeated_title_from_first_line_and_single_title_kept():
    text = "Gipfel in Pjöngjang\nGipfel in Pjöngjang\nDer Text."
    assert _removed(text) == [("repeated_title", "Gipfel in Pjöngjang")]
    once = "Gipfel in Pjöngjang\nDer Text."
    assert clean_text(once, title="Gipfel in Pjöngjang")[0] == once
    # a body line that repeats is not a title and stays
    body = "Titel\nJa.\nJa."
    assert clean_text(body)[0] == body


@pytest.mark.parametrize(
    "line",
    [
        "PREV Die Terminator-Apokalypse rückt näher",
        "NEXT Nicaragua verurteilte die Politik der USA",
        "Siehe auch\u00a0 Hadsch 2024: Mindestens 14 Pilger sterben",
        "Siehe auch: Was wir wissen",
        "Lesen Sie hier: Putin besucht Nordkorea",
        "lLesen Sie hier: Putin besucht Nordkorea",
        "Lesen Sie auch: Kim empfängt Putin",
        "Mehr zum Thema: Nordkorea",
        "Mehr zum Thema Nordkorea",
        "Weiterlesen",
        "Weiterlesen …",
    ],
)
def test_navigation_lines(line):
    text = f"Der Text.\n{line}\nMehr Text."
    assert _removed(text) == [("navigation_line", line)]
    assert clean_text(text)[0] == "Der Text.\nMehr Text."


@pytest.mark.parametrize(
    "line",
    [
        "Mehr zum Thema wollte der Sprecher nichts sagen.",
        "Siehe auch die Erklärung des Kremls vom Mittwoch.",
        "NEXTERA Energy meldete Gewinne.",
        "Die PREV-Gruppe tagte.",
        "PREV-Gruppe tagte am Montag",
        "NEXT-Generation-Chips sind knapp",
        "Lesen Sie nicht alles.",
    ],
)
def test_navigation_negatives(line):
    text = f"Titel\n{line}"
    assert clean_text(text)[0] == text


def test_boilerplate_line():
    line = (
        "Finden Sie alle nationalen und internationalen Informationen zu Deutschland. "
        "Wählen Sie die Themen aus, über die Sie mehr erfahren möchten"
    )
    assert _removed(f"Titel\n{line}\nText.") == [("boilerplate_line", line)]
    assert _removed("Titel\nAlle Rechte vorbehalten.\nText.") == [
        ("boilerplate_line", "Alle Rechte vorbehalten.")
    ]
    body = "Titel\nFinden Sie die Wahrheit, sagte Kim."
    assert clean_text(body)[0] == body


@pytest.mark.parametrize(
    "line",
    [
        "KCNA/Reuters", "KCNA/AP", "CNN", "AFP", "dpa", "Reuters", "AP", "Getty Images",
        "AFP via Getty Images", "KCNA | Reuters", "Sputnik/Kremlin", "(AFP)", "RIA Nowosti",
        "Foto: dpa", "Bild: Max Mustermann", "© Reuters 2024",
    ],
)  # fmt: skip
def test_photo_credit_lines(line):
    assert _removed(f"Titel\n{line}\nText.") == [("photo_credit", line)]


@pytest.mark.parametrize(
    "line",
    [
        "Reuters berichtete am Montag über den Besuch.",
        "Von Nordkoreas Staatsmedien KCNA am Donnerstag veröffentlichte Aufnahmen zeigten dies.",
        "Cauf Informationen von AFP*",
        "Quelle: AFP",
        "CNN-Reporter waren vor Ort.",
    ],
)
def test_photo_credit_negatives(line):
    text = f"Titel\n{line}"
    assert clean_text(text)[0] == text


@pytest.mark.parametrize(
    "line",
    [
        "November 8, 2024", "8. November 2024", "08.11.2024", "2024-11-08", "12:15 Uhr",
        "12:15", "Freitag, 8. November 2024, 12:15 Uhr", "Aktualisiert am 08.11.2024",
        "-", "—", "***", "- - -",
    ],
)  # fmt: skip
def test_dateline_lines(line):
    assert _removed(f"Titel\n{line}\nText.") == [("dateline", line)]


def test_dateline_publisher_and_outlet():
    text = "Titel\nsecurnews\nText.\nSecurNews \n"
    assert _removed(text) == []
    assert _removed(text, publisher="securnews") == [
        ("dateline", "securnews"),
        ("dateline", "SecurNews "),
    ]
    assert _removed("Titel\nTagesblatt\nText.", outlet="Tagesblatt") == [("dateline", "Tagesblatt")]


@pytest.mark.parametrize(
    "line",
    [
        "Von Nordkoreas Staatsmedien KCNA am Donnerstag veröffentlichte Aufnahmen zeigten, wie.",
        "Am 8. November 2024 unterzeichneten beide das Abkommen.",
        "Um 12:15 Uhr landete Putin.",
        "1961",
        "- so Putin.",
    ],
)
def test_dateline_negatives(line):
    text = f"Titel\n{line}"
    assert clean_text(text, publisher="securnews", outlet="CNN-based")[0] == text


def test_glued_words_split_at_sentence_start_only():
    clean, edits = clean_text("Anschließendüberreichte Kim ein Geschenk.")
    assert clean == "Anschließend überreichte Kim ein Geschenk."
    assert edits == [Edit("glued_words", "inserted", 12, 12, "", " ")]
    clean, _ = clean_text("Er kam. „Danachsagte er nichts.")
    assert clean == "Er kam. „Danach sagte er nichts."
    # not at a sentence start: left alone
    text = "Titel\nEr sagte Anschließendüberreichte nichts."
    assert clean_text(text)[0] == text


@pytest.mark.parametrize(
    "word",
    [
        "Kunstwerke", "Verteidigungsabkommen", "Luxusfahrzeugen", "Nachrichtenagenturen",
        "Gipfeltreffen", "Gästepalastes", "Sicherheitsabkommen", "Militärtechnologie",
        "Wirtschaftsbeziehungen", "Verteidigungsversprechens", "Verteidigungspakt",
        "Weltnachrichten", "Tanzshow", "Admiralsdolch", "Davonraste", "Hochentwickelte",
        "Prorussische", "Dunkelblaue", "Zurückgelassene", "Nordkoreanische", "Putinbesuch",
        "Kremltreue", "Ukrainekrieg",
    ],
)  # fmt: skip
def test_glued_words_keeps_compounds(word):
    assert glued_split(word) is None
    text = f"{word} und mehr."
    assert clean_text(text)[0] == text


def test_glued_words_criterion_examples():
    assert glued_split("Anschließendüberreichte") == 12
    assert glued_split("Späterlobte") == 6
    assert glued_split("Außerdemerklärte") == 8
    assert glued_split("anschließendüberreichte") is None  # lowercase: a particle verb?
    assert glued_split("Anschließend") is None  # a known word


def test_missing_space():
    clean, edits = clean_text("großzügiger Geschenke.Dies war Putins Besuch.")
    assert clean == "großzügiger Geschenke. Dies war Putins Besuch."
    assert edits == [Edit("missing_space", "inserted", 22, 22, "", " ")]


@pytest.mark.parametrize(
    "text",
    [
        "J.ong Un ist bekannt.",
        "Siehe www.nachrichten.De für mehr.",
        "Quelle: https://example.org/artikel.Html heute.",
        "Die Seite securnews.Com/Welt meldet.",
        "Mehr bzw.Die Regierung.",
        "Etwa z.B.Der Kreml.",
        "Im Jahr 2024.Das Treffen.",
        "Die U.S.Army kam.",
        "Schreiben Sie an redaktion@zeitung.De bitte.",
    ],
)
def test_missing_space_negatives(text):
    assert clean_text(text)[0] == text


def test_whitespace_rule():
    text = "\n\n  \nTitel \u00a0\n\n\n\nErster\u00a0Absatz.\t\n \n\nZweiter.\n\n\n"
    clean, edits = clean_text(text)
    assert clean == "Titel\n\nErster Absatz.\n\nZweiter."
    assert {e.rule for e in edits} == {"whitespace"}
    changed = [e for e in edits if e.action == "changed"]
    assert changed == [Edit("whitespace", "changed", 22, 23, "\u00a0", " ")]
    assert restore_raw(clean, edits) == text


def test_whitespace_keeps_crlf_line_breaks():
    text = "Titel\r\n\r\n\r\nText. \r\nMehr.\r\n"
    clean, edits = clean_text(text)
    assert clean == "Titel\r\n\r\nText.\r\nMehr."
    assert restore_raw(clean, edits) == text


def test_rule_selection():
    text = "Titel\nKCNA/Reuters\nGeschenke.Dies\u00a0war.\n"
    clean, edits = clean_text(text, rules=["photo_credit"])
    assert clean == "Titel\nGeschenke.Dies\u00a0war.\n"
    assert [e.rule for e in edits] == ["photo_credit"]
    assert clean_text(text, rules="photo_credit")[0] == clean
    assert clean_text(text, rules=[]) == (text, [])


def test_unknown_rule_is_reported_with_the_valid_ones():
    with pytest.raises(ParameterError) as info:
        clean_text("Text", rules=["photo_credits"])
    message = str(info.value)
    assert "photo_credits" in message
    for name in RULES:
        assert name in message
    with pytest.raises(ParameterError, match="nonsense"):
        clean_corpus(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), rules=["nonsense"])


@pytest.mark.parametrize("missing", ["doc_id", "text"])
def test_clean_corpus_missing_column(missing):
    frame = pd.DataFrame({"doc_id": ["a"], "text": ["x"]}).drop(columns=[missing])
    with pytest.raises(ParameterError, match=missing):
        clean_corpus(frame)


def test_clean_corpus_uses_title_publisher_and_keeps_index():
    frame = pd.DataFrame(
        {
            "doc_id": ["b", "a"],
            "title": ["Der Titel", None],
            "publisher": ["securnews", None],
            "text": ["Vorspann\nDer Titel\nsecurnews\nDer Titel\nText.", "Nur Text."],
            "outlet": ["x", "y"],
        },
        index=[10, 5],
    )
    documents, audit = clean_corpus(frame)
    assert documents.index.tolist() == [10, 5]
    assert documents["text"].tolist() == ["Vorspann\nDer Titel\nText.", "Nur Text."]
    assert audit["rule"].tolist() == ["dateline", "repeated_title"]
    assert audit["doc_id"].tolist() == ["b", "b"]
    empty = clean_corpus(frame.iloc[[1]])[1]
    assert list(empty.columns) == list(AUDIT_COLUMNS) and empty.empty


def test_rules_mapping_documents_every_rule():
    assert list(RULES)[:5] == [
        "repeated_title", "navigation_line", "boilerplate_line", "photo_credit", "dateline",
    ]  # fmt: skip
    assert {"glued_words", "missing_space", "whitespace"} <= set(RULES)
    for description in RULES.values():
        assert description and "\n" not in description


# ---------------------------------------------------------------------------------------
# restore_raw round trips
# ---------------------------------------------------------------------------------------

AWKWARD = [
    "",
    " ",
    "\n",
    "\n\n\n",
    " \t\u00a0\n  \n",
    "\r\n",
    "Titel\r\n\r\nText.\r\nKCNA/AP\r\n",
    "Text ohne Zeilenumbruch am Ende",
    "Text\rmit altem Mac-Umbruch\r\r\r",
    "PREV eins\nNEXT zwei\nSiehe auch\u00a0 drei\n",
    "PREV eins\nNEXT zwei",
    "KCNA/Reuters",
    "\u00a0\u00a0Geschenke.Dies\u00a0\u00a0",
    "Anschließendüberreichte",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_restore_raw_awkward_strings(text):
    clean, edits = clean_text(text, title="Titel")
    assert restore_raw(clean, edits) == text
    frame = pd.DataFrame({"doc_id": ["d"], "text": [text], "title": ["Titel"]})
    documents, audit = clean_corpus(frame)
    assert documents.loc[0, "text"] == clean
    assert restore_raw(clean, audit) == text


def test_only_navigation_lines_give_empty_text():
    clean, edits = clean_text("PREV eins\nNEXT zwei\n")
    assert clean == ""
    assert [e.rule for e in edits] == ["navigation_line", "navigation_line"]


def test_restore_raw_after_csv_round_trip(cleaned):
    documents, audit = cleaned
    buffer = io.StringIO()
    audit.to_csv(buffer, index=False)
    buffer.seek(0)
    reread = pd.read_csv(buffer)  # empty strings come back as NaN
    for doc_id in (DOC0, DOC1):
        rows = reread[reread["doc_id"] == doc_id]
        assert restore_raw(_clean_of(cleaned, doc_id), rows) == _raw(doc_id)


def test_restore_raw_fuzz():
    pieces = [
        "Titel", "\n", "\n", "\r\n", "\r", " ", "  ", "\t", "\u00a0", ".", "-", "PREV x",
        "NEXT", "Siehe auch\u00a0", "lLesen Sie hier: x", "KCNA/Reuters", "CNN", "12:15 Uhr",
        "November 8, 2024", "Geschenke.Dies", "Anschließendüberreichte", "Kim", "ä", "„",
        "securnews", "***", "Foto: dpa", "www.a.De", "z.B.Der",
    ]  # fmt: skip
    rng = random.Random(20240619)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        clean, edits = clean_text(text, title="Titel", publisher="securnews")
        assert restore_raw(clean, edits) == text
        ordered = sorted(edits, key=lambda e: (e.start, e.end))
        assert ordered == edits
        for a, b in zip(edits, edits[1:]):
            assert a.end <= b.start and (a.start, a.end) != (b.start, b.end)


def test_restore_raw_rejects_mismatching_input():
    clean, edits = clean_text("Geschenke.Dies war.")
    with pytest.raises(ParameterError):
        restore_raw("Ganz anderer Text", edits)
    overlapping = [
        Edit("whitespace", "removed", 0, 3, "abc", ""),
        Edit("whitespace", "removed", 2, 4, "cd", ""),
    ]
    with pytest.raises(ParameterError):
        restore_raw("", overlapping)
    audit = pd.DataFrame(
        {"doc_id": ["a", "b"], "start": [0, 0], "end": [0, 0], "before": ["", ""],
         "after": ["", ""]}
    )  # fmt: skip
    with pytest.raises(ParameterError, match="doc_id"):
        restore_raw("", audit)
    with pytest.raises(ParameterError, match="before"):
        restore_raw("", audit.drop(columns=["before"]))


def test_docstring_examples():
    result = doctest.testmod(clean_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


_GLUE_PIECES = ["Anschließendüberreichte", "Späterlobte", "Außerdemerklärte", "Verteidigungsabkommen", "Kim",
                "lachte", "„", "(", " ", " ", "\n", "\r\n", "\r", ". ", "? ", ": ", "…"]


def test_glued_words_found_in_the_whole_text_as_line_by_line():
    # Reference: every sentence-initial word of every line (split at \r\n, \r, \n), tested on its own.
    rng = random.Random(3)
    initial = re.compile(r"(?:^|[.!?:…])[ \t\u00a0\"'„“‚‘»«(\[]*([A-ZÄÖÜ][^\W\d_]*)")
    for _ in range(400):
        text = "".join(rng.choice(_GLUE_PIECES) for _ in range(rng.randint(0, 14)))
        expected = []
        for line in re.finditer(r"[^\r\n]*", text):
            for match in initial.finditer(line.group()):
                split = glued_split(match.group(1)) if re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+", match.group(1)) else None
                if split is not None:
                    expected.append(line.start() + match.start(1) + split)
        _, edits = clean_text(text, rules=["glued_words"])
        assert [e.start for e in edits] == sorted(set(expected)), repr(text)
