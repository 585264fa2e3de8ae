"""``drafter backup`` and ``drafter restore``: a whole negotiation, across SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.audit import AuditEvent
from drafter.auth.models import Delegation, Role, User
from drafter.auth.services import authenticate
from drafter.backup.schema import encode, id_column, plan, selection
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation, Paragraph, ParagraphVersion, Revision, SilenceBreak, Status
from drafter.drafting.queries import load_versions
from drafter.exporting import services as exports
from drafter.exporting.models import ExportRecord
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind, ProposalState, Stance
from drafter.text.structure import Kind
from tests import factories as f
from tests.conftest import PG_URL, TEST_PASSWORD, login, make_app

SLUG = "coastal-declaration"
T0 = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
REV2 = [
    (Kind.PREAMBULAR, "Guided by the Charter of the United Nations,"),
    (Kind.PREAMBULAR, "Recalling all its earlier resolutions on the subject,"),
    (Kind.HEADING, "Commitments"),
    (Kind.OPERATIVE, "Decides to convene a high-level meeting in 2027;"),
    (Kind.OPERATIVE, "Calls upon Member States to act, including by:"),
    (Kind.SUBPARAGRAPH, "Strengthening early warning systems;"),
    (Kind.SUBPARAGRAPH, "Protecting and restoring coastal ecosystems;"),
    (Kind.OPERATIVE, "Invites the private sector to contribute resources;"),
    (Kind.OPERATIVE, "Requests the Secretary-General to report on progress at its eighty-fifth session;"),
]


def other_sqlite(tmp_path: Path) -> Flask:
    """Return a test app on a fresh SQLite file, with its own export folder."""
    folder = tmp_path / "other"
    folder.mkdir(exist_ok=True)
    return make_app(folder, DATABASE_URL=f"sqlite:///{folder / 'drafter.sqlite'}", SQLALCHEMY_ENGINE_OPTIONS={})


@contextmanager
def inside(app: Flask) -> Iterator[Any]:
    """Run a block in ``app``'s context and yield its session."""
    with app.app_context():
        yield db.session
        db.session.remove()


def export_dir(app: Flask) -> Path:
    return Path(app.config["EXPORT_DIR"])


