"""Subsidiaries, agencies and integrations through the Python API, on both backends
(CONTRACT §6): CRUD within the tenant, deletes refused while in use, write-only integration
secrets, the audit events each change writes, and the role table."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from core_pipeline import (
    ADA,
    apply,
    area,
    everyone,
    leaks,
    open_vacancy,
    outbox,
    trail,
    types_since,
    walk_roles,
    written,
)

from talentos_core import (
    Actor,
    InUse,
    NewVacancy,
    NotFound,
    PageRequest,
    Role,
    TalentOS,
    VacancyPatch,
    ValidationError,
)
from talentos_core.domain.agencies import AgencyPatch, AgencyStatus, NewAgency
from talentos_core.domain.candidates import CandidatePatch
from talentos_core.domain.integrations import MASK, IntegrationPatch, NewIntegration
from talentos_core.domain.subsidiaries import NewSubsidiary, SubsidiaryPatch
from talentos_core.roles import Operation
from talentos_core.testing import FrozenClock, sign_up

_serial = count(1)
SECRETS = {"apiKey": "sk-live-1", "API_TOKEN": "tok-2", "clientSecret": "cs-3", "password": "pw-4"}


@pytest.fixture
def admin(talentos: TalentOS) -> Actor:
    return sign_up(talentos)


def records(talentos: TalentOS, kind: str) -> Any:
    """The service of one organisation area: subsidiaries, agencies or integrations."""
    return getattr(talentos, kind)


#: Per area: a valid new record, a patch changing its name, and an invalid form with its field.
FORMS: dict[str, tuple[Any, Any, Any, str]] = {
    "subsidiaries": (
        NewSubsidiary("Retail", country="UK", code="RT"),
        SubsidiaryPatch(name="Retail banking"),
        NewSubsidiary("x" * 201),
        "name",
    ),
    "agencies": (
        NewAgency("Good Recruiters", contact_email="hi@good.example", fee_percent=15),
        AgencyPatch(name="Better Recruiters"),
        NewAgency("Good Recruiters", fee_percent=101),
        "fee_percent",
    ),
    "integrations": (
        NewIntegration("slack", "Hiring channel", config={"channel": "#hiring"}),
        IntegrationPatch(name="Hiring alerts"),
        NewIntegration("Slack!", "Hiring channel"),
        "provider",
    ),
}
KINDS = sorted(FORMS)
ENTITY = {"subsidiaries": "subsidiary", "agencies": "agency", "integrations": "integration"}


@pytest.mark.parametrize("kind", KINDS)
class TestOrganisationRecords:
    def test_a_record_is_created_read_and_listed(
        self, talentos: TalentOS, admin: Actor, kind: str, clock: FrozenClock
    ) -> None:
        """A created record reads back by id and in the list, and `<entity>.created` is
        recorded; no webhook fires."""
        form = FORMS[kind][0]
        before = written(talentos)
        made = records(talentos, kind).create(admin, form)
        assert (made.tenant_id, made.created_at, made.name) == ("acme-bank", clock.now(), form.name)
        assert records(talentos, kind).get(admin, made.id) == made
        page = records(talentos, kind).list(admin)
        assert (page.items, page.total) == ([made], 1)
        assert types_since(talentos, before) == ([f"{ENTITY[kind]}.created"], [])
        assert trail(talentos)[-1].entity_id == made.id

    def test_a_patch_changes_what_it_sets(
        self, talentos: TalentOS, admin: Actor, kind: str, clock: FrozenClock
    ) -> None:
        """An update changes the fields set and records `<entity>.updated` naming them."""
        made = records(talentos, kind).create(admin, FORMS[kind][0])
        clock.advance(minutes=1)
        before = written(talentos)
        updated = records(talentos, kind).update(admin, made.id, FORMS[kind][1])
        assert (updated.name, updated.updated_at) == (FORMS[kind][1].name, clock.now())
        assert records(talentos, kind).get(admin, made.id) == updated
        assert types_since(talentos, before) == ([f"{ENTITY[kind]}.updated"], [])
        assert trail(talentos)[-1].data == {"fields": ["name"]}

    def test_a_patch_that_changes_nothing_writes_nothing(
        self, talentos: TalentOS, admin: Actor, kind: str, clock: FrozenClock
    ) -> None:
        """An empty patch, or one repeating the stored name, changes and writes nothing."""
        made = records(talentos, kind).create(admin, FORMS[kind][0])
        before = written(talentos)
        clock.advance(minutes=1)
        same = type(FORMS[kind][1])(name=made.name)
        for patch in (type(same)(), same):
            assert records(talentos, kind).update(admin, made.id, patch) == made
        assert written(talentos) == before

    def test_invalid_input_names_the_field(
        self, talentos: TalentOS, admin: Actor, kind: str
    ) -> None:
        """A form breaking a rule is a ValidationError naming the field; nothing is stored."""
        with pytest.raises(ValidationError) as caught:
            records(talentos, kind).create(admin, FORMS[kind][2])
        assert list(caught.value.fields) == [FORMS[kind][3]]
        assert records(talentos, kind).list(admin).total == 0

    def test_a_deleted_record_is_gone(self, talentos: TalentOS, admin: Actor, kind: str) -> None:
        """Deleting records `<entity>.deleted`; the record is NotFound after, and again."""
        made = records(talentos, kind).create(admin, FORMS[kind][0])
        before = written(talentos)
        records(talentos, kind).delete(admin, made.id)
        assert types_since(talentos, before) == ([f"{ENTITY[kind]}.deleted"], [])
        for attempt in (records(talentos, kind).get, records(talentos, kind).delete):
            with pytest.raises(NotFound):
                attempt(admin, made.id)

    def test_another_tenants_record_is_not_found(
        self, talentos: TalentOS, admin: Actor, kind: str
    ) -> None:
        """Reading, changing or deleting other-co's record is NotFound, and lists hold only
        the caller's tenant."""
        other = sign_up(talentos, "Other Co")
        theirs = records(talentos, kind).create(other, FORMS[kind][0])
        service = records(talentos, kind)
        attempts: list[Callable[[], Any]] = [
            lambda: service.get(admin, theirs.id),
            lambda: service.update(admin, theirs.id, FORMS[kind][1]),
            lambda: service.delete(admin, theirs.id),
        ]
        for attempt in attempts:
            with pytest.raises(NotFound):
                attempt()
        assert service.list(admin).total == 0
        assert service.get(other, theirs.id) == theirs

    def test_lists_page_newest_first(
        self, talentos: TalentOS, admin: Actor, kind: str, clock: FrozenClock
    ) -> None:
        """Lists come newest first and follow `limit` and `offset`."""
        made = []
        for _ in range(3):
            clock.advance(seconds=1)
            made.append(records(talentos, kind).create(admin, FORMS[kind][0]).id)
        page = records(talentos, kind).list(admin, PageRequest(limit=2, offset=1))
        assert ([r.id for r in page.items], page.total) == ([made[1], made[0]], 3)


