"""Duplicates that respect outlets, near-duplicates and language identification at loading.

Expected values are worked out independently of the suite: Jaccard similarities from the
shingle sets built here by hand, shared copies and near-duplicates planted by construction.
"""

from __future__ import annotations

import itertools
import re
import string

import numpy as np
import pandas as pd
import pytest

from analysis import duplicate_pairs
from analysis.cli import main
from analysis.io.corpus import DOCUMENT_COLUMNS, LEDGER_COLUMNS, load_corpus
from analysis.io.duplicates import DUPLICATE_PAIR_COLUMNS, NEAR_DUPLICATE_THRESHOLD, NUM_PERM, signature
from analysis.pipeline import prepare_corpus
from generated import OUTLETS, generated_corpus

# Hand-written German news of about 60 words.
WAHL = (
    "Die Landesregierung in Hannover hat am Dienstag einen neuen Plan für den Ausbau der Radwege "
    "vorgestellt. Bis zum Jahr 2030 sollen mehr als 400 Kilometer neue Strecken entstehen, vor allem "
    "zwischen den Dörfern und den nächsten Bahnhöfen. Der Verkehrsminister sagte, das Geld komme zur "
    "Hälfte vom Bund. Die Opposition nannte den Plan ehrgeizig, aber schlecht finanziert, und verlangte "
    "eine Debatte im Landtag."
)
HAFEN = (
    "Im Hamburger Hafen sind im ersten Halbjahr deutlich weniger Container umgeschlagen worden als im "
    "Vorjahr. Die Hafengesellschaft nannte als Gründe die schwache Weltwirtschaft und die Umwege der "
    "Reedereien um das Rote Meer. Besonders der Verkehr mit China sei eingebrochen. Für das zweite "
    "Halbjahr rechnet die Gesellschaft mit einer leichten Erholung, wenn die Zinsen sinken."
)
RUSSISCH = (
    "Президент России прибыл в Пхеньян с государственным визитом. На переговорах с лидером КНДР стороны "
    "подписали договор о всеобъемлющем стратегическом партнёрстве. По словам Кремля, документ "
    "предусматривает взаимную помощь в случае нападения на одну из стран. Западные эксперты считают, что "
    "соглашение может изменить баланс сил в регионе."
)
ENGLISCHE_ZITATE = (
    "„The United States and our allies are united, we are stronger than ever, and we will defend every "
    "inch of NATO territory“, sagte der Präsident am Mittwoch in Washington. „Nobody should doubt our "
    "resolve, not in Moscow and not in Beijing.“ Der Satz fiel in der Rede vor dem Kongress. „We have the "
    "best military in the world“, so der Präsident weiter. Die Rede wurde in Berlin aufmerksam verfolgt."
)

_STRIP = string.punctuation + "„“”‚‘’«»–—…"


def shingles(text: str) -> set:
    """Word 5-grams of the lower-cased words with punctuation stripped — built here, not by the suite."""
    words = [w for w in (token.strip(_STRIP) for token in text.lower().split()) if w]
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def write(tmp_path, rows, name="korpus.csv"):
    path = tmp_path / name
    pd.DataFrame(rows, columns=["doc_id", "outlet", "text"]).to_csv(path, index=False)
    return path


def load(path, **kwargs):
    documents, ledger = load_corpus(path, return_ledger=True, **kwargs)
    assert list(ledger.columns) == list(LEDGER_COLUMNS)
    assert list(documents.columns[: len(DOCUMENT_COLUMNS)]) == list(DOCUMENT_COLUMNS)
    loaded = int((ledger["status"] == "loaded").sum())
    excluded = int((ledger["status"] == "excluded").sum())
    assert loaded + excluded == len(ledger) and loaded == len(documents)
    assert ledger.loc[ledger["status"] == "loaded", "doc_id"].tolist() == documents["doc_id"].tolist()
    assert ledger.loc[ledger["status"] == "loaded", "shared_text"].tolist() == documents["shared_text"].tolist()
    assert (ledger.loc[ledger["status"] == "excluded", "shared_text"] == "").all()
    return documents, ledger


def by_id(table, column):
    return table.set_index("doc_id")[column].to_dict()


def change_words(text: str, replacements: dict) -> str:
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


# --------------------------------------------------------------------------------------------
# exact duplicates


