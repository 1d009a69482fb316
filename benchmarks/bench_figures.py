"""Seconds and peak memory of each figure builder of ``python -m analysis figures``.

Run from the repository root (needs the ``bench`` extra: ``pip install -e ".[bench]"``):

    .venv/bin/python benchmarks/bench_figures.py --size 10000

``bench_scale.py`` gives the whole command; this gives where its time goes. In one run: the
plain-regex baseline of ``bench_scale.py`` on the same file (the speed limit, a fresh process),
then, in this process, the corpus prepared into a fresh cache folder, and every registered
figure built and drawn to PNG in memory (no files, no forked savers), one builder after the
other, each builder's seconds and the process's peak RSS after it. Between builders the derived
tables are forgotten as the command forgets them (``PreparedCorpus.release_derived``); those a
builder computes once (quotations, sentence sentiment, lexicon contributions) are counted in the
first builder that needs them and read back from the cache entry by the later ones.
The table is written between the ``bench_figures`` markers of ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_scale import BASELINE, PYTHON, SAMPLE_SECONDS, _pss_kib, _tree, corpus_file, run  # noqa: E402  (a script beside this one)

BEGIN, END = "<!-- bench_figures:begin -->", "<!-- bench_figures:end -->"


def _peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


class TreePeak:
    """Largest PSS of this process and its workers since the last :meth:`take`, sampled in a thread."""

    def __init__(self):
        self._peak, self._interval, self._done = 0, 0, threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._done.is_set():
            interval = self._interval
            value = sum(_pss_kib(pid) for pid in _tree(os.getpid()))  # reading smaps takes a while
            with self._lock:
                # A sample begun before take() belongs to the step that ended: not to the next one.
                if interval == self._interval:
                    self._peak = max(self._peak, value)
            self._done.wait(SAMPLE_SECONDS)

    def take(self) -> int:
        """The peak in MiB since the last call (at least what the tree holds now); starts the next interval."""
        now = sum(_pss_kib(pid) for pid in _tree(os.getpid()))
        with self._lock:
            peak, self._peak = max(self._peak, now), 0
            self._interval += 1
        return peak // 1024

    def stop(self):
        self._done.set()
        self._thread.join()


def measure(path: Path, jobs: int | None) -> list[tuple[str, float, int, int, int]]:
    """(step, seconds, figures, peak RSS, peak PSS with workers, in MiB) of the preparation and of every builder."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.pipeline import prepare_corpus
    from analysis.report.figures import REGISTRY, FigureOptions, FigureSkipped, derived_tables

    rows, tree = [], TreePeak()
    with tempfile.TemporaryDirectory(prefix="bench-figures-") as cache:
        began = time.perf_counter()
        prepared = prepare_corpus(path, cache_dir=cache, quiet=True, jobs=jobs)
        rows.append(("corpus (prepared, cache miss)", time.perf_counter() - began, 0, _peak_mib(), tree.take()))
        options = FigureOptions()
        # As render_figures does: the derived tables of every builder first, then the builders.
        began = time.perf_counter()
        prepared.compute_derived(*derived_tables())
        rows.append(("derived tables (scored first)", time.perf_counter() - began, 0, _peak_mib(), tree.take()))
        for spec in REGISTRY.values():
            # What the figures command does between builders (report.figures._render_all).
            if not spec.texts:
                prepared.release_documents()
            prepared.release_derived()
            began, drawn = time.perf_counter(), 0
            try:
                for rendered in spec.build(prepared, options):
                    rendered.figure.savefig(io.BytesIO(), format="png")
                    plt.close(rendered.figure)
                    drawn += 1
            except FigureSkipped:
                pass
            prepared.store.drop_caches()
            rows.append((spec.id, time.perf_counter() - began, drawn, _peak_mib(), tree.take()))
    tree.stop()
    return rows


def table(size: int, baseline: dict, rows, jobs) -> str:
    command = f".venv/bin/python benchmarks/bench_figures.py --size {size}" + (f" --jobs {jobs}" if jobs else "")
    builders = sum(row[1] for row in rows[1:])
    lines = ["## Where the time of `figures` goes (`bench_figures.py`)", "", "```", command, "```", "",
             f"{size:,} articles; plain-regex baseline {baseline['seconds']:.1f} s in the same run. "
             "Peak RSS is this process's high-water mark so far; peak PSS is the largest sum, during the "
             "step, of the proportional set size of this process and its workers (sampled as in "
             "`bench_scale.py`).", "",
             "| step | seconds | × baseline | figures | peak RSS so far | peak PSS of the step |",
             "|---|---|---|---|---|---|"]
    for step, seconds, drawn, peak, tree_peak in rows:
        lines.append(f"| {step} | {seconds:.1f} | {seconds / baseline['seconds']:.1f} | {drawn} | {peak:,} MiB "
                     f"| {tree_peak:,} MiB |")
    lines.append(f"| all builders | {builders:.1f} | {builders / baseline['seconds']:.1f} | | | |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    """Put ``text`` between this benchmark's markers of the README (appended when they are missing)."""
    readme = HERE / "README.md"
    content = readme.read_text(encoding="utf-8")
    if BEGIN in content and END in content:
        head, rest = content.split(BEGIN, 1)
        content = head + BEGIN + "\n" + text + "\n" + END + rest.split(END, 1)[1]
    else:
        content = content.rstrip("\n") + "\n\n" + BEGIN + "\n" + text + "\n" + END + "\n"
    readme.write_text(content, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="articles of the synthetic corpus")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    path = corpus_file(args.size)
    baseline = run([PYTHON, "-c", BASELINE, str(path)], timeout=3600)
    rows = measure(path, args.jobs)
    text = table(args.size, baseline, rows, args.jobs)
    print(text)
    if not args.no_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
