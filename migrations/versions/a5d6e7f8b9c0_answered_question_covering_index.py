"""answered questions: an index that covers the item analysis

The sums per question (count, correct, the rest score and its square) are read from
the index alone, without visiting the table's rows. It replaces the plain index on
question_id, of which it is an extension.

Revision ID: a5d6e7f8b9c0
Revises: a9d4e6f1c2b3
Create Date: 2026-12-01 15:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a5d6e7f8b9c0'
down_revision = 'a9d4e6f1c2b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answered_question', schema=None) as batch_op:
        batch_op.create_index('ix_answered_question_item',
                              ['question_id', 'correct', 'attempt_correct'], unique=False)
        batch_op.drop_index(batch_op.f('ix_answered_question_question_id'))


def downgrade():
    with op.batch_alter_table('answered_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answered_question_question_id'), ['question_id'],
                              unique=False)
        batch_op.drop_index('ix_answered_question_item')
