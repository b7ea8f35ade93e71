"""A supervisor's assignments: the list, assigning a course, withdrawing."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from elearn.access import Permission, learner_or_404, municipality_or_404, public, requires
from elearn.assignments import bp, calendar, rules, withdrawals
from elearn.assignments import services as assignments
from elearn.assignments.forms import AssignmentForm, DueDateForm
from elearn.auth.models import Profession
from elearn.auth.services import workplaces
from elearn.extensions import db
from elearn.forms import ConfirmForm
from elearn.i18n import current_language, today
from elearn.inputs import parse_id
from elearn.publishing.courses import live_courses
from elearn.templating import format_day
from elearn.urls import external_url, safe_local_path


@bp.route("/supervision/<code>/assignments")
@requires(Permission.SUPERVISE)
def assignment_list(code: str):
    place = municipality_or_404(code)
    return render_template(
        "assignments/list.html", place=place, groups=assignments.assignment_groups(code),
        titles={c.id: c for c in live_courses(current_language())}, today=today(),
        undo_form=ConfirmForm(), undo=withdrawals.last_withdrawal(code, current_user.id),
        rules=rules.rules_of(code), professions={p.value: p.label for p in Profession},
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
    form.profession.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(p.value, p.label) for p in Profession]
    if request.method == "GET":
        form.course.data = request.args.get("course", "")
        if learner := request.args.get("learner", type=parse_id):
            form.target.data, form.learners.data = "learners", [learner]
    if form.validate_on_submit():
        if form.course.data not in {c.id for c in courses}:
            abort(400)
        if form.target.data == "workplace" and form.workplace.data not in places:
            abort(400)
        if form.target.data == "profession" and form.profession.data not in {
                p.value for p in Profession}:
            abort(400)
        try:
            if form.keep.data:
                result = rules.create_rule(
                    code, form.course.data, form.due_on.data, target=form.target.data,
                    workplace=form.workplace.data, profession=form.profession.data,
                    renew_days_before=form.renew_days.data, by_user_id=current_user.id)
            else:
                result = assignments.assign(
                    code, form.course.data, form.due_on.data, target=form.target.data,
                    workplace=form.workplace.data, profession=form.profession.data,
                    user_ids=form.learners.data or [], by_user_id=current_user.id,
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


def _course_title(course_id: str) -> str:
    titles = {c.id: c.title for c in live_courses(current_language())}
    return titles.get(course_id, course_id)


@bp.route("/supervision/<code>/assignments/withdraw", methods=["GET", "POST"])
@requires(Permission.SUPERVISE)
def assignment_withdraw(code: str):
    """A confirmation page naming everyone whose assignment goes; the POST withdraws."""
    place = municipality_or_404(code)
    values = request.form if request.method == "POST" else request.args
    course_id = values.get("course", "")
    try:
        due_on = date.fromisoformat(values.get("due_on", ""))
    except ValueError:
        abort(400)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        _batch, count = withdrawals.withdraw(code, course_id, due_on=due_on,
                                             by_user_id=current_user.id)
        db.session.commit()
        flash(ngettext("%(num)d assignment withdrawn.", "%(num)d assignments withdrawn.", count),
              "success")
        return redirect(url_for("assignments.assignment_list", code=code))
    people = withdrawals.affected(code, course_id, due_on=due_on)
    if not people:
        abort(404)
    return render_template("assignments/withdraw.html", place=place, people=people,
                           course_title=_course_title(course_id), due_on=due_on, form=form,
                           hidden={"course": course_id, "due_on": due_on.isoformat()},
                           back=url_for("assignments.assignment_list", code=code))


@bp.route("/supervision/<code>/learners/<int:user_id>/assignments/<course_id>/withdraw",
          methods=["GET", "POST"])
@requires(Permission.SUPERVISE)
def withdraw_one(code: str, user_id: int, course_id: str):
    place = municipality_or_404(code)
    person = learner_or_404(code, user_id)
    back = url_for("supervision.learner", code=code, user_id=person.id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        _batch, count = withdrawals.withdraw(code, course_id, user_id=person.id,
                                             by_user_id=current_user.id)
        if count:
            db.session.commit()
            flash(_("The assignment has been withdrawn."), "success")
        return redirect(back)
    people = withdrawals.affected(code, course_id, user_id=person.id)
    if not people:
        abort(404)
    return render_template("assignments/withdraw.html", place=place, people=people,
                           course_title=_course_title(course_id), due_on=None, form=form,
                           hidden={}, back=back)


@bp.route("/supervision/<code>/assignments/undo", methods=["POST"])
@requires(Permission.SUPERVISE)
def withdrawal_undo(code: str):
    """Puts back the supervisor's latest withdrawal (within a day)."""
    municipality_or_404(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    restored = withdrawals.undo(code, request.form.get("batch", ""), current_user.id)
    if restored is None:
        flash(_("This withdrawal can no longer be undone."), "error")
    else:
        db.session.commit()
        flash(ngettext("%(num)d assignment restored.", "%(num)d assignments restored.", restored),
              "success")
    return redirect(safe_local_path(request.form.get("next", ""),
                                    url_for("assignments.assignment_list", code=code)))


@bp.route("/supervision/<code>/assignments/due-date", methods=["GET", "POST"])
@requires(Permission.SUPERVISE)
def due_date(code: str):
    """A new due date for a batch (course and due date) or for one person (course, user)."""
    place = municipality_or_404(code)
    values = request.form if request.method == "POST" else request.args
    course_id = values.get("course", "")
    due_on = user_id = None
    if values.get("due_on"):
        try:
            due_on = date.fromisoformat(values["due_on"])
        except ValueError:
            abort(400)
    if values.get("user"):
        user_id = learner_or_404(code, parse_id(values["user"]) or 0).id
    if (due_on is None) == (user_id is None):
        abort(400)  # exactly one of them
    people = withdrawals.affected(code, course_id, due_on=due_on, user_id=user_id)
    if not people:
        abort(404)
    back = (url_for("supervision.learner", code=code, user_id=user_id) if user_id
            else url_for("assignments.assignment_list", code=code))
    form = DueDateForm()
    if form.validate_on_submit():
        count = assignments.move_due_date(code, course_id, form.new_due_on.data, due_on=due_on,
                                          user_id=user_id, by_user_id=current_user.id)
        db.session.commit()
        flash(ngettext("The due date of %(num)d assignment is now %(date)s.",
                       "The due date of %(num)d assignments is now %(date)s.", count,
                       date=format_day(form.new_due_on.data)), "success")
        return redirect(back)
    if request.method == "GET":
        form.new_due_on.data = due_on
    hidden = {"course": course_id, "due_on": due_on.isoformat() if due_on else "",
              "user": user_id or ""}
    return render_template("assignments/due_date.html", place=place, people=people,
                           course_title=_course_title(course_id), due_on=due_on, form=form,
                           hidden=hidden, back=back), (422 if form.errors else 200)


@bp.route("/supervision/<code>/assignments/rules/<int:rule_id>/stop", methods=["POST"])
@requires(Permission.SUPERVISE)
def rule_stop(code: str, rule_id: int):
    """The rule reaches nobody new; the assignments it made stay."""
    municipality_or_404(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not rules.stop_rule(code, rule_id):
        abort(404)
    db.session.commit()
    flash(_("People who join later are no longer assigned this course; the assignments "
            "made stay."), "success")
    return redirect(url_for("assignments.assignment_list", code=code))


@bp.route("/account/calendar", methods=["GET", "POST"])
def calendar_feed():
    """The learner's calendar subscription: its secret address, a new one, or none."""
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("action") == "stop":
            calendar.stop(current_user.id)
            flash(_("The calendar address no longer works."), "success")
        else:
            calendar.renew(current_user.id)
            flash(_("Your calendar has a new address; the old one no longer works."),
                  "success")
        db.session.commit()
        return redirect(url_for("assignments.calendar_feed"))
    token = calendar.feed_token(current_user.id)
    address = external_url("assignments.calendar_ics", token=token) if token else None
    return render_template("assignments/calendar.html", address=address, form=form)


@bp.route("/calendar/<token>.ics")
@public
def calendar_ics(token: str):
    """The feed calendars fetch; the token is the only key (no sign-in, no cookie)."""
    data = calendar.feed(token[:64])
    if data is None:
        abort(404)
    response = current_app.response_class(data, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = 'inline; filename="due-dates.ics"'
    return response
