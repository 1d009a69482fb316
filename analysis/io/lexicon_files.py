"""Reading the files behind lexicons, registries and dictionaries, with errors that name them.

YAML is only ever read with PyYAML's safe loader (libyaml's when PyYAML has it): Python object tags (``!!python/...``) are refused.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .encoding import decode_bytes
from ..errors import AnalysisError, LexiconError, ParameterError

__all__ = ["parse_lexicon_yaml", "read_lexicon_text", "read_lexicon_yaml"]


def read_lexicon_text(path, *, label: str | None = None) -> str:
    """The text of a lexicon file, decoded (UTF-8, UTF-16, Windows-1252), line ends as ``\\n``.

    Raises a :class:`LexiconError` naming the file (or ``label``) when it is missing, unreadable
    or not text.
    """
    if not isinstance(path, (str, Path)):
        raise ParameterError(f"path must be a str or Path, got {type(path).__name__}")
    path = Path(path)
    label = label or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LexiconError("no such file", file=label, hint="check the path") from None
    except OSError as error:
        raise LexiconError(f"cannot be read: {error.strerror or error}", file=label) from None
    try:
        text = decode_bytes(data, source=label).text
    except AnalysisError as error:
        raise LexiconError(error.reason, file=label, hint=error.hint) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")


# libyaml's safe loader when PyYAML was built with it: the same documents and errors, about ten
# times faster on a registry of thousands of entries (the one found in a large corpus).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_lexicon_yaml(text: str, *, label: str):
    """Parse YAML text safely; a syntax error or a Python tag becomes a :class:`LexiconError` with its line."""
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        if isinstance(error, yaml.constructor.ConstructorError):
            hint = "remove the '!!python/…' or other tag: these files hold only strings, numbers, lists and mappings"
        else:
            hint = "check the indentation, and quote values that contain ':', '#', '{' or start with '*'"
        raise LexiconError(f"is not valid YAML: {problem}", file=label, row=line, hint=hint) from None


def read_lexicon_yaml(path, *, label: str | None = None):
    """Read a YAML lexicon file safely (see :func:`read_lexicon_text` and :func:`parse_lexicon_yaml`)."""
    label = label or str(path)
    return parse_lexicon_yaml(read_lexicon_text(path, label=label), label=label)
