"""Ground truth: who the network is, when it was created and activated, what share of the targets' engagement
it wrote (per target, per Monday-based week and overall), and which accounts are hard negatives."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import numpy as np

from . import vocab
from .finalize import Published
from .timing import DAY_MS
from .world import QUOTE, REPLY, RETWEET

TARGET_ROLES = ("ambassador", "embassy", *(role for role, _ in vocab.EXTRA_TARGETS))
KIND_KEYS = {RETWEET: "retweets", REPLY: "replies", QUOTE: "quotes"}
MONDAY_OFFSET_MS = 3 * DAY_MS  # 1970-01-01 was a Thursday


def iso(ms: int) -> str:
    return datetime.fromtimestamp(int(ms) / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def week_start(ms: np.ndarray) -> np.ndarray:
    """Epoch ms of the Monday 00:00 UTC that starts each time's ISO week."""
    ms = np.asarray(ms, dtype=np.int64)
    return ((ms + MONDAY_OFFSET_MS) // (7 * DAY_MS)) * (7 * DAY_MS) - MONDAY_OFFSET_MS


def engagement_shares(pub: Published, network: np.ndarray) -> dict[str, Any]:
    """Network vs total engagements with each target, overall and per week, for retweets, replies and quotes."""
    world = pub.world
    ev, acc = world.events, world.accounts
    kinds, refs, authors, ms = ev.col("kind"), ev.col("ref"), ev.col("author"), ev.col("ms")
    has_ref = refs >= 0
    ref_author = np.where(has_ref, authors[np.maximum(refs, 0)], -1)
    is_net = np.isin(authors, network)
    out: dict[str, Any] = {}
    scopes = [(acc.col("username")[t], ref_author == t) for t in world.targets]
    scopes.append(("all_targets", np.isin(ref_author, world.targets)))
    for name, on_target in scopes:
        overall = {}
        weekly: dict[int, dict] = {}
        for kind, key in KIND_KEYS.items():
            mask = on_target & (kinds == kind)
            total, net = int(mask.sum()), int((mask & is_net).sum())
            overall[key] = _share(net, total)
            weeks = week_start(ms[mask])
            nets = is_net[mask]
            for w in np.unique(weeks):
                sel = weeks == w
                weekly.setdefault(int(w), {})[key] = _share(int(nets[sel].sum()), int(sel.sum()))
        out[name] = {
            "overall": overall,
            "weekly": [{"week": datetime.fromtimestamp(w / 1000, tz=timezone.utc).strftime("%Y-%m-%d"),
                        **{key: weekly[w].get(key, _share(0, 0)) for key in KIND_KEYS.values()}} for w in sorted(weekly)],
        }
    return out


def _share(network: int, total: int) -> dict[str, Any]:
    return {"network": network, "total": total, "share": round(network / total, 4) if total else None}


def build_truth(pub: Published, plan, negatives: dict, statuses: dict[int, str], io_ids: dict[int, str], files: dict) -> dict[str, Any]:
    """The ground-truth document written to ``ground_truth.json``."""
    world = pub.world
    ev, acc = world.events, world.accounts
    p = world.params
    authors, ms, kinds = ev.col("author"), ev.col("ms"), ev.col("kind")
    actions = np.bincount(authors, minlength=acc.size)
    first = np.full(acc.size, np.iinfo(np.int64).max)
    np.minimum.at(first, authors, ms)
    burst_of = {int(r): b for b in plan.burst for r in b["rows"]}
    act_of = dict(zip(plan.rows.tolist(), plan.activation_ms.tolist()))
    members = []
    for row in plan.rows.tolist():
        b = burst_of.get(row)
        members.append({
            "id": str(pub.account_id[row]), "username": acc.col("username")[row], "status": statuses[row],
            "created_at": iso(acc.col("created_ms")[row]), "burst": b is not None,
            "burst_day": iso(b["moment_ms"])[:10] if b is not None else None,
            "activation_at": iso(act_of[row]), "first_action_at": iso(first[row]) if actions[row] else None,
            "dormant_days": round((first[row] - acc.col("created_ms")[row]) / DAY_MS, 1) if actions[row] else None,
            "actions": int(actions[row]), "leader": bool(np.isin(row, plan.leaders)),
            "low_activity": bool(np.isin(row, plan.low_activity)), "io_userid": io_ids[row],
        })
    burst_organic = negatives.get("burst_day_organic", np.empty(0, dtype=np.int64))
    burst_days = []
    for b in plan.burst:
        day = b["moment_ms"] // DAY_MS * DAY_MS
        same_day = [str(pub.account_id[r]) for r in burst_organic.tolist() if acc.col("created_ms")[r] // DAY_MS * DAY_MS == day]
        created = acc.col("created_ms")[b["rows"]]
        burst_days.append({
            "date": iso(day)[:10], "first_created_at": iso(created.min()), "last_created_at": iso(created.max()),
            "span_s": round((created.max() - created.min()) / 1000, 1), "member_ids": [str(pub.account_id[r]) for r in b["rows"]],
            "organic_ids_same_day": same_day,
        })
    activation = [{"moment": iso(w["moment_ms"]), "member_ids": [str(pub.account_id[r]) for r in w["rows"]]} for w in plan.waves]
    viral = negatives.get("viral", [])
    news = negatives.get("news", [])
    hard = {kind: [str(pub.account_id[r]) for r in rows.tolist()] for kind, rows in negatives.items() if kind not in ("viral", "news")}
    hard["viral_retweeters"] = sorted({str(pub.account_id[r]) for v in viral for r in v["accounts"].tolist()})
    hard["news_surge"] = sorted({str(pub.account_id[r]) for s in news for r in s["accounts"].tolist()})
    viral_posts = [{"id": str(pub.tweet_id[v["post"]]), "author": acc.col("username")[authors[v["post"]]],
                    "retweets_in_surge": int(len(v["accounts"]))} for v in viral]
    n_burst = sum(len(b["rows"]) for b in plan.burst)
    return {
        "scenario": {"generator": "coordgraph.synth", "seed": p.seed, "scale": p.scale, "difficulty": p.difficulty,
                     "period": {"start": iso(world.start_ms), "end": iso(world.end_ms)}, "params": p.to_json()},
        "files": files,
        "targets": [{"id": str(pub.account_id[t]), "username": acc.col("username")[t], "role": role}
                    for t, role in zip(world.targets, TARGET_ROLES)],
        "network": {
            "size": len(members), "burst_created": n_burst, "burst_fraction": round(n_burst / max(len(members), 1), 4),
            "status_counts": {s: statuses_count for s, statuses_count in _counts([m["status"] for m in members]).items()},
            # engagements with the targets the network was sized to write; fewer when members x posts cannot hold them
            "planned_engagements": {KIND_KEYS[int(k)]: v for k, v in world.facts.get("network_budgets", {}).items()},
            "leaders": [m["id"] for m in members if m["leader"]], "low_activity": [m["id"] for m in members if m["low_activity"]],
            "members": members,
        },
        "burst_days": burst_days,
        "activation": activation,
        "engagement": engagement_shares(pub, plan.rows),
        "hard_negatives": hard,
        "viral_posts": viral_posts,
        "news_surges": [{"at": iso(ev.col("ms")[s["post"]]), "post_ids": [str(pub.tweet_id[x]) for x in s["posts"].tolist()],
                         "accounts": int(len(s["accounts"]))} for s in news],
        "counts": {
            "accounts_in_data": int(pub.present.sum()), "events": int(ev.size),
            **{name: int((kinds == k).sum()) for k, name in enumerate(("originals", "replies", "quotes", "retweets"))},
        },
    }


def _counts(values: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))
