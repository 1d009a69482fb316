"""Saving figures beside the computation: a drawn figure is written by a forked child process
while the next figure's table is computed.

Writing one figure as PNG, SVG and PDF takes as long as computing most figures' tables (text
layout, rasterising, font subsetting for the PDF), and it needs nothing but the figure. A
:class:`FigureSaver` with ``workers`` ≥ 1 forks a child per figure — the child inherits the
figure as drawn, writes its files with :func:`analysis.plots.style.save_figure` (the same code,
so the same bytes) and exits — and the parent goes on at once. At most ``workers`` children run
at a time; :meth:`FigureSaver.wait` waits for all of them and raises the first error a child
reported, naming the figure. With ``workers=0``, or off Linux (the chunked map of
:mod:`analysis.store.executor` forks on Linux only: macOS forbids forking a process that has
used its system frameworks, Windows cannot fork), every figure is saved in the calling process.

``multiprocessing`` rather than a pool: a pool's workers would need the figure pickled, and
pickling a matplotlib figure costs about what drawing it does; a fork hands it over for free.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import traceback
from pathlib import Path

from ..plots.style import parse_formats, save_figure

__all__ = ["FigureSaver", "can_fork"]


def can_fork() -> bool:
    """Whether figures can be saved in forked processes here (on Linux)."""
    return sys.platform.startswith("linux")


def _save_in_child(connection, fig, path, formats, description) -> None:
    # No garbage collection in the short-lived child: a collection writes to the header of
    # every object it scans, and each page written is copied from the parent (copy-on-write).
    gc.disable()
    try:
        save_figure(fig, path, formats, description=description)
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(traceback.format_exc())
    else:
        connection.send(None)
    finally:
        connection.close()


class FigureSaver:
    """Write figures with :func:`~analysis.plots.style.save_figure`, in up to ``workers`` forked
    processes at a time (0: in this process).

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2], [2, 1])
    >>> folder = tempfile.mkdtemp()
    >>> saver = FigureSaver(workers=1)
    >>> [p.name for p in saver.save(fig, Path(folder) / "linie", ("png", "svg"))]
    ['linie.png', 'linie.svg']
    >>> plt.close(fig)
    >>> saver.wait()
    >>> sorted(p.name for p in Path(folder).iterdir())
    ['linie.png', 'linie.svg']
    """

    def __init__(self, workers: int = 1):
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
            raise ValueError(f"workers must be a whole number ≥ 0, got {workers!r}")
        self.workers = workers if can_fork() else 0
        self._running: list = []

    def save(self, fig, path, formats, *, description: str | None = None) -> list[Path]:
        """Save ``fig`` (now or in a child); returns the files it writes. The caller may close
        the figure as soon as this returns."""
        base = Path(path)
        files = [base.with_suffix(f".{fmt}") for fmt in parse_formats(formats)]
        if self.workers == 0:
            return save_figure(fig, base, formats, description=description)
        while len(self._running) >= self.workers:
            self._finish(self._running.pop(0))
        base.parent.mkdir(parents=True, exist_ok=True)
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_save_in_child, args=(send, fig, base, formats, description), daemon=True)
        child.start()
        send.close()
        self._running.append((child, receive, base.name))
        return files

    def _finish(self, running) -> None:
        child, receive, name = running
        try:
            error = receive.recv()
        except EOFError:  # the child died before it could report
            error = "the process saving it ended without a report"
        child.join()
        receive.close()
        if error is None and child.exitcode != 0:
            error = f"the process saving it exited with code {child.exitcode}"
        if error is not None:
            self.wait(raise_errors=False)
            raise RuntimeError(f"saving the figure {name!r} failed:\n{error}")

    def wait(self, *, raise_errors: bool = True) -> None:
        """Wait for every figure handed over; raise the first error (unless ``raise_errors`` is False)."""
        while self._running:
            running = self._running.pop(0)
            if raise_errors:
                self._finish(running)
            else:
                child, receive, _ = running
                child.join()
                receive.close()
