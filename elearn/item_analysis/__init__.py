"""Item analysis for authors: how each quiz question and option performs."""

from flask import Blueprint

bp = Blueprint("item_analysis", __name__)
