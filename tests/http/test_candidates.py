"""The tenant's pipeline: listing, searching, moving, editing, deleting and importing candidates
(CONTRACT §3 lists, §6 candidate stages and import)."""

from __future__ import annotations

from typing import Any

import pytest
from http_pipeline import (
    audit_events,
    candidate,
    candidates,
    counters,
    email,
    new_candidate,
    new_vacancy,
    outbox,
)

from talentos_core.roles import Role
from talentos_http.jsonio import MAX_BODY_BYTES

IMPORT = "/api/candidates/import"


def _patch(api: Any, headers: dict[str, str], candidate_id: str, **body: Any) -> Any:
    return api.client.simulate_patch(f"/api/candidates/{candidate_id}", json=body, headers=headers)


def _move(api: Any, account: Any, candidate_id: str, stage: str) -> Any:
    result = _patch(api, account.headers, candidate_id, stage=stage)
    assert result.status_code == 200, result.text
    return result.json["candidate"]


def _new_agency(api: Any, account: Any) -> str:
    result = api.client.simulate_post(
        "/api/agencies", json={"name": api.unique("Hunters ")}, headers=account.headers
    )
    assert result.status_code == 201, result.text
    return str(result.json["agency"]["id"])


def _import(api: Any, account: Any, rows: list[Any]) -> Any:
    return api.client.simulate_post(IMPORT, json={"rows": rows}, headers=account.headers)


def _ids(body: dict[str, Any]) -> set[str]:
    return {item["id"] for item in body["candidates"]}


class TestCandidateFilters:
    """Each filter the reference names is exact; two filters must both hold."""

    @pytest.fixture
    def pipeline(self, api: Any, acme: Any) -> dict[str, str]:
        """Two vacancies and four candidates that differ in stage, source and agency."""
        first, second = new_vacancy(api, acme), new_vacancy(api, acme)
        agency = _new_agency(api, acme)
        applied = new_candidate(api, first)
        screening = new_candidate(api, first)
        _move(api, acme, screening, "screening")
        imported = _import(
            api,
            acme,
            [{"vacancyId": second, "name": "Efua", "email": email(api), "agencyId": agency}],
        )
        assert imported.json["created"] == 1, imported.text
        (via_agency,) = _ids(candidates(api, acme, source="import"))
        referral = new_candidate(api, second)
        _patch(api, acme.headers, referral, source="referral")
        return {
            "v1": first,
            "v2": second,
            "agy": agency,
            "ama": applied,
            "kofi": screening,
            "efua": via_agency,
            "yaw": referral,
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({}, ("ama", "kofi", "efua", "yaw")),
            ({"jobId": "v1"}, ("ama", "kofi")),
            ({"vacancyId": "v1"}, ("ama", "kofi")),
            ({"jobId": "v1", "vacancyId": "v1"}, ("ama", "kofi")),
            ({"stage": "screening"}, ("kofi",)),
            ({"stage": "applied"}, ("ama", "efua", "yaw")),
            ({"source": "careers"}, ("ama", "kofi")),
            ({"source": "import"}, ("efua",)),
            ({"source": "referral"}, ("yaw",)),
            ({"agencyId": "agy"}, ("efua",)),
            ({"jobId": "v2", "source": "referral"}, ("yaw",)),
            ({"jobId": "v1", "stage": "applied"}, ("ama",)),
            ({"jobId": "v1", "source": "import"}, ()),
            ({"jobId": "v1", "vacancyId": "v2"}, ()),
            ({"stage": "hired"}, ()),
        ],
        ids=repr,
    )
    def test_a_filter_shows_exactly_the_matching_candidates(
        self,
        api: Any,
        acme: Any,
        pipeline: dict[str, str],
        params: dict[str, str],
        expected: tuple[str, ...],
    ) -> None:
        """The list holds exactly the candidates every given filter matches, and `total`
        counts them."""
        query = {name: pipeline.get(value, value) for name, value in params.items()}
        body = candidates(api, acme, **query)
        assert _ids(body) == {pipeline[name] for name in expected}
        assert body["total"] == len(expected)

    def test_another_tenants_vacancy_as_a_filter_matches_nothing(
        self, api: Any, acme: Any, globex: Any, pipeline: dict[str, str]
    ) -> None:
        """Globex filtering on Acme's vacancy id sees an empty list, not Acme's candidates."""
        body = candidates(api, globex, jobId=pipeline["v1"])
        assert (body["candidates"], body["total"]) == ([], 0)

    @pytest.mark.parametrize("query", ["stage=archived", "source=web", "jobId=a&jobId=b", "q="])
    def test_a_malformed_filter_is_400(self, api: Any, acme: Any, query: str) -> None:
        """An unknown stage or source, a repeated filter or an empty `q` is 400 bad_request."""
        result = api.client.simulate_get(
            "/api/candidates", query_string=query, headers=acme.headers
        )
        api.assert_error(result, 400, "bad_request")


