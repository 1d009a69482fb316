"""Benchmark: the offline report (``python -m analysis report``) of a synthetic corpus.

Run from the repository root, after ``benchmarks/make_corpus.py N``:

    .venv/bin/python benchmarks/bench_report.py 2000
    .venv/bin/python benchmarks/bench_report.py 40000 --browser   # also time the first page in Chromium

Prepares ``benchmarks/out/corpus-N.csv`` into an empty cache folder (timed apart), then builds
the report with the default limits and prints its size, the time it took, what it left out and,
with ``--browser``, how long headless Chromium took to show the first page (from the start of
navigation to the end of the page's own script). Record the output in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def first_render_ms(index: Path) -> int:
    """Milliseconds until the report's first page was drawn in headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    try:
        driver.get("about:blank")
        driver.get(index.as_uri())
        WebDriverWait(driver, 120).until(lambda d: d.execute_script(
            "return document.body && document.body.getAttribute('data-ready') === 'true'"))
        return int(driver.execute_script("return document.body.getAttribute('data-render-ms')"))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="articles: reads benchmarks/out/corpus-N.csv")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for the preparation")
    parser.add_argument("--browser", action="store_true", help="also time the first page in headless Chromium")
    args = parser.parse_args()
    corpus = HERE / "out" / f"corpus-{args.n}.csv"
    if not corpus.is_file():
        raise SystemExit(f"{corpus} is missing: run .venv/bin/python benchmarks/make_corpus.py {args.n}")

    from analysis.pipeline import prepare_corpus
    from analysis.report.site import write_report

    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; {corpus.name}")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        began = time.perf_counter()
        prepared = prepare_corpus(corpus, jobs=args.jobs, cache_dir=Path(folder) / "cache", quiet=True)
        prepared_s = time.perf_counter() - began
        began = time.perf_counter()
        result = write_report(prepared, Path(folder) / "report")
        report_s = time.perf_counter() - began
        omitted = result["omitted"]
        print(f"articles {len(prepared.metadata):,}; prepare {prepared_s:.1f} s (cache miss); "
              f"report {report_s:.1f} s; index.html {result['bytes'] / 1e6:.2f} MB ({result['bytes']:,} bytes)")
        print(f"terms kept {omitted['terms_used'] - omitted['terms']:,} of {omitted['terms_used']:,}; "
              f"KWIC lines left out {omitted['kwic_lines_left_out']:,}; articles embedded {omitted['articles']:,} "
              f"({omitted['articles_left_out']:,} not)")
        if args.browser:
            print(f"first page in headless Chromium: {first_render_ms(result['path'])} ms")


if __name__ == "__main__":
    main()
