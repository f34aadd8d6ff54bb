"""The managed Neo4j + GDS + Browser runtime, its security defaults, and the CLI's connection errors."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import urllib.request

import psutil
import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from coordgraph import db, runtime
from coordgraph.config import Connection
from coordgraph.errors import ConnectionFailed

CLI = [sys.executable, "-m", "coordgraph.cli"]


def test_gds_version_is_the_pinned_one(driver):
    assert db.check_gds(driver) == runtime.pinned_versions()["gds"]
    version = driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v").records[0]["v"]
    assert version == runtime.pinned_versions()["neo4j"]


def test_only_jars_with_procedures_are_searched_and_all_procedures_load(managed_test_server, driver):
    home = managed_test_server.home
    searched = sorted((home / "plugins").glob("*.jar"))
    moved = sorted((home / runtime.PLUGIN_LIBS).glob("*.jar"))
    assert searched and moved and len(searched) < len(moved)
    assert all(runtime._declares_procedures(jar) for jar in searched)
    assert not any(runtime._declares_procedures(jar) for jar in moved)
    # what the commands use, from several of GDS's procedure jars, each needing classes of plugin-libs/
    names = {r["name"] for r in driver.execute_query("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'gds.' "
                                                      "RETURN name").records}
    assert {"gds.graph.project", "gds.wcc.stream", "gds.louvain.stream", "gds.nodeSimilarity.stream",
            "gds.knn.stream", "gds.graph.drop", "gds.debug.sysInfo"} <= names
    assert len(names) > 300


TWO_CLIQUES = """
UNWIND range(0, 11) AS i CREATE (:T {id: i, grp: i / 6, x: toFloat(i / 6), y: 1.0 - toFloat(i / 6)})
WITH 1 AS one
MATCH (a:T), (b:T) WHERE a.id < b.id AND a.grp = b.grp CREATE (a)-[:L]->(b)
"""


def test_communities_similarity_and_knn(clean_db):
    drv = clean_db
    drv.execute_query(TWO_CLIQUES)
    # a single weak bridge between the two cliques
    drv.execute_query("MATCH (a:T {id: 0}), (b:T {id: 6}) CREATE (a)-[:L]->(b)")
    drv.execute_query(
        "CALL gds.graph.project('two', {T: {properties: ['x', 'y']}}, {L: {orientation: 'UNDIRECTED'}})"
    )
    try:
        for algo in ("louvain", "leiden"):
            rows = drv.execute_query(
                f"CALL gds.{algo}.stream('two') YIELD nodeId, communityId "
                "RETURN gds.util.asNode(nodeId).grp AS grp, communityId"
            ).records
            by_group = {}
            for r in rows:
                by_group.setdefault(r["grp"], set()).add(r["communityId"])
            assert all(len(c) == 1 for c in by_group.values()), algo
            assert by_group[0] != by_group[1], algo
        wcc = drv.execute_query("CALL gds.wcc.stats('two') YIELD componentCount RETURN componentCount").records
        assert wcc[0]["componentCount"] == 1
        sims = drv.execute_query(
            "CALL gds.nodeSimilarity.stream('two') YIELD node1, node2, similarity RETURN count(*) AS n, min(similarity) AS lo"
        ).records[0]
        assert sims["n"] > 0 and sims["lo"] > 0
        knn = drv.execute_query(
            "CALL gds.knn.stream('two', {nodeProperties: ['x', 'y'], topK: 2, randomSeed: 7, concurrency: 1}) "
            "YIELD node1, node2, similarity "
            "RETURN gds.util.asNode(node1).grp = gds.util.asNode(node2).grp AS same, count(*) AS n"
        ).records
        assert {r["same"]: r["n"] for r in knn}.get(False, 0) == 0
    finally:
        drv.execute_query("CALL gds.graph.drop('two', false)")


def test_browser_is_served(managed_test_server):
    with urllib.request.urlopen(managed_test_server.browser_url, timeout=10) as response:
        body = response.read().decode("utf-8", errors="replace")
    assert response.status == 200
    assert "neo4j" in body.lower() and "<html" in body.lower()


def test_listens_on_loopback_only(managed_test_server):
    pid = runtime.read_pid(managed_test_server)
    listening = {
        (c.laddr.ip, c.laddr.port)
        for c in psutil.Process(pid).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    }
    ports = {port for _, port in listening}
    assert {managed_test_server.bolt_port, managed_test_server.http_port} <= ports
    for ip, _ in listening:
        assert ip in ("127.0.0.1", "::ffff:127.0.0.1", "::1"), listening
    # and a non-loopback address of this machine is refused
    for addr in _non_loopback_addresses():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            assert sock.connect_ex((addr, managed_test_server.bolt_port)) != 0


def _non_loopback_addresses() -> list[str]:
    return [
        a.address
        for addrs in psutil.net_if_addrs().values()
        for a in addrs
        if a.family == socket.AF_INET and not a.address.startswith("127.")
    ]


def test_password_file_is_private_and_default_password_rejected(managed_test_server):
    mode = stat.S_IMODE(os.stat(managed_test_server.password_file).st_mode)
    assert mode == 0o600
    password = managed_test_server.password_file.read_text().strip()
    assert password and password != "neo4j" and len(password) >= 16
    with GraphDatabase.driver(managed_test_server.uri, auth=("neo4j", "neo4j")) as drv:
        with pytest.raises(AuthError):
            drv.verify_connectivity()


def test_data_persists_across_restart_and_start_is_idempotent(managed_test_server, clean_db):
    layout = managed_test_server
    clean_db.execute_query("CREATE (:PersistCheck {token: $t})", t="kept-across-restart")
    pid = runtime.read_pid(layout)
    assert runtime.stop(layout) is True
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert runtime.read_pid(layout) is None
    assert runtime.stop(layout) is False  # stopping a stopped server is harmless
    assert runtime.start(layout, log=lambda *_: None) is True
    assert runtime.start(layout, log=lambda *_: None) is False  # already running: harmless
    # execute_query retries, so the shared driver replaces its connections to the old process
    rows = clean_db.execute_query("MATCH (p:PersistCheck) RETURN p.token AS t").records
    assert [r["t"] for r in rows] == ["kept-across-restart"]
    assert runtime.status(layout).state == "running"


def test_restarted_server_maps_its_class_archive(managed_test_server, driver):
    """A start after a clean stop maps the class-data archive the JVM wrote (or used) before."""
    layout = managed_test_server
    if os.environ.get(runtime.CLASS_ARCHIVE_ENV, "").lower() == "off":
        pytest.skip(f"{runtime.CLASS_ARCHIVE_ENV}=off")
    runtime.stop(layout)
    archive = runtime.class_archive(layout.home)
    assert archive.stat().st_size > 10 << 20
    assert runtime.start(layout, log=lambda *_: None) is True
    with open(f"/proc/{runtime.read_pid(layout)}/maps") as maps:
        assert str(archive) in maps.read()  # the JVM took its classes from the archive
    assert db.check_gds(driver) == runtime.pinned_versions()["gds"]


def test_connect_errors_are_clear(managed_test_server):
    with pytest.raises(ConnectionFailed, match="wrong user or password"):
        db.connect(Connection(uri=managed_test_server.uri, user="neo4j", password="not-the-password"))
    with pytest.raises(ConnectionFailed, match="Cannot reach Neo4j"):
        db.connect(Connection(uri="bolt://127.0.0.1:1", user="neo4j", password="x"))


def _cli(args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(env_extra)
    return subprocess.run(CLI + args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)


def test_cli_wrong_password_exits_nonzero_without_traceback(managed_test_server, tmp_path):
    proc = _cli(["cypher", "RETURN 1"], {"NEO4J_URI": managed_test_server.uri, "NEO4J_PASSWORD": "wrong"}, tmp_path)
    assert proc.returncode == 3
    assert "wrong user or password" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_cli_server_down_exits_nonzero_with_advice(tmp_path):
    # a managed home that has never been installed: nothing listens on its port
    proc = _cli(
        ["cypher", "RETURN 1"],
        {"COORDGRAPH_HOME": str(tmp_path / "home"), "COORDGRAPH_BOLT_PORT": "1"},
        tmp_path,
    )
    assert proc.returncode == 3
    assert "Cannot reach Neo4j" in proc.stderr and "coordgraph server start" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_cypher_passes_parameters(managed_test_server, tmp_path):
    password = managed_test_server.password_file.read_text().strip()
    hostile = "'}) DETACH DELETE n //"
    proc = _cli(
        ["cypher", "RETURN $text AS text, $n + 1 AS m", "--param", f"text={hostile}", "--param", "n=41", "--format", "json"],
        {"NEO4J_URI": managed_test_server.uri, "NEO4J_PASSWORD": password},
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == '{"text":"\'}) DETACH DELETE n //","m":42}'



def test_start_refuses_ports_taken_by_another_server(managed_test_server, tmp_path):
    from coordgraph.config import ServerLayout
    from coordgraph.errors import ServerError

    other = ServerLayout(home=tmp_path / "server", password_file=tmp_path / "pw",
                         bolt_port=managed_test_server.bolt_port, http_port=managed_test_server.http_port)
    (other.home).mkdir(parents=True)
    (other.home / runtime.INSTALLED_MARKER).write_text("")
    other.password_file.write_text("x")
    with pytest.raises(ServerError, match="already in use"):
        runtime.start(other, log=lambda *_: None)
    assert runtime.read_pid(other) is None
