"""A generated corpus of nine outlets for the report tests, with markup planted in one article's
text, its title and its outlet's name, and the report of it built once per test process."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from generated import generated_corpus

#: An outlet name, a title and text that a page reading them as HTML would run.
EVIL_OUTLET = "<img src=x onerror=alert(2)> & Kurier"
EVIL_TITLE = "<script>alert(1)</script> Titel"
EVIL_TEXT = "<script>alert(1)</script>"
EVIL_IMAGE = "<img src=x onerror=alert(3)>"
#: The planted article, and a word only it uses (so that its KWIC line embeds it).
EVIL_DOC = "planted-1"
EVIL_WORD = "Giftwortprobe"

OUTLETS = ("Tagesblatt", "Der Morgen", "Rheinpost", "Hansa-Zeitung", "Südwest Aktuell", "Alpenbote",
           "Spree-Express", "Nordkurier", EVIL_OUTLET)
# Words each outlet prefers, so that keyness has something to find.
FLAVOUR = (("Diktator", "Regime"), ("Staatsoberhaupt", "Partner"), ("Autokrat", "Gipfel"), ("Freundschaft", "Handel"),
           ("Sanktion", "Drohung"), ("Bündnis", "Abkommen"), ("Aufrüstung", "Rakete"), ("Friede", "Dialog"),
           ("Skandal", "Empörung"))


def report_corpus(n: int = 240, seed: int = 3):
    """The corpus table: ``n`` generated articles spread over nine outlets, plus the planted one."""
    table = generated_corpus(n, seed=seed)
    outlets, texts = [], []
    for number, text in enumerate(table["text"]):
        k = number % len(OUTLETS)
        first, second = FLAVOUR[k]
        outlets.append(OUTLETS[k])
        texts.append(f"{text}\nDie Zeitung schrieb vom {first} und vom {second}. Der {first} blieb Thema.")
    table["outlet"] = outlets
    table["text"] = texts
    planted = {
        "doc_id": EVIL_DOC, "outlet": EVIL_OUTLET, "event": "ereignis-1", "date": "2024-06-20", "title": EVIL_TITLE,
        # Entities in a table cell are unescaped on loading: the text then holds the markup itself.
        "text": ("Putin traf Kim in Pjöngjang. Die Zeitung nannte es eine Giftwortprobe. "
                 "Im Text stand &lt;script&gt;alert(1)&lt;/script&gt; und &lt;img src=x onerror=alert(3)&gt; als Beispiel. "
                 "Die Giftwortprobe blieb Thema, sagte ein Sprecher. Noch eine Giftwortprobe folgte am Abend. "
                 # Often enough to be the outlet's most typical term, whose KWIC lines are always embedded.
                 + " ".join(f"Die {n}. Giftwortprobe kam." for n in range(2, 40))),
    }
    import pandas as pd

    return pd.concat([table, pd.DataFrame([planted])], ignore_index=True)


def write_report_corpus(path) -> Path:
    report_corpus().to_csv(path, index=False)
    return Path(path)


#: The bounds of the generated corpus's report: small enough that every kind of bound is reached
#: (and counted), large enough for each outlet's three most typical terms to carry KWIC lines.
REPORT_LIMITS = dict(terms=60, typical_terms=5, kwic_lines=2, kwic_total=540, articles=40, table_rows=20)

_FOLDER = Path(tempfile.mkdtemp(prefix="report-tests-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)


@functools.lru_cache(maxsize=None)
def prepared_corpus(name: str):
    """The prepared generated corpus (``"generated"``) or the bundled one (``"bundled"``)."""
    from analysis.pipeline import prepare_corpus

    if name == "bundled":
        return prepare_corpus(jobs=1, quiet=True)
    return prepare_corpus(write_report_corpus(_FOLDER / "corpus.csv"), jobs=1, quiet=True)


@functools.lru_cache(maxsize=None)
def built_report(name: str) -> Path:
    """``index.html`` of the report of :func:`prepared_corpus` (built once per test process)."""
    from analysis.report.site import SiteLimits, write_report

    limits = SiteLimits(**REPORT_LIMITS) if name == "generated" else None
    return write_report(prepared_corpus(name), _FOLDER / f"site-{name}", limits=limits)["path"]
