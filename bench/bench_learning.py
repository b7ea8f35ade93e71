"""Lesson pages and quiz submissions under gunicorn, against a bare Flask page.

Run: .venv/bin/python bench/bench_learning.py [--postgres URL] [--workers 3]
         [--clients 8] [--seconds 10]

Builds a fresh database (a temporary SQLite file; with --postgres also the given
PostgreSQL database, which is EMPTIED first), publishes the shipped courses/,
creates one learner per client, and starts gunicorn on 127.0.0.1 with the app
from bench/learning_wsgi.py. Each scenario runs for --seconds with --clients
concurrent signed-in clients:

  bare        GET /bench/bare: the same app and server, no database, no user
  lesson      GET a lesson page (reads the course and the learner's progress)
  submission  POST the answers of a quiz attempt started beforehand (timed alone)
  quiz round  POST "Start the quiz", GET the quiz page, then POST the answers

Submissions need started attempts, one open attempt per learner and quiz module. So
an untimed preparation first signs in --learners more learners and, through the real
pages (POST "Start the quiz", GET the quiz page), starts attempts of every quiz module
of the shipped courses for them: enough for 0.4x the bare page's rate for --seconds.
Then only the POSTs of the answers are timed, learners interleaved so that concurrent
submissions are different learners'; the scenario ends at --seconds or when the
started attempts run out (the rate is over the time it really ran). The bare page is
measured again right before the submissions, and that figure is their baseline.

It prints requests per second, median and 95th-percentile latency, each scenario's
ratio to the bare page, and whether the goals are met (lesson >= 0.5x, submission
>= 0.25x). The courses' attempt limits are lifted in the benchmark database so that
failed attempts never start a cool-down.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import math
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench horse battery staple"  # noqa: S105
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def empty_database(engine) -> None:
    from sqlalchemy import MetaData, text

    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            meta = MetaData()
            meta.reflect(bind=conn)
            meta.drop_all(bind=conn)


GOALS = {"lesson page": 0.5, "quiz submission": 0.25}


def prepare_database(url: str, clients: int, secret: str):
    """Migrate, publish the shipped courses and create the learners.

    Returns the (course, module) pairs of every lesson, and of every module with a quiz.
    """
    from flask_migrate import upgrade
    from sqlalchemy import select, update

    from elearn import create_app
    from elearn.auth import services as accounts
    from elearn.extensions import db
    from elearn.municipalities import load_municipalities
    from elearn.publishing.models import Course, CourseVersion, Module
    from elearn.publishing.services import sync_courses

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "COURSES_DIR": str(ROOT / "courses"),
                      "SECRET_KEY": secret, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "PUBLIC_URL": "http://127.0.0.1"})
    with app.app_context():
        empty_database(db.engine)
        upgrade(directory=str(ROOT / "migrations"))
        load_municipalities("LT")
        report = sync_courses(ROOT / "courses")
        db.session.execute(update(CourseVersion).values(attempts=0))
        for n in range(clients):  # the clients' learners, then the submitting ones
            accounts.create_user(email=f"learner{n}@bench.example.lt", full_name=f"Learner {n}",
                                 password=PASSWORD, municipality_code="LT-57", locale="en")
        db.session.commit()
        # Only courses offered in this deployment's country (a Latvian course is a 404 here).
        offered = [v.course_id for v in db.session.scalars(
            select(CourseVersion).join(Course, Course.live_version_id == CourseVersion.id))
            if v.offered_in(app.config["COUNTRY"])]
        lessons = db.session.execute(
            select(Course.id, Module.key)
            .join(Module, Module.version_id == Course.live_version_id)
            .where(Course.id.in_(offered))
            .order_by(Course.id, Module.position)
        ).all()
        quizzes = db.session.execute(
            select(Course.id, Module.key)
            .join(Module, Module.version_id == Course.live_version_id)
            .where(Module.question_count > 0, Course.id.in_(offered))
            .order_by(Course.id, Module.position)
        ).all()
        db.engine.dispose()
    print(f"  published: {', '.join(report.published) or '-'}"
          + (f"; refused: {', '.join(report.refused)}" if report.refused else ""))
    return [tuple(r) for r in lessons], [tuple(r) for r in quizzes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One signed-in browser: a session cookie and plain HTTP/1.1 requests to loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None
                ) -> tuple[int, str, dict[str, str], float]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept-Language": "en"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - started
        cookie = response.getheader("Set-Cookie")
        if cookie and cookie.startswith("session="):
            self.cookie = cookie.split(";", 1)[0]
        connection.close()
        return response.status, text, dict(response.getheaders()), elapsed

    def login(self, email: str) -> None:
        _, page, _, _ = self.request("GET", "/account/login")
        token = CSRF.search(page).group(1)
        status, _, _, _ = self.request("POST", "/account/login", {
            "email": email, "password": PASSWORD, "csrf_token": token})
        assert status == 302, f"login failed for {email}: {status}"


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def add(self, status: int, seconds: float, ok=(200, 303)) -> None:
        if status in ok:
            self.latencies.append(seconds)
        else:
            self.errors += 1


def run_scenario(clients: list[Client], seconds: float, step) -> dict[str, Samples]:
    """Every client repeats step(client, i, samples) until the time is up."""
    results: list[dict[str, Samples]] = [{} for _ in clients]
    deadline = time.perf_counter() + seconds
    barrier = threading.Barrier(len(clients))

    def loop(index: int) -> None:
        samples = results[index]
        barrier.wait()
        i = 0
        while time.perf_counter() < deadline:
            step(clients[index], index, i, samples)
            i += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged: dict[str, Samples] = {}
    for samples in results:
        for name, part in samples.items():
            target = merged.setdefault(name, Samples())
            target.latencies += part.latencies
            target.errors += part.errors
    return merged


def bare_step(client: Client, index: int, i: int, samples: dict[str, Samples]) -> None:
    status, _, _, elapsed = client.request("GET", "/bench/bare")
    samples.setdefault("bare page", Samples()).add(status, elapsed)


def lesson_step(lessons):
    def step(client: Client, index: int, i: int, samples: dict[str, Samples]) -> None:
        course_id, key = lessons[(index + i) % len(lessons)]
        status, _, _, elapsed = client.request("GET", f"/learn/{course_id}/{key}")
        samples.setdefault("lesson page", Samples()).add(status, elapsed)

    return step


def quiz_step(quizzes):
    def step(client: Client, index: int, i: int, samples: dict[str, Samples]) -> None:
        course_id, key = quizzes[(index + i) % len(quizzes)]
        path = f"/learn/{course_id}/{key}/quiz"
        status, page, _, _ = client.request("GET", path)
        if status != 200 or 'name="attempt"' not in page:  # not started yet: start it
            status, _, _, elapsed = client.request(
                "POST", path + "/start", {"csrf_token": CSRF.search(page).group(1)})
            samples.setdefault("quiz start (POST)", Samples()).add(status, elapsed)
            status, page, _, elapsed = client.request("GET", path)
        samples.setdefault("quiz page (started)", Samples()).add(status, elapsed)
        if status != 200:
            return
        form = {"csrf_token": CSRF.search(page).group(1),
                "attempt": re.search(r'name="attempt" value="(\d+)"', page).group(1)}
        for name in sorted(set(re.findall(r'name="(q-\d+)"', page))):
            form[name] = "0"  # the first option shown: right or wrong, at random
        status, _, _, elapsed = client.request("POST", path, form)
        samples.setdefault("quiz submission (POST)", Samples()).add(status, elapsed)

    return step


def start_attempts(port: int, learners: list[str], quizzes, wanted: int, threads: int
                   ) -> list[tuple[Client, str, dict]]:
    """Untimed: sign the learners in and start attempts of the quiz modules through the
    pages until `wanted` are started. Returns (client, path, answers form) in an order
    where neighbours are different learners' attempts."""
    per_learner: dict[int, list] = collections.defaultdict(list)
    jobs = [(n, module) for module in quizzes for n in range(len(learners))]
    jobs = jobs[:wanted]
    clients = [Client(port) for _ in learners]
    lock = threading.Lock()
    signed_in: set[int] = set()

    def work(part) -> None:
        for n, (course_id, key) in part:
            client = clients[n]
            with lock:
                first = n not in signed_in
                signed_in.add(n)
            if first:
                client.login(learners[n])
            path = f"/learn/{course_id}/{key}/quiz"
            status, page, _, _ = client.request("GET", path)
            assert status == 200, (path, status)
            if 'name="attempt"' not in page:
                status, _, _, _ = client.request(
                    "POST", path + "/start", {"csrf_token": CSRF.search(page).group(1)})
                assert status == 303, (path, status)
                status, page, _, _ = client.request("GET", path)
                assert status == 200 and 'name="attempt"' in page, (path, status)
            form = {"csrf_token": CSRF.search(page).group(1),
                    "attempt": re.search(r'name="attempt" value="(\d+)"', page).group(1)}
            for name in sorted(set(re.findall(r'name="(q-\d+)"', page))):
                form[name] = "0"  # the first option shown: right or wrong, at random
            per_learner[n].append((client, path, form))

    # A learner's attempts stay in one thread: her sign-in comes before her starts.
    parts = [[job for job in jobs if job[0] % threads == t] for t in range(threads)]
    workers = [threading.Thread(target=work, args=(part,)) for part in parts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue = []
    for round_ in range(max((len(v) for v in per_learner.values()), default=0)):
        queue += [items[round_] for _n, items in sorted(per_learner.items())
                  if round_ < len(items)]
    return queue


def run_submissions(queue: list, threads: int, seconds: float) -> tuple[Samples, float]:
    """Timed: POST the prepared answers until the time is up or the attempts run out.
    Returns the samples and the seconds the scenario really ran."""
    pending = collections.deque(queue)
    barrier = threading.Barrier(threads + 1)
    results = [Samples() for _ in range(threads)]
    deadline: list[float] = []

    def loop(index: int) -> None:
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            try:
                client, path, form = pending.popleft()
            except IndexError:
                return
            status, _, _, elapsed = client.request("POST", path, form)
            results[index].add(status, elapsed, ok=(303,))

    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    started = time.perf_counter()
    deadline.append(started + seconds)
    barrier.wait()
    for worker in workers:
        worker.join()
    ran = time.perf_counter() - started
    merged = Samples()
    for part in results:
        merged.latencies += part.latencies
        merged.errors += part.errors
    return merged, ran


def describe(name: str, samples: Samples, seconds: float) -> tuple[float, float, float]:
    lat = sorted(samples.latencies)
    rate = len(lat) / seconds
    median = statistics.median(lat) * 1000 if lat else float("nan")
    p95 = lat[int(0.95 * (len(lat) - 1))] * 1000 if lat else float("nan")
    print(f"  {name:<26} {rate:9.1f} {median:11.1f} {p95:9.1f} {samples.errors:7d}")
    return rate, median, p95


def bench(url: str, label: str, args) -> None:
    print(f"\n{label}: {args.workers} gunicorn workers, {args.clients} clients, "
          f"{args.seconds:g} s per scenario")
    secret = secrets.token_urlsafe(32)
    lessons, quizzes = prepare_database(url, args.clients + args.learners, secret)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=secret, PUBLIC_URL="http://127.0.0.1",
               RATELIMIT_ENABLED="0", COURSES_DIR=str(ROOT / "courses"),
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "bench")]))
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "learning_wsgi:app"],
        cwd=str(ROOT), env=env,
    )
    try:
        wait_until_up(port, server)
        clients = [Client(port) for _ in range(args.clients)]
        for n, client in enumerate(clients):
            client.login(f"learner{n}@bench.example.lt")
        run_scenario(clients, 1.0, lesson_step(lessons))  # warm up every worker
        print(f"  {'scenario':<26} {'req/s':>9} {'median ms':>11} {'p95 ms':>9} {'errors':>7}")
        figures = {}
        for step in (bare_step, lesson_step(lessons)):
            for name, samples in run_scenario(clients, args.seconds, step).items():
                figures[name] = describe(name, samples, args.seconds)
        # Submissions alone: attempts started beforehand (untimed), then only the POSTs.
        wanted = max(100, min(args.max_attempts,
                              math.ceil(0.4 * figures["bare page"][0] * args.seconds)))
        learners = [f"learner{n}@bench.example.lt"
                    for n in range(args.clients, args.clients + args.learners)]
        began = time.perf_counter()
        queue = start_attempts(port, learners, quizzes, wanted, args.clients)
        print(f"  (untimed: {len(queue)} attempts started by {len(learners)} learners in "
              f"{len(quizzes)} quiz modules, {time.perf_counter() - began:.0f} s)")
        for name, samples in run_scenario(clients, args.seconds, bare_step).items():
            figures["bare page, again"] = describe(name + ", again", samples, args.seconds)
        samples, ran = run_submissions(queue, args.clients, args.seconds)
        figures["quiz submission"] = describe("quiz submission (POST)", samples, ran)
        if ran < args.seconds - 0.5:
            print(f"  (the started attempts ran out after {ran:.1f} s)")
        rounds = run_scenario(clients, args.seconds, quiz_step(quizzes))
        figures["quiz round"] = describe("whole quiz round", rounds["quiz submission (POST)"],
                                         args.seconds)
        summarize(label, figures)
    finally:
        server.terminate()
        server.wait(timeout=30)


