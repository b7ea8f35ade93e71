"""users by creation

The admin's users page sorts by creation and pages by keyset (created_at, id): an index
lets each page read its 50 rows instead of sorting every account.

Revision ID: a9d4e6f1c2b3
Revises: f4c2d3e5b6a7
Create Date: 2026-12-01 15:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a9d4e6f1c2b3'
down_revision = 'f4c2d3e5b6a7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_created_at'))
