"""audit_entry_municipality: further municipalities an audit entry concerns

A supervisor of a municipality sees the entries about it. A role change that gives
someone (or takes from her) the supervision of another municipality than her own
concerned that municipality too, but the entry had only two municipality columns (hers
before and after a move): the supervisors of the municipality she was given to
supervise could not see who had been given access to their staff. This table lists the
further municipalities; it is append-only like the log (the same triggers), and the
existing role changes are filled in from their before/after "supervises" lists.

Revision ID: a1b2c3d4e5f7
Revises: f9a0b1c2d3e4
Create Date: 2026-12-01 17:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d4e5f7'
down_revision = 'f9a0b1c2d3e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_entry_municipality',
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('municipality_code', sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['audit_entry.id'],
                                name=op.f('fk_audit_entry_municipality_entry_id_audit_entry')),
        sa.PrimaryKeyConstraint('entry_id', 'municipality_code',
                                name=op.f('pk_audit_entry_municipality')),
    )
    with op.batch_alter_table('audit_entry_municipality', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_municipality_code', ['municipality_code', 'entry_id'],
                              unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # audit_entry_append_only() is the log's own function (migration e1a7c3d9f2b4).
        op.execute('CREATE TRIGGER audit_entry_municipality_append_only BEFORE UPDATE OR DELETE '
                   'ON audit_entry_municipality FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()')
    else:
        op.execute("CREATE TRIGGER audit_entry_municipality_append_only BEFORE UPDATE ON "
                   "audit_entry_municipality BEGIN SELECT RAISE(ABORT, 'the audit log is "
                   "append-only'); END")

    conn = op.get_bind()
    entry = sa.table('audit_entry', sa.column('id', sa.Integer), sa.column('action', sa.String),
                     sa.column('municipality_code', sa.String),
                     sa.column('other_municipality_code', sa.String),
                     sa.column('before', sa.JSON), sa.column('after', sa.JSON))
    concern = sa.table('audit_entry_municipality', sa.column('entry_id', sa.Integer),
                       sa.column('municipality_code', sa.String))
    rows = []
    for r in conn.execute(sa.select(entry).where(entry.c.action == 'user.role')):
        old = set((r.before or {}).get('supervises') or ())
        new = set((r.after or {}).get('supervises') or ())
        for code in sorted((old ^ new) - {r.municipality_code, r.other_municipality_code}):
            rows.append({'entry_id': r.id, 'municipality_code': code})
    if rows:
        conn.execute(concern.insert(), rows)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_entry_municipality_append_only ON audit_entry_municipality')
    op.drop_table('audit_entry_municipality')
