"""The form a supervisor assigns a course with. Choices from the database are set by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import DataRequired, ValidationError

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
            SelectChoice("learners", _l("The people I tick below")),
        ],
        default="municipality",
        validators=[DataRequired()],
    )
    workplace = SelectField(_l("Workplace"), validate_choice=False)
    learners = SelectMultipleField(_l("People"), coerce=parse_id, validate_choice=False)
    submit = SubmitField(_l("Assign the course"))

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
