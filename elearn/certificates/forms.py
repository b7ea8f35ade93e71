from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from elearn.certificates.codes import looks_like_serial


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
        description=_l("Twelve letters and digits printed under the QR code on the "
                       "certificate, for example ABCD-EFGH-JKMN. Capitals, spaces and dashes "
                       "do not matter."),
        validators=[DataRequired(_l("Enter the code.")), Length(max=200)],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )

    def validate_code(self, field) -> None:
        # Serial numbers are sequential: they would let anyone list certificate holders.
        if looks_like_serial(field.data or ""):
            raise ValidationError(_l(
                "This is the certificate's number, not its verification code. Type the code "
                "printed under the QR code (for example ABCD-EFGH-JKMN)."))
