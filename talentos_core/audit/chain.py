"""Hashing and verifying a tenant's audit chain.

``hash = HMAC-SHA256(key, prevHash + "\\n" + seq + "\\n" + canonical JSON of the event)``,
where the canonical JSON holds every field but ``seq``, ``prevHash`` and ``hash`` (sorted
keys, no spaces, UTF-8). The first event links to :data:`GENESIS_HASH`. The tenant's head
``(seq, hash)`` is stored with ``mac = HMAC-SHA256(key, "head\\n" + tenant + "\\n" + seq + "\\n"
+ hash)`` so that cutting events off the end is detected as well.

The key is not in the database: whoever can only write the file cannot forge a chain.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from talentos_core.clock import isoformat
from talentos_core.domain.audit import GENESIS_HASH, AuditEvent, ChainHead
from talentos_core.naming import camel

#: The shortest audit key accepted, from the environment or a key file.
MIN_KEY_BYTES = 16
_UNHASHED = frozenset({"seq", "prev_hash", "hash"})


def canonical_json(event: AuditEvent) -> bytes:
    """The bytes the hash covers: every field but the chain's own, with API names."""
    body: dict[str, Any] = {}
    for attribute in attrs.fields(AuditEvent):
        if attribute.name in _UNHASHED:
            continue
        value = getattr(event, attribute.name)
        body[camel(attribute.name)] = isoformat(value) if attribute.name == "ts" else value
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link_hash(key: bytes, prev_hash: str, seq: int, event: AuditEvent) -> str:
    message = prev_hash.encode() + b"\n" + str(seq).encode() + b"\n" + canonical_json(event)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def head_mac(key: bytes, tenant_id: str, seq: int, hash_: str) -> str:
    message = f"head\n{tenant_id}\n{seq}\n{hash_}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def seal(key: bytes, event: AuditEvent, previous: ChainHead | None) -> tuple[AuditEvent, ChainHead]:
    """Give ``event`` its place after ``previous``: seq, prevHash, hash, and the new head."""
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS_HASH
    linked = attrs.evolve(event, seq=seq, prev_hash=prev_hash, hash="")
    linked = attrs.evolve(linked, hash=link_hash(key, prev_hash, seq, linked))
    head = ChainHead(
        event.tenant_id, seq, linked.hash, head_mac(key, event.tenant_id, seq, linked.hash)
    )
    return linked, head


@attrs.frozen
class Verdict:
    """What verifying one tenant's chain found. ``broken_seq`` is the first bad event's seq."""

    tenant_id: str
    ok: bool
    events: int
    last_seq: int
    last_hash: str
    broken_seq: int | None = None
    broken_id: str | None = None
    reason: str | None = None


def verify(
    key: bytes,
    tenant_id: str,
    events: Iterable[AuditEvent],
    head: ChainHead | None,
    *,
    expect_seq: int | None = None,
    expect_hash: str | None = None,
) -> Verdict:
    """Check sequence, links and every hash, then the keyed head and an operator's saved head.

    ``events`` must come in stored ``seq`` order (a stream; nothing is held but the last link).
    """
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0

    def broken(event: AuditEvent | None, seq: int, reason: str) -> Verdict:
        return Verdict(
            tenant_id,
            False,
            count,
            expected_seq - 1,
            prev_hash,
            seq,
            event.id if event else None,
            reason,
        )

    for event in events:
        if event.seq != expected_seq:
            return broken(event, expected_seq, f"expected seq {expected_seq}, found {event.seq}")
        if event.prev_hash != prev_hash:
            return broken(event, event.seq, "prevHash does not match the previous event")
        if not hmac.compare_digest(link_hash(key, prev_hash, event.seq, event), event.hash):
            return broken(event, event.seq, "hash does not match the event")
        if event.seq == expect_seq and expect_hash is not None and event.hash != expect_hash:
            return broken(event, event.seq, "hash differs from the saved head")
        prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
    last_seq = expected_seq - 1
    # Every event up to last_seq is proven by its hash; a missing or forged head vouches for
    # nothing after it, so the first seq in doubt is the next one (as for a cut tail).
    if head is None:
        if last_seq:
            return broken(None, last_seq + 1, "the chain has events but no head")
    else:
        if not hmac.compare_digest(head_mac(key, tenant_id, head.seq, head.hash), head.mac):
            return broken(None, last_seq + 1, "the head's MAC does not match")
        if head.seq != last_seq or head.hash != prev_hash:
            return broken(None, last_seq + 1, f"the head says seq {head.seq}: events are missing")
    if expect_seq is not None and last_seq < expect_seq:
        return broken(
            None, last_seq + 1, f"the saved head says seq {expect_seq}: events are missing"
        )
    return Verdict(tenant_id, True, count, last_seq, prev_hash)


def load_or_create_key(path: str | Path) -> bytes:
    """The audit key in ``path`` (hex), created with mode 0600 if missing.

    Creation is atomic (a complete temporary file linked into place), so a crash or a second
    process starting at the same moment never leaves an empty or half-written key. A file
    that holds no usable key is refused rather than replaced: replacing it would make every
    existing chain unverifiable.
    """
    path = Path(path)
    if not path.exists():
        key = secrets.token_bytes(32)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(key.hex() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process won: use its key
                os.link(temporary, path)
        finally:
            temporary.unlink()
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"{path} does not hold an audit key ({MIN_KEY_BYTES}+ bytes of hex)")
    return key
