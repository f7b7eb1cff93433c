"""Purchase-order PDFs. WeasyPrint is imported once per process: the import alone costs ~1 s."""

import weasyprint
from django.template.loader import render_to_string
from django.utils import translation

from projects.lib.pdf import NoNetworkURLFetcher


def render_purchase_order_pdf(po, context: dict) -> bytes:
    """The supplier's copy, in the supplier's language. User text is escaped by the template."""
    with translation.override(po.supplier.language):
        html = render_to_string("procurement/purchase_order_pdf.html", context)
    return weasyprint.HTML(string=html, url_fetcher=NoNetworkURLFetcher()).write_pdf()