class TestCandidateSearch:
    """`q` is a case-insensitive substring of name, email and skills."""

    @pytest.fixture
    def people(self, api: Any, acme: Any) -> dict[str, str]:
        vacancy_id = new_vacancy(api, acme)
        return {
            "kwame": new_candidate(
                api, vacancy_id, name="Kwame Mensah", email="kwame@mensah.example"
            ),
            "li": new_candidate(
                api, vacancy_id, name="Li Wu", email="lw@wu.example", skills=["COBOL", "Go"]
            ),
            "zoe": new_candidate(
                api, vacancy_id, name="Zoë Straße", email="zoe@ærø.example", skills=["Ñandú"]
            ),
            "percent": new_candidate(api, vacancy_id, name="A_B 100%", email="ab@percent.example"),
        }

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("kwame", ("kwame",)),
            ("KWAME MENSAH", ("kwame",)),
            ("mensah.EXAMPLE", ("kwame",)),
            ("cobol", ("li",)),
            ("wu", ("li",)),
            ("Go", ("li",)),
            ("w", ("kwame", "li")),
            ("ZOË", ("zoe",)),
            ("strasse", ("zoe",)),
            ("STRASSE", ("zoe",)),
            ("ÆRØ", ("zoe",)),
            ("ñandú", ("zoe",)),
            ("ñ", ("zoe",)),
            ("%", ("percent",)),
            ("_", ("percent",)),
            ("a_b", ("percent",)),
            ("100%", ("percent",)),
            ('"', ()),
            ("wam*", ()),
            ("(kwa", ()),
            ("kwame OR wu", ()),
            ("NEAR(kwame)", ()),
            ("'; --", ()),
            ("nobody", ()),
            ("kwame li", ()),
        ],
        ids=repr,
    )
    def test_q_matches_a_substring_in_any_case(
        self, api: Any, acme: Any, people: dict[str, str], q: str, expected: tuple[str, ...]
    ) -> None:
        """Short terms, Unicode case folding and characters that are special to LIKE or full
        text search all match as plain substrings."""
        body = candidates(api, acme, q=q)
        assert _ids(body) == {people[name] for name in expected}
        assert body["total"] == len(expected)

    def test_q_follows_edits_imports_and_deletes(self, api: Any, acme: Any) -> None:
        """After a patch, an updating import row and a delete, `q` finds the new values and
        not the old ones."""
        vacancy_id = new_vacancy(api, acme)
        edited = new_candidate(api, vacancy_id, name="Abena Boateng", skills=["Excel"])
        imported = new_candidate(api, vacancy_id, name="Yaw Darko", email="yaw@darko.example")
        deleted = new_candidate(api, vacancy_id, name="Esi Quartey")
        _patch(api, acme.headers, edited, name="Abena Mensah", skills=["Tableau"])
        row = {"vacancyId": vacancy_id, "name": "Yaw Owusu", "email": "yaw@darko.example"}
        assert _import(api, acme, [row]).json["updated"] == 1
        api.client.simulate_delete(f"/api/candidates/{deleted}", headers=acme.headers)
        found = {
            q: _ids(candidates(api, acme, q=q))
            for q in ("boateng", "excel", "mensah", "tableau", "darko", "owusu", "quartey")
        }
        assert found == {
            "boateng": set(),
            "excel": set(),
            "mensah": {edited},
            "tableau": {edited},
            "darko": {imported},
            "owusu": {imported},
            "quartey": set(),
        }

    def test_q_combines_with_a_filter(self, api: Any, acme: Any, people: dict[str, str]) -> None:
        """`q` and `stage` both hold."""
        _move(api, acme, people["li"], "screening")
        assert _ids(candidates(api, acme, q="w", stage="screening")) == {people["li"]}


