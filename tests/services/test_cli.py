"""The ``drafter`` command line: demo, accounts, negotiations, revisions."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from drafter.auth.models import Membership, Role, User
from drafter.auth.services import authenticate
from drafter.drafting.models import Negotiation, RevisionState
from tests import factories as f

ZERO = """Recalling its earlier resolutions on the subject,

Commitments

1. Decides to convene a high-level meeting in 2028;

2. Calls upon Member States to act, including by:

(a) Strengthening early warning systems;

(b) Protecting coastal ecosystems;

3. Requests the Secretary-General to report on progress.
"""

REV1 = """Guided by the Charter of the United Nations,

Recalling its earlier resolutions on the subject,

Commitments

1. Decides to convene a high-level meeting in 2027;

2. Calls upon Member States to act, including by:

(a) Strengthening early warning systems;

(b) Protecting coastal ecosystems;

3. Requests the Secretary-General to report on progress.
"""


def test_demo_loads_once_and_prints_the_accounts(runner, session):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "amina@demo.drafter.example" in first.output and "drafter-demo" in first.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Negotiation)) == 1
    quiet = runner.invoke(args=["demo", "--if-empty"])
    assert quiet.exit_code == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Negotiation)) == 1


def test_negotiation_and_users_are_created_from_the_command_line(runner, session):
    made = runner.invoke(args=["negotiations", "create", "ocean-summit", "--title", "Ocean summit declaration"])
    assert made.exit_code == 0, made.output
    delegation = runner.invoke(args=["delegations", "create", "Group of Small States", "--kind", "group"])
    assert delegation.exit_code == 0, delegation.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "rep@example.org",
            "--name",
            "A Representative",
            "--role",
            "delegate",
            "--delegation",
            "Group of Small States",
            "--negotiation",
            "ocean-summit",
        ],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(sa.select(User).where(User.email == "rep@example.org"))
    assert user is not None
    assert authenticate(session, "rep@example.org", "a long enough password") is not None
    membership = session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    assert membership.role is Role.DELEGATE and membership.delegation.name == "Group of Small States"
    listed = runner.invoke(args=["users", "list"])
    assert "rep@example.org" in listed.output


def test_a_delegate_needs_a_known_delegation(runner, session):
    runner.invoke(args=["negotiations", "create", "ocean-summit", "--title", "Ocean summit declaration"])
    result = runner.invoke(
        args=[
            "users",
            "create",
            "rep@example.org",
            "--name",
            "Rep",
            "--role",
            "delegate",
            "--delegation",
            "Nowhere",
            "--negotiation",
            "ocean-summit",
        ],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code != 0
    assert "Nowhere" in result.output
    assert session.scalar(sa.select(User).where(User.email == "rep@example.org")) is None


def test_revisions_import_list_and_show(runner, session, tmp_path: Path):
    f.negotiation(session, slug="ocean-summit")
    session.commit()
    zero = tmp_path / "zero.txt"
    zero.write_text(ZERO, encoding="utf-8")
    result = runner.invoke(
        args=[
            "revisions",
            "import",
            "ocean-summit",
            str(zero),
            "--label",
            "Zero draft",
            "--circulate",
            "--deadline",
            "2099-01-15T18:00",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "7 paragraphs" in result.output
    assert "Circulated Zero draft" in result.output

    rev1 = tmp_path / "rev1.txt"
    rev1.write_text(REV1, encoding="utf-8")
    result = runner.invoke(args=["revisions", "import", "ocean-summit", str(rev1), "--label", "Rev.1"])
    assert result.exit_code == 0, result.output
    assert "Matched 7 paragraphs with Zero draft; 1 new." in result.output

    listed = runner.invoke(args=["revisions", "list", "ocean-summit"])
    assert "Zero draft" in listed.output and "Rev.1" in listed.output

    zero_json = json.loads(runner.invoke(args=["revisions", "show", "ocean-summit", "Zero draft", "--json"]).output)
    rev1_json = json.loads(runner.invoke(args=["revisions", "show", "ocean-summit", "Rev.1", "--json"]).output)
    assert rev1_json["state"] == RevisionState.WORKING.value
    refs = [p["ref"] for p in rev1_json["paragraphs"]]
    assert refs == ["PP1", "PP2", "Commitments", "OP1", "OP2", "OP2 (a)", "OP2 (b)", "OP3"]
    # Lineage: the zero draft's paragraphs keep their ids in Rev.1 although PP1 is new.
    zero_ids = [p["lineage_id"] for p in zero_json["paragraphs"]]
    assert [p["lineage_id"] for p in rev1_json["paragraphs"][1:]] == zero_ids
    assert rev1_json["paragraphs"][0]["lineage_id"] not in zero_ids
    assert rev1_json["paragraphs"][3]["text"] == "Decides to convene a high-level meeting in 2027;"


def test_revisions_import_refuses_bad_input_and_changes_nothing(runner, session, tmp_path: Path):
    f.negotiation(session, slug="ocean-summit")
    session.commit()
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = runner.invoke(args=["revisions", "import", "ocean-summit", str(empty), "--label", "Zero draft"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    bad_deadline = tmp_path / "zero.txt"
    bad_deadline.write_text(ZERO, encoding="utf-8")
    result = runner.invoke(
        args=[
            "revisions",
            "import",
            "ocean-summit",
            str(bad_deadline),
            "--label",
            "Zero draft",
            "--circulate",
            "--deadline",
            "next tuesday",
        ]
    )
    assert result.exit_code != 0 and "ISO date-time" in result.output and "next tuesday" in result.output
    missing = runner.invoke(args=["revisions", "list", "no-such-negotiation"])
    assert missing.exit_code != 0 and "no-such-negotiation" in missing.output
    n = session.scalar(sa.select(Negotiation).where(Negotiation.slug == "ocean-summit"))
    session.refresh(n)
    assert n.revisions == []
