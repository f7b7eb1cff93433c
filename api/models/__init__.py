from .idempotency import IdempotencyRecord
from .tokens import ApiToken

__all__ = ["ApiToken", "IdempotencyRecord"]
