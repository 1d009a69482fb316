"""News sources and reporting verbs: who is named as a source, and how speech is reported.

A registry (``data/lexicons/sources.yml``, read with :func:`load_registry`) lists news
agencies, photo agencies and media with their spelling variants ("AFP" / "Agence
France-Presse", "TASS" / "Nachrichtenagentur TASS", "KCNA" / "Koreanische Zentrale
Nachrichtenagentur"), German reporting verbs with their forms ("sagte", "bekräftigte",
separable "räumte … ein") and role nouns that stand in front of a speaker's name. The lists
are a documented starting point, meant to be extended.

Design decisions
----------------
* **Where a source is named** (the ``context`` column of :func:`find_sources`):

  - ``text``: named in the article text ("gegenüber der russischen Nachrichtenagentur TASS",
    "Von Nordkoreas Staatsmedien KCNA … veröffentlichte Aufnahmen");
  - ``credit_line``: a line (paragraph) of the clean text that does nothing but credit a
    source: at most :data:`CREDIT_LINE_MAX_WORDS` words, and apart from source names only
    words of :data:`CREDIT_WORDS` ("Mit Material von dpa", "Quelle: Reuters", the Spanish
    "Con información de AFP") — one other word is tolerated, so the garbled
    "Cauf Informationen von AFP*" of the bundled corpus counts;
  - ``photo_credit``: a line that :mod:`analysis.clean` removed with its ``photo_credit``
    rule ("KCNA/Reuters", "KCNA/AP", "CNN"), read from the cleaning audit. Every source in such
    a line counts once. Their ``start``/``end`` are offsets into ``raw_text`` (the line is not
    in the clean text any more); those of the other two contexts index ``text``.

  Photo credits say who took or distributed a picture, not who is quoted or relied on, so
  they are kept apart in every table and figure. The cleaning rule cannot tell a picture
  credit from a stand-alone outlet line (the "CNN" line of the CNN-based article is removed by
  the same rule), so such lines are counted as photo credits as well.
* **Matching.** Variants match case-sensitively as whole words; a letter, digit or hyphen in
  front blocks a match, a hyphen after it does not ("TASS-Angaben" names TASS, "ITAR-TASS"
  is its own variant). The longest variant wins ("Nachrichtenagentur TASS" over "TASS").
* **Reporting verbs** are found by their forms, not by lemmatizer output, because the
  lemmatizer does not join separable verbs ("räumte" → "räumen"). A form of ``forms`` counts
  on its own; a form of ``split_forms`` only when its particle follows later in the same
  clause, as the last word of the clause or before "und"/"oder"/"aber"/"sowie"/"dass"
  ("räumte den Fehler ein, …", "kündigte einen Besuch an."), skipping quotations in between
  ("brachte seine „…“ zum Ausdruck"). Forms are lower-case; a capitalised form counts only as
  the first word of a sentence, so the noun "Berichten" is not the verb "berichten". Verbs
  inside quotations are the quoted speaker's words and are left out by default.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import LexiconError, ParameterError
from .lexicon_files import read_lexicon_yaml
from .tables import check_documents, check_tokens

__all__ = [
    "CONTEXTS",
    "CREDIT_LINE_MAX_WORDS",
    "CREDIT_WORDS",
    "REGISTRY_PATH",
    "REPORTING_VERB_COLUMNS",
    "Registry",
    "ReportingVerb",
    "SOURCE_COLUMNS",
    "Source",
    "find_reporting_verbs",
    "find_sources",
    "load_registry",
    "reporting_verb_summary",
    "source_summary",
]

#: The registry shipped with the repository, relative to the repository root.
REGISTRY_PATH = Path("data") / "lexicons" / "sources.yml"

#: Columns of the table returned by :func:`find_sources`.
SOURCE_COLUMNS: tuple[str, ...] = ("doc_id", "source", "form", "start", "end", "context")
#: Columns of the table returned by :func:`find_reporting_verbs`.
REPORTING_VERB_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "start", "end", "verb", "form")
#: Values of the ``context`` column, in table order.
CONTEXTS: tuple[str, ...] = ("text", "credit_line", "photo_credit")

#: Words (lower-case) a credit line may contain besides source names (German, plus the
#: Spanish and English of translated or syndicated articles).
CREDIT_WORDS: frozenset[str] = frozenset(
    """mit material informationen information von vom der des den dem die nach angaben agentur
    agenturen agenturmaterial nachrichtenagentur nachrichtenagenturen quelle quellen text
    foto fotos bild bilder video grafik red redaktion und sowie auf basis unter verwendung
    con información informaciones de y with reporting by from and source sources""".split()
)
#: A credit line has at most this many words (source names included).
CREDIT_LINE_MAX_WORDS = 10

_TYPES = ("agency", "photo_agency", "broadcaster", "newspaper", "state_media")
_LINE_RE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_WORD_RE = re.compile(r"[^\W\d_]+")
# Punctuation that ends a clause when looking for the particle of a separable verb.
_CLAUSE_PUNCT = frozenset(",;:.!?()[]–—…")
# Tokens searched after a separable verb for its particle (quotations included).
_PARTICLE_REACH = 120
_CLAUSE_WORDS = frozenset({"und", "oder", "aber", "sowie", "dass", "sondern", "denn", "weil", "während"})


# --------------------------------------------------------------------------------------
# Registry
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
class Registry:
    """Sources, reporting verbs and speaker roles; make it with :func:`load_registry`.

    Attributes
    ----------
    sources : tuple of Source
    verbs : tuple of ReportingVerb
    speaker_roles : tuple of str
        Role nouns dropped in front of a speaker's name ("Berater", "Machthaber").

    Examples
    --------
    >>> registry = load_registry()
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
            pattern = re.compile(rf"(?<![\w\-])(?:{alternatives})(?!\w)")
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
    return Path(__file__).resolve().parents[1] / REGISTRY_PATH


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


