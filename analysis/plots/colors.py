"""Outlet colours: one fixed, colour-blind-safe colour per outlet (no matplotlib needed)."""

from __future__ import annotations

from typing import Iterable

__all__ = ["OKABE_ITO", "SHARED_GREY", "outlet_colors"]

#: Okabe & Ito (2008) colour-blind-safe palette, in the order outlets receive it. Yellow comes
#: late because it is hard to read on white; black is kept for annotations.
OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)
#: Colour of elements shared by all outlets (e.g. terms both use in a scatter).
SHARED_GREY = "#9A9A9A"


def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """Map each outlet to its fixed colour.

    Outlets are sorted by name and take the Okabe–Ito colours in turn, so the same set of
    outlets always gets the same colours, in every figure. Build the mapping once from the
    whole documents table and pass it to plots that show only some outlets.

    Examples
    --------
    >>> outlet_colors(["CNN-based", "AFP-based"])
    {'AFP-based': '#0072B2', 'CNN-based': '#D55E00'}
    """
    names = sorted({str(o) for o in outlets})
    if len(names) > len(OKABE_ITO):
        # More outlets than distinguishable colours: cycle, and let the plots label directly.
        return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(names)}
    return {name: OKABE_ITO[i] for i, name in enumerate(names)}
