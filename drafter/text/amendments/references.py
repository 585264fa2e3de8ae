"""Paragraph references: the target phrases of the grammar ("operative paragraphs 4 to 6")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from drafter.text.amendments.model import LAST, Target
from drafter.text.ordinals import ORDINAL_RE, parse_ordinal
from drafter.text.structure import Kind

_REF_TOKEN = re.compile(
    r"\s*(?:(?P<label>\(\s*(?:[a-z]{1,4}|\d{1,2})\s*\))"
    rf"|(?P<ord>{ORDINAL_RE}|last\b)"
    r"|(?P<short>PP|OP)\s?(?P<snum>\d{1,3})\b"
    r"|(?P<num>\d{1,3})\b"
    r"|(?P<kind>preambular|operative)\s+paragraphs?\b"
    r"|(?P<sub>sub-?paragraphs?)\b"
    r"|(?P<para>paragraphs?)\b"
    r"|(?P<range>to\b|through\b|[-\u2013])"
    r"|(?P<of>of\b)"
    r"|(?P<skip>,|and\b|as\s+well\s+as\b|&|the\b))",
    re.I,
)


def _norm_label(label: str) -> str:
    """Return a subparagraph label in one form: "b", "(b)", "b)" -> "(b)"; "(b)(ii)"."""
    return "".join(f"({p})" for p in re.findall(r"[a-z]+|\d+", label.lower()))


@dataclass
class _Refs:
    """The state of reading one target phrase ("the third and fifth preambular paragraphs")."""

    targets: list[Target] = field(default_factory=list)
    ordinals: list[int] = field(default_factory=list)  # waiting for "preambular paragraph"
    labels: list[str] = field(default_factory=list)  # "subparagraphs (a) and (b) of ..."
    kind: Kind | None = None  # the noun numbers that follow belong to
    ranging: bool = False
    sub_mode: bool = False
    last: str = ""

    def add(self, kind: Kind, number: int) -> None:
        labels, self.labels = (self.labels or [""]), []
        self.targets.extend(Target(kind, number, label) for label in labels)

    def number(self, n: int) -> bool:
        if self.kind is None:
            return False
        if self.ranging:
            first = self.targets[-1].number + 1 if self.targets else 0
            self.ranging = False
            self.targets.extend(Target(self.kind, k) for k in range(first, n + 1))
            return 1 < first <= n
        self.add(self.kind, n)
        return True

    def ordinal(self, n: int) -> bool:
        if self.ranging:
            self.ranging = False
            if not self.ordinals or n == LAST or n <= self.ordinals[-1]:
                return False
            self.ordinals.extend(range(self.ordinals[-1] + 1, n + 1))
        else:
            self.ordinals.append(n)
        return True

    def noun(self, kind: Kind) -> None:
        if self.sub_mode and self.labels:
            self.flush_labels()
        self.kind = kind
        for n in self.ordinals:
            self.add(kind, n)
        self.ordinals = []

    def label(self, label: str) -> bool:
        if self.sub_mode:
            self.labels.append(label)
        elif self.targets and self.last in ("num", "label", "kind"):
            t = self.targets[-1]
            self.targets[-1] = replace(t, subparagraph=t.subparagraph + label)
        elif self.targets and self.last == "skip" and self.targets[-1].subparagraph:
            t = self.targets[-1]
            self.targets.append(replace(t, subparagraph=re.sub(r"\([^()]*\)$", "", t.subparagraph) + label))
        else:
            return False
        return True

    def flush_labels(self) -> None:
        """Give pending labels to the target before them ("operative paragraph 4, subparagraph (b)")."""
        t = self.targets.pop()
        self.targets.extend(replace(t, subparagraph=t.subparagraph + label) for label in self.labels)
        self.labels, self.sub_mode = [], False


def _step(refs: _Refs, m: re.Match[str]) -> bool:
    """Feed one token of a target phrase to ``refs``; return False when the phrase is not one."""
    if m["label"]:
        return refs.label(_norm_label(m["label"]))
    if m["ord"]:
        return refs.ordinal(LAST if m["ord"].lower() == "last" else parse_ordinal(m["ord"]) or 0)
    if m["short"]:
        refs.add(Kind.PREAMBULAR if m["short"].upper() == "PP" else Kind.OPERATIVE, int(m["snum"]))
        return True
    if m["num"]:
        return refs.number(int(m["num"]))
    if m["kind"]:
        refs.noun(Kind.PREAMBULAR if m["kind"].lower() == "preambular" else Kind.OPERATIVE)
    elif m["para"]:
        refs.kind = Kind.OPERATIVE  # numbered paragraphs without "operative": declarations
        return not refs.ordinals  # "the third paragraph" could be either kind
    elif m["sub"]:
        refs.sub_mode = True
    elif m["range"]:
        refs.ranging = bool(refs.targets or refs.ordinals)
        return refs.ranging
    elif m["of"]:
        refs.sub_mode = False
        return bool(refs.labels)
    return True


def _parse_targets(phrase: str) -> list[Target] | None:
    """Return the paragraphs a phrase names ("operative paragraphs 4 to 6"), or None."""
    refs, pos = _Refs(), 0
    while pos < len(phrase.rstrip()):
        m = _REF_TOKEN.match(phrase, pos)
        if m is None or m.end() == pos or not _step(refs, m):
            return None
        refs.last = next(name for name, value in m.groupdict().items() if value)
        pos = m.end()
    if refs.sub_mode and refs.labels and refs.targets:
        refs.flush_labels()
    if refs.ordinals or refs.labels or refs.ranging or not refs.targets:
        return None
    return None if any(t.number == 0 for t in refs.targets) else refs.targets
