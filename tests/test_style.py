"""House style: fixed colours, German glyphs, deterministic files."""

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.plots import plot_top_terms
from analysis.plots.style import (OKABE_ITO, SHARED_GREY, house_style, outlet_colors, outlet_markers, parse_formats,
                                  save_figure)

GERMAN = "Pjöngjang, Staatsoberhäupter, Größe — „beste Freunde“ ‚Hegemonie‘ »Ära«"


def _table():
    return pd.DataFrame(
        {
            "outlet": ["CNN-based", "CNN-based", "AFP-based"],
            "term": ["Diktator", "Autokrat", "Staatsoberhaupt"],
            "tfidf": [0.7, 0.5, 0.9],
            "rank": [1, 2, 1],
        }
    )


def test_outlet_colours_are_fixed_and_colour_blind_safe():
    colours = outlet_colors(["CNN-based", "AFP-based", "CNN-based"])
    assert colours == {"AFP-based": OKABE_ITO[0], "CNN-based": OKABE_ITO[1]}
    # The same outlets in another order get the same colours.
    assert outlet_colors(["AFP-based", "CNN-based"]) == colours
    assert len(set(OKABE_ITO)) == len(OKABE_ITO)


@pytest.mark.parametrize("n", [8, 13, 20])
def test_up_to_twenty_outlets_get_twenty_colours(n):
    from matplotlib.colors import to_rgb

    names = [f"Zeitung {i:02d}" for i in range(n)]
    colours = outlet_colors(names)
    assert len(set(colours.values())) == n  # every outlet its own colour
    assert [colours[name] for name in names[:7]] == list(OKABE_ITO)  # Okabe–Ito first
    for colour in colours.values():
        assert max(to_rgb(colour)) > 0.1 and min(to_rgb(colour)) < 0.95  # neither black nor white
    assert SHARED_GREY not in colours.values()
    # A figure showing a few outlets keeps the colours of the whole corpus.
    assert {name: colours[name] for name in names[-3:]} == {k: v for k, v in colours.items() if k in names[-3:]}


def test_beyond_seven_outlets_markers_tell_similar_colours_apart():
    names = [f"Zeitung {i:02d}" for i in range(45)]
    colours, markers = outlet_colors(names), outlet_markers(names)
    assert {markers[n] for n in names[:7]} == {"o"} and markers[names[7]] != "o"
    pairs = [(colours[n], markers[n]) for n in names]
    assert len(set(pairs)) == len(pairs)  # no two outlets share colour and marker
    assert len(set(colours.values())) == 20  # colours repeat beyond twenty, shapes do not


def test_german_text_renders_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is reported as a warning
        with house_style():
            fig, ax = plt.subplots()
            ax.set_title(GERMAN)
        save_figure(fig, tmp_path / "german", ["png", "svg", "pdf"])
    plt.close(fig)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_same_figure_same_bytes(tmp_path, fmt):
    files = []
    for name in ("first", "second"):
        fig = plot_top_terms(_table(), top=2)
        files += save_figure(fig, tmp_path / name, [fmt])
        plt.close(fig)
    assert files[0].read_bytes() == files[1].read_bytes()


def test_save_writes_each_format(tmp_path):
    fig = plot_top_terms(_table())
    written = save_figure(fig, tmp_path / "sub" / "fig.png", "png,svg,pdf")
    plt.close(fig)
    assert [p.name for p in written] == ["fig.png", "fig.svg", "fig.pdf"]
    assert written[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert written[2].read_bytes()[:5] == b"%PDF-"


def test_unknown_format_is_refused():
    with pytest.raises(ParameterError, match="tiff"):
        parse_formats("png,tiff")


def test_top_terms_panels_follow_outlet_colours():
    colours = outlet_colors(["AFP-based", "CNN-based"])
    fig = plot_top_terms(_table(), colors=colours)
    titles = {ax.get_title(): ax.title.get_color() for ax in fig.axes}
    plt.close(fig)
    assert titles == colours


def test_top_terms_needs_its_columns():
    with pytest.raises(ParameterError, match="'rank'"):
        plot_top_terms(_table().drop(columns="rank"))


def _panels_do_not_collide(fig):
    """No tick label or title of one panel reaches into another panel's plotting area."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axes = [ax for ax in fig.axes if ax.get_visible()]
    for ax in axes:
        texts = [t for t in ax.get_yticklabels() + [ax.title] if t.get_text()]
        for other in axes:
            if other is ax:
                continue
            area = other.get_window_extent(renderer)
            for text in texts:
                box = text.get_window_extent(renderer)
                assert not box.overlaps(area), (text.get_text(), ax.get_title(), other.get_title())


@pytest.mark.parametrize("n_groups", [2, 6, 12, 20])
def test_panel_figures_wrap_into_rows_that_read(n_groups):
    import numpy as np
    from analysis.plots.sentiment import plot_top_contributors

    rng = np.random.default_rng(n_groups)
    groups = [f"Zeitung {i:02d}" for i in range(n_groups)]
    words = ["Diktatoren", "Staatsoberhäupter", "Verteidigungsabkommen", "Freundschaft", "Kriegsverbrechen"]
    table = pd.DataFrame([{"outlet": g, "term": w, "rank": r + 1, "tfidf": float(rng.random())}
                          for g in groups for r, w in enumerate(words)])
    contributions = pd.DataFrame([{"doc_id": g, "role": "sentiment", "entry": w, "contribution": float(rng.normal())}
                                  for g in groups for w in words])
    docs = pd.DataFrame({"doc_id": groups, "outlet": groups})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "Tight layout not applied"
        for fig in (plot_top_terms(table, top=5), plot_top_contributors(contributions, docs)):
            visible = [ax for ax in fig.axes if ax.get_visible()]
            assert len(visible) == n_groups
            assert len({round(ax.get_position().x0, 3) for ax in visible}) <= 4  # at most four columns
            _panels_do_not_collide(fig)
            plt.close(fig)


@pytest.mark.skipif(not __import__("analysis.report.saving", fromlist=["can_fork"]).can_fork(),
                    reason="figures are saved in forked processes on Linux only")
def test_figures_saved_by_a_forked_child_have_the_same_bytes(tmp_path):
    from analysis.report.saving import FigureSaver

    with house_style():
        fig = plot_top_terms(_table(), value="tfidf")
    inline = save_figure(fig, tmp_path / "inline" / "terme", ["png", "svg", "pdf"])
    saver = FigureSaver(workers=2)
    forked = saver.save(fig, tmp_path / "forked" / "terme", ["png", "svg", "pdf"])
    plt.close(fig)  # the child has its own copy
    saver.wait()
    assert [p.name for p in forked] == [p.name for p in inline]
    assert [p.read_bytes() for p in forked] == [p.read_bytes() for p in inline]


@pytest.mark.skipif(not __import__("analysis.report.saving", fromlist=["can_fork"]).can_fork(),
                    reason="figures are saved in forked processes on Linux only")
def test_a_figure_that_fails_in_the_child_is_reported(tmp_path):
    from analysis.report.saving import FigureSaver

    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])

    def broken(*args, **kwargs):
        raise OSError("Datenträger voll")

    fig.savefig = broken
    saver = FigureSaver(workers=1)
    saver.save(fig, tmp_path / "kaputt", ["png"])
    plt.close(fig)
    with pytest.raises(RuntimeError, match="kaputt.*\n(.|\n)*Datenträger voll"):
        saver.wait()
    assert not (tmp_path / "kaputt.png").exists()
