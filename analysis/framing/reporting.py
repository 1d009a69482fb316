"""The source registry and the per-document token view that quotations and sources read.

* :class:`SourceRegistry` (read with :func:`load_source_registry` from
  ``data/lexicons/sources.yml``): news agencies, photo agencies and media with their spelling
  variants, German reporting verbs with their forms (separable ones with their particle) and
  the role nouns that stand in front of a speaker's name (see :mod:`analysis.framing.sources`
  for how each is used);
* :func:`doc_tokens` / :class:`DocTokens`: one document's tokens as parallel columns with its
  sentence spans, from a tokens table or straight from a token store;
* :func:`verbs_in_document`: the reporting verbs of one document.

Both :mod:`analysis.framing.quotes` and :mod:`analysis.framing.sources` build on this module,
so neither needs the other's internals.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LexiconError, ParameterError
from ..io.lexicon_files import read_lexicon_yaml
from ..io.tables import check_documents, check_tokens

__all__ = [
    "DocTokens",
    "REGISTRY_PATH",
    "ReportingVerb",
    "Source",
    "SourceRegistry",
    "Verb",
    "as_source_registry",
    "check_document_texts",
    "check_table",
    "doc_tokens",
    "group_labels",
    "group_running_words",
    "load_source_registry",
    "verbs_in_document",
]

#: The registry shipped with the repository, relative to the repository root.
REGISTRY_PATH = Path("data") / "lexicons" / "sources.yml"

_TYPES = ("agency", "photo_agency", "broadcaster", "newspaper", "state_media")
# Punctuation that ends a clause when looking for the particle of a separable verb.
_CLAUSE_PUNCT = frozenset(",;:.!?()[]–—…")
# Tokens searched after a separable verb for its particle (quotations included).
_PARTICLE_REACH = 120
_CLAUSE_WORDS = frozenset({"und", "oder", "aber", "sowie", "dass", "sondern", "denn", "weil", "während"})

# --------------------------------------------------------------------------------------
# SourceRegistry
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One news source of the registry.

    Attributes
    ----------
    name : str
        Canonical name, used in every table ("AFP").
    type : str
        ``agency``, ``photo_agency``, ``broadcaster``, ``newspaper`` or ``state_media``.
    variants : tuple of str
        Surface forms matched in text ("AFP", "Agence France-Presse").

    Examples
    --------
    >>> Source("AFP", "agency", ("AFP", "Agence France-Presse")).name
    'AFP'
    """

    name: str
    type: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class ReportingVerb:
    """One reporting verb of the registry.

    Attributes
    ----------
    lemma : str
        The infinitive ("einräumen").
    forms : tuple of str
        Forms that are the verb on their own; a form may have several words
        ("zum Ausdruck gebracht").
    split_forms : tuple of str
        Finite forms of a separable verb that count only with the particle later in the
        clause ("räumte").
    particle : tuple of str
        The particle's words (``("ein",)``, ``("zum", "Ausdruck")``); empty for other verbs.

    Examples
    --------
    >>> ReportingVerb("einräumen", ("eingeräumt",), ("räumte",), ("ein",)).particle
    ('ein',)
    """

    lemma: str
    forms: tuple[str, ...]
    split_forms: tuple[str, ...] = ()
    particle: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceRegistry:
    """Sources, reporting verbs and speaker roles; make it with :func:`load_source_registry`.

    Attributes
    ----------
    sources : tuple of Source
    verbs : tuple of ReportingVerb
    speaker_roles : tuple of str
        Role nouns dropped in front of a speaker's name ("Berater", "Machthaber").

    Examples
    --------
    >>> registry = load_source_registry()
    >>> registry.source_of("Agence France-Presse"), registry.source_of("Nachrichtenagentur TASS")
    ('AFP', 'TASS')
    >>> [m.group() for m in registry.source_pattern.finditer("KCNA/Reuters, ITAR-TASS")]
    ['KCNA', 'Reuters', 'ITAR-TASS']
    """

    sources: tuple[Source, ...]
    verbs: tuple[ReportingVerb, ...]
    speaker_roles: tuple[str, ...] = ()
    _variant_to_source: dict = field(init=False, repr=False, compare=False, default_factory=dict)
    _pattern: re.Pattern | None = field(init=False, repr=False, compare=False, default=None)
    _forms: dict = field(init=False, repr=False, compare=False, default_factory=dict)
    _split: dict = field(init=False, repr=False, compare=False, default_factory=dict)
    _roles: tuple = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self):
        variants: dict[str, str] = {}
        for source in self.sources:
            for variant in source.variants:
                key = " ".join(variant.split())
                if variants.get(key, source.name) != source.name:
                    raise LexiconError(
                        f"the variant {variant!r} belongs to both {variants[key]!r} and {source.name!r}",
                        hint="give each spelling to one source only",
                    )
                variants[key] = source.name
        object.__setattr__(self, "_variant_to_source", variants)
        if variants:
            alternatives = "|".join(
                r"\s+".join(re.escape(part) for part in v.split())
                for v in sorted(variants, key=lambda v: (-len(v), v))
            )
            # A guard on the first character lets positions where no variant can start fail at
            # once instead of trying every alternative there (the pattern scans whole texts).
            first = "".join(sorted({re.escape(v[0]) for v in variants}))
            pattern = re.compile(rf"(?<![\w\-])(?=[{first}])(?:{alternatives})(?!\w)")
        else:
            pattern = re.compile(r"(?!)")
        object.__setattr__(self, "_pattern", pattern)
        forms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        split: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for verb in self.verbs:
            for form in verb.forms:
                words = tuple(w.lower() for w in form.split())
                forms.setdefault(words[0], []).append((words, verb.lemma))
            for form in verb.split_forms:
                split.setdefault(form.lower(), []).append((verb.lemma, tuple(w.lower() for w in verb.particle)))
        for entries in forms.values():
            entries.sort(key=lambda e: -len(e[0]))  # longest form first
        object.__setattr__(self, "_forms", forms)
        object.__setattr__(self, "_split", split)
        object.__setattr__(self, "_roles", tuple(sorted({r.casefold() for r in self.speaker_roles}, key=len)))

    @property
    def source_pattern(self) -> re.Pattern:
        """Compiled pattern matching every variant of every source (longest first)."""
        return self._pattern

    def source_of(self, form: str) -> str | None:
        """Canonical source name of a matched variant (runs of whitespace count as one space)."""
        return self._variant_to_source.get(" ".join(form.split()))

    def is_role(self, word: str) -> bool:
        """Whether ``word`` is a role noun, or a compound ending in one ("Kremlsprecher"), also
        with a case ending ("Präsidenten")."""
        folded = word.casefold()
        return any(folded.endswith(role) or folded.endswith(role + "en") or folded.endswith(role + "n")
                   or folded.endswith(role + "s") for role in self._roles)

    @property
    def lemmas(self) -> tuple[str, ...]:
        """Lemmas of the reporting verbs, in registry order."""
        return tuple(v.lemma for v in self.verbs)


