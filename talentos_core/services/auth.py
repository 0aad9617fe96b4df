"""Sign-up, sign-in, sign-out, invitations, and turning credentials into an :class:`Actor`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs

from talentos_core.domain.actors import Actor, ActorType, Origin
from talentos_core.domain.api_keys import LAST_USED_RESOLUTION
from talentos_core.domain.rules import check
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import (
    INVITE_LIFETIME,
    SESSION_LIFETIME,
    AcceptInvite,
    Credentials,
    Invite,
    InviteRequest,
    Session,
    Signup,
    User,
    UserStatus,
)
from talentos_core.errors import (
    EmailTaken,
    Forbidden,
    InvalidCredentials,
    InvalidToken,
    RateLimited,
    Unauthenticated,
)
from talentos_core.identity.tokens import (
    API_KEY_PATTERN,
    api_key_prefix,
    new_token,
    sha256_hex,
    verify_api_key,
)
from talentos_core.ids import slugify
from talentos_core.roles import Operation, Role, may_grant
from talentos_core.services.base import Service, Transaction

#: After this many failures for one email within the window, logins are refused (429).
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
#: How long before now an unknown email's second failure row is dated: just outside the
#: window, so it never counts and the next login's sweep removes it (see ``login``).
_BEFORE_THE_WINDOW = LOGIN_FAILURE_WINDOW + timedelta(microseconds=1)


@attrs.frozen
class SignedIn:
    """A new session: ``session_token`` goes into the ``talentos_sid`` cookie, once."""

    user: User
    tenant: Tenant
    session_token: str = attrs.field(repr=False)
    expires_at: datetime


@attrs.frozen
class IssuedInvite:
    user: User
    invite_url: str = attrs.field(repr=False)
    expires_at: datetime


class AuthService(Service):
    """Identity flows (CONTRACT §4)."""

    # -- signing up and in -------------------------------------------------------------

    def signup(self, actor: Actor, form: Signup) -> SignedIn:
        """Create a tenant and its first admin, and sign the admin in.

        Raises :class:`ValidationError` and :class:`EmailTaken`.
        """
        check(form)
        password_hash = self._deps.passwords.hash(form.password)
        now = self._now()
        with self._transaction(actor) as tx:
            existing = tx.uow.users.find_by_email(form.admin_email)
            if existing is not None and not self._release_if_lapsed(tx, existing, now):
                raise EmailTaken()
            tenant = Tenant(
                id=self._free_tenant_id(tx, form.company_name),
                name=form.company_name,
                created_at=now,
            )
            tx.uow.tenants.add(tenant)
            user = User(
                id=self._deps.ids.new("usr"),
                tenant_id=tenant.id,
                email=form.admin_email.strip(),
                name=form.admin_name,
                role=Role.ADMIN,
                created_at=now,
                password_hash=password_hash,
            )
            tx.uow.users.add(user)
            return self._sign_in(
                tx,
                user,
                actor.origin,
                "tenant.created",
                entity_type="tenant",
                entity_id=tenant.id,
                summary="Signed up",
            )

    def login(self, actor: Actor, form: Credentials, replaces: str | None = None) -> SignedIn:
        """Check the password and open a new session (ending ``replaces``, a previous one).

        Raises :class:`InvalidCredentials` (the same for an unknown email and a wrong password)
        and :class:`RateLimited` after too many failures.
        """
        check(form)
        now = self._now()
        # Checking the count and recording this attempt happen in one transaction, before the
        # slow hash: parallel guesses cannot all slip under the limit. Success clears them.
        with self._transaction(actor) as tx:
            failures = tx.uow.login_failures.since(form.email, now - LOGIN_FAILURE_WINDOW)
            if len(failures) >= LOGIN_FAILURE_LIMIT:
                unlock = failures[-LOGIN_FAILURE_LIMIT] + LOGIN_FAILURE_WINDOW
                # The window includes its start, so the lock lifts one second after `unlock`.
                raise RateLimited(int((unlock - now).total_seconds()) + 1)
            tx.uow.login_failures.forget_before(now - LOGIN_FAILURE_WINDOW)
            tx.uow.login_failures.record(form.email, now)
        user = self._read.users.find_by_email(form.email)
        stored = user.password_hash if user and user.status == UserStatus.ACTIVE else None
        if user is None or not self._deps.passwords.verify(stored, form.password):
            # Both kinds of failure make the same durable writes, so the time the answer takes
            # does not say whether the email exists (the decoy hash evens out the CPU). A known
            # user's failure is audited in their tenant. An unknown email has no tenant to be
            # audited in; it records its failure once more, keyed by the normalised email like
            # the first, but dated just outside the window: it never counts toward the limit.
            with self._transaction(actor) as tx:
                if user is None:
                    tx.uow.login_failures.record(form.email, now - _BEFORE_THE_WINDOW)
                else:
                    tx.record(
                        "auth.login_failed",
                        entity_type="user",
                        entity_id=user.id,
                        tenant_id=user.tenant_id,
                    )
            raise InvalidCredentials()
        assert stored is not None
        rehashed = None
        if self._deps.passwords.needs_rehash(stored):
            rehashed = self._deps.passwords.hash(form.password)  # before taking the write lock
        with self._transaction(actor) as tx:
            tx.uow.login_failures.clear(form.email)
            if rehashed is not None:
                user = attrs.evolve(user, password_hash=rehashed, updated_at=now)
                tx.uow.users.update(user)
            if replaces:
                tx.uow.sessions.delete(sha256_hex(replaces))
            return self._sign_in(tx, user, actor.origin, "auth.login")

    def logout(self, actor: Actor) -> None:
        """End the actor's session (an API key has none: logging out does nothing to it)."""
        self._tenant(actor, Operation.AUTH_LOGOUT)
        with self._transaction(actor) as tx:
            if actor.session_hash is not None:
                tx.uow.sessions.delete(actor.session_hash)
            tx.record("auth.logout", entity_type="user", entity_id=actor.id)

    def me(self, actor: Actor) -> User:
        """The signed-in user. An API key answers as a pseudo-user named after the key."""
        tenant_id = self._tenant(actor, Operation.AUTH_ME)
        if actor.type == ActorType.USER:
            assert actor.id is not None
            return self._read.users.get(tenant_id, actor.id)
        key = self._read.api_keys.get(tenant_id, actor.id or "")
        return User(
            id=key.id,
            tenant_id=tenant_id,
            email=key.created_by or "",
            name=key.name,
            role=key.role,
            created_at=key.created_at,
            email_verified=True,
        )

    # -- invitations ---------------------------------------------------------------------

    def invite(self, actor: Actor, form: InviteRequest) -> IssuedInvite:
        """Invite a teammate into the actor's tenant with a role no higher than the actor's.

        Re-inviting someone still invited here replaces their earlier invitation. Someone
        invited by another tenant holds the address until every invitation of theirs has
        lapsed (see :meth:`_release_if_lapsed`). Raises :class:`Forbidden` and
        :class:`EmailTaken`.
        """
        tenant_id = self._tenant(actor, Operation.AUTH_INVITE)
        check(form)
        assert actor.role is not None
        if not may_grant(actor.role, form.role):
            raise Forbidden("You cannot grant a role above your own.")
        now = self._now()
        token = new_token()
        with self._transaction(actor) as tx:
            existing = tx.uow.users.find_by_email(form.email)
            if (
                existing is not None
                and existing.tenant_id != tenant_id
                and self._release_if_lapsed(tx, existing, now)
            ):
                existing = None
            if existing is not None and not (
                existing.tenant_id == tenant_id and existing.status == UserStatus.INVITED
            ):
                raise EmailTaken()
            if existing is None:
                user = User(
                    id=self._deps.ids.new("usr"),
                    tenant_id=tenant_id,
                    email=form.email.strip(),
                    name=form.name,
                    role=form.role,
                    created_at=now,
                    status=UserStatus.INVITED,
                )
                tx.uow.users.add(user)
            else:
                user = attrs.evolve(existing, name=form.name, role=form.role, updated_at=now)
                tx.uow.users.update(user)
                tx.uow.invites.delete_for_user(user.id)
            expires_at = now + INVITE_LIFETIME
            tx.uow.invites.add(Invite(sha256_hex(token), user.id, tenant_id, now, expires_at))
            tx.record(
                "user.invited",
                entity_type="user",
                entity_id=user.id,
                data={"role": form.role.value},
            )
        base = self._deps.settings.public_url or ""
        return IssuedInvite(user, f"{base}/accept-invite?token={token}", expires_at)

    def accept_invite(self, actor: Actor, form: AcceptInvite) -> SignedIn:
        """Set the invited user's password, verify their email, and sign them in.

        Raises :class:`InvalidToken` for a bad, expired or used token.
        """
        check(form)
        now = self._now()
        password_hash = self._deps.passwords.hash(form.password)
        with self._transaction(actor) as tx:
            invite = tx.uow.invites.find(sha256_hex(form.token))
            if invite is None or invite.used_at is not None or invite.expires_at <= now:
                raise InvalidToken()
            user = tx.uow.users.get(invite.tenant_id, invite.user_id)
            if user.status != UserStatus.INVITED:
                raise InvalidToken()
            user = attrs.evolve(
                user,
                password_hash=password_hash,
                email_verified=True,
                status=UserStatus.ACTIVE,
                updated_at=now,
            )
            tx.uow.users.update(user)
            tx.uow.invites.update(attrs.evolve(invite, used_at=now))
            return self._sign_in(tx, user, actor.origin, "user.invite_accepted")

    # -- credentials to actors -----------------------------------------------------------

    def authenticate_session(self, token: str, origin: Origin = Origin()) -> Actor:
        """The user behind a session cookie; :class:`Unauthenticated` if none or expired."""
        token_hash = sha256_hex(token)
        found = self._read.sessions.find_with_user(token_hash)
        if found is None:
            raise Unauthenticated()
        session, user = found
        if session.expires_at <= self._now() or user.status != UserStatus.ACTIVE:
            raise Unauthenticated()
        return attrs.evolve(self._user_actor(user, origin), session_hash=token_hash)

    def authenticate_api_key(self, raw_token: str, origin: Origin = Origin()) -> Actor:
        """The key behind a Bearer token; :class:`Unauthenticated` if unknown or revoked.

        The scrypt check runs once per process and token; later calls only reload the key,
        so a revocation is seen at once.
        """
        if not API_KEY_PATTERN.fullmatch(raw_token):
            raise Unauthenticated()
        cache = self._deps.verified_keys
        key_id = cache.get(raw_token)
        key = self._read.api_keys.find(key_id) if key_id else None
        if key is None:
            candidates = self._read.api_keys.find_by_prefix(api_key_prefix(raw_token))
            key = next((c for c in candidates if verify_api_key(raw_token, c.key_hash)), None)
            if key is None:
                raise Unauthenticated()
            cache.put(raw_token, key.id)
        if key.revoked:
            raise Unauthenticated()
        now = self._now()
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
            with self._deps.store.transaction() as uow:
                current = uow.api_keys.find(key.id)
                if current is not None:
                    uow.api_keys.update(attrs.evolve(current, last_used_at=now))
        # A key acts as itself: its id names it in the audit trail, not its minter's email.
        return Actor(
            ActorType.API_KEY, tenant_id=key.tenant_id, id=key.id, role=key.role, origin=origin
        )

    # -- helpers ---------------------------------------------------------------------------

    def _sign_in(
        self, tx: Transaction, user: User, origin: Origin, event: str, **details: Any
    ) -> SignedIn:
        """Open a session for ``user`` and record ``event`` as theirs (about them by default)."""
        now = self._now()
        token = new_token()
        tx.uow.sessions.add(
            Session(sha256_hex(token), user.id, user.tenant_id, now, now + SESSION_LIFETIME)
        )
        details = {"entity_type": "user", "entity_id": user.id, **details}
        tx.record(event, actor=self._user_actor(user, origin), **details)
        return SignedIn(user, tx.uow.tenants.get(user.tenant_id), token, now + SESSION_LIFETIME)

    @staticmethod
    def _release_if_lapsed(tx: Transaction, user: User, now: datetime) -> bool:
        """Free the address of an invitee who never accepted once no invitation can still be.

        An ``invited`` user none of whose invites is unused and unexpired is removed with
        their invites, and ``user.invite_expired`` is recorded in their tenant by the system
        (by id only: nothing about whoever now wants the address). Answers whether it did.
        """
        if user.status != UserStatus.INVITED:
            return False
        invites = tx.uow.invites.for_user(user.id)
        if any(invite.used_at is None and invite.expires_at > now for invite in invites):
            return False
        tx.uow.invites.delete_for_user(user.id)
        tx.uow.sessions.delete_for_user(user.id)
        tx.uow.users.delete(user.tenant_id, user.id)
        tx.record(
            "user.invite_expired",
            entity_type="user",
            entity_id=user.id,
            summary="Invitation lapsed unaccepted; the address was freed",
            tenant_id=user.tenant_id,
            actor=Actor.system(user.tenant_id),
        )
        return True

    @staticmethod
    def _free_tenant_id(tx: Transaction, company_name: str) -> str:
        base = slugify(company_name)
        candidate, number = base, 1
        while tx.uow.tenants.find(candidate) is not None:
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    @staticmethod
    def _user_actor(user: User, origin: Origin) -> Actor:
        return Actor(
            ActorType.USER,
            tenant_id=user.tenant_id,
            id=user.id,
            email=user.email,
            role=user.role,
            origin=origin,
        )
