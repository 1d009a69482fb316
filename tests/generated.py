"""A generated German news corpus for tests: hundreds of articles, several outlets, metadata.

Deterministic for a seed. The sentences are assembled from German pieces that exercise the
text layer: names of the bundled registry in several spellings, abbreviations and initials,
ordinals and dates, numbers, quotations in German marks with reporting verbs, suspended
hyphens, glued periods, URLs and e-mail addresses, credit lines and line breaks.
"""

from __future__ import annotations

import random

import pandas as pd

OUTLETS = ("Tagesblatt", "Der Morgen", "Rheinpost", "Hansa-Zeitung", "Südwest Aktuell")
SUBJECTS = (
    "Wladimir Putin", "Putin", "Kim Jong Un", "Kim", "Machthaber Kim", "der Kremlchef",
    "die Staats- und Regierungschefs", "der russische Präsident", "Nordkoreas Führer", "Uschakow",
)
VERBS = ("traf", "empfing", "lobte", "kritisierte", "begrüßte", "besuchte", "warnte")
OBJECTS = (
    "die Delegation", "seinen Gast", "die beiden Diktatoren", "die „besten Freunde“", "den Westen",
    "das Verteidigungsabkommen", "die Ukraine", "z. B. die Nachbarn", "u. a. die Presse", "den Aurus",
)
TAILS = (
    "am 19. Juni", "in Pjöngjang", "im Februar 2022", "mit 1.000 Soldaten", "für 3,5 Mio. Euro",
    "laut dpa", "nach Angaben von J. R. Smith", "vor dem Kim-Il-Sung-Platz", "bzw. in Moskau",
    "auf www.beispiel.de", "", "", "",
)
QUOTES = ("Wir sind Freunde", "Das ist ein historischer Tag", "Der Westen verliert", "Es gibt keine Alternative")
SPEAKERS = ("Putin", "Kim", "Uschakow", "ein Sprecher")


def _sentence(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return f"„{rng.choice(QUOTES)}“, sagte {rng.choice(SPEAKERS)}."
    if roll < 0.2:
        return f"{rng.choice(SPEAKERS).capitalize()} sagte: „{rng.choice(QUOTES)}.“"
    subject = rng.choice(SUBJECTS)
    subject = subject[0].upper() + subject[1:]
    parts = [subject, rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)]
    end = rng.choice([".", ".", ".", "!", "?"])
    return " ".join(p for p in parts if p) + end


def article(rng: random.Random, number: int) -> str:
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        sentences = [_sentence(rng) for _ in range(rng.randint(1, 5))]
        joiner = "" if rng.random() < 0.05 else " "  # now and then a lost space: "...Juni.Kim"
        paragraphs.append(joiner.join(sentences))
    if rng.random() < 0.1:
        paragraphs.append(f"Kontakt: redaktion{number}@beispiel.de")
    if rng.random() < 0.5:
        paragraphs.append(rng.choice(["Foto: dpa", "AFP", "(Reuters)", "Foto: AFP/Kremlin"]))
    return "\n".join(paragraphs)


def generated_corpus(n: int = 300, *, seed: int = 0) -> pd.DataFrame:
    """A corpus table with ``doc_id, outlet, event, date, title, text``.

    Outlets have different sizes; 5 % of the articles repeat another outlet's text with a
    changed word (wire copy).
    """
    rng = random.Random(seed)
    rows = []
    for number in range(n):
        outlet = OUTLETS[min(int(rng.expovariate(0.6)), len(OUTLETS) - 1)]
        text = article(rng, number)
        if rows and rng.random() < 0.05:
            text = rng.choice(rows)["text"].replace("traf", "empfing", 1) + " Ergänzt."
        rows.append({
            "doc_id": f"g{number:04d}",
            "outlet": outlet,
            "event": f"ereignis-{rng.randint(1, 8)}",
            "date": f"2024-06-{rng.randint(10, 28):02d}",
            "title": f"Bericht {number}",
            "text": text,
        })
    return pd.DataFrame(rows)


def write_corpus(path, n: int = 300, *, seed: int = 0):
    """Write :func:`generated_corpus` as a CSV file and return its path."""
    generated_corpus(n, seed=seed).to_csv(path, index=False)
    return path
