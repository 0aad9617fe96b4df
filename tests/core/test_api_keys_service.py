"""Minting, listing and revoking API keys through the Python API (CONTRACT §4, §5)."""

from __future__ import annotations

import attrs
import pytest

from talentos_core import (
    Actor,
    AuditFilter,
    Forbidden,
    NewApiKey,
    NotFound,
    Role,
    TalentOS,
    ValidationError,
)
from talentos_core.testing import FrozenClock, sign_up, teammate


def audit_types(talentos: TalentOS, actor: Actor) -> list[str]:
    """The actor's tenant's audit event types, oldest first."""
    assert actor.tenant_id is not None
    return [event.type for event in talentos.store.reader().audit.stream(actor.tenant_id)]


class TestKeyRoles:
    def test_an_admins_key_defaults_to_admin(self, talentos: TalentOS) -> None:
        """A key an admin mints without a role is an admin key."""
        minted = talentos.api_keys.mint(sign_up(talentos), NewApiKey("ci"))
        assert minted.key.role == Role.ADMIN
        assert talentos.auth.authenticate_api_key(minted.raw_token).role == Role.ADMIN

    def test_a_chros_key_defaults_to_chro(self, talentos: TalentOS) -> None:
        """A key a CHRO mints without a role carries the CHRO's own role."""
        chro = teammate(talentos, sign_up(talentos), Role.CHRO)
        minted = talentos.api_keys.mint(chro, NewApiKey("reports"))
        assert minted.key.role == Role.CHRO
        assert talentos.auth.authenticate_api_key(minted.raw_token).role == Role.CHRO

    def test_a_chro_asking_for_an_admin_key_is_forbidden(self, talentos: TalentOS) -> None:
        """A CHRO asking for an admin key is Forbidden and no key is stored."""
        admin = sign_up(talentos)
        chro = teammate(talentos, admin, Role.CHRO)
        with pytest.raises(Forbidden):
            talentos.api_keys.mint(chro, NewApiKey("escalate", Role.ADMIN))
        assert talentos.api_keys.list(admin).total == 0

    @pytest.mark.parametrize("role", [Role.CHRO, Role.RECRUITER, Role.INTERVIEWER])
    def test_a_chro_may_mint_its_own_role_or_below(self, talentos: TalentOS, role: Role) -> None:
        """A CHRO may mint a key of its own role or a lower one."""
        chro = teammate(talentos, sign_up(talentos), Role.CHRO)
        assert talentos.api_keys.mint(chro, NewApiKey("k", role)).key.role == role

    def test_an_admin_may_mint_any_role(self, talentos: TalentOS) -> None:
        """An admin may mint a key of every role, each acting with that role."""
        admin = sign_up(talentos)
        for role in Role:
            minted = talentos.api_keys.mint(admin, NewApiKey(role.value, role))
            assert talentos.auth.authenticate_api_key(minted.raw_token).role == role

    @pytest.mark.parametrize(
        ("form", "field"),
        [
            (NewApiKey(""), "name"),
            (NewApiKey("x" * 201), "name"),
            (NewApiKey("k", "boss"), "role"),  # type: ignore[arg-type]  # what a careless caller sends
        ],
    )
    def test_invalid_input_names_the_field(
        self, talentos: TalentOS, form: NewApiKey, field: str
    ) -> None:
        """An empty or overlong name, or an unknown role, is a ValidationError naming it."""
        with pytest.raises(ValidationError) as caught:
            talentos.api_keys.mint(sign_up(talentos), form)
        assert list(caught.value.fields) == [field]


class TestWhoManagesKeys:
    @pytest.mark.parametrize(
        "role", [Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER, Role.AGENCY_ADMIN]
    )
    def test_other_roles_cannot_mint(self, talentos: TalentOS, role: Role) -> None:
        """A recruiter (or any role below chro) minting a key is Forbidden."""
        actor = teammate(talentos, sign_up(talentos), role)
        with pytest.raises(Forbidden):
            talentos.api_keys.mint(actor, NewApiKey("k"))

    @pytest.mark.parametrize(
        "role", [Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER, Role.AGENCY_ADMIN]
    )
    def test_other_roles_cannot_list(self, talentos: TalentOS, role: Role) -> None:
        """A recruiter (or any role below chro) listing keys is Forbidden."""
        admin = sign_up(talentos)
        talentos.api_keys.mint(admin, NewApiKey("k"))
        with pytest.raises(Forbidden):
            talentos.api_keys.list(teammate(talentos, admin, role))

    def test_a_recruiter_key_cannot_mint_a_key(self, talentos: TalentOS) -> None:
        """An API key acts with its own role: a recruiter key minting a key is Forbidden."""
        admin = sign_up(talentos)
        raw = talentos.api_keys.mint(admin, NewApiKey("k", Role.RECRUITER)).raw_token
        with pytest.raises(Forbidden):
            talentos.api_keys.mint(talentos.auth.authenticate_api_key(raw), NewApiKey("k2"))


