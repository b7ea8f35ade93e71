"""learner progress and attempts

Reviewed by hand: three new tables, nothing altered. course_progress is the
maintained per-learner-per-course status the supervision reports aggregate (hence
the (course_id, status) index); uq_attempt_one_open allows one open attempt per
learner and module (is_open is NULL once submitted, and NULLs never collide).

Revision ID: 976915c45b49
Revises: 29e06bbd0b89
Create Date: 2026-11-23 10:12:00.047702

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '976915c45b49'
down_revision = '29e06bbd0b89'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_progress',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('take', sa.Integer(), nullable=False),
    sa.Column('modules_done', sa.Integer(), nullable=False),
    sa.Column('module_total', sa.Integer(), nullable=False),
    sa.Column('last_module_key', sa.String(length=100), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['completed_version_id'], ['course_version.id'], name=op.f('fk_course_progress_completed_version_id_course_version')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_progress_course_id_course')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_progress_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'course_id', name=op.f('pk_course_progress'))
    )
    op.create_index('ix_course_progress_course_status', 'course_progress', ['course_id', 'status'], unique=False)

    op.create_table('module_progress',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=False),
    sa.Column('module_key', sa.String(length=100), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_take', sa.Integer(), nullable=True),
    sa.Column('best_score', sa.Integer(), nullable=True),
    sa.Column('attempt_count', sa.Integer(), nullable=False),
    sa.Column('failed_streak', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_module_progress_course_id_course')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_module_progress_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'course_id', 'module_key', name=op.f('pk_module_progress'))
    )

    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=False),
    sa.Column('module_key', sa.String(length=100), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('correct_count', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_attempt_course_id_course')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_attempt_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['course_version.id'], name=op.f('fk_attempt_version_id_course_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt')),
    sa.UniqueConstraint('user_id', 'course_id', 'module_key', 'is_open', name='uq_attempt_one_open')
    )


def downgrade():
    op.drop_table('attempt')
    op.drop_table('module_progress')
    op.drop_index('ix_course_progress_course_status', table_name='course_progress')
    op.drop_table('course_progress')
