"""Finding 1 and 2 as a property: NUL bytes, other control characters, surrogates and
ids beyond the integer range, posted as form, multipart or JSON bodies to every POST
endpoint of the URL map, never give a 5xx and never leave a control character in the
database. CI runs it on SQLite and on PostgreSQL (which refuses NUL outright)."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from elearn.auth.models import Role
from elearn.extensions import db
from elearn.inputs import MAX_ID, has_control_characters
from tests.factories import insert_course
from tests.web import csrf_token, login

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),  # any code point, surrogates and controls included
    st.sampled_from(["\x00", "a\x00b", "\ud800", "\udfff", "\x1b[2J", "\x7f", "\x85",
                     "ok\r\nline", "LT-57", "demo", "signs", "2030-01-01", "learners"]),
)
HOSTILE_ID = st.sampled_from([str(MAX_ID + 1), "99999999999999999999", "-1", "0", "1",
                              "1e9", "١٢", str(2**63), "1\x00"])
FIELD_NAMES = ["csrf_token", "email", "password", "confirm", "full_name", "municipality",
               "workplace", "profession", "locale", "lang", "next", "code", "reason",
               "attempt", "q-0", "q-1", "course", "due_on", "target", "learners", "role",
               "organisation_local", "phone", "hours_en", "current_password", "file", "\x00"]
BODY = st.dictionaries(st.sampled_from(FIELD_NAMES), st.one_of(HOSTILE_TEXT, HOSTILE_ID),
                       max_size=8)
PATH_VALUES = {"course_id": "demo", "module_key": "signs", "code": "LT-57", "token": "x" * 20,
               "attempt_id": "1", "certificate_id": "1", "contact_id": "1", "user_id": "1"}
# Bounded so the whole property runs in well under a minute on either database.
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _post_endpoints(app) -> list[tuple[str, list[str]]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            rules.append((rule.rule, sorted(rule.arguments)))
    return sorted(rules)


def _url(rule: str, arguments: list[str], hostile: dict[str, str]) -> str:
    url = rule
    for name in arguments:
        value = hostile.get(name, PATH_VALUES.get(name, "x"))
        url = url.replace(f"<{name}>", quote(value.encode("utf-8", "surrogatepass"), safe=""))
        for kind in ("int", "path", "int(max=2147483647)"):
            url = url.replace(f"<{kind}:{name}>",
                              quote(value.encode("utf-8", "surrogatepass"), safe=""))
    return url


def _form_bytes(fields: dict[str, str]) -> bytes:
    """URL-encoded by hand: a browser cannot send a lone surrogate, but bytes can try."""
    return "&".join(
        f"{quote(k.encode('utf-8', 'surrogatepass'))}={quote(v.encode('utf-8', 'surrogatepass'))}"
        for k, v in fields.items()).encode()


def _stored_control_characters() -> list[str]:
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                text = json.dumps(value, ensure_ascii=False) if isinstance(
                    value, dict | list) else value
                if isinstance(text, str) and has_control_characters(
                        text.replace("\\n", "").replace("\\t", "")):
                    found.append(f"{table.name}.{column}")
    return found


@pytest.fixture
def admin(app, client, make_user):
    with app.app_context():
        insert_course("demo")
    return make_user(Role.ADMIN, municipality="LT-57")


def _signed_in_token(app, client, user_id: int) -> str:
    """The CSRF token of a signed-in session (again after a fuzzed logout)."""
    with client.session_transaction() as session:
        signed_in = "_user_id" in session
    if not signed_in or not getattr(client, "fuzz_token", None):
        login(client, app, user_id)
        client.fuzz_token = csrf_token(client, "/account/profile")
    return client.fuzz_token


@PROPERTY
@given(endpoint=st.data(), body=BODY, kind=st.sampled_from(["form", "multipart", "json"]),
       path=st.dictionaries(st.sampled_from(sorted(PATH_VALUES)), HOSTILE_ID | HOSTILE_TEXT,
                            max_size=2))
def test_hostile_bodies_to_every_post_endpoint(app, client, admin, endpoint, body, kind, path):
    token = _signed_in_token(app, client, admin)
    rule, arguments = endpoint.draw(st.sampled_from(_post_endpoints(app)), label="endpoint")
    url = _url(rule, arguments, path)
    fields = dict(body)
    if fields.get("csrf_token", "") == "":
        fields["csrf_token"] = token  # reach the view
    if kind == "form":
        response = client.post(url, data=_form_bytes(fields),
                               content_type="application/x-www-form-urlencoded")
    elif kind == "json":
        response = client.post(url, data=json.dumps(fields), content_type="application/json")
    else:  # werkzeug's multipart encoder takes text it can encode: no surrogates there
        fields = {k: v.encode("utf-8", "replace").decode() for k, v in fields.items()}
        fields["file"] = (io.BytesIO(b"name,email\n"), fields.get("\x00", "s.csv"))
        response = client.post(url, data=fields, content_type="multipart/form-data")
    assert response.status_code < 500, (rule, kind, response.status_code)
    sent = [*fields, *(v for v in fields.values() if isinstance(v, str))]
    if rule == "/hooks/courses":  # reads no field: an unsigned body is refused as such
        assert response.status_code in (401, 403, 404, 415), (kind, response.status_code)
    elif kind != "form" and any(has_control_characters(v) for v in sent):
        # (A form body cannot carry a lone surrogate: werkzeug keeps its bytes as typed.)
        assert response.status_code in (400, 404), (rule, kind, response.status_code)
    with app.app_context():
        assert _stored_control_characters() == []


def test_every_post_endpoint_is_in_the_property(app):
    """The property draws from the URL map itself: a new POST endpoint joins it."""
    endpoints = [rule for rule, _ in _post_endpoints(app)]
    assert "/account/register" in endpoints and "/hooks/courses" in endpoints
    assert "/supervision/<code>/assignments/new" in endpoints
    assert len(endpoints) >= 20
