"""Connected systems. Secret config values are write-only: reads show ``"••••"``, and an
update that sends the mask back keeps the stored secret."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.integrations import Integration, merge_config
from talentos_core.domain.rules import changes
from talentos_core.roles import Operation
from talentos_core.services.records import TenantRecords


class IntegrationService(TenantRecords[Integration]):
    entity, prefix, repository = "integration", "int", "integrations"
    operation = Operation.INTEGRATIONS_MANAGE

    def _build(self, **values: Any) -> Integration:
        """Raises :class:`ValidationError` for a MASK sent as a new secret: with no stored
        value to keep, storing it would make the mask itself the secret."""
        return Integration(**{**values, "config": merge_config({}, values["config"])})

    def _shown(self, record: Integration) -> Integration:
        return record.masked()

    def _changes(self, patch: Any, current: Integration) -> dict[str, Any]:
        wanted = changes(patch)
        if "config" in wanted:
            wanted["config"] = merge_config(current.config, wanted["config"])
        return {name: value for name, value in wanted.items() if getattr(current, name) != value}
