"""calendar feeds of due dates

calendar_feed: one secret token per learner who subscribed her calendar (Outlook,
Google Calendar) to her due dates; a new table, nothing to convert.

Revision ID: 20873649c2e6
Revises: e3b1c2d4a5f6
Create Date: 2026-12-01 14:46:21.978180

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20873649c2e6'
down_revision = 'e3b1c2d4a5f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feed_token'))
    )


def downgrade():
    op.drop_table('calendar_feed')
