"""The admin's users page and a user's page: search, filters, pages, edits, roles."""

from __future__ import annotations

import re

from sqlalchemy import select

from elearn.audit.models import AuditEntry
from elearn.auth.models import Role, User
from elearn.extensions import db
from tests.web import csrf_token


def _admin(login_as) -> int:
    return login_as(Role.ADMIN, municipality=None)


def _names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/admin/users/\d+">([^<]+)</a>', html)


def test_search_without_diacritics_finds_the_name(client, login_as, make_user):
    _admin(login_as)
    make_user(full_name="Žydrūnė Petraitytė")
    make_user(full_name="Jonas Jonaitis")
    html = client.get("/admin/users?q=zydrune").get_data(as_text=True)
    assert _names(html) == ["Žydrūnė Petraitytė"]
    html = client.get("/admin/users?q=PETRAITYTE").get_data(as_text=True)
    assert _names(html) == ["Žydrūnė Petraitytė"]
    # by e-mail address too
    uid = make_user(full_name="Ona Onaitė", email="ona.special@example.lt")
    html = client.get("/admin/users?q=ona.special").get_data(as_text=True)
    assert f"/admin/users/{uid}" in html


def test_letters_without_a_decomposition_are_folded_too(client, login_as, make_user):
    """"Ł" is a letter of its own in Unicode, not "L" with a mark: typed plainly, the
    Polish names common in the Vilnius region are found like the Lithuanian ones."""
    _admin(login_as)
    make_user(full_name="Łukasz Wiśniewski")
    make_user(full_name="Søren Đurić")
    assert _names(client.get("/admin/users?q=lukasz+wisniewski").get_data(as_text=True)) == [
        "Łukasz Wiśniewski"]
    assert _names(client.get("/admin/users?q=soren+duric").get_data(as_text=True)) == [
        "Søren Đurić"]
    assert _names(client.get("/admin/users?q=ŁUKASZ").get_data(as_text=True)) == [
        "Łukasz Wiśniewski"]


