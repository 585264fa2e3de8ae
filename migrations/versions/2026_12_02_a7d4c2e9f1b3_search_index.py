"""Search index: one row per searchable text; FTS5 on SQLite, tsvector with a GIN index on PostgreSQL

Revision ID: a7d4c2e9f1b3
Revises: f3a9c7e1b5d4
Create Date: 2026-12-02 02:40:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'a7d4c2e9f1b3'
down_revision = 'f3a9c7e1b5d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=True),
    sa.Column('proposal_kind', sa.String(length=20), nullable=True),
    sa.Column('proposal_state', sa.String(length=30), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('tsv', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiations.id'], name=op.f('fk_search_entries_negotiation_id_negotiations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraphs.id'], name=op.f('fk_search_entries_paragraph_id_paragraphs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_search_entries_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_search_entries_revision_id_revisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['paragraph_versions.id'], name=op.f('fk_search_entries_version_id_paragraph_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries'))
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_entries_negotiation_id'), ['negotiation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entries_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entries_version_id'), ['version_id'], unique=False)
        batch_op.create_index('ix_search_entries_tsv', ['tsv'], unique=False, postgresql_using='gin')

    from drafter.search import index, models

    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for statement in models.SQLITE_DDL:
            op.execute(statement)
    # index what the database already holds, read column by column as this schema has them
    pv = sa.table('paragraph_versions', *(sa.column(c) for c in ('id', 'revision_id', 'paragraph_id', 'text')),
                  sa.column('footnotes', sa.JSON))
    pr = sa.table('proposals', *(sa.column(c) for c in (
        'id', 'revision_id', 'delegation_id', 'kind', 'state', 'target_version_id', 'result_paragraph_id',
        'proposed_text', 'justification', 'decision_note')), sa.column('footnotes', sa.JSON))
    versions = list(bind.execute(sa.select(pv)))
    proposals = list(bind.execute(sa.select(pr)))
    if versions or proposals:
        index.write(bind, versions, proposals)


def downgrade():
    from drafter.search import models

    if op.get_bind().dialect.name == 'sqlite':
        for statement in models.SQLITE_DROP:
            op.execute(statement)
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entries_tsv', postgresql_using='gin')
        batch_op.drop_index(batch_op.f('ix_search_entries_version_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_negotiation_id'))

    op.drop_table('search_entries')
