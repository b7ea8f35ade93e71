"""Every learner page issues the same small number of SQL statements with 1 course or 50."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from elearn.assignments.models import Assignment
from elearn.auth.models import User
from elearn.certificates.services import issue_certificate
from elearn.extensions import db
from elearn.learning.context import _lesson_html
from elearn.learning.models import Attempt, CourseProgress, ModuleProgress
from elearn.learning.quizzes import _module_questions
from elearn.publishing.models import Course, CourseVersion, Module, Question
from elearn.types import utcnow
from tests.factories import insert_course
from tests.web import login

# The statements each page needs (the user's row is always the first): what a change
# must not grow. Lesson HTML and question data come from per-version caches once read.
EXPECTED = {
    "home": 4,  # user, progress, certificates, assignments with their courses
    "catalogue": 2,  # user, live courses
    "course": 3,  # user, course with her progress, modules with hers
    "lesson": 3,  # user, course with every module and her progress in each, contacts block
    "quiz (not started)": 3,  # user, course+module+progress, open attempt (none)
    "quiz (started)": 3,  # user, course+module+progress, the open attempt
    "result": 2,  # user, the attempt with its course, module and progress
}
PAGES = {
    "home": "/",
    "catalogue": "/courses",
    "course": "/learn/c001",
    "lesson": "/learn/c001/intro",
    "quiz (not started)": "/learn/c001/signs/quiz",
    "quiz (started)": "/learn/c001/signs/quiz",
    "result": "/learn/c001/signs/attempts/{attempt}",
}


def _signed_in(app, make_user):
    """A learner with one course of progress of every kind, signed in: (client, engine,
    her id)."""
    user_id = make_user()
    with app.app_context():
        _populate(user_id, 1)
        engine = db.engine
    client = app.test_client()
    login(client, app, user_id)
    return client, engine, user_id


def _populate(user_id: int, courses: int) -> int:
    """Courses with progress of every kind for the learner; returns a submitted attempt id."""
    now = utcnow()
    user = db.session.get(User, user_id)
    first_attempt = None
    for n in range(1, courses + 1):
        course_id = f"c{n:03d}"
        version_id = insert_course(course_id, order=n)
        completed = n % 2 == 0
        db.session.add(CourseProgress(
            user_id=user_id, course_id=course_id, take=1,
            status="completed" if completed else "in_progress",
            modules_done=3 if completed else 1, module_total=3, last_module_key="signs",
            started_at=now - timedelta(days=n), last_activity_at=now - timedelta(minutes=n),
            completed_at=now if completed else None,
            completed_version_id=version_id if completed else None,
        ))
        if not completed:  # assigned by a supervisor, due in n days
            db.session.add(Assignment(user_id=user_id, course_id=course_id,
                                      due_on=now.date() + timedelta(days=n)))
        db.session.add(ModuleProgress(user_id=user_id, course_id=course_id, module_key="intro",
                                      completed_at=now, completed_take=1, attempt_count=0,
                                      failed_streak=0))
        db.session.add(ModuleProgress(user_id=user_id, course_id=course_id, module_key="signs",
                                      attempt_count=1, failed_streak=1, last_failed_at=now,
                                      best_score=50))
        intro = db.session.scalar(select(Module).where(Module.version_id == version_id,
                                                       Module.key == "intro"))
        # The worst case: a contacts block, filled from the learner's municipality.
        intro.html = {lang: html + '<div data-contacts=""></div>'
                      for lang, html in intro.html.items()}
        module = db.session.scalar(select(Module).where(Module.version_id == version_id,
                                                        Module.key == "signs"))
        questions = db.session.scalars(select(Question).where(Question.module_id == module.id)
                                       .order_by(Question.position)).all()
        attempt = Attempt(
            user_id=user_id, course_id=course_id, module_key="signs", version_id=version_id,
            questions=[{"id": q.id, "key": q.key, "options": [o.id for o in q.options]}
                       for q in questions],
            pass_mark=80, is_open=None, started_at=now, submitted_at=now,
            answers=[[q.options[0].id] for q in questions], correct_count=1, score=50,
            passed=False,
        )
        db.session.add(attempt)
        db.session.flush()
        first_attempt = first_attempt or attempt.id
        if completed:
            issue_certificate(user, db.session.get(CourseVersion, version_id))
    db.session.commit()
    return first_attempt


@contextmanager
def counting(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def measure(app, make_user, courses: int) -> dict[str, list[str]]:
    user_id = make_user()
    with app.app_context():
        attempt = _populate(user_id, courses)
        assert db.session.scalar(select(func.count()).select_from(Course)) == courses
        engine = db.engine
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, app, user_id)
    client.get("/courses")  # sign-in bookkeeping (last seen) happens on the first page
    _lesson_html.cache_clear()
    client.get(PAGES["lesson"])  # the lesson's HTML is read once per process, then cached
    found = {}
    # Each request runs in its own application context (no session or g carried over).
    for name, path in PAGES.items():
        if name == "quiz (started)":  # "Start the quiz" (a POST) drew the attempt
            from tests.web import csrf_token

            client.post(path + "/start", data={"csrf_token": csrf_token(client, "/courses")})
        with counting(engine) as statements:
            response = client.get(path.format(attempt=attempt))
        assert response.status_code == 200, (name, response.status_code)
        found[name] = statements
        if name == "lesson":
            assert "has not filled in this part" in response.get_data(as_text=True)
        if name == "home":
            assert "Complete it by" in response.get_data(as_text=True)
    return found


def _empty_tables(app) -> None:
    from tests.apps import KEEP_TABLES

    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                conn.execute(table.delete())


def test_statement_counts_do_not_grow_with_courses(app, make_user, capsys):
    one = {name: len(s) for name, s in measure(app, make_user, 1).items()}
    _empty_tables(app)
    many = measure(app, make_user, 50)
    report = {name: (one[name], len(many[name])) for name in PAGES}
    with capsys.disabled():
        print("\nstatements per page (1 course, 50 courses):", report)
    for name, (few, lots) in report.items():
        assert few == lots, (name, many[name])
        assert lots == EXPECTED[name], (name, many[name])


def test_a_lessons_html_is_read_once_per_process(app, make_user):
    client, engine, _ = _signed_in(app, make_user)
    client.get("/courses")
    _lesson_html.cache_clear()
    with counting(engine) as cold:
        assert client.get(PAGES["lesson"]).status_code == 200
    with counting(engine) as warm:
        assert client.get(PAGES["lesson"]).status_code == 200
    assert len(cold) == len(warm) + 1
    assert not any("module.html" in s for s in warm), warm


def test_a_modules_questions_are_read_once_per_process(app, make_user):
    """Quiz page, submission and result read the questions of a published version from
    the process's cache: only the first page after a start reads the question tables."""
    from tests.web import csrf_token

    client, engine, _ = _signed_in(app, make_user)
    client.post(PAGES["quiz (started)"] + "/start",
                data={"csrf_token": csrf_token(client, "/courses")})
    _module_questions.cache_clear()
    with counting(engine) as cold:
        assert client.get(PAGES["quiz (started)"]).status_code == 200
    with counting(engine) as warm:
        assert client.get(PAGES["quiz (started)"]).status_code == 200
    assert any("question_option" in s for s in cold)
    assert len(cold) == len(warm) + 1
    assert not any("question" in s.split("FROM", 1)[-1] for s in warm), warm


