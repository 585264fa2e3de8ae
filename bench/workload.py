"""A large negotiation, generated from a seed: the text of every revision, delegations, proposals.

Plain data only (no database, no Flask), so the text and Word benchmarks run on it directly and
``bench.loaddb`` turns it into rows through the app's services. The same seed and scale always
give the same workload.

At scale 1: 200 paragraphs (headings, preambular, operative, subparagraphs) of 10 to 250
words, 12 revisions each changing about a quarter of the paragraphs (word edits, insertions,
deletions, brackets, moves, whole rewrites, new and deleted paragraphs), 120 delegations and
2,000 proposals on the last revision, spread unevenly (a few contested paragraphs get dozens).
About one paragraph in eleven is in Arabic, Chinese or Russian. The scale multiplies the
paragraphs and the proposals; delegations and revisions stay as they are.

The wording is made up from stock phrases of intergovernmental texts; it is not taken from any
real document.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, replace

from drafter.text.emphasis import opening_emphasis
from drafter.text.structure import Kind

SEED = 20260407
PARAGRAPHS = 200
REVISIONS = 12
DELEGATIONS = 120
PROPOSALS = 2_000
USERS = 300

PREAMBULAR_OPENINGS = [
    "Recalling",
    "Also recalling",
    "Reaffirming",
    "Recognizing",
    "Recognizing also",
    "Acknowledging",
    "Welcoming",
    "Noting with appreciation",
    "Noting with concern",
    "Deeply concerned",
    "Bearing in mind",
    "Emphasizing",
    "Stressing",
    "Mindful",
    "Convinced",
    "Taking into account",
    "Expressing concern",
    "Underlining",
    "Reiterating",
    "Determined",
]
OPERATIVE_OPENINGS = [
    "Decides",
    "Also decides",
    "Requests the Secretary-General",
    "Calls upon Member States",
    "Encourages",
    "Urges",
    "Invites",
    "Reaffirms",
    "Stresses",
    "Welcomes",
    "Recognizes",
    "Emphasizes",
    "Underlines",
    "Takes note",
    "Requests",
    "Further requests",
    "Strongly encourages",
    "Commits",
    "Expresses its deep concern",
    "Acknowledges",
]
SUB_OPENINGS = [
    "Strengthening",
    "Promoting",
    "Enhancing",
    "Supporting",
    "Mobilizing",
    "Ensuring",
    "Addressing",
    "Accelerating",
    "Scaling up",
    "Facilitating",
    "Integrating",
    "Improving",
    "Expanding",
    "Protecting",
]
HEADINGS = [
    "Introduction",
    "Our shared vision",
    "Commitments",
    "Means of implementation",
    "Financing",
    "Technology and innovation",
    "Capacity-building",
    "Data, monitoring and accountability",
    "Partnerships",
    "Follow-up and review",
    "Human rights and inclusion",
    "Resilience and adaptation",
    "Digital cooperation",
    "Institutional arrangements",
    "The way forward",
    "Peace and security",
]
NOUNS = [
    "sustainable development",
    "the Sustainable Development Goals",
    "developing countries",
    "small island developing States",
    "least developed countries",
    "landlocked developing countries",
    "means of implementation",
    "capacity-building",
    "the transfer of technology on voluntary and mutually agreed terms",
    "the digital divide",
    "human rights and fundamental freedoms",
    "gender equality and the empowerment of all women and girls",
    "the private sector",
    "civil society",
    "international financial institutions",
    "official development assistance",
    "national ownership and leadership",
    "the United Nations system",
    "regional and subregional organizations",
    "data and statistics",
    "early warning systems",
    "climate change",
    "biodiversity loss",
    "affordable and meaningful connectivity",
    "the rule of law",
    "debt sustainability",
    "domestic resource mobilization",
    "South-South and triangular cooperation",
    "persons with disabilities",
    "indigenous peoples",
    "young people",
    "older persons",
    "migrants and refugees",
    "public health systems",
    "universal health coverage",
    "food security and nutrition",
    "access to clean water and sanitation",
    "disaster risk reduction",
    "the resident coordinator system",
    "multi-stakeholder partnerships",
    "local authorities",
    "the most vulnerable",
    "national statistical offices",
    "science, technology and innovation",
    "artificial intelligence",
    "the information society",
    "trade and investment",
    "decent work",
    "social protection floors",
    "quality education",
]
VERBS = [
    "strengthen",
    "promote",
    "enhance",
    "support",
    "mobilize",
    "ensure",
    "address",
    "accelerate",
    "scale up",
    "facilitate",
    "integrate",
    "improve",
    "expand",
    "protect",
    "advance",
    "foster",
    "reinforce",
    "consider",
    "review",
    "implement",
    "prioritize",
    "coordinate",
]
CONNECTORS = [
    "including through",
    "in accordance with",
    "with a view to supporting",
    "taking into account",
    "in particular",
    "in line with",
    "consistent with",
    "while respecting",
    "and in this regard",
    "building on",
    "in close cooperation with",
    "with the support of",
    "within existing resources and",
    "as appropriate, through",
    "without prejudice to",
]
QUALIFIERS = [
    "as appropriate",
    "within existing resources",
    "on a voluntary basis",
    "in accordance with national priorities",
    "at all levels",
    "in a timely manner",
    "subject to national legislation",
    "where relevant",
]
ADVERBS = ["effectively", "substantially", "urgently", "progressively", "fully", "significantly", "further"]

ARABIC = [
    "التنمية المستدامة",
    "الدول الأعضاء",
    "تعزيز",
    "التعاون الدولي",
    "البلدان النامية",
    "حقوق الإنسان",
    "تغير المناخ",
    "بناء القدرات",
    "الأمم المتحدة",
    "القطاع الخاص",
    "المجتمع المدني",
    "نقل التكنولوجيا",
    "تدعو",
    "تقرر",
    "تؤكد",
    "من أجل",
    "بما في ذلك",
    "في هذا الصدد",
    "وفقا",
    "الموارد المالية",
    "الفجوة الرقمية",
    "الحد من مخاطر الكوارث",
    "الأمن الغذائي",
    "على جميع المستويات",
]
RUSSIAN = [
    "устойчивое развитие",
    "государства-члены",
    "укрепление",
    "международное сотрудничество",
    "развивающиеся страны",
    "права человека",
    "изменение климата",
    "наращивание потенциала",
    "Организация Объединенных Наций",
    "частный сектор",
    "гражданское общество",
    "передача технологий",
    "призывает",
    "постановляет",
    "подчеркивает",
    "в том числе",
    "в этой связи",
    "в соответствии с",
    "финансовые ресурсы",
    "цифровой разрыв",
    "снижение риска бедствий",
    "продовольственная безопасность",
]
RUSSIAN_OPENINGS = [
    "Постановляет",
    "Призывает государства-члены",
    "Подчеркивает",
    "Вновь подтверждая",
    "Напоминая",
    "Признавая",
]
CHINESE = [
    "可持续发展",
    "会员国",
    "加强",
    "国际合作",
    "发展中国家",
    "人权",
    "气候变化",
    "能力建设",
    "联合国",
    "私营部门",
    "民间社会",
    "技术转让",
    "呼吁",
    "决定",
    "强调",
    "包括",
    "在这方面",
    "根据",
    "财政资源",
    "数字鸿沟",
    "减少灾害风险",
    "粮食安全",
    "各级",
    "促进",
]

GROUPS = [
    "G77 and China",
    "European Union",
    "African Group",
    "Group of Arab States",
    "Alliance of Small Island States",
    "Least Developed Countries",
    "Group of Latin American and Caribbean States",
    "Like-Minded Developing Countries",
]
STATES = [
    "Afghanistan",
    "Albania",
    "Algeria",
    "Andorra",
    "Angola",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bahamas",
    "Bahrain",
    "Bangladesh",
    "Barbados",
    "Belarus",
    "Belgium",
    "Belize",
    "Benin",
    "Bhutan",
    "Bolivia (Plurinational State of)",
    "Bosnia and Herzegovina",
    "Botswana",
    "Brazil",
    "Brunei Darussalam",
    "Bulgaria",
    "Burkina Faso",
    "Burundi",
    "Cabo Verde",
    "Cambodia",
    "Cameroon",
    "Canada",
    "Chad",
    "Chile",
    "China",
    "Colombia",
    "Comoros",
    "Congo",
    "Costa Rica",
    "Côte d'Ivoire",
    "Croatia",
    "Cuba",
    "Cyprus",
    "Czechia",
    "Denmark",
    "Djibouti",
    "Dominican Republic",
    "Ecuador",
    "Egypt",
    "El Salvador",
    "Eritrea",
    "Estonia",
    "Eswatini",
    "Ethiopia",
    "Fiji",
    "Finland",
    "France",
    "Gabon",
    "Gambia",
    "Georgia",
    "Germany",
    "Ghana",
    "Greece",
    "Grenada",
    "Guatemala",
    "Guinea",
    "Guyana",
    "Haiti",
    "Honduras",
    "Hungary",
    "Iceland",
    "India",
    "Indonesia",
    "Iran (Islamic Republic of)",
    "Iraq",
    "Ireland",
    "Israel",
    "Italy",
    "Jamaica",
    "Japan",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kiribati",
    "Kuwait",
    "Kyrgyzstan",
    "Lebanon",
    "Lesotho",
    "Liberia",
    "Libya",
    "Liechtenstein",
    "Lithuania",
    "Luxembourg",
    "Madagascar",
    "Malawi",
    "Malaysia",
    "Maldives",
    "Mali",
    "Malta",
    "Mexico",
    "Monaco",
    "Mongolia",
    "Morocco",
    "Mozambique",
    "Namibia",
    "Nauru",
    "Nepal",
    "Netherlands (Kingdom of the)",
    "New Zealand",
    "Nigeria",
    "Norway",
    "Pakistan",
    "Palau",
    "Panama",
    "Peru",
    "Philippines",
    "Qatar",
    "Republic of Korea",
    "Russian Federation",
]
OBSERVERS = ["Holy See", "State of Palestine"]


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph of one revision; ``pid`` is its identity across revisions."""

    pid: int
    kind: Kind
    level: int
    text: str
    italic_chars: int = 0


