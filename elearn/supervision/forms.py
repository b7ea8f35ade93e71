"""The staff import's forms: the upload, and the confirmation of its preview."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from elearn.auth.forms import profession_choices
from elearn.forms import strip
from elearn.supervision.staff_files import ENCODINGS


class ImportForm(FlaskForm):
    file = FileField(
        _l("Staff list (Excel workbook or CSV file)"),
        description=_l("Columns: name, e-mail address, workplace, profession, headed in the "
                       "first row as in the template. An .xlsx workbook, or a CSV file saved "
                       "by Excel in any encoding, with commas or semicolons. At most 1 MB."),
        validators=[FileRequired(_l("Choose the file to upload.")),
                    FileAllowed(["csv", "txt", "xlsx"], _l("Upload an .xlsx or .csv file."))],
    )
    encoding = SelectField(
        _l("Encoding of a CSV file"),
        description=_l("Leave “detect automatically” unless the preview shows wrong letters."),
        choices=lambda: [SelectChoice("auto", str(_l("Detect automatically"))),
                         *(SelectChoice(key, str(label)) for key, label in ENCODINGS.items())],
        default="auto",
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    rows = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Create the accounts and send the invitations"))


class StaffDetailsForm(FlaskForm):
    """What a supervisor may correct about her staff: never the role or the address."""

    full_name = StringField(
        _l("Full name"), description=_l("As it must appear on her certificates."),
        filters=[strip], validators=[DataRequired(_l("Enter the full name.")), Length(max=200)])
    workplace = StringField(_l("Workplace"), filters=[strip],
                            validators=[DataRequired(_l("Enter the workplace.")),
                                        Length(max=200)])
    profession = SelectField(_l("Profession"), choices=profession_choices,
                             validators=[DataRequired()])
    confirm_name_change = BooleanField(
        _l("Yes, change the name: her certificates issued so far keep the old name"))
    submit = SubmitField(_l("Save changes"))


class MoveForm(FlaskForm):
    municipality = SelectField(_l("The municipality she works in"), validate_choice=True,
                               validators=[DataRequired(_l("Choose a municipality."))])
    submit = SubmitField(_l("Move her there"))
