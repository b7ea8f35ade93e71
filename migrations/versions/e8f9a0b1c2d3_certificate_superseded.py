"""certificates: superseded, so the newest of a course is found without a search

Only a learner's newest certificate of a course counts in the reports. Instead of
looking for a newer row of every certificate (an anti-join over the table), each
certificate says whether a newer one exists; the insert of a certificate sets it on the
older ones (elearn/certificates/models.py). Existing certificates are marked here. The
covering index of the dashboard's certificate counts carries the flag in place of id.

Revision ID: e8f9a0b1c2d3
Revises: d7e8f9a0b1c2
Create Date: 2026-12-01 15:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e8f9a0b1c2d3'
down_revision = 'd7e8f9a0b1c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('superseded', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.execute(sa.text(
        "UPDATE certificate SET superseded = :yes WHERE EXISTS (SELECT 1 FROM certificate"
        " AS newer WHERE newer.user_id = certificate.user_id"
        " AND newer.course_id = certificate.course_id AND newer.id > certificate.id)"
    ).bindparams(yes=True))
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_user_course_current')
        batch_op.create_index('ix_certificate_user_course_current',
                              ['user_id', 'course_id', 'superseded', 'revoked_at',
                               'expires_on'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_user_course_current')
        batch_op.create_index('ix_certificate_user_course_current',
                              ['user_id', 'course_id', 'id', 'revoked_at', 'expires_on'],
                              unique=False)
        batch_op.drop_column('superseded')
