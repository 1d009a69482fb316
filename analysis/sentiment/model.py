"""The trained sentiment model: three classes toward a target, explainable, shipped as JSON.

A multinomial logistic regression over the features of :mod:`analysis.sentiment.features`:
TF-IDF weights of word unigrams, word bigrams and character n-grams of the unit's context,
and the lexicon evidence around the target. For class *k* the logit is
``intercept[k] + Σ_j coef[k, j] · x_j``, and the probabilities are the softmax of the three
logits; the predicted label is the most probable class. The **score** of a unit is
``p_positive − p_negative`` (from −1 to +1; 0 for a sure neutral) — the number the sentence,
person and outlet tables average.

Feature values
--------------
* n-grams: ``(1 + ln count) · idf``, the word block (``w:``, ``b:``) and the character block
  (``c:``) each scaled to unit length (as scikit-learn's ``TfidfVectorizer`` with
  ``sublinear_tf=True`` does per vectorizer); ``idf = ln((1 + N) / (1 + df)) + 1`` over the
  N training units.
* lexicon evidence: ``ln(1 + raw) / scale · lexicon_weight``, ``scale`` the standard
  deviation of ``ln(1 + raw)`` on the training units.

Every feature is 0 when its evidence is absent, so a unit's logits are the intercepts plus
the contributions of what is in the text, and :meth:`SentimentModel.explain` maps each
contribution back to the tokens behind it.

The file
--------
``analysis/resources/sentiment_model.json``, written by :func:`analysis.sentiment.train.train_model`
(``python -m analysis train-sentiment``): the feature settings, the classes, the intercepts,
one line per feature with its name, idf (or scale) and its three coefficients, rounded to
six significant digits, and what the model was trained on. Plain JSON, readable without this
package and without scikit-learn; nothing is unpickled. The model depends on the cleaned
default lexicon; a checksum of its entries is stored and checked when the model is loaded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import ParameterError
from .features import (LEXICON_FEATURES, TokenArrays, Units, dense_features, feature_layout, key_columns, ngram_counts,
                       prepare_dense, token_shares)

__all__ = [
    "CLASSES",
    "MODEL_FILE",
    "SentimentModel",
    "default_model",
    "explain_prediction",
    "lexicon_checksum",
    "load_model",
    "predict_texts",
]

#: The classes, in the order of the coefficient rows and probability columns.
CLASSES: tuple[str, ...] = ("negative", "neutral", "positive")
#: The shipped model, inside the package.
MODEL_FILE = "sentiment_model.json"
FORMAT = "analysis.sentiment.model"
VERSION = 1
_MODEL_NAMES = frozenset({"trained", "default", "model"})
#: Tokens per slice when a corpus is scored: a slice's n-gram counts hold about 26 cells per
#: token, and their weighting needs several arrays of that length at once (about 650 MB at
#: 500,000 tokens, measured at 10,000 articles). Each worker holds one slice's: at 40,000
#: articles on 2 workers, 150,000 tokens gave 65.5 s at 2.8 GB peak (parent and workers),
#: 60,000 gave 71.8 s at 2.2 GB, each worker's private memory about 250 MB instead of 460 MB.
SLICE_TOKENS = 60_000


def lexicon_checksum(lexicon) -> str:
    """SHA-256 of a lexicon's entries (words, phrases, negated, blocked forms), sorted.

    Examples
    --------
    >>> from analysis.sentiment.lexicon import Lexicon
    >>> lexicon_checksum(Lexicon.from_mapping({"gut": 1})) == lexicon_checksum(Lexicon.from_mapping({"gut": 1.0}))
    True
    """
    lines = [f"w\t{k}\t{float(v)!r}" for k, v in lexicon.words.items()]
    lines += [f"p\t{' '.join(k)}\t{float(v)!r}" for k, v in lexicon.phrases.items()]
    lines += [f"n\t{k}\t{float(v)!r}" for k, v in lexicon.negated.items()]
    lines += [f"b\t{k}" for k in lexicon.blocked]
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


def round_floats(value: float) -> float:
    """Six significant digits: the file's numbers, exactly as the model computes with them."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return 0.0
    return float(f"{value:.6g}")


