"""Output that is not a terminal (a pipe, a file, a test runner) carries ids and paths whole, never cut with '…'."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

from typer.testing import CliRunner

from coordgraph import runs
from coordgraph.cli.app import app


def _login(conn):
    return ["--uri", conn.uri, "--user", conn.user, "--password", conn.password]


def _long_path_file(tmp_path):
    folder = tmp_path / ("case-folder-with-a-long-descriptive-name-" * 2) / "collected-2021-06-from-the-api"
    folder.mkdir(parents=True)
    path = folder / "engagements-of-the-accounts-under-investigation.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "action", "post_id", "time"])
        w.writerow(["a1", "post", "p1", "2021-06-01T10:00:00Z"])
    return path


def test_ingest_and_query_output_keep_paths_and_run_ids_whole(clean_db, neo4j_conn, tmp_path):
    path = _long_path_file(tmp_path)
    result = CliRunner().invoke(app, ["ingest", str(path), *_login(neo4j_conn)])
    assert result.exit_code == 0, result.output
    assert str(path) in result.output and "…" not in result.output, result.output
    run_id = runs.create(clean_db, "{}")
    result = CliRunner().invoke(app, ["query", "runs", *_login(neo4j_conn)])
    assert result.exit_code == 0, result.output
    assert run_id in result.output and "…" not in result.output, result.output


def test_piped_cli_output_keeps_paths_whole(clean_db, neo4j_conn, tmp_path):
    path = _long_path_file(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.run([sys.executable, "-m", "coordgraph.cli", "ingest", str(path), *_login(neo4j_conn)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert str(path) in proc.stdout and "…" not in proc.stdout, proc.stdout
