"""The accounts: the focal targets, other popular accounts, and the organic background population."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

from . import vocab
from .world import World

DAY_MS = 86_400_000
YEAR_MS = 365 * DAY_MS
DEFAULT_IMAGE = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"


def _ms(year: int, month: int = 1, day: int = 1) -> int:
    return int(datetime(year, month, day, tzinfo=timezone.utc).timestamp() * 1000)


def pick(rng: np.random.Generator, options, n: int, p=None) -> list:
    """``n`` items of ``options`` (uniform or with weights ``p``), as a list."""
    idx = rng.choice(len(options), n, p=p)
    return [options[i] for i in idx]


def add_targets(world: World) -> None:
    """The ambassador- and embassy-like focal accounts, then ``targets - 2`` further official accounts."""
    rng = world.rng
    rows = []
    for profile, created, followers in ((vocab.AMBASSADOR, _ms(2019, 10, 14) + 37_481_000, 98_400), (vocab.EMBASSY, _ms(2012, 3, 5) + 51_022_000, 61_900)):
        rows.append(world.accounts.add(
            1, role="target", username=profile["username"], name=profile["name"], description=profile["description"],
            location=profile["location"], lang="en", created_ms=np.array([created]), tz=np.array([0]),
            followers=np.array([followers]), following=np.array([int(rng.integers(80, 400))]), verified=np.array([True]),
            default_image=np.array([False]), activity=np.array([1.0]), client="Twitter Web App", negative="",
            url=f"https://{vocab.NETWORK_DOMAINS[1]}",
        )[0])
    for _, profile in vocab.EXTRA_TARGETS[: max(world.params.targets - 2, 0)]:
        created = _ms(2014, 1, 1) + int(rng.integers(0, 6 * YEAR_MS))
        rows.append(world.accounts.add(
            1, role="target", username=profile["username"], name=profile["name"], description=profile["description"],
            location=profile["location"], lang="en", created_ms=np.array([created]), tz=np.array([0]),
            followers=np.array([int(rng.integers(8_000, 60_000))]), following=np.array([int(rng.integers(80, 400))]),
            verified=np.array([True]), default_image=np.array([False]), activity=np.array([1.0]), client="Twitter Web App",
            negative="", url=f"https://{vocab.NETWORK_DOMAINS[1]}",
        )[0])
    world.targets = [int(r) for r in rows]


def add_popular(world: World) -> None:
    """Other popular accounts (news, sport, culture) that organic users engage with far more than the targets."""
    rng = world.rng
    n = min(world.params.popular_accounts, len(vocab.POPULAR))
    chosen = vocab.POPULAR[:n]
    created = rng.integers(_ms(2008), _ms(2016), n)
    followers = np.round(np.exp(rng.normal(np.log(250_000), 1.0, n))).astype(np.int64)
    rows = world.accounts.add(
        n, role="popular", username=[c[0] for c in chosen], name=[c[1] for c in chosen], description=[c[2] for c in chosen],
        location=[c[3] for c in chosen], lang=[c[4] for c in chosen], created_ms=created,
        tz=np.array([_tz_for(rng, c[4]) for c in chosen]), followers=followers, following=rng.integers(50, 2000, n),
        verified=rng.random(n) < 0.8, default_image=np.zeros(n, bool), activity=np.exp(rng.normal(0, 0.5, n)),
        client=pick(rng, ("Twitter Web App", "TweetDeck", "Twitter for iPhone"), n), negative="",
        url=[f"https://{c[5]}" for c in chosen],
    )
    world.popular = [int(r) for r in rows]


def _tz_for(rng: np.random.Generator, lang: str) -> int:
    offsets = vocab.UTC_OFFSETS.get(lang, (0,))
    return int(offsets[int(rng.integers(0, len(offsets)))])


def make_usernames(rng: np.random.Generator, first: list[str], last: list[str]) -> list[str]:
    """Handles in the styles ordinary users pick (name, name_surname, name plus digits, nicknames)."""
    styles = rng.integers(0, 6, len(first))
    digits = rng.integers(1, 9999, len(first))
    years = rng.integers(60, 100, len(first))
    out = []
    for f, l, s, d, y in zip(first, last, styles, digits, years):
        if s == 0:
            out.append(f"{f}{l}")
        elif s == 1:
            out.append(f"{f.lower()}_{l.lower()}")
        elif s == 2:
            out.append(f"{f}{l[:1]}{d}")
        elif s == 3:
            out.append(f"{l.lower()}{f[:1].lower()}{y}")
        elif s == 4:
            out.append(f"{f}_{l}{d % 100}")
        else:
            out.append(f"the{f.lower()}{l[:3].lower()}")
    return [_ascii_handle(h)[:15] for h in out]


def _ascii_handle(handle: str) -> str:
    table = str.maketrans("éèêëáàâäíìîïóòôöúùûüçñ", "eeeeaaaaiiiioooouuuucn")
    return "".join(ch for ch in handle.translate(table) if ch.isascii() and (ch.isalnum() or ch == "_"))


def make_bios(rng: np.random.Generator, langs: list[str], empty_rate: float) -> list[str]:
    """Short self-descriptions in the account's language; some empty."""
    out = []
    for lang in langs:
        if rng.random() < empty_rate:
            out.append("")
            continue
        bank = vocab.BIO_WORDS.get(lang, vocab.BIO_WORDS["en"])
        k = int(rng.integers(1, 4))
        parts = [bank[i] for i in rng.choice(len(bank), k, replace=False)]
        sep = " | " if rng.random() < 0.5 else ". "
        out.append(sep.join(parts))
    return out


