"""The text alternative of a picture: a table ready for a template, every cell a string."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """`columns` are the headings; each row's first cell heads its row (a `th scope="row"`).
    Cells are plain text: the template escapes them like any other text."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
