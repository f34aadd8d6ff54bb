"""The bulk path (offline importer into an empty database) builds the same graph as the online path.

The bulk loads run on a server of their own (a throw-away home; ports COORDGRAPH_BULK_TEST_BOLT_PORT /
_HTTP_PORT, default 7741/7751), since they stop and start it. The online loads run on the shared test server.
Both graphs are exported with Cypher (every label, relationship type and property) and compared, together with
the per-file summaries and the rejected rows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from coordgraph import db, runtime
from coordgraph.config import Connection, ServerLayout
from coordgraph.ingest import import_files
from coordgraph.ingest.bulk import DatabaseNotEmpty, bulk_ingest_paths
from coordgraph.ingest.pipeline import ingest_paths
from coordgraph.synth import generate
from helpers import wipe

# a node is named by its label and key; Source times and the rejects file's name differ between any two loads
NODE_EXPORT = """
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
"""
REL_EXPORT = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, properties(r) AS props,
       labels(a) AS a_labels, coalesce(a.id, a.key, a.tag, a.url, a.name) AS a_key,
       labels(b) AS b_labels, coalesce(b.id, b.key, b.tag, b.url, b.name) AS b_key
"""
SCHEMA_EXPORT = "SHOW CONSTRAINTS YIELD name RETURN name"
VOLATILE = {"loaded_at", "finished_at", "rejects_file"}


def export(driver) -> tuple[list, list]:
    """Every node (labels, properties) and relationship (type, properties, end nodes), sorted."""
    with driver.session() as session:
        nodes = []
        for r in session.run(NODE_EXPORT):
            props = {k: _plain(v) for k, v in r["props"].items() if k not in VOLATILE}
            if "rejects_file" in r["props"]:
                props["has_rejects_file"] = True
            nodes.append(json.dumps([sorted(r["labels"]), props], sort_keys=True, default=str))
        rels = [json.dumps([r["type"], {k: _plain(v) for k, v in r["props"].items()}, sorted(r["a_labels"]), r["a_key"],
                            sorted(r["b_labels"]), r["b_key"]], sort_keys=True, default=str)
                for r in session.run(REL_EXPORT)]
    return sorted(nodes), sorted(rels)


def _plain(value):
    if hasattr(value, "to_native"):
        native = value.to_native()
        return [native.isoformat(), str(native.utcoffset())] if hasattr(native, "utcoffset") else native.isoformat()
    return value


def _node_differences(online: list[str], bulk: list[str]) -> list:
    """The differing properties of the first few nodes that differ (online value, bulk value)."""
    def keyed(rows):
        out = {}
        for row in rows:
            labels, props = json.loads(row)
            out[(tuple(labels), props.get("id") or props.get("key") or props.get("tag") or props.get("url") or props.get("name"))] = props
        return out
    a, b = keyed(set(online) - set(bulk)), keyed(set(bulk) - set(online))
    diffs = []
    for key in sorted(set(a) | set(b), key=str)[:5]:
        pa, pb = a.get(key, {}), b.get(key, {})
        diffs.append((key, {k: (pa.get(k), pb.get(k)) for k in set(pa) | set(pb) if pa.get(k) != pb.get(k)}))
    return diffs


def summary_facts(summary) -> list:
    return [(Path(f.path).name, f.format, f.rows, f.loaded, f.rejected, f.skipped, f.events, sorted(f.skip_reasons.items()), f.error)
            for f in summary.files]


def reject_lines(path: Path | None) -> list:
    if path is None:
        return []
    return sorted(path.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory, managed_test_server):
    """A server of its own for the bulk loads (they stop and start it); the jars are taken from the test server."""
    home = tmp_path_factory.mktemp("bulk-server")
    layout = ServerLayout(
        home=home / "server", password_file=home / "neo4j-password",
        bolt_port=int(os.environ.get("COORDGRAPH_BULK_TEST_BOLT_PORT", 7741)),
        http_port=int(os.environ.get("COORDGRAPH_BULK_TEST_HTTP_PORT", 7751)),
        heap="768m", pagecache="128m",
    )
    for sub in ("lib", "plugins", runtime.PLUGIN_LIBS):
        (layout.home / sub).mkdir(parents=True)
        for jar in (managed_test_server.home / sub).glob("*.jar"):
            (layout.home / sub / jar.name).symlink_to(jar)
    (layout.home / runtime.INSTALLED_MARKER).write_text((managed_test_server.home / runtime.INSTALLED_MARKER).read_text())
    runtime._write_config(layout)
    runtime._set_initial_password(layout)
    runtime.start(layout, log=lambda *_: None)
    yield layout
    runtime.stop(layout)


