"""The public application route, ``POST /api/careers/apply`` (CONTRACT §3, §6), and the CORS
headers that let a company's own careers site use it from the browser."""

from __future__ import annotations

import re
from typing import Any

import falcon.testing
import pytest
from http_pipeline import (
    APPLY,
    apply,
    audit_events,
    candidate,
    candidates,
    counters,
    email,
    new_candidate,
    new_vacancy,
    outbox,
)

from talentos_http.app import create_app


class TestApplyCreates:
    """A first application makes a candidate on the vacancy."""

    def test_a_new_application_is_201_with_the_candidate_id_and_no_dedup(
        self, api: Any, acme: Any
    ) -> None:
        """A first application answers 201 `{candidate: {id, dedup: false}}` and nothing else."""
        vacancy_id = new_vacancy(api, acme)
        result = apply(api, vacancy_id, email="ama@people.example")
        assert result.status_code == 201, result.text
        assert result.json == {
            "ok": True,
            "candidate": {"id": result.json["candidate"]["id"], "dedup": False},
        }
        assert re.fullmatch(r"cand_[A-Za-z0-9]{16,}", result.json["candidate"]["id"])

    def test_the_candidate_is_in_the_pipeline_from_the_careers_source(
        self, api: Any, acme: Any
    ) -> None:
        """The tenant sees the applicant at stage applied, source careers, with what they
        sent."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(
            api, vacancy_id, email="ama@people.example", skills=["COBOL"], experience=7
        )
        found = candidate(api, acme, candidate_id)
        assert (found["vacancyId"], found["stage"], found["source"]) == (
            vacancy_id,
            "applied",
            "careers",
        )
        assert (found["email"], found["skills"], found["experience"]) == (
            "ama@people.example",
            ["COBOL"],
            7,
        )
        assert counters(api, acme, vacancy_id) == (1, 0)


class TestApplyDedupe:
    """The same email (any case, surrounding space) on the same vacancy is one candidate."""

    @pytest.mark.parametrize("again", ["ama@people.example", "AMA@People.Example"])
    def test_a_second_application_is_200_with_dedup_and_the_same_id(
        self, api: Any, acme: Any, again: str
    ) -> None:
        """Applying again answers 200 `dedup: true` with the first candidate's id."""
        vacancy_id = new_vacancy(api, acme)
        first = new_candidate(api, vacancy_id, email="ama@people.example")
        result = apply(api, vacancy_id, email=again)
        assert (result.status_code, result.json) == (
            200,
            {"ok": True, "candidate": {"id": first, "dedup": True}},
        )

    def test_the_vacancy_counts_the_applicant_once(self, api: Any, acme: Any) -> None:
        """Three applications with one email leave one candidate and `applicants == 1`."""
        vacancy_id = new_vacancy(api, acme)
        for spelling in ("ama@people.example", "AMA@PEOPLE.EXAMPLE", "Ama@People.example"):
            assert apply(api, vacancy_id, email=spelling).status_code in (200, 201)
        assert counters(api, acme, vacancy_id) == (1, 0)
        assert candidates(api, acme, jobId=vacancy_id)["total"] == 1

    def test_a_dedup_changes_nothing_and_fires_nothing(self, api: Any, acme: Any) -> None:
        """The repeated application's other fields are ignored; no audit event and no webhook
        event is added."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id, email="ama@people.example", name="Ama")
        before = (candidate(api, acme, candidate_id), audit_events(api, acme), outbox(api, acme))
        result = apply(api, vacancy_id, email="AMA@people.example", name="Someone Else")
        assert result.status_code == 200
        after = (candidate(api, acme, candidate_id), audit_events(api, acme), outbox(api, acme))
        assert after == before

    def test_a_new_applicant_fires_candidate_applied_without_personal_data(
        self, api: Any, acme: Any
    ) -> None:
        """A new candidate queues one `candidate.applied` event holding ids and states only."""
        vacancy_id = new_vacancy(api, acme)
        before = len(outbox(api, acme))
        candidate_id = new_candidate(api, vacancy_id, email="ama@people.example", name="Ama")
        events = outbox(api, acme)
        assert len(events) == before + 1
        (event,) = [e for e in events if e.type == "candidate.applied"]
        assert event.data == {
            "candidateId": candidate_id,
            "vacancyId": vacancy_id,
            "stage": "applied",
            "source": "careers",
        }

    @pytest.mark.parametrize("spaced", [" ama@people.example", "AMA@people.example  "])
    def test_an_email_with_surrounding_space_is_422_and_changes_nothing(
        self, api: Any, acme: Any, spaced: str
    ) -> None:
        """The email must be an address as the schema publishes it: surrounding space is 422
        on `email` (as on signup and invites), not a second candidate."""
        vacancy_id = new_vacancy(api, acme)
        new_candidate(api, vacancy_id, email="ama@people.example")
        error = api.assert_error(apply(api, vacancy_id, email=spaced), 422, "validation_error")
        assert set(error["fields"]) == {"email"}
        assert counters(api, acme, vacancy_id) == (1, 0)

    def test_the_same_email_on_another_vacancy_is_another_candidate(
        self, api: Any, acme: Any
    ) -> None:
        """Dedupe is per vacancy: the same person applying elsewhere is a new candidate."""
        first, second = new_vacancy(api, acme), new_vacancy(api, acme)
        one = new_candidate(api, first, email="ama@people.example")
        result = apply(api, second, email="ama@people.example")
        assert (result.status_code, result.json["candidate"]["dedup"]) == (201, False)
        assert result.json["candidate"]["id"] != one


class TestApplyOnlyToOpenVacancies:
    """A vacancy that is not open takes no applications, and says no more than a missing one."""

    @pytest.mark.parametrize("status", ["draft", "closed", "on_hold"])
    def test_a_vacancy_that_is_not_open_is_404_like_a_missing_one(
        self, api: Any, acme: Any, status: str
    ) -> None:
        """Applying to a draft, closed or on-hold vacancy is the unknown vacancy's 404 body, and
        no candidate is made."""
        hidden = new_vacancy(api, acme, status=status)
        refused = apply(api, hidden)
        missing = apply(api, "vac_" + "z" * 20)
        api.assert_error(refused, 404, "not_found")
        assert refused.json == missing.json
        assert candidates(api, acme)["total"] == 0
        assert counters(api, acme, hidden) == (0, 0)


class TestApplyValidation:
    """Every field is checked, and the 422 names each field that is wrong."""

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("name", ""),
            ("name", "   "),
            ("name", "x" * 201),
            ("email", "not-an-email"),
            ("email", "ama@localhost"),
            ("experience", 71),
            ("experience", -1),
            ("experience", "7"),
            ("experience", 7.5),
            ("skills", [f"skill {n}" for n in range(51)]),
            ("skills", ["x" * 61]),
            ("skills", "COBOL"),
            ("phone", "1" * 41),
            ("location", "x" * 201),
            ("vacancyId", ""),
        ],
        ids=repr,
    )
    def test_a_bad_field_is_422_naming_it_and_makes_nobody(
        self, api: Any, acme: Any, field: str, value: Any
    ) -> None:
        """A value breaking the field's rule is 422 validation_error with `fields` naming it."""
        vacancy_id = new_vacancy(api, acme)
        error = api.assert_error(apply(api, vacancy_id, **{field: value}), 422, "validation_error")
        assert field in error["fields"], error
        assert candidates(api, acme)["total"] == 0

    def test_every_bad_field_is_named_at_once(self, api: Any, acme: Any) -> None:
        """One application with five bad fields names all five."""
        vacancy_id = new_vacancy(api, acme)
        result = apply(
            api,
            vacancy_id,
            name=" ",
            email="nope",
            experience=71,
            skills=["x" * 61],
            phone="1" * 41,
        )
        error = api.assert_error(result, 422, "validation_error")
        assert set(error["fields"]) == {"name", "email", "experience", "skills", "phone"}

    @pytest.mark.parametrize("missing", ["vacancyId", "name", "email"])
    def test_a_required_field_left_out_is_422_naming_it(
        self, api: Any, acme: Any, missing: str
    ) -> None:
        """Leaving out the vacancy, name or email is 422 with `fields` naming it."""
        body = {"vacancyId": new_vacancy(api, acme), "name": "Ama", "email": email(api)}
        del body[missing]
        result = api.client.simulate_post(APPLY, json=body, remote_addr="10.9.9.9")
        assert missing in api.assert_error(result, 422, "validation_error")["fields"]

    def test_the_boundaries_are_accepted(self, api: Any, acme: Any) -> None:
        """70 years, 50 skills of 60 characters and a 40-character phone are all fine."""
        vacancy_id = new_vacancy(api, acme)
        result = apply(
            api,
            vacancy_id,
            experience=70,
            skills=[f"{n:02d}" + "x" * 58 for n in range(50)],
            phone="+" + "1" * 39,
        )
        assert result.status_code == 201, result.text


