"""The text-layer validation: CoNLL-U reader, metrics computed by hand, the excerpt, the command line.

The excerpt ``tests/data/ud_german_gsd_excerpt.conllu`` is 40 news sentences of UD German GSD
(CC BY-SA 4.0, see ``tests/data/UD_GERMAN_GSD_LICENSE.txt``).
"""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.errors import CorpusError, ParameterError
from analysis.text import lemmatize_word, scan_texts, tokenize_text
from analysis.text_validation import (
    gold_documents,
    main,
    read_conllu,
    read_conllu_sentences,
    validate_text_layer,
)

ROOT = Path(__file__).resolve().parents[1]
EXCERPT = ROOT / "tests" / "data" / "ud_german_gsd_excerpt.conllu"


def _conllu(*sentences) -> str:
    """CoNLL-U text from sentences given as (comments, rows); a row is
    (id, form, lemma, upos, space_after)."""
    out = []
    for comments, rows in sentences:
        out.extend(comments)
        for word_id, form, lemma, upos, space_after in rows:
            misc = "_" if space_after else "SpaceAfter=No"
            out.append("\t".join([word_id, form, lemma, upos, "_", "_", "0", "dep", "_", misc]))
        out.append("")
    return "\n".join(out) + "\n"


# Three sentences with planted differences from what the tokenizer and splitter do:
#   * "SPD-Chef" is three gold tokens (merged by us into one),
#   * "km/h" is one gold token (split by us into km, /, h),
#   * sentence 2 ends without punctuation (we miss that boundary),
#   * sentence 3 is one gold sentence with a "?" inside (we add a boundary),
#   * the gold lemma of "Gipfel" is lower-case (wrong exactly, right ignoring case).
# Sentence 3 has no "# text" line: the reader rebuilds it from SpaceAfter.
HAND = _conllu(
    (["# newdoc id = d1", "# sent_id = h-s1", "# text = Er kam zum Gipfel.", "# note = ignored"],
     [("1", "Er", "er", "PRON", True), ("2", "kam", "kommen", "VERB", True),
      ("3-4", "zum", "_", "_", True), ("3", "zu", "zu", "ADP", True), ("4", "dem", "der", "DET", True),
      ("5", "Gipfel", "gipfel", "NOUN", False), ("6", ".", ".", "PUNCT", True)]),
    (["# sent_id = h-s2", "# text = Der SPD-Chef fuhr 50 km/h"],
     [("1", "Der", "der", "DET", True), ("2", "SPD", "SPD", "PROPN", False), ("3", "-", "-", "PUNCT", False),
      ("4", "Chef", "Chef", "NOUN", True), ("5", "fuhr", "fahren", "VERB", True), ("6", "50", "50", "NUM", True),
      ("7", "km/h", "km/h", "NOUN", True)]),
    (["# sent_id = h-s3"],
     [("1", "Wer", "wer", "PRON", True), ("2", "hielt", "halten", "VERB", True), ("3", "an", "an", "ADP", False),
      ("4", "?", "?", "PUNCT", True), ("5", "Er", "er", "PRON", True), ("6", "selbst", "selbst", "ADV", False),
      ("7", ".", ".", "PUNCT", True)]),
)


def _metric(result, name):
    return result["metrics"].set_index("metric").loc[name, "value"]


# --------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------


def test_reader_gives_surface_tokens_with_multiword_tokens_as_one():
    tokens = read_conllu(io.StringIO(HAND))
    assert tokens["form"].tolist()[:5] == ["Er", "kam", "zum", "Gipfel", "."]
    zum = tokens.iloc[2]
    assert (zum["words"], zum["word_forms"], zum["lemma"], zum["upos"]) == (2, "zu dem", "zu der", "ADP+DET")
    assert tokens["words"].tolist().count(2) == 1
    assert tokens["sent_id"].tolist().count("h-s1") == 5
    # offsets point into the sentence text; comments other than sent_id/text are ignored
    sentences = read_conllu_sentences(io.StringIO(HAND))
    assert sentences["text"].tolist() == ["Er kam zum Gipfel.", "Der SPD-Chef fuhr 50 km/h", "Wer hielt an? Er selbst."]
    assert sentences["newdoc"].tolist() == [True, False, False]
    texts = dict(zip(sentences["sent_id"], sentences["text"]))
    assert all(texts[s][a:b] == f for s, a, b, f in zip(tokens["sent_id"], tokens["start"], tokens["end"], tokens["form"]))
    assert tokens.loc[tokens["form"] == "Gipfel", "space_after"].tolist() == [False]
    # line numbers are those of the file (1-based): "Gipfel" is on line 10
    assert HAND.splitlines()[int(tokens.loc[tokens["form"] == "Gipfel", "line"].iloc[0]) - 1].startswith("5\tGipfel")


