from pathlib import Path

from elearn import PROJECT_ROOT
from tests.factories import write_test_course


def test_check_passes_on_the_shipped_courses_strictly(runner):
    result = runner.invoke(args=["courses", "check", "--strict", str(PROJECT_ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert "all courses are valid." in result.output
    assert "warning" not in result.output


def test_check_reports_problems_and_exits_1(runner, course_root):
    (course_root / "test-course" / "01-intro.en.md").unlink()
    result = runner.invoke(args=["courses", "check", str(course_root)])
    assert result.exit_code == 1
    assert "test-course/01-intro.lt.md:1: " in result.output


def test_check_prints_warnings_and_exits_0_unless_strict(runner, tmp_path: Path):
    weak = PROJECT_ROOT / "tests" / "content" / "warnings" / "pool-smaller-than-twice-draw"
    line = (
        "demo/01-intro.md:3: warning: draw is 3 but the quiz has 5 questions: a retry draws "
        "some of the same ones; give at least 6 questions (twice the draw)"
    )
    result = runner.invoke(args=["courses", "check", str(weak)])
    assert result.exit_code == 0, result.output
    assert line in result.output.splitlines()
    assert "all courses are valid, with 1 warning(s)" in result.output
    strict = runner.invoke(args=["courses", "check", "--strict", str(weak)])
    assert strict.exit_code == 1
    assert line in strict.output.splitlines()
    assert "0 problem(s), 1 warning(s) (--strict: warnings count as problems)." in strict.output


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
    write_test_course(course_root, "good-course")
    (course_root / "test-course" / "course.yml").write_text("hours: -1\n")
    result = runner.invoke(args=["courses", "sync", str(course_root)])
    assert result.exit_code == 1
    assert "published: good-course" in result.output
    assert "refused: test-course" in result.output


def test_new_scaffold_passes_check(runner, tmp_path: Path):
    result = runner.invoke(args=["courses", "new", "my-course", "--path", str(tmp_path)])
    assert result.exit_code == 0, result.output
    check = runner.invoke(args=["courses", "check", "--strict", str(tmp_path)])
    assert check.exit_code == 0, check.output
    assert "warning" not in check.output
    again = runner.invoke(args=["courses", "new", "my-course", "--path", str(tmp_path)])
    assert again.exit_code != 0
    bad = runner.invoke(args=["courses", "new", "Bad_Id", "--path", str(tmp_path)])
    assert bad.exit_code != 0
