"""Sources → corpus: reading files and tables, encodings, the ingest ledger.

* :mod:`analysis.io.corpus` — :func:`~analysis.io.corpus.load_corpus`: a folder of text files
  or a table (CSV, TSV, JSON lines, Parquet, Excel) into a validated documents table and a
  ledger row per input record;
* :mod:`analysis.io.encoding` — decoding bytes and repairing mis-decoded text (mojibake);
* :mod:`analysis.io.tables` — the checks every function runs on the tables it is given;
* :mod:`analysis.io.lexicon_files` — reading the YAML lexicons in ``data/lexicons``.
"""
