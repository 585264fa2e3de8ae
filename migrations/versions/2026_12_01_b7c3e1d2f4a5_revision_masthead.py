"""Each revision's own document identity: masthead fields, title, chapeau, title-block footnotes

Revision ID: b7c3e1d2f4a5
Revises: a0d17e4f9b21
Create Date: 2026-12-01 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c3e1d2f4a5'
down_revision = 'a0d17e4f9b21'
branch_labels = None
depends_on = None

_TEXT_COLUMNS = [
    ('distribution', sa.String(length=20)),
    ('original_language', sa.String(length=30)),
    ('session_name', sa.String(length=60)),
    ('committee', sa.String(length=80)),
    ('agenda_item', sa.String(length=30)),
    ('agenda_title', sa.String(length=500)),
    ('sponsor_line', sa.Text()),
    ('title', sa.String(length=500)),
    ('chapeau', sa.String(length=300)),
]


def upgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        for name, type_ in _TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=''))
        batch_op.add_column(sa.Column('title_footnotes', sa.JSON(), nullable=False, server_default='[]'))
    # Until now every export printed the negotiation's title: each revision starts with it.
    op.execute("UPDATE revisions SET title = (SELECT n.title FROM negotiations n WHERE n.id = revisions.negotiation_id)")


def downgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_column('title_footnotes')
        for name, _ in reversed(_TEXT_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column('issued_on')
