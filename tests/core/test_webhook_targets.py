"""Where webhooks may go (CONTRACT §8, SECURITY-TESTS 10-11): URL syntax, the addresses a host
resolves to, legacy IPv4 literals, DNS rebinding, and the allow-private switch."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.errors import ValidationError
from talentos_core.testing import FakeResolver
from talentos_core.webhooks import (
    ResolveError,
    SystemResolver,
    Target,
    TargetRefused,
    check_registration,
    check_url,
    pick_address,
    why_not_public,
)

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1::1"

#: Every address SECURITY-TESTS item 10 lists, and the other non-public kinds.
REFUSED_ADDRESSES = [
    "127.0.0.1",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "fe80::1",
    "fc00::1",
    "::ffff:127.0.0.1",
    "64:ff9b::7f00:1",
    "2002:7f00:1::",
    "224.0.0.1",
    # and more of the same kinds
    "127.255.255.254",
    "172.31.255.255",
    "100.127.255.255",
    "0.1.2.3",
    "255.255.255.255",
    "240.0.0.1",
    "192.0.0.8",
    "192.0.2.1",
    "198.51.100.7",
    "203.0.113.9",
    "198.18.0.1",
    "198.19.255.255",
    "192.88.99.1",
    "239.255.255.250",
    "::",
    "::ffff:93.184.216.34",
    "::ffff:0:93.184.216.34",
    "::93.184.216.34",
    "64:ff9b::a00:1",
    "64:ff9b::c0a8:101",
    "64:ff9b:1::5db8:d822",
    "2002:a00:1::1",
    "2002:c0a8:101::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:2::1",
    "2001:db8::1",
    "3fff::1",
    "fd12:3456:789a::1",
    "fec0::1",
    "ff02::1",
    "100::1",
    "5f00::1",
    "4000::1",
    "fe80::1%1",
]
PUBLIC_ADDRESSES = [
    PUBLIC_V4,
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",
    "100.128.0.0",
    "172.32.0.1",
    "198.20.0.1",
    PUBLIC_V6,
    "2a00:1450:4001:81c::200e",
    "64:ff9b::5db8:d822",
    "2002:5db8:d822::1",
]
#: Hosts in legacy IPv4 forms that a resolver (inet_aton) reads as 127.0.0.1, and friends.
LEGACY_LITERALS = [
    "2130706433",
    "0x7f000001",
    "0X7F000001",
    "127.1",
    "127.0.1",
    "0177.0.0.1",
    "0x7f.0.0.1",
    "0x7f.1",
    "017700000001",
    "127.000.000.001",
    "1572395042",  # 93.184.216.34: public, but still written in a form only tricks use
    "0",
]


#: 127.0.0.1 in full-width digits and ideographic full stops, and 0x7f000001 in full-width.
FULL_WIDTH_LOOPBACK = "\uff11\uff12\uff17\u3002\uff10\u3002\uff10\u3002\uff11"
FULL_WIDTH_HEX_LOOPBACK = "\uff10\uff58\uff17\uff46\uff10\uff10\uff10\uff10\uff10\uff11"


def url_for(host: str) -> str:
    return f"https://{host}/hooks"


class TestUrlSyntax:
    def test_accepts_a_plain_https_url(self) -> None:
        """An https URL with a name, path and query becomes a Target in canonical form."""
        assert Target(
            url="https://hooks.example.com/in?x=1",
            scheme="https",
            host="hooks.example.com",
            port=443,
            path_and_query="/in?x=1",
        ) == check_url("HTTPS://Hooks.Example.COM:443/in?x=1")

    @pytest.mark.parametrize(
        ("url", "why"),
        [
            ("http://hooks.example.com/", "must start with https://"),
            ("ftp://hooks.example.com/", "must start with https://"),
            ("hooks.example.com/in", "must start with https://"),
            ("https:///in", "must name a host"),
            ("https://user@hooks.example.com/", "must not contain a user name or password"),
            ("https://user:pw@hooks.example.com/", "must not contain a user name or password"),
            ("https://:pw@hooks.example.com/", "must not contain a user name or password"),
            ("https://hooks.example.com/#top", "must not have a #fragment"),
            ("https://hooks.example.com/ in", "must not contain spaces or control characters"),
            ("https://hooks.example.com/\tin", "must not contain spaces or control characters"),
            ("https://hooks.exam\nple.com/", "must not contain spaces or control characters"),
            (" https://hooks.example.com/", "must not contain spaces or control characters"),
            ("https://hooks.example.com:/", "has a port that is not a number"),
            ("https://hooks.example.com:+8443/", "has a port that is not a number"),
            (
                "https://hooks.example.com:\uff18\uff14\uff14\uff13/",
                "has a port that is not a number",
            ),
            ("https://hooks.example.com:99999/", "must use port 443 or 1024-65535, not 99999"),
            ("https://hooks.example.com:65536/", "must use port 443 or 1024-65535, not 65536"),
        ],
    )
    def test_refuses_with_a_reason(self, url: str, why: str) -> None:
        """Each rule refuses with its own message on ``url``."""
        with pytest.raises(ValidationError) as raised:
            check_url(url)
        assert {"url": why} == raised.value.fields

    @pytest.mark.parametrize(
        ("port", "allowed"),
        [
            (443, True),
            (1024, True),
            (8080, True),
            (8443, True),
            (65535, True),
            (0, False),
            (22, False),
            (25, False),
            (80, False),
            (444, False),
            (1023, False),
        ],
    )
    def test_ports(self, port: int, allowed: bool) -> None:
        """443 and 1024-65535 are allowed; every other port is refused."""
        url = f"https://hooks.example.com:{port}/"
        if allowed:
            assert port == check_url(url).port
        else:
            with pytest.raises(ValidationError, match="Some fields"):
                check_url(url)

    def test_default_port_is_dropped_and_others_kept(self) -> None:
        """The canonical URL omits :443 and keeps any other port."""
        assert check_url("https://h.example:443/").url == "https://h.example/"
        assert check_url("https://h.example:8443").url == "https://h.example:8443/"

    def test_length_limit(self) -> None:
        """2048 characters are accepted, 2049 are not."""
        base = "https://hooks.example.com/"
        assert check_url(base + "a" * (2048 - len(base)))
        with pytest.raises(ValidationError, match="Some fields") as raised:
            check_url(base + "a" * (2049 - len(base)))
        assert raised.value.fields == {"url": "must be at most 2048 characters"}

    def test_idna_host_is_encoded(self) -> None:
        """A Unicode host name becomes its IDNA form, the one SNI and DNS use."""
        target = check_url("https://Bücher.example/ä?ö=1")
        assert (
            target.host,
            target.path_and_query,
        ) == ("xn--bcher-kva.example", "/%C3%A4?%C3%B6=1")

    def test_trailing_dot_is_dropped(self) -> None:
        """``example.com.`` and ``example.com`` are the same host (and the same certificate)."""
        assert check_url("https://hooks.example.com./").host == "hooks.example.com"

    @pytest.mark.parametrize(
        "host",
        ["a..b", "-a.example", "a-.example", "a_b$.example", "x" * 64 + ".example", "a%2eb"],
    )
    def test_invalid_host_names(self, host: str) -> None:
        """Empty or over-long labels and stray characters are refused."""
        with pytest.raises(ValidationError, match="Some fields"):
            check_url(url_for(host))

    @pytest.mark.parametrize(
        ("written", "host"),
        [
            ("[2606:2800:220:1:0:0:0:1]", PUBLIC_V6),
            ("[2606:2800:0220:0001::1]", PUBLIC_V6),
            ("[::FFFF:127.0.0.1]", "::ffff:7f00:1"),
        ],
    )
    def test_ipv6_literals_are_canonical(self, written: str, host: str) -> None:
        """An IPv6 literal is kept compressed and lowercase, without brackets in ``host``."""
        target = check_url(url_for(written) + "?q")
        assert (host, f"https://[{host}]/hooks?q") == (target.host, target.url)

    @pytest.mark.parametrize("host", ["[fe80::1%25eth0]", "[::1", "[not-v6]", "[::1]x", "[v1.x]"])
    def test_bad_ipv6_literals(self, host: str) -> None:
        """Zone ids, unclosed brackets and non-addresses in brackets are refused."""
        with pytest.raises(ValidationError, match="Some fields"):
            check_url(url_for(host))

    @pytest.mark.parametrize("host", LEGACY_LITERALS)
    def test_legacy_ipv4_forms_are_refused_naming_the_address(self, host: str) -> None:
        """Decimal, hex, octal and shortened IPv4 forms are refused, saying what they denote."""
        denotes = {"1572395042": PUBLIC_V4, "0": "0.0.0.0"}.get(host, "127.0.0.1")
        with pytest.raises(ValidationError) as raised:
            check_url(url_for(host))
        assert raised.value.fields == {
            "url": f"writes the IPv4 address {denotes} as {host.lower()!r}; only the dotted "
            "decimal form (four numbers 0-255) is accepted"
        }

    @pytest.mark.parametrize(
        "host", ["1.2.3.4.5", "256.0.0.1", "1.2.3.256", "example.123", "09", "0x7g.1", "1.2.3.0x"]
    )
    def test_hosts_that_end_in_a_number_must_be_addresses(self, host: str) -> None:
        """A host ending in a number that is no IPv4 address is refused, as browsers do."""
        with pytest.raises(ValidationError, match="Some fields"):
            check_url(url_for(host))

    def test_full_width_forms_are_read_as_resolvers_read_them(self) -> None:
        """Full-width digits and ideographic dots are normalised first, then judged."""
        assert check_url(url_for(FULL_WIDTH_LOOPBACK)).host == "127.0.0.1"
        with pytest.raises(ValidationError, match="Some fields"):
            check_url(url_for(FULL_WIDTH_HEX_LOOPBACK))

    @given(st.text(max_size=120))
    def test_arbitrary_text_raises_only_validation_error(self, text: str) -> None:
        """check_url returns a Target or raises ValidationError on ``url``; nothing else."""
        for url in (text, "https://" + text, f"https://{text}:8443/", f"https://[{text}]/"):
            try:
                target = check_url(url)
            except ValidationError as error:
                assert list(error.fields) == ["url"]
            else:
                assert target.url.startswith("https://")
                assert check_url(target.url) == target  # canonical form is a fixed point

    @given(st.from_regex(r"https://[0-9a-fA-Fx.:\[\]%]{1,40}(:[0-9]{1,6})?/?", fullmatch=True))
    def test_address_like_hosts_raise_only_validation_error(self, url: str) -> None:
        """Host text made of digits, hex, dots, colons and brackets never escapes as a crash."""
        try:
            check_url(url)
        except ValidationError as error:
            assert list(error.fields) == ["url"]

    def test_not_a_string(self) -> None:
        """A non-string is a ValidationError too."""
        with pytest.raises(ValidationError, match="Some fields"):
            check_url(None)  # type: ignore[arg-type]  # a hostile caller


class TestAddresses:
    @pytest.mark.parametrize("address", REFUSED_ADDRESSES)
    def test_non_public_addresses_are_refused(self, address: str) -> None:
        """Each of these has a reason not to be contacted."""
        assert why_not_public(address) is not None

    @pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
    def test_public_addresses_are_accepted(self, address: str) -> None:
        """Ordinary global unicast addresses, and NAT64/6to4 forms of them, pass."""
        assert why_not_public(address) is None

    @pytest.mark.parametrize(
        ("address", "why"),
        [
            ("127.0.0.1", "a loopback address"),
            ("100.64.0.1", "a shared (carrier-grade NAT) address"),
            ("169.254.169.254", "a link-local address"),
            ("64:ff9b::7f00:1", "a NAT64 address of 127.0.0.1, a loopback address"),
            ("2002:7f00:1::", "a 6to4 address of 127.0.0.1, a loopback address"),
            ("::ffff:127.0.0.1", "an IPv4-mapped address"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo address"),
            ("not-an-ip", "not an IP address"),
        ],
    )
    def test_reasons_read_well(self, address: str, why: str) -> None:
        """The reason names the kind of address (and what a NAT64 or 6to4 one embeds)."""
        assert why == why_not_public(address)

    @given(st.ip_addresses(v=4))
    def test_nat64_and_6to4_follow_the_embedded_address(self, v4: ipaddress.IPv4Address) -> None:
        """A NAT64 or 6to4 address is refused exactly when the IPv4 one inside it is."""
        nat64 = ipaddress.IPv6Address((0x64FF9B << 96) | int(v4))
        six_to_four = ipaddress.IPv6Address((0x2002 << 112) | (int(v4) << 80) | 1)
        refused = why_not_public(str(v4)) is not None
        assert refused == (why_not_public(str(nat64)) is not None)
        assert refused == (why_not_public(str(six_to_four)) is not None)

    @given(st.ip_addresses())
    def test_anything_accepted_is_global(
        self, address: ipaddress.IPv4Address | ipaddress.IPv6Address
    ) -> None:
        """No address the standard library calls non-global is ever accepted (NAT64 and 6to4
        aside, judged by what they embed)."""
        if why_not_public(str(address)) is None and not str(address).startswith(
            ("64:ff9b:", "2002:")
        ):
            assert address.is_global

    @given(st.ip_addresses(v=4))
    def test_every_mapped_address_is_refused(self, v4: ipaddress.IPv4Address) -> None:
        """IPv4-mapped IPv6 addresses are refused whatever they map."""
        assert why_not_public(f"::ffff:{v4}") is not None


class TestPickAddress:
    @pytest.mark.parametrize("address", REFUSED_ADDRESSES[:14])
    def test_security_tests_addresses_are_refused_at_registration(self, address: str) -> None:
        """A name resolving to any SECURITY-TESTS item 10 address is a 422 on url."""
        resolver = FakeResolver({"hooks.example.com": [address]})
        with pytest.raises(ValidationError) as raised:
            check_registration("https://hooks.example.com/in", resolver, allow_private=False)
        assert raised.value.fields["url"].startswith("hooks.example.com resolves to ")

    @pytest.mark.parametrize("address", REFUSED_ADDRESSES[:14])
    def test_security_tests_addresses_are_refused_at_delivery(self, address: str) -> None:
        """The same addresses make pick_address raise TargetRefused (a failed attempt)."""
        resolver = FakeResolver({"hooks.example.com": [address]})
        with pytest.raises(TargetRefused):
            pick_address(check_url("https://hooks.example.com/in"), resolver, allow_private=False)

    @pytest.mark.parametrize(
        "host",
        [
            "127.0.0.1",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "[64:ff9b::7f00:1]",
            "169.254.169.254",
            *LEGACY_LITERALS,
        ],
    )
    def test_literal_hosts_are_refused_without_lookup(self, host: str) -> None:
        """IP literals and legacy IPv4 forms are judged as what they are, never looked up."""
        resolver = FakeResolver()
        with pytest.raises(ValidationError, match="Some fields"):
            check_registration(url_for(host), resolver, allow_private=False)
        assert resolver.calls == []

    @pytest.mark.parametrize("address", [PUBLIC_V4, PUBLIC_V6])
    def test_public_addresses_are_picked(self, address: str) -> None:
        """A name with a public address yields that address, looked up with the URL's port."""
        resolver = FakeResolver({"hooks.example.com": address})
        target = check_url("https://hooks.example.com:8443/in")
        assert address == pick_address(target, resolver, allow_private=False)
        assert resolver.calls == [("hooks.example.com", 8443)]

    def test_public_literal_is_used_as_is(self) -> None:
        """A public IP literal is the address, with no lookup."""
        resolver = FakeResolver()
        target = check_url(f"https://[{PUBLIC_V6}]/in")
        assert pick_address(target, resolver, allow_private=False) == PUBLIC_V6
        assert resolver.calls == []

    def test_one_bad_answer_refuses_the_lot(self) -> None:
        """A name with a public and a private address is refused, whichever comes first."""
        for answer in ([PUBLIC_V4, "10.0.0.1"], ["10.0.0.1", PUBLIC_V4]):
            resolver = FakeResolver({"hooks.example.com": answer})
            with pytest.raises(TargetRefused, match=r"10\.0\.0\.1, a private address"):
                pick_address(check_url(url_for("hooks.example.com")), resolver, False)

    def test_first_answer_is_picked(self) -> None:
        """Of several public addresses, the resolver's first is the one to connect to."""
        resolver = FakeResolver({"hooks.example.com": [PUBLIC_V6, PUBLIC_V4]})
        assert pick_address(check_url(url_for("hooks.example.com")), resolver, False) == PUBLIC_V6

    def test_rebinding_cannot_redirect_a_delivery(self) -> None:
        """Public, then private: the first pick is the public address (the one the transport
        connects to) and the next lookup, seeing the private answer, is refused."""
        resolver = FakeResolver({"hooks.example.com": [[PUBLIC_V4], ["127.0.0.1"]]})
        target = check_url(url_for("hooks.example.com"))
        assert pick_address(target, resolver, allow_private=False) == PUBLIC_V4
        with pytest.raises(TargetRefused, match=r"127\.0\.0\.1, a loopback address"):
            pick_address(target, resolver, allow_private=False)
        assert len(resolver.calls) == 2  # one lookup per pick: nothing re-resolves behind it

    def test_unresolvable_host_is_accepted_at_registration(self) -> None:
        """A name with no DNS yet is accepted when registered, and a ResolveError at delivery."""
        resolver = FakeResolver()
        target = check_registration(url_for("soon.example.com"), resolver, allow_private=False)
        assert target.host == "soon.example.com"
        with pytest.raises(ResolveError):
            pick_address(target, resolver, allow_private=False)

    def test_empty_answer_is_a_resolve_error(self) -> None:
        """A name that resolves to no address at all does not resolve."""
        resolver = FakeResolver({"hooks.example.com": []})
        with pytest.raises(ResolveError):
            pick_address(check_url(url_for("hooks.example.com")), resolver, False)

    def test_resolver_os_errors_become_resolve_errors(self) -> None:
        """Any OSError from a resolver is reported as a ResolveError."""

        class Broken:
            def resolve(self, host: str, port: int) -> list[str]:
                raise OSError("network unreachable")

        with pytest.raises(ResolveError, match="network unreachable"):
            pick_address(check_url(url_for("hooks.example.com")), Broken(), False)

    def test_resolver_garbage_is_refused(self) -> None:
        """A resolver answer that is no IP address is refused, even with allow_private."""
        resolver = FakeResolver({"hooks.example.com": ["localhost"]})
        with pytest.raises(TargetRefused, match="no IP address"):
            pick_address(check_url(url_for("hooks.example.com")), resolver, True)

    def test_allow_private_lets_private_addresses_through(self) -> None:
        """With allow_private, loopback and private addresses may be used..."""
        resolver = FakeResolver({"hooks.internal": ["10.0.0.7"]})
        assert pick_address(check_url(url_for("hooks.internal")), resolver, True) == "10.0.0.7"
        assert pick_address(check_url(url_for("127.0.0.1")), resolver, True) == "127.0.0.1"
        assert check_registration(url_for("[::1]"), resolver, allow_private=True).host == "::1"

    @pytest.mark.parametrize(
        "url",
        ["http://127.0.0.1/", "https://127.1/", "https://u@127.0.0.1/", "https://127.0.0.1:80/"],
    )
    def test_allow_private_keeps_the_syntax_rules(self, url: str) -> None:
        """...but never lifts the URL rules: http, legacy forms, userinfo and ports stay refused."""
        with pytest.raises(ValidationError, match="Some fields"):
            check_registration(url, FakeResolver(), allow_private=True)

    @given(
        answers=st.lists(st.one_of(st.text(max_size=45), st.ip_addresses().map(str)), max_size=4)
    )
    def test_arbitrary_answers_raise_only_documented_errors(self, answers: list[str]) -> None:
        """Whatever the resolver says, pick_address returns one of its addresses or raises
        ResolveError or TargetRefused."""
        resolver = FakeResolver({"hooks.example.com": answers})
        try:
            picked = pick_address(check_url(url_for("hooks.example.com")), resolver, False)
        except (ResolveError, TargetRefused):
            return
        assert why_not_public(picked) is None
        assert picked in {str(ipaddress.ip_address(a)) for a in answers}


