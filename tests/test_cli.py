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
    assert ("published: recognising-referring-latvia, recognising-victims, referral, teamwork, "
            "victims-rights" in result.output)
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


def test_demo_of_a_latvian_deployment(latvian_app, database_url, monkeypatch):
    """`flask demo --country LV` on a platform started for Lithuania: Latvian people in
    three local governments, the course for Latvia, the interface in Latvian."""
    import re

    from elearn import PROJECT_ROOT
    from tests.apps import make_app
    from tests.web import csrf_token

    app = make_app(database_url, COURSES_DIR=str(PROJECT_ROOT / "courses"))
    result = app.test_cli_runner().invoke(args=["demo", "--country", "lv"])
    assert result.exit_code == 0, result.output
    assert app.config["COUNTRY"] == "LV" and app.config["LANGUAGES"] == ("lv", "en")
    logins = {line.split()[0]: line.split()[1] for line in result.output.splitlines()
              if "@demo.example.lv" in line}
    assert not any("@demo.example.lt" in line for line in result.output.splitlines())
    places = set(re.findall(r"\((LV-[A-Z0-9]+)\)", result.output))
    assert places == {"LV-RIX", "LV-DGV", "LV-LPX"}

    client = app.test_client()
    token = csrf_token(client, "/account/login")
    response = client.post("/account/login", data={
        "email": "anna@demo.example.lv", "password": logins["anna@demo.example.lv"],
        "csrf_token": token})
    assert response.status_code == 302
    catalogue = client.get("/courses").get_data(as_text=True)
    assert '<html lang="lv"' in catalogue
    assert 'href="/learn/recognising-referring-latvia"' in catalogue
    assert 'href="/learn/recognising-victims"' not in catalogue  # Lithuanian law

    admin = app.test_client()
    token = csrf_token(admin, "/account/login")
    admin.post("/account/login", data={
        "email": "admin@demo.example.lv", "password": logins["admin@demo.example.lv"],
        "csrf_token": token})
    national = admin.get("/national").get_data(as_text=True)
    assert len(re.findall(r'<th scope="row"><a href="/supervision/LV-', national)) == 42
