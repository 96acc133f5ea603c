"""Any report as CSV or XLSX: the page's table, with a title row saying what it covers."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .reports import Report

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(rows: list[list]) -> list[list]:
    # A title typed as "=HYPERLINK(...)" must stay text in a spreadsheet, not become a formula.
    return [
        [f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row] for row in rows
    ]


def to_csv(report: Report, covers: str) -> bytes:
    header, rows = report.as_table()
    rows = _safe(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([report.title, covers])
    writer.writerow(header)
    writer.writerows(rows)
    # A byte-order mark makes spreadsheet programs read the Cyrillic as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: Report, covers: str) -> bytes:
    header, rows = report.as_table()
    rows = _safe(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = report.key[:31]
    sheet.append([report.title, covers])
    sheet["A1"].font = Font(bold=True)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = max([len(str(r[0])) for r in rows] + [len(header[0]), 12]) + 2
    sheet.freeze_panes = "B3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