class TestInUse:
    def test_a_subsidiary_a_vacancy_belongs_to_is_in_use(
        self, talentos: TalentOS, admin: Actor
    ) -> None:
        """Deleting a subsidiary a vacancy names is InUse and writes nothing; once the vacancy
        moves off it, the delete succeeds."""
        sub = talentos.subsidiaries.create(admin, NewSubsidiary("Retail"))
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller", subsidiary_id=sub.id))
        before = written(talentos)
        with pytest.raises(InUse):
            talentos.subsidiaries.delete(admin, sub.id)
        assert talentos.subsidiaries.get(admin, sub.id) == sub
        assert written(talentos) == before
        talentos.vacancies.update(admin, vacancy.id, VacancyPatch(subsidiary_id=None))
        talentos.subsidiaries.delete(admin, sub.id)

    def test_an_agency_a_candidate_came_through_is_in_use(
        self, talentos: TalentOS, admin: Actor
    ) -> None:
        """Deleting an agency a candidate names is InUse and writes nothing; once the candidate
        is deleted, the delete succeeds."""
        agency = talentos.agencies.create(admin, NewAgency("Good Recruiters"))
        candidate = apply(talentos, open_vacancy(talentos, admin), **ADA)
        talentos.candidates.update(admin, candidate.id, CandidatePatch(agency_id=agency.id))
        before = written(talentos)
        with pytest.raises(InUse):
            talentos.agencies.delete(admin, agency.id)
        assert written(talentos) == before
        talentos.candidates.delete(admin, candidate.id)
        talentos.agencies.delete(admin, agency.id)

    def test_an_agency_may_be_deactivated_while_in_use(
        self, talentos: TalentOS, admin: Actor
    ) -> None:
        """An agency in use may still change status to inactive."""
        agency = talentos.agencies.create(admin, NewAgency("Good Recruiters"))
        talentos.candidates.import_rows(
            admin,
            [{"vacancyId": open_vacancy(talentos, admin), "agencyId": agency.id, **ADA}],
        )
        patch = AgencyPatch(status=AgencyStatus.INACTIVE)
        assert talentos.agencies.update(admin, agency.id, patch).status == AgencyStatus.INACTIVE


