"""Counts → statistics: term counts, TF-IDF, keyness, intervals, collocations, KWIC.

* :mod:`analysis.stats.counts` — document-term and group-term counts (:class:`CountMatrix`);
* :mod:`analysis.stats.frequency` — count, rate, rank and document frequency per group;
* :mod:`analysis.stats.tfidf` — TF-IDF variants;
* :mod:`analysis.stats.keyness` — log-odds with an informative Dirichlet prior, χ², G², log ratio;
* :mod:`analysis.stats.background` — general German (wordfreq) as a keyness reference;
* :mod:`analysis.stats.robustness` — keyness under resampling of articles;
* :mod:`analysis.stats.intervals` — the Wilson interval used by every share;
* :mod:`analysis.stats.collocations` — collocates (PMI, t-score, log-likelihood);
* :mod:`analysis.stats.kwic` — token patterns and keywords in context;
* :mod:`analysis.stats.dispersion` — how evenly and where a pattern occurs in each group's articles;
* :mod:`analysis.stats.describe` — corpus size per group.
"""