def test_reader_keeps_only_the_sentences_asked_for_and_skips_empty_nodes():
    text = HAND.replace("6\t.\t.\tPUNCT", "5.1\tgehen\tgehen\tVERB\t_\t_\t_\t_\t_\t_\n6\t.\t.\tPUNCT", 1)
    tokens = read_conllu(io.StringIO(text), sent_ids=["h-s1"])
    assert tokens["form"].tolist() == ["Er", "kam", "zum", "Gipfel", "."]
    assert read_conllu_sentences(io.StringIO(text), sent_ids={"h-s2", "h-s3"})["sent_id"].tolist() == ["h-s2", "h-s3"]


def test_reader_on_the_excerpt_agrees_with_the_text_lines():
    raw = EXCERPT.read_text(encoding="utf-8")
    tokens = read_conllu(EXCERPT)
    sentences = read_conllu_sentences(EXCERPT)
    assert len(sentences) == 40 == raw.count("# sent_id = ")
    assert sentences["sent_id"].iloc[0] == "dev-s501" and sentences["sent_id"].iloc[-1] == "dev-s540"
    # one row per range line, and every range line is a multi-word token
    assert (tokens["words"] > 1).sum() == len(re.findall(r"^\d+-\d+\t", raw, flags=re.M))
    # the surface forms joined by their SpaceAfter give the "# text" line of each sentence
    for sent_id, group in tokens.groupby("sent_id", sort=False):
        rebuilt = "".join(f + (" " if s else "") for f, s in zip(group["form"], group["space_after"])).rstrip()
        assert rebuilt == sentences.set_index("sent_id").loc[sent_id, "text"]


# --------------------------------------------------------------------------------------
# Metrics on the hand-made sentences
# --------------------------------------------------------------------------------------


def test_running_text_joins_sentences_by_space_and_paragraphs_by_line():
    documents, gold = gold_documents(read_conllu_sentences(io.StringIO(HAND)), read_conllu(io.StringIO(HAND)))
    assert documents["text"].tolist() == ["Er kam zum Gipfel. Der SPD-Chef fuhr 50 km/h Wer hielt an? Er selbst."]
    assert gold.loc[gold["sentence_end"], "end"].tolist() == [18, 44, 69]
    with_par = HAND.replace("# sent_id = h-s3", "# newpar\n# sent_id = h-s3").replace(
        "# sent_id = h-s2", "# newdoc id = d2\n# sent_id = h-s2")
    documents, _ = gold_documents(read_conllu_sentences(io.StringIO(with_par)), read_conllu(io.StringIO(with_par)))
    assert documents["doc_id"].tolist() == ["h-s1", "h-s2"]
    assert documents["text"].tolist() == ["Er kam zum Gipfel.", "Der SPD-Chef fuhr 50 km/h\nWer hielt an? Er selbst."]


