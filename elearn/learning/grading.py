"""Quiz rules without the database: drawing, reading answers, grading, cool-downs.

The browser only ever sees positions: question n of the attempt and option n as
shown. Row ids and correctness stay on the server.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

COOL_DOWN = timedelta(hours=24)
FIELD_PREFIX = "q-"

_random = random.SystemRandom()


@dataclass(frozen=True)
class PoolQuestion:
    id: int
    key: str
    position: int
    option_ids: tuple[int, ...]


def draw(pool: Sequence[PoolQuestion], count: int | None, shuffle: bool = True,
         last_seen: Mapping[str, int] | None = None) -> list[dict]:
    """Questions for a new attempt, in the authors' order, each with shuffled options.

    When the module draws `count` of a larger pool, questions the learner has not
    seen come first, then those she saw longest ago: last_seen maps a question key
    to how many attempts ago it was last drawn (1: the previous attempt). A pool of
    at least twice the draw therefore gives a retry a set with no question of the
    attempt before. Among equals the choice is random.

    With shuffle False (a module whose options have a natural order), options keep
    the order of option_ids.
    """
    chosen = list(pool)
    if count is not None and 0 < count < len(chosen):
        seen = last_seen or {}
        _random.shuffle(chosen)
        # Stable sort: the shuffle decides among questions of the same rank.
        chosen.sort(key=lambda q: (0, 0) if q.key not in seen else (1, -seen[q.key]))
        chosen = chosen[:count]
    chosen.sort(key=lambda q: q.position)
    drawn = []
    for question in chosen:
        options = list(question.option_ids)
        if shuffle:
            _random.shuffle(options)
        drawn.append({"id": question.id, "key": question.key, "options": options})
    return drawn


def attempts_ago(previous: Sequence[Sequence[dict]]) -> dict[str, int]:
    """last_seen for draw(): `previous` holds earlier attempts' drawn questions, newest first."""
    seen: dict[str, int] = {}
    for ago, drawn in enumerate(previous, start=1):
        for item in drawn:
            seen.setdefault(item["key"], ago)
    return seen


class ForgedAnswer(ValueError):
    """The form names a question or option the attempt does not have."""


@dataclass(frozen=True)
class ReadAnswers:
    chosen: list[list[int]]  # per drawn question, the option ids chosen
    missing: frozenset[int]  # indexes of the questions left unanswered

    @property
    def complete(self) -> bool:
        return not self.missing


def field_name(index: int) -> str:
    return f"{FIELD_PREFIX}{index}"


def _index(text: str, size: int) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        raise ForgedAnswer(text)
    value = int(text)
    if value >= size or str(value) != text:  # "q-00" must not answer "q-0" a second time
        raise ForgedAnswer(text)
    return value


def read_answers(
    form: Mapping[str, list[str]], drawn: Sequence[dict], multiple: Sequence[bool]
) -> ReadAnswers:
    """The learner's choices from a submitted form (field name -> every value sent).

    Raises ForgedAnswer for a question or option position the attempt does not
    have, a repeated option, or several options for a single-choice question.
    """
    chosen: list[list[int]] = [[] for _ in drawn]
    for name, values in form.items():
        if not name.startswith(FIELD_PREFIX):
            continue
        question = _index(name[len(FIELD_PREFIX):], len(drawn))
        shown = drawn[question]["options"]
        positions = [_index(value, len(shown)) for value in values]
        if len(set(positions)) != len(positions):
            raise ForgedAnswer(name)
        if not multiple[question] and len(positions) > 1:
            raise ForgedAnswer(name)
        chosen[question] = [shown[p] for p in positions]
    missing = frozenset(i for i, options in enumerate(chosen) if not options)
    return ReadAnswers(chosen=chosen, missing=missing)


def shown_positions(drawn_question: dict, option_ids: Sequence[int]) -> set[int]:
    """Positions as shown of the given option ids (to tick them again on a re-shown form)."""
    order = drawn_question["options"]
    return {order.index(option_id) for option_id in option_ids if option_id in order}


@dataclass(frozen=True)
class Grade:
    correct: list[bool]
    correct_count: int
    score: int  # percent, rounded down
    passed: bool


def grade(chosen: Sequence[Sequence[int]], correct_sets: Sequence[set[int]],
          pass_mark: int) -> Grade:
    """A question counts when all and only its correct options are chosen."""
    correct = [set(c) == right for c, right in zip(chosen, correct_sets, strict=True)]
    count, total = sum(correct), len(correct)
    # Compare exactly: 4 of 5 passes an 80 % mark, 2 of 3 (66.6 %) does not pass 67.
    passed = total > 0 and count * 100 >= pass_mark * total
    score = count * 100 // total if total else 0
    return Grade(correct=correct, correct_count=count, score=score, passed=passed)


@dataclass(frozen=True)
class QuizAllowance:
    limit: int  # 0 = unlimited
    used: int  # failed attempts in the current series
    locked_until: datetime | None

    @property
    def unlimited(self) -> bool:
        return self.limit == 0

    @property
    def left(self) -> int | None:
        if self.unlimited:
            return None
        return 0 if self.locked_until else self.limit - self.used


def allowance(limit: int, failed_streak: int, last_failed_at: datetime | None,
              now: datetime) -> QuizAllowance:
    """How many attempts are left, or until when the quiz is locked."""
    if limit <= 0:
        return QuizAllowance(limit=0, used=failed_streak, locked_until=None)
    if failed_streak >= limit and last_failed_at is not None:
        ends = last_failed_at + COOL_DOWN
        if now < ends:
            return QuizAllowance(limit=limit, used=failed_streak, locked_until=ends)
        return QuizAllowance(limit=limit, used=0, locked_until=None)  # a fresh series
    return QuizAllowance(limit=limit, used=failed_streak, locked_until=None)


def streak_after(limit: int, failed_streak: int, passed: bool) -> int:
    """The failed-in-a-row count after a submission (a series restarts after a cool-down)."""
    if passed:
        return 0
    if limit > 0 and failed_streak >= limit:
        return 1
    return failed_streak + 1
