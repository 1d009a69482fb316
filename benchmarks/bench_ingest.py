"""Benchmark: time and peak memory of loading a 50 MB document and a 100,000-row CSV.

Run from the repository root:

    .venv/bin/python benchmarks/bench_ingest.py

Each case runs in a fresh Python process; peak memory is that process's maximum resident set
size, reported in full and above the baseline of a process that only imported the package.
The inputs are generated into a temporary folder from German sentences and deleted afterwards.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SENTENCES = [
    "Der russische Präsident Wladimir Putin und der nordkoreanische Machthaber Kim Jong Un lächeln.",
    "Die Staatsoberhäupter nannten sich „beste Freunde“ und unterzeichneten ein Verteidigungsabkommen.",
    "Nordkorea und Russland verpflichteten sich, im Falle eines Angriffs militärische Hilfe zu leisten.",
    "Die Bilder sollen die enge Bindung zwischen den Staats- und Regierungschefs hervorheben.",
]

CHILD = r"""
import json, resource, sys, time
import analysis.io.corpus as corpus
mode, path = sys.argv[1], sys.argv[2]
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if mode == "load":
    docs, ledger = corpus.load_corpus(path, return_ledger=True, language=None)
    n = len(docs)
else:
    n = 0
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kib": peak, "baseline_kib": baseline, "documents": n}))
"""


def _text(n_bytes: int) -> str:
    parts, size, i = [], 0, 0
    while size < n_bytes:
        sentence = SENTENCES[i % len(SENTENCES)]
        parts.append(sentence + ("\n" if i % 7 == 6 else " "))
        size += len(sentence.encode("utf-8")) + 1
        i += 1
    return "".join(parts)


def _measure(path: Path, mode: str = "load") -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc-mb", type=float, default=50)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "big_document"
        folder.mkdir()
        big = folder / "big.txt"
        big.write_text(_text(int(args.doc_mb * 1_000_000)), encoding="utf-8")
        table = tmp / "many_rows.csv"
        with table.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["doc_id", "outlet", "date", "title", "text"])
            for i in range(args.rows):
                body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3)) + f" Meldung {i}."
                writer.writerow([f"d{i}", f"Zeitung {i % 20}", "2024-06-19", f"Titel {i}", body])
        idle = _measure(big, mode="import")
        print(f"python {sys.version.split()[0]}; baseline after import: {idle['peak_kib'] / 1024:.0f} MiB")
        for label, path, size_path in (("50 MB document (folder)", folder, big), (f"{args.rows:,}-row CSV", table, table)):
            result = _measure(path)
            mib = size_path.stat().st_size / 2**20
            above = (result["peak_kib"] - idle["peak_kib"]) / 1024
            print(
                f"{label:26s} input {mib:6.1f} MiB  load {result['seconds']:5.2f} s  "
                f"peak {result['peak_kib'] / 1024:6.0f} MiB  above baseline {above:6.0f} MiB "
                f"({above / mib:4.1f}x input)  documents {result['documents']:,}"
            )


if __name__ == "__main__":
    main()