def _bulk_driver(layout: ServerLayout):
    conn = Connection(uri=layout.uri, user="neo4j", password=layout.password_file.read_text().strip(), managed=True)
    return db.connect(conn, require_gds=False)


def _compare(paths, clean_db, bulk_server, tmp_path, monkeypatch):
    """Load ``paths`` online (test server) and in bulk (own server, inputs cut into parts); compare everything."""
    online = ingest_paths(clean_db, paths, progress=False, rejects_path=tmp_path / "online.jsonl")
    online_graph = export(clean_db)
    monkeypatch.setattr(import_files, "SPLIT_MIN_BYTES", 1 << 16)  # small files are cut too: parts in 2 processes
    driver = _bulk_driver(bulk_server)
    wipe(driver)
    messages: list[str] = []
    summary, driver = bulk_ingest_paths(driver, bulk_server, paths, log=messages.append, rejects_path=tmp_path / "bulk.jsonl",
                                        workers=2, reconnect=lambda: _bulk_driver(bulk_server))
    try:
        bulk_graph = export(driver)
        with driver.session() as session:
            constraints = {r["name"] for r in session.run(SCHEMA_EXPORT)}
    finally:
        driver.close()
    assert any("neo4j-admin database import full" in m for m in messages), messages
    assert {"account_id", "tweet_id", "retweet_id", "source_key"} <= constraints
    assert summary_facts(summary) == summary_facts(online)
    assert reject_lines(summary.rejects_path) == reject_lines(online.rejects_path)
    assert len(bulk_graph[0]) == len(online_graph[0]) and len(bulk_graph[1]) == len(online_graph[1])
    assert bulk_graph[0] == online_graph[0], _node_differences(online_graph[0], bulk_graph[0])
    missing_rels = sorted(set(online_graph[1]) - set(bulk_graph[1]))[:3]
    extra_rels = sorted(set(bulk_graph[1]) - set(online_graph[1]))[:3]
    assert bulk_graph[1] == online_graph[1], (missing_rels, extra_rels)
    return online, summary


@pytest.mark.timeout(3600)  # two loads of 260,000 events, a server restart and two full exports on 2 cores
def test_bulk_equals_online_on_real_samples(shared_data, clean_db, bulk_server, tmp_path, monkeypatch):
    paths = [shared_data / "twarc2-v2", shared_data / "twitter-v1.1",
             shared_data / "coortweet" / "russian_coord_tweets.csv", shared_data / "coortweet" / "german_elections.csv"]
    online, bulk = _compare([str(p) for p in paths], clean_db, bulk_server, tmp_path, monkeypatch)
    assert bulk.rejected > 0 and bulk.skipped > 0  # the samples hold both: they are compared above
    assert bulk.events > 250_000


@pytest.mark.timeout(2400)
def test_bulk_equals_online_on_generated_scenario(clean_db, bulk_server, tmp_path, tmp_path_factory, monkeypatch):
    scenario = generate(tmp_path_factory.mktemp("bulk-synth") / "s", seed=5, scale=0.05, days=30)
    _compare([str(p) for p in scenario.ingest_paths], clean_db, bulk_server, tmp_path, monkeypatch)


def test_bulk_refuses_a_database_holding_anything(bulk_server, shared_data, tmp_path):
    driver = _bulk_driver(bulk_server)
    try:
        with driver.session() as session:
            session.run("CREATE (:Note {text: $text})", text="an investigator's note").consume()
        with pytest.raises(DatabaseNotEmpty):
            bulk_ingest_paths(driver, bulk_server, [str(shared_data / "twitter-v1.1")], log=lambda _m: None,
                              rejects_path=tmp_path / "r.jsonl", reconnect=lambda: _bulk_driver(bulk_server))
        with driver.session() as session:
            assert session.run("MATCH (n:Note) RETURN n.text AS t").single()["t"] == "an investigator's note"
    finally:
        wipe(driver)
        driver.close()


