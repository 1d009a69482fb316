"""Lexicon readers: each format on a small file, malformed files, the default lexicon."""

import sys

import pytest

from analysis.errors import LexiconError, ParameterError
from analysis.sentiment import (
    Lexicon,
    default_lexicon,
    default_lexicon_notice,
    load_lexicon,
    read_gervader,
    read_pattern_xml,
    read_plain,
    read_rauh,
    read_sentiws,
    score_text,
)


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# --- the default lexicon -----------------------------------------------------------------


def test_default_lexicon_is_read_from_the_installed_package():
    lexicon = default_lexicon()
    assert lexicon.name == "textblob-de"
    assert len(lexicon) > 7000
    assert lexicon.lookup("gut")[1] > 0 and lexicon.lookup("Krieg")[1] < 0
    assert lexicon.lookup("Abitur") is None  # polarity-0 entries are dropped
    assert ("angst", "machen") in lexicon.phrases  # "Angst_machen"
    assert "textblob_de" not in sys.modules  # read as data, the package is never imported
    assert load_lexicon("default") is lexicon and load_lexicon("textblob-de") is lexicon


def test_the_cleaned_default_lexicon_is_made_in_a_child_and_equals_the_cleanup_in_this_process():
    # Made in a forked process (where one can be), it is the clean-up of the file's entries done
    # here; the look-up tables the clean-up reads are never loaded into this process.
    import subprocess

    from analysis.sentiment import clean_lexicon
    from analysis.sentiment.lexicon import _cleaned_default

    made = _cleaned_default()
    here = clean_lexicon(default_lexicon(clean=False))
    assert made.words == here.words and made.phrases == here.phrases and made.blocked == here.blocked
    assert made.negated == here.negated and made.phrase_terms == here.phrase_terms
    assert (made.name, made.source, made.licence) == (here.name, here.source, here.licence)
    assert made.cleanup.equals(here.cleanup) and len(made.cleanup) > 10
    script = ("import sys; from analysis.sentiment import default_lexicon; lexicon = default_lexicon(); "
              "import wordfreq; print(lexicon.lookup('groß'), wordfreq.get_frequency_dict.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out[-1] == ("0" if sys.platform.startswith("linux") else out[-1])
    assert "('groß'," in " ".join(out)


def test_default_lexicon_licence_is_reported():
    notice = default_lexicon_notice()
    assert "Apache License, Version 2.0" in notice
    assert "Klenner" in notice
    assert "Permission is hereby granted" in notice  # the package's MIT licence
    assert "Apache" in default_lexicon().licence


# --- SentiWS -----------------------------------------------------------------------------


def test_sentiws_pair_with_inflections(tmp_path):
    pos = _write(tmp_path / "SentiWS_v2.0_Positive.txt",
                 "Erfolg|NN\t0.5\tErfolge,Erfolgen,Erfolges\nherzlich|ADJX\t0.2\t\n")
    neg = _write(tmp_path / "SentiWS_v2.0_Negative.txt", "Krise|NN\t-0.6\tKrisen\nscheitern|VVINF\t-0.4\n")
    lexicon = read_sentiws(pos, neg)
    assert lexicon.lookup("Erfolges") == ("Erfolges", 0.5)
    assert lexicon.lookup("Krisen") == ("Krisen", -0.6)
    assert lexicon.lookup("scheitern") == ("scheitern", -0.4)
    assert len(lexicon) == 8
    # one file finds its sibling; a folder finds both
    assert len(load_lexicon(pos)) == 8
    assert len(load_lexicon(tmp_path)) == 8
    assert len(load_lexicon((pos, neg), format="sentiws")) == 8
    assert score_text("Die Krisen nahmen kein Ende.", lexicon) == pytest.approx(-0.6)


@pytest.mark.parametrize(
    "line",
    ["Erfolg\t0.5\tErfolge", "Erfolg|NN 0.5", "Erfolg|NN\tviel\tErfolge", "Erfolg|NN\t0.5\tErfolge\textra", "|NN\t0.5"],
)
def test_sentiws_malformed_lines(tmp_path, line):
    path = _write(tmp_path / "SentiWS_Positive.txt", f"gut|ADJX\t0.4\n{line}\n")
    with pytest.raises(LexiconError) as error:
        read_sentiws(path)
    assert error.value.row == 2
    assert "SentiWS_Positive.txt" in str(error.value) and "row 2" in str(error.value)


# --- Rauh --------------------------------------------------------------------------------


def test_rauh_export_with_padding_negations_and_phrases(tmp_path):
    text = 'feature\tsentiment\n abbau \t-1\n famos \t1\n"gute arbeit"\t1\n NOT_famos \t-1\n'
    path = _write(tmp_path / "rauh_dictionary.tsv", text)
    lexicon = read_rauh(path)
    assert lexicon.lookup("famos") == ("famos", 1.0)
    assert lexicon.phrases[("gute", "arbeit")] == 1.0
    assert lexicon.negated == {"famos": -1.0}
    assert load_lexicon(path).negated == {"famos": -1.0}
    assert score_text("nicht famos", lexicon) == -1.0


def test_rauh_without_header_and_with_other_column_order(tmp_path):
    assert len(read_rauh(_write(tmp_path / "a.tsv", " gut \t1\n schlecht \t-1\n"))) == 2
    other = read_rauh(_write(tmp_path / "b.tsv", "sentiment\tfeature\n1\t gut \n"))
    assert other.lookup("gut") == ("gut", 1.0)


@pytest.mark.parametrize("body", [" gut \n", " gut \teins\n", "\t1\n"])
def test_rauh_malformed(tmp_path, body):
    path = _write(tmp_path / "rauh.tsv", "feature\tsentiment\n schlecht \t-1\n" + body)
    with pytest.raises(LexiconError) as error:
        read_rauh(path)
    assert error.value.row == 3 and "rauh.tsv" in str(error.value)


# --- GerVADER ----------------------------------------------------------------------------


def test_gervader(tmp_path):
    path = _write(tmp_path / "GerVADER_lexicon.txt", "super\t2.8\t0.6\t[3, 2, 3, 4]\nmies\t-2.0\t0.5\t[-2, -2]\nok\t0.9\n")
    lexicon = read_gervader(path)
    assert lexicon.lookup("super") == ("super", pytest.approx(0.7))
    assert lexicon.lookup("mies")[1] == pytest.approx(-0.5)
    assert read_gervader(path, rescale=False).lookup("super")[1] == pytest.approx(2.8)
    assert len(load_lexicon(path)) == 3


@pytest.mark.parametrize("line", ["super", "super\tgut\t0.6\t[3]", "super\t2.8\tx\t[3]", "super\t2.8\t0.6\t3, 2",
                                  "super\t2.8\t0.6\t[3]\textra"])
def test_gervader_malformed(tmp_path, line):
    path = _write(tmp_path / "vader.txt", "mies\t-2.0\t0.5\t[-2, -2]\n" + line + "\n")
    with pytest.raises(LexiconError) as error:
        read_gervader(path)
    assert error.value.row == 2


# --- plain and XML -------------------------------------------------------------------------


def test_plain_with_comments_header_and_phrases(tmp_path):
    path = _write(tmp_path / "mine.tsv", "# my lexicon\nterm\tscore\ngut\t1\nkeine Ahnung\t-0,5\n\nLob\t0.8\n")
    lexicon = read_plain(path)
    assert lexicon.name == "mine"
    assert lexicon.phrases == {("keine", "ahnung"): -0.5}
    assert lexicon.lookup("Lob") == ("Lob", 0.8)
    assert load_lexicon(path, format="plain").words == lexicon.words


@pytest.mark.parametrize("line", ["gut", "gut\t1\t2", "gut\tsehr", "\t1", "gut\tnan"])
def test_plain_malformed(tmp_path, line):
    path = _write(tmp_path / "mine.tsv", "schlecht\t-1\n" + line + "\n")
    with pytest.raises(LexiconError) as error:
        read_plain(path)
    assert error.value.row == 2 and "mine.tsv" in str(error.value)


def test_pattern_xml(tmp_path):
    path = _write(tmp_path / "lex.xml", '<sentiment><word form="schön" polarity="1.0"/>'
                                        '<word form="Angst_machen" polarity="-1.0"/><word form="Tisch" polarity="0"/>'
                                        "</sentiment>")
    lexicon = read_pattern_xml(path)
    assert lexicon.words == {"schön": 1.0} and lexicon.phrases == {("angst", "machen"): -1.0}
    assert load_lexicon(path).words == {"schön": 1.0}
    _write(tmp_path / "broken.xml", "<sentiment><word form='x' polarity='1'></sentiment>")
    with pytest.raises(LexiconError, match="broken.xml"):
        read_pattern_xml(tmp_path / "broken.xml")
    _write(tmp_path / "bad.xml", "<sentiment><word form='x' polarity='viel'/></sentiment>")
    with pytest.raises(LexiconError, match="not a number"):
        read_pattern_xml(tmp_path / "bad.xml")


# --- general -------------------------------------------------------------------------------


def test_conflicts_are_recorded_and_the_first_entry_wins(tmp_path):
    lexicon = read_plain(_write(tmp_path / "dup.tsv", "gut\t1\ngut\t-1\ngut\t1\n"))
    assert lexicon.lookup("gut") == ("gut", 1.0)
    assert lexicon.conflicts == [("gut", 2, -1.0)]


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(LexiconError, match="no such"):
        load_lexicon(tmp_path / "missing.tsv")
    with pytest.raises(LexiconError, match="no entries"):
        read_plain(_write(tmp_path / "empty.tsv", "# nothing\n"))
    (tmp_path / "latin1.tsv").write_bytes("schön\t1\n".encode("latin-1"))
    with pytest.raises(LexiconError, match="UTF-8"):
        read_plain(tmp_path / "latin1.tsv")
    with pytest.raises(ParameterError):
        load_lexicon(_write(tmp_path / "x.tsv", "gut\t1\n"), format="liwc")
    with pytest.raises(LexiconError):
        Lexicon.from_mapping({"gut": "sehr"})


def test_sniffing_the_format(tmp_path):
    assert load_lexicon(_write(tmp_path / "a.txt", "Lob|NN\t0.5\tLobes\n")).lookup("Lobes") == ("Lobes", 0.5)
    assert load_lexicon(_write(tmp_path / "b.txt", " lob \t1\n")).lookup("lob") == ("lob", 1.0)
    assert load_lexicon(_write(tmp_path / "c.txt", "lob\t2.0\t0.3\t[2, 2]\n")).lookup("lob")[1] == 0.5
    assert load_lexicon(_write(tmp_path / "d.txt", "lob\t2.0\n")).lookup("lob")[1] == 2.0
