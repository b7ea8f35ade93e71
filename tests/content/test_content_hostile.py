"""Hostile course folders, built at run time: links, sizes, encodings, odd names, deep YAML."""

import os
from pathlib import Path

import pytest

from elearn.content import check_tree, load_course
from elearn.content.rules import MAX_COURSE_FILE_BYTES, MAX_MEDIA_BYTES, MAX_MODULE_BYTES

MODULE_HEAD = "---\ntitle: Introduction\n---\n\n"


def _problems(folder: Path) -> list[str]:
    course, problems = load_course(folder)
    assert course is None or not problems
    return [str(p) for p in problems]


def test_symbolic_link_to_a_file_is_refused(write_course_folder, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    folder = write_course_folder({"media/x.txt": None})
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "diagram.svg").symlink_to(secret)
    assert _problems(folder) == [
        "demo/media/diagram.svg:1: symbolic links are not allowed: copy the file in"
    ]


def test_symbolic_link_to_a_folder_is_refused_and_not_followed(write_course_folder) -> None:
    folder = write_course_folder()
    (folder / "media").symlink_to("/etc", target_is_directory=True)
    assert _problems(folder) == ["demo/media:1: symbolic links are not allowed: copy the file in"]


def test_symbolic_module_and_course_file_are_refused(write_course_folder, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text(MODULE_HEAD)
    folder = write_course_folder({"01-intro.md": None, "course.yml": None})
    (folder / "01-intro.md").symlink_to(elsewhere)
    (folder / "course.yml").symlink_to(elsewhere)
    assert _problems(folder) == [
        "demo/01-intro.md:1: symbolic links are not allowed: copy the file in",
        "demo/course.yml:1: symbolic links are not allowed: copy the file in",
    ]


def test_symbolic_course_folder_is_refused(write_course_folder, tmp_path: Path) -> None:
    real = write_course_folder(course_id="real")
    (tmp_path / "courses" / "alias").symlink_to(real, target_is_directory=True)
    assert [str(p) for p in check_tree(tmp_path / "courses")] == [
        "alias:1: symbolic links are not allowed"
    ]


def test_hidden_symbolic_link_is_refused_too(write_course_folder) -> None:
    folder = write_course_folder()
    (folder / ".gitkeep").symlink_to("/etc/passwd")
    assert _problems(folder) == [
        "demo/.gitkeep:1: symbolic links are not allowed: copy the file in"
    ]


@pytest.mark.parametrize(
    ("rel", "limit", "shown"),
    [
        ("course.yml", MAX_COURSE_FILE_BYTES, "64 KB"),
        ("01-intro.md", MAX_MODULE_BYTES, "512 KB"),
        ("media/big.png", MAX_MEDIA_BYTES, "5.0 MB"),
    ],
)
def test_files_over_the_size_limits(write_course_folder, rel: str, limit: int, shown: str) -> None:
    folder = write_course_folder({rel: b"\x89PNG\r\n\x1a\n" + b"#" * limit})
    size = (folder / rel).stat().st_size
    actual = f"{size // 1024} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
    assert _problems(folder) == [
        f"demo/{rel}:1: the file is too large ({actual}; the limit is {shown})"
    ]


def test_binary_module(write_course_folder) -> None:
    folder = write_course_folder({"01-intro.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    assert _problems(folder) == [
        "demo/01-intro.md:1: this is a binary file, not text: save it as UTF-8 text"
    ]


def test_module_not_utf8(write_course_folder) -> None:
    text = MODULE_HEAD + "Prekyba žmonėmis\n"
    folder = write_course_folder({"01-intro.md": text.encode("cp1257")})
    assert _problems(folder) == [
        "demo/01-intro.md:5: the file is not UTF-8 text: save it with UTF-8 encoding"
    ]


def test_course_file_not_utf8(write_course_folder) -> None:
    text = "title:\n  lt: Prekyba žmonėmis\nsummary:\n  lt: x\nhours: 1\n"
    folder = write_course_folder({"course.yml": text.encode("cp1257")})
    assert _problems(folder) == [
        "demo/course.yml:2: the file is not UTF-8 text: save it with UTF-8 encoding"
    ]


def test_byte_order_mark_and_windows_line_ends_are_accepted(write_course_folder) -> None:
    module = (MODULE_HEAD + "Some text.\n").replace("\n", "\r\n")
    folder = write_course_folder({"01-intro.md": b"\xef\xbb\xbf" + module.encode()})
    course, problems = load_course(folder)
    assert problems == []
    assert course is not None
    assert course.modules[0].html["en"] == "<p>Some text.</p>\n"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("notes\nfake.md", "notes\\nfake.md"),
        ("bell\x07.svg", "bell\\x07.svg"),
        ("žemėlapis.svg", "žemėlapis.svg"),
        ("-rf.svg", "-rf.svg"),
        ("a b.svg", "a b.svg"),
    ],
)
def test_odd_file_names(write_course_folder, name: str, shown: str) -> None:
    folder = write_course_folder()
    (folder / "media").mkdir()
    (folder / "media" / name).write_text("<svg></svg>")
    assert _problems(folder) == [
        f"demo/media/{shown}:1: rename it: use only letters a-z, digits, '-', '_' and '.', "
        "starting with a letter or digit"
    ]


