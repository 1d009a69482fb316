"""Plots: each takes a tidy table and returns a matplotlib Figure in the house style."""

from .frame_heatmap import plot_frame_heatmap
from .keyness import plot_keyness, plot_rate_scatter
from .label_shares import plot_label_shares
from .quotes_and_sources import plot_quote_kinds, plot_sources
from .top_terms import plot_top_terms

__all__ = [
    "plot_frame_heatmap",
    "plot_keyness",
    "plot_label_shares",
    "plot_quote_kinds",
    "plot_rate_scatter",
    "plot_sources",
    "plot_top_terms",
]
