"""A supervisor's team: the dashboard, learner pages, exports and the staff import."""

from flask import Blueprint

bp = Blueprint("supervision", __name__)
