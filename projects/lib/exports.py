"""Spreadsheet safety for every export: cells that a spreadsheet would run as a formula are neutralised."""

import io

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that starts like a formula with an apostrophe (OWASP CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_response(filename: str, sheet_title: str, header: list, rows) -> HttpResponse:
    """One sheet as an .xlsx download; every text cell is neutralised."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
