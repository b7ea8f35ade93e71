"""What a quiz's result page may show.

After a passed attempt: everything (every option's correctness and feedback, the
explanations). After a failed one: the score, which questions were answered
wrongly, the options as shown with the learner's own choice, and the author's
feedback of the options she chose; never which option is correct, nor the
feedback of the options she did not choose, nor the explanations (which name the
right answer). Nothing of that reaches the template, so no attribute, hidden text
or later visit of the page can carry it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from elearn.learning import grading
from elearn.learning.context import text

if TYPE_CHECKING:  # pragma: no cover
    from elearn.learning.quizzes import StoredQuestion


@dataclass(frozen=True)
class OptionView:
    position: int  # as shown; the only thing the browser sends back
    text: str
    chosen: bool
    correct: bool | None = None  # set on the result page of a passed attempt only
    feedback: str = ""


@dataclass(frozen=True)
class QuestionView:
    number: int  # 1-based
    name: str  # the form field
    text: str
    multiple: bool
    options: list[OptionView]
    missing: bool = False  # left unanswered in a submitted form
    correct: bool | None = None  # result pages only: was she right?
    explain: str = ""


def result_questions(drawn: Sequence[dict], answers: Sequence[Sequence[int]],
                     stored: Mapping[int, StoredQuestion], lang: str,
                     *, reveal: bool) -> list[QuestionView]:
    """The questions of a submitted attempt as its result page shows them.

    reveal is True for a passed attempt. Otherwise each option carries only its
    text, whether she chose it and, when she did, its feedback.
    """
    questions = []
    for index, item in enumerate(drawn):
        question = stored[item["id"]]
        chosen = set(answers[index]) if index < len(answers) else set()
        right = {o.id for o in question.options.values() if o.correct}
        options = []
        for position, option_id in enumerate(item["options"]):
            option = question.options[option_id]
            shown = reveal or option_id in chosen
            options.append(OptionView(
                position=position, text=text(option.text, lang), chosen=option_id in chosen,
                correct=(option_id in right) if reveal else None,
                feedback=text(option.feedback, lang) if shown else "",
            ))
        questions.append(QuestionView(
            number=index + 1, name=grading.field_name(index), text=text(question.text, lang),
            multiple=question.multiple, correct=chosen == right,
            explain=text(question.explain, lang) if reveal else "", options=options,
        ))
    return questions
