"""The demo pipeline: generate a scenario, ingest it, mark the targets, detect, measure impact, write the report,
and compare what was found with the ground truth.

Every stage calls its part directly. When detection, impact or the report fails, the stage is reported as
failed (with the error) and the later stages that need it are skipped, so what the earlier stages produced is
still shown.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd
from neo4j import Driver

from . import cypher, db
from .config import project_home
from .errors import DemoError
from .ingest import ingest_paths
from .ingest.targets import add_targets
from .synth import Scenario, generate

# The default demo size: about 1,600 accounts and 28,000 events over 13 weeks, so the whole pipeline runs in
# minutes on a laptop-class machine (see benchmarks/synth.py for generation figures at other scales).
DEMO_SCALE = 0.4
DEMO_DAYS = 91

STAGES = ("generate", "ingest", "targets", "detect", "impact", "report")


@dataclass
class Stage:
    """What happened in one stage: ``done``, ``skipped`` (with the reason), ``failed`` (with the error) or not reached."""

    name: str
    status: str = "pending"
    seconds: float = 0.0
    detail: str = ""


@dataclass
class DemoResult:
    """Everything the demo produced."""

    scenario: Scenario
    stages: list[Stage]
    run_id: str | None = None
    report_path: Path | None = None
    impact: pd.DataFrame | None = None
    evaluation: dict[str, Any] | None = None
    ingest_summary: Any = None
    detection: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)

    @property
    def failed(self) -> list[Stage]:
        return [s for s in self.stages if s.status == "failed"]


def default_out_dir(seed: int, scale: float, difficulty: str) -> Path:
    """``<data folder>/demo/seed-<seed>-<difficulty>-x<scale>``."""
    return project_home() / "demo" / f"seed-{seed}-{difficulty}-x{scale:g}"


def prepare_database(driver: Driver, fresh: bool, database: str | None = None) -> str:
    """Make sure the demo loads into an empty database, deleting only what it may delete.

    Demo data is known by the mark the demo writes on its :Source nodes (the scenario's checksum) and the seal
    it adds when its load is done (the number of data nodes then in the database), never by where files lie. A
    database holding only one demo's data (and runs over it) is cleared. Anything else (a source without the
    mark, a node added since the seal, an unfinished demo load) raises :class:`DemoError`, naming what is
    there, unless ``fresh``: then everything is deleted. Returns what was done, naming what was deleted.
    """
    state = db.read(driver, "demo/database_contents", database=database)[0]
    if state["nodes"] == 0:
        return "empty"
    what = describe_contents(state)
    if not fresh:
        problem = not_demo_data(state)
        if problem:
            raise DemoError(
                f"The database holds data that is not from a demo ({problem}): {what}. Nothing was deleted.",
                "To keep it, run the demo against another database: --uri/NEO4J_URI for another server (e.g. a "
                "second managed server with its own COORDGRAPH_HOME and ports), or NEO4J_DATABASE=<name> on a server "
                "with several databases. To delete everything in this one, re-run with --fresh.",
            )
    db.clear(driver, database)
    return f"cleared (--fresh): {what}" if fresh and not_demo_data(state) else f"cleared earlier demo data: {what}"


def not_demo_data(state: dict[str, Any]) -> str | None:
    """Why the contents read by ``demo/database_contents`` are not (only) one demo's data, or None when they are."""
    sources = state["sources"]
    user = [s["path"] for s in sources if s.get("demo") is None]
    if user:
        return f"loaded from {_some(user)}"
    if not sources:
        return f"{state['data_nodes']} node(s) that no loaded source accounts for"
    marks = {s["demo"] for s in sources}
    if len(marks) > 1:
        return "data from more than one demo scenario"
    seals = {s.get("demo_nodes") for s in sources}
    if None in seals or len(seals) > 1:
        return "a demo load that did not finish, so its data cannot be told from other data"
    added = state["data_nodes"] - seals.pop()
    if added != 0:
        return f"{abs(added)} node(s) {'added' if added > 0 else 'removed'} since the demo loaded its data"
    return None


