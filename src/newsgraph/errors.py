"""Errors raised by the library. The CLI and the API translate them; users never see a traceback."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class. The message names the input and says what to do next."""

    exit_code = 1


class InputError(NewsgraphError):
    """An input (file, line, page, URL) could not be read or parsed (or, ``stage`` says, analysed).

    Args:
        source: The input: a file, ``file:line``, URL or feed entry.
        problem: What went wrong.
        hint: What to do about it.
        stage: Where it failed: ``read`` (the default), ``analyse`` or ``store``.
    """

    stage = "read"

    def __init__(
        self, source: str, problem: str, hint: str | None = None, *, stage: str | None = None
    ) -> None:
        self.source = source
        self.problem = problem
        self.hint = hint
        if stage is not None:
            self.stage = stage
        message = f"{source}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class ModelError(NewsgraphError):
    """A spaCy pipeline could not be loaded."""


class StoreError(NewsgraphError):
    """The SQLite store could not be opened, migrated, read or written."""


class EvalError(NewsgraphError):
    """Evaluation data is missing or malformed."""
