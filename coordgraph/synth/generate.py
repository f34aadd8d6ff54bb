"""``generate``: build a scenario world stage by stage and write it through the real input formats."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from . import vocab
from .finalize import publish
from .negatives import plant_hard_negatives
from .network import plant_network, run_network
from .organic import organic_background, quiet_spells
from .params import ScenarioParams, build_params
from .population import add_organic, add_popular, add_targets, make_unique_usernames
from .timing import DAY_MS
from .truth import build_truth
from .world import World
from .writers import io_user_ids, write_io_archive, write_status, write_twarc_pages


@dataclass
class Scenario:
    """Where a generated scenario's files are, and what it contains."""

    out_dir: Path
    params: ScenarioParams
    twarc_paths: list[Path]
    io_users_path: Path
    io_tweets_path: Path
    status_path: Path
    ground_truth_path: Path
    target_handles: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def seed(self) -> int:
        return self.params.seed

    @property
    def ingest_paths(self) -> list[Path]:
        """What the demo loads: the collection (twarc2 pages) and the status snapshot.

        The IO archive files describe the same network with hashed user ids (as the real releases do), so they
        are loaded on their own rather than merged with the collection.
        """
        return [*self.twarc_paths, self.status_path]

    @property
    def files(self) -> list[Path]:
        """Every file written, ground truth included."""
        return [*self.twarc_paths, self.io_users_path, self.io_tweets_path, self.status_path, self.ground_truth_path]

    def ground_truth(self) -> dict[str, Any]:
        """The parsed ``ground_truth.json``."""
        return json.loads(self.ground_truth_path.read_text(encoding="utf-8"))


def build_world(params: ScenarioParams):
    """Run every generation stage; returns the world, the network plan and the hard negatives."""
    rng = np.random.default_rng(params.seed)
    world = World(params=params, rng=rng)
    add_targets(world)
    add_popular(world)
    organic = add_organic(world, max(int(round(params.organic_accounts * params.scale)), 50))
    plan = plant_network(world)
    organic_background(world, organic)
    quiet_spells(world, organic)
    negatives = plant_hard_negatives(world, organic, [b["moment_ms"] for b in plan.burst])
    run_network(world, plan)
    make_unique_usernames(world)
    return world, plan, negatives


def _statuses(world: World, plan, rng: np.random.Generator) -> tuple[dict[int, str], np.ndarray]:
    """Status after the period: the network's configured mix; a little churn among everyone else."""
    n = world.accounts.size
    statuses: dict[int, str] = {}
    r = rng.random(n)
    for row in np.flatnonzero(r < 0.012):
        statuses[int(row)] = "suspended"
    for row in np.flatnonzero((r >= 0.012) & (r < 0.02)):
        statuses[int(row)] = "deleted"
    for t in world.targets + world.popular:
        statuses.pop(t, None)
    for row, status in zip(plan.rows.tolist(), plan.status):
        statuses[row] = status
    checked = world.end_ms + 60 * DAY_MS + rng.integers(0, 3 * DAY_MS, n)
    return statuses, checked


def generate(out_dir: str | Path, seed: int = 7, scale: float = 1.0, difficulty: str = "hard", **overrides: Any) -> Scenario:
    """Generate a coordinated-amplification scenario into ``out_dir`` and return where everything is.

    Writes ``twarc2/search_YYYY-MM.jsonl`` (raw API v2 pages as twarc2 saves them), ``io/<name>_users_csv_hashed.csv``
    and ``io/<name>_tweets_csv_hashed.csv`` (the network as a takedown release), ``status.csv`` and
    ``ground_truth.json``. The same arguments always give byte-identical files.
    """
    params = build_params(seed=seed, scale=scale, difficulty=difficulty, **overrides)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    world, plan, negatives = build_world(params)
    pub = publish(world)
    statuses, checked = _statuses(world, plan, np.random.default_rng(params.seed + 2))
    handles = [world.accounts.col("username")[t] for t in world.targets]
    query = " OR ".join([f"@{h}" for h in handles] + [f"from:{h}" for h in handles] + ["lang:en", "-lang:en"])
    twarc_paths = write_twarc_pages(pub, out / "twarc2", query)
    end = datetime.fromtimestamp(world.end_ms / 1000, tz=timezone.utc)
    io_users, io_tweets = write_io_archive(pub, plan.rows, out / "io", f"{vocab.COUNTRY.lower()}_{end:%m%Y}")
    status_path = write_status(pub, statuses, checked, out / "status.csv")
    files = {
        "twarc2": [str(p.relative_to(out)) for p in twarc_paths], "io_users": str(io_users.relative_to(out)),
        "io_tweets": str(io_tweets.relative_to(out)), "status": str(status_path.relative_to(out)),
    }
    truth = build_truth(pub, plan, negatives, statuses, io_user_ids(pub), files)
    truth_path = out / "ground_truth.json"
    truth_path.write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return Scenario(out_dir=out, params=params, twarc_paths=twarc_paths, io_users_path=io_users, io_tweets_path=io_tweets,
                    status_path=status_path, ground_truth_path=truth_path, target_handles=handles, counts=truth["counts"])
