"""Put a generated workload into a database through the app's services (setup: not timed).

Revisions are imported with ``drafting.import_revision`` (the generator's identities given as
the user's pairing, as a co-facilitator confirms them in the import preview) and circulated;
users, delegations and roles come from ``auth.services``. Proposals and positions are inserted
in bulk with the audit events ``proposals.services`` writes for them (a service call per row
made the setup ten times slower); the load test submits through the real form and service.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from bench.workload import USERS, Workload

PASSWORD = "bench-password-1"
#: the zero draft's circulation; each revision follows two weeks later
START = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
#: the last revision stays open for proposals, so the load test can submit "now"
LAST_DEADLINE = dt.datetime(2099, 12, 31, 18, 0, tzinfo=dt.UTC)


def app_config(database_url: str, workdir: Path, **extra: Any) -> dict[str, Any]:
    """Return the configuration of a benchmark app: production settings but fast password hashes."""
    config: dict[str, Any] = {
        "SECRET_KEY": "bench-secret",
        "WTF_CSRF_ENABLED": False,  # the test client posts forms directly; gunicorn keeps CSRF on
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "EXPORT_DIR": str(workdir / "exports"),
        "SECURE_COOKIES": False,
        "DATABASE_URL": database_url,
    }
    config.update(extra)
    return config


def make_app(database_url: str, workdir: Path, **extra: Any) -> Flask:
    from drafter import create_app

    return create_app(app_config(database_url, workdir, **extra))


@dataclass
class Loaded:
    """What the benchmarks need to find in the loaded database."""

    slug: str
    last_seq: int
    cofacilitator: str  #: e-mail
    delegates: list[str]  #: e-mail of one delegate per delegation, in workload order
    #: lineage id and text of each paragraph of the last revision, in order
    paragraphs: list[tuple[int, str]]
    #: the paragraph with the most proposals among those present since the zero draft
    history_paragraph: int
    setup_seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def reset_schema(app: Flask) -> None:
    """Drop and create every table (a fresh database for each scale)."""
    from drafter.extensions import db

    with app.app_context():
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()


def _bulk_proposals(s: Any, w: Workload, rev: Any, versions: list[Any], dels: list[Any], delegates: list[Any]) -> None:
    """Insert the proposals, positions and their audit events in bulk, as ``proposals.services``
    would have written them (one service call and flush per row took most of the setup time)."""
    from drafter.audit import AuditEvent
    from drafter.proposals.models import Proposal, ProposalKind, ProposalPosition, ProposalSource, ProposalState, Stance
    from drafter.text.structure import Kind

    opened = rev.circulated_at
    rows, when_of = [], []
    for i, spec in enumerate(w.proposals):
        target = versions[spec.target]
        kind = ProposalKind(spec.kind)
        new_kind, new_level = None, 0
        if kind is ProposalKind.INSERT:
            new_kind = target.kind if target.kind is not Kind.HEADING else Kind.OPERATIVE
            new_level = max(1, min(target.level or 1, 3)) if new_kind is Kind.SUBPARAGRAPH else 0
        when = opened + dt.timedelta(minutes=spec.minute, seconds=i % 60)
        when_of.append(when)
        rows.append(
            dict(
                revision_id=rev.id,
                delegation_id=dels[spec.delegation].id,
                kind=kind,
                target_version_id=target.id,
                new_kind=new_kind,
                new_level=new_level,
                proposed_text=spec.text,
                justification=spec.justification,
                state=ProposalState.SUBMITTED,
                decision_note="",
                source=ProposalSource.WEB,
                source_meta={},
                created_by_id=delegates[spec.delegation].id,
                created_at=when,
                updated_at=when,
                version=1,
            )
        )
    ids = list(s.scalars(sa.insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True), rows))
    positions, events = [], []
    for pid, spec, when, row in zip(ids, w.proposals, when_of, rows):
        name = dels[spec.delegation].name
        events.append(
            dict(
                created_at=when,
                actor_id=row["created_by_id"],
                negotiation_id=rev.negotiation_id,
                action="proposal.submitted",
                object_type="Proposal",
                object_id=pid,
                summary=f"{name} proposed: {row['kind'].label.lower()} on {rev.label}",
                data={"kind": spec.kind, "text": spec.text, "target": versions[spec.target].paragraph_id},
            )
        )
        for d, stance in spec.positions:
            at = when + dt.timedelta(hours=1)
            positions.append(
                dict(
                    proposal_id=pid,
                    delegation_id=dels[d].id,
                    stance=Stance(stance),
                    created_by_id=delegates[d].id,
                    created_at=at,
                )
            )
            events.append(
                dict(
                    created_at=at,
                    actor_id=delegates[d].id,
                    negotiation_id=rev.negotiation_id,
                    action="proposal.position_set",
                    object_type="Proposal",
                    object_id=pid,
                    summary=f"{dels[d].name}: {Stance(stance).label} proposal #{pid}",
                    data={"delegation": dels[d].name, "before": None, "after": stance},
                )
            )
    for table, batch in ((ProposalPosition, positions), (AuditEvent, events)):
        for k in range(0, len(batch), 5000):
            s.execute(sa.insert(table), batch[k : k + 5000])


def load(app: Flask, w: Workload) -> Loaded:
    """Create the workload's negotiation, people, revisions and proposals; return where they are."""
    from drafter.auth import services as accounts
    from drafter.auth.models import DelegationKind, Role
    from drafter.drafting import services as drafting
    from drafter.drafting.queries import load_versions
    from drafter.extensions import db
    from drafter.lifecycle import services as lifecycle
    from drafter.text.structure import Kind, ParsedParagraph

    t0 = time.perf_counter()
    reset_schema(app)
    with app.app_context():
        s = db.session
        slug = f"bench-x{w.scale}"
        n = drafting.create_negotiation(s, None, slug=slug, title=w.title, symbol="A/81/L.7")
        dels = [
            accounts.create_delegation(s, None, name=name, kind=DelegationKind(kind)) for name, kind in w.delegations
        ]

        def person(email: str, name: str, role: Role, delegation: Any = None) -> Any:
            u = accounts.create_user(s, None, email=email, name=name, password=PASSWORD)
            accounts.grant_role(s, None, user=u, negotiation=n, role=role, delegation=delegation)
            return u

        cofac = person("cofac1@bench.example", "Co-facilitator One", Role.COFACILITATOR)
        person("cofac2@bench.example", "Co-facilitator Two", Role.COFACILITATOR)
        for k in range(3):
            person(f"secretariat{k + 1}@bench.example", f"Secretariat {k + 1}", Role.SECRETARIAT)
        for k in range(5):
            person(f"observer{k + 1}@bench.example", f"Observer {k + 1}", Role.OBSERVER)
        delegates = [
            person(f"delegate{k + 1}@bench.example", f"Delegate of {d.name}", Role.DELEGATE, d)
            for k, d in enumerate(dels)
        ]
        for k in range(USERS - 10 - len(dels)):  # second delegates of the busiest delegations
            d = dels[k % 40]
            person(f"delegate{k + 1}b@bench.example", f"Second delegate of {d.name}", Role.DELEGATE, d)
        s.commit()

        previous: list[int] = []
        for k, paras in enumerate(w.revisions):
            now = START + dt.timedelta(days=14 * k)
            index = {pid: i for i, pid in enumerate(previous)}
            pairing = {j: index.get(p.pid) for j, p in enumerate(paras)} if previous else None
            parsed = [
                ParsedParagraph(
                    kind=p.kind,
                    text=p.text,
                    level=p.level if p.kind is Kind.SUBPARAGRAPH else 0,
                    italic_chars=p.italic_chars,
                )
                for p in paras
            ]
            rev = drafting.import_revision(
                s, cofac, n, label=drafting.next_label(s, n), paragraphs=parsed, pairing=pairing, now=now
            )
            last = k == len(w.revisions) - 1
            lifecycle.circulate(s, cofac, rev, deadline=LAST_DEADLINE if last else now + dt.timedelta(days=10), now=now)
            s.commit()
            previous = [p.pid for p in paras]

        versions = load_versions(s, rev)
        _bulk_proposals(s, w, rev, versions, dels, delegates)
        s.commit()
        from drafter.search import index as search_index  # bulk rows bypass the flush that indexes them

        search_index.rebuild(s, n.id)
        s.commit()

        # Lineage ids: the generator's identities, in the order the database gave them.
        zero = {v.paragraph_id for v in load_versions(s, n.revisions[0])}
        on = Counter(spec.target for spec in w.proposals if spec.kind != "insert")
        ranked = sorted(range(len(versions)), key=lambda i: (-on[i], i))
        history = next(
            (versions[i].paragraph_id for i in ranked if versions[i].paragraph_id in zero),
            versions[ranked[0]].paragraph_id,
        )
        counts = {
            t.name: s.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables
            if t.name in ("paragraph_versions", "proposals", "proposal_positions", "audit_events", "users")
        }
        loaded = Loaded(
            slug,
            rev.seq,
            cofac.email,
            [u.email for u in delegates],
            [(v.paragraph_id, v.text) for v in versions],
            history,
            counts=counts,
        )
        db.session.remove()
    loaded.setup_seconds = time.perf_counter() - t0
    return loaded


