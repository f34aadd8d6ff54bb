"""Communities on one run's fused account graph with GDS (Leiden by default; Louvain and WCC selectable).

The run's ``COORDINATED`` edges are projected with a Cypher aggregation projection (weights summed over
signals, in account-id order), the algorithm streams ``account_id -> community``, and the projection is always
dropped. Communities are renumbered from their members (:func:`canonical_numbers`), so the same edges give the
same communities under the same numbers whatever order the store returns them in.
"""

from __future__ import annotations

import pandas as pd
from neo4j import Driver

from .. import cypher

ALGORITHMS = ("leiden", "louvain", "wcc")


def find_communities(
    driver: Driver,
    run_id: str,
    algorithm: str = "leiden",
    seed: int = 42,
    resolution: float = 1.0,
    database: str | None = None,
) -> pd.DataFrame:
    """Return ``account_id, community`` for every account with an evidence edge in ``run_id``."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}")
    graph_name = f"coordgraph-run-{run_id}"
    with driver.session(database=database) as session:
        session.run(cypher.load("detect/drop_graph"), graph_name=graph_name).consume()
        edges = session.run(cypher.load("detect/count_edges"), run_id=run_id).single()["n"]
        if edges == 0:
            return pd.DataFrame(columns=["account_id", "community"])
        try:
            session.run(cypher.load("detect/project"), run_id=run_id, graph_name=graph_name).consume()
            params = {"graph_name": graph_name, "seed": int(seed), "resolution": float(resolution)}
            rows = [r.data() for r in session.run(cypher.load(f"detect/communities_{algorithm}"), params)]
        finally:
            session.run(cypher.load("detect/drop_graph"), graph_name=graph_name).consume()
    return canonical_numbers(pd.DataFrame(rows, columns=["account_id", "community"]))


def canonical_numbers(groups: pd.DataFrame) -> pd.DataFrame:
    """``groups`` (``account_id, community``) sorted by account id, each community renumbered 0, 1, ... in the
    order of its smallest member id. GDS's community ids follow its internal node numbering; the cluster test
    takes communities (and their random draws) in an order that breaks ties by number, so the numbers must
    depend on the members alone."""
    if groups.empty:
        return groups.reset_index(drop=True)
    ordered = groups.assign(account_id=groups["account_id"].astype(str)).sort_values("account_id", kind="stable")
    first_member = ordered.groupby("community", sort=False)["account_id"].transform("first")
    number, _ = pd.factorize(first_member, sort=True)
    return ordered.assign(community=number.astype("int64")).reset_index(drop=True)
