"""Where a webhook may be delivered: the URL rules and the address rules (CONTRACT §8).

Two steps, both at registration *and* before every delivery attempt:

1. :func:`check_url` — syntax only, no network: ``https://``, a host, no user name or
   password, port 443 or 1024-65535, no fragment, at most 2048 characters. An IPv4 address
   written in one of the legacy forms resolvers still accept (``2130706433``, ``0x7f000001``,
   ``127.1``, ``0177.0.0.1``) is refused whatever it denotes; IPv6 literals and IDNA names are
   brought to their canonical form. Raises :class:`~talentos_core.errors.ValidationError` on
   ``url``.
2. :func:`pick_address` — resolve the host once and refuse if *any* answer is not a public
   unicast address (:func:`why_not_public`); return the one address to connect to. The
   transport connects to that address and nowhere else, so a DNS answer that changes between
   the check and the connection (rebinding) cannot redirect the delivery. Raises
   :class:`TargetRefused`, or :class:`ResolveError` when the name does not resolve.

``allow_private`` (``TALENTOS_WEBHOOK_ALLOW_PRIVATE=1``) skips step 2's address rules, never
step 1. :func:`check_registration` is the registration path: both steps, a name that does not
resolve *yet* accepted, a refusal turned into a 422 on ``url``.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from typing import Protocol
from urllib.parse import quote, urlsplit

import attrs

from talentos_core.errors import ValidationError

#: The longest URL accepted, in characters.
MAX_URL_LENGTH = 2048
#: Ports a webhook may use besides 443: the unprivileged range.
UNPRIVILEGED_PORTS = range(1024, 65536)

_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Every printable ASCII character but space: what quote() leaves alone in a path and query.
# Only non-ASCII text is left for it to percent-encode (controls and spaces are refused).
_PATH_SAFE = "".join(chr(code) for code in range(0x21, 0x7F))
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_PORT = re.compile(r"[0-9]{1,5}")
_DECIMAL = re.compile(r"[0-9]+")
_OCTAL = re.compile(r"0[0-7]+")
_HEXADECIMAL = re.compile(r"0x[0-9a-f]*")


class TargetRefused(Exception):
    """A webhook target that must not be contacted; ``reason`` says why, for a person.

    The registration path turns it into a 422 on ``url``; the delivery path into a failed
    attempt. Not a :class:`~talentos_core.errors.TalentOSError`: it never reaches a client as is.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class ResolveError(OSError):
    """The host name did not resolve (no such name, no address, or the resolver failed)."""


class Resolver(Protocol):
    """Looks host names up. Implementations: :class:`SystemResolver`, and
    :class:`talentos_core.testing.FakeResolver` for tests."""

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address ``host`` has for a TCP connection to ``port``, as IP strings.

        Raises ``OSError`` (preferably :class:`ResolveError`) when there is none.
        """
        ...


class SystemResolver:
    """The operating system's resolver (``socket.getaddrinfo``).

    getaddrinfo has no timeout of its own: a slow resolver delays the attempt by the system's
    resolver timeout (typically 5 s per server), on top of the HTTP timeout.
    """

    def resolve(self, host: str, port: int) -> list[str]:
        """The distinct addresses of ``host``, in the system's preference order."""
        try:
            answers = socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except (OSError, UnicodeError) as error:
            raise ResolveError(f"{host} does not resolve: {error}") from error
        addresses: list[str] = []
        for *_, sockaddr in answers:
            address = str(sockaddr[0])
            if address not in addresses:
                addresses.append(address)
        return addresses


@attrs.frozen
class Target:
    """A webhook URL that passed :func:`check_url`, in canonical form.

    ``host`` is lowercase ASCII (IDNA-encoded), without brackets for an IPv6 literal and without
    a trailing dot; it is the name sent as SNI and checked against the certificate. ``url`` is
    rebuilt from the parts (default port dropped, non-ASCII path text percent-encoded).
    """

    url: str
    scheme: str
    host: str
    port: int
    path_and_query: str

    @property
    def literal(self) -> _IPAddress | None:
        """The address when the host is an IP literal (never looked up), else ``None``."""
        return _ip_or_none(self.host)


