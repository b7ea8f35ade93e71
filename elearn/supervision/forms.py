"""The staff import form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField


class ImportForm(FlaskForm):
    file = FileField(
        _l("Staff list (CSV file)"),
        description=_l("Columns: name, email, workplace, profession. Saved from Excel as "
                       "“CSV UTF-8”; commas or semicolons both work. At most 1 MB."),
        validators=[FileRequired(_l("Choose the file to upload.")),
                    FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
    )
    submit = SubmitField(_l("Check and import"))
