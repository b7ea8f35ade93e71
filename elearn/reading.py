"""Requests that only read: GET and HEAD change nothing (the project's rule), so on
PostgreSQL they run without a transaction of their own, and any write they try fails.

Without this, every page view costs two more server round trips than its statements
(BEGIN, then ROLLBACK at teardown), and psycopg forgets its prepared statements at
each ROLLBACK, so a page's queries were parsed and planned afresh on every view.
With it, a connection checked out by a GET request is in autocommit mode: each SELECT
is one round trip, and psycopg prepares the statements a page repeats.

Reading in autocommit changes nothing the pages see: under PostgreSQL's default READ
COMMITTED (which the platform does not change) every statement already saw its own
snapshot. Two things need care:

- A write on GET would be committed by itself, statement by statement. So every write
  statement in a GET or HEAD request is refused before it is sent, on every database
  (ReadOnlyRequest, a 500: a bug to fix, never a page to show). A page that keeps what
  it computed for the next visitors (a stored cache) writes inside storing_on_read().
- A server-side cursor (`stream_results`, the streamed exports) only lives inside a
  transaction: such a query turns the connection back to an ordinary transaction first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD"})
FLAG = "_elearn_reads_only"
WRITE_PROBE_ATTR = "_elearn_write_probe"
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE|CREATE|DROP|ALTER|"
                    r"TRUNCATE|GRANT|LOCK)\b", re.IGNORECASE)


class ReadOnlyRequest(RuntimeError):
    """A GET or HEAD request tried to write: it must not (the statement was not sent)."""


def reads_only() -> bool:
    """Whether the request being served is one that only reads (GET or HEAD)."""
    return has_app_context() and g.get(FLAG, False)


@contextmanager
def storing_on_read() -> Iterator[None]:
    """Let a reading request store what it computed for the next visitors (the national
    overview's figures): a cache, not a change anyone asked for. On PostgreSQL the
    request reads in autocommit, so each statement in the block commits by itself: store
    with one statement (an INSERT or an UPDATE of one row)."""
    if not reads_only():
        yield
        return
    setattr(g, FLAG, False)
    try:
        yield
    finally:
        setattr(g, FLAG, True)


def write_probe(view: Callable) -> Callable:
    """Exempt a view that checks the database accepts writes with a write that changes
    nothing and is rolled back (the health check): it keeps an ordinary transaction."""
    setattr(view, WRITE_PROBE_ATTR, True)
    return view


def _mark_request() -> None:
    if request.method not in READ_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, WRITE_PROBE_ATTR, False):
        setattr(g, FLAG, True)


def _autocommit_on_checkout(dbapi_connection, _record, _proxy) -> None:
    """A PostgreSQL connection handed to a reading request reads without BEGIN; any
    other gets back the ordinary transactions (it is idle in the pool, so this is a
    client-side setting, no round trip)."""
    wanted = reads_only()
    if dbapi_connection.autocommit != wanted:
        dbapi_connection.autocommit = wanted


def _refuse_writes(conn, _cursor, statement, _parameters, context, _executemany) -> None:
    if not reads_only():
        return
    if WRITES.match(statement):
        # The endpoint, not the path: paths may carry tokens (calendar feeds, resets).
        raise ReadOnlyRequest(f"{request.method} {request.endpoint} tried to write: "
                              + statement.split("\n", 1)[0][:120]
                              + " (a stored cache? see elearn.reading.storing_on_read)")
    if context is not None and context.execution_options.get("stream_results"):
        dbapi_connection = conn.connection.dbapi_connection
        if getattr(dbapi_connection, "autocommit", False):
            dbapi_connection.autocommit = False  # idle: the cursor's BEGIN comes next


def watch(engine: Engine) -> None:
    """Install the two listeners on an engine (once)."""
    if event.contains(engine, "before_cursor_execute", _refuse_writes):
        return
    event.listen(engine, "before_cursor_execute", _refuse_writes)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _autocommit_on_checkout)


def init_app(app: Flask) -> None:
    """Mark reading requests (before anything loads the user) and watch the engines."""
    from elearn.extensions import db

    app.before_request_funcs.setdefault(None, []).insert(0, _mark_request)
    with app.app_context():
        for engine in db.engines.values():
            watch(engine)
