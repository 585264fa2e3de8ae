"""Comparing pages: what differs between two answers that must look the same to a visitor."""

from __future__ import annotations

import re

#: the CSRF token of the page and of its forms: signed with a timestamp, it differs across a second boundary
_CSRF = re.compile(rb'<meta name="csrf-token" content="[^"]*">|name="csrf_token" type="hidden" value="[^"]*"')


def without_csrf(page: bytes) -> bytes:
    """Return a page's HTML without its CSRF tokens."""
    return _CSRF.sub(b"", page)
