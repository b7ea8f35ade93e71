"""Finding course folders under a root, and checking them all in one run."""

from pathlib import Path

from elearn.content import check_tree, load_tree


def test_only_course_folders_are_courses(write_course_folder, tmp_path: Path) -> None:
    root = tmp_path / "courses"
    write_course_folder(course_id="alpha")
    write_course_folder(course_id="beta")
    (root / "README.md").write_text("# Our courses\n")
    (root / ".git" / "objects").mkdir(parents=True)
    (root / ".git" / "01-x.md").write_text("not a course")
    (root / "shared-images").mkdir()
    (root / "shared-images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert list(load_tree(root)) == ["alpha", "beta"]
    assert check_tree(root) == []


def test_folder_with_modules_but_no_course_file_is_a_broken_course(tmp_path: Path) -> None:
    (tmp_path / "draft").mkdir()
    (tmp_path / "draft" / "01-intro.md").write_text("---\ntitle: x\n---\n")
    course, problems = load_tree(tmp_path)["draft"]
    assert course is None
    assert [str(p) for p in problems] == [
        "draft/course.yml:1: course.yml is missing: every course folder needs one "
        "(title, summary, hours)"
    ]


def test_problems_of_all_courses_sorted_by_path_then_line(write_course_folder,
                                                          tmp_path: Path) -> None:
    write_course_folder(
        {"course.yml": "title:\n  en: x\nsummary:\n  en: x\nhours: 0\npublished: 1\n"},
        course_id="zeta",
    )
    write_course_folder(
        {"01-intro.md": "---\ntitle: x\n---\n\n# Title\n\n![](media/none.png)\n"}, course_id="alpha"
    )
    assert [str(p) for p in check_tree(tmp_path / "courses")] == [
        "alpha/01-intro.md:5: use ## for sections: the module title is the page heading",
        "alpha/01-intro.md:7: image media/none.png has no alt text: describe it, "
        "![like this](media/none.png)",
        "alpha/01-intro.md:7: 'media/none.png' does not exist in the course folder",
        "zeta/course.yml:5: hours must be a number greater than 0",
        "zeta/course.yml:6: published must be true or false",
    ]


def test_a_course_folder_is_not_a_tree(write_course_folder) -> None:
    folder = write_course_folder()
    assert load_tree(folder) == {}
    assert [str(p) for p in check_tree(folder)] == [
        "course.yml:1: this is a course folder: check the folder that holds the course folders"
    ]


def test_each_course_is_loaded_on_its_own(write_course_folder, tmp_path: Path) -> None:
    write_course_folder(course_id="good")
    write_course_folder({"course.yml": "title: [\n"}, course_id="bad")
    loaded = load_tree(tmp_path / "courses")
    assert loaded["good"][0] is not None
    assert loaded["good"][1] == []
    assert loaded["bad"][0] is None
