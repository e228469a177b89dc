"""What is wrong with an input, located to the cell, in words a clerk can act on."""

from __future__ import annotations

from dataclasses import dataclass

from ita.excel_read import column_letter

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    message: str  # what is wrong and what is expected, in Thai
    sheet: str = ""
    row: int = 0  # Excel's row number; 0 = the whole sheet or file
    col: int = 0  # Excel's column number; 0 = the whole row
    label: str = ""  # the Thai label of the column or key
    value: str = ""  # what the clerk wrote
    hint: str = ""  # what to do
    severity: str = ERROR

    @property
    def cell(self) -> str:
        if self.row and self.col:
            return f"{column_letter(self.col)}{self.row}"
        return ""

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"แผ่นงาน '{self.sheet}'")
        if self.row:
            parts.append(f"แถว {self.row}")
        if self.col:
            parts.append(f"คอลัมน์ {column_letter(self.col)}")
        if self.label:
            parts.append(f"({self.label})")
        return " ".join(parts)

    def describe(self) -> str:
        """One Thai sentence: where, what was found, what is expected, what to do."""
        text = self.location()
        text = f"{text}: {self.message}" if text else self.message
        if self.value:
            text += f" — พบค่า '{self.value}'"
        if self.hint:
            text += f" — วิธีแก้: {self.hint}"
        return text


def is_rejected(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def error_cells(problems: list[Problem]) -> set[tuple[str, int, int]]:
    """(sheet, row, column) of the cells already reported as errors: a later
    check leaves them alone, so one mistake is reported once."""
    return {(p.sheet, p.row, p.col) for p in problems if p.severity == ERROR and p.row and p.col}
