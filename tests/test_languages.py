"""The interface languages follow the deployment's country: Lithuanian and English in
Lithuania, Latvian and English in Latvia, all three where ELEARN_LANGUAGES says so."""

from __future__ import annotations

from datetime import date

import pytest

from elearn import create_app
from elearn.auth.models import Role, User
from elearn.config import TestConfig
from elearn.extensions import db
from tests.apps import make_app
from tests.web import csrf_token, login


def _config(**settings):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    for key, value in settings.items():
        setattr(Config, key, value)
    return Config


@pytest.mark.parametrize(("settings", "languages"), [
    ({"COUNTRY": "LT"}, ("lt", "en")),
    ({"COUNTRY": "LV"}, ("lv", "en")),
    ({"COUNTRY": "LV", "LANGUAGES": "lv, lt,en"}, ("lv", "lt", "en")),
    ({"COUNTRY": "LT", "LANGUAGES": "en,lt"}, ("en", "lt")),
])
def test_the_languages_and_the_default_follow_the_country_unless_set(settings, languages):
    app = create_app(_config(**settings))
    assert app.config["LANGUAGES"] == languages
    assert app.config["BABEL_DEFAULT_LOCALE"] == languages[0]


@pytest.mark.parametrize("value", ["lt,ru", "de", ","])
def test_an_unknown_language_stops_the_start_with_a_clear_message(value):
    with pytest.raises(RuntimeError, match="ELEARN_LANGUAGES=.*use some of lt, lv, en"):
        create_app(_config(LANGUAGES=value))


def test_a_latvian_platform_speaks_latvian_to_a_visitor(latvian_app):
    client = latvian_app.test_client()  # no Accept-Language: the deployment's default
    html = client.get("/account/login").get_data(as_text=True)
    assert '<html lang="lv"' in html
    assert "Pieteikties" in html  # "Sign in", from the lv catalogue
    # The switch offers the other language of this deployment, named in itself.
    assert '<button type="submit" name="lang" value="en" lang="en">In English</button>' in html
    assert 'value="lt"' not in html


def test_a_lithuanian_platform_offers_no_latvian(app):
    client = app.test_client()  # no Accept-Language: the deployment's default
    html = client.get("/account/login").get_data(as_text=True)
    assert '<html lang="lt"' in html
    assert 'value="lv"' not in html
    token = csrf_token(client, "/account/login")
    response = client.post("/language", data={"lang": "lv", "csrf_token": token,
                                              "next": "/"})
    assert response.status_code == 400
    assert '<html lang="lt"' in client.get("/account/login").get_data(as_text=True)


def test_a_platform_can_offer_all_three(database_url):
    app = make_app(database_url, LANGUAGES="lt,lv,en")
    client = app.test_client()
    html = client.get("/account/login").get_data(as_text=True)
    for lang, name in (("lv", "Latviski"), ("en", "In English")):
        assert f'value="{lang}" lang="{lang}">{name}</button>' in html
    token = csrf_token(client, "/account/login")
    client.post("/language", data={"lang": "lv", "csrf_token": token, "next": "/"})
    assert '<html lang="lv"' in client.get("/account/login").get_data(as_text=True)


def test_a_latvian_learner_registers_in_latvian_by_default(latvian_app, make_user):
    user_id = make_user(Role.LEARNER, municipality="LV-RIX")
    client = latvian_app.test_client()
    login(client, latvian_app, user_id)
    html = client.get("/account/profile").get_data(as_text=True)
    # The language choice lists this deployment's languages, each named in itself.
    assert '<option lang="lv" value="lv"' in html or 'value="lv" lang="lv"' in html
    assert "Lietuvių" not in html


def test_dates_read_the_latvian_way(latvian_app):
    from flask_babel import force_locale

    from elearn.templating import format_day, format_month

    with latvian_app.test_request_context("/"), force_locale("lv"):
        assert format_day(date(2026, 12, 1)) == "2026. gada 1. decembris"
        assert format_month(date(2026, 12, 1)) == "2026. gada decembris"


def test_a_new_account_takes_the_deployments_language(latvian_app):
    from elearn.auth import services as accounts

    with latvian_app.app_context():
        user = accounts.create_user(email="valoda@example.lv", full_name="Valoda Test",
                                    password=None, municipality_code="LV-RIX")
        db.session.commit()
        assert db.session.get(User, user.id).locale == "lv"
        db.session.delete(user)
        db.session.commit()
