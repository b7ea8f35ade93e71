"""Home page, language switch and health check."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from elearn.access import public
from elearn.extensions import csrf, db
from elearn.i18n import current_language, today
from elearn.learning import services as learning
from elearn.main import bp
from elearn.reading import write_probe
from elearn.urls import safe_local_path


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    page = learning.home(current_user._get_current_object(), current_language())
    return render_template("learning/home.html", page=page, today=today())


@bp.route("/language", methods=["POST"])
@public
def set_language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        return render_template("errors/400.html"), 400
    session["lang"] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang
        db.session.commit()
    return redirect(safe_local_path(request.form.get("next"), url_for("main.index")))


@bp.route("/healthz")
@public
@csrf.exempt
@write_probe
def healthz():
    """200 while the database answers and, on SQLite, accepts writes; 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
        if db.engine.dialect.name == "sqlite":
            # A file the server may read but not write answers SELECT 1 while every
            # sign-in fails; a write that changes nothing, rolled back, tells them apart.
            db.session.execute(text("DELETE FROM municipality WHERE 1 = 0"))
    except SQLAlchemyError:
        return jsonify(status="unavailable", database=False), 503
    finally:
        db.session.rollback()
    return jsonify(status="ok", database=True)
