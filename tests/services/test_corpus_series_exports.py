"""The real series, revision after revision: each clean export carries its own identity and every
footnote as a Word footnote; each tracked export accepts into the newer text and rejects into the
older one in LibreOffice, footnotes included; a footnote only renumbered is never a change."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from drafter.drafting import services as drafting
from drafter.drafting.queries import compare_revisions, load_versions
from drafter.exporting.services import clean_export, tracked_export
from drafter.importing.services import masthead_for, read_draft
from drafter.lifecycle import services as lifecycle
from drafter.text import footnotes
from tests import factories as f
from tests.support.libreoffice import LibreOffice, libreoffice_fixture

pytestmark = [pytest.mark.corpus, pytest.mark.libreoffice]
office = libreoffice_fixture()

SERIES = {
    "ict4sd": ["ict4sd-g77-draft-A_C.2_80_L.17.txt", "ict4sd-facilitator-draft-A_C.2_80_L.58.txt",
               "ict4sd-adopted-A_RES_80_118.txt"],
    "sti4sd": ["sti4sd-g77-draft-A_C.2_80_L.18.txt", "sti4sd-facilitator-draft-A_C.2_80_L.47.txt",
               "sti4sd-adopted-A_RES_80_147.txt"],
    "wsis20": ["wsis20-final-draft-A_80_L.41.txt", "wsis20-adopted-A_RES_80_173.txt"],
}  # fmt: skip


def _read(versions) -> list[str]:
    return [footnotes.inline(v.text, v.notes) for v in versions]


@pytest.mark.parametrize("series", sorted(SERIES))
def test_every_revision_and_pair_of_the_series(session, corpus: Path, office: LibreOffice, tmp_path: Path, series: str):
    n = f.negotiation(session, slug=series)
    revisions = []
    for name in SERIES[series]:
        draft = read_draft(name, (corpus / name).read_bytes())
        masthead, _ = masthead_for(session, n, draft)
        rev = drafting.import_revision(
            session, None, n, label=f"R{len(revisions)}", paragraphs=draft.paragraphs, masthead=masthead
        )
        lifecycle.circulate(session, None, rev, deadline=None)
        session.flush()
        revisions.append(rev)

        versions = load_versions(session, rev)
        markers = sum(len(footnotes.ids_in(v.text)) for v in versions)
        assert markers == sum(len(q.footnotes) for q in draft.paragraphs)
        clean = tmp_path / f"{rev.label}.docx"
        clean.write_bytes(clean_export(session, rev).data)
        with zipfile.ZipFile(clean) as z:
            body = z.read("word/document.xml").decode()
        # its own symbol and every footnote of the text as a Word footnote (the title block's stars besides)
        printed = office.noted(clean)
        assert masthead.symbol and any(masthead.symbol in line for line in printed[:3]), printed[:3]
        assert body.count("<w:footnoteReference") == markers + body.count('w:customMarkFollows="1"')
        assert printed[-len(versions) :] == _read(versions)

    for old, new in zip(revisions, revisions[1:]):
        comparison = compare_revisions(session, old, new)
        for row in comparison.rows:
            if row.old is not None and row.new is not None and row.change.value == "changed":
                # changed means words or notes a reader sees changed, never a number only
                assert footnotes.inline(row.old.text, row.old.notes) != footnotes.inline(row.new.text, row.new.notes)
        path = tmp_path / f"{old.label}-{new.label}.docx"
        path.write_bytes(tracked_export(session, old, new).data)
        want_new, want_old = _read(load_versions(session, new)), _read(load_versions(session, old))
        assert office.noted(path, "accept")[-len(want_new) :] == want_new
        assert office.noted(path, "reject")[-len(want_old) :] == want_old
