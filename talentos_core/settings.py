"""Configuration: one attrs class, read from the environment in one place.

Flags of the ``talentos`` command win over the environment; they are applied with
:func:`attrs.evolve` by the CLI. Nothing here is read at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from talentos_core.audit.chain import MIN_KEY_BYTES
from talentos_core.identity.tokens import DEFAULT_KEY_COST

#: OWASP's floor for argon2id (time cost, memory in KiB, parallelism); never accepted below.
ARGON2_FLOOR = (2, 19456, 1)
DEFAULT_ARGON2 = (3, 65536, 4)
DEFAULT_BACKOFF = (30, 120, 600, 3600, 21600)
DEFAULT_AI_MODEL = "claude-sonnet-4-5"
DEFAULT_APPLY_RATE = 20


class InvalidSetting(ValueError):
    """A setting could not be used; the message names the variable and why."""


@attrs.frozen
class Argon2Parameters:
    time_cost: int
    memory_kib: int
    parallelism: int


@attrs.frozen
class Settings:
    """Everything an installation can configure. See docs/configuration.md."""

    db: str = "./talentos.db"
    upload_dir: str = "./talentos-uploads"
    public_url: str | None = None
    smtp_url: str | None = attrs.field(default=None, repr=False)
    mail_from: str = "TalentOS <no-reply@localhost>"
    anthropic_api_key: str | None = attrs.field(default=None, repr=False)
    ai_model: str = DEFAULT_AI_MODEL
    webhook_backoff: tuple[int, ...] = DEFAULT_BACKOFF
    webhook_timeout: float = 10.0
    webhook_allow_private: bool = False
    webhook_ca_file: str | None = None
    trust_proxy: bool = False
    audit_key: bytes | None = attrs.field(default=None, repr=False)
    argon2: Argon2Parameters = Argon2Parameters(*DEFAULT_ARGON2)
    #: scrypt cost (n) for new API keys; tests lower it as they lower argon2.
    api_key_cost: int = DEFAULT_KEY_COST
    #: Public applies per minute per client IP; 0 turns the limit off.
    apply_rate: int = DEFAULT_APPLY_RATE

    @property
    def uses_memory(self) -> bool:
        return self.db == ":memory:"

    @property
    def secure_cookies(self) -> bool:
        return bool(self.public_url and self.public_url.startswith("https://"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``TALENTOS_*`` (and ``ANTHROPIC_API_KEY``); raise :class:`InvalidSetting`."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        text_settings = {
            "TALENTOS_DB": "db",
            "TALENTOS_UPLOAD_DIR": "upload_dir",
            "TALENTOS_SMTP_URL": "smtp_url",
            "TALENTOS_MAIL_FROM": "mail_from",
            "TALENTOS_AI_MODEL": "ai_model",
            "TALENTOS_WEBHOOK_CA_FILE": "webhook_ca_file",
            "ANTHROPIC_API_KEY": "anthropic_api_key",
        }
        for variable, name in text_settings.items():
            if env.get(variable):
                values[name] = env[variable]
        if env.get("TALENTOS_PUBLIC_URL"):
            values["public_url"] = parse_public_url(env["TALENTOS_PUBLIC_URL"])
        if env.get("TALENTOS_SMTP_URL"):
            _check_scheme("TALENTOS_SMTP_URL", env["TALENTOS_SMTP_URL"], ("smtp://", "smtps://"))
        if env.get("TALENTOS_WEBHOOK_BACKOFF"):
            values["webhook_backoff"] = _parse_backoff(env["TALENTOS_WEBHOOK_BACKOFF"])
        if env.get("TALENTOS_WEBHOOK_TIMEOUT"):
            values["webhook_timeout"] = _parse_positive_float(
                "TALENTOS_WEBHOOK_TIMEOUT", env["TALENTOS_WEBHOOK_TIMEOUT"]
            )
        for variable, name in (
            ("TALENTOS_WEBHOOK_ALLOW_PRIVATE", "webhook_allow_private"),
            ("TALENTOS_TRUST_PROXY", "trust_proxy"),
        ):
            if variable in env and env[variable] != "":
                values[name] = _parse_flag(variable, env[variable])
        if env.get("TALENTOS_AUDIT_KEY"):
            values["audit_key"] = parse_audit_key(env["TALENTOS_AUDIT_KEY"])
        if env.get("TALENTOS_APPLY_RATE"):
            values["apply_rate"] = _parse_count("TALENTOS_APPLY_RATE", env["TALENTOS_APPLY_RATE"])
        if env.get("TALENTOS_ARGON2"):
            values["argon2"] = parse_argon2(env["TALENTOS_ARGON2"])
        return cls(**values)  # type: ignore[arg-type]  # keys are field names by construction


def parse_public_url(text: str) -> str:
    _check_scheme("TALENTOS_PUBLIC_URL", text, ("http://", "https://"))
    return text.rstrip("/")


def parse_audit_key(text: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise InvalidSetting("TALENTOS_AUDIT_KEY: must be hexadecimal") from None
    if len(key) < MIN_KEY_BYTES:
        raise InvalidSetting(
            f"TALENTOS_AUDIT_KEY: must be at least {MIN_KEY_BYTES} bytes ({2 * MIN_KEY_BYTES} hex "
            "digits)"
        )
    return key


def parse_argon2(text: str, *, floor: tuple[int, int, int] = ARGON2_FLOOR) -> Argon2Parameters:
    """Parse ``time_cost,memory_kib,parallelism``; refuse anything under ``floor``."""
    parts = text.split(",")
    try:
        numbers = tuple(int(part) for part in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != 3:
        raise InvalidSetting("TALENTOS_ARGON2: expected time_cost,memory_kib,parallelism")
    if any(value < least for value, least in zip(numbers, floor, strict=True)):
        raise InvalidSetting(
            "TALENTOS_ARGON2: below OWASP's minimum of " + ",".join(map(str, floor))
        )
    return Argon2Parameters(*numbers)


def _check_scheme(variable: str, text: str, schemes: tuple[str, ...]) -> None:
    if not text.startswith(schemes) or len(text) <= len(max(schemes, key=len)):
        raise InvalidSetting(f"{variable}: must start with {' or '.join(schemes)}")


def _parse_backoff(text: str) -> tuple[int, ...]:
    try:
        delays = tuple(int(part) for part in text.split(","))
    except ValueError:
        delays = ()
    if not delays or any(delay <= 0 for delay in delays):
        raise InvalidSetting("TALENTOS_WEBHOOK_BACKOFF: expected positive seconds, e.g. 30,120")
    return delays


def _parse_positive_float(variable: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise InvalidSetting(f"{variable}: expected a positive number of seconds")
    return value


def _parse_flag(variable: str, text: str) -> bool:
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise InvalidSetting(f"{variable}: expected 1 or 0")


def _parse_count(variable: str, text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise InvalidSetting(f"{variable}: expected a whole number, 0 or more")
    return int(text)
