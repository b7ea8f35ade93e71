"""The national coordinator's overview of every municipality."""

from flask import Blueprint

bp = Blueprint("national", __name__)
