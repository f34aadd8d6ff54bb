"""The saved-query library's headers parse into descriptions, parameters and defaults (no server)."""

from __future__ import annotations

import re

from coordgraph import cypher, querylib
from helpers import POSTS


def test_every_query_has_a_description_and_documented_browser_params():
    queries = querylib.catalogue()
    assert len(queries) >= 12
    for q in queries:
        assert q.description, q.name
        body = "\n".join(line for line in q.text.splitlines() if not line.startswith("//"))
        # Every $parameter of the body is documented with a description and a :param example line.
        assert set(re.findall(r"\$([A-Za-z_]\w*)", body)) == set(q.parameters), q.name
        for p in q.parameters.values():
            assert p.description, (q.name, p.name)
            assert f":param {p.name} =>" in q.text, (q.name, p.name)


def test_library_files_are_found_by_the_cypher_loader():
    assert sorted(cypher.names("library")) == sorted(f"library/{n}" for n in querylib.names())
    assert "p1" in POSTS  # the case graph used above has the post the examples refer to
