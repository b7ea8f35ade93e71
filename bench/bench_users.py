"""Time the admin's users page search on a country-sized list of accounts.

Run: .venv/bin/python bench/bench_users.py [--postgres URL] [--users 100000]

Generates accounts with Lithuanian names (diacritics included) across the 60
municipalities, inserted in bulk (COPY on PostgreSQL, executemany on SQLite), then
times, as the median of several runs, the users page's query (`admin.users.user_rows`):
a search typed without diacritics ("zydrune"), the same search with a municipality
filter, the first page sorted by creation, and a page deep in the list (by keyset).
Each figure is also given as a ratio to one `SELECT count(*) FROM "user"` in the same
run, the goal the issue sets; and the whole page (`GET /admin/users?q=…`) is timed
through the test client. With --postgres the given database is EMPTIED first.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reports import _copy  # noqa: E402
from benchdb import fresh_database  # noqa: E402
from sqlalchemy import text  # noqa: E402

from elearn.admin.users import UserQuery, user_rows  # noqa: E402
from elearn.auth import services as accounts  # noqa: E402
from elearn.auth.models import Role, search_key  # noqa: E402
from elearn.extensions import db  # noqa: E402

RUNS = 7
PASSWORD = "bench password that is long enough"  # noqa: S105  (a throwaway database)
FIRST = ("Žydrūnė", "Ona", "Rūta", "Aistė", "Jonas", "Tomas", "Eglė", "Gintarė", "Šarūnas",
         "Laura", "Vaida", "Kęstutis", "Dovilė", "Mantas", "Ieva", "Agnė", "Rasa", "Saulius")
LAST = ("Petraitytė", "Kazlauskienė", "Jankauskas", "Žukauskaitė", "Vasiliauskas",
        "Butkutė", "Paulauskienė", "Urbonas", "Navickaitė", "Šimkus", "Stankevičienė",
        "Balčiūnas", "Grigaitė", "Mockus", "Lukošienė", "Čepulis")
PROFESSIONS = ("social_worker", "police_officer", "teacher", "health_specialist",
               "ngo_worker", "other")


def median_s(fn, runs: int = RUNS) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def generate(n: int, seed: int = 13) -> None:
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    codes = sorted(c for (c,) in db.session.execute(text("SELECT code FROM municipality")))
    rows = []
    for uid in range(1, n + 1):
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        email = f"user{uid}@bench.example.lt"
        created = now - timedelta(minutes=rnd.randrange(2_000_000))
        rows.append((uid, email, name, None, rnd.choice(codes), f"Workplace {rnd.randrange(40)}",
                     rnd.choice(PROFESSIONS), "lt", Role.LEARNER.value, rnd.random() > 0.05,
                     secrets.token_hex(16), created, created, search_key(f"{name} {email}")))
    conn = db.session.connection()
    _copy(conn, "user", ["id", "email", "full_name", "password_hash", "municipality_code",
                         "workplace", "profession", "locale", "role", "active",
                         "session_token", "created_at", "municipality_confirmed_at",
                         "search_text"], rows)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT setval(pg_get_serial_sequence('user', 'id'), :n)"), {"n": n})
    db.session.commit()
    with db.engine.connect() as analyse:
        analyse.execute(text("ANALYZE"))
        analyse.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to EMPTY and use")
    parser.add_argument("--users", type=int, default=100_000)
    args = parser.parse_args()
    with fresh_database(args.postgres) as app:
        generate(args.users)
        admin = accounts.create_user(email="admin@bench.example.lt", full_name="Admin",
                                     password=PASSWORD, municipality_code=None)
        accounts.set_role(admin, Role.ADMIN)
        db.session.commit()
        report(app, args.users, db.engine.dialect.name)


def report(app, users: int, database: str) -> None:
    def count() -> None:
        db.session.execute(text('SELECT count(*) FROM "user"')).scalar()

    baseline = median_s(count)
    _rows, cursor = user_rows(UserQuery(sort="created"))
    deep = UserQuery(sort="created", after=cursor or "")
    for _ in range(20):  # twenty pages in
        _rows, following = user_rows(deep)
        if following is None:
            break
        deep = UserQuery(sort="created", after=following)
    cases = {
        'search "zydrune"': UserQuery(q="zydrune"),
        'search "zydrune petraityte" in LT-57': UserQuery(q="zydrune petraityte",
                                                          municipality="LT-57"),
        "first page, newest first": UserQuery(sort="created", descending=True),
        "page 21 by keyset": deep,
    }
    print(f"{database}, {users:,} accounts; baseline count(*): {baseline * 1000:.1f} ms")
    for label, query in cases.items():
        seconds = median_s(lambda q=query: user_rows(q))
        print(f"  {label:40} {seconds * 1000:8.1f} ms  {seconds / baseline:5.1f}x count(*)")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.post("/account/login", data={"email": "admin@bench.example.lt",
                                               "password": PASSWORD}).status_code == 302
    page = median_s(lambda: client.get("/admin/users?q=zydrune"), runs=5)
    print(f"  {'GET /admin/users?q=zydrune (whole page)':40} {page * 1000:8.1f} ms  "
          f"{page / baseline:5.1f}x count(*)")


if __name__ == "__main__":
    main()
