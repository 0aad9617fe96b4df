"""The contract for what tenants publish: vacancies, their counters and the careers board."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.domain.paging import PageRequest
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.vacancies import (
    CareersFilter,
    Vacancy,
    VacancyFilter,
    VacancyStatus,
)
from talentos_core.errors import Conflict, InUse, NotFound
from talentos_core.ports import Store
from talentos_core.testing.contract._support import (
    _TEXT,
    ACME,
    EVERYONE,
    GLOBEX,
    T0,
    _expect_pages,
    _hypothesis,
    at,
    fresh,
    ids,
)
from talentos_core.testing.contract.builders import (
    full_vacancy,
    make_candidate,
    make_vacancy,
    seed,
)


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

    def test_add_to_counters_adds_and_subtracts_and_touches_nothing_else(
        self, store: Store
    ) -> None:
        """``add_to_counters`` moves ``applicants`` and ``hired`` by the amounts given, negative
        ones too, and leaves every other field, ``updated_at`` included, as it was."""
        seed(store)
        vacancy = make_vacancy("vac_1", applicants=3, hired=1, updated_at=at(5))
        self._add(store, vacancy, make_vacancy("vac_2"))
        with store.transaction() as uow:
            uow.vacancies.add_to_counters(ACME, "vac_1", applicants=2)
            uow.vacancies.add_to_counters(ACME, "vac_1", hired=1)
            uow.vacancies.add_to_counters(ACME, "vac_1", applicants=-4, hired=-1)
            uow.vacancies.add_to_counters(ACME, "vac_1")
        reader = store.reader()
        assert reader.vacancies.get(ACME, "vac_1") == attrs.evolve(vacancy, applicants=1, hired=1)
        assert reader.vacancies.get(ACME, "vac_2") == make_vacancy("vac_2")

    def test_add_to_counters_of_another_tenants_vacancy_is_not_found(self, store: Store) -> None:
        """Counting on a vacancy under the wrong tenant, or an unknown one, raises NotFound."""
        seed(store)
        self._add(store, make_vacancy("vac_1", tenant_id=GLOBEX))
        for tenant_id, vacancy_id in ((ACME, "vac_1"), (GLOBEX, "vac_2")):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.vacancies.add_to_counters(tenant_id, vacancy_id, applicants=1, hired=1)
        assert store.reader().vacancies.get(GLOBEX, "vac_1") == make_vacancy(
            "vac_1", tenant_id=GLOBEX
        )

    def test_a_vacancy_with_candidates_is_in_use(self, store: Store) -> None:
        """Deleting a vacancy that candidates apply to raises InUse and keeps it; once they are
        gone, delete succeeds."""
        seed(store)
        self._add(store, make_vacancy("vac_1"), make_vacancy("vac_2"))
        with store.transaction() as uow:
            uow.candidates.add(make_candidate("cand_1"))
        with pytest.raises(InUse), store.transaction() as uow:
            uow.vacancies.delete(ACME, "vac_1")
        assert self._list(store, VacancyFilter()) == ["vac_2", "vac_1"]
        with store.transaction() as uow:
            uow.candidates.delete(ACME, "cand_1")
            uow.vacancies.delete(ACME, "vac_1")
        assert self._list(store, VacancyFilter()) == ["vac_2"]

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
