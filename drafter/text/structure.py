"""Detect the structure of a draft: headings, preambular and operative paragraphs, subparagraphs.

``classify(blocks) -> ParseResult`` is the one detector; ``parse_text(text) -> ParseResult``
cleans pasted or .txt text (``clean_extracted_text``), splits it into blocks
(``split_blocks``) and classifies them, so a Word import (which builds ``Block``s with its own
hints) and a paste are read by the same rules:

* Title block: when a chapeau ("The General Assembly,", "The Human Rights Council,") comes
  before any real paragraph, every line up to it is a title line. Otherwise only leading
  blocks whose first line is plainly masthead (a symbol such as "A/C.3/80/L.24", a date,
  "Distr.: Limited", "Eightieth session", "Agenda item 15", "Zero draft", "Draft resolution",
  "Resolution adopted by ...", "80/118. Title") are title lines. A title standing alone
  after such lines is left as a heading: nothing marks it as a title.
* "5." (or "5" and a tab, or a Word ``number_hint``) opens operative paragraph 5; "(a)",
  "a)" open level-1 subparagraphs, "(i)" level 2, "(A)" level 3, "(1)" level 4 (the levels
  ``numbering`` prints these labels at). A label that is both a
  letter and a roman numeral is the letter when it continues the letters ("(i)" after
  "(h)"), else the numeral. "25 Text" without a period counts when 25 is the next number.
* A block of at most 200 characters without closing punctuation is a heading, as is a
  block the source marks as one and "I. Title" / "A. Title".
* Unnumbered blocks before the first operative paragraph are preambular. After it, an
  unnumbered block is kept as an unnumbered (preambular-kind) paragraph with a warning, so
  it does not shift the numbers; when the text has no operative numbers at all (numbering
  lost in a copy from Word), operative paragraphs start at the first block that opens with
  an operative verb ("Decides") and are numbered in order.
* Word list items without a resolved number: list level 0 is operative, deeper levels are
  subparagraphs of that depth.
* Warnings: operative numbers or subparagraph letters out of sequence, subparagraphs with no
  paragraph above them, unnumbered paragraphs among numbered ones, footnotes whose markers
  were not found, closing lines left out ("64th plenary meeting", with the date on the line
  below it or on the same line).

Splitting text into blocks: blank lines always separate blocks. Inside a run of lines, every
line is its own paragraph when each ends like a paragraph (closing punctuation, or a short
heading-like line); otherwise lines are wrapped text and a new paragraph starts only at a
number label, a chapeau, or an opener ("Recalling", "Decides") after a line that ends with
closing punctuation. Wrapped lines are joined with a space ("multi-" + "stakeholder" keeps
its hyphen). Windows and old Mac line endings, a BOM, tabs and form feeds are accepted.

Text extracted from PDFs (``clean_extracted_text``): page furniture lines are dropped (page
numbers "2/18", job numbers "25-16621 (E)", barcodes, date stamps, the symbol repeated as a
running header), footnotes after a "_____" rule are collected (per page when pages are
separated by form feeds), and footnote markers found in order in the paragraphs ("issue,1",
"Declaration22") attach the footnote to its paragraph; markers stay in the text as printed.
Not handled: two-column layouts, footnotes without a rule, markers set as superscript that
the extraction separated from their word by a line break, and numbering that restarts in
annexes (operative numbers run through the whole text: a restart is reported).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from drafter.text import footnotes, labels
from drafter.text.clean import excerpt, normalise_text
from drafter.text.emphasis import opening_emphasis


class Kind(StrEnum):
    HEADING = "heading"  #: a heading between groups of paragraphs, never numbered
    PREAMBULAR = "preambular"  #: unnumbered, opens with an italic participle ("Recalling")
    OPERATIVE = "operative"  #: numbered 1., 2. ..., opens with an italic verb ("Decides")
    SUBPARAGRAPH = "subparagraph"  #: (a), (b) at level 1; (i), (ii) at level 2

    @property
    def is_heading(self) -> bool:
        """Return True for a heading, which has no text to quote beside its reference."""
        return self is Kind.HEADING

    @property
    def has_levels(self) -> bool:
        """Return True for the one kind whose level matters: subparagraphs, (a) or (i)."""
        return self is Kind.SUBPARAGRAPH


@dataclass(frozen=True, slots=True)
class ParsedParagraph:
    """One paragraph as detected in an imported text, numbers split off the text."""

    kind: Kind
    text: str
    #: the number as printed in the source, without punctuation: "5", "a", "ii"; "" if none
    number: str = ""
    #: subparagraph depth: 1 for (a), 2 for (i); 0 for other kinds
    level: int = 0
    #: length in characters of the italic opening words ("Recalling", "Also decides")
    italic_chars: int = 0
    #: the footnotes its text's markers name, by marker id (``text.footnotes``): {1: "Resolution 79/323, annex."}
    footnotes: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Block:
    """A raw block of source text with whatever hints its source gives (Word styles)."""

    text: str
    #: a number label the source resolved itself (Word automatic numbering), e.g. "5." or "(a)"
    number_hint: str = ""
    #: list level from the source (Word w:ilvl), -1 when not in a list
    level_hint: int = -1
    #: the source says this is a heading (Word heading or title style)
    heading_hint: bool = False
    #: italic opening length the source marked itself; -1 when unknown
    italic_chars: int = -1


@dataclass(frozen=True, slots=True)
class ParseResult:
    paragraphs: list[ParsedParagraph]
    #: lines before the first paragraph that look like a title block (symbol, date, title)
    title_lines: list[str] = field(default_factory=list)
    #: things a user should check: numbers out of sequence, blocks that look odd
    warnings: list[str] = field(default_factory=list)
    #: footnotes marked with stars ("* On behalf of ..."): the title block's, not a paragraph's
    title_footnotes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """Text extracted from a PDF with its page furniture removed and its footnotes apart."""

    body: str
    #: footnotes in order, marker first: "1 Resolution 71/256, annex.", "* On behalf of ..."
    footnotes: list[str] = field(default_factory=list)


# -- Patterns ---------------------------------------------------------------------------------

_OPERATIVE_LABEL = labels.OPERATIVE
_SUB_LABEL = labels.SUBPARAGRAPH
_LABEL_ONLY = re.compile(rf"\d{{1,3}}\.|{_SUB_LABEL.pattern}")
_BARE_NUMBER = re.compile(r"(\d{1,3})[ \t]+(?=[A-Z])")
_HEADING_LABEL = re.compile(r"(?:[IVXLC]{1,6}|[A-Z])\.\s+\S")
_ROMAN = re.compile(r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_CLOSED = re.compile(r"[.,;:!?…。；：，！？،؛؟]['\"”’)\]]*(?:\s?\d{1,3}|\*+)?$")
_CHAPEAU = re.compile(
    r"The\s+(?:(?:[A-Z][\w'’-]*|and|of|on|for|the)\s+){0,6}(?:Assembly|Council|Conference|Commission|Board|Committee|"
    r"Meeting|Parties|Summit|Forum)\s*[,:]?"
)
_SYMBOL = re.compile(r"(?:United Nations\s+)?[A-Z]{1,4}(?:/[A-Z0-9][\w.\-]*)+(?:\s*\*)?")
_TITLE_LINE = re.compile(
    "|".join(
        [
            r"(?:General Assembly|Security Council|Economic and Social Council|United Nations)(?:\s+Distr\.:?\s*\w+)?",
            r"Distr\.:?\s*\w+",
            r"Original:\s*\w+.*",
            r"\d{1,2}\s+[A-Z][a-z]+\s+\d{4}",
            r"[A-Z][a-z]+\s+\d{1,2},\s+\d{4}",
            r"\d{4}-\d{2}-\d{2}",
            r"[\w-]+(?:th|st|nd|rd)\s+session",
            r"(?:First|Second|Third|Fourth|Fifth|Sixth)\s+Committee",
            r"Agenda\s+items?\s+\d.*",
            r"(?:(?:Zero|First|Second|Third|Final|Revised|Advance|Updated)\s+)?draft(?:\s+(?:resolution|decision|declaration|text))?(?:\s*[\-–—:].*)?",
            r"Rev(?:ision)?\.?\s*\d+.*",
            r".{0,200}\bdraft\s+(?:resolution|decision)\b.*",
            r"Resolution adopted by the .*",
            r"\[(?:on the report of|without reference to).*\]",
            r"\d{2,3}/\d{1,4}\.\s+.*",
        ]
    ),
    re.IGNORECASE,
)
_CLOSING_LINE = re.compile(r"\d+(?:st|nd|rd|th)\s+plenary meeting\b.*", re.IGNORECASE)
_DATE_LINE = re.compile(r"\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},\s+\d{4}")
_FURNITURE = re.compile(
    r"\d{1,3}/\d{1,3}|\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?|\*\d{7,}\*|\d{6}|Please recycle.*|Page \d+(?: of \d+)?"
)
_RULE = re.compile(r"[ \t]*_{5,}[ \t]*")
#: a star footnote the extraction left among the paragraphs ("* On behalf of the States ...")
_STAR_NOTE = re.compile(r"\*{1,3}[ \t]+(?:On behalf of|Reissued|Issued|The present|Previously issued)\b.*")
_FOOTNOTE_START = re.compile(r"(\d{1,3}|\*{1,3})(?:[ \t]+(\S.*))?")
_FUNCTION_WORDS = frozenset("a an and the of for to in on with by at or from as that which its their".split())
MAX_TITLE_BLOCKS = 20
MAX_HEADING_CHARS = 200


# -- Cleaning and splitting text --------------------------------------------------------------


def _normalize(text: str) -> str:
    """Return ``text`` with one kind of line ending, no BOM, no stray footnote markers and no trailing spaces on lines."""
    text = footnotes.strip(normalise_text(text))
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n").replace("\x0b", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _footnote_lines(lines: list[str], last: int) -> list[str]:
    """Return the footnotes in the lines after a rule; ``last`` is the number of the one before."""
    notes: list[str] = []
    stripped = [x.strip() for x in lines]
    for i, line in enumerate(stripped):
        if not line:
            continue
        m = _FOOTNOTE_START.fullmatch(line)
        # A number starts a footnote only when it is the next one: "25 June 1993" continues; so
        # does "17 March 2022" when a later line of the page starts footnote 17 again.
        if m and (
            m.group(1).startswith("*")
            or (int(m.group(1)) == last + 1 and not _starts_again(stripped[i + 1 :], m.group(1)))
        ):
            notes.append(line)
            last = int(m.group(1)) if m.group(1).isdigit() else last
        elif notes:
            notes[-1] = f"{notes[-1]} {line}"
        else:
            notes.append(line)
    return notes


def _starts_again(lines: list[str], number: str) -> bool:
    """Return True when a later line starts the same footnote number, up to the next number's footnote."""
    following = str(int(number) + 1)
    for line in lines:
        m = _FOOTNOTE_START.fullmatch(line)
        if m and m.group(1) == number:
            return True
        if m and m.group(1) == following:
            return False
    return False


