"""answered questions and chosen options, for item analysis

A submitted attempt's answers as rows: per question whether it was answered
correctly (with the attempt's number of correct answers), and every option chosen.
Filled from the attempts submitted before, whose JSON holds the same: a question
counts as correct when exactly its correct options were chosen, as grading does.

Revision ID: f4c2d3e5b6a7
Revises: 20873649c2e6
Create Date: 2026-12-01 14:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4c2d3e5b6a7'
down_revision = '20873649c2e6'
branch_labels = None
depends_on = None


def upgrade():
    answered = op.create_table(
        'answered_question',
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('correct', sa.Boolean(), nullable=False),
        sa.Column('attempt_correct', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_answered_question_attempt_id_attempt'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answered_question_question_id_question')),
        sa.PrimaryKeyConstraint('attempt_id', 'position', name=op.f('pk_answered_question')),
    )
    with op.batch_alter_table('answered_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answered_question_question_id'), ['question_id'], unique=False)

    chosen = op.create_table(
        'chosen_option',
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('option_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_chosen_option_attempt_id_attempt'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['option_id'], ['question_option.id'], name=op.f('fk_chosen_option_option_id_question_option')),
        sa.PrimaryKeyConstraint('attempt_id', 'position', 'option_id', name=op.f('pk_chosen_option')),
    )
    with op.batch_alter_table('chosen_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chosen_option_option_id'), ['option_id'], unique=False)

    _backfill(op.get_bind(), answered, chosen)


def _backfill(connection, answered, chosen):
    attempt = sa.table('attempt', sa.column('id', sa.Integer), sa.column('questions', sa.JSON),
                       sa.column('answers', sa.JSON), sa.column('submitted_at', sa.DateTime))
    option = sa.table('question_option', sa.column('id', sa.Integer), sa.column('question_id', sa.Integer),
                      sa.column('correct', sa.Boolean))
    question = sa.table('question', sa.column('id', sa.Integer))
    known = set(connection.execute(sa.select(question.c.id)).scalars())
    right: dict[int, set[int]] = {}
    for option_id, question_id, correct in connection.execute(
            sa.select(option.c.id, option.c.question_id, option.c.correct)):
        right.setdefault(question_id, set())
        if correct:
            right[question_id].add(option_id)
    rows = connection.execute(
        sa.select(attempt.c.id, attempt.c.questions, attempt.c.answers)
        .where(attempt.c.submitted_at.is_not(None), attempt.c.answers.is_not(None))
        .order_by(attempt.c.id)
    )
    answers, choices = [], []
    for attempt_id, drawn, chosen_ids in rows:
        drawn, chosen_ids = drawn or [], chosen_ids or []
        if len(drawn) != len(chosen_ids) or any(q.get("id") not in known for q in drawn):
            continue  # a question of a version no longer stored: nothing to analyse
        flags = [set(ids) == right.get(q["id"], set()) for q, ids in zip(drawn, chosen_ids)]
        for index, (item, ids, correct) in enumerate(zip(drawn, chosen_ids, flags)):
            answers.append({"attempt_id": attempt_id, "position": index,
                            "question_id": item["id"], "correct": correct,
                            "attempt_correct": sum(flags)})
            choices.extend({"attempt_id": attempt_id, "position": index, "option_id": o}
                           for o in dict.fromkeys(ids))
        if len(answers) >= 5000:
            _flush(connection, answered, chosen, answers, choices)
    _flush(connection, answered, chosen, answers, choices)


def _flush(connection, answered, chosen, answers, choices):
    if answers:
        connection.execute(answered.insert(), answers)
    if choices:
        connection.execute(chosen.insert(), choices)
    answers.clear()
    choices.clear()


def downgrade():
    with op.batch_alter_table('chosen_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chosen_option_option_id'))
    op.drop_table('chosen_option')
    with op.batch_alter_table('answered_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answered_question_question_id'))
    op.drop_table('answered_question')
