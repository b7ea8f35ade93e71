"""Pooled PostgreSQL connections are pinged before use only after being idle a while
(elearn/pool.py): a connection the server dropped costs no failed request, and one used
a moment ago costs no extra round trip."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from elearn import pool
from elearn.extensions import db
from tests.apps import make_app


@pytest.fixture
def postgres_url(database_url) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("pings a PostgreSQL server: run with TEST_DATABASE_URL set to one "
                    "(the CI's PostgreSQL run does); SQLite connections are files, not pinged")
    return database_url


def _backend_of(application) -> int:
    """The server process of the connection the app's pool holds (it has one)."""
    with application.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()
    return pid


def _end(url: str, pid: int) -> None:
    """What a database restart or a dropped network link does to a pooled connection."""
    killer = create_engine(url)
    with killer.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    killer.dispose()


def test_a_dropped_connection_idle_a_while_costs_no_failed_request(postgres_url, app):
    application = make_app(postgres_url, POOL_PING_IDLE_SECONDS=0)
    client = application.test_client()
    assert client.get("/healthz").status_code == 200
    dropped = _backend_of(application)
    _end(postgres_url, dropped)
    assert client.get("/healthz").status_code == 200  # not a 503 or a 500
    assert _backend_of(application) != dropped


def test_a_connection_used_a_moment_ago_is_not_pinged(postgres_url, app, monkeypatch):
    pings = []
    real = pool._ping
    monkeypatch.setattr(pool, "_ping", lambda conn: (pings.append(1), real(conn)))
    recent = make_app(postgres_url, POOL_PING_IDLE_SECONDS=3600).test_client()
    for _ in range(3):
        assert recent.get("/healthz").status_code == 200
    assert pings == []
    idle = make_app(postgres_url, POOL_PING_IDLE_SECONDS=0).test_client()
    for _ in range(3):
        assert idle.get("/healthz").status_code == 200
    assert len(pings) >= 2  # every checkout after the first connection's check-in
