"""Turn the bytes of a text file into clean Unicode text.

Three steps, each usable on its own:

``decode_bytes``
    Bytes → text. Byte-order marks first (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), then UTF-16
    without a byte-order mark when the pattern of NUL bytes clearly says so, then strict UTF-8,
    then Windows-1252 (cp1252; Latin-1 when the file holds bytes cp1252 leaves undefined) or
    MacRoman, whichever reads as German (see "Single-byte encodings" below). A mostly UTF-8 file
    with a few stray cp1252 bytes (a common result of pasting text together) is read as UTF-8
    with those bytes read as cp1252, and the repair is reported. Binary files raise
    :class:`~analysis.errors.CorpusError`.
``repair_mojibake``
    Repairs text that was decoded with the wrong encoding somewhere upstream ("GrÃ¶ÃŸe" →
    "Größe", "â€žZitatâ€œ" → "„Zitat“") with ftfy, and composes decomposed accents (NFC).
    Everything else is left exactly as it is: German quotation marks „ “ ‚ ‘ » «, dashes,
    ligatures, full-width characters, HTML entities and line breaks are not touched.
``normalise_controls``
    Turns ``\\r\\n`` and ``\\r`` into ``\\n`` and removes control characters other than ``\\n``
    and ``\\t`` (NUL included; vertical tab and form feed become ``\\n`` so that words on both
    sides do not run together; stray byte-order marks U+FEFF are removed too).

The corpus loader applies them in the order decode → repair → normalise: mojibake of text that
went through Latin-1 contains C1 control characters (``"Ã\\x9f"`` for "ß"), which must still be
there when the repair runs.

Single-byte encodings
---------------------
Bytes that are not UTF-8 decode without error as Latin-1 and MacRoman (every byte is defined)
and nearly always as cp1252, so which one a file is in is a judgement, made by German letter
evidence:

* Latin-1 and cp1252 differ only in the bytes 0x80–0x9F, which Latin-1 reads as control
  characters that no text holds. A file without such bytes reads the same in both (reported as
  ``cp1252``); a file with them is read as cp1252, or as Latin-1 when one of them is a byte
  cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D). This choice is never reported as a guess:
  Latin-1 is not a real alternative for those bytes.
* cp1252 (or Latin-1) against MacRoman: the first 20,000 bytes above 0x7F are read both ways
  and each reading is scored (``_german_evidence``): German letters inside words count for it
  ("ö" between letters; in the cp1252 reading also UTF-8 umlauts once read as cp1252, "Ã¶"),
  characters no German word holds (‰ ˆ ﬂ inside a word, § or „ between two letters, control
  characters) against it. MacRoman is chosen only when its reading scores
  at least 4 points (two German letters in place) more than cp1252's and has more German
  letters; otherwise cp1252, the far more common encoding.
* When the two readings score less than 4 points apart, the choice is a guess: the decoded text
  carries the note ``"encoding guessed: cp1252 (MacRoman also possible)"`` (or with the names
  the other way round) in :attr:`DecodedText.repairs`, which the corpus ledger shows. Short
  texts with few or no umlauts are the usual case ("5 €", a lone „Zitat“).

Decisions about the mojibake repair
-----------------------------------
* The repair is aimed at the usual mojibake of German corpora: UTF-8 text that was read as
  Windows-1252 or Latin-1 (once or several times). Only lines that contain such a sequence (or a
  C1 control character, a terminal escape, a UTF-16 surrogate) are passed to ftfy; other lines are
  not looked at, which keeps a 50 MB file fast. Mojibake from MacRoman or code page 437 is not
  looked for.
* ftfy runs with ``uncurl_quotes=False``, ``fix_latin_ligatures=False``,
  ``fix_character_width=False``, ``unescape_html=False``, ``fix_line_breaks=False`` and
  ``remove_control_chars=False`` (controls are ``normalise_controls``' job); its encoding repairs
  and ``fix_c1_controls``, ``fix_surrogates`` and ``remove_terminal_escapes`` stay on.
* Unicode normalisation NFC (ftfy's default) is applied to the whole text. It composes a
  letter and a combining mark into one character ("u" + U+0308 → "ü") and replaces a few
  canonical duplicates (U+212B ANGSTROM SIGN → "Å"); quotation marks, dashes, ligatures and
  all other characters are unchanged (NFKC, which would change them, is not used).
* ftfy can mistake a genuine "ß“" (bytes DF 93 in cp1252) for a UTF-8 sequence when the same line
  also holds real mojibake. A repair that would bring in Armenian, Hebrew, Arabic, Syriac, Thaana
  or N'Ko letters the line did not have is therefore redone word by word, keeping every word whose
  repair would do that as it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from analysis.errors import CorpusError

__all__ = ["DecodedText", "decode_bytes", "normalise_controls", "repair_mojibake"]


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with how it was decoded.

    Attributes
    ----------
    text : str
        The decoded text (byte-order mark removed, otherwise unchanged).
    encoding : str
        The encoding used: ``"utf-8"``, ``"utf-8-sig"`` (UTF-8 with byte-order mark),
        ``"utf-16-le"``, ``"utf-16-be"``, ``"utf-32-le"``, ``"utf-32-be"``, ``"cp1252"``,
        ``"latin-1"``, ``"mac_roman"`` or ``"utf-8+cp1252"`` (UTF-8 with a few stray cp1252
        bytes).
    repairs : tuple of str
        Human-readable notes on anything unusual done while decoding, such as
        ``"encoding guessed: cp1252 (MacRoman also possible)"``; empty normally.
    """

    text: str
    encoding: str
    repairs: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# decoding