def build(session, folder: Path) -> None:
    """Build a negotiation with every kind of record, through the services, and commit it."""
    n = f.negotiation(session, slug=SLUG, title="Political declaration on resilient coastal communities")
    t = f.team(session, n)
    norway = f.delegation(session, "Norway")
    t["delegate3"] = f.user(session, role=Role.DELEGATE, negotiation=n, delegation=norway)
    cf = t["cofacilitator"]
    mexico, g77 = t["delegate"].membership_in(n.id).delegation, t["delegate2"].membership_in(n.id).delegation
    zero = f.revision(session, n, now=T0, deadline=T0 + 7 * D)
    v = load_versions(session, zero)

    def submit(who, delegation, kind, target, text="", **kw):
        return proposals.submit(
            session, t[who], zero, delegation, kind=kind, target=target, text=text, now=T0 + H, **kw
        )

    amend = submit(
        "delegate",
        mexico,
        ProposalKind.AMEND,
        v[3],
        "Decides to convene a high-level meeting in 2027;",
        justification="Sooner is better.",
    )
    insert = submit(
        "delegate2",
        g77,
        ProposalKind.INSERT,
        v[6],
        "Invites the private sector to contribute;",
        new_kind=Kind.OPERATIVE,
    )
    delete = submit("delegate3", norway, ProposalKind.DELETE, v[1])
    submit("delegate", mexico, ProposalKind.RETAIN, v[0])
    merged = submit(
        "delegate2", g77, ProposalKind.AMEND, v[3], "Decides to convene a high-level meeting in 2027 in Apia;"
    )
    submit("delegate3", norway, ProposalKind.AMEND, v[7], "Requests the Secretary-General to report annually;")
    withdrawn = submit("delegate2", g77, ProposalKind.AMEND, v[5], "Strengthening early warning systems for all;")
    proposals.withdraw(session, t["delegate2"], withdrawn, now=T0 + 2 * H)
    proposals.set_position(session, t["delegate2"], amend, g77, Stance.COSPONSOR, now=T0 + 2 * H)
    proposals.set_position(session, t["delegate3"], amend, norway, Stance.OPPOSE, now=T0 + 2 * H)
    proposals.set_position(session, t["delegate"], insert, mexico, Stance.SUPPORT, now=T0 + 2 * H)
    lifecycle.release_compilation(session, cf, zero, now=T0 + 3 * H)
    for style in ("formatted", "tracked"):
        exports.archive(
            session,
            cf,
            exports.compilation_export(session, zero, style=style),
            export_dir=folder,
            revision=zero,
            options={"style": style},
            now=T0 + 3 * H,
        )
    exports.archive(session, cf, exports.clean_export(session, zero), export_dir=folder, revision=zero, now=T0 + 3 * H)

    later = T0 + 8 * D
    rev1 = drafting.start_revision(session, cf, n, now=later)
    session.flush()
    decisions.decide(session, cf, amend, ProposalState.INCORPORATED, note="Agreed in informals.", now=later)
    decisions.decide(session, cf, merged, ProposalState.MERGED, merged_into=amend, now=later)
    decisions.decide(
        session,
        cf,
        insert,
        ProposalState.INCORPORATED_WITH_CHANGES,
        text="Invites the private sector to contribute resources;",
        now=later,
    )
    decisions.decide(session, cf, delete, ProposalState.NOT_RETAINED, note="No support in the room.", now=later)
    w = load_versions(session, rev1)
    editing.edit_text(
        session,
        cf,
        w[0],
        "Recalling all its earlier resolutions on the subject,",
        expected_version=w[0].version,
        now=later + H,
    )
    editing.set_status(
        session, cf, w[2], Status.AGREED_AD_REF, "pending capitals", expected_version=w[2].version, now=later + H
    )
    # its audit event names a paragraph version that no longer exists
    editing.delete_paragraph(session, cf, w[1], expected_version=w[1].version)
    lifecycle.circulate(session, cf, rev1, deadline=later + 7 * D, now=later + 2 * H)  # the open proposal is superseded
    r1 = {v.text.split()[0]: v for v in load_versions(session, rev1)}
    proposals.submit(
        session,
        t["delegate"],
        rev1,
        mexico,
        kind=ProposalKind.AMEND,
        target=r1["Protecting"],
        text="Protecting and restoring coastal ecosystems;",
        now=later + 3 * H,
    )
    exports.archive(
        session,
        cf,
        exports.tracked_export(session, zero, rev1),
        export_dir=folder,
        revision=rev1,
        from_revision=zero,
        options={"author": "Co-facilitators"},
        now=later + 3 * H,
    )
    lifecycle.put_under_silence(session, cf, rev1, until=later + 3 * D, now=later + D)
    lifecycle.record_silence_break(
        session,
        t["secretariat"],
        rev1,
        delegation=norway,
        statement="Norway cannot join consensus on the meeting date.",
        paragraph_ids=[r1["Decides"].paragraph_id, r1["Recalling"].paragraph_id],
        now=later + 2 * D,
    )
    scratch = drafting.start_revision(session, cf, n, label="Scratch", now=later + 2 * D)
    session.flush()
    drafting.discard_revision(session, cf, scratch)

    final = later + 4 * D
    rev2 = f.revision(session, n, REV2, label="Rev.2", now=final, deadline=final + 2 * D)
    lifecycle.put_under_silence(session, cf, rev2, until=final + D, now=final + H)
    lifecycle.adopt(session, cf, rev2, now=final + 2 * D)
    exports.archive(
        session,
        cf,
        exports.clean_export(session, rev2, show_status=True),
        export_dir=folder,
        revision=rev2,
        options={"show_status": True},
        now=final + 2 * D,
    )
    session.commit()


def counts(session, slug: str = SLUG) -> dict[str, int]:
    """Return the number of rows of each table that belong to the negotiation."""
    n_id = session.scalar(sa.select(Negotiation.id).where(Negotiation.slug == slug))
    p = plan(db.metadata)
    ids = selection(p, n_id)
    return {t.name: session.scalar(sa.select(sa.func.count()).select_from(ids[t.name].subquery())) for t in p.owned}


