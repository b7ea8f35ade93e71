"""Pooled connections are tested before use only when they have been idle a while.

SQLAlchemy's `pool_pre_ping` tests every connection at every checkout: on PostgreSQL one
more server round trip per request, about a tenth of a lesson page's time in the app.
A connection that served a request a moment ago is very unlikely to have died since;
one idle for a while may have been dropped (a database restart, a proxy or firewall
timeout). So a connection is pinged at checkout only when it has been idle for at least
POOL_PING_IDLE_SECONDS; a dead one is discarded and the pool hands out a fresh
connection (SQLAlchemy retries a checkout that raises DisconnectionError), so the
request does not fail. A database restart between two requests on a busy worker can
still fail the one request that meets the dropped connection first; SQLAlchemy then
invalidates the pool's older connections.
"""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_SINCE = "elearn_idle_since"


def _ping(dbapi_connection) -> None:
    """SELECT 1 outside a transaction (psycopg would otherwise open one, and a reading
    request's connection could not be switched to autocommit afterwards)."""
    before = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        if not dbapi_connection.closed:
            dbapi_connection.autocommit = before


def watch(engine: Engine, idle_seconds: float) -> None:
    """Install the check-in and checkout listeners on an engine (once)."""
    if engine.dialect.name != "postgresql" or getattr(engine, "_elearn_pool_watched", False):
        return  # SQLite is a file, not a server: nothing drops its connections
    engine._elearn_pool_watched = True

    def checked_in(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[IDLE_SINCE] = time.monotonic()

    def checked_out(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop(IDLE_SINCE, None)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new, or used a moment ago
        try:
            _ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("a pooled connection was dropped") from error

    event.listen(engine, "checkin", checked_in)
    event.listen(engine, "checkout", checked_out)


def init_app(app: Flask) -> None:
    from elearn.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            watch(engine, app.config["POOL_PING_IDLE_SECONDS"])
