"""Quiz quality warnings: one small course per warning, with the exact lines it must produce.

tests/content/warnings/<case>/ holds a course that is valid but weak, and expected.txt,
the checker's exact output for it. Warnings never stop a course from loading.
"""

from pathlib import Path

import pytest

from elearn.content import check_tree, load_tree
from elearn.content.quiz_checks import OptionText, QuestionText
from elearn.content.quiz_quality import _REFERS_TO_OPTIONS, correct_is_longest

WARNINGS_ROOT = Path(__file__).parent / "warnings"
CASES = sorted(path.name for path in WARNINGS_ROOT.iterdir() if path.is_dir())


def _expected(case: str) -> list[str]:
    return (WARNINGS_ROOT / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES)
def test_weak_course_warns_exactly(case: str) -> None:
    lines = [str(problem) for problem in check_tree(WARNINGS_ROOT / case)]
    assert lines == _expected(case)
    assert lines and all(": warning: " in line for line in lines)


@pytest.mark.parametrize("case", CASES)
def test_warnings_do_not_stop_loading(case: str) -> None:
    ((course, problems),) = load_tree(WARNINGS_ROOT / case).values()
    assert problems == []
    assert course is not None


def test_every_warning_has_a_case() -> None:
    assert set(CASES) == {
        "correct-option-longest",
        "correct-option-same-place",
        "options-refer-to-others",
        "pool-smaller-than-twice-draw",
    }


def _quiz(questions: str) -> str:
    return f"---\ntitle: Introduction\n---\n\n```quiz\n{questions}```\n"


def _question(correct: str, *wrong: str) -> str:
    lines = [f"- q: Question?\n  options:\n    - text: {correct}\n      correct: true\n"]
    lines += [f"    - text: {text}\n" for text in wrong]
    return "".join(lines)


def _warnings(write_course_folder, module: str) -> list[str]:
    return [str(p) for p in check_tree(write_course_folder({"01-intro.md": module}).parent)]


def test_longest_correct_in_60_percent_is_accepted(write_course_folder) -> None:
    longest = _question("The longest option here", "Short")
    shorter = _question("Short", "The longest option here")
    module = _quiz(longest * 3 + shorter * 2)
    assert _warnings(write_course_folder, module) == []


def test_longest_correct_in_more_than_60_percent_warns(write_course_folder) -> None:
    longest = _question("The longest option here", "Short")
    shorter = _question("Short", "The longest option here")
    module = _quiz(longest * 4 + shorter)
    assert _warnings(write_course_folder, module) == [
        "demo/01-intro.md:5: warning: the correct option is the longest in 4 of 5 "
        "single-answer questions (1, 2, 3, 4), more than 60%: learners who choose the "
        "longest pass; make wrong options as long and detailed"
    ]


def _single(*texts: str) -> QuestionText:
    options = tuple(OptionText(n == 0, text, "") for n, text in enumerate(texts))
    return QuestionText("1", 1, "Question?", "", options)


def test_longest_means_longer_than_every_other_option_as_read() -> None:
    assert correct_is_longest(_single("Twelve chars", "Short"))
    assert not correct_is_longest(_single("Same length!", "Twelve chars"))  # a tie gives nothing
    assert not correct_is_longest(_single("Short", "Twelve chars"))
    # Markup and entities are not read: <strong>Short</strong> is five letters.
    assert not correct_is_longest(_single("<strong>Short</strong>", "Longer"))
    assert correct_is_longest(_single("Tom &amp; Jerry", "Tom and J"))


def test_pool_of_twice_the_draw_is_accepted(write_course_folder) -> None:
    module = _quiz(_question("Short", "The longest option here") * 6).replace(
        "title: Introduction\n", "title: Introduction\ndraw: 3\n"
    )
    assert _warnings(write_course_folder, module) == []


def test_draw_of_the_whole_pool_warns(write_course_folder) -> None:
    module = _quiz(_question("Short", "The longest option here") * 3).replace(
        "title: Introduction\n", "title: Introduction\ndraw: 3\n"
    )
    assert _warnings(write_course_folder, module) == [
        "demo/01-intro.md:3: warning: draw is 3 but the quiz has 3 questions: a retry draws "
        "some of the same ones; give at least 6 questions (twice the draw)"
    ]


REFERRING = [
    "All of the above",
    "all the above",
    "None of the above.",
    "Both of the above",
    "Neither of the above",
    "All of the listed options",
    "All answers are correct",
    "All the options above are true",
    "None of these answers",
    "Answers A and B",
    "Visi išvardyti",
    "Visi išvardinti atsakymai",
    "Visos išvardytos priemonės",
    "Visi aukščiau paminėti",
    "Viskas, kas išvardyta",
    "Visi minėti veiksmai",
    "Nė vienas iš išvardytų",
    "Nei vienas iš paminėtų",
    "Nė viena iš jų",
    "Nė vienas atsakymas",
    "Visi atsakymai teisingi",
    "Visi variantai yra teisingi",
    "Abu atsakymai teisingi",
    "Visi pateikti teiginiai teisingi",
    "Atsakymai A ir B",
]

NOT_REFERRING = [
    "All workers have the same rights",
    "None of the workers may be fined",
    "Both the police and the social worker",
    "Visi darbuotojai turi teisę į poilsį",
    "Nė vienas darbdavys negali laikyti paso",
    "Visi, kurie dirba be sutarties",
    "Aukomis gali tapti ir vyrai",
    "Abu tėvai turi būti informuoti",
]


@pytest.mark.parametrize("text", REFERRING)
def test_options_that_refer_to_the_others_are_found(text: str) -> None:
    assert _REFERS_TO_OPTIONS.search(text)


@pytest.mark.parametrize("text", NOT_REFERRING)
def test_ordinary_options_are_not_taken_for_references(text: str) -> None:
    assert not _REFERS_TO_OPTIONS.search(text)
