"""The OpenAPI 3.1 description of ``/api/v1``, written as data and served at ``/api/v1/openapi.json``.

Schemas are JSON Schema 2020-12 and closed (``additionalProperties: false``), so that a test
that validates real answers against them notices a field added or renamed on one side only.
"""

from __future__ import annotations

from typing import Any

from drafter.auth.models import DelegationKind, Role
from drafter.drafting.models import ProposalVisibility, RevisionState, Status
from drafter.proposals.models import ProposalKind, ProposalSource, ProposalState, Stance
from drafter.text.compare import Change
from drafter.text.diff import Op
from drafter.text.structure import Kind

#: every ``code`` an error may carry
ERROR_CODES = (
    "invalid",
    "unauthenticated",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "conflict",
    "invalid_state",
    "deadline_passed",
    "csrf_failed",
    "too_large",
    "rate_limited",
    "server_error",
    "unavailable",
)

S = dict[str, Any]


def ref(name: str) -> S:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: S, *, optional: tuple[str, ...] = ()) -> S:
    """Return a closed object schema whose properties are all required but ``optional``."""
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def nullable(schema: S) -> S:
    return {"anyOf": [schema, {"type": "null"}]}


def enum(members: Any) -> S:
    return {"type": "string", "enum": [m.value for m in members]}


STR: S = {"type": "string"}
INT: S = {"type": "integer"}
BOOL: S = {"type": "boolean"}
WHEN: S = nullable({"type": "string", "format": "date-time"})
DAY: S = nullable({"type": "string", "format": "date"})
NEXT: S = nullable({"type": "string", "description": "The address of the next page; null on the last one."})


def page_of(item: str) -> S:
    return obj({"items": {"type": "array", "items": ref(item)}, "next": NEXT})


FOOTNOTES: S = {
    "type": "array",
    "description": "The footnotes the text's markers name, in their order; each marker is a private-use "
    "character (U+E001 for id 1) where the reference stands in the text.",
    "items": obj({"id": INT, "marker": STR, "number": nullable(INT), "text": STR}),
}
REVISION_SUMMARY: S = {
    "seq": {**INT, "description": "1 for the first revision, then 2, 3 ...; names the revision in addresses."},
    "label": STR,
    "state": enum(RevisionState),
    "symbol": STR,
    "date_of_issue": DAY,
    "base_revision": nullable(INT),
    "proposal_deadline": WHEN,
    "accepts_proposals": BOOL,
    "circulated_at": WHEN,
    "silence_until": WHEN,
    "adopted_at": WHEN,
    "compilation_released_at": WHEN,
    "url": STR,
}
NEGOTIATION: S = {
    "slug": STR,
    "title": STR,
    "symbol": STR,
    "proposal_visibility": enum(ProposalVisibility),
    "created_at": WHEN,
    "your_role": nullable(enum(Role)),
    "your_delegation": nullable(ref("Delegation")),
    "url": STR,
}
PROPOSAL: S = {
    "id": INT,
    "revision": {**INT, "description": "The seq of the revision the proposal is made on."},
    "kind": enum(ProposalKind),
    "state": enum(ProposalState),
    "delegation": ref("Delegation"),
    "ref": {**STR, "description": "The paragraph's reference (PP3, OP5 (a)); for a new paragraph its label, 5 bis."},
    "paragraph": nullable({**INT, "description": "Lineage id of the paragraph (for a new one: the one it follows)."}),
    "new_kind": nullable(enum(Kind)),
    "new_level": INT,
    "base_text": STR,
    "proposed_text": STR,
    "footnotes": FOOTNOTES,
    "justification": STR,
    "positions": obj({s.value: {"type": "array", "items": ref("Delegation")} for s in Stance}),
    "decision": obj({"note": STR, "decided_at": WHEN, "merged_into": nullable(INT), "new_paragraph": nullable(INT)}),
    "diff": ref("Diff"),
    "source": enum(ProposalSource),
    "created_at": WHEN,
    "updated_at": WHEN,
    "version": {**INT, "description": "Send it back with an edit or withdrawal: a newer one is a conflict."},
    "url": STR,
    "outcome": obj({"verdict": STR, "explanation": STR, "next_revision": nullable(INT)}),
    "attribution": STR,
}