def _footnote_rule(lines: list[str]) -> int:
    """Return the index of the rule above a page's footnotes, or -1 if there is none."""
    for i in range(len(lines) - 1, -1, -1):
        if _RULE.fullmatch(lines[i]):
            after = next((x.strip() for x in lines[i + 1 :] if x.strip()), "")
            return i if after and _FOOTNOTE_START.match(after) else -1
    return -1


def clean_extracted_text(text: str) -> ExtractedText:
    """Return the body of PDF-extracted text without page furniture, and its footnotes."""
    pages = _normalize(text).split("\f")
    body: list[str] = []
    footnotes: list[str] = []
    seen_symbols: set[str] = set()
    for page in pages:
        kept: list[str] = []
        lines = page.split("\n")
        rule = _footnote_rule(lines)
        if rule >= 0:
            last = max((int(m.group()) for m in (re.match(r"\d+", x) for x in footnotes) if m), default=0)
            notes = [x for x in lines[rule + 1 :] if not _FURNITURE.fullmatch(x.strip())]
            footnotes.extend(_footnote_lines(notes, last))
            lines = lines[:rule]
        for line in lines:
            stripped = line.strip()
            if _FURNITURE.fullmatch(stripped):
                continue
            if _STAR_NOTE.fullmatch(stripped):
                footnotes.append(stripped)
                continue
            if _SYMBOL.fullmatch(stripped) and "/" in stripped:
                if stripped in seen_symbols:
                    continue  # the symbol repeated as a running header
                seen_symbols.add(stripped)
            kept.append(line)
        # A page break is not a paragraph break: the split decides from the lines themselves.
        body.append("\n".join(kept).strip("\n"))
    return ExtractedText("\n".join(x for x in body if x), footnotes)


