"""The figure registry: every figure the suite exports, with its id, builder and caption.

A builder takes a :class:`~analysis.pipeline.PreparedCorpus` and returns one or more
:class:`RenderedFigure` objects (a keyness figure, for example, is drawn once per outlet).
``render_figures`` writes them all, with the table behind each figure and its caption, so
every number in a figure can be traced to a row of a CSV file.

File names of per-group figures come from :func:`group_slugs`: unique within the run (two
outlets whose names read alike, "Zeitung A" and "zeitung-a", get a short hash of their exact
name each), never empty and never too long for the file system. Every file is written
atomically: an interrupted run leaves no half-written figure or table.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..io.writing import write_csv, write_text_atomic
from ..pipeline import PreparedCorpus, release_memory
from ..framing.entities import load_registry
from ..framing.frames import frame_rates, match_dictionary_in_parts
from ..stats.keyness import keyness, keyness_all
from ..framing.labels import attribute_labels_in_parts, label_shares
from ..plots import (
    plot_frame_heatmap,
    plot_keyness,
    plot_label_shares,
    plot_quote_kinds,
    plot_rate_scatter,
    plot_sources,
    plot_top_terms,
)
from ..plots.keyness import keyness_bar_rows
from ..plots.keyness_heatmap import keyness_heatmap_rows, plot_keyness_heatmap
from ..plots.sentiment import (
    plot_person_sentiment,
    plot_sentiment_arc,
    plot_sentiment_by_outlet,
    plot_top_contributors,
    top_contributors,
)
from ..framing.quotes import quotation_summary
from ..sentiment import aggregate_sentiment, person_sentences
from ..framing.sources import find_sources_in_parts, source_summary
from ..plots.style import FORMATS
from ..store.executor import default_jobs
from .saving import FigureSaver
from .choices import bootstrap_unit, labelled_persons, starter_dictionary, starter_labels
from ..stats.tfidf import VARIANTS, caption_note, tfidf

__all__ = ["FigureOptions", "FigureSkipped", "FigureSpec", "RenderedFigure", "REGISTRY", "SLUG_MAX_CHARS",
           "derived_tables", "group_slugs", "register", "render_figures", "slug"]


class FigureSkipped(Exception):
    """Raised by a builder when its figure cannot be drawn for this corpus; the message says why."""

_SLUG_REPLACEMENTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})

#: Longest slug of a group name in a file name; a longer one is cut and gets a hash
#: (:func:`group_slugs`), so that "rate_scatter_<slug>.csv" stays far below the 255 bytes
#: file systems allow.
SLUG_MAX_CHARS = 80


def _full_slug(name) -> str:
    # Umlauts as German writes them without dots, other accents dropped ("é" → "e").
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", str(name)).translate(_SLUG_REPLACEMENTS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _lossy(name, full: str) -> bool:
    """Whether the slug dropped a letter, digit or symbol (an emoji, a Cyrillic word):
    other names could then give the same slug in another run."""
    kept = sum(ch.isalnum() for ch in full)
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", str(name)).translate(_SLUG_REPLACEMENTS))
    wanted = sum(1 for ch in text if unicodedata.category(ch)[0] in "LNS" and not unicodedata.combining(ch))
    return kept < wanted


def slug(name: str) -> str:
    """File-name-safe form of a group name: ``"Süddeutsche Zeitung"`` → ``"sueddeutsche-zeitung"``.

    At most :data:`SLUG_MAX_CHARS` characters; ``"group"`` when nothing is left. Not unique:
    name files with :func:`group_slugs`.

    Examples
    --------
    >>> slug("Süddeutsche Zeitung"), slug("Libération"), slug("🗞️")
    ('sueddeutsche-zeitung', 'liberation', 'group')
    """
    return _full_slug(name)[:SLUG_MAX_CHARS].rstrip("-") or "group"


def _name_hash(name, size: int = 4) -> str:
    """A short hash of the exact name (the same in every run and on every machine)."""
    return hashlib.blake2s(str(name).encode("utf-8", "surrogatepass"), digest_size=size).hexdigest()


def _reserved_slugs() -> set[str]:
    """Slugs that would give a per-group figure the id of another figure (an outlet called
    "Heatmap" would write keyness_heatmap)."""
    return {fid[len(prefix):] for fid in REGISTRY for prefix in _GROUP_PREFIXES if fid.startswith(prefix)}


#: Prefixes of the ids of per-group figures.
_GROUP_PREFIXES = ("keyness_", "rate_scatter_")


def group_slugs(names) -> dict[str, str]:
    """File-name part of each group name, unique within one run.

    The :func:`slug` of the name, with ``-`` and eight hex digits of a hash of the exact name
    appended when the slug alone could mislead: when two names of the run give the same slug
    ("Zeitung A", "zeitung-a"), when the slug is empty or dropped letters or symbols (emoji,
    Cyrillic), when it was cut to :data:`SLUG_MAX_CHARS`, or when it would repeat the id of
    another figure. Names are compared as strings.

    Parameters
    ----------
    names : iterable
        The group names of the run (e.g. ``prepared.group_counts.rows``).

    Returns
    -------
    dict of str to str
        ``str(name)`` → its slug.

    Examples
    --------
    >>> names = group_slugs(["Tagesblatt", "Zeitung A", "zeitung-a"])
    >>> names["Tagesblatt"], names["Zeitung A"] != names["zeitung-a"]
    ('tagesblatt', True)
    >>> names["Zeitung A"].startswith("zeitung-a-"), len(names["Zeitung A"])
    (True, 18)
    """
    names = list(dict.fromkeys(str(n) for n in names))
    reserved = _reserved_slugs()
    full = {n: _full_slug(n) for n in names}
    base = {n: slug(n) for n in names}
    taken = Counter(base.values())
    chosen = {}
    for n in names:
        plain = base[n]
        hashed = (taken[plain] > 1 or not full[n] or len(full[n]) > SLUG_MAX_CHARS or plain in reserved
                  or _lossy(n, full[n]))
        chosen[n] = f"{plain}-{_name_hash(n)}" if hashed else plain
    # A hashed slug may still equal another name's plain one ("Zeitung A 1f2e3d4c"), or two
    # hashes may agree: those names get a longer hash until every slug is its own.
    for size in (8, 16, 32):
        counts = Counter(chosen.values())
        clashing = [n for n in names if counts[chosen[n]] > 1]
        if not clashing:
            break
        for n in clashing:
            chosen[n] = f"{base[n]}-{_name_hash(n, size)}"
    return chosen


@dataclass(frozen=True)
class RenderedFigure:
    """One drawn figure, the tidy table it shows, and its caption."""

    id: str
    figure: object
    caption: str
    table: pd.DataFrame


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: ``build(prepared, options)`` returns or yields its
    :class:`RenderedFigure` objects."""

    id: str
    description: str
    build: Callable[..., list[RenderedFigure]]
    texts: bool = False  # whether the builder reads the document texts
    #: Derived tables the builder reads (:meth:`PreparedCorpus.compute_derived`): scored before
    #: any figure is drawn, while the process is at its smallest.
    derived: tuple[str, ...] = ()


