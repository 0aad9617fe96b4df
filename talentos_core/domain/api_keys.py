"""Bearer API keys: ``tk_`` + 64 hex, kept only as a scrypt hash and an 8-hex prefix."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from talentos_core.domain.rules import Length, choice, field
from talentos_core.roles import Role

#: ``lastUsedAt`` is written at most this often per key, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@attrs.frozen
class ApiKey:
    id: str
    tenant_id: str
    name: str
    token_prefix: str
    role: Role
    created_at: datetime
    created_by: str | None
    key_hash: str = attrs.field(repr=False, metadata={"secret": True})
    last_used_at: datetime | None = None
    revoked: bool = False
    revoked_at: datetime | None = None


@attrs.frozen
class NewApiKey:
    name: str = field(Length(1, 200))
    role: Role | None = choice(
        Role, default=None, doc="Defaults to admin for an admin, else yours."
    )


@attrs.frozen
class MintedKey:
    """A freshly minted key: ``raw_token`` is shown this once and never stored."""

    key: ApiKey
    raw_token: str = attrs.field(repr=False)
