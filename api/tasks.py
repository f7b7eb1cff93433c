from celery import shared_task

from api.services.idempotency import idempotency_keys_forget_expired


@shared_task
def forget_expired_idempotency_keys() -> int:
    return idempotency_keys_forget_expired()
