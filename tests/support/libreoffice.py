"""LibreOffice as an oracle for Word files: accept or reject all changes and read the paragraphs.

One headless soffice per test module, each with a fresh profile folder and its own pipe, driven
by ``uno_driver.py`` under the system Python (the venv's Python cannot ``import uno``). Tests
skip when LibreOffice or its Python bridge is missing, unless DRAFTER_REQUIRE_LIBREOFFICE=1
(set in CI): then they fail, so a broken machine never passes silently.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

SYSTEM_PYTHON = os.environ.get("DRAFTER_UNO_PYTHON", "/usr/bin/python3")
DRIVER = Path(__file__).with_name("uno_driver.py")
REQUIRE_ENV = "DRAFTER_REQUIRE_LIBREOFFICE"


class LibreOfficeError(RuntimeError):
    """LibreOffice or its driver failed, timed out or answered with an error."""


class _Broken(LibreOfficeError):
    """The driver hung or exited: the office cannot be reused."""


def missing_reason() -> str:
    """Return why the oracle cannot run here, or "" when it can."""
    if shutil.which("soffice") is None:
        return "soffice (LibreOffice) is not installed"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is missing"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        return f"{SYSTEM_PYTHON} cannot import uno (install python3-uno)"
    return ""


def skip_or_fail(reason: str) -> None:
    """Skip the test, or fail it when the environment requires LibreOffice."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"LibreOffice is required ({REQUIRE_ENV}=1) but unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


class LibreOffice:
    """One headless soffice process and the UNO driver talking to it."""

    def __init__(self, *, timeout: float = 60.0, start_timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._root = Path(tempfile.mkdtemp(prefix="drafter-lo-"))
        self._soffice: subprocess.Popen[bytes] | None = None
        self._driver: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LibreOffice:
        """Start soffice with a fresh profile and connect the driver to it."""
        pipe = f"drafter_{uuid.uuid4().hex}"
        profile = self._root / f"profile-{pipe}"
        self._soffice = subprocess.Popen(
            [
                "soffice",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={profile.as_uri()}",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so teardown can end the whole tree
        )
        self._lines = queue.Queue()
        self._driver = subprocess.Popen(
            [SYSTEM_PYTHON, str(DRIVER), pipe, str(self.start_timeout)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
        threading.Thread(target=self._pump, args=(self._driver,), daemon=True).start()
        try:
            if self._answer(self.start_timeout + 5) != "ready":
                raise LibreOfficeError("the UNO driver did not report ready")
        except LibreOfficeError:
            self.close()
            raise
        return self

    def _pump(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self._lines.put(line)
        self._lines.put(None)  # end of output: the driver exited

    def close(self) -> None:
        """Stop the driver and soffice (their whole process groups) and remove the profile."""
        for proc in (self._driver, self._soffice):
            if proc is None or proc.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):  # it exited meanwhile
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        if self._driver is not None and self._driver.stdin is not None:
            self._driver.stdin.close()
        if self._driver is not None and self._driver.stdout is not None:
            self._driver.stdout.close()
        self._driver = self._soffice = None
        shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> LibreOffice:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- protocol --------------------------------------------------------------------------

    def _answer(self, timeout: float) -> Any:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise _Broken(f"no answer from LibreOffice within {timeout:.0f} s") from None
        if line is None:
            raise _Broken("the UNO driver exited")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise LibreOfficeError(answer.get("error", "unknown error") + "\n" + answer.get("trace", ""))
        return answer["result"]

    def call(self, cmd: str, **args: Any) -> Any:
        """Send one command and return its result; restart everything after a timeout."""
        if self._driver is None:
            self.start()
        assert self._driver is not None and self._driver.stdin is not None
        try:
            self._driver.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
            self._driver.stdin.flush()
            return self._answer(self.timeout)
        except (_Broken, OSError) as exc:
            self.close()  # a hung or dead office is not worth reusing: the next call starts afresh
            self._root = Path(tempfile.mkdtemp(prefix="drafter-lo-"))
            raise LibreOfficeError(f"{cmd} failed: {exc}") from exc

    # -- commands --------------------------------------------------------------------------

    def accept_all(self, path: Path | str) -> list[str]:
        """Return the paragraph texts after accepting every tracked change."""
        return self.call("accept_all", path=str(path))

    def reject_all(self, path: Path | str) -> list[str]:
        """Return the paragraph texts after rejecting every tracked change."""
        return self.call("reject_all", path=str(path))

    def paragraphs(self, path: Path | str) -> list[str]:
        """Return the paragraph texts as the file stands (deleted text included)."""
        return self.call("paragraphs", path=str(path))

    def labelled(self, path: Path | str, mode: str = "") -> list[tuple[str, str]]:
        """Return (automatic number label, text) per paragraph; mode "accept", "reject" or ""."""
        return [(label, text) for label, text in self.call("labelled", path=str(path), mode=mode)]

    def styled(self, path: Path | str) -> list[tuple[str, str, str, bool, str]]:
        """Return (number label, text, paragraph style name, right-to-left, italic opening) per paragraph."""
        return [
            (label, text, style, rtl, italic) for label, text, style, rtl, italic in self.call("styled", path=str(path))
        ]

    def noted(self, path: Path | str, mode: str = "") -> list[str]:
        """Return each paragraph's text with its footnotes' texts inline ("Agenda,[^Resolution 70/1.]");
        mode "accept", "reject" or "" (the file as it stands)."""
        return self.call("noted", path=str(path), mode=mode)

    def footnote_pages(self, path: Path | str) -> list[tuple[int, str]]:
        """Return (page of its reference, text) for each footnote in order, as LibreOffice lays them out."""
        return [(page, text) for page, text in self.call("footnote_pages", path=str(path))]

    def redlines(self, path: Path | str) -> list[tuple[str, str, str]]:
        """Return (type, author, date) of every tracked change, as LibreOffice reads them."""
        return [(t, a, d) for t, a, d in self.call("redlines", path=str(path))]

    def to_pdf(self, path: Path | str, out: Path | str) -> Path:
        """Write the document as PDF to ``out`` and return that path."""
        self.call("to_pdf", path=str(path), out=str(out))
        return Path(out)


def libreoffice_fixture(scope: str = "module", name: str = "office") -> Callable[..., Iterator[LibreOffice]]:
    """Return a pytest fixture called ``name`` giving one running LibreOffice per ``scope``.

    Use it as ``office = libreoffice_fixture()`` at the top of a test module.
    """

    @pytest.fixture(scope=scope, name=name)  # type: ignore[call-overload]
    def fixture() -> Iterator[LibreOffice]:
        reason = missing_reason()
        if reason:
            skip_or_fail(reason)
        try:
            office = LibreOffice().start()
        except LibreOfficeError as exc:
            skip_or_fail(f"LibreOffice did not start: {exc}")
            raise
        try:
            yield office
        finally:
            office.close()

    return fixture
