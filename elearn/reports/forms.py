"""Supervisors' forms. Choices that come from the database are set by the views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from elearn.certificates.services import today
from elearn.inputs import parse_id
from elearn.reports.directory import ROLE_LABELS


def strip(value):
    return value.strip() if isinstance(value, str) else value


class NotInThePast:
    def __call__(self, form, field) -> None:
        if field.data is not None and field.data < today():
            raise ValidationError(_l("Choose today or a later date."))


class AssignmentForm(FlaskForm):
    course = SelectField(_l("Course"), validators=[DataRequired(_l("Choose a course."))])
    due_on = DateField(
        _l("Due date"),
        description=_l("The learners are reminded a week before and when it has passed."),
        validators=[DataRequired(_l("Enter the due date, for example 2026-12-31.")),
                    NotInThePast()],
    )
    target = RadioField(
        _l("Assign to"),
        choices=[
            SelectChoice("municipality", _l("Everyone in the municipality")),
            SelectChoice("workplace", _l("Everyone at one workplace")),
            SelectChoice("learners", _l("The people I tick below")),
        ],
        default="municipality",
        validators=[DataRequired()],
    )
    workplace = SelectField(_l("Workplace"), validate_choice=False)
    learners = SelectMultipleField(_l("People"), coerce=parse_id,
                                   validate_choice=False)
    submit = SubmitField(_l("Assign the course"))

    def validate_workplace(self, field) -> None:
        if self.target.data == "workplace" and not field.data:
            raise ValidationError(_l("Choose the workplace."))

    def validate_learners(self, field) -> None:
        if self.target.data == "learners" and not field.data:
            raise ValidationError(_l("Tick at least one person."))


def _text(label, lang: str, max_length: int, kind=StringField):
    """An optional text in one language; the input says which (screen readers, spelling)."""
    return kind(label, filters=[strip], validators=[Length(max=max_length)],
                render_kw={"lang": lang})


class ContactForm(FlaskForm):
    role = SelectField(
        _l("Whom is this contact for?"),
        choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired()],
    )
    organisation_lt = StringField(
        _l("Organisation or service"), filters=[strip], render_kw={"lang": "lt"},
        validators=[DataRequired(_l("Enter the organisation's name in Lithuanian.")),
                    Length(max=200)],
    )
    organisation_en = _text(_l("Organisation or service"), "en", 200)
    phone = StringField(
        _l("Phone"), filters=[strip],
        description=_l("As people should dial it, for example +370 5 000 0000."),
        validators=[Optional(), Length(max=50)], render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        _l("E-mail address"), filters=[strip],
        validators=[Optional(), Length(max=254),
                    Email(_l("Enter an e-mail address like name@example.lt."),
                          check_deliverability=False)],
    )
    address_lt = _text(_l("Address"), "lt", 300)
    address_en = _text(_l("Address"), "en", 300)
    hours_lt = _text(_l("Opening hours"), "lt", 200)
    hours_en = _text(_l("Opening hours"), "en", 200)
    notes_lt = _text(_l("Notes"), "lt", 1000, TextAreaField)
    notes_en = _text(_l("Notes"), "en", 1000, TextAreaField)
    submit = SubmitField(_l("Save the contact"))

    def validate_phone(self, field) -> None:
        if field.data and not any(ch.isdigit() for ch in field.data):
            raise ValidationError(_l("Enter a phone number with digits."))


class ImportForm(FlaskForm):
    file = FileField(
        _l("Staff list (CSV file)"),
        description=_l("Columns: name, email, workplace, profession. Saved from Excel as "
                       "“CSV UTF-8”; commas or semicolons both work. At most 1 MB."),
        validators=[FileRequired(_l("Choose the file to upload.")),
                    FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
    )
    submit = SubmitField(_l("Check and import"))


class ConfirmForm(FlaskForm):
    """A POST button with nothing but its CSRF token (delete, cancel)."""

    submit = SubmitField(_l("Delete"))
