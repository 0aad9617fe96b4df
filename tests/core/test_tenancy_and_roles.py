"""The one role table, enforced by the services; tenants isolated; inputs that cannot over-reach.

Walks ``talentos_core.roles.ROLE_TABLE`` for every operation that has a service today, with a
real signed-in user of every role (CONTRACT §3, §5; SECURITY-TESTS 24, 26, 27).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import count
from typing import Any

import attrs
import pytest

from talentos_core import (
    AcceptInvite,
    Actor,
    AuditFilter,
    ClientEvent,
    Forbidden,
    InviteRequest,
    NewApiKey,
    NewVacancy,
    NotFound,
    Role,
    Signup,
    TalentOS,
    TenantPatch,
    Unauthenticated,
    VacancyFilter,
    VacancyPatch,
)
from talentos_core.roles import ROLE_TABLE
from talentos_core.testing import FrozenClock, sign_up, teammate

_serial = count(1)


def _vacancy(talentos: TalentOS, admin: Actor) -> str:
    return talentos.vacancies.create(admin, NewVacancy("Teller")).id


def _key(talentos: TalentOS, admin: Actor) -> str:
    return talentos.api_keys.mint(admin, NewApiKey("k")).key.id


# operation → a call performing it as ``actor``; ``admin`` (same tenant) prepares what it needs.
Operation = Callable[[TalentOS, Actor, Actor], Any]
OPERATIONS: dict[str, Operation] = {
    "tenants.read": lambda t, actor, admin: t.tenants.get(actor),
    "tenants.update": lambda t, actor, admin: t.tenants.update(
        actor, TenantPatch(tagline=f"Tagline {next(_serial)}")
    ),
    "team.list": lambda t, actor, admin: t.tenants.team(actor),
    "api_keys.list": lambda t, actor, admin: t.api_keys.list(actor),
    "api_keys.create": lambda t, actor, admin: t.api_keys.mint(actor, NewApiKey("k")),
    "api_keys.revoke": lambda t, actor, admin: t.api_keys.revoke(actor, _key(t, admin)),
    "vacancies.list": lambda t, actor, admin: t.vacancies.list(actor),
    "vacancies.read": lambda t, actor, admin: t.vacancies.get(actor, _vacancy(t, admin)),
    "vacancies.create": lambda t, actor, admin: t.vacancies.create(actor, NewVacancy("Clerk")),
    "vacancies.update": lambda t, actor, admin: t.vacancies.update(
        actor, _vacancy(t, admin), VacancyPatch(title="Senior teller")
    ),
    "vacancies.delete": lambda t, actor, admin: t.vacancies.delete(actor, _vacancy(t, admin)),
    "audit.list": lambda t, actor, admin: t.audit.list(actor),
    "audit.create": lambda t, actor, admin: t.audit.record(actor, ClientEvent("page.viewed")),
    "audit.export": lambda t, actor, admin: "".join(t.audit.export_csv(actor)),
    "auth.invite": lambda t, actor, admin: t.auth.invite(
        actor, InviteRequest(f"invitee{next(_serial)}@acme-bank.example", "I", Role.INTERVIEWER)
    ),
}


def outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except Forbidden:
        return "forbidden"
    except Unauthenticated:
        return "unauthenticated"
    return "ok"


@pytest.fixture
def team(talentos: TalentOS) -> dict[Role, Actor]:
    """A signed-in user of every role in tenant acme-bank."""
    admin = sign_up(talentos)
    return {role: admin if role == Role.ADMIN else teammate(talentos, admin, role) for role in Role}


class TestRoleTable:
    def test_every_walked_operation_is_in_the_table(self) -> None:
        """Each operation walked here is one the role table names."""
        assert set(OPERATIONS) <= set(ROLE_TABLE)

    def test_every_operation_of_these_areas_is_walked(self) -> None:
        """Every table entry of the areas with services today is walked here."""
        areas = ("tenants.", "team.", "api_keys.", "vacancies.", "audit.")
        served = {op for op in ROLE_TABLE if op.startswith(areas) and op != "audit.spend"}
        assert served | {"auth.invite"} == set(OPERATIONS)

    @pytest.mark.parametrize("operation", sorted(OPERATIONS))
    def test_exactly_the_listed_roles_may_perform_it(
        self, talentos: TalentOS, team: dict[Role, Actor], operation: str
    ) -> None:
        """The roles the table lists succeed; every other role is Forbidden."""
        run, admin = OPERATIONS[operation], team[Role.ADMIN]
        outcomes = {
            role: outcome(partial(run, talentos, actor, admin)) for role, actor in team.items()
        }
        expected = {role: "ok" if role in ROLE_TABLE[operation] else "forbidden" for role in Role}
        assert outcomes == expected

    @pytest.mark.parametrize("operation", sorted(OPERATIONS))
    def test_an_anonymous_caller_is_unauthenticated(
        self, talentos: TalentOS, team: dict[Role, Actor], operation: str
    ) -> None:
        """A public actor attempting the operation is Unauthenticated, not Forbidden."""
        run = OPERATIONS[operation]
        assert outcome(lambda: run(talentos, Actor.public(), team[Role.ADMIN])) == (
            "unauthenticated"
        )

    def test_a_forbidden_attempt_changes_nothing(
        self, talentos: TalentOS, team: dict[Role, Actor]
    ) -> None:
        """A Forbidden write leaves the data and the audit trail as they were."""
        admin = team[Role.ADMIN]
        vacancy_id = _vacancy(talentos, admin)
        events = talentos.audit.list(admin).total
        with pytest.raises(Forbidden):
            talentos.vacancies.delete(team[Role.INTERVIEWER], vacancy_id)
        with pytest.raises(Forbidden):
            talentos.tenants.update(team[Role.RECRUITER], TenantPatch(name="Hijacked"))
        assert talentos.vacancies.get(admin, vacancy_id).title == "Teller"
        assert talentos.tenants.get(admin).name == "Acme Bank"
        assert talentos.audit.list(admin).total == events


class TestTenantIsolation:
    @pytest.fixture
    def tenants(self, talentos: TalentOS) -> tuple[Actor, Actor]:
        """Two tenants' admins: acme-bank and other-co."""
        return sign_up(talentos), sign_up(talentos, "Other Co")

    @pytest.mark.parametrize(
        "attempt",
        [
            lambda t, actor, vid: t.vacancies.get(actor, vid),
            lambda t, actor, vid: t.vacancies.update(actor, vid, VacancyPatch(title="Mine now")),
            lambda t, actor, vid: t.vacancies.delete(actor, vid),
        ],
        ids=["get", "update", "delete"],
    )
    def test_another_tenants_vacancy_is_not_found(
        self, talentos: TalentOS, tenants: tuple[Actor, Actor], attempt: Operation
    ) -> None:
        """Reading, changing or deleting another tenant's vacancy is NotFound like a missing one."""
        acme, other = tenants
        theirs = talentos.vacancies.create(other, NewVacancy("Their job"))
        with pytest.raises(NotFound) as foreign:
            attempt(talentos, acme, theirs.id)
        with pytest.raises(NotFound) as missing:
            attempt(talentos, acme, "vac_doesnotexist00000000")
        assert (type(foreign.value), foreign.value.message) == (
            type(missing.value),
            missing.value.message,
        )
        assert talentos.vacancies.get(other, theirs.id) == theirs

    def test_another_tenants_api_key_is_not_found(
        self, talentos: TalentOS, tenants: tuple[Actor, Actor]
    ) -> None:
        """Revoking another tenant's API key is NotFound and leaves the key active."""
        acme, other = tenants
        theirs = talentos.api_keys.mint(other, NewApiKey("theirs"))
        with pytest.raises(NotFound):
            talentos.api_keys.revoke(acme, theirs.key.id)
        assert talentos.auth.authenticate_api_key(theirs.raw_token).tenant_id == "other-co"

    def test_lists_show_only_the_callers_tenant(
        self, talentos: TalentOS, tenants: tuple[Actor, Actor]
    ) -> None:
        """Vacancies, keys, team and audit lists of one tenant hold none of another's rows."""
        acme, other = tenants
        talentos.vacancies.create(acme, NewVacancy("Ours"))
        talentos.vacancies.create(other, NewVacancy("Theirs"))
        talentos.api_keys.mint(other, NewApiKey("theirs"))
        assert [v.title for v in talentos.vacancies.list(acme).items] == ["Ours"]
        assert talentos.vacancies.list(acme, VacancyFilter(q="theirs")).total == 0
        assert talentos.api_keys.list(acme).total == 0
        assert {u.tenant_id for u in talentos.tenants.team(acme).items} == {"acme-bank"}
        assert {e.tenant_id for e in talentos.audit.list(acme).items} == {"acme-bank"}
        assert talentos.audit.list(acme, AuditFilter(q="theirs")).total == 0
        assert talentos.tenants.get(acme).id == "acme-bank"

    def test_an_invite_binds_the_invitee_to_the_inviters_tenant(
        self, talentos: TalentOS, tenants: tuple[Actor, Actor]
    ) -> None:
        """Someone invited by acme-bank's admin signs in to acme-bank and sees only its data."""
        acme, other = tenants
        talentos.vacancies.create(other, NewVacancy("Theirs"))
        issued = talentos.auth.invite(acme, InviteRequest("r@acme-bank.example", "R"))
        token = issued.invite_url.rsplit("token=", 1)[1]
        signed_in = talentos.auth.accept_invite(
            Actor.public(), AcceptInvite(token, "a long password")
        )
        actor = talentos.auth.authenticate_session(signed_in.session_token)
        assert actor.tenant_id == "acme-bank"
        assert talentos.vacancies.list(actor).total == 0


