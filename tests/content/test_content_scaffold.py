"""scaffold_course writes a course that passes the checker, and refuses to overwrite."""

from pathlib import Path

import pytest

from elearn.content import load_course, scaffold_course


@pytest.mark.parametrize("languages", [("lt", "en"), ("lt",), ("en", "lt", "ru"), ("lv", "en")])
def test_scaffold_passes_the_checker(tmp_path: Path, languages: tuple[str, ...]) -> None:
    folder = scaffold_course(tmp_path, "new-course", languages)
    assert folder == tmp_path / "new-course"
    course, problems = load_course(folder)
    assert [str(p) for p in problems] == []
    assert course is not None
    assert course.languages == languages
    assert course.published is False
    (module,) = course.modules
    assert module.id == "introduction"
    assert len(module.questions) == 1
    assert '<div data-contacts="police,ngo"></div>' in module.html[languages[0]]


def test_scaffold_default_languages(tmp_path: Path) -> None:
    folder = scaffold_course(tmp_path, "demo")
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-introduction.en.md",
        "01-introduction.lt.md",
        "course.yml",
    ]


def test_scaffold_refuses_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    with pytest.raises(ValueError, match="already exists"):
        scaffold_course(tmp_path, "demo")


@pytest.mark.parametrize("course_id", ["Demo", "demo_course", "../etc", "", "-demo", "demo-"])
def test_scaffold_refuses_a_bad_id(tmp_path: Path, course_id: str) -> None:
    with pytest.raises(ValueError, match="lowercase letters, digits and dashes"):
        scaffold_course(tmp_path, course_id)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("languages", [(), ("lt", "lt"), ("xx",), ("LT",), ("lit",)])
def test_scaffold_refuses_bad_languages(tmp_path: Path, languages: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        scaffold_course(tmp_path, "demo", languages)
    assert list(tmp_path.iterdir()) == []
