"""Wall time per stage of a run that reports its progress as ``progress(stage, fraction)`` (``detect`` does)."""

from __future__ import annotations

import time


class StageClock:
    """A ``progress`` callback that adds the time since the last report to the stage then running.

    ``stages`` maps each stage to its seconds so far; call :meth:`stop` when the run returns, so the last stage
    gets its time and the time before the first report ("start") is left out."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._last = (time.perf_counter(), "start")

    def __call__(self, stage: str, fraction: float) -> None:
        now = time.perf_counter()
        since, running = self._last
        self.stages[running] = self.stages.get(running, 0.0) + now - since
        self._last = (now, stage)

    def stop(self) -> dict[str, float]:
        """Close the last stage; the stages' times."""
        self("end", 1.0)
        self.stages.pop("start", None)
        return self.stages
