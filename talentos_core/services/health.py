"""Operational health: what a monitor polls."""

from __future__ import annotations

import time

import attrs

from talentos_core.services.base import Service
from talentos_core.version import VERSION


@attrs.frozen
class StorageHealth:
    backend: str
    ok: bool
    latency_ms: float


@attrs.frozen
class Health:
    ok: bool
    version: str
    storage: StorageHealth
    ai: dict[str, object]
    integrations: dict[str, str]
    audit: dict[str, int]
    webhooks: dict[str, int]


class HealthService(Service):
    def check(self) -> Health:
        """Probe the store and report; ``ok`` is false when the store does not answer."""
        store = self._deps.store
        started = time.perf_counter()
        try:
            store.probe()
            events = self._read.audit.count()
            pending = self._read.outbox.count_pending()
            store_ok = True
        except Exception:  # a broken store must make health say so, whatever it raised
            events = pending = 0
            store_ok = False
        latency = round((time.perf_counter() - started) * 1000, 3)
        settings = self._deps.settings
        return Health(
            ok=store_ok,
            version=VERSION,
            storage=StorageHealth(store.backend, store_ok, latency),
            ai={"live": bool(settings.anthropic_api_key), "model": settings.ai_model},
            integrations={
                "mail": "smtp" if settings.smtp_url else "dry_run",
                "blob": "memory" if settings.uses_memory else "local",
            },
            audit={"events": events},
            webhooks={"pending": pending, "dead": 0},
        )
