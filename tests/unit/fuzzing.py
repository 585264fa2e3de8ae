"""Shared settings of the fuzz tests: how many cases, and the time each one may take.

``DRAFTER_FUZZ_EXAMPLES`` sets the number of cases of each fuzz test (CI runs the default;
raise it for a long hunt, lower it for a quick look). Every case must finish within
``CASE_DEADLINE``; hypothesis reports the slowest input it finds if one does not.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("DRAFTER_FUZZ_EXAMPLES", "400"))
CASE_DEADLINE = dt.timedelta(seconds=2)


def fuzz(share: float = 1.0) -> settings:
    """Return the settings of a fuzz test; ``share`` scales the number of cases for slow ones."""
    return settings(
        max_examples=max(10, int(EXAMPLES * share)),
        deadline=CASE_DEADLINE,
        derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