def check_url(url: str) -> Target:
    """The :class:`Target` for ``url`` if its syntax is acceptable for a webhook.

    Raises ``ValidationError({"url": why})``; never anything else, whatever the input.
    """
    try:
        return _check_url(url)
    except _Refused as refused:
        raise ValidationError({"url": refused.reason}) from None


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _check_url(url: str) -> Target:
    if not isinstance(url, str):
        raise _Refused("must be a string")
    if len(url) > MAX_URL_LENGTH:
        raise _Refused(f"must be at most {MAX_URL_LENGTH} characters")
    # urlsplit silently drops tabs and newlines, and strips leading spaces: refuse them first,
    # so what is checked is what was written.
    if any(char.isspace() or unicodedata.category(char)[0] == "C" for char in url):
        raise _Refused("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise _Refused(f"is not a valid URL ({error})") from None
    if parts.scheme != "https":
        raise _Refused("must start with https://")
    if "#" in url:
        raise _Refused("must not have a #fragment")
    if not parts.netloc:
        raise _Refused("must name a host")
    if "@" in parts.netloc:
        raise _Refused("must not contain a user name or password")
    host_text, port = _split_host_port(parts.netloc)
    host = _canonical_host(host_text)
    path_and_query = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path_and_query += "?" + quote(parts.query, safe=_PATH_SAFE)
    shown_host = f"[{host}]" if ":" in host else host
    shown_port = "" if port == 443 else f":{port}"
    return Target(
        url=f"https://{shown_host}{shown_port}{path_and_query}",
        scheme="https",
        host=host,
        port=port,
        path_and_query=path_and_query,
    )


def _split_host_port(netloc: str) -> tuple[str, int]:
    """``(host as written, port)``; brackets kept around an IPv6 literal."""
    if netloc.startswith("["):
        end = netloc.find("]")
        if end == -1:
            raise _Refused("has an unclosed [ in the host")
        host, rest = netloc[: end + 1], netloc[end + 1 :]
        if rest and not rest.startswith(":"):
            raise _Refused("has text after the ] of the host")
        port_text = rest[1:] if rest else None
    elif ":" in netloc:
        host, _, port_text = netloc.rpartition(":")
    else:
        host, port_text = netloc, None
    if port_text is None:
        return host, 443
    if not _PORT.fullmatch(port_text):
        raise _Refused("has a port that is not a number")
    port = int(port_text)
    if port != 443 and port not in UNPRIVILEGED_PORTS:
        raise _Refused(f"must use port 443 or 1024-65535, not {port}")
    return host, port


def _canonical_host(written: str) -> str:
    if not written:
        raise _Refused("must name a host")
    if written.startswith("["):
        inside = written[1:-1]
        if "%" in inside:
            raise _Refused("must not name an IPv6 zone (%)")
        try:
            return str(ipaddress.IPv6Address(inside))
        except ValueError:
            raise _Refused(f"has an invalid IPv6 address [{inside}]") from None
    try:
        # The IDNA codec also maps full-width digits and ideographic dots (127。0。0。1) to
        # ASCII, so the numeric check below sees what a resolver would.
        host = written.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _Refused(f"has an invalid host name {written!r}") from None
    if host.endswith("."):
        host = host[:-1]
    numeric = _legacy_ipv4(host)
    if numeric is not None:
        if str(numeric) != host:
            raise _Refused(
                f"writes the IPv4 address {numeric} as {host!r}; only the dotted decimal form "
                "(four numbers 0-255) is accepted"
            )
        return host
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise _Refused(f"has an invalid host name {written!r}")
    return host


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host that ends in a number denotes, as the WHATWG URL standard (and
    ``inet_aton``) read it: 1-4 parts, each decimal, ``0x`` hex or leading-zero octal, the last
    filling the remaining bytes. ``None`` when the host does not end in a number; refused when
    it does but is no address at all (``1.2.3.4.5``, ``example.123``, ``09``)."""
    labels = host.split(".")
    last = labels[-1]
    if not (_DECIMAL.fullmatch(last) or _HEXADECIMAL.fullmatch(last)):
        return None
    invalid = _Refused(f"has a host {host!r} that ends in a number but is no IPv4 address")
    if len(labels) > 4:
        raise invalid
    numbers = []
    for label in labels:
        if _HEXADECIMAL.fullmatch(label):
            numbers.append(int(label[2:] or "0", 16))
        elif _OCTAL.fullmatch(label):
            numbers.append(int(label[1:], 8))
        elif _DECIMAL.fullmatch(label) and not (len(label) > 1 and label[0] == "0"):
            numbers.append(int(label))
        else:
            raise invalid
    *leading, final = numbers
    if any(number > 255 for number in leading) or final >= 256 ** (4 - len(leading)):
        raise invalid
    value = final
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


# --- addresses -------------------------------------------------------------------------------

_V4_REFUSED = [
    (ipaddress.IPv4Network(block), why)
    for block, why in [
        ("255.255.255.255/32", "the broadcast address"),
        ("0.0.0.0/8", "an unspecified ('this network') address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "an IETF protocol address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a reserved (6to4 relay) address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
    ]
]
_V6_REFUSED = [
    (ipaddress.IPv6Network(block), why)
    for block, why in [
        ("::/128", "the unspecified address"),
        ("::1/128", "the loopback address"),
        ("::ffff:0:0/96", "an IPv4-mapped address"),
        ("::/96", "an IPv4-compatible address"),
        ("::ffff:0:0:0/96", "an IPv4-translated address"),
        # RFC 8215's local-use NAT64 prefix: where the IPv4 address sits inside depends on the
        # local translator's prefix length, so no embedding can be checked; refused whole.
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/32", "a Teredo address"),
        ("2001:2::/48", "a benchmarking address"),
        ("2001:db8::/32", "a documentation address"),
        ("2001::/23", "an IETF protocol address"),
        ("3fff::/20", "a documentation address"),
        ("5f00::/16", "a segment-routing address"),
        ("fc00::/7", "a unique local (private) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    ]
]
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")


def why_not_public(address: str) -> str | None:
    """Why a delivery must not go to ``address`` (an IP string), or ``None`` if it may.

    Refused: loopback, private (RFC 1918, unique local), shared/CGNAT, link-local, site-local,
    multicast, broadcast, unspecified, reserved, documentation, benchmarking, IPv4-mapped,
    -compatible and -translated, Teredo, and IPv6 outside global unicast (2000::/3). NAT64
    (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by the IPv4 address they embed.
    Anything the standard library does not consider global is refused too. Text that is no
    IP address is refused, never raised.
    """
    parsed = _ip_or_none(address)
    if parsed is None:
        return "not an IP address"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.scope_id:
            return "a scoped (link-local) address"
        if parsed in _NAT64:
            embedded = ipaddress.IPv4Address(int(parsed) & 0xFFFFFFFF)
            return _embedded(embedded, "NAT64")
        if parsed in _SIX_TO_FOUR:
            embedded = ipaddress.IPv4Address((int(parsed) >> 80) & 0xFFFFFFFF)
            return _embedded(embedded, "6to4")
        for network, why in _V6_REFUSED:
            if parsed in network:
                return why
        if parsed not in _GLOBAL_UNICAST:
            return "a reserved address"
    else:
        for network4, why in _V4_REFUSED:
            if parsed in network4:
                return why
    # Belt and braces: whatever newer Python versions learn to call non-global is refused too.
    if not parsed.is_global:
        return "not a globally reachable address"
    return None


def _embedded(address: ipaddress.IPv4Address, kind: str) -> str | None:
    why = why_not_public(str(address))
    return None if why is None else f"a {kind} address of {address}, {why}"


def _ip_or_none(text: str) -> _IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def pick_address(target: Target, resolver: Resolver, allow_private: bool) -> str:
    """The one address a delivery to ``target`` connects to (look the host up once, here).

    An IP literal host is used as is; a name is resolved with ``resolver`` and refused if any of
    its addresses is not public (one bad answer is enough: which one a client would pick is not
    ours to predict). Returns the first address in the resolver's order.

    Raises :class:`ResolveError` when the name does not resolve (or resolves to nothing), and
    :class:`TargetRefused` when an address is not public (unless ``allow_private``) or the
    resolver answered something that is no IP address.
    """
    literal = target.literal
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = list(resolver.resolve(target.host, target.port))
        except OSError as error:
            if isinstance(error, ResolveError):
                raise
            raise ResolveError(f"{target.host} does not resolve: {error}") from error
        if not addresses:
            raise ResolveError(f"{target.host} has no address")
    canonical = []
    for address in addresses:
        parsed = _ip_or_none(address)
        if parsed is None:
            raise TargetRefused(f"{target.host} resolves to {address!r}, which is no IP address")
        canonical.append(str(parsed))
        if not allow_private:
            why = why_not_public(str(parsed))
            if why is not None:
                if literal is not None:
                    raise TargetRefused(f"{target.host} is {why}")
                raise TargetRefused(f"{target.host} resolves to {parsed}, {why}")
    return canonical[0]


def check_registration(url: str, resolver: Resolver, allow_private: bool) -> Target:
    """Both checks for a URL being registered, as a 422 on ``url`` when either refuses.

    A host that does not resolve now is accepted (its DNS may not exist yet); every delivery
    checks it again with :func:`pick_address`. Raises ``ValidationError({"url": why})``.
    """
    target = check_url(url)
    try:
        pick_address(target, resolver, allow_private)
    except ResolveError:
        pass
    except TargetRefused as refused:
        raise ValidationError({"url": refused.reason}) from None
    return target
