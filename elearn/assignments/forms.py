"""The form a supervisor assigns a course with. Choices from the database are set by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from elearn.i18n import today
from elearn.inputs import parse_id


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
            SelectChoice("profession", _l("Everyone of one profession")),
            SelectChoice("learners", _l("The people I tick below")),
        ],
        default="municipality",
        validators=[DataRequired()],
    )
    workplace = SelectField(_l("Workplace"), validate_choice=False)
    profession = SelectField(_l("Profession"), validate_choice=False)
    learners = SelectMultipleField(_l("People"), coerce=parse_id, validate_choice=False)
    keep = BooleanField(
        _l("Also assign it to people who join later"),
        description=_l("People imported, confirmed or moved into the municipality later get "
                       "the course too, due %(days)d days after they join (not before the due "
                       "date above). Not for people ticked one by one.", days=30),
    )
    renew_days = IntegerField(
        _l("Assign it again before a certificate expires (days before)"),
        description=_l("With the box above: a learner whose certificate of this course "
                       "expires within this many days is assigned the course again, due on "
                       "the day it expires. Leave empty for never."),
        default=60, validators=[Optional(), NumberRange(1, 365)],
    )
    submit = SubmitField(_l("Assign the course"))

    def validate_profession(self, field) -> None:
        if self.target.data == "profession" and not field.data:
            raise ValidationError(_l("Choose the profession."))

    def validate_keep(self, field) -> None:
        if field.data and self.target.data == "learners":
            raise ValidationError(_l("People ticked one by one cannot include people who "
                                     "join later; choose everyone, a workplace or a "
                                     "profession."))

    def validate_workplace(self, field) -> None:
        if self.target.data == "workplace" and not field.data:
            raise ValidationError(_l("Choose the workplace."))

    def validate_learners(self, field) -> None:
        if self.target.data == "learners" and not field.data:
            raise ValidationError(_l("Tick at least one person."))


class DueDateForm(FlaskForm):
    new_due_on = DateField(
        _l("New due date"),
        description=_l("The learners are reminded a week before and when it has passed."),
        validators=[DataRequired(_l("Enter the due date, for example 2026-12-31.")),
                    NotInThePast()],
    )
    submit = SubmitField(_l("Change the due date"))
