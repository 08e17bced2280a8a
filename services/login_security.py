"""The second factor (TOTP, RFC 6238) and the error for a secret refused to a logged-in user."""

from __future__ import annotations

from datetime import datetime

import pyotp

from domain.errors import Forbidden

ISSUER = "Baromètre"
# One step either side (±30 s) absorbs clock drift between the phone and the server.
VALID_WINDOW = 1


class SecretRejected(Forbidden):
    """A logged-in user gave a wrong current password or code; counted like a failed login."""


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, login: str, organization: str) -> str:
    """The otpauth:// URI an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=f"{login}@{organization}", issuer_name=ISSUER)


def totp_matches(secret: str, code: str | None, at: datetime) -> bool:
    if code is None:
        return False
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return False
    return pyotp.TOTP(secret).verify(code, for_time=at, valid_window=VALID_WINDOW)
