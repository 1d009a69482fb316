"""The offline report in a real browser: headless Chromium driven by selenium.

On the generated corpus of nine outlets (with markup planted in an article, its title and its
outlet's name) and on the bundled corpus: the page loads without a console error and without
a network request, the term explorer shows KWIC lines after a click and follows a change of
the outlet pair, the planted markup stays text, and the keyness the page computes equals
Python's. Screenshots of every page go to tests/screenshots/ (listed at the end of the run).

Without Chromium and its driver the tests are skipped, unless REQUIRE_BROWSER=1 (set by
.ci/run), which makes a missing browser a failure.
"""

import json
import math
import os
import shutil
from pathlib import Path

import pytest

from analysis.stats.keyness import keyness

from report_corpus import EVIL_DOC, EVIL_IMAGE, EVIL_OUTLET, EVIL_TEXT, EVIL_TITLE, EVIL_WORD, built_report, prepared_corpus

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
TABS = ("overview", "terms", "labels", "frames", "quotes", "sentiment", "figures")
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
ALLOWED_SCHEMES = ("file:", "data:", "blob:", "about:")


def _missing_browser() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if CHROMIUM is None or DRIVER is None:
        return "chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory, request):
    reason = _missing_browser()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    written = []
    driver.written_screenshots = written
    yield driver
    driver.quit()
    if written:
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("")
            reporter.write_line(f"report screenshots ({len(written)}) in {SCREENSHOTS}:")
            for path in written:
                reporter.write_line(f"  {path.name}")


def _open(driver, path: Path, hash_: str = "overview"):
    """Load the page fresh, with the logs of every earlier page drained."""
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri() + "#" + hash_)
    _wait(driver, "return document.body && document.body.getAttribute('data-ready') === 'true'")


def _wait(driver, script: str, timeout: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script))


def _tab(driver, name: str):
    driver.find_element("id", f"tab-{name}").click()
    _wait(driver, f"return !document.getElementById('page-{name}').hidden && "
                  f"document.getElementById('page-{name}').childElementCount > 0")


def _screenshot(driver, name: str):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.written_screenshots.append(path)


def _severe(driver) -> list:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _requests(driver) -> list:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            urls.append(message["params"].get("request", {}).get("url") or message["params"].get("url", ""))
    return urls


def _no_alert(driver):
    from selenium.common.exceptions import NoAlertPresentException, TimeoutException
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, 0.5).until(expected_conditions.alert_is_present())
    except TimeoutException:
        pass
    else:
        text = driver.switch_to.alert.text
        driver.switch_to.alert.dismiss()
        pytest.fail(f"the page opened an alert: {text!r}")
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018


def _click_term(driver, term: str):
    search = driver.find_element("id", "term-search")
    search.clear()
    search.send_keys(term)
    rows = [row for row in driver.find_elements("css selector", "#keyness-table tbody tr")
            if row.find_element("css selector", "td").text == term]
    assert rows, f"{term!r} is not in the keyness table"
    rows[0].click()
    _wait(driver, "return document.getElementById('kwic-term') !== null")


@pytest.mark.parametrize("corpus", ["generated", "bundled"])
def test_every_page_loads_without_console_error_or_network_request(browser, corpus):
    path = built_report(corpus)
    _open(browser, path)
    render_ms = int(browser.execute_script("return document.body.getAttribute('data-render-ms')"))
    for name in TABS:
        _tab(browser, name)
        _screenshot(browser, f"{corpus}-{name}")
    # The term explorer with a term chosen, and the article one of its KWIC lines points to.
    _tab(browser, "terms")
    browser.find_element("css selector", "#keyness-table tbody tr").click()
    _wait(browser, "return document.querySelectorAll('#kwic .kwic-line').length > 0")
    browser.execute_script("window.scrollTo(0, 0)")
    _screenshot(browser, f"{corpus}-terms-kwic")
    browser.find_element("css selector", "#kwic .kwic-line a").click()
    _wait(browser, "return document.getElementById('match') !== null")
    _screenshot(browser, f"{corpus}-article")
    severe = _severe(browser)
    assert severe == [], severe
    requests = _requests(browser)
    assert requests, "the performance log recorded nothing"
    outside = [url for url in requests if not url.startswith(ALLOWED_SCHEMES)]
    assert outside == []
    assert render_ms < 10_000  # generous on a shared machine; benchmarks/bench_report.py measures it


@pytest.mark.parametrize("corpus", ["generated", "bundled"])
def test_a_click_on_a_term_shows_its_kwic_lines_and_they_link_to_the_marked_article(browser, corpus):
    path = built_report(corpus)
    _open(browser, path, "terms")
    first = browser.find_element("css selector", "#keyness-table tbody tr")
    term = first.find_element("css selector", "td").text
    first.click()
    _wait(browser, "return document.querySelectorAll('#kwic .kwic-line').length > 0")
    assert browser.find_element("id", "kwic-term").text == term
    line = browser.find_element("css selector", "#kwic .kwic-line")
    match = line.find_element("css selector", "td.match").text
    assert match
    line.find_element("css selector", "a").click()
    _wait(browser, "return document.getElementById('match') !== null")
    assert browser.find_element("id", "match").text == match
    assert match in browser.find_element("id", "article-text").text
    browser.find_element("id", "back").click()
    _wait(browser, "return !document.getElementById('page-terms').hidden")
    assert browser.find_element("id", "kwic-term").text == term  # the explorer kept its state


