"""Runs: what a user types resolves to exactly one run or a clear error; deleting a run touches no other run."""

from __future__ import annotations

import pytest

from coordgraph import runs
from coordgraph.errors import NoRunError
from helpers import OLD_RUN_ID, RUN_ID, build_case

COUNTS = """
MATCH (r:Run {id: $run_id})
RETURN 1 AS runs,
       COUNT { MATCH (c:Cluster {run_id: $run_id}) } AS clusters,
       COUNT { MATCH ()-[m:MEMBER_OF {run_id: $run_id}]->() } AS memberships,
       COUNT { MATCH ()-[e:COORDINATED {run_id: $run_id}]->() } AS edges
"""
NOT_RUN_DATA = "MATCH (n) WHERE NOT n:Run AND NOT n:Cluster RETURN count(n) AS nodes"


@pytest.fixture
def case(clean_db):
    build_case(clean_db)
    return clean_db


def _counts(driver, run_id: str) -> dict:
    record = driver.execute_query(COUNTS, run_id=run_id).records
    return dict(record[0]) if record else {"runs": 0, "clusters": 0, "memberships": 0, "edges": 0}


def test_resolve_full_id_latest_back_and_unique_prefix(case):
    assert runs.resolve(case, RUN_ID) == RUN_ID
    assert runs.resolve(case, None) == runs.resolve(case, "latest") == RUN_ID
    assert runs.resolve(case, "latest~0") == RUN_ID and runs.resolve(case, "latest~1") == OLD_RUN_ID
    assert runs.resolve(case, RUN_ID[:-1]) == RUN_ID  # "run-2020-06-3": only the newer run
    assert [r["run_id"] for r in runs.list_runs(case)] == [RUN_ID, OLD_RUN_ID]


def test_ambiguous_or_unknown_references_name_the_problem(case):
    with pytest.raises(NoRunError, match="matches 2 runs") as ambiguous:
        runs.resolve(case, "run-2020-06")
    assert RUN_ID in str(ambiguous.value) and OLD_RUN_ID in str(ambiguous.value)
    with pytest.raises(NoRunError, match="No run with id 'missing'"):
        runs.resolve(case, "missing")
    with pytest.raises(NoRunError, match="no run 2 before the latest"):
        runs.resolve(case, "latest~2")


def test_no_run_at_all(clean_db):
    with pytest.raises(NoRunError, match="no analysis run"):
        runs.resolve(clean_db, "latest")
    assert runs.list_runs(clean_db) == []


def test_create_and_finish_record_the_run(clean_db):
    run_id = runs.create(clean_db, '{"window_s": 60}')
    assert runs.resolve(clean_db, run_id[:12]) == run_id
    runs.finish(clean_db, run_id, "completed", '{"clusters": 0}')
    [row] = runs.list_runs(clean_db)
    assert row["run_id"] == run_id and row["status"] == "completed" and row["finished_at"] is not None


def test_delete_removes_exactly_that_run(case):
    before_new, before_old = _counts(case, RUN_ID), _counts(case, OLD_RUN_ID)
    assert before_new["clusters"] and before_new["memberships"] and before_new["edges"]
    assert before_old["clusters"] and before_old["memberships"] and before_old["edges"]
    data = case.execute_query(NOT_RUN_DATA).records[0]["nodes"]

    removed = runs.delete(case, RUN_ID)

    assert removed == before_new
    assert _counts(case, RUN_ID) == {"runs": 0, "clusters": 0, "memberships": 0, "edges": 0}
    assert _counts(case, OLD_RUN_ID) == before_old  # the other run is untouched
    assert case.execute_query(NOT_RUN_DATA).records[0]["nodes"] == data  # and so are accounts, posts, sources
    assert runs.resolve(case, "latest") == OLD_RUN_ID
    assert runs.delete(case, RUN_ID) == {"runs": 0, "clusters": 0, "memberships": 0, "edges": 0}
