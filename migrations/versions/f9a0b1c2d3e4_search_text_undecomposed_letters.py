"""user.search_text: fold the letters Unicode does not decompose (ł, ø, đ, …)

The users page's search key now turns "Łukasz" into "lukasz" (see
elearn.auth.models.search_key); the accounts whose stored key still holds one of those
letters get the new key here. Downgrade leaves the keys as they are: the old search
simply does not find those names by their plain spelling, as before.

Revision ID: f9a0b1c2d3e4
Revises: f1a2b3c4d5e6
Create Date: 2026-12-01 17:30:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f9a0b1c2d3e4'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

# A copy of the folding at this revision (migrations do not import the app).
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t",
                               "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})


def _search_key(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def upgrade():
    conn = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                    sa.column('email', sa.String), sa.column('search_text', sa.String))
    letters = "łøđħıŧæœþð"
    rows = conn.execute(
        sa.select(user.c.id, user.c.full_name, user.c.email)
        .where(sa.or_(*(user.c.search_text.contains(c) for c in letters)))
    ).all()
    if rows:
        conn.execute(
            user.update().where(user.c.id == sa.bindparam('uid'))
            .values(search_text=sa.bindparam('key')),
            [{'uid': r.id, 'key': _search_key(f"{r.full_name} {r.email}")} for r in rows],
        )


def downgrade():
    pass
