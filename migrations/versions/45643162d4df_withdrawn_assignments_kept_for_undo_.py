"""withdrawn assignments kept for undo; assignment rules

withdrawn_assignment: the rows a withdrawal deleted from assignment, one batch per
withdrawal, so the supervisor can undo it (restored with their original ids).
assignment_rule: standing assignments that also cover people who join later and
re-assign a course before its certificate expires. Both tables are new: nothing to
convert.

Revision ID: 45643162d4df
Revises: e1a7c3d9f2b4
Create Date: 2026-12-01 14:28:00.438970

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '45643162d4df'
down_revision = 'e1a7c3d9f2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assignment_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_code', sa.String(length=6), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=False),
    sa.Column('target', sa.String(length=16), nullable=False),
    sa.Column('workplace', sa.String(length=200), nullable=False),
    sa.Column('profession', sa.String(length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('days_for_newcomers', sa.Integer(), nullable=False),
    sa.Column('renew_days_before', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_assignment_rule_course_id_course')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_assignment_rule_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_assignment_rule_municipality_code_municipality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_rule'))
    )
    with op.batch_alter_table('assignment_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_rule_municipality_code'), ['municipality_code'], unique=False)

    op.create_table('withdrawn_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=32), nullable=False),
    sa.Column('municipality_code', sa.String(length=6), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_withdrawn_assignment_assigned_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_withdrawn_assignment_course_id_course')),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_withdrawn_assignment_municipality_code_municipality')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_withdrawn_assignment_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], name=op.f('fk_withdrawn_assignment_withdrawn_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_withdrawn_assignment'))
    )
    with op.batch_alter_table('withdrawn_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_withdrawn_assignment_batch'), ['batch'], unique=False)



def downgrade():
    with op.batch_alter_table('withdrawn_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_withdrawn_assignment_batch'))

    op.drop_table('withdrawn_assignment')
    with op.batch_alter_table('assignment_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_rule_municipality_code'))

    op.drop_table('assignment_rule')
