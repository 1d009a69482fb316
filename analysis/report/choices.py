"""Choices made for the user when a parameter is left open: which outlet to characterise,
which terms and persons to show, how to resample.

The notebooks and the figures call these when their parameters are ``None``, so they run on
any corpus and show that corpus's own values instead of values written for one story. Every
function is a plain rule, documented, so a reader can say why a value was chosen.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import ParameterError

__all__ = [
    "bootstrap_unit",
    "default_target",
    "is_bundled",
    "labelled_persons",
    "starter_dictionary",
    "starter_labels",
    "most_varied_entity",
    "principal_persons",
    "prior_examples",
    "typical_terms",
]


def _need(table, columns, what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"expected a pandas DataFrame ({what}), got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(f"the table has no column {', '.join(map(repr, missing))}", hint=f"pass {what}")


def default_target(metadata: pd.DataFrame, group: str = "outlet") -> str:
    """The group with the most documents (ties: the first in alphabetical order).

    The largest outlet is the one a comparison says most about: its counts are the most
    stable.

    Examples
    --------
    >>> meta = pd.DataFrame({"outlet": ["B", "A", "B", "A", "C"]})
    >>> default_target(meta)
    'A'
    """
    _need(metadata, [group], "the documents table")
    if metadata.empty:
        raise ParameterError("the documents table is empty: there is no group to choose")
    sizes = metadata[group].astype(str).value_counts()
    return sorted(sizes.index[sizes == sizes.max()])[0]


def typical_terms(keyness_table: pd.DataFrame, n: int = 5) -> list[str]:
    """The ``n`` terms most typical of the target in a keyness table (largest positive statistic).

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["a", "b", "c"], "statistic": [-1.0, 3.0, 2.0]})
    >>> typical_terms(table, 2)
    ['b', 'c']
    """
    _need(keyness_table, ["term", "statistic"], "the output of analysis.stats.keyness.keyness")
    positive = keyness_table[keyness_table["statistic"] > 0]
    return positive.nlargest(n, "statistic")["term"].astype(str).tolist()


def prior_examples(keyness_table: pd.DataFrame) -> list[str]:
    """Three terms that show what the Dirichlet prior does: the most typical term of the target,
    the rarest term only the target uses (a 1 : 0 count is an infinite ratio the prior tames),
    and the most frequent term of both sides (whose z the prior hardly moves). Fewer when the
    table has fewer distinct candidates.

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["Krieg", "Gipfel", "Freund", "und"], "statistic": [2.5, 1.0, 0.2, 0.0],
    ...                       "n_target": [9, 1, 3, 40], "n_reference": [1, 0, 2, 38]})
    >>> prior_examples(table)
    ['Krieg', 'Gipfel', 'und']
    """
    _need(keyness_table, ["term", "statistic", "n_target", "n_reference"],
          "the output of analysis.stats.keyness.keyness")
    chosen = []
    if len(keyness_table):
        chosen.append(keyness_table.loc[keyness_table["statistic"].idxmax(), "term"])
        only_target = keyness_table[(keyness_table["n_reference"] == 0) & (keyness_table["n_target"] > 0)]
        if len(only_target):
            chosen.append(only_target.sort_values(["n_target", "term"]).iloc[0]["term"])
        both = keyness_table["n_target"] + keyness_table["n_reference"]
        chosen.append(keyness_table.loc[both.idxmax(), "term"])
    return [str(t) for t in dict.fromkeys(chosen)]


def principal_persons(mentions: pd.DataFrame, n: int = 4) -> list[str]:
    """The ``n`` most mentioned persons (entity names of type ``person``), most mentioned first.

    Examples
    --------
    >>> mentions = pd.DataFrame({"entity": ["Scholz", "Merz", "Scholz", "Bundestag"],
    ...                          "type": ["person", "person", "person", "organisation"]})
    >>> principal_persons(mentions)
    ['Scholz', 'Merz']
    """
    _need(mentions, ["entity", "type"], "the mentions table (prepared.mentions or find_mentions)")
    persons = mentions.loc[mentions["type"] == "person", "entity"].astype(str)
    counts = persons.value_counts()
    return sorted(counts.index, key=lambda name: (-counts[name], name))[:n]


def labelled_persons(shares: pd.DataFrame, n: int = 4) -> list[str]:
    """The ``n`` persons with the most attributed labels in a :func:`analysis.framing.labels.label_shares`
    table, most labelled first.

    Examples
    --------
    >>> shares = pd.DataFrame({"person": ["Scholz", "Scholz", "Merz"], "n": [3, 1, 2]})
    >>> labelled_persons(shares)
    ['Scholz', 'Merz']
    """
    _need(shares, ["person", "n"], "the output of analysis.framing.labels.label_shares")
    totals = shares.groupby(shares["person"].astype(str))["n"].sum()
    totals = totals[totals > 0]
    return sorted(totals.index, key=lambda name: (-totals[name], name))[:n]


def most_varied_entity(mentions: pd.DataFrame) -> str | None:
    """The entity written in the most different ways (None without mentions): the one whose
    spellings show best why a registry of variants is needed.

    Examples
    --------
    >>> mentions = pd.DataFrame({"entity": ["Putin", "Putin", "Kim"], "form": ["Putin", "Putins", "Kim"]})
    >>> most_varied_entity(mentions)
    'Putin'
    """
    _need(mentions, ["entity", "form"], "the mentions table (prepared.mentions or find_mentions)")
    if mentions.empty:
        return None
    forms = mentions.groupby(mentions["entity"].astype(str))["form"].nunique()
    return sorted(forms.index, key=lambda name: (-forms[name], name))[0]


def bootstrap_unit(metadata: pd.DataFrame, group: str = "outlet") -> str:
    """``"document"`` — resample whole articles (a cluster bootstrap: the sentences of one article
    are not independent) — unless some group has a single article, where only its sentences
    can be resampled (``"sentence"``).

    Examples
    --------
    >>> bootstrap_unit(pd.DataFrame({"outlet": ["A", "A", "B", "B"]}))
    'document'
    >>> bootstrap_unit(pd.DataFrame({"outlet": ["A", "B"]}))
    'sentence'
    """
    _need(metadata, [group], "the documents table")
    sizes = metadata.groupby(group).size()
    return "document" if len(sizes) and (sizes >= 2).all() else "sentence"


def is_bundled(prepared) -> bool:
    """Whether ``prepared`` is the bundled worked example (the Putin–Kim summit articles).

    Examples
    --------
    >>> from analysis.pipeline import prepare_corpus
    >>> is_bundled(prepare_corpus(cache=False, jobs=1, quiet=True))
    True
    """
    from ..io.corpus import bundled_corpus_path

    return Path(prepared.source).resolve() == bundled_corpus_path().resolve()


def starter_labels(prepared, path=None):
    """The label lexicon to use: ``path`` when given; for the bundled corpus its worked example
    (``data/lexicons/labels.yml``); for any other corpus the German-news starter
    (``data/lexicons/labels_german_news.yml``: offices and roles with feminine and plural forms)."""
    from ..framing.labels import load_german_news_labels, load_labels

    if path is not None:
        return load_labels(path)
    return load_labels() if is_bundled(prepared) else load_german_news_labels()


def starter_dictionary(prepared, path=None):
    """The frame dictionary to use: ``path`` when given; for the bundled corpus its worked
    example (``frames_summit.yml``); for any other corpus the five generic news frames of
    Semetko & Valkenburg (2000) (``frames_generic.yml``)."""
    from ..framing.dictionary import read_dictionary
    from ..framing.frames import load_generic_dictionary, load_starter_dictionary

    if path is not None:
        return read_dictionary(path)
    return load_starter_dictionary() if is_bundled(prepared) else load_generic_dictionary()
