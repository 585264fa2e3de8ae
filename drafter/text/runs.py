"""A word diff kept as its run lengths, named by the hash of the two texts it was made from.

A word diff is a pure function of two texts, so the texts stay the source and a kept copy only
saves diffing them again: it holds the lengths of the runs ("=12 -3 +5"), not their text, and
a copy that does not fit the texts it is read with (other texts, damage) reads as None.
"""

from __future__ import annotations

import hashlib
from typing import Any

from drafter.text.diff import DiffOp, Op, WordDiff

_CODE = {Op.EQUAL: "=", Op.DELETE: "-", Op.INSERT: "+"}
_OP = {v: k for k, v in _CODE.items()}


def texts_key(old: str, new: str) -> str:
    """Return the hash that names a pair of texts."""
    h = hashlib.blake2b(digest_size=16)
    h.update(old.encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update(new.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def encode(d: WordDiff, old: str, new: str) -> dict[str, Any]:
    """Return a diff of two texts as stored: its runs as lengths ("=12 -3 +5"), similarity and the texts' hash."""
    return {
        "key": texts_key(old, new),
        "runs": " ".join(f"{_CODE[o.op]}{len(o.text)}" for o in d.ops),
        "similarity": d.similarity,
        "exact": d.exact,
    }


def decode(data: Any, old: str, new: str) -> WordDiff | None:
    """Return the stored diff of two texts, or None when it is missing, damaged or made from other texts."""
    if not isinstance(data, dict) or data.get("key") != texts_key(old, new):
        return None
    try:
        runs = [(_OP[r[0]], int(r[1:])) for r in str(data["runs"]).split()]
        similarity, exact = float(data["similarity"]), bool(data["exact"])
    except (KeyError, ValueError, IndexError, TypeError):
        return None
    ops: list[DiffOp] = []
    i = j = 0
    for op, n in runs:
        if n <= 0:
            return None
        if op is Op.INSERT:
            ops.append(DiffOp(op, new[j : j + n]))
            j += n
        else:
            ops.append(DiffOp(op, old[i : i + n]))
            if op is Op.EQUAL and new[j : j + n] != old[i : i + n]:
                return None
            i += n
            j += n if op is Op.EQUAL else 0
    if i != len(old) or j != len(new):
        return None
    return WordDiff(tuple(ops), similarity, exact)
