"""Marking focal accounts with :Target (library and CLI)."""

from __future__ import annotations

import json
import subprocess
import sys

from coordgraph.ingest import ingest_paths
from coordgraph.ingest.targets import add_targets, list_targets, remove_targets
from helpers import REPO_ROOT

REPO = REPO_ROOT


def seed(driver, tmp_path):
    lines = []
    for i, name in enumerate(["AmbassadorLiu", "ChineseEmbassy", "SomeoneElse"]):
        lines.append({"id": str(500 + i), "author_id": str(10 + i), "text": f"post {i}", "created_at": "2021-01-01T00:00:00.000Z",
                      "author": {"id": str(10 + i), "username": name, "name": name, "public_metrics": {"followers_count": 100 * i}}})
    path = tmp_path / "targets.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    ingest_paths(driver, [str(path)], progress=False, rejects_dir=tmp_path)


def target_ids(driver) -> set[str]:
    with driver.session() as s:
        return {r["id"] for r in s.run("MATCH (a:Target) RETURN a.id AS id")}


def test_add_list_remove_by_handle_any_case_at_sign_or_id(clean_db, tmp_path):
    seed(clean_db, tmp_path)
    rows = add_targets(clean_db, ["@ambassadorliu", "11", "NoSuchHandle"])
    assert [(r["value"], r["id"], r["found"]) for r in rows] == [("@ambassadorliu", "10", True), ("11", "11", True), ("NoSuchHandle", None, False)]
    assert target_ids(clean_db) == {"10", "11"}
    listed = list_targets(clean_db)
    assert [(r["username"], r["posts"]) for r in listed] == [("AmbassadorLiu", 1), ("ChineseEmbassy", 1)]
    add_targets(clean_db, ["AMBASSADORLIU"])  # idempotent
    assert target_ids(clean_db) == {"10", "11"}
    removed = remove_targets(clean_db, ["ChineseEmbassy"])
    assert removed[0]["found"] and target_ids(clean_db) == {"10"}


def test_targets_cli(clean_db, neo4j_conn, tmp_path):
    seed(clean_db, tmp_path)
    auth = ["--uri", neo4j_conn.uri, "--user", neo4j_conn.user, "--password", neo4j_conn.password]

    def run(*args):
        return subprocess.run([sys.executable, "-m", "coordgraph.cli", "targets", *args, *auth], cwd=REPO, capture_output=True,
                              text=True, timeout=120)

    res = run("add", "ChineseEmbassy", "Nobody")
    assert res.returncode == 1 and "Not found in the graph: Nobody" in res.stderr
    assert "ChineseEmbassy" in res.stdout and target_ids(clean_db) == {"11"}
    res = run("list")
    assert res.returncode == 0 and "ChineseEmbassy" in res.stdout and "1 target(s)" in res.stdout
