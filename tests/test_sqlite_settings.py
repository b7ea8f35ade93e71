"""SQLite as the laptop's (and a small office's) database: several gunicorn workers share
the file, so it runs in write-ahead-log mode and a writer waits for another instead of
failing with "database is locked"."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine, text

import elearn.extensions  # noqa: F401  (registers the connection settings)


def test_a_sqlite_file_is_opened_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'elearn.sqlite'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    engine.dispose()


def test_a_read_only_file_still_opens(tmp_path):
    path = tmp_path / "ro.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 0
    engine.dispose()
