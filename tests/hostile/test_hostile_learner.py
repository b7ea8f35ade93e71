"""The hostile learner: answers at random, reads every page the platform shows her,
remembers everything those pages say, and retries.

If the pages gave answers away (the correct option marked after a failed attempt,
the feedback of options she did not choose) or a retry asked the same questions,
she would pass her second attempt far more often than her first. The quiz used
here makes chance easy to compute: a pool of 8 two-option questions, 4 drawn, 3 of
4 needed to pass, so guessing passes with probability P(X >= 3), X ~ Bin(4, 1/2),
that is 5/16.

The tolerance: with 200 learners, each attempt's pass rate has a standard error of
sqrt(5/16 * 11/16 / 200) = 0.033, and the difference of two independent rates
0.046. TOLERANCE = 0.14 is three standard errors of the difference. The draw and
the learners' guesses are seeded, so the test gives the same figures on every run.
The control case (a pool no larger than the draw) shows that this learner does
use what the pages tell her: there her second attempt passes far more often.
"""

from __future__ import annotations

import html
import random
import re
import secrets
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask.testing import FlaskClient

from elearn.extensions import db
from elearn.learning import grading
from elearn.publishing.models import Course, CourseVersion, Module, Option, Question
from elearn.publishing.signals import version_published
from tests.factories import create_user
from tests.web import login

LEARNERS = 200
CHANCE = 5 / 16
TOLERANCE = 0.14
COURSE = "hostile"
QUIZ = f"/learn/{COURSE}/quiz-module/quiz"


def _publish(app: Flask, pool: int, draw: int | None) -> None:
    """A course with one quizzed module: `pool` two-option questions, one right each."""
    rng = random.Random(7)
    with app.app_context():
        course = Course(id=COURSE)
        version = CourseVersion(
            # Its own hash: the question cache is keyed by version id and content hash, and
            # PostgreSQL may give this test's version an id an earlier test's had.
            course_id=COURSE, content_hash=secrets.token_hex(32), languages=["en"],
            title={"en": "Hostile"},
            summary={"en": "A quiz for the hostile learner"}, hours=1.0, pass_mark=75,
            attempts=0, certificate_valid_months=24, published=True, module_count=1,
            total_minutes=10,
        )
        questions = []
        for n in range(pool):
            right = rng.randrange(2)
            questions.append(Question(
                key=f"q{n}", position=n + 1, multiple=False,
                text={"en": f"Question number {n}?"},
                explain={"en": f"Explanation {n}: the answer is {['alpha', 'beta'][right]}."},
                options=[Option(position=p + 1, correct=p == right,
                                text={"en": f"{word} {n}"},
                                feedback={"en": f"Feedback on {word} {n}."})
                         for p, word in enumerate(("alpha", "beta"))],
            ))
        version.modules.append(Module(
            key="quiz-module", position=1, title={"en": "The quiz"},
            html={"en": "<p>Read this.</p>"}, minutes=10, pass_mark=75, draw=draw,
            shuffle=True, question_count=pool, questions=questions,
        ))
        db.session.add_all([course, version])
        db.session.flush()
        course.live_version = version
        version_published.send(app, version=version)
        db.session.commit()


_FIELDSET = re.compile(r'<fieldset id="(q-\d+)".*?</fieldset>', re.S)
_QUESTION = re.compile(r'class="question-text"[^>]*>(.*?)</(?:span|div)>', re.S)
_CHOICE = re.compile(r'<input type="radio" id="q-\d+-(\d+)" name="q-\d+" value="\d+"[^>]*>\s*'
                     r'<label[^>]*>(.*?)</label>', re.S)
