"""The trained model on a corpus: sentences, documents and person mentions.

Called by :func:`~analysis.sentiment.scorer.score_sentences`,
:func:`~analysis.sentiment.scorer.score_documents` and
:func:`~analysis.sentiment.levels.score_persons` when they use the trained model (the default).
Token input is a :class:`~analysis.store.TokenStore` or a tokens table; both are read as
arrays (:class:`~analysis.sentiment.features.TokenArrays`), the features of all units are
computed with array operations, slice by slice of documents.

Output columns: ``p_negative, p_neutral, p_positive`` (the class probabilities), ``label``
(the most probable class) and ``score`` = ``p_positive − p_negative``; besides ``n_words``
(word tokens) and ``n_matched`` (sentiment words of the lexicon, the evidence the model reads)
with ``coverage`` = ``n_matched / n_words``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .features import TokenArrays, Units
from .model import CLASSES, SentimentModel, prediction_table

__all__ = ["MODEL_COLUMNS", "describe_scorer", "model_documents", "model_persons", "model_sentences"]

#: Columns of the model's sentence table after ``doc_id, sentence_id``.
MODEL_COLUMNS: tuple[str, ...] = ("n_words", "n_matched", "coverage", "p_negative", "p_neutral", "p_positive",
                                  "label", "score")
#: The lexicon evidence the tables keep: the sentence's positive and negative matches.
_MATCHED = ("sentence_n_positive", "sentence_n_negative")


def _arrays(tokens, *, offsets: bool = True):
    """Token arrays, and the doc id and sentence id of every sentence (and, with ``offsets``,
    the character offsets of every token: 16 bytes a token, which sentence scores do not need)."""
    from ..store import TokenStore

    if isinstance(tokens, TokenStore):
        arrays = TokenArrays.from_store(tokens)
        starts = arrays.sentence_starts()
        doc_ids = tokens.doc_ids.to_numpy(dtype=object)[np.searchsorted(arrays.doc_offsets, starts, side="right") - 1]
        sentence_ids = np.asarray(tokens.sentence_ids)[starts].astype(np.int64)
        token_starts = np.asarray(tokens.starts, dtype=np.int64) if offsets else None
        token_ends = np.asarray(tokens.ends, dtype=np.int64) if offsets else None
        doc_order = tokens.doc_ids.astype(str)
    elif isinstance(tokens, pd.DataFrame):
        missing = [c for c in ("doc_id", "sentence_id", "token", "kind", "lemma") if c not in tokens.columns]
        if missing:
            raise ParameterError(f"the tokens table has no column {', '.join(map(repr, missing))}",
                                 hint="make it with analysis.text.tokenize(documents)")
        arrays = TokenArrays.from_frame(tokens)
        starts = arrays.sentence_starts()
        doc_ids = tokens["doc_id"].to_numpy(dtype=object)[starts]
        sentence_ids = tokens["sentence_id"].to_numpy()[starts].astype(np.int64)
        token_starts = tokens["start"].to_numpy(dtype=np.int64) if "start" in tokens.columns else None
        token_ends = tokens["end"].to_numpy(dtype=np.int64) if "end" in tokens.columns else None
        doc_order = pd.Index(tokens["doc_id"].to_numpy(dtype=object)[arrays.doc_offsets[:-1]]).astype(str)
    else:
        raise ParameterError(f"tokens must be a tokens table or a TokenStore, got {type(tokens).__name__}")
    return arrays, starts, doc_ids, sentence_ids, token_starts, token_ends, doc_order


def _word_counts(arrays: TokenArrays, starts: np.ndarray) -> np.ndarray:
    kinds = np.array(arrays.kinds, dtype=object)
    is_word = (kinds == "word")[arrays.type_ids] if arrays.n_tokens else np.zeros(0, dtype=bool)
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    # Summed in int64 by the ufunc itself: an int64 copy of the flags would be 8 bytes a token.
    return np.add.reduceat(is_word, starts, dtype=np.int64) if arrays.n_tokens else np.zeros(len(starts), np.int64)


def _finish(table: pd.DataFrame, model: SentimentModel) -> pd.DataFrame:
    words = table["n_words"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["coverage"] = np.where(words > 0, table["n_matched"] / np.where(words > 0, words, 1), np.nan)
    total = words.sum()
    table.attrs["coverage"] = float(table["n_matched"].sum() / total) if total else math.nan
    table.attrs["lexicon"] = model.lexicon.get("name", "")
    table.attrs["model"] = model.name
    return table


def model_sentences(tokens, model: SentimentModel, *, jobs: int | None = 1) -> pd.DataFrame:
    """The model's prediction for every sentence: ``doc_id, sentence_id`` and :data:`MODEL_COLUMNS`
    (``jobs``: worker processes, see :meth:`SentimentModel.predict_units`).

    Examples
    --------
    >>> from analysis.store import TokenStore
    >>> from analysis.sentiment.model import default_model
    >>> store = TokenStore.from_texts(["d"], ["Die Lage ist katastrophal und gefährlich. Die Sitzung begann um neun Uhr."])
    >>> table = model_sentences(store, default_model())
    >>> table["sentence_id"].tolist(), bool(table["score"].iloc[0] < table["score"].iloc[1])
    ([0, 1], True)
    """
    arrays, starts, doc_ids, sentence_ids, *_ = _arrays(tokens, offsets=False)
    units = Units.sentences(len(starts))
    probabilities, matched = model.predict_units(arrays, units, with_dense=_MATCHED, jobs=jobs)
    table = pd.DataFrame({"doc_id": doc_ids, "sentence_id": sentence_ids})
    table["n_words"] = _word_counts(arrays, starts)
    table["n_matched"] = matched.sum(axis=1).astype(np.int64) if len(matched) else np.zeros(0, np.int64)
    table["coverage"] = 0.0
    table = pd.concat([table, prediction_table(probabilities, {}).reset_index(drop=True)], axis=1)
    return _finish(table[["doc_id", "sentence_id", *MODEL_COLUMNS]], model)


def model_documents(tokens, model: SentimentModel) -> pd.DataFrame:
    """Document means of the sentence predictions: ``doc_id, n_sentences`` and :data:`MODEL_COLUMNS`
    (the probabilities and the score are means over the document's sentences; the label is the
    most probable class of the mean)."""
    sentences = model_sentences(tokens, model)
    grouped = sentences.groupby("doc_id", sort=False)
    table = grouped.agg(n_sentences=("sentence_id", "size"), n_words=("n_words", "sum"),
                        n_matched=("n_matched", "sum"), p_negative=("p_negative", "mean"),
                        p_neutral=("p_neutral", "mean"), p_positive=("p_positive", "mean")).reset_index()
    probabilities = table[[f"p_{c}" for c in CLASSES]].to_numpy()
    table["label"] = np.array(CLASSES, dtype=object)[probabilities.argmax(axis=1)] if len(table) else []
    table["score"] = table["p_positive"] - table["p_negative"]
    table["coverage"] = 0.0
    table = table[["doc_id", "n_sentences", *MODEL_COLUMNS]]
    return _finish(table, model)


def model_persons(tokens, model: SentimentModel, found: pd.DataFrame) -> pd.DataFrame:
    """Sentiment toward every person mention, averaged per sentence and person.

    Each mention is a target: the model scores its sentence around it (distance weights,
    clause, quotation; the name itself left out of the n-grams). ``found`` is the table of
    :func:`analysis.sentiment.levels.person_mentions` (the caller finds the mentions, so that
    this module does not depend on the levels module that calls it).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, sentence_id, person, n_mentions`` and :data:`MODEL_COLUMNS` (the sentence's
        words and lexicon matches; the mean probabilities of the person's mentions in it).
    """
    arrays, starts, doc_ids, sentence_ids, token_starts, token_ends, doc_order = _arrays(tokens)
    empty = pd.DataFrame({"doc_id": pd.Series(dtype=object), "sentence_id": pd.Series(dtype=np.int64),
                          "person": pd.Series(dtype=object), "n_mentions": pd.Series(dtype=np.int64),
                          **{c: pd.Series(dtype=float) for c in MODEL_COLUMNS}})
    if found.empty:
        empty["label"] = empty["label"].astype(object)
        return _finish(empty, model)
    doc_position = pd.Series(np.arange(len(doc_order)), index=doc_order)
    doc = doc_position.reindex(found["doc_id"].astype(str)).to_numpy()
    if np.isnan(doc.astype(float)).any():
        raise ParameterError("some mentions have doc_ids that are not among the tokens",
                             hint="pass the mentions of the documents that were tokenized")
    doc = doc.astype(np.int64)
    # The sentence of each mention: its doc's sentence with that sentence id.
    sentence_key = pd.Series(np.arange(len(starts)),
                             index=pd.MultiIndex.from_arrays([doc_ids.astype(str), sentence_ids]))
    sentence = sentence_key.reindex(pd.MultiIndex.from_arrays([found["doc_id"].astype(str).to_numpy(),
                                                                found["sentence_id"].to_numpy(dtype=np.int64)]))
    if sentence.isna().any():
        raise ParameterError("some mentions name a sentence that the tokens do not have",
                             hint="pass the mentions of these tokens (doc_id and sentence_id)")
    sentence = sentence.to_numpy(dtype=np.int64)
    lo = np.full(len(found), -1, dtype=np.int64)
    hi = np.full(len(found), -1, dtype=np.int64)
    if "token_lo" in found.columns:
        lo, hi = found["token_lo"].to_numpy(dtype=np.int64), found["token_hi"].to_numpy(dtype=np.int64)
    elif {"start", "end"} <= set(found.columns) and token_starts is not None:
        # Character offsets rise within a document: one search over (document, offset) keys.
        token_doc = np.repeat(np.arange(len(arrays.doc_offsets) - 1), np.diff(arrays.doc_offsets))
        width = int(max(token_ends.max(initial=0), found["end"].max()) + 1)
        end_keys = token_doc * width + token_ends
        start_keys = token_doc * width + token_starts
        first = np.searchsorted(end_keys, doc * width + found["start"].to_numpy(dtype=np.int64), side="right")
        last = np.searchsorted(start_keys, doc * width + found["end"].to_numpy(dtype=np.int64), side="left")
        s_lo = starts[sentence]
        s_hi = np.append(starts[1:], arrays.n_tokens)[sentence]
        first, last = np.maximum(first, s_lo), np.minimum(last, s_hi)
        ok = first < last
        lo, hi = np.where(ok, first, -1), np.where(ok, last, -1)
    units = Units(sentence, lo, hi)
    probabilities, matched = model.predict_units(arrays, units, with_dense=_MATCHED)
    table = pd.DataFrame({"doc_id": found["doc_id"].to_numpy(dtype=object),
                          "sentence_id": found["sentence_id"].to_numpy(dtype=np.int64),
                          "person": found["person"].astype(str).to_numpy(dtype=object), "row": sentence,
                          # sentence-level counts: the same for every mention of the sentence
                          "n_matched": matched.sum(axis=1).astype(np.int64)})
    for i, name in enumerate(CLASSES):
        table[f"p_{name}"] = probabilities[:, i]
    grouped = table.groupby(["doc_id", "sentence_id", "person"], sort=False).agg(
        row=("row", "first"), n_mentions=("row", "size"), n_matched=("n_matched", "first"),
        p_negative=("p_negative", "mean"), p_neutral=("p_neutral", "mean"),
        p_positive=("p_positive", "mean")).reset_index()
    grouped["n_words"] = _word_counts(arrays, starts)[grouped["row"].to_numpy()]
    probabilities = grouped[[f"p_{c}" for c in CLASSES]].to_numpy()
    grouped["label"] = np.array(CLASSES, dtype=object)[probabilities.argmax(axis=1)]
    grouped["score"] = grouped["p_positive"] - grouped["p_negative"]
    grouped["coverage"] = 0.0
    return _finish(grouped[["doc_id", "sentence_id", "person", "n_mentions", *MODEL_COLUMNS]], model)


#: Agreement of the scorers with people (docs/validation.md, grouped 5-fold cross-validation on GerNTSA).
AGREEMENT = {
    "trained": "macro-F1 {trained} by grouped cross-validation, against {lexicon} for the lexicon scorer and 0.25 "
               "for always answering neutral",
    "lexicon": "macro-F1 {lexicon} against 0.25 for always answering neutral; the trained default reaches {trained}",
}
AGREEMENT_NUMBERS = {"trained": "0.47", "lexicon": "0.44"}


def describe_scorer(scores: pd.DataFrame, coverage: float | None = None) -> str:
    """One sentence for a caption: which scorer made ``scores`` and how far it agrees with people.

    Examples
    --------
    >>> table = pd.DataFrame({"score": [0.1]})
    >>> table.attrs.update(model="trained", coverage=0.05)
    >>> describe_scorer(table).startswith("Trained sentiment model")
    True
    """
    model = scores.attrs.get("model", "lexicon")
    coverage = scores.attrs.get("coverage", math.nan) if coverage is None else coverage
    agreement = AGREEMENT["trained" if model != "lexicon" else "lexicon"].format(**AGREEMENT_NUMBERS)
    if model != "lexicon":
        head = ("Trained sentiment model (score = p(positive) − p(negative); n-grams and the lexicon's evidence, "
                f"{coverage:.1%} of words in the lexicon)")
    else:
        head = f"Lexicon scorer (negation and intensifiers handled), {coverage:.1%} of words matched"
    return (f"{head}. Agreement with people on German news sentences: see docs/validation.md ({agreement}) — "
            "read differences as pointers, not findings.")
