"""Load: simulated learners reading lessons and submitting quizzes on gunicorn.

Run: .venv/bin/python bench/load.py [--database sqlite|postgres|both] [--users 100]
         [--seconds 60] [--workers 4] [--postgres-url URL] [--ratio-seconds 10]

WARNING: with --database postgres or both, the PostgreSQL database at --postgres-url
(default postgresql://127.0.0.1/test) is WIPED: its public schema is dropped and
recreated. SQLite runs use a new file in a temporary folder.

For each database: migrate a fresh schema, load the municipalities, publish the
shipped courses/ (their attempt limits lifted, as in bench_learning.py, so failed
attempts never lock a learner out), and create --users learners sharing one known
password hashed with the application's own method (scrypt: every sign-in costs what
it costs in production). gunicorn then serves bench/learning_wsgi.py (the app plus a
bare /bench/bare page) with --workers sync workers on 127.0.0.1, with
RATELIMIT_ENABLED=false (unless --rate-limits): all learners come from one address,
which the per-address limits were not made for.

A second process (bench/load_clients.py) runs one thread per learner: every learner
signs in, then for --seconds reads a random lesson, opens a quiz, answers at random,
submits and follows the redirect to the result, without pausing in between (a
stress: a real learner reads for minutes, so these 100 weigh like thousands). Then
the same learners fetch only the bare page, and only lesson pages, for
--ratio-seconds each (in alternating slices): the lesson page's throughput as a
ratio to the bare page's, same server and configuration.

Afterwards the database must hold every attempt a client saw accepted exactly once,
submitted, as that learner's; and the learners' module progress must count as many
attempts as were submitted. Exits 1 on any request error or any such discrepancy.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench_learning import PASSWORD, ROOT, free_port, prepare_database, wait_until_up
from load_clients import Phase, Report, Row, Submission, run_clients

POSTGRES_URL = "postgresql://127.0.0.1/test"
EXCEPTION_LINE = re.compile(r"^[\w.]+(?:Error|Exception): .*$", re.MULTILINE)
CLIENT_TIMEOUT = 30  # seconds: bench_learning.Client's timeout for one request
PUBLIC_URL = "http://127.0.0.1"  # production refuses to start without one


def app_config(url: str, secret: str) -> dict[str, str]:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret, "PUBLIC_URL": PUBLIC_URL}


def add_learners(url: str, users: int, secret: str) -> list[str]:
    """Create the learners in one transaction; their e-mail addresses."""
    from elearn import create_app
    from elearn.auth import services as accounts
    from elearn.auth.passwords import hash_password
    from elearn.extensions import db

    app = create_app(app_config(url, secret))
    emails = [f"learner{n}@load.example.lt" for n in range(users)]
    with app.app_context():
        shared_hash = hash_password(PASSWORD)  # the app's method; one hash fits all
        for n, email in enumerate(emails):
            user = accounts.create_user(email=email, full_name=f"Learner {n}", password=None,
                                        municipality_code="LT-13", locale="lt")
            user.password_hash = shared_hash
        db.session.commit()
        db.engine.dispose()
    return emails


def check_attempts(url: str, secret: str, submitted: list[Submission]) -> tuple[str, bool]:
    """Every attempt a client saw accepted is in the database once, submitted, its own."""
    from sqlalchemy import func, select

    from elearn import create_app
    from elearn.auth.models import User
    from elearn.extensions import db
    from elearn.learning.models import Attempt, ModuleProgress

    app = create_app(app_config(url, secret))
    with app.app_context():
        user_ids = dict(db.session.execute(select(User.email, User.id)).all())
        rows = db.session.execute(
            select(Attempt.id, Attempt.user_id, Attempt.course_id, Attempt.module_key,
                   Attempt.submitted_at.is_not(None))
        ).all()
        counted = db.session.scalar(select(func.coalesce(func.sum(ModuleProgress.attempt_count),
                                                         0)))
        db.engine.dispose()
    by_id = Counter(row[0] for row in rows)
    stored = {row[0]: row for row in rows}
    claims = Counter(s.attempt_id for s in submitted)
    claimed_twice = sum(1 for n in claims.values() if n > 1)
    missing = not_once = still_open = not_theirs = 0
    for s in submitted:
        row = stored.get(s.attempt_id)
        if row is None:
            missing += 1
            continue
        not_once += by_id[s.attempt_id] != 1
        still_open += not row[4]
        not_theirs += row[1:4] != (user_ids.get(s.email), s.course_id, s.module_key)
    in_database = sum(1 for row in rows if row[4])
    unacknowledged = sum(1 for row in rows if row[4] and row[0] not in claims)
    ok = bool(submitted) and not (claimed_twice or missing or not_once or still_open or not_theirs
              or unacknowledged or counted != in_database)
    text = (f"{len(submitted)} submissions accepted (303 to their result), "
            f"{len(submitted) - missing - not_once - still_open - not_theirs} found exactly "
            f"once, submitted, the learner's own; missing {missing}, more than once {not_once}, "
            f"still open {still_open}, someone else's {not_theirs}, accepted twice "
            f"{claimed_twice}; submitted without the client knowing {unacknowledged}; "
            f"{in_database} submitted in the database, module progress counts {counted}"
            f" -> {'OK' if ok else 'FAILED'}"
            + ("" if submitted else " (nothing submitted: too short a run to tell)"))
    return text, ok


def percentile(ordered: list[float], share: float) -> float:
    """Nearest rank, in milliseconds."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] * 1000


