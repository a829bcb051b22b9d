"""The error types that cross module boundaries.

``LztInputError`` is the one error for bad input (a corrupt file, a wrong CRS, a
missing field, a malicious expression). It names the file (or other input) and
the problem in one line; the CLI prints it and exits 2, the GUI shows a dialog.
Programming errors are *not* wrapped: they stay loud.
"""

from __future__ import annotations

from os import PathLike


class LztError(Exception):
    """Base class of lzt's own errors."""


class LztInputError(LztError):
    """Bad input from the user: one line, naming the input and the problem."""

    def __init__(self, source: str | PathLike | None, problem: str):
        self.source = None if source is None else str(source)
        self.problem = " ".join(str(problem).split())  # always one line
        super().__init__(self.one_line())

    def one_line(self) -> str:
        return f"{self.source}: {self.problem}" if self.source else self.problem


class ConflictError(LztError):
    """A concurrent edit lost the race: the record changed since it was read."""


class CancelledError(LztError):
    """Long work was cancelled by the user; nothing was written."""
