"""Cypher files are loaded by name only and take values as parameters (no server)."""

from __future__ import annotations

import pytest

from coordgraph import cypher

QUERY_FILES = [name for name in cypher.names() if name != "schema"]
PREFIXES = ("lifecycle", "language", "rhythm", "profile", "exclusivity", "latency")
FILES = [n for n in cypher.names("signals") if n.split("/")[-1].startswith(PREFIXES)]



def test_cypher_files_take_values_as_parameters():
    # string literals longer than a word in a query are almost always a value that should be a $parameter
    for name in QUERY_FILES:
        text = "\n".join(line for line in cypher.load(name).splitlines() if not line.lstrip().startswith("//"))
        assert "{{" not in text and "%s" not in text, name


def test_load_rejects_path_tricks():
    with pytest.raises(ValueError):
        cypher.load("../schema")
    with pytest.raises(KeyError):
        cypher.load("no_such_file")


def test_every_signal_has_its_files():
    stems = {n.split("/")[-1].split("_")[0] for n in FILES}
    assert stems == set(PREFIXES)
