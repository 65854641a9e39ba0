"""SMS codes per client address: 10 an hour whatever the phones, a day's ban after a flood of 30."""

from datetime import UTC, datetime, timedelta

import pytest

from ag_app.domain.errors import TooManyRequests
from ag_app.domain.otp import (
    CLIENT_BAN_CODES,
    MAX_CODES_PER_CLIENT,
    check_client_code_request,
    client_network,
    forwarded_client,
    is_exempt_client,
    next_client_code_allowed_at,
)

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 12:00 in Moscow


def test_ten_codes_an_hour_then_the_eleventh_waits_for_the_oldest():
    sent = [NOW - timedelta(minutes=5 * i) for i in range(MAX_CODES_PER_CLIENT - 1)]
    assert next_client_code_allowed_at(sent, NOW) is None
    sent.append(NOW - timedelta(minutes=50))
    assert next_client_code_allowed_at(sent, NOW) == NOW + timedelta(minutes=10)
    with pytest.raises(TooManyRequests, match="с вашего устройства. Повторите после 12:10 по московскому"):
        check_client_code_request(sent, NOW)
    # Codes older than an hour do not count for the hourly limit.
    assert next_client_code_allowed_at([NOW - timedelta(minutes=61)] * 20, NOW) is None


def test_a_flood_within_a_day_bans_the_client_for_a_day():
    # 30 codes spread over the last 20 hours: no hour has 10, yet it is a flood.
    sent = [NOW - timedelta(minutes=40 * i + 1) for i in range(CLIENT_BAN_CODES)]
    oldest = min(sent)
    assert next_client_code_allowed_at(sent, NOW) == oldest + timedelta(hours=24)
    with pytest.raises(TooManyRequests, match="Повторите после 16:39 по московскому времени"):
        check_client_code_request(sent, NOW)
    assert next_client_code_allowed_at(sent[:-1], NOW) is None


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
        ("testclient", "testclient"),
        ("", ""),
    ],
)
def test_clients_are_counted_by_ipv4_address_or_ipv6_64(address, network):
    assert client_network(address) == network


def test_forwarded_for_counts_only_behind_trusted_proxies():
    assert forwarded_client("10.0.0.2", "1.2.3.4", 0) == "10.0.0.2"
    assert forwarded_client("10.0.0.2", "6.6.6.6, 1.2.3.4", 1) == "1.2.3.4"
    assert forwarded_client("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.1", 2) == "1.2.3.4"
    assert forwarded_client("10.0.0.2", "", 1) == "10.0.0.2"


def test_exempt_clients_are_addresses_or_networks():
    assert is_exempt_client("127.0.0.1", "127.0.0.1,::1")
    assert is_exempt_client("::ffff:127.0.0.1", "127.0.0.1")
    assert is_exempt_client("10.1.2.3", "10.0.0.0/8")
    assert not is_exempt_client("203.0.113.7", "127.0.0.1,::1,garbage")
    assert not is_exempt_client("testclient", "127.0.0.1")
    assert not is_exempt_client("127.0.0.1", "")
