"""The referral contact form, with each text in the country's language and English."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from elearn.directory.services import ROLE_LABELS, TRANSLATED_FIELDS
from elearn.forms import strip
from elearn.i18n import local_language


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
    # *_local: in the country's language (lt or lv), required for the organisation;
    # *_en: optional, shown to learners who read in English.
    organisation_local = StringField(
        _l("Organisation or service"), filters=[strip], validators=[Length(max=200)],
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
    address_local = _text(_l("Address"), "lt", 300)
    address_en = _text(_l("Address"), "en", 300)
    hours_local = _text(_l("Opening hours"), "lt", 200)
    hours_en = _text(_l("Opening hours"), "en", 200)
    notes_local = _text(_l("Notes"), "lt", 1000, TextAreaField)
    notes_en = _text(_l("Notes"), "en", 1000, TextAreaField)
    submit = SubmitField(_l("Save the contact"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.local = local_language()
        for name in TRANSLATED_FIELDS:  # screen readers and spelling checkers read it right
            getattr(self, f"{name}_local").render_kw = {"lang": self.local}

    def validate_organisation_local(self, field) -> None:
        if not field.data:
            message = {"lv": _l("Enter the organisation's name in Latvian.")}.get(
                self.local, _l("Enter the organisation's name in Lithuanian."))
            raise StopValidation(str(message))

    def validate_phone(self, field) -> None:
        if field.data and not any(ch.isdigit() for ch in field.data):
            raise ValidationError(_l("Enter a phone number with digits."))
