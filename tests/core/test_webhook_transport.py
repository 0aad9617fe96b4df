"""The HTTPS webhook transport against a real TLS receiver on 127.0.0.1 (SECURITY-TESTS 2, 7, 9
and 11): exact bytes, certificate and host-name checks, no redirects, timeouts, bounded
response bodies, connection errors, keep-alive; and the recording fake."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import stripe
import trustme
from https_receiver import Receiver, Reply, free_port, https_receiver

from talentos_core.testing import FakeResolver, FrozenClock, RecordingTransport
from talentos_core.testing import Reply as Scripted
from talentos_core.version import VERSION
from talentos_core.webhooks import (
    CONNECTION_ERROR,
    TIMEOUT,
    TLS_ERROR,
    HttpsTransport,
    WebhookRequest,
    WebhookResponse,
    check_url,
    pick_address,
    signature_header,
)

SECRET = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
BODY = b'{"id":"evt_test","type":"candidate.created"}'


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def receiver(ca: trustme.CA, ca_file: str) -> Iterator[Receiver]:
    with https_receiver(ca, ca_file) as running:
        yield running


@pytest.fixture
def transport(ca_file: str) -> Iterator[HttpsTransport]:
    with HttpsTransport(ca_file=ca_file) as made:
        yield made


def request_to(
    url: str,
    body: bytes = BODY,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
    address: str = "127.0.0.1",
) -> WebhookRequest:
    return WebhookRequest(check_url(url), address, body, headers or {}, timeout)


class TestDelivery:
    def test_2xx_arrives_with_exact_body_and_headers(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """The receiver gets a POST with the body byte for byte, our headers, JSON and our UA."""
        signature = signature_header(BODY, [SECRET], int(time.time()))
        headers = {
            "X-TalentOS-Signature": signature,
            "X-TalentOS-Event": "candidate.created",
            "X-TalentOS-Delivery": "dlv_1",
        }
        response = transport.send(request_to(receiver.url("/hook?x=1"), headers=headers))
        assert (
            response.status,
            response.body,
            response.error,
            response.ok,
        ) == (200, b"ok", None, True)
        assert response.latency_ms > 0
        [got] = receiver.received
        assert (got.method, got.path, got.body) == ("POST", "/hook?x=1", BODY)
        assert {
            **headers,
            "Content-Type": "application/json",
            "User-Agent": f"TalentOS-Webhooks/{VERSION}",
            "Host": f"localhost:{receiver.port}",
            "Content-Length": str(len(BODY)),
        }.items() <= got.headers.items()

    def test_sni_is_the_url_host(self, receiver: Receiver, transport: HttpsTransport) -> None:
        """The TLS handshake names the URL's host, not the address."""
        transport.send(request_to(receiver.url()))
        assert receiver.sni == ["localhost"]

    @pytest.mark.parametrize("status", [201, 204, 299])
    def test_any_2xx_is_ok(
        self, receiver: Receiver, transport: HttpsTransport, status: int
    ) -> None:
        """Every 2xx counts as success."""
        receiver.reply("/hook", Reply(status=status, body=b""))
        assert transport.send(request_to(receiver.url())).ok

    @pytest.mark.parametrize("status", [400, 404, 410, 500, 503])
    def test_other_statuses_are_reported_not_ok(
        self, receiver: Receiver, transport: HttpsTransport, status: int
    ) -> None:
        """4xx and 5xx come back as the status, with no error, and are not success."""
        receiver.reply("/hook", Reply(status=status, body=b"nope"))
        response = transport.send(request_to(receiver.url()))
        assert (status, b"nope", None, False) == (
            response.status,
            response.body,
            response.error,
            response.ok,
        )

    def test_connects_to_the_checked_address_without_a_lookup(
        self, ca: trustme.CA, ca_file: str, transport: HttpsTransport
    ) -> None:
        """A host name that exists in no DNS still reaches the receiver: the transport uses
        the given address, and the name only for SNI and the certificate."""
        with https_receiver(ca, ca_file, names=("hooks.test",)) as running:
            resolver = FakeResolver({"hooks.test": "127.0.0.1"})
            target = check_url(running.url(host="hooks.test"))
            address = pick_address(target, resolver, allow_private=True)
            response = transport.send(WebhookRequest(target, address, BODY, {}, 5.0))
            assert (response.status, running.sni) == (200, ["hooks.test"])
            transport.close()

    def test_a_delivery_passes_stripes_verifier(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """What the receiver captured verifies with Stripe's library; re-signed with the
        hex-decoded key, it does not (SECURITY-TESTS 2)."""
        now = int(time.time())
        header = signature_header(BODY, [SECRET], now)
        transport.send(request_to(receiver.url(), headers={"X-TalentOS-Signature": header}))
        [got] = receiver.received
        event = stripe.Webhook.construct_event(
            got.body, got.headers["X-TalentOS-Signature"], SECRET
        )
        assert event.id == "evt_test"
        decoded_key = bytes.fromhex(SECRET.removeprefix("whsec_"))
        forged = hmac.new(decoded_key, f"{now}.".encode() + got.body, hashlib.sha256).hexdigest()
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.WebhookSignature.verify_header(got.body, f"t={now},v1={forged}", SECRET, 300)


class TestTls:
    def test_certificate_for_another_name_is_a_tls_error(
        self, ca: trustme.CA, ca_file: str, transport: HttpsTransport
    ) -> None:
        """A certificate that does not name the URL's host fails the attempt, sending nothing."""
        with https_receiver(ca, ca_file, names=("other.example",)) as running:
            response = transport.send(request_to(running.url()))
            assert (response.status, response.error, running.received) == (None, TLS_ERROR, [])

    def test_untrusted_ca_is_a_tls_error_unless_configured(self, receiver: Receiver) -> None:
        """Without ca_file the test CA is unknown and the attempt fails; with it, it passes."""
        with HttpsTransport() as system_store_only:
            assert system_store_only.send(request_to(receiver.url())).error == TLS_ERROR
        with HttpsTransport(ca_file=receiver.ca_file) as configured:
            assert configured.send(request_to(receiver.url())).status == 200
        assert len(receiver.received) == 1

    def test_plain_http_server_is_a_tls_error(self, transport: HttpsTransport) -> None:
        """Something on the port that does not speak TLS is a TLS failure, not a crash."""
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            port = listener.getsockname()[1]

            def answer_in_plain_text() -> None:
                connection, _ = listener.accept()
                with connection:
                    connection.recv(1024)
                    connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

            thread = threading.Thread(target=answer_in_plain_text)
            thread.start()
            response = transport.send(request_to(f"https://localhost:{port}/"))
            thread.join()
        assert (response.status, response.error) == (None, TLS_ERROR)


class TestLimits:
    def test_redirect_is_a_status_and_never_followed(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """A 302 is returned as 302 (a failure) and its Location is never requested."""
        receiver.reply("/moved", Reply(status=302, body=b"", headers={"Location": "/elsewhere"}))
        response = transport.send(request_to(receiver.url("/moved")))
        assert (response.status, response.ok) == (302, False)
        assert [got.path for got in receiver.received] == ["/moved"]

    def test_slow_receiver_is_a_timeout(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """No answer within the timeout: error timeout, no status, latency about the timeout."""
        receiver.reply("/slow", Reply(delay=10))
        response = transport.send(request_to(receiver.url("/slow"), timeout=0.3))
        assert (response.status, response.error, response.body) == (None, TIMEOUT, b"")
        assert 250 <= response.latency_ms < 3000

    def test_timeout_bounds_the_whole_attempt(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """A receiver dripping its body a byte at a time cannot stretch the attempt: each read
        waits only for what is left of the timeout."""
        receiver.reply("/drip", Reply(body=b"x" * 100, drip=0.05))
        started = time.monotonic()
        response = transport.send(request_to(receiver.url("/drip"), timeout=0.5))
        assert (response.status, response.error) == (None, TIMEOUT)
        assert time.monotonic() - started < 2.0

    def test_only_max_body_bytes_are_kept(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """Of a 1 MiB answer, the first 4096 bytes are kept."""
        huge = bytes(range(256)) * 4096
        receiver.reply("/huge", Reply(body=huge))
        response = transport.send(request_to(receiver.url("/huge")))
        assert (200, huge[:4096]) == (response.status, response.body)

    def test_max_body_is_configurable(self, receiver: Receiver, ca_file: str) -> None:
        """max_body sets how much is kept."""
        receiver.reply("/hook", Reply(body=b"0123456789abcdef"))
        with HttpsTransport(ca_file=ca_file, max_body=10) as small:
            assert small.send(request_to(receiver.url())).body == b"0123456789"

    def test_connection_refused_is_a_connection_error(self, transport: HttpsTransport) -> None:
        """Nothing listening: error connection_error, no status."""
        response = transport.send(request_to(f"https://localhost:{free_port()}/"))
        assert (response.status, response.error, response.ok) == (None, CONNECTION_ERROR, False)


class TestConnections:
    def test_keep_alive_reuses_one_connection(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """Consecutive deliveries to the same host and address share a connection."""
        for _ in range(3):
            assert transport.send(request_to(receiver.url())).ok
        assert (
            receiver.connection_count,
            [got.connection for got in receiver.received],
        ) == (1, [1, 1, 1])

    def test_a_connection_the_receiver_dropped_is_replaced(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """When the receiver closed the kept connection, the next delivery opens a new one
        and is received exactly once."""
        receiver.reply("/bye", Reply(hang_up=True))
        assert transport.send(request_to(receiver.url("/bye"))).ok
        assert transport.send(request_to(receiver.url("/bye"))).ok
        assert (
            receiver.connection_count,
            [got.connection for got in receiver.received],
        ) == (2, [1, 2])

    def test_after_a_large_answer_the_connection_is_not_reused(
        self, receiver: Receiver, transport: HttpsTransport
    ) -> None:
        """An answer not read to its end leaves its connection closed, not half-read in the pool."""
        receiver.reply("/huge", Reply(body=b"x" * 100_000))
        assert transport.send(request_to(receiver.url("/huge"))).ok
        assert transport.send(request_to(receiver.url())).ok
        assert receiver.connection_count == 2

    def test_concurrent_deliveries(self, receiver: Receiver, transport: HttpsTransport) -> None:
        """Eight threads sending 200 deliveries all succeed, on at most eight connections."""
        bodies = [json.dumps({"n": n}).encode() for n in range(200)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            responses = list(
                pool.map(lambda b: transport.send(request_to(receiver.url(), b)), bodies)
            )
        assert all(response.ok for response in responses)
        assert sorted(bodies) == sorted(got.body for got in receiver.received)
        assert receiver.connection_count <= 8

    def test_close_is_idempotent_and_sending_after_it_still_works(
        self, receiver: Receiver, ca_file: str
    ) -> None:
        """close() may be called twice; a later send opens (and closes) its own connection."""
        made = HttpsTransport(ca_file=ca_file)
        assert made.send(request_to(receiver.url())).ok
        made.close()
        made.close()
        assert made.send(request_to(receiver.url())).ok
        assert receiver.connection_count == 2


class TestRecordingTransport:
    def test_records_and_answers_from_the_script(self) -> None:
        """Statuses, error names, Replies and responses are answered in order, then 200."""
        ready = WebhookResponse(201, b"made", 3.0, None)
        fake = RecordingTransport([500, "timeout", Scripted(status=410, body=b"gone"), ready])
        request = request_to("https://hooks.example.com/")
        answers = [fake.send(request) for _ in range(5)]
        assert [(answer.status, answer.error) for answer in answers] == [
            (500, None),
            (None, "timeout"),
            (410, None),
            (201, None),
            (200, None),
        ]
        assert (b"gone", ready) == (answers[2].body, answers[3])
        assert [request] * 5 == fake.requests

    def test_raises_scripted_exceptions(self) -> None:
        """An exception in the script is raised, after the request is recorded."""
        fake = RecordingTransport([RuntimeError("transport bug")])
        with pytest.raises(RuntimeError, match="transport bug"):
            fake.send(request_to("https://hooks.example.com/"))
        assert len(fake.requests) == 1

    def test_delays_go_through_the_injected_sleep(self) -> None:
        """A Reply's delay is spent with ``sleep``: a FrozenClock can stand in for real time."""
        clock = FrozenClock()
        before = clock.now()
        fake = RecordingTransport(
            [Scripted(delay=12.5, error="timeout")], sleep=lambda s: clock.advance(seconds=s)
        )
        answer = fake.send(request_to("https://hooks.example.com/"))
        assert (answer.status, answer.error, answer.latency_ms) == (None, "timeout", 12500.0)
        assert (clock.now() - before).total_seconds() == 12.5

    def test_respond_decides_per_request(self) -> None:
        """With ``respond``, each answer is computed from the request."""
        fake = RecordingTransport(respond=lambda r: 200 if r.url.host == "up.example" else 503)
        assert fake.send(request_to("https://up.example/")).status == 200
        assert fake.send(request_to("https://down.example/")).status == 503

    def test_push_extends_the_script(self) -> None:
        """Answers can be added while a test runs."""
        fake = RecordingTransport(default=204)
        fake.push(500)
        assert [fake.send(request_to("https://h.example/")).status for _ in "ab"] == [500, 204]
