"""Seeded scenario generator with ground truth, for the demo, tests and benchmarks."""
