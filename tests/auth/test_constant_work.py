"""Finding 3: signing in to a deactivated or invited account answered faster than to
a real one. Every sign-in now verifies exactly one hash of the same kind and cost."""

import pytest

from elearn.auth import passwords
from elearn.auth.models import User
from elearn.extensions import db
from tests.conftest import PASSWORD, csrf_token


@pytest.fixture
def verifications(monkeypatch):
    """The hashes checked, by their method and cost (the part before the salt)."""
    seen: list[str] = []
    real = passwords.check_password_hash

    def counting(password_hash, password):
        seen.append(password_hash.split("$", 1)[0])
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    return seen


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
        assert verifications == [app.config["PASSWORD_HASH_METHOD"]], email
        if status == 302:
            client.post("/account/logout", data={"csrf_token": csrf_token(client, "/")})
