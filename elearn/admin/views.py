"""The admin's pages: users, a user's account and role, the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from elearn import spreadsheets
from elearn.access import Permission, requires
from elearn.admin import bp, services
from elearn.admin.forms import AccountForm, RoleForm
from elearn.audit import pages as audit_pages
from elearn.auth import services as accounts
from elearn.auth.consequences import deactivation_page
from elearn.auth.models import Role
from elearn.extensions import db
from elearn.forms import ConfirmForm
from elearn.i18n import current_language, today
from elearn.municipalities import municipality_choices

INVALID = 422


def _person_or_404(user_id: int):
    person = services.user_or_none(user_id)
    if person is None:
        abort(404)
    return person


def _forms(person, account: AccountForm | None = None, role: RoleForm | None = None):
    places = municipality_choices()
    if account is None:
        account = AccountForm(obj=person, formdata=None)
        # The form's field holds the code; the model's `municipality` is the relationship.
        account.municipality.data = person.municipality_code or ""
    account.municipality.choices = [SelectChoice("", _("No municipality"))] + [
        SelectChoice(code, name) for code, name in places]
    role = role or RoleForm(formdata=None, role=person.role,
                            supervises=[m.code for m in person.supervised])
    role.supervises.choices = places
    return {"account_form": account, "role_form": role, "action_form": ConfirmForm()}


def _user_page(person, status=200, **forms):
    page = services.user_page(person)
    return render_template("admin/user.html", **vars(page), **_forms(person, **forms)), status


@bp.route("/admin/users")
@requires(Permission.MANAGE_USERS)
def users():
    page = services.users_page(request.args)
    return render_template("admin/users.html", **vars(page))


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user(user_id: int):
    person = _person_or_404(user_id)
    if request.method == "GET":
        return _user_page(person)
    form = AccountForm()
    _forms(person, account=form)
    if form.validate() and services.save_account(person, form) is None:
        db.session.commit()
        flash(_("The account has been saved."), "success")
        return redirect(url_for("admin.user", user_id=person.id))
    db.session.rollback()
    return _user_page(person, INVALID, account=form)


@bp.route("/admin/users/<int:user_id>/role", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def role(user_id: int):
    person = _person_or_404(user_id)
    form = RoleForm()
    _forms(person, role=form)
    if form.validate():
        chosen = Role(form.role.data)
        codes = form.supervises.data if chosen is Role.SUPERVISOR else None
        if chosen is Role.SUPERVISOR and not codes:
            form.supervises.errors.append(_("Tick the municipalities she supervises."))
        else:
            try:
                accounts.set_role(person, chosen, codes, by=current_user)
            except accounts.NotAllowed as refusal:
                db.session.rollback()
                form.role.errors.append(str(refusal))
            else:
                db.session.commit()
                flash(_("The role has been changed."), "success")
                return redirect(url_for("admin.user", user_id=person.id))
    return _user_page(person, INVALID, role=form)


def _action(user_id: int, act) -> object:
    person = _person_or_404(user_id)
    form = ConfirmForm()
    if not form.validate():
        abort(400)
    try:
        message = act(person)
    except accounts.NotAllowed as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return _user_page(person, 409)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def deactivate(user_id: int):
    if request.method == "GET":  # the confirmation page: whom, and what will change
        person = _person_or_404(user_id)
        return deactivation_page(person, url_for("admin.deactivate", user_id=person.id),
                                 url_for("admin.user", user_id=person.id))

    def act(person):
        accounts.deactivate(person, by=current_user)
        return _("The account is deactivated and signed out everywhere.")
    return _action(user_id, act)


@bp.route("/admin/users/<int:user_id>/activate", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def activate(user_id: int):
    def act(person):
        if person.deleted_at is not None:
            raise accounts.NotAllowed(_("This account was deleted; it cannot be reactivated."))
        accounts.activate(person)
        return _("The account is active again.")
    return _action(user_id, act)


@bp.route("/admin/users/<int:user_id>/confirm", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def confirm(user_id: int):
    def act(person):
        accounts.confirm_municipality(person)
        return _("Confirmed: she now counts in the municipality's reports.")
    return _action(user_id, act)


@bp.route("/admin/users/<int:user_id>/invite", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def invite(user_id: int):
    def act(person):
        if not person.active or person.password_hash is not None:
            raise accounts.NotAllowed(
                _("Only an active account that has not chosen a password can be invited."))
        accounts.send_invitation(person)
        return _("The invitation has been sent again.")
    return _action(user_id, act)


@bp.route("/admin/users/<int:user_id>/reset", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def reset(user_id: int):
    def act(person):
        if not person.active:
            raise accounts.NotAllowed(_("The account is deactivated: reactivate it first."))
        accounts.send_password_reset(person)
        return _("A link to choose a new password has been sent.")
    return _action(user_id, act)


@bp.route("/admin/audit")
@requires(Permission.MANAGE_USERS)
def audit():
    page = audit_pages.audit_page(request.args, None)
    return render_template("admin/audit.html", **vars(page))


@bp.route("/admin/audit.csv")
@requires(Permission.MANAGE_USERS)
def audit_csv():
    header, lines = audit_pages.audit_export(request.args, None)
    return spreadsheets.csv_download(f"audit-{today().isoformat()}.csv", header, lines,
                                     spreadsheets.csv_delimiter(current_language()))