def _parse_registry(data, file) -> Registry:
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
    return Registry(tuple(sources), tuple(verbs), roles)


def load_registry(path: str | Path | None = None) -> Registry:
    """Read a registry of sources, reporting verbs and speaker roles.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file in the format of ``data/lexicons/sources.yml`` (documented in its header);
        the repository's registry when omitted.

    Returns
    -------
    Registry

    Raises
    ------
    LexiconError
        If the file is missing, is not valid YAML or an entry is malformed.

    Examples
    --------
    >>> registry = load_registry()
    >>> "einräumen" in registry.lemmas and "TASS" in [s.name for s in registry.sources]
    True
    """
    target = _default_path() if path is None else Path(path)
    return _load_registry(str(target))


@functools.lru_cache(maxsize=8)
def _load_registry(path: str) -> Registry:
    shown = str(REGISTRY_PATH) if Path(path) == _default_path() else path
    if not Path(path).is_file():
        raise LexiconError(
            "cannot read the registry (no such file)",
            file=shown,
            hint="work in a checkout of the repository or pass registry=load_registry(<your file>)",
        )
    return _parse_registry(read_lexicon_yaml(path, label=shown), shown)


def _registry(registry) -> Registry:
    if registry is None:
        return load_registry()
    if isinstance(registry, (str, Path)):
        return load_registry(registry)
    if not isinstance(registry, Registry):
        raise ParameterError(
            f"registry must be a Registry or a path, got {type(registry).__name__}",
            hint="use analysis.sources.load_registry()",
        )
    return registry


# --------------------------------------------------------------------------------------
# Documents and tokens
# --------------------------------------------------------------------------------------


def _check_documents(documents, *columns: str) -> list[str]:
    return check_documents(documents, *columns)[1]


@dataclass
class _DocTokens:
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


def _doc_tokens(documents: pd.DataFrame, texts: list[str], tokens, registry: Registry | None = None):
    """Per-document token columns, in the order of ``documents``, one document at a time.

    ``tokens`` is a tokens table, a :class:`~analysis.store.TokenStore` (read straight from
    its arrays, without a table) or None (the documents are tokenized here).
    """
    from .store import TokenStore
    from .text import tokenize

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


def _store_doc_tokens(store, doc_ids: list[str], texts: list[str], registry: Registry | None):
    """:func:`_doc_tokens` over a token store (built from these texts, so no re-check per token).

    With a registry, the words that can start one of its reporting verbs are found once per
    word type of the vocabulary, not once per token.
    """
    from .text import KINDS

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
    type_ids_all, starts_all, ends_all, sentence_all = (
        np.asarray(a).view(np.ndarray) for a in (store.type_ids, store.starts, store.ends, store.sentence_ids))
    offsets = store.offsets.tolist()
    for position, doc_id, text in zip(positions.tolist(), doc_ids, texts):
        lo, hi = offsets[position], offsets[position + 1]
        ends = ends_all[lo:hi].astype(np.int64)
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


