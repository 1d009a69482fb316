"""Framing devices: who is named and how, which frames, whose words.

* :mod:`analysis.framing.entities` — the entity registry and its mentions;
* :mod:`analysis.framing.labels` — actor labels ("Diktator", "Kremlchef") attributed to persons;
* :mod:`analysis.framing.dictionary` — frame dictionaries with glob and multi-word patterns;
* :mod:`analysis.framing.frames` — dictionary matches and frame rates;
* :mod:`analysis.framing.reporting` — the source registry (agencies, media, reporting verbs)
  and the per-document token view the quotation and source rules read;
* :mod:`analysis.framing.quotes` — quotations, their cues and speakers;
* :mod:`analysis.framing.sources` — agencies and media named, credit lines, reporting verbs.
"""
