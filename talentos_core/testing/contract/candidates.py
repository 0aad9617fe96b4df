"""The contract for candidates: one per vacancy and email, scoped, filtered and searched."""

from __future__ import annotations

from datetime import timedelta, timezone

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.domain.candidates import Candidate, CandidateFilter, Source, Stage
from talentos_core.domain.paging import PageRequest
from talentos_core.errors import Conflict, InUse, NotFound
from talentos_core.ports import Store
from talentos_core.testing.contract._support import (
    ACME,
    EVERYONE,
    GLOBEX,
    _expect_pages,
    _hypothesis,
    at,
    fresh,
    ids,
)
from talentos_core.testing.contract.builders import (
    full_agency,
    full_candidate,
    make_candidate,
    make_interview,
    make_offer,
    make_vacancy,
    seed,
    seed_pipeline,
)

#: Characters that trip search engines (FTS syntax, quotes, case-changing letters, the
#: separators a store might join fields with), mixed with any character at all.
_TRICKY = st.sampled_from(list('aAbßZoëÜNÏİ日 "*()^-+:.\n\t\x00')) | st.characters(codec="utf-8")
_WORD = st.text(_TRICKY, max_size=10)


def _matches(candidate: Candidate, q: str) -> bool:
    """What ``q`` means, spelled plainly: a case-insensitive substring of one field."""
    term = q.casefold()
    return any(
        term in part.casefold() for part in (candidate.name, candidate.email, *candidate.skills)
    )