def _doc_view(words, starts, ends, kinds, sentence, is_word=None) -> _DocTokens:
    """A document's token columns with the span of each sentence and its first word."""
    if not len(sentence):
        return _DocTokens(words, starts, ends, kinds, sentence, {}, {}, frozenset())
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
    return _DocTokens(words, starts, ends, kinds, sentence, sent_start, sent_end, first_word)


# --------------------------------------------------------------------------------------
# Reporting verbs
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Verb:
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


def _verbs_in_doc(dt: _DocTokens, registry: Registry, quote_spans: list[tuple[int, int]]) -> list[_Verb]:
    """All reporting verbs of one document (also those inside quotations, flagged)."""
    spans = sorted(quote_spans)
    span_starts = [s for s, _ in spans]
    tokens, kinds, sentence = dt.tokens, dt.kinds, dt.sentence
    starts, ends = dt.starts.tolist(), dt.ends.tolist()
    n = len(tokens)
    forms, split = registry._forms, registry._split
    found: list[_Verb] = []
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
                hit = _Verb(starts[i], ends[i + k - 1], lemma, " ".join(tokens[i : i + k]), i, i + k - 1,
                            ends[i + k - 1], sid, inside)
                break
        if hit is None:
            for lemma, particle in split.get(low, ()):
                j = _particle_after(dt, i, particle, spans, span_starts)
                if j is not None:
                    last = j + len(particle) - 1
                    form = f"{token} … {' '.join(tokens[j : last + 1])}"
                    hit = _Verb(starts[i], ends[i], lemma, form, i, last, ends[last], sid, inside)
                    break
        if hit is not None:
            found.append(hit)
    return found


def _particle_after(dt: _DocTokens, i: int, particle, spans, span_starts) -> int | None:
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


def find_reporting_verbs(
    documents: pd.DataFrame,
    *,
    tokens: pd.DataFrame | None = None,
    registry: Registry | str | Path | None = None,
    inside_quotes: bool = False,
) -> pd.DataFrame:
    """Find the reporting verbs of the registry in the documents.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    tokens : pandas.DataFrame, optional
        The tokens table of these documents (``tokenize(documents)``), to avoid tokenizing
        again.
    registry : Registry or path, optional
        The registry; :func:`load_registry` by default.
    inside_quotes : bool, default False
        Also report verbs inside quotations (the quoted speaker's own words).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, verb, form``: one row per verb, in document
        order. ``verb`` is the lemma ("einräumen"); ``form`` the words as written, with "…"
        between a separable verb and its particle ("räumte … ein"). ``start``/``end`` index
        ``text`` and span the verb form (for a separable verb the finite verb only).

    Raises
    ------
    ParameterError
        For a documents table without ``doc_id``/``text`` or tokens that do not fit it.
    LexiconError
        If the registry cannot be read.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Der Minister räumte Fehler ein. Kim sagte: „Wir sagen nichts.“ Das berichtete Yonhap."]})
    >>> find_reporting_verbs(docs)[["sentence_id", "verb", "form"]].values.tolist()
    [[0, 'einräumen', 'räumte … ein'], [1, 'sagen', 'sagte'], [2, 'berichten', 'berichtete']]
    """
    texts = _check_documents(documents)
    if not isinstance(inside_quotes, (bool, np.bool_)):
        raise ParameterError(f"inside_quotes must be True or False, got {inside_quotes!r}")
    registry = _registry(registry)
    from .quotes import _outer_spans

    rows = []
    doc_ids = documents["doc_id"].astype(str).tolist()
    for doc_id, text, dt in zip(doc_ids, texts, _doc_tokens(documents, texts, tokens, registry)):
        for verb in _verbs_in_doc(dt, registry, _outer_spans(text)):
            if verb.inside and not inside_quotes:
                continue
            rows.append((doc_id, verb.sentence_id, verb.start, verb.end, verb.lemma, verb.form))
    return _frame(rows, REPORTING_VERB_COLUMNS, ("sentence_id", "start", "end"))


def _frame(rows, columns, int_columns) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    if not rows:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for column in int_columns:
        frame[column] = frame[column].astype(np.int64)
    return frame


# --------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------


def _is_credit_line(line: str, registry: Registry) -> bool:
    mentions = list(registry.source_pattern.finditer(line))
    if not mentions:
        return False
    total = len(_WORD_RE.findall(line))
    if total > CREDIT_LINE_MAX_WORDS:
        return False
    rest = registry.source_pattern.sub(" ", line)
    words = [w.lower() for w in _WORD_RE.findall(rest)]
    unknown = [w for w in words if w not in CREDIT_WORDS]
    if not words:
        return True
    return len(unknown) <= 1 and len(unknown) < len(words)


