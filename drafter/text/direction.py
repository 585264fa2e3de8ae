"""Writing direction of a text, as the Unicode bidirectional classes decide it."""

from __future__ import annotations

import unicodedata


def is_rtl(text: str) -> bool:
    """Return True when the first strong character of ``text`` is right-to-left."""
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi in ("R", "AL"):
            return True
        if bidi == "L":
            return False
    return False
