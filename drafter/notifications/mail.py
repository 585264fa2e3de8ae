"""Send one mail through the SMTP server the settings name (``DRAFTER_SMTP_*``), with the standard library."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

TLS_MODES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  #: "none", "starttls" or "ssl"
    user: str
    password: str
    sender: str
    timeout: float  #: seconds before a silent server counts as a failed attempt

    @classmethod
    def of(cls, config: Any) -> SmtpSettings | None:
        """Return the settings in an app's config, or None when no mail server is set."""
        host = str(config.get("SMTP_HOST") or "").strip()
        if not host:
            return None
        tls = str(config.get("SMTP_TLS") or "none").strip().lower()
        if tls not in TLS_MODES:
            raise ValueError(f"DRAFTER_SMTP_TLS is {tls!r}; it must be one of {', '.join(TLS_MODES)}.")
        default_port = {"none": 25, "starttls": 587, "ssl": 465}[tls]
        return cls(
            host=host,
            port=int(config.get("SMTP_PORT") or default_port),
            tls=tls,
            user=str(config.get("SMTP_USER") or ""),
            password=str(config.get("SMTP_PASSWORD") or ""),
            sender=str(config.get("SMTP_SENDER") or f"drafter@{host}"),
            timeout=float(config.get("SMTP_TIMEOUT") or 20),
        )


def message(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    """Return the mail: plain text, one recipient."""
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body)
    return msg


def send(settings: SmtpSettings, to: str, subject: str, body: str) -> None:
    """Hand one mail to the server; raise ``smtplib.SMTPException`` or ``OSError`` when it is not accepted."""
    msg = message(settings, to, subject, body)
    context = ssl.create_default_context()
    if settings.tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with server:
        if settings.tls == "starttls":
            server.starttls(context=context)
        if settings.user:
            server.login(settings.user, settings.password)
        server.send_message(msg)
