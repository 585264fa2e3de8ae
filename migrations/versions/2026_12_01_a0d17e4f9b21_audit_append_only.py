"""audit events append-only: triggers, no cascading foreign keys, revision of each event

Revision ID: a0d17e4f9b21
Revises: 5e55a0c1d2b3
Create Date: 2026-12-01 19:00:00

The database refuses UPDATE and DELETE on audit_events. Deleting a user or a negotiation that
appears in the record is refused rather than blanking (SET NULL) or erasing (CASCADE) events.
Each event records the revision its object belongs to, so the record can be filtered by revision.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a0d17e4f9b21"
down_revision = "5e55a0c1d2b3"
branch_labels = None
depends_on = None

MESSAGE = "audit events are append-only"
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
)
POSTGRESQL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END $$",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
)
#: the revision of an existing event's object, by the object's table
BACKFILL = {
    "Revision": "audit_events.object_id",
    "ParagraphVersion": "(SELECT revision_id FROM paragraph_versions WHERE id = audit_events.object_id)",
    "Proposal": "(SELECT revision_id FROM proposals WHERE id = audit_events.object_id)",
    "SilenceBreak": "(SELECT revision_id FROM silence_breaks WHERE id = audit_events.object_id)",
    "ExportRecord": "(SELECT revision_id FROM export_records WHERE id = audit_events.object_id)",
}


def _foreign_keys(batch_op, actor_ondelete, negotiation_ondelete):
    batch_op.drop_constraint("fk_audit_events_actor_id_users", type_="foreignkey")
    batch_op.drop_constraint("fk_audit_events_negotiation_id_negotiations", type_="foreignkey")
    batch_op.create_foreign_key("fk_audit_events_actor_id_users", "users", ["actor_id"], ["id"],
                                ondelete=actor_ondelete)
    batch_op.create_foreign_key("fk_audit_events_negotiation_id_negotiations", "negotiations",
                                ["negotiation_id"], ["id"], ondelete=negotiation_ondelete)


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision_id", sa.Integer(), nullable=True))
        _foreign_keys(batch_op, None, None)
        batch_op.create_index("ix_audit_events_negotiation_revision", ["negotiation_id", "revision_id"], unique=False)
    for object_type, revision_id in BACKFILL.items():
        op.execute(sa.text(f"UPDATE audit_events SET revision_id = {revision_id} WHERE object_type = :t")
                   .bindparams(t=object_type))
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_negotiation_revision")
        _foreign_keys(batch_op, "SET NULL", "CASCADE")
        batch_op.drop_column("revision_id")