@dataclass(eq=False)
class SentimentModel:
    """A trained three-class model (see the module notes).

    Attributes
    ----------
    settings : dict
        Feature settings (``context``, ``mask_target``, ``char_low``, ``char_high``,
        ``bigrams``, ``distance_scale``, ``lexicon_weight``) and the chosen ``C`` and
        ``class_weight``.
    ngram_names, idf : list of str, numpy.ndarray
        The n-gram vocabulary (sorted) and its idf.
    dense_names, scale : list of str, numpy.ndarray
        The lexicon-evidence features and their scales.
    coef : numpy.ndarray
        3 × features, n-grams first, then the dense features.
    intercept : numpy.ndarray
        One per class.
    reporting_verbs : tuple of str
        Forms of reporting verbs (for ``target_is_speaker``).
    lexicon : dict
        ``name``, ``entries`` and ``sha256`` of the lexicon the model was trained with.
    training : dict
        What it was trained on and how the settings were chosen.
    """

    settings: dict
    ngram_names: list
    idf: np.ndarray
    dense_names: list
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    reporting_verbs: tuple = ()
    lexicon: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    name: str = "trained"

    def __post_init__(self):
        self.vocabulary = {name: i for i, name in enumerate(self.ngram_names)}
        self._char = np.array([n.startswith("c:") for n in self.ngram_names], dtype=bool)

    def __repr__(self) -> str:
        return (f"SentimentModel(name={self.name!r}, ngrams={len(self.ngram_names)}, "
                f"dense={len(self.dense_names)}, C={self.settings.get('C')})")

    @property
    def feature_names(self) -> list:
        return list(self.ngram_names) + list(self.dense_names)

    # ------------------------------------------------------------------ features
    def rules(self):
        """The lexicon scorer's rules the lexicon evidence is computed with (default options)."""
        from .lexicon import default_lexicon
        from .rules import scoring_rules

        return scoring_rules(default_lexicon(), True, None, 4, -1.0, None, 2, True)

    def transform(self, counts: sparse.csr_matrix, dense: np.ndarray) -> sparse.csr_matrix:
        """Feature values from n-gram counts (columns of :attr:`ngram_names`) and raw lexicon evidence."""
        return transform(counts, dense, self.idf, self.scale, self._char, float(self.settings["lexicon_weight"]))

    def logits(self, features: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef.T) + self.intercept

    def block_logits(self, counts: sparse.csr_matrix, dense: np.ndarray) -> np.ndarray:
        """:meth:`logits` of :meth:`transform`, block by block: the same numbers (up to the order
        of the sums) without stacking the two blocks into one matrix."""
        n = len(self.ngram_names)
        values = ngram_values(counts, self.idf, self._char)
        scaled = dense_values(dense, self.scale, float(self.settings["lexicon_weight"]))
        return np.asarray(values @ self.coef[:, :n].T) + scaled @ self.coef[:, n:].T + self.intercept

    def features(self, arrays: TokenArrays, units: Units, *, detail: bool = False):
        """Feature values of ``units`` (and the raw parts when ``detail``)."""
        counts, _ = ngram_counts(arrays, units, self.settings, self.vocabulary)
        rules = self.rules()
        if detail:
            dense, shares = dense_features(arrays, units, rules, self.settings,
                                           reporting_forms=frozenset(self.reporting_verbs), detail=True)
            return self.transform(counts, dense), counts, dense, shares
        dense = dense_features(arrays, units, rules, self.settings, reporting_forms=frozenset(self.reporting_verbs))
        return self.transform(counts, dense)

    def predict_units(self, arrays: TokenArrays, units: Units, *, with_dense=False, jobs: int | None = 1):
        """Class probabilities (units × 3) of ``units``, computed slice by slice of documents;
        with ``with_dense`` also the raw lexicon evidence (units × :data:`LEXICON_FEATURES`), or
        with a list of names of :data:`LEXICON_FEATURES` only those columns, in that order (a
        corpus's millions of sentences need two of the 18 columns, and the 18 in float64 would
        be 150 bytes a sentence, twice: in the workers' results and in the merged array).

        ``jobs`` > 1 (None: every core) predicts the slices in forked worker processes
        (:func:`analysis.store.executor.map_documents`); the result is the same for any number.
        """
        n = len(units)
        dense_columns = _dense_columns(with_dense)
        out = np.zeros((n, len(CLASSES)))
        dense_out = np.zeros((n, len(dense_columns)))
        if not n:
            return (out, dense_out) if with_dense else out
        from ..store.executor import default_jobs, map_documents

        starts = arrays.sentence_starts()
        sentence_doc = np.searchsorted(arrays.doc_offsets, starts, side="right") - 1
        unit_doc = sentence_doc[units.sentence]
        rules = self.rules()
        # The type lists are shared by every slice: their n-gram columns and the lexicon rules'
        # look-ups are decided once for them, here, before any worker starts (the workers read
        # them from the parent's memory).
        # The units of a slice are a run of the units ordered by document (stable: in their
        # order within one): a search per slice instead of a comparison of every unit.
        unit_order = np.argsort(unit_doc, kind="stable")
        shared = dict(model=self, arrays=arrays, units=units, unit_order=unit_order, sorted_doc=unit_doc[unit_order],
                      starts=starts, rules=rules,
                      columns=key_columns(arrays, self.settings, self.vocabulary),
                      dense_types=prepare_dense(arrays, rules, frozenset(self.reporting_verbs)),
                      dense_columns=dense_columns)
        slices = pd.DataFrame(list(_document_slices(arrays.doc_offsets, SLICE_TOKENS)), columns=["lo", "hi"])
        arrays.release_pages()  # what the look-ups read of the mapped token ids; the workers read their slices
        workers = default_jobs() if jobs is None else jobs
        # A few pieces per worker, so that one slow piece does not leave the other workers idle.
        per_piece = max(1, -(-len(slices) // (4 * max(1, int(workers)))))
        for part in map_documents(_predict_slices, slices, jobs=jobs, piece_documents=per_piece, **shared):
            for chosen, probabilities, dense in part:
                out[chosen] = probabilities
                dense_out[chosen] = dense
        return (out, dense_out) if with_dense else out

    # ------------------------------------------------------------------ explanations
    def explain(self, arrays: TokenArrays, units: Units, unit: int = 0, *, by: str = "token") -> pd.DataFrame:
        """The contributions behind the prediction of one unit.

        Parameters
        ----------
        by : {"token", "feature"}
            ``"feature"``: one row per feature present (``feature, kind, value``, the
            contribution to each class's logit, and ``margin`` = positive − negative).
            ``"token"``: one row per token with the contributions of the features it carries
            (an n-gram's contribution shared by its occurrences, a lexicon sum's by the tokens
            that make it up), and a first row ``(intercept)``. Either way the rows add up to
            the logits of the unit exactly.
        """
        if by not in ("token", "feature"):
            raise ParameterError(f"by={by!r} is not 'token' or 'feature'")
        one = units.take([unit])
        values, counts, dense, shares = self.features(arrays, one, detail=True)
        row = values.getrow(0)
        columns = row.indices
        x = row.data
        names = self.feature_names
        n_ngrams = len(self.ngram_names)
        contribution = self.coef[:, columns] * x  # 3 × present features
        table = pd.DataFrame({
            "feature": [names[c] for c in columns],
            "kind": [_kind(names[c]) for c in columns],
            "value": x,
            **{k: contribution[i] for i, k in enumerate(CLASSES)},
        })
        table["margin"] = table["positive"] - table["negative"]
        if by == "feature":
            return table.sort_values("margin", key=np.abs, ascending=False, kind="stable").reset_index(drop=True)
        # Token shares of every present feature.
        by_feature = dict(zip(table["feature"], contribution.T))
        parts = []
        grams = token_shares(arrays, one, 0, self.settings, self.vocabulary)
        if len(grams):
            totals = {names[c]: float(counts[0, c]) for c in columns if c < n_ngrams}
            grams["share"] = grams["count"] / grams["feature"].map(totals)
            parts.append(grams[["token", "feature", "share"]])
        if len(shares):
            raw = dict(zip(LEXICON_FEATURES, dense[0]))
            dense_shares = shares[shares["feature"].isin(by_feature)].copy()
            dense_shares["share"] = dense_shares["value"] / dense_shares["feature"].map(raw)
            parts.append(dense_shares[["token", "feature", "share"]])
        shared = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["token", "feature", "share"])
        shared = shared[shared["feature"].isin(by_feature)]
        weights = np.stack([by_feature[f] for f in shared["feature"]]) if len(shared) else np.zeros((0, 3))
        per = pd.DataFrame(weights * shared["share"].to_numpy()[:, None], columns=list(CLASSES))
        per["token"] = shared["token"].to_numpy()
        per["features"] = shared["feature"].to_numpy()
        # The features named per token: the six with the largest share of its margin, largest first.
        per["weight"] = (per["positive"] - per["negative"]).abs()
        per = per.sort_values(["token", "weight", "features"], ascending=[True, False, True], kind="stable")
        grouped = per.groupby("token", sort=True).agg(
            negative=("negative", "sum"), neutral=("neutral", "sum"), positive=("positive", "sum"),
            features=("features", lambda f: ", ".join(list(dict.fromkeys(f))[:6])))
        layout = feature_layout(arrays)
        sentence = int(one.sentence[0])
        context = int(self.settings["context"])
        lo_s = max(0, sentence - context)
        hi_s = min(len(layout.starts) - 1, sentence + context)
        doc = layout.sentence_doc
        first = min(s for s in range(lo_s, hi_s + 1) if doc[s] == doc[sentence])
        last = max(s for s in range(lo_s, hi_s + 1) if doc[s] == doc[sentence])
        positions = np.arange(layout.starts[first], layout.ends[last])
        tokens = pd.DataFrame({
            "token_position": positions,
            "sentence": layout.token_sentence[positions] - sentence,
            "token": [arrays.forms[arrays.type_ids[p]] for p in positions],
            "target": (positions >= one.target_lo[0]) & (positions < one.target_hi[0]),
        })
        tokens = tokens.merge(grouped, left_on="token_position", right_index=True, how="left")
        tokens[list(CLASSES)] = tokens[list(CLASSES)].fillna(0.0)
        tokens["features"] = tokens["features"].fillna("")
        intercept = pd.DataFrame({"token_position": [-1], "sentence": [0], "token": ["(intercept)"], "target": [False],
                                  **{k: [float(self.intercept[i])] for i, k in enumerate(CLASSES)}, "features": [""]})
        result = pd.concat([intercept, tokens], ignore_index=True)
        result["margin"] = result["positive"] - result["negative"]
        return result

    # ------------------------------------------------------------------ files
    def to_json(self) -> str:
        """The model file's text: deterministic (sorted names, rounded numbers, fixed layout)."""
        header = {
            "format": FORMAT,
            "version": VERSION,
            "classes": list(CLASSES),
            "settings": {k: self.settings[k] for k in sorted(self.settings)},
            "lexicon": {k: self.lexicon[k] for k in sorted(self.lexicon)},
            "training": {k: self.training[k] for k in sorted(self.training)},
            "reporting_verbs": sorted(self.reporting_verbs),
            "intercept": [round_floats(v) for v in self.intercept],
        }
        lines = ["{"]
        for key, value in header.items():
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)},")
        for block, names, extra in (("dense", self.dense_names, self.scale), ("ngrams", self.ngram_names, self.idf)):
            offset = 0 if block == "ngrams" else len(self.ngram_names)
            lines.append(f'"{block}": [')
            rows = []
            for i, name in enumerate(names):
                coefs = [round_floats(c) for c in self.coef[:, offset + i]]
                rows.append(json.dumps([name, round_floats(extra[i]), *coefs], ensure_ascii=False))
            lines.append(",\n".join(rows))
            lines.append("]" + ("," if block == "dense" else ""))
        lines.append("}")
        return "\n".join(lines) + "\n"

    def save(self, path) -> Path:
        """Write the model file (UTF-8, ``\\n`` line ends)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.to_json().encode("utf-8"))
        return path

    @classmethod
    def from_json(cls, text: str, *, source: str = "model file") -> "SentimentModel":
        """Read a model from the text of its file."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ParameterError(f"the sentiment model is not valid JSON: {error}", file=source) from None
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ParameterError("not a sentiment model file of this version", file=source,
                                 hint="write one with python -m analysis train-sentiment")
        if list(data["classes"]) != list(CLASSES):
            raise ParameterError(f"the model's classes {data['classes']} are not {list(CLASSES)}", file=source)
        dense, ngrams = data["dense"], data["ngrams"]
        coef = np.array([row[2:] for row in ngrams] + [row[2:] for row in dense], dtype=float).T.reshape(3, -1)
        return cls(
            settings=dict(data["settings"]),
            ngram_names=[row[0] for row in ngrams],
            idf=np.array([row[1] for row in ngrams], dtype=float),
            dense_names=[row[0] for row in dense],
            scale=np.array([row[1] for row in dense], dtype=float),
            coef=coef,
            intercept=np.array(data["intercept"], dtype=float),
            reporting_verbs=tuple(data.get("reporting_verbs", ())),
            lexicon=dict(data.get("lexicon", {})),
            training=dict(data.get("training", {})),
            name=Path(source).stem if source != "model file" else "trained",
        )

    def rounded(self) -> "SentimentModel":
        """The model as its file stores it (numbers rounded to six significant digits)."""
        return SentimentModel.from_json(self.to_json())