class TestApplyWithAResume:
    """Uploads arrive with the files issue: until then no upload id names anything."""

    @pytest.mark.parametrize("upload_id", ["upl_" + "a" * 20, "", "anything at all"])
    def test_any_resume_upload_id_is_404_and_makes_nobody(
        self, api: Any, acme: Any, upload_id: str
    ) -> None:
        """An application naming any `resumeUploadId` is 404 not_found and creates no
        candidate."""
        vacancy_id = new_vacancy(api, acme)
        result = apply(api, vacancy_id, resumeUploadId=upload_id)
        api.assert_error(result, 404, "not_found")
        assert candidates(api, acme)["total"] == 0
        assert counters(api, acme, vacancy_id) == (0, 0)


def _installation(api: Any, make_talentos: Any, **settings: Any) -> tuple[Any, Any]:
    """Another installation with ``settings`` (its ``Api``), and a tenant signed up on it."""
    services = make_talentos(**settings)
    other = type(api)(services, falcon.testing.TestClient(create_app(services)))
    return other, other.signup()


def _limited_installation(api: Any, make_talentos: Any, **settings: Any) -> tuple[Any, str]:
    """Another installation with ``settings``, and an open vacancy of a tenant on it."""
    other, account = _installation(api, make_talentos, **settings)
    return other, new_vacancy(other, account)


