"""The one contract every storage backend keeps (CONTRACT §1, STYLE rule 7).

A backend's test module provides a ``store`` fixture (a fresh, empty
:class:`~talentos_core.ports.Store`, closed afterwards) and subclasses these classes, one per
repository, or :class:`StoreContract`, which gathers them all::

    import pytest
    from talentos_core.testing import contract

    @pytest.fixture
    def store(tmp_path):
        store = MyStore(tmp_path / "talentos.db")
        yield store
        store.close()

    class TestMyStore(contract.StoreContract):
        \"\"\"MyStore keeps the storage contract.\"\"\"

The classes are named ``*Contract`` rather than ``Test*`` so that importing them collects
nothing until a ``Test*`` class inherits them. Only test suites import this module: it needs
pytest and hypothesis.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.audit import AuditEvent, AuditFilter, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.paging import PageRequest
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import Invite, Session, User, UserStatus
from talentos_core.domain.vacancies import (
    CareersFilter,
    EmploymentType,
    Level,
    Vacancy,
    VacancyFilter,
    VacancyStatus,
)
from talentos_core.errors import Conflict, EmailTaken, NotFound
from talentos_core.ports import Store
from talentos_core.roles import Role

__all__ = [
    "ApiKeysContract",
    "AuditContract",
    "InvitesContract",
    "LoginFailuresContract",
    "OutboxContract",
    "SessionsContract",
    "StoreContract",
    "SubsidiariesContract",
    "TenantsContract",
    "TransactionContract",
    "UsersContract",
    "VacanciesContract",
]

#: A time with microseconds: stores must keep them.
T0 = datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
ACME, GLOBEX = "acme", "globex"
EVERYONE = PageRequest(limit=200)
_fresh = itertools.count(1)
_hypothesis = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# -- builders: the smallest valid object, and one with every field set -------------------


def make_tenant(tenant_id: str = ACME, **fields: Any) -> Tenant:
    return attrs.evolve(Tenant(id=tenant_id, name=tenant_id.title(), created_at=T0), **fields)


def full_tenant(tenant_id: str = "unicode-co") -> Tenant:
    return Tenant(
        id=tenant_id,
        name="Ünïcode Co 🚀",
        created_at=at(1),
        plan="enterprise",
        logo_url="https://cdn.example/ü.png",
        brand_color="#12ab34",
        tagline="We hire — fast ✓",
        monthly_budget_usd=123.45,
        updated_at=at(2.5),
    )


def make_user(user_id: str, tenant_id: str = ACME, **fields: Any) -> User:
    base = User(
        id=user_id,
        tenant_id=tenant_id,
        email=f"{user_id}@{tenant_id}.example",
        name=user_id,
        role=Role.RECRUITER,
        created_at=T0,
    )
    return attrs.evolve(base, **fields)


def full_user(user_id: str = "usr_full", tenant_id: str = ACME) -> User:
    return User(
        id=user_id,
        tenant_id=tenant_id,
        email="Zoë.Ünïcode@Example.COM",
        name="Zoë 山田",
        role=Role.HIRING_MANAGER,
        created_at=at(3),
        password_hash="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
        email_verified=True,
        status=UserStatus.INVITED,
        updated_at=at(4),
    )


def make_vacancy(vacancy_id: str, tenant_id: str = ACME, **fields: Any) -> Vacancy:
    base = Vacancy(
        id=vacancy_id, tenant_id=tenant_id, title=vacancy_id, created_at=T0, updated_at=T0
    )
    return attrs.evolve(base, **fields)


def full_vacancy(vacancy_id: str = "vac_full", subsidiary_id: str = "sub_full") -> Vacancy:
    return Vacancy(
        id=vacancy_id,
        tenant_id=ACME,
        title="Ingénieure Backend 🚀",
        created_at=at(5),
        updated_at=at(6.000001),
        description="Python — 日本語",
        location="Zürich",
        level=Level.PRINCIPAL,
        employment_type=EmploymentType.CONTRACT,
        skills=["Python", "SQL", "Ünï"],
        status=VacancyStatus.ON_HOLD,
        subsidiary_id=subsidiary_id,
        internal_notes="Budget: €120k",
        applicants=7,
        hired=2,
        created_by="usr_9",
    )


def make_api_key(key_id: str, tenant_id: str = ACME, **fields: Any) -> ApiKey:
    base = ApiKey(
        id=key_id,
        tenant_id=tenant_id,
        name=key_id,
        token_prefix="tk_0badc0de",
        role=Role.ADMIN,
        created_at=T0,
        created_by=None,
        key_hash="scrypt$" + key_id,
    )
    return attrs.evolve(base, **fields)


def full_api_key(key_id: str = "key_full") -> ApiKey:
    return ApiKey(
        id=key_id,
        tenant_id=ACME,
        name="CI — déploiement",
        token_prefix="tk_1234abcd",
        role=Role.CHRO,
        created_at=at(7),
        created_by="ops@acme.example",
        key_hash="scrypt$16384$8$1$00ff$abcdef",
        last_used_at=at(8),
        revoked=True,
        revoked_at=at(9),
    )


def make_event(tenant_id: str, seq: int, **fields: Any) -> AuditEvent:
    base = AuditEvent(
        id=f"aud_{tenant_id}_{seq:05d}",
        ts=at(seq),
        tenant_id=tenant_id,
        type="vacancy.created",
        actor_type="user",
        seq=seq,
        prev_hash=f"{seq - 1:064x}",
        hash=f"{seq:064x}",
    )
    return attrs.evolve(base, **fields)


def full_event(tenant_id: str = ACME, seq: int = 1) -> AuditEvent:
    return AuditEvent(
        id="aud_full",
        ts=at(10),
        tenant_id=tenant_id,
        type="client.ünï.event",
        actor_type="api_key",
        seq=seq,
        prev_hash="0" * 64,
        hash="f" * 64,
        actor_id="key_1",
        actor_email="ops@acme.example",
        actor_role="chro",
        entity_type="vacancy",
        entity_id="vac_1",
        summary="Résumé — 読んだ",
        ip="2001:db8::1",
        user_agent="curl/8 ✓",
        request_id="req-1.2_3",
        data={"nested": {"list": [1, 2.5, None, True, "ü"]}, "empty": {}},
    )


def head_of(event: AuditEvent) -> ChainHead:
    return ChainHead(event.tenant_id, event.seq, event.hash, "mac-" + event.hash)


def make_outbox(event_id: str, tenant_id: str = ACME, **fields: Any) -> OutboxEvent:
    base = OutboxEvent(id=event_id, tenant_id=tenant_id, type="vacancy.published", ts=T0)
    return attrs.evolve(base, **fields)


def seed(store: Store, *tenant_ids: str) -> None:
    """Add tenants (default acme and globex): most rows need their tenant to exist."""
    with store.transaction() as uow:
        for tenant_id in tenant_ids or (ACME, GLOBEX):
            uow.tenants.add(make_tenant(tenant_id))


def append(store: Store, *events: AuditEvent) -> None:
    with store.transaction() as uow:
        for event in events:
            uow.audit.append(event, head_of(event))


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def fresh(prefix: str) -> str:
    """An id no earlier test or example in this process has used."""
    return f"{prefix}_{next(_fresh):08d}"


def _expect_pages(list_page: Callable[[PageRequest], Any], expected: list[str]) -> None:
    total = len(expected)
    for limit, offset in ((2, 0), (2, 2), (2, total - 1), (1, total), (3, total + 10)):
        page = list_page(PageRequest(limit=limit, offset=offset))
        assert (ids(page.items), page.total, page.limit, page.offset) == (
            expected[offset : offset + limit],
            total,
            limit,
            offset,
        )


# -- the contract, one class per repository -----------------------------------------------


class TransactionContract:
    """A unit of work commits whole or not at all, and does not nest."""

    def test_writes_inside_a_transaction_are_visible_after_it_commits(self, store: Store) -> None:
        """Every write of a unit of work that exits normally is read back afterwards."""
        seed(store)
        with store.transaction() as uow:
            uow.vacancies.add(make_vacancy("vac_1"))
            uow.api_keys.add(make_api_key("key_1"))
        reader = store.reader()
        assert (reader.vacancies.get(ACME, "vac_1").id, reader.api_keys.find("key_1")) == (
            "vac_1",
            make_api_key("key_1"),
        )

    def test_a_failed_unit_of_work_persists_nothing(self, store: Store) -> None:
        """Raising inside ``transaction()`` after writes to every repository undoes them all."""
        seed(store, GLOBEX)
        with pytest.raises(ZeroDivisionError), store.transaction() as uow:
            uow.tenants.add(make_tenant(ACME))
            uow.users.add(make_user("usr_1"))
            uow.sessions.add(Session("s" * 64, "usr_1", ACME, T0, at(60)))
            uow.invites.add(Invite("i" * 64, "usr_1", ACME, T0, at(60)))
            uow.login_failures.record("ann@acme.example", T0)
            uow.api_keys.add(make_api_key("key_1"))
            uow.subsidiaries.add(Subsidiary("sub_1", ACME, "Sub", T0))
            uow.vacancies.add(make_vacancy("vac_1", subsidiary_id="sub_1"))
            uow.audit.append(make_event(ACME, 1), head_of(make_event(ACME, 1)))
            uow.outbox.add(make_outbox("evt_1"))
            uow.tenants.update(make_tenant(GLOBEX, name="Renamed"))
            1 / 0  # noqa: B018 - the failure that must roll everything back
        reader = store.reader()
        assert reader.tenants.all_ids() == [GLOBEX]
        assert reader.tenants.get(GLOBEX).name == "Globex"
        assert reader.users.find_by_email("usr_1@acme.example") is None
        assert reader.sessions.find_with_user("s" * 64) is None
        assert reader.invites.find("i" * 64) is None
        assert reader.login_failures.since("ann@acme.example", at(-1)) == []
        assert reader.api_keys.find("key_1") is None
        assert reader.vacancies.list_open(CareersFilter(), EVERYONE).total == 0
        assert (reader.audit.head(ACME), reader.audit.count(), reader.audit.tenant_ids()) == (
            None,
            0,
            [],
        )
        assert reader.outbox.count_pending() == 0

    def test_a_rollback_restores_updated_and_deleted_rows(self, store: Store) -> None:
        """Updates and deletes of a failed unit of work are undone to the last committed state."""
        seed(store)
        before = [make_vacancy("vac_1", title="Old"), make_vacancy("vac_2")]
        user = make_user("usr_1", email="old@acme.example")
        with store.transaction() as uow:
            uow.users.add(user)
            for vacancy in before:
                uow.vacancies.add(vacancy)
        with pytest.raises(RuntimeError, match="boom"), store.transaction() as uow:
            uow.vacancies.update(attrs.evolve(before[0], title="New"))
            uow.vacancies.delete(ACME, "vac_2")
            uow.users.update(attrs.evolve(user, email="new@acme.example"))
            raise RuntimeError("boom")
        reader = store.reader()
        assert reader.vacancies.list(ACME, VacancyFilter(), EVERYONE).items == sorted(
            before, key=lambda vacancy: vacancy.id, reverse=True
        )
        assert reader.users.find_by_email("old@acme.example") == user
        assert reader.users.find_by_email("new@acme.example") is None

    def test_a_refused_write_leaves_the_rest_of_the_unit_of_work_intact(self, store: Store) -> None:
        """A write refused with Conflict inside a transaction does not undo earlier writes."""
        seed(store)
        with store.transaction() as uow:
            uow.vacancies.add(make_vacancy("vac_1"))
            with pytest.raises(Conflict):
                uow.vacancies.add(make_vacancy("vac_1", title="Again"))
            uow.vacancies.add(make_vacancy("vac_2"))
        listed = store.reader().vacancies.list(ACME, VacancyFilter(), EVERYONE)
        assert ids(listed.items) == ["vac_2", "vac_1"]

    def test_transactions_do_not_nest(self, store: Store) -> None:
        """Opening a transaction inside another raises RuntimeError and the outer one rolls back."""
        with pytest.raises(RuntimeError), store.transaction() as uow:
            uow.tenants.add(make_tenant(ACME))
            with store.transaction():
                pass  # pragma: no cover - never reached
        assert store.reader().tenants.find(ACME) is None

    def test_the_store_works_after_a_rollback(self, store: Store) -> None:
        """A transaction after a failed one commits normally."""
        with pytest.raises(KeyError), store.transaction() as uow:
            uow.tenants.add(make_tenant(ACME))
            raise KeyError("boom")
        seed(store, ACME)
        assert store.reader().tenants.all_ids() == [ACME]

    def test_a_transaction_reads_its_own_uncommitted_writes(self, store: Store) -> None:
        """Inside a unit of work, a row written earlier is read back before commit."""
        with store.transaction() as uow:
            uow.tenants.add(make_tenant(ACME, plan="growth"))
            assert uow.tenants.get(ACME).plan == "growth"

    def test_probe_answers_on_a_working_store(self, store: Store) -> None:
        """``probe()`` returns without raising when the store can answer, before and after use."""
        store.probe()
        seed(store)
        store.probe()


class TenantsContract:
    """Tenants: stored whole, found by id, never duplicated."""

    def test_every_field_of_a_tenant_round_trips(self, store: Store) -> None:
        """A tenant with every field set reads back equal."""
        tenant = full_tenant()
        seed(store)
        with store.transaction() as uow:
            uow.tenants.add(tenant)
        assert (store.reader().tenants.get(tenant.id), store.reader().tenants.find(tenant.id)) == (
            tenant,
            tenant,
        )

    def test_a_missing_tenant_is_not_found(self, store: Store) -> None:
        """``get`` raises NotFound and ``find`` answers None for an unknown id."""
        seed(store)
        with pytest.raises(NotFound):
            store.reader().tenants.get("nobody")
        assert store.reader().tenants.find("nobody") is None

    def test_a_duplicate_tenant_id_is_a_conflict(self, store: Store) -> None:
        """Adding a tenant whose id exists raises Conflict and keeps the first."""
        seed(store)
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.tenants.add(make_tenant(ACME, name="Impostor"))
        assert store.reader().tenants.get(ACME).name == "Acme"

    def test_update_replaces_every_field_of_a_tenant(self, store: Store) -> None:
        """An updated tenant reads back exactly as written."""
        seed(store)
        changed = attrs.evolve(full_tenant(), id=ACME)
        with store.transaction() as uow:
            uow.tenants.update(changed)
        assert store.reader().tenants.get(ACME) == changed

    def test_update_of_a_missing_tenant_is_not_found(self, store: Store) -> None:
        """Updating an unknown tenant raises NotFound and creates nothing."""
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.tenants.update(make_tenant("ghost"))
        assert store.reader().tenants.all_ids() == []

    def test_get_many_answers_only_the_existing_ones_by_id(self, store: Store) -> None:
        """``get_many`` maps each existing id to its tenant and skips unknown or repeated ids."""
        seed(store)
        found = store.reader().tenants.get_many([GLOBEX, "ghost", ACME, GLOBEX])
        assert found == {ACME: make_tenant(ACME), GLOBEX: make_tenant(GLOBEX)}
        assert store.reader().tenants.get_many([]) == {}

    def test_all_ids_are_sorted(self, store: Store) -> None:
        """``all_ids`` lists every tenant id in ascending order."""
        seed(store, "zeta", ACME, "mu")
        assert store.reader().tenants.all_ids() == [ACME, "mu", "zeta"]

    def test_times_come_back_as_the_same_instant_in_utc(self, store: Store) -> None:
        """A time written with another offset reads back as the same instant, in UTC."""
        plus_two = timezone(timedelta(hours=2))
        seed(store, ACME)
        with store.transaction() as uow:
            uow.tenants.update(make_tenant(ACME, updated_at=at(0).astimezone(plus_two)))
        stored = store.reader().tenants.get(ACME).updated_at
        assert stored is not None
        assert (stored, stored.utcoffset()) == (at(0), timedelta(0))


class UsersContract:
    """Users: unique email in any case across tenants, scoped reads, newest first."""

    def test_every_field_of_a_user_round_trips(self, store: Store) -> None:
        """A user with every field set reads back equal, by id and by email."""
        seed(store)
        user = full_user()
        with store.transaction() as uow:
            uow.users.add(user)
        assert store.reader().users.get(ACME, user.id) == user
        assert store.reader().users.find_by_email(user.email) == user

    def test_another_tenants_user_is_not_found(self, store: Store) -> None:
        """``get`` with the wrong tenant or an unknown id raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1"))
        for tenant_id, user_id in ((GLOBEX, "usr_1"), (ACME, "usr_2")):
            with pytest.raises(NotFound):
                store.reader().users.get(tenant_id, user_id)

    @pytest.mark.parametrize(
        "email", ["ann@acme.example", "ANN@Acme.Example", " Ann@acme.example "]
    )
    def test_an_email_taken_in_any_case_is_refused(self, store: Store, email: str) -> None:
        """Adding a user whose email differs only in case or spaces raises EmailTaken."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="Ann@Acme.example"))
        with pytest.raises(EmailTaken), store.transaction() as uow:
            uow.users.add(make_user("usr_2", tenant_id=GLOBEX, email=email))
        assert store.reader().users.list(GLOBEX, EVERYONE).total == 0

    def test_a_duplicate_user_id_is_a_conflict(self, store: Store) -> None:
        """Adding a user whose id exists raises Conflict (not EmailTaken) for a new email."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1"))
        with pytest.raises(Conflict) as raised, store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="other@acme.example"))
        assert not isinstance(raised.value, EmailTaken)

    def test_a_user_of_an_unknown_tenant_is_refused(self, store: Store) -> None:
        """Adding a user for a tenant that does not exist raises NotFound."""
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.users.add(make_user("usr_1", tenant_id="ghost"))
        assert store.reader().users.find_by_email("usr_1@ghost.example") is None

    def test_find_by_email_ignores_case_and_spaces(self, store: Store) -> None:
        """``find_by_email`` finds the user whatever the case, and None for unknown emails."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", tenant_id=GLOBEX, email="Ann@Globex.example"))
        assert store.reader().users.find_by_email("  aNN@GLOBEX.EXAMPLE") == make_user(
            "usr_1", tenant_id=GLOBEX, email="Ann@Globex.example"
        )
        assert store.reader().users.find_by_email("bob@globex.example") is None

    def test_update_replaces_every_field_of_a_user(self, store: Store) -> None:
        """An updated user reads back exactly as written, including a new email."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_full"))
        changed = full_user()
        with store.transaction() as uow:
            uow.users.update(changed)
        assert store.reader().users.get(ACME, "usr_full") == changed
        assert store.reader().users.find_by_email("usr_full@acme.example") is None

    def test_update_to_someone_elses_email_is_refused(self, store: Store) -> None:
        """Changing a user's email to another user's (any case) raises EmailTaken."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="ann@acme.example"))
            uow.users.add(make_user("usr_2", email="bob@acme.example"))
        with pytest.raises(EmailTaken), store.transaction() as uow:
            uow.users.update(make_user("usr_2", email="ANN@acme.example"))
        assert store.reader().users.get(ACME, "usr_2").email == "bob@acme.example"

    def test_update_may_change_the_case_of_ones_own_email(self, store: Store) -> None:
        """A user may be updated with their own email in another case."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="ann@acme.example"))
        with store.transaction() as uow:
            uow.users.update(make_user("usr_1", email="Ann@Acme.example"))
        assert store.reader().users.get(ACME, "usr_1").email == "Ann@Acme.example"

    def test_update_of_a_missing_user_is_not_found(self, store: Store) -> None:
        """Updating an unknown user raises NotFound, even with an email that is taken."""
        seed(store)
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", email="ann@acme.example"))
        for email in ("ghost@acme.example", "ann@acme.example"):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.users.update(make_user("usr_ghost", email=email))
        assert store.reader().users.list(ACME, EVERYONE).total == 1

    def test_list_is_the_tenants_users_newest_first_and_paged(self, store: Store) -> None:
        """Users list by created_at then id, descending, only the tenant's, with paging."""
        seed(store)
        with store.transaction() as uow:
            for user_id, seconds in (("usr_b", 20), ("usr_a", 10), ("usr_c", 20), ("usr_d", 30)):
                uow.users.add(make_user(user_id, created_at=at(seconds)))
            uow.users.add(make_user("usr_z", tenant_id=GLOBEX, created_at=at(99)))
        expected = ["usr_d", "usr_c", "usr_b", "usr_a"]
        assert ids(store.reader().users.list(ACME, EVERYONE).items) == expected
        _expect_pages(lambda page: store.reader().users.list(ACME, page), expected)


