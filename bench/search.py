"""Server time of the search page over a whole negotiation (every revision, every proposal).

The page is fetched through the Flask test client, signed in as a co-facilitator (who reads
every revision and proposal: the most the engine must look through) and as a delegate. The
queries are taken from the loaded text itself, so that each one finds something: the most
common word of the last revision (the most matches), a three-word phrase of one of its
paragraphs, a rare word, and a prefix.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlencode

from flask import Flask

from bench.loaddb import Loaded
from bench.measure import Stat, timed
from bench.pages import signed_in

_WORD = re.compile(r"[A-Za-z]{6,}")


def queries(loaded: Loaded) -> dict[str, str]:
    """Return the benchmark's queries by name, picked from the last revision's words."""
    counts = Counter(w.lower() for _, text in loaded.paragraphs for w in _WORD.findall(text))
    common = counts.most_common(1)[0][0]
    rare = next(w for w, n in sorted(counts.items(), key=lambda kv: (kv[1], kv[0])) if n >= 2)
    middle = loaded.paragraphs[len(loaded.paragraphs) // 2][1]
    words = re.findall(r"[A-Za-z]+", middle)
    phrase = " ".join(words[1:4]) or common
    return {"common": common, "phrase": f'"{phrase}"', "rare": rare, "prefix": common[:4] + "*"}


def search_benchmarks(app: Flask, loaded: Loaded, *, reps: int, prefix: str) -> dict[str, Stat]:
    """Time the search page for each query, as a co-facilitator and as a delegate; check it answers 200."""
    out: dict[str, Stat] = {}
    who = {"cofacilitator": loaded.cofacilitator, "delegate": loaded.delegates[0]}
    for role, email in who.items():
        client = signed_in(app, email)
        for name, q in queries(loaded).items():
            url = f"/n/{loaded.slug}/search?{urlencode({'q': q})}"
            found: list[int] = []

            def get(url: str = url, found: list[int] = found) -> None:
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                found.append(response.data.count(b'class="card search-hit"'))

            stat = timed(get, reps=reps, warmup=1, budget=12)
            stat.extra = {"url": url, "hits": found[-1]}
            out[f"{prefix}.search.{role}.{name}"] = stat
    return out
