"""The italic opening words of preambular and operative paragraphs, UN style.

``opening_emphasis(text, kind) -> int`` returns how many leading characters of ``text`` are
printed in italics: "Recalling", "Also recalling", "Recalling further", "Bearing in mind",
"Deeply concerned", "Noting with appreciation" (preambular); "Decides", "Also decides",
"Strongly condemns", "Calls upon", "Takes note", "Expresses its deep concern" (operative).
It is 0 for headings and subparagraphs and whenever nothing fits.

The heuristic, English first: optional leading adverbs ("Also", "Further", "Deeply",
"Strongly" ...), then a head word (preambular: a participle in -ing, a past participle in -ed
or an adjective such as "Mindful", "Aware"; operative: a known verb or a word in -s that is
not followed by a modal, so "States should ..." is not taken for a verb), then whatever is
idiomatically part of the phrase: "also"/"further"/"again" after the head, the particle of
phrasal openers ("Calls upon", "Bearing in mind", "Taking into account", "Takes note"),
"with appreciation"/"with deep concern", "Expresses its (deep) concern". Reported speech
("We recognize ..."), declarations and anything else start with no italics.

French, Spanish and Russian: only openers found in short lists of the usual words
("Rappelant", "Décide", "Recordando", "Decide", "Напоминая", "Постановляет" and their
adverbs: "Rappelant également", "Profondément préoccupée", "Вновь подтверждая"); French
present participles in -ant and Spanish gerunds in -ando/-iendo also count when preambular.
Arabic, Chinese and any other script: 0, because a wrong guess is worse than none.

``keep_emphasis(old_text, old_chars, new_text, kind) -> int`` returns the italic length after
an edit: an automatic emphasis (``old_chars`` equal to what ``opening_emphasis`` gives for the
old text) is recomputed for the new text; a deliberate one (from Word or set by hand) is kept
while the new text still starts with the same words, and recomputed once it does not.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # structure imports this module, so Kind is compared by its string value
    from drafter.text.structure import Kind

_PREAMBULAR = "preambular"
_OPERATIVE = "operative"

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-\u2010\u2011](?=[^\W\d_]))*")

# -- English ---------------------------------------------------------------------------------

_LEADING_ADVERBS = frozenset(
    "also further furthermore again deeply strongly firmly fully gravely seriously profoundly "
    "most once likewise equally similarly highly sincerely warmly particularly especially "
    "increasingly greatly extremely categorically unequivocally resolutely".split()
)
_TRAILING_ADVERBS = frozenset("also further again likewise moreover".split())
_PREAMBULAR_ADJECTIVES = frozenset(
    "aware mindful conscious cognizant cognisant desirous appreciative confident resolved seized "
    "determined convinced concerned alarmed guided encouraged".split()
)
_NOT_PARTICIPLES = frozenset("united red bed need seed speed feed hundred thing nothing during".split())
_OPERATIVE_VERBS = frozenset(
    "accepts acknowledges adopts affirms agrees appeals applauds appreciates approves arrives "
    "asks authorizes calls commends commits condemns confirms considers decides declares "
    "demands deplores designates determines directs emphasizes encourages endorses "
    "establishes expresses extends highlights insists instructs invites notes proclaims "
    "reaffirms recalls recognizes recommends regrets reiterates rejects reminds renews "
    "requests resolves stresses supports takes underlines underscores urges "
    "welcomes".split()
)
_NOT_VERBS_AFTER = frozenset(
    "should shall will would must may might can could are were have has had is was do does did and or of".split()
)
_PHRASAL = {
    "calls": (("upon",), ("on",)),
    "call": (("upon",), ("on",)),
    "calling": (("upon",), ("on",)),
    "bearing": (("in", "mind"),),
    "keeping": (("in", "mind"),),
    "taking": (("note",), ("into", "account"), ("into", "consideration")),
    "takes": (("note",), ("into", "account")),
    "take": (("note",),),
}
_FEELINGS = frozenset(
    "appreciation concern satisfaction interest regret alarm gratitude approval dismay "
    "disappointment sympathy condolences solidarity support thanks hope recognition "
    "condemnation indignation".split()
)
_FEELING_ADJECTIVES = frozenset(
    "deep grave serious great profound sincere full strong continued particular utmost".split()
)
_EXPRESS = frozenset("expresses expressing express".split())

# -- French, Spanish, Russian: whole-word lists, lower case -----------------------------------

_OTHER_PREAMBULAR_ADVERBS = frozenset(
    "profondément vivement gravement également aussi profundamente gravemente también además "
    "asimismo nuevamente вновь также глубоко серьезно решительно".split()
)
_OTHER_PREAMBULAR = frozenset(
    "consciente conscientes convaincue convaincus préoccupée préoccupés alarmée résolue "
    "guidée soulignant notant rappelant réaffirmant considérant reconnaissant sachant "
    "convencida preocupada decidida alarmada guiada resuelta "
    "напоминая подтверждая признавая отмечая приветствуя подчеркивая принимая учитывая "
    "сознавая выражая ссылаясь руководствуясь будучи памятуя обеспокоена встревожена "
    "убеждена преисполнена".split()
)
_OTHER_OPERATIVE = frozenset(
    "décide prie demande engage encourage invite exhorte condamne réaffirme souligne note "
    "accueille recommande approuve salue rappelle reconnaît insiste exprime affirme prend "
    "decide solicita pide exhorta alienta invita insta reafirma condena acoge toma observa "
    "destaca subraya reconoce recomienda aprueba recuerda expresa afirma celebra "
    "постановляет просит призывает предлагает рекомендует подтверждает осуждает "
    "приветствует подчеркивает признает отмечает принимает выражает одобряет напоминает".split()
)
_OTHER_OPERATIVE_ADVERBS = frozenset(
    "également aussi también además asimismo вновь также настоятельно решительно".split()
)
#: multi-word openers: the whole phrase is italic ("Prend note", "Teniendo presente")
_OTHER_PHRASES = (
    ("se", "félicite"), ("prend", "note"), ("prenant", "note"), ("tenant", "compte"),
    ("toma", "nota"), ("tomando", "nota"), ("acoge", "con", "beneplácito"),
    ("acogiendo", "con", "beneplácito"), ("teniendo", "presente"), ("teniendo", "en", "cuenta"),
    ("принимает", "к", "сведению"), ("принимая", "к", "сведению"), ("принимая", "во", "внимание"),
)  # fmt: skip
_OTHER_WITH = frozenset("avec con".split())
_OTHER_FEELINGS = frozenset(
    "satisfaction préoccupation inquiétude appréciation satisfacción preocupación reconocimiento "
    "aprecio beneplácito pesar alarma".split()
)
_FRENCH_NOT_PARTICIPLES = frozenset("avant pendant durant cependant maintenant néanmoins tant quant autant".split())
_SPANISH_NOT_GERUNDS = frozenset("cuando mando comando bando fondo".split())


#: typographic hyphens and apostrophes read as the ASCII ones ("Re‑emphasizes", U+2011)
_PLAIN = str.maketrans({"\u2010": "-", "\u2011": "-", "’": "'"})


def _words(text: str, limit: int = 8) -> list[tuple[str, int]]:
    """Return the first words of ``text`` in lower case, each with the offset where it ends."""
    out: list[tuple[str, int]] = []
    for m in _WORD.finditer(text):
        out.append((m.group().lower().translate(_PLAIN), m.end()))
        if len(out) == limit:
            break
    return out


def _contiguous(text: str, words: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Return the leading words separated only by spaces (an opener never spans punctuation)."""
    out: list[tuple[str, int]] = []
    start = 0
    for word, end in words:
        gap = text[start : end - len(word)]
        if gap.strip():
            break
        out.append((word, end))
        start = end
    return out


