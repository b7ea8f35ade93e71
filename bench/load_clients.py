"""The client side of bench/load.py: simulated learners, run in a process of their own.

Each learner is a thread with its own session cookie (bench_learning.Client: plain
HTTP/1.1 to 127.0.0.1, one connection per request, as a browser without keep-alive
would reach gunicorn's sync workers). Nothing here imports the application.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench_learning import CSRF, PASSWORD, Client

OPTION = re.compile(r'<input type="(radio|checkbox)" id="[^"]*" name="(q-\d+)" value="(\d+)"')
ATTEMPT_FIELD = re.compile(r'name="attempt" value="(\d+)"')
RESULT_PATH = re.compile(r"/attempts/(\d+)$")
RATIO_SLICES = 2  # bare, lesson, bare, lesson
PAUSE_AFTER_ERROR = 0.05  # seconds: a dead server must not turn a loop into a busy loop

Lesson = tuple[str, str]  # (course id, module key)


@dataclass(frozen=True)
class Submission:
    """An attempt a client believes it submitted: the POST was answered 303 to its result."""

    email: str
    attempt_id: int
    course_id: str
    module_key: str


@dataclass
class Row:
    """One kind of request in one phase."""

    latencies: list[float] = field(default_factory=list)  # successful requests, seconds
    errors: Counter[str] = field(default_factory=Counter)  # kind of failure -> count

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def merge(self, other: Row) -> None:
        self.latencies += other.latencies
        self.errors.update(other.errors)


@dataclass
class Phase:
    name: str
    seconds: float  # wall time: from the start until the last learner stopped
    rows: dict[str, Row]


@dataclass
class Report:
    phases: list[Phase]
    submitted: list[Submission]
    learners_signed_in: int
    cpu_seconds: float  # the client process's own CPU time: is the client the bottleneck?
    wall_seconds: float


class Failed(Exception):
    """The request failed (and was counted): the learner abandons the current round."""


class Learner:
    def __init__(self, port: int, email: str, seed: int) -> None:
        self.client = Client(port)
        self.email = email
        self.rng = random.Random(seed)
        self.rows: dict[str, Row] = {}
        self.submitted: list[Submission] = []
        self.signed_in = False

    def call(self, row: str, method: str, path: str, form: dict | None = None,
             expect: int = 200) -> tuple[str, dict[str, str]]:
        """One request, counted under row: errors are connection failures and any
        status but the expected one (so every 5xx)."""
        stats = self.rows.setdefault(row, Row())
        try:
            status, text, headers, elapsed = self.client.request(method, path, form)
        except (OSError, http.client.HTTPException) as error:
            stats.errors[type(error).__name__] += 1
            raise Failed from error
        if status != expect:
            stats.errors[f"HTTP {status}"] += 1
            raise Failed
        stats.latencies.append(elapsed)
        return text, headers

    def fail(self, row: str, kind: str) -> None:
        self.rows.setdefault(row, Row()).errors[kind] += 1
        raise Failed

    def login(self, deadline: float) -> None:
        page, _ = self.call("login form (GET)", "GET", "/account/login")
        token = CSRF.search(page)
        if token is None:
            self.fail("login form (GET)", "no CSRF token")
        self.call("login (POST)", "POST", "/account/login",
                  {"email": self.email, "password": PASSWORD, "csrf_token": token.group(1)},
                  expect=302)
        self.signed_in = True

    def answers(self, page: str) -> dict[str, str | list[str]] | None:
        """The quiz form filled in at random: one radio per question, or a non-empty
        set of checkboxes; None when the page has no attempt form."""
        token, attempt = CSRF.search(page), ATTEMPT_FIELD.search(page)
        if token is None or attempt is None:
            return None
        choices: dict[str, tuple[str, list[str]]] = {}
        for kind, name, value in OPTION.findall(page):
            choices.setdefault(name, (kind, []))[1].append(value)
        form: dict[str, str | list[str]] = {"csrf_token": token.group(1),
                                            "attempt": attempt.group(1)}
        for name, (kind, values) in choices.items():
            if kind == "radio":
                form[name] = self.rng.choice(values)
            else:
                form[name] = self.rng.sample(values, self.rng.randint(1, len(values)))
        return form

    def quiz_round(self, lessons: list[Lesson], quizzes: list[Lesson], deadline: float) -> None:
        """Read a random lesson; start its module's quiz (a random module's quiz when the
        lesson has none); submit random answers; follow the redirect to the result."""
        course_id, key = self.rng.choice(lessons)
        self.call("lesson (GET)", "GET", f"/learn/{course_id}/{key}")
        if (course_id, key) not in quizzes:
            course_id, key = self.rng.choice(quizzes)
        path = f"/learn/{course_id}/{key}/quiz"
        if time.perf_counter() >= deadline:
            return
        page, _ = self.call("quiz page (GET)", "GET", path)
        if 'name="attempt"' not in page:  # no attempt open: "Start the quiz" (a POST)
            token = CSRF.search(page)
            if token is None:
                self.fail("quiz page (GET)", "no CSRF token")
            self.call("quiz start (POST)", "POST", path + "/start",
                      {"csrf_token": token.group(1)}, expect=303)
            page, _ = self.call("quiz page (GET)", "GET", path)
        form = self.answers(page)
        if form is None:
            self.fail("quiz page (GET)", "no attempt form")
        if time.perf_counter() >= deadline:
            return  # the attempt stays open, as when a learner closes the tab
        _, headers = self.call("quiz submit (POST)", "POST", path, form, expect=303)
        result = RESULT_PATH.search(urlsplit(headers.get("Location", "")).path)
        if result is None or result.group(1) != form["attempt"]:
            self.fail("quiz submit (POST)", "redirect to another page")
        attempt_id = int(result.group(1))
        self.submitted.append(Submission(self.email, attempt_id, course_id, key))
        if time.perf_counter() < deadline:
            self.call("result page (GET)", "GET", f"/learn/{course_id}/{key}/attempts/{attempt_id}")


Step = Callable[[Learner, float], None]


def run_phase(name: str, learners: list[Learner], step: Step, seconds: float | None) -> Phase:
    """Every learner repeats step until the deadline (once, when seconds is None).
    The deadline is checked before each request; requests under way are finished."""
    start: list[float] = []
    limit = seconds if seconds is not None else 0.0

    def begin() -> None:
        start.append(time.perf_counter())

    barrier = threading.Barrier(len(learners), action=begin)

    def loop(learner: Learner) -> None:
        learner.rows = {}
        barrier.wait()
        deadline = start[0] + limit
        while True:
            try:
                step(learner, deadline)
            except Failed:
                time.sleep(PAUSE_AFTER_ERROR)
            if seconds is None or time.perf_counter() >= deadline:
                return

    threads = [threading.Thread(target=loop, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows: dict[str, Row] = {}
    for learner in learners:
        for row_name, row in learner.rows.items():
            rows.setdefault(row_name, Row()).merge(row)
    return Phase(name, time.perf_counter() - start[0], rows)


def merged(name: str, parts: list[Phase]) -> Phase:
    rows: dict[str, Row] = {}
    for part in parts:
        for row_name, row in part.rows.items():
            rows.setdefault(row_name, Row()).merge(row)
    return Phase(name, sum(part.seconds for part in parts), rows)


def run_clients(port: int, emails: list[str], lessons: list[Lesson], quizzes: list[Lesson],
                seconds: float, ratio_seconds: float) -> Report:
    """Sign everyone in, run the learners, then the bare page and the lesson page alone
    (in alternating slices, ratio_seconds in all for each)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    learners = [Learner(port, email, seed=n) for n, email in enumerate(emails)]
    phases = [run_phase("sign-in", learners, Learner.login, None)]
    active = [learner for learner in learners if learner.signed_in]
    if active:
        phases.append(run_phase(
            "learners", active,
            lambda learner, deadline: learner.quiz_round(lessons, quizzes, deadline),
            seconds))

        def bare(learner: Learner, deadline: float) -> None:
            learner.call("bare page (GET)", "GET", "/bench/bare")

        def lesson(learner: Learner, deadline: float) -> None:
            course_id, key = learner.rng.choice(lessons)
            learner.call("lesson page (GET)", "GET", f"/learn/{course_id}/{key}")

        # The two pages take turns, so that other work on the machine weighs on both alike.
        pages: dict[str, Step] = {"bare": bare, "lesson": lesson}
        slices = [run_phase(name, active, step, ratio_seconds / RATIO_SLICES)
                  for _ in range(RATIO_SLICES) for name, step in pages.items()]
        phases += [merged(name, [p for p in slices if p.name == name]) for name in pages]
    submitted = [s for learner in learners for s in learner.submitted]
    return Report(phases, submitted, len(active), time.process_time() - cpu_started,
                  time.perf_counter() - started)