class SessionsContract:
    """Sessions: found with their user in one read, deleted one by one or per user."""

    def _seed_sessions(self, store: Store) -> User:
        seed(store)
        user = full_user()
        with store.transaction() as uow:
            uow.users.add(user)
            uow.users.add(make_user("usr_2"))
            for token_hash, user_id in (
                ("a" * 64, user.id),
                ("b" * 64, user.id),
                ("c" * 64, "usr_2"),
            ):
                uow.sessions.add(Session(token_hash, user_id, ACME, at(1), at(86_400)))
        return user

    def test_find_with_user_returns_the_session_and_its_user(self, store: Store) -> None:
        """A stored session reads back equal, together with its user."""
        user = self._seed_sessions(store)
        assert store.reader().sessions.find_with_user("a" * 64) == (
            Session("a" * 64, user.id, ACME, at(1), at(86_400)),
            user,
        )

    def test_an_unknown_hash_finds_nothing(self, store: Store) -> None:
        """``find_with_user`` answers None for a hash never stored."""
        self._seed_sessions(store)
        assert store.reader().sessions.find_with_user("d" * 64) is None

    def test_delete_ends_only_that_session(self, store: Store) -> None:
        """Deleting one session leaves the others; deleting an unknown hash is harmless."""
        self._seed_sessions(store)
        with store.transaction() as uow:
            uow.sessions.delete("a" * 64)
            uow.sessions.delete("d" * 64)
        found = [store.reader().sessions.find_with_user(h * 64) is not None for h in "abc"]
        assert found == [False, True, True]

    def test_delete_for_user_ends_all_of_theirs_and_no_others(self, store: Store) -> None:
        """``delete_for_user`` removes every session of the user and keeps everyone else's."""
        user = self._seed_sessions(store)
        with store.transaction() as uow:
            uow.sessions.delete_for_user(user.id)
        found = [store.reader().sessions.find_with_user(h * 64) is not None for h in "abc"]
        assert found == [False, False, True]

    def test_a_duplicate_session_hash_is_a_conflict(self, store: Store) -> None:
        """Adding a session whose hash exists raises Conflict."""
        self._seed_sessions(store)
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.sessions.add(Session("a" * 64, "usr_2", ACME, T0, at(5)))
        assert store.reader().sessions.find_with_user("a" * 64)[1].id == "usr_full"  # type: ignore[index]

    def test_a_session_of_an_unknown_user_is_refused(self, store: Store) -> None:
        """Adding a session for a user that does not exist raises NotFound."""
        seed(store)
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.sessions.add(Session("e" * 64, "usr_ghost", ACME, T0, at(5)))
        assert store.reader().sessions.find_with_user("e" * 64) is None


