"""flask privacy purge: the retention period, run by cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.privacy import services

privacy_cli = AppGroup("privacy", help="Personal data: the retention period.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would go, change nothing.")
def purge_command(dry_run: bool) -> None:
    """Anonymise accounts nobody has used for TRAINING_RECORD_RETENTION_YEARS and delete
    audit entries older than that. Run it daily or weekly from cron."""
    years = int(current_app.config["TRAINING_RECORD_RETENTION_YEARS"])
    people, entries = services.purge(years, dry_run=dry_run)
    verb = "would be" if dry_run else "were"
    click.echo(f"{people} accounts inactive for {years} years {verb} anonymised; "
               f"{entries} audit entries older than that {verb} deleted.")
