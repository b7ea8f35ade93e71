"""push hook deliveries

The git host's delivery ids the push hook processed, kept for a day so that a
replayed delivery syncs nothing (shared by every worker).

Revision ID: 0c80e93d75c6
Revises: 2d412bf0d5b0
Create Date: 2026-12-01 10:55:42.074555

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0c80e93d75c6'
down_revision = '2d412bf0d5b0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hook_delivery',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hook_delivery'))
    )
    with op.batch_alter_table('hook_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hook_delivery_received_at'), ['received_at'], unique=False)



def downgrade():
    with op.batch_alter_table('hook_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hook_delivery_received_at'))

    op.drop_table('hook_delivery')
