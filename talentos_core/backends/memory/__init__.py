"""The in-memory backend, one module per area (see :mod:`.store`)."""

from talentos_core.backends.memory.store import MemoryStore

__all__ = ["MemoryStore"]
