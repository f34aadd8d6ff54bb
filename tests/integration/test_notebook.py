"""``docs/investigation.ipynb`` runs top to bottom against the test server, so it never rots.

The notebook is executed with ``nbclient`` in a fresh kernel, the connection passed through the environment as an
investigator would (``NEO4J_URI``...). A probe cell appended to it (in memory only) prints what the notebook's
cells computed, and the test checks that against the database and against an independent computation:
the flagged accounts are those of the detection run, every member of the run gets a PageRank and a betweenness,
betweenness equals networkx's on the run's own evidence edges (so the GDS projection holds that run and nothing
else), the weekly share frame is filled and the projection is dropped.
"""

from __future__ import annotations

import json
import os

import networkx as nx
import pytest

from coordgraph import runs
from helpers import REPO_ROOT

nbformat = pytest.importorskip("nbformat", reason="install the test extra: pip install -e '.[test]'")
nbclient = pytest.importorskip("nbclient", reason="install the test extra: pip install -e '.[test]'")

NOTEBOOK = REPO_ROOT / "docs" / "investigation.ipynb"
# A small scenario: a few hundred accounts over six weeks (the detection stays the default one but for the null draws).
PARAMETERS = {"COORDGRAPH_NB_RUN": "latest", "COORDGRAPH_NB_SIGNALS": "", "COORDGRAPH_NB_SCALE": "0.05",
              "COORDGRAPH_NB_DAYS": "42", "COORDGRAPH_NB_SEED": "7", "COORDGRAPH_NB_NULL_DRAWS": "500"}
PROBE = """
import json as _json
print("PROBE " + _json.dumps({
    "run_id": run_id,
    "detected_flagged": result.flagged_accounts if "result" in globals() else None,
    "members": sorted(accounts["account_id"]) if len(accounts) else [],
    "flagged": sorted(flagged["account_id"]) if len(flagged) else [],
    "edges": len(edges),
    "centrality": centrality[["account_id", "pagerank", "betweenness"]].to_dict("records"),
    "weekly": share[["target", "week", "engagements_total", "engagements_share"]].astype({"week": str}).to_dict("records"),
}, default=str))
"""


def execute(conn, workdir, **env):
    """Execute the notebook (plus the probe cell) in a new kernel; return the executed notebook and the probe."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    kernel_env = {**os.environ, "NEO4J_URI": conn.uri, "NEO4J_USER": conn.user, "NEO4J_PASSWORD": conn.password,
                  "COORDGRAPH_NB_DATA_DIR": str(workdir / "scenario"), **PARAMETERS, **env}
    kernel_env.pop("NEO4J_DATABASE", None)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}})
    client.execute(env=kernel_env)
    probe = [o for o in nb.cells[-1].outputs if o.get("name") == "stdout"]
    text = "".join(o["text"] for o in probe)
    assert text.startswith("PROBE "), text
    return nb, json.loads(text[len("PROBE "):])


def stdout_of(nb) -> str:
    return "".join(o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
                   if o.get("name") == "stdout")


def run_graph(driver, run_id: str) -> nx.Graph:
    """The run's evidence network built independently: members as nodes, one undirected edge per evidence pair."""
    with driver.session() as s:
        members = [r["id"] for r in s.run("MATCH (a:Account)-[:MEMBER_OF {run_id: $r}]->() RETURN a.id AS id", r=run_id)]
        pairs = [(r["a"], r["b"]) for r in s.run(
            "MATCH (a:Account)-[:COORDINATED {run_id: $r}]->(b:Account) RETURN a.id AS a, b.id AS b", r=run_id)]
    graph = nx.Graph()
    graph.add_nodes_from(members)
    graph.add_edges_from(pairs)
    return graph


def check_centrality(driver, probe) -> None:
    """One row per member, every score present, betweenness equal to networkx's on the run's own edges."""
    rows = {r["account_id"]: r for r in probe["centrality"]}
    assert len(rows) == len(probe["centrality"]) == len(probe["members"])
    assert sorted(rows) == probe["members"]
    assert all(r["pagerank"] is not None and r["pagerank"] > 0 for r in rows.values())
    graph = run_graph(driver, probe["run_id"])
    expected = nx.betweenness_centrality(graph, normalized=False)
    for account in probe["members"]:
        assert rows[account]["betweenness"] == pytest.approx(expected[account], abs=1e-6), account
    assert any(v > 0 for v in expected.values())


def projections_left(driver) -> list[str]:
    with driver.session() as s:
        return s.run("CALL gds.graph.list() YIELD graphName RETURN collect(graphName) AS g").single()["g"]


def test_notebook_on_an_empty_database_then_on_an_earlier_run(clean_db, neo4j_conn, tmp_path):
    driver = clean_db
    nb, probe = execute(neo4j_conn, tmp_path)

    # The empty database got the generated scenario, with its targets marked, and one detection run.
    with driver.session() as s:
        counts = s.run("MATCH (a:Account) RETURN count(a) AS accounts, count(CASE WHEN a:Target THEN 1 END) AS targets").single()
    assert counts["accounts"] > 100 and counts["targets"] >= 1
    assert [r["run_id"] for r in runs.list_runs(driver)] == [probe["run_id"]]
    assert "generated a scenario" in stdout_of(nb)

    # The notebook's frames are the run's: members, flagged accounts (as detect returned them) and edges.
    with driver.session() as s:
        stored = s.run("MATCH (a:Account)-[:MEMBER_OF {run_id: $r}]->(c:Cluster) "
                       "RETURN collect(a.id) AS members, collect(CASE WHEN c.coordinated THEN a.id END) AS flagged",
                       r=probe["run_id"]).single()
        edges = s.run("MATCH ()-[e:COORDINATED {run_id: $r}]->() RETURN count(e) AS n", r=probe["run_id"]).single()["n"]
    assert probe["members"] == sorted(stored["members"])
    assert probe["flagged"] == probe["detected_flagged"] == sorted(stored["flagged"])
    assert probe["flagged"], "the scenario's network should be flagged"
    assert probe["edges"] == edges > 0

    check_centrality(driver, probe)

    # The weekly share: six weeks of the scenario, shares between 0 and 1, and the plot drawn.
    weeks = {r["week"] for r in probe["weekly"]}
    assert len(weeks) >= 5
    assert all(0 <= r["engagements_share"] <= 1 for r in probe["weekly"] if r["engagements_total"])
    assert any(r["engagements_share"] > 0 for r in probe["weekly"])
    assert any("image/png" in o.get("data", {}) for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs)
    assert projections_left(driver) == []

    # Second pass on what is loaded: nothing generated, the earlier run opened by an id prefix, and the projection
    # holds that run only although another run's evidence edges join the same accounts.
    first = probe["run_id"]
    with driver.session() as s:
        s.run("MATCH (a:Account)-[:MEMBER_OF {run_id: $r}]->() WITH collect(a) AS members "
              "UNWIND members AS a UNWIND members AS b WITH a, b WHERE a.id < b.id "
              "CREATE (a)-[:COORDINATED {run_id: 'decoy-run', signal: 'co_retweet', weight: 1.0, count: 9}]->(b)",
              r=first).consume()
    nb, probe = execute(neo4j_conn, tmp_path, COORDGRAPH_NB_RUN=first[:-3])
    assert probe["run_id"] == first and probe["detected_flagged"] is None
    assert "generated a scenario" not in stdout_of(nb)
    with driver.session() as s:
        assert s.run("MATCH (a:Account) RETURN count(a) AS n").single()["n"] == counts["accounts"]
    check_centrality(driver, probe)
    assert projections_left(driver) == []
