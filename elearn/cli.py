"""Commands of no single feature (flask municipalities …, flask demo), and where every
feature's commands are registered."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from elearn.municipalities import current_iso_codes, load_municipalities, official_names

municipalities_cli = AppGroup("municipalities", help="The municipality list.")


@municipalities_cli.command("load")
@click.option("--country", help="ISO 3166-1 code; default: the COUNTRY setting.")
def load_command(country):
    """Load or update the official list of municipalities."""
    country = (country or current_app.config["COUNTRY"]).upper()
    try:
        names = official_names(country)
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    unknown = set(names) - current_iso_codes(country)
    if unknown:
        raise click.ClickException(
            f"codes not in ISO 3166-2 or retired: {', '.join(sorted(unknown))}"
        )
    added, updated = load_municipalities(country)
    click.echo(f"{country}: {len(names)} municipalities ({added} added, {updated} renamed).")


def init_app(app: Flask) -> None:
    from elearn.auth.cli import users_cli
    from elearn.certificates.cli import certificates_cli
    from elearn.demo import demo_command
    from elearn.privacy.cli import privacy_cli
    from elearn.publishing.cli import courses_cli
    from elearn.supervision.cli import reminders_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(municipalities_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(courses_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(privacy_cli)
