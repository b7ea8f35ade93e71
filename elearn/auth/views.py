"""Sign-in, registration, profile and passwords."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta, refresh
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from elearn.access import landing_endpoint, public, touch_last_seen
from elearn.auth import bp, throttle
from elearn.auth import services as accounts
from elearn.auth.forms import (
    ConfirmEmailForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegistrationForm,
    ResetRequestForm,
    SetPasswordForm,
)
from elearn.auth.models import User
from elearn.auth.passwords import hash_password, verify_password
from elearn.extensions import db, limiter
from elearn.i18n import current_language
from elearn.municipalities import municipality_choices
from elearn.urls import safe_local_path

INVALID = 422  # a form that does not validate is answered with this status


# Per address, generous enough for a training room of 30 behind one address with a
# few typos each (docs/security.md); per account, auth/throttle.py slows guessing.
SIGN_IN_FAILURES_PER_ADDRESS = "100 per 10 minutes"
RESETS_PER_ADDRESS = "100 per 15 minutes"
REGISTRATIONS_PER_ADDRESS = "100 per hour"
FORM_POSTS_PER_ADDRESS = "300 per hour"


def _counted(response) -> bool:
    """Deduct from the address's limit only what the view marked (a wrong password,
    a reset or registration request sent), not typos in the form."""
    return bool(g.get("count_against_address"))


def _failed(response) -> bool:
    """Count a POST against the rate limit unless it succeeded (redirected)."""
    return response.status_code != 302


def _paused(template: str, form, wait: int, **context):
    """The same form again, saying how long to wait (a short delay, never a lock-out)."""
    form.form_errors.append(_(
        "Too many tries with this e-mail address. Wait %(time)s and try again.",
        time=format_timedelta(timedelta(seconds=wait), granularity="second", threshold=1.1)))
    response = current_app.make_response((render_template(template, form=form, **context), 429))
    response.headers["Retry-After"] = str(wait)
    return response


def _safe_next(target: str | None, user: User) -> str:
    """The page asked for before signing in, else the user's role's main page."""
    return safe_local_path(target, url_for(landing_endpoint(user)))


def _start_session(user: User) -> None:
    lang = session.get("lang") or user.locale
    session.clear()  # a fresh session on every sign-in
    session["lang"] = lang
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
    login_user(user)
    touch_last_seen(user)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(SIGN_IN_FAILURES_PER_ADDRESS, methods=["POST"], deduct_when=_counted)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = accounts.normalize_email(form.email.data)
        wait = throttle.wait_seconds(throttle.SIGN_IN, email)
        if wait:
            return _paused("auth/login.html", form, wait)
        user = accounts.authenticate(email, form.password.data)
        if user is not None and user.email_confirmed_at is None:
            throttle.forget_address(throttle.SIGN_IN, email)
            db.session.commit()
            accounts.send_confirmation(user)  # registered, link lost or expired: a new one
            return render_template("auth/register_sent.html", email=email)
        if user is not None:
            throttle.forget_address(throttle.SIGN_IN, email)
            _start_session(user)
            db.session.commit()  # a password hash upgraded on sign-in
            return redirect(_safe_next(request.args.get("next"), user))
        throttle.record(throttle.SIGN_IN, email)
        g.count_against_address = True
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


def _register(form: RegistrationForm, email: str) -> None:
    existing = accounts.user_by_email(email)
    if existing is not None:
        hash_password(form.password.data)  # the same work as a new account: same timing
        accounts.send_registration_note(existing)
        return
    user = accounts.create_user(
        email=email, full_name=form.full_name.data, password=form.password.data,
        municipality_code=form.municipality.data, workplace=form.workplace.data,
        profession=form.profession.data, locale=form.locale.data, confirmed=False,
        municipality_confirmed=current_app.config["REGISTRATION"] != "confirm",
    )
    try:
        if user.municipality_confirmed_at is not None:  # flushes: inside the try
            accounts.joined(user.municipality_code)
        db.session.commit()
    except IntegrityError:  # the same address registered a moment ago: that one stands
        db.session.rollback()
        return
    accounts.send_confirmation(user)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@public
@limiter.limit("10 per 15 minutes", methods=["POST"])
def confirm_email(token: str):
    """A page with a button, not a GET that signs in: mail scanners open links."""
    if len(token) > 512:
        abort(404)
    user = accounts.user_for_password_token(token, "confirm")
    if user is None:
        return render_template("auth/token_invalid.html", purpose="confirm"), 404
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        accounts.confirm_email(user)
        db.session.commit()
        session["lang"] = user.locale
        _start_session(user)
        flash(_("Welcome! Your account is ready."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/confirm.html", form=form, email=user.email)


def _person_form_choices(form) -> None:
    form.municipality.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(code, name) for code, name in municipality_choices()
    ]


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(FORM_POSTS_PER_ADDRESS, methods=["POST"])
@limiter.limit(REGISTRATIONS_PER_ADDRESS, methods=["POST"], deduct_when=_counted)
def register():
    if current_app.config["REGISTRATION"] == "closed":
        return render_template("auth/registration_closed.html"), 403
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    _person_form_choices(form)
    if request.method == "GET":
        form.locale.data = current_language()  # the language the page is read in
    if form.validate_on_submit():
        email = accounts.normalize_email(form.email.data)
        if wait := throttle.wait_seconds(throttle.REGISTRATION, email):
            return _paused("auth/register.html", form, wait)
        throttle.record(throttle.REGISTRATION, email)
        g.count_against_address = True
        _register(form, email)
        session["lang"] = form.locale.data
        refresh()  # the page in the language just chosen
        # The same page whether or not the address has an account: its owner learns
        # of the attempt by e-mail, the person at the keyboard learns nothing.
        return render_template("auth/register_sent.html", email=email)
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
@limiter.limit(RESETS_PER_ADDRESS, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        email = accounts.normalize_email(form.email.data)
        if wait := throttle.wait_seconds(throttle.PASSWORD_RESET, email):
            return _paused("auth/reset_request.html", form, wait)
        throttle.record(throttle.PASSWORD_RESET, email)
        user = accounts.user_by_email(email)
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
