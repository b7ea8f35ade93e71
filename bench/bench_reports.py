"""Time the supervision reports on a country-sized database.

Run: .venv/bin/python bench/bench_reports.py [--postgres URL] [--learners 100000]

Generates 100,000 learners across the 60 municipalities (5,000 of them in Vilnius
city, LT-57, and 500 in Alytus city, LT-02, whose exports' memory is compared),
10 courses, their progress (about half of the learner-course pairs started, 60% of
those completed, completions spread over 18 months), certificates for the
completions and assignments in LT-57, inserted in bulk (executemany on SQLite, COPY
on PostgreSQL). SQLite uses a fresh file in a temporary folder; with --postgres the
given database is EMPTIED first, so give it one of its own.

Each figure is the median of several runs, and is also given as a ratio to one
`SELECT count(*) FROM course_progress` in the same run. The goals: the national
overview's whole page and the dashboard's within 5x that scan, the CSV export within
25x; each goal's ratio is printed at the end, with the exports' peak memory (tracemalloc) at
5,000 and at 500 learners. The recomputation behind the national snapshot (once per
REPORTS_SNAPSHOT_MAX_AGE) is shown too.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchdb import fresh_database  # noqa: E402
from sqlalchemy import text  # noqa: E402

from elearn.auth import services as accounts  # noqa: E402
from elearn.auth.models import Role, search_key  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.national import services as national  # noqa: E402
from elearn.publishing.courses import live_courses  # noqa: E402
from elearn.publishing.models import Course, CourseVersion  # noqa: E402
from elearn.supervision import learner_table, services  # noqa: E402

BIG = "LT-57"
BIG_SIZE = 5000
SMALL = "LT-02"  # 500 learners: the export's memory is compared with BIG's
SMALL_SIZE = 500
COURSES = 10
RUNS = 7
PASSWORD = "bench password that is long enough"  # noqa: S105  (a throwaway database)
PROFESSIONS = ("social_worker", "police_officer", "teacher", "health_specialist",
               "ngo_worker", "other")


def median_s(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # warm caches and the statement cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _copy(conn, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany elsewhere."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(
            f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
        ) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        insert = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'  # noqa: S608
        raw.executemany(insert, ([_sqlite(v) for v in row] for row in rows))


def _sqlite(value):
    """Values as SQLAlchemy stores them in SQLite: UTC timestamps without an offset."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def generate(learners: int, seed: int = 6) -> dict[str, int]:
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    codes = sorted(c for (c,) in db.session.execute(text("SELECT code FROM municipality")))
    others = [c for c in codes if c not in (BIG, SMALL)]
    course_ids = [f"course-{n:02d}" for n in range(COURSES)]
    version_ids: dict[str, int] = {}
    for n, course_id in enumerate(course_ids):
        course = Course(id=course_id)
        version = CourseVersion(
            course_id=course_id, content_hash="0" * 64, languages=["lt", "en"],
            title={"lt": f"Kursas {n}", "en": f"Course {n}"}, summary={"lt": "-", "en": "-"},
            hours=2.0, pass_mark=80, attempts=3, published=True, catalogue_order=n,
            module_count=6, total_minutes=60,
        )
        db.session.add_all([course, version])
        db.session.flush()
        course.live_version = version
        version_ids[course_id] = version.id
    db.session.commit()
    conn = db.session.connection()
    users, progress, certificates, assignments = [], [], [], []
    for uid in range(1, learners + 1):
        code = (BIG if uid <= BIG_SIZE else SMALL if uid <= BIG_SIZE + SMALL_SIZE
                else rnd.choice(others))
        email, name = f"learner{uid}@bench.example.lt", f"Learner {uid:06d}"
        users.append((uid, email, name, None, code,
                      f"Workplace {rnd.randrange(40)}", rnd.choice(PROFESSIONS), "lt",
                      Role.LEARNER.value, True, secrets.token_hex(16), now, now,
                      search_key(f"{name} {email}")))
        for course_id in course_ids:
            if rnd.random() < 0.5:
                continue
            started = now - timedelta(days=rnd.randrange(540))
            completed = rnd.random() < 0.6
            finished = started + timedelta(days=rnd.randrange(30)) if completed else None
            if finished and finished > now:
                finished = now
            progress.append((uid, course_id, "completed" if completed else "in_progress", 1,
                             6 if completed else rnd.randrange(6), 6, started,
                             finished or started, finished))
            if completed:
                issued = finished.date()
                certificates.append((secrets.token_hex(16), secrets.token_hex(6), uid, course_id,
                                     version_ids[course_id], f"Learner {uid:06d}", course_id,
                                     "lt", 2.0, "0" * 64, code, "", issued,
                                     issued + timedelta(days=730), now))
        if uid <= BIG_SIZE and rnd.random() < 0.7:
            due = date.today() + timedelta(days=rnd.randrange(-30, 60))
            assignments.append((uid, course_ids[0], due, now))
    _copy(conn, "user", ["id", "email", "full_name", "password_hash", "municipality_code",
                         "workplace", "profession", "locale", "role", "active",
                         "session_token", "created_at", "municipality_confirmed_at",
                         "search_text"], users)
    _copy(conn, "course_progress", ["user_id", "course_id", "status", "take", "modules_done",
                                    "module_total", "started_at", "last_activity_at",
                                    "completed_at"], progress)
    _copy(conn, "certificate", ["code", "verification_code", "user_id", "course_id",
                                "version_id", "full_name", "course_title", "lang", "hours",
                                "content_hash", "municipality_code", "municipality_name",
                                "issued_on", "expires_on", "created_at"], certificates)
    _copy(conn, "assignment", ["user_id", "course_id", "due_on", "created_at"], assignments)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT setval(pg_get_serial_sequence('user', 'id'), :n)"),
                     {"n": learners})
    db.session.commit()
    # Fresh statistics, as a running database has; on PostgreSQL also the visibility map
    # that autovacuum keeps, without which no index-only scan skips the table.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as analyse:
        analyse.execute(text("VACUUM ANALYZE" if conn.dialect.name == "postgresql"
                             else "ANALYZE"))
    return {"learners": learners, "progress rows": len(progress),
            "certificates": len(certificates), "assignments": len(assignments)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to EMPTY and use")
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--only", metavar="TEXT", default="",
                        help="time only the figures whose label contains TEXT (and the scan), "
                             "e.g. --only dashboard")
    args = parser.parse_args()
    with fresh_database(args.postgres) as app:
        start = time.perf_counter()
        sizes = generate(args.learners)
        generated_s = time.perf_counter() - start
        admin = accounts.create_user(email="admin@bench.example.lt", full_name="Admin",
                                     password=PASSWORD, municipality_code=None)
        accounts.set_role(admin, Role.ADMIN)
        db.session.commit()
        report(app, sizes, generated_s, db.engine.dialect.name, args.only)


