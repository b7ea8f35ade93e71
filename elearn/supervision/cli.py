"""flask reminders send: meant for cron, daily; running it again sends nothing twice.
With REDIS_URL set it queues the sending for `flask jobs worker` and returns at once."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Reminder e-mails to learners and supervisors.")


@reminders_cli.command("send")
@click.option("--today", "today_text", metavar="YYYY-MM-DD",
              help="Act as if today were this date (for tests and catching up).")
def send_command(today_text: str | None) -> None:
    """Remind learners of due and overdue assignments and expiring certificates; send
    supervisors their weekly summary and their team's expiring certificates."""
    from elearn import jobs
    from elearn.i18n import today
    from elearn.supervision.reminders import SEND_JOB, send_all

    try:
        day = date.fromisoformat(today_text) if today_text else today()
    except ValueError:
        raise click.BadParameter("use the form YYYY-MM-DD", param_hint="--today") from None
    if jobs.enabled():
        job_id = jobs.enqueue(SEND_JOB, day, key=f"reminders:{day.isoformat()}",
                              description=f"send the reminders of {day.isoformat()}")
        click.echo(f"Queued as job {job_id}." if job_id else "Already queued.")
        return
    report = send_all(day)
    click.echo(report.summary())
    if report.failed:
        raise SystemExit(1)