def _is_latin(word: str) -> bool:
    return all(ch < "\u0250" for ch in word if ch.isalpha())


def _preambular_head(word: str) -> bool:
    if word in _PREAMBULAR_ADJECTIVES:
        return True
    if word in _NOT_PARTICIPLES or len(word) < 5:
        return False
    return word.endswith("ing") or word.endswith("ed")


def _operative_head(word: str, following: str) -> bool:
    if word in _OPERATIVE_VERBS:
        return True
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ous", "ics")):
        return False
    return bool(following) and following not in _NOT_VERBS_AFTER


def _extend(words: list[tuple[str, int]], i: int) -> int:
    """Return the index just after the idiomatic words that follow the head ``words[i]``."""
    head = words[i][0]
    j = i + 1
    for phrase in _PHRASAL.get(head, ()):
        if tuple(w for w, _ in words[j : j + len(phrase)]) == phrase:
            j += len(phrase)
            break
    if head in _EXPRESS:
        k = j
        if k < len(words) and words[k][0] in ("its", "their", "the", "our"):
            k += 1
        while k < len(words) and words[k][0] in _FEELING_ADJECTIVES:
            k += 1
        if k < len(words) and words[k][0] in _FEELINGS:
            return k + 1
    while j < len(words) and words[j][0] in _TRAILING_ADVERBS:
        j += 1
    if j < len(words) and words[j][0] == "with":
        k = j + 1
        while k < len(words) and words[k][0] in _FEELING_ADJECTIVES:
            k += 1
        if k < len(words) and words[k][0] in _FEELINGS:
            j = k + 1
    return j


