"""The generated files load through the real ingest path without rejects."""

from __future__ import annotations

import csv
import importlib
import importlib.util
import json

import pytest

from coordgraph.synth import generate


def _ingest():
    """``coordgraph.ingest.ingest_paths`` when the ingest part exists (this test needs it)."""
    if importlib.util.find_spec("coordgraph.ingest") is None:
        return None
    return getattr(importlib.import_module("coordgraph.ingest"), "ingest_paths", None)


ingest_paths = _ingest()
pytestmark = pytest.mark.skipif(ingest_paths is None, reason="coordgraph.ingest.ingest_paths does not exist yet")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synth-ingest") / "s", seed=21, scale=0.05, days=35)


def _count(driver, query: str) -> int:
    with driver.session() as session:
        return session.run(query).single()[0]


def test_collection_and_status_load_without_rejects(clean_db, scenario, tmp_path):
    summary = ingest_paths(clean_db, scenario.ingest_paths, progress=False, rejects_dir=tmp_path)
    assert summary.rejected == 0 and summary.skipped == 0 and summary.rejects_path is None
    assert {f.format for f in summary.files} == {"twarc2", "status"}
    truth = scenario.ground_truth()
    counts = truth["counts"]
    assert _count(clean_db, "MATCH (a:Account) RETURN count(a)") == counts["accounts_in_data"]
    assert _count(clean_db, "MATCH ()-[r:RETWEETED]->() RETURN count(r)") == counts["retweets"]
    assert _count(clean_db, "MATCH (t:Tweet) WHERE NOT coalesce(t.stub, false) RETURN count(t)") == (
        counts["originals"] + counts["replies"] + counts["quotes"])
    media = set()
    for path in scenario.twarc_paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            media.update(m["media_key"] for m in json.loads(line)["includes"].get("media", []))
    assert media and _count(clean_db, "MATCH (m:Media) RETURN count(m)") == len(media)
    with clean_db.session() as session:
        rows = session.run(
            "UNWIND $ids AS id MATCH (a:Account {id: id}) RETURN a.status AS status, count(*) AS n",
            ids=[m["id"] for m in truth["network"]["members"]],
        ).data()
    assert {r["status"]: r["n"] for r in rows} == truth["network"]["status_counts"]


def test_io_archive_loads_without_rejects(clean_db, scenario, tmp_path):
    summary = ingest_paths(clean_db, [scenario.io_users_path, scenario.io_tweets_path], progress=False, rejects_dir=tmp_path)
    assert summary.rejected == 0 and summary.rejects_path is None
    truth = scenario.ground_truth()
    hashed = [m["io_userid"] for m in truth["network"]["members"]]
    with clean_db.session() as session:
        found = session.run("UNWIND $ids AS id MATCH (a:Account {id: id}) RETURN count(a) AS n", ids=hashed).single()["n"]
        retweets = session.run("MATCH (a:Account)-[r:RETWEETED]->() WHERE a.id IN $ids RETURN count(r) AS n", ids=hashed).single()["n"]
    assert found == len(hashed)
    with scenario.io_tweets_path.open(encoding="utf-8", newline="") as fh:
        expected = sum(1 for row in csv.DictReader(fh) if row["is_retweet"] == "True")
    assert retweets == expected