class TestMassAssignment:
    SERVER_FIELDS = {
        "id", "tenant_id", "created_at", "updated_at", "created_by", "applicants", "hired",
        "role", "email_verified", "password_hash", "key_hash", "token_prefix", "status",
        "seq", "hash", "prev_hash", "revoked", "last_used_at", "plan",
    }  # fmt: skip

    @pytest.mark.parametrize(
        ("form", "allowed"),
        [
            (NewVacancy, {"status"}),
            (VacancyPatch, {"status"}),
            (TenantPatch, set()),
            (NewApiKey, {"role"}),
            (InviteRequest, {"role"}),
            (Signup, set()),
            (AcceptInvite, set()),
            (ClientEvent, set()),
        ],
        ids=lambda value: getattr(value, "__name__", ""),
    )
    def test_inputs_have_no_server_maintained_fields(
        self, form: type[Any], allowed: set[str]
    ) -> None:
        """An input type has no field for ids, tenants, counters, hashes or other server facts."""
        names = {field.name for field in attrs.fields(form)}
        assert names & self.SERVER_FIELDS == allowed

    @pytest.mark.parametrize("name", ["applicants", "hired", "tenant_id", "id", "created_by"])
    def test_a_vacancy_patch_cannot_be_given_counters_or_ownership(self, name: str) -> None:
        """Building a VacancyPatch or NewVacancy with a server-maintained field is a TypeError."""
        with pytest.raises(TypeError):
            VacancyPatch(**{name: 1})
        with pytest.raises(TypeError):
            NewVacancy("Teller", **{name: 1})

    def test_a_signup_cannot_choose_its_role_or_tenant(self) -> None:
        """Signup takes no role, tenant or verification flag."""
        for extra in ({"role": "admin"}, {"tenant_id": "acme"}, {"email_verified": True}):
            with pytest.raises(TypeError):
                Signup("Acme", "Ada", "ada@acme.example", "long password", **extra)

    def test_an_update_keeps_the_server_maintained_fields(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Updating every field a patch offers leaves id, tenant, counters and creator as stored."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        with talentos.store.transaction() as uow:
            uow.vacancies.update(attrs.evolve(vacancy, applicants=3, hired=1))
        clock.advance(seconds=1)
        updated = talentos.vacancies.update(
            admin,
            vacancy.id,
            VacancyPatch(
                title="Clerk",
                description="d",
                location="Leeds",
                level="senior",
                employment_type="contract",
                skills=["cash"],
                status="closed",
                subsidiary_id=None,
                internal_notes="n",
            ),
        )
        kept = ("id", "tenant_id", "applicants", "hired", "created_by", "created_at")
        assert [getattr(updated, name) for name in kept] == [
            vacancy.id, "acme-bank", 3, 1, admin.id, vacancy.created_at
        ]  # fmt: skip