REGISTRY: dict[str, FigureSpec] = {}


@dataclass(frozen=True)
class FigureOptions:
    """What the figures read and show: an entity registry, a label lexicon and a frame
    dictionary (file paths; None: the registry the corpus was prepared with, and the shipped
    starters — the summit's worked example for the bundled corpus, the German-news starters
    for any other, see :mod:`analysis.report.choices`), and the articles of per-article
    figures (``doc_ids``; None: chosen by the figure). A registry given should be the one the
    corpus was prepared with (``prepare_corpus(entities=...)``), whose mentions the label
    figure attributes labels to."""

    registry: str | Path | None = None
    labels: str | Path | None = None
    dictionary: str | Path | None = None
    doc_ids: tuple | None = None
    #: Bootstrap replicates and seed of every interval the figures draw (resampling articles
    #: within each outlet where an outlet has more than one). 2,000 replicates put the
    #: percentile limits of a 95 % interval within about 1 % of their value.
    n_boot: int = 2000
    seed: int = 0

    def entity_registry(self, prepared):
        if self.registry is not None:
            return load_registry(self.registry)
        return prepared.registry if prepared.registry is not None else load_registry()

    def label_lexicon(self, prepared):
        return starter_labels(prepared, self.labels)

    def frame_dictionary(self, prepared):
        return starter_dictionary(prepared, self.dictionary)


def register(figure_id: str, description: str, *, texts: bool = False, derived: tuple[str, ...] = ()):
    """Decorator adding a builder to :data:`REGISTRY` under ``figure_id``; ``texts=True`` for
    a builder that reads ``prepared.documents`` (the others run with the texts released),
    ``derived`` the names of the derived tables it reads (computed before the first figure)."""

    def decorate(build):
        if figure_id in REGISTRY:
            raise ParameterError(f"figure id {figure_id!r} is registered twice")
        REGISTRY[figure_id] = FigureSpec(figure_id, description, build, texts, tuple(derived))
        return build

    return decorate


