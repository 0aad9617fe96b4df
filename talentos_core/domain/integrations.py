"""Integrations: a tenant's connections to other systems, and how their secrets stay hidden.

An integration's ``config`` is a flat JSON object of at most 50 keys whose values are
strings (at most 2,000 characters), numbers, booleans or null (:class:`ConfigLimits`).

Secrets are write-only. A config key is secret when it contains ``secret``, ``token``,
``password`` or ``key`` in any case (``apiKey``, ``API_TOKEN``, ``clientSecret``): by
substring, so a harmless ``keyboardLayout`` is hidden too, which errs on the safe side.
Reads show every secret value as :data:`MASK`, whatever it is (even empty), so a reader learns
neither a secret nor whether one is set (:meth:`Integration.masked`).

An update's ``config`` replaces the whole object (keys it leaves out are dropped), except that
a secret key whose new value is exactly :data:`MASK` keeps its stored value, so a client may
send back what it read and change only what it means to (:func:`merge_config`). A MASK for a
secret with no stored value has nothing to keep and is refused, rather than stored as if it
were the secret.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from talentos_core.domain.rules import UNSET, Length, Pattern, Unset, field
from talentos_core.errors import ValidationError

#: What reads show in place of a secret value.
MASK = "••••"
SECRET_WORDS = ("secret", "token", "password", "key")

PROVIDER = Pattern("[a-z0-9-]{1,40}", "must be lowercase letters, digits and hyphens (at most 40)")
NAME_RULE = Length(1, 200)


def is_secret_key(key: str) -> bool:
    """Whether values under config key ``key`` are write-only."""
    folded = key.casefold()
    return any(word in folded for word in SECRET_WORDS)


@attrs.frozen
class ConfigLimits:
    """A flat JSON object: at most ``max_keys`` keys of 1 to ``max_key`` characters, each value
    a string of at most ``max_text`` characters, a finite number, a boolean or null."""

    max_keys: int = 50
    max_key: int = 100
    max_text: int = 2000

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, dict):
            return "must be an object"
        if len(value) > self.max_keys:
            return f"must have at most {self.max_keys} keys"
        for key, item in value.items():
            if not isinstance(key, str) or not 1 <= len(key) <= self.max_key:
                return f"keys must be 1 to {self.max_key} characters"
            shown = key if len(key) <= 40 else key[:40] + "…"
            if isinstance(item, str):
                if len(item) > self.max_text:
                    return f"{shown} must be at most {self.max_text} characters"
            elif isinstance(item, float) and not math.isfinite(item):
                return f"{shown} must be a finite number"
            elif item is not None and not isinstance(item, bool | int | float):
                return f"{shown} must be a string, a number, true, false or null"
        return None

    def schema(self) -> dict[str, Any]:
        return {
            "maxProperties": self.max_keys,
            "propertyNames": {"minLength": 1, "maxLength": self.max_key},
            "additionalProperties": {
                "anyOf": [
                    {"type": "string", "maxLength": self.max_text},
                    {"type": ["number", "boolean", "null"]},
                ]
            },
        }


CONFIG_RULE = ConfigLimits()
_CONFIG_DOC = f"Flat settings; values under secret-looking keys read back as {MASK}."


@attrs.frozen
class Integration:
    """A connection to another system; ``config`` holds secrets, so show it :meth:`masked`."""

    id: str
    tenant_id: str
    provider: str
    name: str
    created_at: datetime
    updated_at: datetime
    enabled: bool = True
    config: dict[str, Any] = attrs.Factory(dict)

    def masked(self) -> Integration:
        """A copy fit to show: every secret value reads :data:`MASK`."""
        return attrs.evolve(
            self, config={k: MASK if is_secret_key(k) else v for k, v in self.config.items()}
        )


def merge_config(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The config an update stores: ``new``, except that a secret key sent as :data:`MASK`
    keeps its ``old`` value. Keys ``new`` leaves out are dropped. On create, pass ``{}``.

    Raises :class:`ValidationError` on ``config`` for a MASK with no stored value to keep.
    """
    merged: dict[str, Any] = {}
    for key, value in new.items():
        if value == MASK and is_secret_key(key):
            if key not in old:
                raise ValidationError(
                    {"config": f"{key} is {MASK}, but there is no stored value to keep"}
                )
            merged[key] = old[key]
        else:
            merged[key] = value
    return merged


@attrs.frozen
class NewIntegration:
    """An integration to add."""

    provider: str = field(PROVIDER, doc="e.g. slack, greenhouse, workday.")
    name: str = field(NAME_RULE)
    enabled: bool = True
    config: dict[str, Any] = field(CONFIG_RULE, default=attrs.Factory(dict), doc=_CONFIG_DOC)


@attrs.frozen
class IntegrationPatch:
    """Fields left :data:`UNSET` stay; ``config`` replaces the whole object
    (:func:`merge_config`)."""

    provider: str | Unset = field(PROVIDER, default=UNSET, doc="e.g. slack, greenhouse, workday.")
    name: str | Unset = field(NAME_RULE, default=UNSET)
    enabled: bool | Unset = UNSET
    config: dict[str, Any] | Unset = field(CONFIG_RULE, default=UNSET, doc=_CONFIG_DOC)
