"""Every coordination signal, one module each, known to detection through the static registry :data:`SIGNALS`.

A signal module exposes ``SPECS``: the :class:`~.spec.SignalSpec` of each signal it computes (``coaction``
holds the co-action signals and rapid follow-on, which is computed from their events; ``lifecycle`` holds
creation bursts and dormancy-then-activation). Adding a signal means adding its module to :data:`SIGNALS`
below; an import error in any of them is an error, never a silently missing signal.
"""

from __future__ import annotations

from . import coaction, exclusivity, language, latency, lifecycle, profile, rhythm, textsim
from .base import ACCOUNT_COLUMNS, PAIR_COLUMNS, SignalResult
from .spec import SignalInputs, SignalSpec

# The registry, in computing and reporting order: co-action signals, rapid follow-on, near-duplicate text,
# then the account-level signals.
SIGNALS: dict[str, SignalSpec] = {
    spec.name: spec
    for module in (coaction, textsim, lifecycle, language, rhythm, profile, exclusivity, latency)
    for spec in module.SPECS
}
# Co-action signals: calibrated against the time-resampled null, the graph's skeleton and the cluster test's statistic.
COACTION: tuple[str, ...] = tuple(name for name, spec in SIGNALS.items() if spec.coaction)

__all__ = ["ACCOUNT_COLUMNS", "COACTION", "PAIR_COLUMNS", "SIGNALS", "SignalInputs", "SignalResult", "SignalSpec"]
