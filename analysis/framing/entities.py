"""Entity registry and entity mentions: who and what the articles talk about.

The registry (``data/lexicons/entities.yml``) lists persons, places, objects and
organisations, each with the surface forms it appears under in scraped and machine-translated
German news, including genitives ("Putins") and misspellings ("QUtin", "J.ong Un", "Arras").
:func:`find_mentions` finds those forms in a corpus and returns one row per mention.

Registry format
---------------
A YAML mapping, read with :func:`yaml.safe_load` (Python object tags are refused)::

    version: 1
    countries:                      # optional; needed when persons name a country
      Russland:
        genitive: [Russlands]       # "der Präsident Russlands", "Russlands Präsident"
        adjectives: [russisch]      # stems; any inflection matches: russische, Russischer ...
    entities:
      - id: Putin                   # unique, short; used in every output table
        type: person                # person | place | object | organisation
        name: Wladimir Putin        # canonical name (also matched as a variant)
        variants: [Putin, Putins, QUtin]
        country: Russland           # persons only; a key of ``countries``
        roles: [Präsident Russlands]   # persons only; free text, documentation
        labels: [Kremlchef, Kremlherr] # persons only; labels that name exactly this person
        note: free text

Fields other than these are errors (so that typos do not pass silently). ``variants`` are
literal text, case-sensitive, tokenized like the documents (so "J.ong Un" is the three tokens
"J.", "ong", "Un"); the ``name`` is always a variant too. One surface form may belong to one
entity only. ``labels`` are label names of ``data/lexicons/labels.yml`` (see
:mod:`analysis.framing.labels`), used by its ``implied`` rule.

Design decisions
----------------
* **Whole tokens only.** A variant matches whole tokens of :func:`analysis.text.tokenize`.
  Hyphenated compounds are single tokens, so "Kim" never matches inside "Kim-Il-Sung-Platz"
  (itself a place) or "Kim-Regimes": a compound of a name and a noun is **not** a mention of
  the person. (:mod:`analysis.framing.labels` reads "Kim-Regime" as the label *Regime* implied for
  Kim.) Matching uses :class:`analysis.stats.kwic.TokenPattern` with ``valuetype="fixed"``.
* **Punctuation counts.** Unlike :func:`analysis.stats.kwic.kwic`, punctuation tokens are not
  skipped: the parts of a multi-word name must be adjacent tokens of one sentence.
* **Longest match first, no overlaps.** Where variants overlap, the one with more tokens wins
  (then the longer text, then the earlier one): "Kim Jong Un" is one mention, not "Kim" plus
  "Jong Un".
* **Case-sensitive.** Names are capitalised in German; "QUtin" is listed as it is spelt.
* **Genitives.** A variant ending in "s" whose remainder is also a variant of the same entity
  ("Putins", "Kims", "Moskaus") is read as a genitive by :mod:`analysis.framing.labels`.
* Short or common-word variants ("Kim", "Aura", "Arras") fit this corpus about one summit; in
  a broader corpus check them with :func:`analysis.stats.kwic.kwic` before trusting counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ..errors import LexiconError, ParameterError
from ..store.match import store_index
from ..store.patterns import TokenPattern, compile_pattern
from ..io.lexicon_files import read_lexicon_yaml
from ..io.tables import check_documents as _check_documents
from ..io.tables import order_tokens, sentence_segments
from ..text import RUNNING_WORD_KINDS, RUNNING_WORDS_COLUMN, tokenize, tokenize_text

__all__ = [
    "ENTITY_TYPES",
    "MENTION_COLUMNS",
    "Country",
    "Entity",
    "Registry",
    "find_mentions",
    "lexicon_path",
    "load_registry",
]

#: Allowed values of an entity's ``type``.
ENTITY_TYPES: tuple[str, ...] = ("person", "place", "object", "organisation")
#: Columns of the table returned by :func:`find_mentions`.
MENTION_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "start", "end", "entity", "type", "form")

_ENTITY_FIELDS = ("id", "type", "name", "variants", "country", "roles", "labels", "note")
_PERSON_ONLY = ("country", "roles", "labels")
_COUNTRY_FIELDS = ("genitive", "adjectives")
_TOP_LEVEL = ("version", "countries", "entities")
_ADJECTIVE_ENDINGS = ("", "e", "em", "en", "er", "es")


def lexicon_path(name: str) -> Path:
    """Path of a lexicon shipped in the repository's ``data/lexicons`` folder.

    Parameters
    ----------
    name : str
        File name, e.g. ``"entities.yml"``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    LexiconError
        If the file is not there (e.g. the package was installed without the ``data`` folder).

    Examples
    --------
    >>> lexicon_path("entities.yml").name
    'entities.yml'
    """
    path = Path(__file__).resolve().parents[2] / "data" / "lexicons" / name
    if not path.is_file():
        raise LexiconError(
            "the bundled lexicon is missing",
            file=path,
            hint="run from a checkout of the repository (data/lexicons/ beside analysis/) or pass path=",
        )
    return path


def read_yaml(path) -> tuple[object, str]:
    """Read a YAML file safely; return ``(data, file name for messages)``.

    Raises
    ------
    LexiconError
        If the file is missing, unreadable, not text or not valid (safe) YAML; the message
        names the file and, where known, the line.
    """
    if not isinstance(path, (str, Path)):
        raise ParameterError(f"path must be a str or Path, got {type(path).__name__}")
    return read_lexicon_yaml(path), str(path)


@dataclass(frozen=True)
class Country:
    """A country as persons refer to it.

    Attributes
    ----------
    name : str
        "Russland".
    genitive : tuple of str
        Genitive forms, "Russlands".
    adjectives : tuple of str
        Lower-case adjective stems, "russisch"; :meth:`is_adjective` accepts any inflection.

    Examples
    --------
    >>> c = Country("Russland", ("Russlands",), ("russisch",))
    >>> c.is_adjective("Russischer"), c.is_adjective("russisch-nordkoreanische")
    (True, False)
    """

    name: str
    genitive: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()

    def is_adjective(self, word: str) -> bool:
        """Whether ``word`` is an inflected form of one of the adjectives (case ignored)."""
        low = str(word).lower()
        return any(low == stem + ending for stem in self.adjectives for ending in _ADJECTIVE_ENDINGS)


@dataclass(frozen=True)
class Entity:
    """One registry entry.

    Attributes
    ----------
    id : str
        Unique key, used in output tables ("Putin").
    type : str
        One of :data:`ENTITY_TYPES`.
    name : str
        Canonical name ("Wladimir Putin").
    variants : tuple of str
        Surface forms, the name included.
    country : str or None
        Persons: a country name of the registry.
    roles : tuple of str
        Persons: roles, for documentation.
    labels : tuple of str
        Persons: labels that name exactly this person ("Kremlchef").
    note : str
        Free text.
    """

    id: str
    type: str
    name: str
    variants: tuple[str, ...]
    country: str | None = None
    roles: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, eq=False)
class Registry:
    """A validated set of entities; make it with :func:`load_registry`.

    Attributes
    ----------
    entities : tuple of Entity
    countries : dict
        Country name → :class:`Country`.
    source : str
        Where it was read from ("" when built in code).

    Examples
    --------
    >>> reg = Registry((Entity("Putin", "person", "Wladimir Putin", ("Putin", "Putins"), "Russland"),),
    ...                {"Russland": Country("Russland", ("Russlands",), ("russisch",))})
    >>> reg["Putin"].name, reg.genitive_country("Russlands"), reg.is_genitive("Putin", "Putins")
    ('Wladimir Putin', 'Russland', True)
    """

    entities: tuple[Entity, ...]
    countries: dict = field(default_factory=dict)
    source: str = ""
    _by_id: dict = field(init=False, repr=False, default_factory=dict)
    _patterns: tuple = field(init=False, repr=False, default=())

    def __post_init__(self):
        by_id = {}
        for entity in self.entities:
            if entity.id in by_id:
                raise LexiconError(f"entity id {entity.id!r} is used twice", file=self.source or None)
            by_id[entity.id] = entity
        object.__setattr__(self, "_by_id", by_id)
        patterns = []
        owner: dict[tuple[str, ...], str] = {}
        for entity in self.entities:
            for variant in entity.variants:
                parts = tuple(t.text for t in tokenize_text(variant))
                if not parts:
                    raise LexiconError(
                        f"entity {entity.id!r}: field 'variants' has an empty form", file=self.source or None
                    )
                if owner.get(parts, entity.id) != entity.id:
                    raise LexiconError(
                        f"entity {entity.id!r}: field 'variants': {variant!r} is also a variant of {owner[parts]!r}",
                        file=self.source or None,
                        hint="a surface form may belong to one entity only",
                    )
                if parts in owner:
                    continue
                owner[parts] = entity.id
                patterns.append((compile_pattern(" ".join(parts), valuetype="fixed", case_insensitive=False), entity.id))
        object.__setattr__(self, "_patterns", tuple(patterns))

    def __getitem__(self, entity_id: str) -> Entity:
        try:
            return self._by_id[entity_id]
        except KeyError:
            raise ParameterError(f"no entity {entity_id!r} in the registry") from None

    def __contains__(self, entity_id) -> bool:
        return entity_id in self._by_id

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)

    @property
    def patterns(self) -> tuple[tuple[TokenPattern, str], ...]:
        """``(pattern, entity id)`` for every distinct variant."""
        return self._patterns

    def to_frame(self) -> pd.DataFrame:
        """One row per entity: ``id, type, name, country, variants`` (variants joined by " | ")."""
        return pd.DataFrame(
            [(e.id, e.type, e.name, e.country or "", " | ".join(e.variants)) for e in self.entities],
            columns=["id", "type", "name", "country", "variants"],
        )

    def persons(self) -> list[Entity]:
        """All entities of type ``person``."""
        return [e for e in self.entities if e.type == "person"]

    def genitive_country(self, word: str) -> str | None:
        """The country whose genitive form ``word`` is ("Nordkoreas" → "Nordkorea"), or None."""
        for country in self.countries.values():
            if word in country.genitive:
                return country.name
        return None

    def adjective_country(self, word: str) -> str | None:
        """The country whose adjective ``word`` inflects ("russischen" → "Russland"), or None."""
        for country in self.countries.values():
            if country.is_adjective(word):
                return country.name
        return None

    def implied_by(self, label: str) -> str | None:
        """The person a label names by itself ("Kremlchef" → "Putin"), or None."""
        for entity in self.entities:
            if label in entity.labels:
                return entity.id
        return None

    def is_genitive(self, entity_id: str, form: str) -> bool:
        """Whether ``form`` is a genitive of the entity: it ends in "s" and without the "s" is a variant."""
        if entity_id not in self._by_id or not form.endswith("s"):
            return False
        return form[:-1] in self._by_id[entity_id].variants

    def entity_of_form(self, form: str) -> str | None:
        """The entity one of whose variants is exactly ``form``, or None."""
        for entity in self.entities:
            if form in entity.variants:
                return entity.id
        return None


# --------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------


def _string_list(value, where: str, file: str, *, allow_empty: bool = True) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where} must be a list of non-empty strings", file=file, hint="e.g. [Putin, Putins]")
    if not value and not allow_empty:
        raise LexiconError(f"{where} must not be empty", file=file)
    return tuple(v.strip() for v in value)


def _text(value, where: str, file: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LexiconError(f"{where} must be a non-empty string", file=file)
    return value.strip()


def _countries(data, file: str) -> dict[str, Country]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LexiconError("'countries' must be a mapping of country name → {genitive, adjectives}", file=file)
    countries = {}
    for name, spec in data.items():
        if not isinstance(name, str) or not name.strip():
            raise LexiconError(f"country name {name!r} must be a non-empty string", file=file)
        spec = {} if spec is None else spec
        if not isinstance(spec, dict):
            raise LexiconError(f"country {name!r} must be a mapping with genitive and adjectives", file=file)
        unknown = sorted(set(map(str, spec)) - set(_COUNTRY_FIELDS))
        if unknown:
            raise LexiconError(
                f"country {name!r}: unknown field {unknown[0]!r}", file=file, hint="allowed: genitive, adjectives"
            )
        genitive = _string_list(spec.get("genitive", []), f"country {name!r}: field 'genitive'", file)
        adjectives = _string_list(spec.get("adjectives", []), f"country {name!r}: field 'adjectives'", file)
        countries[name] = Country(name, genitive, tuple(a.lower() for a in adjectives))
    return countries


def _entity(raw, number: int, countries: dict, file: str) -> Entity:
    if not isinstance(raw, dict):
        raise LexiconError(f"entity #{number} must be a mapping with id, type, name and variants", file=file)
    ident = raw.get("id")
    who = f"entity {ident!r}" if isinstance(ident, str) and ident.strip() else f"entity #{number}"
    unknown = sorted(set(map(str, raw)) - set(_ENTITY_FIELDS))
    if unknown:
        raise LexiconError(
            f"{who}: unknown field {unknown[0]!r}", file=file, hint="allowed: " + ", ".join(_ENTITY_FIELDS)
        )
    for name in ("id", "type", "name", "variants"):
        if name not in raw or raw[name] is None:
            raise LexiconError(f"{who}: field {name!r} is missing", file=file, hint="every entity needs id, type, name, variants")
    ident = _text(raw["id"], f"{who}: field 'id'", file)
    kind = raw["type"]
    if kind not in ENTITY_TYPES:
        raise LexiconError(f"{who}: field 'type' is {kind!r}", file=file, hint="use one of " + ", ".join(ENTITY_TYPES))
    name = _text(raw["name"], f"{who}: field 'name'", file)
    variants = _string_list(raw["variants"], f"{who}: field 'variants'", file)
    variants = tuple(dict.fromkeys((name,) + variants))
    if kind != "person":
        present = [f for f in _PERSON_ONLY if raw.get(f)]
        if present:
            raise LexiconError(f"{who}: field {present[0]!r} is only allowed for persons", file=file)
    country = raw.get("country")
    if country is not None:
        country = _text(country, f"{who}: field 'country'", file)
        if country not in countries:
            raise LexiconError(
                f"{who}: field 'country' names {country!r}, which is not under 'countries'",
                file=file,
                hint="add it to the countries section or fix the spelling",
            )
    roles = _string_list(raw.get("roles") or [], f"{who}: field 'roles'", file)
    labels = _string_list(raw.get("labels") or [], f"{who}: field 'labels'", file)
    note = raw.get("note") or ""
    if not isinstance(note, str):
        raise LexiconError(f"{who}: field 'note' must be a string", file=file)
    return Entity(ident, kind, name, variants, country, roles, labels, note.strip())


def registry_from_dict(data, *, source: str = "") -> Registry:
    """Build and validate a :class:`Registry` from the parsed YAML structure.

    Parameters
    ----------
    data : dict
        ``{"countries": {...}, "entities": [...]}`` as described in the module docstring.
    source : str
        File name used in error messages.

    Returns
    -------
    Registry

    Raises
    ------
    LexiconError
        Naming the file, the entity and the field that is wrong.

    Examples
    --------
    >>> reg = registry_from_dict({"entities": [
    ...     {"id": "Aurus", "type": "object", "name": "Aurus Senat", "variants": ["Aurus", "Arras"]}]})
    >>> reg["Aurus"].variants
    ('Aurus Senat', 'Aurus', 'Arras')
    """
    file = source or "<registry>"
    if not isinstance(data, dict):
        raise LexiconError(
            "the registry must be a YAML mapping with an 'entities' list", file=file, hint="see analysis.framing.entities"
        )
    unknown = sorted(set(map(str, data)) - set(_TOP_LEVEL))
    if unknown:
        raise LexiconError(f"unknown top-level key {unknown[0]!r}", file=file, hint="allowed: " + ", ".join(_TOP_LEVEL))
    if data.get("version", 1) != 1:
        raise LexiconError(f"version {data.get('version')!r} is not supported", file=file, hint="use version: 1")
    countries = _countries(data.get("countries"), file)
    raw_entities = data.get("entities")
    if not isinstance(raw_entities, list) or not raw_entities:
        raise LexiconError("'entities' must be a non-empty list", file=file)
    entities = tuple(_entity(raw, i + 1, countries, file) for i, raw in enumerate(raw_entities))
    seen: dict[str, str] = {}
    for entity in entities:
        if entity.id in seen:
            raise LexiconError(f"entity {entity.id!r}: field 'id' is used twice", file=file)
        seen[entity.id] = entity.id
    implied: dict[str, str] = {}
    for entity in entities:
        for label in entity.labels:
            if label in implied:
                raise LexiconError(
                    f"entity {entity.id!r}: field 'labels': {label!r} is also implied by {implied[label]!r}", file=file
                )
            implied[label] = entity.id
    return Registry(entities, countries, source)


def load_registry(path=None) -> Registry:
    """Read and validate an entity registry.

    Parameters
    ----------
    path : str or Path, optional
        A registry YAML file; the bundled ``data/lexicons/entities.yml`` when omitted.

    Returns
    -------
    Registry

    Raises
    ------
    LexiconError
        If the file is missing, is not valid YAML (Python object tags included), or an entity
        lacks a field or has a wrong one; the message names the file, the entity and the field.

    Examples
    --------
    >>> reg = load_registry()
    >>> reg["Putin"].country, reg.implied_by("Kremlchef")
    ('Russland', 'Putin')
    """
    path = lexicon_path("entities.yml") if path is None else path
    data, label = read_yaml(path)
    return registry_from_dict(data, source=label)


# --------------------------------------------------------------------------------------
# Matching (shared with analysis.framing.labels)
# --------------------------------------------------------------------------------------


def check_documents(documents) -> tuple[pd.Index, list[str]]:
    """Validate a documents table; return its doc_ids and texts."""
    return _check_documents(documents)


def ordered_tokens(documents, tokens, *, lemmas: bool = False) -> tuple[pd.DataFrame, np.ndarray, pd.Index, list[str]]:
    """Tokens of ``documents`` sorted by document then offset, with each token's document position.

    ``tokens=None`` tokenizes the documents (lemmas only when ``lemmas``).
    """
    doc_ids, texts = check_documents(documents)
    needed = ["doc_id", "sentence_id", "token", "start", "end", "kind"] + (["lemma"] if lemmas else [])
    if tokens is None:
        tokens = tokenize(documents, lemmas=lemmas, stems=False)
    tokens, doc_pos = order_tokens(tokens, doc_ids, needed)
    return tokens[needed], doc_pos, doc_ids, texts


def select_longest(candidates: list[np.ndarray], n_tokens: int) -> list[tuple[int, int, object]]:
    """Non-overlapping matches from candidate arrays, longest first.

    ``candidates`` holds one structured row set per pattern: arrays ``first``, ``last``,
    ``chars`` (characters spanned), ``number`` (pattern order) and ``key``. Longer matches (in
    tokens, then characters) win; ties go to the earlier match, then to the earlier pattern.
    Returns ``(first token, last token, key)`` sorted by position.
    """
    if not candidates:
        return []
    first = np.concatenate([c[0] for c in candidates])
    last = np.concatenate([c[1] for c in candidates])
    chars = np.concatenate([c[2] for c in candidates])
    number = np.concatenate([c[3] for c in candidates])
    keys = [key for c in candidates for key in [c[4]] * len(c[0])]
    span = last - first
    order = np.lexsort((number, first, -chars, -span))
    taken = np.zeros(n_tokens, dtype=bool)
    chosen = []
    multi = order[span[order] > 0]
    # Multi-token candidates one by one (they are few); then single tokens at once: among
    # those, the first candidate at a free position wins.
    for i in multi.tolist():
        a, z = int(first[i]), int(last[i])
        if not taken[a : z + 1].any():
            taken[a : z + 1] = True
            chosen.append((a, z, keys[i]))
    single = order[span[order] == 0]
    if len(single):
        positions = first[single]
        _, winners = np.unique(positions, return_index=True)
        winners = single[np.sort(winners)]
        winners = winners[~taken[first[winners]]]
        chosen.extend((int(first[i]), int(first[i]), keys[i]) for i in winners.tolist())
    chosen.sort(key=lambda c: c[0])
    return chosen


def match_candidates(patterns, codes_and_index, same_segment, starts: np.ndarray, ends: np.ndarray) -> list:
    """Candidate arrays (see :func:`select_longest`) for ``(TokenPattern, key)`` pairs.

    ``codes_and_index(column)`` gives the per-token codes of a tokens column and the
    :class:`analysis.store.match.VocabularyIndex` of its distinct values.
    """
    compiled = compile_patterns(patterns, lambda column: codes_and_index(column)[1])
    return find_candidates(compiled, lambda column: codes_and_index(column)[0], same_segment, starts, ends)


def compile_patterns(patterns, index_of) -> dict:
    """``(TokenPattern, key)`` pairs compiled against the vocabulary, once for any number of
    token arrays: per column, each pattern's parts as the type ids they match, and a mask of
    the types that start some pattern. ``index_of(column)`` gives the column's
    :class:`analysis.store.match.VocabularyIndex`."""
    from ..store.match import type_masks

    by_column: dict[str, list] = {}
    for number, (pattern, key) in enumerate(patterns):
        by_column.setdefault(pattern.column, []).append((number, pattern, key))
    out = {}
    for column, items in by_column.items():
        index = index_of(column)
        # Each part as the few type ids it matches: a mask over the whole vocabulary per part
        # of hundreds of patterns would hold hundreds of megabytes at once.
        compiled, starting = [], None
        for number, pattern, key in items:
            masks = type_masks(pattern, index)
            if not masks[0].any():
                continue
            if starting is None:
                starting = np.zeros(len(masks[0]), dtype=bool)
            starting |= masks[0]
            compiled.append((number, key, [np.flatnonzero(mask) for mask in masks]))
        if compiled:
            out[column] = (compiled, starting)
    return out


def find_candidates(compiled: dict, codes_of, same_segment, starts: np.ndarray, ends: np.ndarray) -> list:
    """Candidate arrays (see :func:`select_longest`) of patterns compiled by
    :func:`compile_patterns`, over the per-token codes ``codes_of(column)``."""
    # One pass over the tokens per column, not one per pattern (a registry has hundreds of
    # spellings): the tokens whose type starts any pattern, grouped by type id; each pattern
    # then reads only the positions of its own first types and checks its later parts there.
    candidates = []
    for column, (items, starting) in compiled.items():
        codes = codes_of(column)
        positions = np.flatnonzero(starting[codes])
        position_types = codes[positions]
        order = np.argsort(position_types, kind="stable")
        sorted_types, sorted_positions = position_types[order], positions[order]
        n = len(codes)
        for number, key, parts in items:
            low = np.searchsorted(sorted_types, parts[0], side="left")
            high = np.searchsorted(sorted_types, parts[0], side="right")
            pieces = [sorted_positions[a:b] for a, b in zip(low.tolist(), high.tolist()) if b > a]
            if not pieces:
                continue
            first = np.sort(np.concatenate(pieces))
            k = len(parts)
            first = first[first <= n - k]
            for offset in range(1, k):
                if not len(first):
                    break
                first = first[np.isin(codes[first + offset], parts[offset])]
            if k > 1 and len(first):
                first = first[same_segment(first, first + k - 1)]
            if not len(first):
                continue
            last = first + k - 1
            candidates.append((first, last, ends[last] - starts[first], np.full(len(first), number), key))
    return candidates


def longest_matches(tokens: pd.DataFrame, segments: np.ndarray, patterns) -> list[tuple[int, int, object]]:
    """Non-overlapping matches of ``(TokenPattern, key)`` pairs, longest first.

    Returns ``(first token, last token, key)`` sorted by position. Longer matches (in tokens,
    then characters) win; ties go to the earlier match, then to the earlier pattern.
    """
    from ..store.match import VocabularyIndex

    columns: dict[str, tuple] = {}

    def codes_and_index(column: str):
        if column not in columns:
            codes, uniques = pd.factorize(tokens[column].astype(str).to_numpy())
            columns[column] = (codes, VocabularyIndex([str(u) for u in uniques]))
        return columns[column]

    starts = tokens["start"].to_numpy(dtype=np.int64)
    ends = tokens["end"].to_numpy(dtype=np.int64)
    segments = np.asarray(segments)
    candidates = match_candidates(patterns, codes_and_index, lambda a, b: segments[a] == segments[b], starts, ends)
    return select_longest(candidates, len(tokens))


def span_text(texts, doc_ids, doc_pos, tokens, first: int, last: int) -> str:
    """``text[start:end]`` of a token span, checking that the tokens fit the text."""
    text = texts[doc_pos[first]]
    start, end = int(tokens.at[first, "start"]), int(tokens.at[last, "end"])
    piece = text[start:end]
    if not (piece.startswith(str(tokens.at[first, "token"])) and piece.endswith(str(tokens.at[last, "token"]))):
        raise ParameterError(
            f"the tokens do not fit the text of document {doc_ids[doc_pos[first]]!r}",
            hint="tokenize the same (cleaned) documents table you pass here, or leave tokens=None",
        )
    return piece


def as_registry(registry) -> Registry:
    """A :class:`Registry`, or a registry read from a path (None: the bundled one)."""
    if isinstance(registry, Registry):
        return registry
    if registry is None or isinstance(registry, (str, Path)):
        return load_registry(registry)
    raise ParameterError(
        f"registry must be a Registry or a path, got {type(registry).__name__}",
        hint="load it with analysis.framing.entities.load_registry()",
    )


def find_mentions(documents: pd.DataFrame, registry, *, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every mention of a registry entity in the documents.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    registry : Registry or path
        From :func:`load_registry`; a path (or None for the bundled registry) is loaded.
    tokens : pandas.DataFrame or TokenStore, optional
        ``tokenize(documents)``, to avoid tokenizing again, or the corpus's token store
        (``prepared.store``).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, entity, type, form``: one row per mention,
        in document order; ``entity`` is the entity id, ``form == text[start:end]``. Matches
        are whole tokens, longest first and never overlapping (see the module docstring).

    Raises
    ------
    ParameterError
        For a malformed documents or tokens table, or tokens that do not fit the texts.
    LexiconError
        If the registry file is invalid.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Kim Jong Un empfing QUtin auf dem Kim-Il-Sung-Platz; Putins Aurus und Kims Arras."]})
    >>> find_mentions(docs, load_registry())[["entity", "type", "form"]].values.tolist()
    [['Kim', 'person', 'Kim Jong Un'], ['Putin', 'person', 'QUtin'], ['Kim-Il-Sung-Platz', 'place', 'Kim-Il-Sung-Platz'], ['Putin', 'person', 'Putins'], ['Aurus', 'object', 'Aurus'], ['Kim', 'person', 'Kims'], ['Aurus', 'object', 'Arras']]
    """
    registry = as_registry(registry)
    from ..store import TokenStore

    if isinstance(tokens, TokenStore):
        doc_ids, texts = check_documents(documents)
        if len(doc_ids) == tokens.n_documents and (pd.Index(tokens.doc_ids.astype(str)) == doc_ids).all():
            return store_mentions(tokens, texts, registry)[0]  # the whole store: on its arrays
        tokens = tokens.to_frame(doc_ids)  # some documents: their tidy table
    tokens, doc_pos, doc_ids, texts = ordered_tokens(documents, tokens)
    segments = sentence_segments(doc_pos, tokens["sentence_id"].to_numpy(dtype=np.int64))
    rows = []
    for first, last, entity_id in longest_matches(tokens, segments, registry.patterns):
        rows.append(
            (
                doc_ids[doc_pos[first]],
                int(tokens.at[first, "sentence_id"]),
                int(tokens.at[first, "start"]),
                int(tokens.at[last, "end"]),
                entity_id,
                registry[entity_id].type,
                span_text(texts, doc_ids, doc_pos, tokens, first, last),
            )
        )
    table = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    for column in ("sentence_id", "start", "end"):
        table[column] = table[column].astype(np.int64)
    for column in ("doc_id", "entity", "type", "form"):
        table[column] = table[column].astype(object)
    return table



