"""Number labels as people type them before a paragraph's text: the one home of their patterns.

A draft typed by hand carries its numbers in the text ("5.\tDecides", "4\tDecides", "(a) ",
"12 bis. "); Word's automatic numbering gives the same labels apart from the text ("5.", "(a)").
The structure detector, the Word reader, the aligner and the tracked-file importer all ask the
same two questions of them, answered here: where does a typed label end, and is this the text of
a list label.
"""

from __future__ import annotations

import re

#: the Latin ordinals the UN adds to a number for a new paragraph: "12 bis", "12 ter" ...
SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")
_SUFFIX = "|".join(SUFFIXES)
_BLANK = r"[ \t\u00a0]"

#: an operative number at the start of a line: "5. ", "5.\t", "5\t" or "5.Decides"; not "2.5 million"
OPERATIVE = re.compile(rf"(\d{{1,3}})(?:\.{_BLANK}+|\.(?=[^\W\d_])|\t{_BLANK}*)(?=\S)")
#: a subparagraph label: "(a)", "(bb)", "(iv)", "(A)", "(1)", "a)", "iv)": letters (doubled
#: UN-style) or roman numerals, with the blanks after it
SUBPARAGRAPH = re.compile(
    r"(?:\((?P<p>(?P<l1>[a-z])(?P=l1){0,2}|[ivxlc]{1,7}|(?P<u>[A-Z])(?P=u)?|\d{1,2})\)"
    rf"|(?P<b>(?P<l2>[a-z])(?P=l2){{0,2}}|[ivxlc]{{1,7}})\)){_BLANK}*"
)
#: any label typed before a paragraph's text, with the blanks after it: "5. ", "5\t",
#: "12 bis. ", "12 bis)\t", "(a) ", "(iv)\t", "a) "; not "5.Decides" (no blank: it may be a
#: figure) nor "2.5 million"
LEADING = re.compile(
    rf"(?:\(?\d{{1,3}}(?:{_BLANK}?(?:{_SUFFIX}))?(?:[.)]{_BLANK}+|\t{_BLANK}*)"
    rf"|\((?:[a-z]{{1,4}}|[ivxlc]{{1,7}}|\d{{1,2}})\){_BLANK}+|[a-z]{{1,4}}\){_BLANK}+)(?=\S)",
    re.IGNORECASE,
)
#: the text of a Word list label the structure detector understands: "5", "5.", "5)", "(a)",
#: "a)", "a.", "(iv)", "(1)"
LIST_LABEL = re.compile(r"\d{1,3}[.)]?|\([A-Za-z]{1,5}\)|[a-z]{1,4}[.)]|\(\d{1,2}\)")
#: a new paragraph's number typed before its text: "12 bis. ", "12 ter\t" (group 1: "12 bis")
NEW_OPERATIVE = re.compile(rf"(\d{{1,3}}{_BLANK}?(?:{_SUFFIX}))\b[.)]?{_BLANK}+(?=\S)", re.IGNORECASE)


def leading_label(text: str) -> str:
    """Return the label typed at the start of ``text`` without its blanks ("12 bis."), or ""."""
    m = LEADING.match(text)
    return m.group().strip(" \t\u00a0") if m else ""


def strip_label(text: str) -> str:
    """Return ``text`` without the label typed at its start, and without surrounding blanks."""
    return LEADING.sub("", text.strip(), count=1).strip()
