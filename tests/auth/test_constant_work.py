"""Finding 3: signing in to a deactivated or invited account answered faster than to
a real one. Every sign-in now verifies exactly one hash of the same kind and cost."""

import pytest

from elearn.auth import passwords
from elearn.auth.models import User
from elearn.extensions import db
from tests.factories import PASSWORD
from tests.web import csrf_token


@pytest.fixture
def verifications(monkeypatch):
    """The hashes checked, by their method and cost (the part before the salt), in
    either code path (argon2id, or werkzeug's for older hashes and the tests' pbkdf2)."""
    seen: list[str] = []
    real_werkzeug, real_argon2 = passwords.check_password_hash, passwords.ARGON2

    def werkzeug(password_hash, password):
        seen.append(password_hash.split("$", 1)[0])
        return real_werkzeug(password_hash, password)

    class CountingArgon2:
        def __getattr__(self, name):
            return getattr(real_argon2, name)

        def verify(self, password_hash, password):
            seen.append(password_hash.rsplit("$", 2)[0])
            return real_argon2.verify(password_hash, password)

    monkeypatch.setattr(passwords, "check_password_hash", werkzeug)
    monkeypatch.setattr(passwords, "ARGON2", CountingArgon2())
    return seen


def _kind(app) -> str:
    with app.app_context():
        made = passwords.hash_password("any password at all")
    return made.rsplit("$", 2)[0] if made.startswith("$argon2") else made.split("$", 1)[0]


def test_every_kind_of_account_costs_one_verification_of_the_same_kind(
        app, client, make_user, verifications):
    make_user(email="ona@example.lt")
    deactivated = make_user(email="gone@example.lt")
    invited = make_user(email="invited@example.lt", password=None)
    with app.app_context():
        db.session.get(User, deactivated).active = False
        db.session.commit()
        assert db.session.get(User, invited).password_hash is None
    attempts = [
        ("ona@example.lt", PASSWORD, 302),  # right
        ("ona@example.lt", "a wrong guess here", 422),
        ("nobody@example.lt", PASSWORD, 422),  # unknown
        ("gone@example.lt", PASSWORD, 422),  # deactivated, with its right password
        ("invited@example.lt", PASSWORD, 422),  # invited, no password yet
    ]
    for email, password, status in attempts:
        token = csrf_token(client, "/account/login")
        verifications.clear()
        response = client.post("/account/login", data={
            "email": email, "password": password, "csrf_token": token})
        assert response.status_code == status, email
        assert verifications == [_kind(app)], email
        if status == 302:
            client.post("/account/logout", data={"csrf_token": csrf_token(client, "/")})


def test_the_same_with_argon2id_as_in_production(app, make_user, monkeypatch, verifications):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "argon2id")
    test_every_kind_of_account_costs_one_verification_of_the_same_kind(
        app, app.test_client(), make_user, verifications)
