"""dashboard: indexes that cover a municipality's counts

The team dashboard counts a municipality's learners, their progress by course and
state, and their newest certificates. These indexes let each of those be read from the
index alone (index-only scans on PostgreSQL, covering indexes on SQLite): the staff
rule on user, the state on course_progress, and revocation and expiry on certificate.
ix_user_staff and ix_certificate_user_course_current replace the indexes of which they
are extensions.

Revision ID: d7e8f9a0b1c2
Revises: a5d6e7f8b9c0
Create Date: 2026-12-01 15:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd7e8f9a0b1c2'
down_revision = 'a5d6e7f8b9c0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index('ix_user_staff', ['municipality_code', 'role', 'active',
                                                'municipality_confirmed_at'], unique=False)
        batch_op.drop_index(batch_op.f('ix_user_municipality_code'))
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.create_index('ix_course_progress_user_course_status',
                              ['user_id', 'course_id', 'status'], unique=False)
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_user_course_current',
                              ['user_id', 'course_id', 'id', 'revoked_at', 'expires_on'],
                              unique=False)
        batch_op.drop_index('ix_certificate_user_course')


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_user_course', ['user_id', 'course_id'],
                              unique=False)
        batch_op.drop_index('ix_certificate_user_course_current')
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_course_progress_user_course_status')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_municipality_code'), ['municipality_code'],
                              unique=False)
        batch_op.drop_index('ix_user_staff')
