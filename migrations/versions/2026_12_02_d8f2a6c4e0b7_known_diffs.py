"""Word diffs of paragraph pairs kept by the hash of their two texts

Revision ID: d8f2a6c4e0b7
Revises: c9d2e4f6a8b1
Create Date: 2026-12-02 14:20:00

Empty at first: comparisons fill it as they are shown.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8f2a6c4e0b7'
down_revision = 'c9d2e4f6a8b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'known_diffs',
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_known_diffs')),
    )


def downgrade():
    op.drop_table('known_diffs')
