"""Lexicon-based sentiment: per-token contributions, sentences, documents, persons, outlets.

The pieces:

* :mod:`analysis.sentiment.lexicon` — the default German lexicon and readers for SentiWS,
  Rauh, GerVADER and plain lexicons (:func:`load_lexicon`);
* :mod:`analysis.sentiment.scorer` — :func:`score_tokens` (the contribution of every token,
  with negation and modifiers), :func:`score_sentences`, :func:`score_documents`;
* :mod:`analysis.sentiment.levels` — sentences about persons (:func:`score_persons`) and
  outlet means with bootstrap intervals (:func:`aggregate_sentiment`);
* :mod:`analysis.sentiment.validate` — agreement with human labels; run
  ``python -m analysis validate-sentiment --gold FILE.csv``. Import the function with
  ``from analysis.sentiment.validate import validate`` (it is not re-exported here, so that
  the module can also run as a program).

Examples
--------
>>> from analysis.sentiment import score_text
>>> score_text("Der Besuch war ein großer Erfolg.") > 0
True
"""

from .lexicon import (
    DEFAULT_LEXICON,
    Lexicon,
    default_lexicon,
    default_lexicon_notice,
    load_lexicon,
    read_gervader,
    read_pattern_xml,
    read_plain,
    read_rauh,
    read_sentiws,
)
from .levels import aggregate_sentiment, person_sentences, score_persons
from .scorer import (
    MODIFIERS,
    NEGATORS,
    explain,
    score_documents,
    score_sentences,
    score_text,
    score_tokens,
)

__all__ = [
    "DEFAULT_LEXICON",
    "Lexicon",
    "MODIFIERS",
    "NEGATORS",
    "aggregate_sentiment",
    "default_lexicon",
    "default_lexicon_notice",
    "explain",
    "load_lexicon",
    "person_sentences",
    "read_gervader",
    "read_pattern_xml",
    "read_plain",
    "read_rauh",
    "read_sentiws",
    "score_documents",
    "score_persons",
    "score_sentences",
    "score_text",
    "score_tokens",
]
