"""Labels for persons ("Machthaber", "Kremlchef", "die beiden Diktatoren") and whom they label.

The label lexicon (``data/lexicons/labels.yml``, the worked example of the bundled summit
corpus) lists nouns that characterise a person, each with a category (``official``,
``delegitimising``, ``relational``, ``descriptive``; a starting point, documented in the file).
``data/lexicons/labels_german_news.yml`` is a broader starter for German politics and news
(offices, feminine forms, delegitimising and relational labels), to adapt to a corpus:
:func:`load_german_news_labels`, or ``load_labels(path)`` on your copy of it.
:func:`find_labels` finds every occurrence; :func:`attribute_labels` decides which person of
the entity registry (:mod:`analysis.framing.entities`) each occurrence labels;
:func:`label_shares` compares outlets.

Lexicon format
--------------
A YAML mapping read with :func:`yaml.safe_load`::

    version: 1
    case_sensitive: true          # German nouns are capitalised
    labels:
      - label: Diktator           # unique name, used in all output tables
        category: delegitimising  # official | delegitimising | relational | descriptive
        lemmas: [Diktator]        # globs over the lemma column
        forms: [Diktator, Diktators, Diktatoren]   # globs over tokens; spaces separate tokens
        plural_forms: [Diktatoren]                 # forms that are always plural
        note: free text
      - label: Kanzler
        category: official
        forms: [Kanzler, Kanzlers, Kanzlerin, Kanzlerinnen]
        plural_forms: [Kanzlerinnen]
        feminine_forms: [Kanzlerin]                # feminine singular forms (see *Number*)

At least one of ``lemmas`` and ``forms`` is required. ``plural_forms`` and ``feminine_forms``
are globs over the tokens of an occurrence, like ``forms``; they only mark the number of what
``lemmas`` and ``forms`` find. A form may not be in both lists, and a literal feminine form
must be matched by ``forms`` when the label has no ``lemmas`` (a :class:`LexiconError` names
the label otherwise). Patterns are compiled with
:func:`analysis.stats.kwic.compile_pattern` (``lemma`` and ``glob`` value types). Where labels
overlap the longest match wins, so "Staats- und Regierungschefs" is one occurrence.

Attribution rules
-----------------
Each label occurrence is read together with its noun phrase: the tokens before it that are
adjectives ("ehemalige", "nordkoreanische"), quantifiers ("beiden"), and at most one
determiner — an article, a possessive ("seinem") or a genitive owner (a person, "Putins", or a
country, "Nordkoreas"); quotation marks are skipped. A genitive right after the label ("der
Berater Putins", "der Präsident Russlands") counts as owner too.

*Number.* An occurrence is plural when a quantifier precedes it, its surface form is one of
the label's ``plural_forms``, or it follows "die", "diese", "jene", "seine" or "ihre" — unless
its surface form is one of the label's ``feminine_forms``: "die Kanzlerin", "ihre Ministerin",
"die Vorsitzende" are singular (as "der Kanzlerin", genitive or dative, always was), while a
quantifier still makes a form plural ("zwei Abgeordnete"). Otherwise it is singular.

The rules are tried in this order; the first that resolves an occurrence is recorded in
``rule``:

1. ``apposition`` — a person's name directly follows the label ("der nordkoreanische
   Machthaber Kim Jong Un", "Putins Berater Juri Uschakow"; for a plural label "und"/","
   may join further names), or the label's noun phrase follows a name and a comma and ends
   the phrase ("Juri Uschakow, Putins leitendem Berater,"). Not when the name is a genitive
   ("der Berater Putins") or when the phrase names a different country than the person's.
   A label the registry implies for someone else (``labels`` in the registry) goes to the
   name only when the name is plainly in the label's noun phrase: after a title without
   article ("Innenminister Joachim Herrmann", "Bayerns Innenminister Herrmann") or a phrase
   that opens the sentence ("Der Kremlchef Putin …"); in mid-sentence "der Kremlchef Kim"
   may be subject and object ("Dann gab der Kremlchef Kim ein Auto"), and the registry wins.

   *Names outside the registry.* When the label is followed by a name the registry does not
   know, the label is that person's, and no rule gives it to a registered person: it is
   left unattributed with reason ``unregistered_name`` ("Bayerns Innenminister Joachim
   Herrmann sagte" does not go to Seehofer, the registry's Bavarian). A name here is a run
   of capitalised words (with particles such as "von der") that are not stopwords, not
   acronyms, not registry forms, country genitives or adjectives, label forms or inflected
   nouns (a word whose lemma differs from it: "Waffen", "Frankreichs"). Two or more words
   are a name; a single word only after a title without article ("Präsident Macron") or
   in a list of names of a plural label ("die Präsidenten Macron und Putin": Putin by
   apposition) — after "der Präsident" one capitalised word may be a noun ("dass der
   Präsident Geld gibt").
2. ``country_genitive`` — singular, not relational: "Nordkoreas Präsident", "der Präsident
   Russlands" → the person of that country.
3. ``country_adjective`` — singular: "der russische Staatschef", "das russische
   Staatsoberhaupt", "der ehemalige südkoreanische Präsident" → the person of that country.
4. ``implied`` — singular: a label the registry lists for one person ("Kremlchef" → Putin),
   or a compound of a name and the label ("Kim-Regimes" → Kim; "Kim-Regimes" is not a
   mention of Kim, see :mod:`analysis.framing.entities`).
5. ``plural`` — plural and definite: after a definite article or demonstrative ("die
   Staats- und Regierungschefs", "der Staatsoberhäupter") or "beide"/"zwei" ("die beiden
   Diktatoren"), without owner and without another quantifier ("viele Diktatoren", "die
   anderen", "übrigen", "restlichen", "sonstigen", "weiteren" or "verbliebenen
   Staats- und Regierungschefs" are not the principals): the document's two **principal
   persons**, the two persons with the most mentions (ties: earlier first mention). Without
   "beide"/"zwei", only when the article gives each of them a label of the same category in
   the singular (rules 1–4): "die Staats- und Regierungschefs" after "der russische
   Präsident" and "Nordkoreas Staatschef", but not "Die Abgeordneten berieten den Entwurf" in
   an article about a president and a chancellor (reason ``unshared_plural``). Rule 5 runs
   after rules 1–4 have been applied to the whole document. One row
   per person. Bare plurals are indefinite or generic ("mit Verbündeten", "als beste
   Freunde") and stay unattributed.
6. ``relational`` — relational labels in the singular ("seinem Kontrahenten", "Putins
   Gegner", "Nordkoreas „besten Freund“"): the principal other than the owner. A genitive
   names the owner (a country: its person); for "sein…" the owner is the nearest person
   reference (a name, or a label resolved by rules 1–4) before it in the same clause (text
   since the last comma, dash, colon, semicolon or bracket), else the first one in the
   sentence.

"The person of a country" is the registry person with that country who is mentioned most in
the document; a country nobody of the registry is mentioned for resolves nothing (so "der
südkoreanische Präsident" in a text without Moon Jae-in stays unattributed). Occurrences no
rule resolves are returned in a second table with their sentence and a ``reason`` (a key of
:data:`UNATTRIBUTED_REASONS`), never dropped: generic or bare plurals ("mit Verbündeten",
``indefinite_plural``), plurals for the others ("die übrigen Staatschefs",
``other_persons``), labels of persons outside the registry (``unregistered_name`` when the
name is given, else ``no_rule``), bare relational labels ("der Gastgeber", ``no_rule``).

Known limits: the rules read syntax from word order only. A definite plural that means other
people ("die Diktatoren der Welt") goes to the principals, a bare plural that means them ("als
beste Freunde") stays open, and a "sein…" in a complex sentence may pick the wrong owner. A
common noun after a bare title is read as a name ("dass Russlands Präsident Hilfe zusagt"
stays unattributed: a missed attribution, never a wrong one), and a surname in mid-sentence
after "der Innenminister" is not recognised as a name ("der Innenminister Herrmann"). The
registry has no gender, so a feminine form is given to a man when a rule points to him ("die
deutsche Ministerin" → the most-mentioned German person). Check samples with
:func:`analysis.stats.kwic.kwic`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from .entities import (
    Registry,
    as_registry,
    lexicon_path,
    match_candidates,
    ordered_tokens,
    read_yaml,
    select_longest,
)
from ..errors import LexiconError, ParameterError
from ..stats.intervals import check_level as _check_level
from ..stats.intervals import DEFAULT_N_BOOT, cluster_bootstrap_ratio, wilson_interval
from ..store.match import StoreMasks
from ..store.patterns import TokenPattern, compile_pattern
from ..io.tables import check_documents, sentence_segments
from ..text import german_stopwords, lemmatize_word

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "LABEL_CATEGORIES",
    "OCCURRENCE_COLUMNS",
    "RULES",
    "UNATTRIBUTED_COLUMNS",
    "UNATTRIBUTED_REASONS",
    "Label",
    "LabelLexicon",
    "attribute_labels",
    "attribute_labels_in_parts",
    "find_labels",
    "label_shares",
    "labels_from_dict",
    "load_german_news_labels",
    "load_labels",
    "wilson_interval",
]

#: Label categories allowed in the lexicon.
LABEL_CATEGORIES: tuple[str, ...] = ("official", "delegitimising", "relational", "descriptive")
#: Attribution rules, in the order they are tried.
RULES: tuple[str, ...] = ("apposition", "country_genitive", "country_adjective", "implied", "plural", "relational")
#: Columns of :func:`find_labels`.
OCCURRENCE_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "start", "end", "label", "form", "category")
#: Columns of the attributions table of :func:`attribute_labels`.
ATTRIBUTION_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "start", "end", "label", "form", "person", "rule", "category",
)
#: Columns of the unattributed table of :func:`attribute_labels`.
UNATTRIBUTED_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "start", "end", "label", "form", "category", "reason", "sentence",
)
#: Values of the ``reason`` column of the unattributed table, with what each means.
UNATTRIBUTED_REASONS: dict[str, str] = {
    "unregistered_name": "a name that is not in the registry follows the label ('Innenminister Joachim Herrmann')",
    "other_persons": "a plural for people other than those named ('die übrigen Staats- und Regierungschefs')",
    "quantified_plural": "a plural with a quantifier ('viele Diktatoren', 'alle Minister')",
    "owned_plural": "a plural with an owner ('ihre Berater', 'die Berater Putins')",
    "indefinite_plural": "a plural without article, indefinite or generic ('mit Verbündeten')",
    "no_principals": "a definite plural in a document without two principal persons",
    "unshared_plural": "a definite plural ('die Minister') of a kind of label (official, delegitimising …) that "
                       "the article does not give both principal persons in the singular",
    "no_rule": "a singular label no rule resolves (a person outside the registry, 'der Gastgeber')",
}

_LABEL_FIELDS = ("label", "category", "lemmas", "forms", "plural_forms", "feminine_forms", "note")
_TOP_LEVEL = ("version", "case_sensitive", "labels")

_ARTICLES = frozenset("der die das dem den des ein eine einem einen einer eines".split())
_DEMONSTRATIVES = frozenset("dieser diese dieses diesem diesen jener jene jenes jenem jenen".split())
_POSSESSIVES = frozenset("sein seine seinem seinen seiner seines ihr ihre ihrem ihren ihrer ihres".split())
_PAIR_QUANTIFIERS = frozenset("beide beiden beider zwei".split())
# Quantifiers that mean "the others": a plural with one of them never means the principals.
_OTHERS = frozenset(
    "andere anderen anderer weitere weiteren weiterer übrige übrigen übriger restliche restlichen restlicher "
    "sonstige sonstigen sonstiger verbliebene verbliebenen verbliebener verbleibende verbleibenden "
    "verbleibender".split()
)
_OTHER_QUANTIFIERS = frozenset(
    "drei vier alle allen aller viele vielen vieler einige einigen einiger mehrere mehreren mehrerer "
    "sämtliche sämtlichen".split()
) | _OTHERS
# Lower-case words that may stand inside a person's name ("Ursula von der Leyen").
_NAME_PARTICLES = frozenset("von vom van de der den del della di da du dos zu zur ter al el bin ibn".split())
_MAX_NAME_WORDS = 4
# Days ("Montag", "Mittwochabend") and months are capitalised but no names.
_DATE_WORDS = re.compile(
    r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)\w*"
    r"|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
)
_PLURAL_DETERMINERS = frozenset("die diese jene seine ihre".split())
_ADJECTIVE_ENDINGS = ("e", "en", "er", "em", "es")
_CLAUSE_BREAKS = frozenset(",;:()–—-‒―")
_MAX_MODIFIERS = 4


# --------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """One label of the lexicon.

    Attributes
    ----------
    label : str
        Its name ("Diktator").
    category : str
        One of :data:`LABEL_CATEGORIES`.
    lemmas, forms, plural_forms : tuple of str
        Globs (see the module docstring).
    note : str
        Free text.
    case_sensitive : bool
        Whether the globs respect case.
    feminine_forms : tuple of str
        Globs of feminine singular forms ("Kanzlerin"): singular after "die", "seine", "ihre".

    Examples
    --------
    >>> lab = Label("Diktator", "delegitimising", ("Diktator",), ("Diktatoren",), ("Diktatoren",))
    >>> [p.pattern for p in lab.patterns], lab.is_plural_form(["Diktatoren"])
    (['Diktator', 'Diktatoren'], True)
    >>> lab = Label("Kanzler", "official", forms=("Kanzler", "Kanzlerin", "Kanzlerinnen"),
    ...             plural_forms=("Kanzlerinnen",), feminine_forms=("Kanzlerin",))
    >>> lab.is_feminine_form(["Kanzlerin"]), lab.is_feminine_form(["Kanzlerinnen"])
    (True, False)
    """

    label: str
    category: str
    lemmas: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    plural_forms: tuple[str, ...] = ()
    note: str = ""
    case_sensitive: bool = True
    feminine_forms: tuple[str, ...] = ()
    _plural: tuple = field(init=False, repr=False, compare=False, default=())
    _feminine: tuple = field(init=False, repr=False, compare=False, default=())
    _patterns: tuple = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self):
        ci = not self.case_sensitive
        patterns = [compile_pattern(p, valuetype="lemma", case_insensitive=ci) for p in self.lemmas]
        patterns += [compile_pattern(p, valuetype="glob", case_insensitive=ci) for p in self.forms]
        object.__setattr__(self, "_patterns", tuple(patterns))
        plural = tuple(compile_pattern(p, valuetype="glob", case_insensitive=ci) for p in self.plural_forms)
        object.__setattr__(self, "_plural", plural)
        feminine = tuple(compile_pattern(p, valuetype="glob", case_insensitive=ci) for p in self.feminine_forms)
        object.__setattr__(self, "_feminine", feminine)

    @property
    def patterns(self) -> tuple[TokenPattern, ...]:
        """The compiled ``lemmas`` and ``forms`` patterns."""
        return self._patterns

    def is_plural_form(self, tokens) -> bool:
        """Whether the token texts of an occurrence match one of ``plural_forms``."""
        tokens = [str(t) for t in tokens]
        return any(p.matches(tokens) for p in self._plural)

    def is_feminine_form(self, tokens) -> bool:
        """Whether the token texts of an occurrence match one of ``feminine_forms`` (feminine singular)."""
        tokens = [str(t) for t in tokens]
        return any(p.matches(tokens) for p in self._feminine)


@dataclass(frozen=True, eq=False)
class LabelLexicon:
    """A validated label lexicon; make it with :func:`load_labels`.

    Attributes
    ----------
    labels : tuple of Label
    case_sensitive : bool
    source : str
        Where it was read from.

    Examples
    --------
    >>> lex = load_labels()
    >>> lex["Kremlchef"].category, "Diktator" in lex
    ('descriptive', True)
    """

    labels: tuple[Label, ...]
    case_sensitive: bool = True
    source: str = ""
    _by_name: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "_by_name", {lab.label: lab for lab in self.labels})

    def __getitem__(self, name: str) -> Label:
        try:
            return self._by_name[name]
        except KeyError:
            raise ParameterError(f"no label {name!r} in the lexicon") from None

    def __contains__(self, name) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Label]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def to_frame(self) -> pd.DataFrame:
        """One row per label: ``label, category, lemmas, forms, plural_forms, feminine_forms``
        (globs joined by " | ")."""
        return pd.DataFrame(
            [
                (lab.label, lab.category, " | ".join(lab.lemmas), " | ".join(lab.forms), " | ".join(lab.plural_forms),
                 " | ".join(lab.feminine_forms))
                for lab in self.labels
            ],
            columns=["label", "category", "lemmas", "forms", "plural_forms", "feminine_forms"],
        )

    @property
    def patterns(self) -> list[tuple[TokenPattern, str]]:
        """``(pattern, label name)`` pairs of all labels."""
        return [(p, lab.label) for lab in self.labels for p in lab.patterns]

    @property
    def needs_lemmas(self) -> bool:
        """Whether some label matches lemmas."""
        return any(lab.lemmas for lab in self.labels)


def _globs(value, where: str, file: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where} must be a list of non-empty strings", file=file, hint="e.g. [Diktator, Diktatoren]")
    return tuple(v.strip() for v in value)


def labels_from_dict(data, *, source: str = "") -> LabelLexicon:
    """Build and validate a :class:`LabelLexicon` from the parsed YAML structure.

    Parameters
    ----------
    data : dict
        ``{"labels": [...]}`` as described in the module docstring.
    source : str
        File name used in error messages.

    Returns
    -------
    LabelLexicon

    Raises
    ------
    LexiconError
        Naming the file, the label and the field that is wrong.

    Examples
    --------
    >>> lex = labels_from_dict({"labels": [{"label": "Diktator", "category": "delegitimising",
    ...                                     "lemmas": ["Diktator"]}]})
    >>> [lab.label for lab in lex]
    ['Diktator']
    """
    file = source or "<labels>"
    if not isinstance(data, dict):
        raise LexiconError("the lexicon must be a YAML mapping with a 'labels' list", file=file, hint="see analysis.framing.labels")
    unknown = sorted(set(map(str, data)) - set(_TOP_LEVEL))
    if unknown:
        raise LexiconError(f"unknown top-level key {unknown[0]!r}", file=file, hint="allowed: " + ", ".join(_TOP_LEVEL))
    if data.get("version", 1) != 1:
        raise LexiconError(f"version {data.get('version')!r} is not supported", file=file, hint="use version: 1")
    case_sensitive = data.get("case_sensitive", True)
    if not isinstance(case_sensitive, bool):
        raise LexiconError("'case_sensitive' must be true or false", file=file)
    raw_labels = data.get("labels")
    if not isinstance(raw_labels, list) or not raw_labels:
        raise LexiconError("'labels' must be a non-empty list", file=file)
    labels = []
    seen = set()
    for number, raw in enumerate(raw_labels, start=1):
        if not isinstance(raw, dict):
            raise LexiconError(f"label #{number} must be a mapping with label, category and patterns", file=file)
        name = raw.get("label")
        who = f"label {name!r}" if isinstance(name, str) and name.strip() else f"label #{number}"
        extra = sorted(set(map(str, raw)) - set(_LABEL_FIELDS))
        if extra:
            raise LexiconError(f"{who}: unknown field {extra[0]!r}", file=file, hint="allowed: " + ", ".join(_LABEL_FIELDS))
        for required in ("label", "category"):
            if raw.get(required) is None:
                raise LexiconError(f"{who}: field {required!r} is missing", file=file)
        if not isinstance(name, str) or not name.strip():
            raise LexiconError(f"{who}: field 'label' must be a non-empty string", file=file)
        name = name.strip()
        if name in seen:
            raise LexiconError(f"{who}: field 'label' is used twice", file=file, hint="merge the two entries")
        seen.add(name)
        if raw["category"] not in LABEL_CATEGORIES:
            raise LexiconError(
                f"{who}: field 'category' is {raw['category']!r}", file=file, hint="use one of " + ", ".join(LABEL_CATEGORIES)
            )
        lemmas = _globs(raw.get("lemmas"), f"{who}: field 'lemmas'", file)
        forms = _globs(raw.get("forms"), f"{who}: field 'forms'", file)
        plural = _globs(raw.get("plural_forms"), f"{who}: field 'plural_forms'", file)
        feminine = _globs(raw.get("feminine_forms"), f"{who}: field 'feminine_forms'", file)
        if not lemmas and not forms:
            raise LexiconError(f"{who}: fields 'lemmas' and 'forms' are both missing", file=file, hint="give at least one")
        both = [f for f in feminine if f in plural]
        if both:
            raise LexiconError(
                f"{who}: {both[0]!r} is in both 'plural_forms' and 'feminine_forms'", file=file,
                hint="feminine_forms lists feminine singular forms (Kanzlerin); a plural (Kanzlerinnen) "
                     "belongs in plural_forms only",
            )
        note = raw.get("note") or ""
        if not isinstance(note, str):
            raise LexiconError(f"{who}: field 'note' must be a string", file=file)
        try:
            label = Label(name, raw["category"], lemmas, forms, plural, note.strip(), case_sensitive,
                          feminine_forms=feminine)
        except ParameterError as error:
            raise LexiconError(f"{who}: {error.reason}", file=file, hint=error.hint) from None
        # Without lemma patterns every occurrence is one of ``forms``: a literal feminine form that
        # none of them matches is a typo (or a form missing from ``forms``).
        form_patterns = label.patterns[len(lemmas):]
        unmatched = [f for f in feminine if not lemmas and not any(c in f for c in "*?")
                     and not any(p.matches(f.split()) for p in form_patterns)]
        if unmatched:
            raise LexiconError(
                f"{who}: the feminine form {unmatched[0]!r} is matched by none of 'forms'", file=file,
                hint="add it to forms too: feminine_forms marks the number of forms that forms or lemmas find",
            )
        labels.append(label)
    return LabelLexicon(tuple(labels), case_sensitive, source)


def load_labels(path=None) -> LabelLexicon:
    """Read and validate a label lexicon.

    Parameters
    ----------
    path : str or Path, optional
        A lexicon YAML file; the bundled ``data/lexicons/labels.yml`` when omitted.

    Returns
    -------
    LabelLexicon

    Raises
    ------
    LexiconError
        If the file is missing, not valid YAML (Python object tags included) or a label is
        malformed; the message names the file, the label and the field.

    Examples
    --------
    >>> sorted({lab.category for lab in load_labels()})
    ['delegitimising', 'descriptive', 'official', 'relational']
    """
    path = lexicon_path("labels.yml") if path is None else path
    data, label = read_yaml(path)
    return labels_from_dict(data, source=label)


def load_german_news_labels() -> LabelLexicon:
    """The starter label lexicon for German politics and news, ``data/lexicons/labels_german_news.yml``.

    Offices (Kanzler/in, Minister/in and its compounds, Präsident/in …), delegitimising,
    relational and descriptive labels with their feminine, plural and genitive forms. A
    starting point to adapt to a corpus, not a validated scheme (see the file's header); the
    bundled corpus keeps its own ``labels.yml`` (:func:`load_labels`).

    Returns
    -------
    LabelLexicon

    Examples
    --------
    >>> lex = load_german_news_labels()
    >>> lex["Kanzler"].category, lex["Kanzler"].is_feminine_form(["Kanzlerin"])
    ('official', True)
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Die Kanzlerin empfing Bayerns Innenministerin."]})
    >>> find_labels(docs, lex)[["label", "form"]].values.tolist()
    [['Kanzler', 'Kanzlerin'], ['Minister', 'Innenministerin']]
    """
    return load_labels(lexicon_path("labels_german_news.yml"))


def _as_labels(labels) -> LabelLexicon:
    if isinstance(labels, LabelLexicon):
        return labels
    if labels is None or isinstance(labels, (str, Path)):
        return load_labels(labels)
    raise ParameterError(
        f"labels must be a LabelLexicon or a path, got {type(labels).__name__}",
        hint="load it with analysis.framing.labels.load_labels()",
    )


# --------------------------------------------------------------------------------------
# Finding occurrences
# --------------------------------------------------------------------------------------


class _Column:
    """One vocabulary column read per token (``values[type_ids[i]]``), without a list per token."""

    def __init__(self, type_ids: np.ndarray, values: np.ndarray):
        self.type_ids, self.values = type_ids, values

    def __len__(self) -> int:
        return len(self.type_ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.values[self.type_ids[index]].tolist()
        return self.values[self.type_ids[index]]


@dataclass
class _Corpus:
    """Sorted tokens with everything the rules look up, in global token positions.

    Built from a tokens table or straight from a token store; ``codes_and_index(column)``
    gives a column's per-token codes and the look-up index patterns are matched against.
    """

    doc_pos: np.ndarray
    doc_ids: pd.Index
    texts: list
    words: object
    kinds: object
    starts: np.ndarray
    ends: np.ndarray
    sentence_id: np.ndarray
    seg: np.ndarray
    seg_first: np.ndarray
    seg_last: np.ndarray
    codes_and_index: object
    tokens: object  # the table, or the store, the corpus was read from (for finding mentions)


def _corpus(documents, tokens, lexicon: LabelLexicon) -> _Corpus:
    from ..store import TokenStore

    if isinstance(tokens, TokenStore):
        return _store_corpus(documents, tokens)
    tokens, doc_pos, doc_ids, texts = ordered_tokens(documents, tokens, lemmas=lexicon.needs_lemmas)
    columns: dict[str, tuple] = {}

    def codes_and_index(column: str):
        from ..store.match import VocabularyIndex

        if column not in columns:
            codes, uniques = pd.factorize(tokens[column].astype(str).to_numpy())
            columns[column] = (codes, VocabularyIndex([str(u) for u in uniques]))
        return columns[column]

    return _with_segments(
        doc_pos, doc_ids, texts, tokens["token"].astype(str).tolist(), tokens["kind"].astype(str).tolist(),
        tokens["start"].to_numpy(dtype=np.int64), tokens["end"].to_numpy(dtype=np.int64),
        tokens["sentence_id"].to_numpy(dtype=np.int64), codes_and_index, tokens,
    )


def _store_corpus(documents, store) -> _Corpus:
    from ..text import KINDS

    doc_ids, texts = check_documents(documents)
    selected = store.select(doc_ids)
    kinds = np.asarray(KINDS, dtype=object)[store.type_attribute("kind")]

    def codes_and_index(column: str):
        # Masks over type ids for either column: the codes are the type ids themselves.
        return selected.type_ids, StoreMasks(store, column)

    return _with_segments(
        selected.doc_pos, doc_ids, texts, _Column(selected.type_ids, store.type_attribute("form")),
        _Column(selected.type_ids, kinds), selected.starts, selected.ends, selected.sentence_ids,
        codes_and_index, store,
    )


def _with_segments(doc_pos, doc_ids, texts, words, kinds, starts, ends, sentence_id, codes_and_index, tokens):
    seg = sentence_segments(doc_pos, sentence_id)
    # Segments are consecutive runs: their first and last tokens are where the number changes.
    seg_first = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]]) if len(seg) else np.zeros(0, dtype=np.int64)
    seg_last = np.append(seg_first[1:], len(seg)) - 1 if len(seg) else np.zeros(0, dtype=np.int64)
    return _Corpus(doc_pos, doc_ids, texts, words, kinds, starts, ends, sentence_id, seg, seg_first, seg_last,
                   codes_and_index, tokens)


def _occurrences(corpus: _Corpus, lexicon: LabelLexicon) -> list[tuple[int, int, str]]:
    seg = corpus.seg
    candidates = match_candidates(lexicon.patterns, corpus.codes_and_index, lambda a, b: seg[a] == seg[b],
                                  corpus.starts, corpus.ends)
    return select_longest(candidates, len(seg))


def _span_text(corpus: _Corpus, first: int, last: int) -> str:
    """``text[start:end]`` of a token span, checking that the tokens fit the text."""
    d = corpus.doc_pos[first]
    piece = corpus.texts[d][int(corpus.starts[first]) : int(corpus.ends[last])]
    if not (piece.startswith(str(corpus.words[first])) and piece.endswith(str(corpus.words[last]))):
        raise ParameterError(
            f"the tokens do not fit the text of document {corpus.doc_ids[d]!r}",
            hint="tokenize the same (cleaned) documents table you pass here, or leave tokens=None",
        )
    return piece


def _empty(columns) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for c in ("sentence_id", "start", "end"):
        if c in frame:
            frame[c] = frame[c].astype(np.int64)
    return frame


def _frame(rows, columns) -> pd.DataFrame:
    if not rows:
        return _empty(columns)
    frame = pd.DataFrame(rows, columns=list(columns))
    for c in ("sentence_id", "start", "end"):
        frame[c] = frame[c].astype(np.int64)
    return frame


def find_labels(documents: pd.DataFrame, labels=None, *, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every occurrence of a lexicon label in the documents.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    labels : LabelLexicon or path, optional
        From :func:`load_labels`; a path is loaded, None gives the bundled lexicon.
    tokens : pandas.DataFrame, optional
        ``tokenize(documents)`` (with lemmas), to avoid tokenizing again.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, label, form, category``, one row per
        occurrence in document order; ``form == text[start:end]``. Overlapping matches are
        resolved longest first.

    Raises
    ------
    ParameterError
        For malformed documents or tokens tables (tokens need a ``lemma`` column when the
        lexicon has lemma patterns).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["Die beiden Diktatoren trafen die Staats- und Regierungschefs."]})
    >>> find_labels(docs)[["label", "form"]].values.tolist()
    [['Diktator', 'Diktatoren'], ['Staats- und Regierungschefs', 'Staats- und Regierungschefs']]
    """
    lexicon = _as_labels(labels)
    corpus = _corpus(documents, tokens, lexicon)
    rows = []
    for first, last, name in _occurrences(corpus, lexicon):
        rows.append(_occurrence_row(corpus, first, last, name, lexicon[name].category))
    return _frame(rows, OCCURRENCE_COLUMNS)


def _occurrence_row(corpus: _Corpus, first: int, last: int, name: str, category: str) -> tuple:
    return (
        corpus.doc_ids[corpus.doc_pos[first]],
        int(corpus.sentence_id[first]),
        int(corpus.starts[first]),
        int(corpus.ends[last]),
        name,
        _span_text(corpus, first, last),
        category,
    )


# --------------------------------------------------------------------------------------
# Attribution
# --------------------------------------------------------------------------------------


@dataclass
class _Mention:
    first: int
    last: int
    entity: str
    form: str
    genitive: bool


@dataclass
class _Phrase:
    """The noun phrase of a label occurrence."""

    start: int  # first token of the phrase (the label's first token when nothing precedes)
    adjectives: list = field(default_factory=list)
    quantifiers: list = field(default_factory=list)
    determiner: str | None = None
    owner: tuple | None = None  # ("person", id) | ("country", name) | ("possessive", word)
    plural: bool = False
    initial: bool = False  # the phrase opens its sentence (only quotation marks before it)
    unregistered: bool = False  # a name that is not in the registry follows the label
    unshared: bool = False  # a definite plural of a category the principals are not given


@dataclass
class _Document:
    mentions_by_first: dict
    mentions_by_last: dict
    principals: tuple
    counts: Counter
    first_seen: dict
    references: list  # (token position, person) of non-genitive person mentions


def _mention_positions(corpus: _Corpus, mentions: pd.DataFrame, registry: Registry) -> list[_Mention]:
    """Map a mentions table to token positions (persons only)."""
    needed = ("doc_id", "start", "end", "entity")
    if not isinstance(mentions, pd.DataFrame) or any(c not in mentions.columns for c in needed):
        raise ParameterError(
            "mentions must be a DataFrame with doc_id, start, end and entity",
            hint="pass the result of analysis.framing.entities.find_mentions",
        )
    doc_index = corpus.doc_ids.get_indexer(mentions["doc_id"].astype(str))
    entities = mentions["entity"].astype(str).to_numpy(dtype=object)
    persons = {e.id for e in registry.entities if e.type == "person"}
    keep = np.flatnonzero((doc_index >= 0) & np.fromiter((e in persons for e in entities.tolist()), dtype=bool,
                                                         count=len(entities)))
    if not len(keep):
        return []
    d = doc_index[keep].astype(np.int64)
    start = mentions["start"].to_numpy(dtype=np.int64)[keep]
    end = mentions["end"].to_numpy(dtype=np.int64)[keep]
    # Tokens are in document order, then offset order: (document, offset) keys are sorted, so
    # one search over the whole corpus finds each mention's first and last token.
    doc_pos = np.asarray(corpus.doc_pos, dtype=np.int64)
    starts, ends = np.asarray(corpus.starts, dtype=np.int64), np.asarray(corpus.ends, dtype=np.int64)
    first = np.searchsorted(doc_pos << 32 | starts, d << 32 | start)
    last = np.searchsorted(doc_pos << 32 | ends, d << 32 | end)
    n = len(doc_pos)
    f, l_ = np.minimum(first, n - 1), np.minimum(last, n - 1)
    fits = (first < n) & (last < n) & (doc_pos[f] == d) & (doc_pos[l_] == d) & (starts[f] == start) & (ends[l_] == end)
    if not fits.all():
        bad = int(np.flatnonzero(~fits)[0])
        raise ParameterError(
            f"a mention ({start[bad]}–{end[bad]}) of document {corpus.doc_ids[d[bad]]!r} does not fit the tokens",
            hint="compute mentions from the same documents and tokens, or leave mentions=None",
        )
    result = []
    texts, current, text = corpus.texts, -1, ""
    for i, (doc, a, b, lo, hi) in enumerate(zip(d.tolist(), start.tolist(), end.tolist(), first.tolist(),
                                                last.tolist())):
        if doc != current:  # mentions come document by document: each text is read once
            current, text = doc, texts[doc]
        entity = entities[keep[i]]
        form = text[a:b]
        result.append(_Mention(lo, hi, entity, form, registry.is_genitive(entity, form)))
    return result


def _documents(corpus: _Corpus, mentions: list[_Mention]) -> dict[int, _Document]:
    by_doc: dict[int, list[_Mention]] = {}
    for mention in mentions:
        by_doc.setdefault(int(corpus.doc_pos[mention.first]), []).append(mention)
    result = {}
    for d in range(len(corpus.doc_ids)):
        items = sorted(by_doc.get(d, []), key=lambda m: m.first)
        counts = Counter(m.entity for m in items)
        first_seen: dict[str, int] = {}
        for m in items:
            first_seen.setdefault(m.entity, m.first)
        ranked = sorted(counts, key=lambda e: (-counts[e], first_seen[e]))
        result[d] = _Document(
            {m.first: m for m in items},
            {m.last: m for m in items},
            tuple(ranked[:2]) if len(ranked) >= 2 else (),
            counts,
            first_seen,
            [(m.first, m.entity) for m in items if not m.genitive],
        )
    return result


def _person_of_country(country, doc: _Document, registry: Registry) -> str | None:
    if country is None:
        return None
    candidates = [e for e in doc.counts if registry[e].country == country]
    if not candidates:
        return None
    return min(candidates, key=lambda e: (-doc.counts[e], doc.first_seen[e]))


def _reason(np_: _Phrase) -> str:
    """Why no rule resolved an occurrence: a key of :data:`UNATTRIBUTED_REASONS`."""
    if np_.unregistered:
        return "unregistered_name"
    if not np_.plural:
        return "no_rule"
    if any(q in _OTHERS for q in np_.quantifiers):
        return "other_persons"
    if any(q in _OTHER_QUANTIFIERS for q in np_.quantifiers):
        return "quantified_plural"
    if np_.owner is not None:
        return "owned_plural"
    definite = np_.determiner in _ARTICLES or np_.determiner in _DEMONSTRATIVES
    if not (definite or any(q in _PAIR_QUANTIFIERS for q in np_.quantifiers)):
        return "indefinite_plural"
    if np_.unshared:
        return "unshared_plural"
    return "no_principals"


class _Rules:
    """The attribution rules for one corpus (see the module docstring)."""

    def __init__(self, corpus: _Corpus, registry: Registry, lexicon: LabelLexicon):
        self.c = corpus
        self.registry = registry
        self.lexicon = lexicon
        self.stopwords = german_stopwords()
        self._lemmas: dict[str, str] = {}
        # Literal one-word forms of the lexicon: a label is not a name ("Präsident Kanzler").
        self._label_words = frozenset(
            f for lab in lexicon for f in lab.forms if " " not in f and "*" not in f and "?" not in f)

    # ------------------------------------------------------------------ phrase
    def _is_adjective(self, j: int, sentence_first: int) -> bool:
        word = self.c.words[j]
        low = word.lower()
        if self.c.kinds[j] != "word" or len(word) < 3 or not word.isalpha() or low in self.stopwords:
            return False
        if not low.endswith(_ADJECTIVE_ENDINGS):
            return False
        return word[0].islower() or j == sentence_first or self.registry.adjective_country(word) is not None

    def phrase(self, first: int, last: int, label: str, doc: _Document) -> _Phrase:
        c = self.c
        sentence_first = int(c.seg_first[c.seg[first]])
        sentence_last = int(c.seg_last[c.seg[first]])
        np_ = _Phrase(start=first)
        j = first - 1
        modifiers = 0
        while j >= sentence_first and modifiers <= _MAX_MODIFIERS:
            kind, word = c.kinds[j], c.words[j]
            low = word.lower()
            if kind == "quote":
                j -= 1
                continue
            if kind != "word":
                break
            mention = doc.mentions_by_last.get(j)
            if mention is not None:
                if mention.genitive:
                    np_.owner, np_.start = ("person", mention.entity), mention.first
                break
            country = self.registry.genitive_country(word)
            if country is not None:
                np_.owner, np_.start = ("country", country), j
                break
            if low in _POSSESSIVES:
                np_.owner, np_.determiner, np_.start = ("possessive", low), low, j
                break
            if low in _ARTICLES or low in _DEMONSTRATIVES:
                np_.determiner, np_.start = low, j
                break
            if low in _PAIR_QUANTIFIERS or low in _OTHER_QUANTIFIERS:
                np_.quantifiers.append(low)
            elif self._is_adjective(j, sentence_first):
                np_.adjectives.append(word)
            else:
                break
            np_.start = j
            modifiers += 1
            j -= 1
        # A genitive right after the label: "der Berater Putins", "der Präsident Russlands".
        k = last + 1
        if np_.owner is None and k <= sentence_last:
            mention = doc.mentions_by_first.get(k)
            if mention is not None and mention.genitive:
                np_.owner = ("person", mention.entity)
            elif c.kinds[k] == "word" and self.registry.genitive_country(c.words[k]) is not None:
                np_.owner = ("country", self.registry.genitive_country(c.words[k]))
        # "die", "seine", "ihre" before a masculine or neuter noun mark the plural; before a
        # feminine singular form ("die Kanzlerin", "ihre Ministerin") they do not.
        entry = self.lexicon[label]
        words = c.words[first : last + 1]
        np_.plural = bool(
            np_.quantifiers
            or entry.is_plural_form(words)
            or (np_.determiner in _PLURAL_DETERMINERS and not entry.is_feminine_form(words))
        )
        np_.initial = all(c.kinds[j] in ("quote", "punct") for j in range(sentence_first, np_.start))
        return np_

    def _phrase_country(self, np_: _Phrase) -> str | None:
        countries = {self.registry.adjective_country(a) for a in np_.adjectives} - {None}
        if np_.owner and np_.owner[0] == "country":
            countries.add(np_.owner[1])
        return countries.pop() if len(countries) == 1 else None

    # ------------------------------------------------------------------ rules 1-5
    def _fits(self, person: str, label: str, np_: _Phrase, *, apposition: bool = False) -> bool:
        implied = self.registry.implied_by(label)
        # A name right after a bare title ("Innenminister Joachim Herrmann") or after a phrase
        # that opens the sentence ("Bayerns Innenminister Joachim Herrmann sagte") is in the
        # label's noun phrase and wins over the registry; after "der Kremlchef" in mid-sentence
        # it may be an object ("Dann gab der Kremlchef Kim ein Auto").
        in_phrase = apposition and (np_.determiner is None or np_.initial)
        if implied is not None and implied != person and not in_phrase:
            return False
        country = self._phrase_country(np_)
        own = self.registry[person].country
        if country is not None and own is not None and country != own:
            return False
        return not (np_.owner and np_.owner[0] == "person" and np_.owner[1] == person)

    def _name_word(self, j: int, doc: _Document) -> bool:
        """Whether token ``j`` can be a word of a person's name that the registry does not know."""
        c = self.c
        word = c.words[j]
        if c.kinds[j] != "word" or len(word) < 2 or not word[0].isupper() or word.isupper():
            return False
        if word.lower() in self.stopwords or not any(ch.isalpha() for ch in word) or _DATE_WORDS.fullmatch(word):
            return False
        if j in doc.mentions_by_first or self.registry.entity_of_form(word) is not None:
            return False
        registry = self.registry
        if registry.genitive_country(word) or registry.adjective_country(word) or word in self._label_words:
            return False
        # An inflected noun ("Waffen" → "Waffe") or a known genitive ("Frankreichs") is no name.
        lemma = self._lemmas.get(word)
        if lemma is None:
            lemma = self._lemmas[word] = lemmatize_word(word)
        return lemma == word

    def _name_run(self, k: int, sentence_last: int, doc: _Document) -> tuple[int, int] | None:
        """``(last token, words)`` of a run of name words starting at ``k`` ("Joachim Herrmann",
        "Ursula von der Leyen"), or None."""
        c = self.c
        end, words, j = None, 0, k
        while j <= sentence_last and words < _MAX_NAME_WORDS:
            if words and c.kinds[j] == "word" and c.words[j] in _NAME_PARTICLES:
                j += 1
                continue
            if not self._name_word(j, doc):
                break
            end, words = j, words + 1
            j += 1
        return (end, words) if end is not None else None

    def _list_goes_on(self, end: int, sentence_last: int, doc: _Document) -> bool:
        """Whether "und"/"," and another name follow token ``end``."""
        k = end + 2
        if k > sentence_last or self.c.words[end + 1] not in ("und", ","):
            return False
        mention = doc.mentions_by_first.get(k)
        return (mention is not None and not mention.genitive) or self._name_run(k, sentence_last, doc) is not None

    def apposition(self, first, last, label, np_, doc) -> list[str]:
        c = self.c
        sentence_first = int(c.seg_first[c.seg[first]])
        sentence_last = int(c.seg_last[c.seg[first]])
        persons: list[str] = []
        unregistered = False
        k = last + 1
        while k <= sentence_last:
            mention = doc.mentions_by_first.get(k)
            if mention is not None:
                if mention.genitive or not self._fits(mention.entity, label, np_, apposition=True):
                    break
                persons.append(mention.entity)
                end = mention.last
            else:
                run = self._name_run(k, sentence_last, doc)
                if run is None:
                    break
                end, words = run
                # One capitalised word after "der Präsident" may be a noun ("dass der Präsident
                # Geld gibt"); two words, a bare title ("Präsident Macron") or a list are names.
                listed = bool(persons) or unregistered or (np_.plural and self._list_goes_on(end, sentence_last, doc))
                if not (words >= 2 or np_.determiner is None or listed):
                    break
                unregistered = True
            if not np_.plural or end + 2 > sentence_last or c.words[end + 1] not in ("und", ","):
                break
            k = end + 2
        if persons:
            return list(dict.fromkeys(persons))
        if unregistered:
            np_.unregistered = True
            return []
        # Trailing apposition: "Juri Uschakow, Putins leitendem Berater,"
        s = np_.start
        if s - 2 >= sentence_first and c.words[s - 1] == ",":
            mention = doc.mentions_by_last.get(s - 2)
            after = last + 1
            if after <= sentence_last and c.kinds[after] == "word" and self.registry.genitive_country(c.words[after]):
                after += 1
            closes = after > sentence_last or c.kinds[after] in ("punct", "quote")
            if mention is not None and not mention.genitive and closes and not np_.plural:
                if self._fits(mention.entity, label, np_):
                    return [mention.entity]
        return []

    def country_genitive(self, first, last, label, np_, doc) -> list[str]:
        if np_.plural or self.lexicon[label].category == "relational":
            return []
        if not (np_.owner and np_.owner[0] == "country"):
            return []
        person = _person_of_country(np_.owner[1], doc, self.registry)
        return [person] if person else []

    def country_adjective(self, first, last, label, np_, doc) -> list[str]:
        if np_.plural or (np_.owner and np_.owner[0] == "person"):
            return []
        countries = {self.registry.adjective_country(a) for a in np_.adjectives} - {None}
        if len(countries) != 1:
            return []
        person = _person_of_country(countries.pop(), doc, self.registry)
        return [person] if person else []

    def implied(self, first, last, label, np_, doc) -> list[str]:
        if np_.plural:
            return []
        person = self.registry.implied_by(label)
        if person is not None:
            return [person]
        word = self.c.words[first]
        if first == last and "-" in word:
            entity = self.registry.entity_of_form(word.rsplit("-", 1)[0])
            if entity is not None and self.registry[entity].type == "person":
                return [entity]
        return []

    def plural(self, first, last, label, np_, doc) -> list[str]:
        if not np_.plural or np_.owner is not None or any(q in _OTHER_QUANTIFIERS for q in np_.quantifiers):
            return []
        definite = np_.determiner in _ARTICLES or np_.determiner in _DEMONSTRATIVES
        if not (definite or any(q in _PAIR_QUANTIFIERS for q in np_.quantifiers)):
            return []  # a bare plural is indefinite or generic: "mit Partnern", "Diktatoren lieben ..."
        return list(doc.principals)

    # ------------------------------------------------------------------ rule 6
    def relational(self, first, last, label, np_, doc, references) -> list[str]:
        if np_.plural or self.lexicon[label].category != "relational" or len(doc.principals) != 2:
            return []
        owner = None
        if np_.owner is None:
            return []
        if np_.owner[0] == "person":
            owner = np_.owner[1]
        elif np_.owner[0] == "country":
            owner = _person_of_country(np_.owner[1], doc, self.registry)
        elif np_.owner[1].startswith("sein"):
            owner = self._subject(np_.start, references)
        if owner not in doc.principals:
            return []
        return [p for p in doc.principals if p != owner]

    def _subject(self, start: int, references) -> str | None:
        c = self.c
        sentence_first = int(c.seg_first[c.seg[start]])
        clause = sentence_first
        for j in range(start - 1, sentence_first - 1, -1):
            if c.kinds[j] == "punct" and c.words[j] in _CLAUSE_BREAKS:
                clause = j + 1
                break
        before = [(pos, person) for pos, person in references if sentence_first <= pos < start]
        in_clause = [(pos, person) for pos, person in before if pos >= clause]
        if in_clause:
            return max(in_clause)[1]
        return min(before)[1] if before else None


def attribute_labels(
    documents: pd.DataFrame,
    registry,
    labels,
    *,
    tokens: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Decide which person each label occurrence labels.

    Parameters
    ----------
    documents : pandas.DataFrame
        Documents table with ``doc_id`` and ``text`` (the cleaned text).
    registry : Registry or path
        Entity registry (:func:`analysis.framing.entities.load_registry`); a path or None is loaded.
    labels : LabelLexicon or path
        Label lexicon (:func:`load_labels`); a path or None is loaded.
    tokens : pandas.DataFrame, optional
        ``tokenize(documents)`` with lemmas.
    mentions : pandas.DataFrame, optional
        ``find_mentions(documents, registry)``; computed when omitted.

    Returns
    -------
    attributions : pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, label, form, person, rule, category``: one
        row per (label occurrence, person); a plural label for two persons gives two rows.
        ``person`` is an entity id, ``rule`` one of :data:`RULES`.
    unattributed : pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, label, form, category, reason, sentence``:
        the occurrences no rule resolves, with why (``reason``, a key of
        :data:`UNATTRIBUTED_REASONS`) and their sentence. Every occurrence of
        :func:`find_labels` is in exactly one of the two tables.

    Raises
    ------
    ParameterError
        For malformed tables, or mentions that do not fit the tokens.
    LexiconError
        If a lexicon file given as a path is invalid.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Der russische Präsident Wladimir Putin traf Kim. Die beiden Diktatoren lachten. "
    ...     "Dann gab der Kremlchef seinem Gegner ein Auto."]})
    >>> found, rest = attribute_labels(docs, None, None)
    >>> found[["form", "person", "rule"]].values.tolist()
    [['Präsident', 'Putin', 'apposition'], ['Diktatoren', 'Putin', 'plural'], ['Diktatoren', 'Kim', 'plural'], ['Kremlchef', 'Putin', 'implied'], ['Gegner', 'Kim', 'relational']]
    >>> len(rest)
    0
    """
    registry = as_registry(registry)
    lexicon = _as_labels(labels)
    corpus = _corpus(documents, tokens, lexicon)
    if mentions is None:
        from .entities import find_mentions

        from ..store import TokenStore

        table = corpus.tokens.to_frame(corpus.doc_ids) if isinstance(corpus.tokens, TokenStore) else corpus.tokens
        mentions = find_mentions(documents, registry, tokens=table)
    docs = _documents(corpus, _mention_positions(corpus, mentions, registry))
    rules = _Rules(corpus, registry, lexicon)
    first_pass = (
        ("apposition", rules.apposition),
        ("country_genitive", rules.country_genitive),
        ("country_adjective", rules.country_adjective),
        ("implied", rules.implied),
    )
    occurrences = _occurrences(corpus, lexicon)
    resolved: list[tuple[list[str], str] | None] = []
    phrases = []
    references: dict[int, list] = {d: list(doc.references) for d, doc in docs.items()}
    for first, last, label in occurrences:
        doc_index = int(corpus.doc_pos[first])
        np_ = rules.phrase(first, last, label, docs[doc_index])
        phrases.append(np_)
        outcome = None
        for name, rule in first_pass:
            persons = rule(first, last, label, np_, docs[doc_index])
            if persons:
                outcome = (persons, name)
                break
            if np_.unregistered:  # named, but not by the registry: no registered person gets it
                break
        resolved.append(outcome)
        if outcome is not None and len(outcome[0]) == 1:
            references[doc_index].append((first, outcome[0][0]))
    # Plurals after every singular: "die Minister" is read as the two principal persons only
    # when the article gives each of them a label of that category in the singular (both are
    # "official" somewhere: "Präsident X", "Kanzlerin Y"); "die beiden …" needs no such evidence.
    held: dict[int, dict[str, set]] = {}
    for (first, _, label), outcome in zip(occurrences, resolved):
        if outcome is not None and len(outcome[0]) == 1:
            held.setdefault(int(corpus.doc_pos[first]), {}).setdefault(outcome[0][0], set()).add(
                lexicon[label].category)
    for i, (first, last, label) in enumerate(occurrences):
        if resolved[i] is None and not phrases[i].unregistered:
            doc_index = int(corpus.doc_pos[first])
            persons = rules.plural(first, last, label, phrases[i], docs[doc_index])
            if persons and not any(q in _PAIR_QUANTIFIERS for q in phrases[i].quantifiers):
                category = lexicon[label].category
                if not all(category in held.get(doc_index, {}).get(p, ()) for p in persons):
                    phrases[i].unshared = True
                    persons = []
            if persons:
                resolved[i] = (persons, "plural")
    for i, (first, last, label) in enumerate(occurrences):
        if resolved[i] is None and not phrases[i].unregistered:
            doc_index = int(corpus.doc_pos[first])
            persons = rules.relational(first, last, label, phrases[i], docs[doc_index], references[doc_index])
            if persons:
                resolved[i] = (persons, "relational")

    found, rest = [], []
    for (first, last, label), outcome, np_ in zip(occurrences, resolved, phrases):
        row = _occurrence_row(corpus, first, last, label, lexicon[label].category)
        if outcome is None:
            seg = corpus.seg[first]
            d = int(corpus.doc_pos[first])
            sentence = corpus.texts[d][int(corpus.starts[corpus.seg_first[seg]]) : int(corpus.ends[corpus.seg_last[seg]])]
            rest.append(row + (_reason(np_), sentence))
        else:
            persons, rule = outcome
            for person in persons:
                found.append(row[:6] + (person, rule, row[6]))
    return _frame(found, ATTRIBUTION_COLUMNS), _frame(rest, UNATTRIBUTED_COLUMNS)


# --------------------------------------------------------------------------------------
# Shares
# --------------------------------------------------------------------------------------


def attribute_labels_in_parts(documents, registry, labels, *, store, mentions, jobs=None, doc_ids=None):
    """:func:`attribute_labels` over a prepared corpus, in parts of documents on ``jobs`` worker
    processes (:func:`analysis.store.executor.map_documents`); the same two tables.

    ``documents`` is a documents table, or a :class:`analysis.pipeline.PreparedCorpus`, whose
    documents are then read part by part from its cache
    (:meth:`~analysis.pipeline.PreparedCorpus.map_documents`, on its own ``jobs``) instead of all
    at once. ``doc_ids`` keeps only those documents.

    The label patterns are matched against the store's vocabulary once, here, before the
    workers start (:func:`analysis.store.match.precompute_masks`), so that they share the result
    instead of each building look-up indexes of the whole vocabulary.

    Examples
    --------
    >>> from analysis.pipeline import prepare_corpus
    >>> prepared = prepare_corpus(cache=False, jobs=1)
    >>> found, rest = attribute_labels_in_parts(prepared.documents, None, None, store=prepared.store,
    ...                                         mentions=prepared.mentions, jobs=1)
    >>> len(found) > 0
    True
    """
    from ..store.executor import concat_parts, map_documents
    from ..store.match import precompute_masks

    labels = _as_labels(labels)
    precompute_masks(store, labels.patterns)
    shared = dict(registry=as_registry(registry), labels=labels, tokens=store, mentions=mentions)
    if doc_ids is not None:
        doc_ids = {str(d) for d in doc_ids}
    if isinstance(documents, pd.DataFrame):
        if doc_ids is not None:
            documents = documents[documents["doc_id"].astype(str).isin(doc_ids)].reset_index(drop=True)
        return concat_parts(map_documents(attribute_labels, documents, jobs=jobs, **shared))
    return concat_parts(documents.map_documents(attribute_labels, doc_ids=doc_ids, **shared))


def label_shares(
    attributions: pd.DataFrame, documents: pd.DataFrame, *, group: str = "outlet", level: float = 0.95,
    n_boot: int = DEFAULT_N_BOOT, seed: int = 0,
) -> pd.DataFrame:
    """Share of each label among a person's labels, per outlet, with intervals over articles.

    Parameters
    ----------
    attributions : pandas.DataFrame
        The first table returned by :func:`attribute_labels`.
    documents : pandas.DataFrame
        The documents table, for the ``group`` column.
    group : str, default "outlet"
        Documents column to group by.
    level : float, default 0.95
        Confidence level of the intervals.
    n_boot : int, default DEFAULT_N_BOOT
        Bootstrap replicates of the intervals over articles.
    seed : int, default 0
        Seed of the bootstrap: the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        Columns ``<group>, person, label, n, n_person, articles, share, ci_low, ci_high,
        interval``: ``n`` label attributions of ``person`` in the group, ``n_person`` all label
        attributions of that person in the group, ``articles`` the articles they come from,
        ``share = n / n_person`` and its interval. For every group where a person has labels,
        every label the person receives anywhere is listed (``n = 0`` when this group never
        uses it), so outlets can be compared label by label. Sorted by group, person,
        descending share, label.

    Notes
    -----
    One article repeats its own choices (a writer who says "Machthaber" once tends to say it
    again), so label mentions are not independent draws. The interval therefore resamples
    **articles** within each group and person (``interval = "articles"``: a cluster bootstrap,
    :func:`analysis.stats.intervals.cluster_bootstrap_ratio`; the labels of one person share
    the draws). Where a person's labels in a group come from a single article, articles
    cannot vary; the interval is then Wilson's over the mentions (``interval = "mentions"``),
    which treats them as independent and is too narrow — read it as a lower bound.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    >>> att = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "person": "Kim",
    ...                     "label": ["Machthaber", "Machthaber", "Führer", "Führer"]})
    >>> label_shares(att, docs)[["outlet", "label", "n", "n_person", "share"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['X', 'Machthaber', 2, 3, 0.6666666666666666], ['X', 'Führer', 1, 3, 0.3333333333333333], ['Y', 'Führer', 1, 1, 1.0], ['Y', 'Machthaber', 0, 1, 0.0]]
    """
    level = _check_level(level)
    for name, table, columns in (
        ("attributions", attributions, ("doc_id", "person", "label")),
        ("documents", documents, ("doc_id", group)),
    ):
        if not isinstance(table, pd.DataFrame):
            raise ParameterError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise ParameterError(
                f"{name} has no column {', '.join(map(repr, missing))}",
                hint="pass the attributions of attribute_labels and the documents table"
                if name == "attributions" else f"group must be a documents column: {', '.join(map(str, table.columns))}",
            )
    columns = [group, "person", "label", "n", "n_person", "articles", "share", "ci_low", "ci_high", "interval"]
    groups = documents.assign(doc_id=documents["doc_id"].astype(str)).set_index("doc_id")[group]
    groups = groups[~groups.index.duplicated()]
    table = attributions.assign(doc_id=attributions["doc_id"].astype(str))
    unknown = ~table["doc_id"].isin(groups.index)
    if unknown.any():
        raise ParameterError(
            f"attributions refer to doc_ids not in the documents table: {', '.join(table['doc_id'][unknown].unique()[:5])}"
        )
    if table.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    table = table.assign(**{group: table["doc_id"].map(groups).astype(str)})
    counts = table.groupby([group, "person", "label"]).size().rename("n")
    labels_of = table.groupby("person")["label"].unique()
    totals = table.groupby([group, "person"]).size()
    full = pd.MultiIndex.from_tuples(
        [(g, p, lab) for (g, p) in totals.index for lab in sorted(labels_of[p])], names=[group, "person", "label"]
    )
    out = counts.reindex(full, fill_value=0).reset_index()
    out["n"] = out["n"].astype(np.int64)
    out["n_person"] = [int(totals[(g, p)]) for g, p in zip(out[group], out["person"])]
    out["share"] = out["n"] / out["n_person"]
    _intervals_over_articles(out, table, group, level, n_boot, seed)
    out = out.sort_values([group, "person", "share", "label"], ascending=[True, True, False, True])
    return out[columns].reset_index(drop=True)


def _intervals_over_articles(out: pd.DataFrame, table: pd.DataFrame, group: str, level: float, n_boot: int,
                             seed: int) -> None:
    """Fill ``articles``, ``ci_low``, ``ci_high`` and ``interval`` of ``out`` (one row per group,
    person and label) from the attributions ``table``, by the cluster bootstrap over articles."""
    rng = np.random.default_rng(seed)  # one stream, groups in sorted order: the same table every run
    out["articles"] = 0
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    out["interval"] = "articles"
    rows = out.groupby([group, "person"], sort=True).indices
    cells = table.groupby([group, "person", "doc_id", "label"]).size()
    for key in sorted(rows):
        positions = rows[key]
        labels = out["label"].to_numpy()[positions]
        part = cells.loc[key].unstack("label", fill_value=0).reindex(columns=labels, fill_value=0)
        counts = part.to_numpy(dtype=float)  # articles × labels
        out.loc[out.index[positions], "articles"] = len(part)
        if len(part) >= 2:
            low, high = cluster_bootstrap_ratio(counts, counts.sum(axis=1), n_boot=n_boot, level=level, rng=rng)
        else:
            n = out["n"].to_numpy()[positions]
            low, high = wilson_interval(n, out["n_person"].to_numpy()[positions], level)
            out.loc[out.index[positions], "interval"] = "mentions"
        out.loc[out.index[positions], "ci_low"] = low
        out.loc[out.index[positions], "ci_high"] = high