class TestIntegrationSecrets:
    def test_secrets_are_masked_on_every_read(self, talentos: TalentOS, admin: Actor) -> None:
        """Values under secret-looking keys read as the mask from create, get, list and update,
        while the store keeps them."""
        made = talentos.integrations.create(
            admin, NewIntegration("ats", "ATS", config={**SECRETS, "keyboardLayout": "uk", "n": 3})
        )
        masked = {**dict.fromkeys(SECRETS, MASK), "keyboardLayout": MASK, "n": 3}
        assert made.config == masked
        assert talentos.integrations.get(admin, made.id).config == masked
        assert talentos.integrations.list(admin).items[0].config == masked
        renamed = talentos.integrations.update(admin, made.id, IntegrationPatch(name="ATS 2"))
        assert renamed.config == masked
        stored = talentos.store.reader().integrations.get("acme-bank", made.id)
        assert stored.config == {**SECRETS, "keyboardLayout": "uk", "n": 3}

    def test_sending_the_mask_back_keeps_the_secret(self, talentos: TalentOS, admin: Actor) -> None:
        """An update that sends back what it read changes nothing and writes nothing; changing
        one value keeps every masked secret and drops the keys left out."""
        made = talentos.integrations.create(
            admin, NewIntegration("ats", "ATS", config={**SECRETS, "region": "eu", "old": 1})
        )
        before = written(talentos)
        assert (
            talentos.integrations.update(admin, made.id, IntegrationPatch(config=made.config))
            == made
        )
        assert written(talentos) == before
        shown = {key: value for key, value in made.config.items() if key != "old"}
        talentos.integrations.update(
            admin, made.id, IntegrationPatch(config={**shown, "region": "us", "password": "new"})
        )
        stored = talentos.store.reader().integrations.get("acme-bank", made.id)
        assert stored.config == {**SECRETS, "region": "us", "password": "new"}

    @pytest.mark.parametrize("at", ["create", "update"])
    def test_a_mask_with_no_stored_secret_is_refused(
        self, talentos: TalentOS, admin: Actor, at: str
    ) -> None:
        """Sending the mask for a secret that has no stored value is a ValidationError on
        `config`, at creation as on update; the mask is never stored as the secret."""
        form = NewIntegration("ats", "ATS", config={"apiKey": MASK})
        if at == "create":
            with pytest.raises(ValidationError) as caught:
                talentos.integrations.create(admin, form)
            assert talentos.integrations.list(admin).total == 0
        else:
            made = talentos.integrations.create(admin, NewIntegration("ats", "ATS"))
            with pytest.raises(ValidationError) as caught:
                talentos.integrations.update(admin, made.id, IntegrationPatch(config=form.config))
            assert talentos.store.reader().integrations.get("acme-bank", made.id).config == {}
        assert list(caught.value.fields) == ["config"]

    def test_no_secret_reaches_the_audit_trail(self, talentos: TalentOS, admin: Actor) -> None:
        """Creating and reconfiguring an integration records key names at most, never values."""
        made = talentos.integrations.create(admin, NewIntegration("ats", "ATS", config=SECRETS))
        talentos.integrations.update(
            admin, made.id, IntegrationPatch(config={**made.config, "apiKey": "sk-live-9"})
        )
        assert trail(talentos)[-1].data == {"fields": ["config"]}
        assert leaks(talentos, *SECRETS.values(), "sk-live-9") == []
        assert outbox(talentos) == []

    @pytest.mark.parametrize(
        "config",
        [{"nested": {"a": 1}}, {"list": [1]}, {"": 1}, {"x": "y" * 2001}, {"x": float("nan")}],
        ids=["nested", "list", "empty-key", "long-value", "nan"],
    )
    def test_config_is_a_flat_object(
        self, talentos: TalentOS, admin: Actor, config: dict[str, Any]
    ) -> None:
        """Nested values, empty keys, over-long text or NaN are a ValidationError on `config`."""
        with pytest.raises(ValidationError) as caught:
            talentos.integrations.create(admin, NewIntegration("ats", "ATS", config=config))
        assert list(caught.value.fields) == ["config"]


