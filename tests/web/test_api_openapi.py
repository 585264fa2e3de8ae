"""The OpenAPI description at /api/v1/openapi.json matches the API: every route is described, and the real
answers of every endpoint (successes and errors) validate against the schemas it gives for them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from drafter.api.openapi import SPEC
from drafter.auth import tokens
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind
from drafter.text import footnotes
from tests.support.world import World, build_world

URN = "urn:drafter-api"
REGISTRY = Registry().with_resource(URN, Resource.from_contents(SPEC, default_specification=DRAFT202012))


def validator(schema_ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{URN}{schema_ref}"}, registry=REGISTRY)


def response_schema(path: str, method: str, status: int) -> str:
    """Return the JSON pointer of the schema the description gives for this answer."""
    responses = SPEC["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} answers {status}, which the description does not give"
    content = responses[str(status)].get("content")
    assert content is not None, f"{method.upper()} {path} {status} has no schema"
    return content["application/json"]["schema"]["$ref"]


def spec_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.removeprefix("/api/v1"))


def test_the_description_is_served_and_its_schemas_are_valid_json_schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json["openapi"].startswith("3.1")
    assert response.json == SPEC
    for schema in SPEC["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_route_of_the_api_is_described_and_nothing_else(app):
    routes = {
        (spec_path(r.rule), m.lower())
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("api.")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    described = {(p, m) for p, ops in SPEC["paths"].items() for m in ops}
    assert routes == described


@pytest.fixture
def w(app: Flask, session) -> World:
    world = build_world(session, Path(app.config["EXPORT_DIR"]))
    v = load_versions(session, world.rev1)
    proposals.submit(session, None, world.rev1, world.g77, kind=ProposalKind.INSERT, target=v[3], text="Decides also;")
    proposals.set_position(session, None, world.other_proposal, world.mexico, proposals.Stance.SUPPORT)
    v[1].text, v[1].footnotes = v[1].text[:-1] + footnotes.marker(1) + ",", {"1": "Resolution 70/1."}
    session.commit()
    return world


def _calls(w: World) -> list[tuple[str, str, str, str, Any]]:
    """Return (role, method, spec path, address, body) for a call of every operation, and some refusals."""
    s, r1, r2, own, other = w.negotiation.slug, w.rev1.seq, w.rev2.seq, w.own_proposal.id, w.other_proposal.id
    n = f"/negotiations/{s}"
    N = "/negotiations/{slug}"
    return [
        ("delegate", "get", "/me", "/me", None),
        ("delegate", "get", "/negotiations", "/negotiations?limit=1", None),
        ("admin", "get", "/negotiations", "/negotiations", None),
        ("delegate", "get", N, n, None),
        ("outsider", "get", N, n, None),
        ("delegate", "get", f"{N}/revisions", f"{n}/revisions", None),
        ("cofacilitator", "get", f"{N}/revisions/{{seq}}", f"{n}/revisions/{r2}", None),
        ("delegate", "get", f"{N}/revisions/{{seq}}", f"{n}/revisions/{r2}", None),
        ("delegate", "get", f"{N}/revisions/{{seq}}/akn", f"{n}/revisions/{r1}/akn", None),
        ("observer", "get", f"{N}/revisions/{{seq}}/akn", f"{n}/revisions/{r1}/akn", None),
        ("delegate", "get", f"{N}/revisions/{{seq}}/akn", f"{n}/revisions/{r2}/akn", None),
        ("delegate", "get", f"{N}/compare", f"{n}/compare", None),
        ("cofacilitator", "get", f"{N}/compare", f"{n}/compare?old={r1}&new={r2}", None),
        ("delegate", "get", f"{N}/compare", f"{n}/compare?old=x", None),
        ("delegate", "get", f"{N}/revisions/{{seq}}/proposals", f"{n}/revisions/{r1}/proposals?limit=1", None),
        ("delegate", "get", f"{N}/revisions/{{seq}}/compilation", f"{n}/revisions/{r1}/compilation", None),
        ("delegate", "get", f"{N}/proposals/{{proposal_id}}", f"{n}/proposals/{other}", None),
        ("secretariat", "get", f"{N}/audit", f"{n}/audit?limit=5", None),
        ("admin", "get", f"{N}/audit", f"{n}/audit", None),
        ("delegate", "get", f"{N}/audit", f"{n}/audit", None),
        (
            "delegate",
            "post",
            f"{N}/revisions/{{seq}}/proposals",
            f"{n}/revisions/{r1}/proposals",
            {"kind": "amend", "paragraph": w.paragraph_id, "text": "Decides to meet in 2031;", "justification": ""},
        ),
        ("delegate", "post", f"{N}/revisions/{{seq}}/proposals", f"{n}/revisions/{r1}/proposals", {"kind": "x"}),
        (
            "delegate",
            "post",
            f"{N}/revisions/{{seq}}/proposals",
            f"{n}/revisions/{r1}/proposals",
            {"kind": "retain", "paragraph": w.paragraph_id, "delegation": w.g77.id},
        ),
        ("delegate", "post", f"{N}/proposals/{{proposal_id}}/edit", f"{n}/proposals/{own}/edit", {"text": "Decides;"}),
        ("delegate", "post", f"{N}/proposals/{{proposal_id}}/edit", f"{n}/proposals/{own}/edit", {"version": 1}),
        (
            "delegate",
            "post",
            f"{N}/proposals/{{proposal_id}}/position",
            f"{n}/proposals/{other}/position",
            {"stance": "oppose"},
        ),
        ("delegate", "post", f"{N}/proposals/{{proposal_id}}/withdraw", f"{n}/proposals/{own}/withdraw", {}),
        ("delegate", "post", f"{N}/proposals/{{proposal_id}}/withdraw", f"{n}/proposals/{own}/withdraw", {}),
    ]


def test_real_answers_of_every_endpoint_validate_against_the_description(app, w):
    clients: dict[str, Any] = {}

    def headers(role: str) -> dict[str, str]:
        if role not in clients:
            clients[role] = {"Authorization": f"Bearer {tokens.create(db.session, None, w.users[role], 'Check')}"}
            db.session.commit()
        return clients[role]

    client = app.test_client()
    exercised: set[tuple[str, str]] = set()
    statuses: set[int] = set()
    problems = []
    for role, method, path, url, body in _calls(w):
        response = client.open("/api/v1" + url, method=method.upper(), json=body, headers=headers(role))
        statuses.add(response.status_code)
        if not response.is_json:  # a file (Akoma Ntoso XML): of the media type described
            content = SPEC["paths"][path][method]["responses"][str(response.status_code)].get("content", {})
            assert response.mimetype in content, f"{method.upper()} {url} answers {response.mimetype}"
            exercised.add((path, method))
            continue
        ref = response_schema(path, method, response.status_code)
        errors = sorted(validator(ref).iter_errors(response.json), key=lambda e: list(e.path))
        problems += [f"{method.upper()} {url} ({response.status_code}): {e.message} at {list(e.path)}" for e in errors]
        if response.status_code < 300:
            exercised.add((path, method))
        db.session.expire_all()
    unauthenticated = client.get(f"/api/v1/negotiations/{w.negotiation.slug}")
    validator(response_schema("/negotiations/{slug}", "get", 401)).validate(unauthenticated.json)
    assert not problems, "\n".join(problems)
    described = {(p, m) for p, ops in SPEC["paths"].items() for m in ops if p != "/openapi.json"}
    assert described - exercised == set(), "operations no call succeeded on"
    assert {200, 201, 400, 403, 404, 409} <= statuses
