"""Random tokens and how they are stored.

Session cookies and one-time tokens are high-entropy, so a plain SHA-256 is enough to keep
the database useless to a thief. API keys are long-lived and get a salted scrypt hash; a
per-process cache of verified keys keeps the KDF off the steady-state request path.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections import OrderedDict

API_KEY_PATTERN = re.compile(r"tk_[0-9a-f]{64}")
#: scrypt's CPU/memory cost for API keys (n); r, p and the length are fixed.
DEFAULT_KEY_COST = 2**14
_SCRYPT_R, _SCRYPT_P, _SCRYPT_DKLEN = 8, 1, 32


def new_token() -> str:
    """64 hex characters (32 random bytes): session cookies, invite and reset tokens."""
    return secrets.token_hex(32)


def sha256_hex(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_api_key() -> str:
    return "tk_" + secrets.token_hex(32)


def api_key_prefix(raw_token: str) -> str:
    """The display prefix, ``tk_`` plus the first 8 hex digits (not unique)."""
    return raw_token[:11]


def hash_api_key(raw_token: str, cost: int = DEFAULT_KEY_COST) -> str:
    """A salted scrypt hash that records its own parameters, so a cost change keeps old keys."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        raw_token.encode(), salt=salt, n=cost, r=_SCRYPT_R, p=_SCRYPT_P, dklen=_SCRYPT_DKLEN
    )
    return f"scrypt${cost}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_api_key(raw_token: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            raw_token.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


class VerifiedKeys:
    """Which raw tokens this process has already verified, and for which key id.

    Holds a SHA-256 of each token (never the token), bounded in size. A hit still loads the
    key row, so revocation is seen on the very next request.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, raw_token: str) -> str | None:
        fingerprint = sha256_hex(raw_token)
        with self._lock:
            key_id = self._entries.get(fingerprint)
            if key_id is not None:
                self._entries.move_to_end(fingerprint)
            return key_id

    def put(self, raw_token: str, key_id: str) -> None:
        with self._lock:
            self._entries[sha256_hex(raw_token)] = key_id
            self._entries.move_to_end(sha256_hex(raw_token))
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def forget(self, key_id: str) -> None:
        with self._lock:
            for fingerprint in [f for f, k in self._entries.items() if k == key_id]:
                del self._entries[fingerprint]
