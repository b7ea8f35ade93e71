"""flask certificates expiring."""

from __future__ import annotations

import click
from flask.cli import AppGroup

certificates_cli = AppGroup("certificates", help="Issued certificates.")


@certificates_cli.command("expiring")
@click.option("--days", default=60, show_default=True, type=click.IntRange(0, 3660))
def expiring_command(days: int) -> None:
    """List valid certificates that expire within DAYS days (for reminders)."""
    from elearn.certificates.services import expiring_within

    rows = expiring_within(days)
    for c in rows:
        click.echo(f"{c.expires_on.isoformat()}  {c.serial}  {c.municipality_code or '-'}  "
                   f"{c.course_id}  user {c.user_id}")
    click.echo(f"{len(rows)} certificate(s) expire within {days} days.")
