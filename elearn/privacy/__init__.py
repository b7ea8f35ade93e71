"""Learners' data rights: see and take one's data, delete one's account, and the
retention period after which `flask privacy purge` anonymises inactive accounts."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