@register("tfidf_top_terms", "Top 15 terms per outlet by TF-IDF (smooth idf), one panel per outlet.")
def _tfidf_top_terms(prepared: PreparedCorpus, options: FigureOptions, *, variant: str = "smooth", top: int = 15):
    table = tfidf(prepared.group_counts, variant=variant, top=top)
    n_groups = len(prepared.group_counts.rows)
    fig = plot_top_terms(
        table,
        group=prepared.group,
        top=top,
        colors=prepared.colors,
        xlabel=f"TF-IDF ({variant})",
    )
    caption = (
        f"Top {top} {prepared.by}s per {prepared.group} by TF-IDF, variant '{variant}': "
        f"{VARIANTS[variant]}. Stop words, punctuation and numbers excluded. "
        f"{caption_note(variant, n_groups)}"
    )
    return [RenderedFigure("tfidf_top_terms", fig, caption, table)]


def _keyness_comparisons(prepared: PreparedCorpus, *, measure: str = "logodds"):
    """One keyness table per group: against the other group when there are two, else the rest."""
    groups = list(prepared.group_counts.rows)
    if len(groups) < 2:
        raise FigureSkipped(
            f"keyness needs at least two groups to compare; the corpus has one {prepared.group} ({groups[0]})"
        )
    # One table at a time: at corpus scale a table per outlet holds every term.
    for target in groups:
        reference = [g for g in groups if g != target][0] if len(groups) == 2 else "rest"
        yield target, keyness(prepared.group_counts, target, reference=reference, measure=measure)


def _keyness_caption(prepared: PreparedCorpus, table: pd.DataFrame, what: str) -> str:
    attrs = table.attrs
    n_docs = prepared.metadata.groupby(prepared.group).size()
    single = (n_docs == 1).all()
    return (
        f"{what} {prepared.by}s of {attrs['target']} against {attrs['reference']}: log-odds ratio with an "
        f"informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), z-scores; prior from the compared "
        f"texts, α0 = {attrs['alpha0']:.4g}. Rates per 1,000 running words "
        f"({int(attrs['total_target'])} and {int(attrs['total_reference'])} running words). "
        + (
            "Each group is a single article: the z-scores treat words as independent draws and say nothing "
            "about how other articles of the same outlet would read."
            if single
            else "z-scores treat words as independent draws; article-level variation is not included."
        )
    )


@register("keyness", "Keyness bars per outlet: terms typical of it (top) and of the comparison (bottom).")
def _keyness_bars(prepared: PreparedCorpus, options: FigureOptions, *, top: int = 15):
    slugs = group_slugs(prepared.group_counts.rows)
    for target, table in _keyness_comparisons(prepared):
        fig = plot_keyness(table, top=top, colors=prepared.colors)
        caption = _keyness_caption(prepared, table, f"The {top} most distinctive") + (
            f" The table holds the terms shown; rate_scatter_{slugs[str(target)]}.csv (and python -m analysis "
            "keyness) every term.")
        shown = keyness_bar_rows(table, top=top).reset_index(drop=True)
        shown.attrs.update(table.attrs)
        yield RenderedFigure(f"keyness_{slugs[str(target)]}", fig, caption, shown)


@register("keyness_heatmap", "Typical terms of every outlet against the rest, and how every other outlet uses them (terms × outlets).")
def _keyness_heatmap(prepared: PreparedCorpus, options: FigureOptions):
    groups = list(prepared.group_counts.rows)
    if len(groups) < 3:
        raise FigureSkipped(f"a terms × {prepared.group}s heatmap needs three or more {prepared.group}s; "
                            f"with {len(groups)} the keyness figures say it all")
    table = keyness_all(prepared.group_counts, scheme="one-vs-rest")
    rows = keyness_heatmap_rows(table)
    fig = plot_keyness_heatmap(rows)
    top = int(rows.groupby("chosen_for")["rank"].max().max())
    caption = (
        f"The up to {top} most typical terms of each {prepared.group} against all others (framed cells; "
        f"log-odds z with an informative Dirichlet prior) and the z of the same term for every other "
        f"{prepared.group} (red: used more than by the rest, blue: less; colours capped at the 95th "
        "percentile of |z|). The table holds every cell."
    )
    return [RenderedFigure("keyness_heatmap", fig, caption, rows)]