def _sub_start(line: str) -> bool:
    """Return True when ``line`` opens with a subparagraph label followed by text."""
    m = _SUB_LABEL.match(line)
    return bool(m) and m.end() < len(line) and m.end() > 0 and line[m.end() - 1].isspace()


def _opens_paragraph(line: str) -> bool:
    """Return True when ``line`` starts with a number label, a chapeau or a UN opener."""
    return bool(
        _OPERATIVE_LABEL.match(line)
        or _sub_start(line)
        or _CHAPEAU.fullmatch(line)
        or opening_emphasis(line, Kind.PREAMBULAR)
        or opening_emphasis(line, Kind.OPERATIVE)
    )


def _heading_like(line: str) -> bool:
    """Return True for a short line that could be a heading (not a wrapped line's start)."""
    words = line.split()
    return (
        0 < len(words) <= 12
        and not _CLOSED.search(line)
        and (line[0].isupper() or not line[0].isalpha())
        and words[-1].lower() not in _FUNCTION_WORDS
        and not line.endswith(("-", "–"))
    )


def _ends_paragraph(line: str) -> bool:
    return bool(_CLOSED.search(line)) or _heading_like(line)


def _split_lines(lines: list[str]) -> list[list[str]]:
    """Return the paragraphs of a run of lines with no blank line between them."""
    if not any(_LABEL_ONLY.fullmatch(x) for x in lines) and all(_ends_paragraph(x) for x in lines[:-1]):
        return [[line] for line in lines]
    groups: list[list[str]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:]):
        if _LABEL_ONLY.fullmatch(prev):  # "1." on a line of its own, the text on the next
            groups[-1].append(line)
            continue
        starts = bool(_LABEL_ONLY.fullmatch(line) or _OPERATIVE_LABEL.match(line) or _sub_start(line))
        starts = starts or bool(_CHAPEAU.fullmatch(line))
        starts = starts or bool(_CHAPEAU.fullmatch(prev))
        starts = starts or (_CLOSED.search(prev) is not None and _opens_paragraph(line))
        if starts:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def split_blocks(text: str) -> list[Block]:
    """Return the blocks of a plain text: paragraphs separated by blank lines or recognized starts."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t\u00a0]*\n", _normalize(text).replace("\f", "\n\n")):
        lines = [line.strip(" \u00a0") for line in chunk.split("\n") if line.strip()]
        for group in _split_lines(lines) if lines else []:
            if blocks and _LABEL_ONLY.fullmatch(blocks[-1].text):  # "74." alone, its text after a gap
                blocks[-1] = Block(blocks[-1].text + "\n" + "\n".join(group))
            else:
                blocks.append(Block("\n".join(group)))
    return blocks


def _unwrap(text: str) -> str:
    """Return the lines of a block joined into one paragraph, spaces and tabs collapsed."""
    out = ""
    for line in (s.strip() for s in text.split("\n")):
        if not line:
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + line
        elif out.endswith(("-", "\u2010", "\u2011")) and len(out) > 1 and out[-2].isalpha() and line[0].islower():
            out += line
        else:
            out = f"{out} {line}" if out else line
    lead = re.match(r"\d{1,3}\t[ \t]*", out)  # in "5<tab>Decides" the tab is what makes 5 a label
    if lead:
        return lead.group().rstrip() + "\t" + re.sub(r"[ \t]+", " ", out[lead.end() :])
    return re.sub(r"[ \t]+", " ", out)


# -- Classifying blocks -------------------------------------------------------------------------


def _is_paragraph_start(block: Block) -> bool:
    """Return True for a block that must be a paragraph: numbered, a preambular opener, or long."""
    text = block.text.strip()
    if block.number_hint or block.level_hint >= 0 or len(text) > 1000:
        return True
    if len(text) <= MAX_HEADING_CHARS and not _CLOSED.search(text):
        return False  # a title or heading, even one that opens with "Combating"
    return bool(_OPERATIVE_LABEL.match(text) or _sub_start(text) or opening_emphasis(text, Kind.PREAMBULAR))


def _title_block(blocks: Sequence[Block]) -> int:
    """Return how many leading blocks form the title block."""
    for i, block in enumerate(blocks[:MAX_TITLE_BLOCKS]):
        if _CHAPEAU.fullmatch(block.text.strip()):
            return i + 1
        if _is_paragraph_start(block):
            break
    count = 0
    for block in blocks[:MAX_TITLE_BLOCKS]:
        first = block.text.strip().split("\n")[0].strip()
        masthead = _SYMBOL.fullmatch(first) or _TITLE_LINE.fullmatch(first)
        if not masthead or len(first) > 200 or any(_opens_paragraph(x) for x in block.text.split("\n")[1:]):
            break
        count += 1
    return count


@dataclass(slots=True)
class _State:
    """What the detector remembers while walking the blocks."""

    numbered: bool  #: the text numbers its operative paragraphs
    operative: int | None = None  #: the last operative number seen
    in_operative: bool = False
    has_parent: bool = False  #: a preambular or operative paragraph is open for subparagraphs
    letters: int = 0  #: the last level-1 letter under the current parent (1 for "a")
    romans: int = 0  #: the last level-2 numeral under the current level-1 item
    paragraphs: list[ParsedParagraph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def parent(self) -> None:
        self.has_parent, self.letters, self.romans = True, 0, 0


def _alpha_index(label: str) -> int:
    """Return the position of a UN letter label ("a" 1, "aa" 27), or 0 if it is not one."""
    if not re.fullmatch(r"([a-z])\1*", label):
        return 0
    return (len(label) - 1) * 26 + ord(label[0]) - ord("a") + 1


def _roman_value(label: str) -> int:
    """Return the value of a lower-case roman numeral, or 0 if it is not one."""
    if not label or not _ROMAN.fullmatch(label):
        return 0
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for ch, nxt in zip(label, label[1:] + " "):
        v = values[ch]
        total += -v if nxt != " " and values[nxt] > v else v
    return total


def _sub_level(label: str, state: _State) -> int:
    """Return the depth of subparagraph ``label`` and update the letter and numeral counters."""
    if label.isdigit():
        return 4
    if label.isupper():
        return 3
    letter, numeral = _alpha_index(label), _roman_value(label)
    if letter and letter == state.letters + 1:
        state.letters, state.romans = letter, 0
        return 1
    if numeral and numeral in (1, state.romans + 1):
        state.romans = numeral
        return 2
    expected = f"({chr(ord('a') + state.letters)})" if state.letters < 26 else "the next letter"
    state.warnings.append(f"Subparagraph ({label}) is out of sequence (expected {expected}).")
    if letter:
        state.letters, state.romans = letter, 0
        return 1
    state.romans = numeral
    return 2


def _label(block: Block, text: str, state: _State) -> tuple[str, str, str]:
    """Return (label kind "op"/"sub"/"", number, text without the label) of a block."""
    hint = block.number_hint.strip()
    if hint and not block.heading_hint:
        m = re.fullmatch(r"(\d{1,3})[.)]?", hint)
        if m:
            return "op", m.group(1), text
        m = re.fullmatch(r"\(([A-Za-z]{1,5}|\d{1,2})\)|([a-z]{1,4})[.)]", hint)
        if m:
            return "sub", m.group(1) or m.group(2), text
    m = _OPERATIVE_LABEL.match(text) or labels.NEW_OPERATIVE.match(text)
    if m:
        return "op", m.group(1), text[m.end() :]
    m = _SUB_LABEL.match(text)
    if m and m.end() < len(text):
        return "sub", m.group("p") or m.group("b"), text[m.end() :]
    m = _BARE_NUMBER.match(text)
    if m and state.operative is not None and int(m.group(1)) == state.operative + 1:
        return "op", m.group(1), text[m.end() :]  # a number printed without its period
    return "", "", text


def _kind_of(block: Block, text: str, label: str, state: _State) -> Kind:
    if label == "op":
        return Kind.OPERATIVE
    if label == "sub":
        return Kind.SUBPARAGRAPH
    if block.heading_hint:
        return Kind.HEADING
    if block.level_hint >= 0:
        return Kind.OPERATIVE if block.level_hint == 0 else Kind.SUBPARAGRAPH
    words = footnotes.strip(text).rstrip()  # "environment,¹": a footnote after the comma closes nothing
    if len(words) <= MAX_HEADING_CHARS and (not _CLOSED.search(words) or _HEADING_LABEL.match(words)):
        return Kind.HEADING
    if not state.numbered and not state.in_operative:
        if opening_emphasis(text, Kind.OPERATIVE) and not opening_emphasis(text, Kind.PREAMBULAR):
            state.in_operative = True
    if state.in_operative and not state.numbered:
        return Kind.OPERATIVE
    if state.in_operative:
        state.warnings.append(
            f"An unnumbered paragraph after operative paragraph {state.operative} was kept unnumbered: "
            f"“{excerpt(text)}”."
        )
    return Kind.PREAMBULAR


def _add(block: Block, state: _State) -> None:
    """Classify one block and append its paragraph to ``state``."""
    raw = _unwrap(block.text).strip()
    label, number, text = _label(block, raw, state)
    text = text.strip()
    if block.heading_hint and block.number_hint.strip():
        text = raw = f"{block.number_hint.strip()} {text}"  # "I. Introduction": headings are not renumbered
    if not text:
        return
    kind = _kind_of(block, text, label, state)
    level = 0
    if kind is Kind.OPERATIVE and number and not number.isdigit():
        state.in_operative = True  # "12 bis": a new paragraph after 12 leaves the count as it is
        state.parent()
    elif kind is Kind.OPERATIVE:
        n = int(number) if number else (state.operative or 0) + 1
        expected = (state.operative or 0) + 1
        if number and n != expected:
            where = f"after {state.operative}" if state.operative is not None else "first"
            state.warnings.append(f"Operative paragraph {n} is out of sequence ({where}; expected {expected}).")
        state.operative, state.in_operative = n, True
        state.parent()
    elif kind is Kind.SUBPARAGRAPH:
        if not state.has_parent:
            state.warnings.append(f"Subparagraph “{excerpt(raw)}” has no paragraph above it.")
        if label == "sub":
            level = _sub_level(number, state)
        else:
            level = min(3, max(1, block.level_hint))
    elif kind is Kind.PREAMBULAR:
        state.parent()
    else:
        state.has_parent = False
    if block.italic_chars >= 0:
        italic = max(0, min(len(text), block.italic_chars - (len(raw) - len(text))))
    else:
        italic = opening_emphasis(text, kind)
    state.paragraphs.append(ParsedParagraph(kind, text, number if label else "", level, italic))


def _has_numbers(blocks: Sequence[Block]) -> bool:
    """Return True when any block carries an operative number."""
    for block in blocks:
        hint = block.number_hint.strip()
        if re.fullmatch(r"\d{1,3}[.)]?", hint) or _OPERATIVE_LABEL.match(block.text.strip()):
            return True
    return False


def _drop_closing_lines(body: list[Block], state: _State) -> None:
    """Remove the closing "64th plenary meeting" line (and its date below it) from the end of ``body``."""
    while body:
        last = _unwrap(body[-1].text).strip()
        if _CLOSING_LINE.fullmatch(last):
            body.pop()
        elif len(body) > 1 and _DATE_LINE.fullmatch(last) and _CLOSING_LINE.fullmatch(_unwrap(body[-2].text).strip()):
            body.pop()
            last = f"{_unwrap(body.pop().text).strip()} {last}"
        else:
            return
        state.warnings.append(f"Left out the closing line “{last}”.")


def classify(blocks: Sequence[Block]) -> ParseResult:
    """Return the paragraphs, title lines and warnings detected in a sequence of blocks."""
    blocks = [b for b in blocks if b.text.strip()]
    n_title = _title_block(blocks)
    title_lines = [line.strip() for b in blocks[:n_title] for line in b.text.split("\n") if line.strip()]
    body = list(blocks[n_title:])
    state = _State(numbered=_has_numbers(body))
    _drop_closing_lines(body, state)
    for block in body:
        _add(block, state)
    return ParseResult(state.paragraphs, title_lines, state.warnings)


# -- Footnotes and the whole text ---------------------------------------------------------------


def _attach_footnotes(result: ParseResult, notes: list[str]) -> ParseResult:
    """Return ``result`` with each numbered footnote's printed marker replaced by a footnote marker.

    Markers are found in order, each after the one before. A footnote whose marker is not
    found is kept at the end of the paragraph where the one before it stands, and reported.
    """
    paragraphs = list(result.paragraphs)
    texts = [p.text for p in paragraphs]
    attached: dict[int, dict[int, str]] = {}
    warnings = list(result.warnings)
    at, offset = 0, 0  # markers come in order: search on from the last one found

    def put(i: int, start: int, end: int, body: str) -> None:
        nonlocal at, offset
        mine = attached.setdefault(i, {})
        note_id = len(mine) + 1
        if note_id > footnotes.MAX_NOTES:
            return
        mine[note_id] = body
        before = texts[i][:start].rstrip(" \t")
        texts[i] = before + footnotes.marker(note_id) + texts[i][end:]
        at, offset = i, len(before) + 1

    for note in notes:
        m = re.match(r"(\d{1,3})\s+", note)
        if not m:
            continue
        body = note[m.end() :].strip()
        # After a lower-case letter ("Declaration22") or punctuation ("issue,1"; "issue, 1" from
        # pdftotext), not after a capital ("COP29") and not inside a number ("79/1", "1,000").
        # After a year, the extraction keeps a space so numbers stay whole ("2004 4").
        marker = re.compile(rf"(?:(?<=[^\W\d_A-Z])|(?<=[,.;:”’\"')\]])\s?|(?<=\d{{4}} )){m.group(1)}(?![\d/]|[.,]\d)")
        for i in range(at, len(paragraphs)):
            found = marker.search(texts[i], offset if i == at else 0)
            if found:
                put(i, found.start(), found.end(), body)
                break
        else:
            if paragraphs:
                where = paragraphs[at]
                warnings.append(
                    f"Footnote {m.group(1)} was not found in the text: it was put at the end of the paragraph "
                    f"“{excerpt(where.text)}”; move it if it belongs elsewhere: “{excerpt(note)}”."
                )
                put(at, len(texts[at]), len(texts[at]), body)
    for i, mine in attached.items():
        paragraphs[i] = replace(paragraphs[i], text=texts[i], footnotes=mine)
    stars = [note for note in notes if re.match(r"\*{1,3}\s", note)]
    return ParseResult(paragraphs, result.title_lines, warnings, stars)


def parse_text(text: str) -> ParseResult:
    """Return the structure of a pasted draft or a .txt file."""
    extracted = clean_extracted_text(text)
    result = classify(split_blocks(extracted.body))
    return _attach_footnotes(result, extracted.footnotes) if extracted.footnotes else result