SCHEMAS: S = {
    "Error": obj(
        {
            "code": {"type": "string", "enum": list(ERROR_CODES)},
            "message": STR,
            "field": {**STR, "description": "The body or query field the error is about."},
            "details": {"type": "object"},
        },
        optional=("field", "details"),
    ),
    "Delegation": obj({"id": INT, "name": STR, "kind": enum(DelegationKind)}),
    "Diff": obj(
        {
            "ops": {
                "type": "array",
                "items": obj({"op": enum(Op), "text": STR}),
                "description": "Runs of text in order: equal in both, deleted from the old, inserted in the new.",
            },
            "changed": BOOL,
            "similarity": {"type": "number", "minimum": 0, "maximum": 1},
            "exact": BOOL,
        }
    ),
    "Me": obj(
        {
            "id": INT,
            "name": STR,
            "email": STR,
            "is_admin": BOOL,
            "memberships": {
                "type": "array",
                "items": obj({"negotiation": STR, "role": enum(Role), "delegation": nullable(ref("Delegation"))}),
            },
            "authenticated_by": {"type": "string", "enum": ["token", "session"]},
            "token": nullable(obj({"name": STR, "prefix": STR})),
        }
    ),
    "Negotiation": obj(NEGOTIATION),
    "NegotiationDetail": obj({**NEGOTIATION, "revisions": {"type": "array", "items": ref("RevisionSummary")}}),
    "NegotiationPage": page_of("Negotiation"),
    "RevisionSummary": obj(REVISION_SUMMARY),
    "RevisionList": page_of("RevisionSummary"),
    "Document": obj(
        {
            name: STR if name != "issued_on" else DAY
            for name in (
                "symbol",
                "issued_on",
                "distribution",
                "original_language",
                "session",
                "committee",
                "agenda_item",
                "agenda_title",
                "sponsor_line",
                "title",
                "chapeau",
            )
        }
        | {"footnotes": {"type": "array", "items": STR}}
    ),
    "Paragraph": obj(
        {
            "id": {**INT, "description": "The paragraph's lineage id: the same in every revision."},
            "ref": STR,
            "position": INT,
            "kind": enum(Kind),
            "level": INT,
            "number": STR,
            "printed_number": STR,
            "text": STR,
            "italic_chars": INT,
            "status": enum(Status),
            "status_note": STR,
            "footnotes": FOOTNOTES,
            "version": INT,
        }
    ),
    "Revision": obj(
        {**REVISION_SUMMARY, "document": ref("Document"), "paragraphs": {"type": "array", "items": ref("Paragraph")}}
    ),
    "Comparison": obj(
        {
            "old": INT,
            "new": INT,
            "counts": obj(dict.fromkeys(("changed", "new", "deleted", "moved", "unchanged"), INT)),
            "frame": {"type": "array", "items": obj({"part": {"enum": ["title", "chapeau"]}, "diff": ref("Diff")})},
            "rows": {
                "type": "array",
                "items": obj(
                    {
                        "change": enum(Change),
                        "moved": BOOL,
                        "old": nullable(ref("Paragraph")),
                        "new": nullable(ref("Paragraph")),
                        "diff": ref("Diff"),
                    }
                ),
            },
            "concordance": {"type": "array", "items": obj({"old": STR, "new": STR})},
        }
    ),
    "Proposal": obj(PROPOSAL, optional=("outcome", "attribution")),
    "ProposalPage": page_of("Proposal"),
    "Compilation": obj(
        {
            "revision": INT,
            "proposals": INT,
            "blocks": {
                "type": "array",
                "items": obj(
                    {
                        "ref": STR,
                        "is_new": BOOL,
                        "new_kind": nullable(enum(Kind)),
                        "paragraph": nullable(ref("Paragraph")),
                        "proposals": {"type": "array", "items": ref("Proposal")},
                    }
                ),
            },
        }
    ),
    "AuditEvent": obj(
        {
            "id": INT,
            "at": WHEN,
            "actor": nullable(obj({"id": INT, "name": STR, "email": STR})),
            "action": STR,
            "object_type": STR,
            "object_id": nullable(INT),
            "revision": nullable(STR),
            "summary": STR,
            "data": nullable(
                {"type": "object", "description": "Null for an event of a revision the caller may not read."}
            ),
        }
    ),
    "AuditPage": page_of("AuditEvent"),
    "SubmitProposal": obj(
        {
            "kind": enum(ProposalKind),
            "paragraph": nullable(INT),
            "text": STR,
            "justification": STR,
            "delegation": nullable(INT),
            "new_kind": nullable(enum(Kind)),
            "new_level": nullable(INT),
        },
        optional=("paragraph", "text", "justification", "delegation", "new_kind", "new_level"),
    ),
    "EditProposal": obj(
        {"text": STR, "justification": STR, "version": nullable(INT)}, optional=("text", "justification", "version")
    ),
    "WithdrawProposal": obj({"version": nullable(INT)}, optional=("version",)),
    "SetPosition": obj({"stance": nullable(enum(Stance))}),
}


def error(description: str) -> S:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def ok(schema: str, description: str = "OK") -> S:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


ERRORS: S = {
    "401": error("No valid token and no session (unauthenticated)."),
    "404": error("Nothing here, or nothing the caller may see (not_found)."),
    "429": error("Too many calls (rate_limited); Retry-After says when to retry."),
}
READ_ERRORS: S = {
    **ERRORS,
    "304": {"description": "Not modified: the ETag sent in If-None-Match is current."},
    "400": error("A query value cannot be used (invalid)."),
    "403": error("The caller may see the negotiation but not this (forbidden)."),
}
WRITE_ERRORS: S = {
    **ERRORS,
    "400": error(
        "The body or a field cannot be used (invalid), or a session write without its CSRF token (csrf_failed)."
    ),
    "403": error("The caller may not do this, e.g. act for another delegation (forbidden)."),
    "409": error("Changed meanwhile (conflict), past the deadline (deadline_passed), or not open (invalid_state)."),
    "413": error("The body is too large (too_large)."),
    "415": error("The body is not JSON (invalid)."),
}


