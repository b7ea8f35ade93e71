"""Shared fixtures: an app on a migrated database, clients, and small factories.

The database comes from TEST_DATABASE_URL (e.g. postgresql://127.0.0.1/test) and
defaults to an SQLite file in a temporary folder. The schema is built once per run
by the real migrations; after each test every table but the municipality list is
emptied, so tests may commit like the application does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData, text

from elearn import create_app
from elearn.auth import services as accounts
from elearn.auth.models import Role, User
from elearn.config import TestConfig
from elearn.extensions import db
from elearn.municipalities import load_municipalities

# Courses, progress, certificates and signed-in supervisors for the staff features'
# tests (supervision, assignments, directory, national).
pytest_plugins = ["tests.staff_fixtures"]

PASSWORD = "correct horse battery staple"
KEEP_TABLES = {"municipality", "alembic_version"}


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


def drop_everything(engine) -> None:
    """Start from an empty database (PostgreSQL test databases are reused)."""
    meta = MetaData()
    meta.reflect(bind=engine)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            meta.drop_all(bind=conn)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory)


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
    for each in [application, *_extra_apps]:
        with each.app_context():
            db.engine.dispose()


_extra_apps: list[Flask] = []


def make_app(database_url: str, **overrides) -> Flask:
    """A second app on the same database, for settings fixed at start-up (its
    connections are closed when the session ends)."""
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    for key, value in overrides.items():
        setattr(Config, key, value)
    application = create_app(Config)
    _extra_apps.append(application)
    return application


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

    def factory(role: Role = Role.LEARNER, municipality: str = "LT-57", email: str | None = None,
                supervises: tuple[str, ...] = (), **fields) -> int:
        n = next(counter)
        with app.app_context():
            user = accounts.create_user(
                email=email or f"user{n}@example.lt",
                full_name=fields.pop("full_name", f"Test User {n}"),
                password=fields.pop("password", PASSWORD),
                municipality_code=municipality,
                workplace=fields.pop("workplace", "Socialinių paslaugų centras"),
                profession=fields.pop("profession", "social_worker"),
                locale=fields.pop("locale", "en"),  # English pages read naturally in asserts
                **fields,
            )
            accounts.set_role(user, role, list(supervises) or None)
            db.session.commit()
            return user.id

    return factory


def csrf_token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, app: Flask, user_id: int, password: str = PASSWORD):
    with app.app_context():
        email = db.session.get(User, user_id).email
    token = csrf_token(client, "/account/login")
    return client.post(
        "/account/login", data={"email": email, "password": password, "csrf_token": token}
    )


@pytest.fixture
def login_as(app, client, make_user):
    """Sign the test client in as a new user with the role; returns the user id."""

    def do(role: Role = Role.LEARNER, **kwargs) -> int:
        user_id = make_user(role, **kwargs)
        response = login(client, app, user_id)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id

    return do