class TestApplyRateLimit:
    """`TALENTOS_APPLY_RATE` applications a minute per client IP; then 429 with Retry-After."""

    def test_the_application_past_the_limit_is_429_with_retry_after_in_seconds(
        self, api: Any, make_talentos: Any
    ) -> None:
        """With a limit of 3, the 4th application from one address is 429 rate_limited with a
        Retry-After of whole seconds within the minute."""
        other, vacancy_id = _limited_installation(api, make_talentos, apply_rate=3)
        statuses = [apply(other, vacancy_id, ip="192.0.2.7").status_code for _ in range(3)]
        assert statuses == [201, 201, 201]
        refused = apply(other, vacancy_id, ip="192.0.2.7")
        api.assert_error(refused, 429, "rate_limited")
        assert re.fullmatch(r"[1-9][0-9]*", refused.headers["retry-after"])

    def test_another_client_behind_a_trusted_proxy_is_not_limited(
        self, api: Any, make_talentos: Any
    ) -> None:
        """Behind a trusted proxy the limit is per X-Forwarded-For address, not per proxy."""
        other, vacancy_id = _limited_installation(
            api, make_talentos, apply_rate=3, trust_proxy=True
        )
        proxy = "127.0.0.1"
        first = {"X-Forwarded-For": "198.51.100.1"}
        for _ in range(3):
            assert apply(other, vacancy_id, ip=proxy, headers=first).status_code == 201
        api.assert_error(apply(other, vacancy_id, ip=proxy, headers=first), 429, "rate_limited")
        second = {"X-Forwarded-For": "198.51.100.2"}
        assert apply(other, vacancy_id, ip=proxy, headers=second).status_code == 201

    def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(
        self, api: Any, make_talentos: Any
    ) -> None:
        """Without `trust_proxy` a client cannot dodge the limit by inventing
        X-Forwarded-For addresses."""
        other, vacancy_id = _limited_installation(api, make_talentos, apply_rate=3)
        statuses = [
            apply(
                other, vacancy_id, ip="192.0.2.11", headers={"X-Forwarded-For": f"203.0.113.{n}"}
            ).status_code
            for n in range(4)
        ]
        assert statuses == [201, 201, 201, 429]

    def test_behind_a_proxy_only_the_address_it_added_counts(
        self, api: Any, make_talentos: Any
    ) -> None:
        """The proxy appends the real client last; addresses the client put before it are
        not trusted, so varying them does not dodge the limit."""
        other, vacancy_id = _limited_installation(
            api, make_talentos, apply_rate=3, trust_proxy=True
        )
        statuses = [
            apply(
                other,
                vacancy_id,
                ip="127.0.0.1",
                headers={"X-Forwarded-For": f"203.0.113.{n}, 198.51.100.9"},
            ).status_code
            for n in range(4)
        ]
        assert statuses == [201, 201, 201, 429]

    def test_failed_applications_count_too(self, api: Any, make_talentos: Any) -> None:
        """Three refused applications (an unknown vacancy, a blank name, 71 years) use up a
        limit of 3."""
        other, vacancy_id = _limited_installation(api, make_talentos, apply_rate=3)
        ip = "192.0.2.8"
        failed = [
            apply(other, "vac_" + "z" * 20, ip=ip).status_code,
            apply(other, vacancy_id, ip=ip, name=" ").status_code,
            apply(other, vacancy_id, ip=ip, experience=71).status_code,
        ]
        assert failed == [404, 422, 422]
        api.assert_error(apply(other, vacancy_id, ip=ip), 429, "rate_limited")

    def test_retry_after_is_exactly_when_the_limit_lifts(
        self, api: Any, make_talentos: Any, clock: Any
    ) -> None:
        """A second before Retry-After is up the address is still refused; at Retry-After it
        may apply again (the refused attempts did not push the time back)."""
        other, vacancy_id = _limited_installation(api, make_talentos, apply_rate=3)
        for _ in range(3):
            apply(other, vacancy_id, ip="192.0.2.9")
        wait = int(apply(other, vacancy_id, ip="192.0.2.9").headers["retry-after"])
        clock.advance(seconds=wait - 1)
        api.assert_error(apply(other, vacancy_id, ip="192.0.2.9"), 429, "rate_limited")
        clock.advance(seconds=1)
        assert apply(other, vacancy_id, ip="192.0.2.9").status_code == 201

    def test_a_rate_of_zero_means_no_limit(self, api: Any, make_talentos: Any) -> None:
        """`apply_rate=0` lets any number of applications through."""
        other, vacancy_id = _limited_installation(api, make_talentos, apply_rate=0)
        statuses = {apply(other, vacancy_id, ip="192.0.2.10").status_code for _ in range(25)}
        assert statuses == {201}


