"""Commands of no single feature: the municipality list and the demo."""

from __future__ import annotations


def test_municipalities_load(runner):
    result = runner.invoke(args=["municipalities", "load"])
    assert result.exit_code == 0, result.output
    assert "LT: 60 municipalities (0 added, 0 renamed)" in result.output
    missing = runner.invoke(args=["municipalities", "load", "--country", "EE"])
    assert missing.exit_code != 0


def test_demo_prints_logins_that_work(app, runner, monkeypatch):
    from elearn import PROJECT_ROOT
    from tests.web import csrf_token

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