class InvitesContract:
    """Invites: one-time tokens found by hash, marked used, replaced per user."""

    def _seed_invites(self, store: Store) -> Invite:
        seed(store)
        invite = Invite("a" * 64, "usr_1", ACME, at(1), at(604_800))
        with store.transaction() as uow:
            uow.users.add(make_user("usr_1", status=UserStatus.INVITED))
            uow.users.add(make_user("usr_2", status=UserStatus.INVITED))
            uow.invites.add(invite)
            uow.invites.add(Invite("b" * 64, "usr_2", ACME, at(1), at(2)))
        return invite

    def test_an_invite_round_trips(self, store: Store) -> None:
        """A stored invite reads back equal by its hash; an unknown hash finds None."""
        invite = self._seed_invites(store)
        assert store.reader().invites.find("a" * 64) == invite
        assert store.reader().invites.find("c" * 64) is None

    def test_update_marks_it_used(self, store: Store) -> None:
        """An updated invite reads back with its ``used_at``."""
        invite = self._seed_invites(store)
        with store.transaction() as uow:
            uow.invites.update(attrs.evolve(invite, used_at=at(3)))
        assert store.reader().invites.find("a" * 64) == attrs.evolve(invite, used_at=at(3))

    def test_update_of_an_unknown_invite_is_not_found(self, store: Store) -> None:
        """Updating an invite whose hash is not stored raises NotFound."""
        invite = self._seed_invites(store)
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.invites.update(attrs.evolve(invite, token_hash="c" * 64))

    def test_delete_for_user_removes_only_theirs(self, store: Store) -> None:
        """``delete_for_user`` removes the user's invites and keeps the others."""
        self._seed_invites(store)
        with store.transaction() as uow:
            uow.invites.delete_for_user("usr_1")
        reader = store.reader()
        assert (reader.invites.find("a" * 64), reader.invites.find("b" * 64) is not None) == (
            None,
            True,
        )

    def test_a_duplicate_invite_hash_is_a_conflict(self, store: Store) -> None:
        """Adding an invite whose hash exists raises Conflict."""
        invite = self._seed_invites(store)
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.invites.add(attrs.evolve(invite, user_id="usr_2"))
        assert store.reader().invites.find("a" * 64) == invite