def test_same_text_in_two_outlets_is_kept_in_both_and_counted_for_both(tmp_path):
    path = write(tmp_path, [("a", "Tagesblatt", WAHL), ("b", "Rheinpost", WAHL), ("c", "Rheinpost", HAFEN)])
    documents, ledger = load(path)
    assert documents["doc_id"].tolist() == ["a", "b", "c"]
    shared = by_id(documents, "shared_text")
    assert shared["a"] == shared["b"] and re.fullmatch(r"s-[0-9a-f]{10}", shared["a"])
    assert shared["c"] == ""
    assert "shared copy" in by_id(ledger, "note")["b"]

    # The id depends on the text only: other records do not change it.
    other = write(tmp_path, [("x", "Hansa-Zeitung", HAFEN), ("y", "Der Morgen", WAHL), ("z", "Alpenbote", WAHL)],
                  name="anders.csv")
    assert by_id(load(other)[0], "shared_text")["y"] == shared["a"]

    # Word counts (and so keyness) count the shared text for both outlets.
    prepared = prepare_corpus(path, cache=False, jobs=1, by="token", entities=False, quiet=True)
    counts = prepared.group_counts.to_frame()
    radwege = counts[counts["term"] == "Radwege"].set_index(counts.columns[0])["count"].to_dict()
    assert radwege == {"Tagesblatt": 1, "Rheinpost": 1}


def test_same_text_twice_in_one_outlet_excludes_the_second(tmp_path):
    repeat = "  " + WAHL.replace(" ", "\n ")  # the same text after whitespace normalisation
    documents, ledger = load(write(tmp_path, [("a", "Tagesblatt", WAHL), ("b", "Tagesblatt", repeat),
                                              ("c", "Rheinpost", HAFEN)]))
    assert documents["doc_id"].tolist() == ["a", "c"]
    row = ledger.set_index("doc_id").loc["b"]
    assert (row["status"], row["reason"]) == ("excluded", "duplicate text")
    assert "'a'" in row["note"] and "same outlet" in row["note"]
    assert documents["shared_text"].tolist() == ["", ""]


# --------------------------------------------------------------------------------------------
# near-duplicates


def test_signature_estimates_the_hand_computed_jaccard():
    edited = change_words(WAHL, {"Dienstag": "Mittwoch", "400": "500", "ehrgeizig": "mutig"})
    expected = jaccard(WAHL, edited)
    assert 0.5 < expected < 0.8  # three changed words in 60 kill up to 15 of 55 shingles: not near
    a, b = signature(WAHL), signature(edited)
    estimate = np.count_nonzero(a == b) / NUM_PERM
    standard_error = np.sqrt(expected * (1 - expected) / NUM_PERM)
    assert abs(estimate - expected) < 3 * standard_error


def test_near_duplicate_pair_is_marked_reported_and_noted(tmp_path):
    edited = change_words(WAHL, {"Landtag.": "Landtag von Niedersachsen."})
    expected = jaccard(WAHL, edited)
    assert expected > 0.9
    path = write(tmp_path, [("a", "Tagesblatt", WAHL), ("b", "Rheinpost", HAFEN), ("c", "Der Morgen", edited)])
    documents, ledger = load(path)
    assert documents["doc_id"].tolist() == ["a", "b", "c"]  # marked, not dropped
    near = by_id(documents, "near_duplicate")
    assert near["a"] == near["c"] != "" and near["b"] == ""
    note = by_id(ledger, "note")["c"]
    assert "closest earlier doc_id 'a'" in note
    noted = float(re.search(r"similarity (\d\.\d\d)", note).group(1))
    assert abs(noted - expected) < 0.1

    pairs = duplicate_pairs(documents)
    assert list(pairs.columns) == list(DUPLICATE_PAIR_COLUMNS)
    assert pairs[["doc_id_a", "outlet_a", "doc_id_b", "outlet_b", "kind"]].values.tolist() == [
        ["a", "Tagesblatt", "c", "Der Morgen", "near"]]
    assert abs(pairs["similarity"].iloc[0] - expected) < 0.1
    assert pairs["cluster"].iloc[0] == near["a"]
    # Without the marks the table is computed from the texts alone: the same pairs.
    recomputed = duplicate_pairs(documents[["doc_id", "outlet", "text"]])
    pd.testing.assert_frame_equal(recomputed, pairs)

    out = tmp_path / "duplicates.csv"
    assert main(["duplicates", "--corpus", str(path), "--out", str(out), "--no-cache", "--jobs", "1",
                 "--quiet"]) == 0
    written = pd.read_csv(out, keep_default_na=False)
    assert written[["doc_id_a", "doc_id_b", "kind"]].values.tolist() == [["a", "c", "near"]]
    assert abs(written["similarity"].iloc[0] - pairs["similarity"].iloc[0]) < 1e-6
    assert (tmp_path / "duplicates.ledger.csv").exists()