def transform(counts, dense, idf, scale, is_char, lexicon_weight) -> sparse.csr_matrix:
    """TF-IDF of the n-gram counts (word and character blocks each of unit length) next to the
    scaled lexicon evidence (see the module notes)."""
    counts = sparse.csr_matrix(counts, dtype=float, copy=True)
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    char_cells = is_char[counts.indices]
    for block in (char_cells, ~char_cells):
        squares = counts.copy()
        squares.data = np.where(block, squares.data ** 2, 0.0)
        norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
        row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        divide = np.where(norms[row_of] > 0, norms[row_of], 1.0)
        counts.data = np.where(block, counts.data / divide, counts.data)
    # Training and explanations keep these exact operations (the shipped file depends on their
    # rounding); the prediction of a corpus uses the leaner ngram_values, equal up to the order of sums.
    scaled = sparse.csr_matrix(dense_values(dense, scale, lexicon_weight))
    out = sparse.hstack([counts, scaled], format="csr")
    out.eliminate_zeros()
    return out


def ngram_values(counts, idf, is_char) -> sparse.csr_matrix:
    """The n-gram block of :func:`transform`: ``(1 + ln count) · idf``, each unit's word and
    character parts scaled to unit length."""
    counts = sparse.csr_matrix(counts, dtype=float, copy=True)
    data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    char_cells = is_char[counts.indices]
    row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    squares = data * data
    # Row sums of the squares of each block, in one pass per block (no copies of the matrix).
    n = counts.shape[0]
    char_norm = np.sqrt(np.bincount(row_of, weights=np.where(char_cells, squares, 0.0), minlength=n))
    word_norm = np.sqrt(np.bincount(row_of, weights=np.where(char_cells, 0.0, squares), minlength=n))
    norm = np.where(char_cells, char_norm[row_of], word_norm[row_of])
    counts.data = data / np.where(norm > 0, norm, 1.0)
    return counts