def test_metrics_on_planted_errors_are_the_ones_counted_by_hand():
    # The tokenizer's behaviour the numbers below rest on.
    assert [t.text for t in tokenize_text("Der SPD-Chef fuhr 50 km/h")] == ["Der", "SPD-Chef", "fuhr", "50", "km", "/", "h"]
    assert [lemmatize_word(w) for w in ("kam", "Gipfel", "fuhr", "hielt", "selbst")] == [
        "kommen", "Gipfel", "fahren", "halten", "selbst"]
    result = validate_text_layer(io.StringIO(HAND), first=None, last=None)
    # Tokens: gold 5 + 7 + 7 = 19, ours 5 + 7 + 7 = 19; wrong: SPD | - | Chef and km/h (and ours
    # SPD-Chef, km, /, h), so 19 - 4 = 15 gold tokens are found.
    assert _metric(result, "token_precision") == pytest.approx(15 / 19)
    assert _metric(result, "token_recall") == pytest.approx(15 / 19)
    assert _metric(result, "token_f1") == pytest.approx(15 / 19)
    # With hyphens joined to their words gold has 17 tokens and SPD-Chef is found too.
    assert _metric(result, "token_precision_compounds") == pytest.approx(16 / 19)
    assert _metric(result, "token_recall_compounds") == pytest.approx(16 / 17)
    assert _metric(result, "token_f1_compounds") == pytest.approx(2 * 16 / (17 + 19))
    # Sentence ends (not the end of the text): gold after "Gipfel." and "km/h"; ours after
    # "Gipfel." and "an?": one of two right either way.
    assert _metric(result, "sentence_precision") == 0.5
    assert _metric(result, "sentence_recall") == 0.5
    assert _metric(result, "sentence_f1") == 0.5
    # Lemmas: 8 content words; SPD, Chef and km/h have no token of their span; of kam, Gipfel,
    # fuhr, hielt, selbst only Gipfel differs, and only in case.
    assert _metric(result, "lemma_coverage") == pytest.approx(5 / 8)
    assert _metric(result, "lemma_accuracy") == pytest.approx(4 / 5)
    assert _metric(result, "lemma_accuracy_ignoring_case") == 1.0
    metrics = result["metrics"]
    assert (metrics["value"] == metrics["count"] / metrics["total"]).all()


def test_error_tables_name_the_planted_errors():
    result = validate_text_layer(io.StringIO(HAND), first=None, last=None)
    tokens = result["token_errors"]
    assert tokens[["kind", "pattern", "count", "examples"]].values.tolist() == [
        ["merge", "A - A → A-A", 1, "SPD | - | Chef → SPD-Chef"],
        ["split", "a/a → a / a", 1, "km/h → km | / | h"],
    ]
    sentences = result["sentence_errors"]
    assert sentences[["kind", "pattern", "count"]].values.tolist() == [
        ["extra", "a ? ▮ A", 1],
        ["missed", "9 a/a ▮ A", 1],
    ]
    assert sentences["examples"].tolist()[1].endswith("km/h▮ Wer hielt an? Er selbst.…")
    assert result["lemma_errors"][["upos", "gold", "ours", "count", "examples"]].values.tolist() == [
        ["NOUN", "gipfel", "Gipfel", 1, "Gipfel"]]
    assert result["lemma_error_kinds"][["kind", "count"]].values.tolist() == [["case", 1]]


def test_quote_artefacts_are_read_as_german_quotes():
    text = _conllu((["# sent_id = q1", "# text = Er sagte ``Nein''."],
                    [("1", "Er", "er", "PRON", True), ("2", "sagte", "sagen", "VERB", True),
                     ("3", "``", "``", "PUNCT", False), ("4", "Nein", "nein", "PART", False),
                     ("5", "''", "''", "PUNCT", False), ("6", ".", ".", "PUNCT", True)]))
    result = validate_text_layer(io.StringIO(text), first=None, last=None)
    assert result["documents"]["text"].tolist() == ["Er sagte „Nein“."]
    assert _metric(result, "token_f1") == 1.0
    as_is = validate_text_layer(io.StringIO(text), first=None, last=None, quotes={})
    assert _metric(as_is, "token_recall") == pytest.approx(4 / 6)  # `` and '' are two tokens each for us


# --------------------------------------------------------------------------------------
# Errors name the file and line
# --------------------------------------------------------------------------------------


def test_missing_file_is_named(tmp_path):
    missing = tmp_path / "nope.conllu"
    with pytest.raises(ParameterError, match=r"nope\.conllu: no such CoNLL-U file — give the path"):
        read_conllu(missing)


