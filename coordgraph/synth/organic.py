"""Organic activity: the targets' and popular accounts' posts, ordinary users' posts, and everyone's reactions."""

from __future__ import annotations

import numpy as np

from . import text, vocab
from .timing import DAY_MS, DIURNAL, OFFICE, diurnal_times, into_period, random_days, reaction_delays, respect_sleep
from .world import ORIGINAL, QUOTE, REPLY, RETWEET, World


def sources_for(world: World, authors: np.ndarray) -> list[str]:
    """The client each post was sent from: the author's usual one, sometimes another."""
    rng = world.rng
    usual = world.accounts.col("client")[authors]
    other = rng.random(len(authors)) < 0.08
    alt = rng.choice(len(vocab.CLIENTS), len(authors), p=np.array(vocab.CLIENT_WEIGHTS))
    return [vocab.CLIENTS[a] if o else u for u, o, a in zip(usual, other, alt)]


def pick_hashtags(rng: np.random.Generator, langs, rate: float) -> list[tuple]:
    """Zero to two hashtags per post from each language's common topics."""
    out: list[tuple] = []
    has = rng.random(len(langs)) < rate
    two = rng.random(len(langs)) < 0.3
    for lang, h, t in zip(langs, has, two):
        if not h:
            out.append(())
            continue
        bank = vocab.HASHTAGS.get(lang, vocab.HASHTAGS["en"])
        k = 2 if t and len(bank) > 1 else 1
        out.append(tuple(bank[i] for i in rng.choice(len(bank), k, replace=False)))
    return out


def pick_links(rng: np.random.Generator, n: int, rate: float, domains) -> list[str]:
    """Expanded URLs (or '') for ``n`` posts."""
    has = rng.random(n) < rate
    doms = rng.integers(0, len(domains), n)
    slugs = rng.integers(10**6, 10**9, n)
    return [f"https://{domains[d]}/{'news' if d % 2 else 'p'}/{s}" if h else "" for h, d, s in zip(has, doms, slugs)]


def post_target_statements(world: World) -> np.ndarray:
    """The targets' own posts over the period, in office hours, London time."""
    rng, p = world.rng, world.params
    rows = []
    rates = (p.ambassador_posts_per_day, p.embassy_posts_per_day) + (p.extra_target_posts_per_day,) * (len(world.targets) - 2)
    for account, rate in zip(world.targets, rates):
        per_day = rng.poisson(rate, p.days)
        days = world.start_ms + np.repeat(np.arange(p.days), per_day) * DAY_MS
        n = len(days)
        ms = into_period(diurnal_times(rng, days, np.ones(n, dtype=np.int64), OFFICE), world.start_ms)
        keep = ms < world.end_ms
        ms, n = ms[keep], int(keep.sum())
        tags = [("Veloria",) if rng.random() < 0.3 else () for _ in range(n)]
        links = pick_links(rng, n, 0.4, (vocab.NETWORK_DOMAINS[1], vocab.NETWORK_DOMAINS[0], "harbournews.co.uk"))
        rows.append(world.events.add_events(
            np.full(n, account), ms, ORIGINAL, body=[text.target_post(rng) for _ in range(n)], lang="en",
            source="Twitter Web App", hashtags=tags, link=links, tag="target",
        ))
    out = np.concatenate(rows)
    world.facts["target_posts"] = out
    return out


def post_popular(world: World) -> np.ndarray:
    """The popular accounts' posts."""
    rng, p = world.rng, world.params
    acc = world.accounts
    pop = np.array(world.popular)
    # the collection holds fewer of their posts when the sampled population is smaller
    counts = rng.poisson(p.popular_posts_per_day * p.scale * p.days * acc.col("activity")[pop] / acc.col("activity")[pop].mean())
    authors = np.repeat(pop, counts)
    n = len(authors)
    ms = into_period(diurnal_times(rng, random_days(rng, world.start_ms, world.end_ms, n), acc.col("tz")[authors]), world.start_ms)
    keep = ms < world.end_ms
    authors, ms, n = authors[keep], ms[keep], int(keep.sum())
    langs = acc.col("lang")[authors]
    home = [u.split("//", 1)[1] for u in acc.col("url")[authors]]
    links = [f"https://{h}/{int(s)}" if r < 0.55 else "" for h, s, r in zip(home, rng.integers(10**6, 10**9, n), rng.random(n))]
    return world.events.add_events(
        authors, ms, ORIGINAL, body=text.organic_bodies(rng, langs, 14), lang=list(langs), source=sources_for(world, authors),
        hashtags=pick_hashtags(rng, langs, 0.35), link=links, tag="popular",
    )