def dense_values(dense, scale, lexicon_weight) -> np.ndarray:
    """The lexicon block of :func:`transform`: ``ln(1 + raw) / scale · lexicon_weight`` (0 where the scale is 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(scale > 0, np.log1p(np.asarray(dense, dtype=float)) / np.where(scale > 0, scale, 1), 0.0)
    return scaled * lexicon_weight


def softmax_rows(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _kind(name: str) -> str:
    return {"w": "word", "b": "bigram", "c": "characters"}.get(name.split(":", 1)[0], "lexicon") if ":" in name \
        else "lexicon"


def _predict_slices(slices: pd.DataFrame, *, model: SentimentModel, arrays: TokenArrays, units: Units,
                    unit_order: np.ndarray, sorted_doc: np.ndarray, starts: np.ndarray, rules, columns, dense_types,
                    dense_columns: np.ndarray) -> list:
    """Worker of :meth:`SentimentModel.predict_units`: for each slice (documents ``lo:hi``) the
    units it holds (``unit_order`` orders the units by their documents, ``sorted_doc``), their
    class probabilities and the ``dense_columns`` of their raw lexicon evidence."""
    found = []
    for lo, hi in zip(slices["lo"].tolist(), slices["hi"].tolist()):
        a, b = np.searchsorted(sorted_doc, [lo, hi], side="left")
        chosen = np.sort(unit_order[a:b])  # in unit order, as before the search
        if not len(chosen):
            continue
        part = arrays.documents(lo, hi)
        token_base = int(arrays.doc_offsets[lo])
        first_sentence = int(np.searchsorted(starts, token_base, side="left"))
        local = units.take(chosen)
        local = Units(local.sentence - first_sentence,
                      np.where(local.target_lo >= 0, local.target_lo - token_base, -1),
                      np.where(local.target_hi >= 0, local.target_hi - token_base, -1))
        # Unsorted: the counts are only multiplied with the coefficients.
        counts, _ = ngram_counts(part, local, model.settings, model.vocabulary, prepared=columns,
                                 sort_indices=False)
        dense = dense_features(part, local, rules, model.settings, prepared=dense_types)
        found.append((chosen, softmax_rows(model.block_logits(counts, dense)), dense[:, dense_columns]))
    return found


def _dense_columns(with_dense) -> np.ndarray:
    """Positions in :data:`LEXICON_FEATURES` of the evidence ``predict_units`` returns."""
    if isinstance(with_dense, bool):
        return np.arange(len(LEXICON_FEATURES) if with_dense else 0)
    names = [with_dense] if isinstance(with_dense, str) else list(with_dense)
    unknown = [name for name in names if name not in LEXICON_FEATURES]
    if unknown:
        raise ParameterError(f"with_dense names no lexicon feature {unknown[0]!r}",
                             hint="True for all of them, or names from analysis.sentiment.features.LEXICON_FEATURES")
    return np.array([LEXICON_FEATURES.index(name) for name in names], dtype=np.int64)


def _document_slices(offsets: np.ndarray, size: int):
    """Runs of whole documents of about ``size`` tokens: ``(first, end)`` document positions."""
    n_docs = len(offsets) - 1
    lo = 0
    while lo < n_docs:
        hi = int(np.searchsorted(offsets, offsets[lo] + max(1, size), side="left"))
        hi = min(max(hi, lo + 1), n_docs)
        yield lo, hi
        lo = hi


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def default_model() -> SentimentModel:
    """The model shipped in the package (``analysis/resources/sentiment_model.json``), loaded once.

    Trained on the development half of GerNTSA (CC BY 4.0; see
    ``analysis/resources/SENTIMENT_MODEL_DATA.md``) with
    ``python -m analysis train-sentiment``.

    Examples
    --------
    >>> model = default_model()
    >>> model.settings["context"] >= 0, len(model.intercept)
    (True, 3)
    """
    text = resources.files("analysis").joinpath("resources", MODEL_FILE).read_text(encoding="utf-8")
    model = SentimentModel.from_json(text, source=MODEL_FILE)
    model.name = "trained"
    _check_lexicon(model)
    return model


def _check_lexicon(model: SentimentModel) -> None:
    from .lexicon import default_lexicon

    wanted = model.lexicon.get("sha256")
    if wanted and wanted != lexicon_checksum(default_lexicon()):
        warnings.warn("the default lexicon differs from the one the sentiment model was trained with "
                      "(another textblob-de version, or changed clean-up lists); its lexicon evidence may be off. "
                      "Retrain with python -m analysis train-sentiment.", stacklevel=3)


def load_model(model=None) -> SentimentModel:
    """A :class:`SentimentModel`: the shipped one (``None``, ``"trained"``), a model file, or a model.

    Examples
    --------
    >>> load_model() is load_model("trained") is default_model()
    True
    """
    if model is None or (isinstance(model, str) and model.lower() in _MODEL_NAMES):
        return default_model()
    if isinstance(model, SentimentModel):
        return model
    if isinstance(model, (str, Path)):
        path = Path(model)
        if not path.is_file():
            raise ParameterError("no such sentiment model file", file=str(path),
                                 hint="give 'trained', 'lexicon' or a file written by train-sentiment")
        loaded = SentimentModel.from_json(path.read_text(encoding="utf-8"), source=str(path))
        _check_lexicon(loaded)
        return loaded
    raise ParameterError(f"a model must be 'trained', a file or a SentimentModel, got {type(model).__name__}")


# --------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------


def text_units(texts, targets=None, *, whole_texts: bool = False):
    """Token arrays and units of texts, one unit per text (at its target when given).

    ``targets`` holds a ``(start, end)`` character span per text, or None for a text without
    target. A text without target is one unit: with ``whole_texts`` the whole text counts as
    one sentence, else its first sentence (with its neighbours as context).
    """
    from ..store import TokenStore

    texts = [str(t) for t in texts]
    targets = [None] * len(texts) if targets is None else list(targets)
    if len(targets) != len(texts):
        raise ParameterError(f"{len(targets)} targets for {len(texts)} texts")
    distinct = list(dict.fromkeys(texts))
    doc_of = {t: i for i, t in enumerate(distinct)}
    store = TokenStore.from_texts([str(i) for i in range(len(distinct))], distinct, stems=False)
    arrays = TokenArrays.from_store(store)
    if whole_texts:
        untargeted = {doc_of[t] for t, span in zip(texts, targets) if span is None}
        if untargeted:
            keep = arrays.new_sentence.copy()
            for d in untargeted:
                keep[int(arrays.doc_offsets[d]) + 1:int(arrays.doc_offsets[d + 1])] = False
            arrays = TokenArrays(arrays.type_ids, keep, arrays.doc_offsets, arrays.forms, arrays.lemmas, arrays.kinds)
    starts = arrays.sentence_starts()
    token_starts = np.asarray(store.starts, dtype=np.int64)
    token_ends = np.asarray(store.ends, dtype=np.int64)
    sentence, lo, hi = [], [], []
    for text, span in zip(texts, targets):
        d = doc_of[text]
        a, b = int(arrays.doc_offsets[d]), int(arrays.doc_offsets[d + 1])
        if b == a:
            raise ParameterError("a text has no tokens", hint="give texts with words")
        if span is None:
            sentence.append(int(np.searchsorted(starts, a, side="left")))
            lo.append(-1)
            hi.append(-1)
            continue
        start, end = int(span[0]), int(span[1])
        overlap = np.flatnonzero((token_starts[a:b] < end) & (token_ends[a:b] > start))
        if not len(overlap):
            inside = np.flatnonzero(token_ends[a:b] > start)
            overlap = inside[:1] if len(inside) else np.array([b - a - 1])
        first = a + int(overlap[0])
        s = int(np.searchsorted(starts, first, side="right")) - 1
        last = min(a + int(overlap[-1]) + 1, int(starts[s + 1]) if s + 1 < len(starts) else b)
        sentence.append(s)
        lo.append(first)
        hi.append(max(last, first + 1))
    units = Units(np.array(sentence, dtype=np.int64), np.array(lo, dtype=np.int64), np.array(hi, dtype=np.int64))
    return arrays, units


def predict_texts(texts, targets=None, *, model=None) -> pd.DataFrame:
    """Predict the sentiment of texts, toward a target span when given.

    Parameters
    ----------
    texts : list of str
    targets : list of (int, int) or None, optional
        Character span of the target in each text (None for none): the sentiment *toward* it.
        Without target, the text's first sentence (with the next as context) is scored.
    model : optional
        As in :func:`load_model`.

    Returns
    -------
    pandas.DataFrame
        ``text, label, p_negative, p_neutral, p_positive, score`` (score = p_positive − p_negative).

    Examples
    --------
    >>> text = "Die Fans feierten Lena Berger für ihr großartiges Spiel."
    >>> table = predict_texts([text], [(text.index("Lena"), text.index("Lena") + 11)])
    >>> table["label"].tolist(), bool(table["score"].iloc[0] > 0)
    (['positive'], True)
    """
    model = load_model(model)
    arrays, units = text_units(texts, targets)
    probabilities = model.predict_units(arrays, units)
    return prediction_table(probabilities, {"text": list(texts)})


def prediction_table(probabilities: np.ndarray, columns: dict) -> pd.DataFrame:
    table = pd.DataFrame(columns)
    table["label"] = np.array(CLASSES, dtype=object)[probabilities.argmax(axis=1)] if len(probabilities) else []
    for i, name in enumerate(CLASSES):
        table[f"p_{name}"] = probabilities[:, i]
    score = probabilities[:, 2] - probabilities[:, 0]
    table["score"] = np.where(score == 0, 0.0, score)
    return table


def explain_prediction(text: str, target=None, *, model=None, by: str = "token") -> pd.DataFrame:
    """The contributions behind the trained model's prediction for one text.

    Parameters
    ----------
    text : str
    target : (int, int), optional
        Character span of the target.
    model : optional
        As in :func:`load_model`.
    by : {"token", "feature"}
        See :meth:`SentimentModel.explain`.

    Returns
    -------
    pandas.DataFrame
        ``by="token"``: ``token_position, sentence, token, target, negative, neutral, positive,
        features, margin``, first the intercept; the class columns add up to the logits.
        ``attrs`` holds ``label`` and the ``probabilities``.

    Examples
    --------
    >>> table = explain_prediction("Der Plan ist nicht gut.")
    >>> table["token"].iloc[0], table.attrs["label"] in ("negative", "neutral", "positive")
    ('(intercept)', True)
    >>> from analysis.sentiment.model import default_model, text_units
    >>> arrays, units = text_units(["Der Plan ist nicht gut."])
    >>> logits = default_model().logits(default_model().features(arrays, units))[0]
    >>> bool(np.allclose(table[["negative", "neutral", "positive"]].sum().to_numpy(), logits))
    True
    """
    if not isinstance(text, str):
        raise ParameterError(f"text must be a str, got {type(text).__name__}")
    model = load_model(model)
    arrays, units = text_units([text], [target])
    table = model.explain(arrays, units, 0, by=by)
    probabilities = model.predict_units(arrays, units)[0]
    table.attrs["probabilities"] = dict(zip(CLASSES, probabilities.tolist()))
    table.attrs["label"] = CLASSES[int(probabilities.argmax())]
    table.attrs["score"] = float(probabilities[2] - probabilities[0])
    return table
