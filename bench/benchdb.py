"""A fresh, migrated database for a benchmark: a new SQLite file in a temporary folder, or
the given PostgreSQL database EMPTIED first; Lithuania's municipalities loaded."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.municipalities import load_municipalities  # noqa: E402


@contextmanager
def fresh_database(postgres_url: str | None) -> Iterator[Flask]:
    """The app on the new database, inside its app context (rate limits off, mails kept
    in memory, a cheap password hash for the generated accounts)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = postgres_url or f"sqlite:///{tmp}/bench.sqlite"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                          "MAIL_BACKEND": "memory", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            if postgres_url:
                from tests.apps import drop_everything

                drop_everything(db.engine)
            upgrade()
            load_municipalities("LT")
            yield app
