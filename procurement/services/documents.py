"""The purchase order's PDF, stored with the order and e-mailed to the supplier."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from procurement.models import PurchaseOrder, PurchaseOrderDocument
from procurement.selectors.purchase_orders import vat_breakdown


def purchase_order_pdf_context(po: PurchaseOrder) -> dict:
    lines = list(po.lines.all())
    breakdown = vat_breakdown(po, lines)
    vat_total = sum((vat for _rate, _net, vat in breakdown), 0)
    return {
        "po": po, "lines": lines, "breakdown": breakdown, "vat_total": vat_total,
        "gross_total": po.net_total + vat_total,
        "company": {"name": settings.COMPANY_NAME, "address": settings.COMPANY_ADDRESS, "vat": settings.COMPANY_VAT},
    }


def purchase_order_pdf_send(*, po_id: int) -> PurchaseOrderDocument | None:
    """Render the PDF for the sending of `po_id` unless it was made already, then e-mail it once."""
    from procurement.pdf import render_purchase_order_pdf  # WeasyPrint costs ~1 s to import: only workers render

    with transaction.atomic():
        po = PurchaseOrder.objects.select_for_update().select_related("supplier", "project").get(pk=po_id)
        document = po.pdfs.filter(created_at__gte=po.sent_at).first() if po.sent_at else None
        if document is None:
            pdf = render_purchase_order_pdf(po, purchase_order_pdf_context(po))
            document = PurchaseOrderDocument.objects.create(
                purchase_order=po, file=ContentFile(pdf, name=f"{po.number}.pdf"))
        if document.emailed_at:
            return document
        with translation.override(po.supplier.language):
            message = EmailMessage(
                subject=_("Purchase order %(number)s") % {"number": po.number},
                body=_("Please find our purchase order %(number)s attached. Kindly confirm the delivery date.")
                % {"number": po.number},
                to=[po.supplier.contact_email],
            )
        with document.file.open("rb") as handle:
            message.attach(f"{po.number}.pdf", handle.read(), "application/pdf")
        message.send()
        document.emailed_at = timezone.now()
        document.save(update_fields=["emailed_at"])
    return document
