"""Media-framing analysis for German news text.

The pipeline runs one way, and the folders follow it:

* ``io`` — sources → corpus: ``load_corpus`` (validated documents table and ledger);
* ``clean`` — cleaned text with an audit of every edit;
* ``text`` — tokens and sentences;
* ``store`` — the token store (integer ids over one vocabulary), chunked preparation in
  worker processes, the matching engine, the on-disk cache;
* ``stats`` — counts, TF-IDF, keyness, intervals, collocations, KWIC;
* ``framing`` — entities, actor labels, frame dictionaries, quotations, sources;
* ``sentiment`` — lexicon scoring and its aggregation;
* ``align`` — same story, different words: parallel passages across outlets and their substitutions;
* ``plots`` — one module per kind of figure; ``report`` — every figure with its caption, and
  the offline report site (``report.site``);
* ``pipeline`` — ``prepare_corpus`` runs the first stages once and caches them; ``cli`` —
  ``python -m analysis <command>``.

See ``docs/pipeline.md`` for the tables each step takes and returns. The public functions
are available at the top level::

    import analysis as fa
    prepared = fa.prepare_corpus("my_corpus.csv")
    fa.keyness_all(prepared.group_counts)              # every outlet against the rest
    fa.keyness(prepared.group_counts, "Tagesblatt")    # one outlet against the rest

They are imported on first use, so ``import analysis`` stays quick.
"""

from importlib import import_module

__version__ = "0.1.0"

#: Public name → module that defines it.
_EXPORTS = {
    "prepare_corpus": "pipeline", "PreparedCorpus": "pipeline",
    "load_corpus": "io.corpus", "bundled_corpus_path": "io.corpus",
    "duplicate_pairs": "io.duplicates",
    "clean_corpus": "clean", "clean_text": "clean", "restore_raw": "clean",
    "tokenize": "text", "tokenize_text": "text", "sentences": "text", "split_sentences": "text",
    "TokenStore": "store", "prepare_store": "store", "make_executor": "store",
    "count_store": "store.counting",
    "count_terms": "stats.counts", "group_counts": "stats.counts", "CountMatrix": "stats.counts",
    "running_words": "stats.counts",
    "term_frequency": "stats.frequency",
    "tfidf": "stats.tfidf",
    "keyness": "stats.keyness", "keyness_all": "stats.keyness", "keyness_within": "stats.keyness",
    "general_german": "stats.background",
    "bootstrap_keyness": "stats.robustness",
    "wilson_interval": "stats.intervals", "cluster_bootstrap_ratio": "stats.intervals",
    "adjust_fdr": "stats.keyness", "keyness_statistic": "stats.keyness",
    "kwic": "stats.kwic", "format_kwic": "stats.kwic", "compile_pattern": "stats.kwic",
    "collocates": "stats.collocations",
    "dispersion": "stats.dispersion",
    "load_registry": "framing.entities", "find_mentions": "framing.entities",
    "load_labels": "framing.labels", "load_german_news_labels": "framing.labels", "attribute_labels": "framing.labels",
    "attribute_labels_in_parts": "framing.labels", "label_shares": "framing.labels",
    "read_dictionary": "framing.dictionary", "match_dictionary": "framing.frames", "frame_rates": "framing.frames",
    "load_starter_dictionary": "framing.frames", "load_generic_dictionary": "framing.frames",
    "find_quotations": "framing.quotes", "find_sources": "framing.sources",
    "load_source_registry": "framing.reporting",
    "load_lexicon": "sentiment", "score_tokens": "sentiment", "score_sentences": "sentiment",
    "score_documents": "sentiment", "score_persons": "sentiment", "aggregate_sentiment": "sentiment",
    "render_figures": "report.figures",
    "find_stories": "align.stories", "align_corpus": "align.run", "substitution_table": "align.tables",
    "label_table": "align.tables", "evaluative_table": "align.tables", "validate_alignment": "align.validate",
    "write_report": "report.site", "SiteLimits": "report.site",
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
