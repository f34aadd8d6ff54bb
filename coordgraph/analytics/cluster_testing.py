"""The cluster test: which communities of the fused graph are coordinated beyond chance, and their members.

Each community is tested against the benchmark null with effect size
(:func:`coordgraph.analytics.cluster_effect.cluster_effect_test`) and
against the groups chance alone forms from passing edges; members are confirmed one by one, other accounts
engaging the targets may be attached by the membership test, and each member gets its evidence dossier. The
result is plain data, one dict per cluster and per member (``signals`` and ``evidence`` are dicts, encoded as
JSON only when stored).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import numpy as np
import pandas as pd

from . import cluster_effect, corroborated, evidence, membership, multiscale, null_screen, statistics
from .routes import CORROBORATED_ROUTE, EDGE_ROUTE
from .signals import COACTION

# cluster tests run at once (module doc of test_communities); each also counts its draws on two threads
TEST_WORKERS = 2


def community_routes(groups: pd.DataFrame) -> dict:
    """Community -> the route that proposed it (``groups``' ``route`` column; the edge route when absent)."""
    if "route" not in groups or groups.empty:
        return {}
    return dict(groups.drop_duplicates("community").set_index("community")["route"])


def group_surprise(edges: pd.DataFrame, members: set[str], index: evidence.PairIndex | None = None) -> tuple[int, float, float]:
    """Co-actions inside ``members``, their expectation under the null, and the group's surprise (``index``: a
    ``PairIndex`` of ``edges``, to find the group's edges without a pass over all of them)."""
    inside = edges.iloc[(index if index is not None else evidence.PairIndex(edges)).inside(members)]
    inside = inside[inside["signal"].isin(COACTION)]
    total, exp = int(inside["count"].sum()), float(inside["expected"].fillna(0).sum())
    return total, exp, statistics.cluster_surprise(total, exp)


def not_coordinated_reason(q: float, alpha: float, passes_chance: bool, observed: float, expected: float, confirmed: int,
                           effect_low: float | None = None, min_effect: float = 0.0, strong: int | None = None,
                           min_in_step: float = 0.0) -> str:
    """Why a tested cluster is not reported as coordinated, in words (the first test it failed), or '' when it is."""
    if not q <= alpha:
        return f"not significant against the benchmark (q = {q:.2g} > {alpha:g})"
    if not passes_chance:
        return "failed the group test against chance (groups that chance forms from the passing edges are as tight)"
    if not observed > expected:
        return f"no more co-actions than the benchmark expects ({observed:g} observed, {expected:.3g} expected)"
    if effect_low is not None and not effect_low >= min_effect:
        return (f"excess too small: observed / expected co-actions is at least {effect_low:.2f} at 95 % confidence, "
                f"below the floor of {min_effect:g} ({observed:g} observed, {expected:.3g} expected)")
    if confirmed < 2:
        if strong is not None and strong >= 2:
            return (f"fewer than 2 members confirmed ({confirmed}): {strong} co-act far beyond chance, but in step with "
                    f"the others on less than {min_in_step:.0%} of their moments on the shared objects (at 95 % confidence)")
        return f"fewer than 2 members confirmed ({confirmed})"
    return ""


def member_rules(params) -> Callable[..., bool] | None:
    """Whether at least two members could be confirmed, from each member's moments and acted moments alone (the
    repetition and in-step rules below; the draws decide only significance and effect), for the null screen;
    None with the wider second look (module ``multiscale``), which can confirm a member outside these rules."""
    if getattr(params, "wide_window_s", 0.0) > params.window_s:
        return None

    def could(moments: np.ndarray, acted: np.ndarray, *post_figures: np.ndarray) -> bool:
        # the reading on posts only serves the corroborated route, which tests its groups with full draws of its own
        figures = pd.DataFrame({"moments": moments, "in_step_low": cluster_effect.in_step_lower_bound(moments, acted)})
        return int(cluster_effect.in_step(figures, params.min_repeat, params.min_in_step).sum()) >= 2

    return could


def assess_clusters(groups: pd.DataFrame, results, edges: pd.DataFrame, events, null_groups: list[np.ndarray],
                    candidate_pairs: pd.DataFrame | None, pool: list[str], params, rng: np.random.Generator,
                    report: Callable[[str, float], None], route_pairs: pd.DataFrame | None = None
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Test every community of at least ``params.min_cluster_size`` accounts (``groups``: ``account_id,
    community``, optionally ``route``) and return ``(clusters, members)``: one dict per cluster (numbered, most
    significant first) and one per member, ready to store (see the module doc). ``route_pairs``: the group
    route's pairs inside its communities (module ``sparse_groups``), listed in its members' dossiers."""
    route = community_routes(groups)
    sizes = groups.groupby("community")["account_id"].count() if len(groups) else pd.Series(dtype=int)
    # the edge route's communities first (largest first), then the group route's: adding the second route leaves the
    # first one's tests, random draws and chance-group comparison as they were
    # ties in size by community number (numbered from the members, communities.canonical_numbers): each cluster's
    # draws come from the one random stream in this order
    by_size = [c for c, n in sorted(sizes.items(), key=lambda item: (-item[1], item[0])) if n >= params.min_cluster_size]
    from_edges = [c for c in by_size if route.get(c, EDGE_ROUTE) == EDGE_ROUTE]
    candidates = from_edges + [c for c in by_size if route.get(c, EDGE_ROUTE) != EDGE_ROUTE]
    members_of = {c: sorted(accounts) for c, accounts in groups.groupby("community")["account_id"]} if len(groups) else {}
    edge_index = evidence.PairIndex(edges)
    surprise = [group_surprise(edges, set(members_of[c]), edge_index)[2] for c in candidates]
    # groups chance forms from passing edges are the null of the edge route only: the group route's communities are
    # not made of passing edges (they face the cluster test and the member rules alone)
    edge_pass = statistics.empirical_fdr_pass(np.asarray(surprise[: len(from_edges)]), null_groups, params.alpha)
    beyond_chance = list(edge_pass) + [True] * (len(candidates) - len(from_edges))
    # a community that cannot pass the gates stops after the screen's first block of null draws (module null_screen)
    screen = null_screen.Screen(params.min_effect, params.alpha) if getattr(params, "null_screen", True) else None
    # only the group route's communities (large, and where the draws' time goes): an edge-route community keeps
    # its accounts out of the membership test by its effect and q-value alone (``claimed`` below), and the many
    # small ones have p-values at most alpha that a block of draws would only estimate
    rules = [member_rules(params) if route.get(c, EDGE_ROUTE) != EDGE_ROUTE else None for c in candidates]
    effect_tests = test_communities(events, [members_of[c] for c in candidates], params.n_null, rng, screen, rules,
                                    lambda done: report("benchmark null", 0.65 + 0.3 * done / max(len(candidates), 1)))
    tests = [(members_of[c], test, bool(beyond_chance[i]), surprise[i], route.get(c, EDGE_ROUTE))
             for i, (c, test) in enumerate(zip(candidates, effect_tests))]
    q_values = statistics.bh_q_values([t[1].p_value for t in tests])
    cluster_rows, cluster_accounts = [], []
    # accounts of every edge-route cluster that passes are never candidates for membership of another one; a group
    # route community is chosen for its co-actions, so its cluster-level excess is partly that choice: only its
    # confirmed members (of a coordinated cluster) leave the membership test's pool, as every confirmed member does
    claimed: set[str] = {
        m for i, (members, test, passes, _, found_by) in enumerate(tests)
        if found_by == EDGE_ROUTE and q_values[i] <= params.alpha and passes and test.effect_low >= params.min_effect
        for m in members
    }
    order = sorted(range(len(tests)), key=lambda i: (not tests[i][2], tests[i][1].p_value, tests[i][3]))
    coordinated_of: dict[int, bool] = {}
    for number, idx in enumerate(order, start=1):
        members, test, passes_chance, surprise_of_group, found_by = tests[idx]
        q = float(q_values[idx])
        # significant (q), large (the effect's lower bound clears the floor) and beyond the groups chance forms
        coordinated = bool(q <= params.alpha and passes_chance and test.effect_low >= params.min_effect)
        acc = test.accounts.copy()
        acc["q_value"] = statistics.bh_q_values(acc["p_value"].to_numpy()) if len(acc) else []
        # each confirmed member: significant, large, repeated (co-actions at min_repeat distinct moments) and in
        # step with the others on most of its moments on the shared objects (not only now and then)
        strong = (acc["q_value"] <= params.alpha) & (acc["effect_low"] >= params.min_effect) & (acc["moments"] >= params.min_repeat)
        acc["confirmed"] = strong & cluster_effect.in_step(acc, params.min_repeat, params.min_in_step)
        if coordinated:  # strong members not in step within W: in step at the network's own pace? (module multiscale)
            acc = multiscale.confirm_wider(events, acc, strong, params)
        confirmed = int(acc["confirmed"].sum())
        if coordinated and confirmed < 2:
            coordinated = False  # synchrony carried by one account is not coordination
        reason = "" if coordinated else not_coordinated_reason(q, params.alpha, passes_chance, test.total_observed,
                                                               test.total_expected, confirmed, test.effect_low,
                                                               params.min_effect, int(strong.sum()), params.min_in_step)
        unconfirmed = sorted(acc.loc[~acc["confirmed"], "account_id"]) if coordinated else []
        if coordinated:
            acc = acc[acc["confirmed"]]
        strongest = evidence.strongest_signals(edges, set(acc["account_id"]), edge_index)
        cluster_rows.append(cluster_row(
            number, len(acc), test, q, coordinated, reason, strongest, params, params.min_effect,
            unconfirmed_members=unconfirmed, route=found_by, group_surprise=surprise_of_group,
            beyond_chance_groups=passes_chance if found_by == EDGE_ROUTE else None))
        cluster_accounts.append(acc.assign(attached=False, membership=None))
        coordinated_of[idx] = coordinated
    if getattr(params, "corroborated", True):
        tested = [(members, test, float(q_values[i]), coordinated_of[i]) for i, (members, test, *_rest) in enumerate(tests)]
        add_corroborated(tested, results, events, edge_index, candidate_pairs, pool, params, cluster_rows, cluster_accounts)
    if params.membership:
        # a coordinated cluster's unconfirmed members (too few moments, or not in step on most of them) are accounts
        # engaging the targets like any other: the membership test may still attach them on its own evidence
        held_back = {m for r in cluster_rows if r["coordinated"] for m in r["signals"]["unconfirmed_members"]}
        attach_members(events, results, cluster_rows, cluster_accounts, claimed - held_back, pool, params)
    account_rows = []
    scores = evidence.account_scores(results)
    route_index = evidence.PairIndex(route_pairs) if route_pairs is not None else None
    candidate_index = evidence.PairIndex(candidate_pairs) if candidate_pairs is not None else None
    for cluster, acc in zip(cluster_rows, cluster_accounts):
        number, coordinated = cluster["number"], cluster["coordinated"]
        members = set(acc["account_id"])
        for row in acc.to_dict("records"):
            dossier = evidence.dossier(row, edge_index, members, scores, params)
            if cluster["signals"]["route"] not in (EDGE_ROUTE, CORROBORATED_ROUTE) and route_index is not None and not row["attached"]:
                dossier["group_route_links"] = evidence.route_links(row["account_id"], route_index, members)
            if cluster["signals"]["route"] == CORROBORATED_ROUTE and not row["attached"]:
                dossier["identity_links"] = row.get("identity_peers")
            if row["attached"]:
                dossier["membership"] = row["membership"]
                dossier["attachment"] = evidence.attachment_links(row["account_id"], candidate_index, members)
            account_rows.append(
                {
                    "account_id": row["account_id"],
                    "number": number,
                    "coordinated": coordinated,
                    "score": float(-np.log10(max(row["p_value"], 1e-300))),
                    "p_value": float(row["p_value"]),
                    "q_value": float(row["q_value"]),
                    "observed": int(row["observed"]),
                    "expected": float(row["expected"]),
                    **{k: cluster_effect.finite_or_none(row.get(k)) for k in ("effect", "effect_low", "effect_high")},
                    "flagged": coordinated,
                    "attached": bool(row["attached"]),
                    "evidence": dossier,
                }
            )
    add_signal_q_values(cluster_rows)
    # an account attached to a coordinated cluster leaves any cluster that was not confirmed
    coordinated_numbers = {r["number"] for r in cluster_rows if r["coordinated"]}
    in_coordinated = {r["account_id"] for r in account_rows if r["number"] in coordinated_numbers}
    account_rows = [r for r in account_rows if r["number"] in coordinated_numbers or r["account_id"] not in in_coordinated]
    for r in cluster_rows:
        r["size"] = sum(1 for a in account_rows if a["number"] == r["number"])
    return cluster_rows, account_rows


def cluster_row(number: int, size: int, test, q: float, coordinated: bool, reason: str, strongest: list, params, min_effect: float,
                **route_signals: Any) -> dict[str, Any]:
    """One row of the clusters table from its cluster test (``cluster_effect.EffectTest``): figures, decision and
    the ``signals`` record, whose route-specific entries (``unconfirmed_members``, ``route``, ...) come as
    keywords, in the order given, before the null's description (``min_effect``: the floor it was judged by)."""
    return {
        "number": number,
        "size": int(size),
        "score": float((test.total_observed + 1.0) / (test.total_expected + 1.0)),
        "p_value": float(test.p_value),
        "q_value": q,
        "coordinated": coordinated,
        "reason": reason,
        "observed": test.total_observed,
        "expected": test.total_expected,
        "effect": test.effect,
        "effect_low": test.effect_low,
        "effect_high": test.effect_high,
        "strongest_signals": [s for s, _ in strongest[:3]],
        "signals": {
            "observed": test.observed,
            "expected": {k: round(v, 3) for k, v in test.expected.items()},
            "p_values": test.p_values,
            "q_values": {},
            "edges_by_signal": dict(strongest),
            **route_signals,
            "null": {"kind": "post-conditioned latency (own delays within the post's hour and size stratum); "
                             "timeline shift on objects without a post time whose audience is mostly the group",
                     "draws": params.n_null, "draws_made": test.draws, "window_s": params.window_s,
                     "own_audience_objects": test.own_audience_objects, "min_effect": min_effect,
                     "min_in_step": params.min_in_step},
        },
    }


def test_communities(events, communities: list[list[str]], n_null: int, rng: np.random.Generator,
                     screen: null_screen.Screen | None, rules: list, done: Callable[[int], None]) -> list:
    """The cluster test of each community (``rules[i]``: its ``can_confirm``, module ``cluster_effect``), in the
    order given, each from the place in ``rng``'s stream where the tests one after the other would start it: the
    same figures as one after the other, with :data:`TEST_WORKERS` tests at once (one test's Python between its
    draws runs beside another's compiled draws). ``done(k)`` after the k-th test, in order; ``rng`` ends where the
    last test leaves it."""
    if not statistics.can_jump(rng) or TEST_WORKERS < 2:
        out = []
        for k, (members, rule) in enumerate(zip(communities, rules)):
            done(k)
            out.append(cluster_effect.cluster_effect_test(events, members, n_null, rng, screen=screen, can_confirm=rule))
        return out
    futures, start = [], 0
    with ThreadPoolExecutor(max_workers=TEST_WORKERS) as pool:
        for members, rule in zip(communities, rules):
            prepared = cluster_effect.prepare_effect_test(events, members)
            futures.append(pool.submit(prepared.run, n_null, statistics.generator_at(rng, start), screen, rule))
            start += n_null * prepared.width
        out = []
        for k, future in enumerate(futures):
            done(k)
            out.append(future.result())
    statistics.advance_uniforms(rng, start)
    return out


def add_corroborated(tested, results, events, edge_index: evidence.PairIndex, candidate_pairs: pd.DataFrame | None, pool: list[str], params,
                     cluster_rows: list[dict[str, Any]], cluster_accounts: list[pd.DataFrame]) -> None:
    """The corroborated route (module ``corroborated``): each group it confirms becomes one more coordinated
    cluster (numbered after the others) holding its confirmed members; its other members are listed as
    unconfirmed (``edge_index``: the run's evidence edges, indexed). Updates ``cluster_rows`` and ``cluster_accounts``
    in place."""
    def test_group(members: list[str], rng: np.random.Generator):
        return cluster_effect.cluster_effect_test(events, members, params.n_null, rng)

    flagged = {a for row, acc in zip(cluster_rows, cluster_accounts) if row["coordinated"] for a in acc["account_id"]}
    for group in corroborated.assess(tested, results, events, candidate_pairs, pool, params, test_group):
        if not group.confirmed:
            continue
        test, acc = group.test, group.accounts
        # members already confirmed in a coordinated cluster stay there: the route only adds accounts
        fresh = ~acc["account_id"].isin(flagged)
        members = acc[acc["confirmed"] & fresh].drop(columns=["linked"])
        if members.empty:
            continue
        flagged |= set(members["account_id"])
        strongest = evidence.strongest_signals(edge_index.frame, set(members["account_id"]), edge_index)
        cluster_rows.append(cluster_row(
            len(cluster_rows) + 1, len(members), test, float(min(1.0, test.p_value * group.tests)), True, "", strongest, params,
            corroborated.MIN_CORROBORATED_EFFECT,
            unconfirmed_members=sorted(acc.loc[~acc["confirmed"] & fresh, "account_id"]), route=CORROBORATED_ROUTE,
            group_surprise=None, beyond_chance_groups=None,
            corroboration={
                "pieces": group.pieces, "group_size": len(group.members), "already_flagged": int((~fresh).sum()),
                "route_tests": group.tests, "min_effect": corroborated.MIN_CORROBORATED_EFFECT,
                "identity_traces": list(corroborated.IDENTITY_TRACES), "linked_members": int(group.identity["linked"]),
                "linked_share": float(group.identity["share"]), "linked_expected": group.identity["null_mean"],
                "timing_supported": int(group.identity["timing_supported"]),
                "supported_linked": int(group.identity["supported_linked"]),
                "supported_share": float(group.identity["supported_share"]),
                "supported_linked_within": int(group.identity["supported_linked_within"]),
                "identity_p": float(group.identity["p_value"]), "pool": int(group.identity["pool"]),
                "null": ("members the timing supports linked to another of them, against equally sized random groups of "
                         "the accounts engaging the targets"),
            }))
        cluster_accounts.append(members.assign(attached=False, membership=None, in_step_window_s=float(params.window_s)))


def attach_members(events, results, cluster_rows: list[dict], cluster_accounts: list[pd.DataFrame], claimed: set[str], pool: list[str],
                   params) -> None:
    """Membership test of the other accounts engaging the targets against all confirmed coordinated members
    (module ``membership``); each attached account joins the coordinated cluster holding most of its evidence
    (near actions plus trace links to that cluster's members). Updates ``cluster_accounts`` in place."""
    coordinated = [i for i, r in enumerate(cluster_rows) if r["coordinated"]]
    if not coordinated:
        return
    members = sorted({a for i in coordinated for a in cluster_accounts[i]["account_id"]})
    tested = membership.test_membership(events, results, members, pool, claimed | set(members), params.alpha, params.n_null,
                                        np.random.default_rng(params.seed))
    joined = tested[tested["attached"]]
    if joined.empty:
        return
    per_cluster = {i: set(cluster_accounts[i]["account_id"]) for i in coordinated}
    near = {i: membership.timing_test(events, per_cluster[i], n_null=0).set_index("account_id")["observed"] for i in coordinated}
    for row in joined.to_dict("records"):
        def support(i: int) -> float:
            links = sum(len(set(t.get("members", [])) & per_cluster[i]) for t in row["traces"].values())
            return float(near[i].get(row["account_id"], 0)) + links
        home = max(coordinated, key=support)
        extra = pd.DataFrame([{
            "account_id": row["account_id"], "observed": int(row["observed"]), "expected": float(row["expected"]),
            "ratio": None, "p_value": float(row["p_value"]), "q_value": float(row["q_value"]), "confirmed": False,
            "effect": None, "effect_low": None, "effect_high": None, "moments": None, "acted_moments": None,
            "in_step_share": None, "in_step_low": None,
            "attached": True, "membership": {
                "traces": row["traces"], "timing_p": float(row["timing_p"]), "corroboration_p": float(row["corroboration_p"]),
                "combined_p": float(row["p_value"]), "q_value": float(row["q_value"]), "routes": row["routes"], "pool": int(len(tested)),
                "null": "corroborating traces randomly paired with timing among the accounts engaging the targets",
            },
        }])
        cluster_accounts[home] = pd.concat([cluster_accounts[home], extra], ignore_index=True)


def add_signal_q_values(cluster_rows: list[dict[str, Any]]) -> None:
    """Benjamini–Hochberg over every (cluster, signal) p-value of the run, stored beside the p-values."""
    cells = [(row["signals"], name, p) for row in cluster_rows for name, p in row["signals"]["p_values"].items()]
    if not cells:
        return
    q = statistics.bh_q_values([p for _, _, p in cells])
    for (signals, name, _), qv in zip(cells, q):
        signals["q_values"][name] = float(qv)
