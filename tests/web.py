"""Acting as a browser in tests: CSRF tokens, signing in, posting forms, answering quizzes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

from elearn.auth.models import User
from elearn.extensions import db
from elearn.learning.models import Attempt
from elearn.publishing.models import Question
from tests.factories import PASSWORD


def csrf_token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, app: Flask, user_id: int, password: str = PASSWORD):
    with app.app_context():
        email = db.session.get(User, user_id).email
    token = csrf_token(client, "/account/login")
    return client.post(
        "/account/login", data={"email": email, "password": password, "csrf_token": token}
    )


@dataclass
class Drawn:
    attempt_id: int
    right: dict[str, list[str]]  # form data answering every question correctly
    wrong: dict[str, list[str]]  # form data answering every question wrongly


def open_attempt(app, client, course_id: str = "demo", module_key: str = "signs") -> Drawn:
    """Start the quiz (a POST), GET its page and work out, from the stored attempt,
    what to answer."""
    quiz = f"/learn/{course_id}/{module_key}/quiz"
    started = client.post(f"{quiz}/start", data={"csrf_token": csrf_token(client, "/courses")})
    assert started.status_code == 303, started.status_code
    response = client.get(quiz)
    assert response.status_code == 200, response.status_code
    match = re.search(r'name="attempt" value="(\d+)"', response.get_data(as_text=True))
    assert match, "no attempt on the quiz page"
    attempt_id = int(match.group(1))
    right: dict[str, list[str]] = {}
    wrong: dict[str, list[str]] = {}
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for index, item in enumerate(attempt.questions):
            correct = {o.id for o in db.session.get(Question, item["id"]).options if o.correct}
            shown = item["options"]
            right[f"q-{index}"] = [str(p) for p, oid in enumerate(shown) if oid in correct]
            wrong[f"q-{index}"] = [str(p) for p, oid in enumerate(shown) if oid not in correct][:1]
    return Drawn(attempt_id, right, wrong)


def submit(client, drawn: Drawn, answers: dict, course_id: str = "demo",
           module_key: str = "signs", token: str | None = None, attempt_id=None):
    token = token or csrf_token(client, "/courses")
    data = {"csrf_token": token,
            "attempt": str(drawn.attempt_id if attempt_id is None else attempt_id)}
    data.update(answers)
    return client.post(f"/learn/{course_id}/{module_key}/quiz", data=data)


def post(client, path: str, **data):
    data.setdefault("csrf_token", csrf_token(client, "/courses"))
    return client.post(path, data=data)


def main_html(response) -> str:
    return response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
