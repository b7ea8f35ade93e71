"""The national overview and the team pages follow the deployment's country: Latvia's
42 local governments on a Latvian platform, and only the courses for the country."""

from __future__ import annotations

import re

from elearn.auth.models import Role
from tests.factories import insert_course
from tests.web import login

ROW = re.compile(r'<th scope="row"><a href="/supervision/([^"]+)">([^<]+)</a>')


def _signed_in(app, make_user, role, **kwargs):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(client, app, make_user(role, **kwargs)).status_code == 302
    return client


def test_a_latvian_platform_compares_its_42_local_governments(latvian_app, make_user):
    client = _signed_in(latvian_app, make_user, Role.ADMIN, municipality=None)
    with latvian_app.app_context():
        insert_course("everywhere")
    html = client.get("/national").get_data(as_text=True)
    rows = ROW.findall(html)
    assert len(rows) == 42
    assert all(code.startswith("LV-") for code, _ in rows)
    names = [name for _, name in rows]
    assert "Rīga" in names and "Madonas novads" in names
    assert "Varakļānu novads" not in names
    # In the order of the law's list: Ā after A, Ķ after K.
    assert names.index("Augšdaugavas novads") < names.index("Ādažu novads") < names.index(
        "Balvu novads")
    assert names.index("Kuldīgas novads") < names.index("Ķekavas novads")


def test_a_lithuanian_platform_still_compares_its_60_municipalities(app, latvian_app, client,
                                                                    login_as):
    """Even with Latvia's list in the same database, a Lithuanian platform shows its own."""
    with app.app_context():
        insert_course("everywhere")
    login_as(Role.ADMIN, municipality=None)
    rows = ROW.findall(client.get("/national").get_data(as_text=True))
    assert len(rows) == 60
    assert all(code.startswith("LT-") for code, _ in rows)


def test_courses_for_another_country_are_no_column_of_the_team_pages(app, client, login_as):
    with app.app_context():
        insert_course("lithuanian", countries=["LT"], order=1)
        insert_course("latvian", countries=["LV"], order=2)
    login_as(Role.ADMIN, municipality=None)
    national = client.get("/national").get_data(as_text=True)
    dashboard = client.get("/supervision/LT-57").get_data(as_text=True)
    for html in (national, dashboard):
        assert "Course lithuanian [en]" in html
        assert "Course latvian" not in html


def test_another_countrys_local_government_is_not_found_here(latvian_app, client, login_as):
    """Latvia's list left in a Lithuanian platform's database opens no dashboard."""
    login_as(Role.ADMIN, municipality=None)
    assert client.get("/supervision/LV-RIX").status_code == 404
    assert client.get("/supervision/LV-RIX/contacts").status_code == 404
    assert client.get("/supervision/LT-57").status_code == 200
    switch = client.get("/supervision/LT-57").get_data(as_text=True)
    assert "/supervision/LV-" not in switch
