"""module shuffle setting: false keeps a quiz's options in the author's order

Revision ID: 2d412bf0d5b0
Revises: 6d4d3e967878
Create Date: 2026-12-01 11:09:40.066974

"""
import sqlalchemy as sa
from alembic import op

revision = "2d412bf0d5b0"
down_revision = "6d4d3e967878"
branch_labels = None
depends_on = None


def upgrade():
    # Every module published so far had its options shuffled.
    with op.batch_alter_table("course_module", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shuffle", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("course_module", schema=None) as batch_op:
        batch_op.drop_column("shuffle")
