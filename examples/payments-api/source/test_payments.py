"""The payments service's unit tests (run by the evidence generator with pytest)."""

import payments
import pytest


def test_charge_records_the_amount() -> None:
    assert payments.charge("k1", 1250, "tok")["amount"] == 1250


def test_charge_refuses_a_negative_amount() -> None:
    with pytest.raises(ValueError):
        payments.charge("k2", -5, "tok")


def test_token_hides_the_card_number() -> None:
    assert "4242" not in payments.token("4242424242424242", b"key")


def test_idempotent_charge_on_retry() -> None:
    first = payments.charge("k3", 900, "tok")
    assert payments.charge("k3", 900, "tok") is first


def test_idempotent_refund_on_retry() -> None:
    payments.charge("k4", 1000, "tok")
    payments.refund("k4", 400)
    assert payments.refund("k4", 400)["refunded"] == 400


def test_refund_never_exceeds_the_charge() -> None:
    payments.charge("k5", 300, "tok")
    assert int(str(payments.refund("k5", 500)["refunded"])) <= 300
