"""A delegation's proposals read from a file: a tracked .docx, or a formal amendment document.

Two steps, as for every import: ``plan_*`` reads the file against a circulated revision and
returns a ``ProposalPlan`` (plain data, kept as JSON between the preview and the confirmation);
``submit_plan`` submits the planned proposals through ``drafter.proposals.services.submit``,
in the caller's transaction, so either all are saved or none.

Tracked .docx (``plan_tracked``): each paragraph is read in its old version (before the tracked
changes) and its new one. The old versions are aligned with the revision's paragraphs
(``drafter.text.align``); a paragraph whose old version is the revision's text, and whose new
version differs, becomes an amend proposal (delete when its text is gone); a paragraph that
exists only in the new version becomes an insert-after proposal, after the nearest earlier
paragraph of the revision. A paragraph whose old version is not the revision's text (the
delegation worked on an older version, or edited without tracking) is a *mismatch*: shown,
never turned into a proposal. Leading lines that match nothing and were not changed (the title
block) are ignored.

Amendment documents (``plan_amendments``): ``drafter.text.amendments`` parses the instructions
and applies them to the revision as printed (operative numbers, preambular ordinals); every
instruction it cannot parse or apply is reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter import audit
from drafter.auth.models import Delegation, User
from drafter.dbtypes import utcnow
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import ParagraphVersion, Revision
from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput
from drafter.importing.docx import classified, read_docx_content
from drafter.importing.services import decode_text
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind, ProposalSource, ProposalState
from drafter.text import footnotes
from drafter.text.align import Relation, align
from drafter.text.amendments import (
    ChangeKind,
    Problem,
    ProposedChange,
    TargetParagraph,
    apply_amendments,
    parse_amendments,
)
from drafter.text.diff import WordDiff, word_diff
from drafter.text.labels import strip_label
from drafter.text.structure import Kind, ParsedParagraph
from drafter.word.reader import Change, DocxContent, ReadParagraph
from drafter.word.safety import DocxLimits

MAX_AMENDMENT_CHARS = 200_000
ONLY_FORMAT = ("The file's only tracked changes are to numbering or formatting; "
               "it proposes no change of text.")  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlannedProposal:
    """One proposal as it will be submitted."""

    kind: ProposalKind
    target_version_id: int | None  #: the paragraph amended or deleted; for an insertion, the one it follows
    target_ref: str  #: "OP5", "PP3"; "" for an insertion at the start of the text
    base_text: str  #: the target's text (amend and delete); "" for an insertion
    text: str = ""  #: the proposed text (amend and insert)
    new_kind: Kind | None = None  #: kind of a new paragraph, when the file says
    new_level: int = 0
    meta: dict[str, Any] = field(default_factory=dict)  #: Word authors and dates, or the amendment sentences
    note: str = ""  #: something the user should know about this proposal
    #: the footnotes the text's markers name, by marker id (the base paragraph's ids kept)
    notes: dict[int, str] = field(default_factory=dict)

    def diff(self) -> WordDiff:
        """Return the word diff the proposal makes to its base paragraph (or the title)."""
        if self.kind in (ProposalKind.AMEND, ProposalKind.TITLE):
            return word_diff(self.base_text, self.text)
        if self.kind is ProposalKind.DELETE:
            return word_diff(self.base_text, "")
        return word_diff("", self.text)

    @property
    def where(self) -> str:
        """Return where the proposal applies, as a reader says it: "OP5", "after PP3"."""
        if self.kind is ProposalKind.INSERT:
            return f"after {self.target_ref}" if self.target_ref else "at the start of the text"
        return self.target_ref


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A paragraph of the file whose base text is not the revision's: not turned into a proposal."""

    where: str  #: "OP5" when a similar paragraph of the revision is known, else "paragraph 7 of the file"
    message: str
    expected: str = ""  #: the revision's text, when there is a similar paragraph
    found: str = ""  #: the text in the file, before its tracked changes
    proposed: str = ""  #: the text after the file's tracked changes, when they changed it

    def diff(self) -> WordDiff:
        """Return how the file's base text differs from the revision's."""
        return word_diff(self.expected, self.found)