class TestCandidatePaging:
    """Lists page with `limit` and `offset` and always report the full `total`."""

    def test_pages_cover_every_candidate_once_with_the_full_total(
        self, api: Any, acme: Any
    ) -> None:
        """Pages of 3 over 7 candidates hold 3, 3 and 1, all different, each with total 7."""
        vacancy_id = new_vacancy(api, acme)
        made = {new_candidate(api, vacancy_id) for _ in range(7)}
        pages = [candidates(api, acme, limit="3", offset=str(n)) for n in (0, 3, 6, 9)]
        assert [len(page["candidates"]) for page in pages] == [3, 3, 1, 0]
        assert [(p["total"], p["limit"], p["offset"]) for p in pages] == [
            (7, 3, 0),
            (7, 3, 3),
            (7, 3, 6),
            (7, 3, 9),
        ]
        seen = [item["id"] for page in pages for item in page["candidates"]]
        assert sorted(seen) == sorted(made)

    def test_a_filtered_total_counts_the_filtered_candidates(self, api: Any, acme: Any) -> None:
        """`total` is the count under the filter, not the tenant's."""
        first, second = new_vacancy(api, acme), new_vacancy(api, acme)
        for _ in range(3):
            new_candidate(api, first)
        new_candidate(api, second)
        body = candidates(api, acme, jobId=first, limit="1")
        assert (len(body["candidates"]), body["total"]) == (1, 3)

    def test_a_limit_above_200_is_clamped(self, api: Any, acme: Any) -> None:
        """`limit=500` answers `limit: 200`."""
        assert candidates(api, acme, limit="500")["limit"] == 200


