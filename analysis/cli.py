"""Command line: ``python -m analysis <command>``.

Each command does what the notebooks do, for scripts and for figure export. Errors in the
input are printed as one line (``error: file, row N, column 'x': what is wrong — what to do``)
with exit status 2; ``--debug`` shows the full traceback instead. A wrong option (``--top 0``,
an unknown ``--measure``) is such an error too, checked before the corpus is read.

Everything printed to the terminal passes through :func:`terminal_text`: control characters
from the corpus (an outlet called ``"\x1b[31mRot\x1b[0m"``) are shown escaped, never sent to
the terminal as escape codes. Tables written to standard output (``--out`` left out) are
data and are written as they are.
"""

from __future__ import annotations

import argparse
import ast
import math
import os
import re
import sys
import time
from pathlib import Path

from . import __version__
from .errors import AnalysisError, ParameterError

DESCRIPTION = """\
Media-framing analysis for German news text: how do outlets word the same story?

Every command reads a corpus — a folder of .txt files with a metadata.csv, or a .csv,
.jsonl, .json or .parquet table with at least the columns doc_id and text (outlet, date
and title are optional) — cleans it, and writes tables and figures. Without --corpus the
bundled corpus is used (two German articles on the June 2024 Putin–Kim summit).
"""

EPILOG = """\
examples:
  python -m analysis figures                        every figure for the bundled corpus
  python -m analysis figures --corpus my.csv --out figs --formats png
  python -m analysis tfidf --variant tidytext --top 20 --out tfidf.csv
  python -m analysis keyness --target CNN-based --measure g2 --top 15 --out keyness.csv
  python -m analysis frequency --top 20 --out frequency.csv
  python -m analysis kwic "Diktator*" "beste* Freund*" --window 6
  python -m analysis dispersion "Diktator*" "Machthaber" --out dispersion.csv
  python -m analysis collocations Putin Kim --per-group --top 10
  python -m analysis corpus --corpus my_folder --out tables/
  python -m analysis duplicates --corpus my.csv --out duplicates.csv
  python -m analysis report --corpus my.csv --out my_report     then open my_report/index.html

run 'python -m analysis COMMAND --help' for the options of one command.
"""


def _add_corpus_options(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a --debug given before the command is not reset by the command's own default.
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback on errors")
    group = parser.add_argument_group("corpus")
    group.add_argument("--corpus", metavar="PATH", help="corpus folder or table file (default: the bundled corpus)")
    group.add_argument("--text-column", default="text", metavar="NAME", help="column holding the text (default: text)")
    group.add_argument("--id-column", default="doc_id", metavar="NAME", help="column holding the document id (default: doc_id)")
    group.add_argument("--group", default="outlet", metavar="COLUMN", help="column to compare groups by (default: outlet)")
    group.add_argument("--where", metavar="EXPR", help="keep the documents matching a pandas query on the documents table, e.g. \"event == 'gipfel'\" or \"date >= '2024-06-19'\" (comparisons, and/or/not and a few column methods such as str.contains with a literal text; no other calls)")
    group.add_argument("--by", default="lemma", choices=("lemma", "token", "stem"), help="count lemmas, tokens or stems (default: lemma)")
    group.add_argument("--strict", action="store_true", help="stop at the first excluded record instead of recording it in the ledger")
    group.add_argument("--lenient", action="store_true", help="a table with broken structure (unbalanced quotes, wrong field counts): exclude the affected records instead of stopping")
    group.add_argument("--recursive", action="store_true", help="read the files in subfolders of a folder corpus too")
    group.add_argument("--drop-near-duplicates", action="store_true", help="exclude near-duplicates of an earlier article of the same outlet instead of only marking them")
    group.add_argument("--other-languages", default="exclude", choices=("exclude", "keep"), help="texts identified as not German: exclude them (default) or keep them with their language recorded")
    run = parser.add_argument_group("preparation")
    run.add_argument("--jobs", type=_positive_int, metavar="N", help="worker processes for preparing the corpus (default: every core)")
    run.add_argument("--scheduler", default="processes", type=_scheduler, metavar="NAME",
                     help="processes (default), dask (a local Dask cluster) or dask=ADDRESS (an existing one; needs the dask extra)")
    run.add_argument("--cache-dir", metavar="DIR", help="cache of prepared corpora (default: $XDG_CACHE_HOME/framing-analysis)")
    run.add_argument("--no-cache", action="store_true", help="prepare the corpus again and do not write it to the cache")
    run.add_argument("--quiet", action="store_true", help="no progress bars")


def _whole_number(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected a number ≥ {minimum}, got {value}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1)


def _non_negative_int(text: str) -> int:
    return _whole_number(text, 0)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive finite number, got {text!r}")
    return value


def _scheduler(text: str) -> str:
    name, equals, address = text.partition("=")
    if name not in ("processes", "dask") or (equals and (name != "dask" or not address.strip())):
        raise argparse.ArgumentTypeError(f"unknown scheduler {text!r} (use processes, dask or dask=tcp://HOST:PORT)")
    return text


class _UsageError(Exception):
    """A command-line option argparse refused; main() prints it as one line."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and an exit status, not a usage text."""

    def error(self, message: str):
        raise _UsageError(f"{self.prog}: {message} — run '{self.prog} --help' for the options")


# Control characters (C0 but tab and line feed, DEL, C1) and the bidirectional controls that
# reorder what a terminal shows ("Trojan source"): escaped in everything printed.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text, *, one_line: bool = False) -> str:
    """``text`` with its control characters escaped, safe to print to a terminal.

    Escape codes, carriage returns and bidirectional controls from the corpus (outlet names,
    titles, file names) would otherwise recolour the terminal, overwrite the line or reorder
    it; they are shown as ``\\x1b``, ``\\u202e`` and so on. Line breaks and tabs are kept,
    unless ``one_line`` (error messages), which escapes them too.

    Examples
    --------
    >>> terminal_text("\\x1b[31mRot\\x1b[0m")
    '\\\\x1b[31mRot\\\\x1b[0m'
    >>> print(terminal_text("Zeile 1\\nZeile 2\\r", one_line=True))
    Zeile 1\\x0aZeile 2\\x0d
    """
    pattern = _UNPRINTABLE_LINE if one_line else _UNPRINTABLE
    return pattern.sub(_escape, str(text))


def _say(text, *, file=None, one_line: bool = False) -> None:
    """Print ``text`` (standard output unless ``file``) with control characters escaped."""
    print(terminal_text(text, one_line=one_line), file=sys.stdout if file is None else file)


def _note(text) -> None:
    """A message for the user on standard error (notes, progress, files written)."""
    _say(text, file=sys.stderr)


#: Methods and attributes --where may use, and where (see _check_where).
_WHERE_STR_METHODS = frozenset({"contains", "startswith", "endswith", "len", "lower", "upper", "strip", "casefold"})
_WHERE_DT_ATTRIBUTES = frozenset({"year", "month", "day", "quarter", "dayofweek", "weekday", "dayofyear", "hour"})
_WHERE_METHODS = frozenset({"isna", "notna", "isnull", "notnull", "between", "isin"})
_WHERE_NODES = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Invert, ast.USub, ast.UAdd,
    ast.BinOp, ast.BitAnd, ast.BitOr, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod, ast.FloorDiv,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
    ast.Name, ast.Load, ast.Constant, ast.List, ast.Tuple, ast.Attribute, ast.Call, ast.keyword,
)
_REGEX_SPECIALS = re.compile(r"[.^$*+?{}\[\]\\|()]")
_WHERE_HINT = ("compare columns with values (==, !=, <, >=, in [...]), combine with and/or/not, and use only "
               "column.str.contains/startswith/endswith/len/lower/upper/strip, column.dt.year/month/day/..., "
               "column.isna()/notna()/between()/isin(); e.g. \"outlet == 'Tagesblatt' and date >= '2024-06-19'\"")


