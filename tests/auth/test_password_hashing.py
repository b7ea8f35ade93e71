"""Passwords are stored as argon2id; older scrypt hashes still sign in and are upgraded."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from elearn.auth import services as accounts
from elearn.auth.models import User
from elearn.auth.passwords import hash_password, needs_rehash, verify_password
from elearn.extensions import db
from tests.apps import make_app
from tests.factories import PASSWORD
from tests.web import login


def test_new_hashes_are_argon2id_at_owasps_parameters(database_url):
    app = make_app(database_url, PASSWORD_HASH_METHOD="argon2id")
    with app.app_context():
        stored = hash_password(PASSWORD)
        assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert verify_password(stored, PASSWORD)
        assert not verify_password(stored, PASSWORD + "!")
        assert not verify_password("$argon2id$not-a-hash", PASSWORD)
        assert not needs_rehash(stored)


def test_a_scrypt_hash_still_signs_in_and_is_upgraded(database_url, make_user):
    app = make_app(database_url, PASSWORD_HASH_METHOD="argon2id")
    user_id = make_user()
    with app.app_context():
        user = db.session.get(User, user_id)
        user.password_hash = generate_password_hash(PASSWORD, method="scrypt")
        db.session.commit()

    client = app.test_client()
    assert login(client, app, user_id, password="wrong " + PASSWORD).status_code != 302
    with app.app_context():  # a wrong password changes nothing
        assert db.session.get(User, user_id).password_hash.startswith("scrypt:")

    assert login(client, app, user_id).status_code == 302
    with app.app_context():
        upgraded = db.session.get(User, user_id).password_hash
        assert upgraded.startswith("$argon2id$")
        assert accounts.authenticate(db.session.get(User, user_id).email, PASSWORD)
    assert login(app.test_client(), app, user_id).status_code == 302
