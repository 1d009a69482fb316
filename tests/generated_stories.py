"""A generated corpus of stories told by three outlets in their own words, with the paraphrases planted.

Every story is one event (its own persons, place, date and numbers) reported by the three
outlets of :data:`OUTLETS`. Each article holds the story's :data:`FACTS` — the same fact in every
outlet, with the slots of :data:`WORDING` filled in the outlet's own words — in its own order,
and filler sentences of its own that report nothing the others report. Known by construction:

* which sentences report the same fact (``fact`` of :func:`story_corpus`'s ``facts`` table);
* the substitutions of each pair of outlets: :func:`planted_substitutions`, e.g. the
  ``Tagesspiegel Nord`` writes „Verteidigungsabkommen“ where ``Der Beobachter`` writes
  „Verteidigungspakt“ (and ``Abendpost`` „Sicherheitsabkommen“);
* the labels of the person: „Präsident“, „Machthaber“, „Diktator“;
* one evaluative adjective only ``Der Beobachter`` adds („umstrittene“ Abkommen);
* one quotation attributed in ``Tagesspiegel Nord`` (sagte …) that the ``Abendpost`` writes
  unquoted as its own words.

About the first story in three outlets: the tests assert that the aligner finds these facts and
these differences — values planted here, not read from the suite's output.
"""

from __future__ import annotations

import random

import pandas as pd

OUTLETS = ("Tagesspiegel Nord", "Der Beobachter", "Abendpost")
PERSONS = (("Viktor", "Orlow"), ("Marek", "Dudas"), ("Ilja", "Kramski"), ("Boris", "Wendt"), ("Anton", "Selig"),
           ("Pavel", "Rusnak"), ("Oleg", "Tamarin"), ("Juri", "Fedin"))
GUESTS = (("Lena", "Sandberg"), ("Mira", "Kolbe"), ("Theo", "Brandt"), ("Ines", "Hallwig"), ("Rafael", "Monti"),
          ("Karla", "Vogt"), ("Nils", "Ostrow"), ("Hanna", "Leitner"))
CITIES = ("Tiflis", "Baku", "Eriwan", "Minsk", "Taschkent", "Astana", "Bischkek", "Duschanbe")
#: The slot words of each outlet: label of the host, the agreement, an evaluative adjective
#: (empty: none), the car, the verb of giving.
WORDING = {
    "Tagesspiegel Nord": {"label": "Präsident", "abkommen": "Verteidigungsabkommen", "wertung": "",
                          "auto": "Limousine", "geben": "schenkte"},
    "Der Beobachter": {"label": "Machthaber", "abkommen": "Verteidigungspakt", "wertung": "umstrittene",
                       "auto": "Limousine", "geben": "überreichte"},
    "Abendpost": {"label": "Diktator", "abkommen": "Sicherheitsabkommen", "wertung": "",
                  "auto": "Luxuslimousine", "geben": "schenkte"},
}
#: The facts of a story; ``{…}`` are filled per story and per outlet.
FACTS = {
    "ankunft": "{label} {first} {last} empfing {guest_first} {guest_last} am {day}. Mai in {city} mit militärischen Ehren.",
    "abkommen": "Beide Regierungen unterzeichneten in {city} das {wertung_space}{abkommen} über {n} Millionen Euro.",
    "geschenk": "{last} {geben} {guest_last} zum Abschied eine schwarze {auto} aus eigener Produktion.",
    "besuch": "Es war der erste Besuch von {guest_last} in {city} seit {years} Jahren.",
    "zitat": "{quote_sentence}",
}
#: Sentences only one article has (a different one in every article).
FILLERS = (
    "Am Rande des Treffens protestierten einige Studenten vor der Universität.",
    "Die Wetterdienste meldeten für das Wochenende starken Regen im Norden.",
    "Im Stadion fand gleichzeitig ein Konzert mit vielen Zuschauern statt.",
    "Die Preise für Brot und Milch stiegen im vergangenen Monat erneut.",
    "Ein Museum eröffnete eine Ausstellung über mittelalterliche Handschriften.",
    "Die Bahn kündigte Bauarbeiten auf mehreren Strecken an.",
    "Viele Familien nutzten die Ferien für einen Ausflug an den See.",
    "Der Fußballverein verpflichtete einen neuen Trainer aus Spanien.",
    "Eine Bäckerei im Zentrum feierte ihr hundertjähriges Bestehen.",
    "Im Zoo kamen im Frühjahr drei junge Pinguine zur Welt.",
    "Die Feuerwehr übte am Morgen den Ernstfall am Hafen.",
    "Ein Radrennen führte quer durch die Altstadt.",
)
#: The lemma of each planted verb form (nouns: the word in lower case).
LEMMAS = {"schenkte": "schenken", "überreichte": "überreichen"}
QUOTE = "Diese Partnerschaft schützt unsere beiden Völker"