def post_organic_originals(world: World, authors_pool: np.ndarray, per_day: float, tag: str = "organic") -> np.ndarray:
    """Ordinary users' own posts: heavy-tailed counts per account, daily rhythm in their time zone."""
    rng = world.rng
    acc = world.accounts
    created = acc.col("created_ms")[authors_pool]
    active_days = np.maximum((world.end_ms - np.maximum(created, world.start_ms)) / DAY_MS, 0)
    counts = rng.poisson(per_day * acc.col("activity")[authors_pool] * active_days)
    authors = np.repeat(authors_pool, counts)
    n = len(authors)
    days = random_days(rng, np.maximum(acc.col("created_ms")[authors], world.start_ms), world.end_ms, n)
    ms = into_period(diurnal_times(rng, days, acc.col("tz")[authors], DIURNAL), world.start_ms)
    ms = np.maximum(ms, acc.col("created_ms")[authors] + 60_000)
    keep = ms < world.end_ms
    authors, ms, n = authors[keep], ms[keep], int(keep.sum())
    langs = acc.col("lang")[authors]
    mentions = [(int(world.popular[int(rng.integers(0, len(world.popular)))]),) if r < 0.06 else () for r in rng.random(n)]
    return world.events.add_events(
        authors, ms, ORIGINAL, body=text.organic_bodies(rng, langs), lang=list(langs), source=sources_for(world, authors),
        hashtags=pick_hashtags(rng, langs, 0.22), link=pick_links(rng, n, 0.12, vocab.ORGANIC_DOMAINS), mentions=mentions, tag=tag,
    )


def engage(world: World, posts: np.ndarray, mean, candidates: np.ndarray, weights: np.ndarray, kind: int, tag: str = "organic",
           median_s: float | None = None, sigma: float = 1.3, dispersion: float = 0.7, sleep: bool = True) -> np.ndarray:
    """Reactions (retweets, replies or quotes) to ``posts`` by accounts drawn from ``candidates`` ∝ ``weights``.

    Counts per post are negative-binomial around ``mean`` (scalar or per post); each account reacts at most
    once per post, never before it exists and never to itself; delays are log-normal, shifted out of the night.
    """
    rng = world.rng
    ev, acc = world.events, world.accounts
    if len(posts) == 0 or len(candidates) == 0:
        return np.empty(0, dtype=np.int64)
    mean = np.broadcast_to(np.asarray(mean, dtype=float), (len(posts),))
    counts = rng.negative_binomial(dispersion, dispersion / (dispersion + np.maximum(mean, 1e-9)))
    post_of = np.repeat(np.arange(len(posts)), counts)
    cum = np.cumsum(weights)
    who = candidates[np.searchsorted(cum, rng.random(len(post_of)) * cum[-1], side="right").clip(0, len(candidates) - 1)]
    _, first = np.unique(post_of.astype(np.int64) * (acc.size + 1) + who, return_index=True)
    first.sort()
    post_of, who = post_of[first], who[first]
    post_ms = ev.col("ms")[posts][post_of]
    ms = post_ms + reaction_delays(rng, len(who), median_s or world.params.reaction_median_s, sigma)
    if sleep:
        ms = respect_sleep(rng, ms, acc.col("tz")[who])
    ok = (who != ev.col("author")[posts][post_of]) & (acc.col("created_ms")[who] < post_ms) & (ms < world.end_ms)
    post_of, who, ms = post_of[ok], who[ok], ms[ok]
    return add_reactions(world, posts[post_of], who, ms, kind, tag)


def add_reactions(world: World, refs: np.ndarray, who: np.ndarray, ms: np.ndarray, kind: int, tag: str) -> np.ndarray:
    """Append reactions of ``who`` at ``ms`` to the posts ``refs``, with bodies for replies and quotes."""
    rng = world.rng
    acc, ev = world.accounts, world.events
    n = len(who)
    own = acc.col("lang")[who]
    post_lang = ev.col("lang")[refs]
    langs = np.where(rng.random(n) < 0.6, post_lang, own) if n else own
    if kind == RETWEET:
        return ev.add_events(who, ms, kind, ref=refs, body="", lang=list(post_lang), source=sources_for(world, who), tag=tag)
    return ev.add_events(
        who, ms, kind, ref=refs, body=text.organic_bodies(rng, langs, 9), lang=list(langs), source=sources_for(world, who),
        hashtags=pick_hashtags(rng, langs, 0.08), link=pick_links(rng, n, 0.03, vocab.ORGANIC_DOMAINS), tag=tag,
    )


