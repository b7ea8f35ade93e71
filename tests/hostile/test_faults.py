"""The database going away, and a sync killed half-way."""

import os
import signal
import subprocess
import sys
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from elearn import PROJECT_ROOT
from elearn.municipalities import load_municipalities
from tests.apps import make_app
from tests.factories import write_test_course


@pytest.fixture
def file_app(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    url = f"sqlite:///{folder}/elearn.sqlite"
    # No pool: every request opens the file again, as a new server process would.
    app = make_app(url, SQLALCHEMY_ENGINE_OPTIONS={"poolclass": NullPool})
    with app.app_context():
        upgrade()
        load_municipalities("LT")
    return app, folder, url


def test_database_away_gives_503_and_the_app_recovers(file_app):
    app, folder, _ = file_app
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    moved = folder.with_name("moved")
    folder.rename(moved)
    try:
        assert client.get("/healthz").status_code == 503
        page = client.get("/verify/some-code", headers={"Accept-Language": "en"})
        assert page.status_code == 503
        html = page.get_data(as_text=True)
        assert "temporarily unavailable" in html and "Traceback" not in html
    finally:
        moved.rename(folder)
    assert client.get("/healthz").status_code == 200
    assert client.get("/verify/some-code").status_code == 404


def test_sync_killed_half_way_leaves_every_course_whole(file_app, tmp_path):
    _, _, url = file_app
    root = tmp_path / "courses"
    root.mkdir()
    for n in range(40):
        write_test_course(root, f"course-{n:02d}", body_note="x " * 2000)
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="k" * 40, FLASK_APP="elearn",
               PUBLIC_URL="http://127.0.0.1")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "courses", "sync", str(root)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    engine = create_engine(url, poolclass=NullPool)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            with engine.connect() as conn:
                live = conn.execute(text(
                    "SELECT count(*) FROM course WHERE live_version_id IS NOT NULL")).scalar()
            if live >= 3:
                break
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        with engine.connect() as conn:
            published = conn.execute(text(
                "SELECT count(*) FROM course WHERE live_version_id IS NOT NULL")).scalar()
            modules = conn.execute(text(
                "SELECT count(*) FROM course_module m JOIN course c "
                "ON c.live_version_id = m.version_id")).scalar()
            questions = conn.execute(text(
                "SELECT count(*) FROM question q JOIN course_module m ON m.id = q.module_id "
                "JOIN course c ON c.live_version_id = m.version_id")).scalar()
            orphans = conn.execute(text(
                "SELECT count(*) FROM course_version v WHERE NOT EXISTS "
                "(SELECT 1 FROM course c WHERE c.live_version_id = v.id)")).scalar()
    finally:
        engine.dispose()
    assert 3 <= published < 40, "the sync was not interrupted half-way; make the set larger"
    assert modules == published * 2 and questions == published * 2
    assert orphans == 0
