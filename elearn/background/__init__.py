"""Background jobs as admins see them: the ones that failed after their retries."""

from flask import Blueprint

bp = Blueprint("background", __name__)
