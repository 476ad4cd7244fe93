"""The one shape of an import error: which table, which row (as the spreadsheet shows
it), which column (the header as written in the file), and a message in the uploader's
language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    table: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"table": self.table, "row": self.row, "column": self.column, "message": self.message}


def describe(error: dict) -> str:
    """One readable line, e.g. ``人员 第 5 行「部门代码」：未知的部门代码 XYZ``."""
    table, row, column, message = (error.get(k) for k in ("table", "row", "column", "message"))
    if row and column:
        return _("%(table)s row %(row)s, “%(column)s”: %(message)s") % {
            "table": table,
            "row": row,
            "column": column,
            "message": message,
        }
    if row:
        return _("%(table)s row %(row)s: %(message)s") % {"table": table, "row": row, "message": message}
    if table:
        return _("%(table)s: %(message)s") % {"table": table, "message": message}
    return str(message)


class ProblemList:
    """Collects problems; keeps all of them (the CSV download lists every one)."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, table, row: int | None, column: str, message: str) -> None:
        self.items.append(Problem(str(table or ""), row, column or "", str(message)))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def as_list(self) -> list[dict]:
        return [p.as_dict() for p in self.items]
