"""Edits published through sync keep what learners have done."""

from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.models import CourseProgress, ModuleProgress
from elearn.publishing.services import sync_courses
from tests.factories import write_test_course
from tests.web import open_attempt, post, submit


def _swap_questions(path):
    """Put the quiz's second question first; both carry ids."""
    text = path.read_text(encoding="utf-8")
    head, quiz = text.split("```quiz\n", 1)
    body, tail = quiz.split("```", 1)
    first, second = body.split("- id: second")
    path.write_text(f"{head}```quiz\n- id: second{second}{first}```{tail}", encoding="utf-8")


def test_renumbering_editing_and_reordering_keep_progress(app, client, login_as, course_root):
    with app.app_context():
        sync_courses(course_root)
    user_id = login_as()
    assert post(client, "/learn/test-course/intro/read").status_code == 303
    drawn = open_attempt(app, client, "test-course", "signs")  # opened, not yet sent

    folder = course_root / "test-course"
    write_test_course(course_root, body_note="Edited after learners started.")
    for lang in ("lt", "en"):
        (folder / f"01-intro.{lang}.md").rename(folder / f"02-intro.{lang}.md")
        (folder / f"02-signs.{lang}.md").rename(folder / f"01-signs.{lang}.md")
        _swap_questions(folder / f"01-signs.{lang}.md")
    with app.app_context():
        report = sync_courses(course_root)
    assert report.published == ["test-course"], report.summary()

    with app.app_context():
        progress = db.session.get(CourseProgress, (user_id, "test-course"))
        assert (progress.status, progress.modules_done) == ("in_progress", 1)
    # The attempt drawn before the edit is still answered and graded as it was drawn.
    assert submit(client, drawn, drawn.right, "test-course", "signs").status_code == 303
    with app.app_context():
        done = db.session.scalars(
            select(ModuleProgress.module_key).where(ModuleProgress.user_id == user_id,
                                                    ModuleProgress.completed_at.is_not(None))
        ).all()
        assert sorted(done) == ["intro", "signs"]
        assert db.session.get(CourseProgress, (user_id, "test-course")).status == "completed"
    page = client.get("/learn/test-course").get_data(as_text=True)
    assert "Edited after learners started." not in page  # the course page, not a lesson
    lesson = client.get("/learn/test-course/intro").get_data(as_text=True)
    assert "Edited after learners started." in lesson
