"""Inputs parsed in a reader child process load exactly as when parsed in the loading process: same graph, same
counts, same rejects and skips; and the choice between the two follows the input size and the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coordgraph.ingest import ingest_paths
from helpers import REPO_ROOT, fingerprint, wipe


def load(driver, tmp_path, paths, **kw):
    return ingest_paths(driver, [str(p) for p in paths], progress=False, rejects_path=tmp_path / f"rejects-{kw.get('reader_in_process')}.jsonl", **kw)




def summary_facts(summary) -> list[tuple]:
    return [(Path(f.path).name, f.format, f.rows, f.loaded, f.rejected, f.skipped, f.events, f.sha256, dict(f.skip_reasons))
            for f in summary.files]


@pytest.fixture
def mixed_inputs(shared_data, tmp_path) -> list[Path]:
    """Raw pages, flattened lines, v1.1 and a CooRTweet CSV, plus a file with bad lines and a non-tweet line."""
    bad = tmp_path / "bad.jsonl"
    good = (shared_data / "twarc2-v2" / "twarc-csv" / "flat.jsonl").read_bytes().splitlines()
    bad.write_bytes(b"\n".join([good[0], b"{not json", b'{"id": "1", "action": "delete"}', b'["x"]', *good[1:5]]) + b"\n")
    return [shared_data / "twarc2-v2" / "twarc-csv" / "2sets.jsonl", shared_data / "twarc2-v2" / "twarc-csv" / "flat.jsonl",
            shared_data / "twitter-v1.1" / "get_search_raw.json", shared_data / "coortweet" / "russian_coord_tweets.csv", bad]


def test_reader_process_loads_the_same_graph_counts_and_rejects(clean_db, tmp_path, mixed_inputs):
    inline = load(clean_db, tmp_path, mixed_inputs, reader_in_process=True, batch_size=400)
    inline_graph = fingerprint(clean_db)
    wipe(clean_db)
    child = load(clean_db, tmp_path, mixed_inputs, reader_in_process=False, batch_size=400)
    assert fingerprint(clean_db) == inline_graph
    assert summary_facts(child) == summary_facts(inline)
    assert child.rejected == inline.rejected and child.skipped >= 1 and child.events > 1000
    rejects = [json.loads(line) for line in child.rejects_path.read_text(encoding="utf-8").splitlines()]
    assert rejects == [json.loads(line) for line in inline.rejects_path.read_text(encoding="utf-8").splitlines()]
    assert {r["line"] for r in rejects if Path(r["file"]).name == "bad.jsonl"} == {2, 4}




@pytest.mark.parametrize("reader", ["inline", "process"])
def test_stdin_loads_the_same_either_way(clean_db, neo4j_conn, tmp_path, shared_data, reader):
    """`coordgraph ingest -` through the reader child (it inherits stdin) or inline: same counts, same rejects."""
    body = (shared_data / "twarc2-v2" / "twarc-csv" / "flat.jsonl").read_bytes() + b"{broken\n"
    rejects = tmp_path / "rejects.jsonl"
    cmd = [sys.executable, "-m", "coordgraph.cli", "ingest", "-", "--rejects", str(rejects), "--quiet", "--max-rejects", "1",
           "--uri", neo4j_conn.uri, "--user", neo4j_conn.user, "--password", neo4j_conn.password]
    res = subprocess.run(cmd, input=body, capture_output=True, timeout=300, cwd=REPO_ROOT, env={**os.environ, "COORDGRAPH_INGEST_READER": reader})
    assert res.returncode == 0, res.stderr
    via_stdin = fingerprint(clean_db)
    [reject] = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert reject["file"] == "<stdin>" and reject["line"] == body.count(b"\n") and "malformed JSON" in reject["reason"]
    wipe(clean_db)
    load(clean_db, tmp_path, [shared_data / "twarc2-v2" / "twarc-csv" / "flat.jsonl"])
    assert fingerprint(clean_db) == via_stdin and via_stdin["rels"]