def test_drop_near_duplicates_excludes_only_those_of_the_same_outlet(tmp_path):
    edited = change_words(WAHL, {"Landtag.": "Landtag von Niedersachsen."})
    again = change_words(WAHL, {"Hannover": "Hannover (Niedersachsen)"})
    rows = [("a", "Tagesblatt", WAHL), ("b", "Rheinpost", edited), ("c", "Tagesblatt", again),
            ("d", "Tagesblatt", HAFEN)]
    path = write(tmp_path, rows)
    documents, _ = load(path)
    assert documents["doc_id"].tolist() == ["a", "b", "c", "d"]
    documents, ledger = load(path, drop_near_duplicates=True)
    assert documents["doc_id"].tolist() == ["a", "b", "d"]
    row = ledger.set_index("doc_id").loc["c"]
    assert row["reason"] == "near duplicate" and "doc_id 'a'" in row["note"] and "same outlet" in row["note"]
    near = by_id(documents, "near_duplicate")
    assert near["a"] == near["b"] != "" and near["d"] == ""


def test_texts_differing_in_punctuation_only_are_near_not_shared(tmp_path):
    quoted = WAHL.replace("ehrgeizig, aber schlecht finanziert", "„ehrgeizig“ – aber schlecht finanziert")
    documents, _ = load(write(tmp_path, [("a", "Tagesblatt", WAHL), ("b", "Rheinpost", quoted)]))
    assert documents["shared_text"].tolist() == ["", ""]
    pairs = duplicate_pairs(documents)
    assert pairs[["kind", "similarity"]].values.tolist() == [["near", 1.0]]


# --------------------------------------------------------------------------------------------
# language


def test_russian_article_is_excluded_and_kept_on_request(tmp_path):
    path = write(tmp_path, [("de", "Tagesblatt", WAHL), ("ru", "Tagesblatt", RUSSISCH)])
    documents, ledger = load(path)
    assert documents["doc_id"].tolist() == ["de"]
    assert documents["language"].tolist() == ["de"]
    row = ledger.set_index("doc_id").loc["ru"]
    assert row["reason"] == "not German" and "Russian (ru" in row["note"]
    documents, ledger = load(path, other_languages="keep")
    assert by_id(documents, "language") == {"de": "de", "ru": "ru"}
    assert "kept" in by_id(ledger, "note")["ru"]


def test_german_with_english_quotations_is_german(tmp_path):
    documents, ledger = load(write(tmp_path, [("zitate", "Tagesblatt", ENGLISCHE_ZITATE)]))
    assert documents["language"].tolist() == ["de"]
    assert ledger["note"].tolist() == [""]


@pytest.mark.parametrize("source", ["seed", "generated", "planted"])
def test_no_german_text_of_the_test_corpora_is_excluded(source, tmp_path):
    from analysis.io.corpus import bundled_corpus_path
    from planted import planted_corpus

    if source == "seed":
        documents, ledger = load(bundled_corpus_path())
    else:
        frame = generated_corpus(300) if source == "generated" else planted_corpus()
        path = tmp_path / "k.csv"
        frame.to_csv(path, index=False)
        documents, ledger = load(path)
    assert "not German" not in set(ledger["reason"])
    long_enough = documents["text"].str.split().str.len() >= 30
    assert (documents.loc[long_enough, "language"] == "de").all()
    assert (documents.loc[~long_enough, "language"] == "").all()


# --------------------------------------------------------------------------------------------
# a generated corpus with planted copies


def _planted(tmp_path):
    """generated_corpus(300) plus shared copies and near-duplicates planted by construction."""
    frame = generated_corpus(300)
    texts = frame["text"].tolist()
    sets = {i: shingles(t) for i, t in enumerate(texts) if len(t.split()) >= 30}
    # The generator repeats some articles itself (wire copy); find them by exact Jaccard.
    own = {(a, b): len(sets[a] & sets[b]) / len(sets[a] | sets[b])
           for a, b in itertools.combinations(sorted(sets), 2) if sets[a] & sets[b]}
    involved = {i for pair, value in own.items() if value >= 0.5 for i in pair}
    long_free = [i for i in sorted(sets) if i not in involved and len(sets[i]) >= 40]
    rows = frame.to_dict("records")
    shared_sources = long_free[:4]
    near_sources = long_free[4:10]
    planted_shared, planted_near = [], []
    for k, i in enumerate(shared_sources):
        outlet = next(o for o in OUTLETS if o != rows[i]["outlet"])
        rows.append({**rows[i], "doc_id": f"kopie{k}", "outlet": outlet})
        planted_shared.append((rows[i]["doc_id"], f"kopie{k}"))
    for k, i in enumerate(near_sources):
        outlet = rows[i]["outlet"] if k % 2 else next(o for o in OUTLETS if o != rows[i]["outlet"])
        rows.append({**rows[i], "doc_id": f"fast{k}", "outlet": outlet, "text": rows[i]["text"] + " Ergänzung der Redaktion."})
        planted_near.append((rows[i]["doc_id"], f"fast{k}", outlet == rows[i]["outlet"]))
    path = tmp_path / "geplant.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path, rows, own, planted_shared, planted_near


