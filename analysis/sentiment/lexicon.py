"""Sentiment lexicons: the default German lexicon and readers for user lexicons.

A :class:`Lexicon` maps words (and multi-word expressions) to a polarity score; negative
scores are negative sentiment. Every reader checks its file line by line and raises
:class:`~analysis.errors.LexiconError` naming the file and the line (``row``) of the first
malformed entry.

The default lexicon
-------------------
The default is the *German Polarity Lexicon* of Klenner, Clematide, Wiegand and Peters
(University of Zurich, version 1.1, 2010), in the XML form Markus Killer made for the
``textblob-de`` package (file ``textblob_de/data/de-sentiment.xml``, 7,964 entries).
It is read directly from the installed package with :mod:`importlib.metadata`; textblob's own
scorer is not used (and the ``textblob_de`` module is never imported: with current
``textblob`` releases its import fails, the data file is unaffected). Licence facts:

* the lexicon file states in its header and in its root element that it is
  "Licensed under the Apache License, Version 2.0" (polarity values: Klenner et al. 2010;
  XML version: Markus Killer, 2014);
* the ``textblob-de`` package as a whole is MIT-licensed (Copyright 2014-2019 Markus Killer);
  its NOTICE file covers code vendored from *pattern* (BSD-3-Clause, University of Antwerp).

Nothing of the lexicon is copied into this project; the licence and header text can be read
at run time with :func:`default_lexicon_notice`. Cite Clematide & Klenner (2010),
"Evaluation and extension of a polarity lexicon for German", WASSA workshop, when you report
results.

How the default file is turned into a lexicon: every ``<word>`` element gives ``form`` →
``polarity`` (values −1.0, −0.7, 0.7, 1.0). The 601 entries with polarity 0 are dropped —
they are neutral entries and a few intensity adverbs, and keeping them would inflate the
coverage. Forms with an underscore (``Angst_machen``) are multi-word entries. The file is in
Swiss spelling (no "ß": *gross*, *Spass*, *heiss*); lookups match "ß" to "ss". The file's
``intensity`` attribute is ignored; modifiers are the documented table of
:mod:`analysis.sentiment.scorer`.

User lexicon formats (``format=`` of :func:`load_lexicon`)
----------------------------------------------------------
``"sentiws"``
    SentiWS (Remus, Quasthoff & Heyer 2010; CC BY-NC-SA 3.0): two UTF-8 files, positive and
    negative, one lemma per line: ``Wort|POS<TAB>weight<TAB>inflection,inflection,...``
    (the inflection column may be missing or empty). The lemma and every inflection get the
    weight. Pass both files, the directory holding them, or one of them (its sibling is
    found by swapping ``Positive``/``Negative`` in the file name).
``"rauh"``
    Rauh's German political sentiment dictionary (Rauh 2018, Harvard Dataverse
    doi:10.7910/DVN/BKBXWD) is distributed as R data frames with columns ``feature`` and
    ``sentiment`` (±1); features are padded with spaces (``" abbau "``), and the negation
    table holds features such as ``"NOT_gut"`` for a negated word. Export a data frame with
    ``write.table(sent.dictionary, sep = "\\t", quote = FALSE, row.names = FALSE)`` and read
    the tab-separated file: a header naming ``feature`` and ``sentiment`` is optional (without
    it the first two columns are used), padding and surrounding quotes are stripped, features
    with inner spaces are multi-word entries and ``NOT_word`` features are the score of
    *word* when it is negated (used instead of flipping; see the scorer). The R data file
    itself cannot be read.
``"gervader"``
    GerVADER / VADER: ``token<TAB>mean<TAB>sd<TAB>[rating, rating, ...]``; only the mean is
    used, rescaled from VADER's −4..+4 to −1..+1 (``rescale=True``). The sd and ratings
    columns are optional but checked when present.
``"plain"``
    ``term<TAB>score``; ``#`` starts a comment line, a header ``term<TAB>score`` is allowed,
    terms with spaces are multi-word entries.
``"pattern-xml"``
    The XML format of the default file (``<word form=... polarity=...>``), as used by
    *pattern* and *textblob*.

Within one lexicon the first entry for a term wins; later entries with a different score
are listed in :attr:`Lexicon.conflicts` rather than silently merged.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np

from ..errors import LexiconError, ParameterError

__all__ = [
    "DEFAULT_LEXICON",
    "FORMATS",
    "Lexicon",
    "default_lexicon",
    "default_lexicon_notice",
    "load_lexicon",
    "read_gervader",
    "read_pattern_xml",
    "read_plain",
    "read_rauh",
    "read_sentiws",
]

#: Name of the default lexicon in :func:`load_lexicon`.
DEFAULT_LEXICON = "textblob-de"
#: Lexicon file formats understood by :func:`load_lexicon`.
FORMATS: tuple[str, ...] = ("sentiws", "rauh", "gervader", "plain", "pattern-xml")

_DEFAULT_NAMES = frozenset({"default", "textblob-de", "textblob_de", "klenner", "german-polarity-lexicon"})
#: Names of the default lexicon as the file has it, without the clean-up.
_RAW_NAMES = frozenset({"textblob-de-raw", "default-raw", "raw"})
_DIST = "textblob-de"
_RESOURCE = "textblob_de/data/de-sentiment.xml"


@dataclass(eq=False)
class Lexicon:
    """A sentiment lexicon: words and multi-word expressions with a polarity score.

    Attributes
    ----------
    name : str
        Short name shown in results.
    words : dict of str to float
        Single-word entries as written in the source (case kept).
    phrases : dict of tuple of str to float
        Multi-word entries, one lower-cased (casefolded) part per token.
    negated : dict of str to float
        Explicit scores of negated words (casefolded), e.g. Rauh's ``NOT_`` entries; when a
        word in the scope of a negation has such an entry, its score replaces the flipped one.
    source : str
        Where the entries came from (file or package resource).
    licence : str
        The licence the source states.
    conflicts : list of tuple
        ``(term, line, score)`` of later entries that disagreed with an earlier one (ignored).
    blocked : frozenset of str
        Surface forms (casefolded, "ß" written "ss") that never match an entry: homographs
        whose scored reading is the rare one (see :func:`~analysis.sentiment.cleanup.clean_lexicon`).
    phrase_terms : dict of tuple of str to str
        The multi-word entries as written in the source (``("not", "leidend")`` →
        ``"Not_leidend"``), for checks that need the original capitalisation.

    Examples
    --------
    >>> lex = Lexicon.from_mapping({"gut": 1.0, "schlecht": -1.0, "keine Ahnung": -0.5})
    >>> len(lex), lex.lookup("gut"), lex.phrases[("keine", "ahnung")]
    (3, ('gut', 1.0), -0.5)
    >>> lex.lookup("Gut"), lex.lookup("Gut", fold=True)
    (None, ('gut', 1.0))
    >>> Lexicon.from_mapping({"gross": 0.7}).lookup("groß")
    ('gross', 0.7)
    >>> lex.lookup("Tisch") is None
    True
    """

    name: str
    words: dict = field(default_factory=dict)
    phrases: dict = field(default_factory=dict)
    negated: dict = field(default_factory=dict)
    source: str = ""
    licence: str = ""
    conflicts: list = field(default_factory=list)
    blocked: frozenset = frozenset()
    phrase_terms: dict = field(default_factory=dict)

    def __post_init__(self):
        self.blocked = frozenset(_plain_key(f) for f in self.blocked)
        folded: dict[str, tuple[str, float]] = {}
        for form, score in self.words.items():
            key = form.casefold()
            # A lower-case form wins over a capitalised one ("stolz" over "Stolz").
            if key not in folded or form == key:
                folded[key] = (form, float(score))
        self._folded = folded
        # "ß" and "ss" are one spelling apart (the default lexicon is in Swiss spelling,
        # "gross", "Spass"); index every entry under its "ss" form too.
        self._sharp = {form.replace("ß", "ss"): form for form in self.words if "ß" in form}
        self.max_phrase = max((len(p) for p in self.phrases), default=1)

    def __len__(self) -> int:
        return len(self.words) + len(self.phrases)

    def __repr__(self) -> str:
        return (
            f"Lexicon(name={self.name!r}, words={len(self.words)}, phrases={len(self.phrases)}, "
            f"negated={len(self.negated)})"
        )

    def lookup(self, *forms: str, fold: bool = False):
        """The entry for the first of ``forms`` that the lexicon knows.

        Matching is case-sensitive, because German capitalisation separates nouns from other
        words (*Trotz* "defiance" and *trotz* "despite", *Wagen* "car" and *wagen* "dare").
        "ß" and "ss" match each other ("groß" finds the Swiss-spelled entry "gross").
        With ``fold=True`` (the scorer sets it for sentence-initial and all-capital words)
        the forms are then also tried casefolded.

        Returns
        -------
        tuple of (str, float) or None
            The entry as written in the lexicon and its score; None also when one of
            ``forms`` is :attr:`blocked`.
        """
        if self.blocked and any(_plain_key(form) in self.blocked for form in forms):
            return None
        for form in forms:
            if form in self.words:
                return form, float(self.words[form])
        for form in forms:
            plain = form.replace("ß", "ss")
            if plain in self.words:
                return plain, float(self.words[plain])
            if plain in self._sharp:
                return self._sharp[plain], float(self.words[self._sharp[plain]])
        if fold:
            for form in forms:
                hit = self._folded.get(form.casefold())
                if hit is not None:
                    return hit
        return None

    @functools.cached_property
    def _lookup_tables(self):
        """The entries as pandas look-up tables for :meth:`lookup_many`, built once per lexicon."""
        import pandas as pd

        words = pd.Series(self.words, dtype=float) if self.words else pd.Series(dtype=float)
        sharp = pd.Series(self._sharp, dtype=object)
        folded_names = pd.Series({k: v[0] for k, v in self._folded.items()}, dtype=object)
        return words, sharp, folded_names

    def lookup_many(self, lemmas, forms, *, fold: bool = False):
        """:meth:`lookup` for many ``(lemma, form)`` pairs at once (the word types of a corpus).

        Returns
        -------
        tuple of (numpy.ndarray, numpy.ndarray)
            The entry of each pair as written in the lexicon (object array, None for no
            entry) and its score (NaN for none): ``lookup(lemma, form, fold=fold)`` for
            every pair, computed with hash look-ups over whole columns.

        Examples
        --------
        >>> lex = Lexicon.from_mapping({"gut": 1.0, "gross": 0.5})
        >>> entries, scores = lex.lookup_many(["gut", "groß", "Haus"], ["guten", "großen", "Häuser"])
        >>> entries.tolist(), scores.tolist()[:2]
        (['gut', 'gross', None], [1.0, 0.5])
        """
        import pandas as pd

        lemmas = pd.Series(list(lemmas), dtype=object)
        forms = pd.Series(list(forms), dtype=object)
        n = len(lemmas)
        entries = np.full(n, None, dtype=object)
        scores = np.full(n, np.nan)
        todo = np.ones(n, dtype=bool)
        plain = {"lemma": lemmas.str.replace("ß", "ss", regex=False), "form": forms.str.replace("ß", "ss", regex=False)}
        words, sharp, folded_names = self._lookup_tables
        steps = [(lemmas, None), (forms, None)]
        for name in ("lemma", "form"):
            steps += [(plain[name], None), (plain[name], sharp)]
        if fold:
            steps += [(lemmas.str.casefold(), folded_names), (forms.str.casefold(), folded_names)]
        for keys, renames in steps:
            if not todo.any():
                break
            open_keys = keys[todo]
            named = open_keys if renames is None else open_keys.map(renames)
            found = named.map(words).to_numpy(dtype=float)
            hit = ~np.isnan(found)
            rows = np.flatnonzero(todo)[hit]
            entries[rows] = named.to_numpy(dtype=object)[hit]
            scores[rows] = found[hit]
            todo[rows] = False
        if self.blocked:
            blocked = np.zeros(n, dtype=bool)
            for keys in (lemmas, forms):
                blocked |= keys.str.casefold().str.replace("ß", "ss", regex=False).isin(self.blocked).to_numpy()
            entries[blocked] = None
            scores[blocked] = np.nan
        return entries, scores

    def to_frame(self):
        """All entries as a table ``term, score, kind`` (``word``, ``phrase`` or ``negated``)."""
        import pandas as pd

        rows = [(t, s, "word") for t, s in self.words.items()]
        rows += [(" ".join(p), s, "phrase") for p, s in self.phrases.items()]
        rows += [("NOT_" + t, s, "negated") for t, s in self.negated.items()]
        return pd.DataFrame(rows, columns=["term", "score", "kind"])

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, float], *, name: str = "custom") -> "Lexicon":
        """Build a lexicon from ``{term: score}``; terms with spaces are multi-word entries
        and ``NOT_term`` keys are negated scores.

        Raises
        ------
        LexiconError
            If a term is empty or a score is not a finite number.
        """
        builder = _Builder(name, source="mapping")
        for number, (term, score) in enumerate(mapping.items(), start=1):
            if not isinstance(term, str) or not term.strip():
                raise LexiconError(f"entry {number}: the term is empty or not a string", file="mapping")
            try:
                value = float(score)
            except (TypeError, ValueError):
                value = math.nan
            if not math.isfinite(value):
                raise LexiconError(f"the score of {term!r} is not a finite number: {score!r}", file="mapping")
            builder.add(term.strip(), value, number)
        return builder.build()


class _Builder:
    """Collect entries; the first entry of a term wins, disagreeing later ones are recorded."""

    def __init__(self, name: str, *, source: str, licence: str = ""):
        self.name, self.source, self.licence = name, source, licence
        self.words: dict[str, float] = {}
        self.phrases: dict[tuple[str, ...], float] = {}
        self.negated: dict[str, float] = {}
        self.conflicts: list[tuple[str, int, float]] = []
        self.phrase_terms: dict[tuple, str] = {}

    def _put(self, table, key, term, score, line):
        if table is self.phrases and key not in table:
            self.phrase_terms[key] = term
        if key in table:
            if table[key] != score:
                self.conflicts.append((term, line, score))
            return
        table[key] = score

    def add(self, term: str, score: float, line: int) -> None:
        if term.startswith("NOT_") and len(term) > 4:
            self._put(self.negated, term[4:].casefold(), term, score, line)
            return
        parts = term.replace("_", " ").split()
        if len(parts) > 1:
            self._put(self.phrases, tuple(p.casefold() for p in parts), term, score, line)
        else:
            self._put(self.words, parts[0], term, score, line)

    def build(self) -> Lexicon:
        return Lexicon(self.name, self.words, self.phrases, self.negated, self.source, self.licence, self.conflicts,
                       phrase_terms=self.phrase_terms)


# --------------------------------------------------------------------------------------
# Reading helpers
# --------------------------------------------------------------------------------------


def _read_lines(path) -> list[str]:
    path = Path(path)
    if not path.is_file():
        raise LexiconError("no such lexicon file", file=path, hint="check the path")
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise LexiconError(
            f"the file is not UTF-8 (byte {error.start})", file=path, hint="save the lexicon as UTF-8"
        ) from None


def _number(text: str, path, line: int, what: str) -> float:
    cleaned = text.strip()
    if cleaned.count(",") == 1 and "." not in cleaned:  # a decimal comma: "0,5"
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise LexiconError(
            f"malformed line: the {what} {text.strip()!r} is not a number",
            file=path,
            row=line,
            hint="write a decimal number such as 0.5 or -1",
        )
    return value


def _strip_quotes(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text.strip()


def _plain_key(form: str) -> str:
    """The key of :attr:`Lexicon.blocked`: casefolded, "ß" as "ss"."""
    return form.casefold().replace("ß", "ss")


def _empty_check(builder: _Builder, path) -> Lexicon:
    lexicon = builder.build()
    if len(lexicon) == 0 and not lexicon.negated:
        raise LexiconError("the lexicon file holds no entries", file=path, hint="check the file and its format")
    return lexicon


# --------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------


def read_plain(path, *, name: str | None = None) -> Lexicon:
    """Read a plain ``term<TAB>score`` lexicon.

    Parameters
    ----------
    path : str or Path
        UTF-8 text file. Blank lines and lines starting with ``#`` are skipped; the first
        entry line may be the header ``term<TAB>score``. Terms with spaces are multi-word entries.
    name : str, optional
        Name of the lexicon (the file stem by default).

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        Naming the file and line of a line without exactly two tab-separated fields, an
        empty term or a score that is not a number.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "mini.tsv").write_text("term\\tscore\\ngut\\t1\\nkeine Ahnung\\t-0.5\\n", encoding="utf-8")
    >>> read_plain(folder / "mini.tsv")
    Lexicon(name='mini', words=1, phrases=1, negated=0)
    """
    builder = _Builder(name or Path(path).stem, source=str(path))
    first = True
    for line, text in enumerate(_read_lines(path), start=1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        header_allowed, first = first, False
        fields = text.split("\t")
        if len(fields) != 2:
            raise LexiconError(
                f"malformed line: expected 'term<TAB>score', found {len(fields)} tab-separated field(s)",
                file=path,
                row=line,
                hint="separate term and score by one tab",
            )
        term = _strip_quotes(fields[0])
        if header_allowed and term.lower() in {"term", "word", "feature", "token"}:
            continue
        if not term:
            raise LexiconError("malformed line: the term is empty", file=path, row=line)
        builder.add(term, _number(fields[1], path, line, "score"), line)
    return _empty_check(builder, path)


def _sentiws_file(path, builder: _Builder) -> None:
    for line, text in enumerate(_read_lines(path), start=1):
        if not text.strip():
            continue
        fields = text.rstrip("\r\n").split("\t")
        if len(fields) not in (2, 3) or "|" not in fields[0]:
            raise LexiconError(
                "malformed line: expected 'Wort|POS<TAB>weight<TAB>inflections' "
                f"(found {len(fields)} tab-separated field(s){'' if '|' in fields[0] else ', no |POS'})",
                file=path,
                row=line,
                hint="SentiWS lines are lemma|POS, a tab, the weight, a tab and comma-separated inflections",
            )
        lemma, _, pos = fields[0].partition("|")
        if not lemma.strip() or not pos.strip():
            raise LexiconError("malformed line: the lemma or its POS tag is empty", file=path, row=line)
        weight = _number(fields[1], path, line, "weight")
        builder.add(lemma.strip(), weight, line)
        if len(fields) == 3 and fields[2].strip():
            for form in fields[2].split(","):
                if form.strip():
                    builder.add(form.strip(), weight, line)


def _sentiws_pair(path) -> list[Path]:
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and re.search(r"(?i)(positive|negative)", p.name)
                       and p.suffix.lower() in (".txt", ".tsv", ""))
        if not found:
            raise LexiconError(
                "the folder holds no SentiWS files", file=path,
                hint="expected files named like SentiWS_v2.0_Positive.txt and SentiWS_v2.0_Negative.txt",
            )
        return found
    paths = [path]
    for a, b in (("Positive", "Negative"), ("Negative", "Positive"), ("positive", "negative"), ("negative", "positive")):
        if a in path.name:
            sibling = path.with_name(path.name.replace(a, b))
            if sibling.is_file():
                paths.append(sibling)
            break
    return paths


def read_sentiws(positive, negative=None, *, name: str = "SentiWS") -> Lexicon:
    """Read SentiWS: ``Wort|POS<TAB>weight<TAB>inflections`` in a positive and a negative file.

    Parameters
    ----------
    positive : str or Path
        The positive file (or any SentiWS file).
    negative : str or Path, optional
        The negative file. The weights are used as written (SentiWS gives negative words
        negative weights), so the order of the two files does not matter.
    name : str
        Name of the lexicon.

    Returns
    -------
    Lexicon
        Lemmas and all their inflections, each with the lemma's weight.

    Raises
    ------
    LexiconError
        Naming the file and line of a line without ``|POS``, with other than two or three
        tab-separated fields, or with a weight that is not a number.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "pos.txt").write_text("Freude|NN\\t0.6502\\tFreuden\\n", encoding="utf-8")
    >>> _ = (folder / "neg.txt").write_text("Angst|NN\\t-0.5\\tÄngste,Ängsten\\n", encoding="utf-8")
    >>> lex = read_sentiws(folder / "pos.txt", folder / "neg.txt")
    >>> lex.lookup("Ängste"), len(lex)
    (('Ängste', -0.5), 5)
    """
    files = [positive] + ([negative] if negative is not None else [])
    builder = _Builder(name, source=", ".join(str(f) for f in files), licence="CC BY-NC-SA 3.0 (SentiWS)")
    for path in files:
        _sentiws_file(path, builder)
    return _empty_check(builder, files[0])


def read_rauh(path, *, name: str = "Rauh") -> Lexicon:
    """Read a tab-separated export of Rauh's German political sentiment dictionary.

    Parameters
    ----------
    path : str or Path
        Tab-separated UTF-8 file with ``feature`` and ``sentiment`` columns (a header naming
        them is optional; without one, the first two columns are used). Padding spaces and
        quotes around features are stripped; ``NOT_word`` features are negated scores and
        features with inner spaces multi-word entries.
    name : str
        Name of the lexicon.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        Naming the file and line of a line with too few fields, an empty feature or a
        sentiment that is not a number.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "feature\\tsentiment\\n abbau \\t-1\\n famos \\t1\\n NOT_famos \\t-1\\n"
    >>> _ = (folder / "rauh.tsv").write_text(text, encoding="utf-8")
    >>> lex = read_rauh(folder / "rauh.tsv")
    >>> lex.lookup("famos"), lex.negated
    (('famos', 1.0), {'famos': -1.0})
    """
    builder = _Builder(name, source=str(path), licence="see Rauh (2018), Harvard Dataverse doi:10.7910/DVN/BKBXWD")
    feature_col, sentiment_col = 0, 1
    for line, text in enumerate(_read_lines(path), start=1):
        if not text.strip():
            continue
        fields = [_strip_quotes(f) for f in text.split("\t")]
        if line == 1 and "feature" in [f.lower() for f in fields]:
            lowered = [f.lower() for f in fields]
            if "sentiment" not in lowered:
                raise LexiconError(
                    "the header names 'feature' but no 'sentiment' column", file=path, row=line,
                    hint="export the data frame with its column names feature and sentiment",
                )
            feature_col, sentiment_col = lowered.index("feature"), lowered.index("sentiment")
            continue
        if len(fields) <= max(feature_col, sentiment_col):
            raise LexiconError(
                f"malformed line: expected 'feature<TAB>sentiment', found {len(fields)} field(s)",
                file=path,
                row=line,
                hint="separate feature and sentiment by a tab",
            )
        feature = fields[feature_col].strip()
        if not feature:
            raise LexiconError("malformed line: the feature is empty", file=path, row=line)
        builder.add(feature, _number(fields[sentiment_col], path, line, "sentiment"), line)
    return _empty_check(builder, path)


_RATINGS_RE = re.compile(r"^\[\s*-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?)*\s*\]$")


def read_gervader(path, *, name: str = "GerVADER", rescale: bool = True) -> Lexicon:
    """Read a GerVADER (VADER-style) lexicon: ``token<TAB>mean<TAB>sd<TAB>[ratings]``.

    Parameters
    ----------
    path : str or Path
        UTF-8 file; the sd and ratings columns may be missing, but are checked when present.
    name : str
        Name of the lexicon.
    rescale : bool, default True
        Divide the means by 4, from VADER's −4..+4 to −1..+1 like the other lexicons.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        Naming the file and line of a line with fewer than two or more than four fields, a
        mean or sd that is not a number, or ratings that are not a bracketed list of numbers.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "vader.txt").write_text("super\\t2.9\\t0.7\\t[3, 3, 2, 4]\\n", encoding="utf-8")
    >>> read_gervader(folder / "vader.txt").lookup("super")
    ('super', 0.725)
    """
    builder = _Builder(name, source=str(path), licence="see the GerVADER distribution (Tymann et al. 2019)")
    for line, text in enumerate(_read_lines(path), start=1):
        if not text.strip():
            continue
        fields = text.rstrip("\r\n").split("\t")
        if not 2 <= len(fields) <= 4:
            raise LexiconError(
                f"malformed line: expected 'token<TAB>mean<TAB>sd<TAB>[ratings]', found {len(fields)} field(s)",
                file=path,
                row=line,
                hint="GerVADER lines have the token, the mean rating, its sd and the list of ratings",
            )
        token = fields[0].strip()
        if not token:
            raise LexiconError("malformed line: the token is empty", file=path, row=line)
        mean = _number(fields[1], path, line, "mean")
        if len(fields) >= 3 and fields[2].strip():
            _number(fields[2], path, line, "sd")
        if len(fields) == 4 and fields[3].strip() and not _RATINGS_RE.match(fields[3].strip()):
            raise LexiconError(
                f"malformed line: the ratings {fields[3].strip()!r} are not a list like [1, 2, -1]",
                file=path,
                row=line,
            )
        builder.add(token, mean / 4.0 if rescale else mean, line)
    return _empty_check(builder, path)


def read_pattern_xml(path_or_bytes, *, name: str | None = None, source: str | None = None) -> Lexicon:
    """Read a pattern/textblob XML lexicon (``<word form=... polarity=...>`` elements).

    Entries with polarity 0 are dropped; ``_`` in a form joins the parts of a multi-word entry.

    Parameters
    ----------
    path_or_bytes : str, Path or bytes
        The file, or its content.
    name, source : str, optional
        Name and source shown in results.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        If the XML cannot be parsed, or a ``<word>`` lacks ``form`` or has a polarity that is
        not a number (the message names the entry number).

    Examples
    --------
    >>> xml = '<sentiment><word form="schön" polarity="1.0"/><word form="Tisch" polarity="0"/></sentiment>'
    >>> read_pattern_xml(xml.encode("utf-8"), name="mini").words
    {'schön': 1.0}
    """
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data, where = bytes(path_or_bytes), source or "XML data"
    else:
        where = source or str(path_or_bytes)
        if not Path(path_or_bytes).is_file():
            raise LexiconError("no such lexicon file", file=where, hint="check the path")
        data = Path(path_or_bytes).read_bytes()
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        raise LexiconError(f"malformed XML: {error}", file=where, row=line) from None
    builder = _Builder(name or (Path(where).stem if not isinstance(path_or_bytes, bytes) else "xml"),
                       source=where, licence=root.get("license", ""))
    for number, element in enumerate(root.iter("word"), start=1):
        form = (element.get("form") or "").strip()
        if not form:
            raise LexiconError(f"<word> entry {number} has no form", file=where)
        polarity = _number(element.get("polarity", ""), where, None, f"polarity of {form!r}")
        if polarity != 0:
            builder.add(form, polarity, number)
    return _empty_check(builder, where)


# --------------------------------------------------------------------------------------
# The default lexicon and load_lexicon
# --------------------------------------------------------------------------------------


def _default_path() -> Path:
    """The installed de-sentiment.xml, found without importing textblob_de."""
    try:
        dist = importlib.metadata.distribution(_DIST)
        path = Path(dist.locate_file(_RESOURCE))
        if path.is_file():
            return path
    except importlib.metadata.PackageNotFoundError:
        pass
    spec = importlib.util.find_spec("textblob_de")  # does not run the package's __init__
    if spec is not None and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / "data" / "de-sentiment.xml"
        if path.is_file():
            return path
    raise LexiconError(
        "the default lexicon is not installed",
        file=_RESOURCE,
        hint="install the project's dependencies (pip install 'textblob-de>=0.4.3'), or pass a lexicon file",
    )


@functools.lru_cache(maxsize=2)
def default_lexicon(clean: bool = True) -> Lexicon:
    """The default German lexicon (Klenner et al. 2010, via ``textblob-de``; Apache-2.0).

    Read once per process from the installed ``textblob-de`` package and cached; treat it as
    read-only. By default it is cleaned for German news with
    :func:`~analysis.sentiment.cleanup.clean_lexicon` (standard spelling, no English or
    malformed entries, homographs, news topic words); the table of the changes is in its
    ``cleanup`` attribute.

    Parameters
    ----------
    clean : bool, default True
        False gives the entries as the file has them.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        If ``textblob-de`` is not installed.

    Examples
    --------
    >>> lex = default_lexicon()
    >>> lex.name, lex.lookup("gut")[1] > 0, lex.lookup("Krieg")[1] < 0
    ('textblob-de', True, True)
    >>> lex.lookup("groß"), default_lexicon(clean=False).lookup("groß")
    (('groß', 0.7), ('gross', 0.7))
    """
    if clean:
        return _cleaned_default()
    path = _default_path()
    lexicon = read_pattern_xml(path, name=DEFAULT_LEXICON, source=f"{_DIST}: {_RESOURCE}")
    lexicon.licence = "Apache-2.0 (lexicon file header); textblob-de package: MIT"
    return lexicon


def _cleaned_in_this_process() -> Lexicon:
    from .cleanup import clean_lexicon

    return clean_lexicon(default_lexicon(clean=False))


def _cleaned_default() -> Lexicon:
    """The cleaned default lexicon, made in a forked process where one can be started.

    The clean-up reads wordfreq's English and German frequency lists and simplemma's German
    dictionary, about 200 MiB of look-up tables that stay in the memory of the process that
    loaded them and that no scoring needs afterwards. A sentence scoring's workers fork from the
    process that holds the lexicon, so those tables would be in every one of them; made in a
    child that ends, only the lexicon (a few MiB) comes back.
    """
    import multiprocessing

    from ..store.executor import can_fork, run_isolated

    if can_fork() and not multiprocessing.current_process().daemon:  # a daemon may not fork children
        return run_isolated(_cleaned_in_this_process)
    return _cleaned_in_this_process()


def default_lexicon_notice() -> str:
    """The licence facts of the default lexicon, read from the installed package.

    Returns the XML header comment of ``de-sentiment.xml`` (origin, authors, Apache-2.0
    notice) followed by the package's LICENSE and NOTICE files.

    Examples
    --------
    >>> "Apache License" in default_lexicon_notice()
    True
    """
    path = _default_path()
    text = path.read_text(encoding="utf-8")
    match = re.search(r"<!--(.*?)-->", text, flags=re.S)
    parts = [match.group(1).strip() if match else ""]
    try:
        dist = importlib.metadata.distribution(_DIST)
        for name in ("LICENSE", "NOTICE"):
            content = dist.read_text(name)
            if content:
                parts.append(f"--- textblob-de {name} ---\n{content.strip()}")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - found via find_spec
        pass
    return "\n\n".join(parts)


def _sniff(path: Path) -> str:
    if path.is_dir() or re.search(r"(?i)sentiws", path.name):
        return "sentiws"
    if path.suffix.lower() == ".xml":
        return "pattern-xml"
    if re.search(r"(?i)rauh", path.name):
        return "rauh"
    if re.search(r"(?i)vader", path.name):
        return "gervader"
    for text in _read_lines(path)[:50]:
        if not text.strip() or text.startswith("#"):
            continue
        fields = text.split("\t")
        first = fields[0]
        if "|" in first and len(fields) in (2, 3):
            return "sentiws"
        if first.lower().strip() == "feature" or first != first.strip() or first.strip().startswith("NOT_"):
            return "rauh"
        if len(fields) >= 3:
            return "gervader"
        return "plain"
    return "plain"


def load_lexicon(name_or_path="default", format: str | None = None, **options) -> Lexicon:
    """Load a lexicon by name or from a file.

    Parameters
    ----------
    name_or_path : str, Path, Lexicon, dict, or pair of paths
        ``"default"`` / ``"textblob-de"`` for the default lexicon (cleaned), ``"textblob-de-raw"`` for it
        as the file has it; a file or folder; a
        ``(positive, negative)`` pair of SentiWS files; a :class:`Lexicon` (returned as is) or
        a ``{term: score}`` mapping.
    format : {"sentiws", "rauh", "gervader", "plain", "pattern-xml"}, optional
        The file format. When omitted it is taken from the name (``*.xml``, ``*SentiWS*``,
        ``*Rauh*``, ``*vader*``, a folder = SentiWS) or sniffed from the first entry line
        (``|`` in the first field: SentiWS; padded, ``feature`` header or ``NOT_``: Rauh;
        three or more fields: GerVADER; else plain). Give it explicitly to be sure.
    **options
        Passed to the reader (``name``, ``rescale`` for GerVADER).

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        If the file is missing or malformed.
    ParameterError
        For an unknown format.

    Examples
    --------
    >>> load_lexicon("default") is default_lexicon()
    True
    >>> load_lexicon({"gut": 1}).lookup("gut")
    ('gut', 1.0)
    """
    if isinstance(name_or_path, Lexicon):
        return name_or_path
    if isinstance(name_or_path, Mapping):
        return Lexicon.from_mapping(name_or_path, **options)
    if format is not None and format not in FORMATS:
        raise ParameterError(
            f"unknown lexicon format {format!r}", hint="choose one of " + ", ".join(FORMATS)
        )
    if isinstance(name_or_path, (list, tuple)):
        if len(name_or_path) != 2:
            raise ParameterError("give a pair of files (positive, negative)", hint="e.g. (pos.txt, neg.txt)")
        return read_sentiws(*name_or_path, **options)
    if not isinstance(name_or_path, (str, Path)):
        raise ParameterError(
            f"a lexicon must be a name, a path, a Lexicon or a mapping, got {type(name_or_path).__name__}"
        )
    if isinstance(name_or_path, str) and name_or_path.lower() in _DEFAULT_NAMES:
        return default_lexicon()
    if isinstance(name_or_path, str) and name_or_path.lower() in _RAW_NAMES:
        return default_lexicon(clean=False)
    path = Path(name_or_path)
    if not path.exists():
        raise LexiconError(
            "no such lexicon file or folder",
            file=path,
            hint=f"give a file path, or the name {DEFAULT_LEXICON!r} for the default lexicon",
        )
    format = format or _sniff(path)
    if format == "sentiws":
        files = _sentiws_pair(path)
        return read_sentiws(*files[:2], **options)
    readers = {"rauh": read_rauh, "gervader": read_gervader, "plain": read_plain, "pattern-xml": read_pattern_xml}
    return readers[format](path, **options)
