"""flask courses check | sync | list | new."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from elearn import content

courses_cli = AppGroup("courses", help="Check and publish courses written in Markdown.")


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["COURSES_DIR"])


@courses_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Treat quiz quality warnings as errors (exit 1).")
def check_command(path: str | None, strict: bool) -> None:
    """Check every course under PATH; needs no database. Exit status 1 on problems.

    Warnings (quiz quality) are printed but exit 0, unless --strict.
    """
    root = _root(path)
    if not root.is_dir():
        raise click.ClickException(f"{root} is not a folder")
    problems = content.check_tree(root)
    for problem in problems:
        click.echo(str(problem))
    warnings = sum(problem.warning for problem in problems)
    errors = len(problems) - warnings
    if errors or (strict and warnings):
        strictly = " (--strict: warnings count as problems)" if strict and warnings else ""
        click.echo(f"{errors} problem(s), {warnings} warning(s){strictly}.", err=True)
        raise SystemExit(1)
    if warnings:
        click.echo(f"{root}: all courses are valid, with {warnings} warning(s).")
    else:
        click.echo(f"{root}: all courses are valid.")


@courses_cli.command("sync")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--pull", is_flag=True, help="git pull --ff-only in PATH first.")
def sync_command(path: str | None, pull: bool) -> None:
    """Publish the valid, changed courses under PATH, each all or nothing."""
    from elearn.publishing.services import sync_courses

    try:
        report = sync_courses(_root(path), pull=pull)
    except subprocess.CalledProcessError as error:
        raise click.ClickException(f"git pull failed: {error.stderr.strip()}") from None
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)


@courses_cli.command("list")
def list_command() -> None:
    """Each course's live version, content hash, git commit and publication time."""
    from elearn.publishing.services import course_statuses

    statuses = course_statuses()
    if not statuses:
        click.echo("No courses have been published.")
    for s in statuses:
        state = "retired" if s.retired else ("live" if s.published else "preview")
        published = s.published_at.isoformat(timespec="seconds") if s.published_at else "-"
        click.echo(
            f"{s.course_id}  v{s.version_id}  {state}  {(s.content_hash or '-')[:12]}  "
            f"{(s.git_commit or '-')[:12]}  {published}"
        )


@courses_cli.command("new")
@click.argument("course_id")
@click.option("--path", type=click.Path(file_okay=False), help="Default: COURSES_DIR.")
def new_command(course_id: str, path: str | None) -> None:
    """Create a course folder from a template that passes `check`."""
    root = _root(path)
    try:
        folder = content.scaffold_course(root, course_id)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {folder}. Edit course.yml and the module files, then run "
               f"`flask courses check {root}`.")
