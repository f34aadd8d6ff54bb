"""`coordgraph db clear` empties the database on the running server and keeps its constraints and indexes."""

from __future__ import annotations

import os
import subprocess
import sys

from coordgraph.ingest import ingest_paths
from helpers import fingerprint

CLI = [sys.executable, "-m", "coordgraph.cli", "db", "clear"]


def _clear(neo4j_conn, tmp_path, *args, answer=""):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=neo4j_conn.uri, NEO4J_USER=neo4j_conn.user, NEO4J_PASSWORD=neo4j_conn.password)
    return subprocess.run(CLI + list(args), input=answer, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


def _schema(session) -> list[str]:
    return sorted([r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")]
                  + [r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name")])


def test_db_clear_asks_deletes_everything_keeps_the_schema_and_the_same_load_gives_the_same_graph(clean_db, neo4j_conn,
                                                                                                shared_data, tmp_path):
    files = [str(shared_data / "twitter-v1.1"), str(shared_data / "twarc2-v2" / "twarc-csv" / "2sets.jsonl")]
    first = ingest_paths(clean_db, files, progress=False, rejects_dir=tmp_path)
    loaded = fingerprint(clean_db)
    with clean_db.session() as s:
        nodes = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        rels = s.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
        schema = _schema(s)
    assert nodes > 100 and rels > 100

    refused = _clear(neo4j_conn, tmp_path, answer="n\n")
    assert refused.returncode == 1 and "Nothing deleted" in refused.stdout
    assert f"holds {nodes:,} nodes and {rels:,} relationships" in refused.stdout
    assert fingerprint(clean_db) == loaded

    done = _clear(neo4j_conn, tmp_path, "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Deleted {nodes:,} nodes and {rels:,} relationships" in done.stdout
    with clean_db.session() as s:
        assert s.run("MATCH (n) RETURN count(n) AS n").single()["n"] == 0
        assert _schema(s) == schema and len(schema) > 10

    again = _clear(neo4j_conn, tmp_path, "--yes")
    assert again.returncode == 0 and "Nothing to delete" in again.stdout

    reloaded = ingest_paths(clean_db, files, progress=False, rejects_dir=tmp_path)
    assert (reloaded.events, reloaded.rejected) == (first.events, first.rejected)
    assert fingerprint(clean_db) == loaded
