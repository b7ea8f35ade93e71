"""The learner's pages: each parses the request, calls one service and renders.

A course withdrawn while a learner was in it answers 410 Gone on its course,
lesson and quiz pages, with a page saying so and what she keeps (her progress
and certificates); her attempt results stay readable.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from elearn.access import public
from elearn.i18n import current_language
from elearn.learning import bp, quizzes, services
from elearn.learning.context import Forged, Retired, Unavailable

SEE_OTHER = 303  # after a POST, the browser GETs the next page
UNANSWERED = 422
LOCKED = 403


def _user():
    return current_user._get_current_object()


@bp.errorhandler(Unavailable)
def _unavailable(error):
    return render_template("errors/404.html"), 404


@bp.errorhandler(Forged)
def _forged(error):
    return render_template("errors/400.html"), 400


@bp.errorhandler(Retired)
def _retired(error: Retired):
    return render_template("learning/retired.html", course=error.course,
                           progress=error.progress), 410


@bp.route("/courses")
def catalogue():
    return render_template("learning/catalogue.html",
                           cards=services.catalogue(_user(), current_language()))


@bp.route("/catalogue")
@public
def public_catalogue():
    """The courses anyone can see before creating an account."""
    if current_user.is_authenticated:
        return redirect(url_for("learning.catalogue"))
    return render_template("learning/public_catalogue.html",
                           courses=services.public_catalogue(current_language()))


@bp.route("/learn/<course_id>")
def course(course_id: str):
    return render_template("learning/course.html",
                           page=services.course_page(_user(), course_id, current_language()))


@bp.route("/courses/<course_id>/start-again", methods=["POST"])
def start_again(course_id: str):
    if services.start_again(_user(), course_id, current_language()):
        flash(_("You have started the course again. Your earlier results and certificates "
                "are kept."), "success")
    return redirect(url_for("learning.course", course_id=course_id), SEE_OTHER)


@bp.route("/learn/<course_id>/<module_key>")
def lesson(course_id: str, module_key: str):
    page = services.lesson_page(_user(), course_id, module_key, current_language())
    return render_template("learning/lesson.html", page=page)


def _congratulate(course_id: str) -> None:
    """Said once, right after the last module, with the way to the new certificate."""
    certificate_id = services.certificate_id(_user(), course_id)
    message = _("Well done: you have completed the course. Your certificate is ready.")
    if certificate_id is not None:
        message = Markup('{} <a href="{}">{}</a>').format(
            message, url_for("certificates.show", certificate_id=certificate_id),
            _("Open your certificate"))
    flash(message, "success")


@bp.route("/learn/<course_id>/<module_key>/read", methods=["POST"])
def confirm_read(course_id: str, module_key: str):
    outcome = services.confirm_read(_user(), course_id, module_key, current_language())
    if outcome.course_completed:
        _congratulate(course_id)
        return redirect(url_for("learning.course", course_id=course_id), SEE_OTHER)
    flash(_("Saved: you have read this module."), "success")
    if outcome.next_key:
        return redirect(url_for("learning.lesson", course_id=course_id,
                                module_key=outcome.next_key), SEE_OTHER)
    return redirect(url_for("learning.course", course_id=course_id), SEE_OTHER)


@bp.route("/learn/<course_id>/<module_key>/quiz")
def quiz(course_id: str, module_key: str):
    page = quizzes.quiz_page(_user(), course_id, module_key, current_language())
    return render_template("learning/quiz.html", page=page)


@bp.route("/learn/<course_id>/<module_key>/quiz/start", methods=["POST"])
def start_quiz(course_id: str, module_key: str):
    quizzes.start(_user(), course_id, module_key, current_language())
    return redirect(url_for("learning.quiz", course_id=course_id, module_key=module_key),
                    SEE_OTHER)


@bp.route("/learn/<course_id>/<module_key>/quiz", methods=["POST"])
def submit_quiz(course_id: str, module_key: str):
    outcome = quizzes.submit(_user(), course_id, module_key, request.form, current_language())
    if isinstance(outcome, quizzes.Refused):
        status = LOCKED if outcome.locked else UNANSWERED
        return render_template("learning/quiz.html", page=outcome.page), status
    if isinstance(outcome, quizzes.AlreadySubmitted):
        flash(_("These answers had already been sent. They were counted once."), "info")
    elif outcome.course_completed:
        _congratulate(course_id)
    return redirect(url_for("learning.attempt", course_id=course_id, module_key=module_key,
                            attempt_id=outcome.attempt_id), SEE_OTHER)


@bp.route("/learn/<course_id>/<module_key>/attempts/<int(max=2147483647):attempt_id>")
def attempt(course_id: str, module_key: str, attempt_id: int):
    page = quizzes.result_page(_user(), course_id, module_key, attempt_id, current_language())
    if page is None:  # still open: its questions are on the quiz page
        return redirect(url_for("learning.quiz", course_id=course_id, module_key=module_key))
    return render_template("learning/result.html", page=page)
