"""Opening a driver with clear errors, checking GDS, and running Cypher files in managed transactions."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError, ConfigurationError, ServiceUnavailable

from . import cypher
from .config import Connection
from .errors import ConnectionFailed

# The driver logs every retry at WARNING; the CLI reports failures itself.
logging.getLogger("neo4j").setLevel(logging.ERROR)


def connect(conn: Connection, require_gds: bool = True) -> Driver:
    """Open and verify a driver; raise :class:`ConnectionFailed` with advice on any failure."""
    try:
        driver = GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password), connection_timeout=5)
    except (ValueError, ConfigurationError) as exc:
        raise ConnectionFailed(f"Invalid Neo4j URI {conn.uri!r}: {exc}", "Use e.g. bolt://host:7687 or neo4j+s://host.") from exc
    try:
        driver.verify_connectivity()
        if require_gds:
            check_gds(driver, conn)
    except AuthError as exc:
        driver.close()
        hint = (
            "The managed server's password is kept in the 0600 file shown by `coordgraph server status`; "
            "remove --password/NEO4J_PASSWORD overrides."
            if conn.managed
            else "Check --user/--password or NEO4J_USER/NEO4J_PASSWORD."
        )
        raise ConnectionFailed(f"Neo4j at {conn.uri} refused user {conn.user!r}: wrong user or password.", hint) from exc
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        hint = (
            "Start the managed server with `coordgraph server start` (after `coordgraph server install`)."
            if conn.managed
            else "Check that the server is running and that --uri/NEO4J_URI is right."
        )
        raise ConnectionFailed(f"Cannot reach Neo4j at {conn.uri}.", hint) from exc
    except ConnectionFailed:
        driver.close()
        raise
    return driver


def check_gds(driver: Driver, conn: Connection | None = None) -> str:
    """Return the GDS version, or raise when the server has no Graph Data Science library."""
    try:
        with driver.session(database=conn.database if conn else None) as session:
            return session.run("RETURN gds.version() AS version").single()["version"]
    except ClientError as exc:
        where = conn.uri if conn else "the server"
        raise ConnectionFailed(
            f"Neo4j at {where} has no Graph Data Science library ({exc.code}).",
            "Install the GDS plugin (docker: NEO4J_PLUGINS='[\"graph-data-science\"]') and allow gds.* procedures.",
        ) from exc


def ensure_schema(driver: Driver, database: str | None = None) -> None:
    """Create every constraint and index of ``schema.cypher`` (idempotent) and wait for them to come online."""
    with driver.session(database=database) as session:
        for statement in cypher.statements("schema"):
            session.run(statement).consume()
        session.run("CALL db.awaitIndexes(300)").consume()


CLEAR_BATCH = 10_000  # nodes deleted per transaction by clear(): bounded memory whatever the graph's size


def counts(driver: Driver, database: str | None = None) -> dict[str, int]:
    """``{"nodes": n, "relationships": m}`` of the database."""
    return read(driver, "count_all", database=database)[0]


def clear(driver: Driver, database: str | None = None, batch: int = CLEAR_BATCH) -> dict[str, int]:
    """Delete every node and relationship, ``batch`` nodes per transaction, keeping the constraints, the indexes
    and the running server (whose compiled code stays warm for the next load); return what was deleted.

    It runs as an auto-commit query (``CALL ... IN TRANSACTIONS`` cannot run in a managed transaction)."""
    before = counts(driver, database)
    with driver.session(database=database) as session:
        session.run(cypher.load("clear_all"), rows=batch).consume()
    return before


def read(driver: Driver, name: str, database: str | None = None, **params: Any) -> list[dict[str, Any]]:
    """Run the read query in ``<name>.cypher`` with ``params`` and return its records as dicts."""
    return read_query(driver, cypher.load(name), params, database=database)


def read_query(driver: Driver, query: str, params: dict[str, Any] | None = None, database: str | None = None) -> list[dict[str, Any]]:
    """Run a read query composed from ``.cypher`` files in a managed transaction; records as dicts."""
    with driver.session(database=database) as session:
        return session.execute_read(lambda tx: [r.data() for r in tx.run(query, params or {})])


def read_plain(driver: Driver, name: str, database: str | None = None, **params: Any) -> list[dict[str, Any]]:
    """:func:`read` for queries that return only plain values (numbers, text, lists and maps of them): the records
    as dicts of the values as the driver decoded them. :func:`read`'s ``Record.data()`` walks every element of
    every list to convert graph entities, which cost seconds on the signals' lists of a million times."""
    query = cypher.load(name)
    with driver.session(database=database) as session:
        return session.execute_read(lambda tx: [dict(zip(record.keys(), record.values())) for record in tx.run(query, params)])


def read_rows(driver: Driver, name: str, database: str | None = None, **params: Any) -> list[list[Any]]:
    """Run the read query in ``<name>.cypher`` with ``params`` and return its records as value lists, in the order
    of its RETURN columns (no dict per record: for reads of many rows)."""
    query = cypher.load(name)
    with driver.session(database=database) as session:
        return session.execute_read(lambda tx: tx.run(query, params).values())


def write(driver: Driver, name: str, database: str | None = None, **params: Any) -> dict[str, int]:
    """Run the write query in ``<name>.cypher`` in one managed transaction; return its update counters."""
    query = cypher.load(name)

    def work(tx):
        return tx.run(query, params).consume().counters

    with driver.session(database=database) as session:
        counters = session.execute_write(work)
    return {k: v for k, v in vars(counters).items() if isinstance(v, int) and not k.startswith("_")}


def write_batches(
    driver: Driver,
    name: str,
    rows: Iterable[dict[str, Any]],
    batch_size: int = 5000,
    database: str | None = None,
    **params: Any,
) -> Iterator[int]:
    """Write ``rows`` through ``UNWIND $rows`` in ``<name>.cypher``, one managed transaction per batch.

    Yields the number of rows written after each batch (for progress bars).
    """
    query = cypher.load(name)
    with driver.session(database=database) as session:
        for batch in chunked(rows, batch_size):
            session.execute_write(lambda tx, b=batch: tx.run(query, {**params, "rows": b}).consume())
            yield len(batch)


def chunked(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Split an iterable into lists of at most ``size`` items, lazily."""
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def session_for(conn: Connection, require_gds: bool = True):
    """Context manager yielding a verified driver that is closed afterwards."""
    driver = connect(conn, require_gds=require_gds)
    try:
        yield driver
    finally:
        driver.close()
