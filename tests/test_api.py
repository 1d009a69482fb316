"""The public API at the top level of the package."""

import importlib

import analysis as fa


def test_every_public_name_is_the_object_of_its_module():
    for name in fa.__all__:
        if name == "__version__":
            continue
        value = getattr(fa, name)
        module = fa._EXPORTS.get(name, name)
        assert value is getattr(importlib.import_module(f"analysis.{module}"), name), name


def test_modules_stay_modules_and_the_pipeline_runs_from_the_top_level():
    import types

    import analysis.keyness
    import analysis.tfidf

    assert isinstance(fa.tfidf, types.ModuleType) and isinstance(fa.keyness, types.ModuleType)
    prepared = fa.prepare_corpus(jobs=1, cache=False, quiet=True)
    table = fa.tfidf.tfidf(prepared.group_counts, top=3)
    assert set(table.columns) >= {"term", "tfidf"}
    assert len(fa.keyness_all(prepared.group_counts)) > 0
