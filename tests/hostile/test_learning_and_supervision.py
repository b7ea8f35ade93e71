"""Random and forged input to the quiz and to the supervisors' forms."""

import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from elearn.assignments.models import Assignment
from elearn.auth.models import Role, User
from elearn.directory.models import ReferralContact
from elearn.extensions import db
from elearn.learning.models import Attempt
from tests.factories import insert_course
from tests.web import csrf_token, open_attempt

RANDOM = settings(max_examples=30, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])
VALUES = st.one_of(st.text(max_size=60), st.integers(-2**70, 2**70).map(str),
                   st.sampled_from(["0", "-1", "999999999999", "q-0", "<script>", "' OR 1=1"]))
QUIZ_FORM = st.dictionaries(
    st.one_of(st.sampled_from(["attempt", "q-0", "q-1", "q-2", "q-99"]), st.text(max_size=10)),
    st.lists(VALUES, max_size=4), max_size=6)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def submitted(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.submitted_at.is_not(None)))


@RANDOM
@given(form=QUIZ_FORM)
def test_quiz_submission_with_forged_fields(app, client, login_as, form):
    if count(app, User) == 0:
        with app.app_context():
            insert_course("demo")
        login_as()
    drawn = open_attempt(app, client)
    before = submitted(app)
    data = [("csrf_token", csrf_token(client, "/courses"))]
    data += [(key, value) for key, values in form.items() for value in values]
    if "attempt" not in form:
        data.append(("attempt", str(drawn.attempt_id)))
    response = client.post("/learn/demo/signs/quiz", data=MultiDict(data))
    assert response.status_code < 500
    if response.status_code not in (302, 303):
        assert submitted(app) == before  # refused: nothing stored


@RANDOM
@given(content=st.one_of(st.binary(max_size=3000),
                         st.text(max_size=3000).map(lambda t: t.encode("utf-8", "replace"))),
       filename=st.sampled_from(["staff.csv", "staff.xlsx", "../../etc/passwd", "a\x00.csv"]))
def test_staff_import_with_random_files(app, client, login_as, content, filename):
    if count(app, User) == 0:
        login_as(Role.SUPERVISOR, supervises=("LT-57",))
    accounts = count(app, User)
    url = "/supervision/LT-57/import"
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "file": (io.BytesIO(content), filename)},
                           content_type="multipart/form-data")
    assert response.status_code < 500
    if response.status_code != 200 or b"row " in response.data:
        assert count(app, User) == accounts  # a bad file imports nobody


FIELDS = st.dictionaries(
    st.sampled_from(["role", "organisation_local", "organisation_en", "phone", "email",
                     "address_local", "hours_local", "notes_local", "course", "due_on", "target",
                     "workplace", "users"]),
    VALUES, max_size=8)


@RANDOM
@given(data=FIELDS)
def test_contact_and_assignment_forms(app, client, login_as, data):
    if count(app, User) == 0:
        login_as(Role.SUPERVISOR, supervises=("LT-57",))
    contacts, assignments = count(app, ReferralContact), count(app, Assignment)
    for url in ("/supervision/LT-57/contacts/new", "/supervision/LT-57/assignments/new"):
        response = client.post(url, data=dict(data, csrf_token=csrf_token(client, url)))
        assert response.status_code < 500, url
        if response.status_code != 302:
            assert count(app, ReferralContact) == contacts
            assert count(app, Assignment) == assignments


@RANDOM
@given(data=FIELDS, target=st.sampled_from([
    "/supervision/LT-57/assignments/withdraw", "/supervision/LT-57/contacts/1/delete",
    "/supervision/LT-57/learners/1/assignments/x/withdraw", "/national/refresh",
    "/certificates/1/revoke", "/courses/demo/start-again", "/learn/demo/intro/read",
]))
def test_every_other_post_form(app, client, login_as, data, target):
    if count(app, User) == 0:
        login_as(Role.ADMIN, municipality=None)
    contacts, assignments = count(app, ReferralContact), count(app, Assignment)
    response = client.post(target, data=dict(data, csrf_token=csrf_token(client, "/")))
    assert response.status_code < 500, target
    assert count(app, ReferralContact) == contacts  # nothing there to change
    assert count(app, Assignment) == assignments


@RANDOM
@given(data=FIELDS)
# A good password typed twice: the reset link sets it, and the invitation link is used up.
@example(data={"phone": "Lygiai-devyni-ženklai-9", "email": "Lygiai-devyni-ženklai-9"})
def test_set_password_forms_from_reset_and_invitation_links(app, client, make_user, data):
    from elearn.auth import services as accounts

    with app.app_context():
        user = db.session.get(User, make_user(email=f"u{count(app, User)}@example.lt"))
        before = user.password_hash
        links = [f"/account/reset/{accounts.make_password_token(user, 'reset')}",
                 f"/account/invitation/{accounts.make_password_token(user, 'invite')}"]
    for link in links:
        fields = {"password": data.get("phone", ""), "confirm": data.get("email", "")}
        page = client.get(link)
        if page.status_code == 404:  # the other link set the password: this one is used up
            continue
        response = client.post(link, data=dict(fields, csrf_token=csrf_token(client, link)))
        assert response.status_code < 500
        with app.app_context():
            after = db.session.get(User, user.id).password_hash
        if response.status_code != 302:  # refused: nothing changed
            assert after == before
        before = after
