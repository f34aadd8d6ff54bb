"""Evidence in words: why an account is in a flagged cluster, said so a person acting on a takedown list can
check it ("retweeted 4 posts within 60 s of 9 members (p = 0.0005); created within 3 min of 6 members on
2020-06-14"), with handles, never bare ids passed off as handles.

The sentence is built from the run's evidence edges among the cluster's members (``links``, per signal: the
partners, the co-actions and the shared items), the member's dossier as detection stored it (its timing
p-value, per-signal details, and for accounts attached by the membership test the timing trace and the
identity links) and the members' creation times.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

# Co-action signals: what the account did together with the partners, and the noun of the shared items.
_COACTION = {
    "co_retweet": ("retweeted", "post"),
    "co_reply": ("replied to", "post"),
    "co_quote": ("quoted", "post"),
    "co_tweet": ("posted the same text", "text"),
    "co_hashtag": ("used", "hashtag"),
    "co_url": ("shared", "link"),
    "co_domain": ("linked to", "site"),
    "co_mention": ("mentioned", "account"),
}
# Pair signals that are not co-actions within a window: a phrase taking the partners.
_PAIRWISE = {
    "rapid_follow_on": "engaged the targets within {window} after {partners}",
    "near_duplicate": "posted near-identical texts to {partners}",
    "language": "shared rare phrases with {partners}",
    "profile": "has a profile like those of {partners}",
    "rhythm": "posts on the same weekly rhythm as {partners}",
    "dormancy_activation": "ended a long silence together with {partners}",
}
# Identity traces of the membership test.
_TRACES = {
    "creation_burst": "created in the same burst as {partners}",
    "profile": "has a profile like those of {partners}",
    "near_duplicate": "near-identical texts to {partners}",
}
MAX_NAMED = 3
_TWITTER_ID = re.compile(r"^[0-9]{1,20}$")


def handle(username: str | None, account_id: str | None = None) -> str:
    """``@username`` for an account with one; otherwise ``account <id>`` (an id is never shown as a handle)."""
    if username and str(username).strip():
        return "@" + str(username).strip().lstrip("@")
    return f"account {account_id}" if account_id is not None else "an account without a handle"


def post_url(post_id: Any, platform: str | None) -> str | None:
    """The public address of a post when it can be known: ``https://x.com/i/status/<id>`` for Twitter ids."""
    text = str(post_id)
    if (platform or "").lower() in ("twitter", "x") and _TWITTER_ID.match(text):
        return f"https://x.com/i/status/{text}"
    return None


def p_text(p: Any) -> str:
    """A p-value with two significant digits ('0.0005', '2.1e-07')."""
    if not isinstance(p, (int, float)):
        return "–"
    return f"{p:.2g}" if p >= 1e-4 or p == 0 else f"{p:.1e}"


def _seconds(window_s: Any) -> str:
    if not isinstance(window_s, (int, float)):
        return "the window"
    if window_s < 120:
        return f"{window_s:g} s"
    if window_s < 7200:
        return f"{window_s / 60:g} min"
    return f"{window_s / 3600:g} h"


def _names(ids: list[str], usernames: dict[str, str | None], members_word: bool = True) -> str:
    """'9 members (@a, @b, @c and 6 more)'; the count leads so the list may be cut."""
    ids = list(dict.fromkeys(ids))
    named = [handle(usernames.get(i), i) for i in ids[:MAX_NAMED]]
    rest = len(ids) - len(named)
    listed = ", ".join(named) + (f" and {rest} more" if rest > 0 else "")
    if not members_word:
        return listed
    noun = "member" if len(ids) == 1 else "members"
    return f"{len(ids)} {noun} ({listed})"


def _date(iso: Any) -> str | None:
    if not isinstance(iso, str) or len(iso) < 10:
        return None
    return iso[:10]


def _ts(iso: Any) -> float | None:
    if not isinstance(iso, str):
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 1:
        return "1 min"
    if minutes < 120:
        return f"{minutes:.0f} min"
    if minutes < 2880:
        return f"{minutes / 60:.0f} h"
    return f"{minutes / 1440:.0f} days"


