"""Staff import: all or nothing, every problem with its line number, invitations after."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.mail import outbox
from elearn.supervision import importing
from tests.web import csrf_token

URL = "/supervision/LT-57/import"


def _upload(client, content: bytes, filename: str = "staff.csv"):
    token = csrf_token(client, URL)
    return client.post(URL, data={"csrf_token": token,
                                  "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _accounts(app, code: str = "LT-57") -> dict[str, User]:
    with app.app_context():
        users = db.session.scalars(select(User).where(User.municipality_code == code)).all()
        return {u.email: (u.full_name, u.workplace, u.profession, u.password_hash) for u in users}


def test_excel_file_with_bom_and_semicolons_in_lithuanian(app, client, signed_in_supervisor):
    content = ("\ufeffVardas;El. paštas;Darbovietė;Profesija\r\n"
               "Ona Žemaitytė;Ona@Example.LT;Socialinių paslaugų centras;Socialinis darbuotojas\r\n"
               "Jonas Kazlauskas;jonas@example.lt;Mokykla;teacher\r\n"
               ";;;\r\n").encode("utf-8")
    response = _upload(client, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "2 accounts created" in html
    accounts = _accounts(app)
    assert accounts["ona@example.lt"] == ("Ona Žemaitytė", "Socialinių paslaugų centras",
                                          "social_worker", None)
    assert accounts["jonas@example.lt"][2] == "teacher"
    with app.app_context():
        sent = {m["To"]: m for m in outbox()}
    assert set(sent) == {"ona@example.lt", "jonas@example.lt"}
    assert "/account/invitation/" in sent["ona@example.lt"].get_content()


def test_commas_and_english_labels_case_insensitive(app, client, signed_in_supervisor):
    content = b"name,email,workplace,profession\nA Person,a@example.lt,Centre,POLICE OFFICER\n"
    assert _upload(client, content).status_code == 200
    assert _accounts(app)["a@example.lt"][2] == "police_officer"


def test_every_bad_line_is_reported_and_nothing_is_imported(app, client, make_user,
                                                           signed_in_supervisor):
    make_user(email="kaunas@example.lt", municipality="LT-15")
    content = (
        b"name,email,workplace,profession\n"
        b"Good Person,good@example.lt,Centre,teacher\n"      # line 2: fine
        b",missing@example.lt,Centre,teacher\n"              # line 3: no name
        b"Bad Mail,not-an-address,Centre,teacher\n"          # line 4
        b"Twice,good@example.lt,Centre,teacher\n"            # line 5: duplicate of line 2
        b"Elsewhere,kaunas@example.lt,Centre,teacher\n"      # line 6: another municipality
        b"Odd Job,odd@example.lt,Centre,astronaut\n"         # line 7
        b"Short Row,short@example.lt\n"                      # line 8
    )
    response = _upload(client, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in html
    for line in ("line 3: name is missing", "line 4: “not-an-address” is not an e-mail",
                 "line 5: good@example.lt is also on line 2",
                 "line 6: kaunas@example.lt cannot be imported here; ask the national coordinator",
                 "line 7: unknown profession “astronaut”", "line 8: workplace is missing"):
        assert line in html, line
    assert "LT-15" not in html and "Kaunas" not in html  # which municipality is not said
    assert "account" not in html.split("line 6:", 1)[1].split("line 7", 1)[0]  # nor that one is
    assert "good@example.lt" not in _accounts(app)
    with app.app_context():
        assert outbox() == []


def test_existing_accounts_of_this_municipality_are_skipped(app, client, make_user,
                                                            signed_in_supervisor):
    make_user(email="here@example.lt", municipality="LT-57", full_name="Already Here")
    content = b"name,email,workplace,profession\nAlready Here,HERE@example.lt,X,other\n" \
              b"New One,new@example.lt,X,other\n"
    html = _upload(client, content).get_data(as_text=True)
    assert "1 account created" in html
    assert "line 2: here@example.lt" in html
    with app.app_context():
        assert [m["To"] for m in outbox()] == ["new@example.lt"]


def test_header_problems_and_encodings(app, client, signed_in_supervisor):
    html = _upload(client, b"full name;mail\nA;b\n").get_data(as_text=True)
    assert "line 1: the first line must name the columns" in html
    html = _upload(client, "name,email,workplace,profession\nŽ,z@example.lt,X,other\n"
                   .encode("cp1257")).get_data(as_text=True)
    assert "not UTF-8" in html
    assert "line 1: the file is empty" in _upload(client, b"\n\n").get_data(as_text=True)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(User))
    assert count == 1  # only the supervisor


def _multipart(token: str, content: bytes) -> tuple[bytes, str]:
    """The request body built here: the test client's own encoder leaves a temporary
    file open for large uploads (a ResourceWarning that is not the application's)."""
    boundary = "----elearn-test-boundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
        f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
        f"filename=\"staff.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_file_that_is_too_big_is_refused(client, signed_in_supervisor):
    token = csrf_token(client, URL)
    header = b"name,email,workplace,profession\n"
    # Just over the file limit: read and refused by the view.
    body, kind = _multipart(token, header + b"x" * (importing.MAX_BYTES + 100))
    assert client.post(URL, data=body, content_type=kind).status_code == 413
    # Far over it: refused before the body is read.
    body, kind = _multipart(token, header + b"x" * (3 * importing.MAX_BYTES))
    assert client.post(URL, data=body, content_type=kind).status_code == 413


def test_the_upload_needs_the_csrf_token(app, client, signed_in_supervisor):
    response = client.post(URL, data={"file": (io.BytesIO(b"name,email,workplace,profession\n"
                                                          b"A,a@example.lt,X,other\n"),
                                               "staff.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "a@example.lt" not in _accounts(app)


def test_only_csv_files(client, signed_in_supervisor):
    response = _upload(client, b"name,email,workplace,profession\n", filename="staff.xlsx")
    assert response.status_code == 422
    assert "Upload a .csv file." in response.get_data(as_text=True)


def test_a_failed_invitation_is_reported_but_the_accounts_stay(app, signed_in_supervisor):
    def failing(user):
        raise OSError("mail server down")

    with app.test_request_context():
        report = importing.import_staff(
            b"name,email,workplace,profession\nA,a@example.lt,X,other\n", "LT-57", failing)
    assert report.ok and report.not_invited == ["a@example.lt"]
    assert "a@example.lt" in _accounts(app)


def test_too_many_rows(app):
    rows = "".join(f"P{n},p{n}@example.lt,X,other\n" for n in range(importing.MAX_ROWS + 1))
    errors: list[str] = []
    with app.test_request_context(headers={"Accept-Language": "en"}):
        importing.parse("name,email,workplace,profession\n" + rows, errors)
    assert errors == ["line 5002: a file may hold at most 5000 people; split it into several "
                      "files"]


def test_binary_and_overlong_files_are_refused_with_a_line(app, client, login_as):
    from elearn.supervision import importing

    errors: list[str] = []
    assert importing.parse("name,email,workplace,profession\n" + '"' + "x" * 200_000 + '"\n',
                           errors) == []
    assert errors and errors[0].startswith("line 2:")
    assert importing.decode(b"name,email\x00,workplace") is None
