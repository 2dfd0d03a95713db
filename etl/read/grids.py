"""CSV files and XLSX sheets -> Grids: sparse cells, merged ranges filled, nothing evaluated.

Formulas are never evaluated: XLSX cells are read with their cached values (`data_only=True`), and a
formula cell without a cached value is skipped with a warning. Strings such as "=1+1" or "@SUM(A1)"
stay strings.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings as py_warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from etl.read.decode import decode_bytes
from etl.read.errors import ReadError
from etl.read.limits import MAX_TABLE_CELLS, check_file_size, check_zip

CSV_DELIMITERS = ",;\t|"
MAX_LISTED_WARNINGS = 5  # per kind of warning; the rest are counted

Cells = dict[int, dict[int, Any]]  # row number -> column number -> value (both 1-based, as in Excel)


@dataclass
class Grid:
    """One XLSX sheet or one CSV file as sparse cells; `percent` holds cells formatted as % in Excel."""

    sheet: str | None  # None for a CSV file
    cells: Cells
    percent: set[tuple[int, int]] = field(default_factory=set)

    def value(self, row: int, column: int) -> Any:
        return self.cells.get(row, {}).get(column)

    def label(self, row: int, column: int) -> str:
        """Where a cell is, for evidence: "Sheet1!C7" or "row 7, col C"."""
        letter = get_column_letter(column)
        return f"{self.sheet}!{letter}{row}" if self.sheet is not None else f"row {row}, col {letter}"


def load_csv(path: Path) -> tuple[list[Grid], list[str]]:
    """The CSV file as one grid (delimiter sniffed among , ; tab |)."""
    check_file_size(path)
    decoded = decode_bytes(path.read_bytes(), path)
    text = decoded.text
    if not text.strip():
        raise ReadError(path, "empty file (whitespace only)")
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        delimiter = _guess_delimiter(text[:8192])
    cells: Cells = {}
    count = 0
    try:
        for row_number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            values = {col: value.strip() for col, value in enumerate(row, start=1) if value.strip()}
            if values:
                cells[row_number] = values
                count += len(values)
                if count > MAX_TABLE_CELLS:
                    raise ReadError(path, f"CSV has more than {MAX_TABLE_CELLS:,} cells")
    except csv.Error as exc:
        raise ReadError(path, f"CSV is malformed ({exc})") from exc
    return [Grid(sheet=None, cells=cells)], list(decoded.warnings)


def _guess_delimiter(sample: str) -> str:
    """When csv.Sniffer gives up (a title line above the header, ragged rows): the delimiter that splits
    the most lines of the sample into two fields or more; "," on a tie."""

    def rows_split(delimiter: str) -> int:
        try:
            return sum(len(row) >= 2 for row in csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            return 0

    return max(CSV_DELIMITERS, key=lambda d: (rows_split(d), d == ","))


def load_xlsx(path: Path) -> tuple[list[Grid], list[str]]:
    """Every visible worksheet as a grid: cached values, merged ranges filled down and right."""
    check_file_size(path)
    check_zip(path, "XLSX")
    try:
        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            layout = _scan_layout(path)
            return _read_values(path, layout)
    except ReadError:
        raise
    except Exception as exc:  # openpyxl raises many types (KeyError, ValueError, XML errors) on damage
        raise ReadError(path, f"XLSX is damaged or not an Excel workbook ({type(exc).__name__})") from exc


@dataclass
class _SheetLayout:
    """What the streaming pass learned about a sheet: where values are, which cells are formulas."""

    filled: list[tuple[int, int]] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    visible: bool = True


def _scan_layout(path: Path) -> dict[str, _SheetLayout]:
    """Stream the workbook once (read-only, formulas as text) and enforce MAX_TABLE_CELLS."""
    layout: dict[str, _SheetLayout] = {}
    count = 0
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet in workbook.worksheets:
            info = layout[sheet.title] = _SheetLayout(visible=sheet.sheet_state == "visible")
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is None or not hasattr(cell, "row"):
                        continue
                    count += 1
                    if count > MAX_TABLE_CELLS:
                        raise ReadError(path, f"XLSX has more than {MAX_TABLE_CELLS:,} cells")
                    info.filled.append((cell.row, cell.column))
                    if cell.data_type == "f":
                        info.formulas.add((cell.row, cell.column))
    finally:
        workbook.close()
    return layout


def _read_values(path: Path, layout: dict[str, _SheetLayout]) -> tuple[list[Grid], list[str]]:
    """Load cached values and merged ranges (full load; the cell count is already bounded)."""
    notes: list[str] = []
    uncached: list[str] = []
    grids: list[Grid] = []
    workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    for sheet in workbook.worksheets:
        info = layout.get(sheet.title)
        if info is None:
            continue
        if not info.visible:
            notes.append(f"hidden sheet '{sheet.title}' skipped")
            continue
        grid = Grid(sheet=sheet.title, cells={})
        for row, column in info.filled:
            cell = sheet.cell(row=row, column=column)
            value = cell.value
            if value is None and (row, column) in info.formulas:
                uncached.append(grid.label(row, column))
                continue
            if isinstance(value, float) and not math.isfinite(value):
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            grid.cells.setdefault(row, {})[column] = value.strip() if isinstance(value, str) else value
            if _is_percent_format(cell.number_format) and isinstance(value, int | float):
                grid.percent.add((row, column))
        _fill_merged(grid, sheet)
        grids.append(grid)
    if uncached:
        listed = ", ".join(uncached[:MAX_LISTED_WARNINGS])
        more = f" and {len(uncached) - MAX_LISTED_WARNINGS} more" if len(uncached) > MAX_LISTED_WARNINGS else ""
        notes.append(
            f"formula without a cached value skipped at {listed}{more} "
            "(open and save the workbook in Excel or LibreOffice to compute it)"
        )
    if not any(grid.cells for grid in grids):
        raise ReadError(path, "XLSX has no data in its visible sheets")
    return grids, notes


def _is_percent_format(number_format: str | None) -> bool:
    """True for Excel formats that show the value × 100 with "%" (a quoted or escaped "%" does not)."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in unquoted


def _fill_merged(grid: Grid, sheet: Any) -> None:
    """Copy each merged range's top-left value (and % format) into the range's other cells."""
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row, merged.min_col
        value = grid.value(top, left)
        if value is None:
            continue
        area = (merged.max_row - top + 1) * (merged.max_col - left + 1)
        if area > MAX_TABLE_CELLS:
            continue
        for row in range(top, merged.max_row + 1):
            for column in range(left, merged.max_col + 1):
                grid.cells.setdefault(row, {})[column] = value
                if (top, left) in grid.percent:
                    grid.percent.add((row, column))
