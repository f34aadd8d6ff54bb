"""Twitter API v1.1 tweets: search responses, arrays and one tweet per line (incl. stream messages)."""

from __future__ import annotations

from collections.abc import Iterator

from .records import Bundle, Reject, Skip, account, tweet
from .values import BadValue, domain_of, id_text, parse_time_ms, snowflake_ms, strip_html

PLATFORM = "twitter"
STREAM_MESSAGES = ("delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect", "warning", "friends", "event")
MEDIA_KEY_PREFIX = {"photo": "3_", "video": "7_", "animated_gif": "16_"}  # v2 media_key = <type>_<media id>


def is_tweet(obj: dict) -> bool:
    """A v1.1 tweet object."""
    return "user" in obj and ("id_str" in obj or "id" in obj)


def stream_message(obj: dict) -> str | None:
    """The kind of a v1.1 streaming control message (delete, limit, ...), or None."""
    if "user" in obj or "id_str" in obj:
        return None
    return next((k for k in STREAM_MESSAGES if k in obj), None)


def _id(obj: dict, key: str) -> str | None:
    value = obj.get(key + "_str")
    if value is None:
        value = obj.get(key)
    return None if value is None else id_text(value, key)


def user_record(u: dict, snapshot_ms: int | None, where: str) -> dict:
    """An account profile from a v1.1 user object."""
    uid = _id(u, "id") if isinstance(u, dict) else None
    if not uid:
        raise BadValue(f"{where}.id_str", "user without id")
    created = u.get("created_at")
    return account(
        uid,
        snapshot_ms,
        platform=PLATFORM,
        username=u.get("screen_name"),
        name=u.get("name"),
        created_ms=parse_time_ms(created, f"{where}.created_at") if created else None,
        description=u.get("description"),
        location=u.get("location"),
        lang=u.get("lang"),
        followers=u.get("followers_count"),
        following=u.get("friends_count"),
        tweet_count=u.get("statuses_count"),
        verified=u.get("verified"),
        profile_image_url=u.get("profile_image_url_https") or u.get("profile_image_url"),
        default_profile_image=u.get("default_profile_image"),
    )


def add_tweet(b: Bundle, t: dict, where: str, is_event: bool, snapshot_ms: int | None) -> None:
    """Add one v1.1 tweet, its user, and what it retweets, quotes, replies to, tags, links and mentions."""
    tid = _id(t, "id")
    if not tid:
        raise BadValue(f"{where}.id_str", "missing tweet id")
    user = t.get("user")
    if not isinstance(user, dict) and is_event:
        raise BadValue(f"{where}.user", "missing user")
    if t.get("timestamp_ms"):
        created_ms = parse_time_ms(int(t["timestamp_ms"]), f"{where}.timestamp_ms")
    else:
        created_ms = parse_time_ms(t.get("created_at"), f"{where}.created_at")
    snapshot = snapshot_ms if snapshot_ms is not None else created_ms
    author = None
    if isinstance(user, dict):  # the API drops the user of a quoted tweet nested in a retweet
        profile = user_record(user, snapshot, f"{where}.user")
        b.accounts.append(profile)
        author = profile["id"]
    rt = t.get("retweeted_status")
    if isinstance(rt, dict):
        add_tweet(b, rt, f"{where}.retweeted_status", False, snapshot)
        b.retweets.append({"id": tid, "account_id": author, "tweet_id": _id(rt, "id"), "at_ms": created_ms, "event": is_event})
        if is_event:
            b.events += 1
        return
    kind = "original"
    parent = _id(t, "in_reply_to_status_id")
    if parent:
        kind = "reply"
        b.replies.append((tid, parent))
        parent_author = _id(t, "in_reply_to_user_id")
        b.stubs.append({"id": parent, "created_ms": snowflake_ms(parent), "author_id": parent_author})
        if parent_author:
            b.account_refs.append({"id": parent_author, "platform": PLATFORM, "username": t.get("in_reply_to_screen_name")})
    quoted = t.get("quoted_status")
    quoted_id = _id(t, "quoted_status_id") or (_id(quoted, "id") if isinstance(quoted, dict) else None)
    if quoted_id:
        if kind == "original":
            kind = "quote"
        b.quotes.append((tid, quoted_id))
        if isinstance(quoted, dict):
            add_tweet(b, quoted, f"{where}.quoted_status", False, snapshot)
        else:
            b.stubs.append({"id": quoted_id, "created_ms": snowflake_ms(quoted_id)})
    extended = t.get("extended_tweet") or {}
    text = extended.get("full_text") or t.get("full_text") or t.get("text")
    b.tweets.append(
        tweet(
            tid,
            created_ms=created_ms,
            text=text,
            lang=t.get("lang"),
            source=strip_html(t.get("source")),
            kind=kind,
            author_id=author,
        )
    )
    if is_event:
        b.events += 1
    entities = extended.get("entities") or t.get("entities") or {}
    for h in entities.get("hashtags") or []:
        if h.get("text"):
            b.tags.append((tid, h["text"].lower()))
    for u in entities.get("urls") or []:
        url = u.get("expanded_url") or u.get("url")
        if url:
            b.links.append((tid, url, domain_of(url)))
    for m in entities.get("user_mentions") or []:
        mid = _id(m, "id")
        if mid:
            b.mentions.append((tid, mid))
            b.account_refs.append({"id": mid, "platform": PLATFORM, "username": m.get("screen_name")})
    media_entities = (extended.get("extended_entities") or t.get("extended_entities") or {}).get("media") or entities.get("media") or []
    for m in media_entities:
        mid = _id(m, "id")
        if mid:
            b.media.append((tid, MEDIA_KEY_PREFIX.get(m.get("type"), "3_") + mid))


def read_tweet(obj: dict, line: int, where: str = "tweet") -> Iterator[Bundle | Reject | Skip]:
    """One v1.1 tweet object as one bundle (or a reject saying which field is wrong)."""
    b = Bundle(line=line)
    try:
        add_tweet(b, obj, where, True, None)
    except BadValue as exc:
        yield Reject(line, exc.field, exc.reason)
        return
    except (AttributeError, TypeError, KeyError) as exc:
        yield Reject(line, where, f"malformed tweet object ({type(exc).__name__}: {exc})", str(obj)[:500])
        return
    yield b


def read_search(obj: dict, line: int) -> Iterator[Bundle | Reject | Skip]:
    """A v1.1 search response ``{"statuses": [...], "search_metadata": ...}``."""
    statuses = obj.get("statuses") or []
    if not statuses:
        yield Skip(line, "search response with no statuses")
    for i, t in enumerate(statuses):
        if not isinstance(t, dict):
            yield Reject(line, f"statuses[{i}]", "not a tweet object")
            continue
        yield from read_tweet(t, line, f"statuses[{i}]")