class TestOrganisationRoles:
    @pytest.fixture
    def team(self, talentos: TalentOS) -> dict[Role, Actor]:
        return everyone(talentos)

    @staticmethod
    def _made(talentos: TalentOS, admin: Actor, kind: str) -> str:
        return str(records(talentos, kind).create(admin, FORMS[kind][0]).id)

    METHODS: dict[str, Callable[[TalentOS, Actor, Actor, str], Any]] = {
        "list": lambda t, actor, admin, kind: records(t, kind).list(actor),
        "get": lambda t, actor, admin, kind: records(t, kind).get(
            actor, TestOrganisationRoles._made(t, admin, kind)
        ),
        "create": lambda t, actor, admin, kind: records(t, kind).create(actor, FORMS[kind][0]),
        "update": lambda t, actor, admin, kind: records(t, kind).update(
            actor,
            TestOrganisationRoles._made(t, admin, kind),
            type(FORMS[kind][1])(name=f"Name {next(_serial)}"),
        ),
        "delete": lambda t, actor, admin, kind: records(t, kind).delete(
            actor, TestOrganisationRoles._made(t, admin, kind)
        ),
    }
    OPERATIONS = {
        "subsidiaries": Operation.SUBSIDIARIES_MANAGE,
        "agencies": Operation.AGENCIES_MANAGE,
        "integrations": Operation.INTEGRATIONS_MANAGE,
    }

    def test_every_organisation_operation_is_walked(self) -> None:
        """The three `*.manage` operations of the role table are the ones walked here."""
        walked = set(self.OPERATIONS.values())
        assert walked == area("subsidiaries.") | area("agencies.") | area("integrations.")

    @pytest.mark.parametrize("method", sorted(METHODS))
    @pytest.mark.parametrize("kind", KINDS)
    def test_exactly_the_listed_roles_may(
        self, talentos: TalentOS, team: dict[Role, Actor], kind: str, method: str
    ) -> None:
        """For every method of each area, the roles its operation lists succeed, every other
        role is Forbidden, and an anonymous caller is Unauthenticated."""
        call = self.METHODS[method]
        walk_roles(
            talentos,
            team,
            self.OPERATIONS[kind],
            lambda t, actor, admin: call(t, actor, admin, kind),
        )