def param(name: str, where: str = "path", schema: S | None = None, description: str = "") -> S:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema or (INT if name in ("seq", "proposal_id") else STR),
        **({"description": description} if description else {}),
    }


SLUG = param("slug", description="The negotiation's short name.")
SEQ = param("seq", description="The revision's sequence number.")
PROPOSAL_ID = param("proposal_id")
PAGE = [
    param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 200}, "Items per page (default 50)."),
    param("after", "query", INT, "The id of the last item of the previous page."),
]


def read(summary: str, schema: str, *params: S, extra: S | None = None) -> S:
    return {
        "get": {
            "summary": summary,
            "parameters": list(params),
            "responses": {"200": ok(schema), **READ_ERRORS, **(extra or {})},
        }
    }


def write(summary: str, body: str, *params: S, status: str = "200") -> S:
    return {
        "post": {
            "summary": summary,
            "parameters": list(params),
            "requestBody": {"required": False, "content": {"application/json": {"schema": ref(body)}}},
            "responses": {status: ok("Proposal"), **WRITE_ERRORS},
        }
    }


N = "/negotiations/{slug}"
SPEC: S = {
    "openapi": "3.1.0",
    "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
    "info": {
        "title": "Drafter API",
        "version": "1",
        "description": (
            "Negotiations, revisions, comparisons, proposals, compilations and the record, as the caller "
            "may read them on the site; and the delegates' writes: submit, edit and withdraw a proposal, "
            "take a position. Errors are JSON with a stable code and a message."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"token": []}, {"session": []}],
    "paths": {
        "/openapi.json": {
            "get": {"summary": "This description", "security": [], "responses": {"200": {"description": "OK"}}}
        },
        "/me": read("Who the caller is, and their roles", "Me"),
        "/negotiations": read("The negotiations the caller may read", "NegotiationPage", *PAGE),
        N: read("A negotiation and the revisions the caller may read", "NegotiationDetail", SLUG),
        f"{N}/revisions": read("The revisions the caller may read", "RevisionList", SLUG),
        f"{N}/revisions/{{seq}}": read("A revision: document fields and paragraphs", "Revision", SLUG, SEQ),
        f"{N}/revisions/{{seq}}/akn": {
            "get": {
                "summary": "A revision as Akoma Ntoso 3.0 XML (AKN4UN), for those who may take its clean text",
                "parameters": [SLUG, SEQ],
                "responses": {
                    "200": {
                        "description": "The revision as Akoma Ntoso XML, with an ETag.",
                        "content": {"application/akn+xml": {"schema": STR}},
                    },
                    **READ_ERRORS,
                },
            }
        },
        f"{N}/compare": read(
            "Two revisions compared paragraph by paragraph, with word diffs",
            "Comparison",
            SLUG,
            param("old", "query", INT, "Seq of the older revision (default: the newer one's base)."),
            param("new", "query", INT, "Seq of the newer revision (default: the latest the caller may read)."),
        ),
        f"{N}/revisions/{{seq}}/proposals": {
            **read(
                "The proposals on a revision that the caller may see",
                "ProposalPage",
                SLUG,
                SEQ,
                param("delegation", "query", INT, "Only those this delegation made or took a position on."),
                param("kind", "query", enum(ProposalKind)),
                param("state", "query", enum(ProposalState)),
                *PAGE,
            ),
            **write(
                "Submit a proposal (for the caller's delegation, or the one named)",
                "SubmitProposal",
                SLUG,
                SEQ,
                status="201",
            ),
        },
        f"{N}/revisions/{{seq}}/compilation": read(
            "The compilation of proposals on a revision", "Compilation", SLUG, SEQ
        ),
        f"{N}/proposals/{{proposal_id}}": read("A proposal, with what became of it", "Proposal", SLUG, PROPOSAL_ID),
        f"{N}/proposals/{{proposal_id}}/edit": write(
            "Change a proposal's text or justification", "EditProposal", SLUG, PROPOSAL_ID
        ),
        f"{N}/proposals/{{proposal_id}}/withdraw": write("Withdraw a proposal", "WithdrawProposal", SLUG, PROPOSAL_ID),
        f"{N}/proposals/{{proposal_id}}/position": write(
            "Co-sponsor, support or oppose a proposal for the caller's delegation (null: no position)",
            "SetPosition",
            SLUG,
            PROPOSAL_ID,
        ),
        f"{N}/audit": read(
            "The negotiation's record, newest first",
            "AuditPage",
            SLUG,
            param("kind", "query", STR, "An action or its prefix: proposal, proposal.submitted."),
            param("actor", "query", INT),
            param("revision", "query", INT, "A revision's seq."),
            param("since", "query", {"type": "string", "format": "date"}),
            param("until", "query", {"type": "string", "format": "date"}),
            *PAGE,
        ),
    },
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer", "description": "A personal token from your account page."},
            "session": {
                "type": "apiKey",
                "in": "cookie",
                "name": "session",
                "description": "The site's session, for its own pages; writes need the X-CSRFToken header.",
            },
        },
    },
}
