"""A tiny payments service: charges and refunds keyed by an idempotency key."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_LEDGER: dict[str, dict[str, object]] = {}


def token(card_number: str, key: bytes) -> str:
    """A keyed digest of the card number: never the number itself."""
    return hmac.new(key, card_number.encode(), hashlib.sha256).hexdigest()


def charge(idempotency_key: str, amount_cents: int, card_token: str) -> dict[str, object]:
    """Charge once per idempotency key; a retry returns the first charge."""
    if amount_cents <= 0:
        raise ValueError("amount must be positive")
    if idempotency_key not in _LEDGER:
        _LEDGER[idempotency_key] = {"id": secrets.token_hex(8), "amount": amount_cents,
                                    "card": card_token, "refunded": 0}
    return _LEDGER[idempotency_key]


def refund(idempotency_key: str, amount_cents: int) -> dict[str, object]:
    """Refund at most what was charged; a retried refund changes nothing."""
    entry = _LEDGER[idempotency_key]
    charged = int(str(entry["amount"]))
    entry["refunded"] = min(charged, max(int(str(entry["refunded"])), amount_cents))
    return entry
