"""Standard Webhooks (standardwebhooks.com): the secret's format, the signature and the headers.

The secret is `whsec_` and the base64 of 24 random bytes; the signature is `v1,` and the base64 of
HMAC-SHA256, keyed with those bytes, of "{webhook-id}.{webhook-timestamp}.{body}".
"""

import base64
import hashlib
import hmac
import secrets
import uuid

SECRET_PREFIX = "whsec_"


def secret_new() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def webhook_id_new() -> str:
    return f"msg_{uuid.uuid4().hex}"


def signature(secret: str, webhook_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{webhook_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, webhook_id: str, timestamp: int, body: str) -> dict[str, str]:
    return {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(secret, webhook_id, timestamp, body),
            "content-type": "application/json"}
