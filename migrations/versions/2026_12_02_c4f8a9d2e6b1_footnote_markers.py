"""Footnotes as data: a marker in the text for each reference, notes by marker id; proposals carry theirs

Revision ID: c4f8a9d2e6b1
Revises: b7c3e1d2f4a5
Create Date: 2026-12-02 02:30:00

Until now a paragraph's footnotes were a list of "1 Resolution 70/1." with the number left in
the words as printed ("70/1,1"), or not in the words at all (Word imports). Each printed number
found after the one before becomes a marker (U+E001 for the paragraph's first note, U+E002 ...)
and the notes a mapping {"1": "Resolution 70/1."}; a note whose number is not found gets its
marker at the end of the paragraph. A proposal on such a paragraph has its text converted the
same way. Downgrading prints the numbers back into the words.
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f8a9d2e6b1'
down_revision = 'b7c3e1d2f4a5'
branch_labels = None
depends_on = None

FIRST = 0xE001
_PREFIX = re.compile(r"(?:Endnote\s+)?(\d{1,3})\s+")

versions = sa.table(
    'paragraph_versions', sa.column('id', sa.Integer), sa.column('text', sa.Text), sa.column('footnotes', sa.JSON)
)
proposals = sa.table(
    'proposals',
    sa.column('id', sa.Integer),
    sa.column('target_version_id', sa.Integer),
    sa.column('proposed_text', sa.Text),
    sa.column('footnotes', sa.JSON),
)


def _convert(text, notes):
    """Return (text with markers, {"1": note}) for a legacy list of "N note" strings."""
    out = {}
    offset = 0
    for k, note in enumerate(notes, start=1):
        note = str(note)
        m = _PREFIX.match(note)
        body = note[m.end():].strip() if m else note.strip()
        mark = chr(FIRST + k - 1)
        found = None
        if m and not note.startswith("Endnote"):
            pattern = re.compile(
                rf"(?:(?<=[^\W\d_A-Z])|(?<=[,.;:”’\"')\]])\s?|(?<=\d{{4}} )){m.group(1)}(?![\d/]|[.,]\d)"
            )
            found = pattern.search(text, offset)
        if found:
            before = text[: found.start()].rstrip(" \t")
            text = before + mark + text[found.end():]
            offset = len(before) + 1
        else:
            text = text + mark
        out[str(k)] = body
    return text, out


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('footnotes', sa.JSON(), nullable=False, server_default='{}'))
    bind = op.get_bind()
    converted = {}
    for row in bind.execute(sa.select(versions.c.id, versions.c.text, versions.c.footnotes)).all():
        notes = row.footnotes
        if isinstance(notes, list) and notes:
            text, new = _convert(row.text, notes)
            converted[row.id] = notes
            bind.execute(versions.update().where(versions.c.id == row.id).values(text=text, footnotes=new))
        elif not isinstance(notes, dict):
            bind.execute(versions.update().where(versions.c.id == row.id).values(footnotes={}))
    if converted:
        rows = bind.execute(
            sa.select(proposals.c.id, proposals.c.target_version_id, proposals.c.proposed_text).where(
                proposals.c.target_version_id.in_(list(converted))
            )
        ).all()
        for row in rows:
            text, new = _convert(row.proposed_text or "", converted[row.target_version_id])
            if not row.proposed_text:
                text, new = "", {}
            bind.execute(proposals.update().where(proposals.c.id == row.id).values(proposed_text=text, footnotes=new))


def _printed(text, notes, start):
    """Return the text with each marker printed as its number, and the notes as "N note" strings."""
    listed = []
    numbers = {}

    def put(m):
        k = ord(m.group()) - FIRST + 1
        if k not in numbers:
            numbers[k] = start + len(numbers)
            listed.append(f"{numbers[k]} {notes.get(str(k), '')}".strip())
        return str(numbers[k])

    return re.sub("[\ue001-\uf8ff]", put, text), listed


def downgrade():
    bind = op.get_bind()
    for row in bind.execute(sa.select(versions.c.id, versions.c.text, versions.c.footnotes)).all():
        notes = row.footnotes if isinstance(row.footnotes, dict) else {}
        text, listed = _printed(row.text, notes, 1)
        bind.execute(versions.update().where(versions.c.id == row.id).values(text=text, footnotes=listed))
    for row in bind.execute(sa.select(proposals.c.id, proposals.c.proposed_text, proposals.c.footnotes)).all():
        text, _ = _printed(row.proposed_text or "", row.footnotes if isinstance(row.footnotes, dict) else {}, 1)
        bind.execute(proposals.update().where(proposals.c.id == row.id).values(proposed_text=text))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('footnotes')
