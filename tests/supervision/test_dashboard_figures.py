"""The dashboard's figures are cached per municipality data version: every kind of
change moves the version in its own transaction, so the next view, in any app
instance, counts again; nothing else does, and no municipality sees another's figures.

Changes are made through a second app on the same database (another gunicorn worker,
with its own cache) and read through the first, whose cache was filled before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from elearn.assignments import services as assignments
from elearn.assignments import withdrawals
from elearn.auth import services as accounts
from elearn.auth.models import User
from elearn.certificates import services as certificates
from elearn.certificates.models import Certificate
from elearn.extensions import db
from elearn.i18n import today
from elearn.learning import progress
from elearn.publishing.courses import live_courses
from elearn.supervision import services
from elearn.types import utcnow
from tests.apps import make_app
from tests.factories import insert_certificate, insert_progress


@pytest.fixture(scope="module")
def other(database_url):
    """Another app instance on the same database (another worker, another cache)."""
    return make_app(database_url)


def figures(app, code: str = "LT-57", day: date | None = None) -> dict:
    with app.app_context():
        found = services.summary(code, live_courses("en"), day or today())
        alpha = next(c for c in found.courses if c.course.id == "alpha")
        figures = {"learners": found.learners, "in_progress": alpha.in_progress,
                   "completed": alpha.completed, "assigned": alpha.assigned,
                   "overdue": alpha.overdue, "valid": found.certificates.valid,
                   "expiring": [e.full_name for e in found.expiring]}
        db.session.remove()
        return figures


def version(app, code: str = "LT-57") -> int | None:
    with app.app_context():
        try:
            return services.data_version(code)[0]
        finally:
            db.session.remove()


@pytest.fixture
def learner(app, two_courses, make_user):
    return make_user(full_name="Ona Learner")


def test_course_progress_counts_at_once_in_every_instance(app, other, learner):
    before = figures(app)
    assert (before["in_progress"], before["completed"]) == (0, 0)
    with other.app_context():
        # The learning feature's own upsert (a bulk statement, not an ORM flush).
        progress.record_visit(learner, "alpha", 4, "first", utcnow())
        db.session.commit()
    assert figures(app)["in_progress"] == 1
    assert figures(other)["in_progress"] == 1
    with other.app_context():
        insert_progress(learner, "alpha", "completed")
    after = figures(app)
    assert (after["in_progress"], after["completed"]) == (0, 1)


def test_a_module_done_does_not_move_the_version(app, other, learner):
    """Only state changes move it: lesson by lesson, learners of one municipality do not
    all write its version row (on PostgreSQL a row lock until their commit)."""
    with other.app_context():
        insert_progress(learner, "alpha", "in_progress", done=1)
    stamp = version(app)
    with other.app_context():
        row = progress.lock_progress(learner, "alpha", 4, utcnow())
        row.modules_done, row.last_activity_at = 2, utcnow()
        db.session.commit()
    assert version(app) == stamp


def test_assignment_and_its_withdrawal(app, other, learner):
    figures(app)
    yesterday = today() - timedelta(days=1)
    with other.app_context():
        assignments.assign("LT-57", "alpha", yesterday, target="people", by_user_id=None,
                           user_ids=[learner])
        db.session.commit()
    after = figures(app)
    assert (after["assigned"], after["overdue"]) == (1, 1)
    with other.app_context():
        withdrawals.withdraw("LT-57", "alpha", by_user_id=None, user_id=learner)
        db.session.commit()
    after = figures(app)
    assert (after["assigned"], after["overdue"]) == (0, 0)


def test_overdue_follows_the_day_without_any_change(app, other, learner):
    tomorrow = today() + timedelta(days=1)
    with other.app_context():
        assignments.assign("LT-57", "alpha", tomorrow, target="people", by_user_id=None,
                           user_ids=[learner])
        db.session.commit()
    assert figures(app)["overdue"] == 0
    assert figures(app, day=tomorrow + timedelta(days=1))["overdue"] == 1


def test_certificate_issue_renewal_and_revocation(app, other, learner, make_user):
    assert figures(app)["valid"] == 0
    soon = today() + timedelta(days=20)
    with other.app_context():
        first = insert_certificate(learner, "alpha", soon)
    after = figures(app)
    assert (after["valid"], after["expiring"]) == (1, ["Ona Learner"])
    with other.app_context():
        renewed = insert_certificate(learner, "alpha", today() + timedelta(days=700))
    after = figures(app)  # the renewed one supersedes the expiring one
    assert (after["valid"], after["expiring"]) == (1, [])
    with other.app_context():
        assert db.session.get(Certificate, first).superseded
        supervisor = db.session.get(User, make_user(municipality="LT-57"))
        certificates.revoke(db.session.get(Certificate, renewed), "issued in error",
                            supervisor)
        db.session.commit()
    assert figures(app)["valid"] == 0


def test_a_renamed_learner_is_renamed_in_the_expiring_list(app, other, learner):
    with other.app_context():
        insert_certificate(learner, "alpha", today() + timedelta(days=20))
    assert figures(app)["expiring"] == ["Ona Learner"]
    with other.app_context():
        accounts.correct_staff_details(db.session.get(User, learner), full_name="Ona Renamed",
                                       workplace="Centras", profession="social_worker")
        db.session.commit()
    assert figures(app)["expiring"] == ["Ona Renamed"]


def test_a_deactivated_staff_member_leaves_the_figures(app, other, learner):
    with other.app_context():
        insert_progress(learner, "alpha", "completed")
    before = figures(app)
    assert (before["learners"], before["completed"]) == (1, 1)
    with other.app_context():
        accounts.deactivate(db.session.get(User, learner))
        db.session.commit()
    after = figures(app)
    assert (after["learners"], after["completed"]) == (0, 0)
    with other.app_context():
        accounts.activate(db.session.get(User, learner))
        db.session.commit()
    assert figures(app)["learners"] == 1


def test_a_staff_member_moved_counts_in_her_new_municipality_only(app, other, learner):
    with other.app_context():
        insert_progress(learner, "alpha", "completed")
    assert (figures(app)["completed"], figures(app, "LT-15")["completed"]) == (1, 0)
    with other.app_context():
        accounts.move_to_municipality(db.session.get(User, learner), "LT-15", confirmed=True)
        db.session.commit()
    assert (figures(app)["completed"], figures(app, "LT-15")["completed"]) == (0, 1)
    assert (figures(app)["learners"], figures(app, "LT-15")["learners"]) == (0, 1)


def test_a_change_elsewhere_leaves_the_version_and_figures_alone(app, other, learner,
                                                                 make_user):
    with other.app_context():
        insert_progress(learner, "alpha", "completed")
    ours = figures(app)
    stamp = version(app)
    elsewhere = make_user(municipality="LT-15", full_name="Jonas Elsewhere")
    with other.app_context():
        insert_progress(elsewhere, "alpha", "completed")
        insert_certificate(elsewhere, "alpha", today() + timedelta(days=10))
    assert version(app) == stamp
    assert figures(app) == ours
    theirs = figures(app, "LT-15")
    assert (theirs["completed"], theirs["expiring"]) == (1, ["Jonas Elsewhere"])
    assert ours["expiring"] == []


def test_a_rolled_back_change_leaves_no_figures_behind(app, other, learner):
    before = figures(app)
    with other.app_context():
        insert_progress(learner, "alpha", "in_progress")
    stamp = version(app)
    with app.app_context():
        progress.record_visit(learner, "beta", 4, "first", utcnow())
        row = db.session.get(User, learner)
        row.active = False
        db.session.flush()
        # Counted inside the transaction that made the change, then rolled back.
        assert services.summary("LT-57", live_courses("en"), today()).learners == 0
        db.session.rollback()
        db.session.remove()
    assert version(app) == stamp
    after = figures(app)
    assert after["learners"] == before["learners"] == 1
    assert after["in_progress"] == 1


def test_the_table_draws_each_distinct_cell_once_and_the_same_as_the_macro(app):
    """The all-courses table's cells come from the state macro, drawn once per distinct
    cell on the page: the HTML is what a macro call per cell gives."""
    from flask import get_template_attribute

    from elearn.supervision.learner_table import Cell, LearnerRow
    from elearn.supervision.pages import StateCells, _labels

    day = date(2026, 3, 10)
    kinds = [Cell(), Cell("in_progress", 2, 4), Cell("completed", due_on=day),
             Cell("in_progress", due_on=day, overdue=True), Cell("not_started", due_on=day),
             Cell("not_started", due_on=day + timedelta(days=1))]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        labels = _labels()
        macro = get_template_attribute("supervision/_macros.html", "state")
        ids = [f"c{n}" for n in range(len(kinds))]
        draw = StateCells(ids, labels)
        rows = [LearnerRow(n, "", "", "", "social_worker", None,
                           cells=dict(zip(ids, kinds[n:] + kinds[:n], strict=True)))
                for n in range(len(kinds))]
        for row in rows:
            expected = "".join(f"<td>{macro(row.cells[i], labels)}</td>" for i in ids)
            assert str(draw(row)) == expected
        html = str(draw(rows[3]))
        assert "Overdue" in html and "Completed" in html and "In progress" in html
        assert len(draw._drawn) == len(kinds)


def test_figures_counted_inside_a_writing_transaction_are_not_kept_stale(app, learner):
    """Counted between two changes of one transaction, then committed: the next view
    shows both changes (PostgreSQL gives the version once per transaction)."""
    figures(app)
    with app.app_context():
        progress.record_visit(learner, "alpha", 4, "first", utcnow())
        assert services.summary("LT-57", live_courses("en"), today()).learners == 1
        db.session.get(User, learner).active = False
        db.session.commit()
        db.session.remove()
    assert figures(app)["learners"] == 0


def test_a_course_assigned_to_many_changes_the_version_in_one_go(app, other, two_courses,
                                                                 make_user):
    many = [make_user() for _ in range(30)]
    stamp = version(app)
    with other.app_context():
        assignments.assign("LT-57", "alpha", today() + timedelta(days=9), target="people",
                           by_user_id=None, user_ids=many)
        db.session.commit()
    assert version(app) != stamp
    assert figures(app)["assigned"] == 30


def test_id_links_are_what_url_for_builds(app):
    from flask import url_for

    from elearn.supervision.pages import PathLinks

    with app.test_request_context():
        learner = PathLinks("supervision.learner", "user_id", code="LT-57")
        certificate = PathLinks("certificates.show", "certificate_id")
        for ident in (1, 42, 2_147_483_646):
            assert learner(ident) == url_for("supervision.learner", code="LT-57",
                                             user_id=ident)
            assert certificate(ident) == url_for("certificates.show", certificate_id=ident)
        dashboard = PathLinks("supervision.municipality", "code")
        for code in ("LT-57", "LV-011", "a b/c"):
            assert dashboard(code) == url_for("supervision.municipality", code=code)
