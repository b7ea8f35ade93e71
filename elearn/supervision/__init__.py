"""Supervision: team dashboards, assignments, referral directory, staff import, national
overview."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