@dataclass(slots=True)
class ProposalPlan:
    """What a file would submit, and what could not be used."""

    revision_id: int
    delegation_id: int
    source: ProposalSource
    filename: str
    proposals: list[PlannedProposal] = field(default_factory=list)
    #: paragraphs whose base text differs from the revision (tracked files)
    mismatches: list[Mismatch] = field(default_factory=list)
    #: instructions not understood or not applicable, proposals already submitted
    problems: list[str] = field(default_factory=list)
    #: what the file holds that was not read (tables, images ...)
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Return True when everything in the file can be submitted."""
        return not self.mismatches and not self.problems

    def to_json(self) -> dict[str, Any]:
        """Return the plan as JSON-ready data."""
        data = asdict(self)
        data["source"] = self.source.value
        for planned, item in zip(self.proposals, data["proposals"]):
            item["kind"] = planned.kind.value
            item["new_kind"] = planned.new_kind.value if planned.new_kind else None
            item["notes"] = footnotes.dumps(planned.notes)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProposalPlan:
        """Return the plan from its JSON form."""
        planned = [
            PlannedProposal(**{**item, "kind": ProposalKind(item["kind"]),
                               "new_kind": Kind(item["new_kind"]) if item.get("new_kind") else None,
                               "notes": footnotes.loads(item.get("notes"))})
            for item in data.get("proposals", [])
        ]  # fmt: skip
        return cls(data["revision_id"], data["delegation_id"], ProposalSource(data["source"]), data.get("filename", ""),
                   planned, [Mismatch(**m) for m in data.get("mismatches", [])], list(data.get("problems", [])),
                   list(data.get("warnings", [])))  # fmt: skip


# -- Reading a file -------------------------------------------------------------------------------


def plan_upload(
    session: Session,
    revision: Revision,
    delegation: Delegation,
    filename: str,
    data: bytes,
    *,
    limits: DocxLimits | None = None,
    now: dt.datetime | None = None,
) -> ProposalPlan:
    """Return the plan of an uploaded file: a tracked .docx, a .docx or .txt amendment document."""
    name = filename.lower()
    if name.endswith(".docx"):
        content = read_docx_content(data, limits=limits)
        if content.has_tracked_changes:
            return plan_tracked(session, revision, delegation, content, filename=filename, now=now)
        text = _amendment_text(content)
        if not text.strip():
            raise InvalidInput("The Word file has no text: there is nothing to import.")
        if content.other_changes and not parse_amendments(text).instructions:
            # tracked, but only numbering, formatting or fields changed: a tracked file, not instructions
            return plan_tracked(session, revision, delegation, content, filename=filename, now=now)
        plan = plan_amendments(session, revision, delegation, text, filename=filename, now=now,
                               empty="The Word file has no tracked changes, and no amendment instructions "
                               "(“In operative paragraph 2, replace …”) were found in it.")  # fmt: skip
        plan.warnings[:0] = content.skipped
        return plan
    if name.endswith((".txt", ".text", ".md")) or "." not in name:
        return plan_amendments(session, revision, delegation, decode_text(data), filename=filename, now=now)
    raise InvalidInput(
        "Proposals can be imported from a tracked Word file (.docx) or an amendment document (.docx or .txt)."
    )


def _amendment_text(content: DocxContent) -> str:
    """Return the text of a Word amendment document, Word's list numbers printed before their items."""
    lines = []
    for p in content.block_paragraphs("new"):
        label = p.number_label.strip()
        lines.append(f"{label} {p.text}" if label and any(ch.isalnum() for ch in label) else p.text)
    return "\n\n".join(lines)


def _squash(text: str) -> str:
    return " ".join(footnotes.neutral(text).split())


def _same(a: str, b: str) -> bool:
    return _squash(strip_label(a)) == _squash(strip_label(b))


def _word_meta(changes: Sequence[Change], filename: str) -> dict[str, Any]:
    """Return the Word authors and dates of a paragraph's tracked changes, for ``source_meta``."""
    authors = list(dict.fromkeys(c.author for c in changes if c.author))
    dates = sorted(c.date for c in changes if c.date is not None)
    return {
        "filename": filename,
        "authors": authors,
        "changes": len(changes),
        "first_date": dates[0].isoformat() if dates else None,
        "last_date": dates[-1].isoformat() if dates else None,
    }


def plan_tracked(
    session: Session,
    revision: Revision,
    delegation: Delegation,
    content: DocxContent,
    *,
    filename: str = "",
    now: dt.datetime | None = None,
) -> ProposalPlan:
    """Return the proposals a tracked Word file makes on the revision, and its mismatches."""
    proposals.check_open(revision, now or utcnow())
    versions = load_versions(session, revision)
    refs = revision_refs(versions)
    plan = ProposalPlan(revision.id, delegation.id, ProposalSource.WORD, filename, warnings=list(content.skipped))
    if not content.has_tracked_changes and content.other_changes:
        plan.warnings.insert(0, ONLY_FORMAT)
    _TrackedReader(plan, versions, refs, content, revision.label).read()
    _drop_duplicates(session, plan, revision, delegation)
    return plan


