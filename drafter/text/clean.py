"""The one normalisation of text that users type, paste or upload, before anything else reads it.

Every path that takes text in (the web forms' paragraph and proposal texts, pasted drafts,
.txt and .docx uploads, the command line) passes it through ``normalise_text``, so the same
characters are stored whatever the way in.
"""

from __future__ import annotations

import re

#: C0 control characters that carry no meaning in a paragraph: NUL (which PostgreSQL cannot
#: store) and the rest, except tab, line feed, and the vertical tab and form feed that mark
#: manual line and page breaks in text copied from Word or a PDF
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f"
#: bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI):
#: they make text display in another order than it is stored, so a reader could approve words
#: other than the ones on record; paragraphs get their direction from their own letters
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_REMOVED = re.compile(f"[{_CONTROLS}{_BIDI_CONTROLS}\ufeff]")
_LINE_ENDINGS = re.compile(r"\r\n?")


def normalise_text(text: str) -> str:
    """Return ``text`` with line feeds for every line ending, and without control characters or a BOM."""
    return _REMOVED.sub("", _LINE_ENDINGS.sub("\n", text))


def excerpt(text: str, limit: int = 60) -> str:
    """Return ``text`` as quoted in a message: cut to ``limit`` characters or fewer, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "…"
