"""Signing webhook deliveries, and verifying them on the receiving side (CONTRACT §8).

The header is ``t=<unix seconds>,v1=<hex>[,v1=<hex>…]`` where each ``hex`` is

    HMAC-SHA256(key = the whole secret string in UTF-8, message = f"{t}." + body)

in lowercase, with one ``v1`` per active secret while a secret is being rotated. The key is the
secret *as written*, ``whsec_`` prefix included: that is what Stripe's verifiers do, so they
accept our signatures. (Standard Webhooks libraries base64-decode the part after ``whsec_``
first, so they do not.)

Everything here is a pure function of its arguments: the time and the randomness come in as
parameters, so the delivery worker and the tests decide them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable, Sequence
from secrets import token_bytes as _system_token_bytes

#: The header a delivery's signature travels in.
SIGNATURE_HEADER = "X-TalentOS-Signature"
#: Every webhook secret starts with this; the rest is 64 lowercase hex digits.
SECRET_PREFIX = "whsec_"
#: How far ``t`` may be from the receiver's clock, in either direction, by default.
DEFAULT_TOLERANCE = 300

_SECRET_BYTES = 32
# Twelve digits reach the year 33658; anything longer is hostile, and bounding the length
# keeps int() away from Python's slow (and, past 4300 digits, refused) long conversions.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_HEX_SIGNATURE = re.compile(r"[0-9a-f]{64}")


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The lowercase hex HMAC-SHA256 of ``f"{timestamp}." + body`` keyed by ``secret``.

    Raises ``ValueError`` for a negative timestamp (no receiver could parse its header).
    """
    if isinstance(timestamp, bool) or timestamp < 0:
        raise ValueError("the timestamp must be a non-negative whole number of seconds")
    message = f"{int(timestamp)}.".encode() + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(body: bytes, secrets: Sequence[str], timestamp: int) -> str:
    """The ``X-TalentOS-Signature`` value for ``body`` sent at ``timestamp`` (Unix seconds).

    One ``v1=`` per secret, in the order given, so a receiver holding either the old or the
    new secret accepts the delivery during a rotation. Raises ``ValueError`` when ``secrets`` is
    empty or the timestamp is negative.
    """
    if isinstance(secrets, str):
        # A lone string is a Sequence[str] too; signing with each of its characters is never
        # what the caller meant.
        raise ValueError("pass a sequence of secrets, not a single string")
    if not secrets:
        raise ValueError("at least one secret is needed to sign")
    parts = [f"t={int(timestamp)}"]
    parts += [f"v1={sign(body, secret, timestamp)}" for secret in secrets]
    return ",".join(parts)


def verify_signature(
    body: bytes,
    header: str,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` at a time within ``tolerance`` of ``now``.

    ``body`` must be the raw request body, byte for byte (not re-encoded JSON). ``now`` defaults
    to ``time.time()``. Any ``v1=`` value may match (a sender mid-rotation sends several);
    unknown schemes are ignored. A ``t`` more than ``tolerance`` seconds before *or after*
    ``now`` is refused, so a captured delivery cannot be replayed later. The comparison takes
    the same time whichever byte differs (``hmac.compare_digest``).

    Never raises: a malformed header, an empty secret, or a body or secret of the wrong type is
    simply ``False``.
    """
    try:
        parsed = _parse(header)
        if parsed is None or not secret:
            return False
        timestamp, candidates = parsed
        current = time.time() if now is None else float(now)
        # Written as "not within" so that a NaN ``now`` or ``tolerance`` refuses too.
        if not abs(current - timestamp) <= tolerance:
            return False
        expected = sign(body, secret, timestamp).encode("ascii")
    except (AttributeError, TypeError, ValueError, OverflowError, UnicodeError):
        return False
    matched = False
    for candidate in candidates:
        # No early exit: the time taken does not say which of the values matched.
        matched |= hmac.compare_digest(expected, candidate)
    return matched


def _parse(header: str) -> tuple[int, list[bytes]] | None:
    """``(t, [v1 values])`` from a header, or ``None`` when it is not one of ours.

    Exactly one ``t`` of 1-12 ASCII digits and at least one ``v1`` are required. ``v1`` values
    that are not 64 lowercase hex digits can never match and are dropped here, which also keeps
    non-ASCII text away from ``compare_digest`` (it raises on that).
    """
    if not isinstance(header, str):
        return None
    timestamps: list[str] = []
    candidates: list[bytes] = []
    for item in header.strip().split(","):
        key, separator, value = item.partition("=")
        if not separator:
            return None
        if key == "t":
            timestamps.append(value)
        elif key == "v1" and _HEX_SIGNATURE.fullmatch(value):
            candidates.append(value.encode("ascii"))
    if len(timestamps) != 1 or not _TIMESTAMP.fullmatch(timestamps[0]) or not candidates:
        return None
    return int(timestamps[0]), candidates


def new_secret(token_bytes: Callable[[int], bytes] = _system_token_bytes) -> str:
    """A fresh webhook secret: ``whsec_`` and 64 lowercase hex digits (256 random bits).

    ``token_bytes`` is the source of randomness (``secrets.token_bytes`` unless a test passes
    its own); ``ValueError`` if it returns the wrong number of bytes.
    """
    raw = token_bytes(_SECRET_BYTES)
    if len(raw) != _SECRET_BYTES:
        raise ValueError(f"token_bytes returned {len(raw)} bytes, not {_SECRET_BYTES}")
    return SECRET_PREFIX + raw.hex()
