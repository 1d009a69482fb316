"""Benchmark: the whole suite on synthetic corpora of 1k, 10k and 40k articles, beside a plain baseline.

Run from the repository root (needs the ``bench`` extra: ``pip install -e ".[bench]"``):

    .venv/bin/python benchmarks/bench_scale.py                 # 1k, 10k, 40k; writes the table into README.md
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000    # a quick look
    .venv/bin/python benchmarks/bench_scale.py --million       # peak memory of preparing 1,000,000 articles

For each size the corpus is generated once (``make_corpus.py``, cached in ``benchmarks/out``)
and then, each in a fresh process and one after another:

* **baseline** — the speed limit: read the CSV with the ``csv`` module, lower-case each text,
  one compiled word regex (``\\w+``), one ``collections.Counter`` per outlet. One core.
* **corpus** — ``python -m analysis corpus`` with an empty cache (load, clean, tokens,
  mentions, counts; writes the documents, ledger, audit and tokens tables).
* **keyness from cache** — ``python -m analysis keyness`` on the same corpus right after.
* **figures** — ``python -m analysis figures`` with an empty cache, every figure as PNG.

Wall time is measured around each process; peak memory is the largest sum, over the process
and all its workers, of the proportional set size (PSS: shared pages divided among the
processes that share them, so forked workers are not counted twice), sampled every 200 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
BEGIN, END = "<!-- bench_scale:begin -->", "<!-- bench_scale:end -->"

BASELINE = r"""
import collections, csv, re, sys
csv.field_size_limit(1 << 30)
word = re.compile(r"\w+")
counts = collections.defaultdict(collections.Counter)
with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    for row in csv.DictReader(handle):
        counts[row["outlet"]].update(word.findall(row["text"].lower()))
print(sum(sum(c.values()) for c in counts.values()))
"""


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    import psutil

    try:
        process = psutil.Process(pid)
        return [pid] + [child.pid for child in process.children(recursive=True)]
    except psutil.Error:
        return []


#: How often the memory of the process tree is read: each reading walks the page tables of
#: every process (a few milliseconds for gigabytes), so reading more often slows what is measured.
SAMPLE_SECONDS = 0.2


def run(command: list[str], *, timeout: float) -> dict:
    """Wall seconds, peak PSS (MiB) and exit status of one command."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONHASHSEED": "0"})
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kib(pid) for pid in _tree(process.pid)))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, stderr = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        status = "timeout"
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    last = (stderr or "").strip().splitlines()[-1:] or [""]
    return {"seconds": seconds, "peak_mib": peak / 1024, "status": status, "last": last[0]}


def corpus_file(n: int) -> Path:
    path = HERE / "out" / f"corpus-{n}.csv"
    if not path.exists():
        subprocess.run([PYTHON, str(HERE / "make_corpus.py"), str(n), "--out", str(path)], check=True)
    return path


def measure(n: int, *, jobs: int | None, timeout: float, steps) -> dict:
    path = corpus_file(n)
    results = {}
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    jobs_option = [] if jobs is None else ["--jobs", str(jobs)]
    try:
        if "baseline" in steps:
            results["baseline"] = run([PYTHON, "-c", BASELINE, str(path)], timeout=timeout)
        if "corpus" in steps:
            results["corpus"] = run([PYTHON, "-m", "analysis", "corpus", "--corpus", str(path), "--out",
                                     str(work / "tables"), "--cache-dir", str(work / "cache"), "--quiet",
                                     *jobs_option], timeout=timeout)
        if "keyness" in steps:
            results["keyness"] = run([PYTHON, "-m", "analysis", "keyness", "--corpus", str(path), "--cache-dir",
                                      str(work / "cache"), "--target", "Tagesblatt", "--top", "20", "--out",
                                      str(work / "keyness.csv"), "--quiet"], timeout=timeout)
        if "figures" in steps:
            results["figures"] = run([PYTHON, "-m", "analysis", "figures", "--corpus", str(path), "--out",
                                      str(work / "figures"), "--formats", "png", "--cache-dir",
                                      str(work / "cache-figures"), "--quiet", *jobs_option], timeout=timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def _cell(result: dict | None, baseline: dict | None = None) -> str:
    if result is None:
        return "–"
    if result["status"] != 0:
        return f"failed ({result['status']}) after {result['seconds']:.0f} s"
    text = f"{result['seconds']:.1f} s"
    if baseline is not None and baseline["status"] == 0:
        text += f" ({result['seconds'] / baseline['seconds']:.1f}×)"
    return text


def table(all_results: dict) -> str:
    lines = [
        "| articles | baseline | `corpus` (× baseline) | peak | `keyness` from cache | peak | "
        "`figures` (× baseline) | peak | `corpus` s / 1k articles |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in all_results.items():
        base = r.get("baseline")
        per_k = f"{r['corpus']['seconds'] / n * 1000:.2f}" if r.get("corpus") and r["corpus"]["status"] == 0 else "–"

        def peak(name):
            return f"{r[name]['peak_mib']:,.0f} MiB" if r.get(name) else "–"

        lines.append(
            f"| {n:,} | {_cell(base)} | {_cell(r.get('corpus'), base)} | {peak('corpus')} | "
            f"{_cell(r.get('keyness'))} | {peak('keyness')} | {_cell(r.get('figures'), base)} | {peak('figures')} | "
            f"{per_k} |"
        )
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = HERE / "README.md"
    content = readme.read_text(encoding="utf-8")
    if BEGIN in content and END in content:
        head, rest = content.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        content = head + BEGIN + "\n" + text + "\n" + END + tail
    else:
        content = content.rstrip("\n") + "\n\n" + BEGIN + "\n" + text + "\n" + END + "\n"
    readme.write_text(content, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 40000])
    parser.add_argument("--jobs", type=int, help="--jobs for the suite (default: its own, every core)")
    parser.add_argument("--steps", nargs="+", default=["baseline", "corpus", "keyness", "figures"])
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per step")
    parser.add_argument("--figures-max", type=int, help="run the figures step only up to this many articles")
    parser.add_argument("--million", action="store_true", help="only: peak memory of preparing 1,000,000 articles")
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    machine = f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}"
    if args.million:
        results = {1_000_000: measure(1_000_000, jobs=args.jobs, timeout=args.timeout * 4, steps=["baseline", "corpus"])}
    else:
        results = {}
        for n in args.sizes:
            steps = [step for step in args.steps
                     if step != "figures" or args.figures_max is None or n <= args.figures_max]
            results[n] = measure(n, jobs=args.jobs, timeout=args.timeout, steps=steps)
            print(f"{n}: " + ", ".join(f"{k} {v['seconds']:.1f}s {v['peak_mib']:.0f}MiB {v['status']}"
                                       for k, v in results[n].items()), file=sys.stderr, flush=True)
    command = "python benchmarks/bench_scale.py " + " ".join(sys.argv[1:] if argv is None else argv)
    text = f"Machine: {machine}. Command: `{command.strip()}`\n\n" + table(results)
    print(text)
    if not args.no_readme and not args.million:
        write_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