class LoginFailuresContract:
    """Login failures: per email in any case, read from a moment on, cleared per email."""

    def test_since_answers_failures_at_or_after_the_moment_oldest_first(self, store: Store) -> None:
        """``since`` includes a failure exactly at the moment and sorts by time."""
        with store.transaction() as uow:
            for seconds in (30, 10, 20, 5):
                uow.login_failures.record("ann@acme.example", at(seconds))
        assert store.reader().login_failures.since("ann@acme.example", at(10)) == [
            at(10),
            at(20),
            at(30),
        ]

    def test_email_case_and_spaces_do_not_matter(self, store: Store) -> None:
        """Failures recorded, read and cleared under different cases are the same email's."""
        with store.transaction() as uow:
            uow.login_failures.record("Ann@Acme.example", at(1))
            uow.login_failures.record(" ANN@acme.EXAMPLE ", at(2))
            uow.login_failures.record("bob@acme.example", at(3))
        assert store.reader().login_failures.since("ann@ACME.example", at(0)) == [at(1), at(2)]
        with store.transaction() as uow:
            uow.login_failures.clear("aNN@acme.example")
        reader = store.reader()
        assert reader.login_failures.since("ann@acme.example", at(0)) == []
        assert reader.login_failures.since("bob@acme.example", at(0)) == [at(3)]

    def test_forget_before_drops_only_older_failures_of_every_email(self, store: Store) -> None:
        """``forget_before`` keeps failures at or after the moment, for every email."""
        with store.transaction() as uow:
            for email, seconds in (
                ("ann@acme.example", 1),
                ("ann@acme.example", 9),
                ("bob@acme.example", 2),
                ("cy@acme.example", 12),
            ):
                uow.login_failures.record(email, at(seconds))
            uow.login_failures.forget_before(at(9))
        reader = store.reader()
        assert [
            reader.login_failures.since(email, at(0))
            for email in ("ann@acme.example", "bob@acme.example", "cy@acme.example")
        ] == [[at(9)], [], [at(12)]]

    def test_an_email_without_failures_has_none(self, store: Store) -> None:
        """``since`` answers an empty list for an email never recorded."""
        assert store.reader().login_failures.since("nobody@acme.example", at(-1)) == []


