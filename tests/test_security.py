import pytest
from flask_migrate import upgrade
from sqlalchemy.exc import OperationalError

from elearn.auth.models import Role, User
from elearn.extensions import db
from tests.apps import make_app
from tests.web import login


def test_security_headers_on_every_response(client):
    for path in ("/", "/account/login", "/nowhere", "/healthz", "/static/style.css"):
        response = client.get(path)
        response.close()
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_and_secure_cookie_over_https(app, make_user):
    client = app.test_client()
    user_id = make_user()
    response = client.get("/account/login", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    from elearn.auth.models import User
    from elearn.extensions import db
    from tests.web import csrf_token

    with app.app_context():
        email = db.session.get(User, user_id).email
    token = csrf_token(client, "https://localhost/account/login")
    response = client.post(
        "/account/login", base_url="https://localhost",
        headers={"Referer": "https://localhost/account/login"},  # checked over https
        data={"email": email, "password": "correct horse battery staple", "csrf_token": token},
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_flags_over_http(app, make_user, client):
    response = login(client, app, make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": True}


def test_healthz_answers_503_when_the_database_is_gone(database_url):
    app = make_app("sqlite:////nonexistent-folder/elearn.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] is False


def test_healthz_answers_503_when_the_sqlite_file_is_read_only(tmp_path):
    writable = make_app("sqlite:///" + str(tmp_path / "elearn.sqlite"))
    with writable.app_context():
        upgrade()
    assert writable.test_client().get("/healthz").status_code == 200
    # What SQLite sees when the server's user may read the file but not write it
    # (file permissions do not stop root, who runs CI; SQLite's read-only mode does).
    read_only = make_app(f"sqlite:///file:{tmp_path / 'elearn.sqlite'}?mode=ro&uri=true")
    response = read_only.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": False}


def test_database_error_gives_a_clean_503_page(app, make_user, monkeypatch):
    client = app.test_client()
    login(client, app, make_user())

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    from elearn.extensions import db

    monkeypatch.setattr(db.session, "execute", broken)
    monkeypatch.setattr(db.session, "scalar", broken)
    response = client.get("/account/profile", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "temporarily unavailable" in html
    assert "Traceback" not in html and "server closed" not in html


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):


    from elearn import create_app

    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "dev-only-change-me", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "PUBLIC_URL": "https://mokymai.example.lt"})
    assert app.config["SECRET_KEY"] == "x" * 40


def test_login_failures_are_rate_limited(rate_limited_app, make_user):
    client = rate_limited_app.test_client()
    make_user(email="ona@example.lt")
    from elearn.auth.throttle import SIGN_IN
    from tests.web import csrf_token

    statuses = []
    for _ in range(SIGN_IN.pair.free + 3):
        token = csrf_token(client, "/account/login")
        response = client.post("/account/login", data={
            "email": "ona@example.lt", "password": "wrong guess number", "csrf_token": token})
        statuses.append(response.status_code)
    # A few typos cost nothing; then the next try waits (seconds at first, see
    # tests/auth/test_sign_in_limits.py for the whole shape).
    assert statuses == [422] * (SIGN_IN.pair.free + 1) + [429, 429]


def test_nul_characters_are_refused_before_any_query(client):
    assert client.get("/verify/abc%00def").status_code == 404
    assert client.get("/verify", query_string={"code": "abc\x00"}).status_code == 400
    assert client.post("/account/login", data={"email": "a\x00@example.lt"}).status_code == 400


def test_navigation_marks_the_current_section(app, client, login_as):
    from elearn.auth.models import Role

    login_as(Role.ADMIN, municipality=None)
    html = client.get("/national").get_data(as_text=True)
    current = [line for line in html.splitlines() if 'aria-current="page"' in line]
    assert len(current) == 1 and 'href="/national"' in current[0]


@pytest.mark.parametrize("target", [
    "//evil.example/", "/\t/evil.example", "/\\evil.example", "https://evil.example/",
    "/\r\n/evil.example", "javascript:alert(1)", "",
])
def test_redirect_targets_stay_on_this_site(client, target):
    from tests.web import csrf_token

    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": "en", "next": target, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_huge_ids_are_not_found(client, login_as):
    login_as()
    assert client.get("/certificates/99999999999999999999").status_code == 404
    assert client.get("/certificates/99999999999999999999.pdf").status_code == 404


def test_sessions_expire(app, client, login_as):
    login_as()
    with client.session_transaction() as session:
        assert session.permanent
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() <= 24 * 3600


def test_signed_in_pages_are_not_kept_in_the_browser_cache(app, client, login_as):
    """Finding 8: a shared office PC's browser kept supervisors' and learners' pages."""
    anonymous = client.get("/account/login")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    login_as(Role.ADMIN, municipality="LT-57")
    pages = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
             and not rule.rule.startswith("/hooks")]
    pages += ["/supervision/LT-57", "/supervision/LT-57/assignments", "/supervision/LT-57/import",
              "/supervision/LT-57/contacts", "/learn/nowhere"]
    assert "/account/profile" in pages and "/supervision" in pages
    for path in pages:
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "private, no-store", path
        assert "Cookie" in response.headers.get("Vary", ""), path
    static = client.get("/static/style.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_cookies_are_secure_whenever_the_public_address_is_https(database_url, make_user):
    """Without a proxy that says https, PUBLIC_URL alone makes the cookie Secure."""
    from tests.web import csrf_token

    app = make_app(database_url, PUBLIC_URL="https://mokymai.example.lt")
    user_id = make_user()
    client = app.test_client()
    with app.app_context():
        email = db.session.get(User, user_id).email
    token = csrf_token(client, "/account/login")
    response = client.post("/account/login", data={
        "email": email, "password": "correct horse battery staple", "csrf_token": token})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
