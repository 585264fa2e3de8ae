"""Time bounds in tests, allowing for the coverage tracer.

`make test` measures coverage: its tracer runs Python code two to three times slower, and a
2-second bound met with room to spare (0.65 s at worst, bench/) can then be missed. The bounds
guard against unbounded work (seconds to minutes), so under a tracer they are scaled; the
benchmarks measure the real figures without one.
"""

from __future__ import annotations

import sys

#: how much slower code runs while a tracer (coverage, a debugger) is active
TRACED = 3.0


def bound(seconds: float) -> float:
    """Return a time bound for the code under test, scaled when a tracer is active."""
    return seconds * (TRACED if sys.gettrace() is not None else 1.0)
