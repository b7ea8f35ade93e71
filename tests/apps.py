"""Test applications on the test database: TEST_DATABASE_URL (e.g.
postgresql://127.0.0.1/test) or an SQLite file, emptied before the run."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import MetaData, text

from elearn import create_app
from elearn.config import TestConfig

KEEP_TABLES = {"municipality", "alembic_version"}  # kept between tests


def database_url_for(tmp_path_factory) -> str:
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


extra_apps: list[Flask] = []


def make_app(database_url: str, **overrides) -> Flask:
    """A second app on the same database, for settings fixed at start-up (its
    connections are closed when the session ends)."""
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    for key, value in overrides.items():
        setattr(Config, key, value)
    application = create_app(Config)
    extra_apps.append(application)
    return application
