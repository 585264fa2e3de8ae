"""``make run`` installs only what serving the app needs; the tests and benchmarks bring their own extras."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _installs(target: str, tmp_path: Path) -> list[str]:
    """Return the pip installs ``make TARGET`` would run on a fresh machine (``make -n`` runs nothing)."""
    out = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return re.findall(r"pip install --quiet -e (\S+)", out)


def test_make_run_installs_the_app_alone(tmp_path):
    assert _installs("run", tmp_path) == ["."]


def test_make_test_and_make_bench_add_their_extras(tmp_path):
    assert _installs("test", tmp_path) == [".", '".[test]"']
    assert _installs("bench", tmp_path) == [".", '".[bench]"']