class TestStageMoves:
    """Active stages move anywhere; rejected and withdrawn reopen; leaving hired is privileged
    (CONTRACT §6)."""

    def test_a_candidate_moves_through_the_pipeline_to_hired(
        self, api: Any, acme: Any, clock: Any
    ) -> None:
        """Each move answers the new stage and a new `stageChangedAt`; hired stamps `hiredAt`
        and counts on the vacancy."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        stamps = {candidate(api, acme, candidate_id)["stageChangedAt"]}
        for stage in ("screening", "interview", "offer", "hired"):
            clock.advance(minutes=5)
            moved = _move(api, acme, candidate_id, stage)
            assert moved["stage"] == stage
            stamps.add(moved["stageChangedAt"])
        assert len(stamps) == 5
        assert moved["hiredAt"] == moved["stageChangedAt"]
        assert counters(api, acme, vacancy_id) == (1, 1)

    @pytest.mark.parametrize(
        ("start", "to"),
        [
            ("applied", "rejected"),
            ("offer", "withdrawn"),
            ("interview", "applied"),
            ("screening", "hired"),
            ("rejected", "screening"),
            ("withdrawn", "applied"),
            ("rejected", "offer"),
        ],
    )
    def test_a_legal_move_is_taken(self, api: Any, acme: Any, start: str, to: str) -> None:
        """From an active stage anywhere, and from rejected or withdrawn back to an active
        stage."""
        candidate_id = new_candidate(api, new_vacancy(api, acme))
        if start != "applied":
            _move(api, acme, candidate_id, start)
        assert _move(api, acme, candidate_id, to)["stage"] == to

    @pytest.mark.parametrize(
        ("start", "to"),
        [
            ("rejected", "hired"),
            ("rejected", "withdrawn"),
            ("withdrawn", "rejected"),
            ("withdrawn", "hired"),
        ],
    )
    def test_leaving_a_closed_stage_for_another_closed_one_is_409(
        self, api: Any, acme: Any, start: str, to: str
    ) -> None:
        """From rejected or withdrawn, only an active stage is allowed: 409
        invalid_transition, and nothing changes."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        _move(api, acme, candidate_id, start)
        before = candidate(api, acme, candidate_id)
        result = _patch(api, acme.headers, candidate_id, stage=to)
        api.assert_error(result, 409, "invalid_transition")
        assert candidate(api, acme, candidate_id) == before
        assert counters(api, acme, vacancy_id) == (1, 0)

    def test_a_refused_move_keeps_the_other_fields_of_the_patch_unwritten(
        self, api: Any, acme: Any
    ) -> None:
        """A patch whose stage move is refused writes none of its other fields either."""
        candidate_id = new_candidate(api, new_vacancy(api, acme), name="Ama")
        _move(api, acme, candidate_id, "rejected")
        result = _patch(api, acme.headers, candidate_id, name="Renamed", stage="hired")
        api.assert_error(result, 409, "invalid_transition")
        assert candidate(api, acme, candidate_id)["name"] == "Ama"

    @pytest.mark.parametrize("role", [Role.RECRUITER, Role.HIRING_MANAGER])
    def test_only_admin_or_chro_move_a_candidate_out_of_hired(
        self, api: Any, acme: Any, role: Role
    ) -> None:
        """A recruiter or hiring manager moving a hired candidate is 403 and nothing
        changes."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        _move(api, acme, candidate_id, "hired")
        result = _patch(api, api.credential(acme, role, "cookie"), candidate_id, stage="offer")
        api.assert_error(result, 403, "forbidden")
        assert candidate(api, acme, candidate_id)["stage"] == "hired"
        assert counters(api, acme, vacancy_id) == (1, 1)

    @pytest.mark.parametrize("role", [Role.ADMIN, Role.CHRO])
    def test_admin_and_chro_may_move_a_candidate_out_of_hired(
        self, api: Any, acme: Any, role: Role
    ) -> None:
        """Leaving hired clears `hiredAt` and takes the hire off the vacancy's count."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        _move(api, acme, candidate_id, "hired")
        result = _patch(api, api.credential(acme, role, "cookie"), candidate_id, stage="rejected")
        assert result.status_code == 200, result.text
        assert (result.json["candidate"]["stage"], result.json["candidate"]["hiredAt"]) == (
            "rejected",
            None,
        )
        assert counters(api, acme, vacancy_id) == (1, 0)

    @pytest.mark.parametrize("stage", ["applied", "screening", "rejected", "hired"])
    def test_moving_to_the_same_stage_changes_and_records_nothing(
        self, api: Any, acme: Any, clock: Any, stage: str
    ) -> None:
        """Moving a candidate to the stage they are in answers them unchanged, with no new
        audit event and the same counters."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        if stage != "applied":
            _move(api, acme, candidate_id, stage)
        clock.advance(minutes=5)
        before = (candidate(api, acme, candidate_id), counters(api, acme, vacancy_id))
        events = (audit_events(api, acme), outbox(api, acme))
        result = _patch(api, acme.headers, candidate_id, stage=stage)
        assert (result.status_code, result.json["candidate"]) == (200, before[0])
        assert (candidate(api, acme, candidate_id), counters(api, acme, vacancy_id)) == before
        assert (audit_events(api, acme), outbox(api, acme)) == events

    def test_a_move_records_one_stage_changed_event(self, api: Any, acme: Any) -> None:
        """A stage move appends exactly one `candidate.stage_changed` audit event naming the
        stages."""
        candidate_id = new_candidate(api, new_vacancy(api, acme))
        before = len(audit_events(api, acme))
        _move(api, acme, candidate_id, "screening")
        events = audit_events(api, acme)
        assert len(events) == before + 1
        assert (events[0]["type"], events[0]["entityId"], events[0]["data"]) == (
            "candidate.stage_changed",
            candidate_id,
            {"from": "applied", "to": "screening"},
        )


class TestVacancyCounters:
    """`applicants` and `hired` always count the vacancy's candidates (CONTRACT §6)."""

    def test_the_counters_follow_applies_moves_and_deletes(self, api: Any, acme: Any) -> None:
        """Counters after each step equal a count of the candidates."""
        vacancy_id = new_vacancy(api, acme)
        ama, kofi, efua = (new_candidate(api, vacancy_id) for _ in range(3))
        assert counters(api, acme, vacancy_id) == (3, 0)
        _move(api, acme, ama, "hired")
        _move(api, acme, kofi, "hired")
        assert counters(api, acme, vacancy_id) == (3, 2)
        _move(api, acme, kofi, "offer")
        assert counters(api, acme, vacancy_id) == (3, 1)
        for gone in (ama, efua):
            deleted = api.client.simulate_delete(f"/api/candidates/{gone}", headers=acme.headers)
            assert deleted.status_code == 200
        assert counters(api, acme, vacancy_id) == (1, 0)
        assert candidates(api, acme, jobId=vacancy_id)["total"] == 1

    def test_the_counters_of_other_vacancies_stay(self, api: Any, acme: Any) -> None:
        """Moving and deleting on one vacancy leaves another's counters alone."""
        first, second = new_vacancy(api, acme), new_vacancy(api, acme)
        new_candidate(api, second)
        moved = new_candidate(api, first)
        _move(api, acme, moved, "hired")
        api.client.simulate_delete(f"/api/candidates/{moved}", headers=acme.headers)
        assert (counters(api, acme, first), counters(api, acme, second)) == ((0, 0), (1, 0))


