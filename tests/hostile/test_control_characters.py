"""Findings 1 and 2 of the hostile review: control characters in any body type, and
ids beyond what the databases hold, are refused with a 400 before any query."""

import io

import pytest
from sqlalchemy import func, select

from elearn.assignments.models import Assignment
from elearn.auth.models import Role, User
from elearn.directory.models import ReferralContact
from elearn.extensions import db
from elearn.inputs import MAX_ID, has_control_characters, parse_id
from tests.factories import insert_course
from tests.web import csrf_token

MULTIPART = "multipart/form-data"


@pytest.mark.parametrize("path", [
    "/account/register", "/account/login", "/account/reset",
])
def test_nul_in_a_multipart_field_is_refused_for_anonymous_forms(client, path):
    token = csrf_token(client, path)
    response = client.post(path, content_type=MULTIPART, data={
        "csrf_token": token, "email": "ona@example.lt", "full_name": "Ona\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", [
    "/account/profile", "/supervision/LT-57/assignments/withdraw", "/certificates/1/revoke",
    "/supervision/LT-57/contacts/new",
])
def test_nul_in_a_multipart_field_is_refused_when_signed_in(app, client, login_as, path):
    login_as(Role.ADMIN, municipality="LT-57")
    token = csrf_token(client, "/account/profile")
    response = client.post(path, content_type=MULTIPART, data={
        "csrf_token": token, "full_name": "Ona\x00", "due_on": "2030-01-01\x00",
        "reason": "x\x00", "role": "police", "organisation_local": "Policija\x00"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReferralContact)) == 0
        assert all("\x00" not in name for name in db.session.scalars(select(User.full_name)))


@pytest.mark.parametrize("value", ["\x1b[31m", "a\x7fb", "\x85", "\x0b", "\x08"])
def test_other_control_characters_are_refused_in_forms(client, value):
    token = csrf_token(client, "/account/login")
    response = client.post("/account/login", data={
        "csrf_token": token, "email": "ona@example.lt", "password": value})
    assert response.status_code == 400


def test_tabs_and_line_breaks_are_text(client, login_as):
    login_as()
    token = csrf_token(client, "/account/profile")
    response = client.post("/account/profile", data={
        "csrf_token": token, "full_name": "Ona\tPetraitienė\r\n", "municipality": "LT-57",
        "workplace": "Centras", "profession": "social_worker", "locale": "en"})
    assert response.status_code == 302


def test_control_characters_in_a_file_name_are_refused(client, login_as):
    login_as(Role.SUPERVISOR, supervises=("LT-57",))
    url = "/supervision/LT-57/import"
    response = client.post(url, content_type=MULTIPART, data={
        "csrf_token": csrf_token(client, url),
        "file": (io.BytesIO(b"full_name,email\n"), "staff\x00.csv")})
    assert response.status_code == 400
    response = client.post(url, content_type=MULTIPART, data={
        "csrf_token": csrf_token(client, url),
        "file": (io.BytesIO(b"full_name,email\n"), "staff\x1b.csv")})
    assert response.status_code == 400


@pytest.mark.parametrize("document", [
    '{"email": "a\\u0000b"}', '{"a\\u0000": 1}', '["ok", {"deep": ["\\ud800"]}]',
    '{"name": "\\u001b"}', "[" * 100_000 + "]" * 100_000,
])
def test_json_bodies_with_control_characters_or_surrogates_are_refused(client, document):
    response = client.post("/account/login", data=document.encode(),
                           content_type="application/json")
    assert response.status_code == 400


def test_an_id_beyond_the_integer_range_is_refused_not_a_500(app, client, login_as):
    with app.app_context():
        insert_course("alpha", order=1)
    login_as(Role.SUPERVISOR, supervises=("LT-57",))
    url = "/supervision/LT-57/assignments/new"
    for learners in (str(MAX_ID + 1), "99999999999999999999", "-1", "١٢", "1e3"):
        response = client.post(url, data={
            "csrf_token": csrf_token(client, url), "course": "alpha", "due_on": "2030-01-01",
            "target": "learners", "learners": learners})
        assert response.status_code in (400, 422), learners
    assert client.get(url, query_string={"learner": str(MAX_ID + 1)}).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_one_id_rule_for_urls_queries_and_forms(client, login_as):
    assert parse_id("0") == 0 and parse_id(str(MAX_ID)) == MAX_ID and parse_id(7) == 7
    for bad in ("", " 1", "+1", "-1", "1.0", "١", "²", str(MAX_ID + 1), "0" * 11, MAX_ID + 1,
                True, None):
        with pytest.raises(ValueError):
            parse_id(bad)
    login_as()
    assert client.get(f"/certificates/{MAX_ID + 1}").status_code == 404
    quiz = client.post("/learn/demo/signs/quiz", data={
        "csrf_token": csrf_token(client, "/courses"), "attempt": str(MAX_ID + 1)})
    assert quiz.status_code in (400, 404)


def test_control_character_rule():
    assert has_control_characters("\x00") and has_control_characters("\ud800")
    assert has_control_characters("\x9f") and not has_control_characters("ąčę 𝕏\t\r\n")
    assert not has_control_characters("\u00a0 \u200d")  # no-break space, joiner: text
