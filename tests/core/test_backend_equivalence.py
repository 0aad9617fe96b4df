"""The memory and SQLite backends are indistinguishable through the services (SECURITY-TESTS 34).

A Hypothesis state machine drives one random sequence of service calls against TalentOS on
each backend (same frozen clock, same sequential ids, same audit key, same API key tokens) and
requires every call to give the same observable result: the same return value, or the same
error class, code and field messages. Ids of the other tenant are used as freely as one's own,
so isolation failures (404s) must match too.

The pipeline runs through it as well: public applications (rate-limited per IP), imports with
good and broken rows, stage moves by admins, a recruiter, an interviewer and API keys, offers
from creation to decision, and candidate deletes; after every step each vacancy's
``applicants`` and ``hired`` must equal a count of its candidates on both backends.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from talentos_core import TalentOS
from talentos_core.domain.actors import Actor, Origin
from talentos_core.domain.agencies import NewAgency
from talentos_core.domain.api_keys import ApiKey, MintedKey, NewApiKey
from talentos_core.domain.audit import AuditFilter, ClientEvent
from talentos_core.domain.candidates import Application, CandidateFilter, CandidatePatch, Stage
from talentos_core.domain.offers import NewOffer, OfferPatch, OfferStatus
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import UNSET
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.tenants import TenantPatch
from talentos_core.domain.users import AcceptInvite, InviteRequest, User
from talentos_core.domain.vacancies import (
    CareersFilter,
    Level,
    NewVacancy,
    VacancyFilter,
    VacancyPatch,
    VacancyStatus,
)
from talentos_core.errors import TalentOSError, ValidationError
from talentos_core.roles import Role
from talentos_core.services.auth import SignedIn
from talentos_core.testing import (
    DEFAULT_PASSWORD,
    EPOCH,
    FrozenClock,
    memory_talentos,
    sign_up,
    sqlite_talentos,
    test_settings,
)

BACKENDS = ("memory", "sqlite")
TENANTS = ("acme-bank", "globex")

_words = st.text(alphabet="abAB é-", max_size=6)
_titles = st.text(alphabet="abAB é-", min_size=1, max_size=6)
_statuses = st.sampled_from(list(VacancyStatus))
_levels = st.none() | st.sampled_from(list(Level))
_locations = st.none() | st.sampled_from(["Berlin", "berlin", "BERLIN", "Zürich", ""])
_skills = st.lists(st.sampled_from(["py", "SQL", "Ünï"]), max_size=3)
#: Fields are valid unless one "breaker" (drawn about 40% of the time) spoils the form.
_breakers = st.sampled_from(
    [None] * 8
    + [
        {"title": ""},
        {"title": "x" * 201},
        {"skills": [""]},
        {"skills": ["é" * 61]},
        {"status": "archived"},
        {"level": "wizard"},
    ]
)
_pages = st.builds(PageRequest, limit=st.integers(1, 4), offset=st.integers(0, 6))
_roles = st.none() | st.sampled_from(list(Role))
#: Applications per minute per IP: low, so that the limit is reached within a run.
APPLY_RATE = 4
_emails = st.sampled_from(["ada@x.example", "ADA@x.example", "bob@x.example", "cy@y.example"])
_names = st.sampled_from(["Ada", "Bob", "Cy", "Ada", "Bob", "", "x" * 201])
_ips = st.sampled_from([None, "203.0.113.9", "203.0.113.10"])
#: Decisive values first: Hypothesis leans towards the first of a sampled list.
_stages = st.sampled_from([Stage.HIRED, Stage.REJECTED, *sorted(set(Stage) - {Stage.HIRED})])
_offer_statuses = st.sampled_from(
    [OfferStatus.ACCEPTED, *sorted(set(OfferStatus) - {OfferStatus.ACCEPTED})]
)


def observable(value: Any) -> Any:
    """What a caller can compare: secrets that are random per backend are left out."""
    if isinstance(value, Page):
        return Page(observable(value.items), value.total, value.limit, value.offset)
    if isinstance(value, list):
        return [observable(item) for item in value]
    if isinstance(value, Actor):
        return attrs.evolve(value, session_hash=None)
    if isinstance(value, MintedKey):
        return (observable(value.key), value.raw_token)
    if isinstance(value, ApiKey):
        return attrs.evolve(value, key_hash="")
    if isinstance(value, User):
        return attrs.evolve(value, password_hash=None)
    if isinstance(value, SignedIn):
        return (observable(value.user), value.tenant, value.expires_at)
    return value


def outcome(call: Callable[[], Any]) -> tuple[Any, ...]:
    """``("ok", value)`` or ``("error", class, code, fields)``; other exceptions propagate."""
    try:
        return ("ok", observable(call()))
    except TalentOSError as error:
        fields = error.fields if isinstance(error, ValidationError) else None
        return ("error", type(error).__name__, error.code, fields)


class BackendEquivalence(RuleBasedStateMachine):
    """Two installations, one per backend, fed the same calls."""

    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.mkdtemp(prefix="talentos-equivalence-")
        self.clocks = {name: FrozenClock() for name in BACKENDS}
        path = str(Path(self.directory) / "x.db")
        self.systems: dict[str, TalentOS] = {
            "memory": memory_talentos(
                clock=self.clocks["memory"], settings=test_settings(apply_rate=APPLY_RATE)
            ),
            "sqlite": sqlite_talentos(
                path,
                clock=self.clocks["sqlite"],
                settings=test_settings(db=path, apply_rate=APPLY_RATE),
            ),
        }
        self.actors: dict[str, list[Actor]] = {name: [] for name in BACKENDS}
        self.vacancy_ids: list[str] = ["vac_missing"]
        self.subsidiary_ids: list[str] = ["sub_missing"]
        self.key_ids: list[str] = ["key_missing"]
        self.tokens: list[str] = ["tk_" + "0" * 64, "not-a-token"]
        self.agency_ids: list[str] = ["agy_missing"]
        #: Every candidate ever made (deleted ones stay, to be asked for again) → its tenant
        #: and vacancy; every offer → its tenant.
        self.candidates: dict[str, tuple[str, str]] = {"cand_missing": (TENANTS[0], "vac_missing")}
        self.offers: dict[str, str] = {"ofr_missing": TENANTS[0]}

    def teardown(self) -> None:
        for system in self.systems.values():
            system.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def same(self, call: Callable[[TalentOS, str], Any]) -> tuple[Any, ...]:
        """Run ``call`` on both backends and require the same outcome."""
        results = {
            name: outcome(lambda name=name: call(self.systems[name], name)) for name in BACKENDS
        }
        assert results["memory"] == results["sqlite"]
        return results["memory"]

    def as_actor(self, index: int, call: Callable[[TalentOS, Actor], Any]) -> tuple[Any, ...]:
        """Run ``call`` with the ``index``-th actor of each backend."""
        position = index % len(self.actors["memory"])
        return self.same(lambda system, name: call(system, self.actors[name][position]))

    def add_actor(self, make: Callable[[TalentOS, str], Actor]) -> None:
        """Add the actor ``make`` gives on each backend to the pool rules pick from."""
        result = self.same(lambda system, name: self.actors[name].append(make(system, name)))
        assert result == ("ok", None)

    # -- set-up -----------------------------------------------------------------------

    @initialize()
    def two_tenants_an_interviewer_and_a_recruiter(self) -> None:
        for company in ("Acme Bank", "Globex"):
            self.add_actor(lambda system, _, company=company: sign_up(system, company))

        def invited(email: str, role: Role) -> Callable[[TalentOS, str], Actor]:
            def accept(system: TalentOS, name: str) -> Actor:
                issued = system.auth.invite(
                    self.actors[name][0], InviteRequest(email, role.value.title(), role)
                )
                token = issued.invite_url.rsplit("token=", 1)[1]
                signed_in = system.auth.accept_invite(
                    Actor.public(), AcceptInvite(token, DEFAULT_PASSWORD)
                )
                return system.auth.authenticate_session(signed_in.session_token)

            return accept

        self.add_actor(invited("iv@acme-bank.example", Role.INTERVIEWER))
        self.add_actor(invited("rec@acme-bank.example", Role.RECRUITER))
        assert [actor.tenant_id for actor in self.actors["sqlite"]] == [*TENANTS, *TENANTS[:1] * 2]
        for admin in (0, 1):
            for form in (
                NewVacancy("Backend Engineer", location="Berlin", skills=["py"]),
                NewVacancy("Designer", description="Brand and web"),
                NewVacancy("Analyst", location="", status=VacancyStatus.DRAFT),
            ):
                result = self.as_actor(
                    admin, lambda system, who, form=form: system.vacancies.create(who, form)
                )
                self.vacancy_ids.append(result[1].id)
        token = "tk_00000000" + "1" * 56
        with mock.patch("talentos_core.services.api_keys.new_api_key", return_value=token):
            minted = self.as_actor(
                1, lambda system, who: system.api_keys.mint(who, NewApiKey("seed", Role.CHRO))
            )
        self.key_ids.append(minted[1][0].id)
        self.tokens.append(token)
        for admin in (0, 1):
            made = self.as_actor(
                admin, lambda system, who: system.agencies.create(who, NewAgency("Agency"))
            )
            self.agency_ids.append(made[1].id)
        # A pipeline to start from: three of acme-bank's applicants (one with a sent offer, one
        # hired) and one of globex's, on each tenant's first (open) vacancy.
        for vacancy_id, email in [
            (self.vacancy_ids[1], "ada@x.example"),
            (self.vacancy_ids[1], "bob@x.example"),
            (self.vacancy_ids[1], "cy@y.example"),
            (self.vacancy_ids[4], "cy@y.example"),
        ]:
            form = Application(vacancy_id, "Seed", email)
            self.same(lambda system, _, form=form: system.candidates.apply(Actor.public(), form))
        self.learn_candidates()
        seeded = min(c for c, (_, v) in self.candidates.items() if v == self.vacancy_ids[1])
        offer = NewOffer(seeded, self.vacancy_ids[1], 1000, "EUR", status=OfferStatus.SENT)
        made = self.as_actor(0, lambda system, who: system.offers.create(who, offer))
        self.offers[made[1].id] = TENANTS[0]
        hired = max(c for c, (_, v) in self.candidates.items() if v == self.vacancy_ids[1])
        patch = CandidatePatch(stage=Stage.HIRED)
        moved = self.as_actor(0, lambda system, who: system.candidates.update(who, hired, patch))
        assert moved[0] == "ok"

    # -- vacancies ----------------------------------------------------------------------

    def subsidiary(self, data: st.DataObject) -> str | None:
        return data.draw(st.sampled_from([None, None, *self.subsidiary_ids]))

    @rule(
        actor=st.integers(0, 9),
        data=st.data(),
        broken=_breakers,
        title=_titles,
        description=st.none() | _words,
        location=_locations,
        level=_levels,
        skills=_skills,
        status=_statuses,
    )
    def create_vacancy(
        self, actor: int, data: st.DataObject, broken: dict[str, Any] | None, **fields: Any
    ) -> None:
        form = NewVacancy(subsidiary_id=self.subsidiary(data), **{**fields, **(broken or {})})
        result = self.as_actor(actor, lambda system, who: system.vacancies.create(who, form))
        if result[0] == "ok":
            self.vacancy_ids.append(result[1].id)

    @rule(
        actor=st.integers(0, 9),
        data=st.data(),
        broken=_breakers,
        changes=st.fixed_dictionaries(
            {},
            optional={
                "title": _titles,
                "description": st.none() | _words,
                "location": _locations,
                "level": _levels,
                "skills": _skills,
                "status": _statuses,
                "internal_notes": st.none() | _words,
            },
        ),
    )
    def update_vacancy(
        self,
        actor: int,
        data: st.DataObject,
        broken: dict[str, Any] | None,
        changes: dict[str, Any],
    ) -> None:
        vacancy_id = data.draw(st.sampled_from(self.vacancy_ids))
        if data.draw(st.booleans()):
            changes["subsidiary_id"] = self.subsidiary(data)
        patch = VacancyPatch(**{**changes, **(broken or {})})
        self.as_actor(actor, lambda system, who: system.vacancies.update(who, vacancy_id, patch))

    @rule(actor=st.integers(0, 9), data=st.data())
    def delete_vacancy(self, actor: int, data: st.DataObject) -> None:
        vacancy_id = data.draw(st.sampled_from(self.vacancy_ids))
        self.as_actor(actor, lambda system, who: system.vacancies.delete(who, vacancy_id))

    @rule(
        actor=st.integers(0, 9),
        data=st.data(),
        q=st.none() | _words.filter(bool),
        status=st.none() | st.sampled_from(list(VacancyStatus)),
        page=_pages,
    )
    def read_vacancies(
        self,
        actor: int,
        data: st.DataObject,
        q: str | None,
        status: VacancyStatus | None,
        page: PageRequest,
    ) -> None:
        vacancy_id = data.draw(st.sampled_from(self.vacancy_ids))
        self.as_actor(actor, lambda system, who: system.vacancies.get(who, vacancy_id))
        self.same(lambda system, _: system.careers.get(vacancy_id))
        where = VacancyFilter(q=q, status=status, subsidiary_id=self.subsidiary(data))
        self.as_actor(actor, lambda system, who: system.vacancies.list(who, where, page))

    @rule(
        q=st.none() | _words.filter(bool),
        location=_locations,
        tenant=st.none() | st.sampled_from([*TENANTS, "nope"]),
        page=_pages,
    )
    def browse_careers(
        self, q: str | None, location: str | None, tenant: str | None, page: PageRequest
    ) -> None:
        where = CareersFilter(q=q, tenant=tenant, location=location)
        self.same(lambda system, _: system.careers.list(where, page))

    @rule(tenant=st.integers(0, 1))
    def add_subsidiary(self, tenant: int) -> None:
        def add(system: TalentOS, _: str) -> str:
            subsidiary = Subsidiary(
                system.deps.ids.new("sub"), TENANTS[tenant], "Sub", system.deps.clock.now()
            )
            with system.store.transaction() as uow:
                uow.subsidiaries.add(subsidiary)
            return subsidiary.id

        self.subsidiary_ids.append(self.same(add)[1])

    # -- the pipeline ------------------------------------------------------------------

    def learn_candidates(self) -> None:
        """Remember every candidate the backends now hold (they hold the same ones)."""
        reader = self.systems["memory"].store.reader()
        for tenant in TENANTS:
            page = reader.candidates.list(tenant, CandidateFilter(), PageRequest(limit=200))
            self.candidates.update({c.id: (tenant, c.vacancy_id) for c in page.items})

    def candidate(self, data: st.DataObject) -> tuple[str, str, str]:
        """A known candidate (perhaps deleted, perhaps none): ``(id, tenant, vacancy id)``."""
        candidate_id = data.draw(st.sampled_from(sorted(self.candidates)))
        return (candidate_id, *self.candidates[candidate_id])

    def actor_of(self, data: st.DataObject, tenant: str) -> int:
        """An actor index: mostly one of ``tenant``'s who may write to the pipeline, else
        anyone (of another tenant, or an interviewer)."""
        pool = self.actors["memory"]
        own = [
            index
            for index, actor in enumerate(pool)
            if actor.tenant_id == tenant and actor.role != Role.INTERVIEWER
        ]
        return data.draw(st.sampled_from(own * 4 + list(range(len(pool)))))

    @rule(
        data=st.data(),
        name=_names,
        email=_emails,
        ip=_ips,
        experience=st.sampled_from([None, None, 3, 71]),
    )
    def apply(
        self, data: st.DataObject, name: str, email: str, ip: str | None, experience: int | None
    ) -> None:
        vacancy_id = data.draw(st.sampled_from(self.vacancy_ids))
        form = Application(vacancy_id, name, email, experience=experience)
        visitor = Actor.public(Origin(ip=ip))
        if self.same(lambda system, _: system.candidates.apply(visitor, form))[0] == "ok":
            self.learn_candidates()

    @rule(
        actor=st.integers(0, 9),
        data=st.data(),
        shapes=st.lists(
            st.sampled_from(["good", "good", "agency", "typed", "unknown", "7"]), max_size=4
        ),
    )
    def import_candidates(self, actor: int, data: st.DataObject, shapes: list[str]) -> None:
        rows: list[Any] = []
        for shape in shapes:
            if shape == "7":
                rows.append(7)
                continue
            row: dict[str, Any] = {
                "vacancyId": data.draw(st.sampled_from(self.vacancy_ids)),
                "name": data.draw(_names),
                "email": data.draw(_emails),
            }
            if shape == "agency":
                row["agencyId"] = data.draw(st.sampled_from(self.agency_ids))
            elif shape == "typed":
                row["experience"] = "5"
            elif shape == "unknown":
                row["stage"] = "hired"
            rows.append(row)
        self.as_actor(actor, lambda system, who: system.candidates.import_rows(who, rows))
        self.learn_candidates()

    @rule(data=st.data(), stage=_stages, notes=st.none() | _words)
    def move_candidate(self, data: st.DataObject, stage: Stage, notes: str | None) -> None:
        candidate_id, tenant, _ = self.candidate(data)
        patch = CandidatePatch(stage=stage, notes=UNSET if notes is None else notes)
        self.as_actor(
            self.actor_of(data, tenant),
            lambda system, who: system.candidates.update(who, candidate_id, patch),
        )

    @rule(data=st.data())
    def delete_candidate(self, data: st.DataObject) -> None:
        candidate_id, tenant, _ = self.candidate(data)
        self.as_actor(
            self.actor_of(data, tenant),
            lambda system, who: system.candidates.delete(who, candidate_id),
        )

    @rule(
        data=st.data(),
        status=st.sampled_from([OfferStatus.DRAFT, *[OfferStatus.SENT] * 3, OfferStatus.ACCEPTED]),
        salary=st.sampled_from([0, 50_000.5, 50_000.5, -1]),
        decisions=st.lists(_offer_statuses, max_size=3),
    )
    def make_an_offer(
        self,
        data: st.DataObject,
        status: OfferStatus,
        salary: float,
        decisions: list[OfferStatus],
    ) -> None:
        """Create an offer (mostly on the candidate's own vacancy), then decide on it."""
        candidate_id, tenant, own = self.candidate(data)
        vacancy_id = data.draw(st.sampled_from([own] * 6 + self.vacancy_ids))
        form = NewOffer(candidate_id, vacancy_id, salary, "EUR", status=status)
        result = self.as_actor(
            self.actor_of(data, tenant), lambda system, who: system.offers.create(who, form)
        )
        if result[0] != "ok":
            return
        self.offers[result[1].id] = tenant
        for decision in decisions:
            self.decide(data, result[1].id, decision)

    @rule(data=st.data(), status=st.none() | _offer_statuses)
    def decide_offer(self, data: st.DataObject, status: OfferStatus | None) -> None:
        self.decide(data, data.draw(st.sampled_from(sorted(self.offers))), status)

    def decide(self, data: st.DataObject, offer_id: str, status: OfferStatus | None) -> None:
        """Move the offer to ``status``, or (None) try to change its salary."""
        patch = OfferPatch(base_salary=60_000) if status is None else OfferPatch(status=status)
        self.as_actor(
            self.actor_of(data, self.offers[offer_id]),
            lambda system, who: system.offers.update(who, offer_id, patch),
        )

    @rule(actor=st.integers(0, 9), data=st.data(), stage=st.none() | _stages)
    def read_candidates(self, actor: int, data: st.DataObject, stage: Stage | None) -> None:
        candidate_id = self.candidate(data)[0]
        self.as_actor(actor, lambda system, who: system.candidates.get(who, candidate_id))
        where = CandidateFilter(stage=stage, q=data.draw(st.none() | st.sampled_from(["ada", "X"])))
        self.as_actor(
            actor, lambda system, who: system.candidates.list(who, where, PageRequest(limit=5))
        )

    @invariant()
    def counters_count_the_candidates(self) -> None:
        """On each backend, every vacancy's applicants and hired are a count of its candidates."""
        for name in BACKENDS:
            reader = self.systems[name].store.reader()
            for tenant in TENANTS:
                vacancies = reader.vacancies.list(tenant, VacancyFilter(), PageRequest(limit=200))
                for vacancy in vacancies.items:
                    counted = [
                        reader.candidates.list(
                            tenant,
                            CandidateFilter(vacancy_id=vacancy.id, stage=stage),
                            PageRequest(limit=1),
                        ).total
                        for stage in (None, Stage.HIRED)
                    ]
                    assert [vacancy.applicants, vacancy.hired] == counted, (name, vacancy.id)

    # -- API keys -----------------------------------------------------------------------

    @rule(
        actor=st.integers(0, 9),
        name=_words,
        role=_roles,
        prefix=st.sampled_from(["00000000", "0000000f", "deadbeef"]),
        rest=st.text("0123456789abcdef", min_size=56, max_size=56),
    )
    def mint_key(self, actor: int, name: str, role: Role | None, prefix: str, rest: str) -> None:
        token = f"tk_{prefix}{rest}"
        form = NewApiKey(name, role)
        with mock.patch("talentos_core.services.api_keys.new_api_key", return_value=token):
            result = self.as_actor(actor, lambda system, who: system.api_keys.mint(who, form))
        if result[0] == "ok":
            self.key_ids.append(result[1][0].id)
            self.tokens.append(token)

    @rule(actor=st.integers(0, 9), data=st.data(), page=_pages)
    def revoke_and_list_keys(self, actor: int, data: st.DataObject, page: PageRequest) -> None:
        key_id = data.draw(st.sampled_from(self.key_ids))
        self.as_actor(actor, lambda system, who: system.api_keys.revoke(who, key_id))
        self.as_actor(actor, lambda system, who: system.api_keys.list(who, page))

    @rule(data=st.data())
    def authenticate_with_a_key(self, data: st.DataObject) -> None:
        token = data.draw(st.sampled_from(self.tokens))
        result = self.same(lambda system, _: system.auth.authenticate_api_key(token))
        if result[0] == "ok" and len(self.actors["memory"]) < 10:
            self.add_actor(lambda system, _: system.auth.authenticate_api_key(token))

    # -- tenants, audit, time --------------------------------------------------------------

    @rule(
        actor=st.integers(0, 9),
        patch=st.builds(
            TenantPatch,
            name=st.just(UNSET) | _words,
            tagline=st.just(UNSET) | st.none() | _words,
            brand_color=st.just(UNSET) | st.sampled_from(["#123456", "red"]),
        ),
    )
    def update_tenant(self, actor: int, patch: TenantPatch) -> None:
        self.as_actor(actor, lambda system, who: system.tenants.update(who, patch))
        self.as_actor(actor, lambda system, who: system.tenants.get(who))

    @rule(
        actor=st.integers(0, 9),
        type_=st.sampled_from(["note", "export.done", "Bad Type"]),
        summary=st.none() | _words,
        data=st.none() | st.dictionaries(_words, _words, max_size=2),
        entity_id=st.none() | st.sampled_from(["vac_0000000000000009", ""]),
    )
    def record_client_event(
        self,
        actor: int,
        type_: str,
        summary: str | None,
        data: dict[str, str] | None,
        entity_id: str | None,
    ) -> None:
        form = ClientEvent(
            type_, entity_type="vacancy", entity_id=entity_id, summary=summary, data=data
        )
        self.as_actor(actor, lambda system, who: system.audit.record(who, form))

    @rule(
        actor=st.integers(0, 9),
        type_=st.none() | st.sampled_from(["client.note", "vacancy.created", "api_key.created"]),
        q=st.none() | st.sampled_from(["NOTE", "vacancy", "key", "zzz"]),
        since=st.none() | st.integers(0, 600),
        page=_pages,
    )
    def list_audit(
        self, actor: int, type_: str | None, q: str | None, since: int | None, page: PageRequest
    ) -> None:
        moment = None if since is None else EPOCH + timedelta(seconds=since)
        where = AuditFilter(type=type_, since=moment, q=q)
        self.as_actor(actor, lambda system, who: system.audit.list(who, where, page))

    @rule(seconds=st.sampled_from([0.000001, 1, 59, 61, 3600]))
    def time_passes(self, seconds: float) -> None:
        for clock in self.clocks.values():
            clock.advance(seconds=seconds)

    @invariant()
    def chains_verify_alike(self) -> None:
        result = self.same(lambda system, _: system.audit.verify())
        assert result[0] == "ok"
        assert [verdict.ok for verdict in result[1]] == [True, True]


BackendEquivalence.TestCase.settings = settings(
    max_examples=50, stateful_step_count=25, deadline=None
)
TestBackendEquivalence = BackendEquivalence.TestCase
