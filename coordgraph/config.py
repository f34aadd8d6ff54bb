"""Where coordgraph keeps its files and how it reaches Neo4j.

Connection precedence for every command: explicit ``--uri/--user/--password`` options, then the
``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD`` environment, then the managed local server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent

DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474


def project_home() -> Path:
    """The per-project data folder: ``$COORDGRAPH_HOME``, else ``.coordgraph`` beside the source checkout.

    When the package is installed outside a checkout, it falls back to ``~/.local/share/coordgraph``.
    """
    env = os.environ.get("COORDGRAPH_HOME")
    if env:
        return Path(env).expanduser().resolve()
    if (SOURCE_ROOT / "pyproject.toml").exists():
        return SOURCE_ROOT / ".coordgraph"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "coordgraph"


def server_recipe() -> Path:
    """The Maven recipe (``server/pom.xml``) that materialises the local Neo4j + GDS + Browser."""
    env = os.environ.get("COORDGRAPH_SERVER_POM")
    if env:
        return Path(env)
    for candidate in (SOURCE_ROOT / "server" / "pom.xml", PACKAGE_DIR / "server" / "pom.xml"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("server/pom.xml not found; set COORDGRAPH_SERVER_POM")


@dataclass(frozen=True)
class ServerLayout:
    """Files and ports of one managed Neo4j server."""

    home: Path  # the Neo4j home: lib/, plugins/, conf/, data/, logs/, import/, run/
    password_file: Path
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT
    heap: str = "2g"
    pagecache: str = "1g"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"


def managed_layout() -> ServerLayout:
    """The layout of the investigator's managed server (ports and memory overridable by environment)."""
    home = project_home()
    return ServerLayout(
        home=home / "server",
        password_file=home / "neo4j-password",
        bolt_port=int(os.environ.get("COORDGRAPH_BOLT_PORT", DEFAULT_BOLT_PORT)),
        http_port=int(os.environ.get("COORDGRAPH_HTTP_PORT", DEFAULT_HTTP_PORT)),
        heap=os.environ.get("COORDGRAPH_HEAP", "3g"),
        pagecache=os.environ.get("COORDGRAPH_PAGECACHE", "1g"),
    )


@dataclass(frozen=True)
class Connection:
    """How to reach a Neo4j server; ``managed`` is True when it is the local managed server."""

    uri: str
    user: str
    password: str
    managed: bool = False
    database: str | None = None


def resolve_connection(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    layout: ServerLayout | None = None,
) -> Connection:
    """Apply the precedence options > environment > managed server and return a :class:`Connection`."""
    uri = uri or os.environ.get("NEO4J_URI")
    user = user or os.environ.get("NEO4J_USER") or "neo4j"
    database = os.environ.get("NEO4J_DATABASE") or None
    if uri:
        password = password if password is not None else os.environ.get("NEO4J_PASSWORD", "")
        return Connection(uri=uri, user=user, password=password, managed=False, database=database)
    layout = layout or managed_layout()
    if password is None:
        password = read_password(layout.password_file)
    return Connection(uri=layout.uri, user=user, password=password or "", managed=True, database=database)


def read_password(path: Path) -> str | None:
    """The generated password of a managed server, or None before install."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
