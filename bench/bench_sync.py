"""Time publishing: check, first sync and a no-change sync of a large course tree.

Run: .venv/bin/python bench/bench_sync.py [--courses 100] [--database-url URL]

Uses bench_content.generate_courses (100 courses x 10 modules x 8 questions, two
languages) and a fresh SQLite database in a temporary folder unless a database URL
is given (that database is emptied). The no-change sync must cost well under a
tenth of the first: unchanged courses are recognised by their content hash without
being parsed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_content import generate_courses  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.content import check_tree  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.publishing.services import sync_courses  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
        root = generate_courses(Path(tmp) / "courses", n_courses=args.courses)
        with app.app_context():
            if args.database_url:
                from tests.apps import drop_everything

                drop_everything(db.engine)
            upgrade()
            check_s, problems = timed(lambda: check_tree(root))
            assert not problems, problems[:3]
            first_s, first = timed(lambda: sync_courses(root))
            again_s, again = timed(lambda: sync_courses(root))
        assert len(first.published) == args.courses and len(again.skipped) == args.courses
        print(f"{args.courses} courses on {url.split(':', 1)[0]}")
        print(f"  check            {check_s:7.2f} s")
        print(f"  first sync       {first_s:7.2f} s")
        print(f"  no-change sync   {again_s:7.2f} s  ({again_s / first_s:.3f} of the first)")


if __name__ == "__main__":
    main()
