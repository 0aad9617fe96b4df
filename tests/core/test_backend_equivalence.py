"""The memory and SQLite backends are indistinguishable through the services (SECURITY-TESTS 34).

A Hypothesis state machine drives one random sequence of service calls against TalentOS on
each backend (same frozen clock, same sequential ids, same audit key, same API key tokens) and
requires every call to give the same observable result: the same return value, or the same
error class, code and field messages. Ids of the other tenant are used as freely as one's own,
so isolation failures (404s) must match too.
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
from talentos_core.domain.actors import Actor
from talentos_core.domain.api_keys import ApiKey, MintedKey, NewApiKey
from talentos_core.domain.audit import AuditFilter, ClientEvent
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
        self.systems: dict[str, TalentOS] = {
            "memory": memory_talentos(clock=self.clocks["memory"]),
            "sqlite": sqlite_talentos(
                str(Path(self.directory) / "x.db"), clock=self.clocks["sqlite"]
            ),
        }
        self.actors: dict[str, list[Actor]] = {name: [] for name in BACKENDS}
        self.vacancy_ids: list[str] = ["vac_missing"]
        self.subsidiary_ids: list[str] = ["sub_missing"]
        self.key_ids: list[str] = ["key_missing"]
        self.tokens: list[str] = ["tk_" + "0" * 64, "not-a-token"]

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
    def two_tenants_and_an_interviewer(self) -> None:
        for company in ("Acme Bank", "Globex"):
            self.add_actor(lambda system, _, company=company: sign_up(system, company))

        def interviewer(system: TalentOS, name: str) -> Actor:
            issued = system.auth.invite(
                self.actors[name][0], InviteRequest("iv@acme-bank.example", "Ivy", Role.INTERVIEWER)
            )
            token = issued.invite_url.rsplit("token=", 1)[1]
            signed_in = system.auth.accept_invite(
                Actor.public(), AcceptInvite(token, DEFAULT_PASSWORD)
            )
            return system.auth.authenticate_session(signed_in.session_token)

        self.add_actor(interviewer)
        assert [actor.tenant_id for actor in self.actors["sqlite"]] == [*TENANTS, TENANTS[0]]
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
    max_examples=25, stateful_step_count=20, deadline=None
)
TestBackendEquivalence = BackendEquivalence.TestCase
