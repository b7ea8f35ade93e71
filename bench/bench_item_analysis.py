"""Time the item analysis of one course version on 100,000 submitted attempts.

Run: .venv/bin/python bench/bench_item_analysis.py [--postgres URL] [--attempts 100000]

Generates one course version of 5 quiz modules x 10 questions of 4 options (draw 5),
20,000 learners and their submitted attempts, each with its answered questions and
chosen options, inserted in bulk (executemany on SQLite, COPY on PostgreSQL); learners
of varied ability answer so that the figures vary. SQLite uses a fresh file in a
temporary folder; with --postgres the given database is EMPTIED first.

Each figure is the median of several runs and is also given as a ratio to one
`SELECT count(*) FROM attempt` in the same run. The goal: the item analysis (its
four aggregate statements and the page objects) within 10x that scan.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchdb import fresh_database  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.bench_reports import _copy, median_s  # noqa: E402
from elearn.auth.models import Role  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.item_analysis.services import item_analysis  # noqa: E402
from elearn.publishing.models import Course, CourseVersion, Module, Option, Question  # noqa: E402

MODULES, QUESTIONS, OPTIONS, DRAW = 5, 10, 4, 5
LEARNERS = 20_000


def _version() -> CourseVersion:
    course = Course(id="bench-items")
    version = CourseVersion(
        course_id=course.id, content_hash="0" * 64, languages=["lt", "en"],
        title={"lt": "Kursas", "en": "Course"}, summary={"lt": "-", "en": "-"}, hours=2.0,
        pass_mark=80, attempts=3, published=True, module_count=MODULES, total_minutes=60)
    for m in range(MODULES):
        version.modules.append(Module(
            key=f"m{m}", position=m + 1, title={"lt": f"Modulis {m}", "en": f"Module {m}"},
            html={"lt": "-", "en": "-"}, minutes=10, pass_mark=80, draw=DRAW, shuffle=True,
            question_count=QUESTIONS,
            questions=[Question(
                key=f"q{q}", position=q + 1, multiple=False,
                text={"lt": f"Klausimas {q}", "en": f"Question {q}"}, explain={},
                options=[Option(position=o + 1, correct=o == 0,
                                text={"lt": f"Variantas {o}", "en": f"Option {o}"}, feedback={})
                         for o in range(OPTIONS)])
                for q in range(QUESTIONS)],
        ))
    db.session.add_all([course, version])
    db.session.flush()
    course.live_version = version
    db.session.commit()
    return version


def generate(attempts: int, seed: int = 12) -> CourseVersion:
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    version = _version()
    modules = [(m.key, [(q.id, [o.id for o in q.options]) for q in m.questions])
               for m in version.modules]
    learners = min(LEARNERS, attempts)
    conn = db.session.connection()
    _copy(conn, "user", ["id", "email", "full_name", "password_hash", "municipality_code",
                         "workplace", "profession", "locale", "role", "active",
                         "session_token", "created_at", "search_text"],
          [(uid, f"learner{uid}@bench.example.lt", f"Learner {uid}", None, "LT-57", "-",
            "other", "lt", Role.LEARNER.value, True, secrets.token_hex(16), now,
            f"learner {uid} learner{uid}@bench.example.lt")
           for uid in range(1, learners + 1)])
    ability = [rnd.random() for _ in range(learners + 1)]
    rows, answered, chosen = [], [], []
    for attempt_id in range(1, attempts + 1):
        uid = rnd.randint(1, learners)
        key, pool = rnd.choice(modules)
        drawn = sorted(rnd.sample(pool, DRAW))
        picks = [options[0] if rnd.random() < 0.25 + 0.7 * ability[uid]
                 else rnd.choice(options[1:]) for _, options in drawn]
        correct = [p == options[0] for p, (_, options) in zip(picks, drawn, strict=True)]
        count = sum(correct)
        score = count * 100 // DRAW
        rows.append((attempt_id, uid, version.course_id, key, version.id,
                     [{"id": q, "key": "-", "options": o} for q, o in drawn], 80,
                     now - timedelta(minutes=5), now, [[p] for p in picks], count, score,
                     score >= 80))
        for position, ((question_id, _), pick, right) in enumerate(
                zip(drawn, picks, correct, strict=True)):
            answered.append((attempt_id, position, question_id, right, count))
            chosen.append((attempt_id, position, pick))
    _copy(conn, "attempt", ["id", "user_id", "course_id", "module_key", "version_id",
                            "questions", "pass_mark", "started_at", "submitted_at", "answers",
                            "correct_count", "score", "passed"],
          [(*r[:5], json.dumps(r[5]), r[6], r[7], r[8], json.dumps(r[9]), *r[10:])
           for r in rows])
    _copy(conn, "answered_question", ["attempt_id", "position", "question_id", "correct",
                                      "attempt_correct"], answered)
    _copy(conn, "chosen_option", ["attempt_id", "position", "option_id"], chosen)
    db.session.commit()
    with db.engine.connect() as analyse:
        analyse.execute(text("ANALYZE"))
        analyse.commit()
    return version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to EMPTY and use")
    parser.add_argument("--attempts", type=int, default=100_000)
    args = parser.parse_args()
    with fresh_database(args.postgres):
        start = time.perf_counter()
        version_id = generate(args.attempts).id
        generated = time.perf_counter() - start

        def scan() -> None:
            db.session.execute(text("SELECT count(*) FROM attempt")).scalar_one()

        def analysis() -> None:
            item_analysis(db.session.get(CourseVersion, version_id), "en")
            db.session.expire_all()

        unit = median_s(scan)
        figure = median_s(analysis)
        print(f"{db.engine.dialect.name}: {args.attempts:,} attempts, "
              f"{args.attempts * DRAW:,} answered questions (generated in {generated:.1f} s)")
        print(f"the unit: one count(*) of the attempts     {unit * 1000:9.1f} ms")
        print(f"item analysis of the version              {figure * 1000:9.1f} ms"
              f"   {figure / unit:6.1f}x the scan (goal: within 10x)")


if __name__ == "__main__":
    main()
