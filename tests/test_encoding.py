"""Tests for analysis.io.encoding: decoding bytes, mojibake repair and control characters."""

from __future__ import annotations

import dataclasses
import doctest

import pytest

import analysis.io.encoding as encoding_module
from analysis.io.encoding import DecodedText, decode_bytes, normalise_controls, repair_mojibake
from analysis.errors import CorpusError

GERMAN = "Die Größe der Straße: „Äpfel“ und ‚Birnen‘ – schön, übel, Öl.\nZweite Zeile mit ß.\n"
# Latin-1 has no „ “ ‚ ‘ – ; it has » « and all umlauts.
GERMAN_LATIN1 = "Die Größe der Straße: »Äpfel« und übel, Öl.\n"


def test_doctests():
    result = doctest.testmod(encoding_module)
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# decode_bytes


@pytest.mark.parametrize(
    ("data", "expected_encoding"),
    [
        (GERMAN.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + GERMAN.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + GERMAN.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + GERMAN.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + GERMAN.encode("utf-32-le"), "utf-32-le"),
        (b"\x00\x00\xfe\xff" + GERMAN.encode("utf-32-be"), "utf-32-be"),
        (GERMAN.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_bytes_detects_encoding(data, expected_encoding):
    decoded = decode_bytes(data)
    assert decoded.text == GERMAN  # byte-order mark removed, nothing else changed
    assert decoded.encoding == expected_encoding


def test_latin1_file_decodes_like_cp1252():
    decoded = decode_bytes(GERMAN_LATIN1.encode("latin-1"))
    assert decoded.text == GERMAN_LATIN1
    assert decoded.encoding == "cp1252"  # identical for these bytes


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    decoded = decode_bytes("Käse ".encode("cp1252") + b"\x81\x8d")
    assert decoded.encoding == "latin-1"
    assert decoded.text == "Käse \x81\x8d"
    assert "0x81" in decoded.repairs[0] and "0x8D" in decoded.repairs[0]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(codec):
    decoded = decode_bytes(GERMAN.encode(codec))
    assert decoded.text == GERMAN
    assert decoded.encoding == codec
    assert "no byte-order mark" in decoded.repairs[0]


def test_mostly_utf8_with_stray_cp1252_byte():
    data = "Größe und Übel, ".encode("utf-8") + "Maß".encode("cp1252") + " über".encode("utf-8")
    decoded = decode_bytes(data)
    assert decoded.text == "Größe und Übel, Maß über"
    assert decoded.encoding == "utf-8+cp1252"
    assert decoded.repairs == ("1 byte not valid in UTF-8 read as cp1252",)


def test_empty_bytes_decode_to_empty_text():
    assert decode_bytes(b"") == DecodedText("", "utf-8", ())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"text\x00\x00\x00\x00more", "NUL"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
)
def test_binary_data_is_not_text(data, words):
    with pytest.raises(CorpusError) as info:
        decode_bytes(data, source="ordner/bild.txt")
    message = str(info.value)
    assert message.startswith("ordner/bild.txt: ")
    assert "not a text file" in message
    assert words in message
    assert info.value.hint  # says what to do


def test_single_stray_nul_is_not_binary():
    decoded = decode_bytes("Größe\x00 der Stadt".encode("utf-8"))
    assert decoded.text == "Größe\x00 der Stadt"  # removed later by normalise_controls


def test_invalid_data_after_bom_is_reported():
    with pytest.raises(CorpusError, match="byte-order mark"):
        decode_bytes(b"\xef\xbb\xbf" + "Größe".encode("cp1252"), source="a.txt")


def test_decoded_text_is_frozen():
    decoded = decode_bytes(b"abc")
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.text = "x"


def test_decode_bytes_rejects_str():
    with pytest.raises(TypeError):
        decode_bytes("Größe")


# --------------------------------------------------------------------------------------------
# repair_mojibake


def test_repairs_utf8_read_as_cp1252():
    text, repairs = repair_mojibake("GrÃ¶ÃŸe")
    assert text == "Größe"
    assert len(repairs) == 1 and "mojibake" in repairs[0]


def test_repairs_mojibake_quotes_into_german_quotes():
    assert repair_mojibake("â€žZitatâ€œ, sagte er")[0] == "„Zitat“, sagte er"


def test_repairs_latin1_mojibake_with_c1_characters():
    # "Größe" encoded as UTF-8 and read as Latin-1: "ß" leaves the C1 character U+009F.
    assert repair_mojibake("Gr\u00c3\u00b6\u00c3\u009fe")[0] == "Größe"


def test_keeps_german_typography():
    text = "„Anführung“ ‚halb‘ »Guillemets« «umgekehrt» – Gedankenstrich — Geviert … ﬁ ＡＢ &amp;"
    assert repair_mojibake(text) == (text, ())


def test_repair_keeps_quotes_next_to_mojibake():
    text, _ = repair_mojibake("„Gruß“ – sagte er über die GrÃ¶ÃŸe")
    assert text == "„Gruß“ – sagte er über die Größe"


def test_repair_does_not_turn_sz_quote_into_another_script():
    # "ß“" is bytes DF 93 in cp1252, which is valid UTF-8 for an N'Ko letter.
    text, repairs = repair_mojibake("Fuß“ und GrÃ¶ÃŸe")
    assert text == "Fuß“ und Größe"
    assert repairs


def test_repair_of_plain_text_changes_nothing():
    text = "Die Regierung sagte: „Wir sind bereit.“\n\tZweite Zeile."
    fixed, repairs = repair_mojibake(text)
    assert fixed is text
    assert repairs == ()


def test_repair_composes_combining_accents():
    fixed, repairs = repair_mojibake("Mu\u0308ller")
    assert fixed == "Müller"
    assert repairs == ("Unicode normalised to NFC (combining accents composed)",)


def test_repair_removes_terminal_escapes():
    assert repair_mojibake("\x1b[1mFett\x1b[0m gedruckt")[0] == "Fett gedruckt"


def test_repair_counts_fixes_in_several_lines():
    text, repairs = repair_mojibake("GrÃ¶ÃŸe\nnormal\nStraÃŸe\n")
    assert text == "Größe\nnormal\nStraße\n"
    assert repairs == ("repaired mojibake: UTF-8 text read as windows-1252 (2 fixes)",)


def test_repair_of_long_line_works_word_by_word():
    filler = "Wort " * 5000
    text, repairs = repair_mojibake(filler + "GrÃ¶ÃŸe " + filler)
    assert text == filler + "Größe " + filler
    assert repairs


# --------------------------------------------------------------------------------------------
# normalise_controls


def test_normalise_controls_line_ends_and_controls():
    text, count = normalise_controls("A\r\nB\rC\x00D\x07E\x1bF\x7fG\x85H\ufeffI\tJ\n")
    assert text == "A\nB\nCDEFGHI\tJ\n"
    assert count == 6  # NUL, BEL, ESC, DEL, U+0085, U+FEFF; line ends are not counted


def test_normalise_controls_counts_exactly():
    assert normalise_controls("a\x00b\x00c") == ("abc", 2)
    assert normalise_controls("Seite 1\x0cSeite 2\x0bEnde") == ("Seite 1\nSeite 2\nEnde", 2)
    assert normalise_controls("Zeile\r\nZeile") == ("Zeile\nZeile", 0)


def test_normalise_controls_leaves_clean_text_alone():
    text = "„Größe“\tTab\nZeile – ok"
    result, count = normalise_controls(text)
    assert result is text and count == 0
