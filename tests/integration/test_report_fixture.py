"""The report fixture that the server-free rendering tests use (``tests/unit/data/report_case.json``) is what
``collect`` returns on the shared report case, apart from the time it was generated and the version.

``COORDGRAPH_UPDATE_FIXTURES=1`` rewrites the fixture from the graph instead of comparing (after a deliberate
change to the report's contents)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from coordgraph.report import collect
from helpers import RUN_ID

FIXTURE = Path(__file__).parents[1] / "unit" / "data" / "report_case.json"
VOLATILE = ("generated_at", "coordgraph_version")


def _stable(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in VOLATILE}


def test_the_unit_fixture_is_what_collect_returns(case):
    report = json.loads(json.dumps(collect(case, RUN_ID)))
    if os.environ.get("COORDGRAPH_UPDATE_FIXTURES") == "1":
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    stored = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert _stable(report) == _stable(stored), (
        "the report's contents changed: if deliberately, rewrite the fixture with COORDGRAPH_UPDATE_FIXTURES=1")
