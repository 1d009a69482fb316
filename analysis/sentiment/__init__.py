"""Sentiment of German news: a trained model toward a target, and the lexicon scorer it builds on.

The default is the **trained model** (:mod:`analysis.sentiment.model`): three classes
(negative, neutral, positive) toward a target — a person mention, a gold target, or the
sentence itself — learnt on German news sentences (GerNTSA) from n-grams and the lexicon
scorer's evidence around the target; every prediction can be traced back to its words
(:func:`explain_prediction`). ``model="lexicon"`` keeps the pure lexicon scorer, for teaching
and for reading the evidence.

The pieces:

* :mod:`analysis.sentiment.model` — :func:`predict_texts`, :func:`explain_prediction`, the
  shipped model (:func:`default_model`) and its JSON file;
* :mod:`analysis.sentiment.features`, :mod:`analysis.sentiment.predict` — the model's features
  on token arrays, and the model on a corpus (sentences, documents, person mentions);
* :mod:`analysis.sentiment.train` — ``python -m analysis train-sentiment --gold FILE.csv --out MODEL``;
* :mod:`analysis.sentiment.cleanup` — the clean-up of the default lexicon for news;

* :mod:`analysis.sentiment.lexicon` — the default German lexicon and readers for SentiWS,
  Rauh, GerVADER and plain lexicons (:func:`load_lexicon`);
* :mod:`analysis.sentiment.scorer` — :func:`score_tokens` (the contribution of every token,
  with negation and modifiers), :func:`score_sentences`, :func:`score_documents`;
* :mod:`analysis.sentiment.levels` — sentences about persons (:func:`score_persons`) and
  outlet means with bootstrap intervals (:func:`aggregate_sentiment`);
* :mod:`analysis.sentiment.validate` — agreement with human labels (grouped cross-validation
  of the model, baselines and ablations); run
  ``python -m analysis validate-sentiment --gold FILE.csv``. Import the function with
  ``from analysis.sentiment.validate import validate`` (it is not re-exported here, so that
  the module can also run as a program).

Examples
--------
>>> from analysis.sentiment import predict_texts, score_text
>>> score_text("Der Besuch war ein großer Erfolg.") > 0
True
>>> text = "Die Kritiker warfen Minister Otto Rehm Lügen und Versagen vor."
>>> predict_texts([text], [(text.index("Otto"), text.index("Otto") + 9)])["label"].tolist()
['negative']
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
from .cleanup import clean_lexicon
from .levels import aggregate_sentiment, person_mentions, person_sentences, score_persons
from .model import SentimentModel, default_model, explain_prediction, load_model, predict_texts
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
    "SentimentModel",
    "aggregate_sentiment",
    "clean_lexicon",
    "default_model",
    "explain_prediction",
    "load_model",
    "person_mentions",
    "predict_texts",
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
