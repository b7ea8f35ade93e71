"""Configuration: defaults here, environment variables override them."""

from __future__ import annotations

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-change-me"  # noqa: S105  (refused outside development)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    # None means "an SQLite file in the instance folder", resolved in create_app.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    # A pooled connection idle longer than this many seconds is tested (one round trip)
    # before a request uses it, so that a database restart or a dropped connection costs
    # no failed request; one used a moment ago is not (see elearn/pool.py).
    POOL_PING_IDLE_SECONDS = float(os.environ.get("POOL_PING_IDLE_SECONDS", "10"))

    COUNTRY = os.environ.get("ELEARN_COUNTRY", "LT")
    # None: the country's language and English ("lt,en" for LT, "lv,en" for LV), resolved in
    # create_app; ELEARN_LANGUAGES=lv,lt,en offers all three, the first being the default.
    LANGUAGES = os.environ.get("ELEARN_LANGUAGES") or None
    BABEL_DEFAULT_LOCALE = None  # the first of LANGUAGES
    # None: the country's time zone (Europe/Vilnius for LT, Europe/Riga for LV), set in
    # create_app; see elearn/countries.py.
    BABEL_DEFAULT_TIMEZONE = os.environ.get("ELEARN_TIMEZONE") or None

    # open: anyone registers and counts at once; confirm: a self-registered learner takes
    # courses at once but counts in her municipality's reports only once a supervisor
    # confirms her; closed: only supervisors and admins create accounts. The older
    # REGISTRATION_OPEN=false still means closed (and true, open).
    REGISTRATION = (os.environ.get("REGISTRATION") or (
        None if os.environ.get("REGISTRATION_OPEN") is None
        else ("open" if _bool("REGISTRATION_OPEN", True) else "closed")) or "confirm"
    ).strip().lower()
    # Training records of accounts inactive this long are anonymised (flask privacy purge).
    TRAINING_RECORD_RETENTION_YEARS = int(os.environ.get("TRAINING_RECORD_RETENTION_YEARS",
                                                         "10"))
    COURSES_DIR = os.environ.get("COURSES_DIR") or None  # None: courses/ beside the package
    COURSES_HOOK_SECRET = os.environ.get("COURSES_HOOK_SECRET", "")
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")  # used in e-mails and on certificates

    # Printed in the certificate's header, in the certificate's language (for example
    # "Lietuvos Respublikos vidaus reikalų ministerija"); unset: the platform's name.
    CERTIFICATE_ISSUER_LT = os.environ.get("CERTIFICATE_ISSUER_LT", "")
    CERTIFICATE_ISSUER_EN = os.environ.get("CERTIFICATE_ISSUER_EN", "")
    CERTIFICATE_ISSUER_LV = os.environ.get("CERTIFICATE_ISSUER_LV", "")
    # Optional: a name and title printed under a line to sign on.
    CERTIFICATE_SIGNATORY_NAME = os.environ.get("CERTIFICATE_SIGNATORY_NAME", "")
    CERTIFICATE_SIGNATORY_TITLE_LT = os.environ.get("CERTIFICATE_SIGNATORY_TITLE_LT", "")
    CERTIFICATE_SIGNATORY_TITLE_EN = os.environ.get("CERTIFICATE_SIGNATORY_TITLE_EN", "")
    CERTIFICATE_SIGNATORY_TITLE_LV = os.environ.get("CERTIFICATE_SIGNATORY_TITLE_LV", "")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "elearn@localhost")
    # "smtp" when MAIL_SERVER is set, otherwise "log"; tests use "memory".
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND") or None

    PASSWORD_RESET_MAX_AGE = timedelta(hours=2)
    INVITATION_MAX_AGE = timedelta(days=14)
    CONFIRMATION_MAX_AGE = timedelta(days=2)
    PASSWORD_MIN_LENGTH = 12

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure cookies whenever the request came over https (see create_app).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # CSRF tokens live as long as the session

    # No request body beyond this (staff CSV uploads are the largest, at 1 MB).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024

    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # How many reverse proxies set X-Forwarded-For/-Proto in front of the app.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))


class TestConfig(Config):
    TESTING = True
    # Tests describe a Lithuanian deployment whatever the developer's environment says;
    # tests of another country pass COUNTRY explicitly.
    COUNTRY = "LT"
    LANGUAGES = None
    BABEL_DEFAULT_TIMEZONE = None
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    MAIL_BACKEND = "memory"
    RATELIMIT_ENABLED = False
    REGISTRATION = "open"
    AUDIT_GUARD = True  # a request changing an audited field without an entry fails
    PUBLIC_URL = "http://localhost"
    # Faster hashing in tests only; production uses argon2id (elearn/auth/passwords.py).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105