class ApiKeysContract:
    """API keys: scoped reads, lookup by id in any tenant and by shared prefix."""

    def test_every_field_of_a_key_round_trips(self, store: Store) -> None:
        """A key with every field set reads back equal by get, find and prefix."""
        seed(store)
        key = full_api_key()
        with store.transaction() as uow:
            uow.api_keys.add(key)
        reader = store.reader()
        assert (reader.api_keys.get(ACME, key.id), reader.api_keys.find(key.id)) == (key, key)
        assert reader.api_keys.find_by_prefix(key.token_prefix) == [key]

    def test_another_tenants_key_is_not_found(self, store: Store) -> None:
        """``get`` under the wrong tenant raises NotFound; ``find`` looks in every tenant."""
        seed(store)
        with store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_1", tenant_id=GLOBEX))
        for tenant_id, key_id in ((ACME, "key_1"), (GLOBEX, "key_2")):
            with pytest.raises(NotFound):
                store.reader().api_keys.get(tenant_id, key_id)
        assert store.reader().api_keys.find("key_1") == make_api_key("key_1", tenant_id=GLOBEX)
        assert store.reader().api_keys.find("key_2") is None

    def test_find_by_prefix_answers_every_key_sharing_it(self, store: Store) -> None:
        """Keys of any tenant with the same prefix all come back, sorted by id."""
        seed(store)
        with store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_c", token_prefix="tk_aaaaaaaa"))
            uow.api_keys.add(make_api_key("key_a", tenant_id=GLOBEX, token_prefix="tk_aaaaaaaa"))
            uow.api_keys.add(make_api_key("key_b", token_prefix="tk_bbbbbbbb"))
            uow.api_keys.add(make_api_key("key_d", token_prefix="tk_aaaaaaaa", revoked=True))
        reader = store.reader()
        assert ids(reader.api_keys.find_by_prefix("tk_aaaaaaaa")) == ["key_a", "key_c", "key_d"]
        assert reader.api_keys.find_by_prefix("tk_aaaaaaa") == []

    def test_update_revokes(self, store: Store) -> None:
        """An updated key reads back exactly as written."""
        seed(store)
        with store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_full"))
        with store.transaction() as uow:
            uow.api_keys.update(full_api_key())
        assert store.reader().api_keys.get(ACME, "key_full") == full_api_key()

    def test_update_of_an_unknown_key_is_not_found(self, store: Store) -> None:
        """Updating a key that is not stored raises NotFound and creates nothing."""
        seed(store)
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.api_keys.update(make_api_key("key_ghost"))
        assert store.reader().api_keys.find("key_ghost") is None

    def test_a_duplicate_key_id_or_unknown_tenant_is_refused(self, store: Store) -> None:
        """A repeated id raises Conflict and a key of an unknown tenant raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_1"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_1", tenant_id=GLOBEX))
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.api_keys.add(make_api_key("key_2", tenant_id="ghost"))
        assert store.reader().api_keys.find("key_1") == make_api_key("key_1")

    def test_list_is_the_tenants_keys_newest_first_and_paged(self, store: Store) -> None:
        """Keys list by created_at then id, descending, only the tenant's, with paging."""
        seed(store)
        with store.transaction() as uow:
            for key_id, seconds in (("key_a", 5), ("key_c", 7), ("key_b", 7), ("key_d", 1)):
                uow.api_keys.add(make_api_key(key_id, created_at=at(seconds)))
            uow.api_keys.add(make_api_key("key_z", tenant_id=GLOBEX, created_at=at(9)))
        expected = ["key_c", "key_b", "key_a", "key_d"]
        assert ids(store.reader().api_keys.list(ACME, EVERYONE).items) == expected
        _expect_pages(lambda page: store.reader().api_keys.list(ACME, page), expected)


