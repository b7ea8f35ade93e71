"""What a supervisor changes: assignments, the staff list import and the referral directory."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from elearn.access import Permission, requires
from elearn.auth.services import send_invitation
from elearn.certificates.services import today
from elearn.extensions import csrf, db
from elearn.i18n import current_language as _locale
from elearn.inputs import parse_id
from elearn.reports import assignments, bp, directory, importing
from elearn.reports.forms import AssignmentForm, ConfirmForm, ContactForm, ImportForm
from elearn.reports.guards import municipality_or_404
from elearn.reports.scope import live_courses, workplaces


@bp.route("/supervision/<code>/assignments")
@requires(Permission.SUPERVISE)
def assignment_list(code: str):
    place = municipality_or_404(code)
    return render_template(
        "reports/assignments.html", place=place, groups=assignments.assignment_groups(code),
        titles={c.id: c for c in live_courses(_locale())}, today=today(),
        withdraw_form=ConfirmForm(),
    )


@bp.route("/supervision/<code>/assignments/new", methods=["GET", "POST"])
@requires(Permission.SUPERVISE)
def assignment_new(code: str):
    place = municipality_or_404(code)
    courses = live_courses(_locale())
    places = workplaces(code)
    # The people offered as checkboxes: narrowed by a workplace chosen with GET.
    shown_workplace = request.args.get("show", "")
    shown_workplace = shown_workplace if shown_workplace in places else ""
    people, total = assignments.people(code, shown_workplace)
    form = AssignmentForm()
    form.course.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(c.id, c.title) for c in courses]
    form.workplace.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(w, w) for w in places]
    form.learners.choices = [SelectChoice(p.id, p.full_name) for p in people]
    if request.method == "GET":
        form.course.data = request.args.get("course", "")
        if learner := request.args.get("learner", type=parse_id):
            form.target.data, form.learners.data = "learners", [learner]
    if form.validate_on_submit():
        if form.course.data not in {c.id for c in courses}:
            abort(400)
        if form.target.data == "workplace" and form.workplace.data not in places:
            abort(400)
        try:
            result = assignments.assign(
                code, form.course.data, form.due_on.data, target=form.target.data,
                workplace=form.workplace.data, user_ids=form.learners.data or [],
                by_user_id=current_user.id,
            )
            db.session.commit()
        except assignments.OutOfScope:
            abort(404)
        except IntegrityError:  # the same course assigned to someone at the same moment
            db.session.rollback()
            flash(_("Someone assigned this course at the same moment. Please try again."),
                  "error")
            return redirect(request.full_path)
        flash(ngettext("The course is assigned to %(num)d person.",
                       "The course is assigned to %(num)d people.",
                       result.created + result.moved), "success")
        return redirect(url_for("reports.assignment_list", code=code))
    return render_template(
        "reports/assignment_new.html", place=place, form=form, people=people, total=total,
        shown_workplace=shown_workplace, workplaces=places, listed_max=assignments.MAX_LISTED,
    ), (422 if form.errors else 200)


@bp.route("/supervision/<code>/assignments/withdraw", methods=["POST"])
@requires(Permission.SUPERVISE)
def assignment_withdraw(code: str):
    municipality_or_404(code)
    form = ConfirmForm()
    try:
        due_on = date.fromisoformat(request.form.get("due_on", ""))
    except ValueError:
        abort(400)
    if not form.validate_on_submit():
        abort(400)
    count = assignments.withdraw_group(code, request.form.get("course", ""), due_on)
    db.session.commit()
    flash(ngettext("%(num)d assignment withdrawn.", "%(num)d assignments withdrawn.", count),
          "success")
    return redirect(url_for("reports.assignment_list", code=code))


@bp.route("/supervision/<code>/import", methods=["GET", "POST"])
@csrf.exempt  # ImportForm checks the token itself, after the size limit below is set
@requires(Permission.SUPERVISE)
def staff_import(code: str):
    place = municipality_or_404(code)
    # Refuse a big upload before it is read. The app-wide CSRF check would parse the
    # body before this view runs, hence the exemption: the form's own check remains.
    request.max_content_length = importing.MAX_BYTES + 16 * 1024
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        data = form.file.data.read(importing.MAX_BYTES + 1)
        if len(data) > importing.MAX_BYTES:
            abort(413)
        report = importing.import_staff(data, code, send_invitation)
    return render_template("reports/import.html", place=place, form=form, report=report), (
        422 if form.errors or (report and not report.ok) else 200
    )


@bp.route("/supervision/<code>/contacts")
@requires(Permission.SUPERVISE)
def contacts(code: str):
    place = municipality_or_404(code)
    return render_template(
        "reports/contacts.html", place=place, contacts=directory.contacts_of(code),
        role_label=directory.role_label, delete_form=ConfirmForm(),
    )


def _contact_data(form: ContactForm) -> directory.ContactData:
    texts = {
        name: {lang: getattr(form, f"{name}_{lang}").data or "" for lang in ("lt", "en")}
        for name in directory.TRANSLATED_FIELDS
    }
    return directory.ContactData(form.role.data, form.phone.data or "", form.email.data or "",
                                 texts)


def _fill(form: ContactForm, contact) -> None:
    form.role.data, form.phone.data, form.email.data = contact.role, contact.phone, contact.email
    for name in directory.TRANSLATED_FIELDS:
        for lang in ("lt", "en"):
            getattr(form, f"{name}_{lang}").data = (getattr(contact, name) or {}).get(lang, "")


@bp.route("/supervision/<code>/contacts/new", methods=["GET", "POST"])
@bp.route("/supervision/<code>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@requires(Permission.SUPERVISE)
def contact_edit(code: str, contact_id: int | None = None):
    place = municipality_or_404(code)
    contact = None
    if contact_id is not None:
        contact = directory.contact_in(code, contact_id)
        if contact is None:
            abort(404)
    form = ContactForm()
    if request.method == "GET" and contact is not None:
        _fill(form, contact)
    if form.validate_on_submit():
        directory.save_contact(code, _contact_data(form), current_user.id, contact)
        db.session.commit()
        flash(_("The contact has been saved."), "success")
        return redirect(url_for("reports.contacts", code=code))
    return render_template("reports/contact_form.html", place=place, form=form,
                           contact=contact), (422 if form.errors else 200)


@bp.route("/supervision/<code>/contacts/<int:contact_id>/delete", methods=["POST"])
@requires(Permission.SUPERVISE)
def contact_delete(code: str, contact_id: int):
    municipality_or_404(code)
    contact = directory.contact_in(code, contact_id)
    if contact is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    directory.delete_contact(contact)
    db.session.commit()
    flash(_("The contact has been deleted."), "success")
    return redirect(url_for("reports.contacts", code=code))