# Longest marks first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Bytes that start common binary formats people drop into corpus folders by mistake.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (for example a .docx, .xlsx or .odt file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc or .xls)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"PAR1", "a Parquet file (load it with its .parquet name)"),
)

# Bytes that Windows-1252 leaves undefined.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)

# Control characters that betray binary data (tab, line feed, form feed and carriage
# return are ordinary in text).
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BINARY_SHARE = 0.05  # share of such characters from which a file counts as binary
_BINARY_MIN_COUNT = 3  # ... but never because of one or two stray characters

_NOT_TEXT_HINT = "convert it to plain text (UTF-8) or remove it from the corpus"


def decode_bytes(data: bytes, *, source: str = "<bytes>") -> DecodedText:
    """Decode the bytes of a text file, detecting the encoding.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str, optional
        Name of the file, used in error messages.

    Returns
    -------
    DecodedText
        The text, the encoding used and notes on repairs made while decoding.

    Raises
    ------
    CorpusError
        If the data is not text: it starts like a known binary format (PDF, ZIP/Office, image,
        archive), holds runs of NUL bytes without being UTF-16, or at least 5 % of its
        characters are control characters. Also if it starts with a byte-order mark but is not
        valid in that encoding.

    Notes
    -----
    Order of the checks: byte-order mark; UTF-16 without byte-order mark (at least 30 % NUL
    bytes at odd positions and at most 5 % at even positions, or the other way round); binary
    signatures and runs of NUL bytes; strict UTF-8; UTF-8 with stray cp1252 bytes (when the file
    holds at least as many valid multi-byte UTF-8 characters as invalid bytes, none of them
    Armenian to N'Ko, U+0530–U+07FF, which is what cp1252 "ß“" looks like); then cp1252, Latin-1
    (when a byte undefined in cp1252, 0x81 0x8D 0x8F 0x90 0x9D, occurs) or MacRoman, by the
    German letter evidence described in the module docstring; a choice the evidence does not
    make clear is noted as ``"encoding guessed: ..."``. A Latin-1 file without bytes
    0x80–0x9F decodes identically as cp1252 and is reported as ``"cp1252"``. A single stray
    NUL byte does not make a file binary; ``normalise_controls`` removes it.

    Examples
    --------
    >>> decode_bytes("Größe „Zitat“".encode("utf-8")).text
    'Größe „Zitat“'
    >>> decoded = decode_bytes("Größe „Zitat“".encode("cp1252"))
    >>> decoded.text, decoded.encoding
    ('Größe „Zitat“', 'cp1252')
    >>> decode_bytes("Die Größe der Straße".encode("mac_roman")).encoding
    'mac_roman'
    >>> decode_bytes("5 €".encode("cp1252")).repairs
    ('encoding guessed: cp1252 (MacRoman also possible)',)
    >>> decode_bytes(b"\\xef\\xbb\\xbf" + "Müller".encode("utf-8")).encoding
    'utf-8-sig'
    >>> decode_bytes("Käse".encode("utf-16-le")).encoding
    'utf-16-le'
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"decode_bytes expects bytes, not {type(data).__name__}")

    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise CorpusError(
                    f"starts with a {codec} byte-order mark but byte {exc.start + len(bom)} "
                    f"is not valid {codec}",
                    file=source,
                    hint="re-save the file as UTF-8",
                ) from None
            _check_controls(text, source)
            return DecodedText(text, codec)

    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = None
        # Without a byte-order mark, UTF-16 must also decode to clean text; otherwise the
        # binary checks below decide.
        if text is not None and _BINARY_CONTROLS.search(text) is None:
            return DecodedText(text, utf16, (f"no byte-order mark; read as {utf16} from its NUL bytes",))

    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise CorpusError(f"is not a text file: it looks like {kind}", file=source, hint=_NOT_TEXT_HINT)
    if b"\x00\x00" in data:
        raise CorpusError(
            "is not a text file: it contains runs of NUL bytes (binary data)",
            file=source,
            hint=_NOT_TEXT_HINT,
        )

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _check_controls(text, source)
        return DecodedText(text, "utf-8")

    mixed = _utf8_with_stray_bytes(data)
    if mixed is not None:
        _check_controls(mixed.text, source)
        return mixed

    decoded = _single_byte(data)
    _check_controls(decoded.text, source)
    return decoded


# --------------------------------------------------------------------------------------------
# single-byte encodings: cp1252, Latin-1 or MacRoman

# Names used in ledger notes.
_DISPLAY = {"cp1252": "cp1252", "latin-1": "latin-1", "mac_roman": "MacRoman"}
# How many bytes above 0x7F are weighed; enough evidence for any text, bounded time for any file.
_EVIDENCE_BYTES = 20_000
# A reading this many points ahead of the other (two German letters in their place) is not
# reported as a guess.
_CLEAR_MARGIN = 4
# Typography that stands between words, never inside one (a letter on both sides is suspect).
_NOT_INSIDE_WORDS = frozenset("„“”‚«»€§°•‹›")
_TYPOGRAPHY = _NOT_INSIDE_WORDS | frozenset("‘’–—…\u00a0")
_LOWER_LETTERS = frozenset("agl")
_LETTERS = frozenset("agAGlL")


def _byte_kinds(codec: str) -> str:
    """One character per byte value saying what the byte reads as in ``codec``.

    ``a``/``A`` ASCII letter, ``g``/``G`` German letter (äöüß / ÄÖÜ), ``l``/``L`` other Latin
    letter, ``q`` typography not found inside words, ``t`` other typography, ``c`` control
    character, ``x`` anything else (symbols, ligatures, modifier letters, Greek, ...), `` ``
    ASCII that is not a letter.
    """
    kinds = []
    for byte in range(256):
        ch = bytes([byte]).decode(codec, errors="replace")
        category = unicodedata.category(ch)
        name = unicodedata.name(ch, "")
        if byte < 0x80:
            kinds.append(("A" if ch.isupper() else "a") if ch.isalpha() else " ")
        elif ch in "äöüß":
            kinds.append("g")
        elif ch in "ÄÖÜ":
            kinds.append("G")
        elif ch in _NOT_INSIDE_WORDS:
            kinds.append("q")
        elif ch in _TYPOGRAPHY:
            kinds.append("t")
        elif (category in ("Lu", "Ll") and name.startswith("LATIN") and "LIGATURE" not in name
              and ch not in "Ÿÿ"):  # Ÿ (cp1252 0x9F) is what a MacRoman "ü" turns into
            kinds.append("L" if category == "Lu" else "l")
        elif category == "Cc":
            kinds.append("c")
        else:
            kinds.append("x")
    return "".join(kinds)


_KINDS = {codec: _byte_kinds(codec) for codec in _DISPLAY}
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# Second bytes of Ä Ö Ü ä ö ü ß in UTF-8 (the first is 0xC3).
_UTF8_GERMAN_TAILS = frozenset(ch.encode("utf-8")[1] for ch in "ÄÖÜäöüß")


def _german_evidence(data: bytes, codec: str) -> tuple[int, int]:
    """Score how much ``data`` read as ``codec`` looks like German text: (score, German letters).

    Each byte above 0x7F (the first ``_EVIDENCE_BYTES`` of them) counts by what it reads as and
    what stands beside it: a German letter in a word +2 (ä ö ü ß beside a letter; Ä Ö Ü before
    a letter and not after a lower-case one), elsewhere −1; typography +1, but −2 for marks
    such as „ “ § € standing between two letters; another Latin letter +1 beside a letter
    (names such as "Babiš"), 0 on its own; a control character −2; any other character −2
    beside a letter, 0 on its own. In the cp1252 and Latin-1 readings, a German letter in UTF-8
    that was once read as cp1252 ("Ã¶", bytes C3 B6) counts as a German letter: such mojibake
    arises only through cp1252 or Latin-1.
    """
    kinds = _KINDS[codec]
    score = german = 0
    last = len(data) - 1
    mojibake = codec != "mac_roman"
    skip = -1
    for count, match in enumerate(_HIGH_BYTE.finditer(data)):
        if count == _EVIDENCE_BYTES:
            break
        i = match.start()
        if i == skip:
            continue
        if mojibake and data[i] == 0xC3 and i < last and data[i + 1] in _UTF8_GERMAN_TAILS:
            # "Ã¶": a German letter of UTF-8 text once read as cp1252 — evidence for cp1252.
            score += 2
            german += 1
            skip = i + 1
            continue
        kind = kinds[data[i]]
        before = kinds[data[i - 1]] if i else " "
        after = kinds[data[i + 1]] if i < last else " "
        if kind == "g":
            if before in _LETTERS or after in _LETTERS:
                score += 2
                german += 1
            else:
                score -= 1
        elif kind == "G":
            if after in _LETTERS and before not in _LOWER_LETTERS:
                score += 2
                german += 1
            else:
                score -= 1
        elif kind == "q":
            score += -2 if (before in _LETTERS and after in _LETTERS) else 1
        elif kind == "t":
            score += 1
        elif kind in "lL" and (before in _LETTERS or after in _LETTERS):
            score += 1
        elif kind == "c":
            score -= 2
        elif kind == "x" and (before in _LETTERS or after in _LETTERS):
            score -= 2
    return score, german


def _single_byte(data: bytes) -> DecodedText:
    """Decode data that is not UTF-8 as cp1252, Latin-1 or MacRoman (see ``decode_bytes``)."""
    undefined = [b for b in _CP1252_UNDEFINED if b in data]
    primary = "latin-1" if undefined else "cp1252"
    primary_score, primary_german = _german_evidence(data, primary)
    mac_score, mac_german = _german_evidence(data, "mac_roman")
    # MacRoman only when it clearly reads better: cp1252 is by far the more common encoding.
    if mac_score - primary_score >= _CLEAR_MARGIN and mac_german > primary_german:
        chosen, other, margin = "mac_roman", primary, mac_score - primary_score
    else:
        chosen, other, margin = primary, "mac_roman", primary_score - mac_score
    notes = []
    if chosen == "latin-1":
        listed = ", ".join(f"0x{b:02X}" for b in undefined)
        notes.append(f"bytes undefined in cp1252 ({listed}); read as latin-1")
    if margin < _CLEAR_MARGIN:
        notes.append(f"encoding guessed: {_DISPLAY[chosen]} ({_DISPLAY[other]} also possible)")
    return DecodedText(data.decode(chosen), chosen, tuple(notes))


def _utf16_without_bom(data: bytes) -> str | None:
    """Return ``"utf-16-le"``/``"utf-16-be"`` when the NUL bytes clearly say so, else None."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    half = len(data) // 2
    even_nul = data[0::2].count(0) / half
    odd_nul = data[1::2].count(0) / half
    if odd_nul >= 0.3 and even_nul <= 0.05:
        return "utf-16-le"
    if even_nul >= 0.3 and odd_nul <= 0.05:
        return "utf-16-be"
    return None


