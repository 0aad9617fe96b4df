"""Password hashing with argon2id, parameters from settings, re-hash on change."""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from talentos_core.settings import Argon2Parameters


class Passwords:
    """Hash and verify passwords. ``verify_unknown`` spends the same time for a missing user."""

    def __init__(self, parameters: Argon2Parameters) -> None:
        self._hasher = PasswordHasher(
            time_cost=parameters.time_cost,
            memory_cost=parameters.memory_kib,
            parallelism=parameters.parallelism,
            type=Type.ID,
        )
        self._decoy: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        if stored_hash is None:
            self.verify_unknown(password)
            return False
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def verify_unknown(self, password: str) -> None:
        # Hashed on first need (not at startup, which every CLI command pays), so that a
        # login for an unknown email costs what a real one costs.
        if self._decoy is None:
            self._decoy = self._hasher.hash("decoy password for unknown accounts")
        with contextlib.suppress(VerificationError):
            self._hasher.verify(self._decoy, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)