class TestCandidateDelete:
    """Deleting a candidate removes their offers and interviews with them."""

    def test_delete_removes_the_candidate_their_offers_and_interviews(
        self, api: Any, acme: Any
    ) -> None:
        """After DELETE the candidate, their offer and their interview are 404; another
        candidate's offer stays."""
        vacancy_id = new_vacancy(api, acme)
        doomed, kept = new_candidate(api, vacancy_id), new_candidate(api, vacancy_id)
        offers = [
            api.client.simulate_post(
                "/api/offers",
                json={
                    "candidateId": who,
                    "vacancyId": vacancy_id,
                    "baseSalary": 1000,
                    "currency": "GHS",
                },
                headers=acme.headers,
            ).json["offer"]["id"]
            for who in (doomed, kept)
        ]
        interview = api.client.simulate_post(
            "/api/interviews",
            json={
                "candidateId": doomed,
                "vacancyId": vacancy_id,
                "scheduledAt": "2026-03-01T10:00:00Z",
            },
            headers=acme.headers,
        ).json["interview"]["id"]
        result = api.client.simulate_delete(f"/api/candidates/{doomed}", headers=acme.headers)
        assert (result.status_code, result.json) == (200, {"ok": True})
        for path in (
            f"/api/candidates/{doomed}",
            f"/api/offers/{offers[0]}",
            f"/api/interviews/{interview}",
        ):
            api.assert_error(api.client.simulate_get(path, headers=acme.headers), 404, "not_found")
        kept_offer = api.client.simulate_get(f"/api/offers/{offers[1]}", headers=acme.headers)
        assert kept_offer.status_code == 200
        listed = api.client.simulate_get(
            "/api/interviews", params={"candidateId": doomed}, headers=acme.headers
        )
        assert listed.json["total"] == 0

    def test_deleting_twice_is_404(self, api: Any, acme: Any) -> None:
        """A deleted candidate's id is 404 on DELETE and PATCH too."""
        candidate_id = new_candidate(api, new_vacancy(api, acme))
        path = f"/api/candidates/{candidate_id}"
        assert api.client.simulate_delete(path, headers=acme.headers).status_code == 200
        api.assert_error(api.client.simulate_delete(path, headers=acme.headers), 404, "not_found")
        api.assert_error(_patch(api, acme.headers, candidate_id, name="X"), 404, "not_found")

    def test_a_deleted_applicant_may_apply_again(self, api: Any, acme: Any) -> None:
        """Once deleted, the same email applying again is a new candidate (201), counted."""
        vacancy_id = new_vacancy(api, acme)
        first = new_candidate(api, vacancy_id, email="ama@people.example")
        api.client.simulate_delete(f"/api/candidates/{first}", headers=acme.headers)
        again = new_candidate(api, vacancy_id, email="ama@people.example")
        assert again != first
        assert counters(api, acme, vacancy_id) == (1, 0)


