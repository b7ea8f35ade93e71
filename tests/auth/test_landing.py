"""Where people land: each role on its main page after signing in, registration in the
language the page was read in, and what an anonymous visitor can find."""

import re

import pytest

from elearn.auth.models import Role, User
from elearn.extensions import db
from elearn.mail import outbox
from tests.factories import PASSWORD, insert_course
from tests.web import csrf_token, login


@pytest.mark.parametrize(("role", "supervises", "landing"), [
    (Role.LEARNER, (), "/"),
    (Role.SUPERVISOR, ("LT-57",), "/supervision"),
    (Role.ADMIN, (), "/national"),
    (Role.AUTHOR, (), "/publishing"),
])
def test_each_role_lands_on_its_main_page_and_can_reach_my_learning(app, client, make_user,
                                                                     role, supervises, landing):
    user_id = make_user(role, supervises=supervises)
    response = login(client, app, user_id)
    assert response.headers["Location"] == landing
    html = client.get(landing, follow_redirects=True).get_data(as_text=True)
    menu = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/"' in menu and "My learning" in menu


def test_a_page_asked_for_before_signing_in_wins_over_the_landing_page(app, client, make_user):
    user_id = make_user(Role.SUPERVISOR, supervises=("LT-57",))
    with app.app_context():
        email = db.session.get(User, user_id).email
    response = client.post("/account/login?next=/certificates", data={
        "email": email, "password": PASSWORD, "csrf_token": csrf_token(client, "/account/login")})
    assert response.headers["Location"] == "/certificates"


@pytest.mark.parametrize("lang", ["en", "lt"])
def test_registration_offers_the_language_the_page_is_read_in(app, lang):
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    html = visitor.get("/account/register").get_data(as_text=True)
    chosen = html.split('name="locale"', 1)[1].split("</select>", 1)[0]
    assert f'selected value="{lang}"' in chosen or f'value="{lang}" selected' in chosen


def test_an_english_registration_keeps_english(app):
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {"full_name": "Emma Brown", "email": "emma@example.lt", "municipality": "LT-57",
            "workplace": "Day centre", "profession": "social_worker",
            "locale": "en",  # what the English page offered, left as it was
            "password": PASSWORD, "confirm": PASSWORD,
            "csrf_token": csrf_token(visitor, "/account/register")}
    answer = visitor.post("/account/register", data=data)
    assert answer.status_code == 200 and "Check your e-mail" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(User.locale)) == "en"
        link = re.search(r"http://localhost(/account/confirm/\S+)",
                         outbox()[-1].get_content()).group(1)
    signed_in = visitor.post(link, data={"csrf_token": csrf_token(visitor, link)})
    assert signed_in.status_code == 302
    assert "My learning" in visitor.get("/").get_data(as_text=True)


def test_anonymous_visitors_see_the_published_courses(app, client):
    with app.app_context():
        insert_course("demo", order=1)
        insert_course("hidden", published=False)
    html = client.get("/catalogue").get_data(as_text=True)
    main = html.split("<main", 1)[1]
    assert "Course demo [en]" in main and "Course hidden" not in main
    assert "Summary of demo [en]" in main
    assert "Training time: 2 hours" in main and "Languages: Lithuanian, English" in main
    assert 'href="/account/register"' in main


def test_signed_in_people_get_their_own_catalogue(client, login_as):
    login_as()
    assert client.get("/catalogue").headers["Location"] == "/courses"


def test_verify_a_certificate_is_linked_from_the_home_page_and_the_footer(client):
    html = client.get("/").get_data(as_text=True)
    main, footer = html.split("<main", 1)[1].split("</main>", 1)
    assert 'href="/verify"' in main and "Verify a certificate" in main
    assert 'href="/verify"' in footer.split('class="site-footer"', 1)[1]
    assert 'href="/catalogue"' in main and 'href="/catalogue"' in footer


def test_verify_a_certificate_is_in_the_header_and_on_the_sign_in_page(client, login_as):
    html = client.get("/account/login").get_data(as_text=True)
    header = html.split('class="site-header"', 1)[1].split("</header>", 1)[0]
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/verify"' in header
    assert 'href="/verify"' in main and "Checking someone's certificate?" in main
    login_as()
    header = client.get("/").get_data(as_text=True).split("</header>", 1)[0]
    assert 'href="/verify"' not in header  # signed-in menus stay short; the footer has it
