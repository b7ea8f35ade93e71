"""Helpers for the browser tests: where Chromium and axe-core are, translated
strings, an axe-core run, keyboard-only navigation and screenshots."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import select

from elearn.auth.models import User
from elearn.extensions import db
from tests.factories import PASSWORD

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent
CHROMIUM = Path(os.environ.get("ELEARN_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# Flags that work on this kind of machine (no GPU, no sandbox, no network but ours).
# Playwright gives every launch a fresh temporary profile (--user-data-dir) itself
# and refuses one passed here.
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _playwright_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[test]'"
    return None


def _chromium_missing() -> str | None:
    if not CHROMIUM.exists():
        return (f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` "
                "to run the browser journeys")
    return _playwright_missing()


def _axe_missing() -> str | None:
    if not AXE_JS.exists():
        return ("axe-core is not installed: run `npm ci --prefix tests/browser` to run the "
                "accessibility checks")
    return None


BROWSER_MISSING = _chromium_missing()
AXE_MISSING = _axe_missing()
# CI sets ELEARN_BROWSER_TESTS=required: there a missing Chromium or axe-core fails
# the tests instead of skipping them.
REQUIRED = os.environ.get("ELEARN_BROWSER_TESTS") == "required"
needs_chromium = pytest.mark.skipif(
    BROWSER_MISSING is not None and not REQUIRED, reason=BROWSER_MISSING or ""
)
needs_axe = pytest.mark.skipif(
    (BROWSER_MISSING is not None or AXE_MISSING is not None) and not REQUIRED,
    reason=BROWSER_MISSING or AXE_MISSING or "",
)


def t(app: Flask, message: str, lang: str, **values) -> str:
    """The app's own translation of a message, so tests find elements by what people read."""
    with app.test_request_context(), force_locale(lang):
        return gettext(message, **values)


def shoot(page, lang: str, name: str) -> Path:
    """A full-page screenshot under artifacts/screenshots/ (kept out of git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.{lang}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class LiveServer:
    app: Flask
    url: str

    def path(self, endpoint: str, **values) -> str:
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def has(self, endpoint: str) -> bool:
        return endpoint in self.app.view_functions

    def t(self, message: str, lang: str, **values) -> str:
        return t(self.app, message, lang, **values)


@dataclass
class PublishedCourse:
    id: str
    version_id: int
    title: str
    modules: list[tuple[str, bool]]  # (module key, has a quiz), in order


def issue_certificate(live_server: LiveServer, user_id: int, version_id: int) -> tuple[int, str]:
    """Issue a certificate straight through the service; returns (id, verification code)."""
    from elearn.certificates.services import issue_certificate as issue
    from elearn.publishing.models import CourseVersion

    with live_server.app.app_context():
        user = db.session.get(User, user_id)
        certificate = issue(user, db.session.get(CourseVersion, version_id))
        db.session.commit()
        result = certificate.id, certificate.code
        db.session.remove()
    return result


def sign_in(page, live_server: LiveServer, email: str, lang: str,
            password: str = PASSWORD) -> None:
    """Sign in through the form, switching the language first with the header button."""
    page.goto(live_server.path("auth.login"))
    switch_language(page, live_server, lang)
    page.get_by_label(live_server.t("E-mail address", lang)).fill(email)
    page.get_by_label(live_server.t("Password", lang), exact=True).fill(password)
    page.get_by_role("button", name=live_server.t("Sign in", lang), exact=True).click()
    page.wait_for_url(lambda url: "/account/login" not in url)


def switch_language(page, live_server: LiveServer, lang: str) -> None:
    """Use the header's language button when the page is not in `lang` yet."""
    if page.evaluate("document.documentElement.lang") == lang:
        return
    label = {"lt": "Lietuviškai", "lv": "Latviski", "en": "In English"}[lang]
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()
    assert page.evaluate("document.documentElement.lang") == lang

# --- learning through the services ---------------------------------------------------------

def complete_course(live: LiveServer, user_id: int, course: PublishedCourse) -> None:
    """Complete the course through the services the learning pages call: every lesson read
    or its quiz passed, in order. (The browser journeys walk those pages.)"""
    from werkzeug.datastructures import MultiDict

    from elearn.learning import quizzes, services
    from elearn.learning.models import CourseProgress

    for key, has_quiz in course.modules:
        with live.app.test_request_context():
            user = db.session.get(User, user_id)
            services.lesson_page(user, course.id, key, "lt")
            if has_quiz:
                quizzes.start(user, course.id, key, "lt")  # "Start the quiz"
                attempt_id = quizzes.quiz_page(user, course.id, key, "lt").attempt_id
            else:
                services.confirm_read(user, course.id, key, "lt")
            db.session.remove()
        if not has_quiz:
            continue
        right, _ = open_attempt_answers(live, user_id, course.id, key)
        form = MultiDict([("attempt", str(attempt_id))] + [
            (f"q-{index}", str(position))
            for index, positions in enumerate(right) for position in positions])
        with live.app.test_request_context():
            outcome = quizzes.submit(db.session.get(User, user_id), course.id, key, form, "lt")
            assert isinstance(outcome, quizzes.Recorded) and outcome.passed, outcome
            db.session.remove()
    with live.app.app_context():
        assert db.session.get(CourseProgress, (user_id, course.id)).status == "completed"
        db.session.remove()