@dataclass(frozen=True, slots=True)
class ProposalSpec:
    """One proposal on the last revision: indexes into ``Workload.delegations`` and the last revision."""

    delegation: int
    kind: str  #: "amend", "insert", "delete" or "retain"
    target: int  #: index of the paragraph in the last revision (the one an insertion follows)
    text: str = ""
    justification: str = ""
    positions: tuple[tuple[int, str], ...] = ()  #: (delegation index, "cosponsor" | "support" | "oppose")
    minute: int = 0  #: minutes after the revision's circulation when it was submitted


@dataclass(frozen=True)
class Workload:
    scale: int
    seed: int
    title: str
    revisions: list[list[Para]]
    delegations: list[tuple[str, str]]  #: (name, "group" | "member_state" | "observer")
    proposals: list[ProposalSpec]

    def pairs(self, old: int, new: int) -> list[tuple[str, str]]:
        """Return (old text, new text) of every paragraph of two revisions, paired by identity.

        Paragraphs only in one revision are paired with "" (a deletion or an insertion).
        """
        a = {p.pid: p.text for p in self.revisions[old]}
        b = {p.pid: p.text for p in self.revisions[new]}
        out = [(a.get(p.pid, ""), p.text) for p in self.revisions[new]]
        out += [(p.text, "") for p in self.revisions[old] if p.pid not in b]
        return out

    def stats(self) -> dict[str, object]:
        """Return the sizes a reader of the results wants to know."""
        last = self.revisions[-1]
        words = [len(p.text.split()) for p in last if p.kind is not Kind.HEADING]
        per_para = Counter(s.target for s in self.proposals if s.kind != "insert")
        top = per_para.most_common(3)
        kinds = Counter(p.kind.value for p in last)
        scripts = Counter(_script(p.text) for p in last)
        changed = [sum(1 for o, n in self.pairs(i - 1, i) if o != n) for i in range(1, len(self.revisions))]
        return {
            "paragraphs": len(last),
            "kinds": dict(kinds),
            "scripts": dict(scripts),
            "words_min": min(words),
            "words_median": sorted(words)[len(words) // 2],
            "words_max": max(words),
            "words_total": sum(len(p.text.split()) for p in last),
            "chars_total": sum(len(p.text) for p in last),
            "revisions": len(self.revisions),
            "paragraphs_changed_per_revision": changed,
            "delegations": len(self.delegations),
            "proposals": len(self.proposals),
            "proposals_by_kind": dict(Counter(s.kind for s in self.proposals)),
            "most_proposals_on_one_paragraph": [n for _, n in top],
            "paragraphs_without_proposals": sum(
                1 for i, p in enumerate(last) if p.kind is not Kind.HEADING and per_para[i] == 0
            ),
            "positions": sum(len(s.positions) for s in self.proposals),
        }


def _script(text: str) -> str:
    for ch in text:
        if "\u0600" <= ch <= "\u06ff":
            return "arabic"
        if "\u0400" <= ch <= "\u04ff":
            return "russian"
        if "\u4e00" <= ch <= "\u9fff":
            return "chinese"
    return "english"


class _Writer:
    """Makes up paragraph texts in the house style of intergovernmental outcome documents."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def length(self, kind: Kind) -> int:
        """Return a word count: 10 to 250, most between 25 and 90, a few very long."""
        if kind is Kind.SUBPARAGRAPH:
            return max(10, min(80, int(self.rng.lognormvariate(3.1, 0.45))))
        return max(10, min(250, int(self.rng.lognormvariate(3.9, 0.6))))

    def clause(self) -> str:
        r = self.rng
        v, n = r.choice(VERBS), r.choice(NOUNS)
        adverb = f"{r.choice(ADVERBS)} " if r.random() < 0.15 else ""
        return r.choice(
            [
                f"{r.choice(CONNECTORS)} {n}",
                f"and to {adverb}{v} {n}",
                f"in order to {adverb}{v} {n}",
                f"with a focus on {n}",
                f"{r.choice(['notably', 'as well as', 'and'])} {n}",
                f", {r.choice(QUALIFIERS)},",
                f", and calls for efforts to {v} {n}",
            ]
        )

    def body(self, words: int) -> str:
        out: list[str] = []
        count = 0
        while count < words:
            piece = self.clause()
            out.append(piece)
            count += len(piece.split())
        return " ".join(" ".join(out).split()[: max(words, 3)]).rstrip(",;")

    def english(self, kind: Kind, words: int, ending: str) -> str:
        r = self.rng
        v, n, n2 = r.choice(VERBS), r.choice(NOUNS), r.choice(NOUNS)
        if kind is Kind.PREAMBULAR:
            head = (
                r.choice(PREAMBULAR_OPENINGS)
                + " "
                + r.choice(
                    [
                        f"the need to {v} {n}",
                        f"the importance of {n}",
                        f"that {n} and {n2} are essential for sustainable development",
                        f"its commitment to {n}",
                        f"the role of {n} in {n2}",
                        f"the contribution of {n} to {n2}",
                    ]
                )
            )
        elif kind is Kind.OPERATIVE:
            head = (
                r.choice(OPERATIVE_OPENINGS)
                + " "
                + r.choice(
                    [
                        f"to {v} {n}",
                        f"Member States to {v} {n}",
                        f"all relevant stakeholders to {v} {n}",
                        f"the importance of {n}",
                        f"that {n} should {v} {n2}",
                        f"the efforts of {n} to {v} {n2}",
                    ]
                )
            )
        else:
            head = f"{r.choice(SUB_OPENINGS)} {n}"
        rest = self.body(max(3, words - len(head.split())))
        return f"{head} {rest}".replace(" ,", ",").rstrip(",;") + ending

    def foreign(self, kind: Kind, words: int, ending: str) -> str:
        r = self.rng
        script = r.choice(["arabic", "chinese", "russian"])
        if script == "chinese":
            n = max(4, words // 2)
            chunks = [r.choice(CHINESE) for _ in range(n)]
            text = "".join(c + ("，" if r.random() < 0.15 else "") for c in chunks).rstrip("，")
            return text + ("；" if ending == ";" else "。" if ending == "." else "，")
        pool = ARABIC if script == "arabic" else RUSSIAN
        head = [r.choice(RUSSIAN_OPENINGS)] if script == "russian" and kind is not Kind.SUBPARAGRAPH else []
        out = head + [r.choice(pool) for _ in range(max(3, words // 2))]
        text = " ".join(out)
        return text + (
            "؛" if script == "arabic" and ending == ";" else "،" if script == "arabic" and ending == "," else ending
        )

    def paragraph(self, kind: Kind, *, foreign: bool = False, ending: str | None = None) -> str:
        if kind is Kind.HEADING:
            return self.rng.choice(HEADINGS)
        ending = ending or {Kind.PREAMBULAR: ",", Kind.OPERATIVE: ";", Kind.SUBPARAGRAPH: ";"}[kind]
        words = self.length(kind)
        return self.foreign(kind, words, ending) if foreign else self.english(kind, words, ending)

    # Edits of an existing text, word by word.

    def _spans(self, text: str) -> list[str]:
        return text.split(" ")

    def word_edit(self, text: str) -> str:
        words = self._spans(text)
        for _ in range(self.rng.randint(1, 4)):
            i = self.rng.randrange(len(words))
            tail = words[i][len(words[i].rstrip(",;.:")) :]
            words[i] = (
                self.rng.choice(VERBS + ADVERBS + ["and", "all", "relevant", "national", "global", "inclusive"]) + tail
            )
        return " ".join(words)

    def insert_phrase(self, text: str) -> str:
        words = self._spans(text)
        i = self.rng.randint(1, max(1, len(words) - 1))
        phrase = self.rng.choice(
            [
                self.clause(),
                f"{self.rng.choice(CONNECTORS)} {self.rng.choice(NOUNS)},",
                self.rng.choice(QUALIFIERS) + ",",
            ]
        )
        return " ".join(words[:i] + phrase.split() + words[i:])

    def delete_phrase(self, text: str) -> str:
        words = self._spans(text)
        if len(words) < 14:
            return self.word_edit(text)
        n = self.rng.randint(3, min(15, len(words) // 3))
        i = self.rng.randint(2, len(words) - n - 1)
        return " ".join(words[:i] + words[i + n :])

    def bracket(self, text: str) -> str:
        words = self._spans(text)
        if len(words) < 8 or "[" in text:
            return self.word_edit(text)
        n = self.rng.randint(2, min(10, len(words) // 2))
        i = self.rng.randint(1, len(words) - n - 1)
        inner = " ".join(words[i : i + n]).rstrip(",;")
        return " ".join(words[:i] + [f"[{inner}]"] + words[i + n :])

    def edit(self, text: str, *, foreign: bool) -> str:
        """Return the text with a small change: words replaced, a phrase inserted, deleted or bracketed."""
        if foreign:
            pool = CHINESE if _script(text) == "chinese" else ARABIC if _script(text) == "arabic" else RUSSIAN
            if _script(text) == "chinese":
                i = self.rng.randrange(1, max(2, len(text) - 1))
                return text[:i] + self.rng.choice(pool) + text[i + self.rng.randint(0, 3) :]
            words = text.split(" ")
            words.insert(self.rng.randrange(1, max(2, len(words))), self.rng.choice(pool))
            return " ".join(words)
        op = self.rng.choices([self.word_edit, self.insert_phrase, self.delete_phrase, self.bracket], [40, 25, 20, 15])[
            0
        ]
        return op(text)


def _italic(kind: Kind, text: str) -> int:
    return opening_emphasis(text, kind)


def _zero_draft(w: _Writer, n: int, next_pid: list[int]) -> list[Para]:
    """Return the zero draft: preambular paragraphs, then headed groups of operative paragraphs."""
    rng = w.rng
    out: list[Para] = []

    def add(kind: Kind, level: int = 0) -> None:
        foreign = kind is not Kind.HEADING and rng.random() < 0.09
        text = w.paragraph(kind, foreign=foreign)
        out.append(Para(next_pid[0], kind, level, text, _italic(kind, text)))
        next_pid[0] += 1

    preambular = round(n * 0.16)
    for _ in range(preambular):
        add(Kind.PREAMBULAR)
    while len(out) < n:
        add(Kind.HEADING)
        for _ in range(rng.randint(5, 12)):
            if len(out) >= n:
                break
            add(Kind.OPERATIVE)
            if rng.random() < 0.15:
                for _ in range(rng.randint(2, 4)):
                    if len(out) >= n:
                        break
                    add(Kind.SUBPARAGRAPH, 1)
                    if rng.random() < 0.12 and len(out) < n:
                        for _ in range(2):
                            add(Kind.SUBPARAGRAPH, 2)
    # The last operative paragraph ends with a full stop, as UN texts do.
    for i in range(len(out) - 1, -1, -1):
        if out[i].kind is not Kind.HEADING:
            t = out[i].text
            if t[-1:] in ";,":
                out[i] = replace(out[i], text=t[:-1] + ".")
            break
    return out


def _movable(paras: list[Para], i: int) -> bool:
    p = paras[i]
    if p.kind is Kind.PREAMBULAR:
        return True
    follows_sub = i + 1 < len(paras) and paras[i + 1].kind is Kind.SUBPARAGRAPH
    return p.kind is Kind.OPERATIVE and not follows_sub


def _next_revision(w: _Writer, paras: list[Para], next_pid: list[int]) -> list[Para]:
    """Return the next revision: about a quarter of the paragraphs changed."""
    rng = w.rng
    paras = list(paras)
    body = [i for i, p in enumerate(paras) if p.kind is not Kind.HEADING]
    chosen = rng.sample(body, k=round(len(paras) * 0.25))
    ops = ["edit", "edit", "edit", "edit", "edit", "edit", "rewrite", "move", "delete", "new"]
    moves: list[int] = []
    deleted: set[int] = set()
    inserts: dict[int, list[Para]] = {}
    for i in chosen:
        p = paras[i]
        op = rng.choice(ops)
        foreign = _script(p.text) != "english"
        if op == "move" and _movable(paras, i):
            moves.append(i)
        elif (op == "delete" and p.kind is not Kind.OPERATIVE) or (op == "delete" and _movable(paras, i)):
            deleted.add(i)
        elif op == "new":
            text = w.paragraph(p.kind, foreign=rng.random() < 0.09)
            if p.kind is Kind.SUBPARAGRAPH or _movable(paras, i):
                inserts.setdefault(i, []).append(Para(next_pid[0], p.kind, p.level, text, _italic(p.kind, text)))
                next_pid[0] += 1
            else:
                paras[i] = replace(p, text=w.edit(p.text, foreign=foreign))
        elif op == "rewrite":
            text = w.paragraph(p.kind, foreign=foreign, ending=p.text[-1] if p.text[-1] in ",;." else None)
            paras[i] = replace(p, text=text, italic_chars=_italic(p.kind, text))
        else:
            text = w.edit(p.text, foreign=foreign)
            paras[i] = replace(p, text=text, italic_chars=_italic(p.kind, text))
    out: list[Para] = []
    moved = [paras[i] for i in moves]
    for i, p in enumerate(paras):
        if i not in deleted and i not in moves:
            out.append(p)
        out.extend(inserts.get(i, []))
    for p in moved:  # each moved paragraph goes before another of its kind, a few places away
        spots = [j for j, q in enumerate(out) if q.kind is p.kind]
        if not spots:
            out.append(p)
            continue
        j = spots[min(len(spots) - 1, max(0, rng.randrange(len(spots))))]
        out.insert(j, p)
    # A subparagraph needs an operative paragraph (or subparagraph) above it.
    fixed: list[Para] = []
    for p in out:
        if p.kind is Kind.SUBPARAGRAPH and (not fixed or fixed[-1].kind not in (Kind.OPERATIVE, Kind.SUBPARAGRAPH)):
            p = replace(p, kind=Kind.OPERATIVE, level=0, italic_chars=_italic(Kind.OPERATIVE, p.text))
        if p.kind is Kind.SUBPARAGRAPH and p.level == 2 and fixed[-1].kind is Kind.OPERATIVE:
            p = replace(p, level=1)
        fixed.append(p)
    return fixed


def _weights(
    n: int, rng: random.Random, *, exponent: float, offset: float, zero_share: float, scale: int
) -> list[float]:
    """Return Zipf-like weights in random order; at scale k each weight is given to k paragraphs,
    so the busiest paragraphs get as many proposals at every scale."""
    order = list(range(n))
    rng.shuffle(order)
    w = [0.0] * n
    for rank, i in enumerate(order):
        w[i] = 0.0 if rank >= n * (1 - zero_share) else 1.0 / (rank // scale + offset) ** exponent
    return w


def _delegations() -> list[tuple[str, str]]:
    states = STATES[: DELEGATIONS - len(GROUPS) - len(OBSERVERS)]
    return [(g, "group") for g in GROUPS] + [(s, "member_state") for s in states] + [(o, "observer") for o in OBSERVERS]


def _proposals(w: _Writer, last: list[Para], n: int, delegations: int, scale: int) -> list[ProposalSpec]:
    rng = w.rng
    body = [i for i, p in enumerate(last) if p.kind is not Kind.HEADING]
    pw = _weights(len(body), rng, exponent=1.1, offset=8.0, zero_share=0.18, scale=scale)
    dw = [1.0 / (r + 2) ** 0.9 for r in range(delegations)]  # groups first: they propose the most
    out: list[ProposalSpec] = []
    for k in range(n):
        i = body[rng.choices(range(len(body)), pw)[0]]
        p = last[i]
        d = rng.choices(range(delegations), dw)[0]
        kind = rng.choices(["amend", "insert", "delete", "retain"], [72, 10, 10, 8])[0]
        text = ""
        foreign = _script(p.text) != "english"
        if kind == "amend":
            text = p.text
            while " ".join(text.split()) == " ".join(p.text.split()):
                text = (
                    w.paragraph(p.kind, foreign=foreign)
                    if rng.random() < 0.05
                    else w.edit(w.edit(p.text, foreign=foreign) if rng.random() < 0.4 else p.text, foreign=foreign)
                )
        elif kind == "insert":
            text = w.paragraph(
                p.kind if p.kind is not Kind.SUBPARAGRAPH else Kind.SUBPARAGRAPH, foreign=rng.random() < 0.05
            )
        justification = ""
        if rng.random() < 0.3:
            justification = (
                f"To {rng.choice(VERBS)} {rng.choice(NOUNS)} and align with agreed language on {rng.choice(NOUNS)}."
            )
        count = min(int(rng.expovariate(0.45)), 12)
        others = rng.sample([x for x in range(delegations) if x != d], k=count)
        positions = tuple((x, rng.choices(["cosponsor", "support", "oppose"], [30, 50, 20])[0]) for x in others)
        out.append(ProposalSpec(d, kind, i, text, justification, positions, minute=k * 7 // max(1, n // 2000)))
    return out


def generate(scale: int = 1, seed: int = SEED) -> Workload:
    """Return the workload at ``scale`` (1, 4, 16 ...): the same for the same seed and scale."""
    rng = random.Random(f"{seed}:{scale}")
    w = _Writer(rng)
    next_pid = [1]
    revisions = [_zero_draft(w, PARAGRAPHS * scale, next_pid)]
    for _ in range(REVISIONS - 1):
        revisions.append(_next_revision(w, revisions[-1], next_pid))
    delegations = _delegations()
    proposals = _proposals(w, revisions[-1], PROPOSALS * scale, len(delegations), scale)
    title = "Political declaration of the high-level meeting on digital cooperation and sustainable development"
    return Workload(scale, seed, title, revisions, delegations, proposals)
