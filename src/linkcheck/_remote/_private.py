"""Which addresses --exclude-private refuses: every one that is not on the public internet."""

from __future__ import annotations

import ipaddress

_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


#: IANA special-purpose ranges Python's `is_global` does not cover in every version.
_NOT_GLOBAL = tuple(
    ipaddress.ip_network(n)
    for n in ("100.64.0.0/10", "192.0.0.0/24", "fec0::/10", "2002::/16", "64:ff9b:1::/48")
)


def is_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not an address of the public internet (IANA's special-purpose registries)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address in _METADATA_ADDRESSES
        or not address.is_global
        or address.is_multicast
        or any(address in network for network in _NOT_GLOBAL)
    )
