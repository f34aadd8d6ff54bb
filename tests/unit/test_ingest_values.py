"""The rules every reader applies, without a database: plausible times for a load, ids as exact text."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from coordgraph.ingest.sources import not_data_reason
from coordgraph.ingest.values import BadValue, TimeBounds, id_text, parse_time_ms, plausible_times


def test_time_bounds_without_a_database():
    load = datetime(2026, 1, 1, tzinfo=timezone.utc)
    twitter = TimeBounds.for_format("twarc2", load)
    with plausible_times(twitter):
        assert parse_time_ms("2006-03-21T20:50:14Z", "t") > 0
        with pytest.raises(BadValue, match="2006-03-21"):
            parse_time_ms("2006-03-20T00:00:00Z", "t")
        with pytest.raises(BadValue, match="after"):
            parse_time_ms("2026-01-03T00:00:00Z", "t")
        assert parse_time_ms("2026-01-01T23:00:00Z", "t")  # within a day of the load
    with plausible_times(TimeBounds.for_format("csv:generic", load)):
        with pytest.raises(BadValue, match="1990-01-01"):
            parse_time_ms(-1, "t")
        assert parse_time_ms("1995-01-01", "t")
    assert parse_time_ms("1800-01-01T00:00:00Z", "t") < 0  # outside a load, no plausibility bound applies


def test_ids_are_exact_text_or_rejected():
    assert id_text(1400000000000000014, "id") == "1400000000000000014"
    assert id_text("abc", "id") == "abc"
    for bad, reason in [(1.2345678901234568e29, "floating-point"), (1.5, "whole"), ({"nested": 1}, "single value"),
                        ([1], "single value"), (True, "single value"), ("", "missing"), (None, "missing")]:
        with pytest.raises(BadValue, match=reason):
            id_text(bad, "author_id")


def test_not_data_is_decided_by_content(tmp_path):
    import gzip

    cases = {
        "a.dat": (gzip.compress(b'{"id": "1"}\n'), None),
        "noext": (b"account_id,action,post_id,time\n", None),
        "unknown_columns.txt": (b"user,when,what\n", None),  # column names: read, so an unknown layout is reported
        "bom.csv": (b"\xef\xbb\xbfmessage_id,user_id,repost_id,reply_id,timestamp\n", None),
        "empty.csv": (b"", None),
        "notes.md": (b"# Notes, with a comma (and more)\n", "first line"),
        "graph.graphml": (b"<?xml version='1.0'?>\n<graphml/>", "XML"),
        "plot.png": (b"\x89PNG\r\n\x1a\n" + bytes(16), "PNG"),
        "model.rda": (gzip.compress(b"RDX3\nX\n"), "R data"),
        "blob.bin": (b"ab\x00cd", "binary"),
    }
    for name, (content, expected) in cases.items():
        (tmp_path / name).write_bytes(content)
        reason = not_data_reason(str(tmp_path / name))
        if expected is None:
            assert reason is None, (name, reason)
        else:
            assert reason and expected in reason, (name, reason)


def test_importer_heap_is_at_least_a_gibibyte():
    from coordgraph.runtime import importer_heap

    assert importer_heap("768m") == "1024m"
    assert importer_heap("512M") == "1024m"
    assert importer_heap("1500m") == "1500m"
    assert importer_heap("2g") == "2g"