@register("rate_scatter", "Term rates of each outlet against the comparison on log axes, distinctive terms labelled.")
def _rate_scatter(prepared: PreparedCorpus, options: FigureOptions, *, label_top: int = 12):
    slugs = group_slugs(prepared.group_counts.rows)
    for target, table in _keyness_comparisons(prepared):
        fig = plot_rate_scatter(table, label_top=label_top, colors=prepared.colors)
        caption = _keyness_caption(prepared, table, f"Rates of all {len(table)}") + (
            f" Coloured and labelled: the {label_top} terms with the highest z on each side; grey: all "
            "others. Terms a group never uses are drawn at half an occurrence (dashed lines)."
        )
        yield RenderedFigure(f"rate_scatter_{slugs[str(target)]}", fig, caption, table)


@register("label_shares", "How each outlet labels each person: share of the person's labels, with intervals over articles.")
def _label_shares(prepared: PreparedCorpus, options: FigureOptions):
    attributions, unattributed = attribute_labels_in_parts(
        prepared, options.entity_registry(prepared), options.label_lexicon(prepared), store=prepared.store,
        mentions=prepared.mentions,
        jobs=prepared.jobs)
    shares = label_shares(attributions, prepared.metadata, group=prepared.group, n_boot=options.n_boot,
                          seed=options.seed)
    if shares.empty:
        raise FigureSkipped("no label of the label lexicon could be attributed to a person of the registry")
    persons = labelled_persons(shares, 4)
    fig = plot_label_shares(shares, colors=prepared.colors, persons=persons)
    rules = attributions["rule"].value_counts()
    shown = shares[shares["person"].isin(persons)]
    if (shown["interval"] == "articles").all():
        intervals = f"95 % bootstrap intervals over articles ({options.n_boot} replicates)"
    elif (shown["interval"] == "mentions").all():
        intervals = ("95 % Wilson intervals over the mentions, as each comes from one article (optimistic: "
                     "labels in one article are not independent)")
    else:
        intervals = (f"95 % bootstrap intervals over articles ({options.n_boot} replicates); Wilson's over the "
                     "mentions where a person's labels come from one article (optimistic)")
    caption = (
        f"Labels for {', '.join(persons)} per {prepared.group}: share of all labels attributed to that person "
        f"in that {prepared.group}, with {intervals}. {len(attributions)} attributions by rule: "
        + ", ".join(f"{rule} {n}" for rule, n in rules.items())
        + f". {len(unattributed)} label occurrences could not be attributed and are listed, not dropped "
        "(python -m analysis labels)."
    )
    return [RenderedFigure("label_shares", fig, caption, shares)]


@register("frame_rates", "Frame-dictionary categories per outlet, per 1,000 running words (starter dictionary).")
def _frame_rates(prepared: PreparedCorpus, options: FigureOptions):
    dictionary = options.frame_dictionary(prepared)
    matches = match_dictionary_in_parts(prepared, dictionary, store=prepared.store)
    rates = frame_rates(matches, prepared.metadata, prepared.store, group=prepared.group)
    fig = plot_frame_heatmap(rates, group=prepared.group)
    caption = (
        f"Matches of each category of the dictionary '{dictionary.name}' per 1,000 running words and "
        f"{prepared.group} (count in brackets). The dictionary is a starting point for this story, not a "
        "validated instrument: judge its precision with analysis.framing.frames.sample_matches before citing a rate."
    )
    return [RenderedFigure("frame_rates", fig, caption, rates)]


@register("quotations", "Quotations per outlet: attributed, distancing (scare quotes), names and titles, or unclear.")
def _quotations(prepared: PreparedCorpus, options: FigureOptions):
    quotes = prepared.quotations
    summary = quotation_summary(quotes, prepared.metadata, group=prepared.group, tokens=prepared.store)
    fig = plot_quote_kinds(summary, colors=prepared.colors)
    caption = (
        f"Quoted spans per {prepared.group} („…“, »…«, ‚…‘, \"…\"): attributed (a reporting verb, 'laut', "
        "'so X' or a colon governs the quote), distancing (a quote of one to three words without such a cue: "
        "scare quotes), title (a quoted name or title after a word such as Film, Sendung, Zeitung, or a name in "
        "»…«), unclear. Rule-based; every quote with its cue is listed by python -m analysis quotes."
    )
    return [RenderedFigure("quotations", fig, caption, summary)]


@register("sources", "Agencies and media named per outlet, photo credits apart from attribution in the text.")
def _sources(prepared: PreparedCorpus, options: FigureOptions):
    sources = find_sources_in_parts(prepared, audit=prepared.audit)
    summary = source_summary(sources, prepared.metadata, group=prepared.group)
    if summary["count"].sum() == 0:
        raise FigureSkipped("no agency or medium of data/lexicons/sources.yml is named in the corpus")
    fig = plot_sources(summary, colors=prepared.colors)
    caption = (
        f"Agencies and media per {prepared.group}: named in the text, in a closing credit line, or in a photo "
        "credit (stand-alone lines removed by cleaning, read from the cleaning audit). Photo credits say where "
        "pictures came from, not whom the text cites."
    )
    return [RenderedFigure("sources", fig, caption, summary)]