def copy_database(source: Flask, target: Flask) -> float:
    """Copy every row of ``source``'s database into ``target``'s (schema recreated); return seconds.

    The PostgreSQL database gets exactly the rows the services wrote into SQLite, in a few
    bulk inserts instead of thousands of round trips; sequences are moved past the copied ids.
    """
    from drafter.extensions import db

    t0 = time.perf_counter()
    reset_schema(target)
    with source.app_context():
        src = db.engine
    with target.app_context():
        dst = db.engine
    with src.connect() as a, dst.begin() as b:
        for table in db.metadata.sorted_tables:
            rows = [dict(r) for r in a.execute(sa.select(table)).mappings()]
            for k in range(0, len(rows), 5000):
                b.execute(sa.insert(table), rows[k : k + 5000])
            if dst.dialect.name == "postgresql" and "id" in table.c and rows:
                b.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :n)"),
                    {"n": max(r["id"] for r in rows)},
                )
        if dst.dialect.name == "postgresql":  # SQLite keeps the search words in FTS5, PostgreSQL in tsvector
            from drafter.search.index import pg_tsvector
            from drafter.search.models import SearchEntry

            b.execute(sa.update(SearchEntry.__table__).values(tsv=pg_tsvector(SearchEntry.__table__.c.body)))
            b.execute(sa.text("ANALYZE search_entries"))
    return time.perf_counter() - t0