_SURROGATE_ESCAPES = re.compile("[\udc80-\udcff]+")


def _utf8_with_stray_bytes(data: bytes) -> DecodedText | None:
    """Read mostly-UTF-8 data whose few invalid bytes are cp1252; None if not mostly UTF-8."""
    text = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(len(m) for m in _SURROGATE_ESCAPES.findall(text))
    multibyte = len(text) - len(text.encode("ascii", errors="ignore")) - invalid
    if multibyte == 0 or invalid > multibyte:
        return None
    if _UNLIKELY.search(text):
        # e.g. a cp1252 "ß“" (DF 93) that happens to be valid UTF-8 for an N'Ko letter:
        # the file is cp1252 after all.
        return None

    def as_cp1252(match: re.Match) -> str:
        raw = bytes(ord(ch) - 0xDC00 for ch in match.group())
        return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in raw)

    text = _SURROGATE_ESCAPES.sub(as_cp1252, text)
    note = f"{invalid} byte{'s' if invalid != 1 else ''} not valid in UTF-8 read as cp1252"
    return DecodedText(text, "utf-8+cp1252", (note,))


def _check_controls(text: str, source: str) -> None:
    """Raise CorpusError when a large share of the characters are control characters."""
    if not text:
        return
    count = len(text) - len(_BINARY_CONTROLS.sub("", text)) if _BINARY_CONTROLS.search(text) else 0
    if count >= _BINARY_MIN_COUNT and count / len(text) >= _BINARY_SHARE:
        raise CorpusError(
            f"is not a text file: {count / len(text):.0%} of its characters are control "
            "characters (binary data)",
            file=source,
            hint=_NOT_TEXT_HINT,
        )


