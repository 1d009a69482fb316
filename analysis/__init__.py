"""Media-framing analysis for German news text.

The pipeline runs one way: ``load_corpus`` → ``prepare_store`` (cleaning, tokens, in chunks and
workers) → ``count_store`` / ``group_counts`` → analyses (``tfidf``, ``keyness``, ``kwic``,
labels, frames, quotes, sources, sentiment) → tidy tables → figures. ``prepare_corpus`` runs
the first steps once and caches them. See ``docs/pipeline.md`` for the tables each step takes
and returns.

The public functions are available at the top level::

    import analysis as fa
    prepared = fa.prepare_corpus("my_corpus.csv")
    fa.keyness_all(prepared.group_counts)              # every outlet against the rest

They are imported on first use, so ``import analysis`` stays quick. ``analysis.tfidf``,
``analysis.keyness`` and ``analysis.kwic`` are the modules of the functions of the same name
(binding the functions there would hide the modules); call ``fa.tfidf.tfidf(...)`` or import
the function from its module.
"""

from importlib import import_module

__version__ = "0.1.0"

#: Public name → module that defines it.
_EXPORTS = {
    "prepare_corpus": "pipeline", "PreparedCorpus": "pipeline",
    "load_corpus": "corpus", "bundled_corpus_path": "corpus",
    "clean_corpus": "clean", "clean_text": "clean", "restore_raw": "clean",
    "tokenize": "text", "tokenize_text": "text", "sentences": "text", "split_sentences": "text",
    "TokenStore": "store", "prepare_store": "store", "make_executor": "store",
    "count_store": "store.counting",
    "count_terms": "counts", "group_counts": "counts", "CountMatrix": "counts",
    "keyness_all": "keyness",
    "bootstrap_keyness": "robustness",
    "format_kwic": "kwic", "compile_pattern": "kwic",
    "collocates": "collocations",
    "load_registry": "entities", "find_mentions": "entities",
    "load_labels": "labels", "attribute_labels": "labels", "label_shares": "labels",
    "read_dictionary": "dictionary", "match_dictionary": "frames", "frame_rates": "frames",
    "find_quotations": "quotes", "find_sources": "sources",
    "load_lexicon": "sentiment", "score_tokens": "sentiment", "score_sentences": "sentiment",
    "render_figures": "figures",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__():
    return __all__
