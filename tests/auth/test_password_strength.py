"""Finding 5: passwords made of a common word and a year, of the person's own name and
birth year, or of her e-mail address were accepted. zxcvbn now weighs them with her
details and the platform's name, and says why in her language."""

from pathlib import Path

import pytest
import zxcvbn
from babel.messages.extract import extract_from_file

from elearn.auth import services as accounts
from elearn.auth.models import User
from elearn.auth.strength_feedback import ZXCVBN_FEEDBACK
from elearn.extensions import db
from tests.web import csrf_token, login

ONA = {"full_name": "Ona Petraitienė", "email": "ona.petraitiene@example.lt"}


def register(client, password: str, lang: str = "en", **person):
    client.post("/language", data={"lang": lang, "csrf_token": csrf_token(client, "/")})
    data = {"full_name": ONA["full_name"], "email": ONA["email"], "municipality": "LT-57",
            "workplace": "Centras", "profession": "social_worker", "locale": lang,
            "password": password, "confirm": password,
            "csrf_token": csrf_token(client, "/account/register")}
    data.update(person)
    return client.post("/account/register", data=data)


@pytest.mark.parametrize("password", [
    "Password 2026!", "Ona Petraitienė 1985", "OnaPetraitiene1985!", "petraitiene.ona 1985",
    "ona.petraitiene@example.lt", "Ona.Petraitiene@Example.lt!", "Anti-trafficking training 1",
])
def test_guessable_passwords_are_refused(app, client, password):
    response = register(client, password)
    assert response.status_code == 422, password
    assert "too easy to guess" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).count() == 0


@pytest.mark.parametrize("password", [
    "correct horse battery staple", "Mano katinas Murkis miega", "žalias medis bėga greitai",
    "Ona mėgsta žalią arbatą vakare", "xK9#mP2$vL7!q",
])
def test_strong_passwords_and_passphrases_are_accepted(app, client, password):
    assert register(client, password).status_code in (200, 302), password


def test_a_password_change_weighs_the_persons_own_details(app, client, make_user):
    user_id = make_user(**ONA)
    login(client, app, user_id)
    token = csrf_token(client, "/account/password")
    response = client.post("/account/password", data={
        "current_password": "correct horse battery staple", "password": "Petraitiene 1985!",
        "confirm": "Petraitiene 1985!", "csrf_token": token})
    assert response.status_code == 422
    assert "Leave out your name" in response.get_data(as_text=True) or "too easy" in (
        response.get_data(as_text=True))


def test_the_reasons_are_given_in_lithuanian(app):
    client = app.test_client()
    html = register(client, "Password 2026!", lang="lt").get_data(as_text=True)
    assert "Šį slaptažodį per lengva atspėti." in html
    assert "Jis panašus į dažnai naudojamą slaptažodį." in html
    assert "too easy" not in html and "commonly used" not in html


def test_every_zxcvbn_message_is_in_our_catalogues():
    source = Path(zxcvbn.__file__).with_name("feedback.py")
    with source.open("rb") as handle:
        said = {message for _line, message, _comments, _context in
                extract_from_file("python", handle.name, keywords={"_": None})}
    assert said and said <= {str(text._args[0]) for text in ZXCVBN_FEEDBACK}


def test_existing_passwords_keep_working(app, client, make_user):
    user_id = make_user(email="old@example.lt")
    with app.app_context():  # set before these rules: a name and a year
        user = db.session.get(User, user_id)
        accounts.set_password(user, "Test User 2019")
        db.session.commit()
    assert login(client, app, user_id, "Test User 2019").status_code == 302
