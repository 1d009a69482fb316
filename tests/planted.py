"""A generated multi-outlet news corpus with planted differences in word choice.

Ten outlets of different sizes report on six events over two months. Every article is built
from the same pool of neutral sentences (persons with their roles, places, dates, numbers,
attributed quotations), and six outlets differ in one planted way each:

========================  =================================================================
outlet                    planted difference
========================  =================================================================
``Rheinpost``             calls Putin „Diktator“ (``der Diktator Wladimir Putin``)
``Der Morgen``            calls Putin „Präsident“ (``Präsident Wladimir Putin``)
``Hansa-Zeitung``         quotes single words with distancing marks (die „Freundschaft“)
``Elbe-Kurier``           cites the agency dpa
``Alpenbote``             cites the agency Reuters
``Ostsee-Anzeiger``       writes more negatively (gefährlich, katastrophal, Bedrohung …)
========================  =================================================================

The other outlets use the neutral label „Kremlchef“ and cite agencies rarely and evenly. The
tests assert that keyness, label attribution, quotations, sources and sentiment find what was
planted — values known by construction, not read from the suite's own output.
"""

from __future__ import annotations

import random

import pandas as pd

OUTLETS = (
    "Tagesblatt", "Der Morgen", "Rheinpost", "Hansa-Zeitung", "Südwest Aktuell",
    "Elbe-Kurier", "Alpenbote", "Ostsee-Anzeiger", "Mainpost Digital", "Spreebote",
)
DIKTATOR, PRAESIDENT = "Rheinpost", "Der Morgen"
DISTANCING = "Hansa-Zeitung"
DPA, REUTERS = "Elbe-Kurier", "Alpenbote"
NEGATIVE = "Ostsee-Anzeiger"
EVENTS = ("gipfel-pjoengjang", "nato-treffen", "haushaltsstreit", "ukraine-konferenz", "g7-gipfel", "wahl-frankreich")

#: Sentences every outlet writes; none carries a label of Putin or a sentiment word.
NEUTRAL = (
    "Bundeskanzlerin Petra Albrecht reiste am Dienstag nach Brüssel.",
    "Außenminister Jonas Keller traf seine Amtskollegen in Wien.",
    "Die Delegation landete am Vormittag auf dem Flughafen.",
    "Die Gespräche dauerten mehr als drei Stunden.",
    "Am Abend stand ein Essen im Palast auf dem Programm.",
    "Die Abgeordneten berieten den Entwurf in zweiter Lesung.",
    "Der Haushalt umfasst 480 Milliarden Euro.",
    "Die Minister unterzeichneten eine gemeinsame Erklärung.",
    "Beobachter rechnen mit weiteren Treffen im Herbst.",
    "Die Konferenz findet im Juli in Genf statt.",
    "Kim Jong Un empfing seinen Gast am Flughafen von Pjöngjang.",
    "Die Regierung legte am Mittwoch einen Bericht vor.",
    "Rund 200 Journalisten verfolgten die Pressekonferenz.",
    "Der Termin war lange geplant.",
)
#: Sentences with a label of Putin; ``{label}`` is filled per outlet.
LABELLED = (
    "{label} Wladimir Putin kam am Mittwoch in Pjöngjang an.",
    "{label} Wladimir Putin sprach mit Kim Jong Un über das Abkommen.",
    "Nach dem Treffen reiste {label_lower} Wladimir Putin nach Hanoi weiter.",
)
LABELS = {DIKTATOR: "Der Diktator", PRAESIDENT: "Präsident"}
DEFAULT_LABEL = "Kremlchef"
QUOTED = (
    "„Wir haben viel erreicht“, sagte Petra Albrecht.",
    "„Die Verhandlungen gehen weiter“, sagte Jonas Keller.",
    "Kim Jong Un sagte: „Unsere Zusammenarbeit wird enger.“",
)
#: The writer's own sentences with one word in distancing marks, and the same without marks.
DISTANCED = (
    ("Die „Freundschaft“ der beiden Länder wurde mit einer Parade gefeiert.",
     "Die Freundschaft der beiden Länder wurde mit einer Parade gefeiert."),
    ("Das Abkommen soll eine „Partnerschaft“ begründen.",
     "Das Abkommen soll eine Partnerschaft begründen."),
    ("Die Gastgeber zeigten ihre „Gastfreundschaft“ mit Blumen und Fahnen.",
     "Die Gastgeber zeigten ihre Gastfreundschaft mit Blumen und Fahnen."),
)
NEGATIVE_SENTENCES = (
    "Das Treffen war ein gefährlicher und katastrophaler Fehler.",
    "Die Lage ist bedrohlich und schlecht.",
    "Kritiker sprechen von einer brutalen und grausamen Politik.",
    "Die Folgen sind verheerend.",
)
POSITIVE_SENTENCES = (
    "Die Gespräche verliefen erfolgreich und freundlich.",
    "Beide Seiten zeigten sich zufrieden.",
)
AGENCY_LINES = {
    "dpa": ("(dpa)", "Das berichtete die Deutsche Presse-Agentur dpa."),
    "Reuters": ("(Reuters)", "Das meldete die Nachrichtenagentur Reuters."),
    "AFP": ("(AFP)",),
}


