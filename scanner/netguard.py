"""Where a URL scan may connect: never to a private, loopback, link-local or metadata address.

A submitter's URL is fetched by the registry, so without a guard it could aim the
scanner at the registry's own network (a loopback admin port, an RFC 1918 host, the
cloud metadata endpoint) and read the answer back. The guard:

* resolves the host in bounded time and refuses the URL when ANY resolved address
  is not allowed (not just the first: a name may answer one good and one bad address);
* connects to exactly the address it checked (pinning), while the Host header and
  the TLS server name and certificate check keep the host name, so a DNS answer that
  changes between the check and the connection (rebinding) cannot move it;
* checks every connection the HTTP client opens and every redirect target.

An operator allowlist of CIDR ranges opens chosen ranges; cloud metadata addresses
stay shut even then. IPv4-mapped, IPv4-compatible, 6to4 and NAT64 forms of an IPv6
address are judged by the IPv4 address they carry.
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from urllib.parse import urlsplit

import anyio
import anyio.to_thread

from scanner.errors import ConnectionFailed, SourceError

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
# (host, port) -> the addresses it resolves to; a test injects one, the default asks the OS
Resolver = Callable[[str, int], Sequence[str]]

ADDRESS_NOT_ALLOWED = "address not allowed"

# Cloud metadata and platform endpoints: never reachable, whatever the allowlist says.
METADATA: frozenset[Address] = frozenset(
    ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "168.63.129.16",  # Azure platform endpoint (a public address)
    )
)
_CGNAT = ip_network("100.64.0.0/10")
_NAT64 = ip_network("64:ff9b::/96")  # well-known prefix: the last 32 bits are the IPv4 host
_COMPAT = ip_network("::/96")  # deprecated IPv4-compatible form
# Special-purpose ranges that ipaddress flags differently across Python 3.11 patch releases.
_SPECIAL: tuple[tuple[str, Network], ...] = (
    ("reserved", ip_network("192.0.0.0/24")),  # IETF protocol assignments
    ("reserved", ip_network("64:ff9b:1::/48")),  # local-use NAT64: its mapping is unknown here
    ("documentation", ip_network("3fff::/20")),
)


class AddressNotAllowed(ConnectionFailed):
    """The URL's host resolves to an address the network policy refuses."""

    def __init__(self, host: str, address: str, why: str) -> None:
        super().__init__(ADDRESS_NOT_ALLOWED)
        self.host, self.address, self.why = host, address, why

    def detail(self) -> str:
        """For operators and the CLI user, never for a submitter (it maps internal names)."""
        return f"{self.host} resolves to {self.address} ({self.why})"


class HostUnresolvable(ConnectionFailed):
    """The URL's host name did not resolve (in time), so it could not be checked."""