def _check_where(query: str) -> None:
    """Refuse a --where expression that could do more than select rows.

    pandas evaluates a query with method calls on the columns: ``title.to_csv('x')`` would
    write a file, and ``title.str.contains('(a|aa)+$')`` runs a regular expression that
    cannot be stopped. Allowed are comparisons, and/or/not, arithmetic, literal values, the
    column methods of :data:`_WHERE_HINT`, and ``str.contains`` with a literal text (or
    ``regex=False``). ``@variable`` is refused; backquoted column names are fine.
    """
    def refuse(what: str):
        raise ParameterError(f"--where {query!r}: {what} is not allowed", hint=_WHERE_HINT)

    # Backquoted names become plain names; "@" outside a string literal is refused.
    source, quote, i, names = [], None, 0, 0
    while i < len(query):
        ch = query[i]
        if quote:
            source.append(ch)
            if ch == "\\" and i + 1 < len(query):
                source.append(query[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            source.append(ch)
        elif ch == "`":
            end = query.find("`", i + 1)
            if end < 0:
                raise ParameterError(f"--where {query!r}: a backquoted column name is not closed", hint=_WHERE_HINT)
            source.append(f" column{names} ")
            names += 1
            i = end
        elif ch == "@":
            refuse("'@' (a Python variable)")
        else:
            source.append(ch)
        i += 1
    try:
        tree = ast.parse("".join(source).strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return  # not Python syntax: pandas reports what it cannot read

    def constant(node) -> bool:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            node = node.operand
        if isinstance(node, (ast.List, ast.Tuple)):
            return all(constant(item) for item in node.elts)
        return isinstance(node, ast.Constant)

    def column(node) -> bool:
        return isinstance(node, ast.Name) and not node.id.startswith("_")

    for node in ast.walk(tree):
        if not isinstance(node, _WHERE_NODES):
            refuse(f"'{type(node).__name__}'")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            refuse(f"the name {node.id!r}")
        if isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                refuse(f"the attribute {node.attr!r}")
            if node.attr in ("str", "dt") and column(node.value):
                continue  # checked with the method or attribute read from it
            if isinstance(node.value, ast.Attribute) and column(node.value.value):
                accessor = node.value.attr
                allowed = _WHERE_STR_METHODS if accessor == "str" else _WHERE_DT_ATTRIBUTES if accessor == "dt" else ()
                if node.attr in allowed:
                    continue
            elif column(node.value) and node.attr in _WHERE_METHODS:
                continue
            refuse(f"'.{node.attr}'")
        if isinstance(node, ast.Call):
            func = node.func
            if not isinstance(func, ast.Attribute) or isinstance(func.value, ast.Attribute) and func.value.attr == "dt":
                refuse("calling " + (f"'{func.id}'" if isinstance(func, ast.Name) else "this"))
            if not all(constant(arg) for arg in node.args) or not all(constant(k.value) for k in node.keywords):
                refuse("a computed argument")
            if func.attr == "contains" and isinstance(func.value, ast.Attribute) and func.value.attr == "str":
                literal = any(k.arg == "regex" and isinstance(k.value, ast.Constant) and k.value.value is False
                              for k in node.keywords)
                pattern = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "pat"), None)
                if not literal and isinstance(pattern, ast.Constant) and _REGEX_SPECIALS.search(str(pattern.value)):
                    raise ParameterError(
                        f"--where {query!r}: str.contains reads {pattern.value!r} as a regular expression, which "
                        "pandas runs without a time limit",
                        hint="add regex=False to search for the text as it is, or filter with kwic --valuetype regex")


def _add_command(commands, name: str, func, *, out_help: str = "output file (default: standard output)",
                 out_default: str | None = None, out_metavar: str = "FILE.csv", **parser_kw) -> argparse.ArgumentParser:
    """A subcommand that reads a corpus and writes to --out; returns its parser for further options."""
    parser = commands.add_parser(name, **parser_kw)
    _add_corpus_options(parser)
    parser.add_argument("--out", default=out_default, metavar=out_metavar, help=out_help)
    parser.set_defaults(func=func)
    return parser


def _prepare(args):
    from .pipeline import prepare_corpus

    if args.where is not None:
        _check_where(args.where)
    prepared = prepare_corpus(
        args.corpus,
        group=args.group,
        by=args.by,
        strict=args.strict,
        entities=getattr(args, "registry", None) or True,
        jobs=args.jobs,
        scheduler=args.scheduler,
        cache=not args.no_cache,
        cache_dir=args.cache_dir,
        quiet=args.quiet,
        text_column=args.text_column,
        id_column=args.id_column,
        where=args.where,
        **_load_options(args),
    )
    args.prepared = prepared  # for the summary line main() prints at the end
    return prepared


def _load_options(args) -> dict:
    """The loading options that differ from their defaults (the cache key stays as before)."""
    chosen = {"lenient": args.lenient, "recursive": args.recursive,
              "drop_near_duplicates": args.drop_near_duplicates, "other_languages": args.other_languages}
    defaults = {"lenient": False, "recursive": False, "drop_near_duplicates": False, "other_languages": "exclude"}
    return {name: value for name, value in chosen.items() if value != defaults[name]}


def write_csv(table, target) -> None:
    """:func:`analysis.io.writing.write_csv`, imported when first needed (``--help`` stays quick)."""
    from .io.writing import write_csv as write

    write(table, target)


def _write_params(args, argv, prepared) -> None:
    """The ``params.json`` sidecar of every file or folder the command wrote (see
    :mod:`analysis.provenance`)."""
    from .provenance import run_parameters, without_outputs, write_params

    outs = [getattr(args, "out", None)]
    if getattr(args, "tables", None) and args.tables != args.out:
        outs.append(args.tables)  # figures: its tables folder too
    outs = [out for out in outs if out not in (None, "-") and Path(out).exists()]
    if not outs or (prepared is None and getattr(args, "corpus", None) is None and args.command != "notebooks"):
        return
    # The sidecar names its output relative to itself (no path of this machine; the same bytes
    # wherever the output is written): the file beside it, or the folder it is in.
    params = without_outputs(run_parameters(args, argv, prepared))
    for out in outs:
        write_params(out, {**params, "output": "." if Path(out).is_dir() else Path(out).name})


def _rerun(argv) -> int:
    """``python -m analysis rerun FILE.params.json [--out PATH]``: the command again, with the
    options recorded in the file (defaults included), on an input with the recorded hash."""
    from .provenance import read_params
    from .store.cache import content_hash

    rerun = argparse.ArgumentParser(prog="python -m analysis rerun",
                                    description="Run a command again from the params.json written beside its output.")
    rerun.add_argument("params", metavar="FILE.params.json")
    rerun.add_argument("--out", metavar="PATH", help="write here instead of the recorded --out")
    try:
        chosen = rerun.parse_args(argv)
        params = read_params(chosen.params)
        recorded = params["input"] or {}
        corpus = params["options"].get("corpus")
        if recorded.get("bundled"):
            from .io.corpus import bundled_corpus_path

            if content_hash(bundled_corpus_path()) != recorded.get("sha256"):
                raise ParameterError("the bundled corpus differs from the one the table was made from",
                                     hint="use the suite's version named in the params file")
        elif recorded.get("sha256") and corpus is not None:
            if not Path(corpus).exists():
                raise ParameterError(f"the recorded input {corpus} does not exist here",
                                     hint="run from the folder the command was run in, or restore the input")
            if content_hash(corpus) != recorded["sha256"]:
                raise ParameterError(f"the input {corpus} has changed since the table was written (its SHA-256 differs)",
                                     hint="restore the original input to reproduce the table")
        parser = build_parser()
        args = parser.parse_args([params["command"]])
        for name, value in params["options"].items():
            setattr(args, name, value)
        # Where to write: --out, else where the recorded output is (beside the params file).
        beside = Path(chosen.params).parent / params.get("output", ".")
        args.out = chosen.out if chosen.out is not None else str(beside)
        if hasattr(args, "tables"):
            args.tables = args.out
    except AnalysisError as error:
        _say(f"error: {error}", file=sys.stderr, one_line=True)
        return 2
    args.debug = False
    from .store.cache import environment_versions

    if params.get("versions") != environment_versions():
        changed = sorted(k for k, v in environment_versions().items() if (params.get("versions") or {}).get(k) != v)
        _note(f"note: {', '.join(changed)} differ from the run that wrote {chosen.params}; the table may differ")
    return _run(args, [params["command"], *params.get("argv", [])[1:]])


def _write_table(table, out: str | None, ledger=None) -> None:
    """Write ``table`` to ``out`` (standard output for None or "-").

    With a file, the ingest ledger goes beside it as ``<name>.ledger.csv``, so every result says
    which documents it rests on.
    """
    if out in (None, "-"):
        write_csv(table, sys.stdout)
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(table, path)
    message = f"wrote {path} ({len(table)} rows)"
    if ledger is not None:
        ledger_path = path.with_name(f"{path.stem}.ledger.csv")
        write_csv(ledger, ledger_path)
        message += f" and its ingest ledger {ledger_path.name}"
    _note(message)


def _cmd_figures(args) -> int:
    from .report.figures import REGISTRY, FigureOptions, render_figures
    from .plots.style import parse_formats

    if args.list:
        for spec in REGISTRY.values():
            _say(f"{spec.id:28s} {spec.description}")
        return 0
    formats = parse_formats(args.formats)
    unknown = sorted(set(args.only or []) - set(REGISTRY))
    if unknown:  # before the corpus is read
        raise ParameterError(f"--only: unknown figure id {', '.join(unknown)}",
                             hint=f"known ids: {', '.join(sorted(REGISTRY))} (see --list)")
    prepared = _prepare(args)
    out = Path(args.out)
    tables = Path(args.tables) if args.tables else out
    options = FigureOptions(registry=args.registry, labels=args.labels, dictionary=args.dictionary,
                            doc_ids=tuple(args.doc_ids) if args.doc_ids else None, n_boot=args.n_boot, seed=args.seed)
    from .provenance import run_parameters, without_outputs

    # Without --out and --tables: the same figures wherever they are written.
    provenance = without_outputs(run_parameters(args, getattr(args, "argv", None) or ["figures"], prepared))
    manifest = render_figures(prepared, out, formats=formats, tables_dir=tables, only=args.only, options=options,
                              provenance=provenance)
    tables.mkdir(parents=True, exist_ok=True)
    write_csv(prepared.ledger, tables / "ledger.csv")
    write_csv(prepared.audit, tables / "cleaning_audit.csv")
    drawn = manifest[manifest["skipped"] == ""]
    n_files = sum(len(files.split(";")) for files in drawn["files"])
    _say(f"wrote {len(drawn)} figures ({n_files} files) to {out}; tables, ledger and audit to {tables}")
    for row in manifest[manifest["skipped"] != ""].itertuples():
        _say(f"skipped {row.id}: {row.skipped}")
    return 0


def _cmd_notebooks(args) -> int:
    from .report.notebooks import parse_assignments, run_notebooks

    results = run_notebooks(args.corpus, out_dir=args.out, group=args.group, parameters=parse_assignments(args.param),
                            only=args.only, timeout=args.timeout)
    for row in results.itertuples():
        state = f"failed — {row.error}" if row.error else f"{row.images} figures"
        _say(f"{row.notebook}: {state} ({row.seconds:.0f} s) → {row.output}")
    failed = results[results["error"] != ""]
    if len(failed):
        _say(f"error: {len(failed)} of {len(results)} notebooks stopped with an error; open the executed copies "
             "to see the cell", file=sys.stderr, one_line=True)
        return 1
    return 0


def _cmd_tfidf(args) -> int:
    from .stats.tfidf import tfidf

    prepared = _prepare(args)
    counts = prepared.group_counts if args.level == "group" else prepared.doc_counts
    _write_table(tfidf(counts, variant=args.variant, top=args.top), args.out, prepared.ledger)
    return 0


def _cmd_frequency(args) -> int:
    from .stats.frequency import term_frequency

    prepared = _prepare(args)
    table = term_frequency(prepared.doc_counts, prepared.metadata, group=None if args.overall else prepared.group,
                           min_count=args.min_count, top=args.top)
    _write_table(table, args.out, prepared.ledger)
    return 0


def _cmd_dispersion(args) -> int:
    from .stats.dispersion import dispersion

    prepared = _prepare(args)
    table = dispersion(prepared.documents, args.pattern, tokens=prepared.store, valuetype=args.valuetype,
                       group=prepared.group, level=args.level)
    _write_table(table, args.out, prepared.ledger)
    return 0


def _cmd_collocations(args) -> int:
    import pandas as pd

    from .stats.collocations import collocates

    prepared = _prepare(args)
    options = dict(tokens=prepared.store, window=args.window, by=args.by, valuetype=args.valuetype,
                   min_count=args.min_count, measures=tuple(args.measure), keep_stopwords=args.keep_stopwords)
    metadata = prepared.metadata
    if args.per_group:
        parts = []
        for value in sorted(metadata[prepared.group].astype(str).unique()):
            part = collocates(metadata[metadata[prepared.group].astype(str) == value], args.node, **options)
            part.insert(0, prepared.group, value)
            parts.append(part)
        table = pd.concat(parts, ignore_index=True)
        keys = [prepared.group, "node"]
    else:
        table = collocates(metadata, args.node, **options)
        keys = ["node"]
    if args.top is not None:
        table = table[table.groupby(keys, sort=False).cumcount() < args.top]
    _write_table(table.reset_index(drop=True), args.out, prepared.ledger)
    return 0


def _cmd_keyness(args) -> int:
    from .stats.keyness import adjust_fdr, keyness, keyness_all, top_of_each_side

    prepared = _prepare(args)
    counts = prepared.group_counts
    _check_keyness_groups(args, prepared)
    options = dict(measure=args.measure, min_count=args.min_count, correction=args.correction)
    if args.alpha0 is not None:
        options["alpha0"] = args.alpha0
    if args.reference == "general":
        import pandas as pd

        from .stats.background import NOMINAL_TOTAL, general_german

        if args.within is not None:
            from .errors import ParameterError

            raise ParameterError("--within compares outlets with each other, not with general German",
                                 hint="drop --within, or give --reference rest or an outlet")
        background = general_german(prepared.store.vocabulary, by=prepared.by)
        targets = [args.target] if args.target is not None else list(counts.rows)
        table = pd.concat([keyness(counts, target, reference="background", background=background,
                                   background_total=NOMINAL_TOTAL, **options) for target in targets],
                          ignore_index=True)
        table["reference"] = "general German"
        if args.measure != "logratio":
            _note("note: the frequency list's corpus size is nominal, so p-values against general German are not "
                  "meaningful; --measure logratio gives the effect size alone")
    elif args.within is not None:
        import pandas as pd

        from .errors import ParameterError
        from .stats.keyness import keyness_within

        if args.reference == "pairs":
            raise ParameterError("--within compares a target with the rest or with one outlet, not all pairs",
                                 hint="drop --reference pairs, or give --reference OUTLET")
        targets = [args.target] if args.target is not None else list(counts.rows)
        parts = []
        for target in targets:
            part = keyness_within(prepared.doc_counts, prepared.metadata, target, within=args.within,
                                  group=prepared.group, reference=args.reference, combine=args.combine,
                                  **options)
            for skipped in part.attrs.get("skipped", []):
                _note(f"note: {args.within} {skipped!r} has no {target!r} or no reference: left out")
            parts.append(part)
        table = pd.concat(parts, ignore_index=True)
    elif args.target is None:
        scheme = "pairwise" if args.reference == "pairs" else "one-vs-rest"
        table = keyness_all(counts, scheme=scheme, ordered=scheme == "pairwise", **options)
    else:
        reference = "rest" if args.reference in (None, "rest") else args.reference
        table = keyness(counts, args.target, reference=reference, **options)
    # q over every test of the table (--fdr family) or per comparison (--fdr table), before
    # --top keeps a few rows: the adjustment counts every test that was made.
    strata = [args.within] if args.within is not None and args.combine == "list" else []
    table = adjust_fdr(table, args.fdr, by=["target", "reference", *strata])
    if args.top is not None:
        table = top_of_each_side(table, args.top, within=args.within if args.within and args.combine == "list" else None)
    _write_table(table.reset_index(drop=True), args.out, prepared.ledger)
    return 0


def _check_keyness_groups(args, prepared) -> None:
    """--target and --reference name groups of the corpus (or rest, pairs, general)."""
    groups = [str(g) for g in prepared.group_counts.rows]
    shown = ", ".join(groups[:20]) + (", …" if len(groups) > 20 else "")
    if args.target is not None and args.target not in groups:
        raise ParameterError(f"--target {args.target!r} is not a value of {prepared.group} in the corpus",
                             hint=f"{prepared.group} values are: {shown}")
    if args.reference in ("rest", "pairs", "general"):
        if args.reference == "pairs" and args.target is not None:
            raise ParameterError("--reference pairs compares every pair of groups, not one --target",
                                 hint="drop --target, or give --reference rest or an outlet")
        return
    if args.reference not in groups:
        raise ParameterError(f"--reference {args.reference!r} is neither rest, pairs, general nor a value of "
                             f"{prepared.group} in the corpus", hint=f"{prepared.group} values are: {shown}")
    if args.target is None:
        raise ParameterError(f"--reference {args.reference!r} compares one --target with that {prepared.group}",
                             hint="give --target as well, or --reference rest (every group against the others)")
    if args.target == args.reference:
        raise ParameterError(f"--target and --reference are both {args.target!r}",
                             hint=f"compare two different {prepared.group}s")


def _cmd_kwic(args) -> int:
    from .stats.kwic import format_kwic, kwic

    prepared = _prepare(args)
    table = kwic(
        prepared.documents,
        args.pattern,
        tokens=prepared.store,
        valuetype=args.valuetype,
        window=args.window,
        context=args.context,
        group=args.group,
    )
    if args.out:
        _write_table(table, args.out, prepared.ledger)
    else:
        _say(format_kwic(table) if len(table) else f"no match for {' | '.join(args.pattern)}")
    return 0


def _cmd_labels(args) -> int:
    import pandas as pd

    from .framing.labels import attribute_labels_in_parts, label_shares
    from .report.choices import starter_labels

    prepared = _prepare(args)  # its mentions are those of args.registry
    attributions, unattributed = attribute_labels_in_parts(
        prepared, prepared.registry, starter_labels(prepared, args.labels), store=prepared.store,
        mentions=prepared.mentions, jobs=prepared.jobs)
    if args.level == "shares":
        table = label_shares(attributions, prepared.metadata, group=args.group)
        if table.empty:
            persons = int((prepared.mentions["type"] == "person").sum()) if len(prepared.mentions) else 0
            _note(f"note: no label was attributed to a person: {persons} mentions of the registry's persons, "
                  f"{len(attributions) + len(unattributed)} label occurrences ({len(unattributed)} unattributed). "
                  + ("The persons were found in the text (no --registry given). " if prepared.registry_found else "")
                  + "Give a registry and a label lexicon that fit the corpus with --registry and --labels (see "
                  "data/lexicons/*.yml for the format).")
    else:
        # Occurrences nobody could be attributed to stay in the table, with rule "unattributed".
        table = pd.concat(
            [attributions, unattributed.drop(columns="sentence", errors="ignore").assign(person="", rule="unattributed")],
            ignore_index=True,
        ).sort_values(["doc_id", "start", "person"], kind="stable")
        table = _with_group(table, prepared, args.group)
    _write_table(table.reset_index(drop=True), args.out, prepared.ledger)
    return 0


def _cmd_frames(args) -> int:
    from .framing.frames import frame_rates, match_dictionary_in_parts
    from .report.choices import starter_dictionary

    prepared = _prepare(args)
    dictionary = starter_dictionary(prepared, args.dictionary)
    matches = match_dictionary_in_parts(prepared, dictionary, store=prepared.store)
    if args.level == "matches":
        table = matches
    else:
        table = frame_rates(matches, prepared.metadata, prepared.store, group=args.group)
    _write_table(table, args.out, prepared.ledger)
    return 0


def _with_group(table, prepared, group):
    """The table with the group of each row's document inserted after ``doc_id``."""
    table = table.copy()
    table.insert(1, group, table["doc_id"].map(prepared.metadata.set_index("doc_id")[group]))
    return table


def _cmd_quotes(args) -> int:
    from .framing.quotes import quotation_summary

    prepared = _prepare(args)
    quotes = prepared.quotations
    if args.level == "summary":
        table = quotation_summary(quotes, prepared.metadata, group=args.group, tokens=prepared.store)
    else:
        table = _with_group(quotes, prepared, args.group)
    _write_table(table, args.out, prepared.ledger)
    return 0


def _cmd_sources(args) -> int:
    from .framing.sources import find_reporting_verbs, find_sources_in_parts, reporting_verb_summary, source_summary
    from .store.executor import concat_parts

    prepared = _prepare(args)
    if args.verbs:
        found = concat_parts(prepared.map_documents(find_reporting_verbs, tokens=prepared.store))
        if args.level == "summary":
            found = reporting_verb_summary(found, prepared.metadata, group=args.group, tokens=prepared.store)
    else:
        found = find_sources_in_parts(prepared, audit=prepared.audit)
        if args.level == "summary":
            found = source_summary(found, prepared.metadata, group=args.group)
    _write_table(found if args.level == "summary" else _with_group(found, prepared, args.group), args.out, prepared.ledger)
    return 0


def _cmd_sentiment(args) -> int:
    from .sentiment import load_lexicon, score_documents, score_persons, score_sentences, score_tokens

    prepared = _prepare(args)
    lexicon = load_lexicon(args.lexicon)
    # --model trained (default): the shipped model; --model lexicon: the lexicon scorer; else a model file.
    model = "lexicon" if args.model == "lexicon" else args.model
    chosen = {"model": model} if model != "lexicon" else {"model": "lexicon", "lexicon": lexicon}
    if args.level == "token":
        table = score_tokens(prepared.store, lexicon)  # the lexicon contributions, the evidence the model reads too
    elif args.level == "sentence":
        table = score_sentences(prepared.store, **chosen)
    elif args.level == "person":
        mentions = prepared.mentions  # of the registry given with --registry (the default one otherwise)
        table = score_persons(prepared.store, mentions=mentions[mentions["type"] == "person"], **chosen)
    else:
        table = score_documents(prepared.store, **chosen)
    coverage = table.attrs.get("coverage")
    if coverage is not None:
        _note(f"lexicon coverage: {coverage:.1%} of words matched")
    _write_table(_with_group(table, prepared, args.group), args.out, prepared.ledger)
    return 0


def _cmd_corpus(args) -> int:
    from .io.corpus import summarise_ledger
    from .io.writing import atomic_target, write_csv_bytes

    prepared = _prepare(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # Slice by slice: the texts of a large corpus are never all in memory at once. Each file
    # is written beside its name and renamed when complete: an interrupted run leaves no half table.
    with atomic_target(out / "documents.csv") as temporary, open(temporary, "wb") as handle:
        for number, part in enumerate(prepared.iter_documents()):
            handle.write(write_csv_bytes(part, header=number == 0))
    write_csv(prepared.ledger, out / "ledger.csv")
    write_csv(prepared.audit, out / "cleaning_audit.csv")
    tokens = f"tokens.{args.tokens_format}"
    with atomic_target(out / tokens) as temporary:
        prepared.store.write_tokens(temporary, format=args.tokens_format)
    _say(summarise_ledger(prepared.ledger).to_string(index=False))
    _say(f"wrote documents.csv, ledger.csv, cleaning_audit.csv and {tokens} to {out}")
    return 0


def _report_limits(args):
    """The report's bounds from the command line, checked before the corpus is read."""
    from .report.site import SiteLimits

    chosen = {"terms": args.terms, "kwic_lines": args.kwic_lines, "articles": args.articles, "window": args.window}
    return SiteLimits(**{name: value for name, value in chosen.items() if value is not None})


def _cmd_report(args) -> int:
    from .report.figures import FigureOptions
    from .report.site import write_report
    from .report.site.build import check_out_dir

    limits = _report_limits(args)
    out = check_out_dir(args.out)
    prepared = _prepare(args)
    options = FigureOptions(registry=args.registry, labels=args.labels, dictionary=args.dictionary)
    result = write_report(prepared, out, options=options, limits=limits)
    omitted = result["omitted"]
    _say(f"wrote {result['path']} ({result['bytes'] / 1e6:.1f} MB): {omitted['terms_used'] - omitted['terms']:,} of "
         f"{omitted['terms_used']:,} terms, {omitted['articles']:,} articles embedded; open it in a browser (it "
         "needs no network)")
    return 0


def _cmd_align(args) -> int:
    from .align.run import align_corpus
    from .align.tables import article_table, evaluative_table, label_table, substitution_table

    prepared = _prepare(args)
    result = align_corpus(prepared, story=args.story, labels=args.labels)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tables = {"stories": result.stories, "pairs": result.pairs, "changes": result.changes,
              "substitutions": substitution_table(result.changes), "labels": label_table(result.changes),
              "evaluative": evaluative_table(result.changes), "articles": article_table(result)}
    for name, table in tables.items():
        write_csv(table, out / f"{name}.csv")
    write_csv(prepared.ledger, out / "ledger.csv")
    aligned = result.stories[result.stories["n_outlets"] > 1]["story"].nunique()
    _say(f"{result.stories['story'].nunique():,} stories ({aligned:,} with two or more {prepared.group}s), "
         f"{len(result.pairs):,} aligned sentence pairs ({int(result.pairs['shared'].astype(bool).sum()):,} shared copy), "
         f"{len(tables['substitutions']):,} substitutions; wrote {', '.join(f'{n}.csv' for n in tables)} and "
         f"ledger.csv to {out}")
    return 0


def _cmd_duplicates(args) -> int:
    from .io.duplicates import duplicate_pairs

    prepared = _prepare(args)
    metadata = prepared.metadata
    # Exact copies are read from shared_text; only near-duplicates need their texts (as loaded),
    # read slice by slice from the cache.
    near = set(metadata.loc[metadata["near_duplicate"].astype(str) != "", "doc_id"].astype(str))
    texts = {}
    if near:
        for part in prepared.iter_documents():
            chosen = part[part["doc_id"].astype(str).isin(near)]
            column = "raw_text" if "raw_text" in chosen.columns else "text"
            texts.update(zip(chosen["doc_id"].astype(str), chosen[column]))
    documents = metadata[["doc_id", "outlet", "shared_text", "near_duplicate"]].copy()
    documents["text"] = documents["doc_id"].astype(str).map(texts).fillna("")
    table = duplicate_pairs(documents)
    kinds = table["kind"].value_counts()
    exact, near = int(kinds.get("exact", 0)), int(kinds.get("near", 0))
    _note(f"{exact} {'pair' if exact == 1 else 'pairs'} of shared copies (same text in different outlets), "
          f"{near} {'pair' if near == 1 else 'pairs'} of near-duplicates")
    _write_table(table, args.out, prepared.ledger)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m analysis``."""
    parser = _Parser(
        prog="python -m analysis",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    figures = _add_command(
        commands,
        "figures",
        _cmd_figures,
        out_default="docs/figures",
        out_metavar="DIR",
        out_help="folder for the figures (default: docs/figures)",
        help="write every registered figure (PNG/SVG/PDF) with its data table and caption",
        description="Write every registered figure, the table behind it and its caption.",
    )
    figures.add_argument("--tables", metavar="DIR", help="folder for the tables behind the figures (default: same as --out)")
    figures.add_argument("--formats", default="png,svg,pdf", metavar="LIST", help="comma-separated: png, svg, pdf (default: all three)")
    figures.add_argument("--only", nargs="+", metavar="ID", help="draw only these figure ids (see --list)")
    figures.add_argument("--list", action="store_true", help="list the figure ids and exit")
    figures.add_argument("--registry", metavar="FILE.yml", help="entity registry for mentions and labels (default: data/lexicons/entities.yml)")
    figures.add_argument("--labels", metavar="FILE.yml", help="label lexicon (default: data/lexicons/labels.yml)")
    figures.add_argument("--dictionary", metavar="FILE", help="frame dictionary, YAML or LIWC .dic (default: the starter dictionary)")
    figures.add_argument("--doc-ids", nargs="+", metavar="ID", help="the articles of the sentiment arc (at most 12; default: the longest article of each outlet)")
    figures.add_argument("--n-boot", type=_positive_int, default=2000, metavar="N",
                         help="bootstrap replicates of every interval (articles resampled within each outlet; default: 2000)")
    figures.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the bootstrap (default: 0)")

    tfidf = _add_command(
        commands,
        "tfidf",
        _cmd_tfidf,
        help="TF-IDF table per outlet (or per document)",
        description="TF-IDF per group (summed documents) or per document, as a tidy CSV table.",
    )
    tfidf.add_argument("--variant", default="smooth", choices=("smooth", "standard", "tidytext", "quanteda"), help="idf/tf definition (default: smooth, as scikit-learn)")
    tfidf.add_argument("--level", default="group", choices=("group", "document"), help="weight outlets (group) or single documents (default: group)")
    tfidf.add_argument("--top", type=_positive_int, default=None, metavar="N", help="keep the N best terms per row")

    frequency = _add_command(
        commands,
        "frequency",
        _cmd_frequency,
        help="count, rate, rank and document frequency of every term per outlet (like quanteda's textstat_frequency)",
        description=(
            "Every term's count, rate per 1,000 running words, rank (ties share the smallest) and the number and "
            "share of documents containing it, per --group or for the whole corpus (--overall). Output columns: "
            "<group>, term, count, rate, rank, documents, document_share."
        ),
    )
    frequency.add_argument("--overall", action="store_true", help="one table for the whole corpus instead of one per group")
    frequency.add_argument("--min-count", type=_positive_int, default=1, metavar="N", help="leave out terms seen fewer than N times in a group (default: 1)")
    frequency.add_argument("--top", type=_positive_int, metavar="N", help="keep the N most frequent terms of each group")

    keyness = _add_command(
        commands,
        "keyness",
        _cmd_keyness,
        help="which terms an outlet uses more than another (log-odds, chi2, G2, log ratio)",
        description=(
            "Keyness of every term for a target outlet against a reference: the other outlets pooled "
            "(rest) or one outlet. Without --target: every outlet against the rest (or every pair with "
            "--reference pairs). Output columns: term, n_target, n_reference, statistic, p, q, "
            "effect_size, rate_target, rate_reference, measure, target, reference."
        ),
    )
    keyness.add_argument("--target", metavar="OUTLET", help="the outlet to characterise (default: every outlet in turn)")
    keyness.add_argument("--reference", metavar="OUTLET|rest|pairs|general", default="rest", help="compare with one outlet, with all others pooled (rest, the default), all pairs (pairs, without --target), or general German (general: wordfreq's German word frequencies)")
    keyness.add_argument("--measure", default="logodds", choices=("logodds", "chi2", "g2", "logratio"), help="statistic (default: logodds, z-scores with an informative Dirichlet prior)")
    keyness.add_argument("--correction", default="yates", choices=("yates", "none", "williams"), help="for chi2/g2: conditional Yates (default), none, or Williams (g2 only)")
    keyness.add_argument("--alpha0", type=_positive_float, metavar="A", help="prior strength for logodds (default: a tenth of the smaller side's running words)")
    keyness.add_argument("--fdr", choices=("family", "table"), default="family",
                         help="q-values control the false discovery rate over every comparison of the table together "
                              "(family, the default: the table is read as one result) or per comparison (table)")
    keyness.add_argument("--min-count", type=_non_negative_int, default=0, metavar="N", help="leave out terms seen fewer than N times in both groups together (totals unchanged)")
    keyness.add_argument("--top", type=_positive_int, metavar="N", help="keep the N most typical terms of each side of each comparison")
    keyness.add_argument("--within", metavar="COLUMN", help="compare inside each value of this documents column (e.g. event), so that outlets covering different stories are not told apart by topic words")
    keyness.add_argument("--combine", default="list", choices=("list", "pool"), help="with --within: one table per value (list, the default) or one pooled table (inverse-variance log-odds; Cochran-Mantel-Haenszel for chi2/g2)")

    kwic = _add_command(
        commands,
        "kwic",
        _cmd_kwic,
        out_help="write a CSV instead of printing",
        help="keyword in context: every occurrence of a pattern with its neighbours",
        description=(
            "Keyword in context. PATTERN is a glob (Diktator*), several words (\"beste* Freund*\"), a "
            "regular expression (--valuetype regex), an exact form (fixed) or a lemma (lemma). Without "
            "--out the lines are printed aligned; with --out a CSV with the columns doc_id, outlet, "
            "sentence_id, start, end, left, match, right, sentence, pattern."
        ),
    )
    kwic.add_argument("pattern", nargs="+", metavar="PATTERN", help="one or more patterns (quote multi-word patterns)")
    kwic.add_argument("--valuetype", default="glob", choices=("glob", "regex", "fixed", "lemma"), help="how to read PATTERN (default: glob)")
    kwic.add_argument("--window", type=_non_negative_int, default=5, metavar="N", help="tokens of context on each side (default: 5)")
    kwic.add_argument("--context", default="tokens", choices=("tokens", "sentence"), help="context: N tokens, or the rest of the sentence")

    collocations = _add_command(
        commands,
        "collocations",
        _cmd_collocations,
        help="words that occur near a node word more often than chance (PMI, log-likelihood, t-score)",
        description=(
            "Collocates of each NODE (read as by kwic) within --window positions on each side, cut at the "
            "sentence boundary, counted by --by (lemma by default); stop words left out unless --keep-stopwords. "
            "--per-group computes them within each outlet. Output columns: [<group>,] node, collocate, "
            "n_collocate_in_window, n_node, n_collocate, n_total, expected, pmi, llr, t_score (sorted by llr)."
        ),
    )
    collocations.add_argument("node", nargs="+", metavar="NODE", help="one or more node patterns, e.g. Putin or \"Kim Jong Un\"")
    collocations.add_argument("--window", type=_positive_int, default=5, metavar="N", help="positions on each side (default: 5)")
    collocations.add_argument("--min-count", type=_positive_int, default=2, metavar="N", help="keep collocates seen at least N times near the node (default: 2)")
    collocations.add_argument("--measure", nargs="+", default=["pmi", "llr", "t"], choices=("pmi", "llr", "t"), help="measures to compute (default: all three)")
    collocations.add_argument("--valuetype", default="glob", choices=("glob", "regex", "fixed", "lemma"), help="how to read NODE (default: glob)")
    collocations.add_argument("--keep-stopwords", action="store_true", help="keep stop words as collocates")
    collocations.add_argument("--per-group", action="store_true", help="one table per --group value, one under the other")
    collocations.add_argument("--top", type=_positive_int, metavar="N", help="keep the N strongest collocates of each node (per group)")

    dispersion = _add_command(
        commands,
        "dispersion",
        _cmd_dispersion,
        help="in how many articles of each outlet a pattern occurs, how evenly (Gries' DP) and where",
        description=(
            "Dispersion of one or more patterns (read as by kwic) per --group: matches, rate per 1,000 running "
            "words, articles with a match and their share (95 %% Wilson interval), Gries' deviation of "
            "proportions DP (0: spread in proportion to the articles' lengths; near 1: in few articles) and the "
            "mean position of the matches in their articles (0 start, 1 end). --level match: one row per match "
            "with its position."
        ),
    )
    dispersion.add_argument("pattern", nargs="+", metavar="PATTERN", help="one or more patterns (quote multi-word patterns)")
    dispersion.add_argument("--valuetype", default="glob", choices=("glob", "regex", "fixed", "lemma"), help="how to read PATTERN (default: glob)")
    dispersion.add_argument("--level", default="summary", choices=("summary", "match"), help="one row per outlet and pattern (summary, the default) or per match")

    labels = _add_command(
        commands,
        "labels",
        _cmd_labels,
        help="how each outlet labels each person (Präsident, Machthaber, Diktator, ...)",
        description=(
            "Find label words (data/lexicons/labels.yml) and attribute each occurrence to the person(s) it "
            "refers to (data/lexicons/entities.yml): by apposition, country genitive or adjective, implied "
            "label, plural for both principals, or relational label. Occurrences that cannot be attributed "
            "are kept with rule 'unattributed'. --level shares gives per-outlet shares with Wilson intervals."
        ),
    )
    labels.add_argument("--level", default="occurrences", choices=("occurrences", "shares"), help="one row per label occurrence and person (default), or shares per outlet and person")
    labels.add_argument("--registry", metavar="FILE.yml", help="entity registry (default: data/lexicons/entities.yml)")
    labels.add_argument("--labels", metavar="FILE.yml", help="label lexicon (default: data/lexicons/labels.yml)")

    frames = _add_command(
        commands,
        "frames",
        _cmd_frames,
        help="frame-dictionary rates per outlet (starter dictionary, or your own YAML/LIWC .dic)",
        description=(
            "Match a frame dictionary — ours (YAML), quanteda-style YAML or LIWC .dic — and report matches "
            "per 1,000 running words per outlet and category, or every match (--level matches)."
        ),
    )
    frames.add_argument("--dictionary", metavar="FILE", help="dictionary file (default: the starter dictionary data/lexicons/frames_summit.yml)")
    frames.add_argument("--level", default="rates", choices=("rates", "matches"), help="rates per outlet and category (default) or every match")

    quotes = _add_command(
        commands,
        "quotes",
        _cmd_quotes,
        help="quotations: attributed, distancing (scare quotes), titles/names or unclear, with cue and speaker",
        description=(
            "Find quoted spans in German conventions („…“, »…«, ‚…‘, \"…\"; unbalanced marks tolerated) and "
            "classify each as attributed (with its cue and speaker), distancing, title (a quoted name or title: "
            "die Sendung „Hart aber fair“) or unclear."
        ),
    )
    quotes.add_argument("--level", default="quotes", choices=("quotes", "summary"), help="every quotation (default), or counts per outlet and kind")

    sources = _add_command(
        commands,
        "sources",
        _cmd_sources,
        help="agencies and media cited per outlet (text, credit line, photo credit), or reporting verbs",
        description=(
            "Agencies and media named in each article — in the text, in a closing credit line, or in a photo "
            "credit (from the cleaning audit) — or, with --verbs, the reporting verbs (sagte, betonte, räumte … ein)."
        ),
    )
    sources.add_argument("--verbs", action="store_true", help="report reporting verbs instead of sources")
    sources.add_argument("--level", default="occurrences", choices=("occurrences", "summary"), help="every occurrence (default), or counts per outlet")

    sentiment = _add_command(
        commands,
        "sentiment",
        _cmd_sentiment,
        help="sentiment per document, sentence, person or token: the trained model (default) or the lexicon scorer",
        description=(
            "Score sentiment with the trained model (default: three classes, p(positive) - p(negative) as the score, "
            "toward each person mention at --level person; docs/validation.md) or, with --model lexicon, with a "
            "German polarity lexicon (default: the one shipped in textblob-de, cleaned for news; or SentiWS, Rauh, "
            "GerVADER or a term<TAB>score file), handling negation and intensifiers, every score the sum of "
            "per-token contributions (--level token shows them, for either model)."
        ),
    )
    sentiment.add_argument("--level", default="doc", choices=("doc", "sentence", "person", "token"), help="what one row is (default: doc)")
    sentiment.add_argument("--lexicon", default="default", metavar="NAME|PATH", help="lexicon name or file (default: default)")
    sentiment.add_argument("--model", default="trained", metavar="trained|lexicon|PATH",
                           help="trained: the shipped model, sentiment toward each person mention (default); lexicon: the "
                                "lexicon scorer (--lexicon); or a model file from train-sentiment")
    sentiment.add_argument("--registry", metavar="FILE.yml", help="entity registry for --level person (default: data/lexicons/entities.yml)")

    # main() hands this command to analysis.sentiment.validate before parsing; listed here for --help.
    commands.add_parser(
        "validate-sentiment",
        help="agreement of the sentiment scorer with human labels (accuracy, macro-F1, confusion matrix)",
        description="Run 'python -m analysis validate-sentiment --help' for the options.",
        add_help=False,
    )
    commands.add_parser(
        "train-sentiment",
        help="train the sentiment model on gold rows and write it (rebuilds the shipped model byte for byte)",
        description="Run 'python -m analysis train-sentiment --help' for the options.",
        add_help=False,
    )
    # Likewise handed to analysis.text_validation before parsing.
    commands.add_parser(
        "validate-text",
        help="tokens, sentence ends and lemmas against a CoNLL-U treebank (F1, accuracy, frequent errors)",
        description="Run 'python -m analysis validate-text --help' for the options.",
        add_help=False,
    )

    notebooks = commands.add_parser(
        "notebooks",
        help="execute the teaching notebooks on a corpus and write the executed copies",
        description=(
            "Run every notebook of notebooks/ (or those given with --only) on a corpus: the values are injected "
            "after each notebook's 'parameters' cell (CORPUS, GROUP and --param NAME=VALUE), every cell is "
            "executed, and the executed copy with its tables and figures is written to --out."
        ),
    )
    notebooks.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback on errors")
    notebooks.add_argument("--corpus", metavar="PATH", help="corpus folder or table file (default: the bundled corpus)")
    notebooks.add_argument("--group", metavar="COLUMN", help="documents column to compare (default: each notebook's, outlet)")
    notebooks.add_argument("--out", default="data/processed/notebooks", metavar="DIR",
                           help="folder for the executed notebooks (default: data/processed/notebooks)")
    notebooks.add_argument("--only", nargs="+", metavar="NAME", help="notebooks to run, by name or number (e.g. 02 03)")
    notebooks.add_argument("--param", action="append", metavar="NAME=VALUE",
                           help="another parameter, a Python literal or text (e.g. --param TOP=20 --param TARGET=Tagesblatt)")
    notebooks.add_argument("--timeout", type=_positive_int, default=1800, metavar="SECONDS",
                           help="longest time one cell may run (default: 1800)")
    notebooks.set_defaults(func=_cmd_notebooks)

    corpus = _add_command(
        commands,
        "corpus",
        _cmd_corpus,
        out_default="data/processed",
        out_metavar="DIR",
        out_help="output folder (default: data/processed)",
        help="load and clean a corpus; write documents, ledger, cleaning audit and tokens",
        description=(
            "Load and clean a corpus and write its tables: documents, ingest ledger, cleaning audit, tokens. "
            "The tokens table is Parquet by default (string columns dictionary-encoded, so it stays small for "
            "millions of tokens); --tokens-format csv writes it as CSV."
        ),
    )
    corpus.add_argument("--tokens-format", default="parquet", choices=("parquet", "csv"),
                        help="format of the tokens table (default: parquet)")

    report = _add_command(
        commands,
        "report",
        _cmd_report,
        out_default="docs/report",
        out_metavar="DIR",
        out_help="folder of the report; index.html is written there (default: docs/report)",
        help="a self-contained offline report (index.html): corpus, term explorer, labels, frames, quotes, sentiment, figures",
        description=(
            "Write a static site that opens from file:// and requests nothing from the network: the corpus overview "
            "(ledger, cleaning audit, duplicates), a term explorer for any two outlets or one against the rest "
            "(rates on log axes, log-odds keyness computed in the page, KWIC lines with their articles, a sortable "
            "table to download), actor labels, frames, quotations and sources, sentiment with the words and "
            "sentences behind it, and every figure of 'figures' with its caption and data. A large corpus is "
            "sampled within bounds (--terms, --kwic-lines, --articles) and the page counts what was left out."
        ),
    )
    report.add_argument("--registry", metavar="FILE.yml", help="entity registry for mentions and labels (default: as for figures)")
    report.add_argument("--labels", metavar="FILE.yml", help="label lexicon (default: as for figures)")
    report.add_argument("--dictionary", metavar="FILE", help="frame dictionary, YAML or LIWC .dic (default: as for figures)")
    report.add_argument("--terms", type=_positive_int, metavar="N", help="terms kept in the term explorer (default: 3000)")
    report.add_argument("--kwic-lines", type=_positive_int, metavar="N", help="KWIC lines per term and outlet (default: 3)")
    report.add_argument("--articles", type=_positive_int, metavar="N", help="most articles embedded for the KWIC lines (default: 300)")
    report.add_argument("--window", type=_positive_int, metavar="N", help="words of context on each side of a KWIC match (default: 6)")

    align = _add_command(
        commands,
        "align",
        _cmd_align,
        out_default="data/processed/align",
        out_metavar="DIR",
        out_help="output folder (default: data/processed/align)",
        help="same story, different words: align the sentences of different outlets that report the same fact",
        description=(
            "Group the articles into stories (--story COLUMN, or automatically: TF-IDF similarity of lemmas and "
            "entities within a date window), align the sentences of different outlets within each story that "
            "report the same fact (lemma and character n-gram TF-IDF, shared entities and numbers; shared copy "
            "marked), and tabulate what differs: substitutions, insertions and deletions (evaluative words "
            "flagged), labels of the same person, changes of attribution. Writes stories.csv, pairs.csv, "
            "changes.csv, substitutions.csv, labels.csv, evaluative.csv and articles.csv."
        ),
    )
    align.add_argument("--story", metavar="COLUMN", help="documents column naming each article's story (default: found automatically)")
    align.add_argument("--labels", metavar="FILE.yml", help="label lexicon for the labels of persons (default: as for figures)")

    # main() hands this command to analysis.align.validate before parsing; listed here for --help.
    commands.add_parser(
        "validate-align",
        help="precision and recall of the alignment against the gold alignment of the bundled corpus",
        description="Run 'python -m analysis validate-align --help' for the options.",
        add_help=False,
    )

    _add_command(
        commands,
        "duplicates",
        _cmd_duplicates,
        help="pairs of duplicate articles: the same text in different outlets, and near-duplicates",
        description=(
            "Every pair of duplicate articles of the corpus: kind 'exact' for the same text printed by different "
            "outlets (kept by loading and marked with one shared_text id; repeats within one outlet are excluded "
            "at loading), kind 'near' for texts whose word 5-gram shingles have a Jaccard similarity of at least "
            "0.8 (MinHash estimate; see --drop-near-duplicates). Output columns: doc_id_a, outlet_a, doc_id_b, "
            "outlet_b, kind, similarity, cluster."
        ),
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["train-sentiment"]:
        from .sentiment.train import main as train_main

        return train_main(argv[1:])
    if argv[:1] == ["validate-sentiment"]:
        # The validator has its own parser; hand it every option, --help included.
        from .sentiment.validate import main as validate_main

        return validate_main(argv[1:])
    if argv[:1] == ["validate-align"]:
        from .align.validate import main as validate_align_main

        return validate_align_main(argv[1:])
    if argv[:1] == ["rerun"]:
        return _rerun(argv[1:])
    if argv[:1] == ["validate-text"]:
        from .text_validation import main as validate_text_main

        return validate_text_main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as error:
        _say(f"error: {error}", file=sys.stderr, one_line=True)
        return 2
    if args.command is None:
        parser.print_help()
        return 1
    return _run(args, argv)


def _run(args, argv) -> int:
    """Run a parsed command; write the params sidecar of what it wrote; print the summary line."""
    began = time.perf_counter()
    args.argv = list(argv)
    try:
        status = args.func(args)
        prepared = getattr(args, "prepared", None)
        if status == 0:
            _write_params(args, argv, prepared)
        if prepared is not None:
            _note(prepared.summary(time.perf_counter() - began))
        return status
    except BrokenPipeError:
        # The reader of our output stopped early (e.g. `| head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except AnalysisError as error:
        if args.debug:
            raise
        _say(f"error: {error}", file=sys.stderr, one_line=True)
        return 2
    except (OSError, MemoryError) as error:
        if args.debug:
            raise
        _say(f"error: {error.__class__.__name__}: {error} (run with --debug for details)", file=sys.stderr,
             one_line=True)
        return 2
    except Exception as error:  # noqa: BLE001 - the last line of defence of a command-line tool
        if args.debug:
            raise
        first_line = (str(error).splitlines() or [""])[0]
        _say(
            f"error: unexpected {error.__class__.__name__}: {first_line} — probably a bug in the suite, not in "
            "your input; run again with --debug and report the traceback",
            file=sys.stderr,
            one_line=True,
        )
        return 3
