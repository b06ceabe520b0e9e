"""A small suite whose JUnit XML (written by real pytest) the junit reader is tested on."""

import pytest


def test_988_call_dials_lifeline():
    assert "988".isdigit()


def test_988_text_opens_sms():
    assert True


def test_offline_plan_cached():
    assert 1 + 1 == 3, "offline crisis plan not cached"


@pytest.mark.skip(reason="device lab offline")
def test_multi_device_alert():
    pass


class TestEmergencyContact:
    def test_sync_preserved(self):
        assert True

    def test_error_in_setup(self, missing_fixture):
        pass
