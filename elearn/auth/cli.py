"""flask users …: accounts from the command line, through the same services as the views."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.auth import services as accounts
from elearn.auth.models import Profession, Role
from elearn.auth.passwords import password_problem
from elearn.countries import SUPPORTED_LANGUAGES
from elearn.extensions import db

users_cli = AppGroup("users", help="Create accounts and give them roles.")
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
@click.option("--locale", type=click.Choice(SUPPORTED_LANGUAGES), default=None,
              help="Interface language; default: the deployment's (ELEARN_LANGUAGES).")
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
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    if locale not in current_app.config["LANGUAGES"]:
        raise click.ClickException(
            f"this deployment offers {', '.join(current_app.config['LANGUAGES'])}, not {locale}"
        )
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
    accounts.deactivate(user)
    db.session.commit()
    click.echo(f"{user.email} is deactivated and signed out everywhere.")


@users_cli.command("activate")
@click.argument("email")
def activate_command(email):
    """Enable a disabled account again."""
    user = _user_or_fail(email)
    accounts.activate(user)
    db.session.commit()
    click.echo(f"{user.email} is active.")


@users_cli.command("send-reset")
@click.argument("email")
def send_reset_command(email):
    """E-mail the account a link to choose a new password (in its language)."""
    user = _user_or_fail(email)
    if not user.active:
        raise click.ClickException(f"{user.email} is deactivated: activate it first")
    accounts.send_password_reset(user)
    click.echo(f"A password link has been sent to {user.email}.")
