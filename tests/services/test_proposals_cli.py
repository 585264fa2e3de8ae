"""``drafter proposals list``: every proposal with its delegation, paragraph, kind, state and texts."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from drafter.auth.models import DelegationKind
from drafter.drafting import services as drafting
from drafter.drafting.queries import load_versions
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions, services
from drafter.proposals.cli import proposals_cli
from drafter.proposals.models import ProposalKind, ProposalState, Stance
from drafter.text.structure import Kind
from tests import factories as f

NOW = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
SOON = NOW + dt.timedelta(hours=1)
LATER = NOW + dt.timedelta(days=8)

ITEMS = [*f.SAMPLE, (Kind.OPERATIVE, "呼吁会员国采取行动；")]


@pytest.fixture
def data(session):
    """Zero draft with three proposals (one decided), Rev.1 with one; committed for the CLI's own session."""
    n = f.negotiation(session, slug="ocean-summit")
    t = f.team(session, n)
    mexico, g77 = (t["delegate"].memberships[0].delegation, t["delegate2"].memberships[0].delegation)
    fiji = f.delegation(session, "Fiji")
    f.delegation(session, "Tuvalu", DelegationKind.MEMBER_STATE)
    zero = f.revision(session, n, ITEMS, now=NOW)
    v = load_versions(session, zero)
    amend = services.submit(
        session,
        t["delegate2"],
        zero,
        g77,
        kind=ProposalKind.AMEND,
        target=v[3],
        text="Decides to convene a summit in 2028;",
        justification="Shorter.",
        now=SOON,
    )
    services.set_position(session, None, amend, fiji, Stance.COSPONSOR, now=SOON)
    services.set_position(session, t["delegate"], amend, mexico, Stance.OPPOSE, now=SOON)
    insert = services.submit(
        session,
        t["delegate"],
        zero,
        mexico,
        kind=ProposalKind.INSERT,
        target=v[3],
        text="Welcomes the offer of Fiji to host the meeting;",
        now=SOON,
    )
    chinese = services.submit(
        session,
        t["delegate"],
        zero,
        mexico,
        kind=ProposalKind.AMEND,
        target=v[8],
        text="呼吁所有会员国立即采取行动；",
        now=SOON,
    )
    drafting.start_revision(session, t["cofacilitator"], n, now=LATER)
    decisions.decide(
        session, t["cofacilitator"], insert, ProposalState.INCORPORATED, note="Welcome addition.", now=LATER
    )
    rev1 = n.revisions[-1]
    lifecycle.circulate(session, t["cofacilitator"], rev1, deadline=LATER + dt.timedelta(days=7), now=LATER)
    later = services.submit(
        session, t["delegate2"], rev1, g77, kind=ProposalKind.DELETE, target=load_versions(session, rev1)[0], now=LATER
    )
    session.commit()
    return {
        "n": n,
        "zero": zero,
        "rev1": rev1,
        "v": v,
        "amend": amend.id,
        "insert": insert.id,
        "chinese": chinese.id,
        "later": later.id,
    }


def run(runner, *args):
    return runner.invoke(args=["proposals", "list", *args])


