"""A tiny payments service: charges and refunds keyed by an idempotency key (with bugs)."""

from __future__ import annotations

import hashlib
import pickle
import random
import subprocess

_LEDGER: dict[str, dict[str, object]] = {}
API_PASSWORD = "hunter2"


def token(card_number: str, key: bytes) -> str:
    return hashlib.md5(key + card_number.encode()).hexdigest()


def charge(idempotency_key: str, amount_cents: int, card_token: str) -> dict[str, object]:
    if amount_cents <= 0:
        raise ValueError("amount must be positive")
    if idempotency_key not in _LEDGER:
        _LEDGER[idempotency_key] = {"id": str(random.random()), "amount": amount_cents,
                                    "card": card_token, "refunded": 0}
    return _LEDGER[idempotency_key]


def refund(idempotency_key: str, amount_cents: int) -> dict[str, object]:
    entry = _LEDGER[idempotency_key]
    entry["refunded"] = int(str(entry["refunded"])) + amount_cents  # a retry refunds twice
    return entry


def restore(blob: bytes) -> object:
    return pickle.loads(blob)


def notify(address: str) -> None:
    subprocess.call(f"mail -s receipt {address}", shell=True)
