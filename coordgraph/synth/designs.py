"""Random scenario *designs* for the detection robustness suite: not only another seed, another kind of case.

``sample_design(rng) -> dict`` draws a full set of :class:`~coordgraph.synth.ScenarioParams` overrides from
:data:`DESIGN_RANGES`, so no detection setting can be tuned to one design of this generator. A (design seed,
scenario seed) pair names a case: the design seed fixes the design, the scenario seed every draw inside it.

Ranges (inclusive; "log" = log-uniform, "int" = integers, "choice" = one of the listed values):

- network: 15-150 members; 0-30 % low-activity members with the "traces" behaviour (3-8 actions each);
  followers 5-90 s (median) after the leader, at most 40-300 s (followers up to 5 min apart); leaders 1-3 min
  to 10 min after the post; 0-25 % stragglers; 0-50 % created in bursts on 2-6 days; 1-6 activation waves;
  shares of the targets' retweets 15-50 %, replies 5-30 %, quotes 0-15 %; camouflage 0.03-0.5 posts a day;
  template variation 0.1-0.9; the operators' office hours in one of several time zones.
- targets and period: two to five targets (the ambassador and the embassy posting 0.4-1.5 times a day, each
  further target 0.2-0.8: fewer than the defaults, so a case stays small), 90-365 days, organic audience 8-25 % interested in the targets,
  organic reaction delays 10-60 min (median).
- hard negatives: 0-40 independent fast fans whose speed depends on the post: its hour in their time zone
  (drawn) and its size, plus a small shared per-post factor not explained by either (spread 0-0.5), 0-15 superfans on their own clocks, a fan community of
  0-50 with 0-60 % of its moments partly synchronous, 0-5 news surges of 40-200 accounts, 0-5 viral moments,
  0-40 slogan users, 0-20 accounts created on the burst days.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# name -> (kind, low, high) or ("choice", options)
DESIGN_RANGES: dict[str, tuple] = {
    "network_size": ("logint", 15, 150),
    "low_activity_fraction": ("uniform", 0.0, 0.30),
    "follower_delay_median_s": ("log", 5.0, 90.0),
    "follower_delay_max_s": ("uniform", 40.0, 300.0),  # at least twice the median (see sample_design)
    "leader_delay_median_s": ("log", 60.0, 600.0),
    "straggler_rate": ("uniform", 0.0, 0.25),
    "burst_fraction": ("uniform", 0.0, 0.5),
    "burst_days": ("int", 2, 6),
    "activation_waves": ("int", 1, 6),
    "retweet_share": ("uniform", 0.15, 0.50),
    "reply_share": ("uniform", 0.05, 0.30),
    "quote_share": ("uniform", 0.0, 0.15),
    "camouflage_per_day": ("log", 0.03, 0.5),
    "template_variation": ("uniform", 0.1, 0.9),
    "operator_tz": ("choice", (-5, 0, 1, 3, 5, 8, 9)),
    "targets": ("int", 2, 5),
    "ambassador_posts_per_day": ("uniform", 0.4, 1.5),
    "embassy_posts_per_day": ("uniform", 0.4, 1.5),
    "extra_target_posts_per_day": ("uniform", 0.2, 0.8),
    "days": ("int", 90, 365),
    "target_interest": ("uniform", 0.08, 0.25),
    "reaction_median_s": ("log", 600.0, 3600.0),
    "fast_fans": ("int", 0, 40),
    "fast_fan_tz": ("choice", (-5, 0, 1, 8)),
    "fast_fan_post_sigma": ("uniform", 0.0, 0.5),
    "superfans": ("int", 0, 15),
    "fan_community": ("int", 0, 50),
    "fan_sync": ("uniform", 0.0, 0.6),
    "news_surges": ("int", 0, 5),
    "news_surge_accounts": ("int", 40, 200),
    "viral_moments": ("int", 0, 5),
    "slogan_users": ("int", 0, 40),
    "burst_day_organics": ("int", 0, 20),
}

# Fixed in every design: hard negatives are counted directly (no multiplier) and low-activity members behave
# like the ones that escaped detection in independent scenarios.
FIXED: dict[str, Any] = {"negatives": 1.0, "low_activity_style": "traces"}


def _draw(rng: np.random.Generator, spec: tuple) -> Any:
    kind = spec[0]
    if kind == "choice":
        options = spec[1]
        return options[int(rng.integers(0, len(options)))]
    low, high = spec[1], spec[2]
    if kind == "int":
        return int(rng.integers(low, high + 1))
    if kind == "logint":
        return int(round(float(np.exp(rng.uniform(np.log(low), np.log(high))))))
    if kind == "log":
        return round(float(np.exp(rng.uniform(np.log(low), np.log(high)))), 3)
    return round(float(rng.uniform(low, high)), 3)


def sample_design(rng: np.random.Generator) -> dict[str, Any]:
    """One scenario design: overrides for :func:`coordgraph.synth.generate` drawn from :data:`DESIGN_RANGES`."""
    design = {name: _draw(rng, spec) for name, spec in DESIGN_RANGES.items()}
    design["follower_delay_max_s"] = round(max(design["follower_delay_max_s"], 2 * design["follower_delay_median_s"]), 3)
    design.update(FIXED)
    return design


def design_for(design_seed: int) -> dict[str, Any]:
    """The design named by ``design_seed`` (its own generator, independent of the scenario seed)."""
    return sample_design(np.random.default_rng([0xD5, design_seed]))


def describe(design: dict[str, Any]) -> str:
    """The design's key features in one short line."""
    return (f"net {design['network_size']} low {design['low_activity_fraction']:.0%} "
            f"fol {design['follower_delay_median_s']:.0f}/{design['follower_delay_max_s']:.0f}s "
            f"rt {design['retweet_share']:.0%} tg {design['targets']} {design['days']}d "
            f"ff {design['fast_fans']} sf {design['superfans']} fc {design['fan_community']}~{design['fan_sync']:.1f} "
            f"ns {design['news_surges']} vm {design['viral_moments']}")