def _english(text: str, words: list[tuple[str, int]], preambular: bool) -> int:
    i = 0
    while i < len(words) - 1 and words[i][0] in _LEADING_ADVERBS:
        i += 1
    head = words[i][0]
    if head == "having" and i + 1 < len(words) and _preambular_head(words[i + 1][0]):
        return words[i + 1][1]  # "Having considered", "Having examined"
    following = words[i + 1][0] if i + 1 < len(words) else ""
    if preambular and not _preambular_head(head):
        return 0
    if not preambular and not _operative_head(head, following):
        return 0
    return words[_extend(words, i) - 1][1]


def _other_head(head: str, preambular: bool) -> bool:
    """Return True when ``head`` is a French, Spanish or Russian opener of that kind."""
    if not preambular:
        return head in _OTHER_OPERATIVE
    if head in _OTHER_PREAMBULAR:
        return True
    if len(head) <= 5:
        return False
    if head.endswith("ant"):
        return head not in _FRENCH_NOT_PARTICIPLES
    return head.endswith(("ando", "iendo", "yendo")) and head not in _SPANISH_NOT_GERUNDS


def _other(words: list[tuple[str, int]], preambular: bool) -> int:
    """Return the emphasis length for French, Spanish or Russian openers; 0 if unsure."""
    adverbs = _OTHER_PREAMBULAR_ADVERBS if preambular else _OTHER_OPERATIVE_ADVERBS
    i = 0
    while i < len(words) - 1 and words[i][0] in adverbs:
        i += 1
    lowered = tuple(w for w, _ in words)
    phrase = next((p for p in _OTHER_PHRASES if lowered[i : i + len(p)] == p), None)
    if phrase:
        j = i + len(phrase)
    elif _other_head(words[i][0], preambular):
        j = i + 1
    else:
        return 0
    # "Décide également", "Будучи глубоко обеспокоена", "Observando con preocupación"
    while j < len(words) and (words[j][0] in adverbs or (preambular and words[j][0] in _OTHER_PREAMBULAR)):
        j += 1
    if j + 1 < len(words) and words[j][0] in _OTHER_WITH and words[j + 1][0] in _OTHER_FEELINGS:
        j += 2
    return words[j - 1][1]


def opening_emphasis(text: str, kind: Kind) -> int:
    """Return the length in characters of the italic opening words of a paragraph (0 if none)."""
    # Paragraphs open with a capital; a lower-case start is a wrapped line or a fragment.
    if kind not in (_PREAMBULAR, _OPERATIVE) or not text or not text[0].isalpha() or text[0].islower():
        return 0
    words = _contiguous(text, _words(text))
    if not words or not words[0][0][0].isalpha():
        return 0
    preambular = kind == _PREAMBULAR
    if all(_is_latin(w) for w, _ in words[:3]) and words[0][0].isascii():
        found = _english(text, words, preambular)
        if found:
            return found
    if any("\u0400" <= ch <= "\u04ff" for ch in words[0][0]) or _is_latin(words[0][0]):
        return _other(words, preambular)
    return 0


def _starts_with_words(text: str, prefix: str) -> bool:
    """Return True when ``text`` starts with ``prefix`` and does not continue the last word."""
    if not prefix or not text.startswith(prefix):
        return False
    rest = text[len(prefix) : len(prefix) + 1]
    if not rest or not _in_word(prefix[-1]):  # "Recalling, " ends between words whatever follows
        return True
    return not _in_word(rest)


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def keep_emphasis(old_text: str, old_chars: int, new_text: str, kind: Kind) -> int:
    """Return the italic opening length of an edited paragraph, keeping a deliberate choice."""
    old_chars = max(0, min(old_chars, len(old_text)))
    automatic = opening_emphasis(old_text, kind)
    if old_chars == automatic:
        return opening_emphasis(new_text, kind)
    if old_chars == 0:
        # Someone chose no italics where the heuristic would put some: keep that while the
        # words the heuristic would have italicised are still there.
        return 0 if _starts_with_words(new_text, old_text[:automatic]) else opening_emphasis(new_text, kind)
    if _starts_with_words(new_text, old_text[:old_chars]):
        return old_chars
    return opening_emphasis(new_text, kind)
