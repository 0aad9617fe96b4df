"""Every error TalentOS raises on purpose, and the machine-readable code each one carries.

The tree::

    TalentOSError
    ├── BadRequest                  bad_request        (malformed query or argument)
    │   ├── InvalidJSON             invalid_json
    │   └── InvalidToken            invalid_token      (bad, expired or used one-time token)
    ├── Unauthenticated             unauthenticated    (no, bad, expired or revoked credential)
    │   └── InvalidCredentials      invalid_credentials
    ├── Forbidden                   forbidden          (role or ownership does not allow it)
    ├── NotFound                    not_found          (no such id in the caller's tenant)
    ├── Conflict                    conflict           (the current state forbids it)
    │   ├── InvalidTransition       invalid_transition
    │   ├── EmailTaken              email_taken
    │   └── InUse                   in_use
    ├── PayloadTooLarge             payload_too_large
    │   └── TooManyRows             too_many_rows
    ├── UnsupportedMediaType        unsupported_media_type
    ├── ValidationError             validation_error   (well-formed input that breaks a rule)
    ├── RateLimited                 rate_limited       (carries retry_after seconds)
    └── Unavailable                 unavailable        (a dependency is not configured or down)

The codes are the contract's; adapters map each class to a status in one table
(``talentos_http.errors``) and never invent codes of their own.
"""

from __future__ import annotations

from collections.abc import Mapping


class TalentOSError(Exception):
    """The root of every deliberate TalentOS error."""

    code = "error"
    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class BadRequest(TalentOSError):
    code = "bad_request"
    default_message = "The request is malformed."


class InvalidJSON(BadRequest):
    code = "invalid_json"
    default_message = "The body is not valid JSON."


class InvalidToken(BadRequest):
    code = "invalid_token"
    default_message = "The token is invalid, expired or already used."


class Unauthenticated(TalentOSError):
    code = "unauthenticated"
    default_message = "Sign in or send a valid API key."


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"
    default_message = "The email or password is incorrect."


class Forbidden(TalentOSError):
    code = "forbidden"
    default_message = "Your role does not allow this."


class NotFound(TalentOSError):
    code = "not_found"
    default_message = "No such resource."


class Conflict(TalentOSError):
    code = "conflict"
    default_message = "The current state does not allow this."


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = "That status change is not allowed."


class EmailTaken(Conflict):
    code = "email_taken"
    default_message = "That email address is already registered."


class InUse(Conflict):
    code = "in_use"
    default_message = "Other records still refer to this one."


class PayloadTooLarge(TalentOSError):
    code = "payload_too_large"
    default_message = "The body is too large."


class TooManyRows(PayloadTooLarge):
    code = "too_many_rows"
    default_message = "Too many rows."


class UnsupportedMediaType(TalentOSError):
    code = "unsupported_media_type"
    default_message = "Send the body as application/json."


class ValidationError(TalentOSError):
    """Well-formed input that breaks a rule; ``fields`` maps each offending field to why."""

    code = "validation_error"
    default_message = "Some fields are invalid."

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        self.fields = dict(fields)
        super().__init__(message)


class RateLimited(TalentOSError):
    """Too many attempts; ``retry_after`` says in how many whole seconds to try again."""

    code = "rate_limited"
    default_message = "Too many attempts; try again later."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message)


class Unavailable(TalentOSError):
    code = "unavailable"
    default_message = "A dependency is not available."
