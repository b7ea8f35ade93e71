"""The admin's forms: an account's details and its role."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.auth.forms import language_choices, profession_choices
from elearn.auth.models import ROLE_LABELS
from elearn.forms import strip


class AccountForm(FlaskForm):
    full_name = StringField(
        _l("Full name"), description=_l("As it must appear on her certificates."),
        filters=[strip], validators=[DataRequired(_l("Enter the full name.")), Length(max=200)])
    email = EmailField(
        _l("E-mail address"), filters=[strip],
        validators=[DataRequired(_l("Enter the e-mail address.")), Length(max=254),
                    Email(_l("Enter an e-mail address like name@example.lt."),
                          check_deliverability=False)])
    municipality = SelectField(_l("Municipality"), validate_choice=True)
    workplace = StringField(_l("Workplace"), filters=[strip],
                            validators=[Optional(), Length(max=200)])
    profession = SelectField(_l("Profession"), choices=profession_choices,
                             validators=[DataRequired()])
    locale = SelectField(_l("Language"), choices=language_choices)
    confirm_name_change = BooleanField(
        _l("Yes, change the name: her certificates issued so far keep the old name"))
    submit = SubmitField(_l("Save changes"))


def role_choices():
    return [(role.value, label) for role, label in ROLE_LABELS.items()]


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])
    supervises = SelectMultipleField(
        _l("Municipalities she supervises"),
        description=_l("For supervisors: tick one or more."),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validate_choice=True)
    submit = SubmitField(_l("Change the role"))