def _quote_sentence(outlet: str, last: str) -> str:
    if outlet == "Abendpost":  # the words as the outlet's own
        return f"{last} zufolge schützt diese Partnerschaft die beiden Völker."
    return f"„{QUOTE}“, sagte {last} nach der Unterzeichnung."


def story_corpus(n_stories: int = 4, *, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The corpus (``doc_id, outlet, story, date, title, text``) and the facts table
    (``doc_id, fact, sentence_id``: the sentence of each fact in each article, numbered as the
    article's sentences — one sentence per line, so numbering follows the lines).

    Examples
    --------
    >>> corpus, facts = story_corpus(2)
    >>> len(corpus), sorted(corpus["outlet"].unique()) == sorted(OUTLETS), len(facts)
    (6, True, 30)
    """
    rng = random.Random(seed)
    rows, facts = [], []
    fillers = list(FILLERS)
    rng.shuffle(fillers)
    filler_pool = iter(fillers * (1 + 2 * n_stories * len(OUTLETS) // len(FILLERS)))
    for s in range(n_stories):
        first, last = PERSONS[s % len(PERSONS)]
        guest_first, guest_last = GUESTS[s % len(GUESTS)]
        values = {"first": first, "last": last, "guest_first": guest_first, "guest_last": guest_last,
                  "city": CITIES[s % len(CITIES)], "day": 3 + 3 * s, "n": 100 + 37 * s, "years": 11 + s}
        for o, outlet in enumerate(OUTLETS):
            words = WORDING[outlet]
            filled = dict(values, **words, wertung_space=(words["wertung"] + " ") if words["wertung"] else "",
                          quote_sentence=_quote_sentence(outlet, last))
            sentences = [(name, FACTS[name].format(**filled)) for name in FACTS]
            rng.shuffle(sentences)
            for _ in range(2):
                sentences.insert(rng.randrange(len(sentences) + 1), ("", next(filler_pool)))
            doc_id = f"s{s:02d}-{o}"
            rows.append({"doc_id": doc_id, "outlet": outlet, "story": f"ereignis-{s:02d}",
                         "date": f"2024-05-{values['day']:02d}", "title": f"Besuch in {values['city']}",
                         "text": "\n".join(text for _, text in sentences)})
            facts += [(doc_id, name, k) for k, (name, _) in enumerate(sentences) if name]
    return pd.DataFrame(rows), pd.DataFrame(facts, columns=["doc_id", "fact", "sentence_id"])


def planted_substitutions() -> pd.DataFrame:
    """The word substitutions planted between each pair of outlets (outlet_a sorts first):
    ``outlet_a, term_a, outlet_b, term_b, fact`` with the terms as lower-case lemmas of the
    content words (the keys the substitution table counts)."""
    rows = []
    for a in sorted(OUTLETS):
        for b in sorted(OUTLETS):
            if a >= b:
                continue
            for slot, fact in (("abkommen", "abkommen"), ("auto", "geschenk"), ("geben", "geschenk")):
                if WORDING[a][slot] != WORDING[b][slot]:
                    term_a, term_b = (LEMMAS.get(w, w.lower()) for w in (WORDING[a][slot], WORDING[b][slot]))
                    rows.append((a, term_a, b, term_b, fact))
    return pd.DataFrame(rows, columns=["outlet_a", "term_a", "outlet_b", "term_b", "fact"])


def write_stories(path, n_stories: int = 4, *, seed: int = 0):
    """Write the corpus of :func:`story_corpus` as a CSV file and return its path."""
    story_corpus(n_stories, seed=seed)[0].to_csv(path, index=False)
    return path
