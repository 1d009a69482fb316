"""Entities found automatically: the persons, organisations and places of any German corpus.

The shipped registry (``data/lexicons/entities.yml``) knows the persons of one story. For any
other corpus :func:`discover_entities` reads the token store and returns a
:class:`~analysis.framing.entities.Registry` of the names the texts use, so that mentions,
labels, sentiment toward persons and everything else that reads a registry work without a
hand-made one. Every entity says how it was made: the registry's ``source`` is :data:`SOURCE`
("found automatically"), each entity's ``note`` starts with it and names the evidence, and a
person's ``roles`` are the role nouns seen before the name. :func:`discover` also returns the
tables behind each decision (one row per candidate name, one per capitalised word type);
:func:`write_registry` writes a registry file for ``prepare_corpus(entities=path)`` and
``--registry``.

Names and common nouns
----------------------
German capitalises every noun, so capitalisation alone says little. Every test is made once per
distinct word type, on counts gathered with array operations over the store (never a Python
step per token).

1. **Candidates** are capitalised words that are no stop words, weekdays or months (nor
   compounds starting with a weekday, "Mittwochabend"), role nouns or organisation heads (see
   *Kinds*), that occur at least once *inside* a sentence — a word seen only as the first word
   of a sentence, of a quotation or after a colon has no evidence of its own capitalisation
   ("Dabei", "Trotzdem") — and that are not written in lower case as often as that.
2. **The determiner test.** Common nouns follow articles, quantifiers and adjectives ("die
   Regierung", "am Mittwoch", "mehr Luftabwehr", "großem Prunk", "eine synchronisierte
   Tanzshow"); names of persons do not. A type
   that follows a determiner or an inflected adjective (a lower-case form that is its lemma plus
   an ending, so not the verb in "trafen Putin") in :data:`MAX_DETERMINER_SHARE` or more of its
   occurrences inside sentences is a common noun.
3. **The frequency test.** A type whose lower-case form is a frequent German word
   (``wordfreq.zipf_frequency(word, "de") >= COMMON_ZIPF``) needs **name contexts** in at least
   :data:`MIN_CONTEXT_SHARE` of its occurrences inside sentences: a role noun right before it
   ("Kanzler Scholz"), a role noun after its genitive ("Putins Berater"), or a capitalised
   neighbour that passes the determiner test ("Olaf Scholz", "Kim Jong Un"). A reporting verb
   before it is no such context ("sagte Scholz", but also "äußerte Kritik"). That is "a frequent
   word not mostly used as part of a name": ``wordfreq`` cannot tell case, and "Putin" and
   "Scholz" are frequent words there, but their contexts are those of names; "Regierung",
   "Gipfel" and "Sorgen" have none. Stronger signs of a common word need at
   least :data:`MIN_CONTEXTS` such contexts: a very frequent word (``zipf >=
   VERY_COMMON_ZIPF``: "Platz", "Müller"; one capitalised neighbour suffices, "Thomas Müller"),
   and, unless a name follows it once ("Friedrich Merz"; a name before it may be an object's:
   "warf Scholz Zögerlichkeit vor"), an inflection by the lemmatizer ("Sorgen" → Sorge; a
   genitive "-s" does not count), an adjective's or verb's lemma ("Europäische" → europäisch) or
   a noun suffix ("-ung", "-heit", "-keit", "-schaft", "-tion", "-sion", "-tät", "-ismus").
   Rare words ("Baerbock", "Selenskyj") only have to pass the determiner test.
4. The genitive of a name is a name ("Baerbocks", also at the start of a sentence), and so is
   an initial ("J." in "J. R. R. Tolkien").

A **name** is a run of adjacent name types in one sentence ("Olaf Scholz", "Kim Jong Un"; a
genitive that is a stop word may end it: "Kim Jong Uns"); a role noun in front is evidence,
not part of it. Two more forms are names whatever the tests say:

* **acronyms**: 2–6 letters with at least two capitals, all capitals but inner letters ("SPD",
  "NATO", "AfD", "UdSSR"), unless a stop word ("NEIN"), written in lower case in the corpus too
  ("LIVE"), a roman numeral or one of :data:`NON_ENTITY_ACRONYMS` ("TV", "KI", "AG"). The
  capitalised spelling of an acronym of four or more letters is the same name ("Nato");
* **names with proper adjectives**: inside a sentence a capitalised adjective belongs to a name
  ("Europäische Union", "Vereinte Nationen", "Deutsche Bank"): the adjectives and up to three
  capitalised nouns after them, up to the first organisation head.

Spellings of one entity
-----------------------
Names are compared by a *key*: parts split at hyphens and case-folded ("Kim Jong-un" = "Kim
Jong Un", "Tass" = "TASS"; acronyms of two or three letters only with themselves, so "UN" is
not "Un"); in proper-adjective names the adjectives by stem and the nouns by lemma ("der
Europäischen Union" = "Europäische Union"). Then:

* a **genitive** ("Putins", "Kim Jong Uns") joins the name without its final "s";
* a run of **two names side by side** ("überreichte Putin Kim ein Auto") is split into them when
  it is rarer than each of them alone;
* a **patronymic or initial** in the middle is dropped ("Wladimir Wladimirowitsch Putin" →
  "Wladimir Putin", "George W. Bush" → "George Bush"); other middle parts are not ("Kim Yo
  Jong" is not "Kim Jong");
* a **short form** — the beginning or end of a longer name ("Putin", "Jong Un"; "Xi" of "Xi
  Jinping") — joins the one longer name it belongs to. If it belongs to **several** ("Kim" with
  "Kim Jong Un" and "Kim Yo Jong"), it is *ambiguous*: a variant of none of them and no entity
  of its own, so a lone "Kim" is not counted as a mention of anybody; the table lists it with
  status ``ambiguous`` and the names it could stand for. Among several longer names only those
  in ``min_documents`` documents count, so a stray run does not make a short form ambiguous.

An entity is named by its most frequent form of several words ("Wladimir Putin"), else its most
frequent form; proper-adjective names prefer forms without "-en" adjectives ("Europäische
Union"), acronyms their capitals ("TASS"). Its id is its name.

Kinds
-----
``organisation`` for acronyms (``place`` for :data:`PLACE_ACRONYMS`: "USA"), proper-adjective
names ending in an organisation head (:data:`ORGANISATION_HEADS`: "Partei", "Union", "Bank",
"Rat", "Kommission" …, also as the end of a compound) and news sources of ``sources.yml``
("Reuters"). Otherwise the evidence of all spellings is counted: ``person`` for a role noun
(:data:`ROLE_NOUNS`) right before the name or a reporting verb right before or after it (not
for genitives: "Präsident Russlands"), ``organisation`` for an organisation head right before
or a legal form after it ("Nachrichtenagentur TASS", "Siemens AG"), ``place`` for "in", "aus",
"nach" or a place noun (:data:`PLACE_HEADS`: "Hauptstadt Hanoi") right before it. The largest
count decides; a tie gives no kind. A full name with a short form and no other evidence
("Olaf Scholz" … "Scholz") is a person. A name without a kind is left out of the registry unless
``unknown_type`` names one of :data:`analysis.framing.entities.ENTITY_TYPES` for it.

Limits
------
* Names with lower-case particles are found in parts ("Ursula von der Leyen": "Leyen" follows
  "der").
* Organisations and places that take an article ("die Ukraine", "der Kreml", "die
  Bundesregierung", "die Commerzbank") fail the determiner test unless they are acronyms or
  proper-adjective names; frequent place names need name contexts ("Berlin" rarely has them).
* A name seen only at the start of sentences is not found ("QUtin" in the bundled corpus), nor
  a proper-adjective name at the start of a sentence ("Russische Truppen" stays unread, and
  so does "Europäische Union" there, though the registry then matches it).
* Role nouns are matched as word endings; a surname that is one ("König", "Mendelssohn") is
  never a name.
* Quotations' speakers (:func:`analysis.framing.quotes.find_quotations`) are strings;
  ``registry.entity_of_form(speaker)`` gives the entity of one that is a variant.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..io.tables import check_documents, order_tokens
from ..io.writing import write_text_atomic
from ..store import TokenStore
from ..store.vocabulary import annotate_forms
from ..text import MONTHS, tokenize_text
from .entities import ENTITY_TYPES, Entity, Registry

__all__ = [
    "COMMON_ZIPF",
    "DETERMINERS",
    "Discovery",
    "MAX_DETERMINER_SHARE",
    "MIN_CONTEXTS",
    "MIN_CONTEXT_SHARE",
    "NON_ENTITY_ACRONYMS",
    "ORGANISATION_HEADS",
    "PLACE_ACRONYMS",
    "PLACE_HEADS",
    "ROLE_NOUNS",
    "SOURCE",
    "TABLE_COLUMNS",
    "VERY_COMMON_ZIPF",
    "WORD_COLUMNS",
    "discover",
    "discover_entities",
    "discovery_table",
    "registry_to_dict",
    "registry_yaml",
    "write_registry",
]

#: The registry's ``source`` and the start of every entity's ``note``.
SOURCE = "found automatically"

#: A lower-case form at least this frequent in German (Zipf scale of ``wordfreq``: 3 is about
#: once per million words) is a common word unless its contexts say otherwise.
COMMON_ZIPF = 3.0
#: A capitalised type that follows a determiner this often (inside sentences) is a common noun.
MAX_DETERMINER_SHARE = 0.15
#: Share of a frequent type's occurrences (inside sentences) that need name evidence ...
MIN_CONTEXT_SHARE = 0.2
#: ... and the least number of them for a very frequent word, an inflected word, a word with
#: a noun suffix or an adjective, unless a name stands next to it (one role noun before
#: "Platz" or "Wirkung" is a coincidence: "drei Vorsitzende Platz genommen").
MIN_CONTEXTS = 2
#: From this frequency on (about 30 per million words) a word needs :data:`MIN_CONTEXTS`.
VERY_COMMON_ZIPF = 4.5
#: Longest name, in tokens; longer runs of name types are lists, not names.
MAX_NAME_TOKENS = 6

#: Role nouns in front of a person's name, lower case; a word ending in one counts too
#: ("Außenministerin", "Kremlchef", "SPD-Chefin"), with case endings ("Präsidenten").
ROLE_NOUNS: tuple[str, ...] = (
    "präsident", "präsidentin", "kanzler", "kanzlerin", "minister", "ministerin", "premier",
    "staatschef", "staatschefin", "regierungschef", "regierungschefin", "chef", "chefin",
    "staatsoberhaupt", "oberhaupt", "machthaber", "machthaberin", "diktator", "diktatorin",
    "führer", "führerin", "herrscher", "herrscherin", "gastgeber", "gastgeberin",
    "sprecher", "sprecherin", "berater", "beraterin", "botschafter", "botschafterin",
    "vorsitzende", "vorsitzender", "abgeordnete", "abgeordneter", "bürgermeister",
    "bürgermeisterin", "gouverneur", "gouverneurin", "senator", "senatorin", "kommissar",
    "kommissarin", "generalsekretär", "generalsekretärin", "staatssekretär", "staatssekretärin",
    "diplomat", "diplomatin", "general", "generalin", "admiral", "oberst", "kommandeur",
    "kommandeurin", "offizier", "soldat", "soldatin", "direktor", "direktorin", "leiter",
    "leiterin", "kandidat", "kandidatin", "politiker", "politikerin", "könig", "königin",
    "prinz", "prinzessin", "kronprinz", "papst", "patriarch", "bischof", "bischöfin",
    "kardinal", "imam", "rabbiner", "professor", "professorin", "prof.", "dr.", "herr", "herrn",
    "frau", "autor", "autorin", "journalist", "journalistin", "reporter", "reporterin",
    "korrespondent", "korrespondentin", "moderator", "moderatorin", "experte", "expertin",
    "analyst", "analystin", "ökonom", "ökonomin", "historiker", "historikerin", "politologe",
    "politologin", "wissenschaftler", "wissenschaftlerin", "forscher", "forscherin",
    "schauspieler", "schauspielerin", "sänger", "sängerin", "regisseur", "regisseurin",
    "künstler", "künstlerin", "musiker", "musikerin", "unternehmer", "unternehmerin",
    "milliardär", "milliardärin", "oligarch", "investor", "investorin", "aktivist",
    "aktivistin", "anwalt", "anwältin", "trainer", "trainerin", "spieler", "spielerin", "kapitän",
    "kapitänin", "torwart", "torhüter", "stürmer", "stürmerin",
    "ehefrau", "ehemann", "witwe", "sohn", "tochter", "bruder", "schwester", "vater", "mutter",
)

#: Nouns that head an organisation's name, lower case, also as the end of a compound
#: ("Commerzbank", "Sicherheitsrat") with case endings ("Nationen", "Rats").
ORGANISATION_HEADS: tuple[str, ...] = (
    "partei", "ministerium", "union", "bank", "konzern", "rat", "kommission", "agentur",
    "zeitung", "institut", "gericht", "gerichtshof", "verband", "parlament", "behörde", "amt",
    "organisation", "stiftung", "universität", "hochschule", "akademie", "verein", "gewerkschaft",
    "versammlung", "nationen", "armee", "streitkräfte", "polizei", "geheimdienst", "dienst",
    "sender", "rundfunk", "fernsehen", "presse", "medien", "allianz", "koalition", "fraktion",
    "bewegung", "front", "komitee", "kongress", "senat", "fonds", "gruppe", "gesellschaft",
    "unternehmen", "holding", "werk", "werke", "bahn", "post", "telekom", "börse", "kammer", "bundestag",
    "landtag", "regierung", "kabinett", "club", "klub", "bündnis", "liga", "airlines",
)

#: Acronyms that are no entity (or not one the registry should hold), and legal forms.
NON_ENTITY_ACRONYMS: frozenset[str] = frozenset(
    "TV PS OK KI PR IT VIP CEO CFO PDF GPS SMS DNA DNS LKW PKW WM EM FAQ USB CD DVD PC HD UKW "
    "AG GmbH SE KG KGaA OHG AöR eG Inc Ltd PLC LLC SA StS MdB MdL MdEP".split()
)
#: Acronyms of countries: kind ``place``.
PLACE_ACRONYMS: frozenset[str] = frozenset("USA UdSSR DDR BRD UK VAE GB".split())
#: Tokens after a name that make it an organisation ("Siemens AG").
_LEGAL_FORMS = frozenset("AG GmbH SE KG KGaA OHG AöR eG e.V. Inc. Inc Ltd. Ltd PLC plc LLC SA Co.".split())

#: Words that stand in front of a common noun (lower case): articles, pronouns used as
#: determiners, quantifiers, contractions of preposition and article, number words.
DETERMINERS: frozenset[str] = frozenset(
    """der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner
    keines dieser diese dieses diesen diesem jener jene jenes jenen jenem jeder jede jedes jeden
    jedem mein meine meinen meinem meiner meines dein deine deinen deinem deiner deines sein seine
    seinen seinem seiner seines ihr ihre ihren ihrem ihrer ihres unser unsere unseren unserem
    unserer unseres euer eure euren eurem eurer eures welcher welche welches welchen welchem
    solcher solche solches solchen solchem mancher manche manches manchen manchem alle aller allen
    alles allem viele vielen vieler einige einigen einiger mehrere mehreren wenige wenigen beide
    beiden derselbe dieselbe dasselbe denselben demselben desselben am im zum zur vom beim ins ans
    aufs fürs ums übers zwei drei vier fünf sechs sieben acht neun zehn zwölf hundert tausend mehr
    weniger viel wenig etwas genug""".split()
)
_PLACE_PREPOSITIONS = frozenset({"in", "aus", "nach"})
_WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag")
#: Words right before a place's name ("Hauptstadt Hanoi", "Region Kursk"), also in compounds.
PLACE_HEADS: tuple[str, ...] = (
    "stadt", "hauptstadt", "hafenstadt", "großstadt", "metropole", "region", "provinz", "dorf", "gemeinde",
    "bundesland", "insel", "halbinsel", "bezirk", "landkreis", "kreis", "oblast", "kanton",
)
_MIDDLE_NAME = re.compile(r"[^\W\d_]\.?|\w+(?:owitsch|ewitsch|jewitsch|itsch|owna|ewna|jewna|ichna)")
_NOUN_SUFFIX = re.compile(r"(?:ung|heit|keit|schaft|tion|sion|tät|ismus|ismen)(?:en|s)?$")
_ADJECTIVE_ENDINGS = ("em", "en", "er", "es", "e")
_ACRONYM = re.compile(r"(?=(?:[^A-ZÄÖÜ]*[A-ZÄÖÜ]){2})[A-ZÄÖÜ][A-ZÄÖÜa-zäöü]{0,4}[A-ZÄÖÜ]")
_ROMAN = re.compile(r"[IVXLCDM]+")
_INITIAL = re.compile(r"[A-ZÄÖÜ]\.")

#: Columns of :attr:`Discovery.table`: one row per candidate name.
TABLE_COLUMNS: tuple[str, ...] = (
    "name", "type", "status", "documents", "mentions", "variants", "person_evidence",
    "organisation_evidence", "place_evidence", "roles", "reason", "ambiguous_with",
)
#: Columns of :attr:`Discovery.words`: one row per capitalised word type seen inside sentences.
WORD_COLUMNS: tuple[str, ...] = (
    "form", "count", "inside", "documents", "lower_case", "zipf", "determiner_share", "context_share",
    "lemma", "verdict",
)

# Token classes of the span pass.
_NAME, _ACRO, _ADJ = 1, 2, 3


@dataclass(frozen=True)
class Discovery:
    """What :func:`discover` found.

    Attributes
    ----------
    registry : Registry
        The entities kept (``source`` is :data:`SOURCE`).
    table : pandas.DataFrame
        One row per candidate name, kept or not (columns :data:`TABLE_COLUMNS`), the kept ones
        first and in registry order. ``type`` is the kind or ``unknown``; ``status`` is
        ``kept``, ``ambiguous``, ``no kind evidence``, ``too few documents``,
        ``beyond max_entities`` or ``not matchable`` (no spelling tokenizes on its own as in the
        text); ``documents`` and ``mentions`` count the spellings' occurrences as found here
        (a run of two names counts for both); ``variants`` are the spellings, most frequent
        first; ``person_evidence``, ``organisation_evidence``, ``place_evidence`` the contexts
        counted for each kind; ``roles`` the role nouns seen before the name; ``reason`` says
        what decided the kind; ``ambiguous_with`` names the longer names an ambiguous short
        form could stand for.
    words : pandas.DataFrame
        One row per capitalised word type seen inside a sentence (columns
        :data:`WORD_COLUMNS`), with the numbers behind the common-noun tests; ``verdict`` is
        ``name``, ``acronym``, ``proper adjective``, ``role noun``, ``organisation head`` or the
        reason it is a common word.
    """

    registry: Registry
    table: pd.DataFrame
    words: pd.DataFrame


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def discover(
    documents: pd.DataFrame | None = None,
    *,
    tokens=None,
    min_documents: int = 2,
    max_entities: int | None = None,
    role_nouns=None,
    unknown_type: str | None = None,
) -> Discovery:
    """Find persons, organisations and places in a corpus; return the registry and the evidence.

    Parameters
    ----------
    documents : pandas.DataFrame, optional
        Documents table (``doc_id``, cleaned ``text``); may be omitted when ``tokens`` is a
        :class:`~analysis.store.TokenStore`.
    tokens : TokenStore or pandas.DataFrame, optional
        The corpus's token store (``prepared.store``) or tidy tokens table of ``documents``;
        the documents are tokenized when omitted.
    min_documents : int, default 2
        An entity must be named in at least this many documents.
    max_entities : int, optional
        Keep the entities named in most documents (then most often); all when None. Matching
        mentions costs time per spelling (:func:`~analysis.framing.entities.find_mentions`
        scans the store once for each, about 0.2 s per spelling on 30 million tokens), so on a
        large corpus keep a few hundred or raise ``min_documents``.
    role_nouns : iterable of str, optional
        Role nouns that mark persons (matched case-insensitively as word endings);
        :data:`ROLE_NOUNS` when None. Extend it with ``ROLE_NOUNS + ("bundestrainer",)``.
    unknown_type : str, optional
        Kind given to names without evidence for a kind; None leaves them out of the registry.

    Returns
    -------
    Discovery
        ``registry``, ``table`` and ``words`` (see :class:`Discovery`).

    Raises
    ------
    ParameterError
        For a malformed documents or tokens table, a bad ``min_documents``, ``max_entities``
        or ``unknown_type``.

    See Also
    --------
    discover_entities : the registry only.
    write_registry : the registry as a file, for ``prepare_corpus(entities=path)``.
    analysis.framing.entities.find_mentions : the mentions of the entities found.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.framing.entities import find_mentions
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [
    ...     "Kremlchef Wladimir Putin empfing am Mittwoch Machthaber Kim Jong Un. Die Sorgen wachsen.",
    ...     "Am Mittwoch sagte Putin, die Gespräche mit Kim Jong-un seien gut. Putins Gast lachte."]})
    >>> result = discover(docs)
    >>> result.table[["name", "type", "variants"]].values.tolist()
    [['Wladimir Putin', 'person', 'Putin | Putins | Wladimir Putin'], ['Kim Jong Un', 'person', 'Kim Jong Un | Kim Jong-un']]
    >>> result.words.set_index("form").loc[["Putin", "Mittwoch", "Sorgen"], "verdict"].tolist()
    ['name', 'weekday or month', 'after determiners']
    >>> find_mentions(docs, result.registry)[["doc_id", "entity", "form"]].values.tolist()[2:]
    [['b', 'Wladimir Putin', 'Putin'], ['b', 'Kim Jong Un', 'Kim Jong-un'], ['b', 'Wladimir Putin', 'Putins']]
    """
    if not isinstance(min_documents, (int, np.integer)) or isinstance(min_documents, bool) or min_documents < 1:
        raise ParameterError(f"min_documents must be a positive integer, got {min_documents!r}")
    if max_entities is not None and (not isinstance(max_entities, (int, np.integer)) or max_entities < 0):
        raise ParameterError(f"max_entities must be a non-negative integer or None, got {max_entities!r}")
    if unknown_type is not None and unknown_type not in ENTITY_TYPES:
        raise ParameterError(f"unknown_type must be None or one of {', '.join(ENTITY_TYPES)}, got {unknown_type!r}")
    # lower(), not casefold(): "Außenministerin" must stay "außenministerin".
    roles = ROLE_NOUNS if role_nouns is None else tuple(str(r).strip().lower() for r in role_nouns if str(r).strip())
    store = _as_store(documents, tokens)
    types = _TypeTable(store, roles)
    types.classify()
    spans = _find_spans(store, types)
    groups = _Groups(spans, types, min_documents)
    table = groups.table(unknown_type)
    registry, table = _registry(groups, table, max_entities, unknown_type)
    return Discovery(registry, table, types.words())


def discover_entities(
    documents: pd.DataFrame | None = None,
    *,
    tokens=None,
    min_documents: int = 2,
    max_entities: int | None = None,
    role_nouns=None,
    unknown_type: str | None = None,
) -> Registry:
    """The persons, organisations and places a corpus names, as an entity registry.

    The rules are those of the module docstring: capitalised word types that pass the
    determiner and frequency tests, acronyms and proper-adjective names; spelling variants,
    genitives and unambiguous short forms merged; kinds from role nouns, reporting verbs,
    organisation heads and prepositions. Parameters as for :func:`discover`.

    Returns
    -------
    Registry
        Usable wherever :func:`~analysis.framing.entities.load_registry`'s result is; its
        ``source`` is "found automatically" and each entity's ``note`` gives the evidence.
        Entity ids are the entities' names.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [
    ...     "Bundeskanzler Olaf Scholz traf am Mittwoch Außenministerin Annalena Baerbock. "
    ...     "Die Regierung teilte mit, Scholz habe Sorgen. Die SPD schwieg.",
    ...     "Am Mittwoch sagte Scholz, die Regierung sei einig. Baerbocks Reise war kurz. "
    ...     "Auch die SPD lobte Kanzler Olaf Scholz."]})
    >>> registry = discover_entities(docs)
    >>> [(e.name, e.type, e.variants) for e in registry]
    [('Olaf Scholz', 'person', ('Olaf Scholz', 'Scholz')), ('Annalena Baerbock', 'person', ('Annalena Baerbock', 'Baerbocks')), ('SPD', 'organisation', ('SPD',))]
    >>> registry.source, registry["Olaf Scholz"].roles
    ('found automatically', ('Bundeskanzler', 'Kanzler'))
    """
    return discover(documents, tokens=tokens, min_documents=min_documents, max_entities=max_entities,
                    role_nouns=role_nouns, unknown_type=unknown_type).registry


def discovery_table(
    documents: pd.DataFrame | None = None,
    *,
    tokens=None,
    min_documents: int = 2,
    max_entities: int | None = None,
    role_nouns=None,
    unknown_type: str | None = None,
) -> pd.DataFrame:
    """What :func:`discover_entities` found and why: one row per candidate name.

    Parameters as for :func:`discover`; columns :data:`TABLE_COLUMNS` (see :class:`Discovery`).

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [
    ...     "Machthaber Kim Jong Un empfing Kim Yo Jong. Kim lachte.",
    ...     "Die Schwester Kim Yo Jong lobte Machthaber Kim Jong-un. Kim schwieg."]})
    >>> table = discovery_table(docs)
    >>> table[["name", "type", "status", "variants"]].values.tolist()
    [['Kim Jong Un', 'person', 'kept', 'Kim Jong Un | Kim Jong-un'], ['Kim Yo Jong', 'person', 'kept', 'Kim Yo Jong'], ['Kim', 'unknown', 'ambiguous', 'Kim']]
    >>> table.loc[2, "ambiguous_with"]
    'Kim Jong Un | Kim Yo Jong'
    """
    return discover(documents, tokens=tokens, min_documents=min_documents, max_entities=max_entities,
                    role_nouns=role_nouns, unknown_type=unknown_type).table


def registry_to_dict(registry: Registry) -> dict:
    """The YAML structure of a registry (``registry_from_dict`` reads it back).

    Examples
    --------
    >>> from analysis.framing.entities import registry_from_dict
    >>> data = {"entities": [{"id": "SPD", "type": "organisation", "name": "SPD", "variants": ["SPD"],
    ...                       "note": "found automatically"}]}
    >>> registry_to_dict(registry_from_dict(data))["entities"][0]["variants"]
    ['SPD']
    """
    entities = []
    for entity in registry.entities:
        entry = {"id": entity.id, "type": entity.type, "name": entity.name, "variants": list(entity.variants)}
        if entity.country:
            entry["country"] = entity.country
        if entity.roles:
            entry["roles"] = list(entity.roles)
        if entity.labels:
            entry["labels"] = list(entity.labels)
        if entity.note:
            entry["note"] = entity.note
        entities.append(entry)
    data: dict = {"version": 1}
    if registry.countries:
        data["countries"] = {name: {"genitive": list(c.genitive), "adjectives": list(c.adjectives)}
                             for name, c in registry.countries.items()}
    data["entities"] = entities
    return data


def write_registry(registry: Registry, path) -> Path:
    """Write a registry as a YAML registry file (for ``prepare_corpus(entities=path)``, ``--registry``).

    Returns the path. The file starts with a comment naming the registry's source.
    """
    path = Path(path)
    write_text_atomic(path, registry_yaml(registry))
    return path


def registry_yaml(registry: Registry) -> str:
    """The text of a YAML registry file (what :func:`write_registry` writes)."""
    import yaml

    header = f"# Entity registry ({registry.source or 'written by analysis.framing.discovery'}).\n"
    return header + yaml.safe_dump(registry_to_dict(registry), allow_unicode=True, sort_keys=False, width=100)


# --------------------------------------------------------------------------------------
# The token store
# --------------------------------------------------------------------------------------


def _as_store(documents, tokens) -> TokenStore:
    """The token store to read: given, built from a tidy tokens table, or tokenized."""
    if isinstance(tokens, TokenStore):
        if documents is None:
            return tokens
        doc_ids, _ = check_documents(documents)
        if len(doc_ids) == tokens.n_documents and (pd.Index(tokens.doc_ids.astype(str)) == doc_ids).all():
            return tokens
        return tokens.subset(doc_ids)
    if documents is None:
        raise ParameterError("pass documents, or tokens=<TokenStore>",
                             hint="e.g. discover_entities(prepared.documents, tokens=prepared.store)")
    doc_ids, texts = check_documents(documents)
    if tokens is None:
        return TokenStore.from_texts(doc_ids, texts, stems=False)
    if not isinstance(tokens, pd.DataFrame):
        raise ParameterError(f"tokens must be a TokenStore, a tokens table or None, got {type(tokens).__name__}")
    # A tidy table: its forms become a vocabulary (annotated once per form), its rows the arrays.
    table, doc_pos = order_tokens(tokens, doc_ids, ["doc_id", "sentence_id", "token", "start"])
    codes, forms = pd.factorize(table["token"].astype(str).to_numpy())
    vocabulary = annotate_forms([str(f) for f in forms], stems=False)
    lengths = np.bincount(doc_pos, minlength=len(doc_ids))
    return TokenStore(vocabulary, pd.Index(list(doc_ids), dtype=object),
                      np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                      codes.astype(np.int32), table["start"].to_numpy(dtype=np.int32),
                      table["sentence_id"].to_numpy(dtype=np.int32))


@dataclass
class _Slice:
    """Token arrays of consecutive documents with the neighbours every test looks at."""

    types: np.ndarray       # type id per token
    docs: np.ndarray        # document position per token
    prev_ok: np.ndarray     # the token before is in the same sentence
    next_ok: np.ndarray     # the token after is in the same sentence
    inside: np.ndarray      # not the first word of a sentence, quotation or colon clause

    def before(self, values: np.ndarray, steps: int = 1, fill=0) -> np.ndarray:
        out = np.full(len(values), fill, dtype=values.dtype)
        if steps < len(values):
            out[steps:] = values[:-steps]
        return out

    def after(self, values: np.ndarray, fill=0) -> np.ndarray:
        out = np.full(len(values), fill, dtype=values.dtype)
        out[:-1] = values[1:]
        return out


def _slices(store: TokenStore, kinds: np.ndarray, opener: np.ndarray, max_tokens: int = 1_000_000):
    """The store in slices of whole documents, so the working arrays stay bounded (about a dozen
    arrays of up to eight bytes per token of the slice: 100 MB for a million tokens)."""
    for first, stop in store.slices(max_tokens):
        lo, hi = int(store.offsets[first]), int(store.offsets[stop])
        t = np.asarray(store.type_ids[lo:hi])
        sentence = np.asarray(store.sentence_ids[lo:hi])
        docs = np.repeat(np.arange(first, stop, dtype=np.int64), store.lengths[first:stop])
        new = np.ones(len(t), dtype=bool)
        new[1:] = (docs[1:] != docs[:-1]) | (sentence[1:] != sentence[:-1])
        prev_ok = ~new
        next_ok = np.zeros(len(t), dtype=bool)
        next_ok[:-1] = prev_ok[1:]
        # Words before a token in its sentence: cumulative count minus the count at the start.
        is_word = kinds[t] == 0
        cumulative = np.cumsum(is_word)
        segment = np.cumsum(new) - 1
        starts = np.flatnonzero(new)
        base = cumulative[starts] - is_word[starts]
        words_before = cumulative - is_word - base[segment]
        piece = _Slice(t, docs, prev_ok, next_ok, words_before > 0)
        # The first word after a quotation mark or colon is capitalised for a new sentence.
        piece.inside &= ~(prev_ok & opener[piece.before(t)])
        yield piece


# --------------------------------------------------------------------------------------
# Word types: counts and tests
# --------------------------------------------------------------------------------------


_CASE_ENDINGS = ("", "e", "en", "n", "s", "es", "r", "m")


def _ends_with_any(words, stems) -> np.ndarray:
    """Whether each lower-case word is one of ``stems`` or a compound ending in one
    ("außenministerin", "spd-chef"), with a case ending ("präsidenten", "rats"). The part
    before a compound's head has at least three letters or ends in a hyphen, so that "Murat"
    is not a compound of "rat"."""
    stems = {s for s in stems if s}
    ends = tuple(stems)
    out = np.zeros(len(words), dtype=bool)
    for i, word in enumerate(words):
        for ending in _CASE_ENDINGS:
            if ending and not word.endswith(ending):
                continue
            core = word[: len(word) - len(ending)] if ending else word
            if not core.endswith(ends):  # the quick test, in C; the exact one below
                continue
            if core in stems or any(core.endswith(st) and (len(core) - len(st) >= 3 or core[-len(st) - 1] == "-")
                                    for st in stems if len(st) < len(core)):
                out[i] = True
                break
    return out


class _TypeTable:
    """Per word type: static flags from the vocabulary, counts from the tokens, and the tests."""

    def __init__(self, store: TokenStore, roles: tuple[str, ...]):
        from .reporting import load_source_registry

        self.store = store
        vocabulary = store.vocabulary
        self.forms = vocabulary["form"].to_numpy(dtype=object)
        self.n_types = n = len(self.forms)
        self.kinds = store.type_attribute("kind")
        lemma = store.type_attribute("lemma")
        forms = pd.Series(self.forms, dtype=object)
        lower = forms.str.lower()
        self.lower = lower.to_numpy(dtype=object)
        word = self.kinds == 0
        stop = store.type_attribute("is_stop").astype(bool)
        first_upper = forms.str[:1].str.isupper().fillna(False).to_numpy(dtype=bool)
        first_lower = forms.str[:1].str.islower().fillna(False).to_numpy(dtype=bool)
        self.word, self.first_lower, self.stop = word, first_lower, stop
        self.acronym_shape = word & forms.str.fullmatch(_ACRONYM.pattern + "s?").fillna(False).to_numpy(dtype=bool)
        self.initial = word & forms.str.fullmatch(_INITIAL.pattern).fillna(False).to_numpy(dtype=bool)
        self.cap = word & first_upper & ~stop & ~self.acronym_shape & (forms.str.len().to_numpy() >= 2)
        cap_lower = self.lower[self.cap].tolist()
        self.role = np.zeros(n, dtype=bool)
        self.role[self.cap] = _ends_with_any(cap_lower, [r for r in roles if not r.endswith(".")])
        self.role[self.cap] |= np.isin(self.lower[self.cap], [r for r in roles if r.endswith(".")])
        self.head = np.zeros(n, dtype=bool)
        self.head[self.cap] = _ends_with_any(cap_lower, ORGANISATION_HEADS)
        self.head &= ~self.role
        self.place_head = np.zeros(n, dtype=bool)
        self.place_head[self.cap] = _ends_with_any(cap_lower, PLACE_HEADS)
        self.place_head &= ~self.role & ~self.head
        self.calendar = self.cap & (lower.str.startswith(_WEEKDAYS).to_numpy(dtype=bool)
                                    | lower.isin(MONTHS | {m + "s" for m in MONTHS}).to_numpy(dtype=bool))
        self.det = word & lower.isin(DETERMINERS).to_numpy(dtype=bool)
        # Inflected adjectives: lower-case forms that are their lemma plus an ending ("großem" →
        # groß, "russischen" → russisch; not the verbs "trafen" → treffen, "sagten" → sagen).
        self.adjective_shape = word & first_lower & ~stop & lower.str.fullmatch(
            r"[a-zäöüß]{2,}(?:e|en|er|es|em)").to_numpy(dtype=bool)
        self.adjective_like = np.zeros(n, dtype=bool)
        for i in np.flatnonzero(word & first_lower & ~stop).tolist():
            form, base = self.forms[i], str(lemma[i])
            if base[:1].islower() and len(form) > len(base) and form.startswith(base) \
                    and form[len(base):] in _ADJECTIVE_ENDINGS:
                self.adjective_like[i] = True
        sources = load_source_registry()
        verb_forms = {f.lower() for v in sources.verbs for f in v.forms + v.split_forms if " " not in f}
        self.verb = word & first_lower & lower.isin(verb_forms).to_numpy(dtype=bool)
        self.place_preposition = word & first_lower & lower.isin(_PLACE_PREPOSITIONS).to_numpy(dtype=bool)
        self.legal = forms.isin(_LEGAL_FORMS).to_numpy(dtype=bool)
        self.opener = (self.kinds == 3) | (forms == ":").to_numpy(dtype=bool)
        self.ends_s = forms.str.endswith("s").to_numpy(dtype=bool)
        # Genitives of a word of the corpus ("Russlands", "Putins"): after a role noun they name
        # whose role it is ("Präsident Russlands"), not who has it.
        known = set(forms[word & first_upper].tolist())
        self.genitive_form = self.ends_s & word & first_upper & forms.str[:-1].isin(known).to_numpy(dtype=bool)
        self.sources = sources
        # Lemmas: from the store; when it was built without lemmas, for the capitalised types here.
        self.lemma = lemma.astype(object).copy()
        if (lemma[word & first_upper] == self.forms[word & first_upper]).all():
            import simplemma

            for i in np.flatnonzero(self.cap).tolist():
                self.lemma[i] = simplemma.lemmatize(self.forms[i], lang="de")
        self._count()

    # ------------------------------------------------------------------------- counting
    def _count(self) -> None:
        """Pass 1 over the tokens: occurrences, occurrences inside sentences and after
        determiners, and documents, per type; lower-case uses per capitalised type."""
        n = self.n_types
        total = np.zeros(n, dtype=np.int64)
        inside = np.zeros(n, dtype=np.int64)
        after_det = np.zeros(n, dtype=np.int64)
        documents = np.zeros(n, dtype=np.int64)
        for piece in _slices(self.store, self.kinds, self.opener):
            t = piece.types
            total += np.bincount(t, minlength=n)
            cap = self.cap[t]
            mid = cap & piece.inside
            # A determiner or an inflected adjective right before: "die Regierung", "am Mittwoch",
            # "großem Prunk"; or a determiner and a word with an adjective's ending
            # ("eine synchronisierte Tanzshow": the lemmatizer reads participles as verbs).
            p1, p2 = piece.before(t), piece.before(t, 2)
            ok2 = piece.prev_ok & piece.before(piece.prev_ok)
            det = piece.prev_ok & (self.det[p1] | self.adjective_like[p1])
            det |= ok2 & self.adjective_shape[p1] & self.det[p2]
            inside += np.bincount(t[mid], minlength=n)
            after_det += np.bincount(t[mid & det], minlength=n)
            # Documents per type: distinct (document, type) pairs of capitalised tokens.
            named = cap | self.acronym_shape[t]
            pairs = np.unique(piece.docs[named] * n + t[named])
            documents += np.bincount(pairs % n, minlength=n)
        self.total, self.inside, self.after_det, self.documents = total, inside, after_det, documents
        # Lower-case uses of each capitalised type's word: counts of the lower-case forms.
        lower_counts = pd.Series(total[self.word & self.first_lower], index=self.lower[self.word & self.first_lower])
        lower_counts = lower_counts.groupby(level=0).sum()
        self.lower_case = np.zeros(n, dtype=np.int64)
        capitalised = np.flatnonzero(self.cap | self.acronym_shape)
        self.lower_case[capitalised] = lower_counts.reindex(self.lower[capitalised]).fillna(0).to_numpy(dtype=np.int64)

    def _contexts(self, plausible: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pass 2: occurrences inside sentences with a name context, with a plausible capitalised
        neighbour, and followed by one (as a first name is: "Friedrich Merz")."""
        n = self.n_types
        context = np.zeros(n, dtype=np.int64)
        paired = np.zeros(n, dtype=np.int64)
        first = np.zeros(n, dtype=np.int64)
        for piece in _slices(self.store, self.kinds, self.opener):
            t = piece.types
            mid = self.cap[t] & piece.inside
            p1, nxt = piece.before(t), piece.after(t)
            before_name = piece.next_ok & plausible[nxt]
            pair = (piece.prev_ok & plausible[p1]) | before_name
            # Not a reporting verb before: "sagte Scholz" but also "äußerte Kritik" (the verbs
            # are evidence of a person's kind, not of a name).
            ctx = pair | (piece.prev_ok & self.role[p1]) | (piece.next_ok & self.role[nxt] & self.ends_s[t])
            context += np.bincount(t[mid & ctx], minlength=n)
            paired += np.bincount(t[mid & pair], minlength=n)
            first += np.bincount(t[mid & before_name], minlength=n)
        return context, paired, first

    # --------------------------------------------------------------------------- tests
    def classify(self) -> None:
        """The tests of the module docstring, on every capitalised type at once."""
        n = self.n_types
        with np.errstate(divide="ignore", invalid="ignore"):
            self.det_share = np.where(self.inside > 0, self.after_det / np.maximum(self.inside, 1), np.nan)
        seen = self.cap & (self.inside > 0)
        self.zipf = np.full(n, np.nan)
        self.zipf[seen] = _zipf(self.lower[seen])
        lemma = self.lemma
        lemma_lower = np.array([bool(x) and str(x)[:1].islower() for x in lemma], dtype=bool)
        forms = self.forms
        # Compared case-insensitively: simplemma writes "Jong-un" as "Jong-Un".
        folded = [(str(f).casefold(), str(x).casefold()) for f, x in zip(forms, lemma)]
        same = np.array([f == x or f == x + "s" or f == x + "'" for f, x in folded], dtype=bool)
        self.nonnoun = self.cap & lemma_lower
        self.inflected = self.cap & ~lemma_lower & ~same
        lower = pd.Series(self.lower, dtype=object)
        self.noun_suffix = self.cap & lower.str.contains(_NOUN_SUFFIX.pattern).to_numpy(dtype=bool)
        base = self.cap & ~self.role & ~self.head & ~self.calendar & (self.inside > 0)
        base &= self.lower_case < self.inside
        low_det = np.nan_to_num(self.det_share, nan=1.0) < MAX_DETERMINER_SHARE
        self.plausible = (base & low_det & ~self.nonnoun & ~self.inflected) | self.initial
        self.context_all, paired, first = self._contexts(self.plausible)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.context_share = np.where(self.inside > 0, self.context_all / np.maximum(self.inside, 1), np.nan)
        # Frequency alone is weak evidence against a name (names are frequent words too); a
        # very high frequency is stronger, and an inflection, a noun suffix or an adjective's
        # lemma stronger still: they need more contexts. One neighbour in a name suffices for a
        # very frequent word ("Thomas Müller", "Kim Jong Un"), and one name after it for the
        # others ("Friedrich Merz"), since a name before a noun may be an object's ("warf
        # Scholz Zögerlichkeit vor").
        marked = self.inflected | self.nonnoun | self.noun_suffix
        very_common = np.nan_to_num(self.zipf) >= VERY_COMMON_ZIPF
        needs_context = (np.nan_to_num(self.zipf) >= COMMON_ZIPF) | marked
        enough = (self.context_all >= MIN_CONTEXTS) | np.where(marked, first > 0, (paired > 0) | ~very_common)
        has_context = (np.nan_to_num(self.context_share) >= MIN_CONTEXT_SHARE) & enough
        self.name = (base & low_det & (has_context | ~needs_context)) | self.initial
        # The genitive of a name is a name, also when seen only at the start of sentences
        # ("Baerbocks Reise ...").
        names = set(forms[self.name & ~self.initial].tolist())
        genitive = self.cap & ~self.name & ~self.role & ~self.head & ~self.calendar & self.ends_s
        genitive &= pd.Series(forms, dtype=object).str[:-1].isin(names).to_numpy(dtype=bool)
        self.name |= genitive & ((self.inside == 0) | low_det)
        # A genitive that is a stop word ("Uns" in "Kim Jong Uns") ends a name, never starts one.
        stopped = self.word & ~self.cap & ~self.acronym_shape & self.ends_s & (self.kinds == 0)
        stopped &= pd.Series(forms, dtype=object).str[:1].str.isupper().fillna(False).to_numpy(dtype=bool)
        self.name_tail = stopped & pd.Series(forms, dtype=object).str[:-1].isin(names).to_numpy(dtype=bool)
        # Acronyms: not a listed non-entity (also as plural or genitive, "CDs"), no roman
        # numeral, no stop word and never written in lower case in the corpus (shouting:
        # "NEIN", "LIVE").
        plain = pd.Series([f[:-1] if f.endswith("s") and f[-2:-1].isupper() else f for f in forms], dtype=object)
        self.acronym = (self.acronym_shape & ~plain.isin(NON_ENTITY_ACRONYMS).to_numpy(dtype=bool)
                        & ~plain.str.fullmatch(_ROMAN.pattern).to_numpy(dtype=bool)
                        & ~self.stop & (self.lower_case == 0))
        # The capitalised spelling of an acronym of four or more letters is the same name
        # ("Nato", "Tass"); shorter ones are words of names too often ("Un" in "Kim Jong Un").
        spelling = {f[0] + f[1:].lower(): i for i, f in zip(np.flatnonzero(self.acronym).tolist(),
                                                            forms[self.acronym].tolist()) if len(f) >= 4}
        spelt = pd.Series(forms, dtype=object).isin(spelling).to_numpy(dtype=bool)
        title = np.flatnonzero(self.cap & ~self.name & spelt)
        self.acronym[title] = True
        self.proper_adjective = self._proper_adjectives()

    def _proper_adjectives(self) -> np.ndarray:
        """Capitalised types inside sentences whose lower-case form is an inflected adjective
        or participle ("Europäische" → europäisch, "Vereinte" → vereinen)."""
        import simplemma

        out = np.zeros(self.n_types, dtype=bool)
        candidates = self.cap & (self.inside > 0) & ~self.name & ~self.role & ~self.calendar
        candidates &= pd.Series(self.lower, dtype=object).str.endswith(_ADJECTIVE_ENDINGS).to_numpy(dtype=bool)
        for i in np.flatnonzero(candidates).tolist():
            low = self.lower[i]
            lemma = simplemma.lemmatize(low, lang="de")
            if not lemma or not lemma[0].islower():
                continue
            stems = [low[: -len(e)] for e in _ADJECTIVE_ENDINGS if low.endswith(e)]
            participle = lemma.endswith("en") and any(s in (lemma[:-2] + "t", lemma[:-1] + "t") for s in stems)
            out[i] = lemma in stems or participle
        return out

    # ----------------------------------------------------------------------- reporting
    def verdicts(self) -> np.ndarray:
        verdict = np.full(self.n_types, "", dtype=object)
        det = np.nan_to_num(self.det_share, nan=0.0) >= MAX_DETERMINER_SHARE
        rules = [
            (np.ones(self.n_types, dtype=bool), "frequent word without name contexts"),
            (self.noun_suffix & ~self.name, "noun suffix without enough name contexts"),
            (self.nonnoun & ~self.name, "adjective or verb without enough name contexts"),
            (self.inflected & ~self.name, "inflected noun without enough name contexts"),
            (det, "after determiners"),
            (self.lower_case >= self.inside, "also written in lower case"),
            (self.calendar, "weekday or month"),
            (self.proper_adjective, "proper adjective"),
            (self.head, "organisation head"),
            (self.role, "role noun"),
            (self.name, "name"),
            (self.acronym, "acronym"),
        ]
        for mask, text in rules:  # later rules win
            verdict[mask] = text
        return verdict

    def words(self) -> pd.DataFrame:
        rows = np.flatnonzero((self.cap | self.acronym_shape) & (self.inside > 0))
        verdict = self.verdicts()
        frame = pd.DataFrame({
            "form": pd.Series(self.forms[rows], dtype=object),
            "count": self.total[rows],
            "inside": self.inside[rows],
            "documents": self.documents[rows],
            "lower_case": self.lower_case[rows],
            "zipf": self.zipf[rows],
            "determiner_share": np.round(self.det_share[rows], 3),
            "context_share": np.round(self.context_share[rows], 3),
            "lemma": pd.Series(self.lemma[rows], dtype=object),
            "verdict": pd.Series(verdict[rows], dtype=object),
        }, columns=list(WORD_COLUMNS))
        return frame.sort_values(["count", "form"], ascending=[False, True], kind="stable").reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _frequencies() -> dict:
    import wordfreq

    return wordfreq.get_frequency_dict("de")


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of an integer matrix and each row's position among them (``np.unique``
    with ``axis=0`` sorts structured values, much slower than a lexsort of the columns)."""
    if not len(rows):
        return rows, np.zeros(0, dtype=np.int64)
    order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    new = np.ones(len(rows), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    group = np.cumsum(new) - 1
    inverse = np.empty(len(rows), dtype=np.int64)
    inverse[order] = group
    return ordered[new], inverse


def _zipf(words) -> np.ndarray:
    """``wordfreq.zipf_frequency(word, "de")`` of lower-case words: plain words read from the
    frequency table at once (the same number, without the per-call tokenizer), others through
    the function."""
    import wordfreq

    table = _frequencies()
    out = np.zeros(len(words))
    for i, word in enumerate(words):
        if word.isalpha():
            frequency = table.get(word.casefold(), 0.0)
            out[i] = round(math.log10(frequency) + 9, 2) if frequency > 0 else 0.0
        else:
            out[i] = wordfreq.zipf_frequency(word, "de")
    return out


# --------------------------------------------------------------------------------------
# Spans: names in the text
# --------------------------------------------------------------------------------------


@dataclass
class _Spans:
    """Every name occurrence: its type ids (padded with -1), document, kind and evidence."""

    ids: np.ndarray          # (n, MAX_NAME_TOKENS) type ids
    docs: np.ndarray         # document position
    kind: np.ndarray         # _NAME, _ACRO or _ADJ
    role: np.ndarray         # type id of a role noun right before, or -1
    verb: np.ndarray         # reporting verb right before or after
    head: np.ndarray         # organisation head before or legal form after
    place: np.ndarray        # "in", "aus", "nach" or a place noun right before


def _blocks(mask: np.ndarray, piece: _Slice) -> tuple[np.ndarray, np.ndarray]:
    """First and last index of every run of consecutive True tokens within a sentence."""
    prev = piece.before(mask, fill=False) & piece.prev_ok
    nxt = piece.after(mask, fill=False) & piece.next_ok
    return np.flatnonzero(mask & ~prev), np.flatnonzero(mask & ~nxt)


def _find_spans(store: TokenStore, types: _TypeTable) -> _Spans:
    """Pass 3: runs of name types, acronyms and proper-adjective names, with their contexts."""
    L = MAX_NAME_TOKENS
    noun = types.cap & ~types.role & ~types.proper_adjective & ~types.calendar
    parts: dict[str, list] = defaultdict(list)
    for piece in _slices(store, types.kinds, types.opener):
        t = piece.types
        n = len(t)
        if not n:
            continue
        # Proper-adjective names: adjectives inside a sentence, then nouns up to the first head.
        adjective = types.proper_adjective[t] & piece.inside
        a_first, last = _blocks(adjective, piece)
        grown = np.zeros(len(a_first), dtype=bool)
        open_ = np.ones(len(a_first), dtype=bool)
        for _ in range(3):
            following = np.minimum(last + 1, n - 1)
            step = open_ & piece.next_ok[last] & noun[t[following]] & (last + 1 - a_first < L)
            last = np.where(step, following, last)
            grown |= step
            open_ = step & ~types.head[t[last]]
        a_first, a_last = a_first[grown], last[grown]
        covered = np.zeros(n + 1, dtype=np.int64)
        np.add.at(covered, a_first, 1)
        np.add.at(covered, a_last + 1, -1)
        covered = np.cumsum(covered)[:n] > 0
        # Names: runs of name types outside those, not longer than L and not initials only.
        name = types.name[t] & ~covered
        name |= types.name_tail[t] & piece.prev_ok & piece.before(name, fill=False)
        n_first, n_last = _blocks(name, piece)
        initials = np.concatenate([[0], np.cumsum(types.initial[t])])
        only_initials = initials[n_last + 1] - initials[n_first] == n_last - n_first + 1
        keep = (n_last - n_first < L) & ~only_initials
        n_first, n_last = n_first[keep], n_last[keep]
        x_first = np.flatnonzero(types.acronym[t] & ~covered & ~name)
        first = np.concatenate([n_first, x_first, a_first])
        last = np.concatenate([n_last, x_first, a_last])
        kind = np.concatenate([np.full(len(n_first), _NAME), np.full(len(x_first), _ACRO),
                               np.full(len(a_first), _ADJ)])
        ids = np.full((len(first), L), -1, dtype=np.int64)
        length = last - first + 1
        for j in range(L):
            rows = length > j
            ids[rows, j] = t[first[rows] + j]
        before_ok = piece.prev_ok[first]
        before = t[np.maximum(first - 1, 0)]
        after_ok = piece.next_ok[last]
        after = t[np.minimum(last + 1, n - 1)]
        parts["ids"].append(ids)
        parts["docs"].append(piece.docs[first])
        parts["kind"].append(kind)
        parts["role"].append(np.where(before_ok & types.role[before], before, -1))
        parts["verb"].append((before_ok & types.verb[before]) | (after_ok & types.verb[after]))
        parts["head"].append((before_ok & types.head[before]) | (after_ok & types.legal[after]))
        parts["place"].append(before_ok & (types.place_preposition[before] | types.place_head[before]))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Spans(np.zeros((0, L), dtype=np.int64), empty, empty, empty, empty.astype(bool),
                      empty.astype(bool), empty.astype(bool))
    return _Spans(**{k: np.concatenate(v) for k, v in parts.items()})


# --------------------------------------------------------------------------------------
# Grouping spellings into entities
# --------------------------------------------------------------------------------------

class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        """Join ``a``'s group into ``b``'s (``b``'s root stays the root)."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def roots(self) -> np.ndarray:
        return np.array([self.find(i) for i in range(len(self.parent))], dtype=np.int64)


def _adjective_stem(word: str) -> str:
    low = word.casefold()
    for ending in _ADJECTIVE_ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            return low[: -len(ending)]
    return low


def _strip_genitive(key: tuple) -> tuple | None:
    last = key[-1] if key else ""
    if len(last) > 2 and last.endswith("s"):
        return key[:-1] + (last[:-1],)
    return None


class _Groups:
    """Distinct spans (one per spelling), their keys, and the groups that are one entity."""

    def __init__(self, spans: _Spans, types: _TypeTable, min_documents: int):
        self.types = types
        self.min_documents = min_documents
        forms, lemma = types.forms, types.lemma
        rows, inverse = _unique_rows(np.column_stack([spans.kind, spans.ids]).astype(np.int64))
        self.n = n = len(rows)
        self.occurrence_span, self.occurrence_doc = inverse, spans.docs
        self.kind = rows[:, 0]
        self.ids = [[int(i) for i in row[1:] if i >= 0] for row in rows]
        self.parts = [[str(forms[i]) for i in ids] for ids in self.ids]
        self.text = [" ".join(p) for p in self.parts]
        self.count = np.bincount(inverse, minlength=n).astype(np.int64)
        self.person = np.bincount(inverse, weights=((spans.role >= 0) | spans.verb).astype(float), minlength=n)
        self.organisation = np.bincount(inverse, weights=spans.head.astype(float), minlength=n)
        self.place = np.bincount(inverse, weights=spans.place.astype(float), minlength=n)
        self.roles: list[Counter] = [Counter() for _ in range(n)]
        with_role = np.flatnonzero(spans.role >= 0)
        if len(with_role):
            pairs, which = _unique_rows(np.column_stack([inverse[with_role], spans.role[with_role]]))
            counts = np.bincount(which)
            for (span, role), c in zip(pairs.tolist(), counts.tolist()):
                word = str(lemma[role]) if str(lemma[role])[:1].isupper() else str(forms[role])
                self.roles[span][word] += c
        # Keys: hyphen and space variants and case fold together; proper adjectives by stem,
        # the other words of their names by lemma ("der Europäischen Union").
        self.key = []
        for k, ids, parts in zip(self.kind.tolist(), self.ids, self.parts):
            if k == _ADJ:
                self.key.append(("adj",) + tuple(_adjective_stem(forms[i]) if types.proper_adjective[i]
                                                 else str(lemma[i]).casefold() for i in ids))
            elif k == _ACRO and len(parts[0]) < 4:
                # A short acronym is not the word of a name written in capitals ("UN", "Un").
                self.key.append(("acronym", parts[0].casefold()))
            else:
                self.key.append(tuple(p for part in parts for p in part.casefold().split("-") if p))
        self.genitive = np.array([bool(ids) and bool(types.genitive_form[ids[-1]]) for ids in self.ids], dtype=bool)
        self.short_form = np.zeros(n, dtype=bool)
        self.split_into: dict[int, tuple[int, int]] = {}
        self.ambiguous: dict[int, list[int]] = {}
        self._group()

    # ------------------------------------------------------------------------ grouping
    def _group(self) -> None:
        uf = _UnionFind(self.n)
        by_key: dict[tuple, list[int]] = defaultdict(list)
        for i, key in enumerate(self.key):
            by_key[key].append(i)
        for members in by_key.values():
            for i in members[1:]:
                uf.union(i, members[0])
        name_keys = {k: v[0] for k, v in by_key.items() if k and k[0] not in ("adj", "acronym")}
        with_acronym = {k for k, v in by_key.items() if any(self.kind[j] == _ACRO for j in v)}
        # Genitives: the same key without the final "s".
        for key, i in name_keys.items():
            base = _strip_genitive(key)
            if base is not None and base in name_keys:
                self.genitive[by_key[key]] = True
                uf.union(i, name_keys[base])
        # Two names side by side ("Putin Kim"): split when rarer than both names alone.
        totals = np.bincount(uf.roots(), weights=self.count, minlength=self.n)
        for key, i in name_keys.items():
            if self.kind[i] != _NAME or len(key) < 2:
                continue
            best = None
            for cut in range(1, len(key)):
                left, right = key[:cut], key[cut:]
                if left in name_keys and right in name_keys:
                    alone = (totals[uf.find(name_keys[left])], totals[uf.find(name_keys[right])])
                    together = totals[uf.find(i)]
                    if together < min(alone) and (best is None or min(alone) > best[0]):
                        best = (min(alone), name_keys[left], name_keys[right])
            if best is not None:
                for j in by_key[key]:
                    self.split_into[j] = (best[1], best[2])
        split = {self.key[j] for j in self.split_into}
        names = {k: i for k, i in name_keys.items()
                 if k not in split and k not in with_acronym and not self.genitive[i]}
        # Middle names that are patronymics or initials: "Wladimir Wladimirowitsch Putin" and
        # "George W. Bush" join "Wladimir Putin" and "George Bush" (but "Kim Yo Jong" is not
        # "Kim Jong").
        for key, i in names.items():
            if len(key) >= 3 and (key[0], key[-1]) in names and all(_MIDDLE_NAME.fullmatch(p) for p in key[1:-1]):
                uf.union(i, names[(key[0], key[-1])])
        # Short forms: the beginning or end of exactly one longer name. Where several longer
        # names share it, only those in min_documents documents count, so that a stray run
        # does not make a short form ambiguous.
        long_roots: dict[tuple, set[int]] = defaultdict(set)
        for key, i in names.items():
            if len(key) >= 2:
                for cut in range(1, len(key)):
                    long_roots[key[:cut]].add(i)
                    long_roots[key[cut:]].add(i)

        def targets_of(key, own):
            found = {uf.find(r) for r in long_roots.get(key, ())} - {own}
            frequent = {r for r in found if documents.get(r, 0) >= self.min_documents}
            return frequent if len(frequent) >= 1 else found

        # Longest first, so that "Jong Un" has joined "Kim Jong Un" before "Un" is looked at;
        # documents are counted again for each length, after the longer forms have joined.
        length = None
        for key, i in sorted(name_keys.items(), key=lambda item: -len(item[0])):
            if key in split or key in with_acronym:
                continue
            if len(key) != length:
                length, documents = len(key), self._documents_of(uf.roots())
            own = uf.find(i)
            targets = targets_of(key, own)
            genitive = False
            base = _strip_genitive(key)
            if not targets and base is not None:
                targets = targets_of(base, own)
                genitive = bool(targets)
            if len(targets) == 1:
                uf.union(i, targets.pop())
                self.short_form[by_key[key]] = True
                if genitive:
                    self.genitive[by_key[key]] = True
            elif len(targets) > 1:
                self.ambiguous[own] = sorted(targets)
        self.root = uf.roots()
        self.ambiguous = {int(self.root[r]): sorted({int(self.root[t]) for t in ts})
                          for r, ts in self.ambiguous.items()}

    def _documents_of(self, roots: np.ndarray) -> dict[int, int]:
        """Distinct documents per group; a split span counts for both its names."""
        span, doc = self.occurrence_span, self.occurrence_doc
        if not len(span):
            return {}
        group = roots[span]
        groups, docs = [group], [doc]
        if self.split_into:
            split = np.array(sorted(self.split_into), dtype=np.int64)
            is_split = np.zeros(self.n, dtype=bool)
            is_split[split] = True
            groups[0] = np.where(is_split[span], -1, group)
            for side in (0, 1):
                target = np.full(self.n, -1, dtype=np.int64)
                target[split] = roots[[self.split_into[s][side] for s in split.tolist()]]
                groups.append(target[span])
                docs.append(doc)
        group, doc = np.concatenate(groups), np.concatenate(docs)
        keep = group >= 0
        width = int(doc.max()) + 1
        pairs = np.unique(group[keep] * width + doc[keep])  # one int64 per (group, document)
        found, counts = np.unique(pairs // width, return_counts=True)
        return dict(zip(found.tolist(), counts.tolist()))

    # -------------------------------------------------------------------------- output
    def table(self, unknown_type: str | None) -> pd.DataFrame:
        """One row per group of spellings (ambiguous short forms included)."""
        documents = self._documents_of(self.root)
        # Split spans hand their counts to both names, the evidence before them to the left one.
        count = self.count.copy()
        person = np.where(self.genitive, 0.0, self.person)  # "Präsident Russlands", "Putins Berater"
        organisation, place = self.organisation.copy(), self.place.copy()
        roles = [Counter() if g else Counter(r) for r, g in zip(self.roles, self.genitive)]
        for span, (left, right) in self.split_into.items():
            count[left] += self.count[span]
            count[right] += self.count[span]
            person[left] += person[span]
            organisation[left] += organisation[span]
            place[left] += place[span]
            roles[left].update(roles[span])
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(self.n):
            if i not in self.split_into:
                members[int(self.root[i])].append(i)
        rows = []
        for root, group in members.items():
            group.sort(key=lambda j: (-count[j], self.text[j]))
            name = self._name(group, count)
            evidence = (float(person[group].sum()), float(organisation[group].sum()), float(place[group].sum()))
            role_counts: Counter = Counter()
            for j in group:
                role_counts.update(roles[j])
            kind, reason = self._kind(group, evidence)
            status, ambiguous_with = "kept", ""
            if root in self.ambiguous:
                status, kind, reason = "ambiguous", "unknown", "short form of several names"
                ambiguous_with = " | ".join(sorted(self._name(sorted(members[t], key=lambda j: -count[j]), count)
                                                   for t in self.ambiguous[root] if t in members))
            elif documents.get(root, 0) < self.min_documents:
                status = "too few documents"
            elif kind == "unknown" and unknown_type is None:
                status = "no kind evidence"
            rows.append((name, kind, status, int(documents.get(root, 0)), int(count[group].sum()),
                         " | ".join(self.text[j] for j in group), int(evidence[0]), int(evidence[1]),
                         int(evidence[2]),
                         " | ".join(r for r, _ in sorted(role_counts.items(), key=lambda rc: (-rc[1], rc[0]))),
                         reason, ambiguous_with, tuple(group)))
        table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS) + ["_members"])
        rank = table["status"].map({"kept": 0, "ambiguous": 1, "no kind evidence": 2, "too few documents": 3})
        table = table.assign(_rank=rank).sort_values(["_rank", "documents", "mentions", "name"],
                                                     ascending=[True, False, False, True], kind="stable")
        table = table.drop(columns="_rank").reset_index(drop=True)
        for column in ("documents", "mentions", "person_evidence", "organisation_evidence", "place_evidence"):
            table[column] = table[column].astype(np.int64)
        return table

    def _name(self, group: list[int], count: np.ndarray) -> str:
        """The most frequent form of several words (no genitive), else the most frequent form;
        proper-adjective names prefer forms without "-en" adjectives, acronyms capitals."""
        types = self.types
        pool = [j for j in group if not self.genitive[j]] or group
        nominative = [j for j in pool if self.kind[j] == _ADJ
                      and not any(types.proper_adjective[i] and types.forms[i].endswith("en") for i in self.ids[j])]
        pool = nominative or pool
        capitals = [j for j in pool if self.kind[j] == _ACRO and self.text[j].isupper()]
        pool = capitals or [j for j in pool if len(self.parts[j]) > 1] or pool
        return self.text[min(pool, key=lambda j: (-count[j], -len(self.text[j]), self.text[j]))]

    def _kind(self, group: list[int], evidence: tuple[float, float, float]) -> tuple[str, str]:
        types = self.types
        acronyms = [self.text[j] for j in group if self.kind[j] == _ACRO]
        if acronyms:
            if any(a.upper() in PLACE_ACRONYMS or a in PLACE_ACRONYMS for a in acronyms):
                return "place", "country acronym"
            return "organisation", "acronym"
        if any(types.sources.source_of(self.text[j]) for j in group):
            return "organisation", "news source (sources.yml)"
        heads = [types.forms[self.ids[j][-1]] for j in group if self.kind[j] == _ADJ and types.head[self.ids[j][-1]]]
        if heads:
            return "organisation", f"organisation head ({heads[0]})"
        person, organisation, place = evidence
        best = max(evidence)
        if best > 0 and sorted(evidence)[1] == best:
            counts = f"person {int(person)}, organisation {int(organisation)}, place {int(place)}"
            return "unknown", f"tied evidence ({counts})"
        if best > 0:
            if person == best:
                return "person", f"role nouns or reporting verbs ({int(person)})"
            if organisation == best:
                return "organisation", f"organisation head before or legal form after ({int(organisation)})"
            return "place", f"after in/aus/nach or a place noun ({int(place)})"
        if self.short_form[group].any() and any(len(self.parts[j]) > 1 for j in group):
            return "person", "full name with a short form"
        return "unknown", "no evidence"


