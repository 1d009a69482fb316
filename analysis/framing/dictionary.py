"""Categorised dictionaries (lexicons) for framing analysis, read from three file formats.

A :class:`Dictionary` maps category names to entries; an entry is one pattern with a value
type understood by :func:`analysis.stats.kwic.compile_pattern` (``glob``, ``regex``, ``fixed`` or
``lemma``) and an optional weight. Category names may be nested with dots
(``"framing.delegitimising"``). Matching a dictionary against texts is the job of
:func:`analysis.framing.frames.match_dictionary`.

File formats
------------
:func:`read_dictionary` detects the format of a file by its content.

**Our YAML format** (recognised by a top-level ``categories`` key)::

    name: frames_demo
    description: >
      Ein kleines Beispielwörterbuch; ein Ausgangspunkt, kein validiertes Instrument.
    categories:
      delegitimising_labels:
        - Diktator*                      # a string is a glob: * any characters, ? one
        - Autokrat*
        - {regex: '^[\\w-]*regime(?!nt)'} # Python regex searched in each token
      official_labels:
        - Präsident*
        - Staats- und Regierungschef*    # whitespace: consecutive tokens
        - {fixed: Staatsoberhaupt}        # the whole token, literally
      friendship_warmth:
        - beste* Freund*
        - {lemma: lächeln, weight: 2}     # glob over the lemma column; weight optional
      framing.nested_category:           # dots nest categories
        - {glob: Freundschaft*}

Only ``name``, ``description`` and ``categories`` are allowed at the top level. Each
category is a list; each entry is a string (a glob, possibly multi-word) or a mapping with
exactly one of ``glob``, ``regex``, ``fixed``, ``lemma`` and optionally ``weight`` (a
positive number; 1 when omitted).

**quanteda-style YAML** (as written by quanteda's ``dictionary()``): nested mappings of
category → list of glob patterns; nesting gives dotted names::

    framing:
      delegitimising: [Diktator*, Autokrat*]
      warmth:
        friendship: [beste* Freund*]

gives the categories ``framing.delegitimising`` and ``framing.warmth.friendship``. The
dictionary takes its name from the file name.

**LIWC ``.dic``**: category ids and names between the first two lines that hold only ``%``,
then one line per word with the ids of its categories, separated by tabs::

    %
    1<TAB>delegitimising
    2<TAB>warmth
    %
    diktator*<TAB>1
    beste freunde<TAB>2
    autokrat*<TAB>1<TAB>2

``*`` at the end of a word is a glob suffix; words without ``*`` match the whole token
(``fixed``); a word may contain spaces (a multi-word entry). Windows line endings, a
byte-order mark and cp1252 files are read. Categories without any word are kept (empty).
LIWC 2007's conditional entries (``like<TAB>(02 134)125/464``) are not supported.

Decisions
---------
* Everything YAML is read with :func:`yaml.safe_load`; Python object tags are refused.
* Patterns are checked when a dictionary is built: an empty pattern, an unknown value type or
  an invalid regular expression raises :class:`~analysis.errors.LexiconError` naming the file,
  the category or line and what to fix.
* A file that has a top-level ``categories`` key is read as our format, so a quanteda
  dictionary cannot have a top-level category called ``categories``.
* Patterns and category names are normalised to Unicode NFC, as the cleaned texts are: an
  entry typed with decomposed umlauts (as some editors on macOS save them) matches, and two
  spellings of one category name that differ only in that are one name (defined twice: an
  error).
* A regular-expression entry runs with a time limit per token
  (:data:`analysis.store.patterns.REGEX_TIMEOUT`): one that backtracks catastrophically
  stops the run with an error naming it instead of hanging.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import AnalysisError, LexiconError, ParameterError
from ..store.patterns import VALUETYPES, TokenPattern, compile_pattern
from ..io.lexicon_files import parse_lexicon_yaml, read_lexicon_text

__all__ = [
    "Dictionary",
    "DictionaryEntry",
    "dictionary_from_dict",
    "read_dictionary",
]

_TOP_LEVEL_KEYS = ("name", "description", "categories")
_CATEGORY_RE = re.compile(r"^[^.\s](?:[^.]*[^.\s])?(?:\.[^.\s](?:[^.]*[^.\s])?)*$")
_LIWC_MARK = "%"


@dataclass(frozen=True)
class DictionaryEntry:
    """One pattern of a dictionary category.

    Attributes
    ----------
    pattern : str
        The pattern, e.g. ``"Diktator*"`` or ``"beste* Freund*"`` (whitespace separates the
        tokens of a multi-word pattern); stored in Unicode NFC.
    valuetype : str
        ``"glob"``, ``"regex"``, ``"fixed"`` or ``"lemma"`` (see
        :func:`analysis.stats.kwic.compile_pattern`).
    weight : float or None
        Optional weight; ``None`` means 1.

    Examples
    --------
    >>> entry = DictionaryEntry("beste* Freund*")
    >>> entry.compile().matches(["besten", "Freunde"])
    True
    >>> DictionaryEntry("Freund", "lemma", 2.0).weight
    2.0
    """

    pattern: str
    valuetype: str = "glob"
    weight: float | None = None

    def __post_init__(self):
        # Raises ParameterError for empty patterns, unknown value types and bad regexes.
        compile_pattern(self.pattern, valuetype=self.valuetype)
        object.__setattr__(self, "pattern", unicodedata.normalize("NFC", self.pattern))
        if self.weight is not None:
            weight = self.weight
            if isinstance(weight, (bool, np.bool_)) or not isinstance(weight, (int, float, np.number)):
                raise ParameterError(f"weight must be a number, got {weight!r}", hint="e.g. weight: 2")
            if not math.isfinite(float(weight)) or float(weight) <= 0:
                raise ParameterError(
                    f"weight must be a positive finite number, got {weight!r}", hint="e.g. weight: 2, or leave it out"
                )
            object.__setattr__(self, "weight", float(weight))

    def compile(self, *, case_insensitive: bool = True) -> TokenPattern:
        """The entry as a :class:`analysis.stats.kwic.TokenPattern`."""
        return compile_pattern(self.pattern, valuetype=self.valuetype, case_insensitive=case_insensitive)


@dataclass(frozen=True)
class Dictionary:
    """A named set of categories, each a tuple of :class:`DictionaryEntry`.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"frames_summit"``.
    description : str
        What the dictionary is for and how far it can be trusted.
    categories : dict of str to tuple of DictionaryEntry
        Category name (dots nest: ``"framing.warmth"``) → entries, in the order given.

    Examples
    --------
    >>> d = Dictionary("demo", "", {"warmth": (DictionaryEntry("lächel*"),)})
    >>> list(d.categories), len(d)
    (['warmth'], 1)
    >>> d.to_frame()
      category  pattern valuetype  weight
    0   warmth  lächel*      glob     1.0
    """

    name: str
    description: str
    categories: dict = field(hash=False)

    def __post_init__(self):
        if not isinstance(self.name, str):
            raise ParameterError(f"name must be a str, got {type(self.name).__name__}")
        if not isinstance(self.description, str):
            raise ParameterError(f"description must be a str, got {type(self.description).__name__}")
        if not isinstance(self.categories, Mapping):
            raise ParameterError(
                f"categories must be a mapping, got {type(self.categories).__name__}",
                hint="map each category name to a tuple of DictionaryEntry",
            )
        checked: dict[str, tuple[DictionaryEntry, ...]] = {}
        for category, entries in self.categories.items():
            _check_category_name(category)
            category = unicodedata.normalize("NFC", category)
            if category in checked:
                raise ParameterError(
                    f"category {category!r} is defined twice",
                    hint="the two names differ only in how their accents are encoded (NFC/NFD); merge the two lists",
                )
            entries = tuple(entries)
            for entry in entries:
                if not isinstance(entry, DictionaryEntry):
                    raise ParameterError(
                        f"category {category!r} holds a {type(entry).__name__}, not a DictionaryEntry",
                        hint="build dictionaries with dictionary_from_dict or read_dictionary",
                    )
            checked[category] = entries
        object.__setattr__(self, "categories", checked)

    def __len__(self) -> int:
        """Number of categories."""
        return len(self.categories)

    def to_frame(self) -> pd.DataFrame:
        """One row per entry: ``category, pattern, valuetype, weight`` (weight 1 when not given)."""
        rows = [
            (category, e.pattern, e.valuetype, 1.0 if e.weight is None else e.weight)
            for category, entries in self.categories.items()
            for e in entries
        ]
        return pd.DataFrame(rows, columns=["category", "pattern", "valuetype", "weight"])


def _check_category_name(category) -> None:
    if not isinstance(category, str) or not _CATEGORY_RE.match(category):
        raise ParameterError(
            f"category name {category!r} is not usable",
            hint="use a non-empty string; dots separate nesting levels and may not be doubled or at the ends",
        )


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------


def _entry(item, category: str, number: int, file) -> DictionaryEntry:
    """Turn one YAML / in-code item into an entry; ``number`` is 1-based."""
    where = f"category {category!r}, entry {number}"
    if isinstance(item, DictionaryEntry):
        return item
    if isinstance(item, str):
        pattern, valuetype, weight = item, "glob", None
    elif isinstance(item, Mapping):
        kinds = [k for k in item if k in VALUETYPES]
        unknown = [str(k) for k in item if k not in VALUETYPES and k != "weight"]
        if unknown or len(kinds) != 1:
            raise LexiconError(
                f"{where}: a mapping entry needs exactly one of {', '.join(VALUETYPES)}"
                + (f" (unknown keys: {', '.join(unknown)})" if unknown else ""),
                file=file,
                hint='write e.g. {regex: "^Regime"} or {lemma: Freund, weight: 2}',
            )
        valuetype = kinds[0]
        pattern = item[valuetype]
        weight = item.get("weight")
        if not isinstance(pattern, str):
            raise LexiconError(
                f"{where}: the {valuetype} pattern must be a string, got {pattern!r}",
                file=file,
                hint="quote the pattern in the YAML file",
            )
    else:
        raise LexiconError(
            f"{where}: an entry must be a string or a mapping, got {item!r}",
            file=file,
            hint='write a glob such as "Diktator*" or a mapping such as {regex: "^Regime"}; quote numbers',
        )
    try:
        return DictionaryEntry(pattern, valuetype, weight)
    except ParameterError as error:
        raise LexiconError(f"{where}: {error.reason}", file=file, hint=error.hint) from None


def _entries(items, category: str, file) -> tuple[DictionaryEntry, ...]:
    if not isinstance(items, (list, tuple)):
        raise LexiconError(
            f"category {category!r} is not a list (got {type(items).__name__})",
            file=file,
            hint="give the patterns of a category as a YAML list, one '- pattern' per line",
        )
    if not items:
        raise LexiconError(
            f"category {category!r} has no entries", file=file, hint="add at least one pattern or remove the category"
        )
    return tuple(_entry(item, category, number, file) for number, item in enumerate(items, start=1))


def _build(name, description, categories: dict, file) -> Dictionary:
    try:
        return Dictionary(name, description, categories)
    except LexiconError:
        raise
    except AnalysisError as error:
        raise LexiconError(error.reason, file=file, hint=error.hint) from None


def _flatten(mapping, prefix: str, file, out: dict) -> dict:
    """Nested mappings of lists → dotted category names (in the order given)."""
    for key, value in mapping.items():
        if not isinstance(key, str) or not key.strip():
            raise LexiconError(
                f"category name {key!r} under {prefix or 'the top level'!r} is not a non-empty string",
                file=file,
                hint="quote category names that YAML reads as numbers, booleans or null",
            )
        category = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            if not value:
                raise LexiconError(f"category {category!r} is empty", file=file, hint="add patterns or remove it")
            _flatten(value, category, file, out)
        else:
            if category in out:
                raise LexiconError(f"category {category!r} is defined twice", file=file, hint="merge the two lists")
            out[category] = _entries(value, category, file)
    return out


def dictionary_from_dict(mapping: Mapping, *, name: str = "dictionary", description: str = "") -> Dictionary:
    """Build a :class:`Dictionary` in code.

    Parameters
    ----------
    mapping : mapping
        Category → list of entries, each a glob string or a mapping such as
        ``{"regex": "^Regime"}`` (as in our YAML format). A value that is itself a mapping
        nests: ``{"framing": {"warmth": [...]}}`` gives the category ``framing.warmth``.
    name, description : str
        Name and description of the dictionary.

    Returns
    -------
    Dictionary

    Raises
    ------
    LexiconError
        For a category that is not a list, an empty category, an empty pattern, an unknown
        value type, an invalid regular expression or a bad weight.

    Examples
    --------
    >>> d = dictionary_from_dict({"labels": {"bad": ["Diktator*", {"lemma": "Autokrat"}]},
    ...                           "warmth": ["beste* Freund*"]}, name="demo")
    >>> d.to_frame()[["category", "pattern", "valuetype"]].values.tolist()
    [['labels.bad', 'Diktator*', 'glob'], ['labels.bad', 'Autokrat', 'lemma'], ['warmth', 'beste* Freund*', 'glob']]
    """
    if not isinstance(mapping, Mapping):
        raise ParameterError(
            f"mapping must be a dict of category → list of patterns, got {type(mapping).__name__}",
            hint='e.g. {"warmth": ["beste* Freund*", "lächel*"]}',
        )
    if not mapping:
        raise LexiconError("the dictionary has no categories", hint='e.g. {"warmth": ["beste* Freund*"]}')
    return _build(name, description, _flatten(mapping, "", None, {}), None)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    return read_lexicon_text(path)


def _load_yaml(text: str, path: Path):
    return parse_lexicon_yaml(text, label=str(path))


def _read_yaml(path: Path, text: str) -> Dictionary:
    data = _load_yaml(text, path)
    if not isinstance(data, dict) or not data:
        raise LexiconError(
            "the YAML file does not hold a mapping of categories",
            file=path,
            hint="start with 'categories:' (our format) or with a category name followed by a list",
        )
    if "categories" in data:
        unknown = [str(k) for k in data if k not in _TOP_LEVEL_KEYS]
        if unknown:
            raise LexiconError(
                f"unknown top-level key {', '.join(map(repr, unknown))}",
                file=path,
                hint="our format allows only name, description and categories; put categories under 'categories:'",
            )
        categories = data["categories"]
        if not isinstance(categories, dict) or not categories:
            raise LexiconError(
                "'categories' must be a non-empty mapping of category name → list of patterns",
                file=path,
                hint="indent each category under 'categories:' and follow it by a list",
            )
        name = data.get("name", path.stem)
        description = data.get("description", "") or ""
        if not isinstance(name, str) or not isinstance(description, str):
            raise LexiconError("'name' and 'description' must be strings", file=path, hint="quote them")
        flat: dict[str, tuple[DictionaryEntry, ...]] = {}
        for category, items in categories.items():
            if not isinstance(category, str) or not category.strip():
                raise LexiconError(
                    f"category name {category!r} is not a non-empty string",
                    file=path,
                    hint="quote category names that YAML reads as numbers, booleans or null",
                )
            flat[category] = _entries(items, category, path)
        return _build(name, description.strip(), flat, path)
    # quanteda-style: nested mappings of category → list of globs.
    flat = _flatten(data, "", path, {})
    for category, entries in flat.items():
        for number, entry in enumerate(entries, start=1):
            if entry.valuetype != "glob" or entry.weight is not None:
                raise LexiconError(
                    f"category {category!r}, entry {number}: a quanteda dictionary holds only glob strings",
                    file=path,
                    hint="add a top-level 'categories:' key to use regex, fixed, lemma or weights (our format)",
                )
    return _build(path.stem, "", flat, path)


def _is_liwc(text: str) -> bool:
    for line in text.split("\n"):
        if line.strip():
            return line.strip() == _LIWC_MARK
    return False


def _read_liwc(path: Path, text: str) -> Dictionary:
    lines = text.split("\n")
    marks = [i for i, line in enumerate(lines) if line.strip() == _LIWC_MARK]
    if len(marks) < 2:
        raise LexiconError(
            "a LIWC dictionary needs two lines holding only '%' around the category list",
            file=path,
            hint="start the file with '%', list 'id<TAB>category' lines, then a second '%'",
        )
    first, second = marks[0], marks[1]
    names: dict[str, str] = {}
    for i in range(first + 1, second):
        line = lines[i].strip()
        if not line:
            continue
        parts = line.split("\t") if "\t" in line else line.split(None, 1)
        parts = [p.strip() for p in parts if p.strip()]
        if len(parts) != 2:
            raise LexiconError(
                f"expected 'id<TAB>category', got {line!r}",
                file=path,
                row=i + 1,
                hint="give each category its id and name, separated by a tab",
            )
        cid, name = parts
        name = unicodedata.normalize("NFC", name)
        if cid in names:
            raise LexiconError(
                f"category id {cid!r} is used twice", file=path, row=i + 1, hint="give each category its own id"
            )
        if name in names.values():
            raise LexiconError(
                f"category name {name!r} is used twice", file=path, row=i + 1, hint="merge the two ids"
            )
        try:
            _check_category_name(name)
        except ParameterError as error:
            raise LexiconError(error.reason, file=path, row=i + 1, hint=error.hint) from None
        names[cid] = name
    if not names:
        raise LexiconError("the LIWC dictionary lists no categories", file=path, hint="add 'id<TAB>category' lines")

    words: dict[str, list[DictionaryEntry]] = {cid: [] for cid in names}
    seen: dict[str, set[str]] = {cid: set() for cid in names}
    for i in range(second + 1, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        if "\t" in line:
            fields = [f.strip() for f in line.split("\t")]
            word, ids = fields[0], [p for f in fields[1:] for p in f.split()]
        else:
            # Space-separated: the trailing fields that are category ids are ids.
            fields = line.split()
            cut = len(fields)
            while cut > 1 and fields[cut - 1] in names:
                cut -= 1
            word, ids = " ".join(fields[:cut]), fields[cut:]
        word = unicodedata.normalize("NFC", " ".join(word.split()))
        if not word:
            raise LexiconError("the word is empty", file=path, row=i + 1, hint="remove the line")
        if not ids:
            raise LexiconError(
                f"{word!r} has no category id",
                file=path,
                row=i + 1,
                hint="follow the word by a tab and the id of at least one category",
            )
        unknown = [cid for cid in ids if cid not in names]
        if unknown:
            raise LexiconError(
                f"{word!r} refers to unknown category id {', '.join(map(repr, unknown))}",
                file=path,
                row=i + 1,
                hint=f"declare the id between the two '%' lines (known ids: {', '.join(names)})",
            )
        valuetype = "glob" if "*" in word else "fixed"
        try:
            entry = DictionaryEntry(word, valuetype)
        except ParameterError as error:
            raise LexiconError(error.reason, file=path, row=i + 1, hint=error.hint) from None
        for cid in dict.fromkeys(ids):
            if word not in seen[cid]:
                seen[cid].add(word)
                words[cid].append(entry)
    return _build(path.stem, "", {names[cid]: tuple(words[cid]) for cid in names}, path)


def read_dictionary(path: str | Path) -> Dictionary:
    """Read a dictionary from our YAML format, quanteda-style YAML or a LIWC ``.dic`` file.

    The format is detected from the content: a file whose first non-blank line is ``%`` is
    LIWC; otherwise it is YAML, in our format when it has a top-level ``categories`` key and
    quanteda-style when not. See the module docstring for the formats.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Dictionary
        Categories in file order (LIWC: in the order of the category list).

    Raises
    ------
    LexiconError
        Naming the file and the line or category: a missing or unreadable file, invalid YAML
        or a YAML tag such as ``!!python/object``, a category that is not a list, an empty
        pattern or category, an invalid regular expression, an unknown value type, a LIWC
        word referring to an undeclared category id.

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "demo.yml")
    >>> with open(path, "w", encoding="utf-8") as f:
    ...     _ = f.write("warmth: ['beste* Freund*', lächel*]\\nthreat:\\n  military: [Waffe*]\\n")
    >>> d = read_dictionary(path)
    >>> d.name, list(d.categories)
    ('demo', ['warmth', 'threat.military'])
    """
    if not isinstance(path, (str, Path)):
        raise ParameterError(f"path must be a str or Path, got {type(path).__name__}")
    path = Path(path)
    text = _read_text(path)
    if not text.strip():
        raise LexiconError("the file is empty", file=path, hint="write a dictionary in one of the documented formats")
    if _is_liwc(text):
        return _read_liwc(path, text)
    return _read_yaml(path, text)