def report(app, sizes: dict[str, int], generated_s: float, database: str,
           only: str = "") -> None:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post("/account/login", data={"email": "admin@bench.example.lt",
                                                   "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    courses = live_courses("en")
    today = date.today()

    def scan() -> None:
        db.session.execute(text("SELECT count(*) FROM course_progress")).scalar_one()

    def national_figures() -> None:
        snap = national.snapshot(datetime.now(UTC))
        national.rates(snap.data, national.country_municipalities(), "name", False)

    def national_compute() -> None:
        national.compute(datetime.now(UTC))

    def dashboard_queries() -> None:
        services.compute_figures(BIG, [c.id for c in courses], today)
        learner_table.learner_page(BIG, learner_table.TableQuery(), courses, today)

    def dashboard_after_a_change() -> None:
        services.forget_figures()  # as after a change: the figures are counted again
        get(f"/supervision/{BIG}")()

    def get(url: str) -> Callable[[], None]:
        def do() -> None:
            with client.get(url) as response:
                assert response.status_code == 200, (url, response.status_code)
                for _piece in response.iter_encoded():  # read, as a browser would, not kept
                    pass

        return do

    def peak_memory(url: str) -> float:
        """Peak Python memory (MiB above the start) while the export is produced and read."""
        get(url)()  # warm: compiled statements and translations are not the export's cost
        tracemalloc.start()
        try:
            get(url)()
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    figures = [
        ("SELECT count(*) FROM course_progress (the unit)", scan),
        ("national overview: figures (stored snapshot)", national_figures),
        ("national overview: recomputation (GROUP BY)", national_compute),
        ("national overview: whole page, GET /national", get("/national")),
        (f"dashboard {BIG} (5,000 learners): queries", dashboard_queries),
        (f"dashboard {BIG}: whole page", get(f"/supervision/{BIG}")),
        (f"dashboard {BIG}: whole page, first after a change", dashboard_after_a_change),
        (f"CSV export {BIG}: all courses, 5,000 rows", get(f"/supervision/{BIG}/export.csv")),
        (f"XLSX export {BIG}: all courses, 5,000 rows",
         get(f"/supervision/{BIG}/export.xlsx")),
    ]
    figures = [f for n, f in enumerate(figures) if n == 0 or only in f[0]]
    print(f"{database}: " + ", ".join(f"{v:,} {k}" for k, v in sizes.items())
          + f" (generated in {generated_s:.1f} s)")
    with app.app_context():
        results = []
        for label, fn in figures:
            results.append((label, median_s(fn, 3 if "XLSX" in label else RUNS)))
            db.session.remove()
    unit = results[0][1]
    print(f"{'':52} {'median ms':>10} {'x scan':>8}")
    for label, seconds in results:
        print(f"{label:52} {seconds * 1000:10.1f} {seconds / unit:8.1f}")
    if not only or "export" in only:
        with app.app_context():
            for kind in ("csv", "xlsx"):
                big = peak_memory(f"/supervision/{BIG}/export.{kind}")
                db.session.remove()
                small = peak_memory(f"/supervision/{SMALL}/export.{kind}")
                db.session.remove()
                verdict = "within" if big - small <= 20 else "NOT within"
                print(f"{kind.upper()} export peak memory (tracemalloc): {BIG_SIZE:,} learners "
                      f"{big:.1f} MiB, {SMALL_SIZE} learners {small:.1f} MiB: "
                      f"{big - small:+.1f} MiB, {verdict} the 20 MB goal")
    timed = dict(results)
    goals = [("national overview: figures", 5, "national overview figures"),
             ("national overview: whole page", 5, "national overview whole page"),
             (f"dashboard {BIG}: whole page", 5, "dashboard whole page"),
             ("CSV export", 25, "CSV export")]
    for prefix, limit, _name in goals:
        for label, seconds in timed.items():
            if label.startswith(prefix):
                ratio = seconds / unit
                verdict = "within" if ratio <= limit else "NOT within"
                print(f"{label}: {ratio:.1f}x the scan, {verdict} the {limit}x goal")


if __name__ == "__main__":
    main()