#: Tokens per slice of :func:`store_mentions`.
MENTION_SLICE_TOKENS = 2_000_000


def store_mentions(store, texts, registry) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Every mention of a registry entity, found on a token store.

    The same matches as :func:`find_mentions` (whole tokens, longest first, no overlaps),
    computed on the store's arrays.

    Parameters
    ----------
    store : analysis.store.TokenStore
    texts : sequence of str
        The clean texts of the store's documents, in store order.
    registry : Registry or path

    Returns
    -------
    mentions : pandas.DataFrame
        Columns :data:`MENTION_COLUMNS`, in document order.
    first, last : numpy.ndarray
        Token indices (into the store) of the first and last token of each mention.
    """
    registry = as_registry(registry)
    # Compiled once against the vocabulary, matched slice by slice: the working arrays (document
    # and end of every token, candidate positions) stay those of a slice, not of the corpus.
    compiled = compile_patterns(registry.patterns, lambda column: store_index(store, column)[1])
    firsts, lasts, entities = [], [], []
    for lo_doc, hi_doc in store.slices(MENTION_SLICE_TOKENS):
        part = store.document_range(lo_doc, hi_doc)
        doc_index, sentence_ids = part.doc_index, part.sentence_ids

        def same_segment(a, b, doc_index=doc_index, sentence_ids=sentence_ids):
            return (doc_index[a] == doc_index[b]) & (sentence_ids[a] == sentence_ids[b])

        candidates = find_candidates(compiled, lambda column, part=part: part.type_ids, same_segment,
                                     part.starts, part.ends)
        chosen = select_longest(candidates, part.n_tokens)
        offset = int(store.offsets[lo_doc])
        firsts.append(np.fromiter((c[0] for c in chosen), dtype=np.int64, count=len(chosen)) + offset)
        lasts.append(np.fromiter((c[1] for c in chosen), dtype=np.int64, count=len(chosen)) + offset)
        entities.extend(c[2] for c in chosen)
    empty = np.zeros(0, dtype=np.int64)
    first = np.concatenate(firsts) if firsts else empty
    last = np.concatenate(lasts) if lasts else empty
    docs = store.doc_of(first)
    start = store.starts[first].astype(np.int64)
    end = store.ends_of(last).astype(np.int64)
    types = {e.id: e.type for e in registry.entities}
    table = pd.DataFrame(
        {
            "doc_id": pd.Series(store.doc_ids.to_numpy(dtype=object)[docs], dtype=object),
            "sentence_id": store.sentence_ids[first].astype(np.int64),
            "start": start,
            "end": end,
            "entity": pd.Series(entities, dtype=object),
            "type": pd.Series([types[e] for e in entities], dtype=object),
            "form": pd.Series([texts[d][a:z] for d, a, z in zip(docs.tolist(), start.tolist(), end.tolist())],
                              dtype=object),
        },
        columns=list(MENTION_COLUMNS),
    )
    return table, first, last


def canonical_tokens(tokens: pd.DataFrame, mentions: pd.DataFrame, registry) -> pd.DataFrame:
    """Tokens in which every entity mention is one token named after its entity.

    A mention that spans several tokens ("Kim Jong Un", "Wladimir Putin") becomes a single token;
    its ``lemma`` and ``stem`` are the entity's canonical name, so that every spelling, inflection
    and misspelling of one entity ("Putin", "Putins", "QUtin") is counted as one term. ``token``,
    ``start`` and ``end`` keep the text as written. Everything else is unchanged; ``token_id`` is
    renumbered. A column ``running_words`` says how many running words each token stands for
    (1 for a word or number, 0 for punctuation, the words of a joined mention — three for
    "Kim Jong Un"), so that rates and totals stay those of the text (docs/pipeline.md,
    "Running words").

    Parameters
    ----------
    tokens : pandas.DataFrame
        Tokens table.
    mentions : pandas.DataFrame
        Output of :func:`find_mentions` for the same documents.
    registry : Registry or path
        The registry the mentions came from.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.text import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Kim Jong Un traf Putins Berater."]})
    >>> tokens = tokenize(docs)
    >>> registry = load_registry()
    >>> merged = canonical_tokens(tokens, find_mentions(docs, registry, tokens=tokens), registry)
    >>> merged[["token", "lemma"]].values.tolist()[:3]
    [['Kim Jong Un', 'Kim Jong Un'], ['traf', 'treffen'], ['Putins', 'Wladimir Putin']]
    """
    registry = as_registry(registry)
    names = {entity.id: entity.name for entity in registry.entities}
    if mentions.empty:
        out = tokens.copy()
        out[RUNNING_WORDS_COLUMN] = np.isin(out["kind"].astype(str).to_numpy(),
                                            list(RUNNING_WORD_KINDS)).astype(np.int64)
        return out
    out = tokens.reset_index(drop=True).copy()
    words = np.isin(out["kind"].astype(str).to_numpy(), list(RUNNING_WORD_KINDS)).astype(np.int64)
    for column in ("token", "lemma", "stem"):
        if column in out.columns:
            out[column] = out[column].astype(object)
    keep = np.ones(len(out), dtype=bool)
    doc_of = out["doc_id"].astype(str).to_numpy()
    starts = out["start"].to_numpy(dtype=np.int64)
    for doc_id, group in mentions.groupby(mentions["doc_id"].astype(str), sort=False):
        rows = np.flatnonzero(doc_of == doc_id)
        order = rows[np.argsort(starts[rows], kind="stable")]
        doc_starts = starts[order]
        for start, end, entity, form in zip(group["start"], group["end"], group["entity"], group["form"]):
            first, last = np.searchsorted(doc_starts, [start, end])
            if last <= first:
                continue
            head = order[first]
            out.at[head, "token"] = form
            out.at[head, "end"] = end
            for column in ("lemma", "stem"):
                if column in out.columns:
                    out.at[head, column] = names.get(entity, entity)
            out.at[head, "kind"] = "word"
            if "is_stop" in out.columns:
                out.at[head, "is_stop"] = False
            keep[order[first + 1 : last]] = False
            head_words = words[order[first:last]].sum()
            words[order[first + 1 : last]] = 0
            words[head] = head_words
    out[RUNNING_WORDS_COLUMN] = words
    out = out[keep].reset_index(drop=True)
    if "token_id" in out.columns:
        out["token_id"] = out.groupby(out["doc_id"].astype(str), sort=False).cumcount().astype(tokens["token_id"].dtype)
    return out
