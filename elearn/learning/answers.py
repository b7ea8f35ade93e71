"""A submitted attempt's answers as rows, for item analysis."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert

from elearn.extensions import db
from elearn.learning.models import AnsweredQuestion, ChosenOption


def record_answers(attempt_id: int, drawn: Sequence[dict], chosen: Sequence[Sequence[int]],
                   correct: Sequence[bool]) -> None:
    """Store which questions were answered right and which options were chosen (two
    statements, whatever the number of questions); the caller commits."""
    total = sum(correct)
    db.session.execute(insert(AnsweredQuestion), [
        {"attempt_id": attempt_id, "position": index, "question_id": item["id"],
         "correct": right, "attempt_correct": total}
        for index, (item, right) in enumerate(zip(drawn, correct, strict=True))
    ])
    choices = [{"attempt_id": attempt_id, "position": index, "option_id": option_id}
               for index, options in enumerate(chosen) for option_id in options]
    if choices:
        db.session.execute(insert(ChosenOption), choices)
