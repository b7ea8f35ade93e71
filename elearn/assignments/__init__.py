"""Courses assigned with due dates, and their reminders."""

from flask import Blueprint

bp = Blueprint("assignments", __name__)
