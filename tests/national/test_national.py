"""The national overview: rates per municipality and course, chart, months, CSV."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import timedelta

import pytest
from rq import SimpleWorker

from elearn import jobs
from elearn.auth.models import Role
from elearn.extensions import db
from elearn.national.models import ReportSnapshot
from elearn.types import utcnow
from tests.test_jobs import REDIS_URL, needs_redis


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN, municipality=None)


@pytest.fixture
def country(app, two_courses, make_user, record_progress):
    """Vilnius: 2 of 4 completed alpha; Kaunas: 1 of 1; Alytus: 0 of 2."""
    vilnius = [make_user(municipality="LT-57") for _ in range(4)]
    kaunas = make_user(municipality="LT-15")
    [make_user(municipality="LT-02") for _ in range(2)]
    record_progress(vilnius[0], "alpha", "completed")
    record_progress(vilnius[1], "alpha", "completed", at=utcnow() - timedelta(days=70))
    record_progress(vilnius[2], "alpha", "in_progress")
    record_progress(kaunas, "alpha", "completed")
    record_progress(kaunas, "beta", "completed", at=utcnow() - timedelta(days=500))  # too old


def _row(html: str, name: str) -> str:
    return re.search(rf">{name}</a></th>(.*?)</tr>", html, re.S).group(1)


def test_rates_for_every_municipality(client, country, admin):
    html = client.get("/national").get_data(as_text=True)
    assert html.count('<th scope="row"><a href="/supervision/LT-') == 60
    vilnius = _row(html, "Vilniaus miesto savivaldybė")
    assert "50%" in vilnius and "(2 of 4)" in vilnius
    assert "100%" in _row(html, "Kauno miesto savivaldybė")
    assert "0%" in _row(html, "Alytaus miesto savivaldybė")
    assert "no staff on record" in _row(html, "Neringos savivaldybė")


def test_rates_count_invited_staff_and_the_country_has_a_total_row(client, country,
                                                                    make_user, admin):
    """Staff a supervisor imported count before they sign up: one learner who finished
    is not "100 %" of a municipality that has five people on record."""
    for _ in range(4):
        make_user(municipality="LT-15", password=None)  # imported, invited, not signed up
    html = client.get("/national").get_data(as_text=True)
    kaunas = _row(html, "Kauno miesto savivaldybė")
    assert re.search(r'<td class="num">5</td>\s*<td class="num">1</td>', kaunas)
    assert "20%" in kaunas and "(1 of 5)" in kaunas
    total = html.split('<tr class="total-row">')[1].split("</tr>")[0]
    assert "Whole country" in total
    # alpha: 2 + 1 + 0 completions of 4 + 5 + 2 staff; beta: 1 of 11
    assert "27%" in total and "(3 of 11)" in total and "(1 of 11)" in total
    caption = re.search(r'<figcaption id="rates-chart-caption">(.*?)</figcaption>', html,
                        re.S).group(1)
    assert "Nationally 27%" in caption and "Vilniaus miesto savivaldybė, 50%" in caption


def test_percentages_are_written_as_babel_writes_them(app):
    from flask_babel import format_percent

    from elearn.national.overview import percent_texts

    for lang in ("lt", "en"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            texts = percent_texts(lang)
            assert [texts[n] for n in (0, 7, 50, 100)] == [
                format_percent(n / 100) for n in (0, 7, 50, 100)]
    assert percent_texts("lt")[50] != percent_texts("en")[50]  # "50 %" and "50%"


def test_sorted_by_a_courses_rate(client, country, admin):
    html = client.get("/national?sort=alpha&dir=desc").get_data(as_text=True)
    names = re.findall(r'<th scope="row"><a href="/supervision/[^"]+">([^<]+)</a>', html)
    assert names[:3] == ["Kauno miesto savivaldybė", "Vilniaus miesto savivaldybė",
                         "Alytaus miesto savivaldybė"]
    assert 'aria-sort="descending"' in html
    html = client.get("/national?sort=alpha").get_data(as_text=True)
    names = re.findall(r'<th scope="row"><a href="/supervision/[^"]+">([^<]+)</a>', html)
    assert names[0] == "Alytaus miesto savivaldybė"  # lowest rate first; no learners last
    assert names[-1] != "Kauno miesto savivaldybė"


def test_the_chart_is_an_accessible_svg_tied_to_the_table(client, country, admin):
    html = client.get("/national?course=alpha").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*id=\"rates-chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="rates-chart-title"' in svg
    assert 'aria-describedby="rates-chart-desc rates-table"' in svg
    assert '<title id="rates-chart-title">' in svg and '<desc id="rates-chart-desc">' in svg
    assert svg.count('class="chart-bar"') == 3  # municipalities with learners
    assert '<table id="rates-table">' in html
    assert "<script" not in html


def test_completions_per_month(client, country, admin):
    html = client.get("/national").get_data(as_text=True)
    months = html.split('<table id="months-table">')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num">(\d+)</td>', months)
    assert len(rows) == 12
    assert sum(int(n) for _m, n in rows) == 3  # the 500-day-old completion is left out
    assert rows[-1][1] == "2"


def test_csv_export(client, country, admin):
    response = client.get("/national.csv")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Code", "Municipality", "Staff on record", "Signed up"]
    by_code = {r[0]: r for r in rows[1:]}
    assert len(by_code) == 61  # and the whole country, without a code
    assert by_code["LT-57"][2:6] == ["4", "4", "2", "50"]
    assert by_code["LT-52"][4:6] == ["0", ""]  # Neringa: no staff, no rate
    assert by_code[""][1:6] == ["Whole country", "7", "7", "3", "43"]


def test_figures_are_kept_for_a_while_and_can_be_recalculated(app, client, country,
                                                              make_user, record_progress, admin):
    client.get("/national")
    record_progress(make_user(municipality="LT-02"), "alpha", "completed")
    assert "(0 of 2)" in _row(client.get("/national").get_data(as_text=True),
                             "Alytaus miesto savivaldybė")  # the stored figures
    from tests.web import csrf_token

    token = csrf_token(client, "/national")
    assert client.post("/national/refresh", data={"csrf_token": token}).status_code == 302
    assert "(1 of 3)" in _row(client.get("/national").get_data(as_text=True),
                             "Alytaus miesto savivaldybė")
    with app.app_context():
        snap = db.session.get(ReportSnapshot, "national")
        snap.computed_at = utcnow() - timedelta(hours=1)  # stale: recomputed on the next view
        db.session.commit()
    record_progress(make_user(municipality="LT-02"), "alpha", "completed")
    assert "(2 of 4)" in _row(client.get("/national").get_data(as_text=True),
                             "Alytaus miesto savivaldybė")


def test_without_courses(client, admin):
    html = client.get("/national").get_data(as_text=True)
    assert "No courses have been published yet." in html


@needs_redis
def test_with_redis_stale_figures_are_shown_and_recomputed_by_a_worker(
        app, client, country, make_user, record_progress, admin, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"test-{uuid.uuid4().hex}")
    client.get("/national")  # the first figures are computed at once: there are none to show
    with app.app_context():
        stale = utcnow() - timedelta(hours=1)
        db.session.get(ReportSnapshot, "national").computed_at = stale
        db.session.commit()
    record_progress(make_user(municipality="LT-02"), "alpha", "completed")
    try:
        html = client.get("/national").get_data(as_text=True)
        # The visitor gets the stored figures at once, with their time.
        assert "(0 of 2)" in _row(html, "Alytaus miesto savivaldybė")
        with app.app_context():
            assert db.session.get(ReportSnapshot, "national").computed_at == stale
            queue = jobs._queue()
            assert len(queue) == 1
            client.get("/national")
            assert len(queue) == 1  # one recomputation waits, however many visitors
            SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert "(1 of 3)" in _row(client.get("/national").get_data(as_text=True),
                                 "Alytaus miesto savivaldybė")
    finally:
        with app.app_context():
            connection = jobs._redis()
            for key in connection.scan_iter(f"*{app.config['JOBS_QUEUE']}*"):
                connection.delete(key)
        app.extensions.pop("elearn_jobs_redis", None)


def test_the_figures_time_is_written_the_languages_long_way(client, country, admin):
    """English reads "1 December 2026, 14:05", never "12/1/26"."""
    html = client.get("/national").get_data(as_text=True)
    assert re.search(r"Figures as of \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}\.", html)
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", html)
