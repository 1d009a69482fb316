"""Changes of attribution between aligned sentences: a quotation in one, not in the other.

The quotations of each article come from :func:`analysis.framing.quotes.find_quotations`, with
their kind — ``attributed`` (a reporting verb, "so Putin", "laut …" governs them), ``distancing``
(a few words in marks, nobody's words governed: scare quotes), ``title`` or ``unclear``. For an
aligned pair, each quotation of one sentence is looked for in the other: the other sentence has
the quoted words when at least :data:`QUOTE_OVERLAP` of the quotation's words (lower case,
without the :data:`QUOTE_STOP_WORDS`) occur in it. Their status there is the kind of the
other sentence's quotation that holds most of them, or ``unquoted`` when none does. A
different status is an ``attribution`` row: "„im Falle einer Aggression“ … so Putin" in A
(``attributed``) against "im Falle eines Angriffs" in B (``unquoted``: B writes it as its own).
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["QUOTE_OVERLAP", "QUOTE_STOP_WORDS", "attribution_changes", "attribution_rows"]

#: Share of a quotation's words the other sentence must have.
QUOTE_OVERLAP = 0.5
#: Words that do not count when quotations are compared.
QUOTE_STOP_WORDS = frozenset("der die das den dem des ein eine einer eines einem einen und oder in im mit von zu "
                             "auf für an am ist sind war sich nicht auch es sie er wir".split())
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(str(text).lower()) if w not in QUOTE_STOP_WORDS}


def _status(quote, others: pd.DataFrame, text: str) -> tuple[str, str] | None:
    """The status of ``quote``'s words in the other sentence, or None when it lacks them."""
    wanted = _words(quote)
    if not wanted:
        return None
    present = wanted & _words(text)
    if len(present) < QUOTE_OVERLAP * len(wanted):
        return None
    best, best_share = None, 0.0
    for row in others:
        share = len(wanted & _words(row.quote)) / len(wanted)
        if share > best_share:
            best, best_share = row, share
    if best is None or best_share < QUOTE_OVERLAP * len(present) / len(wanted):
        # The other sentence's words that the quotation has, in their order there.
        return "unquoted", " ".join(w for w in _WORD.findall(str(text)) if w.lower() in present)
    return str(best.kind), "„" + str(best.quote) + "“"


def _describe(kind: str, speaker) -> str:
    return f"{kind} ({speaker})" if kind == "attributed" and isinstance(speaker, str) and speaker else kind


def attribution_changes(quotes_a: pd.DataFrame, text_a: str, quotes_b: pd.DataFrame, text_b: str) -> pd.DataFrame:
    """``attribution`` rows for two aligned sentences.

    Parameters
    ----------
    quotes_a, quotes_b : pandas.DataFrame
        The quotations of each sentence (rows of :func:`analysis.framing.quotes.find_quotations`:
        ``quote``, ``kind``, ``speaker``).
    text_a, text_b : str
        The two sentences.

    Returns
    -------
    pandas.DataFrame
        ``kind`` ("attribution"), ``term_a``, ``term_b`` (the quotation in its marks, or the
        other side's words that it quotes when they stand there unquoted), ``status_a``, ``status_b`` (``attributed (speaker)``, ``distancing``, ``unclear``,
        ``unquoted``).

    Examples
    --------
    >>> qa = pd.DataFrame({"quote": ["im Falle einer Aggression"], "kind": ["attributed"], "speaker": ["Putin"]})
    >>> qb = pd.DataFrame({"quote": [], "kind": [], "speaker": []})
    >>> attribution_changes(qa, "Hilfe „im Falle einer Aggression“, so Putin.", qb,
    ...                     "Hilfe im Falle einer Aggression.")[["status_a", "status_b"]].values.tolist()
    [['attributed (Putin)', 'unquoted']]
    """
    return pd.DataFrame(attribution_rows(list(quotes_a.itertuples()), text_a, list(quotes_b.itertuples()), text_b),
                        columns=["kind", "term_a", "term_b", "status_a", "status_b"])


def attribution_rows(quotes_a: list, text_a: str, quotes_b: list, text_b: str) -> list[tuple]:
    """The rows of :func:`attribution_changes` as tuples; the quotations as lists of rows with
    the attributes ``quote``, ``kind``, ``speaker``."""
    rows = []
    seen_b = set()
    for row in quotes_a:
        found = _status(row.quote, quotes_b, text_b)
        if found is None:
            continue
        kind_b, words_b = found
        speaker_b = ""
        if kind_b != "unquoted":
            speaker_b = next((q.speaker for q in quotes_b if str(q.quote) == words_b[1:-1]), "")
            seen_b.add(words_b[1:-1])
        status_a, status_b = _describe(str(row.kind), row.speaker), _describe(kind_b, speaker_b)
        if status_a != status_b:
            rows.append(("attribution", f"„{row.quote}“", words_b, status_a, status_b))
    for row in quotes_b:
        if str(row.quote) in seen_b:
            continue
        found = _status(row.quote, quotes_a, text_a)
        if found is None or found[0] != "unquoted":
            continue  # a quotation in both was compared above
        rows.append(("attribution", found[1], f"„{row.quote}“", "unquoted", _describe(str(row.kind), row.speaker)))
    return rows
