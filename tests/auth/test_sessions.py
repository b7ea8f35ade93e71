import re

from elearn.auth.models import User
from elearn.extensions import db
from elearn.mail import outbox
from tests.factories import PASSWORD
from tests.web import csrf_token, login

NEW_PASSWORD = "velvet lantern orbit meadow"


def test_login_failure_says_the_same_for_unknown_email(app, client, make_user):
    make_user(email="known@example.lt")
    answers = []
    for email in ("known@example.lt", "unknown@example.lt"):
        token = csrf_token(client, "/account/login")
        response = client.post(
            "/account/login",
            data={"email": email, "password": "wrong password here", "csrf_token": token},
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 422
        answers.append(re.sub(r'value="[^"]*"', "", response.get_data(as_text=True)))
    assert "The e-mail address or the password is wrong." in answers[0]
    assert answers[0] == answers[1]


def test_login_is_case_insensitive_and_starts_a_new_session(app, client, make_user):
    user_id = make_user(email="ona@example.lt")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    token = csrf_token(client, "/account/login")
    response = client.post(
        "/account/login",
        data={"email": "ONA@example.lt", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]
    with app.app_context():  # signing in is being seen; opening pages writes nothing
        assert db.session.get(User, user_id).last_seen_at is not None


def test_open_redirect_after_login_is_refused(app, client, make_user):
    make_user(email="ona@example.lt")
    token = csrf_token(client, "/account/login")
    response = client.post(
        "/account/login?next=https://evil.example/",
        data={"email": "ona@example.lt", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_logout_ends_every_session_of_the_user(app, make_user):
    user_id = make_user()
    phone, desk = app.test_client(), app.test_client()
    assert login(phone, app, user_id).status_code == 302
    assert login(desk, app, user_id).status_code == 302
    assert desk.get("/account/profile").status_code == 200
    token = csrf_token(phone, "/account/profile")
    assert phone.post("/account/logout", data={"csrf_token": token}).status_code == 302
    assert desk.get("/account/profile").status_code == 302  # back to the login page
    assert phone.get("/account/profile").status_code == 302


def test_logout_needs_post_with_csrf(app, client, login_as):
    login_as()
    assert client.get("/account/logout").status_code == 405
    assert client.post("/account/logout").status_code == 400
    assert client.get("/account/profile").status_code == 200


def test_password_change_signs_out_other_devices(app, make_user):
    user_id = make_user()
    phone, desk = app.test_client(), app.test_client()
    login(phone, app, user_id)
    login(desk, app, user_id)
    token = csrf_token(phone, "/account/password")
    response = phone.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
              "csrf_token": token},
    )
    assert response.status_code == 302
    assert phone.get("/account/profile").status_code == 200
    assert desk.get("/account/profile").status_code == 302
    assert login(desk, app, user_id, NEW_PASSWORD).status_code == 302


def test_password_change_needs_the_current_password(app, client, login_as):
    login_as()
    token = csrf_token(client, "/account/password")
    response = client.post(
        "/account/password",
        data={"current_password": "not my password", "password": NEW_PASSWORD,
              "confirm": NEW_PASSWORD, "csrf_token": token},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "The current password is wrong." in response.get_data(as_text=True)


def test_deactivated_account_is_signed_out_and_cannot_sign_in(app, client, login_as, runner):
    user_id = login_as()
    with app.app_context():
        email = db.session.get(User, user_id).email
    result = runner.invoke(args=["users", "deactivate", email])
    assert result.exit_code == 0, result.output
    assert client.get("/account/profile").status_code == 302
    assert login(client, app, user_id).status_code == 422


def _reset_link(app) -> str:
    with app.app_context():
        body = outbox()[-1].get_content()
    return re.search(r"http://localhost(/account/reset/\S+)", body).group(1)


def test_password_reset_link_works_once(app, client, make_user):
    user_id = make_user(email="ona@example.lt")
    token = csrf_token(client, "/account/reset")
    response = client.post("/account/reset", data={"email": "ona@example.lt", "csrf_token": token})
    assert response.status_code == 200
    path = _reset_link(app)
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(client, path)}
    assert client.post(path, data=form).status_code == 302
    other = app.test_client()
    assert other.get(path).status_code == 404  # used: the link no longer works
    assert login(other, app, user_id, NEW_PASSWORD).status_code == 302


def test_password_reset_for_unknown_email_answers_the_same(app, client, make_user):
    make_user(email="ona@example.lt")
    pages = []
    for email in ("ona@example.lt", "nobody@example.lt"):
        token = csrf_token(client, "/account/reset")
        response = client.post("/account/reset", data={"email": email, "csrf_token": token})
        assert response.status_code == 200
        page = response.get_data(as_text=True).replace(email, "EMAIL")
        # CSRF tokens carry the second they were made in: not a difference between the answers
        pages.append(re.sub(r'name="csrf_token"( type="hidden")? value="[^"]+"', "", page))
    assert pages[0] == pages[1]
    with app.app_context():
        assert len(outbox()) == 1


def test_expired_or_forged_reset_token_is_refused(app, client, make_user, monkeypatch):
    from datetime import timedelta

    make_user(email="ona@example.lt")
    token = csrf_token(client, "/account/reset")
    client.post("/account/reset", data={"email": "ona@example.lt", "csrf_token": token})
    path = _reset_link(app)
    assert client.get(path + "x").status_code == 404
    assert client.get("/account/reset/" + "A" * 600).status_code == 404
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", timedelta(seconds=-1))
    assert client.get(path).status_code == 404
