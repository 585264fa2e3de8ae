"""Server-side sessions, shared rate limits, passwords set by an administrator

Revision ID: 5e55a0c1d2b3
Revises: 0595ae97b6bc
Create Date: 2026-12-01 19:54:13.113987

"""
from alembic import op
import sqlalchemy as sa

import drafter.dbtypes


# revision identifiers, used by Alembic.
revision = '5e55a0c1d2b3'
down_revision = '0595ae97b6bc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('at', drafter.dbtypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_hits'))
    )
    with op.batch_alter_table('throttle_hits', schema=None) as batch_op:
        batch_op.create_index('ix_throttle_hits_key_at', ['key', 'at'], unique=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', drafter.dbtypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', drafter.dbtypes.UTCDateTime(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
    with op.batch_alter_table('throttle_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_throttle_hits_key_at')

    op.drop_table('throttle_hits')