def test_online_profile_time_is_the_latest_snapshot(clean_db, tmp_path):
    """A profile re-sent unchanged in a newer snapshot moves ``profile_ms`` on (as the bulk fold does), so an
    older snapshot arriving after it does not replace the values."""
    path = tmp_path / "profiles.csv"
    path.write_text(
        "account_id,action,post_id,time,username,name\n"
        "a1,post,p1,2024-05-01T10:00:00Z,alice,Alice A\n"
        "a1,post,p2,2024-05-03T10:00:00Z,alice,Alice A\n"
        "a1,post,p3,2024-05-02T10:00:00Z,alice,Alice Older\n",
        encoding="utf-8",
    )
    ingest_paths(clean_db, [str(path)], progress=False, batch_size=1, rejects_path=tmp_path / "r.jsonl")
    with clean_db.session() as session:
        row = session.run("MATCH (a:Account {id: 'a1'}) RETURN a.name AS name, a.profile_ms AS ms").single()
    assert row["name"] == "Alice A"
    assert row["ms"] == 1714730400000  # 2024-05-03T10:00:00Z


def test_the_importer_runs_with_at_least_a_gibibyte_of_heap(bulk_server, tmp_path):
    """The bulk server is configured with 768 MB; the importer (in a JVM of its own) must still
    get 1 GiB, or it runs out of heap on the real samples."""
    nodes = tmp_path / "node_Probe.csv"
    nodes.write_text("id:ID\nprobe\n", encoding="utf-8")
    runtime.stop(bulk_server)
    try:
        output = runtime.import_full(bulk_server, {"Probe": nodes}, {}, database="heapprobe")
    finally:
        for path in runtime.database_paths(bulk_server, "heapprobe"):
            shutil.rmtree(path, ignore_errors=True)
        runtime.start(bulk_server, log=lambda *_: None)
    heap = re.search(r"Max heap memory\s*:\s*([\d.]+)\s*([MG]iB)", output)
    assert heap, output[-2000:]
    assert float(heap.group(1)) * (1024 if heap.group(2) == "GiB" else 1) >= 1024, heap.group(0)


def test_server_reset_empties_the_database_and_the_next_load_is_whole(bulk_server, shared_data, tmp_path):
    """`coordgraph server reset` asks first, deletes the database's store and transaction logs, starts the server
    with the same password, and the same load afterwards gives the same graph as into a fresh database."""
    import subprocess
    import sys

    from helpers import fingerprint

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(COORDGRAPH_HOME=str(bulk_server.home.parent), COORDGRAPH_BOLT_PORT=str(bulk_server.bolt_port),
               COORDGRAPH_HTTP_PORT=str(bulk_server.http_port), COORDGRAPH_HEAP=bulk_server.heap,
               COORDGRAPH_PAGECACHE=bulk_server.pagecache)

    def reset(*args, answer=""):
        return subprocess.run([sys.executable, "-m", "coordgraph.cli", "server", "reset", *args], input=answer,
                              capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)

    files = [str(shared_data / "twitter-v1.1"), str(shared_data / "twarc2-v2" / "twarc-csv" / "2sets.jsonl")]
    driver = _bulk_driver(bulk_server)
    try:
        wipe(driver)
        first = ingest_paths(driver, files, progress=False, rejects_dir=tmp_path)
        loaded = fingerprint(driver)
        assert loaded["nodes"] and loaded["rels"]
        # a delete leaves the store and its logs as large as before (the reason to reset instead)
        wipe(driver)
        ingest_paths(driver, files, progress=False, rejects_dir=tmp_path)
    finally:
        driver.close()
    transactions = runtime.database_paths(bulk_server)[1]
    logs_before = sum(p.stat().st_size for p in transactions.glob("neostore.transaction.db.*"))

    refused = reset(answer="n\n")
    assert refused.returncode == 1 and "Nothing deleted" in refused.stdout
    driver = _bulk_driver(bulk_server)
    try:
        assert fingerprint(driver) == loaded
    finally:
        driver.close()

    done = reset("--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert str(transactions) in done.stdout and "is empty and the server is running" in done.stdout
    assert runtime.read_pid(bulk_server)
    logs_after = sum(p.stat().st_size for p in transactions.glob("neostore.transaction.db.*"))
    assert logs_after < logs_before
    driver = _bulk_driver(bulk_server)  # the stored password still opens it
    try:
        with driver.session() as session:
            assert session.run("MATCH (n) RETURN count(n) AS n").single()["n"] == 0
            assert session.run("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n").single()["n"] == 0
        again = ingest_paths(driver, files, progress=False, rejects_dir=tmp_path)
        assert (again.events, again.rejected) == (first.events, first.rejected) and fingerprint(driver) == loaded
    finally:
        wipe(driver)
        driver.close()
