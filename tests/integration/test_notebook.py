"""docs/investigation.ipynb runs top to bottom against the test server (so it never rots)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_detect import NETWORK, plant

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "investigation.ipynb"


def test_notebook_executes_and_ranks_the_planted_network(clean_db, neo4j_conn, monkeypatch, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    plant(clean_db)
    for key, value in (("NEO4J_URI", neo4j_conn.uri), ("NEO4J_USER", neo4j_conn.user), ("NEO4J_PASSWORD", neo4j_conn.password)):
        monkeypatch.setenv(key, value)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    [parameters] = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    parameters.source = "SIGNALS = ('co_retweet', 'rapid_follow_on')\nN_NULL = 300\nWINDOW_S = 60"
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()

    def text(cell):
        return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not any(o.get("output_type") == "error" for o in c.get("outputs", [])) for c in code)
    detected = next(text(c) for c in code if "detect(driver" in c.source)
    assert f"{len(NETWORK)} accounts flagged" in detected
    ranks = next(text(c) for c in code if "page_rank" in c.source)
    assert all(n in ranks for n in NETWORK[:3])  # the most central accounts are network members
    weekly = next(c for c in code if "engagements_share" in c.source)
    assert any(o.get("data", {}).get("image/png") for o in weekly.get("outputs", [])), text(weekly)  # the plot
    with clean_db.session() as s:
        assert s.run("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n").single()["n"] == 0
        assert s.run("MATCH (r:Run {status: 'completed'}) RETURN count(r) AS n").single()["n"] == 1
