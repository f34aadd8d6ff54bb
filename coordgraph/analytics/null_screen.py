"""Sequential screen of the cluster null: stop drawing for a cluster that cannot pass the cluster gates.

A cluster is coordinated only when its effect's lower bound reaches the floor (``min_effect``) and its q-value
is at most ``alpha`` (module ``cluster_effect``, ``cluster_testing``). The Monte-Carlo null costs one sort of
all the cluster's rows per draw; a community of thousands of independent accounts (the group route proposes
such communities on large data) costs minutes for 2,000 draws, to be rejected on its effect in the end. The
screen draws a first block of ``first`` draws (the very numbers the full test's first draws are) and stops
there when both of these hold:

* **The effect cannot reach the floor.** The reported lower bound is ``R exp(-1.96 sd)`` with ``R = O / E``
  and ``sd >= 1 / sqrt(O)`` (the Poisson floor of the effect interval), so it is at most
  ``O exp(-1.96 / sqrt(O)) / E``. ``E``, the mean null total of the full run, is bounded below by the first
  block's mean less ``z`` standard errors of it (``z`` = :data:`Z_SCREEN`, a normal bound on a mean of at least
  100 draws; one-sided error about 1e-9). The screen stops only when even that ceiling is below the floor.
* **The p-value's side of alpha is already known**, so that the Benjamini-Hochberg decisions of every other
  cluster are those of the full run (a q-value at most alpha depends only on the p-values at most alpha). Either
  no draw of the block reached ``O`` and ``O`` lies at least ``z`` standard deviations above the block's mean
  (the full run's p-value is then ``1 / (N + 1)`` unless one of the remaining draws, each beyond ``z`` standard
  deviations under a normal tail, reaches it), or the Clopper-Pearson lower bound (one-sided 1e-9) of the
  chance that a draw reaches ``O`` is above ``2 alpha`` (the full p-value is then above alpha but for a
  binomial tail more than six standard deviations away). Otherwise every draw is made.

The member rules give a second way to know the decision early. A coordinated cluster needs at least two confirmed
members, and a member is confirmed only with at least ``min_repeat`` moments and an in-step share whose lower
bound reaches ``min_in_step``: figures of the data, not of the draws (module ``cluster_effect``). When fewer
than two members meet those two rules, no draw can make the cluster coordinated, and the screen stops it after
the first block as soon as its p-value's side of alpha is known (the second condition above, for the other
clusters' decisions). The caller says when this applies (module ``cluster_testing``: to the group route's
communities, and not with the wider second look of module ``multiscale``, which can confirm a member outside
these rules).

A stopped cluster reports the first block's figures: its expectations are means over the block, and each
p-value (cluster, signal, member) is :func:`predicted_p`, the full run's expected p-value given the block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

# One-sided normal quantile of every bound of the screen (error about 1e-9 each): generous, so that a
# cluster is stopped only when the full run's decision is not in doubt.
Z_SCREEN = 6.0
FIRST_DRAWS = 100  # draws of the first block (5 % of the default 2,000)
Z95 = float(stats.norm.ppf(0.975))  # the effect interval's quantile (module cluster_effect)


@dataclass(frozen=True)
class Screen:
    """The gates a cluster must pass (floor on the effect's lower bound, alpha) and the screen's first block."""

    min_effect: float
    alpha: float
    first: int = FIRST_DRAWS
    z: float = Z_SCREEN

    def stops(self, observed: float, null_totals: np.ndarray, members_fail: bool = False) -> bool:
        """:func:`stops` with these gates; ``members_fail``: the member rules cannot be met (module doc)."""
        if members_fail:
            return p_side_known(observed, null_totals, self.alpha, self.z)
        return stops(observed, null_totals, self)


def predicted_p(exceed: int | np.ndarray, draws: int, n_null: int) -> float | np.ndarray:
    """Monte-Carlo p-value of ``n_null`` draws predicted from ``exceed`` of the first ``draws`` reaching the
    observed value: ``(1 + exceed n_null / draws) / (n_null + 1)``; the usual ``(1 + exceed) / (n_null + 1)``
    when every draw was made."""
    return (1 + np.asarray(exceed, dtype=float) * (n_null / max(draws, 1))) / (n_null + 1)


def effect_ceiling(observed: float, null_totals: np.ndarray, z: float = Z_SCREEN) -> float:
    """The largest lower effect bound the full test can report (module doc): ``O exp(-1.96 / sqrt(O))`` over
    the first block's mean null total less ``z`` standard errors; infinite when that bound is not positive."""
    if observed <= 0:
        return 0.0
    totals = np.asarray(null_totals, dtype=float)
    sd = float(totals.std(ddof=1)) if len(totals) > 1 else np.inf
    low_mean = float(totals.mean()) - z * sd / np.sqrt(len(totals))
    if not low_mean > 0:
        return np.inf
    return float(observed * np.exp(-Z95 / np.sqrt(observed)) / low_mean)


def p_side_known(observed: float, null_totals: np.ndarray, alpha: float, z: float = Z_SCREEN) -> bool:
    """Whether the full run's p-value is on a known side of ``alpha`` (module doc)."""
    totals = np.asarray(null_totals, dtype=float)
    b = len(totals)
    exceed = int(np.sum(totals >= observed))
    if exceed == 0:
        sd = float(totals.std(ddof=1)) if b > 1 else 0.0
        return observed > 0 and sd > 0 and (observed - float(totals.mean())) >= z * sd
    lower = float(stats.beta.ppf(stats.norm.sf(z), exceed, b - exceed + 1))
    return lower > 2 * alpha


def stops(observed: float, null_totals: np.ndarray, screen: Screen) -> bool:
    """True when the first block shows the cluster cannot pass the gates and its p-value's side of alpha is
    known (module doc): the remaining draws need not be made."""
    return effect_ceiling(observed, null_totals, screen.z) < screen.min_effect and p_side_known(
        observed, null_totals, screen.alpha, screen.z)
