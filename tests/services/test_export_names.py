"""Two different Word files never share a name: a clean export with paragraph statuses is named as such."""

from __future__ import annotations

from drafter.exporting import services as exports
from tests import factories as f


def test_the_clean_export_with_statuses_has_a_name_of_its_own(session):
    n = f.negotiation(session, slug="coasts")
    rev = f.revision(session, n, label="Rev.1")
    plain = exports.clean_export(session, rev)
    with_statuses = exports.clean_export(session, rev, show_status=True)
    assert plain.filename == "coasts_Rev.1_clean.docx"
    assert with_statuses.filename == "coasts_Rev.1_clean_with-statuses.docx"
