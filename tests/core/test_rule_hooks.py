"""What the field rules gained for the pipeline: dates, time zones, cross-field validate()
hooks, nested inputs, and query names that are not the attribute's camelCase."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import attrs
import falcon.testing
import pytest

from talentos_core.domain.rules import DATE, TIME_ZONE, Length, check, choice, field
from talentos_core.domain.vacancies import VacancyStatus
from talentos_core.errors import BadRequest, ValidationError
from talentos_http.openapi import build
from talentos_http.routing import Route, parse_query


@attrs.frozen
class _Window:
    """A test input with a cross-field rule."""

    first: int = field()
    last: int = field()
    label: str = field(Length(1, 5), default="x")
    calls: list[str] = attrs.field(factory=list, eq=False)

    def validate(self) -> None:
        self.calls.append("validate")
        if self.first > self.last:
            raise ValidationError({"last": "must not be before first"})


@attrs.frozen
class _Listing:
    """A test query: two names that are not their attributes' camelCase, and a hook."""

    status: VacancyStatus | None = choice(VacancyStatus, default=None)
    since: datetime | None = field(TIME_ZONE, default=None, name="from")
    until: datetime | None = field(TIME_ZONE, default=None, name="to")
    job_id: str | None = None
    vacancy_id: str | None = None

    def validate(self) -> None:
        if None not in (self.job_id, self.vacancy_id) and self.job_id != self.vacancy_id:
            raise ValidationError({"vacancy_id": "must equal jobId"})


@attrs.frozen
class _Outer:
    """A test input holding another."""

    inner: _Window | None = field(default=None)


@attrs.frozen
class _Vague:
    """A test input whose hook names no field."""

    def validate(self) -> None:
        raise ValidationError({}, "Something about the whole.")


class TestNewRules:
    @pytest.mark.parametrize("good", ["2024-02-29", "1999-12-31", "0001-01-01"])
    def test_dates(self, good: str) -> None:
        """Real YYYY-MM-DD dates pass."""
        assert DATE.problem(good) is None

    def test_date_schema(self) -> None:
        """The date rule documents itself as a JSON Schema date with its pattern."""
        assert DATE.schema() == {
            "format": "date",
            "pattern": "^(?:[0-9]{4}-[0-9]{2}-[0-9]{2})$",
        }

    def test_time_zone(self) -> None:
        """An aware time passes; a naive one does not."""
        assert TIME_ZONE.problem(datetime(2024, 1, 1, tzinfo=UTC)) is None
        assert TIME_ZONE.problem(datetime(2024, 1, 1)) == "must be a time with a time zone"

    def test_field_name_is_stored_only_when_given(self) -> None:
        """field(name=…) records a query name in the metadata; without it there is none."""
        names = {a.name: a.metadata.get("name") for a in attrs.fields(_Listing)}
        assert (names["since"], names["job_id"]) == ("from", None)


class TestValidateHook:
    def test_it_runs_after_the_field_rules(self) -> None:
        """A cross-field problem is reported when every field obeys its rules."""
        window = _Window(3, 1)
        with pytest.raises(ValidationError) as caught:
            check(window)
        assert caught.value.fields == {"last": "must not be before first"}
        assert window.calls == ["validate"]

    def test_it_waits_for_the_fields(self) -> None:
        """While a field breaks its own rule, the hook does not run."""
        window = _Window(3, 1, label="")
        with pytest.raises(ValidationError) as caught:
            check(window)
        assert caught.value.fields == {"label": "must not be empty"}
        assert window.calls == []

    def test_a_hook_without_fields_is_not_lost(self) -> None:
        """A hook's error that names no field propagates as it is."""
        with pytest.raises(ValidationError, match="the whole"):
            check(_Vague())

    def test_nested_inputs_are_checked_with_their_hooks(self) -> None:
        """An input inside another is checked, hook included, its problems named outer.inner."""
        for inner, problem in [
            (_Window(1, 3, label=""), {"inner.label": "must not be empty"}),
            (_Window(3, 1), {"inner.last": "must not be before first"}),
        ]:
            with pytest.raises(ValidationError) as caught:
                check(_Outer(inner))
            assert caught.value.fields == problem

    def test_a_passing_input(self) -> None:
        """check() returns quietly when the rules and the hook pass."""
        check(_Window(1, 3))


def _request(query: str) -> Any:
    return falcon.testing.create_req(path="/api/things", query_string=query)


class TestQueryNames:
    def test_from_and_to_are_parsed(self) -> None:
        """?from=…&to=… fill since and until; the attribute names are not query names."""
        parsed = parse_query(
            _request("from=2024-01-01T09:00:00Z&to=2024-01-02T09:00:00%2B02:00&status=open"),
            _Listing,
        )
        assert parsed == _Listing(
            status=VacancyStatus.OPEN,
            since=datetime(2024, 1, 1, 9, tzinfo=UTC),
            until=datetime(2024, 1, 2, 7, tzinfo=UTC),
        )
        assert parse_query(_request("since=2024-01-01T09:00:00Z"), _Listing).since is None

    def test_a_bad_value_is_named_by_its_query_name(self) -> None:
        """A malformed from is a 400 naming from."""
        with pytest.raises(BadRequest, match="Query parameter from must be an ISO 8601 time"):
            parse_query(_request("from=yesterday"), _Listing)

    def test_a_validate_problem_is_named_in_camel_case(self) -> None:
        """jobId and vacancyId that disagree are a 400 naming vacancyId."""
        with pytest.raises(BadRequest, match="vacancyId must equal jobId"):
            parse_query(_request("jobId=vac_1&vacancyId=vac_2"), _Listing)

    def test_the_document_uses_the_query_names(self) -> None:
        """OpenAPI lists from and to, not since and until."""
        route = Route("GET", "/api/things", lambda call: None, "List.", "x", query=(_Listing,))
        parameters = build([route])["paths"]["/api/things"]["get"]["parameters"]
        assert [p["name"] for p in parameters] == ["status", "from", "to", "jobId", "vacancyId"]
