"""The import files say which of them hold a line break inside a value: the importer parses only those line by
line (the others in parallel blocks), so a file left out of the list with a line break in it would be misread."""

from __future__ import annotations

import csv
from pathlib import Path

from coordgraph import runtime
from coordgraph.ingest import import_files as imp


def _has_line_break(path: Path) -> bool:
    with open(path, newline="", encoding="utf-8", errors="surrogatepass") as fh:
        return any("\n" in cell or "\r" in cell for row in csv.reader(fh) for cell in row)


def test_the_files_with_line_breaks_are_listed_exactly(shared_data, tmp_path):
    spool, tmp, out = tmp_path / "spool", tmp_path / "tmp", tmp_path / "import"
    for folder in (spool, tmp, out):
        folder.mkdir()
    paths = sorted(str(p) for p in (shared_data / "twarc2-v2").rglob("*.jsonl"))
    imp.read_all(imp.plan_parts(paths, "auto", 1), spool, 5000, 1, {})
    assert not imp.fold_retweets(spool, tmp, None)
    files = imp.fold_all(spool, out, tmp)
    written = [*files.nodes.values(), *files.relationships.values()]
    assert files.multiline == {p for p in written if _has_line_break(p)}
    assert out / "node_Tweet.csv" in files.multiline  # real posts hold line breaks
    assert out / "rel_POSTED.csv" not in files.multiline


def test_rows_and_node_rows_with_line_breaks(tmp_path):
    plain = imp._CsvFile(tmp_path / "a.csv", ["x:ID(A)"])
    plain.row(["one"])
    plain.row([12])
    broken = imp._CsvFile(tmp_path / "b.csv", ["x:ID(A)"])
    broken.row(["two\r"])
    nodes = imp._node_file(tmp_path / "t.csv", imp.TWEET_COLUMNS)
    imp._write_node(nodes, imp.TWEET_COLUMNS, {"id": "1", "text": "a\nb", "stub": False}, "Tweet")
    for f in (plain, broken, nodes):
        f.close()
    assert (plain.multiline, broken.multiline, nodes.multiline) == (False, True, True)
    assert imp.write_sources(tmp_path / "s.csv", [{"key": "k", "path": "/a\nb", "completed": True}])
    assert not imp.write_sources(tmp_path / "s2.csv", [{"key": "k", "path": "/a", "completed": True}])


def test_the_importer_is_told_which_files_hold_line_breaks():
    assert runtime._multiline_args(None) == ["--multiline-fields=true"]
    assert runtime._multiline_args(set()) == []
    assert runtime._multiline_args({Path("/w/b.csv"), Path("/w/a.csv")}) == [
        "--multiline-fields-format=v2", "--multiline-fields=/w/a.csv,/w/b.csv"]
    assert runtime._multiline_args({Path("/w,x/a.csv")}) == ["--multiline-fields=true"]
