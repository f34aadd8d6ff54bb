"""Profile signal: handle and display-name templates, empty or copied bios, default profile images.

Each account's profile yields *items* and *traits*:

- handle templates: the handle is split into words (CamelCase, ``_`` and digit boundaries); a first or last
  word that looks like an affix (an acronym of 2-6 capitals, or a symbol) kept fixed gives
  ``handle:uk+<name>`` / ``handle:<name>+uk`` (``UKSarah``, ``Sarah_UK``, ``JamesUK``); letters followed by 4
  or more digits give ``handle:<letters>+<N digits>`` (``mary84620193``). Names, even short ones
  (``JohnSmith``, ``WeiKim``), are not templates;
- display-name templates: the same on the first or last whitespace-separated word (``name:<name>+🇬🇧``);
- copied bio: the normalised bio (lower case, spaces collapsed) when at least ``min_bio_chars`` (default 25)
  long, ``bio:<text>``;
- traits: empty bio, default profile image (``default_profile_image`` or a ``default_profile`` image URL).

Missing is not empty: a field the data does not carry (no bio property at all, as in a CooRTweet table or an
export without profiles) is unknown, never an empty bio shared with every other such account, and no trait
or template comes from it. Each item's and trait's rate is taken among the accounts where that field is known.

An item shared by at least ``min_accounts`` accounts (default 3; 2 for copied bios) and at most
``max_group`` (default 200; larger groups are background, not coordination) links every pair of its accounts.
Its weight is its surprisal ``-log10(c / N)`` (``c`` accounts of the ``N`` scored share it): rarer shared
items weigh more. Pairs: ``weight`` = sum over shared items, ``count`` = how many, ``posts`` = the items.
Account score: the summed surprisal of its traits and of its rarest shared template / copied bio, each
``-log10`` of that feature's frequency among all scored accounts (naive independence); ``detail`` lists the
traits with their background rates, the templates and the peers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver

from ... import db
from .base import ACCOUNT_COLUMNS, PAIR_COLUMNS, SignalResult
from .spec import SignalSpec, account_level

HANDLE_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
NAME_DIGITS = re.compile(r"^([A-Za-z_]+?)_?(\d{4,})$")
SPACES = re.compile(r"\s+")
MAX_PEERS = 50
# the profile field each item kind and trait is read from (its rate is taken among accounts where it is known)
ITEM_FIELD = {"handle": "username", "name": "name", "bio": "description"}
TRAIT_FIELD = {"empty_bio": "description", "default_profile_image": "image"}


def _known(row: dict, field: str) -> bool:
    """Whether the data carries this profile field for the account (None = not in the data, unknown)."""
    if field == "image":
        return row["default_profile_image"] is not None or row["profile_image_url"] is not None
    return row[field] is not None


def profile(
    driver: Driver,
    *,
    database: str | None = None,
    min_accounts: int = 3,
    max_group: int = 200,
    min_bio_chars: int = 25,
    active_only: bool = True,
) -> SignalResult:
    """Accounts sharing handle/name templates or copied bios, scored by how unusual their profile is.

    ``min_accounts``: smallest group sharing a template; ``max_group``: larger groups are not linked;
    ``min_bio_chars``: shorter bios are not compared; ``active_only``: only accounts that posted or retweeted.
    """
    params = {
        "min_accounts": min_accounts,
        "max_group": max_group,
        "min_bio_chars": min_bio_chars,
        "active_only": active_only,
    }
    rows = db.read_plain(driver, "signals/profile", database=database, active_only=bool(active_only))
    rows.sort(key=lambda r: r["account_id"])  # in id order, not the store's: the pairs' order and weight sums follow it
    if not rows:
        return SignalResult(name="profile", params=params)
    known = {field: sum(1 for r in rows if _known(r, field)) for field in ("username", "name", "description", "image")}
    items_of: dict[str, list[str]] = {}
    members: dict[str, list[str]] = defaultdict(list)
    traits_of: dict[str, list[str]] = {}
    for r in rows:
        items = handle_templates(r["username"]) + name_templates(r["name"])
        bio = SPACES.sub(" ", r["description"].strip().lower()) if _known(r, "description") else None
        if bio is not None and len(bio) >= min_bio_chars:
            items.append("bio:" + bio)
        items = sorted(set(items))
        items_of[r["account_id"]] = items
        for item in items:
            members[item].append(r["account_id"])
        traits = []
        if bio == "":
            traits.append("empty_bio")
        if r["default_profile_image"] or "default_profile" in (r["profile_image_url"] or ""):
            traits.append("default_profile_image")
        traits_of[r["account_id"]] = traits

    def linked(item: str) -> bool:
        floor = 2 if item.startswith("bio:") else min_accounts
        return floor <= len(members[item]) <= max_group

    shared = {item: ids for item, ids in members.items() if linked(item)}
    surprisal = {item: float(-np.log10(len(ids) / known[ITEM_FIELD[item.split(":", 1)[0]]])) for item, ids in shared.items()}
    trait_counts: dict[str, int] = defaultdict(int)
    for traits in traits_of.values():
        for t in traits:
            trait_counts[t] += 1
    trait_rate = {t: c / known[TRAIT_FIELD[t]] for t, c in trait_counts.items()}

    pair_items: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item, ids in shared.items():
        for a, b in combinations(sorted(ids), 2):
            pair_items[(a, b)].append(item)
    pairs = pd.DataFrame(
        [
            {
                "a": a,
                "b": b,
                "weight": sum(surprisal[i] for i in items),
                "count": len(items),
                "first_at": None,
                "last_at": None,
                "posts": sorted(items),
            }
            for (a, b), items in pair_items.items()
        ],
        columns=PAIR_COLUMNS,
    )

    accounts: list[dict[str, Any]] = []
    for account_id, items in items_of.items():
        mine = [i for i in items if i in shared]
        traits = traits_of[account_id]
        if not mine and not traits:
            continue
        rarest = max(mine, key=lambda i: surprisal[i]) if mine else None
        score = sum(-np.log10(trait_rate[t]) for t in traits) + (surprisal[rarest] if rarest else 0.0)
        peers = sorted({p for i in mine for p in shared[i]} - {account_id})
        accounts.append(
            {
                "account_id": account_id,
                "score": float(score),
                "detail": {
                    "traits": {t: round(trait_rate[t], 4) for t in traits},
                    "shared": {i: len(shared[i]) for i in mine},
                    "rarest_shared": rarest,
                    "peers": peers[:MAX_PEERS],
                    "peer_count": len(peers),
                    "accounts_scored": len(rows),
                    "accounts_with_bio": known["description"],
                },
            }
        )
    frame = pd.DataFrame(accounts, columns=ACCOUNT_COLUMNS)
    frame = frame.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    return SignalResult(name="profile", pairs=pairs, accounts=frame, params=params)


def handle_templates(handle: str | None) -> list[str]:
    """Template items of a handle: a fixed affix first/last word, or letters + a run of 4+ digits."""
    if not handle:
        return []
    found = []
    digits = NAME_DIGITS.match(handle)
    if digits:
        found.append(f"handle:<letters>+<{len(digits.group(2))} digits>")
    words = [w for w in HANDLE_WORDS.findall(handle) if not w.isdigit()]
    if len(words) >= 2:
        if is_affix(words[-1]):
            found.append(f"handle:<name>+{words[-1].lower()}")
        if is_affix(words[0]):
            found.append(f"handle:{words[0].lower()}+<name>")
    return found


def name_templates(name: str | None) -> list[str]:
    """Template items of a display name: a fixed affix first or last word."""
    words = (name or "").split()
    if len(words) < 2:
        return []
    found = []
    if is_affix(words[-1]):
        found.append(f"name:<name>+{words[-1].lower()}")
    if is_affix(words[0]):
        found.append(f"name:{words[0].lower()}+<name>")
    return found


def is_affix(word: str) -> bool:
    """Whether a word looks like a template's fixed part rather than a name: an acronym in capitals (2-6
    letters: ``UK``, ``GB``, ``USA``, ``NEWS``) or a symbol/emoji without letters (``🇬🇧``).

    Capitalised or lower-case words are not affixes: short names (``Kim``, ``Li``, ``Ben``) would otherwise
    make ordinary accounts look templated.
    """
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return 1 <= len(word) <= 6 and not word.isdigit()
    return 2 <= len(word) <= 6 and word.isupper()


SPECS: tuple[SignalSpec, ...] = (account_level("profile", profile),)
