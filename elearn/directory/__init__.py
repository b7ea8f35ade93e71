"""Each municipality's referral contacts, and the lesson `contacts` block filled from them."""

from flask import Blueprint

bp = Blueprint("directory", __name__)