class TestSystemResolver:
    def test_resolves_an_ip_literal_without_the_network(self) -> None:
        """getaddrinfo answers a numeric host itself, deduplicated across socket kinds."""
        assert SystemResolver().resolve("127.0.0.1", 443) == ["127.0.0.1"]

    def test_unresolvable_name_is_a_resolve_error(self) -> None:
        """A name under .invalid (RFC 2606: never resolves) raises ResolveError."""
        with pytest.raises(ResolveError):
            SystemResolver().resolve("no-such-host.invalid", 443)


class TestFakeResolver:
    def test_forms_of_answer(self) -> None:
        """A string, a list, or a list of lists (answered in turn, the last repeating)."""
        resolver = FakeResolver({"one": "1.1.1.1", "two": ["1.1.1.1", "8.8.8.8"]})
        resolver.set("turns", [["1.1.1.1"], [], ["127.0.0.1"]])
        assert (
            resolver.resolve("one", 443),
            resolver.resolve("TWO", 443),
        ) == (["1.1.1.1"], ["1.1.1.1", "8.8.8.8"])
        assert resolver.resolve("turns", 443) == ["1.1.1.1"]
        with pytest.raises(ResolveError):
            resolver.resolve("turns", 443)
        assert resolver.resolve("turns", 443) == ["127.0.0.1"]
        assert resolver.resolve("turns", 443) == ["127.0.0.1"]
        with pytest.raises(ResolveError):
            resolver.resolve("unknown", 443)
