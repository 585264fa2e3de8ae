"""The import preview of a long text: each choice list offers a few earlier paragraphs, not all of them."""

from __future__ import annotations

import re

from drafter.drafting.models import Revision
from drafter.drafting.queries import latest_revision, load_versions
from drafter.importing.preview import AROUND
from drafter.text.structure import Kind
from tests import factories as f
from tests.conftest import login

OLD = 300
NEW_PARAGRAPHS = 100


def text(k: int) -> str:
    return f"Decides that item {k} shall be considered under topic {k * 7919} of the agenda of session {k * 104729};"


def pasted(paragraphs: list[str]) -> str:
    return "\n\n".join(f"{k + 1}. {t}" for k, t in enumerate(paragraphs))


def selected(html: str) -> dict[str, str]:
    """Return what the browser would submit for each choice list: its selected option."""
    form = {}
    for m in re.finditer(r'<select id="(pair-\d+)"[^>]*>(.*?)</select>', html, re.S):
        choice = re.search(r'<option value="([^"]+)" selected', m.group(2))
        form[m.group(1)] = choice.group(1) if choice else "new"
    return form


def test_a_long_import_lists_nearby_paragraphs_and_saves_with_identities(client, session):
    n = f.negotiation(session, slug="long")
    old = [text(k) for k in range(OLD)]
    f.revision(session, n, [(Kind.OPERATIVE, t) for t in old])
    people = f.team(session, n)
    session.commit()
    new = list(old)
    new[150] = new[150].replace("shall be considered", "shall be taken up")
    moved = new.pop(10)
    new.insert(250, moved)  # far from where it stood
    for k in range(NEW_PARAGRAPHS):
        new.insert(3 * k, f"Welcomes the offer number {k} of host country {k * 31337} for meeting {k * 7};")

    login(client, people["cofacilitator"])
    response = client.post("/n/long/import", data={"text": pasted(new)})
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200

    rows = len(new)
    lists = re.findall(r'<select id="pair-\d+"[^>]*data-all-options="old-paragraphs"[^>]*>(.*?)</select>', html, re.S)
    assert len(lists) == rows
    # "New paragraph" and at most the chosen one, its neighbours and an origin on each row
    # (every earlier paragraph on every row would be 120,400 options).
    assert all(row.count("<option") <= 2 * AROUND + 4 for row in lists)
    assert html.count('<template id="old-paragraphs">') == 1
    template = html.split('<template id="old-paragraphs">', 1)[1].split("</template>", 1)[0]
    assert template.count("<option") == OLD + 1

    form = selected(html)
    moved_row = new.index(moved)
    assert form[f"pair-{moved_row}"] == "10"
    assert sum(v == "new" for v in form.values()) == NEW_PARAGRAPHS
    saved = client.post(response.headers["Location"], data={**form, "action": "save", "label": "Rev.1"})
    assert saved.status_code == 302

    session.expire_all()
    zero, rev1 = sorted(session.query(Revision).filter_by(negotiation_id=n.id), key=lambda r: r.seq)
    assert latest_revision(session, n).id == rev1.id
    before = {v.paragraph_id: v.text for v in load_versions(session, zero)}
    after = load_versions(session, rev1)
    assert len(after) == rows
    assert after[moved_row].paragraph_id in before and before[after[moved_row].paragraph_id] == moved
    kept = [v for v in after if v.paragraph_id in before]
    assert len(kept) == OLD


def test_a_short_import_lists_every_earlier_paragraph(client, session):
    n = f.negotiation(session, slug="short")
    f.revision(session, n)
    people = f.team(session, n)
    session.commit()
    old = load_versions(session, latest_revision(session, n))
    login(client, people["cofacilitator"])
    response = client.post("/n/short/import", data={"text": pasted([v.text for v in old])})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    lists = re.findall(r'<select id="pair-\d+"([^>]*)>(.*?)</select>', html, re.S)
    assert lists and all(row.count("<option") == len(old) + 1 for _, row in lists)
    assert not any("data-all-options" in attrs for attrs, _ in lists) and "<template" not in html
