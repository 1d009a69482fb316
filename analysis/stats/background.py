"""General German as a reference: word frequencies shipped with ``wordfreq``, as counts per term.

Keyness against the other outlets says how an outlet differs from its peers; against general
German it says how it differs from ordinary usage — useful for a corpus of one outlet, or to
see which words all outlets share because the story needs them. ``wordfreq`` (Speer 2022;
code Apache-2.0, word lists CC BY-SA 4.0) ships a German frequency list built from several
sources (subtitles, Wikipedia, news, web text); nothing is downloaded.

The list gives each lower-cased word form's share of running text. :func:`general_german`
turns it into counts over a corpus's terms: for lemmas (or stems), the shares of the corpus's
own forms of each lemma are summed, each lower-cased form once. The list's corpus size is not
published, so counts are given per a nominal :data:`NOMINAL_TOTAL` words: effect sizes (log
ratio) are meaningful, p-values are not — use ``measure="logratio"`` against this background.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .counts import check_by

__all__ = ["NOMINAL_TOTAL", "general_german"]

#: Running words the background's counts are scaled to (the frequency list's own size is unknown).
NOMINAL_TOTAL = 1_000_000_000


@lru_cache(maxsize=1)
def _frequencies() -> dict:
    try:
        import wordfreq
    except ImportError:  # a declared dependency, but say what to do if it is missing
        raise ParameterError("general German needs the wordfreq package",
                             hint='install the project again: pip install -e "."') from None
    return wordfreq.get_frequency_dict("de")


def general_german(vocabulary: pd.DataFrame, *, by: str = "lemma", total: float = NOMINAL_TOTAL) -> pd.Series:
    """Counts of a corpus's terms in general German, per ``total`` running words.

    Parameters
    ----------
    vocabulary : pandas.DataFrame
        A token store's vocabulary (``prepared.store.vocabulary``: ``form`` and the ``by`` column).
    by : {"lemma", "token", "stem"}
        What the corpus counts: the background is keyed the same way.
    total : float
        Running words the counts are scaled to.

    Returns
    -------
    pandas.Series
        float counts indexed by term, for :func:`analysis.stats.keyness.keyness` with
        ``reference="background", background=..., background_total=total``. Terms whose
        forms the list does not know are left out (count 0).

    Examples
    --------
    >>> vocabulary = pd.DataFrame({"form": ["Diktator", "Diktatoren", "Die", "die"],
    ...                            "lemma": ["Diktator", "Diktator", "der", "der"]})
    >>> counts = general_german(vocabulary)
    >>> import wordfreq
    >>> share = wordfreq.get_frequency_dict("de")
    >>> bool(np.isclose(counts["Diktator"], (share["diktator"] + share["diktatoren"]) * 1e9))
    True
    >>> bool(np.isclose(counts["der"], share["die"] * 1e9))  # "Die" and "die": one word of the list
    True
    """
    check_by(by)
    column = "form" if by == "token" else by
    for name in ("form", column):
        if name not in vocabulary.columns:
            raise ParameterError(f"the vocabulary has no column {name!r}", hint="pass prepared.store.vocabulary")
    if not total > 0:
        raise ParameterError(f"total={total!r} must be positive", hint=f"e.g. {NOMINAL_TOTAL:,}")
    frequencies = _frequencies()
    pairs = pd.DataFrame({"term": vocabulary[column].astype(str).to_numpy(),
                          "lower": vocabulary["form"].astype(str).str.lower().to_numpy()})
    # Each lower-cased form counts once per term: "Die" and "die" are one word in the list.
    pairs = pairs.drop_duplicates()
    pairs["share"] = np.fromiter((frequencies.get(w, 0.0) for w in pairs["lower"].tolist()), dtype=np.float64,
                                 count=len(pairs))
    counts = pairs[pairs["share"] > 0].groupby("term", sort=True)["share"].sum() * float(total)
    counts.index.name = "term"
    return counts.rename("count")