def test_a_quiz_submission_needs_a_fixed_number_of_statements(app, make_user):
    """A failed attempt: the user; the course with the module, her progress and the
    attempt; its claim (an UPDATE); the two item-analysis inserts; her course progress
    created or locked by one upsert that returns it (and records the activity, so it
    needs no UPDATE of its own); the module's progress read and updated. The questions
    come from the cache, and the response's headers do not reload the user."""
    from tests.web import csrf_token, open_attempt, submit

    client, engine, _ = _signed_in(app, make_user)
    client.get("/courses")
    drawn = open_attempt(app, client, "c001", "signs")
    token = csrf_token(client, "/courses")
    with counting(engine) as statements:
        response = submit(client, drawn, drawn.wrong, "c001", "signs", token=token)
    assert response.status_code == 303
    assert len(statements) == 8, statements
    # the user's row once ("user" is quoted on PostgreSQL, a reserved word there)
    assert sum(bool(re.search(r'FROM "?user"?\s+WHERE', s)) for s in statements) == 1
    assert not any("question_option" in s for s in statements)


@contextmanager
def wire(engine, folder):
    """The messages the client sends to PostgreSQL (libpq's protocol trace), as
    (type, text) pairs: each Query or Sync ends one round trip to the server."""
    from psycopg.pq import Trace

    path = folder / "wire.trace"
    sink = open(path, "w")  # noqa: SIM115  (closed below, after the connections let go)

    def on_checkout(dbapi_connection, _record, _proxy):
        dbapi_connection.pgconn.trace(sink.fileno())
        dbapi_connection.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS)

    def on_checkin(dbapi_connection, _record):
        dbapi_connection.pgconn.untrace()

    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    messages: list[tuple[str, str]] = []
    try:
        yield messages
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)
        sink.close()
        for line in path.read_text().splitlines():
            parts = line.split("\t")
            if parts[0] == "F" and len(parts) > 2:
                messages.append((parts[2], parts[3].strip() if len(parts) > 3 else ""))