def _default_path() -> Path:
    return Path(__file__).resolve().parents[2] / REGISTRY_PATH


def _strings(value, where: str, file, *, allow_empty: bool = False) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(
            f"{where} must be a list of non-empty strings", file=file, hint="see the header of sources.yml"
        )
    if not value and not allow_empty:
        raise LexiconError(f"{where} is empty", file=file, hint="give at least one entry")
    return tuple(v.strip() for v in value)


def _parse_registry(data, file) -> SourceRegistry:
    if not isinstance(data, dict):
        raise LexiconError("the registry must be a mapping with 'sources' and 'reporting_verbs'", file=file)
    sources = []
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        raise LexiconError("'sources' must be a list", file=file)
    seen = set()
    for number, entry in enumerate(raw_sources):
        where = f"sources[{number}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise LexiconError(f"{where} needs a 'name'", file=file, hint="write e.g. '- name: AFP'")
        name = entry["name"].strip()
        if name in seen:
            raise LexiconError(f"{where}: the source {name!r} is listed twice", file=file)
        seen.add(name)
        kind = entry.get("type", "agency")
        if kind not in _TYPES:
            raise LexiconError(f"{where}: type {kind!r} is not one of {', '.join(_TYPES)}", file=file)
        variants = _strings(entry.get("variants", [name]), f"{where}.variants", file)
        if name not in variants:
            variants = (name,) + variants
        sources.append(Source(name, kind, variants))
    verbs = []
    raw_verbs = data.get("reporting_verbs") or []
    if not isinstance(raw_verbs, list):
        raise LexiconError("'reporting_verbs' must be a list", file=file)
    for number, entry in enumerate(raw_verbs):
        where = f"reporting_verbs[{number}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("lemma"), str) or not entry["lemma"].strip():
            raise LexiconError(f"{where} needs a 'lemma'", file=file, hint="write e.g. '- lemma: sagen'")
        forms = _strings(entry.get("forms"), f"{where}.forms", file, allow_empty=True)
        split_forms = _strings(entry.get("split_forms"), f"{where}.split_forms", file, allow_empty=True)
        particle = entry.get("particle")
        if split_forms and not (isinstance(particle, str) and particle.strip()):
            raise LexiconError(f"{where}: split_forms need a 'particle'", file=file, hint="e.g. 'particle: ein'")
        if not forms and not split_forms:
            raise LexiconError(f"{where}: give 'forms' or 'split_forms'", file=file)
        if any(" " in f.strip() for f in split_forms):
            raise LexiconError(f"{where}: a split form must be one word", file=file)
        verbs.append(
            ReportingVerb(entry["lemma"].strip(), forms, split_forms, tuple(particle.split()) if split_forms else ())
        )
    roles = _strings(data.get("speaker_roles"), "speaker_roles", file, allow_empty=True)
    return SourceRegistry(tuple(sources), tuple(verbs), roles)