def parse_allowlist(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """CIDR strings to networks; a typo is an error naming it (host bits set included)."""
    out: list[Network] = []
    for text in cidrs:
        try:
            out.append(ip_network(text.strip()))
        except ValueError as exc:
            raise ValueError(f"not a CIDR range for the scan-network allowlist: {text!r} ({exc})") from exc
    return tuple(out)


def _category(a: Address) -> str | None:
    """Why ``a`` is not a public unicast address, or None when it is one."""
    checks: tuple[tuple[str, bool], ...] = (
        ("loopback", a.is_loopback),
        ("unspecified", a.is_unspecified),
        ("link-local", a.is_link_local),
        ("multicast", a.is_multicast),
        ("site-local", isinstance(a, IPv6Address) and a.is_site_local),
        ("cgnat", a in _CGNAT),
        ("reserved", a.is_reserved),
        ("private", a.is_private),  # RFC 1918, ULA, documentation, benchmarking, broadcast
    )
    for name, hit in checks:
        if hit:
            return name
    for name, net in _SPECIAL:
        if a.version == net.version and a in net:
            return name
    return None if a.is_global else "not-global"


def refusal(address: str | Address, allow: Sequence[Network] = ()) -> str | None:
    """Why a connection to ``address`` is refused (a category name), or None if allowed."""
    a = ip_address(address) if isinstance(address, str) else address
    if isinstance(a, IPv6Address) and a.ipv4_mapped is not None:
        a = a.ipv4_mapped  # the same host, reached over an IPv6 socket
    if a in METADATA:
        return "metadata"
    if any(a.version == n.version and a in n for n in allow):
        return None
    if isinstance(a, IPv6Address):
        if a in _NAT64:
            return refusal(IPv4Address(int(a) & 0xFFFFFFFF), allow)
        inner = refusal(a.sixtofour, allow) if a.sixtofour is not None else None
        if inner is not None:
            return f"6to4 of {inner}"
        if a in _COMPAT and not (a.is_unspecified or a.is_loopback):
            return "ipv4-compatible"
    return _category(a)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the OS resolver answers for ``host`` (IPv4 and IPv6)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


@dataclasses.dataclass(frozen=True)
class NetworkPolicy:
    """Whether URL scans are guarded, and which ranges an operator opened."""

    guard: bool = True
    allow: tuple[str, ...] = ()
    resolver: Resolver = system_resolver
    resolve_timeout_s: float = 5.0
    networks: tuple[Network, ...] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "networks", parse_allowlist(self.allow))

    def check(self, host: str, addresses: Sequence[str]) -> list[str]:
        """The addresses to connect to, in order; every one must be allowed."""
        if not addresses:
            raise HostUnresolvable(f"{host} resolves to no address")
        out: list[str] = []
        for text in addresses:
            try:
                address = ip_address(text)
            except ValueError:
                raise AddressNotAllowed(host, text, "not an IP address") from None
            why = refusal(address, self.networks)
            if why is not None:
                raise AddressNotAllowed(host, str(address), why)
            if text not in out:
                out.append(text)
        return out

    async def resolve(self, host: str, port: int, timeout: float | None = None) -> list[str]:
        """Resolve (bounded) and check ``host``: the pinned addresses to connect to."""
        literal = _literal(host)
        if literal is not None:
            return self.check(host, [literal])
        bound = min(self.resolve_timeout_s, timeout) if timeout else self.resolve_timeout_s
        try:
            with anyio.fail_after(bound):
                found = await anyio.to_thread.run_sync(self.resolver, host, port, abandon_on_cancel=True)
        except TimeoutError:
            raise HostUnresolvable(f"{host} did not resolve within {bound:g} s") from None
        except (OSError, ValueError) as exc:  # ValueError: a name IDNA cannot encode, a NUL
            raise HostUnresolvable(f"{host} does not resolve") from exc
        return self.check(host, list(found))

    def resolve_sync(self, host: str, port: int) -> list[str]:
        """``resolve`` for callers without an event loop (submission checks, installs)."""
        literal = _literal(host)
        if literal is not None:
            return self.check(host, [literal])
        future = _DNS_POOL.submit(self.resolver, host, port)
        try:
            found = future.result(timeout=self.resolve_timeout_s)
        except FutureTimeout:
            future.cancel()
            raise HostUnresolvable(f"{host} did not resolve within {self.resolve_timeout_s:g} s") from None
        except (OSError, ValueError) as exc:
            raise HostUnresolvable(f"{host} does not resolve") from exc
        return self.check(host, list(found))


# A resolver call cannot be interrupted; a small pool bounds how many can hang at once.
_DNS_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="netguard-dns")


def _literal(host: str) -> str | None:
    """``host`` as an address when it is an IP literal (``[::1]`` included), else None."""
    try:
        return str(ip_address(host.strip("[]")))
    except ValueError:
        return None


def host_port(url: str) -> tuple[str, int]:
    """The host and port an http(s) URL connects to; anything else is a ``SourceError``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise SourceError("not a valid http(s) URL") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError("not an http(s) URL with a host")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check_url(
    url: str, allowlist: Sequence[str] = (), *, resolver: Resolver | None = None, timeout_s: float = 5.0
) -> list[str]:
    """Refuse ``url`` unless every address its host resolves to is allowed; returns them.

    Raises ``AddressNotAllowed`` (message: "address not allowed"), ``HostUnresolvable``
    or ``SourceError`` (not an http(s) URL). Blocking; the lookup is bounded by ``timeout_s``.
    """
    policy = NetworkPolicy(allow=tuple(allowlist), resolver=resolver or system_resolver, resolve_timeout_s=timeout_s)
    host, port = host_port(url)
    return policy.resolve_sync(host, port)
