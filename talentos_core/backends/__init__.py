"""Storage backends implementing :mod:`talentos_core.ports`: ``memory`` and ``sqlite``."""
