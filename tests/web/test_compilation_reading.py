"""The compilation as a secretariat issues it, on the web and in Word: withdrawn proposals folded
away or left out, an outcome not repeated in its note, only the paragraphs with proposals."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from drafter.extensions import db
from drafter.proposals.models import ProposalState
from tests.web.test_export_views import base, document_xml, download, record_of
from tests.web.test_permissions import World, build_world, client_as


@pytest.fixture
def w(app: Flask, session) -> World:
    world = build_world(session, Path(app.config["EXPORT_DIR"]))
    world.own_proposal.state = ProposalState.WITHDRAWN  # Mexico's amendment of OP1
    world.other_proposal.state = ProposalState.NOT_RETAINED
    world.other_proposal.decision_note = "Not retained: the text already says so."
    db.session.flush()
    return world


def test_withdrawn_proposals_fold_into_a_details_and_are_not_counted(app, w):
    page = client_as(app, w, "secretariat").get(f"{base(w)}/r/{w.rev1.seq}/compilation").get_data(as_text=True)
    assert '<details class="withdrawn-proposals"><summary>1 withdrawn</summary>' in page
    folded = page.split('<details class="withdrawn-proposals">', 1)[1].split("</details>", 1)[0]
    assert f'id="proposal-{w.own_proposal.id}"' in folded and f'id="proposal-{w.other_proposal.id}"' not in folded
    assert page.count('<span class="count">1 proposal</span>') == 1  # G77's; Mexico's withdrawn one is not
    assert "Co-facilitators: the text already says so." in page and "Not retained: Not retained" not in page


def test_only_paragraphs_with_proposals_on_the_web(app, w):
    client = client_as(app, w, "secretariat")
    page = client.get(f"{base(w)}/r/{w.rev1.seq}/compilation?only=1").get_data(as_text=True)
    # PP1 with G77's proposal, and OP1 with Mexico's withdrawn one, folded (the Word file leaves OP1 out)
    assert page.count('<section class="para-row') == 2 and "1 withdrawn</summary>" in page
    # the Word file offered the same way, by the page's one box
    assert '<input type="hidden" name="only_with_proposals" value="y">' in page
    assert page.count("Only paragraphs with proposals") == 1
    everything = client.get(f"{base(w)}/r/{w.rev1.seq}/compilation").get_data(as_text=True)
    assert 'name="only_with_proposals"' not in everything and everything.count("Only paragraphs with proposals") == 1


@pytest.mark.parametrize("only", [False, True])
def test_the_word_compilation_leaves_withdrawn_out_and_can_keep_only_paragraphs_with_proposals(app, w, only):
    client = client_as(app, w, "secretariat")
    form = {"revision": w.rev1.seq, "kind": "compilation", "style": "formatted"}
    response = client.post(f"{base(w)}/exports/new", data={**form, **({"only_with_proposals": "y"} if only else {})})
    record = record_of(response)
    xml = document_xml(download(client, response))
    assert record.options == {"style": "formatted", "only_with_proposals": only}
    assert "Mexico" not in xml and "2030" not in xml  # the withdrawn amendment
    assert "G77 and China" in xml and "[Not retained: the text already says so.]" in xml
    assert ("high-level meeting in 2029" in xml) is not only  # OP1 has no standing proposal
    assert "Compilation of proposals" in xml


def test_the_command_line_writes_only_the_paragraphs_with_proposals(app, w, tmp_path):
    out = tmp_path / "compilation.docx"
    args = ["export", "compilation", w.negotiation.slug, "--revision", "Rev.1", "--only-with-proposals", "-o", str(out)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    xml = document_xml(out.read_bytes())
    assert "G77 and China" in xml and "Mexico" not in xml and "high-level meeting in 2029" not in xml
