"""Refuse webhook URLs that point into our own network (SSRF).

Checked when an endpoint is saved and again just before each send, because DNS can
change in between. The send connects to the address that was checked, so a name that
resolves differently a moment later cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURL(ValueError):
    """The URL may not be used as a webhook target; the message says why."""


@dataclass(frozen=True)
class CheckedTarget:
    scheme: str
    host: str  # as written in the URL, for the Host header and TLS name checks
    port: int
    path: str  # path and query
    address: str  # the vetted IP address to connect to


def address_is_public(address: Address) -> bool:
    """True for globally routable unicast addresses only."""
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:10.0.0.1 and the like reach the embedded IPv4 address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return address_is_public(embedded)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_link_local or address.is_loopback
    )


def resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"The host {host!r} cannot be resolved.") from exc
    # Strip an IPv6 scope ("fe80::1%eth0") before parsing.
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def check_webhook_url(url: str) -> CheckedTarget:
    """Validate `url` and return the address to connect to, or raise UnsafeURL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"Not a valid URL: {exc}.") from exc
    scheme = parts.scheme.lower()
    allowed_schemes = {"https", "http"} if settings.WEBHOOK_ALLOW_HTTP else {"https"}
    if scheme not in allowed_schemes:
        raise UnsafeURL("Webhook URLs must use https.")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeURL(
            "Credentials in the URL are not allowed; authenticate with the signature instead."
        )
    port = port or (443 if scheme == "https" else 80)
    host = parts.hostname

    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = resolve(host, port)
    if not addresses:
        raise UnsafeURL(f"The host {host!r} has no address.")
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not address_is_public(address):
                raise UnsafeURL(
                    f"The host {host!r} resolves to {address}, a loopback, private, link-local or reserved "
                    "address; webhooks may only be sent to public addresses."
                )
    # A public host is reached on the configured ports only (443 by default): any other port
    # would make the endpoint check, and ping, a port scanner of other people's hosts.
    allowed_ports = settings.WEBHOOK_ALLOWED_PORTS
    if port not in allowed_ports and any(address_is_public(a) for a in addresses):
        listed = ", ".join(str(p) for p in allowed_ports)
        raise UnsafeURL(
            f"Webhook URLs on public hosts may only use port {listed}; {port} is not allowed."
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return CheckedTarget(scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))
