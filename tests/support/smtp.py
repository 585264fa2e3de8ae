"""A real SMTP server on loopback (aiosmtpd) that keeps what it received, for the notification tests.

``mode`` says how it answers each mail: "accept", "slow" (waits ``delay`` seconds before
accepting) or "refuse" (answers 554 to the mail's data).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()


@dataclass
class Handler:
    mode: str = "accept"
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802  (aiosmtpd's name)
        with self.lock:
            self.attempts += 1
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        if self.mode == "refuse":
            return "554 Transaction failed: not today"
        msg = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class MailServer:
    handler: Handler
    port: int

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def config(self, **extra: Any) -> dict[str, Any]:
        """Return the app settings that send to this server."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_SENDER": "drafter@example.org", **extra}

    def to(self, email: str) -> list[Received]:
        return [r for r in self.received if email in r.recipients]


@contextlib.contextmanager
def running(handler: Handler) -> Iterator[MailServer]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield MailServer(handler, port)
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    """A local SMTP server that accepts every mail."""
    with running(Handler()) as server:
        yield server
