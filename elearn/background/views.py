"""The admin's list of failed background jobs (syncs are also on the publishing page)."""

from __future__ import annotations

from flask import render_template

from elearn import jobs
from elearn.access import Permission, requires
from elearn.background import bp

SHOWN = 100


@bp.route("/admin/jobs", endpoint="failed")
@requires(Permission.MANAGE_USERS)
def failed_jobs():
    return render_template("background/failed.html", enabled=jobs.enabled(),
                           failed=jobs.failed_jobs(limit=SHOWN))
