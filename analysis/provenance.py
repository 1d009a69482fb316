"""Every written table carries its parameters: the ``<name>.params.json`` sidecar.

A table from ``python -m analysis <command> --out FILE.csv`` gets ``FILE.params.json`` beside
it (a command writing a folder — ``corpus``, ``figures`` — gets ``params.json`` in the folder).
It holds what is needed to reproduce the table from itself:

``command``, ``argv``
    The command and its arguments as given.
``options``
    Every option in force, defaults included, by its name on the command line
    (``n_boot``, ``alpha0``, ``correction``, ``seed``, ``min_count`` …); ``null`` is the
    documented default rule (``alpha0``: a tenth of the smaller side's running words).
``output``
    The table file beside the sidecar, or ``"."`` for the folder it is in. Where the output
    went is not recorded otherwise (``--out`` and ``--tables`` are left out of ``argv`` and
    ``options``), so the sidecar is the same wherever the output is written.
``input``
    The corpus path as given and the SHA-256 of its bytes (every file of a folder).
``versions``
    The suite's version, a hash of its source and resource files, and the versions of the
    language resources and readers (simplemma, stop-words, PyStemmer, pandas, …).
``ledger``
    How many input records were loaded and excluded, and why.

The file has no time stamp or machine path of its own (only the paths as given), so the same
run gives the same bytes. ``python -m analysis rerun FILE.params.json [--out PATH]`` runs the
command again with exactly these options (the defaults of the version that wrote it, not
today's), after checking that the input still has the same hash, and writes over the recorded
output or to ``--out``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import ParameterError
from .io.writing import write_text_atomic
from .store.cache import content_hash, environment_versions

__all__ = ["PARAMS_SUFFIX", "OUTPUT_OPTIONS", "params_path", "read_params", "run_parameters", "without_outputs",
           "write_params"]

#: Suffix of the sidecar of a table file.
PARAMS_SUFFIX = ".params.json"
#: Version of the sidecar's layout.
PARAMS_FORMAT = 1
# Namespace entries that are not options: the command's function, objects the run attached.
_NOT_OPTIONS = frozenset({"func", "prepared", "debug", "command", "argv"})


def params_path(out) -> Path | None:
    """Where the sidecar of an output goes: ``<stem>.params.json`` beside a file,
    ``params.json`` inside a folder; None for standard output.

    Examples
    --------
    >>> params_path("tables/keyness.csv").as_posix()
    'tables/keyness.params.json'
    >>> params_path("figures/").as_posix()  # a folder (one that exists, or a trailing slash)
    'figures/params.json'
    >>> params_path("-") is None
    True
    """
    if out in (None, "-"):
        return None
    path = Path(out)
    if path.is_dir() or str(out).endswith(("/", "\\")):
        return path / "params.json"
    return path.with_name(path.stem + PARAMS_SUFFIX)


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"option value {value!r} cannot be written to JSON")


#: Options that say where a command writes, not what it computes.
OUTPUT_OPTIONS = ("out", "tables")


def without_outputs(params: dict) -> dict:
    """``params`` without where the output went (``--out``, ``--tables``): what goes into the
    files themselves (figure metadata, ``captions.md``), which are then the same bytes wherever
    they are written.

    Examples
    --------
    >>> without_outputs({"argv": ["figures", "--out", "x", "--formats=png", "--tables=t"],
    ...                  "options": {"out": "x", "tables": "t", "formats": "png"}})
    {'argv': ['figures', '--formats=png'], 'options': {'formats': 'png'}}
    """
    flags = tuple(f"--{name}" for name in OUTPUT_OPTIONS)
    argv, skip = [], False
    for item in params.get("argv", []):
        if skip:
            skip = False
            continue
        if item in flags:
            skip = True
            continue
        if item.startswith(tuple(f + "=" for f in flags)):
            continue
        argv.append(item)
    stripped = dict(params)
    stripped["argv"] = argv
    stripped["options"] = {k: v for k, v in params.get("options", {}).items() if k not in OUTPUT_OPTIONS}
    return stripped


def run_parameters(args, argv, prepared=None) -> dict:
    """The sidecar's content for a finished command.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line (every option, defaults included).
    argv : list of str
        The arguments as given.
    prepared : PreparedCorpus, optional
        The corpus the command read: its ledger is counted.

    Returns
    -------
    dict
    """
    options = {name: _jsonable(value) for name, value in sorted(vars(args).items()) if name not in _NOT_OPTIONS}
    corpus = getattr(args, "corpus", None)
    params = {
        "format": PARAMS_FORMAT,
        "command": args.command,
        "argv": [str(a) for a in argv],
        "options": options,
        "input": None,
        "versions": environment_versions(),
        "ledger": None,
    }
    if corpus is not None and Path(corpus).exists():
        params["input"] = {"path": str(corpus), "sha256": content_hash(corpus)}
    elif corpus is None and prepared is not None:
        # The bundled corpus: named, not by this machine's path to it.
        params["input"] = {"path": None, "bundled": True, "sha256": content_hash(prepared.source)}
    if prepared is not None:
        ledger = prepared.ledger
        status = ledger["status"].astype(str)
        reasons = ledger.loc[status != "loaded", "reason"].astype(str).value_counts().sort_index()
        params["ledger"] = {"records": int(len(ledger)), "loaded": int((status == "loaded").sum()),
                            "excluded": int((status != "loaded").sum()),
                            "reasons": {str(k): int(v) for k, v in reasons.items()}}
    return params


def write_params(out, params: dict) -> Path | None:
    """Write ``params`` as the sidecar of ``out`` (see :func:`params_path`); returns its path."""
    target = params_path(out)
    if target is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, json.dumps(params, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return target


def read_params(path) -> dict:
    """Read a sidecar, checking that it is one.

    Raises
    ------
    ParameterError
        The file is missing, not JSON, or not a params file of this suite.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"{path}: no such file", hint="give the .params.json written beside a table") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ParameterError(f"{path}: not a readable params file ({error})",
                             hint="give the .params.json written beside a table") from None
    if not isinstance(data, dict) or not {"command", "options", "format"} <= set(data):
        raise ParameterError(f"{path}: not a params file (no command, options and format)",
                             hint="give the .params.json written beside a table")
    if data["format"] != PARAMS_FORMAT:
        raise ParameterError(f"{path}: params format {data['format']!r}, this version reads {PARAMS_FORMAT}")
    return data
