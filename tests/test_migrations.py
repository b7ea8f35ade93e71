"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from elearn.extensions import db


def test_models_and_migrations_agree(app_ctx):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_upgrade_created_every_table(app_ctx):
    from sqlalchemy import inspect

    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_the_data_version_migration_goes_down_and_up_again(app_ctx):
    """f1a2b3c4d5e6 removes its table and triggers, and puts them back."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    def triggers() -> set[str]:
        with db.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            else:
                query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            return {name for (name,) in conn.execute(text(query))
                    if "municipality_data" in name}

    assert len(triggers()) >= 8
    db.session.remove()
    downgrade(revision="e8f9a0b1c2d3")
    try:
        assert "municipality_data_version" not in inspect(db.engine).get_table_names()
        assert triggers() == set()
    finally:
        upgrade()
    assert "municipality_data_version" in inspect(db.engine).get_table_names()
    assert len(triggers()) >= 8
