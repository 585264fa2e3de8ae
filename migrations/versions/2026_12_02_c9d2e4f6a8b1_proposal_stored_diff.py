"""Proposals keep a copy of their word diff (run lengths and the hash of the two texts)

Revision ID: c9d2e4f6a8b1
Revises: b8e3d1f5a7c9
Create Date: 2026-12-02 05:30:00

Rows made before this change get their copy the first time a compilation shows them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9d2e4f6a8b1'
down_revision = 'b8e3d1f5a7c9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stored_diff', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('stored_diff')
