"""Publishing is per course, all or nothing, and keeps every version."""

import shutil

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.publishing import services
from elearn.publishing.models import (
    Course,
    CourseVersion,
    MediaBlob,
    MediaFile,
    Module,
    Option,
    Question,
)
from tests.factories import commit_all, write_test_course


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_first_sync_publishes_everything(app_ctx, course_root):
    report = services.sync_courses(course_root)
    assert report.published == ["test-course"] and report.ok
    course = db.session.get(Course, "test-course")
    version = course.live_version
    assert version.title == {"lt": "Bandomasis kursas", "en": "A test course"}
    assert version.hours == 1.5 and version.certificate_valid_months == 24
    assert version.pass_mark == 80 and version.attempts == 3 and version.published
    assert [m.key for m in version.modules] == ["intro", "signs"]
    assert version.module_count == 2 and version.total_minutes == 20
    quiz = version.modules[1]
    assert quiz.question_count == 2
    assert [q.key for q in quiz.questions] == ["first", "second"]
    assert [q.multiple for q in quiz.questions] == [False, True]
    assert [o.correct for o in quiz.questions[0].options] == [True, False]
    assert quiz.questions[0].options[0].feedback["en"] == "Right."
    assert "<h2" in version.modules[0].html["lt"] and "Įvadas" in version.modules[0].html["lt"]
    assert count(MediaFile) == 1 and count(MediaBlob) == 1
    assert version.git_commit is None  # not a git work tree


def test_unchanged_course_is_skipped_and_writes_nothing(app_ctx, course_root):
    services.sync_courses(course_root)
    before = (count(CourseVersion), count(Module), count(Question), count(Option))
    report = services.sync_courses(course_root)
    assert report.skipped == ["test-course"] and report.published == []
    assert (count(CourseVersion), count(Module), count(Question), count(Option)) == before


def test_unchanged_course_is_not_even_parsed(app_ctx, course_root, monkeypatch):
    services.sync_courses(course_root)

    def must_not_parse(folder):
        raise AssertionError(f"{folder} was parsed although it did not change")

    monkeypatch.setattr(services.content, "load_course", must_not_parse)
    assert services.sync_courses(course_root).skipped == ["test-course"]


def test_an_edit_makes_a_new_live_version_and_keeps_the_old(app_ctx, course_root):
    services.sync_courses(course_root)
    first = db.session.get(Course, "test-course").live_version_id
    write_test_course(course_root, body_note="Edited.")
    report = services.sync_courses(course_root)
    assert report.published == ["test-course"]
    course = db.session.get(Course, "test-course")
    assert course.live_version_id != first
    assert db.session.get(CourseVersion, first) is not None  # history stays
    assert "Edited." in course.live_version.modules[0].html["en"]
    assert count(MediaBlob) == 1  # the unchanged image is stored once


def test_failure_half_way_leaves_the_previous_version_live_and_whole(
    app_ctx, course_root, monkeypatch
):
    services.sync_courses(course_root)
    live = db.session.get(Course, "test-course").live_version_id
    counts = (count(CourseVersion), count(Module), count(Question), count(Option),
              count(MediaFile))
    write_test_course(course_root, body_note="Never published.")

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    # Modules, questions and options are already flushed when media are stored.
    monkeypatch.setattr(services, "_store_media", explode)
    report = services.sync_courses(course_root)
    assert "test-course" in report.refused and not report.ok
    assert "disk on fire" in report.refused["test-course"][0]
    db.session.expire_all()
    assert db.session.get(Course, "test-course").live_version_id == live
    assert (count(CourseVersion), count(Module), count(Question), count(Option),
            count(MediaFile)) == counts


def test_a_broken_course_is_refused_while_the_others_publish(app_ctx, course_root):
    services.sync_courses(course_root)
    live = db.session.get(Course, "test-course").live_version_id
    write_test_course(course_root, "second-course")
    (course_root / "test-course" / "course.yml").write_text("title: [unclosed\n")
    report = services.sync_courses(course_root)
    assert report.published == ["second-course"]
    assert list(report.refused) == ["test-course"]
    assert report.refused["test-course"][0].startswith("test-course/course.yml:")
    assert db.session.get(Course, "test-course").live_version_id == live


def test_a_removed_folder_retires_the_course_and_keeps_its_versions(app_ctx, course_root):
    write_test_course(course_root, "second-course")
    services.sync_courses(course_root)
    shutil.rmtree(course_root / "second-course")
    report = services.sync_courses(course_root)
    assert report.retired == ["second-course"]
    course = db.session.get(Course, "second-course")
    assert course.retired_at is not None and course.live_version is not None
    write_test_course(course_root, "second-course")
    report = services.sync_courses(course_root)
    assert report.published == ["second-course"]
    assert db.session.get(Course, "second-course").retired_at is None


def test_an_empty_or_missing_folder_changes_nothing(app_ctx, course_root, tmp_path):
    services.sync_courses(course_root)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FileNotFoundError):
        services.sync_courses(empty)
    with pytest.raises(FileNotFoundError):
        services.sync_courses(tmp_path / "missing")
    assert db.session.get(Course, "test-course").retired_at is None


def test_sync_records_the_git_commit_and_pulls(app_ctx, git_courses):
    origin, clone, first = git_courses
    services.sync_courses(clone)
    assert db.session.get(Course, "test-course").live_version.git_commit == first
    write_test_course(origin, body_note="Pushed later.")
    second = commit_all(origin, "Edit")
    report = services.sync_courses(clone, pull=True)
    assert report.published == ["test-course"] and report.git_commit == second
    version = db.session.get(Course, "test-course").live_version
    assert version.git_commit == second
    assert "Pushed later." in version.modules[0].html["lt"]
