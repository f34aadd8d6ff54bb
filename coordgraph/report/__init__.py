"""Cluster reports and exports (HTML, Markdown, JSON, CSV, takedown CSV, GEXF, GraphML)."""
