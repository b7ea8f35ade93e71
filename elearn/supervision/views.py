"""The supervisor's dashboard, its exports, the learner page and the staff import."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from elearn import spreadsheets
from elearn.access import (
    Permission,
    municipality_or_404,
    requires,
    staff_member_or_404,
    supervised_codes,
    visible_municipalities,
)
from elearn.assignments import withdrawals
from elearn.audit import pages as audit_pages
from elearn.auth import services as accounts
from elearn.auth.consequences import deactivation_page
from elearn.auth.models import Profession
from elearn.auth.services import queue_invitation
from elearn.extensions import csrf, db
from elearn.forms import ConfirmForm
from elearn.i18n import current_language
from elearn.municipalities import municipality_choices
from elearn.supervision import bp, importing, pages, staff
from elearn.supervision.forms import ConfirmImportForm, ImportForm, MoveForm, StaffDetailsForm


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
    export = pages.learner_export(place, request.args, current_language(), kind)
    if kind == "csv":
        return spreadsheets.csv_lines_download(
            f"{export.name}.csv", export.header, export.lines,
            spreadsheets.csv_delimiter(current_language()), title=export.title)
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
    person = staff_member_or_404(code, user_id)
    return _learner_page(code, person)


def _learner_page(code: str, person, status: int = 200, details: StaffDetailsForm | None = None,
                  move: MoveForm | None = None):
    page = pages.learner_detail(person, current_language())
    if details is None:
        details = StaffDetailsForm(formdata=None, obj=person)
    if move is None:
        move = MoveForm(formdata=None)
    move.municipality.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(c, n) for c, n in municipality_choices() if c != code]
    return render_template("supervision/learner.html", place=municipality_or_404(code),
                           withdraw_form=ConfirmForm(), details_form=details, move_form=move,
                           action_form=ConfirmForm(), undo_form=ConfirmForm(),
                           titles={c.id: c for c in page.courses},
                           undo=withdrawals.last_withdrawal(code, current_user.id),
                           **vars(page)), status


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


INVALID = 422


def _back(code: str, person) -> object:
    return redirect(url_for("supervision.learner", code=code, user_id=person.id))


@bp.route("/supervision/<code>/learners/<int:user_id>/details", methods=["POST"])
@requires(Permission.SUPERVISE)
def correct_details(code: str, user_id: int):
    person = staff_member_or_404(code, user_id)
    form = StaffDetailsForm()
    if form.validate() and staff.correct(person, form):
        db.session.commit()
        flash(_("The details have been corrected."), "success")
        return _back(code, person)
    db.session.rollback()
    return _learner_page(code, person, INVALID, details=form)


def _staff_action(code: str, user_id: int, act):
    """A button on a learner's page: the token checked, the change made and committed."""
    person = staff_member_or_404(code, user_id)
    if not ConfirmForm().validate():
        abort(400)
    refusal = act(person)
    if refusal:
        db.session.rollback()
        flash(refusal, "error")
        return _learner_page(code, person, 409)
    db.session.commit()
    return None


@bp.route("/supervision/<code>/learners/<int:user_id>/deactivate", methods=["GET", "POST"])
@requires(Permission.SUPERVISE)
def deactivate(code: str, user_id: int):
    if request.method == "GET":  # the confirmation page: whom, and what will change
        person = staff_member_or_404(code, user_id)
        return deactivation_page(
            person, url_for("supervision.deactivate", code=code, user_id=person.id),
            url_for("supervision.learner", code=code, user_id=person.id))

    def act(person):
        accounts.deactivate(person, by=current_user)
    done = _staff_action(code, user_id, act)
    if done is not None:
        return done
    flash(_("She is deactivated and signed out everywhere. Her records are kept; you can "
            "reactivate her from the dashboard."), "success")
    return redirect(url_for("supervision.learner", code=code, user_id=user_id))


@bp.route("/supervision/<code>/learners/<int:user_id>/activate", methods=["POST"])
@requires(Permission.SUPERVISE)
def activate(code: str, user_id: int):
    done = _staff_action(code, user_id, accounts.activate)
    if done is not None:
        return done
    flash(_("She is active again and can sign in."), "success")
    return redirect(url_for("supervision.learner", code=code, user_id=user_id))


@bp.route("/supervision/<code>/learners/<int:user_id>/invite", methods=["POST"])
@requires(Permission.SUPERVISE)
def invite(code: str, user_id: int):
    def act(person):
        if not person.active or person.password_hash is not None:
            return _("Only an active account that has not chosen a password can be invited.")
        return None
    done = _staff_action(code, user_id, act)
    if done is not None:
        return done
    queue_invitation(staff_member_or_404(code, user_id))
    flash(_("The invitation has been sent again."), "success")
    return redirect(url_for("supervision.learner", code=code, user_id=user_id))


@bp.route("/supervision/<code>/learners/<int:user_id>/release", methods=["POST"])
@requires(Permission.SUPERVISE)
def release(code: str, user_id: int):
    done = _staff_action(code, user_id, accounts.release)
    if done is not None:
        return done
    flash(_("She is no longer on this team. Her certificates stay hers; she chooses her new "
            "municipality on her profile."), "success")
    return redirect(url_for("supervision.municipality", code=code))


@bp.route("/supervision/<code>/learners/<int:user_id>/confirm", methods=["POST"])
@requires(Permission.SUPERVISE)
def confirm(code: str, user_id: int):
    done = _staff_action(code, user_id, accounts.confirm_municipality)
    if done is not None:
        return done
    flash(_("Confirmed: she now counts in the municipality's reports."), "success")
    return redirect(url_for("supervision.municipality", code=code))


@bp.route("/supervision/<code>/learners/<int:user_id>/move", methods=["POST"])
@requires(Permission.SUPERVISE)
def move(code: str, user_id: int):
    person = staff_member_or_404(code, user_id)
    form = MoveForm()
    form.municipality.choices = [c for c, _n in municipality_choices() if c != code]
    valid = form.validate()
    if not valid or not person.awaiting_confirmation:
        if valid:
            form.municipality.errors = [
                _("Only a learner awaiting confirmation can be moved; others change their "
                  "municipality on their profile.")]
        return _learner_page(code, person, INVALID, move=form)
    staff.move(current_user, person, form.municipality.data)
    db.session.commit()
    flash(_("She has been moved; that municipality's supervisors confirm her."), "success")
    return redirect(url_for("supervision.municipality", code=code))


@bp.route("/supervision/<code>/audit")
@requires(Permission.SUPERVISE)
def audit(code: str):
    place = municipality_or_404(code)
    page = audit_pages.audit_page({**request.args, "municipality": code}, [code])
    return render_template("supervision/audit.html", place=place, **vars(page))
