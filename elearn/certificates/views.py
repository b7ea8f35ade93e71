"""Learners' certificates, public verification, supervision list and revocation."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from elearn.access import Permission, public, requires
from elearn.certificates import bp
from elearn.certificates import services as certs
from elearn.certificates.forms import RevokeForm, VerifyForm
from elearn.certificates.record import record_pdf
from elearn.extensions import db, limiter
from elearn.i18n import current_language, today
from elearn.templating import format_day


@bp.route("/certificates")
def mine():
    return render_template(
        "certificates/mine.html", certificates=certs.certificates_of(current_user.id),
        today=today(),
    )


@bp.route("/certificates/record-<lang>.pdf")
def record(lang: str):
    """Her training record for an HR file, in the language she chooses."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    data = record_pdf(current_user.full_name,
                      current_user.municipality.name if current_user.municipality else "",
                      certs.certificates_of(current_user.id), lang, today())
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="training-record-{lang}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _certificate_or_404(certificate_id: int):
    certificate = certs.viewable_certificate(current_user, certificate_id)
    if certificate is None:
        abort(404)
    return certificate


@bp.route("/certificates/<int:certificate_id>")
def show(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    return render_template(
        "certificates/show.html", certificate=certificate, today=today(),
        verify_url=certs.verify_url(certificate),
        code=certs.printed_code(certificate),
    )


@bp.route("/certificates/<int:certificate_id>.pdf")
def pdf(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    response = current_app.response_class(certs.pdf_bytes(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.serial}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


REVOCATION = (
    _l("Anyone who checks it, from its QR code or its code, reads that it is revoked, "
       "with the date and your reason."),
    _l("Its PDF is marked REVOKED, with the date and the reason."),
    _l("Revoking cannot be undone."),
)


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@requires(Permission.REVOKE_CERTIFICATES)
def revoke(certificate_id: int):
    """A confirmation page naming the certificate and what will change, with the reason
    to give; the POST revokes."""
    certificate = _certificate_or_404(certificate_id)
    form = RevokeForm()
    if certificate.revoked_at is not None:
        return redirect(url_for("certificates.show", certificate_id=certificate.id))
    if not form.validate_on_submit():
        return render_template(
            "confirm.html", heading=_("Revoke this certificate?"),
            facts=[(_("Name"), certificate.full_name, None),
                   (_("Course"), certificate.course_title, certificate.lang),
                   (_("Serial number"), certificate.serial, None),
                   (_("Issued"), format_day(certificate.issued_on), None)],
            changes=REVOCATION, form=form, fields=("reason",),
            action=url_for("certificates.revoke", certificate_id=certificate.id),
            button=_("Revoke the certificate"),
            back=url_for("certificates.show", certificate_id=certificate.id),
        ), (422 if request.method == "POST" else 200)
    certs.revoke(certificate, form.reason.data, current_user)
    db.session.commit()
    flash(_("The certificate has been revoked."), "success")
    return redirect(url_for("certificates.show", certificate_id=certificate.id))


@bp.route("/verify")
@public
@limiter.limit("30 per minute")
def verify_form():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        code = form.code.data.strip().rstrip("/").rsplit("/", 1)[-1]  # a pasted address works
        return redirect(url_for("certificates.verify", code=code))
    status = 422 if request.args else 200
    return render_template("certificates/verify_form.html", form=form), status


@bp.route("/verify/<path:code>")  # any shape of code gets the same answer
@public
@limiter.limit("30 per minute")
def verify(code: str):
    certificate = certs.by_code(code)
    if certificate is None:
        return render_template("certificates/verify_unknown.html"), 404
    title, title_lang = certs.course_title_in(certificate, current_language())
    return render_template(
        "certificates/verify.html", certificate=certificate,
        state=certificate.state(today()), course_title=title, course_lang=title_lang,
    )


@bp.route("/supervision/certificates")
@requires(Permission.SUPERVISE)
def supervised():
    return render_template(
        "certificates/supervised.html",
        certificates=certs.supervised_certificates(current_user), today=today(),
    )
