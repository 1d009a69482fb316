"""Exceptions raised by the suite.

Every message names where the problem is (file, row, column or field) and what to do about it,
so that the command line can print it as one line.
"""

from __future__ import annotations

__all__ = ["AnalysisError", "CorpusError", "LexiconError", "ParameterError"]


class AnalysisError(Exception):
    """Base class for errors the suite reports to the user as one line.

    Parameters
    ----------
    message : str
        What is wrong.
    file, row, column : optional
        Where it is wrong; each one given is put in front of the message.
    hint : str, optional
        What to do about it; appended to the message.
    """

    def __init__(self, message: str, *, file=None, row=None, column=None, hint: str | None = None):
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.hint = hint
        self.reason = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.reason
        if self.hint:
            text += f" — {self.hint}"
        return text


class CorpusError(AnalysisError, ValueError):
    """A corpus file, table or record cannot be used."""


class LexiconError(AnalysisError, ValueError):
    """A lexicon, dictionary or registry file is malformed."""


class ParameterError(AnalysisError, ValueError):
    """A function or command-line argument is out of range or inconsistent."""
