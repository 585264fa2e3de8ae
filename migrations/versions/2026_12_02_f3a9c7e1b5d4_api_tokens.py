"""Personal API tokens: name, hash, shown prefix, created, last used, revoked

Revision ID: f3a9c7e1b5d4
Revises: e6a2b8c4d0f1
Create Date: 2026-12-02 02:10:00

"""
from alembic import op
import sqlalchemy as sa

import drafter.dbtypes


# revision identifiers, used by Alembic.
revision = 'f3a9c7e1b5d4'
down_revision = 'e6a2b8c4d0f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('created_at', drafter.dbtypes.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', drafter.dbtypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', drafter.dbtypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
