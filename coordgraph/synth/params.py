"""Scenario parameters: defaults modelled on the reference study, difficulty presets, overrides."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

DIFFICULTIES = ("easy", "medium", "hard")
LOW_ACTIVITY_STYLES = ("basic", "traces")


@dataclass(frozen=True)
class ScenarioParams:
    """Everything that shapes a scenario. ``scale`` multiplies the organic population and its activity.

    Shares are the planted network's fraction of all engagements (retweets, direct replies, quotes) with the
    target accounts over the whole period, as in the reference study (44 % of retweets, 20 % of replies).
    """

    seed: int = 7
    scale: float = 1.0
    difficulty: str = "hard"

    # period
    start: str = "2020-06-01"
    days: int = 245

    # focal accounts: the ambassador and the embassy, then up to three more official accounts (2..5)
    targets: int = 2

    # population
    organic_accounts: int = 3600  # before scale
    popular_accounts: int = 20
    target_interest: float = 0.14  # fraction of organic accounts who engage with the targets at all
    languages: tuple[tuple[str, float], ...] = (
        ("en", 0.55), ("es", 0.09), ("fr", 0.08), ("de", 0.06), ("zh", 0.08), ("ar", 0.05), ("it", 0.05), ("pt", 0.04),
    )

    # target and organic activity (per day, per post)
    ambassador_posts_per_day: float = 2.5
    embassy_posts_per_day: float = 3.5
    extra_target_posts_per_day: float = 1.5  # each target beyond the first two
    popular_posts_per_day: float = 3.0
    organic_originals_per_day: float = 0.03  # mean per organic account; heavy-tailed across accounts
    target_retweets_per_post: float = 5.0
    target_replies_per_post: float = 2.0
    target_quotes_per_post: float = 0.4
    popular_retweets_per_post: float = 2.5
    popular_replies_per_post: float = 0.7
    popular_quotes_per_post: float = 0.15
    organic_retweets_per_post: float = 0.3
    organic_replies_per_post: float = 0.2
    reaction_median_s: float = 1800.0  # organic delay between a post and an engagement with it

    # the planted network
    network_size: int = 62
    burst_fraction: float = 1 / 3  # members created within minutes of each other on burst days
    burst_days: int = 5
    burst_window_s: int = 600
    activation_waves: int = 4
    min_dormancy_days: int = 30
    retweet_share: float = 0.44
    reply_share: float = 0.20
    quote_share: float = 0.10
    leaders: int = 4
    suspended_fraction: float = 31 / 62  # status after the period: 31 suspended, 2 deleted, 29 active
    deleted_fraction: float = 2 / 62
    operator_tz: int = 8  # UTC offset of the operators' office hours (cascades wait for their shift)
    # "basic": 1-5 actions each, mostly retweets inside the cascades. "traces": 3-8 actions each in the network's
    # active weeks (a third retweets 5-45 s after a cascade, a quarter retweets hours later, the rest templated
    # replies 2-20 min after a cascade), chosen among all members so some come from the creation bursts.
    low_activity_style: str = "basic"

    # difficulty-dependent (filled from DIFFICULTY_PRESETS unless overridden)
    follower_delay_median_s: float = 35.0
    follower_delay_max_s: float = 150.0
    straggler_rate: float = 0.15
    leader_delay_median_s: float = 240.0
    camouflage_per_day: float = 0.5
    template_variation: float = 0.7
    low_activity_fraction: float = 0.15
    negatives: float = 1.0  # multiplier on the number of hard-negative accounts and events

    # hard negatives (before the ``negatives`` multiplier)
    superfans: int = 10
    fan_community: int = 28
    slogan_users: int = 40
    burst_day_organics: int = 16
    viral_moments: int = 4
    viral_retweets: int = 300
    # Independent fast fans whose speed depends on the post (off by default): they live in one time zone
    # (``fast_fan_tz``); a post arriving in their night is answered after they wake, one in their day within a
    # minute or two, a big post faster than a small one. ``fast_fan_post_sigma`` is the spread of a further
    # per-post speed factor every fan shares that neither the hour nor the size explains (0 = none).
    fast_fans: int = 0
    fast_fan_tz: int = 0
    fast_fan_post_sigma: float = 0.3
    # Organic surges around news events (off by default): at each event, the targets' and popular accounts'
    # posts of the next hours are engaged by ``news_surge_accounts`` unrelated accounts within minutes.
    news_surges: int = 0
    news_surge_accounts: int = 120
    # Fan community with partial synchrony: the share of its engagement moments on which part of the community
    # reacts together (within a minute or two of a shared cue) instead of on independent clocks.
    fan_sync: float = 0.0

    # output
    io_hashed: bool = True  # hash user fields of accounts under 5,000 followers in the IO archive, like the real releases
    page_size: int = 100
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def start_ms(self) -> int:
        start = datetime.fromisoformat(self.start).replace(tzinfo=timezone.utc)
        return int(start.timestamp() * 1000)

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.days * 86_400_000

    def to_json(self) -> dict[str, Any]:
        """The parameters as a JSON-able dict (recorded in the ground truth)."""
        out = dataclasses.asdict(self)
        out["languages"] = [list(pair) for pair in self.languages]
        return out


DIFFICULTY_PRESETS: dict[str, dict[str, Any]] = {
    "easy": dict(
        follower_delay_median_s=8.0, follower_delay_max_s=40.0, straggler_rate=0.02, leader_delay_median_s=90.0,
        camouflage_per_day=0.08, template_variation=0.15, low_activity_fraction=0.05, negatives=0.25,
    ),
    "medium": dict(
        follower_delay_median_s=20.0, follower_delay_max_s=90.0, straggler_rate=0.07, leader_delay_median_s=150.0,
        camouflage_per_day=0.25, template_variation=0.4, low_activity_fraction=0.1, negatives=0.6,
    ),
    "hard": dict(
        follower_delay_median_s=35.0, follower_delay_max_s=150.0, straggler_rate=0.15, leader_delay_median_s=240.0,
        camouflage_per_day=0.5, template_variation=0.7, low_activity_fraction=0.15, negatives=1.0,
    ),
}


def build_params(seed: int = 7, scale: float = 1.0, difficulty: str = "hard", **overrides: Any) -> ScenarioParams:
    """Defaults, then the difficulty preset, then explicit ``overrides`` (unknown names raise ``TypeError``)."""
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}")
    if scale <= 0:
        raise ValueError("scale must be positive")
    known = {f.name for f in dataclasses.fields(ScenarioParams)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown scenario parameter(s): {', '.join(unknown)}")
    values = {**DIFFICULTY_PRESETS[difficulty], **overrides, "seed": seed, "scale": scale, "difficulty": difficulty}
    params = ScenarioParams(**values)
    if params.days < 21:
        raise ValueError("days must be at least 21 (dormancy, activation waves and weekly shares need weeks)")
    if params.network_size < 2:
        raise ValueError("network_size must be at least 2")
    if not 2 <= params.targets <= 5:
        raise ValueError("targets must be between 2 and 5")
    if params.low_activity_style not in LOW_ACTIVITY_STYLES:
        raise ValueError(f"low_activity_style must be one of {', '.join(LOW_ACTIVITY_STYLES)}")
    for name in ("low_activity_fraction", "fan_sync"):
        if not 0 <= getattr(params, name) <= 1:
            raise ValueError(f"{name} must be in [0, 1]")
    for name in ("retweet_share", "reply_share", "quote_share"):
        if not 0 <= getattr(params, name) < 1:
            raise ValueError(f"{name} must be in [0, 1)")
    if params.suspended_fraction + params.deleted_fraction > 1:
        raise ValueError("suspended_fraction + deleted_fraction exceed 1")
    return params
