"""Brackets as data: who asked for each bracketed passage of a paragraph and who opposed it

Revision ID: b8e3d1f5a7c9
Revises: a7d4c2e9f1b3
Create Date: 2026-12-02 05:40:00

Every paragraph version gets an empty list of attributions; the text keeps its brackets as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e3d1f5a7c9'
down_revision = 'a7d4c2e9f1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('paragraph_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attributions', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('paragraph_versions', schema=None) as batch_op:
        batch_op.drop_column('attributions')
