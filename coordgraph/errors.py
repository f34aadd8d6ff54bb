"""Errors that the CLI turns into one clear message and a non-zero exit code."""


class CoordgraphError(Exception):
    """A failure the user can act on; ``hint`` says what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class ConnectionFailed(CoordgraphError):
    """The server could not be reached, refused our credentials, or lacks GDS."""

    exit_code = 3


class ServerError(CoordgraphError):
    """The managed server could not be installed, started or stopped."""

    exit_code = 4


class InputError(CoordgraphError):
    """An input file could not be read or was (partly) rejected."""

    exit_code = 2


class NoRunError(CoordgraphError):
    """There is no analysis run to report on, or a run reference names none (or several)."""


class DemoError(CoordgraphError):
    """The demo cannot proceed (e.g. the database holds someone's data)."""