def rate(phase: Phase, row: Row) -> float:
    return len(row.latencies) / phase.seconds if phase.seconds else 0.0


def print_table(report: Report) -> int:
    """The figures of each phase; returns the number of failed requests."""
    print("  req/s and latencies count successful requests; errors: status >= 500, "
          "connection errors, unexpected statuses")
    print(f"  {'phase':<9} {'request':<20} {'requests':>8} {'req/s':>7} {'median ms':>9} "
          f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    errors = 0
    for phase in report.phases:
        rows = dict(phase.rows)
        if len(rows) > 1:
            everything = Row()
            for row in rows.values():
                everything.merge(row)
            rows["all"] = everything
        for name, row in rows.items():
            ordered = sorted(row.latencies)
            failed = sum(row.errors.values())
            errors += failed if name != "all" else 0
            print(f"  {phase.name:<9} {name:<20} {row.requests:8d} {rate(phase, row):7.1f} "
                  f"{percentile(ordered, 0.5):9.1f} {percentile(ordered, 0.95):8.1f} "
                  f"{percentile(ordered, 0.99):8.1f} {failed:6d}")
        print(f"  {'':<9} ({phase.seconds:.1f} s)")
    kinds = Counter[str]()
    for phase in report.phases:
        for name, row in phase.rows.items():
            kinds.update({f"{phase.name} / {name}: {kind}": n for kind, n in row.errors.items()})
    for kind, n in kinds.most_common():
        print(f"  error  {kind} x{n}")
    return errors


def server_log_summary(log: Path) -> str:
    """How often gunicorn's log mentions the failures that matter, and the commonest
    exception lines (the app logs database errors with their traceback)."""
    text = log.read_text(errors="replace")
    counts = {"database is locked": text.count("database is locked"),
              "tracebacks": text.count("Traceback (most recent call last)"),
              "worker timeouts": text.count("WORKER TIMEOUT")}
    summary = ", ".join(f"{name} {n}" for name, n in counts.items())
    exceptions = Counter(m.group(0)[:160] for m in EXCEPTION_LINE.finditer(text))
    return summary + "".join(f"\n    {n} x {line}" for line, n in exceptions.most_common(5))


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def run(label: str, url: str, args: argparse.Namespace, folder: Path) -> bool:
    print(f"\n{label}: gunicorn {args.workers} sync workers, {args.users} learners, "
          f"{args.seconds:g} s, then {args.ratio_seconds:g} s bare + {args.ratio_seconds:g} s "
          f"lesson; {os.cpu_count()} cores, load average {load_average()}")
    secret = secrets.token_urlsafe(32)
    started = time.perf_counter()
    lessons, quizzes = prepare_database(url, 0, secret)
    emails = add_learners(url, args.users, secret)
    print(f"  set-up {time.perf_counter() - started:.1f} s: {len(lessons)} lessons, "
          f"{len(quizzes)} quizzes, {len(emails)} learners (scrypt passwords); "
          + ("rate limits ON" if args.rate_limits else
             "rate limits OFF (RATELIMIT_ENABLED=false: one client address for all)"))
    port = free_port()
    log = folder / f"gunicorn-{label.lower()}.log"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=secret, PUBLIC_URL=PUBLIC_URL,
               RATELIMIT_ENABLED=str(args.rate_limits).lower(), COURSES_DIR=str(ROOT / "courses"),
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "bench")]))
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(gunicorn), "--workers", str(args.workers), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "learning_wsgi:app"],
            cwd=str(ROOT), env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(port, server)
            bound = 2 * CLIENT_TIMEOUT + args.seconds + 2 * args.ratio_seconds \
                + 3 * CLIENT_TIMEOUT + 60
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                report = pool.submit(run_clients, port, emails, lessons, quizzes, args.seconds,
                                     args.ratio_seconds).result(timeout=bound)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    errors = print_table(report)
    by_phase = {phase.name: phase for phase in report.phases}
    if "bare" in by_phase and "lesson" in by_phase:
        bare = rate(by_phase["bare"], by_phase["bare"].rows.get("bare page (GET)", Row()))
        lesson = rate(by_phase["lesson"], by_phase["lesson"].rows.get("lesson page (GET)", Row()))
        print(f"  lesson / bare throughput: {lesson:.1f} / {bare:.1f} req/s = "
              f"{lesson / bare if bare else math.nan:.3f}")
    print(f"  signed in: {report.learners_signed_in} of {len(emails)} learners; client process "
          f"CPU {report.cpu_seconds:.1f} s in {report.wall_seconds:.1f} s")
    exactly_once, ok = check_attempts(url, secret, report.submitted)
    print(f"  exactly once: {exactly_once}")
    print(f"  server log: {server_log_summary(log)}; load average after {load_average()}")
    return ok and errors == 0 and report.learners_signed_in == len(emails)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL,
                        help="PostgreSQL database to WIPE and use (default %(default)s)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--ratio-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate-limits", action="store_true",
                        help="leave the application's rate limits on")
    args = parser.parse_args()
    if not (1 <= args.users <= 500 and 1 <= args.workers <= 16
            and 1 <= args.seconds <= 600 and 1 <= args.ratio_seconds <= 60):
        parser.error("keep to 1-500 users, 1-16 workers, 1-600 s and 1-60 s ratio phases")
    passed = True
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        if args.database in ("sqlite", "both"):
            url = "sqlite:///" + str(Path(folder) / "load.sqlite")
            passed &= run("SQLite", url, args, Path(folder))
        if args.database in ("postgres", "both"):
            passed &= run("PostgreSQL", args.postgres_url, args, Path(folder))
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