class VacanciesContract:
    """Vacancies: tenant-scoped CRUD, filtered and paged lists, and the public careers board."""

    def _add(self, store: Store, *vacancies: Vacancy) -> None:
        with store.transaction() as uow:
            for vacancy in vacancies:
                uow.vacancies.add(vacancy)

    def _list(self, store: Store, where: VacancyFilter, tenant_id: str = ACME) -> list[str]:
        return ids(store.reader().vacancies.list(tenant_id, where, EVERYONE).items)

    def _board(self, store: Store, where: CareersFilter) -> list[str]:
        return ids(store.reader().vacancies.list_open(where, EVERYONE).items)

    def test_every_field_of_a_vacancy_round_trips(self, store: Store) -> None:
        """A vacancy with every field set reads back equal."""
        seed(store)
        vacancy = full_vacancy()
        with store.transaction() as uow:
            uow.subsidiaries.add(Subsidiary("sub_full", ACME, "Sub", T0))
            uow.vacancies.add(vacancy)
        assert store.reader().vacancies.get(ACME, vacancy.id) == vacancy

    def test_another_tenants_vacancy_is_not_found(self, store: Store) -> None:
        """``get`` with the wrong tenant or an unknown id raises NotFound."""
        seed(store)
        self._add(store, make_vacancy("vac_1", tenant_id=GLOBEX))
        for tenant_id, vacancy_id in ((ACME, "vac_1"), (GLOBEX, "vac_2")):
            with pytest.raises(NotFound):
                store.reader().vacancies.get(tenant_id, vacancy_id)

    def test_update_of_another_tenants_vacancy_is_not_found(self, store: Store) -> None:
        """Updating a vacancy under the wrong tenant raises NotFound and changes nothing."""
        seed(store)
        theirs = make_vacancy("vac_1", tenant_id=GLOBEX, title="Theirs")
        self._add(store, theirs)
        for forged in (
            attrs.evolve(theirs, tenant_id=ACME, title="Mine"),
            make_vacancy("vac_ghost"),
        ):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.vacancies.update(forged)
        assert store.reader().vacancies.get(GLOBEX, "vac_1") == theirs
        assert self._list(store, VacancyFilter()) == []

    def test_update_replaces_every_field_of_a_vacancy(self, store: Store) -> None:
        """An updated vacancy reads back exactly as written."""
        seed(store)
        self._add(store, make_vacancy("vac_full"))
        with store.transaction() as uow:
            uow.subsidiaries.add(Subsidiary("sub_full", ACME, "Sub", T0))
            uow.vacancies.update(full_vacancy())
        assert store.reader().vacancies.get(ACME, "vac_full") == full_vacancy()

    def test_delete_of_another_tenants_vacancy_is_not_found(self, store: Store) -> None:
        """Deleting under the wrong tenant, or an unknown id, raises NotFound and keeps the row."""
        seed(store)
        self._add(store, make_vacancy("vac_1", tenant_id=GLOBEX))
        for tenant_id, vacancy_id in ((ACME, "vac_1"), (GLOBEX, "vac_2")):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.vacancies.delete(tenant_id, vacancy_id)
        assert self._list(store, VacancyFilter(), GLOBEX) == ["vac_1"]

    def test_delete_removes_the_vacancy(self, store: Store) -> None:
        """A deleted vacancy is gone from get, list and the careers board."""
        seed(store)
        self._add(store, make_vacancy("vac_1"), make_vacancy("vac_2"))
        with store.transaction() as uow:
            uow.vacancies.delete(ACME, "vac_1")
        with pytest.raises(NotFound):
            store.reader().vacancies.get(ACME, "vac_1")
        assert self._list(store, VacancyFilter()) == ["vac_2"]
        assert store.reader().vacancies.find_open("vac_1") is None

    def test_a_duplicate_vacancy_id_is_a_conflict(self, store: Store) -> None:
        """Adding a vacancy whose id exists, in any tenant, raises Conflict."""
        seed(store)
        self._add(store, make_vacancy("vac_1"))
        with pytest.raises(Conflict):
            self._add(store, make_vacancy("vac_1", tenant_id=GLOBEX))
        assert self._list(store, VacancyFilter(), GLOBEX) == []

    def test_an_unknown_tenant_or_subsidiary_is_refused(self, store: Store) -> None:
        """Adding or updating with a tenant or subsidiary that does not exist raises NotFound."""
        seed(store)
        self._add(store, make_vacancy("vac_1"))
        for bad in (
            make_vacancy("vac_2", tenant_id="ghost"),
            make_vacancy("vac_3", subsidiary_id="sub_ghost"),
        ):
            with pytest.raises(NotFound):
                self._add(store, bad)
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.vacancies.update(make_vacancy("vac_1", subsidiary_id="sub_ghost"))
        assert store.reader().vacancies.get(ACME, "vac_1") == make_vacancy("vac_1")

    def test_list_is_newest_first_then_by_id_and_paged(self, store: Store) -> None:
        """Vacancies list by created_at then id, descending, only the tenant's, with paging."""
        seed(store)
        self._add(
            store,
            make_vacancy("vac_b", created_at=at(20)),
            make_vacancy("vac_a", created_at=at(10)),
            make_vacancy("vac_c", created_at=at(20)),
            make_vacancy("vac_e", created_at=at(20.000001)),
            make_vacancy("vac_d", created_at=at(5)),
            make_vacancy("vac_z", tenant_id=GLOBEX, created_at=at(50)),
        )
        expected = ["vac_e", "vac_c", "vac_b", "vac_a", "vac_d"]
        assert self._list(store, VacancyFilter()) == expected
        _expect_pages(
            lambda page: store.reader().vacancies.list(ACME, VacancyFilter(), page), expected
        )

    def test_q_is_a_case_insensitive_substring_of_title_description_or_location(
        self, store: Store
    ) -> None:
        """``q`` matches title, description or location in any case, never notes or skills."""
        seed(store)
        self._add(
            store,
            make_vacancy("vac_1", title="Senior Backend ENGINEER"),
            make_vacancy("vac_2", title="Chef", description="Feeds the engineers"),
            make_vacancy("vac_3", title="Nurse", location="Engineering Campus"),
            make_vacancy("vac_4", title="Clerk", internal_notes="engineer", skills=["engineer"]),
            make_vacancy("vac_5", tenant_id=GLOBEX, title="Engineer"),
        )
        assert self._list(store, VacancyFilter(q="eNgInEeR")) == ["vac_3", "vac_2", "vac_1"]
        assert self._list(store, VacancyFilter(q="backend eng")) == ["vac_1"]
        assert self._list(store, VacancyFilter(q="engineers!")) == []

    def test_status_and_subsidiary_filters_are_exact_and_combine(self, store: Store) -> None:
        """``status`` and ``subsidiary_id`` select exact matches, and together both must hold."""
        seed(store)
        with store.transaction() as uow:
            uow.subsidiaries.add(Subsidiary("sub_1", ACME, "One", T0))
            uow.subsidiaries.add(Subsidiary("sub_2", ACME, "Two", T0))
        self._add(
            store,
            make_vacancy("vac_1", status=VacancyStatus.DRAFT, subsidiary_id="sub_1"),
            make_vacancy("vac_2", status=VacancyStatus.OPEN, subsidiary_id="sub_1"),
            make_vacancy("vac_3", status=VacancyStatus.DRAFT, subsidiary_id="sub_2"),
            make_vacancy("vac_4", status=VacancyStatus.DRAFT),
        )
        draft = VacancyStatus.DRAFT
        assert self._list(store, VacancyFilter(status=draft)) == ["vac_4", "vac_3", "vac_1"]
        assert self._list(store, VacancyFilter(subsidiary_id="sub_1")) == ["vac_2", "vac_1"]
        assert self._list(store, VacancyFilter(status=draft, subsidiary_id="sub_1")) == ["vac_1"]
        assert self._list(store, VacancyFilter(status=VacancyStatus.CLOSED)) == []
        filtered = store.reader().vacancies.list(
            ACME, VacancyFilter(status=draft), PageRequest(limit=1, offset=1)
        )
        assert (ids(filtered.items), filtered.total) == (["vac_3"], 3)

    def _seed_board(self, store: Store) -> None:
        seed(store)
        self._add(
            store,
            make_vacancy("vac_1", title="Backend Engineer", location="Berlin", created_at=at(1)),
            make_vacancy("vac_2", title="Designer", location="Berlin", status=VacancyStatus.DRAFT),
            make_vacancy(
                "vac_3",
                tenant_id=GLOBEX,
                title="Data Engineer",
                location="BERLIN",
                created_at=at(3),
            ),
            make_vacancy(
                "vac_4",
                tenant_id=GLOBEX,
                title="Nurse",
                location="Berlin-Mitte",
                description="Night shifts",
                created_at=at(4),
            ),
            make_vacancy("vac_5", tenant_id=GLOBEX, title="Engineer", status=VacancyStatus.CLOSED),
            make_vacancy("vac_6", title="Remote Engineer", status=VacancyStatus.ON_HOLD),
            make_vacancy("vac_7", title="Remote Anything", created_at=at(2)),
        )

    def test_the_careers_board_lists_open_vacancies_of_every_tenant(self, store: Store) -> None:
        """``list_open`` shows only open vacancies, of all tenants, newest first."""
        self._seed_board(store)
        assert self._board(store, CareersFilter()) == ["vac_4", "vac_3", "vac_7", "vac_1"]
        _expect_pages(
            lambda page: store.reader().vacancies.list_open(CareersFilter(), page),
            ["vac_4", "vac_3", "vac_7", "vac_1"],
        )

    def test_the_careers_board_filters_by_tenant_location_and_q(self, store: Store) -> None:
        """Careers filters: tenant exact, location exact ignoring case, q a substring."""
        self._seed_board(store)
        assert self._board(store, CareersFilter(tenant=GLOBEX)) == ["vac_4", "vac_3"]
        assert self._board(store, CareersFilter(location="berlin")) == ["vac_3", "vac_1"]
        assert self._board(store, CareersFilter(q="ENGINEER")) == ["vac_3", "vac_1"]
        assert self._board(store, CareersFilter(q="night")) == ["vac_4"]
        assert self._board(store, CareersFilter(tenant=ACME, location="Berlin", q="end")) == [
            "vac_1"
        ]
        assert self._board(store, CareersFilter(tenant="ghost")) == []

    def test_a_vacancy_without_location_matches_no_location_filter(self, store: Store) -> None:
        """A location filter, even an empty one, never matches a vacancy that has no location."""
        self._seed_board(store)
        assert self._board(store, CareersFilter(location="")) == []

    def test_find_open_answers_only_open_vacancies(self, store: Store) -> None:
        """``find_open`` returns an open vacancy of any tenant and None for any other."""
        self._seed_board(store)
        reader = store.reader()
        assert reader.vacancies.find_open("vac_3") == reader.vacancies.get(GLOBEX, "vac_3")
        assert [reader.vacancies.find_open(i) for i in ("vac_2", "vac_5", "vac_x")] == [None] * 3

    def test_returned_and_given_objects_are_copies(self, store: Store) -> None:
        """Mutating a vacancy after adding it, or one read back, changes nothing stored."""
        seed(store)
        given_vacancy = make_vacancy("vac_1", skills=["python"])
        self._add(store, given_vacancy)
        given_vacancy.skills.append("given")
        store.reader().vacancies.get(ACME, "vac_1").skills.append("got")
        store.reader().vacancies.list(ACME, VacancyFilter(), EVERYONE).items[0].skills.clear()
        assert store.reader().vacancies.get(ACME, "vac_1").skills == ["python"]

    @_hypothesis
    @given(
        title=_TEXT.filter(bool),
        description=st.none() | _TEXT,
        location=st.none() | _TEXT,
        q=_TEXT.filter(bool),
        skills=st.lists(_TEXT, max_size=4),
        data=st.data(),
    )
    def test_any_text_round_trips_and_q_means_casefolded_substring(
        self,
        store: Store,
        title: str,
        description: str | None,
        location: str | None,
        q: str,
        skills: list[str],
        data: st.DataObject,
    ) -> None:
        """For any text, a vacancy reads back equal and ``q`` finds it iff it is a substring."""
        tenant_id = fresh("tenant")
        seed(store, tenant_id)
        vacancy = make_vacancy(
            fresh("vac"),
            tenant_id=tenant_id,
            title=title,
            description=description,
            location=location,
            skills=skills,
        )
        text = vacancy.search_text()
        start = data.draw(st.integers(0, len(text)))
        q = data.draw(st.sampled_from([q, text[start : start + len(q)] or q, q.upper()]))
        self._add(store, vacancy)
        assert store.reader().vacancies.get(tenant_id, vacancy.id) == vacancy
        expected = [vacancy.id] if q.casefold() in text else []
        assert self._list(store, VacancyFilter(q=q), tenant_id) == expected
        board = CareersFilter(tenant=tenant_id, q=q, location=location)
        assert self._board(store, board) == expected


