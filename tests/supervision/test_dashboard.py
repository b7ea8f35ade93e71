"""The supervisor's dashboard: summary counts, the learner table, filters, sort, pages."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest

from elearn.assignments.models import Assignment
from elearn.auth.models import Role
from elearn.extensions import db
from elearn.i18n import today
from elearn.types import utcnow


def _assign(app, user_id, course_id, due):
    with app.app_context():
        db.session.add(Assignment(user_id=user_id, course_id=course_id, due_on=due))
        db.session.commit()


def test_supervision_redirects_to_the_first_supervised_municipality(client, login_as):
    login_as(Role.SUPERVISOR, municipality="LT-57", supervises=("LT-57", "LT-15"))
    response = client.get("/supervision")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/supervision/LT-15")  # Kaunas before Vilnius


def test_admin_starts_from_the_national_overview(client, login_as):
    login_as(Role.ADMIN, municipality=None)
    assert client.get("/supervision").headers["Location"].endswith("/national")


def test_learners_may_not_open_the_dashboard(client, login_as):
    login_as(Role.LEARNER)
    assert client.get("/supervision").status_code == 403
    assert client.get("/supervision/LT-57").status_code == 403


def test_summary_counts_by_state_share_and_overdue(app, client, two_courses, make_user,
                                                   record_progress,
                                                   signed_in_supervisor):
    a = make_user(full_name="Ona Žemaitytė")
    b = make_user(full_name="Jonas Kazlauskas")
    c = make_user(full_name="Eglė Šimkutė")
    make_user(full_name="Elsewhere Person", municipality="LT-15")
    record_progress(a, "alpha", "completed")
    record_progress(b, "alpha", "in_progress")
    record_progress(make_user(municipality="LT-15"), "alpha", "completed")  # not counted here
    _assign(app, c, "alpha", today() - timedelta(days=1))
    _assign(app, a, "alpha", today() - timedelta(days=1))  # completed: not overdue
    html = client.get("/supervision/LT-57").get_data(as_text=True)
    assert "3 learners in the municipality" in html
    row = re.search(r"Course alpha \[en\].*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="num">(?:<a[^>]*>)?([^<]+)', row)
    # not started, in progress, completed, share, assigned, overdue
    assert cells == ["1", "1", "1", "33%", "2", "1"]
    assert "Elsewhere Person" not in html


def test_certificate_counts_and_expiring_list(app, client, two_courses, make_user, add_certificate,
                                              signed_in_supervisor):
    a = make_user(full_name="Valid Person")
    b = make_user(full_name="Soon Person")
    c = make_user(full_name="Expired Person")
    add_certificate(a, "alpha", today() + timedelta(days=400))
    add_certificate(b, "alpha", today() + timedelta(days=20))
    add_certificate(c, "alpha", today() - timedelta(days=3))
    add_certificate(c, "beta", today() + timedelta(days=100), revoked=True)  # not counted
    html = client.get("/supervision/LT-57").get_data(as_text=True)
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html))
    assert facts == {"Valid": "2", "Expiring within 60 days": "1", "Expired": "1"}
    expiring = html.split("<caption>Certificates expiring within 60 days")[1].split("</table>")[0]
    assert "Soon Person" in expiring and "Valid Person" not in expiring


def test_a_renewed_certificate_replaces_the_expired_one(client, two_courses, make_user,
                                                        add_certificate,
                                                       signed_in_supervisor):
    a = make_user()
    add_certificate(a, "alpha", today() - timedelta(days=30))
    add_certificate(a, "alpha", today() + timedelta(days=700))
    html = client.get("/supervision/LT-57").get_data(as_text=True)
    assert dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html))["Expired"] == "0"


def _names(html: str) -> list[str]:
    table = html.split('<table class="learners">')[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', table)


def test_filters_by_workplace_profession_course_and_state(app, client, two_courses, make_user,
                                                          record_progress, signed_in_supervisor):
    a = make_user(full_name="Alpha Done", workplace="Centre", profession="social_worker")
    b = make_user(full_name="Beta Going", workplace="School", profession="teacher")
    make_user(full_name="Never Started", workplace="Centre", profession="teacher")
    late = make_user(full_name="Late One", workplace="School", profession="teacher")
    record_progress(a, "alpha", "completed")
    record_progress(b, "alpha", "in_progress")
    record_progress(b, "beta", "completed")
    _assign(app, late, "beta", today() - timedelta(days=2))
    get = lambda **args: _names(client.get("/supervision/LT-57", query_string=args)  # noqa: E731
                                .get_data(as_text=True))
    assert get() == ["Alpha Done", "Beta Going", "Late One", "Never Started"]
    assert get(workplace="Centre") == ["Alpha Done", "Never Started"]
    assert get(profession="teacher") == ["Beta Going", "Late One", "Never Started"]
    assert get(course="alpha", state="completed") == ["Alpha Done"]
    assert get(course="alpha", state="not_started") == ["Late One", "Never Started"]
    assert get(course="beta", state="overdue") == ["Late One"]
    assert get(state="completed") == ["Alpha Done", "Beta Going"]  # in any course
    assert get(state="overdue") == ["Late One"]
    assert get(state="in_progress") == ["Beta Going"]
    # Unknown values are ignored rather than failing.
    assert len(get(workplace="Nowhere", course="nope", state="odd", sort="x", page="z")) == 4


def test_sorting_both_ways_and_the_sort_links_say_their_direction(
        client, two_courses, make_user, record_progress, signed_in_supervisor):
    make_user(full_name="Aldona", workplace="Z-place")
    make_user(full_name="Birutė", workplace="A-place")
    html = client.get("/supervision/LT-57?sort=workplace").get_data(as_text=True)
    assert _names(html) == ["Birutė", "Aldona"]
    assert 'aria-sort="ascending"' in html
    assert "sorted ascending; select to sort descending" in html
    html = client.get("/supervision/LT-57?sort=name&dir=desc").get_data(as_text=True)
    assert _names(html) == ["Birutė", "Aldona"]
    assert 'aria-sort="descending"' in html


def test_sort_by_state_and_last_activity(client, two_courses, make_user, record_progress,
                                         signed_in_supervisor):
    a, b = make_user(full_name="Done"), make_user(full_name="Going")
    make_user(full_name="Idle")
    record_progress(a, "alpha", "completed", at=utcnow() - timedelta(days=5))
    record_progress(b, "alpha", "in_progress", at=utcnow())
    html = client.get("/supervision/LT-57?course=alpha&sort=state&dir=desc").get_data(
        as_text=True)
    assert _names(html) == ["Done", "Going", "Idle"]
    html = client.get("/supervision/LT-57?sort=activity&dir=desc").get_data(as_text=True)
    assert _names(html) == ["Going", "Done", "Idle"]  # never active comes last either way
    html = client.get("/supervision/LT-57?sort=activity").get_data(as_text=True)
    assert _names(html) == ["Done", "Going", "Idle"]


def _ids(html: str) -> list[str]:
    table = html.split('<table class="learners">')[1].split("</table>")[0]
    return re.findall(r'href="/supervision/LT-57/learners/(\d+)"', table)


def _link(html: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_pages_follow_one_another_by_keyset_both_ways(app, client, two_courses,
                                                      signed_in_supervisor):
    from elearn.auth import services as accounts

    with app.app_context():
        for n in range(120):
            accounts.create_user(email=f"p{n:03d}@example.lt", full_name=f"Person {n:03d}",
                                 password=None, municipality_code="LT-57")
        db.session.commit()
    first = client.get("/supervision/LT-57").get_data(as_text=True)
    assert _names(first)[0] == "Person 000" and len(_names(first)) == 50
    assert '<nav class="pagination" aria-label="Pages of the learner table">' in first
    assert _link(first, "prev") is None
    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert _names(second)[0] == "Person 050" and "Page 2 of 3." in second
    third = client.get(_link(second, "next")).get_data(as_text=True)
    assert _names(third) == [f"Person {n:03d}" for n in range(100, 120)]
    assert "Page 3 of 3." in third and _link(third, "next") is None
    back = client.get(_link(third, "prev")).get_data(as_text=True)
    assert _names(back) == _names(second) and "Page 2 of 3." in back
    assert _names(client.get(_link(back, "prev")).get_data(as_text=True)) == _names(first)
    # A page number without a cursor, or a cursor that is not ours, shows the first page.
    def cursor(values, sort="name") -> str:
        raw = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
        return f"after={raw}&page=2&sort={sort}"

    for junk in ("page=2", "page=99", "after=not-a-cursor&page=2", "before=e30&page=2",
                 "after=WzEsMiwzXQ&page=2", "after=%FF%FE&page=3",
                 cursor(["Person 049", 10**30]), cursor(["Person\u0000", 5]),
                 cursor([10**30, "Person 049", 5], "profession"),
                 cursor(["2026-01-01T10:00:00", "Person 049", 5], "activity"),
                 cursor(["W\u0000", "Person 049", 5], "workplace")):
        response = client.get(f"/supervision/LT-57?{junk}")
        assert response.status_code == 200 and _names(response.get_data(as_text=True))[0] == (
            "Person 000"), junk


@pytest.mark.parametrize("sort", ["name", "workplace", "profession", "activity", "state", "due"])
@pytest.mark.parametrize("direction", ["", "desc"])
def test_walking_the_pages_gives_the_exports_order(app, client, two_courses, make_user,
                                                   record_progress, signed_in_supervisor,
                                                   sort, direction):
    """Keyset pages under every sort, with ties and empty values (never active, no due
    date): every learner once, in the order of the export (which has no pages)."""
    from elearn.supervision import learner_table

    people = [make_user(full_name=f"P{n % 7}", workplace=f"W{n % 3}",
                        profession=("teacher", "social_worker")[n % 2]) for n in range(13)]
    for n, person in enumerate(people):
        if n % 3:
            record_progress(person, "alpha", ("in_progress", "completed")[n % 2],
                            at=utcnow() - timedelta(days=n % 4))
        if n % 4:
            _assign(app, person, "alpha", today() + timedelta(days=n % 5))
    args = f"?course=alpha&sort={sort}&dir={direction}"
    export = client.get(f"/supervision/LT-57/export.csv{args}").get_data(as_text=True)
    lines = export.lstrip("\ufeff").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Name,"))
    expected = [line.split(",")[1] for line in lines[header + 1:] if line]
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(learner_table.learner_page, "__defaults__", (4,))  # 4 rows a page
    try:
        seen, url, pages = [], f"/supervision/LT-57{args}", 0
        while url:
            html = client.get(url).get_data(as_text=True)
            seen += _ids(html)
            url, pages = _link(html, "next"), pages + 1
        assert pages == 4
        with app.app_context():
            from elearn.auth.models import User

            order = [db.session.get(User, int(i)).email for i in seen]
        assert order == expected
        backwards = []
        url = None
        html = client.get(f"/supervision/LT-57{args}").get_data(as_text=True)
        while (url := _link(html, "next")):
            html = client.get(url).get_data(as_text=True)
        while True:
            backwards = _ids(html) + backwards
            if not (url := _link(html, "prev")):
                break
            html = client.get(url).get_data(as_text=True)
        assert backwards == seen
    finally:
        monkeypatch.undo()


def test_filters_are_a_labelled_get_form(client, two_courses, signed_in_supervisor):
    html = client.get("/supervision/LT-57").get_data(as_text=True)
    form = html.split('class="filters"')[1].split("</form>")[0]
    assert "<legend>" in form and 'method="get"' in html.split('class="filters"')[0][-200:]
    for name in ("workplace", "profession", "course", "state"):
        assert f'<label for="f-{name}">' in form


def test_learner_page_shows_courses_and_certificates(client, two_courses, make_user,
                                                     record_progress,
                                                     add_certificate, signed_in_supervisor):
    a = make_user(full_name="Ona Žemaitytė")
    record_progress(a, "alpha", "completed")
    cert = add_certificate(a, "alpha", today() + timedelta(days=300))
    html = client.get(f"/supervision/LT-57/learners/{a}").get_data(as_text=True)
    assert "Ona Žemaitytė" in html
    assert f"/certificates/{cert}" in html
    assert "Completed" in html


def _statements(app, client, url: str) -> int:
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_dashboard_costs_the_same_statements_for_3_or_60_learners(
        app, client, two_courses, make_user, record_progress, add_certificate,
        signed_in_supervisor):
    """Counting happens in the database: more learners never mean more statements."""
    def add(n: int) -> None:
        for _ in range(n):
            uid = make_user()
            record_progress(uid, "alpha", "completed")
            record_progress(uid, "beta", "in_progress")
            add_certificate(uid, "alpha", today() + timedelta(days=30))

    add(3)
    client.get("/supervision/LT-57")  # the first request after signing in notes the visit
    add(1)  # a change: the next view computes the figures again
    few = _statements(app, client, "/supervision/LT-57")
    add(56)
    assert _statements(app, client, "/supervision/LT-57") == few
    # Unchanged data: the five grouped queries of the figures are not run again.
    assert _statements(app, client, "/supervision/LT-57") == few - 5
    assert _statements(app, client, "/supervision/LT-57?course=alpha&sort=state") <= few - 5


def test_exports_read_the_learners_in_chunks_and_keep_the_order(app, client, two_courses,
                                                                make_user, record_progress,
                                                                signed_in_supervisor, monkeypatch):
    import csv
    import io

    from elearn.supervision import learner_table

    monkeypatch.setattr(learner_table, "ID_CHUNK", 4)
    for n in range(11):
        uid = make_user(full_name=f"Person {n:02d}")
        if n % 2:
            record_progress(uid, "beta", "completed")
    lines = list(csv.reader(io.StringIO(
        client.get("/supervision/LT-57/export.csv?sort=name&dir=desc").data.decode("utf-8-sig"))))
    rows = lines[lines.index([]) + 1:]  # after the title lines
    assert [r[0] for r in rows[1:]] == [f"Person {n:02d}" for n in reversed(range(11))]
    state = rows[0].index("Course beta [en]: state")
    assert [r[state] for r in rows[1:]].count("Completed") == 5
