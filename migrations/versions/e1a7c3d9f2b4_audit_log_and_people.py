"""audit log, user search column, municipality confirmation, erased accounts

- audit_entry: the append-only audit log. Database triggers refuse UPDATE on every
  database and DELETE on PostgreSQL, except in a transaction that has set
  elearn.audit_purge (flask privacy purge, for entries past the retention period).
- user.search_text: the accent-folded, lower-case name and e-mail address the users
  page searches, filled here for existing accounts (the same folding as
  elearn.auth.models.search_key).
- user.municipality_confirmed_at: existing accounts count as confirmed (since they
  were created); user.deleted_at: erased accounts.

Revision ID: e1a7c3d9f2b4
Revises: 56de40804ed9
Create Date: 2026-12-01 14:40:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a7c3d9f2b4'
down_revision = '56de40804ed9'
branch_labels = None
depends_on = None


def _search_key(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


PG_FUNCTION = """
CREATE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('elearn.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql
"""


def upgrade():
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('address', sa.String(length=45), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('target_type', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.String(length=64), nullable=False),
        sa.Column('municipality_code', sa.String(length=6), nullable=True),
        sa.Column('other_municipality_code', sa.String(length=6), nullable=True),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry')),
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_action', ['action', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_entry_municipality', ['municipality_code', 'id'], unique=False)
        batch_op.create_index('ix_audit_entry_other_municipality', ['other_municipality_code', 'id'], unique=False)
        batch_op.create_index('ix_audit_entry_target', ['target_type', 'target_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        op.execute('CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry '
                   'FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()')
    else:
        op.execute("CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry "
                   "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('municipality_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.String(length=460), nullable=False, server_default=''))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('search_text', server_default=None)
        batch_op.create_index(batch_op.f('ix_user_search_text'), ['search_text'], unique=False)

    op.execute('UPDATE "user" SET municipality_confirmed_at = created_at')
    conn = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                    sa.column('email', sa.String), sa.column('search_text', sa.String))
    rows = conn.execute(sa.select(user.c.id, user.c.full_name, user.c.email)).all()
    if rows:
        conn.execute(
            user.update().where(user.c.id == sa.bindparam('uid'))
            .values(search_text=sa.bindparam('key')),
            [{'uid': r.id, 'key': _search_key(f"{r.full_name} {r.email}")} for r in rows],
        )


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_search_text'))
        batch_op.drop_column('search_text')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('municipality_confirmed_at')
    op.execute('DROP TRIGGER IF EXISTS audit_entry_append_only' +
               (' ON audit_entry' if op.get_bind().dialect.name == 'postgresql' else ''))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS audit_entry_append_only()')
    op.drop_table('audit_entry')
