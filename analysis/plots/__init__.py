"""Plots: each takes a tidy table and returns a matplotlib Figure in the house style."""

from .keyness import plot_keyness, plot_rate_scatter
from .terms import plot_top_terms

__all__ = ["plot_keyness", "plot_rate_scatter", "plot_top_terms"]
