"""The planted network: bulk-created accounts, dormancy then joint activation, leader/follower cascades on the
targets' posts, templated replies, mutual amplification and camouflage."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import text, vocab
from .organic import pick_links
from .population import pick
from .timing import DAY_MS, DIURNAL, HOUR_MS, diurnal_times, random_days, reaction_delays
from .world import ORIGINAL, QUOTE, REPLY, RETWEET, World

# The operators keep office hours (by default in UTC+8, ``operator_tz``); cascades on posts made outside them
# wait for the next shift.
SHIFT_HOURS = (9, 22)

SHARED_BIOS = (
    "Love peace and truth", "Truth seeker. Friend of all nations", "Proud Brit. Say no to fake news",
    "Just an ordinary person who loves the truth",
)


@dataclass
class NetworkPlan:
    """Who the members are and when they were created and activated."""

    rows: np.ndarray
    burst: list[dict] = field(default_factory=list)  # {moment_ms, rows}
    waves: list[dict] = field(default_factory=list)  # {moment_ms, rows}
    activation_ms: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    leaders: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    low_activity: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    status: list[str] = field(default_factory=list)


def network_handles(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """Impersonation-style handles (``<Name>UK``, ``UK<Name>``) and auto-generated ones, with British names."""
    first = pick(rng, vocab.FIRST_NAMES[:60], n)
    last = pick(rng, vocab.LAST_NAMES[:40], n)
    styles = rng.choice(6, n, p=[0.3, 0.2, 0.15, 0.1, 0.15, 0.1])
    digits = rng.integers(10**7, 10**8, n)
    handles, names = [], []
    for f, l, s, d in zip(first, last, styles, digits):
        if s == 0:
            h = f"{f}{l}UK"
        elif s == 1:
            h = f"UK{f}{l}"
        elif s == 2:
            h = f"{f}_{l}_UK"
        elif s == 3:
            h = f"Brit{f}{l[:2]}"
        elif s == 4:
            h = f"{f}{l[:3]}{d}"  # the default handle offered at sign-up
        else:
            h = f"{f}UK{d % 1000}"
        handles.append("".join(ch for ch in h if ch.isascii() and (ch.isalnum() or ch == "_"))[:15])
        names.append(f"{f} {l}" + (" 🇬🇧" if rng.random() < 0.3 else ""))
    return handles, names


def create_members(world: World) -> NetworkPlan:
    """The member accounts: a third created in bursts (minutes apart on a few days), the rest spread out."""
    rng, p = world.rng, world.params
    n = p.network_size
    n_burst = int(round(n * p.burst_fraction))
    created = np.empty(n, dtype=np.int64)
    # spread-out members: created over the two years before the period, a few bought old accounts
    spread = world.start_ms - (rng.uniform(p.min_dormancy_days + 10, 730, n) * DAY_MS).astype(np.int64)
    aged = rng.random(n) < 0.1
    spread[aged] = world.start_ms - (rng.uniform(4, 8, int(aged.sum())) * 365 * DAY_MS).astype(np.int64)
    created[:] = spread
    order = rng.permutation(n)
    burst_members = order[:n_burst]
    burst = []
    if n_burst:
        days_before = np.sort(rng.choice(np.arange(p.min_dormancy_days + 15, 300), p.burst_days, replace=False))[::-1]
        groups = np.array_split(burst_members, p.burst_days)
        for days, group in zip(days_before, groups):
            if len(group) == 0:
                continue
            day = world.start_ms - int(days) * DAY_MS
            moment = day + int(rng.integers(8, 20)) * HOUR_MS - p.operator_tz * HOUR_MS + int(rng.integers(0, HOUR_MS))
            created[group] = moment + np.sort(rng.integers(0, p.burst_window_s * 1000, len(group)))
            burst.append({"moment_ms": int(moment), "members": group})
    handles, names = network_handles(rng, n)
    bios = []
    for r in rng.random(n):
        if r < 0.4:
            bios.append("")
        elif r < 0.75:
            bios.append(SHARED_BIOS[int(rng.integers(0, len(SHARED_BIOS)))])
        else:
            bank = vocab.BIO_WORDS["en"]
            bios.append(" | ".join(bank[i] for i in rng.choice(len(bank), 2, replace=False)))
    rows = world.accounts.add(
        n, role="network", username=handles, name=names, description=bios,
        location=pick(rng, ("London", "UK", "England", "", "", "London, England", "United Kingdom"), n), lang="en",
        created_ms=created, tz=np.zeros(n, dtype=np.int64), followers=np.round(np.exp(rng.normal(np.log(12), 1.0, n))).astype(np.int64),
        following=np.round(np.exp(rng.normal(np.log(70), 0.8, n))).astype(np.int64), verified=np.zeros(n, bool),
        default_image=rng.random(n) < 0.45, activity=np.exp(rng.normal(0, 0.6, n)),
        client=pick(rng, ("Twitter Web App", "Twitter for Android", "Twitter for iPhone"), n, p=np.array([0.6, 0.3, 0.1])),
        negative="", url="",
    )
    plan = NetworkPlan(rows=rows, burst=[{"moment_ms": b["moment_ms"], "rows": rows[b["members"]]} for b in burst])
    n_low = int(round(n * p.low_activity_fraction))
    if p.low_activity_style == "traces":
        plan.low_activity = rows[np.sort(rng.permutation(n)[:n_low])]  # burst-created or not, at random
    else:
        plan.low_activity = rows[order[::-1][:n_low]]  # spread-out accounts first, burst ones when there are many
    active = rows[~np.isin(rows, plan.low_activity)]
    plan.leaders = active[: min(p.leaders, len(active))]
    n_susp = int(round(n * p.suspended_fraction))
    n_del = int(round(n * p.deleted_fraction))
    status = np.array(["active"] * n, dtype=object)
    perm = rng.permutation(n)
    status[perm[:n_susp]] = "suspended"
    status[perm[n_susp:n_susp + n_del]] = "deleted"
    plan.status = list(status)
    world.network = rows
    return plan


def schedule_activation(world: World, plan: NetworkPlan) -> None:
    """Activation waves: each member stays silent after creation, then wakes up with its wave."""
    rng, p = world.rng, world.params
    k = max(1, p.activation_waves)
    first = world.start_ms + int(rng.uniform(0.02, 0.08) * p.days * DAY_MS)
    later = np.sort(rng.uniform(first + 0.05 * p.days * DAY_MS, world.start_ms + 0.7 * p.days * DAY_MS, k - 1).astype(np.int64))
    moments = np.r_[first, later].astype(np.int64)
    moments = moments - moments % HOUR_MS + 2 * HOUR_MS  # on the hour, in the operators' morning
    n = len(plan.rows)
    wave = np.sort(rng.choice(k, n, p=np.r_[0.4, np.full(k - 1, 0.6 / (k - 1))] if k > 1 else None))
    wave[np.isin(plan.rows, plan.leaders)] = 0
    created = world.accounts.col("created_ms")[plan.rows]
    wave_ms = moments[wave]
    # respect dormancy: a member created too recently waits for a later wave
    too_soon = wave_ms - created < p.min_dormancy_days * DAY_MS
    wave_ms[too_soon] = created[too_soon] + p.min_dormancy_days * DAY_MS + int(DAY_MS)
    plan.activation_ms = wave_ms + (rng.exponential(1.2, n) * HOUR_MS).astype(np.int64)
    plan.waves = [{"moment_ms": int(m), "rows": plan.rows[wave == i]} for i, m in enumerate(moments)]


def _engagements_with_targets(world: World, kind: int, network_rows: np.ndarray) -> int:
    ev = world.events
    kinds = ev.col("kind")
    refs = ev.col("ref")
    authors = ev.col("author")
    mask = (kinds == kind) & (refs >= 0)
    ref_author = authors[np.maximum(refs, 0)]
    mask &= np.isin(ref_author, world.targets) & ~np.isin(authors, network_rows)
    return int(mask.sum())


def _budget(share: float, organic: int) -> int:
    return int(round(share / (1 - share) * organic)) if share > 0 else 0


def _week_intensity(world: World, plan: NetworkPlan, post_ms: np.ndarray) -> np.ndarray:
    """Campaign intensity per week: peaks around activations and on chosen campaign weeks, lulls elsewhere."""
    rng = world.rng
    n_weeks = world.params.days // 7 + 2
    weekly = np.exp(rng.normal(0, 0.35, n_weeks))
    campaign = rng.choice(n_weeks, max(2, n_weeks // 8), replace=False)
    weekly[campaign] *= 3.0
    lull = rng.choice(n_weeks, max(1, n_weeks // 6), replace=False)
    weekly[lull] *= 0.25
    for wave in plan.waves:
        weekly[min((wave["moment_ms"] - world.start_ms) // (7 * DAY_MS), n_weeks - 1)] *= 3.0
    return weekly[np.clip((post_ms - world.start_ms) // (7 * DAY_MS), 0, n_weeks - 1)]


def _weighted_pairs(rng: np.random.Generator, eligible: np.ndarray, weights: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``k`` distinct (post, member) cells of ``eligible`` with probability ∝ ``weights`` (Gumbel top-k)."""
    keys = np.where(eligible, np.log(np.maximum(weights, 1e-300)) + rng.gumbel(size=eligible.shape), -np.inf)
    flat = keys.ravel()
    k = min(k, int(eligible.sum()))
    if k <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    top = np.argpartition(-flat, k - 1)[:k]
    return np.unravel_index(top, keys.shape)


