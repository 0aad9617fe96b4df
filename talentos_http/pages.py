"""The small pages that mailed links lead to: accept an invite, reset a password, verify an email.

Each page is static and identical for every token: its inline script reads ``token`` from the
address bar and POSTs it to the API only when the user clicks, so a GET (a mail scanner
following the link, say) never consumes a token. Nothing from the request is echoed into the
HTML, and the Content-Security-Policy allows only the page's own inline script and style by
their hashes, and fetches to its own origin.
"""

from __future__ import annotations

import functools
import json
from html import escape

from talentos_core.domain.users import PASSWORD_RULE
from talentos_http.reference import csp_hash

__all__ = ["KINDS", "token_page"]

MIN_PASSWORD, MAX_PASSWORD = PASSWORD_RULE.minimum, PASSWORD_RULE.maximum

_PAGES: dict[str, dict[str, str]] = {
    "accept-invite": {
        "title": "Accept your invitation",
        "intro": "Choose a password to join your team on TalentOS.",
        "button": "Join",
        "api": "/api/auth/accept-invite",
        "done": "You're in",
        "link": "Read the API reference",
    },
    "reset-password": {
        "title": "Choose a new password",
        "intro": "Set a new password for your TalentOS account. "
        "This signs you out everywhere else.",
        "button": "Change password",
        "api": "/api/auth/reset-password",
        "done": "Password changed — sign in with your new password.",
    },
    "verify-email": {
        "title": "Verify your email address",
        "intro": "Confirm that this email address belongs to you.",
        "button": "Verify email",
        "api": "/api/auth/verify-email",
        "done": "Email verified",
    },
}
KINDS = frozenset(_PAGES)

_CSS = """
body{margin:3rem auto;max-width:26rem;padding:0 1rem;font:16px/1.5 system-ui,sans-serif;
color:#1d2430}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input{width:100%;padding:.45rem;font:inherit;border:1px solid #b8c0cc;border-radius:4px}
button{margin-top:1rem;padding:.5rem 1rem;font:inherit;border:0;border-radius:4px;
background:#1a7f37;color:#fff;cursor:pointer}button:disabled{opacity:.6;cursor:default}
#msg{margin-top:1rem;min-height:1.5rem}.error{color:#cf222e}.ok{color:#1a7f37;font-weight:600}
"""

# The only page-specific parts of the script are constants we control, passed as JSON.
_SCRIPT = """
"use strict";
const API = %(api)s, WANTS_PASSWORD = %(wants_password)s, MIN = %(min)d, MAX = %(max)d;
const token = new URLSearchParams(location.search).get("token") || "";
const form = document.getElementById("form"), msg = document.getElementById("msg");
const button = form.querySelector("button");
function say(text, kind) { msg.textContent = text; msg.className = kind; }
if (!token) { say("This link is missing its token.", "error"); button.disabled = true; }
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = {token: token};
  if (WANTS_PASSWORD) {
    const password = form.elements.password.value;
    const length = Array.from(password).length;
    if (length < MIN || length > MAX) {
      return say("The password must be " + MIN + " to " + MAX + " characters long.", "error");
    }
    if (password !== form.elements.confirm.value) {
      return say("The two passwords do not match.", "error");
    }
    body.password = password;
  }
  button.disabled = true;
  say("Working...", "");
  try {
    const response = await fetch(API, {method: "POST",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
      credentials: "same-origin"});
    const data = await response.json().catch(() => ({}));
    if (response.ok && data.ok !== false) {
      form.hidden = true;
      document.getElementById("done").hidden = false;
      if (data.alreadyVerified) { say("This email address was already verified.", "ok"); }
      else { say("", ""); }
      return;
    }
    const error = data.error || {};
    say(error.message || ("Something went wrong (HTTP " + response.status + ")."), "error");
  } catch (_) {
    say("Could not reach the server. Please try again.", "error");
  }
  button.disabled = false;
});
"""


@functools.cache
def token_page(kind: str) -> tuple[str, str]:
    """Return ``(html, content_security_policy)`` for the page ``kind`` (one of ``KINDS``).

    Raises ``KeyError`` for an unknown kind. The result is constant, so it is cached.
    """
    page = _PAGES[kind]
    wants_password = kind != "verify-email"
    script = _SCRIPT % {
        "api": _js(page["api"]),
        "wants_password": _js(wants_password),
        "min": MIN_PASSWORD,
        "max": MAX_PASSWORD,
    }
    fields = ""
    if wants_password:
        fields = (
            "".join(
                f'<label for="{name}">{label}</label><input id="{name}" name="{name}" '
                f'type="password" autocomplete="new-password" required minlength="{MIN_PASSWORD}">'
                for name, label in (("password", "New password"), ("confirm", "Repeat it"))
            )
            + f"<p>{MIN_PASSWORD} to {MAX_PASSWORD} characters.</p>"
        )
    link = f' <a href="/docs">{escape(page["link"])}</a>' if "link" in page else ""
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(page['title'])} · TalentOS</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(page['title'])}</h1><p>{escape(page['intro'])}</p>"
        f'<form id="form" method="post" data-kind="{escape(kind)}">{fields}'
        f"<button type=submit>{escape(page['button'])}</button></form>"
        f'<p id="done" class="ok" hidden>{escape(page["done"])}{link}</p>'
        '<p id="msg" role="status" aria-live="polite"></p>'
        f"<script>{script}</script></body></html>"
    )
    csp = (
        f"default-src 'none'; script-src '{csp_hash(script)}'; style-src '{csp_hash(_CSS)}'; "
        "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "img-src 'none'"
    )
    return html, csp


def _js(value: object) -> str:
    """A JSON literal safe inside ``<script>``: no ``</script>`` or ``<!--`` can form."""
    return json.dumps(value).replace("<", "\\u003c")
