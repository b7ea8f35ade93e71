"""Form parts every feature uses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


def strip(value):
    """A field filter: surrounding spaces are never part of what people meant."""
    return value.strip() if isinstance(value, str) else value


class ConfirmForm(FlaskForm):
    """A POST button with nothing but its CSRF token (delete, cancel)."""

    submit = SubmitField(_l("Delete"))