def test_the_migration_refolds_the_stored_search_keys(tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from elearn import create_app
    from elearn.config import TestConfig
    from tests.factories import create_user

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.sqlite'}"

    old = create_app(Config)
    with old.app_context():
        upgrade(revision="f1a2b3c4d5e6")  # before ł, ø, đ … were folded
        create_user(1, full_name="Łukasz Wiśniewski", email="lukasz@example.lt")
        create_user(2, full_name="Ona Žemaitytė", email="ona@example.lt")
        with db.engine.begin() as conn:  # the key the older folding stored
            conn.execute(text("UPDATE \"user\" SET search_text = "
                              "'łukasz wisniewski lukasz@example.lt' WHERE email LIKE 'lukasz%'"))
        upgrade()
        with db.engine.connect() as conn:
            keys = dict(conn.execute(text('SELECT email, search_text FROM "user"')).all())
        db.engine.dispose()
    assert keys == {"lukasz@example.lt": "lukasz wisniewski lukasz@example.lt",
                    "ona@example.lt": "ona zemaityte ona@example.lt"}


def test_like_wildcards_in_the_search_are_plain_characters(client, login_as, make_user):
    _admin(login_as)
    make_user(full_name="Jonas Jonaitis")
    html = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert _names(html) == []


def test_filters_by_role_municipality_and_state(app, client, login_as, make_user):
    _admin(login_as)
    make_user(full_name="Aldona Here", municipality="LT-57")
    make_user(full_name="Birutė There", municipality="LT-15")
    make_user(Role.SUPERVISOR, full_name="Celina Boss", supervises=("LT-57",))
    gone = make_user(full_name="Dalia Gone")
    with app.app_context():
        db.session.get(User, gone).active = False
        db.session.commit()
    assert _names(client.get("/admin/users?municipality=LT-15").get_data(as_text=True)) == [
        "Birutė There"]
    assert _names(client.get("/admin/users?role=supervisor").get_data(as_text=True)) == [
        "Celina Boss"]
    assert _names(client.get("/admin/users?status=inactive").get_data(as_text=True)) == [
        "Dalia Gone"]
    # unknown values are ignored, not errors
    assert client.get("/admin/users?role=king&sort=x&after=%%%").status_code == 200


def test_keyset_pages_cover_everyone_once_in_order(app, client, login_as, make_user,
                                                    monkeypatch):
    from elearn.admin import users

    monkeypatch.setattr(users, "PAGE_SIZE", 3)
    _admin(login_as)
    for n in range(7):
        make_user(full_name=f"Person {n:02d}", email=f"p{n}@example.lt")
    seen, url = [], "/admin/users?q=person&sort=name&dir=desc"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += _names(html)
        found = re.search(r'href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == [f"Person {n:02d}" for n in reversed(range(7))]


def test_the_page_says_how_many_accounts_match_on_every_page(client, login_as, make_user,
                                                             monkeypatch):
    from elearn.admin import users

    monkeypatch.setattr(users, "PAGE_SIZE", 3)
    _admin(login_as)
    for n in range(7):
        make_user(full_name=f"Person {n:02d}", email=f"p{n}@example.lt")
    make_user(full_name="Jonas Jonaitis")
    html = client.get("/admin/users?q=person").get_data(as_text=True)
    assert "7 accounts match." in html
    following = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "7 accounts match." in client.get(following).get_data(as_text=True)
    assert "1 account matches." in client.get("/admin/users?q=jonaitis").get_data(as_text=True)
    # the admin herself, the seven and Jonas
    assert "9 accounts in all." in client.get("/admin/users").get_data(as_text=True)


def test_admin_edits_an_account_and_the_change_is_audited(app, client, login_as, make_user):
    admin_id = _admin(login_as)
    uid = make_user(full_name="Zydrune Typo", email="z@example.lt")
    token = csrf_token(client, f"/admin/users/{uid}")
    response = client.post(f"/admin/users/{uid}", data={
        "csrf_token": token, "full_name": "Žydrūnė Petraitytė", "email": "Z.New@Example.lt",
        "municipality": "LT-15", "workplace": "Centras", "profession": "teacher",
        "locale": "lt"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, uid)
        assert (user.full_name, user.email, user.municipality_code) == (
            "Žydrūnė Petraitytė", "z.new@example.lt", "LT-15")
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.details"))
        assert entry.actor_id == admin_id
        assert entry.before["full_name"] == "Zydrune Typo"
        assert entry.after["municipality_code"] == "LT-15"
        assert (entry.municipality_code, entry.other_municipality_code) == ("LT-57", "LT-15")
        assert entry.address == "127.0.0.1"


def test_an_e_mail_address_in_use_is_refused_whatever_its_case(app, client, login_as,
                                                               make_user):
    _admin(login_as)
    make_user(email="taken@example.lt")
    uid = make_user(email="mine@example.lt")
    token = csrf_token(client, f"/admin/users/{uid}")
    response = client.post(f"/admin/users/{uid}", data={
        "csrf_token": token, "full_name": "Test", "email": "TAKEN@example.lt",
        "municipality": "LT-57", "workplace": "", "profession": "other", "locale": "lt"})
    assert response.status_code == 422
    assert "Another account has this e-mail address." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, uid).email == "mine@example.lt"
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == str(uid))) is None


def test_bad_input_is_refused_and_nothing_stored(app, client, login_as, make_user):
    _admin(login_as)
    uid = make_user(full_name="Before")
    token = csrf_token(client, f"/admin/users/{uid}")
    for data in ({"full_name": "", "email": "a@example.lt"},
                 {"full_name": "X", "email": "not-an-address"},
                 {"full_name": "X", "email": "a@example.lt", "municipality": "LT-99"},
                 {"full_name": "X" * 201, "email": "a@example.lt"}):
        form = {"csrf_token": token, "municipality": "LT-57", "workplace": "",
                "profession": "other", "locale": "lt", **data}
        assert client.post(f"/admin/users/{uid}", data=form).status_code == 422, data
    with app.app_context():
        assert db.session.get(User, uid).full_name == "Before"


def test_renaming_someone_with_certificates_asks_for_confirmation(app, client, login_as,
                                                                  make_user, two_courses,
                                                                  add_certificate):
    _admin(login_as)
    uid = make_user(full_name="Old Name")
    add_certificate(uid, "alpha", None)
    token = csrf_token(client, f"/admin/users/{uid}")
    form = {"csrf_token": token, "full_name": "New Name", "email": "user2@example.lt",
            "municipality": "LT-57", "workplace": "", "profession": "other", "locale": "en"}
    with app.app_context():
        form["email"] = db.session.get(User, uid).email
    response = client.post(f"/admin/users/{uid}", data=form)
    assert response.status_code == 422
    assert "Tick the box to confirm the new name" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, uid).full_name == "Old Name"
    response = client.post(f"/admin/users/{uid}", data={**form, "confirm_name_change": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, uid).full_name == "New Name"


def test_admin_makes_someone_supervisor_of_two_municipalities(app, client, login_as,
                                                              make_user):
    _admin(login_as)
    uid = make_user()
    token = csrf_token(client, f"/admin/users/{uid}")
    response = client.post(f"/admin/users/{uid}/role", data={
        "csrf_token": token, "role": "supervisor", "supervises": ["LT-57", "LT-15"]})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, uid)
        assert user.role == "supervisor"
        assert sorted(m.code for m in user.supervised) == ["LT-15", "LT-57"]
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "user.role", AuditEntry.target_id == str(uid)))
        assert entry.after == {"role": "supervisor", "supervises": ["LT-15", "LT-57"]}
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Role or supervised municipalities changed" in html


