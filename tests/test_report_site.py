"""The offline report without a browser: escaping, policy, same bytes, bounds, figures, errors."""

import json
import re
import subprocess
import sys
import base64
import hashlib
from collections import Counter

import pytest

from analysis.errors import ParameterError
from analysis.report.figures import REGISTRY
from analysis.report.site import SiteLimits, write_report
from analysis.report.site.encode import script_json
from analysis.report.site.page import SECTIONS

from report_corpus import (EVIL_DOC, EVIL_IMAGE, EVIL_OUTLET, EVIL_TEXT, EVIL_TITLE, REPORT_LIMITS, built_report,
                           prepared_corpus)

BLOCK = re.compile(r'<script type="application/json" id="data-(\w+)">(.*?)</script>', re.S)


def blocks(text: str) -> dict:
    return {name: json.loads(body) for name, body in BLOCK.findall(text)}


@pytest.fixture(scope="module")
def page():
    return built_report("generated").read_text(encoding="utf-8")


def test_corpus_text_is_escaped_in_the_data_and_never_markup(page):
    for planted in (EVIL_TEXT, EVIL_IMAGE, EVIL_TITLE, EVIL_OUTLET, "<img src=x", "<script>alert"):
        assert planted not in page
    # Only the data blocks and the one script of the page are script elements.
    assert page.count("<script") == len(SECTIONS) + 1
    data = blocks(page)
    assert set(data) == set(SECTIONS)
    article = next(a for a in data["terms"]["articles"] if a[0] == EVIL_DOC)
    assert EVIL_TEXT in article[4] and EVIL_IMAGE in article[4]  # read back exactly as written
    assert article[2] == EVIL_TITLE and data["terms"]["outlets"][article[1]] == EVIL_OUTLET
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert script_json({"a": "</script>&"}) == '{"a":"\\u003c/script\\u003e\\u0026"}'


def test_the_policy_forbids_the_network_and_names_the_inline_script_and_style(page):
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    policy = policy.replace("&#x27;", "'")
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy and "img-src data: blob:" in policy
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    for text, directive in ((script, "script-src"), (style, "style-src")):
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        assert f"{directive} 'sha256-{digest}'" in policy
    assert "unsafe" not in policy
    # No URL of the page points anywhere but into the page itself.
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//)", page)
    # The script never parses text as HTML.
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\(|document\.write\(|\beval\(", script)


def test_the_same_corpus_gives_the_same_bytes(page, tmp_path):
    again = write_report(prepared_corpus("generated"), tmp_path, limits=SiteLimits(**REPORT_LIMITS))["path"]
    assert again.read_text(encoding="utf-8") == page
    assert str(tmp_path) not in page and "/tmp/" not in page  # no machine path in the page


def test_every_registered_figure_is_in_the_page_or_listed_as_skipped(page):
    figures = blocks(page)["figures"]
    drawn = [f["id"] for f in figures["figures"]]
    skipped = [fid for fid, _ in figures["skipped"]]
    for spec in REGISTRY.values():
        assert spec.id in drawn or spec.id in skipped or any(d.startswith(spec.id + "_") for d in drawn), spec.id
    outlets = blocks(page)["terms"]["outlets"]
    assert sum(d.startswith("rate_scatter_") for d in drawn) == len(outlets) == 9
    for figure in figures["figures"]:
        assert figure["image"].startswith("data:image/png;base64,") and figure["caption"]
        assert figure["table"]["columns"] and figure["table"]["count"] >= len(figure["table"]["rows"])


def test_the_page_is_bounded_and_counts_what_it_left_out(page):
    prepared = prepared_corpus("generated")
    limits = SiteLimits(**REPORT_LIMITS)
    data = blocks(page)
    terms = data["terms"]
    omitted = terms["omitted"]
    assert len(terms["terms"]) == limits.terms and omitted["terms"] == omitted["terms_used"] - limits.terms > 0
    assert len(terms["articles"]) <= limits.articles
    assert omitted["articles_left_out"] == len(prepared.metadata) - len(terms["articles"]) > 0
    n_kwic = limits.kwic_total // (len(terms["outlets"]) * limits.kwic_lines)
    assert len(terms["kwic_terms"]) == n_kwic and omitted["terms_without_kwic"] == limits.terms - n_kwic
    # At most kwic_lines lines per term and outlet, each from another article, each pointing at its match.
    keys = Counter((line[0], line[1]) for line in terms["kwic"])
    assert max(keys.values()) <= limits.kwic_lines and omitted["kwic_lines_left_out"] > 0
    assert len({(line[0], line[1], line[2]) for line in terms["kwic"]}) == len(terms["kwic"])
    for term, _, article, start, end, _, match, _ in terms["kwic"]:
        assert terms["articles"][article][4][start:end] == match
    assert omitted["kwic_occurrences"] - omitted["kwic_lines_left_out"] == len(terms["kwic"])
    assert all(len(figure["table"]["rows"]) <= limits.table_rows for figure in data["figures"]["figures"])
    assert any(figure["table"]["count"] > limits.table_rows for figure in data["figures"]["figures"])
    for name in ("labels", "frames", "quotes"):
        for cell in data[name]["cells"].values():
            assert len(cell["items"]) == min(limits.evidence, cell["n"])


def test_the_counts_in_the_page_are_those_of_the_corpus(page):
    prepared = prepared_corpus("generated")
    terms = blocks(page)["terms"]
    counts = prepared.group_counts
    assert terms["outlets"] == [str(r) for r in counts.rows]
    assert terms["totals"] == [int(counts.totals[r]) for r in counts.rows]
    for number in (0, 5, len(terms["terms"]) - 1):
        column = counts.terms.get_loc(terms["terms"][number])
        assert [row[number] for row in terms["counts"]] == counts.matrix[:, column].toarray().ravel().tolist()
    overview = blocks(page)["overview"]
    assert overview["corpus"]["articles"] == len(prepared.metadata)
    assert sum(row[-1] for row in overview["ledger"]["rows"]) == len(prepared.ledger)


@pytest.mark.parametrize("bad", [dict(terms=0), dict(kwic_lines=-1), dict(articles=True), dict(window=2.5),
                                 dict(typical_terms=50, terms=10), dict(figure_width=50)])
def test_bad_limits_are_refused_with_the_name_of_the_limit(bad):
    with pytest.raises(ParameterError, match=next(iter(bad))):
        SiteLimits(**bad)


def test_a_file_as_output_folder_and_a_wrong_limits_object_are_refused(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("x")
    with pytest.raises(ParameterError, match="is a file"):
        write_report(prepared_corpus("bundled"), target)
    with pytest.raises(ParameterError, match="SiteLimits"):
        write_report(prepared_corpus("bundled"), tmp_path / "out", limits={"terms": 3})


def test_the_command_refuses_bad_options_before_reading_the_corpus(tmp_path):
    (tmp_path / "file").write_text("x")
    for options, message in ((["--terms", "0"], "--terms"), (["--out", str(tmp_path / "file")], "is a file"),
                             (["--corpus", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "r")], "missing.csv")):
        run = subprocess.run([sys.executable, "-m", "analysis", "report", *options], capture_output=True, text=True)
        assert run.returncode == 2, run.stderr
        assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1