def load_source_registry(path: str | Path | None = None) -> SourceRegistry:
    """Read a registry of sources, reporting verbs and speaker roles.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file in the format of ``data/lexicons/sources.yml`` (documented in its header);
        the repository's registry when omitted.

    Returns
    -------
    SourceRegistry

    Raises
    ------
    LexiconError
        If the file is missing, is not valid YAML or an entry is malformed.

    Examples
    --------
    >>> registry = load_source_registry()
    >>> "einräumen" in registry.lemmas and "TASS" in [s.name for s in registry.sources]
    True
    """
    target = _default_path() if path is None else Path(path)
    return _load_cached(str(target))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str) -> SourceRegistry:
    shown = str(REGISTRY_PATH) if Path(path) == _default_path() else path
    if not Path(path).is_file():
        raise LexiconError(
            "cannot read the registry (no such file)",
            file=shown,
            hint="work in a checkout of the repository or pass registry=load_source_registry(<your file>)",
        )
    return _parse_registry(read_lexicon_yaml(path, label=shown), shown)


def as_source_registry(registry) -> SourceRegistry:
    if registry is None:
        return load_source_registry()
    if isinstance(registry, (str, Path)):
        return load_source_registry(registry)
    if not isinstance(registry, SourceRegistry):
        raise ParameterError(
            f"registry must be a SourceRegistry or a path, got {type(registry).__name__}",
            hint="use analysis.framing.reporting.load_source_registry()",
        )
    return registry


# --------------------------------------------------------------------------------------
# Documents and tokens
# --------------------------------------------------------------------------------------


def check_document_texts(documents, *columns: str) -> list[str]:
    return check_documents(documents, *columns)[1]


@dataclass
class DocTokens:
    """The tokens of one document as parallel columns, plus its sentence spans."""

    tokens: list
    starts: np.ndarray
    ends: np.ndarray
    kinds: list
    sentence: np.ndarray
    sent_start: dict = field(default_factory=dict)
    sent_end: dict = field(default_factory=dict)
    first_word: frozenset = frozenset()
    verb_candidates: list | None = None  # token indices that can start a reporting verb, when known

    def index_at(self, position: int) -> int:
        """Index of the first token that ends after ``position``."""
        return int(np.searchsorted(self.ends, position, side="right"))

    def sentence_at(self, position: int) -> int:
        """Sentence number of the token at or just before ``position`` (0 without tokens)."""
        i = int(np.searchsorted(self.starts, position, side="right")) - 1
        return int(self.sentence[max(i, 0)]) if len(self.sentence) else 0


_TOKEN_NEEDS = ("doc_id", "sentence_id", "token", "start", "end", "kind")


def doc_tokens(documents: pd.DataFrame, texts: list[str], tokens, registry: SourceRegistry | None = None):
    """Per-document token columns, in the order of ``documents``, one document at a time.

    ``tokens`` is a tokens table, a :class:`~analysis.store.TokenStore` (read straight from
    its arrays, without a table) or None (the documents are tokenized here).
    """
    from ..store import TokenStore
    from ..text import tokenize

    doc_ids = documents["doc_id"].astype(str).tolist()
    if isinstance(tokens, TokenStore):
        yield from _store_doc_tokens(tokens, doc_ids, texts, registry)
        return
    if tokens is None:
        tokens = tokenize(pd.DataFrame({"doc_id": doc_ids, "text": texts}), lemmas=False, stems=False)
    check_tokens(tokens, _TOKEN_NEEDS)
    groups = {str(k): v for k, v in tokens.groupby(tokens["doc_id"].astype(str), sort=False)}
    for doc_id, text in zip(doc_ids, texts):
        frame = groups.get(doc_id)
        if frame is None:
            frame = tokenize(pd.DataFrame({"doc_id": [doc_id], "text": [text]}), lemmas=False, stems=False)
        frame = frame.sort_values("start", kind="stable")
        words = frame["token"].astype(str).tolist()
        starts = frame["start"].to_numpy(dtype=np.int64)
        ends = frame["end"].to_numpy(dtype=np.int64)
        if len(ends) and (ends.max() > len(text) or starts.min() < 0) or any(
            text[s:e] != w for w, s, e in zip(words, starts.tolist(), ends.tolist())
        ):
            raise ParameterError(
                f"the tokens do not fit the text of document {doc_id!r}",
                hint="tokenize the same (cleaned) documents table you pass here, or leave tokens=None",
            )
        yield _doc_view(words, starts, ends, frame["kind"].astype(str).tolist(),
                        frame["sentence_id"].to_numpy(dtype=np.int64))


