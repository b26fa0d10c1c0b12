"""The work one file may cause: expansion of variables is bounded by the file's size.

A file whose variables refer to earlier ones (``ENV A2=${A1}x``, ``V2 = $(V1) x``)
expands to text that grows with the square of its length. Each file gets
``FACTOR`` times its own size (at least ``FLOOR``) of expanded text; once that is
spent, a variable reads as unknown, as a value too long to be real already does
(``shellparse.VALUE_LIMIT``). Real build and launch files stay far below it.
"""
from __future__ import annotations

FACTOR = 16
FLOOR = 1 << 20


class ExpansionBudget:
    def __init__(self, file_size: int):
        self.left = max(FLOOR, FACTOR * file_size)

    def spend(self, chars: int) -> bool:
        """Take ``chars`` of expansion; False (and nothing taken) when they do not fit."""
        if chars > self.left:
            self.left = 0
            return False
        self.left -= chars
        return True
