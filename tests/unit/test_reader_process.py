"""The reader child: when it is used, and that closing its stream stops it (no server)."""

from __future__ import annotations

import io

import psutil
import pytest

from coordgraph.errors import InputError
from coordgraph.ingest.reading import PROCESS_MIN_BYTES, reads_in_child, stream_inputs


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


def test_closing_the_stream_stops_the_reader_process(shared_data):
    messages = stream_inputs([str(shared_data / "coortweet" / "russian_coord_tweets.csv")], "auto", 10, in_process=False)
    next(messages)
    child = reader_children()
    assert len(child) == 1
    messages.close()
    gone, alive = psutil.wait_procs(child, timeout=10)
    assert not alive and not reader_children()
