"""Administrative commands: flask users …, flask municipalities …, flask demo."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from elearn.auth import services as accounts
from elearn.auth.models import Profession, Role
from elearn.auth.passwords import password_problem
from elearn.extensions import db
from elearn.municipalities import iso_codes, load_municipalities, official_names

users_cli = AppGroup("users", help="Create accounts and give them roles.")
municipalities_cli = AppGroup("municipalities", help="The municipality list.")

ROLE_CHOICE = click.Choice([r.value for r in Role])


def _user_or_fail(email: str):
    user = accounts.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail address {email}")
    return user


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name as on certificates.")
@click.option("--role", type=ROLE_CHOICE, default=Role.LEARNER.value, show_default=True)
@click.option("--municipality", "municipality_code", help="ISO 3166-2 code, e.g. LT-57.")
@click.option("--supervises", multiple=True, help="Municipality codes a supervisor answers for.")
@click.option("--workplace", default="")
@click.option("--profession", type=click.Choice([p.value for p in Profession]), default="other")
@click.option("--locale", type=click.Choice(["lt", "en"]), default="lt")
@click.option(
    "--invite/--password",
    default=False,
    help="E-mail a set-your-password link instead of asking for a password here.",
)
def create_user_command(email, full_name, role, municipality_code, supervises, workplace,
                        profession, locale, invite):
    """Create an account. The password is asked for without echo, never taken as an option."""
    if accounts.email_taken(email):
        raise click.ClickException(f"an account with the e-mail address {email} already exists")
    if municipality_code and not accounts.municipality_exists(municipality_code):
        raise click.ClickException(
            f"unknown municipality {municipality_code}: run `flask municipalities load` first"
        )
    if role in (Role.LEARNER.value, Role.SUPERVISOR.value) and not municipality_code:
        raise click.ClickException("learners and supervisors need --municipality")
    password = None
    if not invite:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password, (email, full_name))
        if problem:
            raise click.ClickException(problem)
    user = accounts.create_user(
        email=email, full_name=full_name, password=password,
        municipality_code=municipality_code, workplace=workplace,
        profession=profession, locale=locale,
    )
    try:
        accounts.set_role(user, Role(role), list(supervises) or None)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    if invite:
        accounts.send_invitation(user)
    click.echo(f"Created {user.email} ({user.role}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@click.option("--municipality", "codes", multiple=True,
              help="For supervisors: a municipality they supervise (repeat for more).")
def set_role_command(email, role, codes):
    """Give an account a role."""
    user = _user_or_fail(email)
    try:
        accounts.set_role(user, Role(role), list(codes) or None)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    scope = ", ".join(m.code for m in user.supervised)
    click.echo(f"{user.email} is now {user.role}" + (f" of {scope}." if scope else "."))


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email):
    """Disable an account and end all its sessions at once."""
    user = _user_or_fail(email)
    user.active = False
    user.end_all_sessions()
    db.session.commit()
    click.echo(f"{user.email} is deactivated and signed out everywhere.")


@users_cli.command("activate")
@click.argument("email")
def activate_command(email):
    """Enable a disabled account again."""
    user = _user_or_fail(email)
    user.active = True
    db.session.commit()
    click.echo(f"{user.email} is active.")


@municipalities_cli.command("load")
@click.option("--country", help="ISO 3166-1 code; default: the COUNTRY setting.")
def load_command(country):
    """Load or update the official list of municipalities."""
    country = (country or current_app.config["COUNTRY"]).upper()
    try:
        names = official_names(country)
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    unknown = set(names) - iso_codes(country)
    if unknown:
        raise click.ClickException(f"codes not in ISO 3166-2: {', '.join(sorted(unknown))}")
    added, updated = load_municipalities(country)
    click.echo(f"{country}: {len(names)} municipalities ({added} added, {updated} renamed).")


def init_app(app: Flask) -> None:
    from elearn.certificates.cli import certificates_cli
    from elearn.demo import demo_command
    from elearn.publishing.cli import courses_cli
    from elearn.supervision.cli import reminders_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(municipalities_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(courses_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(reminders_cli)
