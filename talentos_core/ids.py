"""Resource ids: a prefix plus random characters, and tenant slugs."""

from __future__ import annotations

import re
import secrets
import string
import threading
import unicodedata
from typing import Protocol

_ALPHABET = string.ascii_lowercase + string.digits
RANDOM_LENGTH = 20  # 20 of 36 symbols: 103 bits, beyond guessing or colliding


class IdGenerator(Protocol):
    def new(self, prefix: str) -> str:
        """A fresh id such as ``vac_…`` for the given prefix (without the underscore)."""
        ...


class RandomIds:
    """Ids with :data:`RANDOM_LENGTH` random characters from the system's CSPRNG."""

    def new(self, prefix: str) -> str:
        return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(RANDOM_LENGTH))


class SequentialIds:
    """Predictable ids (``vac_0000000000000001``) for tests and examples; thread-safe."""

    def __init__(self) -> None:
        self._counter = 0
        self._lock = threading.Lock()

    def new(self, prefix: str) -> str:
        with self._lock:
            self._counter += 1
            return f"{prefix}_{self._counter:016d}"


def slugify(name: str) -> str:
    """The tenant id for a company name: ``"Acme Bank"`` becomes ``"acme-bank"``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:48].strip("-") or "tenant"