def find_sources(
    documents: pd.DataFrame,
    *,
    audit: pd.DataFrame | None = None,
    registry: Registry | str | Path | None = None,
) -> pd.DataFrame:
    """Find the news sources of the registry named in the documents and their photo credits.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    audit : pandas.DataFrame, optional
        The cleaning audit of these documents (from :func:`analysis.clean.clean_corpus`); its
        ``photo_credit`` rows give the photo credits. Without it no photo credits are reported.
    registry : Registry or path, optional
        The registry; :func:`load_registry` by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, source, form, start, end, context``: one row per mention, by document,
        then context (``text``, ``credit_line``, ``photo_credit``), then offset. ``source`` is
        the canonical name, ``form`` the variant as written. For ``text`` and ``credit_line``
        ``start``/``end`` index the clean ``text``; for ``photo_credit`` they index
        ``raw_text``, because the credit line was removed from the clean text.

    Raises
    ------
    ParameterError
        For a documents table without ``doc_id``/``text``, or an audit without its columns.
    LexiconError
        If the registry cannot be read.

    Examples
    --------
    >>> from analysis.clean import clean_corpus
    >>> raw = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Kim empfing Putin.\\nKCNA/Reuters\\nDas meldete die Nachrichtenagentur TASS.\\nMit Material von dpa"]})
    >>> documents, audit = clean_corpus(raw)
    >>> find_sources(documents, audit=audit)[["source", "form", "context", "start"]].values.tolist()
    [['TASS', 'Nachrichtenagentur TASS', 'text', 35], ['dpa', 'dpa', 'credit_line', 77], \
['KCNA', 'KCNA', 'photo_credit', 19], ['Reuters', 'Reuters', 'photo_credit', 24]]
    """
    texts = _check_documents(documents)
    registry = _registry(registry)
    doc_ids = documents["doc_id"].astype(str).tolist()
    rank = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    rows = []
    for doc_id, text in zip(doc_ids, texts):
        for line in _LINE_RE.finditer(text):
            content = line.group()
            context = "credit_line" if _is_credit_line(content, registry) else "text"
            for match in registry.source_pattern.finditer(content):
                rows.append((doc_id, registry.source_of(match.group()), match.group(),
                             line.start() + match.start(), line.start() + match.end(), context))
    if audit is not None:
        rows.extend(_photo_credits(audit, rank, registry))
    order = {c: i for i, c in enumerate(CONTEXTS)}
    rows.sort(key=lambda r: (rank[r[0]], order[r[5]], r[3]))
    return _frame(rows, SOURCE_COLUMNS, ("start", "end"))


def _photo_credits(audit, rank, registry) -> list[tuple]:
    if not isinstance(audit, pd.DataFrame):
        raise ParameterError(
            f"audit must be a pandas DataFrame, got {type(audit).__name__}",
            hint="pass the audit returned by analysis.clean.clean_corpus",
        )
    missing = [c for c in ("doc_id", "rule", "start", "before") if c not in audit.columns]
    if missing:
        raise ParameterError(
            f"the audit has no column {', '.join(map(repr, missing))}",
            hint="pass the audit returned by analysis.clean.clean_corpus",
        )
    rows = []
    credits = audit[audit["rule"].astype(str) == "photo_credit"]
    for doc_id, start, before in zip(credits["doc_id"].astype(str), credits["start"], credits["before"]):
        if doc_id not in rank or not isinstance(before, str):
            continue
        for match in registry.source_pattern.finditer(before):
            rows.append((doc_id, registry.source_of(match.group()), match.group(),
                         int(start) + match.start(), int(start) + match.end(), "photo_credit"))
    return rows


# --------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------


def _groups(documents: pd.DataFrame, group: str) -> tuple[dict[str, str], list[str]]:
    if not isinstance(group, str) or group not in documents.columns:
        raise ParameterError(
            f"the documents table has no column {group!r} to group by",
            hint="choose one of: " + ", ".join(map(str, documents.columns)),
        )
    labels = documents[group].astype(str).tolist()
    mapping = dict(zip(documents["doc_id"].astype(str), labels))
    return mapping, sorted(set(labels))


def _check_table(table, columns, what: str) -> None:
    if not isinstance(table, pd.DataFrame) or any(c not in table.columns for c in columns):
        raise ParameterError(
            f"the table needs the columns {', '.join(columns)}", hint=f"pass the output of {what}"
        )


