"""Webhook signatures (CONTRACT §8, SECURITY-TESTS 1-3 and 8): the golden vector, rotation,
tolerance in both directions, tampering, hostile headers, and Stripe's verifier."""

from __future__ import annotations

import hashlib
import hmac
import re
import time

import pytest
import stripe
from hypothesis import given
from hypothesis import strategies as st

import talentos_core.webhooks
from talentos_core.webhooks import signature_header, verify_signature
from talentos_core.webhooks.signing import new_secret, sign

GOLDEN_SECRET = "whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
GOLDEN_BODY = b'{"id":"evt_test","type":"candidate.created"}'
GOLDEN_HEADER = "t=1700000000,v1=f38d13515a9094fca134fe2fa7040f56faf7cc8d48e839be96d22b671f37edb1"
T = 1_700_000_000
OTHER_SECRET = "whsec_" + "f" * 64

secrets_ = st.text(min_size=1, max_size=80)
timestamps = st.integers(min_value=0, max_value=10**11)


def hex_decoded_header(body: bytes, secret: str, timestamp: int) -> str:
    """A header signed the Standard-Webhooks way: keyed by the bytes the hex after whsec_ spells."""
    key = bytes.fromhex(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class TestSigning:
    def test_golden_vector_byte_for_byte(self) -> None:
        """The SECURITY-TESTS vector reproduces exactly."""
        assert signature_header(GOLDEN_BODY, [GOLDEN_SECRET], T) == GOLDEN_HEADER

    def test_header_shape(self) -> None:
        """No spaces, lowercase hex, whole seconds, t first."""
        header = signature_header(b"{}", [GOLDEN_SECRET, OTHER_SECRET], T)
        assert re.fullmatch(r"t=[0-9]+(,v1=[0-9a-f]{64}){2}", header)

    def test_key_is_the_whole_secret_string(self) -> None:
        """The HMAC key is the secret as written, whsec_ prefix included."""
        expected = hmac.new(
            GOLDEN_SECRET.encode(), f"{T}.".encode() + GOLDEN_BODY, hashlib.sha256
        ).hexdigest()
        assert expected == sign(GOLDEN_BODY, GOLDEN_SECRET, T)

    def test_one_v1_per_secret_in_order(self) -> None:
        """During a rotation the header carries a v1 for each secret, in the order given."""
        header = signature_header(GOLDEN_BODY, [GOLDEN_SECRET, OTHER_SECRET], T)
        old, new = sign(GOLDEN_BODY, GOLDEN_SECRET, T), sign(GOLDEN_BODY, OTHER_SECRET, T)
        assert header == f"t={T},v1={old},v1={new}"

    @pytest.mark.parametrize("secrets", [[], "whsec_abc"], ids=["none", "a bare string"])
    def test_needs_a_sequence_of_secrets(self, secrets: list[str] | str) -> None:
        """No secrets, or one string where a list belongs, is a ValueError."""
        with pytest.raises(ValueError):
            signature_header(b"{}", secrets, T)

    def test_negative_timestamp_is_refused(self) -> None:
        """A time no receiver could parse is refused at signing."""
        with pytest.raises(ValueError):
            signature_header(b"{}", [GOLDEN_SECRET], -1)


class TestVerifying:
    def test_golden_vector_verifies(self) -> None:
        """The golden header verifies at its own time."""
        assert verify_signature(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET, now=T) is True

    @given(body=st.binary(max_size=2000), secret=secrets_, timestamp=timestamps)
    def test_round_trip(self, body: bytes, secret: str, timestamp: int) -> None:
        """Whatever the body, secret and time, what is signed verifies."""
        header = signature_header(body, [secret], timestamp)
        assert verify_signature(body, header, secret, now=timestamp) is True

    @given(
        body=st.binary(max_size=200),
        secret=secrets_,
        timestamp=timestamps,
        skew=st.integers(min_value=-300, max_value=300),
    )
    def test_any_time_within_tolerance_verifies(
        self, body: bytes, secret: str, timestamp: int, skew: int
    ) -> None:
        """A receiver up to 300 s ahead of or behind the sender accepts."""
        header = signature_header(body, [secret], timestamp)
        assert verify_signature(body, header, secret, now=timestamp + skew) is True

    @pytest.mark.parametrize(
        ("skew", "expected"),
        [(300, True), (-300, True), (300.5, False), (301, False), (-301, False), (-300.5, False)],
    )
    def test_tolerance_both_directions(self, skew: float, expected: bool) -> None:
        """300 s either way is accepted; a moment more, in the past or the future, is not."""
        assert expected is verify_signature(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET, now=T + skew)

    def test_custom_tolerance(self) -> None:
        """The tolerance is the receiver's to choose."""
        assert verify_signature(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET, 10, now=T + 10)
        assert not verify_signature(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET, 10, now=T + 11)

    def test_now_defaults_to_the_clock(self) -> None:
        """Without now, the current time is used: a fresh header verifies, the 2023 one not."""
        header = signature_header(GOLDEN_BODY, [GOLDEN_SECRET], int(time.time()))
        assert verify_signature(GOLDEN_BODY, header, GOLDEN_SECRET) is True
        assert verify_signature(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET) is False

    @pytest.mark.parametrize("secret", [GOLDEN_SECRET, OTHER_SECRET], ids=["old", "new"])
    def test_rotation_verifies_with_either_secret(self, secret: str) -> None:
        """A header signed with both secrets verifies with each of them."""
        header = signature_header(GOLDEN_BODY, [GOLDEN_SECRET, OTHER_SECRET], T)
        assert verify_signature(GOLDEN_BODY, header, secret, now=T) is True

    def test_after_rotation_only_the_new_secret_verifies(self) -> None:
        """Once the old secret is gone from the header, it no longer verifies."""
        header = signature_header(GOLDEN_BODY, [OTHER_SECRET], T)
        assert verify_signature(GOLDEN_BODY, header, OTHER_SECRET, now=T) is True
        assert verify_signature(GOLDEN_BODY, header, GOLDEN_SECRET, now=T) is False

    def test_unknown_schemes_are_ignored(self) -> None:
        """A v0 (or any other scheme) beside the v1 does not stop verification."""
        header = GOLDEN_HEADER.replace(",v1=", ",v0=abc,v1=")
        assert verify_signature(GOLDEN_BODY, header, GOLDEN_SECRET, now=T) is True

    @pytest.mark.parametrize(
        "body",
        [
            b'{"id":"evt_test","type":"candidate.deleted"}',
            GOLDEN_BODY + b" ",
            GOLDEN_BODY[:-1],
            b'{"type":"candidate.created","id":"evt_test"}',
            b"",
        ],
        ids=["changed", "trailing space", "truncated", "reordered keys", "empty"],
    )
    def test_tampered_body_is_refused(self, body: bytes) -> None:
        """Any change to the body bytes, even one a JSON parser would not see, is refused."""
        assert verify_signature(body, GOLDEN_HEADER, GOLDEN_SECRET, now=T) is False

    @pytest.mark.parametrize(
        "header",
        [
            GOLDEN_HEADER.replace("t=1700000000", "t=1700000001"),
            GOLDEN_HEADER[:-1] + "0",
            GOLDEN_HEADER.upper().replace("T=", "t=").replace("V1=", "v1="),
            GOLDEN_HEADER.replace("v1=", "v2="),
            GOLDEN_HEADER.replace(",", ", "),
            GOLDEN_HEADER + ",t=1700000000",
            GOLDEN_HEADER.split(",")[1],
            GOLDEN_HEADER.split(",")[0],
            GOLDEN_HEADER + ",",
            "t=+1700000000," + GOLDEN_HEADER.split(",")[1],
            "t=1700000000.0," + GOLDEN_HEADER.split(",")[1],
            "t=\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660,"
            + GOLDEN_HEADER.split(",")[1],
            "",
            "garbage",
        ],
        ids=[
            "time moved",
            "hex changed",
            "uppercase hex",
            "other scheme",
            "spaces",
            "two t",
            "no t",
            "no v1",
            "trailing comma",
            "signed t",
            "fractional t",
            "arabic-indic digits",
            "empty",
            "garbage",
        ],
    )
    def test_tampered_or_malformed_header_is_refused(self, header: str) -> None:
        """A header changed anywhere, or not in the exact format, is refused."""
        assert verify_signature(GOLDEN_BODY, header, GOLDEN_SECRET, now=T) is False

    def test_wrong_or_empty_secret_is_refused(self) -> None:
        """Another secret, or none, does not verify."""
        assert verify_signature(GOLDEN_BODY, GOLDEN_HEADER, OTHER_SECRET, now=T) is False
        assert verify_signature(GOLDEN_BODY, GOLDEN_HEADER, "", now=T) is False

    def test_hex_decoded_key_does_not_verify(self) -> None:
        """A signature keyed by the hex-decoded secret (Standard Webhooks' reading) is refused."""
        header = hex_decoded_header(GOLDEN_BODY, GOLDEN_SECRET, T)
        assert header != GOLDEN_HEADER
        assert verify_signature(GOLDEN_BODY, header, GOLDEN_SECRET, now=T) is False

    def test_non_finite_now_or_tolerance_is_refused(self) -> None:
        """NaN or infinite clocks and tolerances never turn into "any time is fine"."""
        nan, inf = float("nan"), float("inf")
        assert not verify_signature(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET, now=nan)
        assert not verify_signature(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET, now=inf)
        assert not verify_signature(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET, nan, now=T + 999)  # type: ignore[arg-type]  # a hostile float where an int belongs

    def test_uses_constant_time_comparison(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Every v1 value is compared with hmac.compare_digest, with no early exit."""
        compared: list[bytes] = []
        real = hmac.compare_digest

        def spy(a: bytes, b: bytes) -> bool:
            compared.append(b)
            return real(a, b)

        monkeypatch.setattr(hmac, "compare_digest", spy)
        header = signature_header(GOLDEN_BODY, [GOLDEN_SECRET, OTHER_SECRET], T)
        assert verify_signature(GOLDEN_BODY, header, GOLDEN_SECRET, now=T) is True
        assert len(compared) == 2

    @given(
        body=st.binary(max_size=300),
        header=st.one_of(st.text(max_size=300), st.binary(max_size=300)),
        secret=st.text(max_size=80),
        tolerance=st.integers(),
        now=st.one_of(st.none(), st.floats(), st.integers(min_value=-(10**20), max_value=10**20)),
    )
    def test_hostile_input_never_raises(
        self, body: bytes, header: str, secret: str, tolerance: int, now: float | None
    ) -> None:
        """Arbitrary bodies, headers (text or bytes), secrets, tolerances and clocks give a bool."""
        assert verify_signature(body, header, secret, tolerance, now) in (True, False)

    @given(
        items=st.lists(
            st.tuples(
                st.sampled_from(["t", "v1", "v0", "", "T", "v1 "]),
                st.one_of(
                    st.just(str(T)),
                    st.just(GOLDEN_HEADER.split("v1=")[1]),
                    st.text(st.characters(exclude_characters=","), max_size=70),
                    st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
                ),
            ),
            max_size=6,
        ),
    )
    def test_header_shaped_input_never_raises(self, items: list[tuple[str, str]]) -> None:
        """Headers assembled from plausible pieces never raise, and verify only when genuine."""
        header = ",".join(f"{key}={value}" for key, value in items)
        verified = verify_signature(GOLDEN_BODY, header, GOLDEN_SECRET, now=T)
        genuine = ("v1", GOLDEN_HEADER.split("v1=")[1]) in items
        single_t = [key for key, _ in items].count("t") == 1 and ("t", str(T)) in items
        assert verified is (genuine and single_t)


class TestStripeVerifier:
    """Stripe's own verifier accepts our headers (SECURITY-TESTS 2): same scheme, same key."""

    def test_verify_header_accepts_ours(self) -> None:
        """stripe.WebhookSignature.verify_header accepts a fresh header of ours."""
        header = signature_header(GOLDEN_BODY, [GOLDEN_SECRET], int(time.time()))
        assert stripe.WebhookSignature.verify_header(GOLDEN_BODY, header, GOLDEN_SECRET, 300)

    def test_construct_event_accepts_ours_during_rotation(self) -> None:
        """stripe.Webhook.construct_event verifies a two-secret header with the new secret."""
        header = signature_header(GOLDEN_BODY, [GOLDEN_SECRET, OTHER_SECRET], int(time.time()))
        event = stripe.Webhook.construct_event(GOLDEN_BODY, header, OTHER_SECRET)
        assert (event.id, event.type) == ("evt_test", "candidate.created")

    def test_stripe_refuses_a_tampered_body(self) -> None:
        """One changed byte and Stripe refuses it too."""
        header = signature_header(GOLDEN_BODY, [GOLDEN_SECRET], int(time.time()))
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.WebhookSignature.verify_header(
                GOLDEN_BODY.replace(b"created", b"deleted"), header, GOLDEN_SECRET, 300
            )

    def test_stripe_refuses_the_hex_decoded_key(self) -> None:
        """Signed with the hex-decoded key, the delivery fails Stripe's check as it fails ours."""
        header = hex_decoded_header(GOLDEN_BODY, GOLDEN_SECRET, int(time.time()))
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.WebhookSignature.verify_header(GOLDEN_BODY, header, GOLDEN_SECRET, 300)

    def test_stripe_refuses_an_old_timestamp(self) -> None:
        """Stripe applies the same 300 s tolerance to the past."""
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.WebhookSignature.verify_header(GOLDEN_BODY, GOLDEN_HEADER, GOLDEN_SECRET, 300)


class TestNewSecret:
    def test_shape(self) -> None:
        """whsec_ and 64 lowercase hex digits."""
        assert re.fullmatch(r"whsec_[0-9a-f]{64}", new_secret())

    def test_randomness_is_injected(self) -> None:
        """The bytes come from the given source: 32 of them, hex-encoded."""
        asked: list[int] = []

        def token_bytes(n: int) -> bytes:
            asked.append(n)
            return bytes(range(n))

        assert new_secret(token_bytes) == "whsec_" + bytes(range(32)).hex()
        assert asked == [32]

    def test_short_randomness_is_refused(self) -> None:
        """A source that returns too few bytes is an error, not a weak secret."""
        with pytest.raises(ValueError):
            new_secret(lambda n: b"\x00" * (n - 1))

    def test_secrets_differ(self) -> None:
        """Two secrets from the system source are different."""
        assert new_secret() != new_secret()


class TestPublicNames:
    def test_webhooks_exports_are_pinned(self) -> None:
        """``talentos_core.webhooks.__all__`` changes only on purpose, and every name exists."""
        assert sorted(talentos_core.webhooks.__all__) == sorted(
            [
                "CONNECTION_ERROR",
                "DEFAULT_TOLERANCE",
                "PROTOCOL_ERROR",
                "SECRET_PREFIX",
                "SIGNATURE_HEADER",
                "TIMEOUT",
                "TLS_ERROR",
                "HttpsTransport",
                "ResolveError",
                "Resolver",
                "SystemResolver",
                "Target",
                "TargetRefused",
                "WebhookRequest",
                "WebhookResponse",
                "WebhookTransport",
                "check_registration",
                "check_url",
                "new_secret",
                "pick_address",
                "sign",
                "signature_header",
                "verify_signature",
                "why_not_public",
            ]
        )
        assert all(hasattr(talentos_core.webhooks, name) for name in talentos_core.webhooks.__all__)