def summarize(label: str, figures: dict) -> None:
    """Rates, ratios to the bare page measured before each, and the goals."""
    print(f"  {label} summary:")
    bare, bare_again = figures["bare page"][0], figures["bare page, again"][0]
    print(f"    bare page        {bare:8.1f} req/s (again before the submissions: "
          f"{bare_again:.1f})")
    for name, baseline in (("lesson page", bare), ("quiz submission", bare_again),
                           ("quiz round", bare_again)):
        rate = figures[name][0]
        ratio = rate / baseline if baseline else float("nan")
        goal = GOALS.get(name)
        verdict = (f"goal >= {goal}x: {'MET' if ratio >= goal else 'MISSED'}" if goal
                   else "start, page and submission together; no goal")
        unit = "rounds/s" if name == "quiz round" else "req/s"
        print(f"    {name:<16} {rate:8.1f} {unit:<8} {ratio:6.3f}x the bare page  ({verdict})")


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL",
                        help="also run on this PostgreSQL database (it is emptied first)")
    parser.add_argument("--workers", type=int, default=3, choices=range(2, 5))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--learners", type=int, default=400,
                        help="learners who submit (each starts one attempt per quiz module)")
    parser.add_argument("--max-attempts", type=int, default=6000,
                        help="at most this many attempts started for the submissions")
    args = parser.parse_args()
    args.seconds = max(1.0, min(args.seconds, 20.0))  # bounded: at most 20 s a scenario
    with tempfile.TemporaryDirectory(prefix="bench-learning-") as folder:
        bench("sqlite:///" + str(Path(folder) / "bench.sqlite"), "SQLite", args)
    if args.postgres:
        bench(args.postgres, "PostgreSQL", args)


if __name__ == "__main__":
    main()