class TestCandidatePatch:
    """Editing a candidate's own fields."""

    def test_writable_fields_are_changed_and_read_back(self, api: Any, acme: Any) -> None:
        """Name, contact, skills, notes and source are taken and shown."""
        candidate_id = new_candidate(api, new_vacancy(api, acme))
        changes = {
            "name": "Ama Owusu",
            "email": "ama.owusu@people.example",
            "phone": "+233 20 000 0000",
            "location": "Accra",
            "experience": 12,
            "skills": ["Risk", "SQL"],
            "notes": "Strong referral.",
            "source": "referral",
        }
        result = _patch(api, acme.headers, candidate_id, **changes)
        assert result.status_code == 200, result.text
        shown = candidate(api, acme, candidate_id)
        assert {name: shown[name] for name in changes} == changes

    def test_null_clears_an_optional_field(self, api: Any, acme: Any) -> None:
        """`phone: null` removes the phone."""
        candidate_id = new_candidate(api, new_vacancy(api, acme), phone="+1 555 0100")
        assert _patch(api, acme.headers, candidate_id, phone=None).status_code == 200
        assert candidate(api, acme, candidate_id)["phone"] is None

    @pytest.mark.parametrize("taken", ["ama@people.example", "AMA@People.Example"])
    def test_an_email_another_candidate_of_the_vacancy_has_is_409(
        self, api: Any, acme: Any, taken: str
    ) -> None:
        """Changing the email to one (in any case) another candidate of the same vacancy has is
        409, and nothing changes."""
        vacancy_id = new_vacancy(api, acme)
        new_candidate(api, vacancy_id, email="ama@people.example")
        other = new_candidate(api, vacancy_id, email="kofi@people.example", name="Kofi")
        result = _patch(api, acme.headers, other, email=taken, name="Renamed")
        api.assert_error(result, 409, "conflict")
        shown = candidate(api, acme, other)
        assert (shown["email"], shown["name"]) == ("kofi@people.example", "Kofi")

    def test_an_email_a_candidate_of_another_vacancy_has_is_fine(self, api: Any, acme: Any) -> None:
        """The same email on another vacancy is another candidate: no conflict."""
        new_candidate(api, new_vacancy(api, acme), email="ama@people.example")
        other = new_candidate(api, new_vacancy(api, acme))
        assert _patch(api, acme.headers, other, email="ama@people.example").status_code == 200

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("vacancyId", "vac_other0000000000000"),
            ("stageChangedAt", "2026-01-01T00:00:00Z"),
            ("hiredAt", "2026-01-01T00:00:00Z"),
            ("updatedAt", "2026-01-01T00:00:00Z"),
        ],
    )
    def test_a_read_only_field_is_422_by_name(
        self, api: Any, acme: Any, field: str, value: str
    ) -> None:
        """Sending a field the server maintains is 422 with `fields` saying it is read-only,
        and nothing changes."""
        candidate_id = new_candidate(api, new_vacancy(api, acme))
        before = candidate(api, acme, candidate_id)
        result = _patch(api, acme.headers, candidate_id, **{field: value, "name": "Changed"})
        error = api.assert_error(result, 422, "validation_error")
        assert error["fields"] == {field: "is read-only"}
        assert candidate(api, acme, candidate_id) == before

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("name", " "),
            ("email", "nope"),
            ("experience", 71),
            ("skills", ["x" * 61]),
            ("phone", "1" * 41),
            ("notes", "x" * 10_001),
            ("stage", "archived"),
            ("source", "careers page"),
            ("email", None),
        ],
        ids=repr,
    )
    def test_a_bad_value_is_422_by_name(self, api: Any, acme: Any, field: str, value: Any) -> None:
        """A value breaking the field's rule is 422 naming the field."""
        candidate_id = new_candidate(api, new_vacancy(api, acme))
        error = api.assert_error(
            _patch(api, acme.headers, candidate_id, **{field: value}), 422, "validation_error"
        )
        assert field in error["fields"]

    def test_an_empty_patch_changes_nothing(self, api: Any, acme: Any) -> None:
        """`{}` answers the candidate as it was and records nothing."""
        candidate_id = new_candidate(api, new_vacancy(api, acme))
        before = (candidate(api, acme, candidate_id), audit_events(api, acme))
        result = _patch(api, acme.headers, candidate_id)
        assert (result.status_code, result.json["candidate"]) == (200, before[0])
        assert audit_events(api, acme) == before[1]


