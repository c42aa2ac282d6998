"""The webhook SSRF guard sees through IPv6 addresses that carry an IPv4 one: 6to4
(2002::/16) and NAT64 (64:ff9b::/96, 64:ff9b:1::/48) reach the IPv4 address inside."""

from __future__ import annotations

import pytest

from quartier.partners.integration.delivery import address_allowed


@pytest.mark.parametrize(
    "address",
    [
        "2002:a00:5::1",  # 6to4 of 10.0.0.5
        "2002:c0a8:114::",  # 6to4 of 192.168.1.20
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254 (cloud metadata)
        "64:ff9b::10.0.0.5",  # NAT64 well-known prefix
        "64:ff9b::169.254.169.254",
        "64:ff9b::127.0.0.1",
        "64:ff9b:1:a00:0:500::",  # local-use NAT64 /48 (RFC 6052 layout) of 10.0.0.5
    ],
)
def test_tunnelled_private_addresses_are_refused(address, settings):
    settings.QUARTIER_WEBHOOK_ALLOW_LOOPBACK = False
    assert not address_allowed(address)


@pytest.mark.parametrize(
    "address",
    [
        "2002:5db8:d822::1",  # 6to4 of 93.184.216.34
        "64:ff9b::93.184.216.34",  # NAT64 of a public address
        "2a00:1450:4001:80b::200e",  # plain public IPv6
        "93.184.216.34",
    ],
)
def test_public_addresses_still_pass(address):
    assert address_allowed(address)
