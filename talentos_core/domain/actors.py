"""Who is acting, and from where: every service call takes an explicit :class:`Actor`."""

from __future__ import annotations

import enum

import attrs

from talentos_core.roles import Role


class ActorType(enum.StrEnum):
    USER = "user"
    API_KEY = "api_key"
    PUBLIC = "public"
    SYSTEM = "system"


@attrs.frozen
class Origin:
    """Where a call came from, recorded on the audit events it causes."""

    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


@attrs.frozen
class Actor:
    """A signed-in user, an API key, an anonymous visitor, or the system itself.

    ``tenant_id`` scopes everything the actor reads or writes; ``role`` decides what it may do.
    ``session_hash`` is set for cookie sessions so that logout knows which one to end.
    """

    type: ActorType
    tenant_id: str | None = None
    id: str | None = None
    email: str | None = None
    role: Role | None = None
    origin: Origin = Origin()
    session_hash: str | None = attrs.field(default=None, repr=False)

    @classmethod
    def public(cls, origin: Origin = Origin()) -> Actor:
        """An anonymous caller (careers board, signup, login)."""
        return cls(ActorType.PUBLIC, origin=origin)

    @classmethod
    def system(cls, tenant_id: str | None = None, role: Role = Role.ADMIN) -> Actor:
        """TalentOS acting on its own behalf or for an operator (CLI, workers, embedding)."""
        return cls(ActorType.SYSTEM, tenant_id=tenant_id, id="system", role=role)

    def with_origin(self, origin: Origin) -> Actor:
        return attrs.evolve(self, origin=origin)