def _registry(groups: _Groups, table: pd.DataFrame, max_entities, unknown_type) -> tuple[Registry, pd.DataFrame]:
    """The registry of the kept rows, and the table without its working column."""
    kept = table.index[table["status"] == "kept"]
    if max_entities is not None and len(kept) > max_entities:
        table.loc[kept[max_entities:], "status"] = "beyond max_entities"
        kept = kept[:max_entities]
    entities = []
    for i in kept.tolist():
        row = table.loc[i]
        kind = unknown_type if row["type"] == "unknown" else row["type"]
        # A variant must tokenize on its own as it did in the text, or it could never match.
        variants = [groups.text[j] for j in row["_members"]
                    if [t.text for t in tokenize_text(groups.text[j])] == groups.parts[j]]
        if row["name"] not in variants:
            table.loc[i, "status"] = "not matchable"
            continue
        variants.remove(row["name"])
        roles = tuple(r for r in row["roles"].split(" | ") if r)[:5] if kind == "person" else ()
        what = row["type"] if row["type"] != "unknown" else f"{kind} (kind unknown)"
        note = f"{SOURCE}: {what}, {row['reason']}; {row['mentions']} mentions in {row['documents']} documents"
        entities.append(Entity(row["name"], kind, row["name"], (row["name"], *variants), None, roles, (), note))
    table = table.drop(columns="_members")[list(TABLE_COLUMNS)]
    return Registry(tuple(entities), {}, SOURCE), table