class SubsidiariesContract:
    """Subsidiaries: stored whole, scoped to their tenant."""

    def test_every_field_of_a_subsidiary_round_trips(self, store: Store) -> None:
        """A subsidiary with every field set reads back equal."""
        seed(store)
        subsidiary = Subsidiary(
            "sub_1", ACME, "Filiale Zürich", at(1), country="CH", code="ZH-1", updated_at=at(2)
        )
        with store.transaction() as uow:
            uow.subsidiaries.add(subsidiary)
        assert store.reader().subsidiaries.get(ACME, "sub_1") == subsidiary

    def test_another_tenants_subsidiary_is_not_found(self, store: Store) -> None:
        """``get`` with the wrong tenant or an unknown id raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.subsidiaries.add(Subsidiary("sub_1", GLOBEX, "Theirs", T0))
        for tenant_id, subsidiary_id in ((ACME, "sub_1"), (GLOBEX, "sub_2")):
            with pytest.raises(NotFound):
                store.reader().subsidiaries.get(tenant_id, subsidiary_id)

    def test_a_duplicate_subsidiary_id_or_unknown_tenant_is_refused(self, store: Store) -> None:
        """A repeated id raises Conflict and an unknown tenant raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.subsidiaries.add(Subsidiary("sub_1", ACME, "First", T0))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.subsidiaries.add(Subsidiary("sub_1", GLOBEX, "Second", T0))
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.subsidiaries.add(Subsidiary("sub_2", "ghost", "Third", T0))
        assert store.reader().subsidiaries.get(ACME, "sub_1").name == "First"


