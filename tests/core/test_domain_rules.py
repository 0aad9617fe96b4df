"""Unit tests of the pure domain rules, ids and settings parsing."""

from __future__ import annotations

import collections
import re
import string
from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.clock import parse_iso
from talentos_core.domain.paging import MAX_LIMIT, PageRequest
from talentos_core.domain.rules import (
    EMAIL,
    HEX_COLOR,
    HTTPS_URL,
    UNSET,
    Items,
    Length,
    OneOf,
    Range,
    changes,
    check,
)
from talentos_core.domain.users import normalize_email
from talentos_core.domain.vacancies import Level, NewVacancy, VacancyPatch
from talentos_core.errors import ValidationError
from talentos_core.ids import RandomIds, SequentialIds, slugify
from talentos_core.settings import InvalidSetting, Settings, parse_argon2


class TestFieldRules:
    def test_length_bounds_are_inclusive(self) -> None:
        """A string of exactly the minimum or maximum length passes; one past fails."""
        rule = Length(2, 4)
        assert [rule.problem("ab"), rule.problem("abcd")] == [None, None]
        assert rule.problem("a") == "must be at least 2 characters"
        assert rule.problem("abcde") == "must be at most 4 characters"

    def test_range_refuses_non_finite_numbers(self) -> None:
        """NaN and infinity never satisfy a range."""
        assert Range(0, 10).problem(float("nan")) == "must be a finite number"
        assert Range(0).problem(float("inf")) == "must be a finite number"
        assert Range(0, 10).problem(-1) == "must be at least 0"

    def test_items_names_the_offending_item(self) -> None:
        """A bad list item is reported with its index."""
        rule = Items(3, (Length(1, 5),))
        assert rule.problem(["ok", ""]) == "item 1 must not be empty"
        assert rule.problem(["a", "b", "c", "d"]) == "must have at most 3 items"

    def test_one_of_accepts_members_only(self) -> None:
        """An enum member passes; its bare value or anything else is reported."""
        assert OneOf(Level).problem(Level.SENIOR) is None
        assert OneOf(Level).problem("wizard").startswith("must be one of intern")

    @pytest.mark.parametrize(
        ("rule", "good", "bad"),
        [
            (EMAIL, "jane@acme.example", "jane@acme"),
            (HTTPS_URL, "https://cdn.example/logo.png", "http://cdn.example/logo.png"),
            (HEX_COLOR, "#7c3aed", "7c3aed"),
        ],
    )
    def test_patterns(self, rule: object, good: str, bad: str) -> None:
        """Each named pattern accepts a typical value and refuses a near miss."""
        assert rule.problem(good) is None  # type: ignore[attr-defined]
        assert rule.problem(bad) is not None  # type: ignore[attr-defined]

    def test_check_reports_every_bad_field_at_once(self) -> None:
        """check() names each field that breaks a rule, not just the first."""
        with pytest.raises(ValidationError) as caught:
            check(NewVacancy(title="", level="wizard", skills=["x" * 61]))
        assert set(caught.value.fields) == {"title", "level", "skills"}

    def test_a_python_caller_may_pass_enum_values(self) -> None:
        """A valid string for an enum field is converted to the member."""
        assert NewVacancy(title="x", level="senior").level is Level.SENIOR

    def test_changes_lists_only_set_fields(self) -> None:
        """A patch's changes are the fields not left UNSET (None included)."""
        patch = VacancyPatch(title="New", location=None)
        assert changes(patch) == {"title": "New", "location": None}
        assert all(getattr(VacancyPatch(), a.name) is UNSET for a in attrs.fields(VacancyPatch))


class TestPaging:
    def test_limit_is_clamped(self) -> None:
        """Asking for more than the maximum gives the maximum."""
        assert PageRequest(limit=10_000).limit == MAX_LIMIT

    def test_limit_below_one_is_refused(self) -> None:
        """A limit of zero breaks the rule (the HTTP edge answers 400)."""
        with pytest.raises(ValidationError):
            check(PageRequest(limit=0))


class TestTimes:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
            ("0001-01-01T00:00:00-01:00", datetime(1, 1, 1, 1, tzinfo=UTC)),
            ("9999-12-31T23:59:59.999999Z", datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
            ("9999-12-31T23:59:59+01:00", datetime(9999, 12, 31, 22, 59, 59, tzinfo=UTC)),
        ],
    )
    def test_times_at_the_ends_of_the_range_parse_to_utc(
        self, text: str, expected: datetime
    ) -> None:
        """A time that stays within years 1-9999 once in UTC parses, whatever its offset."""
        assert parse_iso(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00+01:00",
            "0000-01-01T00:00:00Z",
            "10000-01-01T00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00Z\x00",
            "2026-01-01T00:00:00\x00Z",
            "\ud800",
        ],
    )
    def test_what_cannot_be_a_utc_time_is_a_value_error(self, text: str) -> None:
        """Out of range in UTC, no offset, or a NUL: ValueError (never OverflowError)."""
        with pytest.raises(ValueError):
            parse_iso(text)


