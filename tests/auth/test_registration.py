import pytest
from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.extensions import db
from tests.factories import PASSWORD
from tests.web import csrf_token


def form(client, **overrides):
    data = {
        "full_name": "Žydrūnė Ąžuolaitė",
        "email": "Zydrune@Example.LT",
        "municipality": "LT-57",
        "workplace": "Vilniaus miesto socialinės paramos centras",
        "profession": "social_worker",
        "locale": "lt",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "csrf_token": csrf_token(client, "/account/register"),
    }
    data.update(overrides)
    return data


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_register_creates_account_and_signs_in(app, client):
    response = client.post("/account/register", data=form(client))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "zydrune@example.lt"
        assert user.full_name == "Žydrūnė Ąžuolaitė"
        assert user.municipality_code == "LT-57"
        assert user.role == "learner"
        assert user.password_hash and PASSWORD not in user.password_hash
    assert client.get("/account/profile").status_code == 200


def test_email_is_unique_whatever_its_case(app, client, make_user):
    make_user(email="zydrune@example.lt")
    response = client.post("/account/register", data=form(client, email="ZYDRUNE@example.lt "))
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert user_count(app) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter an e-mail address like"),
        ("full_name", "x" * 201, "Field cannot be longer than 200 characters"),
        ("full_name", "", "Enter your full name."),
        ("municipality", "LT-99", "Not a valid choice"),
        ("municipality", "", "Choose the municipality you work for."),
        ("profession", "astronaut", "Not a valid choice"),
        ("password", "short", "Use at least 12 characters."),
        ("password", "password1234", "on a list of common passwords"),
        ("password", "aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("password", "a" * 129, "Use at most 128 characters."),
        ("confirm", "something else entirely", "The two passwords are not the same."),
    ],
)
def test_bad_input_is_refused_next_to_the_field(app, client, field, value, message):
    overrides = {field: value}
    if field == "password":
        overrides["confirm"] = value
    response = client.post(
        "/account/register", data=form(client, **overrides), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html
    assert user_count(app) == 0


def test_common_password_is_refused(app, client):
    response = client.post(
        "/account/register",
        data=form(client, password="qwertyuiop123", confirm="qwertyuiop123"),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert user_count(app) == 0


def test_registration_can_be_switched_off(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_OPEN", False)
    assert client.get("/account/register").status_code == 403
    response = client.post("/account/register", data=form(client))
    assert response.status_code == 403
    assert user_count(app) == 0


def test_form_without_csrf_token_is_refused(app, client):
    data = form(client)
    del data["csrf_token"]
    response = client.post("/account/register", data=data)
    assert response.status_code == 400
    assert user_count(app) == 0