def _sentiment_note(prepared: PreparedCorpus, coverage: float) -> str:
    from ..sentiment.predict import describe_scorer  # the scorer of the sentence table, and its validation

    single = (prepared.metadata.groupby(prepared.group).size() == 1).all()
    return (
        describe_scorer(prepared.sentence_sentiment, coverage)
        + (" Intervals: bootstrap over the sentences of a single article per outlet." if single else "")
    )


def _interval_text(unit: str) -> str:
    return ("95 % bootstrap intervals over articles (each article's sentences resampled together)"
            if unit == "document" else "95 % bootstrap intervals over sentences")


#: Most persons the figure of sentiment toward persons shows.
MAX_PERSON_PANELS = 6

#: Most articles one sentiment-arc figure shows.
MAX_ARC_ARTICLES = 12


def _chosen_articles(doc_ids, sentence_table: pd.DataFrame) -> tuple[list, str]:
    """The articles asked for (``--doc-ids``), checked: known, scored, at most :data:`MAX_ARC_ARTICLES`."""
    wanted = [str(d) for d in dict.fromkeys(doc_ids)]
    if len(wanted) > MAX_ARC_ARTICLES:
        raise ParameterError(f"{len(wanted)} articles are too many for the sentiment arc",
                             hint=f"pick at most {MAX_ARC_ARTICLES} with --doc-ids")
    known = set(sentence_table["doc_id"].astype(str))
    missing = [d for d in wanted if d not in known]
    if missing:
        raise ParameterError(f"--doc-ids: no scored sentences for {', '.join(missing[:5])}",
                             hint="give doc_ids of the corpus (documents.csv) whose texts have sentences")
    return wanted, f"The articles chosen with --doc-ids ({len(wanted)}) are shown. "


def arc_articles(sentence_table: pd.DataFrame, *, group: str, limit: int = MAX_ARC_ARTICLES) -> tuple[list, str]:
    """The articles the arc figure shows, and a sentence for the caption saying which.

    Every article when there are at most ``limit``; otherwise, for each group in sorted order
    (the first ``limit`` groups), its article with the most scored sentences (the first in
    corpus order on a tie), so that a corpus of any size gives one readable figure.
    """
    articles = list(dict.fromkeys(sentence_table["doc_id"].tolist()))
    if len(articles) <= limit:
        return articles, ""
    sizes = sentence_table.groupby("doc_id", sort=False).size()
    groups = sentence_table.drop_duplicates("doc_id").set_index("doc_id")[group].astype(str)
    table = pd.DataFrame({"doc_id": sizes.index, "n": sizes.to_numpy(), "group": groups.reindex(sizes.index).to_numpy(),
                          "order": np.arange(len(sizes))})
    table = table.sort_values(["group", "n", "order"], ascending=[True, False, True], kind="stable")
    chosen = table.drop_duplicates("group").head(limit)
    note = (f"Of {len(articles):,} articles, the longest of each {group} is shown"
            + (f" (the first {limit} {group}s in alphabetical order)" if table["group"].nunique() > limit else "")
            + "; the table behind the figure holds the sentence scores of every article. ")
    return chosen.sort_values("group")["doc_id"].tolist(), note


@register("sentiment", "Sentence sentiment per outlet (means with bootstrap intervals), its arc through each article, and the words behind it.",
          derived=("sentence_sentiment", "sentiment_contributions"))
