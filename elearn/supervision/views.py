"""The supervisor's dashboard, its exports and the learner page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Permission, requires, supervised_codes
from elearn.auth.models import Profession
from elearn.certificates.services import today
from elearn.extensions import db
from elearn.i18n import current_language as locale
from elearn.reports import (  # noqa: F401  (manage_views, national_views: their routes)
    assignments,
    bp,
    exports,
    learner_table,
    manage_views,
    national_views,
    services,
)
from elearn.reports.forms import ConfirmForm
from elearn.reports.guards import learner_or_404, municipality_or_404
from elearn.reports.scope import live_courses, visible_municipalities, workplaces


@bp.route("/supervision")
@requires(Permission.SUPERVISE)
def dashboard():
    if supervised_codes(current_user) is None:
        return redirect(url_for("reports.national"))  # admins start from the whole country
    places = visible_municipalities(current_user)
    if not places:
        return render_template("reports/no_municipality.html")
    return redirect(url_for("reports.municipality", code=places[0].code))


def _table_query(courses, places: list[str]):
    return learner_table.TableQuery.from_args(
        request.args, courses={c.id for c in courses}, workplaces=set(places)
    )


@bp.route("/supervision/<code>")
@requires(Permission.SUPERVISE)
def municipality(code: str):
    place = municipality_or_404(code)
    courses = live_courses(locale())
    day = today()
    places = workplaces(code)
    query = _table_query(courses, places)
    return render_template(
        "reports/dashboard.html", place=place, courses=courses, q=query, today=day,
        summary=services.summary(code, courses, day),
        table=learner_table.learner_page(code, query, courses, day),
        workplaces=places, places=visible_municipalities(current_user),
        state_labels=services.STATE_LABELS,
        professions=[(p.value, p.label) for p in Profession],
    )


def _export(code: str, kind: str):
    place = municipality_or_404(code)
    courses = live_courses(locale())
    query = _table_query(courses, workplaces(code))
    rows = learner_table.all_learner_rows(code, query, courses, today())
    header, lines = exports.learner_table(query, courses, rows)
    name = f"{code}-learners-{today().isoformat()}"
    if kind == "csv":
        return exports.csv_download(f"{name}.csv", header, lines,
                                    exports.csv_delimiter(locale()))
    return exports.xlsx_download(f"{name}.xlsx", place.name, header, lines)


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
    courses = live_courses(locale())
    day = today()
    cells = learner_table.cells([person.id], [c.id for c in courses], day)
    return render_template(
        "reports/learner.html", place=municipality_or_404(code), person=person,
        courses=courses, cells={c.id: cells.get((person.id, c.id), learner_table.Cell())
                                for c in courses},
        today=day, state_labels=services.STATE_LABELS, withdraw_form=ConfirmForm(),
    )


@bp.route("/supervision/<code>/learners/<int:user_id>/assignments/<course_id>/withdraw",
          methods=["POST"])
@requires(Permission.SUPERVISE)
def withdraw_one(code: str, user_id: int, course_id: str):
    person = learner_or_404(code, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if assignments.withdraw(person.id, course_id):
        db.session.commit()
        flash(_("The assignment has been withdrawn."), "success")
    return redirect(url_for("reports.learner", code=code, user_id=person.id))