def test_malformed_line_is_named(tmp_path):
    path = tmp_path / "bad.conllu"
    path.write_text(HAND.replace("5\tfuhr\tfahren\tVERB\t_", "5\tfuhr\tfahren\tVERB", 1), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.conllu, line 19: expected 10 tab-separated fields, got 9 — "):
        read_conllu(path)


def test_token_that_does_not_match_the_text_is_named(tmp_path):
    path = tmp_path / "bad.conllu"
    path.write_text(HAND.replace("# text = Er kam zum Gipfel.", "# text = Er ging zum Gipfel."), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.conllu, line 6: token 'kam' does not match the sentence text"):
        read_conllu(path)


def test_a_range_without_sentences_says_which_ids_there_are():
    with pytest.raises(ParameterError, match=r"no sentence has a sent_id number from 900 to 950.*'dev-s501' to 'dev-s540'"):
        validate_text_layer(EXCERPT, first=900, last=950)


# --------------------------------------------------------------------------------------
# The excerpt and the command line
# --------------------------------------------------------------------------------------


def test_excerpt_metrics_are_in_a_plausible_range():
    result = validate_text_layer(EXCERPT, first=501, last=540)
    assert result["metrics"].attrs["sentences"] == 40
    values = result["metrics"].set_index("metric")["value"]
    assert 0.95 <= values["token_f1"] <= 1.0
    assert values["token_f1_compounds"] >= values["token_f1"]
    assert 0.85 <= values["sentence_f1"] <= 1.0
    assert 0.90 <= values["lemma_accuracy"] <= values["lemma_accuracy_ignoring_case"] <= 1.0
    assert values["lemma_coverage"] >= 0.9
    # hyphenated compounds, which UD splits and the tokenizer keeps, are the most frequent difference
    assert result["token_errors"].iloc[0][["kind", "pattern"]].tolist() == ["merge", "A - A → A-A"]


def test_command_prints_the_metrics_and_writes_the_tables(tmp_path, capsys):
    assert main(["--gold", str(EXCERPT), "--first", "501", "--last", "520", "--out", str(tmp_path), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("20 sentences in 1 documents")
    assert "token_f1" in out and "lemma errors (gold → ours), top 3" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "lemma_error_kinds.csv", "lemma_errors.csv", "lemmas.csv", "metrics.csv", "sentence_errors.csv", "token_errors.csv"]
    assert main(["--gold", str(tmp_path / "missing.conllu")]) == 2
    assert "no such CoNLL-U file" in capsys.readouterr().err


def test_command_is_registered_in_the_main_program():
    run = subprocess.run([sys.executable, "-m", "analysis", "validate-text", "--gold", str(EXCERPT), "--last", "510"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("10 sentences in 1 documents")


# --------------------------------------------------------------------------------------
# Rules of analysis.text added after this validation (docs/validation.md)
# --------------------------------------------------------------------------------------

_RULE_TEXTS = [
    "Der deutsch -- französische Vertrag -- und mehr---",
    "Er hält fest. 2. Soziale Bewegungen leiten ab. 3. Neu ist das.",
    "1. Einleitung\n2. Hauptteil\n10. Schluss",
    "Wer kam? 12. Die Polizei! 4. Mai … 5. Tag",
    "bzw. 3. Liga, z. B. 4. Platz, Nr. 5. Sie",
    "Er kam 2019. Dann ging er. Im Jahr 2022. Sie blieb. 123. Versuch",
    "A--B und 1950--1953",
]


def test_double_hyphen_is_one_punctuation_token():
    assert [(t.text, t.kind) for t in tokenize_text("deutsch -- französisch")] == [
        ("deutsch", "word"), ("--", "punct"), ("französisch", "word")]


def test_list_item_numbers_keep_their_period_after_a_sentence_end():
    text = "Er hält fest. 2. Soziale Bewegungen leiten ab."
    assert [t.text for t in tokenize_text(text)][3:6] == [".", "2.", "Soziale"]
    from analysis.text import split_sentences

    assert [text[a:b] for a, b in split_sentences(text)] == ["Er hält fest.", "2. Soziale Bewegungen leiten ab."]
    # a year at the end of a sentence is not a list item; three digits are not either
    assert [t.text for t in tokenize_text("Er kam 2019. Dann")] == ["Er", "kam", "2019", ".", "Dann"]
    assert [t.text for t in tokenize_text("Ja. 123. Versuch")] == ["Ja", ".", "123", ".", "Versuch"]


def test_batch_scanner_applies_the_new_rules_like_the_reference_scanner():
    from analysis.text import split_sentences

    batch = scan_texts(_RULE_TEXTS)
    position = 0
    for text, count in zip(_RULE_TEXTS, batch.counts.tolist()):
        ids = batch.type_ids[position:position + count]
        forms = [batch.forms[i] for i in ids]
        assert forms == [t.text for t in tokenize_text(text)], text
        starts = batch.starts[position:position + count].tolist()
        sentence_ids = batch.sentence_ids[position:position + count].tolist()
        first_of_sentence = [s for s, a, b in zip(starts, [-1] + sentence_ids, sentence_ids) if a != b]
        assert first_of_sentence == [a for a, _ in split_sentences(text)], text
        position += count
