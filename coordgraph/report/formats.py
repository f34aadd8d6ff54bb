"""The report formats, importable without the rendering modules."""

FORMATS = ("html", "pdf", "md", "json", "csv", "takedown", "gexf", "graphml")
