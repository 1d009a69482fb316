"""pyproject.toml and environment.yml list the same dependencies."""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_requirements() -> dict[str, str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if tomllib is not None:
        data = tomllib.loads(text)
        requirements = list(data["project"]["dependencies"])
        for extra in data["project"].get("optional-dependencies", {}).values():
            requirements += extra
    else:  # simple fallback: quoted requirement strings inside the dependency lists
        requirements = re.findall(r'^\s*"([A-Za-z0-9_.\-]+[^"]*)",\s*$', text, flags=re.M)
    return {_name(r): r.replace(" ", "") for r in requirements}


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    found = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            if entry.startswith("-e") or _name(entry) in {"python", "pip"}:
                continue
            found[_name(entry)] = entry.replace(" ", "")
    return found


def test_same_packages_and_ranges():
    pyproject = _pyproject_requirements()
    conda = _conda_requirements()
    assert sorted(pyproject) == sorted(conda), "add or remove the package in both files"
    for name, spec in pyproject.items():
        assert conda[name] == spec, f"{name}: pyproject says {spec!r}, environment.yml says {conda[name]!r}"


def test_environment_installs_the_project():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = [item for item in env["dependencies"] if isinstance(item, dict)]
    assert pip and "-e ." in pip[0]["pip"]
