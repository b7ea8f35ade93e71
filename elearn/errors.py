"""Error pages: a clear message and the right status, never a stack trace."""

from __future__ import annotations

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from elearn.extensions import db, login_manager

KNOWN = {400, 403, 404, 405, 413, 429}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in KNOWN:
            return render_template(f"errors/{error.code}.html", error=error), error.code
        return error

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        app.logger.error("Database error: %s", error.__class__.__name__, exc_info=error)
        db.session.rollback()
        # A page that needs no database: no signed-in user, no navigation. Flask-Login
        # would otherwise try to load the user again for the template context.
        g._login_user = login_manager.anonymous_user()
        return render_template("errors/unavailable.html"), 503

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/unavailable.html", server_error=True), 500