def test_a_supervisor_needs_municipalities_and_unknown_roles_are_refused(app, client,
                                                                         login_as, make_user):
    _admin(login_as)
    uid = make_user()
    token = csrf_token(client, f"/admin/users/{uid}")
    for data in ({"role": "supervisor"}, {"role": "king"},
                 {"role": "supervisor", "supervises": ["LT-99"]}):
        response = client.post(f"/admin/users/{uid}/role", data={"csrf_token": token, **data})
        assert response.status_code == 422, data
    with app.app_context():
        assert db.session.get(User, uid).role == "learner"


def test_an_admin_cannot_remove_her_own_role_or_deactivate_herself(app, client, login_as):
    admin_id = _admin(login_as)
    token = csrf_token(client, f"/admin/users/{admin_id}")
    response = client.post(f"/admin/users/{admin_id}/role",
                           data={"csrf_token": token, "role": "learner"})
    assert response.status_code == 422
    assert "You cannot remove your own administrator role" in response.get_data(as_text=True)
    response = client.post(f"/admin/users/{admin_id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 409
    with app.app_context():
        admin = db.session.get(User, admin_id)
        assert (admin.role, admin.active) == ("admin", True)


def test_deactivating_ends_her_sessions_and_reactivating_lets_her_in(app, client, login_as,
                                                                     make_user):
    from tests.web import login

    _admin(login_as)
    uid = make_user()
    her = app.test_client()
    assert login(her, app, uid).status_code == 302
    assert her.get("/account/profile").status_code == 200
    token = csrf_token(client, f"/admin/users/{uid}")
    assert client.post(f"/admin/users/{uid}/deactivate",
                       data={"csrf_token": token}).status_code == 302
    assert her.get("/account/profile").status_code == 302  # signed out
    assert login(her, app, uid).status_code == 422
    assert client.post(f"/admin/users/{uid}/activate",
                       data={"csrf_token": token}).status_code == 302
    assert login(her, app, uid).status_code == 302
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["user.deactivated", "user.activated"]


def test_invitation_and_password_link_are_mailed(app, client, login_as, make_user):
    _admin(login_as)
    invited = make_user(password=None, email="new@example.lt")
    active = make_user(email="old@example.lt")
    token = csrf_token(client, f"/admin/users/{invited}")
    outbox = app.extensions.setdefault("elearn_outbox", [])
    assert client.post(f"/admin/users/{invited}/invite",
                       data={"csrf_token": token}).status_code == 302
    assert client.post(f"/admin/users/{active}/reset",
                       data={"csrf_token": token}).status_code == 302
    assert [m["To"] for m in outbox][-2:] == ["new@example.lt", "old@example.lt"]
    # an account with a password is not invited again
    assert client.post(f"/admin/users/{active}/invite",
                       data={"csrf_token": token}).status_code == 409


def test_unknown_user_is_404(client, login_as):
    _admin(login_as)
    assert client.get("/admin/users/999999").status_code == 404


def test_the_admin_confirms_a_learner_awaiting_confirmation(app, client, login_as, make_user):
    _admin(login_as)
    uid = make_user()
    with app.app_context():
        db.session.get(User, uid).municipality_confirmed_at = None
        db.session.commit()
    html = client.get(f"/admin/users/{uid}").get_data(as_text=True)
    assert "awaiting a supervisor" in html, html[html.find('<dt>Municipality'):][:300]
    token = csrf_token(client, f"/admin/users/{uid}")
    assert client.post(f"/admin/users/{uid}/confirm",
                       data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert not db.session.get(User, uid).awaiting_confirmation


def test_the_account_form_shows_her_details_as_they_are(app, client, login_as, make_user):
    """Saving the form untouched changes nothing (her municipality is preselected)."""
    _admin(login_as)
    uid = make_user(municipality="LT-15", profession="teacher", workplace="Gimnazija")
    html = client.get(f"/admin/users/{uid}").get_data(as_text=True)
    assert re.search(r'<option selected value="LT-15">|<option value="LT-15" selected>', html)
    assert re.search(r'<option selected value="teacher">|<option value="teacher" selected>',
                     html)
    assert 'value="Gimnazija"' in html
