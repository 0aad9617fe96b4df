"""Password hashing with argon2id, parameters from settings, re-hash on change."""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from talentos_core.settings import Argon2Parameters


class Passwords:
    """Hash and verify passwords; verifying for a missing user costs what a real check does."""

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
        """Whether ``password`` matches; ``None`` (no such user) costs the same and is False."""
        decoy = self._decoy_hash()  # made on the first login of either kind, so both cost alike
        if stored_hash is None:
            with contextlib.suppress(VerificationError):
                self._hasher.verify(decoy, password)
            return False
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _decoy_hash(self) -> str:
        # Not made at startup, which every CLI command would pay.
        if self._decoy is None:
            self._decoy = self._hasher.hash("decoy password for unknown accounts")
        return self._decoy

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)
