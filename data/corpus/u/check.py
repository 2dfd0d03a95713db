#!/usr/bin/env python3
"""Validate part u's gold.csv (tables: CSV and XLSX) and prove it loads in the scorer.

Usage (from anywhere): python3 data/corpus/u/check.py [--indicators PATH]   (needs openpyxl for the XLSX files;
the project's .venv has it). Does not import the project's etl package.

The shared ../check_part.py reads reports/*.txt only, so this part runs the same checks on its own
"document text", defined here once and used by make_gold.py too:
  * a CSV file's text is the file itself, read as UTF-8; an evidence is one of its raw lines (the row as it
    stands in the file, quotes included);
  * an XLSX file's text is one line per non-empty row, "[sheet]" before each sheet, the row's non-empty cells
    as str(value) joined by " | " (so 0.84 is "0.84", 1 is "1"); an evidence is one such line.
Checks: check_part.py's, run with this reader: manifest <-> reports/ (csv, xlsx), URLs unique and not used by another part or by
shared/corpus/real-dev; every doc in gold.csv and every gold doc on disk; a negative doc has one empty row;
indicator scored or other:*; value a number, year 2010-2026 or blank, scope/qualifier in the vocabularies,
is_target/optional true/false, province not blank; evidence an exact substring of the document text and the
value visible in it (check_part.number_forms); no duplicate rows or keys. Then the gold is scored against
itself (all ids, scored ids): strict F1 must be 1.000.
"""
from __future__ import annotations

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPORTS = os.path.join(HERE, "reports")

_spec = importlib.util.spec_from_file_location("check_part", os.path.join(HERE, "..", "check_part.py"))
cp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cp)


def document_text(path: str) -> str:
    """The text an evidence must be a substring of (see the module docstring)."""
    if path.endswith(".csv"):
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"[{ws.title}]")
        for row in ws.iter_rows(values_only=True):
            cells = [str(v) for v in row if v is not None and str(v) != ""]
            if cells:
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.argv[1:1] = ["--part", HERE]
    sys.exit(cp.main(suffixes=(".csv", ".xlsx"), read=document_text, titles=False))