class TestKeyListing:
    def test_the_list_shows_the_prefix_and_never_the_secret(self, talentos: TalentOS) -> None:
        """Listed keys show their `tk_` + 8 hex prefix; neither the raw token nor the hash shows."""
        admin = sign_up(talentos)
        minted = talentos.api_keys.mint(admin, NewApiKey("ci"))
        page = talentos.api_keys.list(admin)
        assert [key.token_prefix for key in page.items] == [minted.raw_token[:11]]
        listed = page.items[0]
        assert minted.raw_token[3:] not in repr(listed)
        assert listed.key_hash not in repr(listed)
        assert minted.raw_token not in attrs.asdict(listed).values()
        assert not listed.key_hash.endswith(minted.raw_token[3:])
        assert attrs.fields(type(listed)).key_hash.metadata.get("secret") is True

    def test_the_minted_key_hides_its_token_from_repr(self, talentos: TalentOS) -> None:
        """The one-time mint result does not print its raw token."""
        minted = talentos.api_keys.mint(sign_up(talentos), NewApiKey("ci"))
        assert minted.raw_token[3:] not in repr(minted)

    def test_the_list_is_the_tenants_own_newest_first(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Each tenant lists only its own keys, newest first, revoked ones included."""
        acme, other = sign_up(talentos), sign_up(talentos, "Other Co")
        first = talentos.api_keys.mint(acme, NewApiKey("first")).key
        clock.advance(seconds=1)
        second = talentos.api_keys.mint(acme, NewApiKey("second")).key
        talentos.api_keys.mint(other, NewApiKey("theirs"))
        talentos.api_keys.revoke(acme, first.id)
        page = talentos.api_keys.list(acme)
        assert [key.id for key in page.items] == [second.id, first.id]
        assert [key.revoked for key in page.items] == [False, True]
        assert page.total == 2


class TestKeyRevocation:
    def test_revoking_marks_the_key_revoked(self, talentos: TalentOS, clock: FrozenClock) -> None:
        """Revoking keeps the key, marked revoked at the current time."""
        admin = sign_up(talentos)
        key = talentos.api_keys.mint(admin, NewApiKey("ci")).key
        clock.advance(minutes=5)
        revoked = talentos.api_keys.revoke(admin, key.id)
        assert (revoked.revoked, revoked.revoked_at) == (True, clock.now())
        assert talentos.store.reader().api_keys.get("acme-bank", key.id) == revoked

    def test_revoking_twice_changes_nothing(self, talentos: TalentOS, clock: FrozenClock) -> None:
        """A second revoke answers the same revoked key and records no second event."""
        admin = sign_up(talentos)
        key = talentos.api_keys.mint(admin, NewApiKey("ci")).key
        first = talentos.api_keys.revoke(admin, key.id)
        clock.advance(minutes=5)
        events = len(audit_types(talentos, admin))
        assert talentos.api_keys.revoke(admin, key.id) == first
        assert len(audit_types(talentos, admin)) == events

    def test_another_tenants_key_is_not_found(self, talentos: TalentOS) -> None:
        """Revoking another tenant's key is NotFound, like an unknown id, and leaves it working."""
        acme, other = sign_up(talentos), sign_up(talentos, "Other Co")
        minted = talentos.api_keys.mint(other, NewApiKey("theirs"))
        with pytest.raises(NotFound) as foreign:
            talentos.api_keys.revoke(acme, minted.key.id)
        with pytest.raises(NotFound) as unknown:
            talentos.api_keys.revoke(acme, "key_doesnotexist000000")
        assert foreign.value.message == unknown.value.message
        assert talentos.auth.authenticate_api_key(minted.raw_token).tenant_id == "other-co"


class TestKeyAudit:
    def test_minting_and_revoking_are_audited(self, talentos: TalentOS) -> None:
        """Minting records `api_key.created` and revoking `api_key.revoked`, naming the key."""
        admin = sign_up(talentos)
        minted = talentos.api_keys.mint(admin, NewApiKey("ci", Role.RECRUITER))
        talentos.api_keys.revoke(admin, minted.key.id)
        events = talentos.audit.list(admin, AuditFilter(q="api_key")).items
        assert [(e.type, e.entity_type, e.entity_id) for e in events] == [
            ("api_key.revoked", "api_key", minted.key.id),
            ("api_key.created", "api_key", minted.key.id),
        ]
        assert events[1].data == {"role": "recruiter"}
        assert {e.actor_id for e in events} == {admin.id}
        for event in events:
            assert minted.raw_token[3:] not in repr(attrs.asdict(event))
