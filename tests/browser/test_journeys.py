"""Journeys in a real Chromium against the live server: registration, a shipped
course taken to its certificate, verification, a supervisor's team table and its
exports, and the national overview, with the mouse and with the keyboard alone
(Tab, Shift+Tab, Space, Enter, arrow keys: no clicks)."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from elearn.auth.models import Role, User
from elearn.extensions import db
from tests.browser.support import (
    ACCESSIBILITY,
    AXE_MISSING,
    REQUIRED,
    AxeReport,
    LiveServer,
    PublishedCourse,
    activate_by_keyboard,
    answer_quiz_with_keyboard,
    answer_quiz_with_mouse,
    choose_by_keyboard,
    complete_course,
    issue_certificate,
    needs_chromium,
    open_attempt_answers,
    shoot,
    sign_in,
    tab_to,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, needs_chromium]

LT = "lt"
NEW_PASSWORD = "vasaros rytas prie Neries 7"
MUNICIPALITY = "LT-57"


def _municipality_name(live: LiveServer, code: str) -> str:
    from elearn.municipalities import Municipality

    with live.app.app_context():
        name = db.session.get(Municipality, code).name
        db.session.remove()
    return name


def _stored_user(live: LiveServer, email: str) -> User | None:
    with live.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge_all()
        db.session.remove()
    return user


def _text(page) -> str:
    return page.locator("main").inner_text()


def _needs_learning(live: LiveServer) -> None:
    for endpoint in ("learning.catalogue", "learning.course", "learning.lesson",
                     "learning.quiz", "learning.attempt"):
        if not live.has(endpoint):
            pytest.skip(f"the learning pages are not there yet (no {endpoint} endpoint)")


# --- (a) and (b): registration -------------------------------------------------------------

def _emailed_link(live: LiveServer, email: str, path: str) -> str:
    """The link in the last e-mail sent to the address (the memory mail backend)."""
    from elearn.mail import outbox

    with live.app.app_context():
        message = [m for m in outbox() if m["To"] == email][-1]
        return re.search(rf"https?://[^/\s]+({path}\S+)", message.get_content()).group(1)


def test_new_learner_registers_in_lithuanian_signs_out_and_in_again(page, live_server):
    live = live_server
    email, name = "ausrine.cepulionyte@vilnius.lt", "Aušrinė Čepulionytė-Žukauskienė"

    page.goto("/")
    assert page.evaluate("document.documentElement.lang") == LT
    page.get_by_role("link", name=live.t("Create an account", LT)).click()
    page.get_by_label(live.t("Full name", LT)).fill(name)
    page.get_by_label(live.t("E-mail address", LT)).fill(email)
    page.get_by_label(live.t("Municipality", LT)).select_option(
        label=_municipality_name(live, MUNICIPALITY))
    page.get_by_label(live.t("Workplace", LT)).fill("Vilniaus miesto socialinės paramos centras")
    page.get_by_label(live.t("Password", LT), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(live.t("Repeat the password", LT)).fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=live.t("Create account", LT), exact=True).click()
    assert live.t("Check your e-mail", LT) in _text(page)
    page.goto(_emailed_link(live, email, "/account/confirm/"))
    page.get_by_role("button", name=live.t("Confirm and sign in", LT), exact=True).click()

    page.wait_for_url(live.url + "/")
    assert live.t("Welcome! Your account is ready.", LT) in _text(page)
    assert live.t("Signed in as %(name)s.", LT, name=name) in _text(page)
    shoot(page, LT, "journey-registered")

    page.get_by_role("button", name=live.t("Sign out", LT)).click()
    page.wait_for_url("**" + live.path("auth.login"))
    assert live.t("You have signed out.", LT) in _text(page)

    page.get_by_label(live.t("E-mail address", LT)).fill(email)
    page.get_by_label(live.t("Password", LT), exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name=live.t("Sign in", LT), exact=True).click()
    page.wait_for_url(live.url + "/")
    assert live.t("Signed in as %(name)s.", LT, name=name) in _text(page)
    assert page.evaluate("document.documentElement.lang") == LT

    user = _stored_user(live, email)
    assert (user.full_name, user.municipality_code, user.locale) == (name, MUNICIPALITY, LT)


def test_registration_with_the_keyboard_alone(page, live_server):
    live = live_server
    email, name = "jurgis.sirvydas@kaunas.lt", "Jurgis Širvydas"
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=live.t("Skip to content", LT))
    assert skip_link.evaluate("el => el === document.activeElement"), "Tab 1 is the skip link"
    activate_by_keyboard(page, page.get_by_role("link", name=live.t("Create an account", LT)))

    # An empty form first: the errors are tied to their fields, and the form can be fixed
    # from the keyboard.
    activate_by_keyboard(
        page, page.get_by_role("button", name=live.t("Create account", LT), exact=True))
    full_name = page.get_by_label(live.t("Full name", LT))
    assert full_name.get_attribute("aria-invalid") == "true"
    assert live.t("Enter your full name.", LT) in full_name.evaluate(
        "el => el.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).textContent).join(' ')")

    page.keyboard.press("Shift+Tab")  # from the end of the page back into the form
    tab_to(page, full_name, backwards=True)
    page.keyboard.type(name)
    tab_to(page, page.get_by_label(live.t("E-mail address", LT)))
    page.keyboard.type(email)
    municipality = page.get_by_label(live.t("Municipality", LT))
    tab_to(page, municipality)
    choose_by_keyboard(page, municipality, "LT-15", typed="Kauno m")
    tab_to(page, page.get_by_label(live.t("Workplace", LT)))
    page.keyboard.type("Kauno miesto socialinių paslaugų centras")
    profession = page.get_by_label(live.t("Profession", LT))
    tab_to(page, profession)
    choose_by_keyboard(page, profession, "police_officer")
    tab_to(page, page.get_by_label(live.t("Password", LT), exact=True))
    page.keyboard.type(NEW_PASSWORD)
    tab_to(page, page.get_by_label(live.t("Repeat the password", LT)))
    page.keyboard.type(NEW_PASSWORD)
    activate_by_keyboard(
        page, page.get_by_role("button", name=live.t("Create account", LT), exact=True))
    assert live.t("Check your e-mail", LT) in _text(page)
    page.goto(_emailed_link(live, email, "/account/confirm/"))  # the link in her e-mail
    activate_by_keyboard(
        page, page.get_by_role("button", name=live.t("Confirm and sign in", LT), exact=True))
    assert live.t("Signed in as %(name)s.", LT, name=name) in _text(page)

    activate_by_keyboard(page, page.get_by_role("button", name=live.t("Sign out", LT)), "Space")
    tab_to(page, page.get_by_label(live.t("E-mail address", LT)))
    page.keyboard.type(email)
    tab_to(page, page.get_by_label(live.t("Password", LT), exact=True))
    page.keyboard.type(NEW_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form from its last field
    assert live.t("Signed in as %(name)s.", LT, name=name) in _text(page)

    user = _stored_user(live, email)
    assert (user.municipality_code, user.profession, user.locale) == ("LT-15", "police_officer",
                                                                      LT)


# --- (c): a shipped course to its certificate ---------------------------------------------

class Visitor:
    """Does what the page offers, with the mouse or with the keyboard alone."""

    def __init__(self, page, live: LiveServer, keyboard: bool, lang: str = LT) -> None:
        self.page, self.live, self.keyboard, self.lang = page, live, keyboard, lang

    def t(self, message: str, **values) -> str:
        return self.live.t(message, self.lang, **values)

    def follow(self, locator, key: str = "Enter") -> None:
        if self.keyboard:
            activate_by_keyboard(self.page, locator, key)
        else:
            with self.page.expect_navigation():
                locator.click()

    def link(self, label: str, **values):
        return self.page.get_by_role("link", name=self.t(label, **values), exact=True)

    def button(self, label: str):
        return self.page.get_by_role("button", name=self.t(label), exact=True)

    def choose(self, select, value: str) -> None:
        """Pick an option of a <select>: by the mouse, or Tab and the arrow keys."""
        if self.keyboard:
            tab_to(self.page, select)
            choose_by_keyboard(self.page, select, value)
        else:
            select.select_option(value)

    def download(self, link) -> tuple[bytes, str]:
        """Follow a download link: its bytes and the file name the server suggested."""
        with self.page.expect_download() as download:
            if self.keyboard:
                tab_to(self.page, link)
                self.page.keyboard.press("Enter")
            else:
                link.click()
        return Path(download.value.path()).read_bytes(), download.value.suggested_filename

    def sign_in(self, email: str) -> None:
        if not self.keyboard:
            sign_in(self.page, self.live, email, self.lang)
            return
        self.page.goto("/")
        assert self.page.evaluate("document.documentElement.lang") == self.lang
        self.follow(self.link("Sign in"))
        tab_to(self.page, self.page.get_by_label(self.t("E-mail address")))
        self.page.keyboard.type(email)
        tab_to(self.page, self.page.get_by_label(self.t("Password"), exact=True))
        self.page.keyboard.type(PASSWORD)
        self.follow(self.button("Sign in"))


class Learner(Visitor):
    """Takes a course: does what the page offers next, module after module."""

    def __init__(self, page, live: LiveServer, user_id: int, keyboard: bool) -> None:
        super().__init__(page, live, keyboard, LT)
        self.user_id = user_id

    def take_quiz(self, course_id: str, module_key: str) -> None:
        self.follow(self.button("Start the quiz"))  # opening the page started nothing
        right, _ = open_attempt_answers(self.live, self.user_id, course_id, module_key)
        if self.keyboard:
            answer_quiz_with_keyboard(self.page, right)
        else:
            answer_quiz_with_mouse(self.page, right)
        self.follow(self.button("Send my answers"))
        assert self.t("You passed.") in _text(self.page), _text(self.page)

    def complete(self, course: PublishedCourse) -> None:
        """From the course page, module after module until the course is complete."""
        self.follow(self.link("Start the course"))
        done: set[str] = set()
        for _ in range(3 * len(course.modules) + 2):
            path = self.page.url.split(self.live.url, 1)[1]
            if self.link("Your certificate").count():
                break
            lesson = re.fullmatch(rf"/learn/{re.escape(course.id)}/([^/]+)", path)
            if lesson:
                key = lesson.group(1)
                if self.link("Take the quiz").count():
                    self.follow(self.link("Take the quiz"))
                    self.take_quiz(course.id, key)
                else:
                    self.follow(self.button("I have read this"))
                done.add(key)
                if len(done) == len(course.modules):  # said once, right after the last module
                    assert self.t("Well done: you have completed the course. Your certificate "
                                  "is ready.") in _text(self.page)
            elif self.link("Go to the next module").count():
                self.follow(self.link("Go to the next module"))
            elif self.link("Back to the course").count():
                self.follow(self.link("Back to the course"))
            elif self.link("Continue").count():
                self.follow(self.link("Continue"))
            else:
                raise AssertionError(f"nothing to do next on {path}:\n{_text(self.page)}")
        assert done == {key for key, _ in course.modules}
        assert self.t("Completed") in _text(self.page)
        from elearn.learning.models import CourseProgress

        with self.live.app.app_context():
            progress = db.session.get(CourseProgress, (self.user_id, course.id))
            assert progress.status == "completed", progress.status
            db.session.remove()


def _course_to_certificate(new_page, live: LiveServer, learner, course: PublishedCourse,
                           keyboard: bool) -> None:
    _needs_learning(live)
    user_id, email, full_name = learner(LT)
    page = new_page(LT)
    walker = Learner(page, live, user_id, keyboard)
    walker.sign_in(email)

    walker.follow(walker.link("Courses"))
    walker.follow(page.get_by_role("link", name=course.title, exact=True))
    walker.complete(course)
    shoot(page, LT, f"journey-course-completed-{'keyboard' if keyboard else 'mouse'}")

    walker.follow(walker.link("Your certificate"))
    assert full_name in _text(page)
    pdf, _ = walker.download(walker.link("Download PDF"))
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert full_name in text

    verify_link = page.locator("main a[href*='/verify/']")
    walker.follow(verify_link)
    assert "/verify/" in page.url
    assert walker.t("This certificate is valid.") in _text(page)
    assert full_name in _text(page)
    shoot(page, LT, f"journey-verified-{'keyboard' if keyboard else 'mouse'}")


def test_learner_takes_a_shipped_course_to_its_certificate_in_lithuanian(
    new_page, live_server, learner, shipped_courses
):
    _course_to_certificate(new_page, live_server, learner, shipped_courses[0], keyboard=False)


def test_the_same_course_journey_with_the_keyboard_alone(
    new_page, live_server, learner, shipped_courses
):
    _course_to_certificate(new_page, live_server, learner, shipped_courses[-1], keyboard=True)


# --- (d): verification by anyone ----------------------------------------------------------

def test_anonymous_visitor_verifies_a_certificate(new_page, live_server, learner,
                                                  shipped_courses):
    from elearn.certificates.models import Certificate
    from elearn.certificates.services import revoke

    live = live_server
    user_id, email, full_name = learner(LT, workplace="Vilniaus m. mokykla")
    certificate_id, code = issue_certificate(live, user_id, shipped_courses[0].version_id)

    page = new_page(LT)
    page.goto(live.path("certificates.verify_form"))
    page.get_by_label(live.t("Verification code", LT)).fill(code)
    page.get_by_role("button", name=live.t("Check", LT), exact=True).click()
    page.wait_for_url(f"**/verify/{code}")
    text = _text(page)
    assert live.t("This certificate is valid.", LT) in text
    assert full_name in text
    assert email not in page.content() and "Vilniaus m. mokykla" not in page.content()

    # The address printed under the QR code, pasted whole, works as well.
    page.goto(live.path("certificates.verify_form"))
    page.get_by_label(live.t("Verification code", LT)).fill(f"{live.url}/verify/{code}")
    page.get_by_role("button", name=live.t("Check", LT), exact=True).click()
    page.wait_for_url(f"**/verify/{code}")

    response = page.goto(live.path("certificates.verify", code=code[:-2] + "xx"))
    assert response.status == 404
    assert full_name not in _text(page)

    with live.app.app_context():
        revoker = db.session.scalar(select(User).where(User.id == user_id))
        revoke(db.session.get(Certificate, certificate_id), "Išduotas per klaidą.", revoker)
        db.session.commit()
        db.session.remove()
    page.goto(live.path("certificates.verify", code=code))
    assert live.t("This certificate has been revoked.", LT) in _text(page)
    assert "Išduotas per klaidą." in _text(page)


# --- (e): supervision and the national overview ------------------------------------------

COMPLETED = "completed"
OTHER_MUNICIPALITY = "LT-15"  # Kauno miesto savivaldybė
# The list separator of a spreadsheet opened with Lithuanian or English regional settings.
SEPARATORS = {"lt": ";", "en": ","}


def _axe(page, name: str, lang: str) -> None:
    """axe-core on a page the accessibility test does not visit; kept in its table."""
    if AXE_MISSING and not REQUIRED:
        print(f"{name}: not checked with axe-core ({AXE_MISSING})")
        return
    row = ACCESSIBILITY.check(page, name, lang)  # leaves its screenshot too
    ACCESSIBILITY.save("accessibility")
    assert not row.violations, AxeReport([row]).details()


def _csv_rows(data: bytes, lang: str) -> list[list[str]]:
    """A CSV export that Excel opens with the letters intact, split as Excel would split it."""
    assert data.startswith(codecs.BOM_UTF8), data[:20]
    return list(csv.reader(io.StringIO(data[len(codecs.BOM_UTF8):].decode("utf-8")),
                           delimiter=SEPARATORS[lang]))


def _team(learner, live: LiveServer, course: PublishedCourse) -> tuple[str, str, str]:
    """LT-57 with a learner who completed the course and one who has not started; a learner
    in Kaunas. Returns the names (completed, not started, in Kaunas)."""
    user_id, _, done = learner(LT, workplace="Vilniaus miesto socialinės paramos centras")
    _, _, idle = learner(LT, full_name="Jonas Žukauskas")
    _, _, elsewhere = learner(LT, full_name="Rimantė Kauniškė", municipality=OTHER_MUNICIPALITY)
    complete_course(live, user_id, course)
    return done, idle, elsewhere


def _supervisor_finds_and_exports(new_page, live: LiveServer, learner, course: PublishedCourse,
                                  lang: str, keyboard: bool):
    done, idle, elsewhere = _team(learner, live, course)
    _, email, _ = learner(lang, Role.SUPERVISOR, full_name="Daiva Vadovė",
                          supervises=(MUNICIPALITY,))
    page = new_page(lang)
    me = Visitor(page, live, keyboard, lang)
    me.sign_in(email)

    me.follow(me.link("My team"))
    assert page.url == live.url + live.path("supervision.municipality", code=MUNICIPALITY)
    table = page.locator("table.learners")
    names = table.get_by_role("rowheader").all_inner_texts()
    assert done in names and idle in names and elsewhere not in names, names

    me.choose(page.get_by_label(me.t("Course"), exact=True), course.id)
    me.choose(page.get_by_label(me.t("State"), exact=True), COMPLETED)
    me.follow(me.button("Show"))
    assert f"course={course.id}" in page.url and f"state={COMPLETED}" in page.url, page.url
    rows = table.locator("tbody tr")
    assert rows.count() == 1, table.inner_text()
    assert rows.get_by_role("rowheader").inner_text() == done
    assert me.t("Completed") in rows.locator("td").all_inner_texts()
    shoot(page, lang, f"journey-team-completed-{'keyboard' if keyboard else 'mouse'}")
    _axe(page, "team-dashboard-filtered", lang)

    # Both exports carry the table's filters: the one learner, completed.
    data, name = me.download(me.link("Download as CSV"))
    assert re.fullmatch(rf"{MUNICIPALITY}-learners-{course.id}-[0-9-]+\.csv", name), name
    rows = _csv_rows(data, lang)
    title, (header, *lines) = rows[:rows.index([])], rows[rows.index([]) + 1:]
    # The file says what it shows: the course and the filter the table was showing.
    assert len([line for line in title
                if line[0].startswith(me.t("Course: %(course)s", course=""))]) == 1, title
    assert [me.t("Filter: %(filters)s", filters=me.t("state: %(state)s",
                                                     state=me.t("Completed")))] in title, title
    assert header[:2] == [me.t("Name"), me.t("E-mail address")], header
    assert [line[0] for line in lines] == [done], lines
    assert lines[0][header.index(me.t("State"))] == me.t("Completed")

    data, name = me.download(me.link("Download as Excel (XLSX)"))
    assert name.endswith(".xlsx"), name
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        sheet = book.worksheets[0]
        assert sheet.title == _municipality_name(live, MUNICIPALITY)
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        blank = next(i for i, row in enumerate(rows) if not any(row))
        header, *lines = rows[blank + 1:]
    finally:
        book.close()
    assert [line[0] for line in lines] == [done], lines
    assert lines[0][header.index(me.t("State"))] == me.t("Completed")
    return page, elsewhere


def test_supervisor_finds_a_learner_who_completed_a_course_and_exports_the_table(
    new_page, live_server, learner, shipped_courses
):
    live = live_server
    page, elsewhere = _supervisor_finds_and_exports(new_page, live, learner,
                                                    shipped_courses[0], LT, keyboard=False)

    # Another municipality's dashboard and exports are not found, and give nothing away.
    for endpoint in ("supervision.municipality", "supervision.export_csv"):
        response = page.request.get(live.path(endpoint, code=OTHER_MUNICIPALITY))
        assert response.status == 404, (endpoint, response.status)
    response = page.goto(live.path("supervision.municipality", code=OTHER_MUNICIPALITY))
    assert response.status == 404
    assert live.t("Page not found", LT) in _text(page)
    content = page.content()
    assert elsewhere not in content
    assert _municipality_name(live, OTHER_MUNICIPALITY) not in content
    _axe(page, "not-found-404-signed-in", LT)


def test_the_same_supervisor_journey_with_the_keyboard_alone_in_english(
    new_page, live_server, learner, shipped_courses
):
    _supervisor_finds_and_exports(new_page, live_server, learner, shipped_courses[-1], "en",
                                  keyboard=True)


def test_admin_opens_the_national_overview_and_downloads_it(
    new_page, live_server, learner, shipped_courses
):
    from elearn.municipalities import Municipality

    live = live_server
    course = shipped_courses[0]
    _team(learner, live, course)  # Vilnius: 1 of its 2 learners completed; Kaunas: 0 of 1
    _, email, _ = learner(LT, Role.ADMIN, full_name="Rasa Administratorė")
    with live.app.app_context():
        country = db.session.scalar(select(func.count()).select_from(Municipality).where(
            Municipality.country == live.app.config["COUNTRY"]))
        db.session.remove()
    assert country == 60
    vilnius = _municipality_name(live, MUNICIPALITY)
    kaunas = _municipality_name(live, OTHER_MUNICIPALITY)

    page = new_page(LT)
    me = Visitor(page, live, keyboard=False)
    me.sign_in(email)
    me.follow(me.link("National overview"))
    me.choose(page.get_by_label(me.t("Course"), exact=True), course.id)
    me.follow(me.button("Show"))
    assert f"course={course.id}" in page.url

    table = page.locator("#rates-table")
    rows = table.locator("tbody tr")
    assert rows.count() == country  # every municipality, with learners or not
    column = next(i for i, text in enumerate(table.locator("thead th").all_inner_texts())
                  if course.title in text)

    def cells(name: str) -> list[str]:
        return rows.filter(has=page.get_by_role("rowheader", name=name, exact=True)) \
            .locator("th, td").all_inner_texts()

    assert cells(vilnius)[1] == "2"
    assert me.t("%(done)d of %(total)d", done=1, total=2) in cells(vilnius)[column]
    assert me.t("%(done)d of %(total)d", done=0, total=1) in cells(kaunas)[column]
    assert me.t("no staff on record") in cells(_municipality_name(live, "LT-01"))[column]
    total = table.locator("tfoot tr").locator("th, td").all_inner_texts()
    assert total[0] == me.t("Whole country") and total[1] == "3"
    assert me.t("%(done)d of %(total)d", done=1, total=3) in total[column]

    # The chart: an inline SVG image named by its title; only municipalities with staff.
    title = me.t("Share of staff who completed “%(course)s”, by municipality",
                 course=course.title)
    chart = page.locator("figure.chart").get_by_role("img", name=title, exact=True)
    assert chart.evaluate("el => el.tagName") == "svg"
    assert chart.locator("title").text_content() == title
    bars = chart.locator("g.chart-row").all_text_contents()
    assert len(bars) == 2 and vilnius in bars[0] and kaunas in bars[1], bars
    shoot(page, LT, "journey-national-overview")

    data, name = me.download(me.link("Download as CSV"))
    assert name.startswith("national-overview-") and name.endswith(".csv"), name
    header, *lines = _csv_rows(data, LT)
    assert len(lines) == country + 1  # and the whole country
    line = next(line for line in lines if line[1] == vilnius)
    assert line[:3] == [MUNICIPALITY, vilnius, "2"]
    assert line[header.index(me.t("%(course)s: completed", course=course.title))] == "1"
    assert line[header.index(me.t("%(course)s: percent completed", course=course.title))] == "50"


# --- the fourth course, in both languages ---------------------------------------------------

FOURTH_COURSE, LABOUR_LESSON = "victims-rights", "labour-exploitation"
# The labour lesson's contacts block lists police, NGOs and "other": the child-rights
# contact must stay out of it.
LOCAL_CONTACTS = {
    "police": {"lt": "Vilniaus policijos komisariatas (bandomasis)", "en": "Vilnius police (test)"},
    "other": {"lt": "Darbo sąlygų kontaktas (bandomasis)", "en": "Working conditions (test)"},
    "child-rights": {"lt": "Vaiko teisių skyrius (bandomasis)", "en": "Child rights (test)"},
}


def _add_local_contacts(live: LiveServer) -> None:
    from elearn.directory.models import ReferralContact

    with live.app.app_context():
        for role, organisation in LOCAL_CONTACTS.items():
            db.session.add(ReferralContact(
                municipality_code=MUNICIPALITY, role=role, organisation=organisation,
                address={}, hours={}, notes={}, phone="", email=""))
        db.session.commit()
        db.session.remove()


def _titles(live: LiveServer, course: PublishedCourse, module_key: str,
            lang: str) -> tuple[str, str]:
    from elearn.publishing.models import CourseVersion, Module

    with live.app.app_context():
        version = db.session.get(CourseVersion, course.version_id)
        module = db.session.scalar(select(Module).where(Module.version_id == version.id,
                                                        Module.key == module_key))
        titles = version.title[lang], module.title[lang]
        db.session.remove()
    return titles


@pytest.mark.parametrize("lang", ["lt", "en"])
def test_learner_opens_a_lesson_of_the_fourth_course_from_the_catalogue(
    lang, new_page, live_server, learner, shipped_courses
):
    live = live_server
    _needs_learning(live)
    course = next((c for c in shipped_courses if c.id == FOURTH_COURSE), None)
    assert course is not None, [c.id for c in shipped_courses]
    course_title, lesson_title = _titles(live, course, LABOUR_LESSON, lang)
    _add_local_contacts(live)
    _, email, _ = learner(lang)

    page = new_page(lang)
    me = Visitor(page, live, keyboard=False, lang=lang)
    me.sign_in(email)
    me.follow(me.link("Courses"))
    me.follow(page.get_by_role("link", name=course_title, exact=True))
    me.follow(page.get_by_role("link", name=lesson_title, exact=True))

    assert page.url.endswith(f"/learn/{FOURTH_COURSE}/{LABOUR_LESSON}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("main h1").inner_text() == lesson_title
    text = _text(page)
    inspectorate = {"lt": "Valstybinė darbo inspekcija", "en": "State Labour Inspectorate"}
    assert inspectorate[lang] in text and "112" in text
    contacts = page.locator("main .contacts-block").inner_text()
    assert LOCAL_CONTACTS["police"][lang] in contacts
    assert LOCAL_CONTACTS["other"][lang] in contacts
    assert LOCAL_CONTACTS["child-rights"][lang] not in contacts
    assert me.link("Take the quiz").count() == 1
    _axe(page, f"lesson-{FOURTH_COURSE}", lang)