class _TrackedReader:
    """Walks the rows of a tracked file once, turning changes on matching paragraphs into proposals."""

    def __init__(self, plan: ProposalPlan, versions: list[ParagraphVersion], refs: dict[int, str],
                 content: DocxContent, label: str) -> None:  # fmt: skip
        self.plan, self.versions, self.refs, self.content, self.label = plan, versions, refs, content, label
        base = [p for p in content.old if p.text]
        # The older side read as the draft importer reads it ("I. Introduction" with its Word
        # number, "5." left out), so that paragraphs match the revision the same way.
        before = classified(content, "old")
        read_as = {source.index: parsed.text for parsed, source in zip(before.result.paragraphs, before.sources)}
        texts = [read_as.get(p.index, strip_label(p.text)) for p in base]
        # The file numbers its footnotes apart: markers compare alike, whatever their ids.
        pairs = align([footnotes.neutral(v.text) for v in versions], [footnotes.neutral(t) for t in texts])
        self.match: dict[int, ParagraphVersion] = {}  #: old paragraph index → the revision's version
        self.similar: dict[int, ParagraphVersion] = {}  #: old paragraph index → a similar version
        self.missing = [versions[a.old] for a in pairs if a.new is None and a.old is not None]
        for a in pairs:
            if a.new is None or a.old is None:
                continue
            paragraph, version = base[a.new], versions[a.old]
            if a.relation is Relation.SAME and _same(texts[a.new], version.text):
                self.match[paragraph.index] = version
            else:
                self.similar[paragraph.index] = version
        found = classified(content, "new")
        self.parsed: dict[int, ParsedParagraph] = {
            source.index: parsed for parsed, source in zip(found.result.paragraphs, found.sources)
        }
        self.anchor: ParagraphVersion | None = None
        self.anchor_clean = True  #: no unmatched paragraph of the file since the anchor
        self.in_body = False  #: a paragraph matching the revision has been seen

    def read(self) -> None:
        for number, row in enumerate(self.content.paragraphs, start=1):
            old_text = row.old.text if row.old is not None else ""
            new_text = row.new.text if row.new is not None else ""
            if row.old is not None and old_text:
                self._existing(row, number, old_text, new_text)
            elif row.new is not None and new_text:
                self._inserted(row, new_text)
        for version in self.missing:
            self.plan.mismatches.append(Mismatch(
                self.refs.get(version.id, ""), f"This paragraph of {self.label} is not in the file "
                "(deleted without tracking changes, or the file is of another version).", expected=version.text))  # fmt: skip

    def _existing(self, row: ReadParagraph, number: int, old_text: str, new_text: str) -> None:
        assert row.old is not None
        version = self.match.get(row.old.index)
        changed = not _same(old_text, new_text)
        if version is None:
            self.anchor_clean = False
            if not self.in_body and row.old.index not in self.similar:
                # the title block, or other lines before the text: not part of the revision
                if changed:
                    self.plan.warnings.append(f"A change before the text of {self.label} (in the title block?) "
                                              f"was ignored: “{old_text}” → “{new_text}”.")  # fmt: skip
                return
            similar = self.similar.get(row.old.index)
            where = self.refs.get(similar.id, "") if similar else f"paragraph {number} of the file"
            message = (f"The text before the tracked changes differs from {self.label}." if similar
                       else f"This paragraph is not in {self.label}.")  # fmt: skip
            if changed:
                message += " Its tracked changes cannot be turned into a proposal."
            self.plan.mismatches.append(Mismatch(where, message, similar.text if similar else "", old_text,
                                                 new_text if changed else ""))  # fmt: skip
            return
        self.in_body = True
        ref, meta = self.refs.get(version.id, ""), _word_meta(row.changes, self.plan.filename)
        if changed and (row.new is None or not new_text):
            # A paragraph put in place of this one follows the nearest kept paragraph instead, so
            # that the deletion and the insertion can be incorporated in either order.
            self.plan.proposals.append(PlannedProposal(ProposalKind.DELETE, version.id, ref, version.text, meta=meta))
            return
        self.anchor, self.anchor_clean = version, True
        if not changed:
            return
        parsed = self.parsed.get(row.new.index)
        text = parsed.text if parsed is not None and parsed.text else strip_label(new_text)
        text, notes = footnotes.translate(old_text, text, row.new.footnotes, version.text, version.notes)
        if _squash(text) == _squash(version.text) and notes == footnotes.used(version.text, version.notes):
            return  # only a number label changed
        self.plan.proposals.append(
            PlannedProposal(ProposalKind.AMEND, version.id, ref, version.text, text, meta=meta, notes=notes)
        )

    def _inserted(self, row: ReadParagraph, new_text: str) -> None:
        assert row.new is not None
        parsed = self.parsed.get(row.new.index)
        text = parsed.text if parsed is not None and parsed.text else strip_label(new_text)
        text, notes = footnotes.renumber(text, row.new.footnotes)
        anchor = self.anchor
        note = ""
        if not self.anchor_clean:
            note = (f"Placed after {self.refs.get(anchor.id, '')}, the nearest earlier paragraph that matches {self.label}."
                    if anchor else "Placed at the start of the text: no earlier paragraph matches.")  # fmt: skip
        self.plan.proposals.append(PlannedProposal(
            ProposalKind.INSERT, anchor.id if anchor else None, self.refs.get(anchor.id, "") if anchor else "", "", text,
            new_kind=parsed.kind if parsed is not None else None, new_level=parsed.level if parsed is not None else 0,
            meta=_word_meta(row.changes, self.plan.filename), note=note, notes=notes,
        ))  # fmt: skip


