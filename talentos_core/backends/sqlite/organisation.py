"""SQLite organisation repositories: subsidiaries, agencies, integrations."""

from __future__ import annotations

from talentos_core.backends.sqlite.base import SQLiteTenantTable
from talentos_core.domain.agencies import Agency
from talentos_core.domain.integrations import Integration
from talentos_core.domain.subsidiaries import Subsidiary


class SQLiteSubsidiaries(SQLiteTenantTable[Subsidiary]):
    table, kind = "subsidiaries", Subsidiary


class SQLiteAgencies(SQLiteTenantTable[Agency]):
    table, kind = "agencies", Agency


class SQLiteIntegrations(SQLiteTenantTable[Integration]):
    table, kind = "integrations", Integration