def all_rows(session) -> dict[str, int]:
    """Return the number of rows of every table in the database."""
    return {t.name: session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def describe(session, model: str, object_id: int | None) -> Any:
    """Return the values of an audited object's own columns (not its ids), or None when it is gone."""
    cls = {m.class_.__name__: m.class_ for m in db.Model.registry.mappers}[model]
    obj = session.get(cls, object_id) if object_id is not None else None
    if obj is None:
        return None
    table = cls.__table__
    return {
        c.name: encode(getattr(obj, c.key))
        for c in table.columns
        if not c.primary_key and not c.foreign_keys and "refers_to" not in c.info and c.name not in ("slug", "path")
    }  # the short name, and the folder named after it, may change


def in_negotiation(session, n: Negotiation, revision_id: int | None) -> bool:
    """Return False when an id names a revision of another negotiation."""
    revision = session.get(Revision, revision_id) if revision_id is not None else None
    return revision is None or revision.negotiation_id == n.id


def snapshot(session, slug: str = SLUG) -> dict[str, Any]:
    """Return what must survive a restore: export hashes, the audit log, the record in plain values."""
    n = session.scalar(sa.select(Negotiation).where(Negotiation.slug == slug))
    revs = list(n.revisions)
    made = {}
    for r in revs:
        made[f"clean {r.label}"] = exports.clean_export(session, r).sha256
        made[f"clean+status {r.label}"] = exports.clean_export(session, r, show_status=True).sha256
        for style in ("formatted", "tracked") if r.state.is_public else ():
            made[f"compilation {style} {r.label}"] = exports.compilation_export(session, r, style=style).sha256  # type: ignore[arg-type]
    for old, new in zip(revs, revs[1:]):
        made[f"tracked {old.label} -> {new.label}"] = exports.tracked_export(session, old, new).sha256
    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.negotiation_id == n.id).order_by(AuditEvent.id))
    log = [
        (
            e.created_at,
            e.action,
            e.actor.email if e.actor else None,
            e.object_type,
            describe(session, e.object_type, e.object_id),
            e.summary,
            e.data,
            describe(session, "Revision", e.revision_id),
            in_negotiation(session, n, e.revision_id),
        )
        for e in events
    ]
    proposals_ = [
        (
            p.revision.label,
            p.delegation.name,
            p.kind,
            p.target_version.position if p.target_version else None,
            p.proposed_text,
            p.state,
            p.decision_note,
            p.decided_by.email if p.decided_by else None,
            p.decided_at,
            p.merged_into.proposed_text if p.merged_into else None,
            p.version,
            sorted((x.delegation.name, x.stance, x.created_at) for x in p.positions),
        )
        for p in session.scalars(
            sa.select(Proposal).join(Revision).where(Revision.negotiation_id == n.id).order_by(Proposal.id)
        )
    ]
    # lineage: each paragraph as the texts of its versions, revision by revision
    lineage = sorted(
        tuple(
            (v.revision.label, v.position, v.text, v.status, v.updated_at)
            for v in sorted(p.versions, key=lambda v: v.revision.seq)
        )
        for p in session.scalars(sa.select(Paragraph).where(Paragraph.negotiation_id == n.id))
    )
    breaks = [
        (
            b.delegation.name,
            b.statement,
            b.created_at,
            b.recorded_by_id is not None,
            [session.get(Paragraph, pid).versions[0].text for pid in b.paragraph_ids],
        )
        for r in revs
        for b in r.silence_breaks
    ]
    archived = [
        (x.kind, x.filename, x.sha256, x.size, x.created_at, x.revision.label, x.options)
        for x in session.scalars(
            sa.select(ExportRecord).where(ExportRecord.negotiation_id == n.id).order_by(ExportRecord.id)
        )
    ]
    members = sorted((m.user.email, m.role, m.delegation.name if m.delegation else None) for m in n_members(session, n))
    revisions = [
        (
            r.seq,
            r.label,
            r.state,
            r.base_revision.label if r.base_revision else None,
            r.proposal_deadline,
            r.circulated_at,
            r.silence_until,
            r.adopted_at,
            r.compilation_released_at,
            r.created_at,
        )
        for r in revs
    ]
    return {
        "exports": made,
        "audit": log,
        "proposals": proposals_,
        "lineage": lineage,
        "breaks": breaks,
        "archived": archived,
        "members": members,
        "revisions": revisions,
        "counts": counts(session, slug),
    }