def _shift_wait(rng: np.random.Generator, ms: np.ndarray, tz: int, obey: float = 0.75) -> np.ndarray:
    """Push action times outside the operators' shift (in UTC+``tz``) to the start of the next shift (mostly)."""
    local = ms + tz * HOUR_MS
    hour = (local // HOUR_MS) % 24
    off = ((hour < SHIFT_HOURS[0]) | (hour >= SHIFT_HOURS[1])) & (rng.random(len(ms)) < obey)
    day = (local // DAY_MS) * DAY_MS
    next_start = np.where(hour >= SHIFT_HOURS[1], day + DAY_MS, day) + SHIFT_HOURS[0] * HOUR_MS
    out = ms.copy()
    out[off] = next_start[off] - tz * HOUR_MS + (rng.exponential(0.6, int(off.sum())) * HOUR_MS).astype(np.int64)
    return out


def amplify_targets(world: World, plan: NetworkPlan) -> dict:
    """Cascades on the targets' posts sized so the network writes the configured shares of their engagement."""
    rng, p = world.rng, world.params
    ev = world.events
    posts = world.facts["target_posts"]
    post_ms = ev.col("ms")[posts]
    budgets = {
        RETWEET: _budget(p.retweet_share, _engagements_with_targets(world, RETWEET, plan.rows)),
        REPLY: _budget(p.reply_share, _engagements_with_targets(world, REPLY, plan.rows)),
        QUOTE: _budget(p.quote_share, _engagements_with_targets(world, QUOTE, plan.rows)),
    }
    members = plan.rows
    act = plan.activation_ms
    eligible = (post_ms[:, None] >= act[None, :]) & (post_ms[:, None] < world.end_ms - 6 * HOUR_MS)
    low = np.isin(members, plan.low_activity)
    intensity = _week_intensity(world, plan, post_ms)
    member_w = world.accounts.col("activity")[members] * np.where(np.isin(members, plan.leaders), 1.6, 1.0)

    # A handful of actions for each low-activity member, taken out of the budgets ("traces": added after the
    # cascades exist, see _low_activity_traces).
    low_pairs: dict[int, list[tuple[int, int]]] = {RETWEET: [], REPLY: []}
    for j in np.flatnonzero(low) if p.low_activity_style == "basic" else []:
        options = np.flatnonzero(eligible[:, j])
        if len(options) == 0:
            continue
        k = int(rng.integers(1, 6))
        chosen = rng.choice(options, min(k, len(options)), replace=False)
        for i in chosen:
            low_pairs[RETWEET if rng.random() < 0.8 else REPLY].append((int(i), int(j)))
    eligible_main = eligible & ~low[None, :]

    leader_ms = np.full(len(posts), -1, dtype=np.int64)
    first_at = np.full(len(members), np.iinfo(np.int64).max)
    out = {}
    for kind in (RETWEET, REPLY, QUOTE):
        extra = low_pairs.get(kind, [])[: budgets[kind]]
        k = max(budgets[kind] - len(extra), 0)
        weights = intensity[:, None] * member_w[None, :]
        if kind != RETWEET:
            # replies and quotes pile onto posts the network is already pushing
            weights = weights * np.where(leader_ms >= 0, 3.0, 1.0)[:, None]
        pi, mj = _weighted_pairs(rng, eligible_main, weights, k)
        if extra:
            pi = np.r_[pi, [e[0] for e in extra]].astype(np.int64)
            mj = np.r_[mj, [e[1] for e in extra]].astype(np.int64)
        ms = _cascade_times(world, plan, posts, post_ms, pi, mj, kind, leader_ms)
        ok = ms < world.end_ms
        pi, mj, ms = pi[ok], mj[ok], ms[ok]
        who = members[mj]
        np.minimum.at(first_at, mj, ms)
        if kind == RETWEET:
            out[kind] = ev.add_events(who, ms, RETWEET, ref=posts[pi], lang="en", source=list(world.accounts.col("client")[who]), tag="network")
        else:
            n = len(who)
            tags = [(vocab.NETWORK_HASHTAGS[int(rng.choice(3, p=[0.6, 0.25, 0.15]))],) if r < 0.4 else () for r in rng.random(n)]
            out[kind] = ev.add_events(
                who, ms, kind, ref=posts[pi], lang="en",
                body=[text.network_reply(rng, p.template_variation, _addressee(world, a)) for a in ev.col("author")[posts[pi]].tolist()],
                source=list(world.accounts.col("client")[who]), hashtags=tags, link=pick_links(rng, n, 0.1, vocab.NETWORK_DOMAINS),
                tag="network",
            )
    if p.low_activity_style == "traces":
        _low_activity_traces(world, plan, posts, post_ms, eligible, leader_ms, first_at)
    world.facts["network_budgets"] = {int(k): int(v) for k, v in budgets.items()}
    world.facts["network_first_action_ms"] = first_at
    return out


def _addressee(world: World, target: int) -> str | None:
    """Whom a templated reply names: the ambassador, the embassy, or nobody in particular (further targets)."""
    if target == world.targets[0]:
        return "Ambassador"
    return "Embassy" if target == world.targets[1] else None


def _low_activity_traces(world: World, plan: NetworkPlan, posts, post_ms, eligible, leader_ms, first_at) -> None:
    """3-8 actions per low-activity member on posts the network pushes: about a third retweets 5-45 s after the
    cascade starts, a quarter retweets hours later, the rest templated replies 2-20 min after the cascade."""
    rng, p = world.rng, world.params
    ev = world.events
    cascaded = leader_ms >= 0
    rt_who, rt_ms, rt_ref, rp_who, rp_ms, rp_ref = [], [], [], [], [], []
    for j in np.flatnonzero(np.isin(plan.rows, plan.low_activity)):
        options = np.flatnonzero(eligible[:, j] & cascaded)
        if len(options) == 0:
            continue
        chosen = rng.choice(options, min(int(rng.integers(3, 9)), len(options)), replace=False)
        u = rng.random(len(chosen))
        fast, late = u < 1 / 3, (u >= 1 / 3) & (u < 1 / 3 + 1 / 4)
        reply = ~(fast | late)
        delay_s = np.where(fast, rng.uniform(5, 45, len(chosen)), np.where(late, rng.uniform(2, 12, len(chosen)) * 3600,
                                                                             rng.uniform(120, 1200, len(chosen))))
        ms = leader_ms[chosen] + (delay_s * 1000).astype(np.int64)
        ok = ms < world.end_ms
        for sel, who, at, ref in ((~reply & ok, rt_who, rt_ms, rt_ref), (reply & ok, rp_who, rp_ms, rp_ref)):
            who.extend([int(plan.rows[j])] * int(sel.sum()))
            at.extend(ms[sel].tolist())
            ref.extend(posts[chosen[sel]].tolist())
        if ok.any():
            first_at[j] = min(first_at[j], int(ms[ok].min()))
    if rt_who:
        who = np.array(rt_who, dtype=np.int64)
        ev.add_events(who, rt_ms, RETWEET, ref=np.array(rt_ref, dtype=np.int64), lang="en",
                      source=list(world.accounts.col("client")[who]), tag="network")
    if rp_who:
        who = np.array(rp_who, dtype=np.int64)
        refs = np.array(rp_ref, dtype=np.int64)
        ev.add_events(who, rp_ms, REPLY, ref=refs, lang="en",
                      body=[text.network_reply(rng, p.template_variation, _addressee(world, a)) for a in ev.col("author")[refs].tolist()],
                      source=list(world.accounts.col("client")[who]), tag="network")


def _cascade_times(world: World, plan: NetworkPlan, posts, post_ms, pi, mj, kind, leader_ms) -> np.ndarray:
    """Leader first, after a few minutes (waiting for the operators' shift); followers seconds to ~2 min later;
    some stragglers much later."""
    rng, p = world.rng, world.params
    members = plan.rows
    ms = np.empty(len(pi), dtype=np.int64)
    if len(pi) == 0:
        return ms
    new = np.unique(pi[leader_ms[pi] < 0])
    if len(new):
        start = post_ms[new] + reaction_delays(rng, len(new), p.leader_delay_median_s, 0.8, min_s=20)
        leader_ms[new] = _shift_wait(rng, start, p.operator_tz)
    base = leader_ms[pi]
    is_leader = np.isin(members[mj], plan.leaders)
    follower = (np.maximum(np.exp(rng.normal(np.log(p.follower_delay_median_s), 0.6, len(pi))), 2.0)).clip(2.0, p.follower_delay_max_s)
    if kind != RETWEET:
        follower = follower * 2.5 + 20  # typing a reply takes longer than a click
    delay = (follower * 1000).astype(np.int64)
    # a leader among the participants is first on the post
    first_leader = np.zeros(len(pi), bool)
    order = np.lexsort((~is_leader, pi))
    pi_sorted = pi[order]
    starts = np.r_[True, pi_sorted[1:] != pi_sorted[:-1]]
    first_leader[order[starts]] = is_leader[order[starts]] & (kind == RETWEET)
    delay[first_leader] = 0
    straggle = rng.random(len(pi)) < p.straggler_rate
    delay[straggle] = reaction_delays(rng, int(straggle.sum()), 1200.0, 1.0)
    ms[:] = base + delay
    return ms


def network_originals(world: World, plan: NetworkPlan) -> np.ndarray:
    """Talking-point posts by members, quickly retweeted by a few other members."""
    rng, p = world.rng, world.params
    ev = world.events
    active = ~np.isin(plan.rows, plan.low_activity)
    rows, act = plan.rows[active], plan.activation_ms[active]
    days = np.maximum((world.end_ms - act) / DAY_MS, 0)
    counts = rng.poisson(0.04 * days)
    authors = np.repeat(rows, counts)
    start = np.repeat(act, counts)
    n = len(authors)
    ms = _shift_wait(rng, rng.integers(start, world.end_ms - HOUR_MS) if n else np.empty(0, dtype=np.int64), p.operator_tz, obey=0.8)
    ok = ms < world.end_ms - HOUR_MS
    authors, ms = authors[ok], ms[ok]
    n = len(authors)
    bodies = [vocab.TARGET_TOPICS[int(i)] if r < 0.6 else text.network_reply(rng, p.template_variation)
              for i, r in zip(rng.integers(0, len(vocab.TARGET_TOPICS), n), rng.random(n))]
    originals = ev.add_events(
        authors, ms, ORIGINAL, body=bodies, lang="en", source=list(world.accounts.col("client")[authors]),
        hashtags=[(vocab.SLOGAN_HASHTAG,) if r < 0.7 else () for r in rng.random(n)], link=pick_links(rng, n, 0.5, vocab.NETWORK_DOMAINS),
        tag="network",
    )
    act_of = dict(zip(plan.rows.tolist(), plan.activation_ms.tolist()))
    who_all, ms_all, ref_all = [], [], []
    for post, author, t in zip(originals, authors, ms):
        pool = rows[(rows != author) & (np.array([act_of[r] for r in rows]) <= t)]
        if len(pool) == 0:
            continue
        k = min(int(rng.integers(2, 7)), len(pool))
        who = rng.choice(pool, k, replace=False)
        delays = (np.exp(rng.normal(np.log(p.follower_delay_median_s * 1.5), 0.6, k)) * 1000).astype(np.int64) + int(rng.integers(30_000, 600_000))
        who_all.append(who)
        ms_all.append(t + delays)
        ref_all.append(np.full(k, post))
    if who_all:
        who = np.concatenate(who_all)
        t = np.concatenate(ms_all)
        ok = t < world.end_ms
        ev.add_events(who[ok], t[ok], RETWEET, ref=np.concatenate(ref_all)[ok], lang="en", source=list(world.accounts.col("client")[who[ok]]), tag="network")
    return originals


def camouflage(world: World, plan: NetworkPlan) -> None:
    """Ordinary-looking filler: lifestyle posts and retweets of popular accounts, at UK-like hours."""
    rng, p = world.rng, world.params
    ev = world.events
    active = ~np.isin(plan.rows, plan.low_activity)
    rows, act = plan.rows[active], plan.activation_ms[active]
    days = np.maximum((world.end_ms - act) / DAY_MS, 0)
    counts = rng.poisson(p.camouflage_per_day * days * world.accounts.col("activity")[rows])
    authors = np.repeat(rows, counts)
    start = np.repeat(act, counts)
    n = len(authors)
    if n == 0:
        return
    ms = diurnal_times(rng, random_days(rng, start, world.end_ms, n), np.zeros(n, dtype=np.int64), DIURNAL)
    ms = np.maximum(ms, start)
    ok = ms < world.end_ms
    authors, ms = authors[ok], ms[ok]
    as_retweet = rng.random(len(authors)) < 0.5
    o_auth, o_ms = authors[~as_retweet], ms[~as_retweet]
    ev.add_events(o_auth, o_ms, ORIGINAL, body=[text.camouflage(rng) for _ in range(len(o_auth))], lang="en",
                  source=list(world.accounts.col("client")[o_auth]), tag="network")
    popular = np.flatnonzero(np.isin(ev.col("author"), world.popular) & (ev.col("kind") == ORIGINAL))
    r_auth, r_ms = authors[as_retweet], ms[as_retweet]
    if len(popular) and len(r_auth):
        pop_ms = ev.col("ms")[popular]
        order = np.argsort(pop_ms)
        # retweet a popular post from the few hours before
        idx = np.searchsorted(pop_ms[order], r_ms) - 1 - rng.integers(0, 20, len(r_ms))
        keep = idx >= 0
        refs = popular[order][idx[keep]]
        ev.add_events(r_auth[keep], np.maximum(r_ms[keep], ev.col("ms")[refs] + 60_000), RETWEET, ref=refs,
                      lang=list(ev.col("lang")[refs]), source=list(world.accounts.col("client")[r_auth[keep]]), tag="network")


def plant_network(world: World) -> NetworkPlan:
    """Create the members, schedule activation, and write all of their activity."""
    plan = create_members(world)
    schedule_activation(world, plan)
    return plan


def run_network(world: World, plan: NetworkPlan) -> None:
    """The network's activity, after all organic activity exists (its budgets depend on it)."""
    amplify_targets(world, plan)
    network_originals(world, plan)
    camouflage(world, plan)
    # a member left without any action (tiny budgets) still posts once after activation, so it is in the data
    silent = plan.rows[np.bincount(world.events.col("author"), minlength=world.accounts.size)[plan.rows] == 0]
    if len(silent):
        act = dict(zip(plan.rows.tolist(), plan.activation_ms.tolist()))
        ms = np.array([min(act[r], world.end_ms - HOUR_MS) for r in silent.tolist()], dtype=np.int64)
        world.events.add_events(silent, ms, ORIGINAL, body=[text.camouflage(world.rng) for _ in range(len(silent))], lang="en",
                                source=list(world.accounts.col("client")[silent]), tag="network")
