"""Same story, different words: parallel passages across outlets and each outlet's substitutions.

The stage runs after the token store and the entity mentions (``prepare_corpus``):

* :mod:`~analysis.align.stories` — which articles report the same event (a metadata column or
  TF-IDF similarity within a date window);
* :mod:`~analysis.align.units` — sentences as units: content keys, entities, numbers;
* :mod:`~analysis.align.passages` — which sentences of two articles of different outlets report the
  same fact (lemma and character n-gram TF-IDF, entities, numbers; a global assignment plus the best
  partner of each sentence), shared wire copy marked;
* :mod:`~analysis.align.substitutions` and :mod:`~analysis.align.attribution` — what differs within an
  aligned pair: substitutions, insertions and deletions (evaluative words flagged), labels of the
  same person, quotations attributed in one outlet and not in the other;
* :mod:`~analysis.align.run` — :func:`align_corpus`, story by story in the chunked map;
* :mod:`~analysis.align.tables` — the tidy tables; :mod:`~analysis.align.validate` — precision and
  recall against a gold alignment.

The names are imported on first use.
"""

from importlib import import_module

#: Public name → module that defines it.
_EXPORTS = {
    "find_stories": "stories",
    "sentence_units": "units",
    "align_units": "passages",
    "pair_scores": "passages",
    "diff_pair": "substitutions",
    "label_changes": "substitutions",
    "attribution_changes": "attribution",
    "align_corpus": "run",
    "AlignmentResult": "run",
    "substitution_table": "tables",
    "label_table": "tables",
    "evaluative_table": "tables",
    "article_table": "tables",
    "validate_alignment": "validate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
