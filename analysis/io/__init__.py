"""Sources → corpus: reading files and tables, encodings, the ingest ledger.

* :mod:`analysis.io.corpus` — :func:`~analysis.io.corpus.load_corpus`: a folder of text files
  or a table (CSV, TSV, JSON lines, Parquet, Excel) into a validated documents table and a
  ledger row per input record;
* :mod:`analysis.io.records` — the records every reader returns and the text preparation
  they share; :mod:`analysis.io.table_files` — CSV/TSV read strictly, JSON, JSON lines,
  Parquet and Excel; :mod:`analysis.io.folders` — folders of text and HTML files, every
  entry accounted for; :mod:`analysis.io.html` — article text from HTML;
* :mod:`analysis.io.dates` — dates in the forms German sources write them;
  :mod:`analysis.io.language` — the language of a text; :mod:`analysis.io.duplicates` —
  exact copies and near-duplicates (MinHash);
* :mod:`analysis.io.encoding` — decoding bytes and repairing mis-decoded text (mojibake);
* :mod:`analysis.io.tables` — the checks every function runs on the tables it is given;
* :mod:`analysis.io.lexicon_files` — reading the YAML lexicons in ``data/lexicons``;
* :mod:`analysis.io.writing` — tables and files written atomically.
"""
