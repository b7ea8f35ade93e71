"""Account forms. Choices that come from the database are set by the view."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from elearn.auth.models import PROFESSION_LABELS
from elearn.auth.passwords import MAX_LENGTH, password_problem

# Each language is named in itself, so a reader finds her own whatever the page's language.
LANGUAGE_NAMES = {"lt": "Lietuvių", "lv": "Latviešu", "en": "English"}


def language_choices() -> list[SelectChoice]:
    """The deployment's interface languages (the default one first)."""
    return [SelectChoice(lang, LANGUAGE_NAMES[lang], render_kw={"lang": lang})
            for lang in current_app.config["LANGUAGES"]]


def default_language() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def profession_choices() -> list[SelectChoice]:
    return [SelectChoice(p.value, str(label)) for p, label in PROFESSION_LABELS.items()]


class StrongPassword:
    """Refuses short and common passwords, and ones built from the user's own details."""

    def __init__(self, *inputs: str) -> None:
        self.inputs = inputs

    def __call__(self, form, field) -> None:
        user_inputs = tuple(
            getattr(form, name).data or "" for name in self.inputs if hasattr(form, name)
        )
        user_inputs += getattr(form, "extra_inputs", ())
        problem = password_problem(field.data or "", user_inputs)
        if problem:
            raise ValidationError(problem)


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254),
            Email(_l("Enter an e-mail address like name@example.lt."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class PersonDetails:
    """Fields shared by registration and profile."""

    full_name = StringField(
        _l("Full name"),
        description=_l("As it should appear on your certificates."),
        filters=[strip],
        validators=[DataRequired(_l("Enter your full name.")), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    municipality = SelectField(
        _l("Municipality"),
        validators=[DataRequired(_l("Choose the municipality you work for."))],
        validate_choice=True,
    )
    workplace = StringField(
        _l("Workplace"),
        description=_l("The institution or organisation you work for."),
        filters=[strip],
        validators=[DataRequired(_l("Enter your workplace.")), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    profession = SelectField(
        _l("Profession"), choices=profession_choices, validators=[DataRequired()]
    )
    locale = SelectField(_l("Language"), choices=language_choices, default=default_language)


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"))


class RegistrationForm(PersonDetails, FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters. A few unrelated words work well."),
        validators=[DataRequired(_l("Choose a password.")), StrongPassword("email", "full_name")],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Create account"))


class ProfileForm(PersonDetails, FlaskForm):
    submit = SubmitField(_l("Save changes"))


class NewPassword:
    """A new password typed twice (password change, reset and invitation)."""

    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few unrelated words work well."),
        validators=[DataRequired(_l("Choose a password.")), StrongPassword()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordChangeForm(NewPassword, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(FlaskForm):
    email = _email_field()
    submit = SubmitField(_l("Send me a link"))


class SetPasswordForm(NewPassword, FlaskForm):
    submit = SubmitField(_l("Save the password"))


class ConfirmEmailForm(FlaskForm):
    submit = SubmitField(_l("Confirm and sign in"))
