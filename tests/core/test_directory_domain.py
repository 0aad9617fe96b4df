"""Agencies, integrations (their config limits and write-only secrets) and subsidiaries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.domain.agencies import AgencyPatch, AgencyStatus, NewAgency
from talentos_core.domain.integrations import (
    CONFIG_RULE,
    MASK,
    Integration,
    IntegrationPatch,
    NewIntegration,
    is_secret_key,
    merge_config,
)
from talentos_core.domain.rules import changes, check
from talentos_core.domain.subsidiaries import NewSubsidiary, SubsidiaryPatch
from talentos_core.errors import ValidationError

T0 = datetime(2024, 1, 1, tzinfo=UTC)


class TestAgencies:
    def test_a_good_agency(self) -> None:
        """Name, contact email, a fee of 0 to 100 percent and a status pass."""
        check(NewAgency("Hunters", contact_email="ops@hunters.io", fee_percent=100))
        assert NewAgency("Hunters").status is AgencyStatus.ACTIVE

    def test_rules(self) -> None:
        """A blank name, a bad email, a fee over 100 and an unknown status are named."""
        with pytest.raises(ValidationError) as caught:
            check(NewAgency(" ", contact_email="ops", fee_percent=100.5, status="gone"))  # type: ignore[arg-type]  # a bad value, on purpose
        assert set(caught.value.fields) == {"name", "contact_email", "fee_percent", "status"}

    def test_patch(self) -> None:
        """A patch sets only what it names; a negative fee is refused."""
        assert changes(AgencyPatch(status="inactive")) == {"status": AgencyStatus.INACTIVE}  # type: ignore[arg-type]  # the value, on purpose
        with pytest.raises(ValidationError):
            check(AgencyPatch(fee_percent=-1))


class TestSubsidiaries:
    def test_rules(self) -> None:
        """Name of 1 to 200 characters, country up to 100, code up to 40."""
        check(NewSubsidiary("Acme GmbH", country="Germany", code="DE"))
        with pytest.raises(ValidationError) as caught:
            check(NewSubsidiary("", country="c" * 101, code="c" * 41))
        assert set(caught.value.fields) == {"name", "country", "code"}

    def test_patch_clears_with_none(self) -> None:
        """None clears an optional field; an empty patch changes nothing."""
        assert changes(SubsidiaryPatch(code=None)) == {"code": None}
        assert changes(SubsidiaryPatch()) == {}


class TestIntegrationRules:
    @pytest.mark.parametrize("provider", ["slack", "ms-teams", "a", "x" * 40, "v2"])
    def test_good_providers(self, provider: str) -> None:
        """Lowercase letters, digits and hyphens, 1 to 40 of them."""
        check(NewIntegration(provider, "Chat"))

    @pytest.mark.parametrize("provider", ["Slack", "my_app", "", "x" * 41, "a b", "é"])
    def test_bad_providers(self, provider: str) -> None:
        """Anything else is refused with the pattern spelled out."""
        with pytest.raises(ValidationError) as caught:
            check(NewIntegration(provider, "Chat"))
        assert caught.value.fields == {
            "provider": "must be lowercase letters, digits and hyphens (at most 40)"
        }

    def test_config_within_limits(self) -> None:
        """Fifty scalar values, strings of up to 2,000 characters, pass."""
        config: dict[str, Any] = {f"k{i}": i for i in range(47)}
        config.update(text="t" * 2000, flag=True, empty=None)
        assert CONFIG_RULE.problem(config) is None

    @pytest.mark.parametrize(
        ("config", "why"),
        [
            ({f"k{i}": i for i in range(51)}, "must have at most 50 keys"),
            ({"url": "u" * 2001}, "url must be at most 2000 characters"),
            ({"nested": {"a": 1}}, "nested must be a string, a number, true, false or null"),
            ({"list": [1]}, "list must be a string, a number, true, false or null"),
            ({"ratio": float("inf")}, "ratio must be a finite number"),
            ({"": 1}, "keys must be 1 to 100 characters"),
            ({"k" * 101: 1}, "keys must be 1 to 100 characters"),
            ([], "must be an object"),
        ],
    )
    def test_config_beyond_limits(self, config: Any, why: str) -> None:
        """Too many keys, long strings, nested values, non-finite numbers and odd keys are
        refused on config."""
        with pytest.raises(ValidationError) as caught:
            check(IntegrationPatch(config=config))
        assert caught.value.fields == {"config": why}


class TestIntegrationSecrets:
    @pytest.mark.parametrize(
        ("key", "secret"),
        [
            ("apiKey", True),
            ("API_TOKEN", True),
            ("clientSecret", True),
            ("Password", True),
            ("webhook_signing_key", True),
            ("KEY", True),
            ("channel", False),
            ("baseUrl", False),
            ("teamId", False),
        ],
    )
    def test_secret_keys(self, key: str, secret: bool) -> None:
        """Keys containing secret, token, password or key, in any case, are secret."""
        assert is_secret_key(key) is secret

    def test_masked_hides_every_secret_value(self) -> None:
        """Reads show MASK for secret values, even empty ones, and the rest as stored."""
        stored = Integration(
            "int_1",
            "acme",
            "slack",
            "Chat",
            T0,
            T0,
            config={"apiKey": "xoxb-1", "token": "", "channel": "#hiring", "retries": 3},
        )
        shown = stored.masked()
        assert shown.config == {"apiKey": MASK, "token": MASK, "channel": "#hiring", "retries": 3}
        assert stored.config["apiKey"] == "xoxb-1"

    def test_merge_keeps_masked_secrets_and_replaces_the_rest(self) -> None:
        """MASK under a secret key keeps the stored value; other values replace; absent keys
        are dropped."""
        old = {"apiKey": "xoxb-1", "clientSecret": "s1", "channel": "#a", "legacy": 1}
        new = {"apiKey": MASK, "clientSecret": "s2", "channel": "#b", "note": MASK}
        assert merge_config(old, new) == {
            "apiKey": "xoxb-1",
            "clientSecret": "s2",
            "channel": "#b",
            "note": MASK,
        }

    def test_a_mask_with_nothing_stored_is_refused(self) -> None:
        """MASK for a secret that has no stored value is a validation error on config."""
        with pytest.raises(ValidationError) as caught:
            merge_config({}, {"apiKey": MASK})
        assert set(caught.value.fields) == {"config"}

    @given(
        st.dictionaries(
            st.sampled_from(["apiKey", "token", "channel", "url", "PASSWORD"]),
            st.text(max_size=8) | st.integers(),
        )
    )
    def test_sending_back_what_was_read_changes_nothing(self, config: dict[str, Any]) -> None:
        """Merging a masked read into the stored config gives the stored config back."""
        stored = Integration("int_1", "acme", "slack", "Chat", T0, T0, config=config)
        assert merge_config(config, stored.masked().config) == config
