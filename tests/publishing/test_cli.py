from pathlib import Path

from elearn import PROJECT_ROOT
from tests.publishing.conftest import write_course


def test_check_passes_on_the_shipped_courses(runner):
    result = runner.invoke(args=["courses", "check", str(PROJECT_ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert "all courses are valid" in result.output


def test_check_reports_problems_and_exits_1(runner, course_root):
    (course_root / "test-course" / "01-intro.en.md").unlink()
    result = runner.invoke(args=["courses", "check", str(course_root)])
    assert result.exit_code == 1
    assert "test-course/01-intro.lt.md:1: " in result.output


def test_sync_and_list(runner, course_root):
    result = runner.invoke(args=["courses", "sync", str(course_root)])
    assert result.exit_code == 0, result.output
    assert "published: test-course" in result.output
    again = runner.invoke(args=["courses", "sync", str(course_root)])
    assert "skipped (unchanged): test-course" in again.output
    listing = runner.invoke(args=["courses", "list"])
    assert listing.exit_code == 0
    assert listing.output.startswith("test-course  v")
    assert " live " in listing.output


def test_sync_exits_1_naming_the_broken_course(runner, course_root):
    write_course(course_root, "good-course")
    (course_root / "test-course" / "course.yml").write_text("hours: -1\n")
    result = runner.invoke(args=["courses", "sync", str(course_root)])
    assert result.exit_code == 1
    assert "published: good-course" in result.output
    assert "refused: test-course" in result.output


def test_new_scaffold_passes_check(runner, tmp_path: Path):
    result = runner.invoke(args=["courses", "new", "my-course", "--path", str(tmp_path)])
    assert result.exit_code == 0, result.output
    check = runner.invoke(args=["courses", "check", str(tmp_path)])
    assert check.exit_code == 0, check.output
    again = runner.invoke(args=["courses", "new", "my-course", "--path", str(tmp_path)])
    assert again.exit_code != 0
    bad = runner.invoke(args=["courses", "new", "Bad_Id", "--path", str(tmp_path)])
    assert bad.exit_code != 0
