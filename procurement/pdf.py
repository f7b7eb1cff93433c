"""Purchase-order PDFs. WeasyPrint is imported once per process: the import alone costs ~1 s."""

import weasyprint
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint.urls import URLFetcher


class NoNetworkURLFetcher(URLFetcher):
    """Only inline data: URLs. A user-typed <img src="http://..."> must never make the server
    fetch anything (the default fetcher follows any URL, local services included)."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"blocked resource: {url[:80]}")


def render_purchase_order_pdf(po, context: dict) -> bytes:
    """The supplier's copy, in the supplier's language. User text is escaped by the template."""
    with translation.override(po.supplier.language):
        html = render_to_string("procurement/purchase_order_pdf.html", context)
    return weasyprint.HTML(string=html, url_fetcher=NoNetworkURLFetcher()).write_pdf()
