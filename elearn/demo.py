"""flask demo: a ready-to-try platform on an empty database, with demo logins."""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from elearn.auth import services as accounts
from elearn.auth.models import Profession, Role
from elearn.countries import COUNTRIES
from elearn.extensions import db
from elearn.learning.demo import add_demo_progress
from elearn.municipalities import load_municipalities
from elearn.publishing.services import sync_courses
from elearn.supervision.demo import add_demo_supervision

# (email, full name, role, municipality, workplace, profession, supervises), per country.
# Invented people; the workplaces are generic descriptions, not real offices.
DEMO_ACCOUNTS = {
    "LT": [
        ("admin@demo.example.lt", "Rasa Administratorė", Role.ADMIN, None, "", "other", ()),
        ("autorius@demo.example.lt", "Tomas Autorius", Role.AUTHOR, None, "", "other", ()),
        ("vadove@demo.example.lt", "Daiva Vadovė", Role.SUPERVISOR, "LT-57",
         "Vilniaus miesto socialinės paramos centras", "social_worker", ("LT-57",)),
        ("ona@demo.example.lt", "Ona Žemaitytė", Role.LEARNER, "LT-57",
         "Vilniaus miesto socialinės paramos centras", "social_worker", ()),
        ("jonas@demo.example.lt", "Jonas Kazlauskas", Role.LEARNER, "LT-57",
         "Vilniaus m. mokykla", "teacher", ()),
        ("egle@demo.example.lt", "Eglė Šimkutė", Role.LEARNER, "LT-15",
         "Kauno miesto socialinių paslaugų centras", "social_worker", ()),
        ("paulius@demo.example.lt", "Paulius Rimkus", Role.LEARNER, "LT-15",
         "Kauno apskrities policija", "police_officer", ()),
        ("ausra@demo.example.lt", "Aušra Jankauskienė", Role.LEARNER, "LT-21",
         "Klaipėdos rajono savivaldybė", "health_specialist", ()),
    ],
    # Latvia: people in three local governments (Rīga, Daugavpils, Liepāja).
    "LV": [
        ("admin@demo.example.lv", "Ilze Kalniņa", Role.ADMIN, None, "", "other", ()),
        ("autors@demo.example.lv", "Andris Ozols", Role.AUTHOR, None, "", "other", ()),
        ("vaditaja@demo.example.lv", "Dace Liepiņa", Role.SUPERVISOR, "LV-RIX",
         "Rīgas pilsētas sociālais dienests", "social_worker", ("LV-RIX",)),
        ("anna@demo.example.lv", "Anna Bērziņa", Role.LEARNER, "LV-RIX",
         "Rīgas pilsētas sociālais dienests", "social_worker", ()),
        ("janis@demo.example.lv", "Jānis Kalns", Role.LEARNER, "LV-RIX",
         "Rīgas pilsētas skola", "teacher", ()),
        ("liga@demo.example.lv", "Līga Ozoliņa", Role.LEARNER, "LV-DGV",
         "Daugavpils pilsētas sociālais dienests", "social_worker", ()),
        ("edgars@demo.example.lv", "Edgars Krūmiņš", Role.LEARNER, "LV-DGV",
         "Daugavpils pašvaldības policija", "police_officer", ()),
        ("inese@demo.example.lv", "Inese Vītola", Role.LEARNER, "LV-LPX",
         "Liepājas poliklīnika", "health_specialist", ()),
    ],
}


def _demo_password() -> str:
    # Four random groups are long and strong, and easy to type from a terminal.
    return "-".join(secrets.token_hex(3) for _ in range(4))


def create_demo_accounts() -> list[tuple[str, str, str]]:
    """Create the demo accounts, or give existing ones new passwords; returns the logins."""
    logins = []
    for email, name, role, code, workplace, profession, supervises in DEMO_ACCOUNTS[
            current_app.config["COUNTRY"]]:
        password = _demo_password()
        user = accounts.user_by_email(email)
        if user is None:
            user = accounts.create_user(
                email=email, full_name=name, password=password, municipality_code=code,
                workplace=workplace, profession=Profession(profession).value,
            )
        else:
            accounts.set_password(user, password)
            user.active = True
        accounts.set_role(user, role, list(supervises) or None)
        logins.append((email, password, role.value + (f" ({code})" if code else "")))
    db.session.commit()
    return logins


def _publish_sample_courses() -> None:
    try:
        report = sync_courses(current_app.config["COURSES_DIR"])
    except FileNotFoundError as error:
        click.echo(f"No sample courses published: {error}")
        return
    click.echo(report.summary())




@click.command("demo")
@click.option("--country", type=click.Choice(sorted(COUNTRIES), case_sensitive=False),
              default=None, help="The country to demonstrate (default: ELEARN_COUNTRY, or LT).")
@click.option("--serve", is_flag=True, help="Start the development server afterwards.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo_command(country: str | None, serve: bool, host: str, port: int) -> None:
    """Set up a demo: database schema, municipalities, sample courses and demo accounts."""
    app = current_app._get_current_object()
    if country and country.upper() != app.config["COUNTRY"]:
        # The languages and time zone follow the country, as with ELEARN_COUNTRY.
        from elearn import apply_country  # the app factory's module imports this one

        apply_country(app, country.upper())
        click.echo(f"A demo of a {app.config['COUNTRY']} deployment: start it later with "
                   f"ELEARN_COUNTRY={app.config['COUNTRY']}.")
    upgrade()
    load_municipalities(current_app.config["COUNTRY"])
    _publish_sample_courses()
    logins = create_demo_accounts()
    add_demo_progress()
    add_demo_supervision()

    address = f"http://{host}:{port}/"
    click.echo("")
    click.echo(f"Demo ready. Open {address} and sign in with one of these (new passwords "
               "every time this command runs):")
    width = max(len(e) for e, _, _ in logins)
    for email, password, label in logins:
        click.echo(f"  {email.ljust(width)}  {password}  {label}")
    click.echo("")
    if serve:
        # app.run() refuses to start under the flask command; this is what it would do.
        run_simple(host, port, current_app._get_current_object(), threaded=True,
                   use_debugger=current_app.debug, use_reloader=False)
