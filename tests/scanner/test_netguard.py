"""The scan-network guard: which addresses a URL scan may reach, pinning the checked
address (no DNS rebinding), redirects, TLS on the host name, and the generic reasons."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import httpcore2
import httpx2
import pytest
import uvicorn

from scanner.errors import ConnectionFailed, InstallFailed, ServerMisbehaved, SourceError
from scanner.fetch_http import GuardedTransport, HttpStatusFailed
from scanner.netguard import (
    AddressNotAllowed,
    HostUnresolvable,
    NetworkPolicy,
    check_url,
    parse_allowlist,
    refusal,
    system_resolver,
)
from scanner.reasons import public_reason
from scanner.scan import scan_source_sync
from scanner.sources import HttpSource
from tests.scanner.conftest import NORMAL, run_cli
from tests.support import wait_for

REFUSED = [
    ("127.0.0.1", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"), ("fd12:3456::1", "private"),
    ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("100.64.0.1", "cgnat"), ("100.127.255.254", "cgnat"),
    ("224.0.0.1", "multicast"), ("239.1.2.3", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"), ("192.0.0.8", "reserved"),
    ("198.18.0.1", "private"), ("192.0.2.1", "private"), ("2001:db8::1", "private"), ("3fff::1", "documentation"),
    ("fec0::1", "site-local"), ("2001::1", "private"),  # Teredo
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"), ("100.100.100.200", "metadata"),
    ("192.0.0.192", "metadata"), ("168.63.129.16", "metadata"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("::ffff:169.254.169.254", "metadata"),
    ("::127.0.0.1", "ipv4-compatible"), ("::8.8.8.8", "ipv4-compatible"),
    ("2002:7f00:1::", "6to4 of loopback"), ("2002:a9fe:a9fe::1", "6to4 of metadata"),
    ("64:ff9b::7f00:1", "loopback"), ("64:ff9b::a9fe:a9fe", "metadata"), ("64:ff9b:1::1", "reserved"),
]  # fmt: skip
PUBLIC = ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"]


@pytest.mark.parametrize(("address", "why"), REFUSED)
def test_internal_special_and_metadata_addresses_are_refused_in_every_form(address: str, why: str) -> None:
    assert refusal(address) == why


@pytest.mark.parametrize("address", PUBLIC)
def test_public_unicast_addresses_are_allowed_in_every_form(address: str) -> None:
    assert refusal(address) is None


def test_the_allowlist_opens_exactly_its_ranges_but_never_a_metadata_address() -> None:
    allow = parse_allowlist(["10.0.0.0/8", "fd00::/8", "169.254.0.0/16"])
    assert refusal("10.1.2.3", allow) is None
    assert refusal("::ffff:10.1.2.3", allow) is None  # the mapped form is the same host
    assert refusal("fd12::1", allow) is None
    assert refusal("172.16.0.1", allow) == "private"
    assert refusal("169.254.169.254", allow) == refusal("fd00:ec2::254", allow) == "metadata"
    assert refusal("169.254.169.254", parse_allowlist(["0.0.0.0/0"])) == "metadata"


@pytest.mark.parametrize("bad", ["10.0.0.5/8", "not-a-range", "10.0.0.0/33"])
def test_a_bad_allowlist_entry_is_an_error_naming_it(bad: str) -> None:
    with pytest.raises(ValueError, match="not a CIDR range"):
        NetworkPolicy(allow=("127.0.0.0/8", bad))


def _answers(table: dict[str, list[str]]) -> Callable[[str, int], Sequence[str]]:
    def resolve(host: str, port: int) -> Sequence[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "unknown host")
        return table[host]

    return resolve


def test_a_host_with_one_good_and_one_bad_address_is_refused() -> None:
    resolver = _answers({"mixed.test": ["8.8.8.8", "10.0.0.1"], "good.test": ["8.8.8.8", "2001:4860::1"]})
    with pytest.raises(AddressNotAllowed) as refused:
        check_url("https://mixed.test/mcp", resolver=resolver)
    assert str(refused.value) == "address not allowed"
    assert (refused.value.address, refused.value.why) == ("10.0.0.1", "private")
    assert check_url("https://good.test/mcp", resolver=resolver) == ["8.8.8.8", "2001:4860::1"]
    assert check_url("https://mixed.test/mcp", ["10.0.0.0/24"], resolver=resolver) == ["8.8.8.8", "10.0.0.1"]


def test_ip_literals_unknown_hosts_slow_resolvers_and_other_schemes_are_refused() -> None:
    never = _answers({})
    for url in ("http://127.0.0.1:8080/", "http://[::1]/mcp", "http://[::ffff:a9fe:a9fe]/"):
        with pytest.raises(AddressNotAllowed):
            check_url(url, resolver=never)
    with pytest.raises(HostUnresolvable):
        check_url("https://nowhere.test/", resolver=never)
    with pytest.raises(HostUnresolvable):  # IDNA refuses a 64-letter label before any lookup
        check_url(f"https://{'a' * 64}.test/", resolver=system_resolver)
    release = threading.Event()

    def stuck(host: str, port: int) -> list[str]:
        release.wait(30)
        return ["8.8.8.8"]

    try:
        with pytest.raises(HostUnresolvable, match="did not resolve within"):
            check_url("https://slow.test/", resolver=stuck, timeout_s=0.2)
    finally:
        release.set()
    for url in ("ftp://example.test/", "http:///nohost", "http://x.test:99999/"):
        with pytest.raises(SourceError):
            check_url(url, resolver=never)


# -- real connections on loopback ------------------------------------------------------


class _Server(ThreadingHTTPServer):
    hosts: list[str]
    location: str | None


class _Handler(BaseHTTPRequestHandler):
    """Answers 200 and closes, or redirects; records the Host header of each request."""

    server: _Server

    def do_GET(self) -> None:
        self.server.hosts.append(self.headers["Host"])
        location = self.server.location
        self.send_response(307 if location else 200)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")  # every request needs a new connection
        self.end_headers()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def log_message(self, *args: Any) -> None:
        return None


@contextmanager
def http_server(
    host: str = "127.0.0.1", *, location: str | None = None, tls: ssl.SSLContext | None = None
) -> Iterator[_Server]:
    server = _Server((host, 0), _Handler)
    server.hosts, server.location = [], location
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)


@contextmanager
def listener(host: str, port: int = 0) -> Iterator[tuple[int, Callable[[], bool]]]:
    """A socket that only listens: ``connected()`` says whether anyone ever connected."""
    sock = socket.socket()
    sock.bind((host, port))
    sock.listen(8)
    sock.setblocking(False)

    def connected() -> bool:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return False
        conn.close()
        return True

    try:
        yield sock.getsockname()[1], connected
    finally:
        sock.close()


@contextmanager
def serving(app: Any, host: str = "127.0.0.1") -> Iterator[int]:
    """Run an ASGI app (an SDK server) with uvicorn in a thread; yields its port."""
    sock = socket.socket()
    sock.bind((host, 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, timeout=30, what="the test server to start")
        yield int(sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


# what a list result needs at the stateless protocol revision the scanner negotiates
NO_CACHE = {"ttlMs": 0, "cacheScope": "private", "resultType": "complete"}


def mcp_app(tools: list[dict[str, Any]], hosts: list[str] | None = None) -> Any:
    """A streamable HTTP MCP server written with the SDK; ``hosts``: the Host headers it accepts."""
    from mcp.server.lowlevel import Server
    from mcp.server.transport_security import TransportSecuritySettings

    async def list_tools(ctx: Any, params: Any) -> dict[str, Any]:
        return {"tools": tools, **NO_CACHE}  # raw wire dicts, as a hostile server may send them

    server: Server[Any] = Server("netguard-fixture", version="1.0.0", on_list_tools=list_tools)  # type: ignore[arg-type]
    security = TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts or [])
    return server.streamable_http_app(transport_security=security if hosts else None)


def sse_app(tools: list[dict[str, Any]]) -> Any:
    """The same server over the legacy SSE transport."""
    from mcp.server.lowlevel import Server
    from mcp.server.sse import SseServerTransport
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Mount, Route

    async def list_tools(ctx: Any, params: Any) -> dict[str, Any]:
        return {"tools": tools, **NO_CACHE}

    server: Server[Any] = Server("netguard-fixture", version="1.0.0", on_list_tools=list_tools)  # type: ignore[arg-type]
    sse = SseServerTransport("/messages/")

    async def handle(request: Request) -> Response:
        async with sse.connect_sse(request.scope, request.receive, request._send) as (read, write):
            await server.run(read, write, server.create_initialization_options())
        return Response()

    return Starlette(routes=[Route("/sse", handle, methods=["GET"]), Mount("/messages/", app=sse.handle_post_message)])


TOOLS = [{"name": "add", "description": "Add two integers.", "inputSchema": {"type": "object"}}]


def _get(transport: GuardedTransport, url: str, follow: bool = True) -> int:
    async def go() -> int:
        async with httpx2.AsyncClient(transport=transport, timeout=10) as client:
            return (await client.get(url, follow_redirects=follow)).status_code

    return anyio.run(go)


def test_a_rebinding_host_name_never_reaches_the_second_answer() -> None:
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"] if len(calls) == 1 else ["127.0.0.2"]  # good first, bad after

    policy = NetworkPolicy(allow=("127.0.0.1/32",), resolver=rebinding)
    with http_server() as server, listener("127.0.0.2", server.server_address[1]) as (port, connected):
        transport = GuardedTransport(policy)
        assert _get(transport, f"http://rebind.test:{port}/") == 200
        with pytest.raises(AddressNotAllowed):  # the server closed: a new connection, a new answer
            _get(transport, f"http://rebind.test:{port}/")
        assert server.hosts == [f"rebind.test:{port}"]  # connected to the pinned IP, Host kept
        assert calls == ["rebind.test", "rebind.test"] and not connected()


class _Recording(httpcore2.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.inner, self.hosts = httpcore2.AnyIOBackend(), list[str]()

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> httpcore2.AsyncNetworkStream:
        self.hosts.append(host)
        return await self.inner.connect_tcp(host, port, *args, **kwargs)


@pytest.mark.parametrize("follow", [True, False])
def test_a_redirect_to_a_refused_address_fails_and_is_never_connected(follow: bool) -> None:
    policy = NetworkPolicy(allow=("127.0.0.1/32",))
    with listener("127.0.0.2") as (port, connected):
        for target, why in ((f"http://127.0.0.2:{port}/mcp", "loopback"), ("http://169.254.169.254/", "metadata")):
            backend = _Recording()
            with http_server(location=target) as server, pytest.raises(AddressNotAllowed) as refused:
                _get(GuardedTransport(policy, backend=backend), f"http://127.0.0.1:{server.server_address[1]}/")
            assert refused.value.why == why
            assert backend.hosts == ["127.0.0.1"]
        assert not connected()


def _tls_contexts(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for ``name``: (server context, client context trusting it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (tmp_path / "cert.pem").write_bytes(pem)
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return server, ssl.create_default_context(cadata=pem.decode())


def test_tls_to_the_pinned_address_uses_the_host_name_for_sni_and_the_certificate(tmp_path: Path) -> None:
    server_tls, client_tls = _tls_contexts(tmp_path, "mcp.test")
    names: list[str | None] = []
    server_tls.sni_callback = lambda sock, name, ctx: names.append(name)
    policy = NetworkPolicy(allow=("127.0.0.1/32",), resolver=_answers({"mcp.test": ["127.0.0.1"]}))
    with http_server(tls=server_tls) as server:
        port = server.server_address[1]
        assert _get(GuardedTransport(policy, verify=client_tls), f"https://mcp.test:{port}/") == 200
        assert names == ["mcp.test"] and server.hosts == [f"mcp.test:{port}"]
        with pytest.raises(httpx2.ConnectError) as wrong_name:  # the certificate names mcp.test only
            _get(GuardedTransport(policy, verify=client_tls), f"https://127.0.0.1:{port}/")
    assert public_reason(_raised_from(wrong_name.value)) == "TLS error"


def _raised_from(cause: BaseException) -> ConnectionFailed:
    try:
        raise ConnectionFailed("could not talk to the server") from cause
    except ConnectionFailed as exc:
        return exc


def test_an_sdk_server_scanned_by_name_gets_its_own_host_name_and_a_mixed_answer_is_refused() -> None:
    with serving(mcp_app(TOOLS, hosts=["mcp.test:*"])) as port:
        url = f"http://mcp.test:{port}/mcp"
        good = NetworkPolicy(allow=("127.0.0.1/32",), resolver=_answers({"mcp.test": ["127.0.0.1"]}))
        report = scan_source_sync(HttpSource(url=url), limits=NORMAL, network=good)
        assert [t.name for t in report.tools] == ["add"]
        mixed = NetworkPolicy(allow=("127.0.0.1/32",), resolver=_answers({"mcp.test": ["127.0.0.1", "10.9.8.7"]}))
        with pytest.raises(AddressNotAllowed) as refused:
            scan_source_sync(HttpSource(url=url), limits=NORMAL, network=mixed)
        assert public_reason(refused.value) == "address not allowed"


def test_an_sse_server_is_guarded_like_a_streamable_http_one() -> None:
    with serving(sse_app(TOOLS)) as port:
        source = HttpSource(url=f"http://127.0.0.1:{port}/sse", transport="sse")
        with pytest.raises(AddressNotAllowed):
            scan_source_sync(source, limits=NORMAL, network=NetworkPolicy())
        report = scan_source_sync(source, limits=NORMAL, network=NetworkPolicy(allow=("127.0.0.1/32",)))
    assert [t.name for t in report.tools] == ["add"]


def test_failures_map_to_generic_reasons_without_the_targets_words() -> None:
    canary = "internal-db-password-7f3a"
    cases: list[tuple[BaseException, str]] = [
        (ServerMisbehaved(f"server answered initialize with error -1: {canary}"), "the server broke the MCP protocol"),
        (ServerMisbehaved("server did not answer tools/list within 30 s"), "timed out"),
        (ServerMisbehaved("server sent more than 100 bytes over HTTP"), "the server exceeded a scan limit"),
        (HttpStatusFailed(404), "HTTP status 404"),
        (_raised_from(httpx2.ConnectTimeout(canary)), "timed out"),
        (_raised_from(httpx2.ConnectError(canary)), "could not connect"),
        (_raised_from(ExceptionGroup("g", [ValueError(canary), ssl.SSLCertVerificationError(canary)])), "TLS error"),
        (_raised_from(AddressNotAllowed("h", "10.0.0.1", "private")), "address not allowed"),
        (_raised_from(HostUnresolvable(canary)), "the host name does not resolve"),
        (InstallFailed(f"pip failed: {canary}"), "the package could not be installed"),
        (SourceError(canary), "the source cannot be scanned"),
        (RuntimeError(canary), "the scan failed"),
    ]  # fmt: skip
    for exc, reason in cases:
        assert public_reason(exc) == reason, exc
        assert canary not in public_reason(exc)
    install: InstallFailed | None = None
    try:
        raise InstallFailed("index refused") from AddressNotAllowed("idx.test", "10.0.0.2", "private")
    except InstallFailed as exc:
        install = exc
    assert public_reason(install) == "address not allowed"


def test_the_cli_scans_anywhere_by_default_and_guards_on_request() -> None:
    with serving(mcp_app(TOOLS)) as port:
        url = f"http://127.0.0.1:{port}/mcp"
        assert run_cli("scan", "-q", "--format", "json", "--url", url).returncode == 0
        guarded = run_cli("scan", "-q", "--url", url, "--guard-network")
        opened = run_cli("scan", "-q", "--format", "json", "--url", url, "--allow-scan-network", "127.0.0.0/8")
    assert guarded.returncode == 2
    assert guarded.stderr.strip() == (
        "mcp-trust: address not allowed: 127.0.0.1 resolves to 127.0.0.1 (loopback) "
        "(--allow-scan-network CIDR opens a range)"
    )
    assert opened.returncode == 0 and '"name":"add"' in opened.stdout
    bad = run_cli("scan", "--url", url, "--allow-scan-network", "10.0.0.1/8")
    assert bad.returncode == 2 and bad.stderr.startswith("mcp-trust: not a CIDR range")
    assert "Traceback" not in bad.stderr