class TestApplyIsNotCookieCsrfChecked:
    """Apply takes no credential, so the cookie-CSRF origin check does not apply to it."""

    def test_apply_with_a_cookie_from_a_foreign_origin_still_works(
        self, api: Any, acme: Any
    ) -> None:
        """An application carrying a session cookie and a foreign Origin is answered 201."""
        vacancy_id = new_vacancy(api, acme)
        headers = {**acme.headers, "Origin": api.FOREIGN_ORIGIN}
        result = apply(api, vacancy_id, headers=headers)
        assert result.status_code == 201, result.text
        cross_site = {**acme.headers, "Sec-Fetch-Site": "cross-site"}
        assert apply(api, vacancy_id, headers=cross_site).status_code == 201

    def test_a_cookie_write_elsewhere_from_that_origin_stays_403(self, api: Any, acme: Any) -> None:
        """The same cookie and Origin on POST /api/vacancies is still 403 forbidden."""
        result = api.client.simulate_post(
            "/api/vacancies",
            json={"title": "Forged"},
            headers={**acme.headers, "Origin": api.FOREIGN_ORIGIN},
        )
        api.assert_error(result, 403, "forbidden")


# -- CORS -------------------------------------------------------------------------------------

CAREERS_A = "https://careers.acme.example"
CAREERS_B = "https://jobs.globex.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}


def _list_origins(api: Any, account: Any, *origins: str) -> Any:
    return api.client.simulate_patch(
        "/api/tenants/me", json={"careerSiteOrigins": list(origins)}, headers=account.headers
    )


def _preflight(api: Any, origin: str) -> falcon.testing.Result:
    return api.client.simulate_options(APPLY, headers={**PREFLIGHT, "Origin": origin})


