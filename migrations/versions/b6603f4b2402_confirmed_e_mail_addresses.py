"""confirmed e-mail addresses

Self-registered accounts are confirmed by a link e-mailed to the address, so that
registration never tells whether an address already has an account. Accounts that
exist already were trusted before: they count as confirmed when they were created.

Revision ID: b6603f4b2402
Revises: 0c80e93d75c6
Create Date: 2026-12-01 12:10:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'b6603f4b2402'
down_revision = '0c80e93d75c6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE "user" SET email_confirmed_at = created_at')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