class TestIds:
    def test_random_ids_have_the_prefix_and_16_plus_characters(self) -> None:
        """Ids are ``prefix_`` and at least 16 random lower-case alphanumerics."""
        assert re.fullmatch(r"vac_[a-z0-9]{16,}", RandomIds().new("vac"))

    def test_random_ids_draw_every_character_evenly(self) -> None:
        """Over 40,000 characters each of the 36 appears about 1,111 times (within six
        standard deviations: a failure here is a biased generator, not bad luck)."""
        ids = RandomIds()
        drawn = "".join(ids.new("x")[2:] for _ in range(2000))
        assert len(drawn) == 40_000
        counts = collections.Counter(drawn)
        assert set(counts) == set(string.ascii_lowercase + string.digits)
        assert all(abs(count - 40_000 / 36) < 6 * 32.9 for count in counts.values())

    def test_sequential_ids_count(self) -> None:
        """The testing id generator counts from 1."""
        ids = SequentialIds()
        assert [ids.new("usr"), ids.new("vac")] == ["usr_0000000000000001", "vac_0000000000000002"]

    @pytest.mark.parametrize(
        ("name", "slug"),
        [("Acme Bank", "acme-bank"), ("  Ünïcode & Co.  ", "unicode-co"), ("!!!", "tenant")],
    )
    def test_slugify_examples(self, name: str, slug: str) -> None:
        """Company names fold to ASCII slugs; nothing usable gives ``tenant``."""
        assert slugify(name) == slug

    @given(st.text(max_size=300))
    def test_slugify_always_gives_a_safe_slug(self, name: str) -> None:
        """Any name yields 1 to 48 characters of [a-z0-9-], never starting or ending with -."""
        assert re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?", slugify(name))

    @given(st.emails())
    def test_email_normalisation_is_idempotent(self, email: str) -> None:
        """Normalising twice changes nothing, and case never matters."""
        once = normalize_email(email)
        assert normalize_email(once) == once == normalize_email(email.upper())


class TestSettings:
    def test_defaults_meet_the_owasp_floor(self) -> None:
        """The default argon2id parameters are at or above 2,19456,1."""
        argon2 = Settings().argon2
        assert (argon2.time_cost, argon2.memory_kib) >= (2, 19456)

    @pytest.mark.parametrize("text", ["1,19456,1", "2,8,1", "abc", "2,19456", ""])
    def test_weak_or_malformed_argon2_is_refused(self, text: str) -> None:
        """TALENTOS_ARGON2 below the floor or malformed is refused, naming the variable."""
        with pytest.raises(InvalidSetting, match="TALENTOS_ARGON2"):
            parse_argon2(text)

    @pytest.mark.parametrize(
        ("variable", "value"),
        [
            ("TALENTOS_PUBLIC_URL", "ftp://x"),
            ("TALENTOS_WEBHOOK_BACKOFF", "30,-1"),
            ("TALENTOS_WEBHOOK_TIMEOUT", "soon"),
            ("TALENTOS_TRUST_PROXY", "maybe"),
            ("TALENTOS_AUDIT_KEY", "not-hex"),
            ("TALENTOS_AUDIT_KEY", "abcd"),
            ("TALENTOS_SMTP_URL", "mail.example:25"),
        ],
    )
    def test_bad_variables_are_named(self, variable: str, value: str) -> None:
        """An unusable variable raises InvalidSetting whose message starts with its name."""
        with pytest.raises(InvalidSetting) as caught:
            Settings.from_env({variable: value})
        assert str(caught.value).startswith(variable)

    def test_environment_is_read(self) -> None:
        """Every documented variable reaches its setting."""
        settings = Settings.from_env(
            {
                "TALENTOS_DB": ":memory:",
                "TALENTOS_PUBLIC_URL": "https://ats.example/",
                "TALENTOS_TRUST_PROXY": "1",
                "TALENTOS_WEBHOOK_BACKOFF": "1,2",
                "TALENTOS_AUDIT_KEY": "00" * 16,
                "TALENTOS_ARGON2": "2,19456,1",
            }
        )
        assert (settings.uses_memory, settings.public_url, settings.secure_cookies) == (
            True,
            "https://ats.example",
            True,
        )
        assert (settings.trust_proxy, settings.webhook_backoff) == (True, (1, 2))
        assert settings.audit_key == bytes(16)


class TestPageRequest:
    def test_a_negative_offset_or_a_limit_below_one_is_refused_when_built(self) -> None:
        """PageRequest(offset=-1) and PageRequest(limit=0) raise ValidationError at once, so
        no store pages them its own way; a large limit is clamped to 200."""
        for bad in ({"offset": -1}, {"limit": 0}, {"limit": -5}):
            with pytest.raises(ValidationError):
                PageRequest(**bad)
        assert PageRequest(limit=10_000).limit == 200
