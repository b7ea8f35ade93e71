from sqlalchemy import select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.mail import outbox

STRONG = "velvet lantern orbit meadow"


def test_users_create_asks_for_the_password_without_echo(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "Vadove@Example.lt", "--name", "Daiva Vadovė",
              "--role", "supervisor", "--municipality", "LT-57"],
        input=f"{STRONG}\n{STRONG}\n",
    )
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "vadove@example.lt"
        assert user.role == "supervisor"
        assert [m.code for m in user.supervised] == ["LT-57"]


def test_users_create_refuses_weak_password_unknown_municipality_and_duplicates(app, runner):
    weak = runner.invoke(args=["users", "create", "--email", "a@example.lt", "--name", "A",
                               "--municipality", "LT-57"], input="password123\npassword123\n")
    assert weak.exit_code != 0
    unknown = runner.invoke(args=["users", "create", "--email", "a@example.lt", "--name", "A",
                                  "--municipality", "LT-99", "--invite"])
    assert unknown.exit_code != 0 and "unknown municipality" in unknown.output
    ok = runner.invoke(args=["users", "create", "--email", "a@example.lt", "--name", "A",
                             "--municipality", "LT-13", "--invite"])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(args=["users", "create", "--email", "A@example.lt", "--name", "A",
                                "--municipality", "LT-13", "--invite"])
    assert again.exit_code != 0 and "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
        assert "/account/invitation/" in outbox()[-1].get_content()


def test_set_role_scopes_supervisors(app, runner, make_user):
    make_user(email="s@example.lt")
    result = runner.invoke(args=["users", "set-role", "s@example.lt", "supervisor",
                                 "--municipality", "LT-57", "--municipality", "LT-58"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["users", "set-role", "s@example.lt", "supervisor",
                              "--municipality", "LT-99"])
    assert bad.exit_code != 0
    with app.app_context():
        user = db.session.scalar(select(User))
        assert sorted(m.code for m in user.supervised) == ["LT-57", "LT-58"]


def test_municipalities_load(runner):
    result = runner.invoke(args=["municipalities", "load"])
    assert result.exit_code == 0, result.output
    assert "LT: 60 municipalities (0 added, 0 renamed)" in result.output
    missing = runner.invoke(args=["municipalities", "load", "--country", "EE"])
    assert missing.exit_code != 0


def test_demo_prints_logins_that_work(app, runner, monkeypatch):
    from elearn import PROJECT_ROOT
    from tests.conftest import csrf_token

    monkeypatch.setitem(app.config, "COURSES_DIR", str(PROJECT_ROOT / "courses"))
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "published: recognising-victims, referral, teamwork, victims-rights" in result.output
    again = runner.invoke(args=["demo"])  # a second run works and renews the passwords
    assert again.exit_code == 0, again.output
    lines = [line.split() for line in again.output.splitlines() if "@demo.example.lt" in line]
    assert len(lines) >= 6
    email, password = lines[0][0], lines[0][1]
    client = app.test_client()
    token = csrf_token(client, "/account/login")
    response = client.post("/account/login",
                           data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302
    catalogue = client.get("/courses").get_data(as_text=True)
    for course_id in ("recognising-victims", "referral", "teamwork", "victims-rights"):
        assert f'href="/learn/{course_id}"' in catalogue
