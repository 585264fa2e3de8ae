"""The real UN amendment documents, imported as proposals on their drafts (skipped without ../shared)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.drafting import services as drafting
from drafter.importing.proposals import plan_upload, submit_plan
from drafter.importing.services import read_draft
from drafter.lifecycle import services as lifecycle
from drafter.proposals.models import ProposalSource
from tests import factories as f

pytestmark = pytest.mark.corpus


def amended_draft(corpus: Path, document: str) -> tuple[Path | None, bool]:
    """Return the corpus file of the draft an amendment names, and whether it is that exact version."""
    named = re.search(r"amendment to (?:revised )?draft resolution (\S+)", " ".join(document.split()))
    if named is None:
        return None, False
    symbols = {p.read_text(encoding="utf-8").split("\n", 1)[0].split()[-1]: p for p in corpus.glob("*-draft-*.txt")}
    if named.group(1) in symbols:
        return symbols[named.group(1)], True
    return symbols.get(re.sub(r"/Rev\.\d+$", "", named.group(1))), False


def test_corpus_amendment_documents_become_proposals(session, corpus: Path):
    amendments = sorted(corpus.glob("*-amendment-*.txt"))
    assert amendments
    lines, failures = [""], []
    total = 0
    for path in amendments:
        document = path.read_text(encoding="utf-8")
        draft_path, exact = amended_draft(corpus, document)
        assert draft_path is not None, path.name
        draft = read_draft(draft_path.name, draft_path.read_bytes())
        n = f.negotiation(session)
        rev = drafting.import_revision(session, None, n, label="Draft", paragraphs=draft.paragraphs)
        lifecycle.circulate(session, None, rev, deadline=None)
        sponsor = document.split("\n\n")[1].split(":")[0].strip()[:100]
        delegation = f.delegation(session, f"{sponsor} ({path.stem[-6:]})")
        plan = plan_upload(session, rev, delegation, path.name, path.read_bytes())
        submitted = submit_plan(session, None, rev, delegation, plan) if plan.proposals else []
        total += len(submitted)
        assert all(p.source is ProposalSource.AMENDMENT_DOCUMENT for p in submitted)
        version = "" if exact else " (amends a revision not in the corpus)"
        lines.append(
            f"{path.name}: {len(submitted)} proposals{version}: "
            + "; ".join(f"{q.kind.value} {q.where}" for q in plan.proposals)
        )
        lines += [f"    problem: {x}" for x in plan.problems]
        if exact and (plan.problems or not plan.proposals):
            failures.append(f"{path.name}: {plan.problems or 'no proposal'}")
        if not exact and not all("not found" in x or "does not exist" in x for x in plan.problems):
            failures.append(f"{path.name}: {plan.problems}")
    print("\n".join([*lines, f"corpus: {total} proposals"]))
    assert not failures
