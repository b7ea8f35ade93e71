"""People and roles on the web, and the audit log, for the national coordinator."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