_ANSWER = re.compile(r'<section class="answer (answer-right|answer-wrong)".*?</section>', re.S)
_OPTION = re.compile(r'<li class="([^"]*)">(.*?)</li>', re.S)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@dataclass
class Learner:
    """What she knows, by question text: options known right and known wrong."""

    rng: random.Random
    right: dict[str, str] = field(default_factory=dict)
    wrong: dict[str, set[str]] = field(default_factory=dict)
    revealed_after_failing: int = 0  # correct options learnt from a failed attempt's page

    def answer(self, quiz_html: str) -> dict[str, str]:
        answers = {}
        for match in _FIELDSET.finditer(quiz_html):
            name, block = match.group(1), match.group(0)
            question = _text(_QUESTION.search(block).group(1))
            choices = [(position, _text(label)) for position, label in _CHOICE.findall(block)]
            known = [p for p, label in choices if label == self.right.get(question)]
            allowed = [p for p, label in choices if label not in self.wrong.get(question, set())]
            answers[name] = (known or [self.rng.choice(allowed or [p for p, _ in choices])])[0]
        return answers

    def read_result(self, result_html: str) -> None:
        failed = "Not passed this time." in result_html
        for match in _ANSWER.finditer(result_html):
            verdict, block = match.group(1), match.group(0)
            question = _text(_QUESTION.search(block).group(1))
            for classes, item in _OPTION.findall(block):
                label = _text(item.split('<span class="option-marks">')[0])
                mine = "option-chosen" in classes or "Your answer" in item
                marked_right = "option-correct" in classes or "Correct answer" in item
                if marked_right or (mine and verdict == "answer-right"):
                    if failed and not mine:
                        self.revealed_after_failing += 1
                    self.right[question] = label
                elif mine:
                    self.wrong.setdefault(question, set()).add(label)
            # Anything else on the page (feedback, explanations) she keeps reading too:
            for word in ("alpha", "beta"):
                if re.search(rf"the answer is {word}\b", block):
                    number = question.split()[-1].rstrip("?")
                    self.right[question] = f"{word} {number}"


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _attempt(client: FlaskClient, learner: Learner) -> bool:
    course_page = client.get(f"/learn/{COURSE}").get_data(as_text=True)
    client.get(f"/learn/{COURSE}/quiz-module")  # the lesson: she reads it too
    start_page = client.get(QUIZ).get_data(as_text=True)
    started = client.post(f"{QUIZ}/start", data={"csrf_token": _csrf(start_page)})
    assert started.status_code == 303, course_page
    quiz = client.get(QUIZ).get_data(as_text=True)
    attempt = re.search(r'name="attempt" value="(\d+)"', quiz).group(1)
    data = {"csrf_token": _csrf(quiz), "attempt": attempt, **learner.answer(quiz)}
    sent = client.post(QUIZ, data=data)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    result = client.get(sent.headers["Location"]).get_data(as_text=True)
    learner.read_result(result)
    return "You passed." in result


def _play(app: Flask, learners: int) -> tuple[list[bool], list[bool], int]:
    firsts, seconds, revealed = [], [], 0
    for n in range(learners):
        with app.app_context():
            user_id = create_user(n + 1)
        client = app.test_client()
        assert login(client, app, user_id).status_code == 302
        learner = Learner(random.Random(n))
        firsts.append(_attempt(client, learner))
        seconds.append(_attempt(client, learner))
        revealed += learner.revealed_after_failing
    return firsts, seconds, revealed


@pytest.fixture
def seeded_draw(monkeypatch):
    monkeypatch.setattr(grading, "_random", random.Random(2026))


def test_retrying_does_not_pass_more_often_than_chance(app, seeded_draw):
    _publish(app, pool=8, draw=4)
    firsts, seconds, revealed = _play(app, LEARNERS)
    first, second = sum(firsts) / LEARNERS, sum(seconds) / LEARNERS
    print(f"hostile learner: pass rate {first:.3f} on attempt 1, {second:.3f} on attempt 2 "
          f"(chance {CHANCE:.3f}, tolerance {TOLERANCE})")
    assert revealed == 0  # no failed attempt's page ever told her a correct option
    assert abs(first - CHANCE) <= TOLERANCE
    assert second <= first + TOLERANCE
    assert abs(second - CHANCE) <= TOLERANCE


def test_control_the_same_learner_gains_when_the_pool_repeats(app, seeded_draw):
    """Where a retry must repeat questions (pool = draw), what she learnt from her own
    wrong answers is enough: the test above would see it."""
    learners = 50
    _publish(app, pool=4, draw=None)
    firsts, seconds, revealed = _play(app, learners)
    first, second = sum(firsts) / learners, sum(seconds) / learners
    assert revealed == 0
    assert second > first + 3 * TOLERANCE
