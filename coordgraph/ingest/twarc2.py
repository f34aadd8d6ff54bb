"""Twitter API v2 as written by twarc2: raw response pages and ``twarc2 flatten`` lines."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from .records import Bundle, Reject, Skip, account, tweet
from .values import BadValue, check_plausible, domain_of, id_text, parse_time_ms, parse_time_ms_unchecked, snowflake_ms

PLATFORM = "twitter"


def is_page(obj: dict) -> bool:
    """A raw v2 response page (``data``/``includes``/``errors``/``meta``)."""
    return "data" in obj or "includes" in obj or ("errors" in obj and "id" not in obj) or ("meta" in obj and "id" not in obj)


def is_flat_tweet(obj: dict) -> bool:
    """One v2 tweet per line (``twarc2 flatten``, or a bare v2 tweet object)."""
    return "id" in obj and ("author_id" in obj or "author" in obj or "text" in obj) and "user" not in obj and "id_str" not in obj


def _snapshot_ms(obj: dict) -> int | None:
    retrieved = (obj.get("__twarc") or {}).get("retrieved_at")
    if retrieved:
        try:
            return parse_time_ms(retrieved, "__twarc.retrieved_at")
        except BadValue:
            return None
    return None


@lru_cache(maxsize=65_536)
def _cached_parse_ms(text: str) -> int:
    return parse_time_ms_unchecked(text)


def _account_created_ms(created, where: str) -> int:
    # a profile recurs on every page its account appears on: its creation time is parsed once
    if isinstance(created, str):
        try:
            ms = _cached_parse_ms(created)
        except BadValue:
            pass
        else:
            return check_plausible(ms, f"{where}.created_at", created)
    return parse_time_ms(created, f"{where}.created_at")


def user_record(u: dict, snapshot_ms: int | None, where: str) -> dict:
    """An account profile from a v2 user object."""
    if not isinstance(u, dict) or not u.get("id"):
        raise BadValue(f"{where}.id", "user without id")
    metrics = u.get("public_metrics") or {}
    created = u.get("created_at")
    return account(
        id_text(u["id"], f"{where}.id"),
        snapshot_ms,
        platform=PLATFORM,
        username=u.get("username"),
        name=u.get("name"),
        created_ms=_account_created_ms(created, where) if created else None,
        description=u.get("description"),
        location=u.get("location"),
        followers=metrics.get("followers_count"),
        following=metrics.get("following_count"),
        tweet_count=metrics.get("tweet_count"),
        verified=u.get("verified"),
        profile_image_url=u.get("profile_image_url"),
        default_profile_image=("default_profile_images" in u["profile_image_url"]) if u.get("profile_image_url") else None,
    )


def _is_full(ref: dict) -> bool:
    return "text" in ref or "author_id" in ref


def add_tweet(b: Bundle, t: dict, where: str, is_event: bool, users_by_name: dict[str, str], index: int | None = None) -> None:
    """Add one v2 tweet (and the stubs, links, tags, mentions and media it implies) to ``b``; ``where`` names it in
    rejects (``where[index]`` when an index is given)."""
    if index is not None:
        where = f"{where}[{index}]"
    tid = t.get("id")
    if not tid:
        raise BadValue(f"{where}.id", "missing tweet id")
    tid = id_text(tid, f"{where}.id")
    author = t.get("author_id") or (t.get("author") or {}).get("id")
    if not author:
        raise BadValue(f"{where}.author_id", "missing author_id")
    author = id_text(author, f"{where}.author_id")
    created_ms = parse_time_ms(t.get("created_at"), f"{where}.created_at")
    refs = t.get("referenced_tweets") or []
    retweeted = next((r for r in refs if r.get("type") == "retweeted"), None)
    if retweeted is not None:
        target = id_text(retweeted.get("id"), f"{where}.referenced_tweets.id")
        b.retweets.append({"id": tid, "account_id": author, "tweet_id": target, "at_ms": created_ms, "event": is_event})
        b.stubs.append({"id": target, "created_ms": snowflake_ms(target)})
        if is_event:
            b.events += 1
        return
    kind = "original"
    for r in refs:
        rid = r.get("id")
        if not rid:
            raise BadValue(f"{where}.referenced_tweets.id", "referenced tweet without id")
        rid = id_text(rid, f"{where}.referenced_tweets.id")
        if r.get("type") == "replied_to":
            kind = "reply"
            b.replies.append((tid, rid))
            stub_author = t.get("in_reply_to_user_id")
            b.stubs.append({"id": rid, "created_ms": snowflake_ms(rid), "author_id": id_text(stub_author, f"{where}.in_reply_to_user_id") if stub_author else None})
        elif r.get("type") == "quoted":
            if kind == "original":
                kind = "quote"
            b.quotes.append((tid, rid))
            b.stubs.append({"id": rid, "created_ms": snowflake_ms(rid)})
    text = (t.get("note_tweet") or {}).get("text") or t.get("text")
    b.tweets.append(
        tweet(
            tid,
            created_ms=created_ms,
            text=text,
            lang=t.get("lang"),
            source=t.get("source"),
            kind=kind,
            author_id=author,
            conversation_id=id_text(t["conversation_id"], f"{where}.conversation_id") if t.get("conversation_id") else None,
        )
    )
    if is_event:
        b.events += 1
    entities = t.get("entities") or {}
    for h in entities.get("hashtags") or []:
        if h.get("tag"):
            b.tags.append((tid, h["tag"].lower()))
    for u in entities.get("urls") or []:
        url = u.get("unwound_url") or u.get("expanded_url") or u.get("url")
        if url:
            b.links.append((tid, url, domain_of(url)))
    for m in entities.get("mentions") or []:
        mid = m.get("id") or users_by_name.get((m.get("username") or "").lower())
        if mid:
            mid = id_text(mid, f"{where}.entities.mentions.id")
            b.mentions.append((tid, mid))
            b.account_refs.append({"id": mid, "platform": PLATFORM, "username": m.get("username")})
    for key in (t.get("attachments") or {}).get("media_keys") or []:
        b.media.append((tid, str(key)))


def read_page(obj: dict, line: int) -> Iterator[Bundle | Reject | Skip]:
    """One raw response page: each tweet of ``data`` is an event; ``includes`` supply profiles and referenced posts."""
    data = obj.get("data")
    if data is None:
        if obj.get("errors"):
            first = obj["errors"][0] if isinstance(obj["errors"], list) and obj["errors"] else obj["errors"]
            detail = first.get("detail") or first.get("title") if isinstance(first, dict) else first
            yield Skip(line, f"API error response, no tweets: {str(detail)[:200]}")
        else:
            yield Skip(line, "response page without data")
        return
    items = data if isinstance(data, list) else [data]
    if not items:
        yield Skip(line, "response page with no results")
        return
    sample = items[0] if isinstance(items[0], dict) else {}
    if "text" not in sample and "author_id" not in sample:
        if "username" in sample:
            yield Skip(line, "user lookup page (accounts without tweets)")
        elif "tweet_count" in sample and "start" in sample:
            yield Skip(line, "tweet counts page (no tweets)")
        elif "name" in sample and "id" in sample:
            yield Skip(line, "lists page (no tweets)")
        else:
            yield Skip(line, f"page of non-tweet objects (keys: {', '.join(sorted(sample)[:8])})")
        return
    includes = obj.get("includes") or {}
    snapshot = _snapshot_ms(obj)
    if snapshot is None:
        snapshot = max((snowflake_ms(t.get("id")) or 0) for t in items if isinstance(t, dict))
    b = Bundle(line=line)
    users_by_name: dict[str, str] = {}
    for i, u in enumerate(includes.get("users") or []):
        try:
            rec = user_record(u, snapshot, f"includes.users[{i}]")
        except BadValue as exc:
            yield Reject(line, exc.field, exc.reason)
            continue
        b.accounts.append(rec)
        if u.get("username"):
            users_by_name[u["username"].lower()] = rec["id"]
    for i, t in enumerate(includes.get("tweets") or []):
        reject = _add_whole_tweet(b, t, "includes.tweets", i, False, users_by_name)
        if reject is not None:
            yield reject
    for i, t in enumerate(items):
        reject = _add_whole_tweet(b, t, "data", i, True, users_by_name)
        if reject is not None:
            yield reject
    yield b


def _add_whole_tweet(b: Bundle, t, where: str, i: int, is_event: bool, users_by_name: dict[str, str]) -> Reject | None:
    """Add one tweet of a page to ``b``, or nothing of it: a malformed tweet's partial facts are taken back."""
    marks = _fact_lengths(b)
    events = b.events
    try:
        add_tweet(b, t, where, is_event, users_by_name, i)
    except (BadValue, AttributeError, TypeError) as exc:
        for name, mark in zip(_FACT_LISTS, marks):
            del getattr(b, name)[mark:]
        b.events = events
        return _reject(b.line, exc, f"{where}[{i}]", t)
    return None


