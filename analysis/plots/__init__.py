"""Plots: each takes a tidy table and returns a matplotlib Figure in the house style.

The plot functions are imported on first use, so that reading outlet colours
(:mod:`analysis.plots.colors`) does not load matplotlib.
"""

from importlib import import_module

#: Public name → module that defines it.
_EXPORTS = {
    "plot_frame_heatmap": "frame_heatmap",
    "plot_keyness": "keyness",
    "plot_keyness_heatmap": "keyness_heatmap",
    "plot_label_shares": "label_shares",
    "plot_passages": "passages",
    "plot_quote_kinds": "quotes_and_sources",
    "plot_rate_scatter": "keyness",
    "plot_sources": "quotes_and_sources",
    "plot_substitutions": "substitutions",
    "plot_top_terms": "top_terms",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