def describe_contents(state: dict[str, Any]) -> str:
    """What is in the database, in words: counts, runs and the loaded sources."""
    paths = [s["path"] for s in state["sources"]]
    text = f"{state['accounts']} accounts, {state['posts']} posts, {state['runs']} detection run(s), {state['nodes']} nodes in all"
    return text + (f"; sources: {_some(paths)}" if paths else "; no loaded source")


def _some(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def scenario_mark(scenario: Scenario) -> str:
    """The demo mark of a scenario: the SHA-256 of its ground truth (the same seed and settings give the same mark)."""
    return "sha256:" + hashlib.sha256(scenario.ground_truth_path.read_bytes()).hexdigest()


def seal_demo_data(driver: Driver, mark: str, database: str | None = None) -> int:
    """After the demo's load, record on its sources how many data nodes the database holds (see
    :func:`prepare_database`). Returns the number of sources sealed."""
    return db.write(driver, "demo/seal", database=database, mark=mark).get("properties_set", 0)


def evaluate(truth: dict[str, Any], members: pd.DataFrame) -> dict[str, Any]:
    """Compare a run's clusters with the ground truth.

    ``members``: one row per cluster member, columns ``account_id, number, coordinated``. Flagged accounts are
    the members of clusters reported as coordinated. Precision = flagged ∩ network / flagged; recall = flagged ∩
    network / network (also over the network without its low-activity members, which leave few traces).
    """
    network = {m["id"] for m in truth["network"]["members"]}
    low = set(truth["network"]["low_activity"])
    flagged_rows = members[members["coordinated"]] if len(members) else members
    flagged = set(flagged_rows["account_id"]) if len(flagged_rows) else set()
    hits = flagged & network
    precision = len(hits) / len(flagged) if flagged else None
    recall = len(hits) / len(network) if network else None
    active = network - low
    clusters = []
    for number, group in (flagged_rows.groupby("number") if len(flagged_rows) else []):
        ids = set(group["account_id"])
        clusters.append({"number": int(number), "size": len(ids), "network_members": len(ids & network),
                         "purity": round(len(ids & network) / len(ids), 3)})
    negatives = {kind: len(flagged & set(ids)) for kind, ids in truth["hard_negatives"].items()}
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {
        "network_size": len(network), "flagged": len(flagged), "true_positives": len(hits),
        "false_positives": len(flagged - network), "precision": precision, "recall": recall, "f1": f1,
        "recall_without_low_activity": len(hits & active) / len(active) if active else None,
        "low_activity_found": len(hits & low), "low_activity": len(low),
        "clusters": sorted(clusters, key=lambda c: -c["size"]), "hard_negatives_flagged": negatives,
    }


def run_demo(
    driver: Driver,
    out_dir: str | Path | None = None,
    seed: int = 7,
    scale: float = DEMO_SCALE,
    difficulty: str = "hard",
    report_path: str | Path | None = None,
    fresh: bool = False,
    database: str | None = None,
    progress: bool = True,
    on_stage: Callable[[Stage], None] | None = None,
    detect_progress: Callable[[str, float], None] | None = None,
    **overrides: Any,
) -> DemoResult:
    """Run every stage on a freshly generated scenario; see the module doc."""
    # the pipeline's heavy modules load when a demo runs, not with every command
    from .analytics.detect import detect
    from .analytics.impact import impact, impact_of_accounts
    from .report import write_report

    overrides.setdefault("days", DEMO_DAYS)
    out = Path(out_dir) if out_dir else default_out_dir(seed, scale, difficulty)
    stages = [Stage(name) for name in STAGES]
    notify = on_stage or (lambda stage: None)

    def begin(name: str) -> tuple[Stage, float]:
        stage = next(s for s in stages if s.name == name)
        stage.status = "running"
        notify(stage)
        return stage, time.perf_counter()

    def finish(stage: Stage, started: float, detail: str = "") -> None:
        stage.status, stage.seconds, stage.detail = "done", time.perf_counter() - started, detail
        notify(stage)

    def fail(stage: Stage, started: float, exc: Exception) -> None:
        message = str(getattr(exc, "message", None) or exc).strip().splitlines()
        stage.status, stage.seconds = "failed", time.perf_counter() - started
        stage.detail = f"{type(exc).__name__}: {message[0] if message else ''}"
        notify(stage)

    def skip(name: str, reason: str) -> None:
        stage = next(s for s in stages if s.name == name)
        stage.status, stage.detail = "skipped", reason
        notify(stage)

    # before anything is written: a database holding someone's data stops the demo here
    cleared = prepare_database(driver, fresh, database)

    stage, t0 = begin("generate")
    scenario = generate(out, seed=seed, scale=scale, difficulty=difficulty, **overrides)
    counts = scenario.counts
    finish(stage, t0, f"{counts['accounts_in_data']} accounts, {counts['events']} events in {out}")
    result = DemoResult(scenario=scenario, stages=stages)
    truth = scenario.ground_truth()

    stage, t0 = begin("ingest")
    mark = scenario_mark(scenario)
    summary = ingest_paths(driver, scenario.ingest_paths, progress=progress, rejects_dir=out / "rejects", database=database, demo=mark)
    seal_demo_data(driver, mark, database)
    result.ingest_summary = summary
    finish(stage, t0, f"{summary.events} events from {len(summary.files)} files, {summary.rejected} rejected ({cleared})")

    stage, t0 = begin("targets")
    rows = add_targets(driver, scenario.target_handles, database=database)
    found = [r for r in rows if r.get("id")]
    finish(stage, t0, ", ".join("@" + str(r.get("username") or r.get("value")) for r in found))

    stage, t0 = begin("detect")
    try:
        detection = detect(driver, None, progress=detect_progress, database=database)
    except Exception as exc:  # a failing part must not hide what the earlier stages produced
        fail(stage, t0, exc)
        for name in ("impact", "report"):
            skip(name, "needs a detection run")
        return result
    result.detection = detection
    result.run_id = detection.run_id
    members = pd.DataFrame(db.read(driver, "demo/run_members", database=database, run_id=detection.run_id),
                           columns=["account_id", "number", "coordinated"])
    result.evaluation = evaluate(truth, members)
    ev = result.evaluation
    finish(stage, t0, f"run {detection.run_id}: {len(ev['clusters'])} coordinated cluster(s), {ev['flagged']} accounts flagged")

    stage, t0 = begin("impact")
    try:
        result.impact = impact(driver, run_id=detection.run_id, database=database)
        # the same measurement for the true network, to set the run's impact against the ground truth
        result.extra["impact_of_true_network"] = impact_of_accounts(driver, [m["id"] for m in truth["network"]["members"]],
                                                                      database=database)
        finish(stage, t0, f"{len(result.impact)} rows")
    except Exception as exc:
        fail(stage, t0, exc)

    stage, t0 = begin("report")
    path = Path(report_path) if report_path else out / "report.html"
    try:
        result.report_path = write_report(driver, detection.run_id, "html", path, database=database)
        finish(stage, t0, str(result.report_path))
    except Exception as exc:
        fail(stage, t0, exc)
    return result


# Queries to paste into Neo4j Browser (files in cypher/demo/, each headed by its title): with a run, and before one.
BROWSER_QUERIES_RUN = ("demo/browser_clusters", "demo/browser_evidence", "demo/browser_top_post_clusters")
BROWSER_QUERIES_DATA = ("demo/browser_creation_pairs", "demo/browser_rapid_pairs", "demo/browser_top_post")


def browser_queries(run_id: str | None, target_handle: str) -> list[tuple[str, str]]:
    """The ``:param`` lines, then three queries to paste into Neo4j Browser, with a title each."""
    params = f":param target => '{target_handle}'"
    if run_id:
        params += f"\n:param run => '{run_id}'"
    return [("parameters", params), *(_titled(name) for name in (BROWSER_QUERIES_RUN if run_id else BROWSER_QUERIES_DATA))]


def _titled(name: str) -> tuple[str, str]:
    """A query file's title (its first comment line) and its text without the comment."""
    lines = cypher.load(name).strip().splitlines()
    return lines[0].removeprefix("//").strip(), "\n".join(line for line in lines[1:] if not line.startswith("//"))