def _store_doc_tokens(store, doc_ids: list[str], texts: list[str], registry: SourceRegistry | None):
    """:func:`doc_tokens` over a token store (built from these texts, so no re-check per token).

    With a registry, the words that can start one of its reporting verbs are found once per
    word type of the vocabulary, not once per token.
    """
    from ..text import KINDS

    positions = store.positions(doc_ids)
    forms = store.type_attribute("form")
    kind_names = np.array(KINDS, dtype=object)[store.type_attribute("kind")]
    word_type = kind_names == "word"
    verb_type = None
    if registry is not None:
        keys = registry._forms.keys() | registry._split.keys()
        verb_type = word_type & np.fromiter((low in keys for low in store.type_attribute("lower")),
                                            dtype=bool, count=len(forms))
    # Plain arrays: slicing a memory map a million times costs more than the slices.
    type_ids_all, starts_all, sentence_all = (
        np.asarray(a).view(np.ndarray) for a in (store.type_ids, store.starts, store.sentence_ids))
    form_lengths = store.form_lengths  # ends per document: not an array of every token's end
    offsets = store.offsets.tolist()
    for position, doc_id, text in zip(positions.tolist(), doc_ids, texts):
        lo, hi = offsets[position], offsets[position + 1]
        ends = (starts_all[lo:hi] + form_lengths[type_ids_all[lo:hi]]).astype(np.int64)
        if hi > lo and int(ends[-1]) > len(text):
            raise ParameterError(
                f"the token store does not fit the text of document {doc_id!r}",
                hint="pass the store prepared from this documents table (prepared.store)",
            )
        type_ids = type_ids_all[lo:hi]
        view = _doc_view(forms[type_ids].tolist(), starts_all[lo:hi].astype(np.int64), ends,
                         kind_names[type_ids].tolist(), sentence_all[lo:hi].astype(np.int64), word_type[type_ids])
        if verb_type is not None:
            view.verb_candidates = np.flatnonzero(verb_type[type_ids]).tolist()
        yield view


def _doc_view(words, starts, ends, kinds, sentence, is_word=None) -> DocTokens:
    """A document's token columns with the span of each sentence and its first word."""
    if not len(sentence):
        return DocTokens(words, starts, ends, kinds, sentence, {}, {}, frozenset())
    order = np.argsort(sentence, kind="stable")
    ordered = sentence[order]
    first = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ids = ordered[first].tolist()
    sent_start = dict(zip(ids, starts[order][first].tolist()))
    sent_end = dict(zip(ids, np.maximum.reduceat(ends[order], first).tolist()))
    if is_word is None:
        is_word = np.fromiter((k == "word" for k in kinds), dtype=bool, count=len(kinds))
    word_index = np.flatnonzero(is_word)
    _, first_of = np.unique(sentence[word_index], return_index=True)
    first_word = frozenset(word_index[first_of].tolist())
    return DocTokens(words, starts, ends, kinds, sentence, sent_start, sent_end, first_word)


# --------------------------------------------------------------------------------------
# Reporting verbs
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verb:
    start: int  # the (first) verb token
    end: int
    lemma: str
    form: str  # "sagte", "räumte … ein", "zum Ausdruck gebracht"
    first: int  # token index of the verb
    last: int  # token index of the last token belonging to it (particle or last form word)
    cue_end: int  # character offset after the particle / last form word
    sentence_id: int
    inside: bool  # inside a quotation


