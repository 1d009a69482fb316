"""The scoring rules of the lexicon scorer: negators, clause words, modifiers, and their checks.

Shared by the lexicon scorer (:mod:`analysis.sentiment.scorer`) and the trained model's
lexicon features (:mod:`analysis.sentiment.model`, :mod:`analysis.sentiment.train`), so that
both read the same rules and neither imports the other.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

import numpy as np

from ..errors import ParameterError
from .engine import Rules
from .lexicon import Lexicon, load_lexicon

__all__ = ["CLAUSE_WORDS", "MODIFIERS", "NEGATION_BLOCKERS", "NEGATORS", "scoring_rules"]

#: Negation words (lower-case). *noch* is added only after *weder* in the same sentence.
NEGATORS: frozenset[str] = frozenset(
    "nicht kein keine keinen keinem keiner keines keinerlei keineswegs keinesfalls nie niemals "
    "nirgends nirgendwo ohne nichts niemand niemanden niemandem weder".split()
)
#: Words that end a negation scope or a modifier's reach, like punctuation does.
CLAUSE_WORDS: frozenset[str] = frozenset(
    "aber sondern jedoch doch obwohl weil denn dass während wobei".split()
)
#: A negator directly followed by one of these negates nothing ("nicht nur", "nicht zuletzt").
NEGATION_BLOCKERS: frozenset[str] = frozenset("nur zuletzt allein umsonst minder".split())
# Words are compared casefolded ("äußerst" → "äusserst").
CLAUSE_FOLDED = frozenset(w.casefold() for w in CLAUSE_WORDS)
BLOCKERS_FOLDED = frozenset(w.casefold() for w in NEGATION_BLOCKERS)
#: Intensifiers (> 1) and diminishers (< 1): word → multiplier of the next sentiment words.
MODIFIERS: Mapping[str, float] = {
    "sehr": 1.5, "besonders": 1.5, "äußerst": 1.8, "extrem": 1.8, "höchst": 1.8, "überaus": 1.8,
    "außerordentlich": 1.8, "zutiefst": 1.8, "hochgradig": 1.8, "ausgesprochen": 1.5,
    "absolut": 1.5, "völlig": 1.5, "total": 1.5, "enorm": 1.5, "ungemein": 1.5, "ziemlich": 1.25,
    "kaum": 0.3, "wenig": 0.5, "weniger": 0.5, "etwas": 0.7, "leicht": 0.7, "bisschen": 0.7,
    "einigermaßen": 0.7, "halbwegs": 0.7, "eher": 0.8, "relativ": 0.8,
}


def check_window(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ParameterError(f"{name} must be a non-negative whole number, got {value!r}")
    return int(value)


def check_flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def as_lexicon(lexicon) -> Lexicon:
    return load_lexicon("default" if lexicon is None else lexicon)


def modifier_table(modifiers) -> dict[str, float]:
    if modifiers is None:
        return {word.casefold(): value for word, value in MODIFIERS.items()}
    if not isinstance(modifiers, Mapping):
        raise ParameterError(
            f"modifiers must be a mapping word → multiplier, got {type(modifiers).__name__}",
            hint="e.g. {'sehr': 1.5, 'kaum': 0.3}; {} switches modifiers off",
        )
    table = {}
    for word, value in modifiers.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not isinstance(word, str) or not math.isfinite(number):
            raise ParameterError(f"modifier {word!r}: the multiplier {value!r} is not a finite number")
        table[word.casefold()] = number
    return table


def negator_set(negators) -> frozenset[str]:
    if negators is None:
        return frozenset(w.casefold() for w in NEGATORS)
    if isinstance(negators, str) or not isinstance(negators, Iterable):
        raise ParameterError("negators must be a collection of words", hint="e.g. {'nicht', 'kein'}")
    return frozenset(str(w).casefold() for w in negators)


def scoring_rules(lexicon, negation, negators, negation_window, negation_factor, modifiers, modifier_window,
           compounds) -> Rules:
    """Validate the scoring options, up front, into one :class:`~analysis.sentiment.engine.Rules`."""
    try:
        factor = float(negation_factor)
    except (TypeError, ValueError):
        factor = math.nan
    if not math.isfinite(factor):
        raise ParameterError(f"negation_factor must be a finite number, got {negation_factor!r}")
    return Rules(
        lexicon=as_lexicon(lexicon),
        negation=check_flag(negation, "negation"),
        negators=negator_set(negators),
        negation_window=check_window(negation_window, "negation_window"),
        negation_factor=factor,
        modifiers=modifier_table(modifiers),
        modifier_window=check_window(modifier_window, "modifier_window"),
        compounds=check_flag(compounds, "compounds"),
        clause_words=CLAUSE_FOLDED,
        blockers=BLOCKERS_FOLDED,
    )
