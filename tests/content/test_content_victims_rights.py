"""The shipped course on victims' rights and labour exploitation: both languages complete.

The files are read here on their own (front matter and quiz YAML), not through the checker,
so a gap in the checker's translation rules could not hide a missing or mismatched module.
"""

import re
from pathlib import Path

import pytest
import yaml

from elearn import PROJECT_ROOT
from elearn.content import check_tree, load_course

COURSE_DIR = PROJECT_ROOT / "courses" / "victims-rights"
LANGUAGES = ("lt", "en")
MODULE_FILE = re.compile(r"^(?P<number>\d\d)-(?P<id>[a-z0-9-]+)\.(?P<lang>[a-z]{2})\.md$")
QUIZ_BLOCK = re.compile(r"^```quiz\n(?P<body>.*?)^```$", re.S | re.M)
LITHUANIAN_LETTERS = set("ąčęėįšųūžĄČĘĖĮŠŲŪŽ")


def _modules() -> dict[str, dict[str, Path]]:
    """Module key (NN-id) -> language -> file."""
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(COURSE_DIR.glob("*.md")):
        match = MODULE_FILE.match(path.name)
        assert match, f"{path.name} is not named NN-module-id.LANG.md"
        key = f"{match['number']}-{match['id']}"
        found.setdefault(key, {})[match["lang"]] = path
    return found


def _front_matter_and_quiz(path: Path) -> tuple[dict, list[dict]]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    quizzes = QUIZ_BLOCK.findall(body)
    assert len(quizzes) == 1, f"{path.name}: expected one quiz block, found {len(quizzes)}"
    return yaml.safe_load(front), yaml.safe_load(quizzes[0])


MODULES = _modules()


def test_the_course_has_four_or_five_modules_each_in_lithuanian_and_english() -> None:
    assert 4 <= len(MODULES) <= 5, sorted(MODULES)
    for key, files in MODULES.items():
        assert sorted(files) == sorted(LANGUAGES), f"{key} exists in {sorted(files)} only"


@pytest.mark.parametrize("key", sorted(MODULES))
def test_translations_ask_the_same_questions_with_the_same_right_answers(key: str) -> None:
    (lt_front, lt_quiz), (en_front, en_quiz) = (
        _front_matter_and_quiz(MODULES[key][lang]) for lang in LANGUAGES
    )
    assert [q["id"] for q in lt_quiz] == [q["id"] for q in en_quiz]
    for lt_question, en_question in zip(lt_quiz, en_quiz, strict=True):
        assert [bool(o.get("correct")) for o in lt_question["options"]] == [
            bool(o.get("correct")) for o in en_question["options"]
        ], lt_question["id"]
    assert lt_front["draw"] == en_front["draw"]
    assert lt_front["title"] != en_front["title"]  # translated, not copied
    assert LITHUANIAN_LETTERS & set(MODULES[key]["lt"].read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", sorted(MODULES))
def test_each_quiz_has_a_pool_for_retries(key: str) -> None:
    front, quiz = _front_matter_and_quiz(MODULES[key]["lt"])
    assert len(quiz) >= 6
    assert front["draw"] >= 6  # every attempt asks at least six questions
    assert len(quiz) >= 2 * front["draw"], "the pool must be at least twice the draw"
    assert len({q["id"] for q in quiz}) == len(quiz)


def test_the_checker_accepts_the_course_in_both_languages() -> None:
    course, problems = load_course(COURSE_DIR)
    assert [str(p) for p in problems] == []
    assert course.languages == LANGUAGES
    assert [f"{m.position:02d}-{m.id}" for m in course.modules] == sorted(MODULES)
    for module in course.modules:
        assert set(module.html) == set(LANGUAGES)
        assert all(set(q.text) == set(LANGUAGES) for q in module.questions)


def test_the_course_passes_the_strict_quiz_quality_checks() -> None:
    """What `flask courses check --strict` would say about this course: nothing."""
    problems = check_tree(COURSE_DIR.parent)
    mine = [str(p) for p in problems if p.path.startswith(f"{COURSE_DIR.name}/")]
    assert mine == []
