"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from domain.errors import InvalidValue


def _hasher_for_environment() -> PasswordHasher:
    """argon2id with its recommended cost; the test suite asks for the cheapest parameters
    (BAROMETRE_PASSWORD_HASHING=fast), since it hashes thousands of throwaway passwords."""
    if os.environ.get("BAROMETRE_PASSWORD_HASHING") == "fast":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


_hasher = _hasher_for_environment()
MIN_LENGTH = 12
MAX_LENGTH = 256
# A hash of a random password, verified when the login is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0000")


@cache
def common_passwords() -> frozenset[str]:
    """The built-in list of the most common passwords, lowercase (services/common_passwords.txt)."""
    text = files("services").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def check_password_policy(password: str, login: str | None = None) -> None:
    """Length first (the clearest rule), then what makes a long password easy to guess."""
    if len(password) < MIN_LENGTH:
        raise InvalidValue(f"a password has at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidValue(f"a password has at most {MAX_LENGTH} characters")
    if len(set(password)) == 1:
        raise InvalidValue("a password must not be one character repeated")
    if login and login.strip().lower() in password.lower():
        raise InvalidValue("a password must not contain the login")
    if password.lower() in common_passwords():
        raise InvalidValue("this password is one of the most common ones; choose another")


def hash_password(password: str, login: str | None = None) -> str:
    check_password_policy(password, login)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
