"""Coordination signals, GDS projections and communities, benchmark statistics and impact."""
