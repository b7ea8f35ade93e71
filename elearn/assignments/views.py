"""A supervisor's assignments: the list, assigning a course, withdrawing."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from elearn.access import Permission, learner_or_404, municipality_or_404, requires
from elearn.assignments import bp
from elearn.assignments import services as assignments
from elearn.assignments.forms import AssignmentForm
from elearn.auth.services import workplaces
from elearn.extensions import db
from elearn.forms import ConfirmForm
from elearn.i18n import current_language, today
from elearn.inputs import parse_id
from elearn.publishing.courses import live_courses


@bp.route("/supervision/<code>/assignments")
@requires(Permission.SUPERVISE)
def assignment_list(code: str):
    place = municipality_or_404(code)
    return render_template(
        "assignments/list.html", place=place, groups=assignments.assignment_groups(code),
        titles={c.id: c for c in live_courses(current_language())}, today=today(),
        withdraw_form=ConfirmForm(),
    )


@bp.route("/supervision/<code>/assignments/new", methods=["GET", "POST"])
@requires(Permission.SUPERVISE)
def assignment_new(code: str):
    place = municipality_or_404(code)
    courses = live_courses(current_language())
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
        return redirect(url_for("assignments.assignment_list", code=code))
    return render_template(
        "assignments/new.html", place=place, form=form, people=people, total=total,
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
    return redirect(url_for("assignments.assignment_list", code=code))


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
    return redirect(url_for("supervision.learner", code=code, user_id=person.id))
