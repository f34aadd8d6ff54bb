"""Test fixtures: a real Neo4j + GDS server started once per test session.

Everything under ``tests/integration/`` is marked ``neo4j`` here (it needs the server); ``tests/unit/`` needs
none, so ``pytest tests/unit`` (or ``-m "not neo4j"``) runs without one. Shared helpers are in ``helpers.py``.

By default the tests run their own managed server, with its own home and ports, so they never touch an
investigator's data. ``COORDGRAPH_TEST_NEO4J_URI`` (+ ``_USER``/``_PASSWORD``) points them at another server
instead, e.g. the docker-compose one; ``NEO4J_URI`` is deliberately ignored. Set
``COORDGRAPH_TEST_KEEP_SERVER=1`` to leave the test server running between runs (faster iteration).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coordgraph import db, runtime
from coordgraph.config import Connection, ServerLayout, project_home
from helpers import REPO_ROOT, build_case, filled, load_coortweet_csv, wipe

INTEGRATION = Path(__file__).resolve().parent / "integration"
SHARED_DATA = Path(os.environ.get("COORDGRAPH_SHARED_DATA", REPO_ROOT.parent / "shared" / "data" / "real"))


def test_layout() -> ServerLayout:
    """The test server's own home and ports (overridable so several checkouts can test side by side)."""
    home = Path(os.environ.get("COORDGRAPH_TEST_HOME", project_home() / "test-server"))
    return ServerLayout(
        home=home / "server",
        password_file=home / "neo4j-password",
        bolt_port=int(os.environ.get("COORDGRAPH_TEST_BOLT_PORT", 7688)),
        http_port=int(os.environ.get("COORDGRAPH_TEST_HTTP_PORT", 7475)),
        heap=os.environ.get("COORDGRAPH_TEST_HEAP", "2g"),
        pagecache=os.environ.get("COORDGRAPH_TEST_PAGECACHE", "512m"),
    )


test_layout.__test__ = False  # not a test


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/integration/ ``neo4j`` (new files dropped there get it too)."""
    for item in items:
        if INTEGRATION in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session")
def managed_test_server():
    """The managed test server's layout, installed and running (skips when an external URI is used)."""
    if os.environ.get("COORDGRAPH_TEST_NEO4J_URI"):
        pytest.skip("tests are pointed at an external server (COORDGRAPH_TEST_NEO4J_URI)")
    layout = _ensure_test_server()
    return layout


_started_here: list[ServerLayout] = []


def _ensure_test_server() -> ServerLayout:
    layout = test_layout()
    runtime.install(layout, log=lambda *_: None)
    if runtime.start(layout, log=lambda *_: None):
        _started_here.append(layout)
    return layout


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("COORDGRAPH_TEST_KEEP_SERVER"):
        return
    for layout in _started_here:
        runtime.stop(layout)


@pytest.fixture(scope="session")
def neo4j_conn() -> Connection:
    """Connection settings of the server the tests use."""
    uri = os.environ.get("COORDGRAPH_TEST_NEO4J_URI")
    if uri:
        return Connection(
            uri=uri,
            user=os.environ.get("COORDGRAPH_TEST_NEO4J_USER", "neo4j"),
            password=os.environ.get("COORDGRAPH_TEST_NEO4J_PASSWORD", ""),
        )
    layout = _ensure_test_server()
    return Connection(uri=layout.uri, user="neo4j", password=layout.password_file.read_text().strip(), managed=True)


@pytest.fixture(scope="session")
def driver(neo4j_conn):
    """A verified driver to the test server, with coordgraph's schema in place."""
    drv = db.connect(neo4j_conn)
    db.ensure_schema(drv)
    yield drv
    drv.close()


@pytest.fixture
def clean_db(driver):
    """An empty database before and after the test."""
    wipe(driver)
    yield driver
    wipe(driver)


@pytest.fixture(scope="module")
def case(driver):
    """The report case (``helpers.build_case``) alone in the database, for a whole module (read-only tests)."""
    with filled(driver, build_case):
        yield driver


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data samples in ``../shared/data/real`` (CI has them)."""
    if not SHARED_DATA.exists():
        pytest.skip(f"real data samples not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="module")
def russian_sample_db(driver, shared_data):
    """CooRTweet's ``russian_coord_tweets.csv`` (35,125 retweets, every row loaded) alone in the database, for a module."""
    with filled(driver, load_coortweet_csv, shared_data / "coortweet" / "russian_coord_tweets.csv") as rows:
        assert rows == 35125
        yield driver


@pytest.fixture(scope="module")
def twarc_network_db(driver, shared_data):
    """The real twarc2 sample ``twarc-network`` loaded by ``ingest_paths``, alone in the database, for a module."""
    from coordgraph.ingest import ingest_paths

    with filled(driver, ingest_paths, [shared_data / "twarc2-v2" / "twarc-network" / "tweets.jsonl"], progress=False):
        yield driver


@pytest.fixture(scope="module")
def german_db(driver, shared_data):
    """CooRTweet's ``german_elections.csv`` loaded by ``ingest_paths``, alone in the database, for a module."""
    from coordgraph.ingest import ingest_paths

    with filled(driver, ingest_paths, [shared_data / "coortweet" / "german_elections.csv"], progress=False):
        yield driver
