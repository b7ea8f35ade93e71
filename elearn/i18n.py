"""Which language and time zone a request is served in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session


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


def local_today() -> date:
    """Today's date where the platform's people are (Europe/Vilnius by default), not UTC:
    certificates, due dates and reminders change day at local midnight."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
