from elearn.auth.models import User
from elearn.extensions import db
from tests.web import csrf_token


def profile_form(client, **overrides):
    data = {"full_name": "Ona Žemaitytė", "municipality": "LT-13", "workplace": "Mokykla",
            "profession": "teacher", "locale": "lt",
            "csrf_token": csrf_token(client, "/account/profile")}
    data.update(overrides)
    return data


def test_profile_edit_saves_and_switches_language(app, client, login_as):
    user_id = login_as()
    response = client.post("/account/profile", data=profile_form(client))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.full_name, user.municipality_code, user.profession, user.locale) == (
            "Ona Žemaitytė", "LT-13", "teacher", "lt")
    assert '<html lang="lt">' in client.get("/account/profile").get_data(as_text=True)


def test_profile_refuses_bad_input_and_stores_nothing(app, client, login_as):
    user_id = login_as()
    with app.app_context():
        before = db.session.get(User, user_id).full_name
    for overrides in ({"municipality": "LT-61"}, {"full_name": ""}, {"workplace": "x" * 201},
                      {"profession": "pilot"}, {"locale": "de"}):
        response = client.post("/account/profile", data=profile_form(client, **overrides))
        assert response.status_code == 422, overrides
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.full_name == before and user.municipality_code == "LT-57"


def test_mail_goes_to_the_log_without_a_mail_server(app, monkeypatch, caplog):
    from elearn.mail import send_mail

    monkeypatch.setitem(app.config, "MAIL_BACKEND", None)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    with app.app_context(), caplog.at_level("INFO"):
        send_mail("ona@example.lt", "Tema", "Laiško tekstas")
    assert "Laiško tekstas" in caplog.text and "ona@example.lt" in caplog.text
