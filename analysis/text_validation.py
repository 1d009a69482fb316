"""Measure the text layer (tokens, sentences, lemmas) against a Universal Dependencies treebank.

The gold data is a CoNLL-U file, e.g. the development split of UD German GSD, whose sentences
``s501``–``s799`` are newspaper text (see ``docs/validation.md``). The sentences are put back
together into running text, the text is tokenized with :func:`analysis.text.tokenize` (the
same batch tokenizer, sentence splitter and vocabulary lemmas the pipeline uses), and the
result is compared with the gold annotation by character offsets.

What is scored
--------------
Tokens
    Precision, recall and F1 of token spans ``(start, end)``. A multi-word token ("zum" =
    "zu dem") is scored as its surface form, never as its syntactic words. The treebank's
    ASCII quotation marks ````` and ``''`` are replaced by „ and “ in text and tokens first
    (they stand for typographic quotes). ``token_f1_compounds`` scores against gold tokens
    in which a hyphen glued to words is joined to them ("Baden - Württembergs" →
    "Baden-Württembergs", "Rohstoff -" → "Rohstoff-"): the tokenizer keeps hyphenated
    compounds as one token by design, UD splits them.
Sentences
    Precision, recall and F1 of sentence end offsets in the running text; the end of each
    document, which every splitter gets right, is not counted.
Lemmas
    Content words (UPOS ``NOUN``, ``PROPN``, ``VERB``, ``ADJ``, ``ADV``) that are a surface
    token of their own and that the tokenizer found with the same span: the share whose
    lemma equals the gold lemma, exactly and ignoring case (``str.lower``; "ß" and "ss" stay
    different). Wrong lemmas are sorted into rough kinds by :func:`lemma_error_kind`.

Run it as a program::

    python -m analysis validate-text --gold de_gsd-ud-dev.conllu [--first 501 --last 799] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import AnalysisError, CorpusError, ParameterError
from .text import tokenize

__all__ = [
    "CONTENT_UPOS",
    "GOLD_QUOTES",
    "TOKEN_COLUMNS",
    "SENTENCE_COLUMNS",
    "gold_documents",
    "lemma_error_kind",
    "main",
    "read_conllu",
    "read_conllu_sentences",
    "report",
    "validate_text_layer",
]

#: Universal POS tags whose lemmas are scored.
CONTENT_UPOS: tuple[str, ...] = ("NOUN", "PROPN", "VERB", "ADJ", "ADV")

#: Replacements made in gold text and tokens before scoring: the treebank writes some
#: quotation marks in ASCII (TeX style), where a German newspaper prints „ and “.
GOLD_QUOTES: dict[str, str] = {"``": "\u201e", "''": "\u201c"}

#: Columns of :func:`read_conllu`.
TOKEN_COLUMNS: tuple[str, ...] = (
    "sent_id", "sentence", "token", "form", "lemma", "upos", "xpos", "feats", "misc",
    "space_after", "words", "word_forms", "start", "end", "line",
)

#: Columns of :func:`read_conllu_sentences`.
SENTENCE_COLUMNS: tuple[str, ...] = ("sent_id", "sentence", "text", "newdoc", "newpar", "tokens", "line")

_HINT = "the file must be CoNLL-U: comment lines '# ...', ten tab-separated fields per word, a blank line after each sentence"
_SENT_NUMBER_RE = re.compile(r"(\d+)$")


# --------------------------------------------------------------------------------------
# Reading CoNLL-U
# --------------------------------------------------------------------------------------


def _open(source):
    """``(lines, name)`` of a path or an open text stream."""
    if hasattr(source, "read"):
        return source.read().splitlines(), getattr(source, "name", "<CoNLL-U text>")
    if not isinstance(source, (str, Path)):
        raise ParameterError(f"expected a CoNLL-U file name or text stream, got {type(source).__name__}")
    path = Path(source)
    if not path.is_file():
        raise ParameterError(
            "no such CoNLL-U file", file=path,
            hint="give the path of a .conllu file, e.g. de_gsd-ud-dev.conllu of UD German GSD",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CorpusError(
            f"not UTF-8 (byte {error.start})", file=path, hint="CoNLL-U files are UTF-8; convert the file"
        ) from None
    return text.splitlines(), str(path)


def _parse(source, sent_ids=None):
    """``(sentences, tokens)`` as lists of dicts; see :func:`read_conllu`."""
    lines, name = _open(source)
    wanted = None if sent_ids is None else {str(s) for s in sent_ids}
    sentences: list[dict] = []
    tokens: list[dict] = []
    meta: dict = {}
    surface: list[dict] = []
    mwt_end = 0  # last word id covered by the current multi-word token
    first_line = None
    newdoc = newpar = False

    def where(number: int) -> str:
        return f"{name}, line {number}"

    def finish(number: int) -> None:
        nonlocal meta, surface, mwt_end, first_line, newdoc, newpar
        if not surface:
            if meta:
                raise CorpusError("a sentence without word lines", file=where(number), hint=_HINT)
            return
        sent_id = meta.get("sent_id", str(len(sentences) + 1))
        forms = [t["form"] for t in surface]
        text = meta.get("text")
        if text is None:
            text = "".join(f + ("" if t["space_after"] is False or i == len(surface) - 1 else " ")
                           for i, (f, t) in enumerate(zip(forms, surface)))
        cursor = 0
        for t in surface:
            while cursor < len(text) and text[cursor].isspace():
                cursor += 1
            if not text.startswith(t["form"], cursor):
                raise CorpusError(
                    f"token {t['form']!r} does not match the sentence text at character {cursor} "
                    f"({text[cursor:cursor + 20]!r})",
                    file=where(t["line"]),
                    hint="the '# text' line and the word forms of a sentence must agree",
                )
            t["start"], t["end"] = cursor, cursor + len(t["form"])
            cursor = t["end"]
        if text[cursor:].strip():
            raise CorpusError(f"the sentence text goes on after its last token: {text[cursor:]!r}",
                              file=where(first_line), hint="the '# text' line and the word forms must agree")
        if wanted is None or sent_id in wanted:
            number_of = len(sentences)
            sentences.append({"sent_id": sent_id, "sentence": number_of, "text": text, "newdoc": newdoc,
                              "newpar": newpar, "tokens": len(surface), "line": first_line})
            for k, t in enumerate(surface):
                t.update(sent_id=sent_id, sentence=number_of, token=k)
                tokens.append(t)
        meta, surface, mwt_end, first_line = {}, [], 0, None
        newdoc = newpar = False

    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            finish(number)
            continue
        if first_line is None:
            first_line = number
        if line.startswith("#"):
            body = line[1:].strip()
            key, sep, value = body.partition("=")
            key = key.strip()
            if key.startswith("newdoc"):
                newdoc = True
            elif key.startswith("newpar"):
                newpar = True
            elif sep and key in ("sent_id", "text"):
                meta[key] = value.strip() if key == "sent_id" else value.lstrip(" ").rstrip("\r\n")
            continue
        fields = line.split("\t")
        if len(fields) != 10:
            raise CorpusError(f"expected 10 tab-separated fields, got {len(fields)}", file=where(number), hint=_HINT)
        word_id, form, lemma, upos, xpos, feats, _head, _deprel, _deps, misc = fields
        if "." in word_id:  # an empty node of enhanced dependencies: no surface text
            continue
        space_after = "SpaceAfter=No" not in misc.split("|")
        if "-" in word_id:
            first, _, last = word_id.partition("-")
            if not (first.isdigit() and last.isdigit() and int(first) <= int(last)):
                raise CorpusError(f"bad multi-word token id {word_id!r}", file=where(number), hint=_HINT)
            mwt_end = int(last)
            surface.append({"form": form, "lemma": [], "upos": [], "xpos": [], "feats": [], "misc": misc,
                            "space_after": space_after, "words": [], "line": number, "last": mwt_end})
            continue
        if not word_id.isdigit():
            raise CorpusError(f"bad word id {word_id!r}", file=where(number), hint=_HINT)
        if surface and "last" in surface[-1] and int(word_id) <= surface[-1]["last"]:
            token = surface[-1]
            for key, value in (("lemma", lemma), ("upos", upos), ("xpos", xpos), ("feats", feats), ("words", form)):
                token[key].append(value)
            continue
        surface.append({"form": form, "lemma": lemma, "upos": upos, "xpos": xpos, "feats": feats, "misc": misc,
                        "space_after": space_after, "words": form, "line": number})
    finish(len(lines) + 1)
    for t in tokens:
        if isinstance(t["words"], list):  # a multi-word token: join its words' annotations
            t.pop("last")
            words = t["words"]
            t["word_forms"] = " ".join(words)
            t["words"] = len(words)
            for key in ("lemma", "upos", "xpos", "feats"):
                t[key] = " ".join(t[key]) if key == "lemma" else "+".join(t[key])
        else:
            t["word_forms"] = t["words"]
            t["words"] = 1
    return sentences, tokens, name


def read_conllu(source, sent_ids=None) -> pd.DataFrame:
    """Surface tokens of a CoNLL-U file, with their character offsets in the sentence text.

    Parameters
    ----------
    source : str, Path or text stream
        A CoNLL-U file (UTF-8) or an open text stream.
    sent_ids : iterable of str, optional
        Keep only the sentences with these ``# sent_id`` values (all when None).

    Returns
    -------
    pandas.DataFrame
        One row per surface token, columns :data:`TOKEN_COLUMNS`: ``sent_id``,
        ``sentence`` (0-based number among the sentences kept), ``token`` (0-based within
        the sentence), ``form``, ``lemma``, ``upos``, ``xpos``, ``feats``, ``misc``,
        ``space_after`` (False for ``SpaceAfter=No``), ``words`` (1, or the number of
        syntactic words of a multi-word token), ``word_forms`` (the words, space
        separated), ``start``, ``end`` (offsets into the sentence's ``# text``) and
        ``line`` (1-based line of the token in the file). For a multi-word token the
        lemmas are joined by spaces and the tags by ``+`` ("zu der", "ADP+DET").
        Empty nodes (ids like ``8.1``) are skipped.

    Raises
    ------
    ParameterError
        If the file does not exist.
    CorpusError
        If a line is malformed or a token does not match the sentence's ``# text``; the
        message names the file and line.

    Examples
    --------
    >>> import io
    >>> text = '''# sent_id = s1
    ... # text = Er kam zum Gipfel.
    ... 1\\tEr\\ter\\tPRON\\tPPER\\t_\\t2\\tnsubj\\t_\\t_
    ... 2\\tkam\\tkommen\\tVERB\\tVVFIN\\t_\\t0\\troot\\t_\\t_
    ... 3-4\\tzum\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\t_
    ... 3\\tzu\\tzu\\tADP\\tAPPR\\t_\\t5\\tcase\\t_\\t_
    ... 4\\tdem\\tder\\tDET\\tART\\t_\\t5\\tdet\\t_\\t_
    ... 5\\tGipfel\\tGipfel\\tNOUN\\tNN\\t_\\t2\\tobl\\t_\\tSpaceAfter=No
    ... 6\\t.\\t.\\tPUNCT\\t$.\\t_\\t2\\tpunct\\t_\\t_
    ... '''
    >>> read_conllu(io.StringIO(text))[["form", "lemma", "upos", "words", "start", "end"]].values.tolist()[2:4]
    [['zum', 'zu der', 'ADP+DET', 2, 7, 10], ['Gipfel', 'Gipfel', 'NOUN', 1, 11, 17]]
    """
    _, tokens, _ = _parse(source, sent_ids)
    return _token_frame(tokens)


def _token_frame(tokens) -> pd.DataFrame:
    frame = pd.DataFrame(tokens, columns=list(TOKEN_COLUMNS))
    for column in ("sentence", "token", "words", "start", "end", "line"):
        frame[column] = frame[column].astype(np.int64)
    frame["space_after"] = frame["space_after"].astype(bool)
    return frame


def read_conllu_sentences(source, sent_ids=None) -> pd.DataFrame:
    """Sentences of a CoNLL-U file.

    Parameters
    ----------
    source : str, Path or text stream
        A CoNLL-U file (UTF-8) or an open text stream.
    sent_ids : iterable of str, optional
        Keep only these sentences (all when None).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SENTENCE_COLUMNS`: ``sent_id``, ``sentence`` (0-based), ``text``
        (the ``# text`` line, or the forms joined by their ``SpaceAfter`` when there is
        none), ``newdoc`` and ``newpar`` (the sentence starts a document or paragraph),
        ``tokens`` (surface tokens) and ``line`` (first line of the sentence).

    Raises
    ------
    ParameterError, CorpusError
        As :func:`read_conllu`.

    Examples
    --------
    >>> import io
    >>> text = "# newdoc id = d1\\n# sent_id = a\\n1\\tJa\\tja\\tINTJ\\t_\\t_\\t0\\troot\\t_\\tSpaceAfter=No\\n" \\
    ...        "2\\t!\\t!\\tPUNCT\\t_\\t_\\t1\\tpunct\\t_\\t_\\n\\n"
    >>> read_conllu_sentences(io.StringIO(text))[["sent_id", "text", "newdoc", "tokens"]].values.tolist()
    [['a', 'Ja!', True, 2]]
    """
    sentences, _, _ = _parse(source, sent_ids)
    return pd.DataFrame(sentences, columns=list(SENTENCE_COLUMNS))


# --------------------------------------------------------------------------------------
# Running text
# --------------------------------------------------------------------------------------


def _normalise_quotes(sentences: pd.DataFrame, tokens: pd.DataFrame, replacements: dict[str, str]):
    """Replace ASCII quote artefacts in the sentence texts and forms, moving the offsets."""
    if not replacements:
        return sentences, tokens
    pattern = re.compile("|".join(map(re.escape, sorted(replacements, key=len, reverse=True))))
    texts = sentences["text"].tolist()
    forms = tokens["form"].tolist()
    starts = tokens["start"].to_numpy().copy()
    ends = tokens["end"].to_numpy().copy()
    new_texts = list(texts)
    by_sentence = tokens.groupby("sentence", sort=False).indices
    for s, text in enumerate(texts):
        if not pattern.search(text):
            continue
        rows = by_sentence.get(s, [])
        pieces, cursor, position = [], 0, 0
        for r in rows:
            pieces.append(text[cursor:starts[r]])
            position += starts[r] - cursor
            form = pattern.sub(lambda m: replacements[m.group()], forms[r])
            forms[r] = form
            pieces.append(form)
            cursor = ends[r]
            starts[r], ends[r] = position, position + len(form)
            position = ends[r]
        pieces.append(text[cursor:])
        new_texts[s] = "".join(pieces)
    sentences = sentences.assign(text=new_texts)
    tokens = tokens.assign(form=forms, start=starts, end=ends)
    return sentences, tokens


def gold_documents(sentences: pd.DataFrame, tokens: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Running text of the gold sentences, and the gold tokens' offsets in it.

    Sentences are joined into documents: a new document begins at ``# newdoc`` (a file
    without any is one document). Within a document consecutive sentences are separated
    by one space — none when the last token of the sentence before is ``SpaceAfter=No`` —
    and paragraphs (``# newpar``) by a line break, as in scraped news.

    Parameters
    ----------
    sentences, tokens : pandas.DataFrame
        :func:`read_conllu_sentences` and :func:`read_conllu` of the same sentences.

    Returns
    -------
    documents : pandas.DataFrame
        ``doc_id`` (the first sent_id of the document) and ``text``.
    tokens : pandas.DataFrame
        The tokens with ``doc_id`` added and ``start``, ``end`` moved into the document
        text; ``sentence_end`` is True for the last token of each sentence.

    Examples
    --------
    >>> import io
    >>> text = ("# text = Ja.\\n1\\tJa\\tja\\tINTJ\\t_\\t_\\t0\\troot\\t_\\tSpaceAfter=No\\n2\\t.\\t.\\tPUNCT\\t_\\t_\\t1\\tpunct\\t_\\t_\\n\\n"
    ...         "# text = Gut.\\n1\\tGut\\tgut\\tADJ\\t_\\t_\\t0\\troot\\t_\\tSpaceAfter=No\\n2\\t.\\t.\\tPUNCT\\t_\\t_\\t1\\tpunct\\t_\\t_\\n\\n")
    >>> documents, tokens = gold_documents(read_conllu_sentences(io.StringIO(text)), read_conllu(io.StringIO(text)))
    >>> documents["text"].tolist(), tokens["start"].tolist()
    (['Ja. Gut.'], [0, 2, 4, 7])
    """
    doc_ids, texts = [], []
    sentence_offset = np.zeros(len(sentences), dtype=np.int64)
    sentence_doc = []
    last_space = tokens.groupby("sentence")["space_after"].last().to_dict()
    parts: list[str] = []
    length = 0
    for s, (sent_id, text, newdoc, newpar) in enumerate(
        zip(sentences["sent_id"], sentences["text"], sentences["newdoc"], sentences["newpar"])
    ):
        if s == 0 or newdoc:
            if parts:
                texts.append("".join(parts))
            doc_ids.append(str(sent_id))
            parts, length = [], 0
        else:
            separator = "\n" if newpar else (" " if last_space.get(s - 1, True) else "")
            parts.append(separator)
            length += len(separator)
        sentence_offset[s] = length
        sentence_doc.append(doc_ids[-1])
        parts.append(text)
        length += len(text)
    if parts or doc_ids:
        texts.append("".join(parts))
    documents = pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=object), "text": pd.Series(texts, dtype=object)})
    sentence_number = tokens["sentence"].to_numpy()
    moved = tokens.assign(
        doc_id=np.asarray(sentence_doc, dtype=object)[sentence_number] if len(tokens) else [],
        start=tokens["start"].to_numpy() + sentence_offset[sentence_number],
        end=tokens["end"].to_numpy() + sentence_offset[sentence_number],
        sentence_end=np.r_[sentence_number[1:] != sentence_number[:-1], True] if len(tokens) else [],
    )
    return documents, moved


def _compound_spans(gold: pd.DataFrame) -> pd.DataFrame:
    """Gold token spans with glued hyphens joined to their words (the tokenizer's convention)."""
    forms = gold["form"].tolist()
    starts = gold["start"].to_numpy()
    ends = gold["end"].to_numpy()
    docs = gold["doc_id"].tolist()
    n = len(forms)
    join = np.zeros(n, dtype=bool)  # token i is joined to token i - 1
    hyphens = {"-", "\u2010", "\u2011"}
    for i in range(n):
        if forms[i] not in hyphens:
            continue
        left = i > 0 and docs[i - 1] == docs[i] and ends[i - 1] == starts[i] and forms[i - 1][-1:].isalnum()
        right = i + 1 < n and docs[i + 1] == docs[i] and ends[i] == starts[i + 1] and forms[i + 1][:1].isalnum()
        if left:
            join[i] = True
            if right:
                join[i + 1] = True
        elif right and forms[i + 1][:1].islower():  # "-ausfuhr" of "Ein- und -ausfuhr"
            join[i + 1] = True
    group = np.cumsum(~join) - 1
    frame = pd.DataFrame({"doc_id": docs, "group": group, "start": starts, "end": ends})
    return frame.groupby("group", sort=True).agg(doc_id=("doc_id", "first"), start=("start", "min"),
                                                 end=("end", "max")).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


def _shape(form: str) -> str:
    """A token's shape for grouping errors: letter runs as ``A``/``a`` (by their first
    letter), digit runs as ``9``, other characters as they are."""
    shaped = re.sub(r"[^\W\d_]+", lambda m: "A" if m.group()[0].isupper() else "a", form)
    return re.sub(r"\d+", "9", shaped)


def _prf(correct: int, gold: int, predicted: int) -> tuple[float, float, float]:
    precision = correct / predicted if predicted else float("nan")
    recall = correct / gold if gold else float("nan")
    f1 = 2 * correct / (gold + predicted) if gold + predicted else float("nan")
    return precision, recall, f1


def _components(gold: pd.DataFrame, ours: pd.DataFrame) -> pd.DataFrame:
    """Group overlapping gold and predicted spans into components (per document)."""
    both = pd.concat(
        [gold[["doc_id", "start", "end", "form"]].assign(side=0),
         ours[["doc_id", "start", "end", "form"]].assign(side=1)],
        ignore_index=True,
    )
    doc_code = pd.factorize(both["doc_id"], sort=False)[0]
    both = both.assign(doc=doc_code).sort_values(["doc", "start", "side"], kind="stable").reset_index(drop=True)
    doc = both["doc"].to_numpy()
    start = both["start"].to_numpy()
    end = both["end"].to_numpy()
    # Running maximum of the ends within a document: a span starting at or after it opens a component.
    reach = pd.Series(end).groupby(doc).cummax().to_numpy()
    new = np.ones(len(both), dtype=bool)
    if len(both) > 1:
        new[1:] = (doc[1:] != doc[:-1]) | (start[1:] >= reach[:-1])
    return both.assign(component=np.cumsum(new) - 1)


def _token_errors(components: pd.DataFrame) -> pd.DataFrame:
    grouped = components.groupby(["component", "side"], sort=True)["form"].agg(list).unstack("side") \
        .reindex(columns=[0, 1])
    gold_forms = grouped[0]
    our_forms = grouped[1]
    rows = []
    for g, o in zip(gold_forms, our_forms):
        g = g if isinstance(g, list) else []
        o = o if isinstance(o, list) else []
        if len(g) == 1 and len(o) == 1 and g == o:
            continue
        if len(g) == 1 and len(o) > 1:
            kind = "split"
        elif len(g) > 1 and len(o) == 1:
            kind = "merge"
        else:
            kind = "other"
        pattern = " ".join(map(_shape, g)) + " → " + " ".join(map(_shape, o))
        rows.append((kind, pattern, " | ".join(g), " | ".join(o)))
    errors = pd.DataFrame(rows, columns=["kind", "pattern", "gold", "ours"])
    return _summarise(errors, ["kind", "pattern"], lambda r: f"{r.gold} → {r.ours}")


def _summarise(errors: pd.DataFrame, keys: list[str], example) -> pd.DataFrame:
    """Count errors by ``keys``, most frequent first, with up to three distinct examples."""
    columns = keys + ["count", "examples"]
    if errors.empty:
        return pd.DataFrame(columns=columns)
    errors = errors.assign(_example=[example(r) for r in errors.itertuples(index=False)])
    table = errors.groupby(keys, sort=False).agg(
        count=("_example", "size"),
        examples=("_example", lambda s: "; ".join(list(dict.fromkeys(s))[:3])),
    ).reset_index()
    return table.sort_values(["count"] + keys, ascending=[False] + [True] * len(keys), kind="stable") \
        .reset_index(drop=True)[columns]


def _context(text: str, position: int, width: int = 30) -> str:
    left = text[max(0, position - width):position].replace("\n", " ")
    right = text[position:position + width].replace("\n", " ")
    return f"…{left}▮{right}…"


def _sentence_errors(documents, gold_ends, our_ends, gold, ours) -> pd.DataFrame:
    """Missed and extra sentence ends, with the tokens around them."""
    texts = dict(zip(documents["doc_id"], documents["text"]))
    rows = []
    for kind, missing, table in (("missed", gold_ends - our_ends, gold), ("extra", our_ends - gold_ends, ours)):
        if not missing:
            continue
        keyed = table.assign(_key=list(zip(table["doc_id"], table["end"])))
        hit = keyed["_key"].isin(missing).to_numpy()
        forms = table["form"].tolist()
        docs = table["doc_id"].tolist()
        for i in np.flatnonzero(hit).tolist():
            before = forms[i]
            previous = forms[i - 1] if i > 0 and docs[i - 1] == docs[i] else ""
            after = forms[i + 1] if i + 1 < len(forms) and docs[i + 1] == docs[i] else ""
            left = before if not before[:1].isalnum() else _shape(before)
            pattern = f"{_shape(previous)} {left} ▮ {_shape(after)}".strip()
            rows.append((kind, pattern, _context(texts[docs[i]], int(table["end"].iloc[i]))))
    errors = pd.DataFrame(rows, columns=["kind", "pattern", "context"])
    return _summarise(errors, ["kind", "pattern"], lambda r: r.context)


def lemma_error_kind(form: str, gold: str, ours: str, upos: str) -> str:
    """A rough kind of a wrong lemma, for reading the error table (the first that applies).

    ``case``
        Only upper/lower case differs ("Rund" for sentence-initial *Rund*, gold *rund*).
    ``spelling ß/ss``
        Only ß against ss differs, or a form with ß is not lemmatized: the treebank's
        lemmas and texts (1990s news) use the spelling before the 1996 reform
        (*Todesschuß*, *wußte*), the lemmatizer the reformed one.
    ``participle as adjective``
        An adjective that is a participle: the treebank keeps the participle
        (*veröffentlicht*), the lemmatizer gives the verb (*veröffentlichen*).
    ``nominalised adjective``
        A noun made from an adjective or participle, lemmatized with another ending
        (gold *Beschäftigter*, ours *Beschäftigte*).
    ``form kept``
        The lemmatizer does not know the form and returns it unchanged (*18jährigen*,
        *Nigerias*).
    ``other``
        Anything else (other words of the same spelling, annotation errors, …).

    Examples
    --------
    >>> lemma_error_kind("veröffentlichten", "veröffentlicht", "veröffentlichen", "ADJ")
    'participle as adjective'
    >>> lemma_error_kind("Rund", "rund", "Rund", "ADV")
    'case'
    """
    g, o = gold.lower(), ours.lower()
    if g == o:
        return "case"
    if g.replace("ß", "ss") == o.replace("ß", "ss") or ("ß" in form and ours == form):
        return "spelling ß/ss"
    if upos == "ADJ" and ours != form and o.endswith("n") and form.lower().startswith(g):
        return "participle as adjective"
    if upos in ("NOUN", "PROPN") and (
        (g == o + "r" and o.endswith("e")) or (o == g + "r" and g.endswith("e"))  # Beschäftigte(r)
        or (o == g + "e" and g.endswith("nd")) or (g == o + "e" and o.endswith("nd"))  # Vorsitzend(e)
    ):
        return "nominalised adjective"
    if ours == form:
        return "form kept"
    return "other"


def _select_range(sentences: pd.DataFrame, first, last, name: str) -> list[str]:
    numbers = sentences["sent_id"].astype(str).str.extract(_SENT_NUMBER_RE, expand=False)
    if numbers.isna().all():
        raise ParameterError(
            f"no sent_id ends in a number (e.g. {sentences['sent_id'].iloc[0]!r})", file=name,
            hint="pass first=None, last=None to score every sentence",
        )
    values = pd.to_numeric(numbers, errors="coerce")
    keep = values.notna()
    if first is not None:
        keep &= values >= first
    if last is not None:
        keep &= values <= last
    if not keep.any():
        raise ParameterError(
            f"no sentence has a sent_id number from {first} to {last}; the file's sent_ids run from "
            f"{sentences['sent_id'].iloc[0]!r} to {sentences['sent_id'].iloc[-1]!r}",
            file=name, hint="choose --first and --last within that range",
        )
    return sentences.loc[keep, "sent_id"].astype(str).tolist()


def validate_text_layer(path, first: int | None = 501, last: int | None = 799, *,
                        quotes: dict[str, str] | None = None) -> dict:
    """Compare tokens, sentence ends and content-word lemmas with a CoNLL-U treebank.

    Parameters
    ----------
    path : str, Path or text stream
        The CoNLL-U file (e.g. ``de_gsd-ud-dev.conllu`` of UD German GSD).
    first, last : int or None, default 501 and 799
        Score the sentences whose ``sent_id`` ends in a number from ``first`` to ``last``
        (``dev-s501`` … ``dev-s799``: the news part of UD German GSD dev). None on either
        side leaves that side open.
    quotes : dict, optional
        Replacements made in gold text and forms before tokenizing; default
        :data:`GOLD_QUOTES`. Pass ``{}`` to score the text as it is in the file.

    Returns
    -------
    dict
        ``metrics``: DataFrame ``metric, value, count, total`` with ``value = count / total``
        (precision, recall and F1 of tokens and of sentence ends, where F1 is
        ``2 * matched / (gold + predicted)``; lemma accuracy, case-insensitive lemma accuracy,
        and lemma coverage: the share of content words with a token of the same span);
        ``lemma_error_kinds``: ``kind, count, examples`` (see :func:`lemma_error_kind`);
        ``token_errors``: ``kind`` (``split``: one gold token became several of ours,
        ``merge``: several gold tokens became one of ours, ``other``), ``pattern`` (the
        token shapes, see below), ``count``, ``examples``; ``sentence_errors``: ``kind``
        (``missed``/``extra``), ``pattern``, ``count``, ``examples`` (the text around the
        boundary, ▮ marking it); ``lemma_errors``: ``upos, gold, ours, count, examples``
        (the forms); ``lemmas``: one row per content word (``aligned``: a token of ours has
        its span; ``correct``, ``correct_ignoring_case``, ``error_kind``); ``documents``: the
        running text that was tokenized; ``gold`` and ``tokens``: gold and predicted
        tokens with their offsets in it. In a pattern letters are ``A``/``a`` (by the
        case of the first letter), digits ``9``, ▮ a sentence end.

    Raises
    ------
    ParameterError
        If the file does not exist or no sentence is in the range.
    CorpusError
        If the file is not CoNLL-U (the message names the line).

    Examples
    --------
    >>> import io
    >>> text = ("# sent_id = s1\\n# text = Er kam.\\n1\\tEr\\ter\\tPRON\\t_\\t_\\t2\\tnsubj\\t_\\t_\\n"
    ...         "2\\tkam\\tkommen\\tVERB\\t_\\t_\\t0\\troot\\t_\\tSpaceAfter=No\\n3\\t.\\t.\\tPUNCT\\t_\\t_\\t2\\tpunct\\t_\\t_\\n\\n"
    ...         "# sent_id = s2\\n# text = Sie ging.\\n1\\tSie\\tsie\\tPRON\\t_\\t_\\t2\\tnsubj\\t_\\t_\\n"
    ...         "2\\tging\\tgehen\\tVERB\\t_\\t_\\t0\\troot\\t_\\tSpaceAfter=No\\n3\\t.\\t.\\tPUNCT\\t_\\t_\\t2\\tpunct\\t_\\t_\\n\\n")
    >>> result = validate_text_layer(io.StringIO(text), first=None, last=None)
    >>> result["metrics"].set_index("metric")["value"][["token_f1", "sentence_f1", "lemma_accuracy"]].tolist()
    [1.0, 1.0, 1.0]
    """
    sentences_all, tokens_all, name = _parse(path)
    sentences = pd.DataFrame(sentences_all, columns=list(SENTENCE_COLUMNS))
    if sentences.empty:
        raise CorpusError("no sentences", file=name, hint=_HINT)
    if first is not None or last is not None:
        keep = set(_select_range(sentences, first, last, name))
        sentences = sentences[sentences["sent_id"].isin(keep)]
        tokens_all = [t for t in tokens_all if t["sent_id"] in keep]
    renumber = {old: new for new, old in enumerate(sentences["sentence"].tolist())}
    sentences = sentences.assign(sentence=np.arange(len(sentences))).reset_index(drop=True)
    tokens = _token_frame(tokens_all)
    tokens["sentence"] = tokens["sentence"].map(renumber).astype(np.int64)
    sentences, tokens = _normalise_quotes(sentences, tokens, GOLD_QUOTES if quotes is None else quotes)
    documents, gold = gold_documents(sentences, tokens)

    ours = tokenize(documents)
    ours = ours.rename(columns={"token": "form"})
    ours["doc_id"] = ours["doc_id"].astype(object)

    # Tokens.
    gold_keys = pd.MultiIndex.from_arrays([gold["doc_id"], gold["start"], gold["end"]])
    our_keys = pd.MultiIndex.from_arrays([ours["doc_id"], ours["start"].astype(np.int64), ours["end"].astype(np.int64)])
    token_hits = int(gold_keys.isin(our_keys).sum())
    t_p, t_r, t_f = _prf(token_hits, len(gold), len(ours))
    compounds = _compound_spans(gold)
    compound_keys = pd.MultiIndex.from_arrays([compounds["doc_id"], compounds["start"], compounds["end"]])
    compound_hits = int(compound_keys.isin(our_keys).sum())
    c_p, c_r, c_f = _prf(compound_hits, len(compounds), len(ours))
    token_errors = _token_errors(_components(gold, ours))

    # Sentence ends (not the end of each document).
    doc_last = {d: len(t.rstrip()) for d, t in zip(documents["doc_id"], documents["text"])}
    gold_end_rows = gold[gold["sentence_end"]]
    gold_ends = {(d, int(e)) for d, e in zip(gold_end_rows["doc_id"], gold_end_rows["end"]) if e != doc_last[d]}
    our_sentence_ends = ours.groupby(["doc_id", "sentence_id"], sort=False)["end"].max()
    our_ends = {(d, int(e)) for (d, _), e in our_sentence_ends.items() if e != doc_last[d]}
    sentence_hits = len(gold_ends & our_ends)
    s_p, s_r, s_f = _prf(sentence_hits, len(gold_ends), len(our_ends))
    sentence_errors = _sentence_errors(documents, gold_ends, our_ends, gold, ours)

    # Lemmas of content words that are a token of their own, where our token has the same span.
    content = gold[(gold["words"] == 1) & gold["upos"].isin(CONTENT_UPOS)]
    lemma_table = content[["sent_id", "doc_id", "start", "end", "form", "upos", "lemma"]].merge(
        ours[["doc_id", "start", "end", "lemma"]].astype({"start": np.int64, "end": np.int64}),
        on=["doc_id", "start", "end"], how="left", suffixes=("_gold", "_ours"),
    ).rename(columns={"lemma_gold": "gold", "lemma_ours": "ours"})
    lemma_table["aligned"] = lemma_table["ours"].notna()
    lemma_table["correct"] = lemma_table["aligned"] & (lemma_table["gold"] == lemma_table["ours"])
    lemma_table["correct_ignoring_case"] = lemma_table["aligned"] & (
        lemma_table["gold"].str.lower() == lemma_table["ours"].fillna("").astype(str).str.lower()
    )
    lemma_table["error_kind"] = [
        "" if not aligned or correct else lemma_error_kind(form, gold_lemma, our_lemma, upos)
        for form, gold_lemma, our_lemma, upos, aligned, correct in zip(
            lemma_table["form"], lemma_table["gold"], lemma_table["ours"], lemma_table["upos"],
            lemma_table["aligned"], lemma_table["correct"])
    ]
    lemma_table = lemma_table.drop(columns=["doc_id"])
    aligned = lemma_table[lemma_table["aligned"]]
    n_aligned = len(aligned)
    lemma_correct = int(aligned["correct"].sum())
    lemma_nocase = int(aligned["correct_ignoring_case"].sum())
    wrong = aligned[~aligned["correct"]]
    lemma_errors = _summarise(wrong[["upos", "gold", "ours", "form"]], ["upos", "gold", "ours"], lambda r: r.form)
    lemma_kinds = _summarise(wrong[["error_kind", "gold", "ours", "form"]].rename(columns={"error_kind": "kind"}),
                             ["kind"], lambda r: f"{r.form}: {r.gold} → {r.ours}")

    def ratio(a, b):
        return a / b if b else float("nan")

    metrics = pd.DataFrame(
        [
            ("token_precision", t_p, token_hits, len(ours)),
            ("token_recall", t_r, token_hits, len(gold)),
            ("token_f1", t_f, 2 * token_hits, len(gold) + len(ours)),
            ("token_precision_compounds", c_p, compound_hits, len(ours)),
            ("token_recall_compounds", c_r, compound_hits, len(compounds)),
            ("token_f1_compounds", c_f, 2 * compound_hits, len(compounds) + len(ours)),
            ("sentence_precision", s_p, sentence_hits, len(our_ends)),
            ("sentence_recall", s_r, sentence_hits, len(gold_ends)),
            ("sentence_f1", s_f, 2 * sentence_hits, len(gold_ends) + len(our_ends)),
            ("lemma_accuracy", ratio(lemma_correct, n_aligned), lemma_correct, n_aligned),
            ("lemma_accuracy_ignoring_case", ratio(lemma_nocase, n_aligned), lemma_nocase, n_aligned),
            ("lemma_coverage", ratio(n_aligned, len(content)), n_aligned, len(content)),
        ],
        columns=["metric", "value", "count", "total"],
    )
    metrics.attrs.update(sentences=len(sentences), documents=len(documents), file=name)
    return {
        "metrics": metrics,
        "token_errors": token_errors,
        "sentence_errors": sentence_errors,
        "lemma_errors": lemma_errors,
        "lemma_error_kinds": lemma_kinds,
        "lemmas": lemma_table.reset_index(drop=True),
        "documents": documents,
        "gold": gold,
        "tokens": ours,
    }


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def report(result: dict, top: int = 15) -> str:
    """The metrics and the ``top`` most frequent errors of each kind, as plain text.

    Examples
    --------
    >>> import io
    >>> text = "# text = Ja.\\n1\\tJa\\tja\\tINTJ\\t_\\t_\\t0\\troot\\t_\\tSpaceAfter=No\\n2\\t.\\t.\\tPUNCT\\t_\\t_\\t1\\tpunct\\t_\\t_\\n\\n"
    >>> print(report(validate_text_layer(io.StringIO(text), first=None, last=None)).splitlines()[0])
    1 sentences in 1 documents
    """
    metrics = result["metrics"]
    lines = [f"{metrics.attrs.get('sentences', '?')} sentences in {metrics.attrs.get('documents', '?')} documents", ""]
    lines.append(metrics.to_string(index=False, float_format=lambda x: f"{x:.4f}"))

    def section(title: str, table: pd.DataFrame) -> None:
        lines.extend(["", title])
        lines.append(table.head(top).to_string(index=False) if len(table) else "(none)")

    token_errors = result["token_errors"]
    section(f"token errors: split (one gold token, several of ours), top {top}",
            token_errors[token_errors["kind"] == "split"])
    section(f"token errors: merge (several gold tokens, one of ours), top {top}",
            token_errors[token_errors["kind"] == "merge"])
    section(f"token errors: other, top {top}", token_errors[token_errors["kind"] == "other"])
    sentence_errors = result["sentence_errors"]
    section(f"sentence ends missed, top {top}", sentence_errors[sentence_errors["kind"] == "missed"])
    section(f"sentence ends extra, top {top}", sentence_errors[sentence_errors["kind"] == "extra"])
    section(f"lemma errors (gold → ours), top {top}", result["lemma_errors"])
    section("lemma errors by kind", result["lemma_error_kinds"])
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis validate-text",
        description="Compare the tokenizer, sentence splitter and lemmatizer with a CoNLL-U treebank "
                    "(e.g. UD German GSD dev; sentences s501-s799 are news).",
    )
    parser.add_argument("--gold", required=True, metavar="FILE.conllu", help="the CoNLL-U file")
    parser.add_argument("--first", type=int, default=501, help="first sent_id number scored (default: 501)")
    parser.add_argument("--last", type=int, default=799, help="last sent_id number scored (default: 799)")
    parser.add_argument("--all", action="store_true", help="score every sentence (ignore --first/--last)")
    parser.add_argument("--top", type=int, default=15, help="rows of each error table printed (default: 15)")
    parser.add_argument("--out", metavar="DIR",
                        help="also write metrics.csv, token_errors.csv, sentence_errors.csv, lemma_errors.csv, "
                             "lemma_error_kinds.csv and lemmas.csv to DIR")
    return parser


def main(argv=None) -> int:
    """Command-line entry: print the report; 0 on success, 2 on a user error."""
    args = _parser().parse_args(argv)
    first, last = (None, None) if args.all else (args.first, args.last)
    try:
        result = validate_text_layer(args.gold, first, last)
    except AnalysisError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report(result, top=args.top))
    if args.out:
        from .io.writing import write_csv

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        keys = ("metrics", "token_errors", "sentence_errors", "lemma_errors", "lemma_error_kinds", "lemmas")
        for key in keys:
            write_csv(result[key], out / f"{key}.csv")
        print(f"wrote {len(keys)} tables to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
