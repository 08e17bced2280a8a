"""The text fields of request bodies: the domain's text rule declared in the schema, so that a
bad text is refused (422, naming the field) before any service runs, and is documented."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from domain.text import FORBIDDEN_CHARACTERS, FORBIDDEN_IN_WORDS, MAX_TEXT_LENGTH

TEXT_PATTERN = f"^[^{FORBIDDEN_CHARACTERS}]*$"


def text_rule(max_length: int, min_length: int = 1) -> msgspec.Meta:
    """Between min_length and max_length characters, none of those no text may hold."""
    return msgspec.Meta(min_length=min_length, max_length=max_length, pattern=TEXT_PATTERN,
                        extra_json_schema={"description": f"at most {max_length} characters, "
                                                          f"without {FORBIDDEN_IN_WORDS}"})


Text = Annotated[str, text_rule(MAX_TEXT_LENGTH)]  # free text in the person's words
Name = Annotated[str, text_rule(120)]  # a name, a label
Key = Annotated[str, text_rule(80)]  # a key of the catalog: a theme, a sphere
Word = Annotated[str, text_rule(40)]  # a word of a vocabulary: a tab, a level, a kind
Secret = Annotated[str, text_rule(256, 0)]  # a password: hashed, never stored as given


def _plain_words(message: str) -> tuple[str, bool]:
    if message.startswith("Expected `str` matching regex"):
        return f"must not contain {FORBIDDEN_IN_WORDS}", True
    for prefix, words in (("Expected `str` of length <= ", "must be at most {} characters"),
                          ("Expected `str` of length >= ", "must be at least {} characters")):
        if message.startswith(prefix):
            bound = message[len(prefix):].split(" ")[0]
            return ("must not be empty" if bound == "1" else words.format(bound)), True
    return message, False


def text_rule_errors(errors: list[Any]) -> tuple[list[Any], bool]:
    """Litestar's validation errors with msgspec's words for a broken text rule made plain,
    and whether a body field broke one: a well-formed body whose text breaks the rule is a
    422 like the domain's refusal; a body of the wrong shape, or a bad path segment or query
    parameter, stays a 400."""
    plain, broken = [], False
    for error in errors:
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            words, is_text_rule = _plain_words(error["message"])
            in_body = error.get("source") == "body"
            error, broken = {**error, "message": words}, broken or (is_text_rule and in_body)
        plain.append(error)
    return plain, broken
