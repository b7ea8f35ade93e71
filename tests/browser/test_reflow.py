"""No page of the platform scrolls sideways on a 320 px wide phone (WCAG 1.4.10), in
either language: `document.documentElement.scrollWidth <= window.innerWidth` on every
page type, every lesson of every shipped course included.

Wide data tables scroll inside their own region instead: each is labelled, reachable
with the keyboard, and shows a hint when it is wider than the screen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from elearn.auth.models import Role
from elearn.extensions import db
from tests.browser.support import (
    LiveServer,
    complete_course,
    issue_certificate,
    needs_chromium,
    shoot,
    sign_in,
)

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 320, "height": 640}
MUNICIPALITY = "LT-57"
# Long, real-looking values: they are what pushes a layout wider than a phone.
LONG_NAME = "Ona Žemaitytė-Šimkienė-Kazlauskienė"
LONG_WORKPLACE = "Vilniaus miesto savivaldybės socialinių paslaugų centro Naujininkų padalinys"

_SIDEWAYS = """() => {
  const width = window.innerWidth;
  const overflow = document.documentElement.scrollWidth - width;
  const culprits = [];
  if (overflow > 0) {
    for (const el of document.body.querySelectorAll("*")) {
      if (el.getBoundingClientRect().right <= width + 0.5) continue;
      if (culprits.some(c => c.contains(el))) continue;
      let scrolled = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) {
          scrolled = true; break;
        }
      }
      if (!scrolled) culprits.push(el);
    }
  }
  return {overflow, culprits: culprits.slice(0, 4).map(el => el.outerHTML.slice(0, 160))};
}"""

_REGIONS = """() => Array.from(document.querySelectorAll(".table-scroll")).map(region => {
  const hint = region.parentElement.querySelector(".scroll-hint");
  return {
    role: region.getAttribute("role"), label: region.getAttribute("aria-label"),
    tabindex: region.getAttribute("tabindex"),
    wider: region.scrollWidth > region.clientWidth,
    hint: !!hint && hint.offsetParent !== null && hint.innerText.trim().length > 0,
  };
})"""


class Walk:
    """Opens pages at 320 px and keeps every problem, so one run lists them all."""

    def __init__(self, page, live: LiveServer, lang: str) -> None:
        self.page, self.live, self.lang = page, live, lang
        self.problems: list[str] = []
        self.checked: list[str] = []

    def visit(self, name: str, endpoint: str | None = None, **values) -> None:
        if endpoint is not None:
            if not self.live.has(endpoint):
                return
            self.page.goto(self.live.path(endpoint, **values))
        self.check(name)

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.lang") == self.lang, name
        found = page.evaluate(_SIDEWAYS)
        if found["overflow"] > 0:
            shoot(page, self.lang, f"reflow-{name}")
            self.problems.append(f"{name} ({page.url}) is {found['overflow']}px wider than "
                                 f"320px: " + " | ".join(found["culprits"]))
        for region in page.evaluate(_REGIONS):
            if region["role"] != "region" or not region["label"] or region["tabindex"] != "0":
                self.problems.append(f"{name}: a table region without role, label or tabindex: "
                                     f"{region}")
            if region["wider"] and not region["hint"]:
                self.problems.append(f"{name}: a table wider than the screen shows no hint")
        self.checked.append(name)


def _data(live: LiveServer, learner, courses) -> dict:
    """A learner who completed one course and is half-way through another, her supervisor's
    team with an assignment and a referral contact, an author and an admin."""
    from elearn.assignments.services import assign
    from elearn.directory.services import ContactData, save_contact
    from elearn.i18n import today
    from elearn.learning import services as learning

    user_id, email, _ = learner("lt", full_name=LONG_NAME, workplace=LONG_WORKPLACE)
    learner("lt", full_name="Jonas Žukauskas", workplace=LONG_WORKPLACE)
    complete_course(live, user_id, courses[0])
    certificate_id, code = issue_certificate(live, user_id, courses[0].version_id)
    _, supervisor, _ = learner("lt", Role.SUPERVISOR, full_name="Daiva Vadovė",
                               supervises=(MUNICIPALITY,))
    _, author, _ = learner("lt", Role.AUTHOR, full_name="Tomas Autorius")
    _, admin, _ = learner("lt", Role.ADMIN, full_name="Rasa Administratorė")
    with live.app.test_request_context():
        from elearn.auth.models import User

        if len(courses) > 1:
            key = courses[1].modules[0][0]
            learning.lesson_page(db.session.get(User, user_id), courses[1].id, key, "lt")
        due_on = today() + timedelta(days=20)
        for course in courses[1:]:
            assign(MUNICIPALITY, course.id, due_on, target="municipality", by_user_id=None)
        contact = save_contact(MUNICIPALITY, ContactData(
            "social-services", "+370 5 211 2233", "pagalba.socialiniu.paslaugu.centras@vilnius.lt",
            {"organisation": {"lt": "Vilniaus miesto socialinių paslaugų centras, krizių "
                                    "intervencijos skyrius"}}), None)
        db.session.commit()
        contact_id = contact.id
        db.session.remove()
    return {"learner": user_id, "email": email, "certificate": certificate_id, "code": code,
            "supervisor": supervisor, "author": author, "admin": admin, "contact": contact_id,
            "due_on": due_on.isoformat()}


def _signed_in(new_page, live: LiveServer, email: str, lang: str):
    page = new_page()  # a Lithuanian browser; the language button switches
    sign_in(page, live, email, lang)
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("lang", ["lt", "lv", "en"])
def test_no_page_scrolls_sideways_at_320px(lang, live_server, new_page, learner,
                                            shipped_courses):
    live = live_server
    data = _data(live, learner, shipped_courses)
    checked: list[str] = []
    problems: list[str] = []

    # Anonymous visitors.
    page = new_page(lang)
    page.set_viewport_size(PHONE)
    page.goto("/")
    from tests.browser.support import switch_language

    switch_language(page, live, lang)
    walk = Walk(page, live, lang)
    walk.visit("welcome")
    walk.visit("login", "auth.login")
    walk.visit("register", "auth.register")
    page.locator("main form[method=post] button[type=submit]").last.click()
    walk.visit("register-errors")
    walk.visit("reset-request", "auth.reset_request")
    walk.visit("verify-form", "certificates.verify_form")
    walk.visit("verify-valid", "certificates.verify", code=data["code"])
    walk.visit("verify-unknown", "certificates.verify", code="no-such-code")
    walk.visit("public-catalogue", "learning.public_catalogue")
    page.goto("/no/such/page")
    walk.check("not-found")
    checked += walk.checked
    problems += walk.problems

    # The learner: home, every course page, every lesson, a quiz and her records.
    walk = Walk(_signed_in(new_page, live, data["email"], lang), live, lang)
    walk.visit("home", "main.index")
    walk.visit("catalogue", "learning.catalogue")
    for course in shipped_courses:
        walk.visit(f"course-{course.id}", "learning.course", course_id=course.id)
        for key, _has_quiz in course.modules:
            walk.visit(f"lesson-{course.id}-{key}", "learning.lesson", course_id=course.id,
                       module_key=key)
    course = shipped_courses[-1]
    quizzed = next((key for key, has_quiz in course.modules if has_quiz), None)
    if quizzed:
        walk.visit("quiz", "learning.quiz", course_id=course.id, module_key=quizzed)
        walk.page.locator("main form[method=post] button[type=submit]").last.click()
        walk.visit("quiz-unanswered")
    walk.visit("my-certificates", "certificates.mine")
    walk.visit("certificate", "certificates.show", certificate_id=data["certificate"])
    walk.visit("profile", "auth.profile")
    walk.visit("change-password", "auth.change_password")
    checked += walk.checked
    problems += walk.problems

    # The supervisor's pages.
    walk = Walk(_signed_in(new_page, live, data["supervisor"], lang), live, lang)
    code = {"code": MUNICIPALITY}
    walk.visit("team-dashboard", "supervision.municipality", **code)
    walk.visit("team-dashboard-course", "supervision.municipality", course=shipped_courses[0].id,
               **code)
    walk.visit("team-learner", "supervision.learner", user_id=data["learner"], **code)
    walk.visit("confirm-deactivation", "supervision.deactivate", user_id=data["learner"],
               **code)
    walk.visit("assignments", "assignments.assignment_list", **code)
    walk.visit("assignment-new", "assignments.assignment_new", **code)
    walk.page.locator("main form[method=post] button[type=submit]").last.click()
    walk.visit("assignment-new-errors")
    walk.visit("staff-import", "supervision.staff_import", **code)
    walk.visit("referral-contacts", "directory.contacts", **code)
    walk.visit("referral-contact-edit", "directory.contact_edit", contact_id=data["contact"],
               **code)
    walk.visit("referral-contact-delete", "directory.contact_delete", contact_id=data["contact"],
               **code)
    if len(shipped_courses) > 1:
        due = {"course": shipped_courses[1].id, "due_on": data["due_on"]}
        walk.visit("assignment-withdraw", "assignments.assignment_withdraw", **due, **code)
        walk.visit("assignment-due-date", "assignments.due_date", **due, **code)
        walk.visit("assignment-withdraw-one", "assignments.withdraw_one",
                   user_id=data["learner"], course_id=shipped_courses[1].id, **code)
    walk.visit("supervised-certificates", "certificates.supervised")
    walk.visit("certificate-supervisor", "certificates.show", certificate_id=data["certificate"])
    checked += walk.checked
    problems += walk.problems

    # The author and the national coordinator.
    walk = Walk(_signed_in(new_page, live, data["author"], lang), live, lang)
    walk.visit("publishing-status", "publishing.status")
    if live.has("item_analysis.index"):
        walk.visit("item-analysis-index", "item_analysis.index")
        walk.visit("item-analysis", "item_analysis.version", course_id=shipped_courses[0].id,
                   version_id=shipped_courses[0].version_id)
    checked += walk.checked
    problems += walk.problems
    walk = Walk(_signed_in(new_page, live, data["admin"], lang), live, lang)
    walk.visit("national-overview", "national.overview")
    walk.visit("confirm-revocation", "certificates.revoke", certificate_id=data["certificate"])
    if live.has("background.failed"):
        walk.visit("failed-jobs", "background.failed")
    checked += walk.checked
    problems += walk.problems

    print(f"{len(checked)} pages checked at 320px in {lang}")
    assert not problems, "\n".join(problems)