def read_flat(obj: dict, line: int) -> Iterator[Bundle | Reject | Skip]:
    """One ``twarc2 flatten`` line: the tweet with its author, referenced tweets and mentioned users inlined."""
    snapshot = _snapshot_ms(obj)
    if snapshot is None:
        snapshot = snowflake_ms(obj.get("id"))
    b = Bundle(line=line)
    try:
        _flat_users(b, obj, snapshot, "")
        add_tweet(b, obj, "tweet", True, {})
        for i, ref in enumerate(obj.get("referenced_tweets") or []):
            if isinstance(ref, dict) and _is_full(ref):
                add_tweet(b, ref, f"referenced_tweets[{i}]", False, {})
    except (BadValue, AttributeError, TypeError) as exc:
        yield _reject(line, exc, "tweet", obj)
        return
    yield b


def _flat_users(b: Bundle, t: dict, snapshot: int | None, where: str) -> None:
    for key in ("author", "in_reply_to_user"):
        u = t.get(key)
        if isinstance(u, dict) and u.get("id") and len(u) > 2:
            b.accounts.append(user_record(u, snapshot, where + key))
    for m in (t.get("entities") or {}).get("mentions") or []:
        if isinstance(m, dict) and m.get("id") and ("created_at" in m or "name" in m):
            b.accounts.append(user_record(m, snapshot, where + "entities.mentions"))
    for i, ref in enumerate(t.get("referenced_tweets") or []):
        if isinstance(ref, dict):
            _flat_users(b, ref, snapshot, f"{where}referenced_tweets[{i}].")


_FACT_LISTS = ("accounts", "account_refs", "tweets", "stubs", "retweets", "replies", "quotes", "tags", "links", "mentions", "media")


def _fact_lengths(b: Bundle) -> tuple[int, ...]:
    # the lengths of _FACT_LISTS, spelt out: this runs once per tweet
    return (len(b.accounts), len(b.account_refs), len(b.tweets), len(b.stubs), len(b.retweets), len(b.replies),
            len(b.quotes), len(b.tags), len(b.links), len(b.mentions), len(b.media))


def _reject(line: int, exc: Exception, where: str, raw) -> Reject:
    if isinstance(exc, BadValue):
        return Reject(line, exc.field, exc.reason)
    return Reject(line, where, f"malformed tweet object ({type(exc).__name__}: {exc})", str(raw)[:500])