def _sentiment(prepared: PreparedCorpus, options: FigureOptions):
    # Both scored into the cache entry before either is read: each scoring forks from a
    # process that holds neither table.
    prepared.compute_derived("sentence_sentiment", "sentiment_contributions")
    sentences = prepared.sentence_sentiment
    contributions = prepared.sentiment_contributions
    # Both tables are made: the scoring kept in the store is not needed for the figures.
    prepared.store.drop_caches()
    release_memory()
    note = _sentiment_note(prepared, sentences.attrs["coverage"])
    unit = bootstrap_unit(prepared.metadata, prepared.group)
    by_group = aggregate_sentiment(sentences, prepared.metadata, group=prepared.group, n_boot=options.n_boot,
                                   seed=options.seed,
                                   unit=unit)
    words = top_contributors(contributions, prepared.metadata, group=prepared.group)
    sentence_table = sentences.merge(prepared.metadata[["doc_id", prepared.group]], on="doc_id")
    if options.doc_ids:
        arc, arc_note = _chosen_articles(options.doc_ids, sentence_table)
    else:
        arc, arc_note = arc_articles(sentence_table, group=prepared.group)
    return [
        RenderedFigure(
            "sentiment_outlets",
            plot_sentiment_by_outlet(by_group, group=prepared.group, colors=prepared.colors),
            f"Mean sentence sentiment per {prepared.group} with {_interval_text(unit)}. " + note,
            by_group,
        ),
        RenderedFigure(
            "sentiment_arc",
            plot_sentiment_arc(sentences, prepared.metadata, doc_ids=arc, group=prepared.group,
                               colors=prepared.colors),
            "Sentence-by-sentence sentiment through each article (bars) with a moving mean of three sentences. "
            + arc_note + note + " The table holds the sentences of the articles shown; python -m analysis "
            "sentiment --level sentence every sentence.",
            sentence_table[sentence_table["doc_id"].isin(arc)].reset_index(drop=True),
        ),
        RenderedFigure(
            "sentiment_words",
            plot_top_contributors(contributions, prepared.metadata, group=prepared.group, colors=prepared.colors),
            f"The lexicon words that add most to each {prepared.group}'s sentiment, in both directions "
            "(sum of contributions, after negation and intensifiers). " + note,
            words,
        ),
    ]


@register("sentiment_persons", "Sentiment of the sentences mentioning each person, per outlet (entity registry).")
def _sentiment_persons(prepared: PreparedCorpus, options: FigureOptions, *, min_sentences: int = 3):
    mentions = prepared.mentions
    who = person_sentences(None, mentions=mentions[mentions["type"] == "person"])
    # The persons in most sentences, one panel each: a figure of hundreds of persons (a
    # registry found in the text) reads as nothing; the table of every person is one command away.
    sentences = who.groupby("person").size()
    shown = sorted(sentences.index, key=lambda name: (-sentences[name], name))[:MAX_PERSON_PANELS]
    who = who[who["person"].isin(shown)]
    persons = who.merge(prepared.sentence_sentiment, on=["doc_id", "sentence_id"], how="inner",
                        validate="many_to_one")
    unit = bootstrap_unit(prepared.metadata, prepared.group)
    table = aggregate_sentiment(persons, prepared.metadata, group=[prepared.group, "person"], n_boot=options.n_boot,
                                seed=options.seed,
                                unit=unit)
    frequent = table.groupby("person")["n"].max()
    table = table[table["person"].isin(frequent[frequent >= min_sentences].index)]
    if table.empty:
        raise FigureSkipped(f"no person of the registry is mentioned in {min_sentences} or more sentences")
    fig = plot_person_sentiment(table, group=prepared.group, colors=prepared.colors)
    caption = (
        f"Mean sentiment of the sentences that mention each person (the {MAX_PERSON_PANELS} persons in most "
        f"sentences, each in at least {min_sentences}; every person: python -m analysis sentiment --level person), "
        f"per {prepared.group}, {_interval_text(unit)}. A sentence's score is not necessarily "
        "directed at the person it mentions. " + _sentiment_note(prepared, prepared.sentence_sentiment.attrs["coverage"])
    )
    return [RenderedFigure("sentiment_persons", fig, caption, table)]


def derived_tables(only=None) -> tuple[str, ...]:
    """The derived tables the registered builders (those in ``only``, when given) read, each once."""
    needed = (name for spec in REGISTRY.values() if not only or spec.id in only for name in spec.derived)
    return tuple(dict.fromkeys(needed))


