"""The public API at the top level of the package."""

import importlib

import pandas as pd

import analysis as fa


def test_every_public_name_is_the_object_of_its_module():
    for name in fa.__all__:
        if name == "__version__":
            continue
        value = getattr(fa, name)
        module = fa._EXPORTS.get(name, name)
        assert value is getattr(importlib.import_module(f"analysis.{module}"), name), name


def test_the_pipeline_runs_from_the_top_level():
    from analysis.stats.keyness import keyness
    from analysis.stats.tfidf import tfidf

    assert fa.keyness is keyness and fa.tfidf is tfidf
    prepared = fa.prepare_corpus(jobs=1, cache=False, quiet=True)
    table = fa.tfidf(prepared.group_counts, top=3)
    assert set(table.columns) >= {"term", "tfidf"}
    pd.testing.assert_frame_equal(fa.keyness(prepared.group_counts, "AFP-based"),
                                  keyness(prepared.group_counts, "AFP-based"))
    assert len(fa.keyness_all(prepared.group_counts)) > 0
