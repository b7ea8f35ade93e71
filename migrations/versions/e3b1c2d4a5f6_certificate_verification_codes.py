"""certificate verification codes a person can type

Each certificate gets a 12-character code from an alphabet without look-alike
characters (elearn/certificates/codes.py), printed under the QR code and typed on
/verify. Certificates issued before get one now; their old URL-safe codes stay valid
for the QR codes already printed.

Revision ID: e3b1c2d4a5f6
Revises: 45643162d4df
Create Date: 2026-12-01 14:40:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3b1c2d4a5f6'
down_revision = '45643162d4df'
branch_labels = None
depends_on = None

# A copy, not an import: a migration must keep doing what it did when it was written.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_code', sa.String(length=12), nullable=True))

    certificate = sa.table('certificate', sa.column('id', sa.Integer),
                           sa.column('verification_code', sa.String))
    connection = op.get_bind()
    ids = connection.execute(sa.select(certificate.c.id)).scalars().all()
    used: set[str] = set()
    for certificate_id in ids:
        code = _new_code()
        while code in used:
            code = _new_code()
        used.add(code)
        connection.execute(certificate.update().where(certificate.c.id == certificate_id)
                           .values(verification_code=code))

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.alter_column('verification_code', existing_type=sa.String(length=12),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_verification_code'),
                                          ['verification_code'])


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificate_verification_code'), type_='unique')
        batch_op.drop_column('verification_code')
