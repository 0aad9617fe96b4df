"""The contract for units of work: commit whole or not at all, never nest; savepoints undo
only their own block; snapshots read one state."""

from __future__ import annotations

import threading

import attrs
import pytest

from talentos_core.domain.candidates import CandidateFilter
from talentos_core.domain.interviews import InterviewFilter
from talentos_core.domain.offers import OfferFilter
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
    at,
    ids,
)
from talentos_core.testing.contract.builders import (
    append,
    head_of,
    make_agency,
    make_api_key,
    make_candidate,
    make_event,
    make_integration,
    make_interview,
    make_offer,
    make_outbox,
    make_subsidiary,
    make_tenant,
    make_user,
    make_vacancy,
    seed,
    seed_pipeline,
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
            uow.subsidiaries.add(make_subsidiary("sub_1"))
            uow.vacancies.add(make_vacancy("vac_1", subsidiary_id="sub_1"))
            uow.agencies.add(make_agency("agy_1"))
            uow.integrations.add(make_integration("int_1"))
            uow.candidates.add(make_candidate("cand_1", agency_id="agy_1"))
            uow.offers.add(make_offer("ofr_1"))
            uow.interviews.add(make_interview("iv_1"))
            uow.vacancies.add_to_counters(ACME, "vac_1", applicants=1)
            uow.rate_limits.hit("apply", "203.0.113.7", T0)
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
        assert reader.rate_limits.hits_since("apply", "203.0.113.7", at(-1)) == []
        for repository in (reader.subsidiaries, reader.agencies, reader.integrations):
            assert repository.list(ACME, EVERYONE).total == 0
        assert reader.candidates.list(ACME, CandidateFilter(), EVERYONE).total == 0
        assert reader.offers.list(ACME, OfferFilter(), EVERYONE).total == 0
        assert reader.interviews.list(ACME, InterviewFilter(), EVERYONE).total == 0

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

    def test_a_rollback_restores_the_pipeline_and_the_organisation(self, store: Store) -> None:
        """Updates, deletes, counts and forgetting of a failed unit of work are all undone."""
        candidate = make_candidate("cand_1", agency_id="agy_1")
        seed_pipeline(store, candidate, make_candidate("cand_2"))
        with store.transaction() as uow:
            uow.subsidiaries.add(make_subsidiary("sub_1"))
            uow.integrations.add(make_integration("int_1", config={"a": [1]}))
            uow.offers.add(make_offer("ofr_1"))
            uow.interviews.add(make_interview("iv_1"))
            uow.rate_limits.hit("apply", "203.0.113.7", at(1))
        reader = store.reader()
        before = [
            reader.subsidiaries.list(ACME, EVERYONE),
            reader.agencies.list(ACME, EVERYONE),
            reader.integrations.list(ACME, EVERYONE),
            reader.candidates.list(ACME, CandidateFilter(), EVERYONE),
            reader.offers.list(ACME, OfferFilter(), EVERYONE),
            reader.interviews.list(ACME, InterviewFilter(), EVERYONE),
            reader.vacancies.list(ACME, VacancyFilter(), EVERYONE),
        ]
        with pytest.raises(RuntimeError, match="boom"), store.transaction() as uow:
            uow.subsidiaries.update(make_subsidiary("sub_1", name="Renamed"))
            uow.integrations.update(make_integration("int_1", config={"a": [2]}))
            uow.offers.update(make_offer("ofr_1", notes="changed"))
            uow.interviews.delete(ACME, "iv_1")
            uow.offers.delete(ACME, "ofr_1")
            uow.candidates.update(attrs.evolve(candidate, agency_id=None, email="new@x.example"))
            uow.candidates.delete(ACME, "cand_2")
            uow.agencies.delete(ACME, "agy_1")
            uow.subsidiaries.delete(ACME, "sub_1")
            uow.vacancies.add_to_counters(ACME, "vac_1", applicants=5, hired=2)
            uow.rate_limits.forget_before("apply", at(2))
            raise RuntimeError("boom")
        reader = store.reader()
        assert [
            reader.subsidiaries.list(ACME, EVERYONE),
            reader.agencies.list(ACME, EVERYONE),
            reader.integrations.list(ACME, EVERYONE),
            reader.candidates.list(ACME, CandidateFilter(), EVERYONE),
            reader.offers.list(ACME, OfferFilter(), EVERYONE),
            reader.interviews.list(ACME, InterviewFilter(), EVERYONE),
            reader.vacancies.list(ACME, VacancyFilter(), EVERYONE),
        ] == before
        assert reader.candidates.find_by_email(ACME, "vac_1", "new@x.example") is None
        assert reader.rate_limits.hits_since("apply", "203.0.113.7", at(0)) == [at(1)]

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

    def test_a_failed_savepoint_undoes_only_its_own_writes(self, store: Store) -> None:
        """A block that raises inside ``savepoint()`` loses its writes and re-raises; the
        transaction goes on, sees the state before the block, and commits the rest."""
        seed(store)
        with store.transaction() as uow:
            uow.vacancies.add(make_vacancy("vac_1"))
            with pytest.raises(RuntimeError, match="item"), uow.savepoint():
                uow.vacancies.add(make_vacancy("vac_2"))
                uow.vacancies.update(make_vacancy("vac_1", title="Changed"))
                uow.tenants.update(make_tenant(GLOBEX, name="Renamed"))
                raise RuntimeError("item")
            assert uow.vacancies.get(ACME, "vac_1") == make_vacancy("vac_1")
            with uow.savepoint():
                uow.vacancies.add(make_vacancy("vac_3"))
            uow.vacancies.add(make_vacancy("vac_4"))
        reader = store.reader()
        listed = reader.vacancies.list(ACME, VacancyFilter(), EVERYONE).items
        assert listed == [make_vacancy(vacancy_id) for vacancy_id in ("vac_4", "vac_3", "vac_1")]
        assert reader.tenants.get(GLOBEX) == make_tenant(GLOBEX)

    def test_a_savepoint_needs_an_open_transaction(self, store: Store) -> None:
        """``savepoint()`` outside a transaction, or after it ended, raises RuntimeError."""
        seed(store)
        with pytest.raises(RuntimeError), store.reader().savepoint():
            store.reader().vacancies.add(make_vacancy("vac_1"))  # pragma: no cover - not reached
        with store.transaction() as uow:
            uow.vacancies.add(make_vacancy("vac_2"))
        with pytest.raises(RuntimeError), uow.savepoint():
            uow.vacancies.add(make_vacancy("vac_3"))  # pragma: no cover - not reached
        listed = store.reader().vacancies.list(ACME, VacancyFilter(), EVERYONE)
        assert ids(listed.items) == ["vac_2"]

    def test_savepoints_nest_across_repositories_and_the_audit_chain(self, store: Store) -> None:
        """Nested savepoints each undo only their own level, whichever repositories they wrote
        (the audit chain and its head included), when a store refusal or any error ends them."""
        seed_pipeline(store)
        ip = "203.0.113.7"
        with store.transaction() as uow:
            with uow.savepoint():
                uow.candidates.add(make_candidate("cand_1"))
                uow.vacancies.add_to_counters(ACME, "vac_1", applicants=1)
                uow.audit.append(make_event(ACME, 1), head_of(make_event(ACME, 1)))
                with pytest.raises(Conflict), uow.savepoint():
                    uow.candidates.add(make_candidate("cand_2"))
                    uow.vacancies.add_to_counters(ACME, "vac_1", applicants=1)
                    uow.audit.append(make_event(ACME, 2), head_of(make_event(ACME, 2)))
                    uow.outbox.add(make_outbox("evt_2"))
                    uow.rate_limits.hit("apply", ip, at(2))
                    uow.candidates.add(make_candidate("cand_3", email=" CAND_1@example.com"))
                with uow.savepoint():
                    uow.offers.add(make_offer("ofr_1"))
                    uow.rate_limits.hit("apply", ip, at(1))
            with pytest.raises(KeyError), uow.savepoint():
                uow.interviews.add(make_interview("iv_1"))
                uow.audit.append(make_event(ACME, 2), head_of(make_event(ACME, 2)))
                uow.agencies.update(make_agency("agy_1", name="Renamed"))
                with uow.savepoint():
                    uow.integrations.add(make_integration("int_1"))
                raise KeyError("outer")
            uow.outbox.add(make_outbox("evt_3"))
        reader = store.reader()
        assert ids(reader.candidates.list(ACME, CandidateFilter(), EVERYONE).items) == ["cand_1"]
        assert reader.vacancies.get(ACME, "vac_1").applicants == 1
        assert (reader.audit.head(ACME), reader.audit.count()) == (head_of(make_event(ACME, 1)), 1)
        assert ids(reader.outbox.list(ACME, EVERYONE).items) == ["evt_3"]
        assert reader.rate_limits.hits_since("apply", ip, at(0)) == [at(1)]
        assert ids(reader.offers.list(ACME, OfferFilter(), EVERYONE).items) == ["ofr_1"]
        assert reader.interviews.list(ACME, InterviewFilter(), EVERYONE).total == 0
        assert reader.agencies.get(ACME, "agy_1") == make_agency("agy_1")
        assert reader.integrations.list(ACME, EVERYONE).total == 0

    def test_a_failed_transaction_undoes_its_completed_savepoints(self, store: Store) -> None:
        """Writes of a savepoint that ended normally are still undone when the whole unit of
        work fails."""
        seed(store)
        with pytest.raises(RuntimeError, match="late"), store.transaction() as uow:
            with uow.savepoint():
                uow.vacancies.add(make_vacancy("vac_1"))
                with uow.savepoint():
                    uow.vacancies.add(make_vacancy("vac_2"))
            raise RuntimeError("late")
        assert store.reader().vacancies.list(ACME, VacancyFilter(), EVERYONE).total == 0

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