def render_figures(
    prepared: PreparedCorpus,
    out_dir: str | Path,
    *,
    formats=FORMATS,
    tables_dir: str | Path | None = None,
    only: list[str] | None = None,
    options: FigureOptions | None = None,
    provenance: dict | None = None,
) -> pd.DataFrame:
    """Draw every registered figure (or those in ``only``) and write them to ``out_dir``.

    ``options`` names the registry, label lexicon and frame dictionary the figures read and
    the articles of per-article figures (:class:`FigureOptions`; by default the shipped
    starters, and articles chosen by the figure).

    Writes ``<id>.<format>`` for each format, ``<id>.csv`` with the plotted table into
    ``tables_dir`` (``out_dir`` when not given), and ``captions.md`` listing every caption.
    Every file is written atomically; per-group figures are named by :func:`group_slugs`.

    Returns
    -------
    pandas.DataFrame
        One row per figure: ``id``, ``files``, ``table``, ``caption``, ``skipped`` (the reason a
        registered figure was not drawn for this corpus, else empty).
    """
    unknown = sorted(set(only or []) - set(REGISTRY))
    if unknown:
        raise ParameterError(
            f"unknown figure id {', '.join(unknown)}", hint=f"known ids: {', '.join(sorted(REGISTRY))}"
        )
    options = FigureOptions() if options is None else options
    out_dir = Path(out_dir)
    tables_dir = Path(tables_dir) if tables_dir is not None else out_dir
    tables_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    written_ids: set[str] = set()
    # Figures are written by forked children while the next one is computed (analysis.report.saving):
    # as many at a time as the corpus has jobs, none with --jobs 1.
    jobs = prepared.jobs or default_jobs()
    saver = FigureSaver(workers=jobs if jobs > 1 else 0)
    # The scorings fork from this process: before the first builder, it holds the least (each
    # builder leaves look-up tables and a fragmented heap behind, and the forks would share it).
    prepared.compute_derived(*derived_tables(only))
    try:
        _render_all(prepared, options, only, out_dir, tables_dir, formats, provenance, saver, rows, written_ids)
    except BaseException:
        saver.wait(raise_errors=False)  # the builder's error is the one to report
        raise
    saver.wait()
    manifest = pd.DataFrame(rows, columns=["id", "files", "table", "caption", "skipped"])
    lines = ["# Figures", "", f"Corpus: `{Path(prepared.source).name}`", ""]
    for row in manifest.itertuples():
        if row.skipped:
            lines += [f"## {row.id}", "", f"Not drawn: {row.skipped}.", ""]
        else:
            lines += [f"## {row.id}", "", row.caption, "", f"Files: {row.files}; data: {row.table}", ""]
    if provenance is not None:
        lines += ["## Parameters", "", "Every option in force, the versions and the input's hash (also in "
                  "`params.json`; `python -m analysis rerun params.json` draws the figures again):", "",
                  "```json", json.dumps(provenance, ensure_ascii=False, indent=2, sort_keys=True), "```", ""]
    write_text_atomic(out_dir / "captions.md", "\n".join(lines))
    return manifest


def _render_all(prepared, options, only, out_dir, tables_dir, formats, provenance, saver, rows, written_ids) -> None:
    """The loop of :func:`render_figures` over the registry (rows appended to ``rows``)."""
    for spec in REGISTRY.values():
        if only and spec.id not in only:
            continue
        if not spec.texts:
            prepared.release_documents()  # read again from the cache by the next builder needing them
        prepared.release_derived()  # the quotations and sentence sentiment too, from the cache entry
        drawn = None
        while True:
            try:
                if drawn is None:  # a builder returns its figures or yields them one at a time
                    drawn = iter(spec.build(prepared, options))
                rendered = next(drawn)
            except StopIteration:
                break
            except FigureSkipped as reason:
                rows.append({"id": spec.id, "files": "", "table": "", "caption": "", "skipped": str(reason)})
                break
            if rendered.id.casefold() in written_ids:  # would overwrite a figure of this run
                plt.close(rendered.figure)
                raise ParameterError(f"two figures of this run are both called {rendered.id!r}",
                                     hint="a builder must name each figure it draws differently (see group_slugs)")
            written_ids.add(rendered.id.casefold())
            files = saver.save(rendered.figure, out_dir / rendered.id, formats,
                               description=provenance_line(provenance))
            plt.close(rendered.figure)
            table_path = tables_dir / f"{rendered.id}.csv"
            write_csv(rendered.table, table_path)
            rows.append(
                {
                    "id": rendered.id,
                    "files": ";".join(p.name for p in files),
                    "table": table_path.name,
                    "caption": rendered.caption,
                    "skipped": "",
                }
            )
            del rendered  # released before the next figure (and its table) is computed
        # Each builder's working arrays and look-up indexes go back to the system before the
        # next builder runs (the next one may need other indexes; each is rebuilt in seconds).
        prepared.store.drop_caches()
        release_memory()


def provenance_line(provenance: dict | None) -> str | None:
    """One line for a figure file's metadata: the suite's version, the input's hash, the command.

    Examples
    --------
    >>> provenance_line({"argv": ["figures", "--formats", "png"], "input": {"sha256": "ab" * 32},
    ...                  "versions": {"analysis": "0.1.0", "code": "99ee9cf91216212e"}})
    'analysis 0.1.0 (code 99ee9cf91216212e); input sha256 abababababababab; python -m analysis figures --formats png'
    """
    if not provenance:
        return None
    versions = provenance.get("versions") or {}
    digest = (provenance.get("input") or {}).get("sha256") or "unknown"
    command = " ".join(provenance.get("argv") or [])
    return (f"analysis {versions.get('analysis', '?')} (code {versions.get('code', '?')}); "
            f"input sha256 {digest[:16]}; python -m analysis {command}")