def test_switching_the_outlet_pair_updates_the_plot_the_table_and_the_kwic(browser):
    from selenium.webdriver.support.ui import Select

    _open(browser, built_report("generated"), "terms")
    _click_term(browser, "Diktator")

    def view():
        return (browser.find_element("id", "scatter").get_attribute("aria-label"),
                browser.find_element("id", "table-note").text,
                [row.text for row in browser.find_elements("css selector", "#keyness-table tbody tr")[:5]],
                browser.find_element("css selector", "#kwic h4").get_attribute("data-outlet"))

    search = browser.find_element("id", "term-search")
    search.clear()
    search.send_keys(" ")  # every term again
    before = view()
    Select(browser.find_element("id", "outlet-a")).select_by_visible_text("Rheinpost")
    after_a = view()
    assert after_a[0] != before[0] and after_a[1] != before[1] and after_a[2] != before[2]
    assert after_a[0].startswith("term rates of Rheinpost against rest")
    assert after_a[3] == str(browser.execute_script("return FramingReport.state.a"))  # KWIC of A first
    Select(browser.find_element("id", "outlet-b")).select_by_visible_text("Der Morgen")
    after_b = view()
    assert after_b[0] == "term rates of Rheinpost against Der Morgen" and after_b[2] != after_a[2]
    # A row of the table is now the comparison of those two outlets.
    state = browser.execute_script("return [FramingReport.state.a, FramingReport.state.b]")
    assert state[0] != state[1] and min(state) >= 0
    browser.find_element("id", "download-keyness").click()
    saved = browser.execute_script("return FramingReport.downloads[FramingReport.downloads.length - 1]")
    assert saved["name"] == "keyness_Rheinpost_vs_Der-Morgen.csv"
    assert saved["text"].startswith("term,n_target,n_reference,rate_target,rate_reference,statistic")
    assert ",Rheinpost,Der Morgen,pooled" in saved["text"]
    assert _severe(browser) == []


def test_markup_planted_in_text_title_and_outlet_name_stays_inert_text(browser):
    from selenium.webdriver.support.ui import Select

    _open(browser, built_report("generated"), "terms")
    Select(browser.find_element("id", "outlet-a")).select_by_visible_text(EVIL_OUTLET)
    _click_term(browser, EVIL_WORD)
    assert EVIL_OUTLET in browser.find_element("id", "kwic").text
    browser.find_element("css selector", "#kwic .kwic-line a").click()
    _wait(browser, "return document.getElementById('match') !== null")
    text = browser.find_element("id", "article-text").text
    assert EVIL_TEXT in text and EVIL_IMAGE in text
    assert browser.find_element("id", "article-title").text == EVIL_TITLE
    assert EVIL_OUTLET in browser.find_element("id", "page-article").text
    for name in TABS:  # every page shows the outlet name
        _tab(browser, name)
    _no_alert(browser)
    counts = browser.execute_script("""
        return {images: Array.from(document.images).filter(i => !i.src.startsWith('data:')).length,
                scripts: document.scripts.length,
                handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
                planted: document.querySelectorAll('script:not([type]) ~ script:not([type])').length,
                title: document.title};""")
    assert counts["images"] == 0 and counts["handlers"] == 0 and counts["planted"] == 0
    assert counts["scripts"] == 10  # nine data blocks and the page's own script
    assert EVIL_OUTLET in browser.find_element("id", "page-overview").get_attribute("textContent")
    assert _severe(browser) == []
    assert EVIL_DOC  # the planted article is the one shown


@pytest.mark.parametrize("corpus, pairs", [
    ("generated", [("Tagesblatt", "Der Morgen"), ("Rheinpost", None), (EVIL_OUTLET, "Alpenbote")]),
    ("bundled", [("AFP-based", "CNN-based"), ("CNN-based", None)]),
])
def test_the_keyness_of_the_page_equals_pythons(browser, corpus, pairs):
    prepared = prepared_corpus(corpus)
    _open(browser, built_report(corpus), "terms")
    for target, reference in pairs:
        for prior in ("pooled", "all"):
            page = browser.execute_script("return FramingReport.keyness(arguments[0], arguments[1], arguments[2])",
                                          target, reference, prior)
            table = keyness(prepared.group_counts, target, reference=reference or "rest", prior=prior)
            expected = table.set_index("term")
            assert len(page) > 10
            for row in page:
                want = expected.loc[row["term"]]
                assert row["n_target"] == want["n_target"] and row["n_reference"] == want["n_reference"]
                assert math.isclose(row["statistic"], want["statistic"], rel_tol=1e-9, abs_tol=1e-12), row
                assert math.isclose(row["effect_size"], want["effect_size"], rel_tol=1e-9, abs_tol=1e-12), row


@pytest.mark.parametrize("corpus", ["generated", "bundled"])
def test_the_names_in_the_term_scatter_never_overlap(browser, corpus):
    from selenium.webdriver.support.ui import Select

    _open(browser, built_report(corpus), "terms")
    picker = Select(browser.find_element("id", "outlet-a"))
    for index in range(min(4, len(picker.options))):
        picker.select_by_index(index)
        boxes = browser.execute_script(
            "return Array.from(document.querySelectorAll('#scatter .labels text')).map(function (t) {"
            "  var b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; });")
        assert boxes, "no term is named"
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
                assert not (overlap[0] > 0.5 and overlap[1] > 0.5), f"labels overlap: {a} and {b}"