class AuditContract:
    """The audit trail: append-only, one head per tenant, listed by seq, streamed in order."""

    def test_head_follows_appends(self, store: Store) -> None:
        """A tenant has no head until its first event, then the head of its last append."""
        assert store.reader().audit.head(ACME) is None
        append(store, make_event(ACME, 1))
        assert store.reader().audit.head(ACME) == head_of(make_event(ACME, 1))
        append(store, make_event(ACME, 2), make_event(GLOBEX, 1))
        reader = store.reader()
        assert (reader.audit.head(ACME), reader.audit.head(GLOBEX)) == (
            head_of(make_event(ACME, 2)),
            head_of(make_event(GLOBEX, 1)),
        )

    def test_every_field_of_an_event_round_trips(self, store: Store) -> None:
        """An event with every field set, nested data included, reads back equal."""
        event = full_event()
        append(store, event)
        reader = store.reader()
        assert reader.audit.list(ACME, AuditFilter(), EVERYONE).items == [event]
        assert list(reader.audit.stream(ACME)) == [event]

    def test_a_duplicate_id_or_seq_is_a_conflict(self, store: Store) -> None:
        """A repeated event id, or a seq the tenant already has, raises Conflict; the head stays."""
        append(store, make_event(ACME, 1))
        for duplicate in (
            make_event(ACME, 2, id="aud_acme_00001"),
            make_event(ACME, 1, id="aud_other"),
        ):
            with pytest.raises(Conflict), store.transaction() as uow:
                uow.audit.append(duplicate, head_of(duplicate))
        reader = store.reader()
        assert (reader.audit.count(), reader.audit.head(ACME)) == (1, head_of(make_event(ACME, 1)))

    def test_list_is_newest_first_by_seq_and_paged(self, store: Store) -> None:
        """Events list by seq descending, whatever their times, only the tenant's, with paging."""
        append(
            store,
            *(make_event(ACME, seq, ts=at(100 - seq)) for seq in range(1, 6)),
            make_event(GLOBEX, 1),
        )
        expected = [f"aud_acme_{seq:05d}" for seq in (5, 4, 3, 2, 1)]
        assert ids(store.reader().audit.list(ACME, AuditFilter(), EVERYONE).items) == expected
        _expect_pages(lambda page: store.reader().audit.list(ACME, AuditFilter(), page), expected)

    def test_list_filters_by_type_since_and_q(self, store: Store) -> None:
        """``type`` is exact, ``since`` is inclusive, ``q`` is a substring of type or summary."""
        append(
            store,
            make_event(ACME, 1, type="vacancy.created", summary="Created Backend Engineer"),
            make_event(ACME, 2, type="vacancy.updated", summary="Updated title"),
            make_event(ACME, 3, type="client.vacancy.created", data={"q": "engineer"}),
            make_event(ACME, 4, type="auth.login"),
            make_event(GLOBEX, 1, type="vacancy.created", summary="Engineer"),
        )

        def listed(where: AuditFilter) -> list[int]:
            return [e.seq for e in store.reader().audit.list(ACME, where, EVERYONE).items]

        assert listed(AuditFilter(type="vacancy.created")) == [1]
        assert listed(AuditFilter(since=at(2))) == [4, 3, 2]
        assert listed(AuditFilter(q="ENGINEER")) == [1]
        assert listed(AuditFilter(q="Vacancy.CREATED")) == [3, 1]
        assert listed(AuditFilter(type="vacancy.updated", since=at(2), q="title")) == [2]
        assert listed(AuditFilter(type="vacancy")) == []

    def test_stream_is_in_seq_order_after_a_seq(self, store: Store) -> None:
        """``stream`` yields the tenant's events in ascending seq, starting after ``after_seq``."""
        append(
            store,
            *(make_event(ACME, seq, ts=at(-seq)) for seq in range(1, 6)),
            make_event(GLOBEX, 1),
        )
        reader = store.reader()
        assert [event.seq for event in reader.audit.stream(ACME)] == [1, 2, 3, 4, 5]
        assert [event.seq for event in reader.audit.stream(ACME, after_seq=3)] == [4, 5]
        assert list(reader.audit.stream("ghost")) == []

    def test_stream_reaches_the_end_of_a_long_chain(self, store: Store) -> None:
        """A chain longer than any sensible read batch streams whole, in order, once."""
        append(store, *(make_event(ACME, seq) for seq in range(1, 1102)))
        seqs = [event.seq for event in store.reader().audit.stream(ACME, after_seq=1)]
        assert seqs == list(range(2, 1102))

    def test_count_and_tenant_ids_cover_every_tenant(self, store: Store) -> None:
        """``count`` counts events of all tenants; ``tenant_ids`` lists chained tenants sorted."""
        append(store, make_event("zeta", 1), make_event(ACME, 1), make_event(ACME, 2))
        reader = store.reader()
        assert (reader.audit.count(), reader.audit.tenant_ids()) == (3, [ACME, "zeta"])

    def test_returned_events_are_copies(self, store: Store) -> None:
        """Mutating an event's data read back changes nothing stored."""
        append(store, full_event())
        store.reader().audit.list(ACME, AuditFilter(), EVERYONE).items[0].data.clear()
        next(iter(store.reader().audit.stream(ACME))).data["nested"]["list"].append(9)
        assert next(iter(store.reader().audit.stream(ACME))) == full_event()

    @_hypothesis
    @given(
        summary=st.none() | _TEXT,
        data=st.dictionaries(
            _TEXT,
            st.recursive(
                st.none()
                | st.booleans()
                | st.integers(-(2**53), 2**53)
                | st.floats(allow_nan=False)
                | _TEXT,
                lambda inner: (
                    st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3)
                ),
                max_leaves=8,
            ),
            max_size=4,
        ),
    )
    def test_any_json_data_round_trips(
        self, store: Store, summary: str | None, data: dict[str, Any]
    ) -> None:
        """For any JSON object as data and any summary text, an event reads back equal."""
        event = make_event(fresh("tenant"), 1, summary=summary, data=data)
        append(store, event)
        assert list(store.reader().audit.stream(event.tenant_id)) == [event]


class OutboxContract:
    """The webhook outbox: rows per tenant, newest first, and a count of the undispatched."""

    def test_every_field_of_an_outbox_event_round_trips(self, store: Store) -> None:
        """An outbox event with every field set reads back equal."""
        seed(store)
        event = OutboxEvent(
            "evt_1",
            ACME,
            "offer.accepted",
            at(1),
            data={"offer": {"id": "ofr_1", "terms": ["ü", 1.5]}},
            dispatched_at=at(2),
        )
        with store.transaction() as uow:
            uow.outbox.add(event)
        assert store.reader().outbox.list(ACME, EVERYONE).items == [event]

    def test_list_is_newest_first_and_paged(self, store: Store) -> None:
        """Outbox rows list by ts then id, descending, only the tenant's, with paging."""
        seed(store)
        with store.transaction() as uow:
            for event_id, seconds in (("evt_a", 2), ("evt_c", 2), ("evt_b", 9), ("evt_d", 1)):
                uow.outbox.add(make_outbox(event_id, ts=at(seconds)))
            uow.outbox.add(make_outbox("evt_z", tenant_id=GLOBEX, ts=at(99)))
        expected = ["evt_b", "evt_c", "evt_a", "evt_d"]
        assert ids(store.reader().outbox.list(ACME, EVERYONE).items) == expected
        _expect_pages(lambda page: store.reader().outbox.list(ACME, page), expected)

    def test_count_pending_counts_undispatched_rows_of_every_tenant(self, store: Store) -> None:
        """``count_pending`` counts rows without ``dispatched_at`` across tenants."""
        seed(store)
        with store.transaction() as uow:
            uow.outbox.add(make_outbox("evt_1"))
            uow.outbox.add(make_outbox("evt_2", tenant_id=GLOBEX))
            uow.outbox.add(make_outbox("evt_3", dispatched_at=at(1)))
        assert store.reader().outbox.count_pending() == 2

    def test_a_duplicate_outbox_event_id_or_unknown_tenant_is_refused(self, store: Store) -> None:
        """A repeated id raises Conflict and an unknown tenant raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.outbox.add(make_outbox("evt_1"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.outbox.add(make_outbox("evt_1", tenant_id=GLOBEX))
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.outbox.add(make_outbox("evt_2", tenant_id="ghost"))
        assert store.reader().outbox.count_pending() == 1


class StoreContract(
    TransactionContract,
    TenantsContract,
    UsersContract,
    SessionsContract,
    InvitesContract,
    LoginFailuresContract,
    ApiKeysContract,
    VacanciesContract,
    SubsidiariesContract,
    AuditContract,
    OutboxContract,
):
    """The whole storage contract, for a backend's test module to subclass once."""
