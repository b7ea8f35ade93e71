"""Day-to-day supervision in a real browser: staff lists as offices save them imported
through the preview, in a phone-sized window."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from elearn.auth.models import Role, User
from elearn.extensions import db
from tests.browser.support import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 320, "height": 640}
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"
_CULPRITS = """() => Array.from(document.body.querySelectorAll("*"))
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 6).map(el => el.outerHTML.slice(0, 200))"""


def _professions(live, emails: list[str]) -> dict[str, tuple[str, str]]:
    with live.app.app_context():
        users = db.session.scalars(select(User).where(User.email.in_(emails))).all()
        found = {u.email: (u.full_name, u.profession) for u in users}
        db.session.remove()
    return found


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import_through_preview(page, live, lang: str, name: str, content: bytes,
                            mime: str) -> str:
    page.goto(live.path("supervision.staff_import", code="LT-57"))
    assert page.evaluate(NO_SIDEWAYS)
    page.get_by_label(live.t("Staff list (Excel workbook or CSV file)", lang)).set_input_files(
        {"name": name, "mimeType": mime, "buffer": content})
    with page.expect_navigation():
        page.get_by_role("button", name=live.t("Check the file", lang)).click()
    page.wait_for_load_state("load")  # the stylesheet too, before measuring the width
    preview = page.locator("main").inner_text()
    assert live.t("Preview: nothing is created yet", lang) in preview
    assert page.evaluate(NO_SIDEWAYS), "the preview scrolls sideways at 320px: " + str(
        page.evaluate(_CULPRITS))
    with page.expect_navigation():
        page.get_by_role("button", name=live.t("Create the accounts and send the invitations",
                                               lang)).click()
    page.wait_for_load_state("load")
    return preview


@pytest.mark.parametrize("lang", ["lt", "en"])
def test_staff_lists_from_excel_are_imported_through_the_preview(lang, live_server, new_page,
                                                                  learner):
    live = live_server
    _, supervisor, _ = learner(lang, Role.SUPERVISOR, full_name="Daiva Vadovė",
                               supervises=("LT-57",), municipality="LT-57")
    page = new_page(lang)
    sign_in(page, live, supervisor, lang)
    page.set_viewport_size(PHONE)

    # Excel's "CSV (comma delimited)" with Lithuanian regional settings: Windows-1257, ";".
    csv_file = ("Vardas, pavardė;El. paštas;Darbovietė;Pareigos\r\n"
                f"Rūta Šimkienė;ruta.{lang}@example.lt;Vaiko gerovės centras;"
                "socialinė darbuotoja\r\n"
                f"Aušra Žukauskienė;ausra.{lang}@example.lt;Poliklinika;slaugytoja\r\n"
                ).encode("cp1257")
    preview = _import_through_preview(page, live, lang, "darbuotojai.csv", csv_file, "text/csv")
    assert "Windows-1257" in preview and "Rūta Šimkienė" in preview
    assert live.t("Import finished", lang) in page.locator("main").inner_text()

    workbook = _xlsx([["Vardas ir pavardė", "El. pašto adresas", "Darbovietė", "Profesija"],
                      ["Eglė Kėžaitė", f"egle.{lang}@example.lt", "Gimnazija",
                       "Socialinė pedagogė"],
                      ["Dalia Ūsienė", f"dalia.{lang}@example.lt", "Komisariatas",
                       "Policijos pareigūnė"]])
    preview = _import_through_preview(
        page, live, lang, "darbuotojai.xlsx", workbook,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "Eglė Kėžaitė" in preview
    assert live.t("Import finished", lang) in page.locator("main").inner_text()

    assert _professions(live, [f"{p}.{lang}@example.lt" for p in ("ruta", "ausra", "egle",
                                                                  "dalia")]) == {
        f"ruta.{lang}@example.lt": ("Rūta Šimkienė", "social_worker"),
        f"ausra.{lang}@example.lt": ("Aušra Žukauskienė", "health_specialist"),
        f"egle.{lang}@example.lt": ("Eglė Kėžaitė", "teacher"),
        f"dalia.{lang}@example.lt": ("Dalia Ūsienė", "police_officer"),
    }


def _assignments(live, course_id: str) -> dict[str, object]:
    from elearn.assignments.models import Assignment

    with live.app.app_context():
        rows = db.session.execute(
            select(User.email, Assignment.due_on).join(User, User.id == Assignment.user_id)
            .where(Assignment.course_id == course_id)).all()
        db.session.remove()
    return dict(rows)


@pytest.mark.parametrize("lang", ["lt", "en"])
def test_a_rule_reaches_a_learner_created_afterwards_and_withdrawing_is_confirmed(
        lang, live_server, new_page, learner, shipped_courses):
    from datetime import timedelta

    from elearn.i18n import today

    live = live_server
    course = shipped_courses[0]
    present, present_email, _ = learner(lang, full_name="Ona Dabartinė", municipality="LT-57")
    _, supervisor, _ = learner(lang, Role.SUPERVISOR, full_name="Daiva Vadovė",
                               supervises=("LT-57",), municipality="LT-57")
    page = new_page(lang)
    sign_in(page, live, supervisor, lang)
    page.set_viewport_size(PHONE)

    # Assign the course to everyone, people who join later included.
    page.goto(live.path("assignments.assignment_new", code="LT-57"))
    assert page.evaluate(NO_SIDEWAYS)
    page.get_by_label(live.t("Course", lang), exact=True).select_option(course.id)
    due = today() + timedelta(days=10)
    page.get_by_label(live.t("Due date", lang), exact=True).fill(due.isoformat())
    page.get_by_label(live.t("Everyone in the municipality", lang)).check()
    page.get_by_label(live.t("Also assign it to people who join later", lang)).check()
    with page.expect_navigation():
        page.get_by_role("button", name=live.t("Assign the course", lang)).click()
    page.wait_for_load_state("load")
    assert live.t("Courses that people who join later also get", lang) in page.locator(
        "main").inner_text()
    assert _assignments(live, course.id) == {present_email: due}

    # A learner created afterwards, by a staff import: she gets the course too.
    csv_file = ("Vardas;El. paštas;Darbovietė;Profesija\r\n"
                f"Rūta Naujokė;ruta.{lang}@example.lt;Centras;socialinė darbuotoja\r\n"
                ).encode("cp1257")
    _import_through_preview(page, live, lang, "nauji.csv", csv_file, "text/csv")
    assigned = _assignments(live, course.id)
    assert assigned[f"ruta.{lang}@example.lt"] == today() + timedelta(days=30)

    # Withdrawing goes through a page that names everyone concerned, and can be undone.
    page.goto(live.path("assignments.assignment_list", code="LT-57"))
    withdraw = live.path("assignments.assignment_withdraw", code="LT-57", course=course.id,
                         due_on=due.isoformat())
    with page.expect_navigation():
        page.locator(f'main a[href="{withdraw}"]').click()
    page.wait_for_load_state("load")
    assert page.evaluate(NO_SIDEWAYS)
    text = page.locator("main").inner_text()
    assert "Ona Dabartinė" in text
    assert _assignments(live, course.id) == assigned  # the page changed nothing
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert present_email not in _assignments(live, course.id)
    with page.expect_navigation():
        page.get_by_role("button", name=live.t("Undo", lang)).click()
    page.wait_for_load_state("load")
    assert _assignments(live, course.id) == assigned


@pytest.mark.parametrize("lang", ["lt", "en"])
def test_a_learner_subscribes_her_calendar_to_her_due_dates(lang, live_server, new_page,
                                                            learner, shipped_courses, browser):
    from datetime import timedelta

    from icalendar import Calendar

    from elearn.assignments.models import Assignment
    from elearn.i18n import today

    live = live_server
    course = shipped_courses[0]
    user_id, email, _ = learner(lang)
    due = today() + timedelta(days=12)
    with live.app.app_context():
        db.session.add(Assignment(user_id=user_id, course_id=course.id, due_on=due))
        db.session.commit()
        db.session.remove()
    page = new_page(lang)
    sign_in(page, live, email, lang)
    page.set_viewport_size(PHONE)
    page.goto(live.path("auth.profile"))
    page.get_by_role("link", name=live.t("Subscribe your calendar to your due dates",
                                         lang)).click()
    with page.expect_navigation():
        page.get_by_role("button", name=live.t("Give me a calendar address", lang)).click()
    page.wait_for_load_state("load")
    assert page.evaluate(NO_SIDEWAYS)
    address = page.get_by_label(live.t("Your calendar address", lang)).input_value()
    assert address.startswith(live.url + "/calendar/"), address
    # A calendar program fetches it without any cookie.
    outsider = browser.new_context()
    try:
        response = outsider.request.get(address)
        assert response.ok and response.headers["content-type"].startswith("text/calendar")
        events = Calendar.from_ical(response.body()).walk("VEVENT")
    finally:
        outsider.close()
    assert [e.decoded("dtstart") for e in events] == [due]
    assert live.t("Due: %(course)s", lang, course="")[:5] in str(events[0]["summary"])


@pytest.mark.parametrize("lang", ["lt", "en"])
def test_a_learner_downloads_her_training_record(lang, live_server, new_page, learner,
                                                  shipped_courses):
    from pypdf import PdfReader

    from tests.browser.support import complete_course, issue_certificate

    live = live_server
    course = shipped_courses[0]
    user_id, email, name = learner(lang)
    complete_course(live, user_id, course)
    issue_certificate(live, user_id, course.version_id)
    page = new_page(lang)
    sign_in(page, live, email, lang)
    page.set_viewport_size(PHONE)
    page.goto(live.path("certificates.mine"))
    assert page.evaluate(NO_SIDEWAYS)
    label = {"lt": "lietuviškai", "en": "in English"}[lang]
    with page.expect_download() as download:
        page.get_by_role("link", name=label, exact=True).click()
    with open(download.value.path(), "rb") as file:
        text = " ".join(p.extract_text() for p in PdfReader(file).pages)
    assert live.t("Training record", lang) in text and name in text
    assert live.t("Valid", lang) in text
