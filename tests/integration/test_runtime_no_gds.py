"""A real Neo4j without the Graph Data Science plugin: every entry point says so clearly instead of failing later.

The server shares the test server's jars (lib/ is a symlink) but has an empty plugins/ folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import ServiceUnavailable

from coordgraph import db, runtime
from coordgraph.config import Connection, ServerLayout
from coordgraph.errors import ConnectionFailed, ServerError

CLI = [sys.executable, "-m", "coordgraph.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_without_gds(managed_test_server, tmp_path_factory):
    """A running Community server with no GDS jars, stopped after the module."""
    root = tmp_path_factory.mktemp("no-gds")
    layout = ServerLayout(home=root / "server", password_file=root / "neo4j-password",
                          bolt_port=_free_port(), http_port=_free_port(), heap="512m", pagecache="64m")
    layout.home.mkdir()
    (layout.home / "lib").symlink_to(managed_test_server.home / "lib")
    for sub in ("plugins", "data", "logs", "run", "import"):
        (layout.home / sub).mkdir()
    runtime._write_config(layout)
    runtime._set_initial_password(layout)
    (layout.home / runtime.INSTALLED_MARKER).write_text("")
    proc = runtime.launch(layout)
    password = layout.password_file.read_text().strip()
    deadline = time.monotonic() + 180
    while True:
        assert proc.poll() is None, (layout.console_log.read_text(errors="replace")[-2000:])
        try:
            with GraphDatabase.driver(layout.uri, auth=("neo4j", password)) as driver:
                driver.verify_connectivity()
                with driver.session() as session:
                    session.run("RETURN 1").consume()
            break
        except (ServiceUnavailable, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    yield layout
    runtime.stop(layout)


def test_waiting_for_the_server_fails_fast_naming_the_missing_plugin(server_without_gds):
    started = time.monotonic()
    with pytest.raises(ServerError, match="Graph Data Science plugin is not loaded") as info:
        runtime.wait_ready(server_without_gds, timeout=120)
    assert time.monotonic() - started < 30  # not the 120 s timeout
    assert str(server_without_gds.home / "plugins") in info.value.hint


def test_connect_names_the_missing_library(server_without_gds):
    conn = Connection(uri=server_without_gds.uri, user="neo4j", password=server_without_gds.password_file.read_text().strip())
    with pytest.raises(ConnectionFailed, match="has no Graph Data Science library"):
        db.connect(conn)
    driver = db.connect(conn, require_gds=False)  # plain Cypher still works against it
    driver.close()


def test_cli_exits_3_with_advice_and_no_traceback(server_without_gds, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=server_without_gds.uri, NEO4J_PASSWORD=server_without_gds.password_file.read_text().strip())
    proc = subprocess.run(CLI + ["detect"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "no Graph Data Science library" in proc.stderr
    assert "Install the GDS plugin" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