# -- Amendment documents ----------------------------------------------------------------------------


def target_paragraphs(versions: Sequence[ParagraphVersion]) -> list[TargetParagraph]:
    """Return the revision's paragraphs as amendments name them: operative numbers, subparagraph paths."""
    out = []
    path: list[str] = []
    for v in versions:
        if v.kind is Kind.OPERATIVE:
            digits = re.match(r"\d+", v.number_label or "")
            out.append(TargetParagraph(v.id, v.kind, int(digits.group()) if digits else 0, v.text))
            path = []
        elif v.kind is Kind.SUBPARAGRAPH:
            depth = max(1, v.level)
            path = [*path[: depth - 1], v.number_label.strip().strip("()") or "?"]
            out.append(TargetParagraph(v.id, v.kind, 0, v.text, "".join(f"({p})" for p in path)))
        else:
            out.append(TargetParagraph(v.id, v.kind, 0, v.text))
            path = []
    return out


def plan_amendments(
    session: Session,
    revision: Revision,
    delegation: Delegation,
    text: str,
    *,
    filename: str = "pasted text",
    now: dt.datetime | None = None,
    empty: str = "",
) -> ProposalPlan:
    """Return the proposals a formal amendment document makes on the revision, and what it could not apply."""
    proposals.check_open(revision, now or utcnow())
    if len(text) > MAX_AMENDMENT_CHARS:
        raise InvalidInput(f"The amendment text is longer than {MAX_AMENDMENT_CHARS:,} characters.")
    parsed = parse_amendments(text)
    if not parsed.instructions and not parsed.unparsed:
        raise InvalidInput(empty or "No amendment instructions were found. Write them in the official form: "
                           "“In operative paragraph 2, replace “A” with “B””, “After operative paragraph 3, "
                           "insert a new paragraph reading: …”, “Delete the third preambular paragraph”.")  # fmt: skip
    versions = load_versions(session, revision)
    by_id = {v.id: v for v in versions}
    refs = revision_refs(versions)
    plan = ProposalPlan(revision.id, delegation.id, ProposalSource.AMENDMENT_DOCUMENT, filename)
    for outcome in apply_amendments(parsed.instructions, target_paragraphs(versions), title=revision.title):
        if isinstance(outcome, Problem):
            where = (outcome.instruction.source or outcome.instruction.target.describe()).rstrip(" .;")
            plan.problems.append(f"{where} — not applied: {outcome.message}.")
            continue
        planned = (
            _title_change(outcome, revision.title, filename)
            if outcome.kind is ChangeKind.TITLE
            else _from_change(outcome, by_id, refs, filename)
        )
        if planned is not None:
            plan.proposals.append(planned)
        else:
            plan.problems.append(f"{_sources(outcome).rstrip(' .;')} — not applied: it leaves the paragraph as it is.")
    plan.problems.extend(f"Not understood: {sentence}" for sentence in parsed.unparsed)
    _drop_duplicates(session, plan, revision, delegation)
    return plan


def _title_change(change: ProposedChange, title: str, filename: str) -> PlannedProposal | None:
    """Return the planned proposal on the title; None when it leaves the title as it is."""
    if _squash(change.text) == _squash(title) or not change.text.strip():
        return None
    meta = {"filename": filename, "instructions": [i.source for i in change.instructions if i.source]}
    return PlannedProposal(ProposalKind.TITLE, None, "the title", title, change.text, meta=meta)


