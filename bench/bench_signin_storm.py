"""Sign-in storm: 100 learners sign in within one second on 4 gunicorn workers.

Run: .venv/bin/python bench/bench_signin_storm.py [--users 100] [--workers 4]
         [--spread 1.0] [--database sqlite|postgres] [--postgres-url URL]

WARNING: with --database postgres the database at --postgres-url (default
postgresql://127.0.0.1/test) is WIPED. SQLite uses a new file in a temporary folder.

The start of a training session in a municipal hall: every learner opens the sign-in
page, then all of them submit it within --spread seconds. Each learner is one thread of
a client process; the server is gunicorn with --workers sync workers, rate limits off
(one client address for all). Two storms in the same run, each on freshly stored
hashes: the application's method (argon2id at OWASP's parameters) and, as the
baseline, werkzeug's scrypt default that elearn used before. Printed per method: the
time from the first submission until the last learner is in, the median and p99 of one
sign-in, and argon2id's time as a ratio to scrypt's.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from bench_learning import PASSWORD, ROOT, empty_database, free_port, wait_until_up

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
PUBLIC_URL = "http://127.0.0.1"


def prepare(url: str, users: int, method: str, secret: str) -> list[str]:
    """A fresh schema, the municipalities, and learners whose hashes use ``method``."""
    from flask_migrate import upgrade

    from elearn import create_app
    from elearn.auth import services as accounts
    from elearn.auth.passwords import hash_password
    from elearn.extensions import db
    from elearn.municipalities import load_municipalities

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                      "PUBLIC_URL": PUBLIC_URL, "PASSWORD_HASH_METHOD": method})
    emails = [f"learner{n}@storm.example.lt" for n in range(users)]
    with app.app_context():
        empty_database(db.engine)
        upgrade()
        load_municipalities("LT")
        for n, email in enumerate(emails):
            user = accounts.create_user(email=email, full_name=f"Learner {n}", password=None,
                                        municipality_code="LT-13", locale="lt")
            # One hash each, as in production (no shared hash a cache could help with).
            user.password_hash = hash_password(PASSWORD)
        db.session.commit()
        db.engine.dispose()
    return emails


def storm(port: int, emails: list[str], spread: float) -> tuple[float, list[float], int]:
    """(seconds until the last is in, each sign-in's seconds, failures)."""
    base = f"http://127.0.0.1:{port}"
    ready = threading.Barrier(len(emails) + 1)
    durations: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start_at: list[float] = []

    def learner(index: int, email: str) -> None:
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        try:
            page = browser.open(base + "/account/login", timeout=120).read().decode()
            form = urllib.parse.urlencode({"email": email, "password": PASSWORD,
                                           "csrf_token": CSRF.search(page).group(1)}).encode()
        finally:
            ready.wait()  # every learner has her form, or the storm cannot start
        # On a loaded machine the moment may have passed already: then go at once.
        time.sleep(max(0.0, start_at[0] + spread * index / len(emails) - time.perf_counter()))
        began = time.perf_counter()
        try:
            response = browser.open(base + "/account/login", data=form, timeout=120)
            response.read()
            signed_in = "/account/login" not in response.geturl()
        except OSError as error:
            signed_in, response = False, error
        with lock:
            durations.append(time.perf_counter() - began)
            if not signed_in:
                failures.append(email)

    threads = [threading.Thread(target=learner, args=(i, e)) for i, e in enumerate(emails)]
    for thread in threads:
        thread.start()
    start_at.append(time.perf_counter() + 0.5)
    ready.wait()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start_at[0], sorted(durations), len(failures)


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(method: str, url: str, args) -> float:
    secret = secrets.token_urlsafe(32)
    emails = prepare(url, args.users, method, secret)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=secret, PUBLIC_URL=PUBLIC_URL,
               RATELIMIT_ENABLED="false", BENCH_HASH_METHOD=method,
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "bench")]))
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "120", "storm_wsgi:app"],
        cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, server, timeout=180)
        total, durations, failures = storm(port, emails, args.spread)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"  {method:<9} last learner in after {total:5.2f} s; one sign-in: median "
          f"{percentile(durations, 0.5):.2f} s, p99 {percentile(durations, 0.99):.2f} s; "
          f"{failures} failed")
    if failures:
        raise SystemExit(f"{failures} sign-ins failed with {method}")
    return total


STORM_GOAL_S = 5.0  # the goal for 100 sign-ins within a second on this machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--spread", type=float, default=1.0,
                        help="seconds over which the sign-ins are submitted")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="postgresql://127.0.0.1/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = (args.postgres_url if args.database == "postgres"
               else f"sqlite:///{Path(folder) / 'storm.sqlite'}")
        print(f"{args.users} sign-ins within {args.spread:g} s on gunicorn, {args.workers} "
              f"sync workers, {args.database}, {os.cpu_count()} cores, load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        argon2 = run("argon2id", url, args)
        scrypt = run("scrypt", url, args)
        print(f"  argon2id / scrypt time until the last learner is in: {argon2 / scrypt:.2f}")
        verdict = "within" if argon2 <= STORM_GOAL_S else "NOT within"
        print(f"  argon2id: {argon2 / STORM_GOAL_S:.2f}x the {STORM_GOAL_S:g} s goal, {verdict} it")


if __name__ == "__main__":
    main()
