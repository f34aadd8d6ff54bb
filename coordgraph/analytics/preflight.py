"""Before a run: is there anything to detect, and which signals and stages the data cannot support.

A run on an empty database, or one asking only for target signals when no :Target's post was engaged, would
find nothing and still become the "latest" run the reports use, so it is refused before it is created. On data
without targets (or without engagements of their posts) the target signals and the membership test are
skipped, and the run records which and why (``Run.skipped``: a JSON list of ``{"stage", "reason"}``).
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from .. import db
from ..errors import NothingToDetect

# Signals computed from engagements of a :Target's posts (see their modules); nothing else needs targets.
TARGET_SIGNALS: tuple[str, ...] = ("rapid_follow_on", "exclusivity", "latency")
MEMBERSHIP_STAGE = "membership"


def read_state(driver: Driver, database: str | None = None) -> dict[str, int]:
    """Counts of what detection works on: ``actions`` (posts and retweets), ``targets``, ``target_actions``."""
    return db.read(driver, "detect/preflight", database=database)[0]


def plan_skips(state: dict[str, int], chosen: tuple[str, ...], membership: bool) -> list[dict[str, Any]]:
    """The stages a run on data in ``state`` skips, as ``{"stage", "reason"}`` dicts; raises
    :class:`NothingToDetect` when nothing at all can be computed (no run should be created then)."""
    if state["actions"] == 0:
        raise NothingToDetect(
            "The database holds no posts or engagements: there is nothing to detect, and no run was created.",
            "Load data first with `coordgraph ingest PATH`.",
        )
    if state["targets"] == 0:
        reason = "no :Target accounts are marked, so there are no target posts to react to"
    elif state["target_actions"] == 0:
        reason = f"none of the {state['targets']} :Target accounts' posts was retweeted, replied to or quoted by another account"
    else:
        return []
    skipped = [{"stage": name, "reason": reason} for name in chosen if name in TARGET_SIGNALS]
    if len(skipped) == len(chosen):
        raise NothingToDetect(
            f"Only target signals were asked for ({', '.join(chosen)}), but {reason}: no run was created.",
            "Mark the accounts whose amplification you study with `coordgraph targets add HANDLE`, or choose other "
            "signals with --signals.",
        )
    if membership:
        skipped.append({"stage": MEMBERSHIP_STAGE, "reason": f"{reason} (the membership test draws on the accounts engaging them)"})
    return skipped
