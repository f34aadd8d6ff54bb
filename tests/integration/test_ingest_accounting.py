"""Every input line is loaded, rejected or skipped (never lost); values that cannot be true are rejected with the
reason; folders are walked by content, not by file names."""

from __future__ import annotations

import csv
import gzip
import json

from coordgraph.ingest import ingest_paths


def _tweet(tid, created="2021-06-01T10:00:00.000Z", author="11"):
    return {"id": tid, "author_id": author, "text": f"post {tid}", "created_at": created}


def _line(obj) -> bytes:
    return json.dumps(obj).encode()


ODD_LINES = [
    b"\xef\xbb\xbf" + _line(_tweet("1400000000000000001")),                                  # BOM: loaded
    b"",                                                                                      # blank: skipped
    b"   \t ",                                                                                # whitespace: skipped
    _line(_tweet("1400000000000000004")) + b"\r",                                             # CRLF: loaded
    b"42",                                                                                    # a scalar: rejected
    b'["not an object"]',                                                                     # an array: rejected
    b"[]",                                                                                    # an empty array: skipped
    b'{"a": {"b": [1, {"c": ',                                                                # nested garbage: rejected
    b'{"id": 123456789012345678901234567890, "author_id": "12", "text": "x", "created_at": "2021-06-01T10:00:00Z"}',
    # ^ a number id wider than 64 bits: loaded with its exact digits
    _line(_tweet("1400000000000000010", author={"nested": 1})),                               # non-scalar id
    _line(_tweet("1400000000000000011", created="0001-01-01T00:00:00Z")),                    # before Twitter
    _line(_tweet("1400000000000000012", created="2999-01-01T00:00:00Z")),                    # in the future
    b"null",                                                                                  # rejected
    _line(_tweet(1400000000000000014)),                                                       # a 64-bit number id: exact
]


def test_every_line_of_an_odd_file_is_loaded_rejected_or_skipped(clean_db, tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b"\n".join(ODD_LINES) + b"\n")
    summary = ingest_paths(clean_db, [path], progress=False, rejects_dir=tmp_path)
    f = summary.files[0]
    assert f.rows == len(ODD_LINES) == f.loaded + f.rejected + f.skipped, f
    assert (f.loaded, f.rejected, f.skipped) == (4, 7, 3), f
    rejects = [json.loads(x) for x in summary.rejects_path.read_text().splitlines()]
    by_line = {r["line"]: r for r in rejects}
    assert sorted(by_line) == [5, 6, 8, 10, 11, 12, 13]
    assert "single value" in by_line[10]["reason"] and by_line[10]["field"].endswith("author_id")
    assert "2006-03-21" in by_line[11]["reason"] and "before" in by_line[11]["reason"]
    assert "after" in by_line[12]["reason"]
    with clean_db.session() as s:
        tweets = s.run("MATCH (t:Tweet) RETURN t.id AS id ORDER BY id").value()
        accounts = s.run("MATCH (a:Account) RETURN a.id AS id").value()
    assert tweets == ["123456789012345678901234567890", "1400000000000000001", "1400000000000000004",
                      "1400000000000000014"]
    assert sorted(accounts) == ["11", "12"]  # no account named "{'nested': 1}", no float id


def _generic_csv(path, times):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "action", "post_id", "time"])
        for i, t in enumerate(times):
            w.writerow([f"acc{i}", "post", f"p{i}", t])


IMPOSSIBLE = ["0001-01-01T00:00:00Z", "1800-05-01T00:00:00Z", "2999-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "-1", "1.5"]


def test_impossible_times_in_a_generic_csv_are_rejected_with_the_reason(clean_db, tmp_path):
    path = tmp_path / "times.csv"
    _generic_csv(path, ["2021-03-01T10:00:00Z", *IMPOSSIBLE])
    summary = ingest_paths(clean_db, [path], progress=False, rejects_dir=tmp_path)
    f = summary.files[0]
    assert (f.rows, f.loaded, f.rejected) == (7, 1, 6)
    rejects = [json.loads(x) for x in summary.rejects_path.read_text().splitlines()]
    assert {r["field"] for r in rejects} == {"time"}
    assert all("before" in r["reason"] or "after" in r["reason"] for r in rejects), rejects
    # the plausible range is an option: an archive of old posts loads with an earlier bound
    old = tmp_path / "old.csv"
    _generic_csv(old, ["1800-05-01T00:00:00Z"])
    summary = ingest_paths(clean_db, [old], progress=False, rejects_dir=tmp_path, earliest="1700-01-01")
    assert summary.files[0].loaded == 1 and summary.rejected == 0


def test_folder_walk_decides_by_content(clean_db, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    body = _line(_tweet("1400000000000000101")) + b"\n"
    (folder / "capture.dat").write_bytes(gzip.compress(body))           # gzip with an odd name
    _generic_csv(folder / "POSTS", ["2021-03-01T10:00:00Z"])             # no extension
    (folder / "notes.md").write_text("# Notes\nwhat we found\n")         # prose: not data
    (folder / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # an image: not data
    (folder / "model.rda").write_bytes(gzip.compress(b"RDX3\nX\n" + bytes(64)))  # R data (gzip inside): not data
    summary = ingest_paths(clean_db, [folder], progress=False, rejects_dir=tmp_path)
    by_name = {f.path.rsplit("/", 1)[1]: f for f in summary.files}
    assert by_name["capture.dat"].loaded == 1 and by_name["POSTS"].loaded == 1
    for name in ("notes.md", "plot.png", "model.rda"):
        f = by_name[name]
        assert (f.rows, f.skipped, f.rejected) == (1, 1, 0), name
        assert "not a data file" in next(iter(f.skip_reasons)), name
    assert summary.rejected == 0
