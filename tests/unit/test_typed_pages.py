"""The typed decoding of twarc2 pages gives the same records and rejects as the general decoding (no database)."""

from __future__ import annotations

import json

import pytest

from coordgraph.ingest import typed_pages
from coordgraph.ingest.reading import read_inputs
from coordgraph.ingest.sources import _json_value


def _messages(paths, monkeypatch, typed: bool) -> list:
    monkeypatch.setattr(typed_pages, "ENABLED", typed)
    return [repr(m) for m in read_inputs([str(p) for p in paths], "auto", 5000)]


def test_same_records_on_real_pages(shared_data, monkeypatch):
    paths = sorted((shared_data / "twarc2-v2").rglob("*.jsonl"))
    assert paths
    general = _messages(paths, monkeypatch, typed=False)
    typed = _messages(paths, monkeypatch, typed=True)
    assert typed == general


def test_typed_decoding_is_used_for_plain_pages():
    line = json.dumps({"data": [{"id": "1", "author_id": "2", "created_at": "2021-01-01T00:00:00Z", "text": "hi",
                                 "public_metrics": {"like_count": 3}}],
                       "includes": {"users": [{"id": "2", "username": "a", "withheld": {"x": 1}}]}}).encode()
    page = typed_pages.decode_page(line)
    assert page is not None
    assert "public_metrics" not in page["data"][0]  # unused fields are not decoded
    assert "withheld" not in page["includes"]["users"][0]


@pytest.mark.parametrize("line", [
    b'{"data": [{"id": {"x": 1}, "author_id": "2", "created_at": "2021-01-01T00:00:00Z", "text": "a"}]}',
    b'{"data": [{"id": 1.5, "author_id": "2", "created_at": "2021-01-01T00:00:00Z", "text": "a"}]}',
    b'{"data": [{"id": "1", "author_id": "2", "created_at": 5, "text": "a"}]}',
    b'{"data": [{"id": "1", "author_id": "2", "created_at": "2021-01-01T00:00:00Z", "text": "a", "referenced_tweets": ["x"]}]}',
    b'{"data": [{"id": "1", "user": {"id": 3}, "text": "a"}]}',
    b'{"data": [{"username": "u", "id": "3"}]}',
    b'{"data": "nope"}',
    b'{"data": [1, 2',
])
def test_unexpected_values_are_read_the_general_way(line, monkeypatch):
    """Whatever does not fit the declarations gives exactly what the general decoding gives."""
    typed = [repr(x) for x in _json_value(line, 7, "auto")]
    monkeypatch.setattr(typed_pages, "ENABLED", False)
    general = [repr(x) for x in _json_value(line, 7, "auto")]
    assert typed == general


def test_wide_numeric_ids_stay_exact():
    line = (b'{"data": [{"id": 123456789012345678901234567890, "author_id": 98765432109876543210987, '
            b'"created_at": "2021-01-01T00:00:00Z", "text": "a"}]}')
    bundle = next(x for x in _json_value(line, 1, "auto") if hasattr(x, "tweets"))
    assert bundle.tweets[0]["id"] == "123456789012345678901234567890"
    assert bundle.tweets[0]["author_id"] == "98765432109876543210987"