def n_members(session, n: Negotiation):
    from drafter.auth.models import Membership

    return session.scalars(sa.select(Membership).where(Membership.negotiation_id == n.id))


def directions() -> list[str]:
    return ["sqlite->postgresql", "postgresql->sqlite"] if PG_URL else ["sqlite->sqlite-file"]


@pytest.mark.parametrize("direction", directions())
def test_round_trip_into_the_other_database_keeps_everything(app, tmp_path, direction):
    """Exports made again on the restored copy have the same sha256; the audit log and record are the same."""
    other = other_sqlite(tmp_path)
    source, target = (other, app) if direction == "sqlite->postgresql" else (app, other)
    with inside(source) as session:
        build(session, export_dir(source))
        before = snapshot(session)
        archived_before = {
            r.filename: exports.read_archived(r, export_dir(source)) for r in session.scalars(sa.select(ExportRecord))
        }
    backup_file = tmp_path / "coastal.drafter-backup"
    with inside(source):
        out = source.test_cli_runner().invoke(args=["backup", SLUG, "-o", str(backup_file), "--with-accounts"])
    assert out.exit_code == 0, out.output
    assert "proposals 8," in out.output and "5 export files" in out.output

    with inside(target):
        result = target.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert (
        f"Restored {SLUG}" in result.output and "Users: 0 matched with existing ones, 6 created." in result.output
    )  # the members

    with inside(target) as session:
        after = snapshot(session)
        restored_event = after["audit"].pop()
        after["counts"]["audit_events"] -= 1
        assert restored_event[1] == "negotiation.restored" and restored_event[6]["source"] == SLUG
        assert after["exports"] == before["exports"]
        assert len(before["exports"]) == 14  # 3 revisions x (clean, clean with statuses, 2 compilations) + 2 tracked
        assert after["audit"] == before["audit"]
        assert len(before["audit"]) > 30
        assert None in [
            e[4] for e in before["audit"]
        ]  # the deleted paragraph version is named, and gone, on both sides
        for key in ("proposals", "lineage", "breaks", "archived", "members", "revisions", "counts"):
            assert after[key] == before[key], key
        assert before["counts"]["proposal_positions"] == 3 and before["counts"]["silence_breaks"] == 1

        cf = session.scalar(sa.select(User).where(User.name == "Co Facilitator"))
        assert authenticate(session, cf.email, TEST_PASSWORD) is not None  # the hash came along
        records = list(session.scalars(sa.select(ExportRecord).order_by(ExportRecord.id)))
        client = target.test_client()
        login(client, cf)
        for record in records:
            response = client.get(f"/n/{SLUG}/exports/{record.id}/download")
            assert response.status_code == 200
            assert response.data == archived_before[record.filename]
            assert hashlib.sha256(response.data).hexdigest() == record.sha256
            assert (export_dir(target) / record.path).is_file()


def test_restore_without_accounts_creates_locked_users(app, tmp_path, session):
    """Without --with-accounts no password hash leaves the database; accounts made on restore cannot sign in."""
    build(session, export_dir(app))
    runner = app.test_cli_runner()
    backup_file = tmp_path / "b.zip"
    out = runner.invoke(args=["backup", SLUG, "-o", str(backup_file)])
    assert out.exit_code == 0, out.output
    with zipfile.ZipFile(backup_file) as zf:
        users = json.loads(zf.read("tables/users.json"))
    assert "password_hash" not in users["columns"] and "email" in users["columns"]
    hashes = [u.password_hash for u in session.scalars(sa.select(User))]
    assert not any(h.encode() in backup_file.read_bytes() for h in hashes)

    other = other_sqlite(tmp_path)
    with inside(other) as s2:
        f.user(s2, name="Already here")  # an unrelated account on the target
        existing = f.delegation(s2, "Norway")
        s2.commit()
        existing_id = existing.id
        result = other.test_cli_runner().invoke(args=["restore", str(backup_file)])
        assert result.exit_code == 0, result.output
        assert (
            "no password and are inactive" in result.output and "an administrator must set a password" in result.output
        )
        assert "Delegations: 1 matched with existing ones, 2 created." in result.output
        restored = list(s2.scalars(sa.select(User).where(User.name != "Already here")))
        assert len(restored) == 6
        assert all(not u.active and not u.is_admin for u in restored)
        assert all(authenticate(s2, u.email, TEST_PASSWORD) is None for u in restored)
        norway_members = s2.scalars(sa.select(Delegation).where(Delegation.name == "Norway")).all()
        assert [d.id for d in norway_members] == [existing_id]


