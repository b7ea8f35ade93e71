import re

import pytest
from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.mail import outbox
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


def _mails(app) -> list:
    with app.app_context():
        return list(outbox())


def _link(message, path: str) -> str:
    return re.search(rf"http://localhost({path}\S+)", message.get_content()).group(1)


def test_register_creates_an_account_confirmed_by_the_emailed_link(app, client):
    response = client.post("/account/register", data=form(client))
    assert response.status_code == 200
    assert "Patikrinkite el. paštą" in response.get_data(as_text=True)  # she chose Lithuanian
    assert client.get("/account/profile").status_code == 302  # not signed in yet
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "zydrune@example.lt"
        assert user.full_name == "Žydrūnė Ąžuolaitė"
        assert user.municipality_code == "LT-57"
        assert user.role == "learner" and user.email_confirmed_at is None
        assert user.password_hash and PASSWORD not in user.password_hash
    (mail,) = _mails(app)
    assert mail["To"] == "zydrune@example.lt"
    link = _link(mail, "/account/confirm/")
    page = client.get(link)  # opening the link (a mail scanner may) signs nobody in
    assert '<button type="submit" class="button">' in page.get_data(as_text=True)
    assert client.get("/account/profile").status_code == 302
    confirmed = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert confirmed.status_code == 302
    assert client.get("/account/profile").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User)).email_confirmed_at is not None
    assert app.test_client().get(link).status_code == 404  # the link works once


def test_registering_a_taken_address_answers_the_same_and_tells_its_owner(app, client,
                                                                          make_user):
    """Finding 9: registration said "an account with this e-mail already exists"."""
    owner = make_user(email="zydrune@example.lt", full_name="Žydrūnė Tikroji")
    with app.app_context():
        before = db.session.get(User, owner).password_hash
    new = client.post("/account/register", data=form(client, email="new@example.lt"))
    taken = client.post("/account/register", data=form(client, email="ZYDRUNE@example.lt "))
    assert new.status_code == taken.status_code == 200

    def answer(response, email):
        page = response.get_data(as_text=True).replace(email, "EMAIL")
        return re.sub(r'name="csrf_token" value="[^"]+"', "", page)

    assert answer(new, "new@example.lt") == answer(taken, "zydrune@example.lt")
    assert "already" not in taken.get_data(as_text=True)
    assert user_count(app) == 2
    with app.app_context():
        owner_row = db.session.get(User, owner)
        assert owner_row.full_name == "Žydrūnė Tikroji" and owner_row.password_hash == before
    note = _mails(app)[-1]
    assert note["To"] == "zydrune@example.lt"
    assert "Someone tried to register" in note["Subject"]
    assert "/account/login" in note.get_content() and "/account/reset" in note.get_content()


def test_both_answers_cost_one_password_hash(app, client, make_user, monkeypatch):
    from elearn.auth import passwords

    make_user(email="taken@example.lt")
    counted: list[str] = []
    real = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password",
                        lambda password: counted.append(password) or real(password))
    from elearn.auth import services, views

    monkeypatch.setattr(services, "hash_password", passwords.hash_password)
    monkeypatch.setattr(views, "hash_password", passwords.hash_password)
    for email in ("free@example.lt", "taken@example.lt"):
        counted.clear()
        client.post("/account/register", data=form(client, email=email))
        assert counted == [PASSWORD], email


def test_an_unconfirmed_account_signing_in_gets_a_new_link(app, client):
    client.post("/account/register", data=form(client, locale="en"))
    token = csrf_token(client, "/account/login")
    wrong = client.post("/account/login", data={
        "email": "zydrune@example.lt", "password": "not the password", "csrf_token": token})
    assert wrong.status_code == 422 and len(_mails(app)) == 1
    right = client.post("/account/login", data={
        "email": "zydrune@example.lt", "password": PASSWORD, "csrf_token": token})
    assert right.status_code == 200 and "Check your e-mail" in right.get_data(as_text=True)
    assert client.get("/account/profile").status_code == 302
    assert len(_mails(app)) == 2 and "/account/confirm/" in _mails(app)[-1].get_content()


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
    monkeypatch.setitem(app.config, "REGISTRATION", "closed")
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
