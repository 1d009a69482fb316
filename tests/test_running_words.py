"""One definition of running words: every total and every rate of the suite uses the same one.

Running words are the word and number tokens of the text as tokenized, independent of the
entity registry (docs/pipeline.md, "Running words").
"""


import pandas as pd

import analysis as fa
from analysis.framing.entities import canonical_tokens, find_mentions, load_registry
from analysis.framing.frames import frame_rates, match_dictionary, load_starter_dictionary
from analysis.framing.quotes import find_quotations, quotation_summary
from analysis.stats.counts import count_terms, running_words
from analysis.text import tokenize

from generated import generated_corpus





def test_a_merged_mention_keeps_its_running_words():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["Kim Jong Un traf Putins Berater, sagte er."]})
    tokens = tokenize(docs)
    registry = load_registry()
    merged = canonical_tokens(tokens, find_mentions(docs, registry, tokens=tokens), registry)
    head = merged[merged["token"] == "Kim Jong Un"]
    assert head["running_words"].tolist() == [3]
    # Counted by hand: Kim, Jong, Un, traf, Putins, Berater, sagte, er — eight words; the comma
    # and the full stop are not running words.
    assert int(running_words(tokens)["a"]) == 8
    assert int(running_words(merged)["a"]) == 8
    counts = count_terms(merged, by="lemma")
    assert int(counts.totals["a"]) == 8
    assert "Kim Jong Un" in set(counts.terms)  # but one term


def test_every_rate_uses_the_same_running_words(tmp_path):
    path = tmp_path / "corpus.csv"
    generated_corpus(240, seed=11).to_csv(path, index=False)
    prepared = fa.prepare_corpus(path, cache=False, jobs=1, entities=True)
    plain = fa.prepare_corpus(path, cache=False, jobs=1, entities=False)
    documents = prepared.documents
    outlets = documents.set_index("doc_id")["outlet"]

    # An independent count: the tokenizer's word and number tokens, per outlet.
    tokens = tokenize(documents[["doc_id", "text"]], lemmas=False, stems=False)
    words = tokens[tokens["kind"].astype(str).isin(["word", "number"])]
    expected = words.groupby(words["doc_id"].map(outlets)).size().sort_index()

    keyness_totals = prepared.group_counts.totals.sort_index()
    assert keyness_totals.tolist() == expected.tolist()
    # The registry changes what is counted, never the denominators.
    assert plain.group_counts.totals.sort_index().tolist() == expected.tolist()
    assert prepared.doc_counts.matrix.sum() < plain.doc_counts.matrix.sum()  # mentions merged

    matches = match_dictionary(documents, load_starter_dictionary(), tokens=prepared.store)
    frames = frame_rates(matches, documents, prepared.store).drop_duplicates("outlet").set_index("outlet")
    assert frames["running_words"].sort_index().tolist() == expected.tolist()

    quotes = find_quotations(documents, tokens=prepared.store)
    summary = quotation_summary(quotes, documents, tokens=prepared.store).drop_duplicates("outlet")
    assert summary.set_index("outlet")["running_words"].sort_index().tolist() == expected.tolist()