# --------------------------------------------------------------------------------------------
# control characters

_LINE_BREAK_CONTROLS = re.compile("[\x0b\x0c]")
_REMOVED_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")
_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")


def normalise_controls(text: str) -> tuple[str, int]:
    """Normalise line ends and remove control characters.

    ``\\r\\n`` and lone ``\\r`` become ``\\n``; vertical tab and form feed become ``\\n``;
    every other control character except ``\\n`` and ``\\t`` is removed — the C0 range
    (NUL included), DEL, the C1 range U+0080–U+009F — and so are stray byte-order marks (U+FEFF).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    text : str
        The normalised text.
    count : int
        How many control characters were removed or replaced by ``\\n`` (line-end
        normalisation of ``\\r`` is not counted).

    Examples
    --------
    >>> normalise_controls("Zeile 1\\r\\nZeile 2\\x00\\x07 Ende")
    ('Zeile 1\\nZeile 2 Ende', 2)
    >>> normalise_controls("Seite 1\\x0cSeite 2")
    ('Seite 1\\nSeite 2', 1)
    >>> normalise_controls("\\tnichts zu tun\\n")
    ('\\tnichts zu tun\\n', 0)
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ANY_CONTROL.search(text) is None:
        return text, 0
    text, breaks = _LINE_BREAK_CONTROLS.subn("\n", text)
    text, removed = _REMOVED_CONTROLS.subn("", text)
    return text, breaks + removed


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a control character that :func:`normalise_controls` would handle.

    Examples
    --------
    >>> has_controls("Zeile" + chr(0)), has_controls("Zeile" + chr(10))
    (True, False)
    """
    return _ANY_CONTROL.search(text) is not None


