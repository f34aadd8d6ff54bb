"""Inputs parsed in a reader child process load exactly as when parsed in the loading process: same graph, same
counts, same rejects and skips; and the choice between the two follows the input size and the environment."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from coordgraph.errors import InputError
from coordgraph.ingest import ingest_paths
from coordgraph.ingest.reading import PROCESS_MIN_BYTES, reads_in_child, stream_inputs

from test_ingest_write_paths import fingerprint, wipe


def load(driver, tmp_path, paths, **kw):
    return ingest_paths(driver, [str(p) for p in paths], progress=False, rejects_path=tmp_path / f"rejects-{kw.get('reader_in_process')}.jsonl", **kw)


def reader_children() -> list[psutil.Process]:
    """This process's input-reader children (the test session may also be the parent of the Neo4j server)."""
    found = []
    for child in psutil.Process().children():
        try:
            if "coordgraph.ingest.reading" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass  # ended between listing and reading
    return found


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


def test_reader_choice_follows_size_environment_and_stdin(tmp_path, monkeypatch, shared_data):
    small = shared_data / "twarc2-v2" / "twarc-network" / "tweets.jsonl"
    assert small.stat().st_size < PROCESS_MIN_BYTES
    big = tmp_path / "big.jsonl"
    with open(big, "wb") as fh:
        fh.truncate(PROCESS_MIN_BYTES)  # only the size is looked at
    assert not reads_in_child([str(small)])
    assert reads_in_child([str(big)]) and reads_in_child([str(small), str(big)])
    assert reads_in_child(["-"])  # stdin's size is unknown: the child reads it (it inherits stdin)
    assert reads_in_child([str(small)], in_process=False) and not reads_in_child([str(big)], in_process=True)
    monkeypatch.setenv("COORDGRAPH_INGEST_READER", "process")
    assert reads_in_child([str(small)])
    monkeypatch.setenv("COORDGRAPH_INGEST_READER", "inline")
    assert not reads_in_child([str(big)]) and not reads_in_child(["-"])
    monkeypatch.setenv("COORDGRAPH_INGEST_READER", "sideways")
    with pytest.raises(InputError, match="COORDGRAPH_INGEST_READER"):
        reads_in_child([str(small)])

    def children_used(paths, in_process=None) -> bool:
        messages = stream_inputs([str(p) for p in paths], "auto", 50, in_process=in_process)
        next(messages)
        used = bool(reader_children())
        messages.close()
        return used

    monkeypatch.delenv("COORDGRAPH_INGEST_READER")
    assert not children_used([small])
    assert children_used([small], in_process=False)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(small.read_bytes())))
    assert not children_used(["-"], in_process=True)  # stdin read inline, from this process


@pytest.mark.parametrize("reader", ["inline", "process"])
def test_stdin_loads_the_same_either_way(clean_db, neo4j_conn, tmp_path, shared_data, reader):
    """`coordgraph ingest -` through the reader child (it inherits stdin) or inline: same counts, same rejects."""
    body = (shared_data / "twarc2-v2" / "twarc-csv" / "flat.jsonl").read_bytes() + b"{broken\n"
    rejects = tmp_path / "rejects.jsonl"
    cmd = [sys.executable, "-m", "coordgraph.cli", "ingest", "-", "--rejects", str(rejects), "--quiet", "--max-rejects", "1",
           "--uri", neo4j_conn.uri, "--user", neo4j_conn.user, "--password", neo4j_conn.password]
    res = subprocess.run(cmd, input=body, capture_output=True, timeout=300, cwd=Path(__file__).resolve().parents[1], env={**os.environ, "COORDGRAPH_INGEST_READER": reader})
    assert res.returncode == 0, res.stderr
    via_stdin = fingerprint(clean_db)
    [reject] = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert reject["file"] == "<stdin>" and reject["line"] == body.count(b"\n") and "malformed JSON" in reject["reason"]
    wipe(clean_db)
    load(clean_db, tmp_path, [shared_data / "twarc2-v2" / "twarc-csv" / "flat.jsonl"])
    assert fingerprint(clean_db) == via_stdin and via_stdin["rels"]


def test_closing_the_stream_stops_the_reader_process(shared_data):
    messages = stream_inputs([str(shared_data / "coortweet" / "russian_coord_tweets.csv")], "auto", 10, in_process=False)
    next(messages)
    child = reader_children()
    assert len(child) == 1
    messages.close()
    gone, alive = psutil.wait_procs(child, timeout=10)
    assert not alive and not reader_children()
