"""Item analysis of one course version, computed by SQL aggregation.

Per question: times answered, facility (the share answered correctly) and
discrimination, here the point-biserial correlation between answering the question
correctly and the number of the attempt's *other* questions answered correctly (the
corrected item-rest correlation, from -1 to 1). Per option: how often it was chosen.
Flags: facility above 95 % or below 20 %, negative discrimination, and a wrong option
that nobody chooses; raised only once a question has MIN_ANSWERS answers, as figures
from a handful of learners say little.

Four statements whatever the number of attempts: the version's questions and options,
the sums per question, the counts per option, and the attempts per module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from elearn.extensions import db
from elearn.learning.models import AnsweredQuestion, Attempt, ChosenOption
from elearn.publishing.models import (
    Course,
    CourseVersion,
    Module,
    Option,
    Question,
    in_language,
)

MIN_ANSWERS = 20
TOO_EASY = 0.95
TOO_HARD = 0.20

FLAG_EASY = "too_easy"
FLAG_HARD = "too_hard"
FLAG_NEGATIVE = "negative_discrimination"
FLAG_UNCHOSEN = "unchosen_option"


@dataclass(frozen=True)
class OptionFigures:
    position: int  # as written by the author, from 1
    text: str
    correct: bool
    chosen: int
    share: float | None  # of the question's answers; None before any

    @property
    def unchosen_distractor(self) -> bool:
        return not self.correct and self.chosen == 0


@dataclass(frozen=True)
class QuestionFigures:
    key: str
    number: int  # as written by the author, from 1
    text: str
    multiple: bool
    answered: int
    facility: float | None
    discrimination: float | None
    options: tuple[OptionFigures, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ModuleFigures:
    key: str
    title: str
    attempts: int
    questions: tuple[QuestionFigures, ...]


@dataclass(frozen=True)
class ItemAnalysis:
    course_id: str
    version_id: int
    title: str
    lang: str
    published_at: datetime | None
    modules: tuple[ModuleFigures, ...]
    min_answers: int = MIN_ANSWERS

    @property
    def flagged(self) -> int:
        return sum(1 for m in self.modules for q in m.questions if q.flags)


def point_biserial(n: int, right: int, rest: float, rest_sq: float,
                   right_rest: float) -> float | None:
    """Pearson's r between a 0/1 item and the rest score, from the sums SQL gives:
    n, Σx, Σr, Σr² and Σxr (Σx² = Σx for a 0/1 item). None when either varies not."""
    spread_x = n * right - right * right
    spread_r = n * rest_sq - rest * rest
    if n < 2 or spread_x <= 0 or spread_r <= 0:
        return None
    return (n * right_rest - right * rest) / math.sqrt(spread_x * spread_r)


def _flags(answered: int, facility: float | None, discrimination: float | None,
           options: tuple[OptionFigures, ...]) -> tuple[str, ...]:
    if answered < MIN_ANSWERS or facility is None:
        return ()
    flags = []
    if facility > TOO_EASY:
        flags.append(FLAG_EASY)
    if facility < TOO_HARD:
        flags.append(FLAG_HARD)
    if discrimination is not None and discrimination < 0:
        flags.append(FLAG_NEGATIVE)
    if any(o.unchosen_distractor for o in options):
        flags.append(FLAG_UNCHOSEN)
    return tuple(flags)


def _question_sums(version_id: int) -> dict[int, tuple[int, int, int, int, int]]:
    x = case((AnsweredQuestion.correct, 1), else_=0)
    rest = AnsweredQuestion.attempt_correct - x
    questions = (select(Question.id).join(Module, Module.id == Question.module_id)
                 .where(Module.version_id == version_id))
    rows = db.session.execute(
        select(AnsweredQuestion.question_id, func.count(), func.sum(x), func.sum(rest),
               func.sum(rest * rest), func.sum(x * rest))
        .where(AnsweredQuestion.question_id.in_(questions))
        .group_by(AnsweredQuestion.question_id)
    ).all()
    return {qid: tuple(int(v or 0) for v in sums) for qid, *sums in rows}


def _option_counts(version_id: int) -> dict[int, int]:
    options = (select(Option.id).join(Question, Question.id == Option.question_id)
               .join(Module, Module.id == Question.module_id)
               .where(Module.version_id == version_id))
    return dict(db.session.execute(
        select(ChosenOption.option_id, func.count())
        .where(ChosenOption.option_id.in_(options))
        .group_by(ChosenOption.option_id)
    ).all())


def _attempts_per_module(version_id: int) -> dict[str, int]:
    return dict(db.session.execute(
        select(Attempt.module_key, func.count())
        .where(Attempt.version_id == version_id, Attempt.submitted_at.is_not(None))
        .group_by(Attempt.module_key)
    ).all())


def item_analysis(version: CourseVersion, lang: str) -> ItemAnalysis:
    """The figures of every quiz question of the version, texts in `lang` when the
    course has it."""
    fallback = tuple(version.languages or ())
    texts_lang = lang if lang in fallback else (fallback[0] if fallback else lang)
    rows = db.session.execute(
        select(Module.key, Module.title, Question.id, Question.key, Question.position,
               Question.multiple, Question.text, Option.id, Option.position, Option.correct,
               Option.text)
        .join(Question, Question.module_id == Module.id)
        .join(Option, Option.question_id == Question.id)
        .where(Module.version_id == version.id)
        .order_by(Module.position, Question.position, Option.position)
    ).all()
    sums = _question_sums(version.id)
    chosen = _option_counts(version.id)
    attempts = _attempts_per_module(version.id)

    def say(texts: dict) -> str:
        return in_language(texts or {}, texts_lang, fallback)[0]

    modules: dict[str, tuple[str, dict[int, list]]] = {}
    for (module_key, module_title, qid, qkey, qpos, multiple, qtext, oid, opos, correct,
         otext) in rows:
        _, questions = modules.setdefault(module_key, (say(module_title), {}))
        question = questions.setdefault(qid, [qkey, qpos, say(qtext), multiple, []])
        question[4].append((opos, say(otext), correct, chosen.get(oid, 0)))

    result = []
    for module_key, (module_title, questions) in modules.items():
        figures = []
        for qid, (qkey, qpos, qtext, multiple, options) in questions.items():
            n, right, rest, rest_sq, right_rest = sums.get(qid, (0, 0, 0, 0, 0))
            option_figures = tuple(
                OptionFigures(position=p, text=t, correct=c, chosen=k,
                              share=(k / n) if n else None)
                for p, t, c, k in options)
            facility = right / n if n else None
            discrimination = point_biserial(n, right, rest, rest_sq, right_rest)
            figures.append(QuestionFigures(
                key=qkey, number=qpos, text=qtext, multiple=multiple, answered=n,
                facility=facility, discrimination=discrimination, options=option_figures,
                flags=_flags(n, facility, discrimination, option_figures),
            ))
        result.append(ModuleFigures(key=module_key, title=module_title,
                                    attempts=attempts.get(module_key, 0),
                                    questions=tuple(figures)))
    title = in_language(version.title or {}, texts_lang, fallback)[0]
    return ItemAnalysis(course_id=version.course_id, version_id=version.id, title=title,
                        lang=texts_lang, published_at=version.published_at,
                        modules=tuple(result))


@dataclass(frozen=True)
class VersionSummary:
    course_id: str
    version_id: int
    title: dict
    published_at: datetime | None
    live: bool
    attempts: int


def versions_with_quizzes() -> list[VersionSummary]:
    """Every stored version that has a quiz, newest first per course, with its number
    of submitted attempts (one statement)."""
    attempts = (select(Attempt.version_id, func.count().label("n"))
                .where(Attempt.submitted_at.is_not(None))
                .group_by(Attempt.version_id).subquery())
    has_quiz = (select(Module.id).where(Module.version_id == CourseVersion.id,
                                        Module.question_count > 0).exists())
    rows = db.session.execute(
        select(CourseVersion.course_id, CourseVersion.id, CourseVersion.title,
               CourseVersion.published_at, Course.live_version_id == CourseVersion.id,
               func.coalesce(attempts.c.n, 0))
        .join(Course, Course.id == CourseVersion.course_id)
        .outerjoin(attempts, attempts.c.version_id == CourseVersion.id)
        .where(has_quiz)
        .order_by(CourseVersion.course_id, CourseVersion.id.desc())
    ).all()
    return [VersionSummary(*row) for row in rows]


def version_or_none(course_id: str, version_id: int) -> CourseVersion | None:
    version = db.session.get(CourseVersion, version_id)
    return version if version is not None and version.course_id == course_id else None


def flag_label(flag: str) -> str:
    """The flag in the request's language, saying what to do."""
    return {
        FLAG_EASY: _("Too easy: more than 95% answer correctly"),
        FLAG_HARD: _("Too hard: fewer than 20% answer correctly"),
        FLAG_NEGATIVE: _("Negative discrimination: learners who do well on the rest of "
                         "the quiz get this one wrong more often; check the key and the "
                         "wording"),
        FLAG_UNCHOSEN: _("A wrong option that nobody chooses: replace it with a mistake "
                         "people really make"),
    }[flag]
