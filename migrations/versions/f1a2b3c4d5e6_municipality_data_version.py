"""municipality data version: a stamp the dashboard's cached figures are keyed by

One row per municipality; triggers on user, course_progress, assignment and
certificate set a new random version for the municipality (or both municipalities of
a move) whenever a row changes in a way the dashboard's figures depend on, in the
same transaction. Triggers rather than application hooks because the changes come
from ORM flushes and from bulk statements alike (progress upserts, assignment
batches, privacy erasure), and a trigger sees every one of them.

Only the columns the figures read fire the update triggers (a sign-in's last-seen
time or a lesson's modules_done does not), so on PostgreSQL the municipality's row is
locked only by the transactions that start or complete a course, assign, issue or
revoke, or change a staff member, each until its commit.

Revision ID: f1a2b3c4d5e6
Revises: e8f9a0b1c2d3
Create Date: 2026-12-01 17:20:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'e8f9a0b1c2d3'
branch_labels = None
depends_on = None

# The columns whose change alters a municipality's figures, per table. user: who counts
# (staff rule), and the name shown in the list of expiring certificates.
WATCHED = {
    'user': ['municipality_code', 'role', 'active', 'municipality_confirmed_at',
             'full_name'],
    'course_progress': ['user_id', 'course_id', 'status'],
    'assignment': ['user_id', 'course_id', 'due_on'],
    'certificate': ['user_id', 'course_id', 'revoked_at', 'superseded', 'expires_on',
                    'course_title', 'lang'],
}

# PostgreSQL keeps every version of an updated row until the transaction ends, so a
# transaction that changes thousands of rows (a course assigned to a whole municipality,
# a bulk load) must not update the same version row thousands of times: each update
# would walk the chain of the earlier ones. A transaction-local setting remembers that
# the municipality has its new version already (reverted with the transaction or
# savepoint, like the row itself).
PG_FUNCTION = '''
CREATE FUNCTION municipality_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    codes text[];
    ids bigint[];
    changed text;
    done_key text;
BEGIN
    IF TG_TABLE_NAME = 'user' THEN
        IF TG_OP <> 'INSERT' THEN codes := array_append(codes, OLD.municipality_code::text); END IF;
        IF TG_OP <> 'DELETE' THEN codes := array_append(codes, NEW.municipality_code::text); END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN ids := array_append(ids, OLD.user_id::bigint); END IF;
        IF TG_OP <> 'DELETE' THEN ids := array_append(ids, NEW.user_id::bigint); END IF;
        SELECT array_agg(municipality_code) INTO codes FROM "user" WHERE id = ANY(ids);
    END IF;
    -- In code order, so that two transactions touching the same two municipalities
    -- lock their rows in the same order.
    FOR changed IN SELECT DISTINCT code FROM unnest(codes) AS code
                   WHERE code IS NOT NULL ORDER BY code LOOP
        done_key := 'elearn.data_version_' || translate(lower(changed), '-', '_');
        IF coalesce(current_setting(done_key, true), '') <> 'set' THEN
            PERFORM set_config(done_key, 'set', true);
            INSERT INTO municipality_data_version (municipality_code, version)
            VALUES (changed, (random() * 9.2e18)::bigint)
            ON CONFLICT (municipality_code) DO UPDATE SET version = excluded.version;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$
'''


def _sqlite_codes(table, old, new):
    """The municipalities a row change concerns, as a SELECT of codes (SQLite)."""
    rows = [r for r in (old, new) if r]
    if table == 'user':
        return ' UNION '.join(f'SELECT {r}.municipality_code AS code' for r in rows)
    ids = ', '.join(f'{r}.user_id' for r in rows)
    return f'SELECT municipality_code AS code FROM "user" WHERE id IN ({ids})'


def _sqlite_trigger(name, event, table, old, new, when=''):
    return (
        f'CREATE TRIGGER {name} AFTER {event} ON "{table}" FOR EACH ROW {when}\n'
        'BEGIN\n'
        '    INSERT INTO municipality_data_version (municipality_code, version)\n'
        f'    SELECT DISTINCT code, random() FROM ({_sqlite_codes(table, old, new)})\n'
        '    WHERE code IS NOT NULL\n'
        '    ON CONFLICT (municipality_code) DO UPDATE SET version = excluded.version;\n'
        'END'
    )


def upgrade():
    op.create_table('municipality_data_version',
        sa.Column('municipality_code', sa.String(length=6), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'],
                                name=op.f('fk_municipality_data_version_municipality_code_municipality'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('municipality_code', name=op.f('pk_municipality_data_version'))
    )
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.execute(PG_FUNCTION)
    for table, columns in WATCHED.items():
        name = f'{table}_municipality_data'
        if postgres:
            changed = ' OR '.join(f'OLD.{c} IS DISTINCT FROM NEW.{c}' for c in columns)
            run = 'FOR EACH ROW EXECUTE FUNCTION municipality_data_changed()'
            op.execute(f'CREATE TRIGGER {name}_write AFTER INSERT OR DELETE ON "{table}" {run}')
            op.execute(f'CREATE TRIGGER {name}_update AFTER UPDATE OF {", ".join(columns)} '
                       f'ON "{table}" FOR EACH ROW WHEN ({changed}) '
                       'EXECUTE FUNCTION municipality_data_changed()')
        else:
            changed = ' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in columns)
            op.execute(_sqlite_trigger(f'{name}_insert', 'INSERT', table, None, 'NEW'))
            op.execute(_sqlite_trigger(f'{name}_delete', 'DELETE', table, 'OLD', None))
            op.execute(_sqlite_trigger(f'{name}_update', f'UPDATE OF {", ".join(columns)}',
                                       table, 'OLD', 'NEW', f'WHEN {changed}'))


def downgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table in WATCHED:
        name = f'{table}_municipality_data'
        if postgres:
            for suffix in ('write', 'update'):
                op.execute(f'DROP TRIGGER IF EXISTS {name}_{suffix} ON "{table}"')
        else:
            for suffix in ('insert', 'delete', 'update'):
                op.execute(f'DROP TRIGGER IF EXISTS {name}_{suffix}')
    if postgres:
        op.execute('DROP FUNCTION IF EXISTS municipality_data_changed()')
    op.drop_table('municipality_data_version')
