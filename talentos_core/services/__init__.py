"""Use cases, one module per area. Each takes an explicit actor, enforces roles and tenancy,
runs in one unit of work, and appends its audit events and outbox rows in that same unit."""
