"""The pages mailed links lead to: static, token-free, posting to the API on a click only."""

from __future__ import annotations

import re

import pytest
from html_support import csp_hash, parse

from talentos_http.pages import KINDS, token_page

API = {
    "accept-invite": "/api/auth/accept-invite",
    "reset-password": "/api/auth/reset-password",
    "verify-email": "/api/auth/verify-email",
}
SUCCESS = {
    "accept-invite": "You&#x27;re in",
    "reset-password": "Password changed — sign in",
    "verify-email": "Email verified",
}
PASSWORD_KINDS = ("accept-invite", "reset-password")


def _script(kind: str) -> str:
    (script,) = parse(token_page(kind)[0]).blocks["script"]
    return script


@pytest.mark.parametrize("kind", sorted(KINDS))
class TestTokenPage:
    def test_posts_to_its_api_path_as_json(self, kind: str) -> None:
        """The script POSTs JSON with same-origin credentials to the kind's API endpoint."""
        script = _script(kind)
        assert f'const API = "{API[kind]}"' in script
        assert "fetch(API, {" in script
        expected = ['method: "POST"', '"Content-Type": "application/json"']
        expected += ["JSON.stringify(body)", 'credentials: "same-origin"']
        for text in expected:
            assert text in script

    def test_reads_the_token_from_the_address_bar(self, kind: str) -> None:
        """The token comes from ``location.search`` in the browser, never from the server."""
        script = _script(kind)
        assert 'new URLSearchParams(location.search).get("token")' in script
        assert "{token: token}" in script

    def test_contains_no_token_looking_value(self, kind: str) -> None:
        """The page holds no long hex run or key-like value: it is the same for every token."""
        html = token_page(kind)[0]
        assert not re.search(r"[0-9a-fA-F]{16,}", html.replace(csp_hash(_script(kind)), ""))
        assert "tk_" not in html and "?token=" not in html

    def test_is_cached_and_constant(self, kind: str) -> None:
        """Rendering twice gives the very same cached result."""
        assert token_page(kind) is token_page(kind)

    def test_messages_use_text_content_only(self, kind: str) -> None:
        """The API's error message is written with textContent, never parsed as HTML."""
        script = _script(kind)
        assert "msg.textContent = text" in script
        assert "error.message" in script
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in script

    def test_posts_only_on_submit(self, kind: str) -> None:
        """The only fetch runs in the submit handler, so opening the link consumes nothing."""
        script = _script(kind)
        assert script.count("fetch(") == 1
        assert script.index('addEventListener("submit"') < script.index("fetch(")
        assert "event.preventDefault()" in script

    def test_shows_its_success_message(self, kind: str) -> None:
        """The hidden success paragraph carries the kind's message."""
        done = re.search(r'<p id="done" class="ok" hidden>(.*?)</p>', token_page(kind)[0])
        assert done and SUCCESS[kind] in done.group(1)

    def test_loads_nothing_from_elsewhere(self, kind: str) -> None:
        """No tag loads a resource, and the only link stays on this server."""
        html = token_page(kind)[0]
        assert "http://" not in html and "https://" not in html
        for tag, attrs in parse(html).tags:
            assert "src" not in attrs and "style" not in attrs and "action" not in attrs
            assert tag not in {"link", "img", "iframe", "object"}
            if "href" in attrs:
                assert attrs["href"] == "/docs"

    def test_csp_hashes_match_the_inline_blocks(self, kind: str) -> None:
        """The policy allows exactly the page's inline script and style by their hashes."""
        html, csp = token_page(kind)
        parsed = parse(html)
        (script,), (style,) = parsed.blocks["script"], parsed.blocks["style"]
        directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
        assert directives["script-src"] == [f"'{csp_hash(script)}'"]
        assert directives["style-src"] == [f"'{csp_hash(style)}'"]
        assert directives["connect-src"] == ["'self'"]
        for name in ("default-src", "form-action", "base-uri", "frame-ancestors", "img-src"):
            assert directives[name] == ["'none'"]

    def test_asks_for_a_password_only_when_one_is_set(self, kind: str) -> None:
        """Invite and reset pages ask for a new password twice; verification is one button."""
        inputs = [a for t, a in parse(token_page(kind)[0]).tags if t == "input"]
        if kind in PASSWORD_KINDS:
            assert [a["name"] for a in inputs] == ["password", "confirm"]
            assert all(a["type"] == "password" and a["minlength"] == "10" for a in inputs)
            assert "WANTS_PASSWORD = true, MIN = 10, MAX = 256" in _script(kind)
            assert "password !== form.elements.confirm.value" in _script(kind)
        else:
            assert inputs == []
            assert "WANTS_PASSWORD = false" in _script(kind)


class TestTokenPages:
    def test_each_kind_differs(self) -> None:
        """The three pages are distinct documents with distinct scripts."""
        assert len({token_page(kind)[0] for kind in KINDS}) == 3
        assert len({_script(kind) for kind in KINDS}) == 3

    def test_kinds_are_the_three_mailed_links(self) -> None:
        """Exactly the three pages of the identity contract exist."""
        assert frozenset(API) == KINDS

    def test_unknown_kind_raises_key_error(self) -> None:
        """Asking for a page that does not exist raises KeyError."""
        with pytest.raises(KeyError):
            token_page("delete-account")

    def test_accept_invite_links_to_the_reference(self) -> None:
        """After accepting an invite the user is pointed at the /docs reference."""
        assert '<a href="/docs">' in token_page("accept-invite")[0]
        assert "/docs" not in token_page("verify-email")[0]
