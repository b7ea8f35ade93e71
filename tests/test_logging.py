"""What production's log shows: the app's messages under gunicorn, never a statement's values."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy.exc import IntegrityError

from elearn.auth import services as accounts
from elearn.extensions import db
from elearn.municipalities import load_municipalities
from tests.apps import make_app
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_a_failed_statement_does_not_carry_its_values(app_ctx, make_user):
    make_user(email="ona@example.lt")
    duplicate = accounts.create_user(
        email="ona@example.lt", full_name="Ona Onaitė", password=PASSWORD,
        municipality_code="LT-57", workplace="Vaiko teisių skyrius", profession="social_worker",
        locale="lt",
    )
    password_hash = duplicate.password_hash
    with pytest.raises(IntegrityError) as failure:
        db.session.flush()
    db.session.rollback()
    message = str(failure.value)
    assert "parameters hidden" in message
    # PostgreSQL's own DETAIL names the duplicate key (the e-mail); the statement's
    # values (the hash, the name, the workplace) are in the message on no database.
    assert password_hash not in message
    assert "Ona Onait" not in message and "Vaiko teisių" not in message


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorns_error_log_gets_the_apps_info_lines_and_logged_mail(tmp_path):
    database = f"sqlite:///{tmp_path / 'elearn.sqlite'}"
    setup = make_app(database)
    with setup.app_context():
        upgrade()
        load_municipalities("LT")
        accounts.create_user(
            email="ona@example.lt", full_name="Ona", password=PASSWORD,
            municipality_code="LT-57", workplace="X", profession="social_worker", locale="lt",
        )
        db.session.commit()
        db.engine.dispose()

    port, log = _free_port(), tmp_path / "gunicorn-error.log"
    env = {
        **os.environ, "DATABASE_URL": database, "SECRET_KEY": "k" * 40,
        "PUBLIC_URL": f"http://127.0.0.1:{port}", "RATELIMIT_ENABLED": "false",
        "MAIL_SERVER": "", "MAIL_BACKEND": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--error-logfile", str(log), "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        for _ in range(150):
            try:
                page = browser.open(base + "/account/reset", timeout=5).read().decode()
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer:\n" + log.read_text())
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"email": "ona@example.lt", "csrf_token": token})
        browser.open(base + "/account/reset", data=form.encode(), timeout=10).read()
    finally:
        server.terminate()
        server.wait(timeout=120)  # a loaded machine may take a while to stop workers

    written = log.read_text()
    assert "[WARNING] MAIL_SERVER is not set" in written
    assert "[INFO] Mail not sent (no MAIL_SERVER set)" in written
    assert "To: ona@example.lt" in written and "/account/reset/" in written
