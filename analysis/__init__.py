"""Media-framing analysis for German news text.

The pipeline runs one way: ``load_corpus`` → ``clean_corpus`` → ``tokenize`` →
``count_terms`` / ``group_counts`` → analyses (``tfidf``, ...) → tidy tables → figures.
See ``docs/pipeline.md`` for the tables each step takes and returns.
"""

__version__ = "0.1.0"