def _inside(spans: list[tuple[int, int]], starts: list[int], position: int) -> bool:
    i = bisect.bisect_right(starts, position) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def verbs_in_document(dt: DocTokens, registry: SourceRegistry, quote_spans: list[tuple[int, int]]) -> list[Verb]:
    """All reporting verbs of one document (also those inside quotations, flagged)."""
    spans = sorted(quote_spans)
    span_starts = [s for s, _ in spans]
    tokens, kinds, sentence = dt.tokens, dt.kinds, dt.sentence
    starts, ends = dt.starts.tolist(), dt.ends.tolist()
    n = len(tokens)
    forms, split = registry._forms, registry._split
    found: list[Verb] = []
    # Only words whose lower-case form starts a verb form can be one (a few in a hundred).
    candidates = dt.verb_candidates
    if candidates is None:
        candidates = [i for i, (token, kind) in enumerate(zip(tokens, kinds))
                      if kind == "word" and (token.lower() in forms or token.lower() in split)]
    for i in candidates:
        token = tokens[i]
        low = token.lower()
        if token != low and i not in dt.first_word:
            continue
        sid = int(sentence[i])
        inside = _inside(spans, span_starts, starts[i])
        hit = None
        for words, lemma in forms.get(low, ()):
            k = len(words)
            if i + k <= n and all(
                tokens[i + j].lower() == words[j] and sentence[i + j] == sid for j in range(1, k)
            ):
                hit = Verb(starts[i], ends[i + k - 1], lemma, " ".join(tokens[i : i + k]), i, i + k - 1,
                            ends[i + k - 1], sid, inside)
                break
        if hit is None:
            for lemma, particle in split.get(low, ()):
                j = _particle_after(dt, i, particle, spans, span_starts)
                if j is not None:
                    last = j + len(particle) - 1
                    form = f"{token} … {' '.join(tokens[j : last + 1])}"
                    hit = Verb(starts[i], ends[i], lemma, form, i, last, ends[last], sid, inside)
                    break
        if hit is not None:
            found.append(hit)
    return found


def _particle_after(dt: DocTokens, i: int, particle, spans, span_starts) -> int | None:
    """Token index where the particle of the separable verb at ``i`` starts, or None."""
    tokens, kinds, sentence = dt.tokens, dt.kinds, dt.sentence
    starts = dt.starts
    n = len(tokens)
    sid = sentence[i]
    verb_inside = _inside(spans, span_starts, int(starts[i]))
    k = len(particle)
    j = i + 1
    limit = min(n, i + 1 + _PARTICLE_REACH)
    while j < limit and sentence[j] == sid:
        if not verb_inside and _inside(spans, span_starts, int(starts[j])):
            j += 1
            continue
        if kinds[j] == "punct" and tokens[j] in _CLAUSE_PUNCT:
            return None
        if j + k <= n and all(tokens[j + m].lower() == particle[m] and sentence[j + m] == sid for m in range(k)):
            after = j + k
            if (
                after >= n
                or sentence[after] != sid
                or kinds[after] in ("punct", "quote")
                or tokens[after].lower() in _CLAUSE_WORDS
            ):
                return j
        j += 1
    return None


def group_labels(documents: pd.DataFrame, group: str) -> tuple[dict[str, str], list[str]]:
    if not isinstance(group, str) or group not in documents.columns:
        raise ParameterError(
            f"the documents table has no column {group!r} to group by",
            hint="choose one of: " + ", ".join(map(str, documents.columns)),
        )
    labels = documents[group].astype(str).tolist()
    mapping = dict(zip(documents["doc_id"].astype(str), labels))
    return mapping, sorted(set(labels))


def check_table(table, columns, what: str) -> None:
    if not isinstance(table, pd.DataFrame) or any(c not in table.columns for c in columns):
        raise ParameterError(
            f"the table needs the columns {', '.join(columns)}", hint=f"pass the output of {what}"
        )


def group_running_words(documents: pd.DataFrame, tokens, mapping: dict[str, str]) -> dict[str, int]:
    """Word and number tokens per group (``tokens``: a table, a token store or None)."""
    from ..stats.counts import running_words

    check_table(documents, ("doc_id",), "analysis.io.corpus.load_corpus")
    if tokens is None:  # the texts are read only to tokenize them
        from ..text import tokenize

        texts = check_document_texts(documents)
        tokens = tokenize(pd.DataFrame({"doc_id": documents["doc_id"].astype(str), "text": texts}),
                          lemmas=False, stems=False)
    per_doc = running_words(tokens)
    totals: dict[str, int] = {}
    for doc_id, label in mapping.items():
        totals[label] = totals.get(label, 0) + int(per_doc.get(doc_id, 0))
    return totals