def organic_creation_times(world: World, n: int) -> np.ndarray:
    """Creation times spread over many years, denser recently; a few accounts are created during the period."""
    rng = world.rng
    start, end = world.start_ms, world.end_ms
    during = rng.random(n) < 0.06
    # ages before the period: a mixture weighted towards recent years, back to 2007
    age_years = np.minimum(rng.gamma(1.6, 2.6, n), (start - _ms(2007)) / YEAR_MS)
    created = (start - age_years * YEAR_MS).astype(np.int64)
    created[during] = rng.integers(start, max(end - (end - start) // 6, start + DAY_MS), int(during.sum()))
    return created


def add_organic(world: World, n: int, negative: str = "", langs: list[str] | None = None, created: np.ndarray | None = None) -> np.ndarray:
    """``n`` ordinary accounts (or hard-negative accounts when ``negative`` names their kind)."""
    rng = world.rng
    p = world.params
    lang_codes = [code for code, _ in p.languages]
    weights = np.array([w for _, w in p.languages])
    if langs is None:
        langs = pick(rng, lang_codes, n, p=weights / weights.sum())
    if created is None:
        created = organic_creation_times(world, n)
    first = pick(rng, vocab.FIRST_NAMES, n)
    last = pick(rng, vocab.LAST_NAMES, n)
    names = [f"{f} {l}" if rng.random() < 0.7 else f for f, l in zip(first, last)]
    young = created > world.start_ms - YEAR_MS
    default_image = rng.random(n) < np.where(young, 0.25, 0.06)
    followers = np.round(np.exp(rng.normal(np.log(160), 1.5, n))).astype(np.int64)
    following = np.round(np.exp(rng.normal(np.log(320), 1.0, n))).astype(np.int64)
    return world.accounts.add(
        n, role="organic", username=make_usernames(rng, first, last), name=names, description=make_bios(rng, langs, 0.25),
        location=[pick(rng, vocab.LOCATIONS.get(lang, ("",)), 1)[0] for lang in langs], lang=list(langs),
        created_ms=np.asarray(created, dtype=np.int64), tz=np.array([_tz_for(rng, lang) for lang in langs]),
        followers=followers, following=following, verified=rng.random(n) < 0.003, default_image=default_image,
        activity=np.exp(rng.normal(-0.85, 1.3, n)), client=pick(rng, vocab.CLIENTS, n, p=np.array(vocab.CLIENT_WEIGHTS)),
        negative=negative, url=["" if rng.random() < 0.85 else "https://" + pick(rng, vocab.ORGANIC_DOMAINS, 1)[0] for _ in range(n)],
    )


def make_unique_usernames(world: World) -> None:
    """Resolve case-insensitive handle collisions by appending digits to later accounts."""
    names = list(world.accounts.col("username"))
    seen: set[str] = set()
    changed = False
    for i, name in enumerate(names):
        candidate = name
        k = 1
        while candidate.lower() in seen:
            suffix = str(k)
            candidate = name[: 15 - len(suffix)] + suffix
            k += 1
        if candidate != name:
            names[i] = candidate
            changed = True
        seen.add(candidate.lower())
    if changed:
        world.accounts.set("username", np.arange(len(names)), np.array(names, dtype=object))
