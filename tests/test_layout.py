"""The package layout: stages as folders, no import cycles, no private names across modules."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports():
    """``(importer, imported module, names)`` for every relative import, also inside functions."""
    modules = _modules()
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                yield name, target, [alias.name for alias in node.names]


def test_no_private_name_is_imported_from_another_module():
    private = [(a, b, n) for a, b, names in _imports() for n in names if n.startswith("_") and n != "__version__"]
    assert private == []


def test_modules_import_each_other_without_cycles():
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for importer, target, names in _imports():
        for name in names:
            dest = f"{target}.{name}" if f"{target}.{name}" in modules else target
            # Package __init__ files only re-export; edges through them are not dependencies.
            if dest in modules and dest != importer and modules[dest].name != "__init__.py" \
                    and modules[importer].name != "__init__.py":
                graph[importer].add(dest)
    state: dict[str, int] = {}
    cycles = []

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_folders_follow_the_pipeline_and_one_registry_type_is_called_registry():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"io", "store", "stats", "framing", "sentiment", "plots", "report"} <= folders
    defined = [(name, node.name) for name, path in _modules().items()
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and node.name in ("Registry", "load_registry")]
    assert sorted(defined) == [("analysis.framing.entities", "Registry"), ("analysis.framing.entities", "load_registry")]