def test_restore_as_a_new_slug_beside_the_original(app, tmp_path, session):
    """--as restores a copy in the same database: accounts and delegations are matched, not duplicated."""
    build(session, export_dir(app))
    before = snapshot(session)
    users, delegations = all_rows(session)["users"], all_rows(session)["delegations"]
    runner = app.test_cli_runner()
    backup_file = tmp_path / "b.zip"
    assert runner.invoke(args=["backup", SLUG, "-o", str(backup_file)]).exit_code == 0

    refused = runner.invoke(args=["restore", str(backup_file)])
    assert refused.exit_code == 1 and "already a negotiation called 'coastal-declaration'" in refused.output
    assert "--as NEW_SLUG" in refused.output

    result = runner.invoke(args=["restore", str(backup_file), "--as", "coastal-copy"])
    assert result.exit_code == 0, result.output
    assert "Users: 6 matched with existing ones, 0 created." in result.output
    session.expire_all()
    assert all_rows(session)["users"] == users and all_rows(session)["delegations"] == delegations
    copy = snapshot(session, "coastal-copy")
    assert copy["audit"].pop()[1] == "negotiation.restored"
    copy["counts"]["audit_events"] -= 1
    for key in ("exports", "audit", "proposals", "lineage", "breaks", "archived", "members", "revisions", "counts"):
        assert copy[key] == before[key], key
    assert snapshot(session) == before  # the original is untouched
    copy_id = session.scalar(sa.select(Negotiation.id).where(Negotiation.slug == "coastal-copy"))
    brk = session.scalar(sa.select(SilenceBreak).join(Revision).where(Revision.negotiation_id == copy_id))
    assert {session.get(Paragraph, pid).negotiation_id for pid in brk.paragraph_ids} == {copy_id}
    record = session.scalar(sa.select(ExportRecord).where(ExportRecord.negotiation_id == copy_id).limit(1))
    assert record.path.startswith("coastal-copy/")
    client = app.test_client()
    login(client, session.scalar(sa.select(User).where(User.name == "Co Facilitator")))
    response = client.get(f"/n/coastal-copy/exports/{record.id}/download")
    assert response.status_code == 200 and hashlib.sha256(response.data).hexdigest() == record.sha256


@pytest.fixture
def good_backup(app, session, tmp_path) -> bytes:
    """A valid backup of the built negotiation (in ``app``)."""
    build(session, export_dir(app))
    path = tmp_path / "good.zip"
    assert app.test_cli_runner().invoke(args=["backup", SLUG, "-o", str(path)]).exit_code == 0
    return path.read_bytes()


