"""Shared fixtures: an app on a migrated database, clients, signed-in users.

The database comes from TEST_DATABASE_URL (e.g. postgresql://127.0.0.1/test) and
defaults to an SQLite file in a temporary folder. The schema is built once per run
by the real migrations; after each test every table but the municipality list is
emptied, so tests may commit like the application does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from elearn import create_app
from elearn.auth.models import Role
from elearn.config import TestConfig
from elearn.extensions import db
from elearn.municipalities import load_municipalities
from tests.apps import KEEP_TABLES, database_url_for, drop_everything, extra_apps, make_app
from tests.factories import create_user
from tests.web import login

# Courses, progress, certificates and signed-in supervisors for the staff features'
# tests (supervision, assignments, directory, national).
pytest_plugins = ["tests.staff_fixtures"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return database_url_for(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Iterator[Flask]:
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        COURSES_DIR = str(tmp_path_factory.mktemp("courses"))

    application = create_app(Config)
    with application.app_context():
        drop_everything(db.engine)
        upgrade()
        load_municipalities("LT")
    yield application
    for each in [application, *extra_apps]:
        with each.app_context():
            db.engine.dispose()


@pytest.fixture
def rate_limited_app(database_url) -> Iterator[Flask]:
    """An app with rate limits on. The limiter is one object shared by every app in
    this process, so it is switched off and emptied again afterwards."""
    from elearn.extensions import limiter

    application = make_app(database_url, RATELIMIT_ENABLED=True)
    try:
        yield application
    finally:
        with application.app_context():
            limiter.reset()
            db.engine.dispose()
        limiter.enabled = False


@pytest.fixture(autouse=True)
def _clean_tables(app) -> Iterator[None]:
    yield
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())
        app.extensions.get("elearn_outbox", []).clear()


@pytest.fixture
def app_ctx(app) -> Iterator[Flask]:
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app) -> FlaskClient:
    """A browser that asks for English, so assertions read naturally; tests of the
    Lithuanian default use app.test_client() directly."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a committed user; returns its id (objects do not outlive the context)."""
    counter = iter(range(1, 10_000))

    def factory(role: Role = Role.LEARNER, municipality: str | None = "LT-57",
                email: str | None = None, supervises: tuple[str, ...] = (), **fields) -> int:
        with app.app_context():
            return create_user(next(counter), role, municipality, email, supervises, **fields)

    return factory


@pytest.fixture
def login_as(app, client, make_user):
    """Sign the test client in as a new user with the role; returns the user id."""

    def do(role: Role = Role.LEARNER, **kwargs) -> int:
        user_id = make_user(role, **kwargs)
        response = login(client, app, user_id)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id

    return do
