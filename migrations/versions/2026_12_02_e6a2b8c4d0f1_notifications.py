"""Notifications: the in-app list and outbox, each user's choices, proposals waiting for the co-facilitators' summary

Revision ID: e6a2b8c4d0f1
Revises: d5e1f7a3b9c2
Create Date: 2026-12-02 01:41:01.585999

"""
from alembic import op
import sqlalchemy as sa

import drafter.dbtypes


# revision identifiers, used by Alembic.
revision = 'e6a2b8c4d0f1'
down_revision = 'd5e1f7a3b9c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_digest_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('delegation', sa.String(length=120), nullable=False),
    sa.Column('what', sa.String(length=60), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=True),
    sa.Column('created_at', drafter.dbtypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiations.id'], name=op.f('fk_notification_digest_entries_negotiation_id_negotiations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_digest_entries'))
    )
    with op.batch_alter_table('notification_digest_entries', schema=None) as batch_op:
        batch_op.create_index('ix_notification_digest_entries_negotiation', ['negotiation_id', 'created_at'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('circulated', 'deadline_moved', 'silence_started', 'silence_broken', 'silence_ended', 'decided', 'proposals', name='notificationkind', native_enum=False, length=32), nullable=False),
    sa.Column('delivery', sa.Enum('email', 'in_app', 'none', name='delivery', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=True),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('circulated', 'deadline_moved', 'silence_started', 'silence_broken', 'silence_ended', 'decided', 'proposals', name='notificationkind', native_enum=False, length=32), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', drafter.dbtypes.UTCDateTime(), nullable=False),
    sa.Column('read_at', drafter.dbtypes.UTCDateTime(), nullable=True),
    sa.Column('mail_state', sa.Enum('none', 'pending', 'sending', 'sent', 'failed', name='mailstate', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', drafter.dbtypes.UTCDateTime(), nullable=True),
    sa.Column('claim_token', sa.String(length=32), nullable=False),
    sa.Column('claimed_at', drafter.dbtypes.UTCDateTime(), nullable=True),
    sa.Column('sent_at', drafter.dbtypes.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiations.id'], name=op.f('fk_notifications_negotiation_id_negotiations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_mail_due', ['mail_state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_created')
        batch_op.drop_index('ix_notifications_mail_due')

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('notification_digest_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_digest_entries_negotiation')

    op.drop_table('notification_digest_entries')