def signal_parts(account: dict, links: dict[str, dict], usernames: dict[str, str | None],
                 created: dict[str, str | None], window_s: Any) -> list[str]:
    """One phrase per signal linking the account to other members, strongest (most co-actions) first."""
    evidence = account.get("evidence") or {}
    p_value = (evidence.get("benchmark") or {}).get("p_value")
    details = evidence.get("account_signals") or {}
    parts: list[str] = []
    timing_p_said = False
    # co-actions first (what the account did with the members), then the other links; most co-actions first
    for signal, link in sorted(links.items(), key=lambda kv: (kv[0] not in _COACTION, -kv[1]["count"], kv[0])):
        partners = link["partners"]
        if signal in _COACTION:
            verb, noun = _COACTION[signal]
            n_items = max(len(link["items"]), max(link["pair_counts"] or [0]))
            at_least = "at least " if link["capped"] else ""
            items = f"{at_least}{n_items} {noun}{'' if n_items == 1 else 's'}"
            text = (f"{verb} {items} within {_seconds(window_s)} of {_names(partners, usernames)}"
                    if verb != "posted the same text" else
                    f"posted the same text as {_names(partners, usernames)} within {_seconds(window_s)} ({items})")
            if not timing_p_said and isinstance(p_value, (int, float)):
                text += f" (p = {p_text(p_value)})"
                timing_p_said = True
            parts.append(text + f" [{signal}]")
        elif signal == "creation_burst":
            parts.append(_creation_phrase(account, partners, usernames, created) + " [creation_burst]")
        elif signal == "dormancy_activation":
            detail = (details.get(signal) or {}).get("detail") or {}
            text = f"ended a silence together with {_names(partners, usernames)}"
            if isinstance(detail, dict) and detail.get("silent_days") is not None:
                text = f"ended a {detail['silent_days']:g}-day silence together with {_names(partners, usernames)}"
            if isinstance(detail, dict) and _date(detail.get("activated_at")):
                text += f" on {_date(detail['activated_at'])}"
            parts.append(text + " [dormancy_activation]")
        else:
            template = _PAIRWISE.get(signal, signal.replace("_", " ") + " with {partners}")
            parts.append(template.format(window=_seconds(window_s), partners=_names(partners, usernames)) + f" [{signal}]")
    return parts


def _creation_phrase(account: dict, partners: list[str], usernames: dict, created: dict) -> str:
    mine = _ts(account.get("created_at"))
    gaps = [abs(mine - t) for t in (_ts(created.get(p)) for p in partners) if t is not None] if mine is not None else []
    day = _date(account.get("created_at"))
    if gaps and day:
        return f"created within {_minutes(max(gaps))} of {_names(partners, usernames)} on {day}"
    return f"created in the same burst as {_names(partners, usernames)}"


def membership_parts(account: dict, usernames: dict[str, str | None], created: dict[str, str | None],
                     window_s: Any) -> list[str]:
    """Why the membership test attached an account: its timing trace and identity links, in words."""
    evidence = account.get("evidence") or {}
    membership = evidence.get("membership")
    if not isinstance(membership, dict):
        return []
    traces = membership.get("traces") or {}
    parts = []
    head = "attached by the membership test"
    if isinstance(membership.get("q_value"), (int, float)):
        head += f" (q = {p_text(membership['q_value'])})"
    parts.append(head)
    timing = traces.get("timing") or {}
    attachment = evidence.get("attachment") or []
    near_members = list(dict.fromkeys(link["partner"] for link in attachment if isinstance(link, dict) and "partner" in link))
    if timing:
        text = (f"acted within {_seconds(window_s)} of members {timing.get('co_actions_with_members', 0)} times"
                f" vs {timing.get('expected', 0):.3g} expected")
        if near_members:
            text += f", beside {_names(near_members, usernames)}"
        timing_p = membership.get("timing_p", timing.get("p_value"))
        if isinstance(timing_p, (int, float)):
            text += f" (timing p = {p_text(timing_p)})"
        parts.append(text)
    for name, trace in traces.items():
        if name == "timing" or not isinstance(trace, dict):
            continue
        peers = [str(m) for m in trace.get("members") or []]
        if name == "creation_burst" and peers:
            text = _creation_phrase(account, peers, usernames, created)
        else:
            template = _TRACES.get(name, name.replace("_", " ") + " linked to {partners}")
            text = template.format(partners=_names(peers, usernames, members_word=False) if peers else "members")
        if isinstance(trace.get("p_value"), (int, float)):
            text += f" (p = {p_text(trace['p_value'])})"
        parts.append(text)
    return parts


def evidence_sentence(account: dict, links: dict[str, dict], usernames: dict[str, str | None],
                      created: dict[str, str | None], window_s: Any) -> str:
    """The whole reason an account is in its cluster, one line of '; '-separated phrases."""
    parts = membership_parts(account, usernames, created, window_s)
    parts += signal_parts(account, links, usernames, created, window_s)
    if parts:
        return "; ".join(parts)
    evidence = account.get("evidence") or {}
    benchmark = evidence.get("benchmark") or {}
    if isinstance(benchmark.get("p_value"), (int, float)):
        return (f"{benchmark.get('co_actions_with_members', 0)} co-actions with members vs "
                f"{benchmark.get('expected_under_null', 0):.3g} expected (p = {p_text(benchmark['p_value'])})")
    return "member of the cluster (no pairwise evidence recorded)"
