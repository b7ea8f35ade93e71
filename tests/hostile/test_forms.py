"""Random and malicious input to every form: never a 500, never a half-stored record."""

import hashlib
import hmac

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.inputs import has_control_characters
from elearn.publishing.models import CourseVersion
from tests.web import csrf_token

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from([
        "<script>alert(1)</script>", "' OR 1=1 --", "=HYPERLINK(\"http://x\")", "\x00", "𝕏" * 50,
        "../../etc/passwd", "a" * 5000, "LT-57", "  ", "ą" * 201, "%00", "\r\nSet-Cookie: x=1",
        "user@example.lt", "correct horse battery staple",
    ]),
)
FIELDS = st.dictionaries(
    st.sampled_from(["full_name", "email", "municipality", "workplace", "profession", "locale",
                     "password", "confirm", "current_password", "code", "reason", "lang",
                     "next", "unexpected"]),
    HOSTILE,
    max_size=10,
)
RANDOM = settings(max_examples=40, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


def users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


@RANDOM
@given(data=FIELDS)
def test_registration(app, client, data):
    before = users(app)
    data = dict(data, csrf_token=csrf_token(client, "/account/register"))
    response = client.post("/account/register", data=data)
    assert response.status_code < 500
    if response.status_code != 302:
        assert users(app) == before


@RANDOM
@given(data=FIELDS)
def test_login_and_reset(app, client, data):
    for path in ("/account/login", "/account/reset"):
        payload = dict(data, csrf_token=csrf_token(client, path))
        assert client.post(path, data=payload).status_code < 500


@RANDOM
@given(data=FIELDS)
def test_signed_in_forms(app, client, login_as, data):
    if client.get("/account/profile").status_code != 200:
        login_as()
    with app.app_context():
        snapshot = db.session.scalar(select(User)).__dict__.copy()
    for path in ("/account/profile", "/account/password"):
        payload = dict(data, csrf_token=csrf_token(client, path))
        response = client.post(path, data=payload)
        assert response.status_code < 500
        if response.status_code != 302:
            with app.app_context():
                user = db.session.scalar(select(User))
                assert user.full_name == snapshot["full_name"]
                assert user.password_hash == snapshot["password_hash"]


@RANDOM
@given(code=st.text(max_size=400), query=st.text(max_size=400))
def test_certificate_verification(app, code, query):
    client = app.test_client()
    response = client.get("/verify/" + code.replace("/", "x").replace("?", "x").replace("#", "x"))
    assert response.status_code == 404
    # A control character (NUL above all) is refused before any query.
    expected = (400,) if has_control_characters(query) else (200, 302, 422)
    assert client.get("/verify", query_string={"code": query}).status_code in expected


@RANDOM
@given(body=st.binary(max_size=2000),
       # header values without control characters: no HTTP client could send those
       signature=st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=100),
       token=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=60))
def test_push_hook(app, client, monkeypatch, body, signature, token):
    monkeypatch.setitem(app.config, "COURSES_HOOK_SECRET", "the-secret")
    for headers in ({"X-Hub-Signature-256": signature}, {"X-Gitlab-Token": token}, {}):
        response = client.post("/hooks/courses", data=body, headers=headers)
        assert response.status_code in (401, 403), response.status_code
    digest = hmac.new(b"wrong", body, hashlib.sha256).hexdigest()
    response = client.post("/hooks/courses", data=body,
                           headers={"X-Hub-Signature-256": f"sha256={digest}"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 0


@RANDOM
@given(lang=HOSTILE, target=HOSTILE)
def test_language_switch(app, client, lang, target):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": lang, "next": target,
                                               "csrf_token": token})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//")
