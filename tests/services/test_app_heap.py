"""A serving process freezes what it built at start-up, so the cycle collector's full passes do not
walk the whole application in the middle of requests; a test app leaves the collector as it is."""

from __future__ import annotations

import gc
from pathlib import Path

from drafter import create_app


def _config(tmp_path: Path, testing: bool) -> dict[str, object]:
    return {"TESTING": testing, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://", "EXPORT_DIR": str(tmp_path)}


def test_a_serving_app_freezes_its_start_up_heap_and_a_test_app_does_not(tmp_path: Path) -> None:
    gc.unfreeze()
    try:
        create_app(_config(tmp_path, testing=True))
        assert gc.get_freeze_count() == 0
        create_app(_config(tmp_path, testing=False))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