# --- accessibility -------------------------------------------------------------------------

_AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations", "incomplete"]});
  const rows = (list) => list.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                              summary: n.failureSummary}))
  }));
  return {violations: rows(results.violations), incomplete: rows(results.incomplete),
          version: axe.version};
}"""


def axe_run(page) -> dict:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now.

    axe is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not govern: no bypass_csp, so the page is
    checked under the policy it really has.
    """
    if AXE_MISSING:  # only reached with ELEARN_BROWSER_TESTS=required
        pytest.fail(AXE_MISSING)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(_AXE_RUN, WCAG_TAGS)


_WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  const overflow = document.documentElement.scrollWidth - width;
  if (overflow <= 0) return [];
  // The outermost elements that stick out, unless they scroll inside a narrower box.
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || out.some(o => o.contains(el))) continue;
    if (el.closest("table") && el.tagName !== "TABLE") continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (["auto", "scroll", "hidden"].includes(s.overflowX)) { clipped = true; break; }
    }
    if (!clipped) out.push(el);
  }
  return out.slice(0, 5).map(el => ({
    target: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
            + (typeof el.className === "string" && el.className.trim()
               ? "." + el.className.trim().split(/\\s+/).join(".") : ""),
    html: el.outerHTML.slice(0, 200),
    summary: `${Math.round(el.getBoundingClientRect().right - width)}px wider than 320px`}));
}"""


def reflow_problems(page) -> list[dict]:  # the second list: exempt, for a human look
    """WCAG 1.4.10 Reflow, which axe does not test: at 320 CSS pixels wide nothing may
    need sideways scrolling (tables may scroll inside their own box)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        nodes = page.evaluate(_WIDER_THAN_VIEWPORT)
    finally:
        page.set_viewport_size(size)
    tables = [n for n in nodes if n["target"].startswith("table")]
    others = [n for n in nodes if not n["target"].startswith("table")]
    problems = []
    if others:
        problems.append({"id": "reflow-320px", "impact": "serious", "nodes": others,
                         "help": "Content must reflow at 320 CSS px without sideways "
                                 "scrolling (WCAG 1.4.10; checked by these tests, not axe)"})
    if tables:  # data tables are exempt (two-dimensional layout), but worth a look
        problems.append({"id": "reflow-320px-table", "impact": "minor", "nodes": tables,
                         "help": "A data table makes the whole page scroll sideways at 320 "
                                 "CSS px: allowed by WCAG 1.4.10, better in a scrolling box"})
    return problems


@dataclass
class AxeRow:
    page: str
    lang: str
    url: str
    violations: list[dict] = field(default_factory=list)
    incomplete: list[dict] = field(default_factory=list)  # axe could not decide: look yourself

    @property
    def counts(self) -> Counter:
        return Counter({v["id"]: len(v["nodes"]) for v in self.violations})


@dataclass
class AxeReport:
    rows: list[AxeRow] = field(default_factory=list)

    def check(self, page, name: str, lang: str) -> AxeRow:
        """Check the page with axe-core, keep its row and leave its screenshot."""
        page.wait_for_load_state("load")
        html_lang = page.evaluate("document.documentElement.lang")
        assert html_lang == lang, f"{name}: <html lang={html_lang!r}>, expected {lang!r}"
        result = axe_run(page)
        reflow = reflow_problems(page)
        row = AxeRow(name, lang, page.url.split("://", 1)[-1].split("/", 1)[-1],
                     result["violations"] + [r for r in reflow if r["impact"] == "serious"],
                     result["incomplete"] + [r for r in reflow if r["impact"] != "serious"])
        self.rows.append(row)
        shoot(page, lang, name)
        return row

    def table(self) -> str:
        lines = [f"{'page':<26} {'lang':<4} {'violations':<10} {'rules (nodes)':<30} "
                 "needs a human look (axe: incomplete)"]
        for row in self.rows:
            rules = ", ".join(f"{rule} ({n})" for rule, n in sorted(row.counts.items())) or "-"
            unsure = ", ".join(sorted({v["id"] for v in row.incomplete})) or "-"
            lines.append(f"{row.page:<26} {row.lang:<4} {sum(row.counts.values()):<10} "
                         f"{rules:<30} {unsure}")
        return "\n".join(lines)

    def details(self, incomplete: bool = False) -> str:
        out = []
        for row in self.rows:
            for v in row.incomplete if incomplete else row.violations:
                out.append(f"{row.page} [{row.lang}] /{row.url}: {v['id']} ({v['impact']}) "
                           f"{v['help']}")
                for node in v["nodes"][:5]:
                    out.append(f"    {node['target']}: {node['html']}")
                    if incomplete and node["summary"]:
                        out.append("      " + node["summary"].replace("\n", " "))
        return "\n".join(out)

    def failing(self) -> list[AxeRow]:
        return [row for row in self.rows if row.violations]

    def save(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"{name}.txt").write_text(
            self.table() + "\n\nViolations:\n" + self.details()
            + "\n\nFor a human to check:\n" + self.details(incomplete=True) + "\n")
        (ARTIFACTS / f"{name}.json").write_text(json.dumps(
            [row.__dict__ for row in self.rows], ensure_ascii=False, indent=1))


