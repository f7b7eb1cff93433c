"""Exports for Dynamics 365. Cells that a spreadsheet would run as a formula are neutralised."""

import csv
import io

from openpyxl import Workbook

from projects.lib.exports import neutralise

COLUMNS = ["number", "project", "supplier", "supplier_vat", "status", "net_total", "delivery_date", "approved_by",
           "approved_at"]


def _rows(purchase_orders):
    for po in purchase_orders:
        yield [po.number, po.project.code, po.supplier.name, po.supplier.vat_number, po.status, po.net_total,
               po.delivery_date, str(po.approved_by) if po.approved_by else "",
               po.approved_at.replace(tzinfo=None) if po.approved_at else ""]


def purchase_orders_csv(purchase_orders) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Excel in Belgian locales expects semicolons
    writer.writerow(COLUMNS)
    for row in _rows(purchase_orders):
        writer.writerow([neutralise(str(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def purchase_orders_xlsx(purchase_orders) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Purchase orders")
    sheet.append(COLUMNS)
    for row in _rows(purchase_orders):
        sheet.append([neutralise(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