def _agency(outlet: str, rng: random.Random) -> str | None:
    if outlet == DPA:
        return "dpa" if rng.random() < 0.8 else None
    if outlet == REUTERS:
        return "Reuters" if rng.random() < 0.8 else None
    return rng.choice(["dpa", "Reuters", "AFP"]) if rng.random() < 0.1 else None


def _article(outlet: str, rng: random.Random) -> str:
    sentences = rng.sample(NEUTRAL, rng.randint(4, 7))
    label = LABELS.get(outlet, DEFAULT_LABEL)
    for template in rng.sample(LABELLED, rng.randint(1, 2)):
        lower = label[0].lower() + label[1:] if label.startswith("Der ") else label
        sentence = template.format(label=label, label_lower=lower)
        sentences.insert(rng.randrange(len(sentences) + 1), sentence)
    if rng.random() < 0.6:
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(QUOTED))
    marked, plain = rng.choice(DISTANCED)
    if outlet == DISTANCING:
        sentences.insert(rng.randrange(len(sentences) + 1), marked)
    elif rng.random() < 0.5:
        sentences.insert(rng.randrange(len(sentences) + 1), plain)
    n_negative = rng.randint(2, 3) if outlet == NEGATIVE else int(rng.random() < 0.25)
    n_positive = int(rng.random() < 0.25)
    for sentence in rng.sample(NEGATIVE_SENTENCES, n_negative) + rng.sample(POSITIVE_SENTENCES, n_positive):
        sentences.insert(rng.randrange(len(sentences) + 1), sentence)
    cut = rng.randint(2, len(sentences) - 1)
    paragraphs = [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
    agency = _agency(outlet, rng)
    if agency:
        line = rng.choice(AGENCY_LINES[agency])
        if line.startswith("("):  # a dateline credit opens the article
            paragraphs[0] = f"{line} {paragraphs[0]}"
        else:
            paragraphs[-1] += " " + line
    return "\n".join(paragraphs)


def planted_corpus(n: int = 320, *, seed: int = 0) -> pd.DataFrame:
    """A corpus table with ``doc_id, outlet, event, date, title, text``.

    Outlets have different sizes (each at least 12 articles); every outlet reports on every
    event.
    """
    if n < 12 * len(OUTLETS):
        raise ValueError(f"a planted corpus needs at least {12 * len(OUTLETS)} articles")
    rng = random.Random(seed)
    weights = [1 + (i % 4) for i in range(len(OUTLETS))]
    outlets = list(OUTLETS) * 12
    outlets += rng.choices(OUTLETS, weights=weights, k=n - len(outlets))
    rng.shuffle(outlets)
    rows = []
    for number, outlet in enumerate(outlets):
        event = EVENTS[number % len(EVENTS)]
        rows.append({
            "doc_id": f"p{number:04d}",
            "outlet": outlet,
            "event": event,
            "date": f"2024-{6 + number % 2:02d}-{1 + number % 28:02d}",
            "title": f"{event.replace('-', ' ').title()}: Bericht {number}",
            "text": _article(outlet, rng),
        })
    return pd.DataFrame(rows)


def write_planted(path, n: int = 320, *, seed: int = 0):
    """Write :func:`planted_corpus` as a CSV file and return its path."""
    planted_corpus(n, seed=seed).to_csv(path, index=False)
    return path
