"""Any report as CSV or XLSX: the page's table, with a title row saying what it covers."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .reports import Report

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# OWASP's list of the first characters that make a spreadsheet read a CSV cell as a formula: a
# TAB or CR before the "=" is skipped by some of them ("\t=1+cmd|..."). LF is added on the same
# reasoning: it is whitespace that a spreadsheet may trim before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def as_text(value):
    """A CSV cell: text that a spreadsheet would read as a formula is quoted with a leading "'".

    Only text: a number (a negative one too) is a number in the report and stays one.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def no_formulas(book: Workbook) -> Workbook:
    """Every cell that openpyxl took for a formula (text starting with "=") stored as the text it is.

    An XLSX cell has a type, so text needs no "'" there: it is kept exactly, typed as a string.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return book


def to_csv(report: Report, covers: str) -> bytes:
    header, rows = report.as_table()
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [[report.title, covers], header, *rows]:
        writer.writerow([as_text(value) for value in row])
    # A byte-order mark makes spreadsheet programs read the Cyrillic as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: Report, covers: str) -> bytes:
    header, rows = report.as_table()
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
    no_formulas(book).save(out)
    return out.getvalue()
