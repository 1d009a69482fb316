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


def test_same_named_modules_do_not_shadow_their_functions():
    import analysis.keyness
    import analysis.kwic
    import analysis.tfidf

    assert callable(fa.tfidf) and callable(fa.keyness) and callable(fa.kwic)
    prepared = fa.prepare_corpus(jobs=1, cache=False, quiet=True)
    table = fa.tfidf(prepared.group_counts, top=3)
    assert set(table.columns) >= {"term", "tfidf"}