# Every page checked in this pytest run, for the table at the end of the run.
ACCESSIBILITY = AxeReport()


# --- keyboard ------------------------------------------------------------------------------

_FOCUS_VISIBLE = """(el) => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  return el === document.activeElement && (outline || s.boxShadow !== "none");
}"""


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, *, backwards: bool = False, limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the element has the focus, like a keyboard user.

    Fails when it cannot be reached, or when it shows no visible focus (WCAG 2.4.7).
    """
    key = "Shift+Tab" if backwards else "Tab"
    target = locator.first.element_handle()  # found once: role look-ups are slow
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            assert target.evaluate(_FOCUS_VISIBLE), (
                f"{locator} has the keyboard focus but no visible focus indicator"
            )
            return
        page.keyboard.press(key)
    raise AssertionError(f"{limit} presses of {key} never reached {locator} on {page.url}")


def choose_by_keyboard(page, select, value: str, *, typed: str = "", limit: int = 120) -> None:
    """Pick an option of the focused <select>: type its first letters, then arrow keys."""
    assert is_focused(select), "focus the select first"
    values = select.evaluate("s => Array.from(s.options).map(o => o.value)")
    assert value in values, f"{value!r} is not an option"
    if typed:
        page.keyboard.type(typed)
    for _ in range(limit):
        here = select.evaluate("s => s.selectedIndex")
        if values[here] == value:
            return
        page.keyboard.press("ArrowDown" if values.index(value) > here else "ArrowUp")
    raise AssertionError(f"could not reach option {value!r} with the arrow keys")


# --- quizzes -------------------------------------------------------------------------------

def open_attempt_answers(live_server: LiveServer, user_id: int, course_id: str,
                         module_key: str) -> tuple[list[list[int]], list[list[int]]]:
    """For the learner's open attempt, per question as shown: the positions of the correct
    options, and of the wrong ones. Read from the database, never from the page."""
    from elearn.learning.models import Attempt
    from elearn.publishing.models import Option

    with live_server.app.app_context():
        attempt = db.session.scalar(select(Attempt).where(
            Attempt.user_id == user_id, Attempt.course_id == course_id,
            Attempt.module_key == module_key, Attempt.is_open.is_(True)))
        assert attempt is not None, f"no open attempt for {course_id}/{module_key}"
        ids = [oid for q in attempt.questions for oid in q["options"]]
        correct = set(db.session.scalars(
            select(Option.id).where(Option.id.in_(ids), Option.correct.is_(True))))
        shown = [q["options"] for q in attempt.questions]
        db.session.remove()
    right = [[p for p, oid in enumerate(options) if oid in correct] for options in shown]
    wrong = [[p for p, oid in enumerate(options) if oid not in correct] for options in shown]
    return right, wrong


def answer_quiz_with_mouse(page, answers: list[list[int]]) -> None:
    for index, positions in enumerate(answers):
        for position in positions:
            page.locator(f'input[name="q-{index}"][value="{position}"]').check()


def activate_by_keyboard(page, locator, key: str = "Enter", *, backwards: bool = False) -> None:
    """Tab to a link or button and press Enter (or Space), waiting for the next page."""
    tab_to(page, locator, backwards=backwards)
    with page.expect_navigation():
        page.keyboard.press(key)


def answer_quiz_with_keyboard(page, answers: list[list[int]]) -> None:
    """Radio groups with Tab then the arrow keys, checkboxes with Tab then Space."""
    for index, positions in enumerate(answers):
        inputs = page.locator(f'input[name="q-{index}"]')
        if inputs.first.get_attribute("type") == "radio":
            (position,) = positions
            tab_to(page, inputs.first)  # Tab enters an unanswered group at its first option
            if position == 0:
                page.keyboard.press("Space")
            for _ in range(position):
                page.keyboard.press("ArrowDown")  # moves to the next option and checks it
            assert inputs.nth(position).is_checked()
        else:
            for position in positions:
                tab_to(page, inputs.nth(position))
                page.keyboard.press("Space")
                assert inputs.nth(position).is_checked()