class TestImport:
    """`POST /api/candidates/import`: up to 500 rows, each succeeding or failing alone."""

    def test_good_and_bad_rows_are_counted_and_each_bad_row_named(
        self, api: Any, acme: Any, globex: Any
    ) -> None:
        """Two created, one updated and six failed rows answer the counts at the top level and
        one `{row, code, message}` error per failed row, by 0-based index."""
        vacancy_id = new_vacancy(api, acme)
        existing = new_candidate(api, vacancy_id, email="ama@people.example", name="Ama")
        foreign_vacancy = new_vacancy(api, globex)
        foreign_agency = _new_agency(api, globex)
        rows: list[Any] = [
            {"vacancyId": vacancy_id, "name": "Kofi", "email": "kofi@people.example"},
            {"vacancyId": vacancy_id, "name": "Bad", "email": "not-an-email"},
            {"vacancyId": vacancy_id, "name": "Ama O.", "email": "AMA@people.example"},
            42,
            {"vacancyId": foreign_vacancy, "name": "Spy", "email": "spy@people.example"},
            {
                "vacancyId": vacancy_id,
                "name": "Spy",
                "email": "spy@people.example",
                "agencyId": foreign_agency,
            },
            {"vacancyId": vacancy_id, "email": "noname@people.example"},
            {"vacancyId": vacancy_id, "name": "Efua", "email": "efua@people.example", "x": 1},
            {
                "vacancyId": vacancy_id,
                "name": "Yaw",
                "email": "yaw@people.example",
                "experience": 3,
            },
        ]
        result = _import(api, acme, rows)
        assert result.status_code == 200, result.text
        body = result.json
        assert set(body) == {"ok", "total", "created", "updated", "skipped", "errors"}
        assert (body["ok"], body["total"], body["created"], body["updated"], body["skipped"]) == (
            True,
            9,
            2,
            1,
            6,
        )
        assert [(e["row"], e["code"]) for e in body["errors"]] == [
            (1, "validation_error"),
            (3, "validation_error"),
            (4, "not_found"),
            (5, "not_found"),
            (6, "validation_error"),
            (7, "validation_error"),
        ]
        for error in body["errors"]:
            assert set(error) == {"row", "code", "message"}
            assert isinstance(error["message"], str)
            assert error["message"]
        assert "email" in body["errors"][0]["message"]
        assert "name" in body["errors"][4]["message"]
        assert counters(api, acme, vacancy_id) == (3, 0)
        assert candidate(api, acme, existing)["name"] == "Ama O."

    def test_new_rows_fire_candidate_applied_and_updates_fire_nothing(
        self, api: Any, acme: Any
    ) -> None:
        """Each created row queues `candidate.applied`; an updating or failed row queues
        nothing."""
        vacancy_id = new_vacancy(api, acme)
        new_candidate(api, vacancy_id, email="ama@people.example")
        before = {event.id for event in outbox(api, acme)}
        rows = [
            {"vacancyId": vacancy_id, "name": "Kofi", "email": "kofi@people.example"},
            {"vacancyId": vacancy_id, "name": "Ama O.", "email": "ama@people.example"},
            {"vacancyId": vacancy_id, "name": "Efua", "email": "efua@people.example"},
            {"vacancyId": vacancy_id, "name": "", "email": "bad@people.example"},
        ]
        assert _import(api, acme, rows).json["created"] == 2
        added = [event for event in outbox(api, acme) if event.id not in before]
        assert sorted(e.type for e in added) == ["candidate.applied"] * 2
        assert {e.data["source"] for e in added} == {"import"}

    def test_imported_candidates_have_the_import_source(self, api: Any, acme: Any) -> None:
        """New rows become candidates at stage applied with source import."""
        vacancy_id = new_vacancy(api, acme)
        _import(api, acme, [{"vacancyId": vacancy_id, "name": "Kofi", "email": email(api)}])
        (item,) = candidates(api, acme, jobId=vacancy_id)["candidates"]
        assert (item["stage"], item["source"]) == ("applied", "import")

    def test_an_updating_row_keeps_what_it_leaves_out(self, api: Any, acme: Any) -> None:
        """A row matching an existing candidate changes only the fields it gives."""
        vacancy_id = new_vacancy(api, acme)
        existing = new_candidate(
            api, vacancy_id, email="ama@people.example", phone="+1 555 0100", skills=["SQL"]
        )
        result = _import(
            api,
            acme,
            [
                {
                    "vacancyId": vacancy_id,
                    "name": "Ama",
                    "email": "ama@people.example",
                    "experience": 4,
                }
            ],
        )
        assert result.json["updated"] == 1
        shown = candidate(api, acme, existing)
        assert (shown["phone"], shown["skills"], shown["experience"]) == (
            "+1 555 0100",
            ["SQL"],
            4,
        )

    @pytest.mark.parametrize("row", [None, "a", [], True, 3.5, [{"name": "x"}]], ids=repr)
    def test_a_row_that_is_not_an_object_fails_alone(self, api: Any, acme: Any, row: Any) -> None:
        """A non-object row is its own validation_error; the good row beside it is imported."""
        vacancy_id = new_vacancy(api, acme)
        good = {"vacancyId": vacancy_id, "name": "Kofi", "email": email(api)}
        body = _import(api, acme, [row, good]).json
        assert (body["created"], body["skipped"]) == (1, 1)
        assert [(e["row"], e["code"]) for e in body["errors"]] == [(0, "validation_error")]

    def test_501_rows_are_413_too_many_rows_even_when_they_are_garbage(
        self, api: Any, acme: Any
    ) -> None:
        """Over 500 rows is refused before any row is read, whatever the rows are."""
        vacancy_id = new_vacancy(api, acme)
        good = [
            {"vacancyId": vacancy_id, "name": "P", "email": f"p{n}@x.example"} for n in range(3)
        ]
        for rows in ([0] * 501, [*good, *([None] * 498)]):
            api.assert_error(_import(api, acme, rows), 413, "too_many_rows")
        assert candidates(api, acme)["total"] == 0

    def test_500_rows_are_taken(self, api: Any, acme: Any) -> None:
        """Exactly 500 rows are read, each failing or succeeding alone."""
        body = _import(api, acme, [None] * 500).json
        assert (body["total"], body["skipped"], len(body["errors"])) == (500, 500, 500)
        assert [e["row"] for e in body["errors"]] == list(range(500))

    def test_a_body_over_one_mebibyte_is_413_payload_too_large(self, api: Any, acme: Any) -> None:
        """The 1 MiB body cap holds for imports too."""
        vacancy_id = new_vacancy(api, acme)
        row = {"vacancyId": vacancy_id, "name": "x" * MAX_BODY_BYTES, "email": email(api)}
        api.assert_error(_import(api, acme, [row]), 413, "payload_too_large")
        assert candidates(api, acme)["total"] == 0

    @pytest.mark.parametrize("body", [{}, {"rows": {}}, {"rows": "a"}, {"rows": [], "x": 1}])
    def test_a_body_without_a_rows_list_is_422(self, api: Any, acme: Any, body: Any) -> None:
        """The envelope is `{rows: [...]}`: anything else is 422."""
        result = api.client.simulate_post(IMPORT, json=body, headers=acme.headers)
        api.assert_error(result, 422, "validation_error")

    def test_an_empty_import_is_all_zero(self, api: Any, acme: Any) -> None:
        """No rows: total, created, updated and skipped are 0, and errors empty."""
        body = _import(api, acme, []).json
        assert body == {
            "ok": True,
            "total": 0,
            "created": 0,
            "updated": 0,
            "skipped": 0,
            "errors": [],
        }

    def test_the_same_email_twice_in_one_import_is_one_candidate(self, api: Any, acme: Any) -> None:
        """The second row with the same email (another case) updates the first one's
        candidate."""
        vacancy_id = new_vacancy(api, acme)
        rows = [
            {"vacancyId": vacancy_id, "name": "Ama", "email": "ama@people.example"},
            {"vacancyId": vacancy_id, "name": "Ama O.", "email": "AMA@people.example"},
        ]
        body = _import(api, acme, rows).json
        assert (body["created"], body["updated"]) == (1, 1)
        assert counters(api, acme, vacancy_id) == (1, 0)
