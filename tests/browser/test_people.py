"""People and roles in a real browser, in both languages: the coordinator finds a user by
a name typed without diacritics and makes her supervisor of two municipalities; the new
supervisor confirms a self-registered learner, corrects a name and deactivates a leaver;
a learner downloads her data and deletes her account, and her certificate still verifies
without her name. axe-core checks the new pages."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from elearn.auth.models import Role, User
from elearn.extensions import db
from tests.browser.support import (
    ACCESSIBILITY,
    AXE_MISSING,
    REQUIRED,
    AxeReport,
    issue_certificate,
    needs_chromium,
    sign_in,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, needs_chromium]

VILNIUS, KAUNAS = "Vilniaus miesto savivaldybė", "Kauno miesto savivaldybė"


def _axe(page, name: str, lang: str) -> None:
    if AXE_MISSING and not REQUIRED:
        print(f"{name}: not checked with axe-core ({AXE_MISSING})")
        return
    row = ACCESSIBILITY.check(page, name, lang)
    ACCESSIBILITY.save("accessibility")
    assert not row.violations, AxeReport([row]).details()


def _sign_out(page, live, lang: str) -> None:
    page.get_by_role("button", name=live.t("Sign out", lang)).click()
    page.wait_for_url("**/account/login**")


@pytest.mark.parametrize("lang", ["lt", "en"])
def test_people_roles_staff_and_data_rights(lang, live_server, new_page, learner,
                                            shipped_courses):
    live = live_server
    _, admin_email, _ = learner(lang, Role.ADMIN, full_name="Koordinatorė Admin",
                                municipality=None)
    _, chosen_email, chosen_name = learner(lang, full_name=f"Žydrūnė Petraitytė {lang}")
    waiting_id, _, waiting_name = learner(lang, full_name=f"Laukianti Naujokė {lang}")
    typo_id, _, _ = learner(lang, full_name=f"Rasa Klaidinga {lang}")
    leaver_id, _, leaver_name = learner(lang, full_name=f"Išeinanti Darbuotoja {lang}")
    owner_id, owner_email, owner_name = learner(lang, full_name=f"Ona Ištrinama {lang}")
    with live.app.app_context():
        db.session.get(User, waiting_id).municipality_confirmed_at = None  # self-registered
        db.session.commit()
        db.session.remove()
    _, code = issue_certificate(live, owner_id, shipped_courses[0].version_id)

    # The coordinator finds her without diacritics and makes her supervisor of two.
    page = new_page(lang)
    sign_in(page, live, admin_email, lang)
    page.goto(live.path("admin.users"))
    page.get_by_label(live.t("Name or e-mail address", lang)).fill(f"zydrune petraityte {lang}")
    page.get_by_role("button", name=live.t("Search", lang), exact=True).click()
    _axe(page, "admin-users", lang)
    page.get_by_role("link", name=chosen_name).click()
    page.get_by_label(live.t("Role", lang), exact=True).select_option("supervisor")
    page.get_by_label(VILNIUS).check()
    page.get_by_label(KAUNAS).check()
    page.get_by_role("button", name=live.t("Change the role", lang)).click()
    assert live.t("The role has been changed.", lang) in page.locator("main").inner_text()
    _axe(page, "admin-user", lang)
    page.goto(live.path("admin.audit"))
    log = page.locator("main table").inner_text()
    assert live.t("Role or supervised municipalities changed", lang) in log
    assert chosen_name in log and "LT-15" in log and "LT-57" in log
    _axe(page, "admin-audit", lang)
    _sign_out(page, live, lang)

    # The new supervisor confirms a self-registered learner, corrects a name, deactivates.
    sign_in(page, live, chosen_email, lang)
    page.goto(live.path("supervision.municipality", code="LT-57"))
    awaiting = page.locator("#awaiting-heading").locator("..")
    awaiting.get_by_role("link", name=waiting_name).click()
    _axe(page, "supervision-learner-awaiting", lang)
    page.get_by_role("button", name=live.t("Yes, confirm her", lang)).click()
    assert page.locator("#awaiting-heading").count() == 0

    page.goto(live.path("supervision.learner", code="LT-57", user_id=typo_id))
    page.get_by_label(live.t("Full name", lang)).fill(f"Rasa Teisinga {lang}")
    page.get_by_role("button", name=live.t("Save changes", lang)).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Rasa Teisinga {lang}"

    page.goto(live.path("supervision.learner", code="LT-57", user_id=leaver_id))
    page.get_by_role("link", name=live.t("She left: deactivate her account…", lang)).click()
    # The confirmation page names her and what will change; nothing has changed yet.
    assert page.get_by_role("heading", level=1).inner_text() == live.t(
        "Deactivate this account?", lang)
    assert leaver_name in page.locator("main").inner_text()
    _axe(page, "confirm-deactivation", lang)
    page.get_by_role("button", name=live.t("Deactivate the account", lang)).click()
    assert live.t("This account is deactivated: she cannot sign in and counts in no report.",
                  lang) in page.locator("main").inner_text()
    page.goto(live.path("supervision.audit", code="LT-57"))
    log = page.locator("main table").inner_text()
    assert leaver_name in log and live.t("Account deactivated", lang) in log
    _axe(page, "supervision-audit", lang)
    _sign_out(page, live, lang)

    # The learner takes her data and deletes her account.
    sign_in(page, live, owner_email, lang)
    page.goto(live.path("auth.profile"))
    page.get_by_role("link", name=live.t(
        "See and download everything the platform holds about you, or delete your account",
        lang)).click()
    _axe(page, "my-data", lang)
    with page.expect_download() as download:
        page.get_by_role("link", name=live.t("Download my data (ZIP)", lang)).click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    data = json.loads(archive.read("my-data.json"))
    assert data["account"]["full_name"] == owner_name
    assert any(name.endswith(".pdf") for name in archive.namelist())
    page.get_by_role("link", name=live.t("Delete my account…", lang)).click()
    _axe(page, "delete-account", lang)
    page.get_by_label(live.t("Your password", lang)).fill(PASSWORD)
    page.get_by_label(live.t(
        "I understand that my account is deleted for good and cannot be restored", lang)).check()
    page.get_by_role("button", name=live.t("Delete my account", lang)).click()
    page.wait_for_url(lambda url: "/account/delete" not in url)

    visitor = new_page(lang)
    visitor.goto(live.path("certificates.verify", code=code))
    text = visitor.locator("main").inner_text()
    assert live.t("Issued to a person whose account was deleted", lang) in text
    assert owner_name not in text
    visitor.goto(live.path("privacy.notice"))
    _axe(visitor, "privacy-notice", lang)


NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("lang", ["lt", "en"])
def test_the_new_pages_fit_a_phone(lang, live_server, new_page, learner):
    """At 320 px the pages never scroll sideways (tables scroll in their own region)."""
    live = live_server
    _, admin_email, _ = learner(lang, Role.ADMIN, full_name="Koordinatorė Admin",
                                municipality=None)
    person_id, _, _ = learner(lang, full_name="Žydrūnė Ilgapavardė-Kazlauskienė")
    _, boss_email, _ = learner(lang, Role.SUPERVISOR, full_name="Daiva Vadovė",
                               supervises=("LT-57",))
    page = new_page(lang)
    sign_in(page, live, admin_email, lang)
    page.set_viewport_size({"width": 320, "height": 640})
    for url in (live.path("admin.users"), live.path("admin.user", user_id=person_id),
                live.path("admin.audit"), live.path("privacy.my_data"),
                live.path("privacy.notice")):
        page.goto(url)
        assert page.evaluate(NO_SIDEWAYS), f"{url} scrolls sideways at 320 px"
    _sign_out(page, live, lang)
    sign_in(page, live, boss_email, lang)
    for url in (live.path("supervision.learner", code="LT-57", user_id=person_id),
                live.path("supervision.audit", code="LT-57")):
        page.goto(url)
        assert page.evaluate(NO_SIDEWAYS), f"{url} scrolls sideways at 320 px"