def test_generated_corpus_finds_exactly_the_planted_duplicates(tmp_path):
    path, rows, own, planted_shared, planted_near = _planted(tmp_path)
    ids = [row["doc_id"] for row in rows]
    # Precondition of the data: no pair near the threshold, where the MinHash estimate may fall
    # either side (standard error 0.035 at 0.8).
    assert not [v for v in own.values() if 0.6 <= v < 0.8]
    documents, ledger = load(path)
    loaded = set(documents["doc_id"])
    exact_own = {(ids[a], ids[b]) for (a, b), v in own.items() if v == 1.0 and rows[a]["text"] == rows[b]["text"]}
    near_own = {(ids[a], ids[b]): v for (a, b), v in own.items() if v >= NEAR_DUPLICATE_THRESHOLD
                and (ids[a], ids[b]) not in exact_own}
    for (a, b, same) in planted_near:
        near_own[(a, b)] = jaccard(rows[ids.index(a)]["text"], rows[ids.index(b)]["text"])
        assert near_own[(a, b)] > 0.85  # by construction: a sentence added to a long article

    pairs = duplicate_pairs(documents)
    exact = set(map(tuple, pairs.loc[pairs["kind"] == "exact", ["doc_id_a", "doc_id_b"]].values.tolist()))
    expected_exact = set(planted_shared) | {pair for pair in exact_own
                                            if rows[ids.index(pair[0])]["outlet"] != rows[ids.index(pair[1])]["outlet"]}
    assert exact == expected_exact
    near = dict(zip(map(tuple, pairs.loc[pairs["kind"] == "near", ["doc_id_a", "doc_id_b"]].values.tolist()),
                    pairs.loc[pairs["kind"] == "near", "similarity"]))
    expected_near = {pair: v for pair, v in near_own.items() if pair[0] in loaded and pair[1] in loaded}
    # No false pair; every pair clearly over the threshold found (those just over it may be missed).
    assert set(near) <= set(expected_near)
    assert {pair for pair, v in expected_near.items() if v >= 0.85} <= set(near)
    for pair, value in near.items():
        assert abs(value - expected_near[pair]) < 0.12
    for a, b, _ in planted_near:
        assert (a, b) in near
    # Within-outlet exact repeats of the generator are excluded, all else loaded.
    repeated = {b for a, b in exact_own if rows[ids.index(a)]["outlet"] == rows[ids.index(b)]["outlet"]}
    assert set(ledger.loc[ledger["status"] == "excluded", "doc_id"]) == repeated
    assert set(ledger.loc[ledger["status"] == "excluded", "reason"]) <= {"duplicate text"}
    # Marked documents are exactly the members of the pairs.
    members = {d for pair in near for d in pair}
    assert set(documents.loc[documents["near_duplicate"] != "", "doc_id"]) == members
    shared_members = {d for pair in exact for d in pair}
    assert set(documents.loc[documents["shared_text"] != "", "doc_id"]) == shared_members

    # Dropping: exactly the planted and generated near-duplicates of an earlier article of the
    # same outlet go.
    outlet = dict(zip(ids, (row["outlet"] for row in rows)))
    assert all(v >= 0.85 for (a, b), v in expected_near.items() if outlet[a] == outlet[b])  # no borderline case
    dropped_docs, dropped_ledger = load(path, drop_near_duplicates=True)
    expected_drop = set()
    for (a, b) in sorted(expected_near, key=lambda pair: ids.index(pair[1])):
        if outlet[a] == outlet[b] and a not in expected_drop:
            expected_drop.add(b)
    got = set(dropped_ledger.loc[dropped_ledger["reason"] == "near duplicate", "doc_id"])
    assert got == expected_drop
    assert {b for a, b, same in planted_near if same} <= got


def test_results_do_not_depend_on_the_number_of_workers(tmp_path, monkeypatch):
    import analysis.io.corpus as corpus_module

    path, *_ = _planted(tmp_path)
    serial = load(path)
    monkeypatch.setattr(corpus_module, "_PARALLEL_RECORDS", 10)
    monkeypatch.setattr(corpus_module, "_FACT_CHUNK", 50)
    parallel = load(path, jobs=2)
    pd.testing.assert_frame_equal(serial[0], parallel[0])
    pd.testing.assert_frame_equal(serial[1], parallel[1])
