"""Time and peak memory of ``python -m analysis align`` on the synthetic corpus of ``make_corpus.py``.

Run from the repository root (needs the ``bench`` extra: ``pip install -e ".[bench]"``):

    .venv/bin/python benchmarks/bench_align.py --sizes 2000 10000

For each size N, ``benchmarks/out/corpus-N.csv`` is written by ``make_corpus.py N`` when it is
missing or has no ``story`` column (stories of 10 consecutive articles). Each step runs in a fresh
process, one after the other, with one cache folder: ``corpus`` prepares the corpus and fills the
cache (its time is the preparation, shown for comparison), ``align --story story`` and ``align``
(automatic stories) read the cache. Peak memory is the largest sum of the proportional set size
(PSS) of the process and its workers, sampled every 200 ms (``bench_scale.run``). The results are
written between the ``bench_align`` markers of ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_scale import PYTHON, run  # noqa: E402  (a script beside this one)

BEGIN, END = "<!-- bench_align:begin -->", "<!-- bench_align:end -->"


def corpus_file(n: int) -> Path:
    path = HERE / "out" / f"corpus-{n}.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            if "story" in next(csv.reader(handle)):
                return path
    subprocess.run([PYTHON, str(HERE / "make_corpus.py"), str(n), "--out", str(path)], check=True)
    return path


def measure(n: int, *, jobs: int | None, timeout: float) -> dict:
    path = corpus_file(n)
    work = Path(tempfile.mkdtemp(prefix="bench-align-"))
    jobs_option = [] if jobs is None else ["--jobs", str(jobs)]
    common = ["--corpus", str(path), "--cache-dir", str(work / "cache"), "--quiet", *jobs_option]
    results = {}
    try:
        results["corpus (preparation)"] = run([PYTHON, "-m", "analysis", "corpus", *common, "--out",
                                               str(work / "tables")], timeout=timeout)
        results["align --story story"] = run([PYTHON, "-m", "analysis", "align", *common, "--story", "story",
                                              "--out", str(work / "by-column")], timeout=timeout)
        results["align (automatic stories)"] = run([PYTHON, "-m", "analysis", "align", *common, "--out",
                                                    str(work / "automatic")], timeout=timeout)
        for name, folder in (("align --story story", "by-column"), ("align (automatic stories)", "automatic")):
            pairs = work / folder / "pairs.csv"
            if pairs.exists():
                with pairs.open(encoding="utf-8", newline="") as handle:
                    results[name]["pairs"] = sum(1 for _ in handle) - 1
            stories = work / folder / "stories.csv"
            if stories.exists():
                with stories.open(encoding="utf-8", newline="") as handle:
                    reader = csv.DictReader(handle)
                    results[name]["stories"] = len({row["story"] for row in reader if int(row["n_outlets"]) > 1})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def table(all_results: dict) -> str:
    lines = ["| articles | step | time | peak PSS | stories aligned | aligned pairs |", "|---|---|---|---|---|---|"]
    for n, results in all_results.items():
        for step, r in results.items():
            ok = r["status"] == 0
            lines.append(f"| {n:,} | `{step}` | {r['seconds']:.1f} s{'' if ok else ' (' + str(r['status']) + ')'} | "
                         f"{r['peak_mib']:,.0f} MiB | {r.get('stories', '')} | {r.get('pairs', '')} |")
    return "\n".join(lines)


def write_readme(text: str, command: str) -> None:
    readme = HERE / "README.md"
    body = readme.read_text(encoding="utf-8")
    section = (f"{BEGIN}\n## Aligning passages across outlets (`bench_align.py`)\n\n"
               "Synthetic corpus of `make_corpus.py N` with its `story` column (10 consecutive articles per story, "
               "a reprint in the story of the article it reprints). Each step in a fresh process, one cache folder; "
               "peak memory as for `bench_scale.py`. The synthetic text repeats no facts, so most aligned pairs "
               "come from the reprints and from chance overlaps of frequent words; the numbers measure the cost "
               "of comparing every sentence of a story with every sentence of each article of another outlet.\n\n"
               f"```\n{command}\n```\n\n{text}\n{END}")
    if BEGIN in body and END in body:
        body = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: section, body, flags=re.S)
    else:
        body = body.rstrip("\n") + "\n\n" + section + "\n"
    readme.write_text(body, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    results = {n: measure(n, jobs=args.jobs, timeout=args.timeout) for n in args.sizes}
    text = table(results)
    print(text)
    if not args.no_readme:
        command = ".venv/bin/python benchmarks/bench_align.py --sizes " + " ".join(map(str, args.sizes))
        write_readme(text, command)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