def test_a_lesson_view_sends_no_transaction_commands_to_postgresql(app, make_user, tmp_path):
    """A page view only reads: on PostgreSQL it runs in autocommit, so its round trips are
    its statements (and the pool's ping, for a connection idle a while), without BEGIN
    and ROLLBACK (and psycopg keeps its prepared statements, which a ROLLBACK throws
    away). Confirming a module as read, a POST, still runs in one transaction."""
    from tests.web import csrf_token

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's round trips (SQLite has no server; it sends no BEGIN "
                    "for a read either)")
    client, _, _ = _signed_in(app, make_user)
    client.get(PAGES["lesson"])
    token = csrf_token(client, "/courses")
    with counting(engine) as statements, wire(engine, tmp_path) as messages:
        assert client.get(PAGES["lesson"]).status_code == 200
    round_trips = [m for m in messages if m[0] in ("Query", "Sync")]
    commands = [text for kind, text in messages if kind == "Query"]
    assert not [c for c in commands if re.search(r"BEGIN|COMMIT|ROLLBACK", c)], commands
    pings = commands.count('";"')
    assert pings <= 1, commands
    assert len(round_trips) == len(statements) + pings == EXPECTED["lesson"] + pings
    with wire(engine, tmp_path) as messages:
        response = client.post("/learn/c001/intro/read", data={"csrf_token": token})
    assert response.status_code == 303
    commands = [text for kind, text in messages if kind == "Query"]
    assert '"BEGIN"' in commands and '"COMMIT"' in commands, commands


def test_a_passed_quiz_needs_a_fixed_number_of_statements(app, make_user):
    """Passing (without completing the course) adds the recount of the modules done: the
    module progress is written before it, the course progress after. The version's module
    keys are read once per process, so only the first passed quiz reads them."""
    from elearn.learning.progress import _module_keys
    from tests.web import csrf_token, open_attempt, submit

    client, engine, user_id = _signed_in(app, make_user)
    client.get("/courses")
    _module_keys.cache_clear()
    counts = []
    for _ in range(2):
        drawn = open_attempt(app, client, "c001", "signs")
        token = csrf_token(client, "/courses")
        with counting(engine) as statements:
            response = submit(client, drawn, drawn.right, "c001", "signs", token=token)
        assert response.status_code == 303
        counts.append(statements)
    cold, warm = counts
    assert len(cold) == len(warm) + 1 == 11, cold
    assert not any(s.startswith("SELECT course_module.key") for s in warm), warm
    with app.app_context():
        progress = db.session.get(ModuleProgress, (user_id, "c001", "signs"))
        assert progress.completed_at is not None and progress.failed_streak == 0
        assert db.session.get(CourseProgress, (user_id, "c001")).modules_done == 2
