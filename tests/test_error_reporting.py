"""Error reporting is off unless SENTRY_DSN is set, and then sends no personal data."""

import sentry_sdk

from config.errors import init_error_reporting


def test_off_without_a_dsn(monkeypatch):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    assert init_error_reporting() is False


def test_on_with_a_dsn_and_without_personal_data():
    try:
        assert init_error_reporting("http://public@127.0.0.1:9/1") is True
        options = sentry_sdk.get_client().options
        assert not options["send_default_pii"]  # the default: no user details
        assert options["data_collection"]["user_info"] is False
        assert options["max_request_body_size"] == "never"
        assert options["include_local_variables"] is False
    finally:
        sentry_sdk.init(dsn=None)  # nothing is sent from the rest of the suite
