"""A fast, streaming reader of .xlsx cell values (zipfile + ElementTree's C parser).

openpyxl's read-only mode spends most of its time building cell and rich-text objects
and, for files without a <dimension>, parses the whole sheet once more to size it; for a
20,000-row table that is seconds. This reader keeps only what an import needs: sheet
names and, per row, the cell values by column. Anything it does not understand raises,
and the caller falls back to openpyxl.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse

NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # "strict" Open XML
)
REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _tags(local: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{local}" for ns in NAMESPACES)


ROW, CELL, VALUE, TEXT, INLINE, SI, RUN, PHONETIC, SHEET, DIMENSION = (
    _tags(n) for n in ("row", "c", "v", "t", "is", "si", "r", "rPh", "sheet", "dimension")
)
COLUMN_RE = re.compile(r"([A-Z]+)(\d*)")


def _column_index(ref: str) -> tuple[int, int | None]:
    match = COLUMN_RE.match(ref)
    if not match:
        raise ValueError(f"bad cell reference {ref!r}")
    index = 0
    for char in match.group(1):
        index = index * 26 + ord(char) - 64
    return index - 1, int(match.group(2)) if match.group(2) else None


def _string_item(element) -> str:
    """The text of a shared string or inline string: plain <t>, or rich-text runs; the
    phonetic guide (<rPh>) is not part of the value."""
    parts = []
    for child in element:
        if child.tag in TEXT:
            parts.append(child.text or "")
        elif child.tag in RUN:
            parts.extend(t.text or "" for t in child if t.tag in TEXT)
    return "".join(parts)


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


class XlsxReader:
    """Sheets of a workbook as ``(title, rows)``; each row a tuple of values (str, int,
    float, bool or None), blank rows included, so row N of the sheet is the N-th tuple."""

    def __init__(self, content: bytes) -> None:
        self.archive = zipfile.ZipFile(io.BytesIO(content))
        self.sheet_paths = self._sheet_paths()
        self.strings = self._shared_strings()

    def _rels(self, path: str) -> dict[str, tuple[str, str]]:
        rels_path = posixpath.join(posixpath.dirname(path), "_rels", posixpath.basename(path) + ".rels")
        result = {}
        with self.archive.open(rels_path) as handle:
            for _event, element in iterparse(handle):
                if element.tag == f"{{{PKG_REL}}}Relationship":
                    target = element.get("Target", "")
                    target = (
                        target.lstrip("/")
                        if target.startswith("/")
                        else posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
                    )
                    result[element.get("Id")] = (element.get("Type", ""), target)
        return result

    def _sheet_paths(self) -> list[tuple[str, str]]:
        self.workbook_rels = self._rels("xl/workbook.xml")
        sheets = []
        with self.archive.open("xl/workbook.xml") as handle:
            for _event, element in iterparse(handle):
                if element.tag in SHEET:
                    rel_id = next(
                        element.get(f"{{{ns}}}id") for ns in REL_NAMESPACES if element.get(f"{{{ns}}}id")
                    )
                    sheets.append((element.get("name", ""), self.workbook_rels[rel_id][1]))
        return sheets

    def _shared_strings(self) -> list[str]:
        paths = [target for kind, target in self.workbook_rels.values() if kind.endswith("/sharedStrings")]
        if not paths:
            return []
        strings = []
        with self.archive.open(paths[0]) as handle:
            for _event, element in iterparse(handle):
                if element.tag in SI:
                    strings.append(_string_item(element))
                    element.clear()
        return strings

    def rows(self, path: str) -> Iterator[tuple]:
        strings = self.strings
        last_row = 0
        with self.archive.open(path) as handle:
            for _event, element in iterparse(handle):
                if element.tag not in ROW:
                    continue
                number = int(element.get("r") or last_row + 1)
                while last_row + 1 < number:  # rows Excel left out are blank rows
                    last_row += 1
                    yield ()
                values: list = []
                for cell in element:
                    if cell.tag not in CELL:
                        continue
                    ref = cell.get("r")
                    column = _column_index(ref)[0] if ref else len(values)
                    if column < len(values):
                        raise ValueError("cells out of order")
                    values.extend([None] * (column - len(values)))
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        inline = next((c for c in cell if c.tag in INLINE), None)
                        values.append(_string_item(inline) if inline is not None else "")
                        continue
                    text = next((c.text for c in cell if c.tag in VALUE), None)
                    if text is None:
                        values.append(None)
                    elif kind == "s":
                        values.append(strings[int(text)])
                    elif kind == "b":
                        values.append(text.strip() == "1")
                    elif kind in ("str", "e", "d"):
                        values.append(text)
                    else:
                        values.append(_number(text))
                last_row = number
                element.clear()
                yield tuple(values)

    def sheets(self) -> list[tuple[str, list[tuple]]]:
        """Every sheet with all its rows (read whole, so a damaged sheet fails before
        any of it is used)."""
        return [(title, list(self.rows(path))) for title, path in self.sheet_paths]

    def close(self) -> None:
        self.archive.close()