def test_special_files_are_refused(write_course_folder) -> None:
    folder = write_course_folder()
    (folder / "media").mkdir()
    os.mkfifo(folder / "media" / "pipe.png")
    assert _problems(folder) == ["demo/media/pipe.png:1: not a regular file: remove it"]


def test_deeply_nested_yaml_is_refused_without_crashing(write_course_folder) -> None:
    deep = "[" * 32_000 + "]" * 32_000  # just under course.yml's size limit
    folder = write_course_folder(
        {
            "course.yml": "title:\n  en: x\nsummary:\n  en: x\nhours: 1\norder: " + deep,
            "01-intro.md": MODULE_HEAD + "```quiz\n" + "- " * 100_000 + "x\n```\n",
        }
    )
    assert _problems(folder) == [
        "demo/01-intro.md:6: YAML is nested too deeply",
        "demo/course.yml:6: YAML is nested too deeply",
    ]


def test_billion_laughs_is_refused(write_course_folder) -> None:
    laughs = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b]\n'
    folder = write_course_folder({"01-intro.md": f"---\ntitle: x\n{laughs}---\n"})
    assert _problems(folder) == [
        "demo/01-intro.md:4: YAML anchors and aliases (& and *) are not supported"
    ]


def test_python_yaml_tags_are_plain_wrong_values(write_course_folder) -> None:
    folder = write_course_folder(
        {"course.yml": "title:\n  en: x\nsummary:\n  en: x\nhours: !!python/object:os.system x\n"}
    )
    assert _problems(folder) == ["demo/course.yml:5: hours must be a number greater than 0"]


def test_several_yaml_documents_are_refused(write_course_folder) -> None:
    folder = write_course_folder(
        {"course.yml": "title:\n  en: x\nsummary:\n  en: x\nhours: 1\n---\nx: 1\n"}
    )
    assert _problems(folder) == ["demo/course.yml:6: only one YAML document is allowed here"]


def test_hidden_files_and_folders_are_ignored(write_course_folder) -> None:
    folder = write_course_folder({".gitkeep": "", ".obsidian/workspace.json": "{}",
                                  "README.md": "# Notes"})
    course, problems = load_course(folder)
    assert problems == []
    assert course is not None


def test_svg_text_that_looks_like_an_attribute_is_fine(write_course_folder) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>someone = onlooker</text></svg>'
    folder = write_course_folder(
        {
            "media/a.svg": svg,
            "01-intro.md": MODULE_HEAD + "![Who is who](media/a.svg)\n",
        }
    )
    assert _problems(folder) == []


def test_svg_scan_is_linear_on_unclosed_tags(write_course_folder) -> None:
    folder = write_course_folder({"media/a.svg": "<svg" + " <" * (MAX_MEDIA_BYTES // 3)})
    assert _problems(folder) == []


def test_unreadable_file_is_reported_not_raised(write_course_folder, monkeypatch) -> None:
    folder = write_course_folder()
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "01-intro.md":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert _problems(folder) == [
        "demo/01-intro.md:1: cannot be read (Permission denied): check the file's permissions"
    ]


def test_nesting_one_past_the_checkers_own_limit_is_refused(write_course_folder) -> None:
    from elearn.content.yamlutil import MAX_DEPTH

    def nested(depth: int) -> str:
        return "[" * depth + "]" * depth

    # Far below any parser's own limit, so this is the checker's rule, not the library's.
    assert MAX_DEPTH < 100
    folder = write_course_folder(
        {
            "course.yml": "title:\n  en: x\nsummary:\n  en: x\nhours: 1\norder: "
            + nested(MAX_DEPTH + 1),
            "01-intro.md": MODULE_HEAD + "```quiz\n" + "- " * MAX_DEPTH + "x\n```\n",
        }
    )
    problems = _problems(folder)
    assert "demo/course.yml:6: YAML is nested too deeply" in problems
    assert not any("01-intro.md" in p and "nested" in p for p in problems), problems


def test_nesting_message_does_not_depend_on_the_parsers_wording(write_course_folder, monkeypatch):
    """A parser that refuses deep text with words of its own still gives our line."""
    import yaml

    from elearn.content import yamlutil

    real_parse = yaml.parse

    def strict_parse(text, Loader):  # noqa: N803 - PyYAML's keyword
        if Loader is yamlutil._Loader and text.count("[") > 100:
            raise yaml.scanner.ScannerError(
                "somewhere", None, "a limit worded by some future release", None
            )
        return real_parse(text, Loader=Loader)

    monkeypatch.setattr(yaml, "parse", strict_parse)
    deep = "[" * 500 + "]" * 500
    folder = write_course_folder(
        {"course.yml": "title:\n  en: x\nsummary:\n  en: x\nhours: 1\norder: " + deep}
    )
    assert _problems(folder) == ["demo/course.yml:6: YAML is nested too deeply"]
