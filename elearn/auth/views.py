"""Sign-in, registration, profile and passwords."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from elearn.access import landing_endpoint, public
from elearn.auth import bp
from elearn.auth import services as accounts
from elearn.auth.forms import (
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegistrationForm,
    ResetRequestForm,
    SetPasswordForm,
)
from elearn.auth.models import User
from elearn.auth.passwords import verify_password
from elearn.extensions import db, limiter
from elearn.i18n import current_language
from elearn.municipalities import municipality_choices
from elearn.urls import safe_local_path

INVALID = 422  # a form that does not validate is answered with this status
EMAIL_TAKEN = _l(
    "An account with this e-mail address already exists. Sign in or reset the password."
)


def _failed(response) -> bool:
    """Count a POST against the rate limit unless it succeeded (redirected)."""
    return response.status_code != 302


def _login_email_key() -> str:
    return "login-email:" + accounts.normalize_email(request.form.get("email", ""))[:254]


def _safe_next(target: str | None, user: User) -> str:
    """The page asked for before signing in, else the user's role's main page."""
    return safe_local_path(target, url_for(landing_endpoint(user)))


def _start_session(user: User) -> None:
    lang = session.get("lang") or user.locale
    session.clear()  # a fresh session on every sign-in
    session["lang"] = lang
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per 5 minutes", methods=["POST"], deduct_when=_failed)
@limiter.limit(
    "20 per hour", methods=["POST"], deduct_when=_failed, key_func=_login_email_key
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user)
            db.session.commit()  # a password hash upgraded on sign-in
            return redirect(_safe_next(request.args.get("next"), user))
        form.form_errors.append(_("The e-mail address or the password is wrong."))
    status = INVALID if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


def _person_form_choices(form) -> None:
    form.municipality.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(code, name) for code, name in municipality_choices()
    ]


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if not current_app.config["REGISTRATION_OPEN"]:
        return render_template("auth/registration_closed.html"), 403
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    _person_form_choices(form)
    if request.method == "GET":
        form.locale.data = current_language()  # the language the page is read in
    if form.validate_on_submit():
        if accounts.email_taken(form.email.data):
            form.email.errors.append(str(EMAIL_TAKEN))
        else:
            user = accounts.create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                password=form.password.data,
                municipality_code=form.municipality.data,
                workplace=form.workplace.data,
                profession=form.profession.data,
                locale=form.locale.data,
            )
            try:
                db.session.commit()
            except IntegrityError:  # the same address registered a moment ago
                db.session.rollback()
                form.email.errors.append(str(EMAIL_TAKEN))
            else:
                session["lang"] = user.locale
                _start_session(user)
                flash(_("Welcome! Your account is ready."), "success")
                return redirect(url_for("main.index"))
    status = INVALID if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    user = current_user
    form = ProfileForm(obj=None if request.method == "POST" else user)
    _person_form_choices(form)
    if request.method == "GET":
        form.municipality.data = user.municipality_code or ""
    if form.validate_on_submit():
        accounts.update_profile(
            user, full_name=form.full_name.data, municipality_code=form.municipality.data,
            workplace=form.workplace.data, profession=form.profession.data,
            locale=form.locale.data,
        )
        db.session.commit()
        session["lang"] = user.locale
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    status = INVALID if request.method == "POST" else 200
    return render_template("auth/profile.html", form=form), status


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=_failed)
def change_password():
    form = PasswordChangeForm()
    form.extra_inputs = (current_user.email, current_user.full_name)
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            user = current_user._get_current_object()
            accounts.set_password(user, form.password.data)
            db.session.commit()
            _start_session(user)  # this browser stays signed in; all others are signed out
            flash(
                _("Your password has been changed. You were signed out everywhere else."),
                "success",
            )
            return redirect(url_for("auth.profile"))
    status = INVALID if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit("5 per 15 minutes", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = accounts.user_by_email(form.email.data)
        if user is not None and user.active:
            accounts.send_password_reset(user, current_language())
        # The same answer whether or not the address is known.
        return render_template("auth/reset_sent.html", email=form.email.data)
    status = INVALID if request.method == "POST" else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset_password(token: str):
    return _set_password_with_token(token, "reset")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
@limiter.limit("10 per 15 minutes", methods=["POST"])
def accept_invitation(token: str):
    return _set_password_with_token(token, "invite")


def _set_password_with_token(token: str, purpose: str):
    if len(token) > 512:
        abort(404)
    user = accounts.user_for_password_token(token, purpose)
    if user is None:
        return render_template("auth/token_invalid.html", purpose=purpose), 404
    form = SetPasswordForm()
    form.extra_inputs = (user.email, user.full_name)
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        db.session.commit()
        _start_session(user)
        flash(_("Your password has been saved. You are signed in."), "success")
        return redirect(url_for(landing_endpoint(user)))
    status = INVALID if request.method == "POST" else 200
    return render_template("auth/set_password.html", form=form, purpose=purpose), status
