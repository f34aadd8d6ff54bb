"""``docs/investigation.ipynb`` is committed clean: valid, no outputs, parameters in its first code cell."""

from __future__ import annotations

import re

import pytest

from helpers import REPO_ROOT

nbformat = pytest.importorskip("nbformat", reason="install the test extra: pip install -e '.[test]'")

NOTEBOOK = REPO_ROOT / "docs" / "investigation.ipynb"


def test_notebook_is_valid_and_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_parameters_come_first_and_each_has_an_environment_override():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", [])
    assigned = re.findall(r"^([A-Z_]+) = ", first.source, flags=re.MULTILINE)
    assert assigned
    for name in assigned:
        assert re.search(rf'^{name} = .*os\.environ\.get\("COORDGRAPH_NB_{name}"', first.source, flags=re.MULTILINE), name