def _sources(change: ProposedChange) -> str:
    return " ".join(i.source for i in change.instructions if i.source)


def _from_change(change: ProposedChange, by_id: dict[int, ParagraphVersion], refs: dict[int, str],
                 filename: str) -> PlannedProposal | None:  # fmt: skip
    """Return the planned proposal of one applied change; None when it changes nothing."""
    version = by_id[change.key]  # type: ignore[index]  # keys are the version ids given above
    ref = refs.get(version.id, "")
    meta = {"filename": filename, "instructions": [i.source for i in change.instructions if i.source]}
    if change.kind is ChangeKind.AMEND:
        # "[new footnote: ...]" in the inserted words adds a footnote where it stands
        typed = footnotes.from_editable(change.text, version.notes, {})
        if (_squash(typed.text) == _squash(version.text) and typed.notes == version.notes) or not typed.text.strip():
            return None
        return PlannedProposal(
            ProposalKind.AMEND, version.id, ref, version.text, typed.text, meta=meta, note=" ".join(change.notes),
            notes=typed.notes,
        )  # fmt: skip
    if change.kind is ChangeKind.DELETE:
        return PlannedProposal(ProposalKind.DELETE, version.id, ref, version.text, meta=meta)
    typed = footnotes.from_editable(change.text, {}, {})
    if change.kind is ChangeKind.INSERT_AFTER:
        return PlannedProposal(
            ProposalKind.INSERT, version.id, ref, "", typed.text, new_kind=change.new_kind, meta=meta, notes=typed.notes
        )
    return PlannedProposal(
        ProposalKind.INSERT, None, "", "", typed.text, new_kind=change.new_kind, meta=meta, notes=typed.notes
    )


# -- Submitting -------------------------------------------------------------------------------------


def _drop_duplicates(session: Session, plan: ProposalPlan, revision: Revision, delegation: Delegation) -> None:
    """Move proposals the delegation has already submitted (same kind, paragraph and text) to the problems."""
    existing = session.scalars(sa.select(Proposal).where(
        Proposal.revision_id == revision.id, Proposal.delegation_id == delegation.id,
        Proposal.state == ProposalState.SUBMITTED))  # fmt: skip
    seen = {(p.kind, p.target_version_id, _squash(p.proposed_text)): p.id for p in existing}
    kept = []
    for planned in plan.proposals:
        key = (planned.kind, planned.target_version_id, _squash(planned.text))
        if key in seen:
            plan.problems.append(f"{planned.kind.label} {planned.where}: {delegation.name} already submitted this "
                                 f"proposal (#{seen[key]}); it is not submitted again.")  # fmt: skip
        else:
            seen[key] = 0
            kept.append(planned)
    plan.proposals = kept


def submit_plan(
    session: Session,
    actor: User | None,
    revision: Revision,
    delegation: Delegation,
    plan: ProposalPlan,
    *,
    now: dt.datetime | None = None,
) -> list[Proposal]:
    """Submit every planned proposal for the delegation; flush, never commit (all or nothing is the caller's)."""
    if plan.revision_id != revision.id or plan.delegation_id != delegation.id:
        raise InvalidInput("This import was read for another revision or delegation. Upload the file again.")
    if not plan.proposals:
        raise InvalidInput("There is no proposal to submit.")
    now = now or utcnow()
    versions = {v.id: v for v in revision.versions}
    submitted = []
    for planned in plan.proposals:
        target = versions.get(planned.target_version_id) if planned.target_version_id is not None else None
        if planned.target_version_id is not None and target is None:
            raise InvalidInput(
                f"A paragraph of {revision.label} the import refers to no longer exists. Upload the file again."
            )
        submitted.append(proposals.submit(
            session, actor, revision, delegation, kind=planned.kind, target=target, text=planned.text,
            notes=(planned.notes or None) if planned.kind in (ProposalKind.AMEND, ProposalKind.INSERT) else None,
            new_kind=planned.new_kind, new_level=planned.new_level, source=plan.source,
            source_meta={**planned.meta, **({"note": planned.note} if planned.note else {})}, now=now,
        ))  # fmt: skip
    audit.record(session, actor, "proposals.imported", revision, negotiation_id=revision.negotiation_id,
                 summary=f"Imported {len(submitted)} proposals for {delegation.name} from {plan.filename}",
                 delegation=delegation.name, filename=plan.filename, source=plan.source.value,
                 proposals=[p.id for p in submitted], mismatches=len(plan.mismatches), problems=len(plan.problems))  # fmt: skip
    return submitted
