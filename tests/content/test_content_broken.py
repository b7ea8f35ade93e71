"""One small broken course per check, each with the exact problems it must produce.

tests/content/broken/<case>/ holds the course folder and expected.txt, the checker's
exact output for it (root-level files are not courses, so expected.txt is ignored).
"""

from pathlib import Path

import pytest

from elearn.content import check_tree, load_tree

BROKEN_ROOT = Path(__file__).parent / "broken"
CASES = sorted(path.name for path in BROKEN_ROOT.iterdir() if path.is_dir())


def _expected(case: str) -> list[str]:
    return (BROKEN_ROOT / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES)
def test_broken_course_reports_exactly(case: str) -> None:
    assert [str(problem) for problem in check_tree(BROKEN_ROOT / case)] == _expected(case)


@pytest.mark.parametrize("case", CASES)
def test_broken_course_is_not_loaded(case: str) -> None:
    loaded = load_tree(BROKEN_ROOT / case)
    assert len(loaded) == 1
    ((course, problems),) = loaded.values()
    assert course is None
    assert problems


def test_every_case_has_one_expectation_per_problem() -> None:
    for case in CASES:
        lines = _expected(case)
        assert lines, f"{case}/expected.txt is empty"
        assert all(":" in line for line in lines), case


def test_cases_cover_the_format_contract() -> None:
    """The checks the course format names explicitly each have a case."""
    named_in_the_format = {
        "course-yml-invalid-yaml",
        "course-yml-missing-field",
        "hours-not-positive",
        "course-yml-unknown-field",
        "module-missing-translation",
        "quiz-translation-ids",
        "quiz-no-correct",
        "link-missing-file",
        "image-without-alt",
        "raw-html-stripped",
        "module-id-duplicate",
        "draw-exceeds-questions",
        "quiz-two-blocks",
        "quiz-one-option",
    }
    assert named_in_the_format <= set(CASES)
