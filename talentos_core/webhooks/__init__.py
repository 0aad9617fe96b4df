"""Webhook building blocks with no storage and no framework.

Receivers need only :func:`verify_signature`::

    from talentos_core.webhooks import verify_signature

    if not verify_signature(raw_body, request.headers["X-TalentOS-Signature"], secret):
        ...  # answer 400 and ignore the delivery

The delivery worker signs with :func:`signature_header` and makes secrets with
:func:`new_secret` (:mod:`.signing`).
"""

from talentos_core.webhooks.signing import (
    DEFAULT_TOLERANCE,
    SECRET_PREFIX,
    SIGNATURE_HEADER,
    new_secret,
    sign,
    signature_header,
    verify_signature,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "SECRET_PREFIX",
    "SIGNATURE_HEADER",
    "new_secret",
    "sign",
    "signature_header",
    "verify_signature",
]
