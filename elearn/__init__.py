"""elearn: training for the professionals who meet victims of human trafficking."""

from __future__ import annotations

import logging
import os
import secrets
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from werkzeug.routing import IntegerConverter

from elearn.config import DEFAULT_SECRET_KEY, Config
from elearn.countries import country, languages_for, timezone_for
from elearn.inputs import MAX_ID

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BoundedIntConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):  # noqa: A002  (werkzeug's parameter name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)

    _resolve_paths(app)
    _apply_country(app)
    # A failed statement's message must not carry its values into the log: they
    # include password hashes, session tokens and people's details.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "hide_parameters": not app.debug,
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    _configure_logging(app)
    # Ids beyond what the databases store are simply not found (not a 500).
    app.url_map.converters["int"] = BoundedIntConverter
    _check_secret_key(app)
    _check_public_url(app)
    _check_registration(app, config)

    from elearn import errors, models, security  # noqa: F401  (models: register tables)
    from elearn.audit import services as _audit  # noqa: F401  (the audit guard's listeners)
    from elearn.extensions import babel, csrf, db, limiter, login_manager, migrate
    from elearn.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )
    # One shared limit for all gunicorn workers when Redis is configured.
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)

    from elearn import access, cli, jobs, pool, reading, templating
    from elearn.admin.views import bp as admin_bp
    from elearn.assignments.views import bp as assignments_bp
    from elearn.auth.views import bp as auth_bp
    from elearn.background.views import bp as background_bp
    from elearn.certificates.views import bp as certificates_bp
    from elearn.directory.views import bp as directory_bp
    from elearn.item_analysis.views import bp as item_analysis_bp
    from elearn.learning.views import bp as learning_bp
    from elearn.main.views import bp as main_bp
    from elearn.national.views import bp as national_bp
    from elearn.privacy.views import bp as privacy_bp
    from elearn.publishing.views import bp as publishing_bp
    from elearn.supervision.views import bp as supervision_bp

    reading.init_app(app)  # first: it marks the request before the user is loaded
    pool.init_app(app)
    access.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(publishing_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(item_analysis_bp)
    app.register_blueprint(supervision_bp)
    app.register_blueprint(assignments_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(national_bp)
    app.register_blueprint(background_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(privacy_bp)
    _connect_signals()
    cli.init_app(app)
    jobs.init_app(app)
    return app


def _configure_logging(app: Flask) -> None:
    """INFO and above reach the server's log: gunicorn's error log when gunicorn
    serves the app, standard error otherwise."""
    gunicorn = logging.getLogger("gunicorn.error")
    if gunicorn.handlers:
        app.logger.handlers = list(gunicorn.handlers)
        app.logger.propagate = False
        app.logger.setLevel(gunicorn.level)
    elif app.logger.level == logging.NOTSET and not app.debug:
        app.logger.setLevel(logging.INFO)
    mail_is_logged = not (app.config.get("MAIL_BACKEND") or app.config.get("MAIL_SERVER"))
    if mail_is_logged and not app.testing and not _running_cli_utility():
        app.logger.warning(
            "MAIL_SERVER is not set: e-mails (invitations, password resets, reminders) "
            "are written to this log and NOT sent."
        )


def _connect_signals() -> None:
    """Certificates are issued inside the transaction that completes a course; a
    learner's home page lists the courses assigned to her; a new version completes the
    course of those who had done all its modules; someone joining a municipality gets
    the courses its assignment rules give newcomers."""
    from elearn.assignments.rules import on_staff_joined
    from elearn.assignments.services import due_dates_of
    from elearn.auth.signals import staff_joined
    from elearn.certificates.services import on_course_completed
    from elearn.learning.progress import on_version_published
    from elearn.learning.signals import course_completed, due_dates
    from elearn.publishing.signals import version_published

    course_completed.connect(on_course_completed, weak=False)
    due_dates.connect(due_dates_of, weak=False)
    version_published.connect(on_version_published, weak=False)
    staff_joined.connect(on_staff_joined, weak=False)


def apply_country(app: Flask, code: str) -> None:
    """Serve another country from now on (`flask demo --country`): its languages and time
    zone, unless ELEARN_LANGUAGES or ELEARN_TIMEZONE set them."""
    app.config.update(COUNTRY=code, LANGUAGES=Config.LANGUAGES,
                      BABEL_DEFAULT_TIMEZONE=Config.BABEL_DEFAULT_TIMEZONE)
    _apply_country(app)


def _apply_country(app: Flask) -> None:
    """Settings that follow ELEARN_COUNTRY unless they are set: the interface languages
    (the country's own first) and the time zone."""
    try:
        app.config["COUNTRY"] = country(app.config.get("COUNTRY")).code
        app.config["LANGUAGES"] = languages_for(app.config)
    except (LookupError, ValueError) as error:
        raise RuntimeError(str(error)) from None
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["LANGUAGES"][0]
    zone = timezone_for(app.config)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuntimeError(
            f"ELEARN_TIMEZONE={zone!r} is not an IANA time zone (e.g. Europe/Riga)"
        ) from None
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone


def _resolve_paths(app: Flask) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
            app.instance_path, "elearn.sqlite"
        )
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if uri.startswith(("postgres://", "postgresql://")):
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    if not app.config.get("COURSES_DIR"):
        app.config["COURSES_DIR"] = str(PROJECT_ROOT / "courses")


def _running_cli_utility() -> bool:
    """True under `flask <command>` for any command but `run`, which serves requests."""
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true" and "run" not in sys.argv[1:]


REGISTRATION_MODES = ("open", "confirm", "closed")


def _check_registration(app: Flask, config) -> None:
    """REGISTRATION is open, confirm or closed; a configuration that still says
    REGISTRATION_OPEN (True/False) without REGISTRATION keeps its meaning (the
    environment's is mapped in config.py)."""
    if isinstance(config, dict) and "REGISTRATION_OPEN" in config and (
            "REGISTRATION" not in config):
        app.config["REGISTRATION"] = "open" if config["REGISTRATION_OPEN"] else "closed"
    mode = str(app.config.get("REGISTRATION") or "confirm").strip().lower()
    if mode not in REGISTRATION_MODES:
        raise RuntimeError(f"REGISTRATION={mode!r}: use one of open, confirm, closed")
    app.config["REGISTRATION"] = mode


def _check_public_url(app: Flask) -> None:
    """Production links in e-mails and QR codes must not come from the request's Host
    header, which anyone can set: a password-reset link could point elsewhere."""
    if app.config.get("PUBLIC_URL") or app.debug or app.testing or _running_cli_utility():
        return
    raise RuntimeError(
        "PUBLIC_URL is not set. Set it to the address people use, e.g. "
        "https://mokymai.example.lt, so that e-mails and certificates link there."
    )


def _check_secret_key(app: Flask) -> None:
    """Refuse to run in production without a real secret key."""
    key = app.config.get("SECRET_KEY")
    if key and key != DEFAULT_SECRET_KEY:
        return
    if _running_cli_utility():
        # `flask courses check` in an author's CI signs nothing: a throwaway key will do.
        app.config["SECRET_KEY"] = secrets.token_urlsafe(48)
        return
    if app.debug or app.testing:
        # Development: a random key kept in the instance folder survives reloads.
        key_file = Path(app.instance_path) / "dev-secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
        app.config["SECRET_KEY"] = key_file.read_text().strip()
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
        "value (python -c 'import secrets; print(secrets.token_urlsafe(48))'), or run "
        "with --debug for local development."
    )
