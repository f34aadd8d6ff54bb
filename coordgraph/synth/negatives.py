"""Hard negatives: organic behaviour that looks coordinated to a naive detector."""

from __future__ import annotations

import numpy as np

from . import text, vocab
from .organic import add_reactions, engage, post_organic_originals, sources_for
from .population import add_organic
from .timing import DAY_MS, HOUR_MS, reaction_delays, respect_sleep
from .world import ORIGINAL, REPLY, RETWEET, World


def _count(world: World, base: int) -> int:
    return int(round(base * world.params.negatives))


def _background(world: World, rows: np.ndarray, tag: str) -> None:
    """Ordinary life for hard-negative accounts: own posts and some retweets of popular accounts."""
    post_organic_originals(world, rows, world.params.organic_originals_per_day, tag=tag)
    popular = np.flatnonzero(np.isin(world.events.col("author"), world.popular))
    if len(popular):
        engage(world, popular, 0.02 * len(rows) / max(len(world.popular), 1), rows, world.accounts.col("activity")[rows], RETWEET, tag=tag)


def superfans(world: World) -> np.ndarray:
    """Genuine admirers who retweet most target posts within a minute or two, each on their own clock."""
    rng = world.rng
    n = _count(world, world.params.superfans)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    rows = add_organic(world, n, negative="superfan", langs=list(rng.choice(["en", "en", "zh", "es", "fr"], n)))
    world.accounts.set("activity", rows, rng.uniform(2, 5, n))
    posts = world.facts["target_posts"]
    for account in rows:
        # each superfan has a personal speed and a personal habit of checking notifications
        take = posts[rng.random(len(posts)) < rng.uniform(0.35, 0.75)]
        median = rng.uniform(40, 160)
        delays = reaction_delays(rng, len(take), median, 0.7, min_s=6)
        ms = respect_sleep(rng, world.events.col("ms")[take] + delays, world.accounts.col("tz")[account], keep_awake=0.3)
        ok = (ms < world.end_ms) & (world.events.col("ms")[take] > world.accounts.col("created_ms")[account])
        add_reactions(world, take[ok], np.full(int(ok.sum()), account), ms[ok], RETWEET, "superfan")
        replies = take[ok][rng.random(int(ok.sum())) < 0.08]
        if len(replies):
            rms = world.events.col("ms")[replies] + reaction_delays(rng, len(replies), median * 3, 0.8)
            keep = rms < world.end_ms
            add_reactions(world, replies[keep], np.full(int(keep.sum()), account), rms[keep], REPLY, "superfan")
    _background(world, rows, "superfan")
    return rows


def fan_community(world: World) -> np.ndarray:
    """A real community around the targets' culture: they engage the same posts, but on independent clocks,
    in several languages and with their own words."""
    rng = world.rng
    n = _count(world, world.params.fan_community)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    langs = list(rng.choice(["en", "en", "zh", "zh", "es", "fr"], n))
    rows = add_organic(world, n, negative="fan_community", langs=langs)
    posts = world.facts["target_posts"]
    moments = posts[rng.random(len(posts)) < 0.25]
    ev = world.events
    for post in moments:
        who = rows[rng.random(n) < 0.45]
        if len(who) == 0:
            continue
        ms = ev.col("ms")[post] + reaction_delays(rng, len(who), 1500.0, 1.1)
        if world.params.fan_sync > 0 and rng.random() < world.params.fan_sync:
            # a shared cue (a post in the fans' group chat): about half of them react within a minute or two of it
            cue = int(ev.col("ms")[post]) + int(reaction_delays(rng, 1, 600.0, 0.8, min_s=30)[0])
            together = rng.random(len(who)) < 0.5
            ms[together] = cue + (rng.exponential(50.0, int(together.sum())) * 1000).astype(np.int64)
        ms = respect_sleep(rng, ms, world.accounts.col("tz")[who])
        ok = (ms < world.end_ms) & (world.accounts.col("created_ms")[who] < ev.col("ms")[post])
        who, ms = who[ok], ms[ok]
        reply = rng.random(len(who)) < 0.3
        add_reactions(world, np.full(int((~reply).sum()), post), who[~reply], ms[~reply], RETWEET, "fan_community")
        if reply.any():
            r_who = who[reply]
            ev.add_events(r_who, ms[reply], REPLY, ref=np.full(len(r_who), post),
                          body=[text.fan_text(rng, world.accounts.col("lang")[w]) for w in r_who],
                          lang=list(world.accounts.col("lang")[r_who]), source=sources_for(world, r_who),
                          hashtags=[(vocab.FAN_HASHTAG,) if x < 0.4 else () for x in rng.random(len(r_who))], tag="fan_community")
    # the community's own posts, retweeted by some of its members at their own pace
    own = post_organic_originals(world, rows, 0.05, tag="fan_community")
    engage(world, own, 2.0, rows, np.ones(n), RETWEET, tag="fan_community", median_s=2400.0)
    _background(world, rows, "fan_community")
    return rows


