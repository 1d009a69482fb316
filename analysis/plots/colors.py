"""Outlet colours: one fixed, colour-blind-safe colour per outlet (no matplotlib needed)."""

from __future__ import annotations

from typing import Iterable

__all__ = ["OKABE_ITO", "OUTLET_MARKERS", "OUTLET_PALETTE", "SHARED_GREY", "outlet_colors", "outlet_markers"]

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
#: Twenty outlet colours: Okabe–Ito first, then Paul Tol's "muted" scheme and four of his
#: "light" scheme (Tol 2021, *Colour Schemes*, SRON/EPS/TN/09-002). Tol's colours were chosen
#: for colour-blind readers too, but no set of twenty is safe by colour alone: beyond seven
#: outlets each block of seven also gets its own marker (:data:`OUTLET_MARKERS`).
OUTLET_PALETTE = OKABE_ITO + (
    "#332288",  # indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
    "#AA4499",  # purple
    "#EE8866",  # salmon
    "#BBCC33",  # pear
    "#FFAABB",  # pink
    "#77AADD",  # light blue
)
#: Markers of outlets 1–7, 8–14, 15–20, …: outlets whose colours a reader may confuse (an
#: Okabe–Ito colour and a similar Tol colour) differ in shape.
OUTLET_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: Colour of elements shared by all outlets (e.g. terms both use in a scatter).
SHARED_GREY = "#9A9A9A"


def _ordered(outlets: Iterable[str]) -> list[str]:
    return sorted({str(o) for o in outlets})


def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """Map each outlet to its fixed colour.

    Outlets are sorted by name and take the colours of :data:`OUTLET_PALETTE` in turn (the
    Okabe–Ito colours first), so the same set of outlets always gets the same colours, in
    every figure: distinct for up to 20 outlets; beyond, colours repeat with another marker
    (:func:`outlet_markers`). Build the mapping once from the whole documents table and pass
    it to plots that show only some outlets.

    Examples
    --------
    >>> outlet_colors(["CNN-based", "AFP-based"])
    {'AFP-based': '#0072B2', 'CNN-based': '#D55E00'}
    """
    return {name: OUTLET_PALETTE[i % len(OUTLET_PALETTE)] for i, name in enumerate(_ordered(outlets))}


def outlet_markers(outlets: Iterable[str]) -> dict[str, str]:
    """Map each outlet to its marker: a circle for the first seven outlets (sorted by name),
    then one shape per block of seven, so no two outlets share both colour and marker.

    Pass the outlets of the whole corpus (e.g. the keys of ``prepared.colors``), as for
    :func:`outlet_colors`.

    Examples
    --------
    >>> markers = outlet_markers([f"Zeitung {i:02d}" for i in range(9)])
    >>> markers["Zeitung 00"], markers["Zeitung 07"]
    ('o', 's')
    """
    return {name: OUTLET_MARKERS[(i // len(OKABE_ITO)) % len(OUTLET_MARKERS)]
            for i, name in enumerate(_ordered(outlets))}
