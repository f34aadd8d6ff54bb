"""Options and helpers shared by every command: connection settings (:func:`connected`), error handling."""

from __future__ import annotations

import functools
import inspect
import sys
from typing import Annotated, Any, Callable, Optional

import typer
from rich.console import Console

from ..config import resolve_connection
from ..errors import CoordgraphError

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

UriOption = Annotated[Optional[str], typer.Option("--uri", help="Bolt URI; default NEO4J_URI, else the managed local server.", show_default=False)]
UserOption = Annotated[Optional[str], typer.Option("--user", help="User; default NEO4J_USER or neo4j.", show_default=False)]
PasswordOption = Annotated[Optional[str], typer.Option("--password", help="Password; default NEO4J_PASSWORD, else the managed server's password file.", show_default=False)]


_CONNECTION_OPTIONS = [
    inspect.Parameter("uri", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=UriOption),
    inspect.Parameter("user", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=UserOption),
    inspect.Parameter("password", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=PasswordOption),
]


def connected(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the shared ``--uri/--user/--password`` options and error handling.

    The command declares a ``conn`` parameter instead of the three options; it receives the resolved
    :class:`Connection` (options > environment > managed local server) and opens its session with
    ``db.session_for(conn, ...)`` when it needs one, after checking its own arguments.
    """
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "conn"]

    @functools.wraps(command)
    def with_connection(*args: Any, uri: str | None = None, user: str | None = None, password: str | None = None,
                        **kwargs: Any) -> Any:
        return command(*args, conn=resolve_connection(uri=uri, user=user, password=password), **kwargs)

    with_connection.__signature__ = signature.replace(parameters=[*own, *_CONNECTION_OPTIONS])  # what Typer reads
    return handle_errors(with_connection)


def fail(message: str, hint: str | None = None, code: int = 1) -> None:
    """Print one clear error (no traceback) and exit with ``code``."""
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False, markup=True)
    if hint:
        err_console.print(hint, highlight=False, markup=False)
    raise typer.Exit(code)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn :class:`CoordgraphError` (and Neo4j errors) into a message and a non-zero exit code."""
    from neo4j.exceptions import Neo4jError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CoordgraphError as exc:
            fail(exc.message, exc.hint, exc.exit_code)
        except Neo4jError as exc:
            fail(f"Neo4j error {exc.code}: {exc.message}", code=5)
        except KeyboardInterrupt:
            err_console.print("Interrupted.")
            sys.exit(130)

    return wrapper


def parse_params(pairs: list[str] | None) -> dict[str, Any]:
    """``k=v`` pairs to a parameter dict; values are parsed as JSON when they parse, else kept as strings."""
    import orjson

    params: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise CoordgraphError(f"--param {pair!r} is not of the form key=value")
        key, raw = pair.split("=", 1)
        try:
            params[key] = orjson.loads(raw)
        except orjson.JSONDecodeError:
            params[key] = raw
    return params
