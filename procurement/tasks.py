from celery import shared_task

from procurement.services.documents import purchase_order_pdf_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_purchase_order(po_id: int) -> None:
    purchase_order_pdf_send(po_id=po_id)
