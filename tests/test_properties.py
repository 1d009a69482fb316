"""Property-based tests: arbitrary Unicode never crashes, offsets point into the text, and the
raw text is always reproducible from the clean text plus the audit."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean import clean_text, restore_raw
from analysis.stats.kwic import kwic
from analysis.text import split_sentences, tokenize, tokenize_text

# Text that looks like scraped German news: words, umlauts, quotes, punctuation, line breaks,
# navigation markers and credits — mixed with arbitrary Unicode (control characters included).
PIECES = st.sampled_from([
    "Putin", "Kim", "Diktatoren", "„beste Freunde“", "»Hegemonie«", "‚Ära‘", "Staats- und Regierungschefs",
    "Kim-Il-Sung-Platz", "z. B.", "am 79. Tag", "1.000", "12:15 Uhr", "PREV ", "NEXT ", "Siehe auch\u00a0",
    "KCNA/Reuters", "Anschließendüberreichte", "Geschenke.Dies", ". ", ", ", "! ", "? ", "\n", "\n\n", " ",
    "\u00a0", "\t", "'", '"', "–", "…", "ß", "Ä", "\r\n",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT, st.one_of(st.none(), TEXT))
def test_clean_text_is_reversible(text, title):
    clean, edits = clean_text(text, title=title)
    assert restore_raw(clean, edits) == text
    previous_end = -1
    for edit in edits:
        assert 0 <= edit.start <= edit.end <= len(text)
        assert text[edit.start:edit.end] == edit.before
        assert edit.start >= previous_end  # sorted, never overlapping
        previous_end = edit.end


@SETTINGS
@given(TEXT)
def test_tokens_point_into_the_text(text):
    tokens = tokenize_text(text)
    previous_end = 0
    for token in tokens:
        assert text[token.start:token.end] == token.text
        assert token.start >= previous_end and token.end > token.start
        previous_end = token.end
    # Every non-space character belongs to some token.
    covered = [False] * len(text)
    for token in tokens:
        covered[token.start:token.end] = [True] * (token.end - token.start)
    assert all(covered[i] for i, ch in enumerate(text) if not ch.isspace())


@SETTINGS
@given(TEXT)
def test_sentences_cover_the_text_in_order(text):
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end
    outside = "".join(text[a:b] for a, b in zip([0] + [e for _, e in spans], [s for s, _ in spans] + [len(text)]))
    assert outside.strip() == ""


@SETTINGS
@given(TEXT, st.sampled_from(["Putin", "Diktator*", "beste* Freund*", "*", "Kim Jong*"]))
def test_kwic_matches_are_slices_of_the_text(text, pattern):
    documents = pd.DataFrame({"doc_id": ["d"], "outlet": ["X"], "text": [text]})
    table = kwic(documents, pattern, window=3)
    for row in table.itertuples():
        assert text[row.start:row.end] == row.match


@settings(max_examples=30, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_tokenize_table_is_consistent(texts):
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    tokens = tokenize(documents)
    for doc_id, group in tokens.groupby("doc_id"):
        text = texts[int(doc_id[1:])]
        assert list(group["token_id"]) == list(range(len(group)))
        assert all(text[s:e] == t for s, e, t in zip(group["start"], group["end"], group["token"]))
        assert group["sentence_id"].is_monotonic_increasing


@SETTINGS
@given(TEXT)
def test_quotations_point_into_the_text(text):
    from analysis.framing.quotes import QUOTE_KINDS, find_quotations

    documents = pd.DataFrame({"doc_id": ["d"], "outlet": ["X"], "text": [text]})
    quotes = find_quotations(documents)
    for row in quotes.itertuples():
        span = text[row.start:row.end]
        assert row.quote in span
        assert row.kind in QUOTE_KINDS
