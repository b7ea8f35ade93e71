"""The supervisor's dashboard, its exports, the learner page and the staff import."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn import spreadsheets
from elearn.access import (
    Permission,
    learner_or_404,
    municipality_or_404,
    requires,
    supervised_codes,
    visible_municipalities,
)
from elearn.assignments import withdrawals
from elearn.auth.models import Profession
from elearn.auth.services import queue_invitation
from elearn.extensions import csrf
from elearn.forms import ConfirmForm
from elearn.i18n import current_language
from elearn.supervision import bp, importing, pages
from elearn.supervision.forms import ConfirmImportForm, ImportForm


@bp.route("/supervision")
@requires(Permission.SUPERVISE)
def dashboard():
    if supervised_codes(current_user) is None:
        return redirect(url_for("national.overview"))  # admins start from the whole country
    places = visible_municipalities(current_user)
    if not places:
        return render_template("supervision/no_municipality.html")
    return redirect(url_for("supervision.municipality", code=places[0].code))


@bp.route("/supervision/<code>")
@requires(Permission.SUPERVISE)
def municipality(code: str):
    place = municipality_or_404(code)
    page = pages.dashboard_page(current_user, place, request.args, current_language())
    return render_template("supervision/dashboard.html", **vars(page))


def _export(code: str, kind: str):
    place = municipality_or_404(code)
    export = pages.learner_export(place, request.args, current_language())
    if kind == "csv":
        return spreadsheets.csv_download(f"{export.name}.csv", export.header, export.lines,
                                         spreadsheets.csv_delimiter(current_language()),
                                         title=export.title)
    return spreadsheets.xlsx_download(f"{export.name}.xlsx", place.name, export.header,
                                      export.lines, title=export.title, widths=export.widths)


@bp.route("/supervision/<code>/export.csv")
@requires(Permission.SUPERVISE)
def export_csv(code: str):
    return _export(code, "csv")


@bp.route("/supervision/<code>/export.xlsx")
@requires(Permission.SUPERVISE)
def export_xlsx(code: str):
    return _export(code, "xlsx")


@bp.route("/supervision/<code>/learners/<int:user_id>")
@requires(Permission.SUPERVISE)
def learner(code: str, user_id: int):
    person = learner_or_404(code, user_id)
    page = pages.learner_detail(person, current_language())
    return render_template("supervision/learner.html", place=municipality_or_404(code),
                           undo_form=ConfirmForm(), titles={c.id: c for c in page.courses},
                           undo=withdrawals.last_withdrawal(code, current_user.id), **vars(page))


@bp.route("/supervision/<code>/import", methods=["GET", "POST"])
@csrf.exempt  # ImportForm checks the token itself, after the size limit below is set
@requires(Permission.SUPERVISE)
def staff_import(code: str):
    """Upload and check: the errors, or a preview of what the confirmation will create."""
    place = municipality_or_404(code)
    # Refuse a big upload before it is read. The app-wide CSRF check would parse the
    # body before this view runs, hence the exemption: the form's own check remains.
    request.max_content_length = importing.MAX_BYTES + 16 * 1024
    form = ImportForm()
    report = confirm = None
    if form.validate_on_submit():
        data = form.file.data.read(importing.MAX_BYTES + 1)
        if len(data) > importing.MAX_BYTES:
            abort(413)
        report = importing.preview(data, code, form.encoding.data)
        if report.ok and report.to_create:
            confirm = ConfirmImportForm(
                rows=importing.preview_token(report.rows, code, current_user.id))
    return render_template("supervision/import.html", place=place, form=form, report=report,
                           confirm=confirm, done=None,
                           profession_labels={p.value: p.label for p in Profession}), (
        422 if form.errors or (report and not report.ok) else 200
    )


@bp.route("/supervision/<code>/import/confirm", methods=["POST"])
@requires(Permission.SUPERVISE)
def staff_import_confirm(code: str):
    """Creates the previewed accounts, all or none, and invites them."""
    place = municipality_or_404(code)
    confirm = ConfirmImportForm()
    rows = None
    if confirm.validate_on_submit():
        rows = importing.rows_from_token(confirm.rows.data, code, current_user.id)
    if rows is None:
        return render_template("supervision/import.html", place=place, form=ImportForm(),
                               report=None, confirm=None, done=None, expired=True), 422
    done = importing.create_staff(rows, code, queue_invitation)
    return render_template("supervision/import.html", place=place, form=ImportForm(),
                           report=None, confirm=None, done=done), 200 if done.ok else 409


def _template(code: str, kind: str):
    """An empty staff list headed in the supervisor's language."""
    municipality_or_404(code)
    header = importing.template_header()
    name = f"{code}-staff-template"
    if kind == "csv":
        return spreadsheets.csv_download(f"{name}.csv", header, [],
                                         spreadsheets.csv_delimiter(current_language()))
    return spreadsheets.xlsx_download(f"{name}.xlsx", _("Staff"), header, [])


@bp.route("/supervision/<code>/import/template.csv")
@requires(Permission.SUPERVISE)
def import_template_csv(code: str):
    return _template(code, "csv")


@bp.route("/supervision/<code>/import/template.xlsx")
@requires(Permission.SUPERVISE)
def import_template_xlsx(code: str):
    return _template(code, "xlsx")
