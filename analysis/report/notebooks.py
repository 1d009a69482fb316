"""Run the teaching notebooks on any corpus: parameters injected, every cell executed.

Each notebook in ``notebooks/`` has one code cell tagged ``parameters`` (the papermill
convention). :func:`run_notebooks` puts a cell tagged ``injected-parameters`` right after it
that sets the chosen values — ``CORPUS`` and ``GROUP`` and any other name the parameters cell
defines — executes the notebook in a fresh kernel and writes the executed copy, outputs
included, to the output folder. The committed notebooks are never changed.

nbclient does the execution (the library Jupyter itself uses); papermill would add nothing
here but a dependency.
"""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import pandas as pd

from ..errors import ParameterError

__all__ = ["NOTEBOOK_FOLDER", "inject_parameters", "notebook_paths", "parameter_names", "parse_assignments",
           "run_notebooks"]

#: The notebooks of the repository, beside the package.
NOTEBOOK_FOLDER = Path(__file__).resolve().parents[2] / "notebooks"
_ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)\s*=", re.M)


def notebook_paths(folder=None, only=None) -> list[Path]:
    """The notebooks to run, in their numbered order.

    Parameters
    ----------
    folder : path, optional
        Folder of ``.ipynb`` files (default: the repository's ``notebooks/``).
    only : list of str, optional
        Notebook names or their number prefixes (``"02"``, ``"02_keyness"``).

    Examples
    --------
    >>> [p.name[:2] for p in notebook_paths(only=["01", "03"])]
    ['01', '03']
    """
    folder = NOTEBOOK_FOLDER if folder is None else Path(folder)
    paths = sorted(folder.glob("*.ipynb"))
    if not paths:
        raise ParameterError(f"no notebook in {folder}", hint="run from a checkout of the repository")
    if only:
        wanted = [str(name).removesuffix(".ipynb") for name in only]
        chosen = [p for p in paths if any(p.stem == w or p.stem.startswith(f"{w}_") for w in wanted)]
        unknown = [w for w in wanted if not any(p.stem == w or p.stem.startswith(f"{w}_") for p in paths)]
        if unknown:
            raise ParameterError(f"no notebook {', '.join(unknown)}", hint="known: " + ", ".join(p.stem for p in paths))
        paths = chosen
    return paths


def _parameters_cell(notebook, name: str) -> int:
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return index
    raise ParameterError(f"{name}: no code cell is tagged 'parameters'",
                         hint="tag the cell holding the notebook's parameters (View → Cell toolbar → Tags)")


def parameter_names(notebook) -> list[str]:
    """Names the ``parameters`` cell assigns (upper-case, one per line), in order.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("CORPUS = None\\nTOP = 15  # terms",
    ...                                      metadata={"tags": ["parameters"]})])
    >>> parameter_names(nb)
    ['CORPUS', 'TOP']
    """
    return _ASSIGNMENT.findall(notebook.cells[_parameters_cell(notebook, "notebook")].source)


def inject_parameters(notebook, parameters: dict, *, name: str = "notebook"):
    """Insert a cell tagged ``injected-parameters`` after the ``parameters`` cell.

    Only names the parameters cell defines are set; others are left out (a notebook that has
    no ``GROUP`` is not given one). Returns the names set.
    """
    index = _parameters_cell(notebook, name)
    known = set(_ASSIGNMENT.findall(notebook.cells[index].source))
    chosen = {key: value for key, value in parameters.items() if key in known}
    if chosen:
        import nbformat

        lines = ["# Parameters injected by python -m analysis notebooks"]
        lines += [f"{key} = {value!r}" for key, value in chosen.items()]
        cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
        notebook.cells.insert(index + 1, cell)
    return list(chosen)


def _value(text: str):
    """A ``--param`` value: a Python literal (numbers, None, lists, quoted strings) or else the text."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_assignments(items) -> dict:
    """``["TOP=20", "TARGET=Tagesblatt"]`` → ``{"TOP": 20, "TARGET": "Tagesblatt"}``.

    Examples
    --------
    >>> parse_assignments(["TOP=20", "TARGET=Der Morgen", "PERSONS=['Scholz']"])
    {'TOP': 20, 'TARGET': 'Der Morgen', 'PERSONS': ['Scholz']}
    """
    parameters = {}
    for item in items or []:
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--param {item!r} is not NAME=VALUE", hint="e.g. --param TOP=20")
        parameters[key.strip()] = _value(value.strip())
    return parameters


def _images(notebook) -> int:
    return sum("image/png" in output.get("data", {})
               for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", []))


def _error(notebook) -> str:
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                return f"{output.get('ename')}: {output.get('evalue')}"
    return ""


def run_notebooks(
    corpus=None,
    *,
    out_dir,
    group: str | None = None,
    parameters: dict | None = None,
    only=None,
    folder=None,
    timeout: int = 1800,
    kernel_name: str = "python3",
) -> pd.DataFrame:
    """Execute every notebook (or those in ``only``) with the given parameters; write the
    executed copies to ``out_dir``.

    Parameters
    ----------
    corpus : path, optional
        The corpus (``CORPUS`` in every notebook); None keeps the notebooks' default, the
        bundled corpus. A relative path is taken from the current folder.
    out_dir : path
        Folder for the executed notebooks (created).
    group : str, optional
        The documents column to compare (``GROUP``).
    parameters : dict, optional
        Further parameters by name (``{"TOP": 20}``); each notebook receives those its
        parameters cell defines.
    only : list of str, optional
        Notebook names or number prefixes.
    folder : path, optional
        Folder of the notebooks (default: the repository's ``notebooks/``).
    timeout : int
        Seconds one cell may run.
    kernel_name : str
        Jupyter kernel to execute with.

    Returns
    -------
    pandas.DataFrame
        One row per notebook: ``notebook``, ``output``, ``parameters`` (the names set),
        ``seconds``, ``images`` (figures displayed), ``error`` (empty when every cell ran).
        A notebook that fails is written as far as it ran, with the error in its cell.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    chosen = dict(parameters or {})
    if corpus is not None:
        path = Path(corpus).expanduser().resolve()
        if not path.exists():
            raise ParameterError(f"--corpus {corpus}: no such file or folder")
        chosen["CORPUS"] = str(path)
    if group is not None:
        chosen["GROUP"] = group
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for source in notebook_paths(folder, only):
        notebook = nbformat.read(source, as_version=4)
        names = inject_parameters(notebook, chosen, name=source.name)
        client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name,
                                resources={"metadata": {"path": str(source.parent)}})
        began = time.perf_counter()
        try:
            client.execute()
        except CellExecutionError:
            pass  # the error is in the cell's outputs; the notebook is written as far as it ran
        target = out / source.name
        nbformat.write(notebook, target)
        rows.append({"notebook": source.name, "output": str(target), "parameters": ", ".join(names),
                     "seconds": round(time.perf_counter() - began, 1), "images": _images(notebook),
                     "error": _error(notebook)})
    return pd.DataFrame(rows, columns=["notebook", "output", "parameters", "seconds", "images", "error"])
