"""Staff import: the files offices have (CSV in UTF-8 or a Windows code page, commas or
semicolons, XLSX), a preview before anything is created, all or nothing, every problem
with its row number in the supervisor's language, invitations after."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.mail import outbox
from elearn.supervision import importing
from tests.web import csrf_token

URL = "/supervision/LT-57/import"
CONFIRM = "/supervision/LT-57/import/confirm"


def _upload(client, content: bytes, filename: str = "staff.csv", encoding: str = "auto",
            lang: str = "en"):
    with client.session_transaction() as session:
        session["lang"] = lang  # the language the supervisor reads
    token = csrf_token(client, URL)
    return client.post(URL, data={"csrf_token": token, "encoding": encoding,
                                  "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data", headers={"Accept-Language": lang})


def _confirm(client, preview_html: str):
    rows = re.search(r'name="rows"[^>]*value="([^"]+)"', preview_html)
    assert rows, "the preview offers no confirmation"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', preview_html)
    return client.post(CONFIRM, data={"csrf_token": token.group(1), "rows": rows.group(1)})


def _import(client, content: bytes, filename: str = "staff.csv"):
    """Upload, check the preview created nothing, confirm."""
    response = _upload(client, content, filename)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Preview: nothing is created yet" in html
    return _confirm(client, html)


def _accounts(app, code: str = "LT-57") -> dict[str, User]:
    with app.app_context():
        users = db.session.scalars(select(User).where(User.municipality_code == code)).all()
        return {u.email: (u.full_name, u.workplace, u.profession, u.password_hash) for u in users}


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_file_with_bom_and_semicolons_in_lithuanian(app, client, signed_in_supervisor):
    content = ("\ufeffVardas;El. paštas;Darbovietė;Profesija\r\n"
               "Ona Žemaitytė;Ona@Example.LT;Socialinių paslaugų centras;Socialinis darbuotojas\r\n"
               "Jonas Kazlauskas;jonas@example.lt;Mokykla;teacher\r\n"
               ";;;\r\n").encode("utf-8")
    preview = _upload(client, content)
    html = preview.get_data(as_text=True)
    assert "CSV file, UTF-8, columns separated by semicolons" in html
    assert "2 accounts will be created" in html and "Ona Žemaitytė" in html
    assert _accounts(app) == {} or "ona@example.lt" not in _accounts(app)  # nothing yet
    with app.app_context():
        assert outbox() == []
    response = _confirm(client, html)
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


def test_windows_1257_csv_from_excel_with_feminine_titles(app, client, signed_in_supervisor):
    content = ("Vardas, pavardė;El. paštas;Darbovietė;Pareigos\r\n"
               "Rūta Šimkienė;ruta@example.lt;Vaiko gerovės centras;socialinė darbuotoja\r\n"
               "Aušra Žukauskienė;ausra@example.lt;Poliklinika;Slaugytoja\r\n"
               "Dalia Ūsienė;dalia@example.lt;Komisariatas;policijos pareigūnė\r\n"
               "Eglė Kėžaitė;egle@example.lt;Gimnazija;socialinė pedagogė\r\n").encode("cp1257")
    html = _upload(client, content).get_data(as_text=True)
    assert "Windows-1257 (Baltic)" in html and "semicolons" in html
    assert "Rūta Šimkienė" in html
    assert _confirm(client, html).status_code == 200
    accounts = _accounts(app)
    assert accounts["ruta@example.lt"][:3] == ("Rūta Šimkienė", "Vaiko gerovės centras",
                                               "social_worker")
    assert accounts["ausra@example.lt"][2] == "health_specialist"
    assert accounts["dalia@example.lt"][2] == "police_officer"
    assert accounts["egle@example.lt"][2] == "teacher"


def test_windows_1252_and_a_chosen_encoding(app, client, signed_in_supervisor):
    content = ("name,email,workplace,profession\n"
               "Señora Núñez,n@example.lt,Hôtel de Ville,other\n").encode("cp1252")
    html = _upload(client, content).get_data(as_text=True)
    assert "Windows-1252 (Western European)" in html and "commas" in html
    assert "Señora Núñez" in html and "Hôtel de Ville" in html
    # A file that reads as Baltic as well as Western is read as Baltic (these are Baltic
    # offices), the preview says so, and the supervisor can choose the encoding.
    content = ("name,email,workplace,profession\n"
               "François Crème,f@example.lt,Centre,other\n").encode("cp1252")
    html = _upload(client, content).get_data(as_text=True)
    assert "Windows-1257 (Baltic)" in html and "Franēois Crčme" in html
    html = _upload(client, content, encoding="cp1252").get_data(as_text=True)
    assert "Windows-1252" in html and "François Crème" in html
    html = _upload(client, "name,email,workplace,profession\nŽ,z@example.lt,X,other\n"
                   .encode("cp1257"), encoding="utf-8").get_data(as_text=True)
    assert "The file is not UTF-8 text" in html


def test_xlsx_with_lithuanian_headings_and_feminine_titles(app, client, signed_in_supervisor):
    content = _xlsx([["Vardas ir pavardė", "El. pašto adresas", "Darbovietė", "Profesija"],
                     ["Ona Petraitienė", "ona@example.lt", "Socialinių paslaugų centras",
                      "Socialinė darbuotoja"],
                     [None, None, None, None],
                     ["Inga Jonaitė", "inga@example.lt", "NVO „Gilė“", "NVO darbuotoja"]])
    response = _import(client, content, filename="darbuotojai.xlsx")
    assert response.status_code == 200
    accounts = _accounts(app)
    assert accounts["ona@example.lt"][2] == "social_worker"
    assert accounts["inga@example.lt"][1:3] == ("NVO „Gilė“", "ngo_worker")


def test_utf8_without_a_byte_order_mark(app, client, signed_in_supervisor):
    content = ("Vardas;El. paštas;Darbovietė;Profesija\n"
               "Žydrūnė Čepaitė;zydrune@example.lt;Centras;socialinė darbuotoja\n").encode()
    html = _upload(client, content).get_data(as_text=True)
    assert "CSV file, UTF-8, columns separated by semicolons" in html
    assert _confirm(client, html).status_code == 200
    assert _accounts(app)["zydrune@example.lt"][:3] == ("Žydrūnė Čepaitė", "Centras",
                                                        "social_worker")


def test_commas_and_english_labels_case_insensitive(app, client, signed_in_supervisor):
    content = b"name,email,workplace,profession\nA Person,a@example.lt,Centre,POLICE OFFICER\n"
    assert _import(client, content).status_code == 200
    assert _accounts(app)["a@example.lt"][2] == "police_officer"


def test_every_bad_row_is_reported_and_nothing_is_imported(app, client, make_user,
                                                          signed_in_supervisor):
    make_user(email="kaunas@example.lt", municipality="LT-15")
    content = (
        b"name,email,workplace,profession\n"
        b"Good Person,good@example.lt,Centre,teacher\n"      # row 2: fine
        b",missing@example.lt,Centre,teacher\n"              # row 3: no name
        b"Bad Mail,not-an-address,Centre,teacher\n"          # row 4
        b"Twice,good@example.lt,Centre,teacher\n"            # row 5: duplicate of row 2
        b"Elsewhere,kaunas@example.lt,Centre,teacher\n"      # row 6: another municipality
        b"Odd Job,odd@example.lt,Centre,astronaut\n"         # row 7
        b"Short Row,short@example.lt\n"                      # row 8
    )
    response = _upload(client, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in html
    assert 'name="rows"' not in html  # no confirmation offered
    for line in ("row 3: the name is empty", "row 4: “not-an-address” is not an e-mail",
                 "row 5: good@example.lt is also on row 2",
                 "row 6: kaunas@example.lt cannot be imported here; ask the national coordinator",
                 "row 7: unknown profession “astronaut”", "row 8: the workplace is empty"):
        assert line in html, line
    assert "LT-15" not in html and "Kaunas" not in html  # which municipality is not said
    assert "account" not in html.split("row 6:", 1)[1].split("row 7", 1)[0]  # nor that one is
    assert "good@example.lt" not in _accounts(app)
    with app.app_context():
        assert outbox() == []


def test_an_empty_cell_is_named_in_the_supervisors_language(app, client, signed_in_supervisor):
    content = ("Vardas;El. paštas;Darbovietė;Profesija\r\n"
               "Ona;ona@example.lt;;socialinė darbuotoja\r\n").encode("cp1257")
    html = _upload(client, content, lang="lt").get_data(as_text=True)
    assert "2 eilutė: neužpildyta darbovietė" in html
    html = _upload(client, content, lang="en").get_data(as_text=True)
    assert "row 2: the workplace is empty" in html
    html = _upload(client, b"full name;mail\nA;b\n", lang="lt").get_data(as_text=True)
    assert "trūksta: „El. pašto adresas“, „Darbovietė“, „Profesija“" in html


def test_existing_accounts_of_this_municipality_are_skipped(app, client, make_user,
                                                            signed_in_supervisor):
    make_user(email="here@example.lt", municipality="LT-57", full_name="Already Here")
    content = b"name,email,workplace,profession\nAlready Here,HERE@example.lt,X,other\n" \
              b"New One,new@example.lt,X,other\n"
    preview = _upload(client, content).get_data(as_text=True)
    assert "1 account will be created" in preview and "row 2: here@example.lt" in preview
    html = _confirm(client, preview).get_data(as_text=True)
    assert "1 account created" in html
    assert "row 2: here@example.lt" in html
    with app.app_context():
        assert [m["To"] for m in outbox()] == ["new@example.lt"]


def test_a_confirmation_checks_again_and_stores_all_or_nothing(app, client, make_user,
                                                               signed_in_supervisor):
    content = b"name,email,workplace,profession\nA,a@example.lt,X,other\nB,b@example.lt,X,other\n"
    preview = _upload(client, content).get_data(as_text=True)
    make_user(email="b@example.lt", municipality="LT-15")  # registered in between
    response = _confirm(client, preview)
    assert response.status_code == 409
    assert "row 3: b@example.lt cannot be imported here" in response.get_data(as_text=True)
    assert "a@example.lt" not in _accounts(app)


def test_a_forged_or_foreign_preview_creates_nothing(app, client, signed_in_supervisor):
    content = b"name,email,workplace,profession\nA,a@example.lt,X,other\n"
    preview = _upload(client, content).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', preview).group(1)
    rows = re.search(r'name="rows"[^>]*value="([^"]+)"', preview).group(1)
    response = client.post(CONFIRM, data={"csrf_token": token, "rows": rows[:-2] + "xx"})
    assert response.status_code == 422
    assert "upload the file again" in response.get_data(as_text=True)
    with app.test_request_context():
        assert importing.rows_from_token(rows, "LT-57", signed_in_supervisor)
        # Neither another municipality nor another supervisor can replay it.
        assert importing.rows_from_token(rows, "LT-15", signed_in_supervisor) is None
        assert importing.rows_from_token(rows, "LT-57", signed_in_supervisor + 1) is None
    assert "a@example.lt" not in _accounts(app)


def test_templates_in_both_formats_are_headed_in_the_supervisors_language(client,
                                                                          signed_in_supervisor):
    with client.session_transaction() as session:
        session["lang"] = "lt"
    response = client.get(URL + "/template.csv")
    assert response.status_code == 200
    assert response.data.decode("utf-8-sig").splitlines()[0] == \
        "Vardas ir pavardė;El. pašto adresas;Darbovietė;Profesija"
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = client.get(URL + "/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == ["Name", "E-mail address", "Workplace", "Profession"]
    assert client.get("/supervision/LT-15/import/template.csv").status_code == 404


def test_header_problems_and_unreadable_files(app, client, signed_in_supervisor):
    html = _upload(client, b"full name;mail\nA;b\n").get_data(as_text=True)
    assert "row 1: the first row must head the columns" in html
    assert "The file is empty." in _upload(client, b"\n\n").get_data(as_text=True)
    html = _upload(client, b"PK\x03\x04 not really a workbook", "x.xlsx").get_data(as_text=True)
    assert "could not be read as an Excel workbook" in html
    assert "neither a CSV text file" in _upload(client, b"a\x00b").get_data(as_text=True)
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


def test_only_spreadsheet_files(client, signed_in_supervisor):
    response = _upload(client, b"name,email,workplace,profession\n", filename="staff.pdf")
    assert response.status_code == 422
    assert "Upload an .xlsx or .csv file." in response.get_data(as_text=True)


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
    with app.test_request_context(headers={"Accept-Language": "en"}):
        report = importing.preview(("name,email,workplace,profession\n" + rows).encode(), "LT-57")
    assert report.errors == ["row 5002: a file may hold at most 5000 people; split it into "
                             "several files"]


def test_binary_and_overlong_files_are_refused_with_a_row(app):
    from elearn.supervision import staff_files

    with app.test_request_context(headers={"Accept-Language": "en"}):
        sheet = staff_files.read(("name,email,workplace,profession\n" + '"' + "x" * 200_000
                                  + '"\n').encode())
    assert sheet.error and sheet.error.startswith("row 2:")
    assert staff_files.decode(b"name,email\x00,workplace") is None
    # Bytes that only one code page defines are read in that one.
    assert staff_files.decode(b"\x9d\xb8") == ("¯ø", "cp1257")  # 0x9d: not in 1252
    assert staff_files.decode(b"\xa5 Ten") == ("¥ Ten", "cp1252")  # 0xa5: not in 1257


def test_a_workbook_that_unpacks_to_too_much_is_refused_unopened(app):
    import zipfile

    from elearn.supervision import staff_files

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (staff_files.MAX_UNPACKED + 1))
    assert len(out.getvalue()) < importing.MAX_BYTES  # small enough to upload
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sheet = staff_files.read(out.getvalue())
    assert sheet.error and "could not be read as an Excel workbook" in sheet.error


def test_a_latvian_office_file_with_latvian_headings_and_feminine_titles(latvian_app,
                                                                          make_user):
    """Excel in Latvia saves Windows-1257 with semicolons too; titles in the masculine and
    the feminine, headings in Latvian, the preview and its errors in Latvian."""
    from elearn.auth.models import Role
    from tests.web import login

    supervisor = make_user(Role.SUPERVISOR, municipality="LV-RIX", supervises=("LV-RIX",),
                           locale="lv")
    client = latvian_app.test_client()
    assert login(client, latvian_app, supervisor).status_code == 302
    url = "/supervision/LV-RIX/import"
    content = ("Vārds, uzvārds;E-pasts;Darbavieta;Amats\r\n"
               "Līga Ozoliņa;liga@example.lv;Sociālais dienests;sociālā darbiniece\r\n"
               "Jānis Kalns;janis@example.lv;Skola;skolotājs\r\n"
               "Inese Vītola;inese@example.lv;Poliklīnika;medicīnas māsa\r\n").encode("cp1257")
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "encoding": "auto",
                                      "file": (io.BytesIO(content), "darbinieki.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert '<html lang="lv"' in html and "Līga Ozoliņa" in html
    rows = re.search(r'name="rows"[^>]*value="([^"]+)"', html).group(1)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert client.post(url + "/confirm", data={"csrf_token": token, "rows": rows}
                       ).status_code == 200
    accounts = _accounts(latvian_app, "LV-RIX")
    assert accounts["liga@example.lv"][:3] == ("Līga Ozoliņa", "Sociālais dienests",
                                               "social_worker")
    assert accounts["janis@example.lv"][2] == "teacher"
    assert accounts["inese@example.lv"][2] == "health_specialist"
    with latvian_app.app_context():
        assert {u.locale for u in db.session.scalars(
            select(User).where(User.municipality_code == "LV-RIX", User.email.like("%.lv")))
        } == {"lv"}

    empty = "Vārds;E-pasts;Darbavieta;Amats\r\nAnna Bērziņa;anna@example.lv;;cits\r\n"
    token = csrf_token(client, url)
    html = client.post(url, data={"csrf_token": token, "encoding": "auto",
                                  "file": (io.BytesIO(empty.encode()), "x.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    with latvian_app.test_request_context():
        from flask_babel import force_locale, gettext

        with force_locale("lv"):
            message = gettext("the workplace is empty")
    assert message != "the workplace is empty" and message in html