class TestApplyPreflight:
    """A browser asks before posting JSON cross-origin; listed origins are told yes."""

    def test_a_preflight_from_a_listed_origin_passes(self, api: Any, acme: Any) -> None:
        """OPTIONS from an origin a tenant lists allows that origin, POST and Content-Type."""
        assert _list_origins(api, acme, CAREERS_A).status_code == 200
        result = _preflight(api, CAREERS_A)
        assert result.status_code in (200, 204)
        assert result.headers["access-control-allow-origin"] == CAREERS_A
        assert "POST" in result.headers["access-control-allow-methods"]
        assert "content-type" in result.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in result.headers

    @pytest.mark.parametrize(
        "origin",
        [
            "https://evil.example",
            "https://careers.acme.example.evil.example",
            "http://careers.acme.example",
            "https://careers.acme.example:8443",
            "null",
        ],
    )
    def test_a_preflight_from_an_unlisted_origin_gets_no_allow_origin(
        self, api: Any, acme: Any, origin: str
    ) -> None:
        """OPTIONS from an origin no tenant lists has no Access-Control-Allow-Origin."""
        _list_origins(api, acme, CAREERS_A)
        result = _preflight(api, origin)
        assert "access-control-allow-origin" not in result.headers
        assert "access-control-allow-methods" not in result.headers

    def test_no_origin_is_listed_until_a_tenant_lists_it(self, api: Any, acme: Any) -> None:
        """Before any tenant lists it, the careers origin is refused like any other."""
        assert "access-control-allow-origin" not in _preflight(api, CAREERS_A).headers


class TestApplyCorsAnswer:
    """The application's own answer lets the page read it only if the vacancy's company
    lists the page's origin."""

    def test_an_origin_the_vacancys_tenant_lists_may_read_the_answer(
        self, api: Any, acme: Any
    ) -> None:
        """A successful apply from origin A, listed by the vacancy's tenant, answers ACAO A."""
        _list_origins(api, acme, CAREERS_A)
        vacancy_id = new_vacancy(api, acme)
        result = apply(api, vacancy_id, headers={"Origin": CAREERS_A})
        assert result.status_code == 201
        assert result.headers["access-control-allow-origin"] == CAREERS_A
        assert "access-control-allow-credentials" not in result.headers
        assert "Origin" in result.headers.get("vary", "")

    def test_an_origin_only_another_tenant_lists_may_not_read_a_success(
        self, api: Any, acme: Any, globex: Any
    ) -> None:
        """A successful apply to Acme from origin B, which only Globex lists, has no ACAO."""
        _list_origins(api, acme, CAREERS_A)
        _list_origins(api, globex, CAREERS_B)
        vacancy_id = new_vacancy(api, acme)
        result = apply(api, vacancy_id, headers={"Origin": CAREERS_B})
        assert result.status_code == 201
        assert "access-control-allow-origin" not in result.headers

    def test_an_error_is_readable_by_any_listed_origin(self, api: Any, acme: Any) -> None:
        """A refused application (no such vacancy) lets a listed origin read why, and an
        unlisted one not."""
        _list_origins(api, acme, CAREERS_A)
        listed = apply(api, "vac_" + "z" * 20, headers={"Origin": CAREERS_A})
        unlisted = apply(api, "vac_" + "z" * 20, headers={"Origin": "https://evil.example"})
        assert (listed.status_code, unlisted.status_code) == (404, 404)
        assert listed.headers["access-control-allow-origin"] == CAREERS_A
        assert "access-control-allow-origin" not in unlisted.headers

    def test_a_rate_limited_page_may_read_retry_after(self, api: Any, make_talentos: Any) -> None:
        """A 429 to a listed origin allows it and exposes Retry-After to the page's script."""
        other, account = _installation(api, make_talentos, apply_rate=1)
        _list_origins(other, account, CAREERS_A)
        vacancy_id = new_vacancy(other, account)
        apply(other, vacancy_id, ip="192.0.2.12")
        refused = apply(other, vacancy_id, ip="192.0.2.12", headers={"Origin": CAREERS_A})
        api.assert_error(refused, 429, "rate_limited")
        assert refused.headers["access-control-allow-origin"] == CAREERS_A
        exposed = refused.headers.get("access-control-expose-headers", "")
        assert "retry-after" in exposed.lower()


