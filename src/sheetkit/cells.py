"""Excel cell addresses: column letters ↔ numbers, and A1 ↔ (row, column). One
definition for the reader, the guard, the score-sheet layout and the renderers."""

from __future__ import annotations

import re

_A1 = re.compile(r"^([A-Z]+)(\d+)$")


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str | bytes) -> int:
    """Upper-case column letters (text or ASCII bytes) → 1-based column number (A → 1)."""
    n = 0
    for ch in letters.encode("ascii") if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def split_a1(a1: str) -> tuple[int, int]:
    """A1 → (0-based row, 0-based column): ``"C3"`` → ``(2, 2)``."""
    letters, digits = _A1.match(a1).groups()
    return int(digits) - 1, column_number(letters) - 1
