"""Where each missed network member was lost, for ``detect_quality.py --diagnose``. Prints nothing itself.

``recording()`` wraps the cluster test and the membership test for one ``detect`` run and keeps what they saw;
``missed_members(record, result, truth)`` then places every true member that was not flagged at the first step
that let it go:

- ``no_route``: no community of either route held it (it was never tested as a member);
- ``cluster_not_coordinated``: its community was tested and rejected (the cluster's reason is given);
- ``not_confirmed``: its community was coordinated but it failed a member rule (q, effect lower bound,
  moments, in-step lower bound: the figures are given);
- and in every case the membership test's verdict on it when it was in the pool (timing p, corroboration p,
  q, near actions).

It also tests the whole true network as one group under the same cluster test (the run's events, default null
settings, its own seeded draws): whether the network clears the cluster gates when no community step splits
or dilutes it (``network_as_one_group``: effect and lower bound, p, and the members' median figures).

And it lists every account a group of the corroborated route held but did not confirm, with what it is in the
truth and its figures there, the reading in the confirmed members' bursts included
(``corroborated_unconfirmed``): how far fans and other accounts swept into such a group stay from that reading's bar.
And every account the membership test attached, with its kind in the truth, its co-actions with the members
against the benchmark's expectation and their ratio (``attached``).

The figures per missed member and a count per step go into the case's JSON (``diagnosis``).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any

import numpy as np

from coordgraph.analytics import bursts, cluster_effect, membership, statistics


@contextmanager
def recording():
    """Record every cluster test (members, per-member figures) and the membership test of one run."""
    record: dict[str, Any] = {"tests": [], "membership": None, "corroborated": []}
    effect_test, member_test, in_bursts = cluster_effect.cluster_effect_test, membership.test_membership, bursts.confirm_in_bursts

    def effect_wrapper(events, members, *args, **kwargs):
        record.setdefault("events", events)
        test = effect_test(events, members, *args, **kwargs)
        record["tests"].append((list(members), test, events[0].window_ms / 1000 if events else None))
        return test

    def member_wrapper(*args, **kwargs):
        frame = member_test(*args, **kwargs)
        record["membership"] = frame
        return frame

    def bursts_wrapper(events, acc, strong, *args, **kwargs):
        out = in_bursts(events, acc, strong, *args, **kwargs)
        record["corroborated"].append(out.assign(strong=strong.to_numpy()))
        return out

    cluster_effect.cluster_effect_test, membership.test_membership, bursts.confirm_in_bursts = effect_wrapper, member_wrapper, bursts_wrapper
    try:
        yield record
    finally:
        cluster_effect.cluster_effect_test, membership.test_membership, bursts.confirm_in_bursts = effect_test, member_test, in_bursts


def missed_members(record: dict[str, Any], result, truth: dict) -> dict[str, Any]:
    """Per missed true member: the step that let it go, with its figures (module doc)."""
    params = result.params
    flagged = set(result.flagged_accounts)
    members = {m["id"]: m for m in truth["network"]["members"]}
    clusters = result.clusters
    tests = record["tests"]
    q_values = statistics.bh_q_values([t.p_value for _, t, _ in tests]) if tests else []
    where: dict[str, tuple[int, dict]] = {}
    verdicts = []
    for i, (group, test, window_s) in enumerate(tests):
        match = clusters[(clusters["observed"] == test.total_observed) & np.isclose(clusters["expected"].astype(float), test.total_expected)]
        row = match.iloc[0] if len(match) else None
        coordinated = bool(row["coordinated"]) if row is not None else False
        verdicts.append({"window_s": window_s, "size": len(group), "true_members": sum(1 for a in group if a in members), "coordinated": coordinated,
                         "route": json.loads(row["signals"])["route"] if row is not None else None,
                         "reason": row["reason"] if row is not None else "?", "q_uncorrected": float(q_values[i]),
                         "effect": test.effect, "effect_low": test.effect_low})
        acc = test.accounts.assign(q_value=statistics.bh_q_values(test.accounts["p_value"].to_numpy()) if len(test.accounts) else [])
        acc = acc.set_index("account_id")
        for a in group:
            if a in members and (a not in where or coordinated):
                where[a] = (i, acc.loc[a].to_dict())
    pool = record["membership"]
    pool = pool.set_index("account_id") if pool is not None and len(pool) else None
    out, steps = [], {}
    for a, m in members.items():
        if a in flagged:
            continue
        item: dict[str, Any] = {"account": a, "low_activity": bool(m["low_activity"])}
        if a not in where:
            item["step"] = "no_route"
        else:
            i, figures = where[a]
            verdict = verdicts[i]
            q_member = figures.get("q_value")
            item.update({"cluster": i, "cluster_size": verdict["size"], "cluster_route": verdict["route"], "window_s": verdict["window_s"],
                         "member": {k: (round(float(v), 4) if v is not None and not isinstance(v, str) else v)
                                    for k, v in figures.items() if k in ("observed", "expected", "p_value", "effect", "effect_low",
                                                                         "q_value", "moments", "acted_moments", "in_step_share",
                                                                         "in_step_low")}})
            if not verdict["coordinated"]:
                item["step"] = "cluster_not_coordinated"
                item["cluster_reason"] = verdict["reason"]
            else:
                failed = []
                if figures["effect_low"] < params.min_effect:
                    failed.append("effect_low")
                if figures["moments"] < params.min_repeat:
                    failed.append("moments")
                if figures["in_step_low"] < params.min_in_step:
                    failed.append("in_step")
                if q_member is not None and q_member > params.alpha:
                    failed.append("q")
                item["step"] = "not_confirmed"
                item["failed"] = failed
        if pool is not None and a in pool.index:
            p = pool.loc[a]
            item["membership"] = {"near_actions": int(p["near_actions"]), "actions": int(p["actions"]),
                                  "timing_p": round(float(p["timing_p"]), 4), "corroboration_p": round(float(p["corroboration_p"]), 4),
                                  "q": round(float(p["q_value"]), 4)}
        steps[item["step"]] = steps.get(item["step"], 0) + 1
        out.append(item)
    return {"steps": steps, "clusters": verdicts, "missed": out, "network_as_one_group": network_as_one_group(record, result, truth),
            "corroborated_unconfirmed": corroborated_unconfirmed(record, truth),
            "confirmed_in_bursts": confirmed_in_bursts(record, truth), "attached": attached_accounts(record, truth)}


def truth_kinds(truth: dict):
    """What an account is in the truth: ``member``, ``low_activity_member``, a hard-negative kind or ``other``."""
    kinds = {a: kind for kind, ids in truth["hard_negatives"].items() for a in ids}
    low = {m["id"]: m["low_activity"] for m in truth["network"]["members"]}

    def kind_of(account: str) -> str:
        if account in low:
            return "low_activity_member" if low[account] else "member"
        return kinds.get(account, "other")
    return kind_of


def attached_accounts(record: dict[str, Any], truth: dict) -> list[dict[str, Any]]:
    """Every account the membership test attached, with what it is in the truth and its figures there: its
    co-actions with members against the benchmark's expectation (and their ratio), the two p-values and q."""
    pool = record.get("membership")
    if pool is None or not len(pool):
        return []
    kind_of = truth_kinds(truth)
    out = []
    for row in pool[pool["attached"]].to_dict("records"):
        a = row["account_id"]
        expected = float(row["expected"])
        out.append({"account": a, "kind": kind_of(a), "actions": int(row["actions"]), "near_actions": int(row["near_actions"]),
                    "observed": float(row["observed"]), "expected": round(expected, 3),
                    "ratio": round(float(row["observed"]) / expected, 3) if expected > 0 else None,
                    "timing_p": round(float(row["timing_p"]), 4), "corroboration_p": round(float(row["corroboration_p"]), 4),
                    "q": round(float(row["q_value"]), 4)})
    return out


