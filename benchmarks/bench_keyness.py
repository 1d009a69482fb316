"""Benchmark: keyness for 20 outlets over a 200,000-term vocabulary, once counts exist.

Run from the repository root:

    .venv/bin/python benchmarks/bench_keyness.py

Prints the best of several runs for one ``keyness`` call per measure and for ``keyness_all``;
record the output in benchmarks/README.md with the date and machine.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.stats.counts import CountMatrix
from analysis.stats.keyness import keyness, keyness_all


def synthetic_counts(n_rows: int, n_terms: int, density: float, seed: int = 0) -> CountMatrix:
    """Random outlet-term counts (Zipf-like values) with running-word totals twice the counts."""
    rng = np.random.default_rng(seed)
    matrix = sparse.random(
        n_rows, n_terms, density=density, format="csr", random_state=rng,
        data_rvs=lambda k: rng.zipf(1.6, size=k).clip(max=10_000),
    ).astype(np.int64)
    rows = pd.Index([f"outlet{i:02d}" for i in range(n_rows)], name="outlet")
    terms = pd.Index([f"w{i:06d}" for i in range(n_terms)], name="term")
    totals = pd.Series(np.asarray(matrix.sum(axis=1)).ravel() * 2, index=rows)
    return CountMatrix(matrix, rows, terms, totals)


def best_of(repeat: int, func) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--terms", type=int, default=200_000)
    parser.add_argument("--density", type=float, default=0.3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    counts = synthetic_counts(args.outlets, args.terms, args.density)
    print(f"python {platform.python_version()}, {platform.machine()}; "
          f"{args.outlets} outlets x {args.terms:,} terms, {counts.matrix.nnz:,} non-zero cells")
    target = counts.rows[3]
    for measure in ("logodds", "chi2", "g2", "logratio"):
        seconds = best_of(args.repeat, lambda: keyness(counts, target, measure=measure))
        print(f"keyness one-vs-rest, {measure:8s}: {seconds * 1000:8.1f} ms")
    seconds = best_of(args.repeat, lambda: keyness(counts, target, reference=counts.rows[7]))
    print(f"keyness one outlet vs one, logodds: {seconds * 1000:8.1f} ms")
    seconds = best_of(max(1, args.repeat // 2), lambda: keyness_all(counts, scheme="one-vs-rest"))
    print(f"keyness_all one-vs-rest ({args.outlets} tables), logodds: {seconds:6.2f} s")


if __name__ == "__main__":
    main()
