"""The staff import's forms: the upload, and the confirmation of its preview."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired

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
