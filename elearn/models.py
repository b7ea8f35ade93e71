"""Every model module, imported so that the metadata (and Alembic) sees all tables."""

from elearn.auth.models import User, supervision  # noqa: F401
from elearn.municipalities import Municipality  # noqa: F401