def reply_threads(world: World, replies: np.ndarray, candidates: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Conversations: authors answer some replies to their posts, others chime in, sometimes a few levels deep."""
    rng = world.rng
    ev = world.events
    out = []
    layer = replies
    for _ in range(3):
        if len(layer) == 0:
            break
        parents = ev.col("ref")[layer]
        parent_author = ev.col("author")[parents]
        is_organic_parent = world.accounts.col("role")[parent_author] == "organic"
        answer = rng.random(len(layer)) < np.where(is_organic_parent, 0.3, 0.02)
        back = layer[answer]
        who = parent_author[answer]
        ms = ev.col("ms")[back] + reaction_delays(rng, len(back), 900.0, 1.2)
        ms = respect_sleep(rng, ms, world.accounts.col("tz")[who])
        keep = ms < world.end_ms
        rows_back = add_reactions(world, back[keep], who[keep], ms[keep], REPLY, "organic")
        rows_other = engage(world, layer, 0.08, candidates, weights, REPLY, median_s=1500.0)
        layer = np.concatenate([rows_back, rows_other])
        out.append(layer)
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


def organic_background(world: World, organic_rows: np.ndarray) -> None:
    """Everything the organic population does: posts, engagement with targets, popular accounts and each other."""
    rng, p = world.rng, world.params
    acc = world.accounts
    s = p.scale
    activity = acc.col("activity")
    langs = acc.col("lang")

    # Who pays attention to the targets at all: a minority, more often English or Chinese speakers.
    lang_boost = np.where(np.isin(langs[organic_rows], ["en", "zh"]), 1.4, 0.6)
    interested = organic_rows[rng.random(len(organic_rows)) < p.target_interest * lang_boost]
    world.facts["target_audience"] = interested

    targets = post_target_statements(world)
    popular = post_popular(world)
    originals = post_organic_originals(world, organic_rows, p.organic_originals_per_day)

    # Engagement with the targets.
    target_authors = world.events.col("author")[targets]
    weight_t = np.where(target_authors == world.targets[0], 1.2, 0.8)
    w_int = activity[interested]
    engage(world, targets, p.target_retweets_per_post * s * weight_t, interested, w_int, RETWEET)
    target_replies = engage(world, targets, p.target_replies_per_post * s * weight_t, interested, w_int, REPLY)
    engage(world, targets, p.target_quotes_per_post * s * weight_t, interested, w_int, QUOTE)

    # Engagement with popular accounts: each organic account follows a few, preferring its own language.
    pop = np.array(world.popular)
    follows_k = 1 + rng.poisson(2.0, len(organic_rows))
    pop_followers = acc.col("followers")[pop].astype(float)
    popular_authors = world.events.col("author")[popular]
    all_replies = [target_replies]
    for j, account in enumerate(pop):
        same_lang = langs[organic_rows] == langs[account]
        p_follow = np.clip(follows_k * (pop_followers[j] / pop_followers.sum()) * np.where(same_lang, 2.5, 0.35), 0, 0.95)
        audience = organic_rows[rng.random(len(organic_rows)) < p_follow]
        if len(audience) == 0:
            continue
        mine = popular[popular_authors == account]
        engage(world, mine, p.popular_retweets_per_post * s, audience, activity[audience], RETWEET)
        all_replies.append(engage(world, mine, p.popular_replies_per_post * s, audience, activity[audience], REPLY))
        engage(world, mine, p.popular_quotes_per_post * s, audience, activity[audience], QUOTE)

    # Engagement among ordinary users, within language communities.
    original_langs = world.events.col("lang")[originals]
    for lang in np.unique(original_langs):
        posts = originals[original_langs == lang]
        pool = organic_rows[langs[organic_rows] == lang]
        if len(pool) < 2:
            continue
        engage(world, posts, p.organic_retweets_per_post, pool, activity[pool], RETWEET)
        all_replies.append(engage(world, posts, p.organic_replies_per_post, pool, activity[pool], REPLY))

    reply_threads(world, np.concatenate(all_replies), organic_rows, activity[organic_rows])


def quiet_spells(world: World, organic_rows: np.ndarray, fraction: float = 0.1) -> None:
    """Ordinary accounts also go quiet for weeks (holidays, lost interest): drop their events in such spells."""
    rng = world.rng
    ev = world.events
    chosen = organic_rows[rng.random(len(organic_rows)) < fraction]
    if len(chosen) == 0:
        return
    start = rng.integers(world.start_ms, world.end_ms, len(chosen))
    length = (rng.uniform(30, 100, len(chosen)) * DAY_MS).astype(np.int64)
    spell_start = np.full(world.accounts.size, np.iinfo(np.int64).max)
    spell_end = np.full(world.accounts.size, np.iinfo(np.int64).min)
    spell_start[chosen], spell_end[chosen] = start, start + length
    authors, ms = ev.col("author"), ev.col("ms")
    tags = ev.col("tag")
    in_spell = (ms >= spell_start[authors]) & (ms < spell_end[authors]) & (tags == "organic")
    world.facts["quiet_spells"] = int(len(chosen))
    drop_events(world, in_spell)


def drop_events(world: World, drop: np.ndarray) -> None:
    """Remove events (and, transitively, reactions to removed events), keeping references consistent."""
    ev = world.events
    drop = drop.copy()
    while True:
        refs = ev.col("ref")
        orphan = (refs >= 0) & drop[np.maximum(refs, 0)] & ~drop
        if not orphan.any():
            break
        drop |= orphan
    mapping = ev.keep(~drop)
    refs = ev.col("ref")
    ev.set("ref", np.arange(ev.size), np.where(refs >= 0, mapping[np.maximum(refs, 0)], -1))
    for key in ("target_posts",):
        if key in world.facts:
            remapped = mapping[world.facts[key]]
            world.facts[key] = remapped[remapped >= 0]