def rezip(data: bytes, change) -> bytes:
    """Return a backup rebuilt after ``change(members)`` edited its members (checksums left as they were)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    change(members)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def with_manifest(edit):
    """Return a change that edits the manifest and keeps the member checksums consistent."""

    def change(members):
        manifest = json.loads(members["manifest.json"])
        edit(manifest, members)
        manifest["members"] = {n: hashlib.sha256(c).hexdigest() for n, c in members.items() if n != "manifest.json"}
        members["manifest.json"] = json.dumps(manifest).encode()

    return change


def flip_inside_compressed_data(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("tables/proposals.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    return data[:middle] + bytes([data[middle] ^ 0x55]) + data[middle + 1 :]


def _dangling_delegation(manifest, members):
    proposals_ = json.loads(members["tables/proposals.json"])
    col = proposals_["columns"].index("delegation_id")
    proposals_["rows"][-1][col] = 999_999  # refers to a delegation the backup does not hold
    members["tables/proposals.json"] = json.dumps(proposals_).encode()


def _unknown_column(manifest, members):
    table = json.loads(members["tables/revisions.json"])
    table["columns"].append("translation_language")
    for row in table["rows"]:
        row.append("fr")
    members["tables/revisions.json"] = json.dumps(table).encode()


REFUSALS = {
    "flipped byte": (flip_inside_compressed_data, "damaged"),
    "truncated": (lambda d: d[: len(d) // 2], "not a zip archive, or it is truncated"),
    "not a zip": (lambda d: b"Political declaration, final text\n", "not a zip archive"),
    "no manifest": (lambda d: rezip(d, lambda m: m.pop("manifest.json")), "it has no manifest"),
    "newer format": (
        lambda d: rezip(d, with_manifest(lambda m, _: m.update(format_version=2))),
        "made by a newer version of Drafter (backup format 2",
    ),
    "newer schema": (
        lambda d: rezip(d, with_manifest(lambda m, _: m.update(schema_revisions=["ffffffffffff"]))),
        "newer version of Drafter (database schema ffffffffffff)",
    ),
    "unknown column": (lambda d: rezip(d, with_manifest(_unknown_column)), "column 'translation_language'"),
    "altered table": (
        lambda d: rezip(d, lambda m: m.update({"tables/audit_events.json": b'{"columns":[],"rows":[]}'})),
        "tables/audit_events.json does not match its checksum",
    ),
    "altered export file": (
        lambda d: rezip(
            d,
            with_manifest(
                lambda m, members: members.update({n: b"not the file" for n in members if n.startswith("files/")})
            ),
        ),
        "lacks the file of export",
    ),
    "dangling reference": (
        lambda d: rezip(d, with_manifest(_dangling_delegation)),
        "refers to delegations #999999, which it does not hold",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_bad_backup_is_refused_with_nothing_restored(app, session, tmp_path, good_backup, case):
    """Each damaged or foreign file is refused with a message; no row or export file is left behind."""
    damage, message = REFUSALS[case]
    path = tmp_path / "bad.zip"
    path.write_bytes(damage(good_backup))
    rows = all_rows(session)
    files = sorted(export_dir(app).rglob("*"))
    result = app.test_cli_runner().invoke(args=["restore", str(path), "--as", "coastal-copy"])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    session.rollback()
    assert all_rows(session) == rows
    assert sorted(export_dir(app).rglob("*")) == files


def test_a_good_backup_restores_after_those_refusals(app, session, tmp_path, good_backup):
    """The same file, unharmed, is accepted (so each refusal above is the damage's doing)."""
    path = tmp_path / "good.zip"
    path.write_bytes(good_backup)
    result = app.test_cli_runner().invoke(args=["restore", str(path), "--as", "coastal-copy"])
    assert result.exit_code == 0, result.output
    assert counts(session, "coastal-copy") == {**counts(session), "audit_events": counts(session)["audit_events"] + 1}


def test_backup_refuses_when_an_archived_file_is_missing(app, session, tmp_path):
    build(session, export_dir(app))
    record = session.scalar(sa.select(ExportRecord).limit(1))
    (export_dir(app) / record.path).unlink()
    out = app.test_cli_runner().invoke(args=["backup", SLUG, "-o", str(tmp_path / "b.zip")])
    assert out.exit_code == 1
    assert (
        f"{record.filename} (export #{record.id}): The archived file is missing from the export folder." in out.output
    )
    assert not (tmp_path / "b.zip").exists() and not list(tmp_path.glob("*.part"))


def test_backup_of_an_unknown_negotiation_is_refused(app, tmp_path):
    out = app.test_cli_runner().invoke(args=["backup", "no-such-thing", "-o", str(tmp_path / "b.zip")])
    assert out.exit_code == 1 and "No negotiation is called 'no-such-thing'" in out.output


def test_every_table_of_the_negotiation_is_carried(app, session, good_backup):
    """Tables are found from the foreign keys; none with rows of the negotiation is left out."""
    with zipfile.ZipFile(io.BytesIO(good_backup)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    owned = {t.name for t in plan(db.metadata).owned}
    assert owned >= {
        "negotiations",
        "revisions",
        "paragraphs",
        "paragraph_versions",
        "proposals",
        "proposal_positions",
        "silence_breaks",
        "memberships",
        "audit_events",
        "export_records",
    }
    assert "pending_imports" not in owned  # previews are not part of the record
    assert set(manifest["tables"]) == owned | {"users", "delegations"}
    assert manifest["tables"] == {**counts(session), "users": 6, "delegations": 3}
    assert manifest["slug"] == SLUG and manifest["with_accounts"] is False
    assert id_column(ParagraphVersion.__table__).name == "id"
