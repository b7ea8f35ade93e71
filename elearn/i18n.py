"""Which language and time zone a request is served in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context, has_request_context, request, session
from flask_babel import get_locale

from elearn.config import Config
from elearn.countries import country, timezone_for


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands, e-mails: their callers use force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # The signed-in user's language is copied into the session at sign-in, so
    # choosing the locale never needs the database (error pages included).
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def local_language() -> str:
    """The deployment's country's language ("lt" in Lithuania, "lv" in Latvia): the
    language of texts a municipality must write, such as its referral contacts."""
    return country(current_app.config["COUNTRY"]).language


def current_language() -> str:
    """The language this request is served in (one of LANGUAGES: "lt", "lv" or "en")."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def today() -> date:
    """Today's date where the platform's people are (the country's time zone by default),
    not UTC: certificates, due dates and reminders change day at local midnight."""
    zone = timezone_for(current_app.config if has_app_context() else vars(Config))
    return datetime.now(ZoneInfo(zone)).date()


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