# ----------------------------------------------------------------------------------------------
# Same story, different words (analysis.align): aligned passages and substitutions.
# ----------------------------------------------------------------------------------------------

#: Aligned pairs the passage figure shows.
PASSAGE_PAIRS = 4
#: Substitution pairs the substitution figure shows.
SUBSTITUTION_ROWS = 15
# The alignment of the corpus last aligned: both figures read it (one run, not two).
_ALIGNED: dict = {}


def aligned_corpus(prepared: PreparedCorpus):
    """:func:`analysis.align.run.align_corpus` of ``prepared`` (automatic stories, or the column
    ``story`` when the corpus has one), computed once for the figures of one run."""
    from ..align.run import align_corpus

    key = id(prepared)
    if key not in _ALIGNED:
        _ALIGNED.clear()
        story = "story" if "story" in prepared.metadata.columns else None
        _ALIGNED[key] = (prepared, align_corpus(prepared, story=story))
    return _ALIGNED[key][1]


def _aligned_or_skip(prepared: PreparedCorpus):
    outlets = prepared.metadata[prepared.group].astype(str).nunique()
    if outlets < 2:
        raise FigureSkipped(f"aligning passages needs articles of two or more {prepared.group}s; the corpus has one")
    result = aligned_corpus(prepared)
    if not len(result.pairs):
        raise FigureSkipped(f"no story has aligned sentences of two {prepared.group}s "
                            "(see python -m analysis align for the stories found)")
    return result


@register("aligned_passages", "The same fact in two outlets side by side, the words that differ highlighted.")
def _aligned_passages(prepared: PreparedCorpus, options: FigureOptions, *, pairs: int = PASSAGE_PAIRS):
    from ..align.tables import passage_words
    from ..plots.passages import plot_passages

    result = _aligned_or_skip(prepared)
    # Pairs worth reading: those with a substitution, a label change or a change of attribution,
    # the most similar first (the surest alignments), one per sentence of A.
    changes = result.changes
    telling = set(changes.loc[changes["kind"].isin(["substitution", "label", "attribution"]), "pair"])
    candidates = result.pairs[result.pairs["pair"].isin(telling)]
    if not len(candidates):
        candidates = result.pairs
    chosen = (candidates.sort_values(["score", "pair"], ascending=[False, True], kind="stable")
              .drop_duplicates(["doc_id_a", "sentence_id_a"]).head(pairs))
    words = passage_words(result.pairs, chosen["pair"].tolist())
    titles = {row.pair: f"{row.story} · score {row.score:.2f}" + (" · shared copy" if row.shared else "")
              for row in chosen.itertuples()}
    fig = plot_passages(words, colors=prepared.colors, titles=titles)
    caption = (
        f"The {len(chosen)} aligned sentence pairs of different {prepared.group}s with a substitution, a label change "
        "or a change of attribution and the highest alignment score "
        "(analysis.align: lemma and character n-gram TF-IDF, shared entities and numbers, within a story). "
        "Highlighted: words outside the word-for-word match of the two sentences. Alignment sees words, not "
        "meaning: a paraphrase without shared words is missed, and a pair can share its setting without its fact "
        "(docs/validation.md). The table holds every word shown; python -m analysis align writes every pair."
    )
    return [RenderedFigure("aligned_passages", fig, caption, words)]


@register("substitutions", "The most frequent substitutions: what one outlet writes where another writes something else, for the same fact.")
def _substitutions(prepared: PreparedCorpus, options: FigureOptions, *, top: int = SUBSTITUTION_ROWS):
    from ..align.tables import substitution_table
    from ..plots.substitutions import plot_substitutions

    result = _aligned_or_skip(prepared)
    table = substitution_table(result.changes)
    if not len(table):
        raise FigureSkipped("the aligned sentences hold no substitution or label change")
    fig = plot_substitutions(table, top=top, colors=prepared.colors)
    caption = (
        f"The {min(top, len(table))} most frequent substitutions between {prepared.group}s: in aligned sentences "
        "(the same fact), the words one side has in the slot where the other has different words (token alignment "
        "of lemmas, entity mentions as one token), and the labels used for the same person. Counts are aligned "
        f"sentence pairs, from {result.pairs['story'].nunique()} stories. The table holds every substitution with "
        "examples."
    )
    return [RenderedFigure("substitutions", fig, caption, table)]
