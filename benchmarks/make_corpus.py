"""Write a synthetic German news corpus of N articles for throughput benchmarks.

Run from the repository root (needs the ``bench`` extra: ``pip install -e ".[bench]"``):

    .venv/bin/python benchmarks/make_corpus.py 40000 --out benchmarks/out/corpus-40k.csv

The text is not meant to be read; it is meant to cost what real news costs to process:

* Word types and their frequencies come from ``wordfreq``'s German list (shipped in the
  package, no download); nouns are capitalised when simplemma's German dictionary knows
  them only capitalised. Tokens are drawn from the Zipf-like frequencies, so function words
  dominate as in real text.
* New compounds are glued from two nouns at a small rate per noun slot, so the vocabulary
  keeps growing with the corpus, following Heaps' law (V ≈ K·N^β), as real news vocabularies
  do; a fixed word list alone would saturate.
* About 800 tokens per article in paragraphs of sentences; persons named in full and then
  by surname, dates and numbers, quotations in German marks with a reporting verb, datelines
  and credit lines of agencies.
* 12 outlets of different sizes (Zipf-distributed shares), 40 events, dates over a year.
* About 3 % near-duplicates: an earlier article of another outlet, reprinted with a few words
  changed (wire copy).
* A ``story`` column for the alignment benchmark (``bench_align.py``): consecutive articles in
  groups of :data:`STORY_ARTICLES` (4,000 stories in 40,000 articles), a reprint in the story of
  the article it reprints. It is derived from the article number, not drawn from the random
  stream, so every other column is the same as without it.

The output is a CSV with the columns ``doc_id, outlet, event, date, title, text, story``, written in
batches so that memory stays bounded for any N. The same N and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

OUTLETS = (
    "Nordkurier Online", "Tagesblatt", "Der Morgen", "Rheinpost", "Allgäuer Bote", "Hansa-Zeitung",
    "Mitteldeutsche Rundschau", "Südwest Aktuell", "Die Woche", "Alpenland Nachrichten",
    "Spree-Express", "Weser-Kurier Digital",
)
PERSONS = (
    "Wladimir Putin", "Kim Jong Un", "Olaf Scholz", "Annalena Baerbock", "Robert Habeck",
    "Christian Lindner", "Friedrich Merz", "Nancy Faeser", "Boris Pistorius", "Ursula von der Leyen",
    "Emmanuel Macron", "Joe Biden", "Wolodymyr Selenskyj", "Xi Jinping", "Markus Söder",
    "Sahra Wagenknecht", "Karl Lauterbach", "Hubertus Heil", "Cem Özdemir", "Alice Weidel",
    "Sergej Lawrow", "Juri Uschakow", "Antony Blinken", "Jens Stoltenberg", "Recep Tayyip Erdoğan",
)
AGENCIES = ("dpa", "AFP", "Reuters", "epd", "KNA", "AP")
PLACES = ("Berlin", "Pjöngjang", "Moskau", "Brüssel", "Kiew", "Washington", "München", "Hamburg", "Peking")
VERBS = ("sagte", "erklärte", "betonte", "sagte", "kritisierte", "warnte", "teilte mit", "so")
#: Articles per story of the ``story`` column.
STORY_ARTICLES = 10
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")


def _vocabulary(size: int):
    """German word types, frequencies and a noun mask from packaged resources."""
    import wordfreq
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    words = [w for w in wordfreq.top_n_list("de", size) if w.isalpha()]
    freqs = np.array([wordfreq.word_frequency(w, "de") for w in words], dtype=np.float64)
    known = DefaultDictionaryFactory().get_dictionary("de")
    cased, nouns = [], []
    for word in words:
        upper = word[:1].upper() + word[1:]
        noun = upper != word and upper in known and word not in known
        cased.append(upper if noun else word)
        nouns.append(noun)
    return cased, freqs / freqs.sum(), np.array(nouns)


class Generator:
    """Articles from one seeded random stream."""

    def __init__(self, seed: int = 0, vocabulary_size: int = 100_000):
        self.rng = np.random.default_rng(seed)
        self.words, self.probs, self.noun_mask = _vocabulary(vocabulary_size)
        self.word_array = np.array(self.words, dtype=object)
        self.nouns = np.flatnonzero(self.noun_mask)
        noun_probs = self.probs[self.nouns]
        self.noun_probs = noun_probs / noun_probs.sum()
        shares = 1.0 / np.arange(1, len(OUTLETS) + 1) ** 0.8
        self.outlet_probs = shares / shares.sum()
        self.recent: list[tuple[str, str, str]] = []
        self.recent_stories: list[str] = []  # beside ``recent``: the story of each remembered article
        self.pairs: list[list[int]] = []

    def _compound(self) -> str:
        # Noun pairs are drawn in batches: one weighted draw per compound would dominate the run.
        if not self.pairs:
            self.pairs = self.rng.choice(self.nouns, size=(50_000, 2), p=self.noun_probs).tolist()
        first, second = self.pairs.pop()
        return self.words[first] + self.words[second].lower()

    def _sentence(self, ids: np.ndarray, persons: list[str], named: set[str]) -> str:
        rng = self.rng
        parts = self.word_array[ids].tolist()
        for k in np.flatnonzero(self.noun_mask[ids] & (rng.random(len(ids)) < 0.04)):
            parts[k] = self._compound()
        roll = rng.random()
        if roll < 0.35:
            person = persons[rng.integers(len(persons))]
            mention = person if person not in named else person.split()[-1]
            named.add(person)
            parts.insert(int(rng.integers(len(parts) + 1)), mention)
        if rng.random() < 0.15:
            parts.insert(int(rng.integers(len(parts) + 1)),
                         f"am {rng.integers(1, 29)}. {MONTHS[rng.integers(12)]}")
        if rng.random() < 0.15:
            parts.insert(int(rng.integers(len(parts) + 1)), f"{rng.integers(2, 5000):,}".replace(",", "."))
        if len(parts) > 8 and rng.random() < 0.5:
            parts[len(parts) // 2] += ","
        parts[0] = parts[0][:1].upper() + parts[0][1:]
        body = " ".join(parts)
        if roll > 0.82:
            speaker = persons[rng.integers(len(persons))].split()[-1]
            return f"„{body}“, {VERBS[rng.integers(len(VERBS))]} {speaker}."
        return body + "."

    def article(self, number: int) -> dict:
        rng = self.rng
        outlet = OUTLETS[rng.choice(len(OUTLETS), p=self.outlet_probs)]
        event = f"ereignis-{rng.integers(40):02d}"
        day = int(rng.integers(365))
        date = np.datetime64("2024-01-01") + np.timedelta64(day, "D")
        if self.recent and rng.random() < 0.03:
            return self._reprint(number, outlet, event, str(date))
        persons = [PERSONS[i] for i in rng.choice(len(PERSONS), size=4, replace=False)]
        named: set[str] = set()
        n_tokens = int(rng.normal(800, 150))
        ids = rng.choice(len(self.words), size=max(n_tokens, 100), p=self.probs)
        lengths = rng.integers(6, 26, size=len(ids) // 6 + 1)
        bounds = np.cumsum(lengths)
        bounds = bounds[bounds < len(ids)]
        sentences = [self._sentence(chunk, persons, named) for chunk in np.split(ids, bounds) if len(chunk)]
        agency = AGENCIES[rng.integers(len(AGENCIES))]
        paragraphs = []
        for k in range(0, len(sentences), 4):
            paragraphs.append(" ".join(sentences[k:k + 4]))
        paragraphs[0] = f"{PLACES[rng.integers(len(PLACES))]} ({agency}) – {paragraphs[0]}"
        paragraphs.append(f"Foto: {agency}/{persons[0]}")
        text = "\n".join(paragraphs)
        title = " ".join(self.words[i] for i in ids[:6]).capitalize()
        story = f"story-{number // STORY_ARTICLES:05d}"
        if len(self.recent) < 200:
            self.recent.append((title, text, outlet))
            self.recent_stories.append(story)
        else:
            slot = int(rng.integers(200))
            self.recent[slot] = (title, text, outlet)
            self.recent_stories[slot] = story
        return {"doc_id": f"art-{number:07d}", "outlet": outlet, "event": event, "date": str(date),
                "title": title, "text": text, "story": story}

    def _reprint(self, number: int, outlet: str, event: str, date: str) -> dict:
        slot = int(self.rng.integers(len(self.recent)))
        title, text, _ = self.recent[slot]
        words = text.split(" ")
        for _ in range(5):
            words[int(self.rng.integers(len(words)))] = self.words[int(self.rng.integers(2000))]
        return {"doc_id": f"art-{number:07d}", "outlet": outlet, "event": event, "date": date,
                "title": title, "text": " ".join(words), "story": self.recent_stories[slot]}


def write_corpus(n_articles: int, out: Path, *, seed: int = 0) -> Path:
    """Write ``n_articles`` synthetic articles to the CSV file ``out``."""
    generator = Generator(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["doc_id", "outlet", "event", "date", "title", "text", "story"],
                                lineterminator="\n")
        writer.writeheader()
        for number in range(n_articles):
            writer.writerow(generator.article(number))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--out", type=Path, help="CSV file to write (default: benchmarks/out/corpus-N.csv)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).parent / "out" / f"corpus-{args.n}.csv"
    write_corpus(args.n, out, seed=args.seed)
    print(f"wrote {args.n} articles to {out} ({out.stat().st_size / 2**20:.1f} MiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