def _running_words(documents: pd.DataFrame, tokens, mapping: dict[str, str]) -> dict[str, int]:
    """Word and number tokens per group (``tokens``: a table, a token store or None)."""
    from .counts import running_words

    texts = _check_documents(documents)
    if tokens is None:
        from .text import tokenize

        tokens = tokenize(pd.DataFrame({"doc_id": documents["doc_id"].astype(str), "text": texts}),
                          lemmas=False, stems=False)
    per_doc = running_words(tokens)
    totals: dict[str, int] = {}
    for doc_id, label in mapping.items():
        totals[label] = totals.get(label, 0) + int(per_doc.get(doc_id, 0))
    return totals


def source_summary(sources: pd.DataFrame, documents: pd.DataFrame, *, group: str = "outlet") -> pd.DataFrame:
    """Mentions of each source per group and context.

    Parameters
    ----------
    sources : pandas.DataFrame
        Output of :func:`find_sources`.
    documents : pandas.DataFrame
        The documents table (for the group of each document).
    group : str, default "outlet"
        Documents column to sum documents by.

    Returns
    -------
    pandas.DataFrame
        Columns ``<group>, source, context, count``: every group × every source found ×
        every context of :data:`CONTEXTS` (zeros included), sorted by group, source and
        context. Photo credits are their own context, never added to the others.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "text": ["…", "…"]})
    >>> found = pd.DataFrame({"doc_id": ["a", "a", "b"], "source": ["AFP", "AFP", "AFP"],
    ...     "form": "AFP", "start": 0, "end": 3, "context": ["text", "credit_line", "photo_credit"]})
    >>> source_summary(found, docs).query("count > 0").values.tolist()
    [['X', 'AFP', 'text', 1], ['X', 'AFP', 'credit_line', 1], ['Y', 'AFP', 'photo_credit', 1]]
    """
    _check_table(sources, ("doc_id", "source", "context"), "analysis.sources.find_sources")
    _check_documents(documents)
    mapping, labels = _groups(documents, group)
    names = sorted(sources["source"].astype(str).unique())
    index = pd.MultiIndex.from_product([labels, names, list(CONTEXTS)], names=[group, "source", "context"])
    keyed = pd.DataFrame(
        {group: sources["doc_id"].astype(str).map(mapping), "source": sources["source"].astype(str),
         "context": sources["context"].astype(str)}
    ).dropna()
    counts = keyed.groupby([group, "source", "context"]).size()
    table = counts.reindex(index, fill_value=0).rename("count").reset_index()
    table["count"] = table["count"].astype(np.int64)
    return table


def reporting_verb_summary(
    verbs: pd.DataFrame, documents: pd.DataFrame, *, group: str = "outlet", tokens: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Reporting verbs per group: counts and rates per 1,000 running words.

    Parameters
    ----------
    verbs : pandas.DataFrame
        Output of :func:`find_reporting_verbs`.
    documents : pandas.DataFrame
        The documents table (group of each document, text for the running words).
    group : str, default "outlet"
        Documents column to sum documents by.
    tokens : pandas.DataFrame, optional
        The tokens table of these documents; running words are its ``word`` and ``number``
        tokens. Tokenized when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``<group>, verb, count, per_1000_words, running_words``: every group × every
        lemma found (zeros included), sorted by group and verb.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["Kim sagte das und Putin lobte es heute."]})
    >>> reporting_verb_summary(find_reporting_verbs(docs), docs).values.tolist()
    [['X', 'loben', 1, 125.0, 8], ['X', 'sagen', 1, 125.0, 8]]
    """
    _check_table(verbs, ("doc_id", "verb"), "analysis.sources.find_reporting_verbs")
    _check_documents(documents)
    mapping, labels = _groups(documents, group)
    running = _running_words(documents, tokens, mapping)
    lemmas = sorted(verbs["verb"].astype(str).unique())
    index = pd.MultiIndex.from_product([labels, lemmas], names=[group, "verb"])
    keyed = pd.DataFrame({group: verbs["doc_id"].astype(str).map(mapping), "verb": verbs["verb"].astype(str)}).dropna()
    counts = keyed.groupby([group, "verb"]).size()
    table = counts.reindex(index, fill_value=0).rename("count").reset_index()
    table["count"] = table["count"].astype(np.int64)
    table["running_words"] = table[group].map(running).fillna(0).astype(np.int64)
    rate = table["count"] / table["running_words"].where(table["running_words"] > 0) * 1000
    table["per_1000_words"] = rate.fillna(0.0).astype(float)
    return table[[group, "verb", "count", "per_1000_words", "running_words"]]
