"""The referral directory a supervisor keeps for her municipality."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Permission, municipality_or_404, requires
from elearn.directory import bp
from elearn.directory import services as directory
from elearn.directory.forms import ContactForm
from elearn.extensions import db
from elearn.forms import ConfirmForm


@bp.route("/supervision/<code>/contacts")
@requires(Permission.SUPERVISE)
def contacts(code: str):
    place = municipality_or_404(code)
    return render_template(
        "directory/contacts.html", place=place, contacts=directory.contacts_of(code),
        role_label=directory.role_label, delete_form=ConfirmForm(),
    )


def _contact_data(form: ContactForm) -> directory.ContactData:
    texts = {
        name: {form.local: getattr(form, f"{name}_local").data or "",
               "en": getattr(form, f"{name}_en").data or ""}
        for name in directory.TRANSLATED_FIELDS
    }
    return directory.ContactData(form.role.data, form.phone.data or "", form.email.data or "",
                                 texts)


def _fill(form: ContactForm, contact) -> None:
    form.role.data, form.phone.data, form.email.data = contact.role, contact.phone, contact.email
    for name in directory.TRANSLATED_FIELDS:
        texts = getattr(contact, name) or {}
        getattr(form, f"{name}_local").data = texts.get(form.local, "")
        getattr(form, f"{name}_en").data = texts.get("en", "")


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
        return redirect(url_for("directory.contacts", code=code))
    return render_template("directory/contact_form.html", place=place, form=form,
                           contact=contact), (422 if form.errors else 200)


@bp.route("/supervision/<code>/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
@requires(Permission.SUPERVISE)
def contact_delete(code: str, contact_id: int):
    """A confirmation page naming the contact; the POST deletes it."""
    place = municipality_or_404(code)
    contact = directory.contact_in(code, contact_id)
    if contact is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        directory.delete_contact(contact)
        db.session.commit()
        flash(_("The contact has been deleted."), "success")
        return redirect(url_for("directory.contacts", code=code))
    return render_template("directory/contact_delete.html", place=place, contact=contact,
                           role=directory.role_label(contact.role), form=form)
