"""Sending one webhook attempt: the transport port and its HTTPS adapter.

The delivery worker builds a :class:`WebhookRequest` (the checked :class:`Target`, the address
:func:`~talentos_core.webhooks.targets.pick_address` returned, the signed body and headers) and
hands it to a :class:`WebhookTransport`. It gets a :class:`WebhookResponse` back, never an
exception for anything the network or the receiver did:

- ``status`` is the HTTP status when a whole answer arrived in time, else ``None``;
- ``error`` is ``None`` or one of :data:`TIMEOUT`, :data:`CONNECTION_ERROR`, :data:`TLS_ERROR`,
  :data:`PROTOCOL_ERROR` (the worker may report the last two as ``connection_error``);
- success is ``response.ok``: no error and a 2xx. Redirects are not followed: a 3xx is just a
  status, and a failure.

:class:`HttpsTransport` is the real one; :class:`talentos_core.testing.RecordingTransport`
records requests and answers from a script.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

import attrs

from talentos_core.version import VERSION
from talentos_core.webhooks.targets import Target

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

#: The attempt did not finish within its timeout.
TIMEOUT = "timeout"
#: No TCP connection, or it broke before a whole answer arrived.
CONNECTION_ERROR = "connection_error"
#: The TLS handshake failed: untrusted certificate, wrong host name, no common protocol.
TLS_ERROR = "tls_error"
#: The receiver answered something that is not HTTP/1.x.
PROTOCOL_ERROR = "protocol_error"
#: How much of a response body is kept (and read off the socket), by default.
MAX_RESPONSE_BODY = 4096
#: ``User-Agent`` of every attempt.
USER_AGENT = f"TalentOS-Webhooks/{VERSION}"


@attrs.frozen
class WebhookRequest:
    """One attempt to send: POST ``body`` to ``url``, connecting to ``address`` only.

    ``address`` is the IP that :func:`~talentos_core.webhooks.targets.pick_address` checked; the
    transport never looks the host up again. ``timeout`` bounds the whole attempt, in seconds.
    """

    url: Target
    address: str
    body: bytes
    headers: Mapping[str, str] = attrs.field(factory=dict)
    timeout: float = 10.0


@attrs.frozen
class WebhookResponse:
    """What one attempt came to. ``body`` holds at most the transport's ``max_body`` bytes."""

    status: int | None
    body: bytes = b""
    latency_ms: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the attempt succeeded: a 2xx answer within the timeout."""
        return self.error is None and self.status is not None and 200 <= self.status < 300


class WebhookTransport(Protocol):
    """Sends one webhook attempt. Must not raise for network or receiver failures."""

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """POST the request and report how it went."""
        ...


class _DeadlineSocket(ssl.SSLSocket):
    """A TLS socket whose every read and write waits only until the attempt's deadline.

    A socket timeout alone restarts for each ``recv``: a receiver dripping one byte a second
    could hold an attempt for minutes. Re-arming the timeout with the time left before each
    call bounds the attempt as a whole.
    """

    deadline: float = math.inf

    def _arm(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the attempt ran out of time")
        self.settimeout(min(left, 3600.0))

    def recv_into(self, buffer: WriteableBuffer, nbytes: int | None = None, flags: int = 0) -> int:
        self._arm()
        return super().recv_into(buffer, nbytes, flags)

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        self._arm()
        return super().recv(buflen, flags)

    def send(self, data: ReadableBuffer, flags: int = 0) -> int:
        self._arm()
        return super().send(data, flags)


class _PinnedConnection(http.client.HTTPConnection):
    """HTTPS to ``host`` (SNI and certificate name) over a TCP connection to ``address``.

    Overriding ``connect`` matters beyond the first request: http.client reconnects on its
    own after a ``Connection: close`` answer, and its HTTPSConnection would look ``host`` up
    again at that point.
    """

    default_port = 443

    def __init__(self, host: str, port: int, address: str, context: ssl.SSLContext) -> None:
        super().__init__(host, port)
        self.address = address
        self.context = context
        self.deadline = math.inf
        self.idle_since = 0.0
        self.tls: _DeadlineSocket | None = None

    def connect(self) -> None:
        # AI_NUMERICHOST: the address is an IP literal, and must never become a DNS query.
        family, kind, proto, _, sockaddr = socket.getaddrinfo(
            self.address, self.port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
        )[0]
        raw = socket.socket(family, kind, proto)
        try:
            raw.settimeout(_time_left(self.deadline))
            raw.connect(sockaddr)
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            raw.settimeout(_time_left(self.deadline))
            tls = self.context.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise
        assert isinstance(tls, _DeadlineSocket)  # the context's sslsocket_class, set below
        tls.deadline = self.deadline
        self.tls = tls
        self.sock = tls

    def arm(self, deadline: float) -> None:
        """Bound everything this connection does next by ``deadline`` (monotonic seconds)."""
        self.deadline = deadline
        if self.tls is not None:
            self.tls.deadline = deadline

    def reusable(self) -> bool:
        """Whether the connection is still open and ready for another request."""
        return self.sock is not None


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the attempt ran out of time")
    return min(left, 3600.0)


# Failures that, on a connection taken from the pool, most likely mean the receiver closed it
# while it sat idle: the request is sent again once on a fresh connection.
_STALE = (ConnectionError, ssl.SSLEOFError, ssl.SSLZeroReturnError)


class HttpsTransport:
    """POSTs webhooks over HTTPS with certificate checks, keeping connections alive.

    Certificates are verified against the system store, plus ``ca_file`` when given (a PEM
    bundle, e.g. a company CA), for the URL's host name. Responses are read up to ``max_body``
    bytes and no further. Idle connections are kept per (host, address, port), at most
    ``max_idle`` each and for ``idle_timeout`` seconds, and shared between threads; ``close()``
    (or leaving a ``with`` block) closes them. A kept connection that turns out to have been
    closed by the receiver is replaced and the request sent once more on a fresh one; should
    the receiver have acted on the first copy anyway, that is a duplicate, which at-least-once
    delivery allows.
    """

    def __init__(
        self,
        ca_file: str | None = None,
        max_body: int = MAX_RESPONSE_BODY,
        *,
        max_idle: int = 8,
        idle_timeout: float = 30.0,
    ) -> None:
        context = ssl.create_default_context()  # CERT_REQUIRED, check_hostname, system store
        if ca_file is not None:
            context.load_verify_locations(ca_file)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.sslsocket_class = _DeadlineSocket
        self._context = context
        self._max_body = max_body
        self._max_idle = max_idle
        self._idle_timeout = idle_timeout
        self._idle: dict[tuple[str, str, int], list[_PinnedConnection]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """POST ``request.body`` to the checked address; see the module docstring for results."""
        started = time.monotonic()
        deadline = started + request.timeout
        key = (request.url.host, request.address, request.url.port)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **request.headers,
        }
        connection, reused = self._checkout(key)
        try:
            try:
                status, body = self._exchange(connection, request, headers, deadline)
            except _STALE:
                if not reused:
                    raise
                connection.close()
                connection = self._connection(key)
                status, body = self._exchange(connection, request, headers, deadline)
        except TimeoutError:
            return self._failed(connection, started, TIMEOUT)
        except ssl.SSLCertVerificationError:
            return self._failed(connection, started, TLS_ERROR)
        except (ConnectionError, ssl.SSLEOFError, ssl.SSLZeroReturnError):
            return self._failed(connection, started, CONNECTION_ERROR)
        except ssl.SSLError:
            return self._failed(connection, started, TLS_ERROR)
        except http.client.HTTPException:
            return self._failed(connection, started, PROTOCOL_ERROR)
        except OSError:
            return self._failed(connection, started, CONNECTION_ERROR)
        except BaseException:
            connection.close()
            raise
        return WebhookResponse(status, body, _elapsed_ms(started), None)

    def _exchange(
        self,
        connection: _PinnedConnection,
        request: WebhookRequest,
        headers: dict[str, str],
        deadline: float,
    ) -> tuple[int, bytes]:
        connection.arm(deadline)
        connection.request("POST", request.url.path_and_query, body=request.body, headers=headers)
        response = connection.getresponse()
        try:
            # read(n) stops at n bytes: the rest of a large answer is never taken off the wire.
            body = response.read(self._max_body)
            complete = response.isclosed()
        finally:
            response.close()
        if complete and connection.reusable():
            self._checkin(connection)
        else:
            connection.close()
        return response.status, body

    def _failed(self, connection: _PinnedConnection, started: float, error: str) -> WebhookResponse:
        connection.close()
        return WebhookResponse(None, b"", _elapsed_ms(started), error)

    def _checkout(self, key: tuple[str, str, int]) -> tuple[_PinnedConnection, bool]:
        """An idle connection for ``key`` if one is fresh enough, else a new (unopened) one."""
        stale: list[_PinnedConnection] = []
        found = None
        with self._lock:
            idle = self._idle.get(key, [])
            while idle:
                candidate = idle.pop()
                if time.monotonic() - candidate.idle_since < self._idle_timeout:
                    found = candidate
                    break
                stale.append(candidate)
        for connection in stale:
            connection.close()
        if found is not None:
            return found, True
        return self._connection(key), False

    def _connection(self, key: tuple[str, str, int]) -> _PinnedConnection:
        host, address, port = key
        return _PinnedConnection(host, port, address, self._context)

    def _checkin(self, connection: _PinnedConnection) -> None:
        key = (connection.host, connection.address, connection.port)
        connection.idle_since = time.monotonic()
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if not self._closed and len(idle) < self._max_idle:
                idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        """Close every idle connection; connections in use close when their attempt ends."""
        with self._lock:
            self._closed = True
            connections = [c for idle in self._idle.values() for c in idle]
            self._idle.clear()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.close()

    def __enter__(self) -> HttpsTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _elapsed_ms(started: float) -> float:
    return (time.monotonic() - started) * 1000.0