class CandidatesContract:
    """Candidates: one per vacancy and email in any case, scoped reads, lists filtered, searched
    and newest first, and no deleting one that offers or interviews still name."""

    def _add_candidates(self, store: Store, *candidates: Candidate) -> None:
        with store.transaction() as uow:
            for candidate in candidates:
                uow.candidates.add(candidate)

    def _candidates(self, store: Store, where: CandidateFilter, tenant_id: str = ACME) -> list[str]:
        return ids(store.reader().candidates.list(tenant_id, where, EVERYONE).items)

    def test_every_field_of_a_candidate_round_trips(self, store: Store) -> None:
        """A candidate with every field set reads back equal by id, email and list."""
        seed(store)
        candidate = full_candidate()
        with store.transaction() as uow:
            uow.agencies.add(full_agency())
            uow.vacancies.add(make_vacancy("vac_full"))
            uow.candidates.add(candidate)
        reader = store.reader()
        assert reader.candidates.get(ACME, candidate.id) == candidate
        assert reader.candidates.find_by_email(ACME, "vac_full", candidate.email) == candidate
        assert reader.candidates.list(ACME, CandidateFilter(), EVERYONE).items == [candidate]

    def test_update_replaces_every_field_of_a_candidate(self, store: Store) -> None:
        """An updated candidate reads back exactly as written, and so does one cleared again."""
        seed(store)
        plain = make_candidate("cand_full", "vac_full")
        with store.transaction() as uow:
            uow.agencies.add(full_agency())
            uow.vacancies.add(make_vacancy("vac_full"))
            uow.candidates.add(plain)
        for written in (full_candidate(), plain):
            with store.transaction() as uow:
                uow.candidates.update(written)
            assert store.reader().candidates.get(ACME, "cand_full") == written

    def test_another_tenants_candidate_is_not_found(self, store: Store) -> None:
        """Get, update and delete under the wrong tenant raise NotFound and change nothing."""
        theirs = make_candidate("cand_9", "vac_9", GLOBEX, name="Theirs")
        seed_pipeline(store, theirs)
        for tenant_id, candidate_id in ((ACME, "cand_9"), (GLOBEX, "cand_ghost")):
            with pytest.raises(NotFound):
                store.reader().candidates.get(tenant_id, candidate_id)
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.candidates.delete(tenant_id, candidate_id)
        for forged in (
            attrs.evolve(theirs, tenant_id=ACME, vacancy_id="vac_1", name="Mine"),
            make_candidate("cand_ghost"),
        ):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.candidates.update(forged)
        assert store.reader().candidates.get(GLOBEX, "cand_9") == theirs
        assert self._candidates(store, CandidateFilter()) == []

    def test_a_duplicate_candidate_id_is_a_conflict(self, store: Store) -> None:
        """Adding a candidate whose id exists, in any tenant, raises Conflict."""
        seed_pipeline(store, make_candidate("cand_1"))
        with pytest.raises(Conflict):
            self._add_candidates(
                store, make_candidate("cand_1", "vac_9", GLOBEX, email="new@example.com")
            )
        assert self._candidates(store, CandidateFilter(), GLOBEX) == []

    def test_an_unknown_tenant_vacancy_or_agency_is_refused(self, store: Store) -> None:
        """Adding or updating with a tenant, vacancy or agency that does not exist: NotFound."""
        seed_pipeline(store, make_candidate("cand_1"))
        for bad in (
            make_candidate("cand_2", tenant_id="ghost"),
            make_candidate("cand_3", "vac_ghost"),
            make_candidate("cand_4", agency_id="agy_ghost"),
        ):
            with pytest.raises(NotFound):
                self._add_candidates(store, bad)
        for bad in (
            make_candidate("cand_1", "vac_ghost"),
            make_candidate("cand_1", agency_id="agy_ghost"),
        ):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.candidates.update(bad)
        assert store.reader().candidates.get(ACME, "cand_1") == make_candidate("cand_1")
        assert self._candidates(store, CandidateFilter()) == ["cand_1"]

    @pytest.mark.parametrize(
        "email", ["ann@acme.example", "ANN@Acme.Example", "  Ann@acme.example\t"]
    )
    def test_one_candidate_per_vacancy_and_email_in_any_case(
        self, store: Store, email: str
    ) -> None:
        """A second candidate of the vacancy whose email differs only in case or surrounding
        spaces raises Conflict, on add and on update; on another vacancy it is welcome."""
        ann = make_candidate("cand_1", email="Ann@Acme.example")
        bob = make_candidate("cand_2", email="bob@acme.example")
        seed_pipeline(store, ann, bob)
        with pytest.raises(Conflict):
            self._add_candidates(store, make_candidate("cand_3", email=email))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.candidates.update(attrs.evolve(bob, email=email))
        self._add_candidates(store, make_candidate("cand_4", "vac_2", email=email))
        reader = store.reader()
        assert reader.candidates.get(ACME, "cand_2") == bob
        assert reader.candidates.find_by_email(ACME, "vac_1", email) == ann
        assert self._candidates(store, CandidateFilter()) == ["cand_4", "cand_2", "cand_1"]

    def test_a_candidate_may_change_the_case_of_their_own_email(self, store: Store) -> None:
        """A candidate may be updated with their own email in another case."""
        seed_pipeline(store, make_candidate("cand_1", email="ann@acme.example"))
        changed = make_candidate("cand_1", email=" ANN@Acme.example")
        with store.transaction() as uow:
            uow.candidates.update(changed)
        assert store.reader().candidates.get(ACME, "cand_1") == changed

    def test_find_by_email_ignores_case_and_looks_in_one_vacancy(self, store: Store) -> None:
        """``find_by_email`` ignores case and spaces, within the tenant's vacancy only."""
        ours = make_candidate("cand_1", email="Zoë@Acme.example")
        theirs = make_candidate("cand_9", "vac_9", GLOBEX, email="zoë@acme.example")
        seed_pipeline(store, ours, theirs)
        reader = store.reader()
        assert reader.candidates.find_by_email(ACME, "vac_1", "  ZOË@acme.EXAMPLE ") == ours
        assert reader.candidates.find_by_email(GLOBEX, "vac_9", "ZOË@ACME.EXAMPLE") == theirs
        for tenant_id, vacancy_id, email in (
            (ACME, "vac_2", "zoë@acme.example"),
            (ACME, "vac_9", "zoë@acme.example"),
            (GLOBEX, "vac_1", "zoë@acme.example"),
            (ACME, "vac_1", "zoe@acme.example"),
        ):
            assert reader.candidates.find_by_email(tenant_id, vacancy_id, email) is None

    def test_list_filters_are_exact_and_combine(self, store: Store) -> None:
        """Vacancy (as ``job_id`` or ``vacancy_id``), stage, source and agency select exact
        matches; given together, all must hold; paging counts only the matches."""
        agency, screening = Source.AGENCY, Stage.SCREENING
        seed_pipeline(
            store,
            make_candidate("cand_1"),
            make_candidate("cand_2", stage=screening, source=agency, agency_id="agy_1"),
            make_candidate("cand_3", "vac_2", stage=screening, source=agency, agency_id="agy_1"),
            make_candidate("cand_4", "vac_2", stage=Stage.HIRED, source=Source.CAREERS),
            make_candidate("cand_5", source=Source.REFERRAL, created_at=at(5)),
            make_candidate("cand_9", "vac_9", GLOBEX, stage=screening, agency_id="agy_9"),
        )
        for where, expected in (
            (CandidateFilter(job_id="vac_1"), ["cand_5", "cand_2", "cand_1"]),
            (CandidateFilter(vacancy_id="vac_1"), ["cand_5", "cand_2", "cand_1"]),
            (CandidateFilter(job_id="vac_2", vacancy_id="vac_2"), ["cand_4", "cand_3"]),
            (CandidateFilter(stage=screening), ["cand_3", "cand_2"]),
            (CandidateFilter(source=Source.CAREERS), ["cand_4"]),
            (CandidateFilter(agency_id="agy_1"), ["cand_3", "cand_2"]),
            (CandidateFilter(job_id="vac_2", stage=screening, agency_id="agy_1"), ["cand_3"]),
            (CandidateFilter(source=agency, vacancy_id="vac_1"), ["cand_2"]),
            (CandidateFilter(vacancy_id="vac_9"), []),
            (CandidateFilter(agency_id="agy_9"), []),
            (CandidateFilter(stage=Stage.WITHDRAWN), []),
        ):
            assert self._candidates(store, where) == expected, where
        filtered = store.reader().candidates.list(
            ACME, CandidateFilter(job_id="vac_1"), PageRequest(limit=1, offset=1)
        )
        assert (ids(filtered.items), filtered.total) == (["cand_2"], 3)

    def test_candidates_list_newest_first_then_by_id_and_paged(self, store: Store) -> None:
        """Candidates list by created_at (as an instant) then id, descending, with paging."""
        plus_five = timezone(timedelta(hours=5))
        seed_pipeline(
            store,
            make_candidate("cand_b", created_at=at(20)),
            make_candidate("cand_a", created_at=at(10)),
            make_candidate("cand_c", created_at=at(20).astimezone(plus_five)),
            make_candidate("cand_e", "vac_2", created_at=at(20.000001)),
            make_candidate("cand_d", created_at=at(5)),
            make_candidate("cand_f", created_at=at(15).astimezone(plus_five)),
            make_candidate("cand_z", "vac_9", GLOBEX, created_at=at(50)),
        )
        expected = ["cand_e", "cand_c", "cand_b", "cand_f", "cand_a", "cand_d"]
        assert self._candidates(store, CandidateFilter()) == expected
        _expect_pages(
            lambda page: store.reader().candidates.list(ACME, CandidateFilter(), page), expected
        )

    def test_q_is_a_case_insensitive_substring_of_name_email_or_one_skill(
        self, store: Store
    ) -> None:
        """``q`` of any length matches name, email or one skill in any case, every character
        taken literally (quotes, NUL and search-engine syntax too), never across two fields."""
        seed_pipeline(
            store,
            make_candidate(
                "cand_1",
                name="Zoë Ünïcode",
                email="zoe@acme.example",
                skills=["Python", "SQL"],
                created_at=at(1),
            ),
            make_candidate(
                "cand_2",
                name="Bob O'Brien",
                email="bob@uni.example",
                skills=['C++ "modern"', "R&D (lab)"],
                created_at=at(2),
            ),
            make_candidate(
                "cand_3",
                name="Ann-Marie Smith",
                email="ann@acme.example",
                skills=["node*js", "AND OR NOT", "^caret"],
                created_at=at(3),
            ),
            make_candidate(
                "cand_4",
                name="Mo Pythonsql",
                email="mo@x.example",
                skills=["Go\x00Rust after a NUL"],
                created_at=at(4),
            ),
            make_candidate("cand_9", "vac_9", GLOBEX, name="Zoë Ünï", skills=["Python"]),
        )
        for q, expected in (
            ("ë", ["cand_1"]),
            ("Ë", ["cand_1"]),
            ("ün", ["cand_1"]),
            ("ÜNÏ", ["cand_1"]),
            ("zoë ü", ["cand_1"]),
            ("PYTHON", ["cand_4", "cand_1"]),
            ("pythonsql", ["cand_4"]),
            ("python sql", []),
            ("python\nsql", []),
            ("example\npy", []),
            ("@ACME.ex", ["cand_3", "cand_1"]),
            ('"', ["cand_2"]),
            ('"modern"', ["cand_2"]),
            ('++ "m', ["cand_2"]),
            ("*", ["cand_3"]),
            ("e*j", ["cand_3"]),
            ("OR", ["cand_3"]),
            ("and or", ["cand_3"]),
            ("OR NOT", ["cand_3"]),
            ("NOT", ["cand_3"]),
            ("-", ["cand_3"]),
            ("-marie", ["cand_3"]),
            ("^", ["cand_3"]),
            ("^car", ["cand_3"]),
            ("(", ["cand_2"]),
            ("(lab)", ["cand_2"]),
            ("d (l", ["cand_2"]),
            ("o'b", ["cand_2"]),
            ("e", ["cand_4", "cand_3", "cand_2", "cand_1"]),
            ("rust after", ["cand_4"]),
            ("go\x00r", ["cand_4"]),
            ("\x00", ["cand_4"]),
            ("smith ann", []),
            ("xyz", []),
        ):
            assert self._candidates(store, CandidateFilter(q=q)) == expected, q
        searched = store.reader().candidates.list(
            ACME, CandidateFilter(q="E", vacancy_id="vac_1"), PageRequest(limit=2, offset=1)
        )
        assert (ids(searched.items), searched.total) == (["cand_3", "cand_2"], 4)

    @_hypothesis
    @given(
        people=st.lists(
            st.tuples(_WORD, _WORD, st.lists(_WORD, max_size=3)), min_size=1, max_size=4
        ),
        q=_WORD.filter(bool),
        data=st.data(),
    )
    def test_q_finds_what_a_plain_substring_test_finds(
        self,
        store: Store,
        people: list[tuple[str, str, list[str]]],
        q: str,
        data: st.DataObject,
    ) -> None:
        """For any text, candidates read back equal and ``q`` finds exactly those a plain
        case-insensitive substring test of name, email and each skill accepts, newest first."""
        tenant_id, vacancy_id = fresh("tenant"), fresh("vac")
        seed(store, tenant_id)
        candidates = [
            make_candidate(
                fresh("cand"),
                vacancy_id,
                tenant_id,
                name=name,
                email=f"{index}.{local}@x.example",
                skills=skills,
                created_at=at(index),
            )
            for index, (name, local, skills) in enumerate(people)
        ]
        with store.transaction() as uow:
            uow.vacancies.add(make_vacancy(vacancy_id, tenant_id=tenant_id))
            for candidate in candidates:
                uow.candidates.add(candidate)
        fields = [part for c in candidates for part in (c.name, c.email, *c.skills)]
        joined = "\n".join(fields)
        start = data.draw(st.integers(0, len(joined)))
        field = data.draw(st.sampled_from(fields))
        cut = data.draw(st.integers(0, len(field)))
        q = data.draw(
            st.sampled_from(
                [
                    q,
                    joined[start : start + len(q)] or q,
                    (joined[start : start + len(q)] or q).upper(),
                    (field[cut : cut + len(q)] or q).swapcase(),
                ]
            )
        )
        newest_first = candidates[::-1]
        listed = store.reader().candidates.list(tenant_id, CandidateFilter(), EVERYONE)
        assert listed.items == newest_first
        expected = [c.id for c in newest_first if _matches(c, q)]
        assert self._candidates(store, CandidateFilter(q=q), tenant_id) == expected

    def test_a_candidate_with_offers_or_interviews_is_in_use(self, store: Store) -> None:
        """Deleting a candidate that an offer or interview names raises InUse and keeps every
        row; once those are gone, and for a candidate without them, delete succeeds."""
        seed_pipeline(store, *(make_candidate(f"cand_{n}") for n in (1, 2, 3)))
        with store.transaction() as uow:
            uow.offers.add(make_offer("ofr_1", "cand_1"))
            uow.interviews.add(make_interview("iv_2", "cand_2"))
        for candidate_id in ("cand_1", "cand_2"):
            with pytest.raises(InUse), store.transaction() as uow:
                uow.candidates.delete(ACME, candidate_id)
        assert self._candidates(store, CandidateFilter()) == ["cand_3", "cand_2", "cand_1"]
        with store.transaction() as uow:
            uow.candidates.delete(ACME, "cand_3")
            uow.offers.delete(ACME, "ofr_1")
            uow.interviews.delete(ACME, "iv_2")
            uow.candidates.delete(ACME, "cand_1")
            uow.candidates.delete(ACME, "cand_2")
        assert self._candidates(store, CandidateFilter()) == []
        with pytest.raises(NotFound):
            store.reader().candidates.get(ACME, "cand_1")

    def test_returned_and_given_candidates_are_copies(self, store: Store) -> None:
        """Mutating a candidate after adding it, or one read back, changes nothing stored."""
        given_candidate = make_candidate("cand_1", skills=["python"])
        seed_pipeline(store, given_candidate)
        given_candidate.skills.append("given")
        store.reader().candidates.get(ACME, "cand_1").skills.append("got")
        listed = store.reader().candidates.list(ACME, CandidateFilter(), EVERYONE)
        listed.items[0].skills.clear()
        assert store.reader().candidates.get(ACME, "cand_1").skills == ["python"]
        assert self._candidates(store, CandidateFilter(q="given")) == []
