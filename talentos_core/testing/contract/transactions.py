"""The contract for units of work: commit whole or not at all, never nest; snapshots."""

from __future__ import annotations

import threading

import attrs
import pytest

from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.users import Invite, Session
from talentos_core.domain.vacancies import (
    CareersFilter,
    VacancyFilter,
)
from talentos_core.errors import Conflict
from talentos_core.ports import Store
from talentos_core.testing.contract._support import (
    ACME,
    EVERYONE,
    GLOBEX,
    T0,
    append,
    at,
    head_of,
    ids,
    make_api_key,
    make_event,
    make_outbox,
    make_tenant,
    make_user,
    make_vacancy,
    seed,
)


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

    def test_a_snapshot_reads_one_state_while_another_thread_commits(self, store: Store) -> None:
        """Reads inside ``snapshot()`` agree with each other although another thread commits
        between them; the commit is there once the snapshot ends."""
        seed(store)
        append(store, make_event(ACME, 1))
        writer = threading.Thread(target=append, args=(store, make_event(ACME, 2)))
        with store.snapshot() as snapshot:
            head = snapshot.audit.head(ACME)
            writer.start()
            # SQLite commits meanwhile (WAL); the memory store holds it until the snapshot ends.
            writer.join(timeout=0.5)
            seen = [event.seq for event in snapshot.audit.stream(ACME)]
            assert (head.seq if head else None, seen) == (1, [1])
        writer.join()
        after = store.reader().audit.head(ACME)
        assert (after.seq if after else None, store.reader().audit.count()) == (2, 2)

    def test_the_store_reads_and_writes_after_a_snapshot(self, store: Store) -> None:
        """A snapshot left by an exception leaves the store usable for transactions and reads."""
        seed(store)
        with pytest.raises(KeyError), store.snapshot() as snapshot:
            snapshot.tenants.get(ACME)
            raise KeyError("boom")
        append(store, make_event(ACME, 1))
        assert store.reader().audit.count() == 1