def count_controls(text: str) -> int:
    """How many characters :func:`normalise_controls` would remove or turn into line breaks.

    Examples
    --------
    >>> count_controls("Zeile\\x00 zwei\\x0c drei")
    2
    """
    return len(_LINE_BREAK_CONTROLS.findall(text)) + len(_REMOVED_CONTROLS.findall(text))


def control_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Control characters in ``text[start:end]`` as ``(start, end, replacement)``.

    The replacement is ``"\\n"`` for vertical tab and form feed and ``""`` otherwise, as in
    :func:`normalise_controls`; line ends (``\\n``, ``\\r``) are not reported.

    Examples
    --------
    >>> control_spans("a\\x00b\\x0cc")
    [(1, 2, ''), (3, 4, '\\n')]
    """
    end = len(text) if end is None else end
    spans = [(m.start(), m.end(), "\n") for m in _LINE_BREAK_CONTROLS.finditer(text, start, end)]
    spans += [(m.start(), m.end(), "") for m in _REMOVED_CONTROLS.finditer(text, start, end)]
    return sorted(spans)


# --------------------------------------------------------------------------------------------
# mojibake

try:  # ftfy is a hard dependency; the import is here so that decoding works without it
    import ftfy as _ftfy
except ImportError:  # pragma: no cover - reported when repair_mojibake is called
    _ftfy = None

_FTFY_OPTIONS = dict(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,  # NFC is applied to the whole text below
    explain=True,
)
_FTFY_CONFIG = _ftfy.TextFixerConfig(**_FTFY_OPTIONS) if _ftfy is not None else None

# Characters a UTF-8 continuation byte (0x80-0xBF) turns into when read as cp1252 or Latin-1.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122"
)
# A line is only handed to ftfy when it holds one of these: a UTF-8 lead byte read as cp1252
# followed by a continuation byte read as cp1252 (or "Ã"/"Â" followed by a space, a lost
# no-break space), a C1 control character, a terminal escape or a UTF-16 surrogate.
# (Written to start with one character class, which the regex engine scans for quickly.)
_CANDIDATE = re.compile(
    "[\u00c2-\u00f4\u0080-\u009f\x1b\ud800-\udfff]"
    f"(?:(?<=[\u00c2-\u00f4])[{_CONTINUATION}]"
    "|(?<=[\u00c2\u00c3]) "
    "|(?<=[\u0080-\u009f\x1b\ud800-\udfff]))"
)
# Scripts a mis-repaired German "ß“", "Ü“", "Ö»" turns into (U+0530-U+07FF).
_UNLIKELY = re.compile("[\u0530-\u07ff]")
_LONG_LINE = 10_000  # longer lines are repaired word by word around each suspicious spot
_WORD_SPLIT = re.compile(r"(\s+)")
_SPACE = re.compile(r"\s+")
_WORD_WINDOW = 200


def may_need_repair(text: str) -> bool:
    """Whether :func:`repair_mojibake` could change ``text`` (a quick test in one pass).

    False means it certainly would not: the text is ASCII, or has no mojibake candidate, no
    terminal escape and is in NFC. Holds for every part of a text as well (lines, words).

    Examples
    --------
    >>> may_need_repair("Größe"), may_need_repair("GrÃ¶ÃŸe")
    (False, True)
    """
    if text.isascii():
        return "\x1b" in text
    return _CANDIDATE.search(text) is not None or "\x1b" in text or not unicodedata.is_normalized("NFC", text)


def repair_mojibake(text: str) -> tuple[str, tuple[str, ...]]:
    """Repair mojibake with ftfy, keeping German typography as it is.

    Parameters
    ----------
    text : str
        Decoded text.

    Returns
    -------
    text : str
        The repaired text (the same object when nothing changed).
    repairs : tuple of str
        Human-readable descriptions of the repairs, each with how many places it fixed;
        empty when nothing changed.

    Notes
    -----
    See the module docstring for the ftfy options used and why. Quotation marks „ “ ‚ ‘ » «,
    dashes, ligatures and HTML entities are never changed; NFC composes combining accents.

    Examples
    --------
    >>> repair_mojibake("Die GrÃ¶ÃŸe der â€žStadtâ€œ")
    ('Die Größe der „Stadt“', ('repaired mojibake: UTF-8 text read as windows-1252 (1 fix)',))
    >>> repair_mojibake("„Gruß“ – ‚so‘ » gut «")
    ('„Gruß“ – ‚so‘ » gut «', ())
    >>> repair_mojibake("Mu\\u0308ller")
    ('Müller', ('Unicode normalised to NFC (combining accents composed)',))
    """
    if text.isascii() and "\x1b" not in text:
        return text, ()
    if _ftfy is None:  # pragma: no cover - ftfy is a declared dependency
        raise ImportError("repair_mojibake needs the ftfy package: pip install ftfy")

    counts: Counter[str] = Counter()
    if _CANDIDATE.search(text) is not None:
        text = _repair_lines(text, counts)
    repairs = [f"{description} ({n} fix{'es' if n != 1 else ''})" for description, n in counts.items()]
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        repairs.append("Unicode normalised to NFC (combining accents composed)")
    return text, tuple(repairs)


def _repair_lines(text: str, counts: Counter) -> str:
    """Hand every line (or, in long lines, every word) holding a candidate to ftfy."""
    out = []
    pos = 0
    # The bounds of the line of the last candidate: the next candidates of a long line reuse
    # them instead of searching the line again each time (quadratic in the line's length).
    line_start, line_end = 0, -1
    while True:
        match = _CANDIDATE.search(text, pos)
        if match is None:
            out.append(text[pos:])
            break
        if match.start() >= line_end:
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            if line_end == -1:
                line_end = len(text)
        start, end = max(pos, line_start), line_end
        if end - start > _LONG_LINE:
            # Only the whitespace-delimited stretch around the candidate (at most
            # _WORD_WINDOW characters each side).
            window_start = max(start, match.start() - _WORD_WINDOW)
            before = text[window_start:match.start()]
            spaces = [m.end() for m in _SPACE.finditer(before)]
            start = window_start + spaces[-1] if spaces else window_start
            after = _SPACE.search(text, match.end(), min(end, match.end() + _WORD_WINDOW))
            end = after.start() if after else min(end, match.end() + _WORD_WINDOW)
        out.append(text[pos:start])
        out.append(_repair_segment(text[start:end], counts))
        pos = end
    return "".join(out)


def _repair_segment(segment: str, counts: Counter, *, by_word: bool = True) -> str:
    fixed, steps = _ftfy.fix_and_explain(segment, _FTFY_CONFIG)
    if fixed == segment:
        return segment
    if _introduces_unlikely(segment, fixed):
        if not by_word:
            return segment
        parts = _WORD_SPLIT.split(segment)
        return "".join(
            part if (not part or part.isspace()) else _repair_segment(part, counts, by_word=False)
            for part in parts
        )
    for description in _describe(steps):
        counts[description] += 1
    return fixed


def _introduces_unlikely(before: str, after: str) -> bool:
    new = set(_UNLIKELY.findall(after))
    return bool(new) and not new <= set(_UNLIKELY.findall(before))


def _pretty_encoding(name: str) -> str:
    return name.replace("sloppy-", "")


def _describe(steps) -> list[str]:
    """Turn an ftfy explanation into human-readable descriptions."""
    steps = [tuple(step) for step in (steps or [])]
    descriptions = []
    encodes = [param for action, param in steps if action == "encode"]
    decodes = [param for action, param in steps if action == "decode"]
    if encodes and any(d.startswith("utf-8") for d in decodes):
        read_as = " then ".join(dict.fromkeys(_pretty_encoding(e) for e in encodes))
        descriptions.append(f"repaired mojibake: UTF-8 text read as {read_as}")
    elif encodes and "windows-1252" in decodes:
        descriptions.append("C1 control characters read as windows-1252")
    for action, param in steps:
        if action == "apply" and param == "decode_inconsistent_utf8":
            descriptions.append("repaired mojibake: UTF-8 text read as windows-1252")
        elif param == "fix_c1_controls":
            descriptions.append("C1 control characters replaced by their windows-1252 characters")
        elif param == "replace_lossy_sequences":
            descriptions.append("damaged mojibake replaced by U+FFFD")
        elif param == "fix_surrogates":
            descriptions.append("UTF-16 surrogate pairs joined")
        elif param == "remove_terminal_escapes":
            descriptions.append("terminal escape codes removed")
    return list(dict.fromkeys(descriptions)) or ["repaired text with ftfy"]