def slogan_users(world: World) -> np.ndarray:
    """Ordinary accounts that use the network's slogan hashtag on their own (some mocking it)."""
    rng = world.rng
    n = _count(world, world.params.slogan_users)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    rows = add_organic(world, n, negative="slogan_user")
    per = rng.integers(1, 5, n)
    authors = np.repeat(rows, per)
    created = world.accounts.col("created_ms")[authors]
    ms = rng.integers(np.maximum(created, world.start_ms), world.end_ms)
    ms = respect_sleep(rng, ms, world.accounts.col("tz")[authors])
    ok = ms < world.end_ms
    authors, ms = authors[ok], ms[ok]
    langs = world.accounts.col("lang")[authors]
    world.events.add_events(
        authors, ms, ORIGINAL, body=text.organic_bodies(rng, langs), lang=list(langs), source=sources_for(world, authors),
        hashtags=[(vocab.SLOGAN_HASHTAG,) for _ in range(len(authors))], tag="slogan_user",
    )
    _background(world, rows, "slogan_user")
    return rows


def burst_day_organics(world: World, burst_moments_ms: list[int]) -> np.ndarray:
    """Ordinary accounts that happen to be created on the network's burst days (a few within the hour)."""
    rng = world.rng
    n = _count(world, world.params.burst_day_organics)
    if n == 0 or not burst_moments_ms:
        return np.empty(0, dtype=np.int64)
    moments = np.array(burst_moments_ms)[rng.integers(0, len(burst_moments_ms), n)]
    day = (moments // DAY_MS) * DAY_MS
    created = day + rng.integers(0, DAY_MS, n)
    near = rng.random(n) < 0.25
    created[near] = moments[near] + rng.integers(-HOUR_MS, HOUR_MS, int(near.sum()))
    rows = add_organic(world, n, negative="burst_day_organic", created=created)
    _background(world, rows, "burst_day_organic")
    return rows


def viral_moments(world: World, organic_rows: np.ndarray) -> list[dict]:
    """Posts that go viral: hundreds of unrelated accounts retweet within minutes. One is a target's post."""
    rng = world.rng
    p = world.params
    k = _count(world, p.viral_moments)
    if k == 0:
        return []
    ev = world.events
    popular_posts = np.flatnonzero(np.isin(ev.col("author"), world.popular) & (ev.col("kind") == ORIGINAL) & (ev.col("ms") < world.end_ms - 2 * DAY_MS))
    target_posts = world.facts["target_posts"]
    target_posts = target_posts[ev.col("ms")[target_posts] < world.end_ms - 2 * DAY_MS]
    chosen = [int(rng.choice(target_posts))] if len(target_posts) else []
    chosen += [int(x) for x in rng.choice(popular_posts, max(k - len(chosen), 0), replace=False)]
    out = []
    activity = world.accounts.col("activity")
    for post in chosen:
        size = max(int(round(p.viral_retweets * min(1.0, p.scale) * rng.uniform(0.7, 1.3))), 20)
        who = rng.choice(organic_rows, min(size, len(organic_rows)), replace=False, p=activity[organic_rows] / activity[organic_rows].sum())
        who = who[world.accounts.col("created_ms")[who] < ev.col("ms")[post]]
        # a fast surge then a long tail: most within minutes of the post crossing into many timelines
        surge_at = ev.col("ms")[post] + int(rng.uniform(5, 40) * 60_000)
        ms = surge_at + (rng.exponential(240.0, len(who)) * 1000).astype(np.int64)
        tail = rng.random(len(who)) < 0.25
        ms[tail] += reaction_delays(rng, int(tail.sum()), 3600.0, 1.0)
        ok = ms < world.end_ms
        add_reactions(world, np.full(int(ok.sum()), post), who[ok], ms[ok], RETWEET, "viral")
        out.append({"post": post, "accounts": who[ok]})
    return out


# How much faster (< 1) or slower (> 1) fast fans answer a post by its hour in their time zone: hurried in the
# morning and at work, quick in the evening; posts in their night wait until they wake (see fast_fans).
_FAN_HOUR_FACTOR = np.array([1.0, 1, 1, 1, 1, 1, 1, 1.6, 1.6, 1.3, 1.3, 1.3, 1.0, 1.0, 1.3, 1.3, 1.3, 0.9, 0.7, 0.6, 0.6, 0.7,
                             0.8, 0.9])


def fast_fans(world: World) -> np.ndarray:
    """Independent fans who each answer most target posts within a minute or two, with speeds shaped by the post.

    They live in one time zone: a post arriving in their night is answered after they wake (hours late, by all of
    them), one arriving in their evening quickly; a post that draws much engagement is seen sooner; and a shared
    per-post factor (spread ``fast_fan_post_sigma``) moves all of them together. No one coordinates: each fan
    picks posts and reacts on their own, but their delays correlate across fans, post by post.
    """
    rng, p = world.rng, world.params
    n = _count(world, p.fast_fans)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    rows = add_organic(world, n, negative="fast_fan", langs=list(rng.choice(["en", "en", "en", "zh", "es"], n)))
    tz = np.full(n, p.fast_fan_tz, dtype=np.int64) + np.where(rng.random(n) < 0.15, rng.choice([-1, 1], n), 0)
    world.accounts.set("tz", rows, tz)
    world.accounts.set("activity", rows, rng.uniform(2, 5, n))
    ev = world.events
    posts = world.facts["target_posts"]
    post_ms = ev.col("ms")[posts]
    refs = ev.col("ref")
    size = np.bincount(refs[refs >= 0], minlength=ev.size)[posts] + 1.0
    local_hour = ((post_ms // HOUR_MS + p.fast_fan_tz) % 24).astype(np.int64)
    post_speed = (np.exp(rng.normal(0, p.fast_fan_post_sigma, len(posts))) * (size / np.median(size)) ** -0.4
                  * _FAN_HOUR_FACTOR[local_hour])
    created = world.accounts.col("created_ms")
    for account, account_tz in zip(rows.tolist(), tz.tolist()):
        take = np.flatnonzero(rng.random(len(posts)) < rng.uniform(0.55, 0.9))
        median = rng.uniform(25, 80)
        delay_s = np.maximum(median * post_speed[take] * np.exp(rng.normal(0, 0.35, len(take))), 4.0)
        ms = post_ms[take] + (delay_s * 1000).astype(np.int64)
        # asleep 00:00-07:00 local: answered after waking, at a personal pace
        local = ms + account_tz * HOUR_MS
        hour = (local // HOUR_MS) % 24
        asleep = (hour < 7) & (rng.random(len(take)) >= 0.08)
        wake = (local // DAY_MS) * DAY_MS + 7 * HOUR_MS - account_tz * HOUR_MS
        ms[asleep] = wake[asleep] + (rng.exponential(1.2, int(asleep.sum())) * HOUR_MS).astype(np.int64)
        ok = (ms < world.end_ms) & (post_ms[take] > created[account])
        add_reactions(world, posts[take[ok]], np.full(int(ok.sum()), account), ms[ok], RETWEET, "fast_fan")
        replies = take[ok][rng.random(int(ok.sum())) < 0.05]
        if len(replies):
            rms = post_ms[replies] + reaction_delays(rng, len(replies), median * 4, 0.8)
            keep = rms < world.end_ms
            add_reactions(world, posts[replies[keep]], np.full(int(keep.sum()), account), rms[keep], REPLY, "fast_fan")
    _background(world, rows, "fast_fan")
    return rows


def news_surges(world: World, organic_rows: np.ndarray) -> list[dict]:
    """News events: the targets and popular accounts post about it within hours, and many unrelated accounts
    engage those posts within minutes (several of the same posts each, so they co-act without coordinating)."""
    rng, p = world.rng, world.params
    k = _count(world, p.news_surges)
    ev = world.events
    target_posts = world.facts["target_posts"]
    target_posts = target_posts[ev.col("ms")[target_posts] < world.end_ms - 2 * DAY_MS]
    if k == 0 or len(target_posts) == 0:
        return []
    ms_all, authors, kinds, refs = ev.col("ms"), ev.col("author"), ev.col("kind"), ev.col("ref")
    popular_posts = np.flatnonzero(np.isin(authors, world.popular) & (kinds == ORIGINAL))
    activity = world.accounts.col("activity")
    created = world.accounts.col("created_ms")
    out = []
    for anchor in rng.choice(target_posts, min(k, len(target_posts)), replace=False).tolist():
        moment = int(ms_all[anchor])
        window = (ms_all >= moment) & (ms_all < moment + 3 * HOUR_MS)
        on_topic = np.flatnonzero(window[target_posts])
        near_popular = popular_posts[window[popular_posts]]
        chosen = np.r_[target_posts[on_topic], rng.choice(near_popular, min(3, len(near_popular)), replace=False)].astype(np.int64)
        size = max(int(round(p.news_surge_accounts * min(1.0, p.scale) * rng.uniform(0.6, 1.4))), 15)
        pool = organic_rows[created[organic_rows] < moment]
        if len(pool) == 0:
            continue
        who = rng.choice(pool, min(size, len(pool)), replace=False, p=activity[pool] / activity[pool].sum())
        already = set(zip(authors[np.isin(refs, chosen)].tolist(), refs[np.isin(refs, chosen)].tolist()))
        engaged = set()
        for post in chosen.tolist():
            takes = who[rng.random(len(who)) < (0.8 if post == anchor else 0.45)]
            takes = np.array([w for w in takes.tolist() if (w, post) not in already and w != authors[post]], dtype=np.int64)
            if len(takes) == 0:
                continue
            # the post reaches everyone following the news at once: most react within minutes
            at = ms_all[post] + ((5 + rng.exponential(150.0, len(takes))) * 1000).astype(np.int64)
            ok = at < world.end_ms
            takes, at = takes[ok], at[ok]
            reply = rng.random(len(takes)) < 0.15
            add_reactions(world, np.full(int((~reply).sum()), post), takes[~reply], at[~reply], RETWEET, "news_surge")
            add_reactions(world, np.full(int(reply.sum()), post), takes[reply], at[reply], REPLY, "news_surge")
            engaged.update(takes.tolist())
        out.append({"post": anchor, "posts": chosen, "accounts": np.array(sorted(engaged), dtype=np.int64)})
    return out


def plant_hard_negatives(world: World, organic_rows: np.ndarray, burst_moments_ms: list[int]) -> dict:
    """All the hard negatives; returns account rows by kind, the viral posts and the news surges."""
    return {
        "superfan": superfans(world),
        "fan_community": fan_community(world),
        "slogan_user": slogan_users(world),
        "burst_day_organic": burst_day_organics(world, burst_moments_ms),
        "viral": viral_moments(world, organic_rows),
        "fast_fan": fast_fans(world),
        "news": news_surges(world, organic_rows),
    }
