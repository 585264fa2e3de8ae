"""The password rules, in one place for the web forms, the services and the command line."""

from __future__ import annotations

import secrets
from functools import cache

from drafter.errors import InvalidInput

MIN_LENGTH = 12
#: longer passwords only cost hashing time; a passphrase of 200 characters is plenty
MAX_LENGTH = 200
#: zxcvbn's guessability score (0-4) a password must reach: 2 is "somewhat guessable", safe from online guessing
MIN_SCORE = 2
_ZXCVBN_MAX = 72  # zxcvbn refuses longer inputs; the first 72 characters decide how guessable it is


@cache
def _common() -> frozenset[str]:
    """Return the maintained list of common passwords that zxcvbn ships (30,000, lower-case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Return why the password may not be used, in words for the user, or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"Passwords need at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Passwords may have at most {MAX_LENGTH} characters."
    if not password.strip():
        return "A password cannot be only spaces."
    folded = password.strip().casefold()
    email = email.strip().casefold()
    if email and (folded == email or folded == email.split("@")[0]):
        return "A password cannot be the e-mail address."
    if folded in _common():
        return "This password is in a list of common passwords: choose another."
    from zxcvbn import zxcvbn

    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=[v for v in (email, name) if v])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "It follows a pattern that is easy to guess."
        return f"This password is too easy to guess. {hint} Add a few unrelated words."
    return None


def check(password: str, *, email: str = "", name: str = "") -> None:
    """Raise InvalidInput when the password may not be used."""
    reason = problem(password, email=email, name=name)
    if reason:
        raise InvalidInput(reason)


def temporary() -> str:
    """Return a random password for an administrator to hand over once (four groups of four letters)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied by hand
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
