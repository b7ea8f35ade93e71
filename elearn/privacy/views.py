"""My data, its download, deleting one's account, and the privacy notice."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from elearn.access import public
from elearn.auth.models import Role
from elearn.auth.passwords import verify_password
from elearn.extensions import db, limiter
from elearn.i18n import today
from elearn.privacy import bp, retention, services
from elearn.privacy.forms import DeleteAccountForm
from elearn.spreadsheets import download

INVALID = 422


@bp.route("/privacy")
@public
def notice():
    return render_template("privacy/notice.html", kept=retention.what_is_kept())


@bp.route("/account/my-data")
def my_data():
    return render_template("privacy/my_data.html", kept=retention.what_is_kept(),
                           data=services.my_data(current_user))


@bp.route("/account/my-data.zip")
def my_data_zip():
    return download(services.data_zip(current_user),
                    f"my-data-{today().isoformat()}.zip", "application/zip")


@bp.route("/account/delete", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def delete_account():
    user = current_user._get_current_object()
    if user.role != Role.LEARNER.value:
        return render_template("privacy/delete_staff.html"), 403
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not (user.password_hash and verify_password(user.password_hash,
                                                       form.password.data)):
            form.password.errors.append(_("The password is wrong."))
        else:
            services.erase(user, "request")
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account has been deleted. Your certificates can still be "
                    "verified, without your name."), "success")
            return redirect(url_for("main.index"))
    return render_template("privacy/delete.html", form=form), (
        INVALID if form.errors else 200)
