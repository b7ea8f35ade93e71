"""Quiz quality warnings: habits of quiz writing that let a test-wise learner pass.

They do not stop publishing; ``flask courses check --strict`` makes them errors. Each is
explained for authors in docs/authoring.md ("Quiz quality warnings").
"""

import html
import re
from collections.abc import Sequence

from .module_checks import ModuleText
from .problems import Problem, Report
from .quiz_checks import OptionText, QuestionText

# More than this share of single-answer questions with the longest option correct.
LONGEST_CORRECT_LIMIT = 0.6
# A pool of fewer than this many times the draw repeats questions on a retry.
POOL_PER_DRAW = 2

_TAG_RE = re.compile(r"<[^>]*>")
_LISTED_LT = r"(?:aukščiau\s+|anksčiau\s+)?(?:iš|pa)?(?:vardyt|vardint|minėt|nurodyt|pateikt)\w*"
# Options that refer to the other options. Matched case-insensitively anywhere in the
# option, in Lithuanian and English whatever the file's language (quotes are often
# copied between translations).
_REFERS_TO_OPTIONS = re.compile(
    "|".join(
        [
            # en: all of the above, none of the above, both of the above, all the above
            r"\b(?:all|none|both|neither)\s+(?:of\s+)?(?:the\s+)?(?:above|foregoing)\b",
            r"\b(?:all|none|both|neither)\s+(?:of\s+)?the\s+(?:listed|previous|preceding|"
            r"other)\s+(?:answers|options|statements)\b",
            r"\b(?:all|none|both|neither)\s+of\s+(?:these|the)\s+(?:answers|options|statements)\b",
            r"\ball\s+(?:the\s+)?(?:answers|options|statements)\s+(?:above\s+)?"
            r"(?:are\s+)?(?:correct|right|true)\b",
            r"\b(?:answers|options)\s+[a-d1-6]\s+and\s+[a-d1-6]\b",
            # lt: visi išvardyti, visos paminėtos, viskas, kas išvardyta, visi aukščiau nurodyti
            rf"\b(?:visi|visos|viskas|visa)\s*,?\s+(?:kas\s+|tai\s+,?\s*kas\s+)?{_LISTED_LT}",
            # lt: nė vienas iš išvardytų, nei viena iš paminėtų, nė vienas iš jų
            r"\b(?:nė|nei)\s+(?:vienas|viena|vieno|vienos)\s+(?:iš\s+)?(?:jų|šių|"
            rf"{_LISTED_LT}|atsakym\w*|variant\w*|teigin\w*)",
            # lt: visi atsakymai teisingi, visi variantai teisingi, abu atsakymai teisingi
            r"\b(?:visi|visos|abu|abi)\s+(?:(?:pateikti|išvardyti|šie|minėti)\s+)?"
            r"(?:atsakym\w*|variant\w*|teigini\w*)(?:\s+yra)?\s+(?:teising|neteising)\w*",
            r"\b(?:visi|visos|abu|abi)\s+(?:aukščiau\s+|anksčiau\s+)?(?:paminėti|išvardyti|"
            r"nurodyti)\s+(?:atsakym\w*|variant\w*|teigini\w*)",
            r"\b(?:atsakymai|variantai)\s+[a-d1-6]\s+ir\s+[a-d1-6]\b",
        ]
    ),
    re.IGNORECASE,
)


def check_quiz_quality(texts: Sequence[ModuleText], sink: list[Problem]) -> None:
    """Add to sink the warnings about one module's quiz, given its translations in order.

    Warnings about the words go to the file they are in; those about the quiz's shape,
    the same in every translation, go to the first language's file.
    """
    first = texts[0]
    if first.quiz is None or not first.quiz.questions:
        return
    _check_pool(first, Report(first.report.path, sink))
    _check_positions(first, Report(first.report.path, sink))
    for text in texts:
        if text.quiz is None or not text.quiz.questions:
            continue
        warnings = Report(text.report.path, sink)
        _check_longest(text.quiz.line, text.quiz.questions, warnings)
        _check_referring_options(text.quiz.questions, warnings)


def plain(option: OptionText) -> str:
    """The option as a learner reads it: rendered Markdown without tags."""
    return " ".join(html.unescape(_TAG_RE.sub("", option.text)).split())


def correct_is_longest(question: QuestionText) -> bool:
    lengths = [(len(plain(option)), bool(option.correct)) for option in question.options]
    longest = max(length for length, _ in lengths)
    winners = [correct for length, correct in lengths if length == longest]
    return winners == [True]


def _single_answer(questions: Sequence[QuestionText]) -> list[QuestionText]:
    return [q for q in questions if sum(bool(o.correct) for o in q.options) == 1]


def _check_longest(line: int, questions: Sequence[QuestionText], report: Report) -> None:
    single = _single_answer(questions)
    longest = [q for q in single if correct_is_longest(q)]
    if single and len(longest) > LONGEST_CORRECT_LIMIT * len(single):
        numbers = ", ".join(str(questions.index(q) + 1) for q in longest)
        report.warn(
            line,
            f"the correct option is the longest in {len(longest)} of {len(single)} "
            f"single-answer questions ({numbers}), more than 60%: learners who choose "
            "the longest pass; make wrong options as long and detailed",
        )


def _check_referring_options(questions: Sequence[QuestionText], report: Report) -> None:
    for number, question in enumerate(questions, 1):
        for option_number, option in enumerate(question.options, 1):
            match = _REFERS_TO_OPTIONS.search(plain(option))
            if match:
                report.warn(
                    option.line,
                    f"question {number}: option {option_number} says '{match.group(0)}': "
                    "options are shown in a new order each attempt and such an option "
                    "gives the answer away; write out what it means",
                )


def _check_positions(first: ModuleText, report: Report) -> None:
    shuffle, line = first.settings.get("shuffle", (True, 1))
    questions = first.quiz.questions if first.quiz else None
    if shuffle is not False or not questions or len(questions) < 2:
        return
    places = {
        tuple(n for n, option in enumerate(question.options, 1) if option.correct)
        for question in questions
    }
    if len(places) == 1:
        (place,) = places
        shown = f"option {place[0]} is" if len(place) == 1 else f"options {_listed(place)} are"
        report.warn(
            line,
            f"options are not shuffled and {shown} correct in every question: "
            "learners notice; put the correct options in different places",
        )


def _listed(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _check_pool(first: ModuleText, report: Report) -> None:
    draw, line = first.settings.get("draw", (None, 1))
    if draw is None or first.quiz is None or not first.quiz.questions:
        return
    count = len(first.quiz.questions)
    if draw <= count < POOL_PER_DRAW * draw:  # a larger draw is an error, reported already
        report.warn(
            line,
            f"draw is {draw} but the quiz has {count} questions: a retry draws some of the "
            f"same ones; give at least {POOL_PER_DRAW * draw} questions (twice the draw)",
        )
