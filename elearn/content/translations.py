"""A module's language files, compared and merged into one Module."""

from collections.abc import Sequence

from .model import Module, Option, Question
from .module_checks import ModuleText
from .quiz_checks import QuestionText
from .rules import SHARED_MODULE_FIELDS, WORDS_PER_MINUTE


def check_translations(texts: Sequence[ModuleText]) -> None:
    """Report where a translation disagrees with the first language's file."""
    first = texts[0]
    for other in texts[1:]:
        for name in SHARED_MODULE_FIELDS:
            if name in first.unreadable or name in other.unreadable:
                continue  # already reported where it is wrong
            value, _ = first.settings.get(name, (None, 1))
            theirs, line = other.settings.get(name, (None, 1))
            if value != theirs:
                other.report.add(
                    line,
                    f"{name} is {_shown(theirs)} here but {_shown(value)} in {first.name}: "
                    "translations must agree",
                )
        _compare_quizzes(first, other)


def _shown(value: object) -> str:
    return "not set" if value is None else str(value)


def _compare_quizzes(first: ModuleText, other: ModuleText) -> None:
    if first.quiz is None or other.quiz is None:
        if first.quiz is not None:
            other.report.add(1, f"this translation has no quiz but {first.name} has one")
        elif other.quiz is not None:
            other.report.add(
                other.quiz.line, f"this translation has a quiz but {first.name} has none"
            )
        return
    ours, theirs = first.quiz.questions, other.quiz.questions
    if ours is None or theirs is None:
        return  # a broken quiz is reported on its own; comparing it would only add noise
    if len(ours) != len(theirs):
        other.report.add(
            other.quiz.line,
            f"the quiz has {len(theirs)} questions here but {len(ours)} in {first.name}: "
            "translations must agree",
        )
        return
    for number, (mine, translated) in enumerate(zip(ours, theirs, strict=True), 1):
        _compare_question(number, mine, translated, first.name, other)


def _compare_question(
    number: int, mine: QuestionText, theirs: QuestionText, first_name: str, other: ModuleText
) -> None:
    where = f"question {number}"
    if mine.id != theirs.id:
        other.report.add(
            theirs.line,
            f"{where} has id '{theirs.id}' here but '{mine.id}' in {first_name}: "
            "translations must use the same ids",
        )
    if len(mine.options) != len(theirs.options):
        other.report.add(
            theirs.line,
            f"{where} has {len(theirs.options)} options here but {len(mine.options)} "
            f"in {first_name}: translations must agree",
        )
        return
    correct_mine = _correct(mine)
    correct_theirs = _correct(theirs)
    if correct_mine != correct_theirs:
        other.report.add(
            theirs.line,
            f"{where}: the correct options are {correct_theirs} here but {correct_mine} "
            f"in {first_name}: translations must agree",
        )


def _correct(question: QuestionText) -> str:
    numbers = [str(n) for n, option in enumerate(question.options, 1) if option.correct]
    return ", ".join(numbers) or "none"


def build_module(texts: Sequence[ModuleText]) -> Module:
    """The Module of files that were checked without problems, in course language order."""
    first = texts[0]
    by_lang = {text.lang: text for text in texts}
    quizzes = {
        lang: text.quiz.questions or () if text.quiz else () for lang, text in by_lang.items()
    }
    questions = tuple(
        _merge_question(position, {lang: quiz[position - 1] for lang, quiz in quizzes.items()})
        for position in range(1, len(quizzes[first.lang]) + 1)
    )
    minutes = first.settings.get("minutes", (None, 1))[0]
    if minutes is None:
        words = max(text.words for text in texts)
        minutes = max(1, int(words / WORDS_PER_MINUTE + 0.5) + len(questions))
    return Module(
        id=first.module_id,
        position=first.position,
        title={lang: text.title or "" for lang, text in by_lang.items()},
        minutes=minutes,
        pass_mark=first.settings.get("pass_mark", (None, 1))[0],
        draw=first.settings.get("draw", (None, 1))[0],
        shuffle=first.settings.get("shuffle", (None, 1))[0] is not False,
        html={lang: text.html for lang, text in by_lang.items()},
        questions=questions,
        source={lang: text.name for lang, text in by_lang.items()},
    )


def _merge_question(position: int, translations: dict[str, QuestionText]) -> Question:
    first = next(iter(translations.values()))
    options = tuple(
        Option(
            position=number,
            correct=bool(option.correct),
            text={lang: q.options[number - 1].text for lang, q in translations.items()},
            feedback={lang: q.options[number - 1].feedback for lang, q in translations.items()},
        )
        for number, option in enumerate(first.options, 1)
    )
    return Question(
        id=first.id,
        position=position,
        multiple=sum(option.correct for option in options) > 1,
        text={lang: q.text for lang, q in translations.items()},
        explain={lang: q.explain for lang, q in translations.items()},
        options=options,
    )