def corroborated_unconfirmed(record: dict[str, Any], truth: dict) -> list[dict[str, Any]]:
    """Every account a group of the corroborated route held but did not confirm, with what it is in the truth
    (``member``, ``low_activity_member``, a hard-negative kind or ``other``) and its rule figures there: the
    effect, in-step and burst readings, whether it is identity-linked and strong in the route, and how many members
    the group confirmed (the group itself is confirmed only with enough of them and its own two tests)."""
    kind_of = truth_kinds(truth)
    keep = ("q_value", "effect_low", "moments", "acted_moments", "in_step_low", "burst_moments", "burst_acted_moments",
            "burst_in_step_low", "linked", "strong")
    out = []
    for group, acc in enumerate(record.get("corroborated", [])):
        for row in acc[~acc["confirmed"]].to_dict("records"):
            a = row["account_id"]
            out.append({"group": group, "group_size": len(acc), "group_confirmed": int(acc["confirmed"].sum()), "account": a,
                        "kind": kind_of(a),
                        **{k: (round(float(row[k]), 4) if not isinstance(row[k], (bool, np.bool_)) else bool(row[k]))
                           for k in keep if k in row}})
    return out


def confirmed_in_bursts(record: dict[str, Any], truth: dict) -> list[dict[str, Any]]:
    """Every account a group of the corroborated route confirmed on the reading in the confirmed members' bursts,
    with what it is in the truth, its burst figures and the size of the core that reading was against
    (``burst_core``; larger than the group's first core when members confirmed by an earlier reading joined it)."""
    kind_of = truth_kinds(truth)
    out = []
    for group, acc in enumerate(record.get("corroborated", [])):
        first_core = int((acc["confirmed"] & ~acc["confirmed_in_bursts"]).sum())
        for row in acc[acc["confirmed_in_bursts"]].to_dict("records"):
            out.append({"group": group, "first_core": first_core, "account": row["account_id"], "kind": kind_of(row["account_id"]),
                        "burst_core": int(row["burst_core"]), "burst_moments": int(row["burst_moments"]),
                        "burst_acted_moments": int(row["burst_acted_moments"]),
                        "burst_in_step_low": round(float(row["burst_in_step_low"]), 4)})
    return out


def network_as_one_group(record: dict[str, Any], result, truth: dict) -> dict[str, Any] | None:
    """The true network's members tested as one cluster on the run's events (module doc); None without a test."""
    if "events" not in record:
        return None
    members = [m["id"] for m in truth["network"]["members"]]
    test = cluster_effect.cluster_effect_test(record["events"], members, result.params.n_null, np.random.default_rng(0))
    acc = test.accounts
    return {"members": len(members), "observed": int(test.total_observed), "expected": round(float(test.total_expected), 1),
            "p_value": float(test.p_value), "effect": round(float(test.effect), 3), "effect_low": round(float(test.effect_low), 3),
            "members_effect_low_median": round(float(acc["effect_low"].median()), 3) if len(acc) else None,
            "members_effect_low_at_floor": int((acc["effect_low"] >= result.params.min_effect).sum()) if len(acc) else 0,
            "members_in_step_low_median": round(float(acc["in_step_low"].median()), 3) if len(acc) else None,
            "members_in_step_low_at_floor": int((acc["in_step_low"] >= result.params.min_in_step).sum()) if len(acc) else 0}

