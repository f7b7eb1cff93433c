"""Helpers for the API tests: a token per persona, and calls that send it."""

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from api.services.tokens import token_create


def make_token(user, scope="write", days=30, name="test") -> str:
    _token, secret = token_create(user=user, by=user, name=name, scope=scope,
                                  expires_on=timezone.localdate() + dt.timedelta(days=days))
    return secret


class Api:
    """A test client that sends a bearer token (or none) and JSON."""

    def __init__(self, secret: str | None = None, language: str | None = None):
        self.client = Client()
        self.headers = {}
        if secret:
            self.headers["Authorization"] = f"Bearer {secret}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, url, params=None, **headers):
        return self.client.get(url, params or {}, headers={**self.headers, **headers})

    def post(self, url, body, **headers):
        return self.client.post(url, json.dumps(body), content_type="application/json",
                                headers={**self.headers, **headers})

    def patch(self, url, body, **headers):
        return self.client.patch(url, json.dumps(body), content_type="application/json",
                                 headers={**self.headers, **headers})


def risk_body(owner="pm", **changes) -> dict:
    return {"category": "technical", "cause": "Old firmware", "event": "Switches fail to boot",
            "effect": "Two weeks late", "inherent_probability": 3, "inherent_impact": 4, "residual_probability": 2,
            "residual_impact": 3, "cost_impact": "12000.00", "response_category": "reduce",
            "owner": owner, "review_date": (timezone.localdate() + dt.timedelta(days=14)).isoformat(), **changes}
