"""Seeded scenario generator with ground truth, for the demo, tests and benchmarks.

``generate(out_dir, seed=7, scale=1.0, difficulty="hard", **overrides) -> Scenario`` writes a coordinated
amplification case modelled on the 2021 OII/AP study through the real input formats (twarc2 pages, Information
Operations archive CSVs, a status snapshot) plus ``ground_truth.json``.
"""

from .generate import Scenario, generate
from .params import DIFFICULTIES, ScenarioParams, build_params

__all__ = ["DIFFICULTIES", "Scenario", "ScenarioParams", "build_params", "generate"]