def test_json_lists_every_proposal_with_what_scripts_need(runner, data):
    result = run(runner, "ocean-summit", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["negotiation"], out["revision"], out["delegation"]) == ("ocean-summit", None, None)
    by_id = {p["id"]: p for p in out["proposals"]}
    assert [p["id"] for p in out["proposals"]] == [data["amend"], data["insert"], data["chinese"], data["later"]]
    amend = by_id[data["amend"]]
    assert amend == {
        "id": data["amend"],
        "revision": "Zero draft",
        "delegation": "G77 and China",
        "cosponsors": ["Fiji"],
        "supporters": [],
        "opponents": ["Mexico"],
        "kind": "amend",
        "state": "superseded",
        "paragraph_id": data["v"][3].paragraph_id,
        "number_label": "1",
        "ref": "OP1",
        "new_paragraph_id": None,
        "base_text": "Decides to convene a high-level meeting in 2028;",
        "proposed_text": "Decides to convene a summit in 2028;",
        "justification": "Shorter.",
        "decision_note": "",
        "source": "web",
        "created_at": SOON.isoformat(),
        "updated_at": LATER.isoformat(),  # superseded then
    }
    insert = by_id[data["insert"]]
    assert (insert["kind"], insert["state"], insert["ref"], insert["paragraph_id"], insert["base_text"]) == (
        "insert",
        "incorporated",
        "1 bis",
        data["v"][3].paragraph_id,
        "",
    )
    assert insert["decision_note"] == "Welcome addition."
    rev1_texts = {v.paragraph_id: v.text for v in data["rev1"].versions}
    assert rev1_texts[insert["new_paragraph_id"]] == "Welcomes the offer of Fiji to host the meeting;"
    assert by_id[data["chinese"]]["proposed_text"] == "呼吁所有会员国立即采取行动；"
    assert (by_id[data["later"]]["revision"], by_id[data["later"]]["ref"]) == ("Rev.1", "PP1")
    assert "呼吁所有会员国" in result.output  # not \\u-escaped


def test_filters_by_revision_and_by_delegation_including_cosponsors(runner, data):
    out = json.loads(run(runner, "ocean-summit", "--revision", "rev.1", "--json").output)
    assert out["revision"] == "Rev.1" and [p["id"] for p in out["proposals"]] == [data["later"]]
    fiji = json.loads(run(runner, "ocean-summit", "--delegation", "fiji", "--json").output)
    assert fiji["delegation"] == "Fiji" and [p["id"] for p in fiji["proposals"]] == [data["amend"]]
    both = json.loads(
        run(runner, "ocean-summit", "--delegation", "Mexico", "--revision", "Zero draft", "--json").output
    )
    assert [p["id"] for p in both["proposals"]] == [data["insert"], data["chinese"]]  # opposing is not co-sponsoring


def test_the_table_shows_each_proposal_for_people(runner, data):
    result = run(runner, "ocean-summit")
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"#{data['amend']}" in out and "G77 and China, co-sponsored by Fiji" in out
    assert f"OP1 (P{data['v'][3].paragraph_id}, no. 1)" in out and "superseded" in out
    assert "base:     Decides to convene a high-level meeting in 2028;" in out
    assert "proposed: Decides to convene a summit in 2028;" in out
    assert "opposed:  Mexico" in out
    assert f"1 bis (after P{data['v'][3].paragraph_id})" in out and "incorporated" in out
    assert "呼吁所有会员国立即采取行动；" in out
    assert out.rstrip().endswith("4 proposals.")


def test_an_empty_listing_says_so(runner, data):
    result = run(runner, "ocean-summit", "--delegation", "Tuvalu")
    assert result.exit_code == 0 and result.output == "No proposals by Tuvalu.\n"
    empty = json.loads(run(runner, "ocean-summit", "--delegation", "Tuvalu", "--json").output)
    assert empty["proposals"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-thing"], "No negotiation is called 'no-such-thing'."),
        (["ocean-summit", "--revision", "Rev.9"], "ocean-summit has no revision labelled 'Rev.9'."),
        (["ocean-summit", "--delegation", "Atlantis"], "No delegation is called 'Atlantis'."),
    ],
)
def test_unknown_names_stop_with_a_message(runner, data, args, message):
    result = run(runner, *args)
    assert result.exit_code == 1
    assert message in result.output


def test_working_revisions_are_not_listed_but_can_be_asked_for(runner, session, data):
    # A working revision has no proposals; listing it by name is allowed and empty.
    drafting.start_revision(session, None, data["n"], now=LATER + dt.timedelta(days=8))
    session.commit()
    assert json.loads(run(runner, "ocean-summit", "--revision", "Rev.2", "--json").output)["proposals"] == []
    assert len(json.loads(run(runner, "ocean-summit", "--json").output)["proposals"]) == 4


def test_the_group_keeps_its_name_for_other_subcommands():
    assert proposals_cli.name == "proposals" and "list" in proposals_cli.commands