class TestCorsElsewhere:
    """The careers board is public to every origin; everything else is same-origin only."""

    @pytest.mark.parametrize("path", ["/api/careers/vacancies", "/api/careers/vacancies/{id}"])
    def test_the_careers_board_allows_any_origin_without_credentials(
        self, api: Any, acme: Any, path: str
    ) -> None:
        """Careers GETs answer `Access-Control-Allow-Origin: *` and never allow credentials."""
        vacancy_id = new_vacancy(api, acme)
        result = api.client.simulate_get(
            path.format(id=vacancy_id), headers={"Origin": "https://anyone.example"}
        )
        assert result.status_code == 200
        assert result.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in result.headers

    def test_a_careers_404_allows_any_origin_too(self, api: Any) -> None:
        """A missing vacancy on the board is public too: `*`, no credentials."""
        result = api.client.simulate_get(
            "/api/careers/vacancies/vac_" + "z" * 20, headers={"Origin": "https://x.example"}
        )
        assert result.status_code == 404
        assert result.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in result.headers

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/api/candidates"),
            ("GET", "/api/vacancies"),
            ("GET", "/api/tenants/me"),
            ("OPTIONS", "/api/candidates"),
            ("OPTIONS", "/api/vacancies"),
        ],
    )
    def test_other_routes_have_no_cors_headers_even_for_a_listed_origin(
        self, api: Any, acme: Any, method: str, path: str
    ) -> None:
        """A listed careers origin reading the pipeline gets no Access-Control-* header."""
        _list_origins(api, acme, CAREERS_A)
        result = api.request(
            method, path, headers={**acme.headers, **PREFLIGHT, "Origin": CAREERS_A}
        )
        assert [h for h in result.headers if h.startswith("access-control-")] == []


class TestCareerSiteOrigins:
    """`careerSiteOrigins` holds up to 20 web origins: scheme, lowercase host, optional port."""

    def test_the_listed_origins_are_kept_and_read_back(self, api: Any, acme: Any) -> None:
        """PATCH stores the origins; GET /api/tenants/me shows them."""
        origins = [CAREERS_A, "http://localhost:8000", "https://xn--n-0fa.example"]
        assert _list_origins(api, acme, *origins).json["tenant"]["careerSiteOrigins"] == origins
        tenant = api.client.simulate_get("/api/tenants/me", headers=acme.headers).json["tenant"]
        assert tenant["careerSiteOrigins"] == origins

    @pytest.mark.parametrize(
        "origin",
        [
            "https://careers.acme.example/jobs",
            "https://careers.acme.example/",
            "https://Careers.Acme.example",
            "javascript:alert(1)",
            "careers.acme.example",
            "ftp://careers.acme.example",
            "https://careers.acme.example?x=1",
            "https://user@careers.acme.example",
            "*",
            "",
        ],
    )
    def test_something_that_is_not_an_origin_is_422(self, api: Any, acme: Any, origin: str) -> None:
        """A path, an uppercase host, a `javascript:` URL and the like are 422 on the field,
        and nothing is stored."""
        _list_origins(api, acme, CAREERS_A)
        error = api.assert_error(
            _list_origins(api, acme, CAREERS_A, origin), 422, "validation_error"
        )
        assert "careerSiteOrigins" in error["fields"]
        tenant = api.client.simulate_get("/api/tenants/me", headers=acme.headers).json["tenant"]
        assert tenant["careerSiteOrigins"] == [CAREERS_A]

    def test_more_than_twenty_origins_is_422(self, api: Any, acme: Any) -> None:
        """20 origins are taken; 21 are 422 on `careerSiteOrigins`."""
        twenty = [f"https://site{n}.example" for n in range(20)]
        assert _list_origins(api, acme, *twenty).status_code == 200
        error = api.assert_error(
            _list_origins(api, acme, *twenty, "https://one-more.example"),
            422,
            "validation_error",
        )
        assert "careerSiteOrigins" in error["fields"]

    def test_an_origin_no_longer_listed_is_refused_again(self, api: Any, acme: Any) -> None:
        """Emptying the list withdraws the preflight permission at once."""
        _list_origins(api, acme, CAREERS_A)
        assert _preflight(api, CAREERS_A).headers.get("access-control-allow-origin") == CAREERS_A
        _list_origins(api, acme)
        assert "access-control-allow-origin" not in _preflight(api, CAREERS_A).headers
