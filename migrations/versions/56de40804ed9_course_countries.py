"""courses declare the countries they are for

course.yml's `countries`, kept on each published version: the ISO 3166-1 codes of
the deployments the course is for, NULL for every country. Versions published before
have no such field, so NULL (every country) is what they meant.

Revision ID: 56de40804ed9
Revises: b6603f4b2402
Create Date: 2026-12-01 11:26:41.578062

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '56de40804ed9'
down_revision = 'b6603f4b2402'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('countries', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('course_version', schema=None) as batch_op:
        batch_op.drop_column('countries')
