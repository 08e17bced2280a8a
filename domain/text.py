"""Free text the platform accepts: which characters it may hold and how long it may be."""

from __future__ import annotations

import re

from domain.errors import InvalidValue

MAX_TEXT_LENGTH = 2000
# The characters no accepted text holds, as a regular-expression class (also declared by the
# HTTP schemas, ADR 25): C0 controls except tab, line feed and carriage return; DEL; the C1
# controls; and the surrogate code points, which are not characters and cannot be encoded.
FORBIDDEN_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
FORBIDDEN_IN_WORDS = "control characters (other than tab and line breaks) or lone surrogates"
_FORBIDDEN = re.compile(f"[{FORBIDDEN_CHARACTERS}]")
_CARRIAGE_RETURN = re.compile(r"\r\n?")


def check_characters(text: str, what: str) -> str:
    """The text unchanged if every character may be stored, else InvalidValue naming the
    first one that may not (as U+XXXX: the character itself may not print)."""
    if (found := _FORBIDDEN.search(text)) is not None:
        raise InvalidValue(f"{what} must not contain {FORBIDDEN_IN_WORDS} "
                           f"(found U+{ord(found.group()):04X} at position {found.start()})")
    return text


def check_text(text: str, what: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Free text in the person's words: line breaks as line feeds (a browser sends CR LF),
    trimmed, not empty, at most max_length characters, no character that may not be stored."""
    stripped = _CARRIAGE_RETURN.sub("\n", check_characters(text, what)).strip()
    if not stripped:
        raise InvalidValue(f"{what} must not be empty")
    if len(stripped) > max_length:
        raise InvalidValue(f"{what} must be at most {max_length} characters (got {len(stripped)})")
    return stripped
