"""docs/authoring.md stays true: its worked example passes, its tables match the rules."""

import re
from pathlib import Path

from elearn.content import load_course
from elearn.content.rules import ALERT_TITLES, CONTACT_ROLES, MEDIA_TYPES
from elearn.content.sanitize import RAW_ATTRIBUTES, RAW_TAGS

GUIDE = (Path(__file__).parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8")
EXAMPLE_RE = re.compile(r"<!-- example: (\S+) -->\n(`{3,})\w*\n(.*?)\n\2\n", re.DOTALL)
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><title>Referral flow</title></svg>\n'


def test_worked_example_passes_the_checker(tmp_path: Path) -> None:
    examples = {name: text + "\n" for name, _, text in EXAMPLE_RE.findall(GUIDE)}
    assert sorted(examples) == [
        "01-what-is-trafficking.en.md",
        "02-indicators.en.md",
        "course.yml",
    ]
    folder = tmp_path / "recognising-victims"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "referral-flow.svg").write_text(SVG)
    for name, text in examples.items():
        (folder / name).write_text(text, encoding="utf-8")
        if name.endswith(".en.md"):  # the guide shows English; a same-shaped translation
            lt = text.replace(".en.md", ".lt.md")
            (folder / name.replace(".en.md", ".lt.md")).write_text(lt, encoding="utf-8")
    course, problems = load_course(folder)
    assert [str(p) for p in problems] == []
    assert course is not None
    assert [m.id for m in course.modules] == ["what-is-trafficking", "indicators"]


def test_contact_roles_are_all_documented() -> None:
    documented = re.findall(r"^\| `([a-z-]+)` \| ", GUIDE, re.MULTILINE)
    assert [role for role in documented if role in CONTACT_ROLES] == list(CONTACT_ROLES)


def test_alert_titles_are_documented() -> None:
    for kind in ALERT_TITLES["en"]:
        row = f"| `[!{kind}]` | {ALERT_TITLES['lt'][kind]} | {ALERT_TITLES['en'][kind]} |"
        assert row in GUIDE


def test_raw_html_allowlist_is_documented() -> None:
    for tag in RAW_TAGS:
        attributes = RAW_ATTRIBUTES.get(tag)
        shown = f"`{tag}` (`{next(iter(attributes))}`)" if attributes else f"`{tag}`"
        assert shown in GUIDE, tag


def test_media_types_are_documented() -> None:
    for extension in MEDIA_TYPES:
        assert f"`{extension.lstrip('.')}`" in GUIDE


def test_quiz_quality_warnings_are_documented_as_the_checker_prints_them() -> None:
    warnings_root = Path(__file__).parent / "warnings"
    printed = {
        case.name: (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        for case in warnings_root.iterdir()
        if case.is_dir()
    }
    documented = re.findall(r"^\|[^|]*\| `(demo/[^`]*: warning: [^`]*)` \|$", GUIDE, re.MULTILINE)
    every_line = {line for lines in printed.values() for line in lines}
    assert documented and set(documented) <= every_line
    for case, lines in printed.items():
        assert set(lines) & set(documented), f"{case} has no example in docs/authoring.md"
