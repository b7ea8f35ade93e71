from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        description=_l("Shown to anyone who verifies this certificate."),
        validators=[DataRequired(_l("Give the reason.")), Length(max=500)],
    )
    submit = SubmitField(_l("Revoke the certificate"))


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a look-up that changes nothing, sent with GET

    code = StringField(
        _l("Verification code"),
        description=_l("The code printed under the QR code on the certificate."),
        validators=[DataRequired(_l("Enter the code.")), Length(max=200)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
