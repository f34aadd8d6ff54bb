"""The routes that propose a cluster, and how a report names each one (stored in the cluster's ``signals.route``)."""

from __future__ import annotations

from typing import Any

EDGE_ROUTE = "edges"  # communities of the evidence-edge graph
SPARSE_ROUTE = "sparse"  # the group route (module sparse_groups)
CORROBORATED_ROUTE = "corroborated"  # groups confirmed by timing and identity traces together (module corroborated)

# Short name (CLI tables) and one sentence on what confirmed the cluster (reports).
FOUND_BY = {
    EDGE_ROUTE: ("evidence edges",
                 "a community of accounts linked by repeated co-actions, each link beyond chance, whose co-actions "
                 "as a group are far above the benchmark null"),
    SPARSE_ROUTE: ("group route",
                   "a group whose members rarely meet twice but whose co-actions over all member pairs are far "
                   "above the benchmark null; each member confirmed on its own moments"),
    CORROBORATED_ROUTE: ("timing + identity traces",
                         "a group whose timing excess is significant but under the usual floor, confirmed by identity "
                         "traces (creation burst, profile template, near-duplicate text) that link at least half its "
                         "members, far more than random groups of the targets' engagers"),
}


def route_of(signals: Any) -> str:
    """The route recorded in a cluster's ``signals`` (a dict); the edge route when none is recorded."""
    route = signals.get("route") if isinstance(signals, dict) else None
    return route if route in FOUND_BY else EDGE_ROUTE
