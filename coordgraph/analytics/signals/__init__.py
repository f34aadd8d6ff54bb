"""Every coordination signal, one module each, known to detection through the static registry :data:`SIGNALS`.

A signal module exposes ``SPECS``: the :class:`~.spec.SignalSpec` of each signal it computes (``coaction``
holds the co-action signals and rapid follow-on, which is computed from their events; ``lifecycle`` holds
creation bursts and dormancy-then-activation). Adding a signal means adding its module to :data:`MODULES`
below. The modules are imported when :data:`SIGNALS` or :data:`COACTION` is first read, not with this package:
``coordgraph network`` needs only ``coaction``, and the account-level signals bring SciPy. An import error in
any of them is then an error, never a silently missing signal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .base import ACCOUNT_COLUMNS, PAIR_COLUMNS, SignalResult
from .spec import SignalInputs, SignalSpec

# The registry, in computing and reporting order: co-action signals, rapid follow-on, near-duplicate text,
# then the account-level signals.
MODULES: tuple[str, ...] = ("coaction", "textsim", "lifecycle", "language", "rhythm", "profile", "exclusivity", "latency")
_REGISTRY: dict[str, Any] = {}

if TYPE_CHECKING:
    SIGNALS: dict[str, SignalSpec]
    COACTION: tuple[str, ...]


def _registry() -> dict[str, Any]:
    if not _REGISTRY:
        signals: dict[str, SignalSpec] = {
            spec.name: spec for module in MODULES for spec in importlib.import_module(f".{module}", __name__).SPECS
        }
        _REGISTRY["SIGNALS"] = signals
        # Co-action signals: calibrated against the time-resampled null, the graph's skeleton and the cluster
        # test's statistic.
        _REGISTRY["COACTION"] = tuple(name for name, spec in signals.items() if spec.coaction)
    return _REGISTRY


def __getattr__(name: str) -> Any:
    """``SIGNALS`` (name -> :class:`SignalSpec`) and ``COACTION`` (the co-action signals' names), built on first use."""
    if name in ("SIGNALS", "COACTION"):
        return _registry()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ACCOUNT_COLUMNS", "COACTION", "MODULES", "PAIR_COLUMNS", "SIGNALS", "SignalInputs", "SignalResult", "SignalSpec"]
