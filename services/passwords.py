"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.errors import InvalidValue

_hasher = PasswordHasher()
MIN_LENGTH = 10
# A hash of a random password, verified when the login is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0000")


def check_password_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidValue(f"a password has at least {MIN_LENGTH} characters")
    if len(password) > 256:
        raise InvalidValue("a password has at most 256 characters")


def hash_password(password: str) -> str:
    check_password_policy(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
