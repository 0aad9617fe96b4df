"""The contract for how a tenant is organised: subsidiaries, agencies and integrations."""

from __future__ import annotations

import attrs
import pytest

from talentos_core.errors import Conflict, InUse, NotFound
from talentos_core.ports import Store
from talentos_core.testing.contract._support import (
    ACME,
    EVERYONE,
    GLOBEX,
    _expect_pages,
    at,
    ids,
)
from talentos_core.testing.contract.builders import (
    full_agency,
    full_integration,
    full_subsidiary,
    make_agency,
    make_candidate,
    make_integration,
    make_subsidiary,
    make_vacancy,
    seed,
)


class SubsidiariesContract:
    """Subsidiaries: stored whole, scoped to their tenant, kept while a vacancy uses them."""

    def test_every_field_of_a_subsidiary_round_trips(self, store: Store) -> None:
        """A subsidiary with every field set reads back equal by id and list."""
        seed(store)
        subsidiary = full_subsidiary()
        with store.transaction() as uow:
            uow.subsidiaries.add(subsidiary)
        reader = store.reader()
        assert reader.subsidiaries.get(ACME, subsidiary.id) == subsidiary
        assert reader.subsidiaries.list(ACME, EVERYONE).items == [subsidiary]

    def test_update_replaces_every_field_of_a_subsidiary(self, store: Store) -> None:
        """An updated subsidiary reads back exactly as written, and so does one cleared."""
        seed(store)
        plain = make_subsidiary("sub_full")
        with store.transaction() as uow:
            uow.subsidiaries.add(plain)
        for written in (full_subsidiary(), plain):
            with store.transaction() as uow:
                uow.subsidiaries.update(written)
            assert store.reader().subsidiaries.get(ACME, "sub_full") == written

    def test_another_tenants_subsidiary_is_not_found(self, store: Store) -> None:
        """Get, update and delete under the wrong tenant raise NotFound and change nothing."""
        seed(store)
        theirs = make_subsidiary("sub_1", GLOBEX, name="Theirs")
        with store.transaction() as uow:
            uow.subsidiaries.add(theirs)
        for tenant_id, subsidiary_id in ((ACME, "sub_1"), (GLOBEX, "sub_2")):
            with pytest.raises(NotFound):
                store.reader().subsidiaries.get(tenant_id, subsidiary_id)
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.subsidiaries.delete(tenant_id, subsidiary_id)
        for forged in (attrs.evolve(theirs, tenant_id=ACME), make_subsidiary("sub_2")):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.subsidiaries.update(forged)
        assert store.reader().subsidiaries.get(GLOBEX, "sub_1") == theirs
        assert store.reader().subsidiaries.list(ACME, EVERYONE).total == 0

    def test_a_duplicate_subsidiary_id_or_unknown_tenant_is_refused(self, store: Store) -> None:
        """A repeated id raises Conflict and an unknown tenant raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.subsidiaries.add(make_subsidiary("sub_1", name="First"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.subsidiaries.add(make_subsidiary("sub_1", GLOBEX, name="Second"))
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.subsidiaries.add(make_subsidiary("sub_2", "ghost"))
        assert store.reader().subsidiaries.get(ACME, "sub_1").name == "First"
        assert store.reader().subsidiaries.list(GLOBEX, EVERYONE).total == 0

    def test_subsidiaries_list_newest_first_and_delete(self, store: Store) -> None:
        """Subsidiaries list by created_at then id, descending, only the tenant's, with
        paging; a deleted one is gone."""
        seed(store)
        with store.transaction() as uow:
            for subsidiary_id, seconds in (("sub_b", 2), ("sub_a", 2), ("sub_c", 5), ("sub_d", 1)):
                uow.subsidiaries.add(make_subsidiary(subsidiary_id, created_at=at(seconds)))
            uow.subsidiaries.add(make_subsidiary("sub_z", GLOBEX, created_at=at(9)))
        expected = ["sub_c", "sub_b", "sub_a", "sub_d"]
        _expect_pages(lambda page: store.reader().subsidiaries.list(ACME, page), expected)
        with store.transaction() as uow:
            uow.subsidiaries.delete(ACME, "sub_b")
        assert ids(store.reader().subsidiaries.list(ACME, EVERYONE).items) == [
            "sub_c",
            "sub_a",
            "sub_d",
        ]
        with pytest.raises(NotFound):
            store.reader().subsidiaries.get(ACME, "sub_b")

    def test_a_subsidiary_a_vacancy_uses_is_in_use(self, store: Store) -> None:
        """Deleting a subsidiary that a vacancy belongs to raises InUse and keeps it; once the
        vacancy is gone, delete succeeds."""
        seed(store)
        with store.transaction() as uow:
            uow.subsidiaries.add(make_subsidiary("sub_1"))
            uow.vacancies.add(make_vacancy("vac_1", subsidiary_id="sub_1"))
        with pytest.raises(InUse), store.transaction() as uow:
            uow.subsidiaries.delete(ACME, "sub_1")
        assert store.reader().subsidiaries.get(ACME, "sub_1") == make_subsidiary("sub_1")
        with store.transaction() as uow:
            uow.vacancies.delete(ACME, "vac_1")
            uow.subsidiaries.delete(ACME, "sub_1")
        assert store.reader().subsidiaries.list(ACME, EVERYONE).total == 0


class AgenciesContract:
    """Agencies: stored whole, scoped to their tenant, kept while a candidate names them."""

    def test_every_field_of_an_agency_round_trips(self, store: Store) -> None:
        """An agency with every field set reads back equal by id and list."""
        seed(store)
        agency = full_agency()
        with store.transaction() as uow:
            uow.agencies.add(agency)
        reader = store.reader()
        assert reader.agencies.get(ACME, agency.id) == agency
        assert reader.agencies.list(ACME, EVERYONE).items == [agency]

    def test_update_replaces_every_field_of_an_agency(self, store: Store) -> None:
        """An updated agency reads back exactly as written, and so does one cleared again."""
        seed(store)
        plain = make_agency("agy_full")
        with store.transaction() as uow:
            uow.agencies.add(plain)
        for written in (full_agency(), plain):
            with store.transaction() as uow:
                uow.agencies.update(written)
            assert store.reader().agencies.get(ACME, "agy_full") == written

    def test_a_whole_number_fee_reads_back_as_a_float(self, store: Store) -> None:
        """A fee given as a whole number reads back as a float."""
        seed(store)
        with store.transaction() as uow:
            uow.agencies.add(make_agency("agy_1", fee_percent=15))
        fee = store.reader().agencies.get(ACME, "agy_1").fee_percent
        assert (type(fee), fee) == (float, 15.0)

    def test_another_tenants_agency_is_not_found(self, store: Store) -> None:
        """Get, update and delete under the wrong tenant raise NotFound and change nothing."""
        seed(store)
        theirs = make_agency("agy_1", GLOBEX, name="Theirs")
        with store.transaction() as uow:
            uow.agencies.add(theirs)
        for tenant_id, agency_id in ((ACME, "agy_1"), (GLOBEX, "agy_2")):
            with pytest.raises(NotFound):
                store.reader().agencies.get(tenant_id, agency_id)
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.agencies.delete(tenant_id, agency_id)
        for forged in (attrs.evolve(theirs, tenant_id=ACME), make_agency("agy_2")):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.agencies.update(forged)
        assert store.reader().agencies.get(GLOBEX, "agy_1") == theirs
        assert store.reader().agencies.list(ACME, EVERYONE).total == 0

    def test_a_duplicate_agency_id_or_unknown_tenant_is_refused(self, store: Store) -> None:
        """A repeated id raises Conflict and an unknown tenant raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.agencies.add(make_agency("agy_1", name="First"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.agencies.add(make_agency("agy_1", GLOBEX, name="Second"))
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.agencies.add(make_agency("agy_2", "ghost"))
        assert store.reader().agencies.get(ACME, "agy_1").name == "First"
        assert store.reader().agencies.list(GLOBEX, EVERYONE).total == 0

    def test_agencies_list_newest_first_and_delete(self, store: Store) -> None:
        """Agencies list by created_at then id, descending, only the tenant's, with paging; a
        deleted one is gone."""
        seed(store)
        with store.transaction() as uow:
            for agency_id, seconds in (("agy_b", 2), ("agy_a", 2), ("agy_c", 5), ("agy_d", 1)):
                uow.agencies.add(make_agency(agency_id, created_at=at(seconds)))
            uow.agencies.add(make_agency("agy_z", GLOBEX, created_at=at(9)))
        expected = ["agy_c", "agy_b", "agy_a", "agy_d"]
        _expect_pages(lambda page: store.reader().agencies.list(ACME, page), expected)
        with store.transaction() as uow:
            uow.agencies.delete(ACME, "agy_b")
        assert ids(store.reader().agencies.list(ACME, EVERYONE).items) == [
            "agy_c",
            "agy_a",
            "agy_d",
        ]

    def test_an_agency_a_candidate_names_is_in_use(self, store: Store) -> None:
        """Deleting an agency that a candidate came through raises InUse and keeps it; once
        the candidate no longer names it, delete succeeds."""
        seed(store)
        candidate = make_candidate("cand_1", agency_id="agy_1")
        with store.transaction() as uow:
            uow.agencies.add(make_agency("agy_1"))
            uow.vacancies.add(make_vacancy("vac_1"))
            uow.candidates.add(candidate)
        with pytest.raises(InUse), store.transaction() as uow:
            uow.agencies.delete(ACME, "agy_1")
        assert store.reader().agencies.get(ACME, "agy_1") == make_agency("agy_1")
        with store.transaction() as uow:
            uow.candidates.update(attrs.evolve(candidate, agency_id=None))
            uow.agencies.delete(ACME, "agy_1")
        assert store.reader().agencies.list(ACME, EVERYONE).total == 0


class IntegrationsContract:
    """Integrations: stored whole, their config as written, scoped to their tenant."""

    def test_every_field_of_an_integration_round_trips(self, store: Store) -> None:
        """An integration with every field set, nested config included, reads back equal."""
        seed(store)
        integration = full_integration()
        with store.transaction() as uow:
            uow.integrations.add(integration)
        reader = store.reader()
        assert reader.integrations.get(ACME, integration.id) == integration
        assert reader.integrations.list(ACME, EVERYONE).items == [integration]

    def test_update_replaces_every_field_of_an_integration(self, store: Store) -> None:
        """An updated integration reads back exactly as written; config keys left out go."""
        seed(store)
        plain = make_integration("int_full", config={"old": "gone"})
        with store.transaction() as uow:
            uow.integrations.add(plain)
        for written in (full_integration(), make_integration("int_full")):
            with store.transaction() as uow:
                uow.integrations.update(written)
            assert store.reader().integrations.get(ACME, "int_full") == written

    def test_another_tenants_integration_is_not_found(self, store: Store) -> None:
        """Get, update and delete under the wrong tenant raise NotFound and change nothing."""
        seed(store)
        theirs = make_integration("int_1", GLOBEX, config={"token": "theirs"})
        with store.transaction() as uow:
            uow.integrations.add(theirs)
        for tenant_id, integration_id in ((ACME, "int_1"), (GLOBEX, "int_2")):
            with pytest.raises(NotFound):
                store.reader().integrations.get(tenant_id, integration_id)
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.integrations.delete(tenant_id, integration_id)
        for forged in (attrs.evolve(theirs, tenant_id=ACME), make_integration("int_2")):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.integrations.update(forged)
        assert store.reader().integrations.get(GLOBEX, "int_1") == theirs
        assert store.reader().integrations.list(ACME, EVERYONE).total == 0

    def test_a_duplicate_integration_id_or_unknown_tenant_is_refused(self, store: Store) -> None:
        """A repeated id raises Conflict and an unknown tenant raises NotFound."""
        seed(store)
        with store.transaction() as uow:
            uow.integrations.add(make_integration("int_1", name="First"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.integrations.add(make_integration("int_1", GLOBEX, name="Second"))
        with pytest.raises(NotFound), store.transaction() as uow:
            uow.integrations.add(make_integration("int_2", "ghost"))
        assert store.reader().integrations.get(ACME, "int_1").name == "First"
        assert store.reader().integrations.list(GLOBEX, EVERYONE).total == 0

    def test_integrations_list_newest_first_and_delete(self, store: Store) -> None:
        """Integrations list by created_at then id, descending, only the tenant's, with
        paging; a deleted one is gone."""
        seed(store)
        with store.transaction() as uow:
            for integration_id, seconds in (("int_b", 2), ("int_a", 2), ("int_c", 5), ("int_d", 1)):
                uow.integrations.add(make_integration(integration_id, created_at=at(seconds)))
            uow.integrations.add(make_integration("int_z", GLOBEX, created_at=at(9)))
        expected = ["int_c", "int_b", "int_a", "int_d"]
        _expect_pages(lambda page: store.reader().integrations.list(ACME, page), expected)
        with store.transaction() as uow:
            uow.integrations.delete(ACME, "int_b")
        assert ids(store.reader().integrations.list(ACME, EVERYONE).items) == [
            "int_c",
            "int_a",
            "int_d",
        ]

    def test_returned_and_given_configs_are_copies(self, store: Store) -> None:
        """Mutating a config after adding it, or one read back, changes nothing stored."""
        seed(store)
        given_integration = full_integration()
        with store.transaction() as uow:
            uow.integrations.add(given_integration)
        given_integration.config["nested"]["list"].append("given")
        store.reader().integrations.get(ACME, "int_full").config.clear()
        store.reader().integrations.list(ACME, EVERYONE).items[0].config["nested"].clear()
        assert store.reader().integrations.get(ACME, "int_full") == full_integration()
