"""The relay's HTTP/1.1 client (``gateway_enforcer.upstream``) against real loopback
servers that answer with exactly the bytes each test scripts."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gateway_enforcer.upstream import Limits, RelayError, Response, UpstreamPool
from tests.enforcer.conftest import free_port
from tests.enforcer.scripted import answer, hang_up, response, scripted

pytestmark = pytest.mark.anyio

CALL = b'{"jsonrpc":"2.0","id":1,"method":"tools/call"}'
RESULT = b'{"jsonrpc":"2.0","id":1,"result":{}}'


async def _post(pool: UpstreamPool, body: bytes = CALL) -> Response:
    return await pool.request(b"POST", pool.target, [(b"content-type", b"application/json")], body)


async def _read(pool: UpstreamPool) -> bytes:
    reply = await _post(pool)
    try:
        return await reply.read()
    finally:
        pool.release(reply)


@pytest.fixture
async def pools() -> AsyncIterator[list[UpstreamPool]]:
    """Pools made by a test, closed after it (their idle connections too)."""
    made: list[UpstreamPool] = []
    yield made
    for pool in made:
        await pool.aclose()


def _pool(made: list[UpstreamPool], port: int, limits: Limits | None = None) -> UpstreamPool:
    made.append(UpstreamPool(f"http://127.0.0.1:{port}/mcp?x=1", limits))
    return made[-1]


async def test_a_content_length_answer_is_read_whole_and_the_connection_kept_alive(
    pools: list[UpstreamPool],
) -> None:
    async with scripted(answer(response(RESULT)), answer(response(b"[2]"))) as upstream:
        pool = _pool(pools, upstream.port)
        assert await _read(pool) == RESULT
        assert await _read(pool) == b"[2]"
    assert upstream.connections == 1
    head = upstream.requests[0]
    assert head.startswith(b"POST /mcp?x=1 HTTP/1.1\r\nhost: 127.0.0.1:%d\r\n" % upstream.port)
    assert head.endswith(b"content-length: %d\r\n\r\n" % len(CALL) + CALL)


async def test_a_chunked_answer_written_in_pieces_is_read_whole(pools: list[UpstreamPool]) -> None:
    async def chunked(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
        for piece in (b"4\r\n[1,2\r\n", b"3\r\n,3]\r\n", b"0\r\n\r\n"):
            await writer.drain()
            writer.write(piece)
        await writer.drain()

    async with scripted(chunked, answer(response(b"again"))) as upstream:
        pool = _pool(pools, upstream.port)
        assert await _read(pool) == b"[1,2,3]"
        assert await _read(pool) == b"again"
    assert upstream.connections == 1


async def test_an_answer_without_length_ends_when_the_upstream_closes(
    pools: list[UpstreamPool],
) -> None:
    async def until_close(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n" + RESULT)
        writer.close()

    async with scripted(until_close, answer(response(b"{}"))) as upstream:
        pool = _pool(pools, upstream.port)
        assert await _read(pool) == RESULT
        assert await _read(pool) == b"{}"  # on a new connection: the first one ended
    assert upstream.connections == 2


async def test_an_upstream_that_closes_mid_body_is_an_error_not_a_short_answer(
    pools: list[UpstreamPool],
) -> None:
    async def short(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n" + RESULT)
        writer.close()

    async with scripted(short) as upstream:
        pool = _pool(pools, upstream.port)
        with pytest.raises(RelayError, match="closed the connection mid-answer"):
            await _read(pool)


async def test_an_upstream_that_dies_before_answering_is_an_error_and_not_retried(
    pools: list[UpstreamPool],
) -> None:
    async with scripted(hang_up, answer(response(RESULT))) as upstream:
        pool = _pool(pools, upstream.port)
        with pytest.raises(RelayError, match="mid-answer"):
            await _post(pool)
    assert len(upstream.requests) == 1  # a new connection's failure is never sent again


async def test_a_kept_alive_connection_the_upstream_closed_unanswered_is_retried_once(
    pools: list[UpstreamPool],
) -> None:
    """The upstream closed the idle connection as our request reached it: never seen, so
    it is sent again on a new connection."""
    async with scripted(answer(response(b"[1]")), hang_up, answer(response(b"[2]"))) as upstream:
        pool = _pool(pools, upstream.port)
        assert await _read(pool) == b"[1]"
        assert await _read(pool) == b"[2]"
    assert upstream.connections == 2


async def test_a_request_that_must_not_run_twice_is_not_retried_on_a_closed_kept_alive_connection(
    pools: list[UpstreamPool],
) -> None:
    async with scripted(answer(response(b"[1]")), hang_up, answer(response(b"[2]"))) as upstream:
        pool = _pool(pools, upstream.port)
        assert await _read(pool) == b"[1]"
        with pytest.raises(RelayError):
            await pool.request(b"POST", pool.target, [(b"content-type", b"application/json")], CALL,
                               replayable=False)
    assert len(upstream.requests) == 2  # the first call and the unanswered one, never a third


async def test_an_answer_larger_than_the_limit_is_refused_and_its_connection_dropped(
    pools: list[UpstreamPool],
) -> None:
    big = response(b"x" * 5000)
    async with scripted(answer(big), answer(response(RESULT))) as upstream:
        pool = _pool(pools, upstream.port, Limits(max_body=1000))
        with pytest.raises(RelayError, match="larger than 1000 bytes"):
            await _read(pool)
        assert await _read(pool) == RESULT
    assert upstream.connections == 2


async def test_an_oversized_answer_head_is_refused(pools: list[UpstreamPool]) -> None:
    huge = response(RESULT, extra=b"x-filler: " + b"y" * 4000 + b"\r\n")
    async with scripted(answer(huge)) as upstream:
        pool = _pool(pools, upstream.port, Limits(max_head=1024))
        with pytest.raises(RelayError, match="head is too large"):
            await _post(pool)


async def test_a_malformed_answer_is_an_error(pools: list[UpstreamPool]) -> None:
    async with scripted(answer(b"HTTP/1.1 two hundred\r\n\r\n")) as upstream:
        pool = _pool(pools, upstream.port)
        with pytest.raises(RelayError, match="malformed answer"):
            await _post(pool)


async def test_nothing_listening_is_an_error_naming_the_upstream(pools: list[UpstreamPool]) -> None:
    port = free_port()
    pool = _pool(pools, port, Limits(connect_timeout=10))
    with pytest.raises(RelayError, match=f"cannot connect to the upstream 127.0.0.1:{port}"):
        await _post(pool)


async def test_an_interim_100_continue_is_skipped_for_the_real_answer(
    pools: list[UpstreamPool],
) -> None:
    interim = b"HTTP/1.1 100 Continue\r\n\r\n" + response(RESULT, status="201 Created")
    async with scripted(answer(interim)) as upstream:
        pool = _pool(pools, upstream.port)
        reply = await _post(pool)
        assert reply.status == 201 and await reply.read() == RESULT
        pool.release(reply)


async def test_an_answer_saying_connection_close_does_not_go_back_to_the_pool(
    pools: list[UpstreamPool],
) -> None:
    closing = response(b"[1]", extra=b"connection: close\r\n")
    async with scripted(answer(closing), answer(response(b"[2]"))) as upstream:
        pool = _pool(pools, upstream.port)
        assert await _read(pool) == b"[1]"
        assert await _read(pool) == b"[2]"
    assert upstream.connections == 2


async def test_a_streamed_answer_is_handed_over_chunk_by_chunk_before_it_ends(
    pools: list[UpstreamPool],
) -> None:
    first_taken = asyncio.Event()
    event = b'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\n'

    async def sse(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                     b"transfer-encoding: chunked\r\n\r\n%x\r\n%s\r\n" % (len(event), event))
        await writer.drain()
        await first_taken.wait()  # the second event only after the client has the first
        writer.write(b"6\r\ndata:\n\r\n0\r\n\r\n")
        await writer.drain()

    async with scripted(sse) as upstream:
        pool = _pool(pools, upstream.port)
        reply = await pool.request(b"GET", b"/mcp", [(b"accept", b"text/event-stream")])
        assert await reply.next_data() == event
        assert not reply.complete
        first_taken.set()
        assert await reply.next_data() == b"data:\n"
        assert await reply.next_data() == b""
        assert reply.drained
        pool.release(reply)
    assert upstream.requests[0].startswith(b"GET /mcp HTTP/1.1\r\n")
    assert b"content-length" not in upstream.requests[0]



def _tls_contexts(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for ``localhost``: the server's context and a client
    context that trusts exactly that certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_file, key_file)
    return server, ssl.create_default_context(cafile=str(cert_file))


async def test_an_https_upstream_is_reached_over_tls_with_its_certificate_checked(
    pools: list[UpstreamPool], tmp_path: Path
) -> None:
    server_tls, client_tls = _tls_contexts(tmp_path)
    async with scripted(answer(response(RESULT)), tls=server_tls) as upstream:
        url = f"https://localhost:{upstream.port}/mcp"
        trusting = UpstreamPool(url, ssl_context=client_tls)
        strict = UpstreamPool(url)  # the default CAs do not know the self-signed certificate
        pools += [trusting, strict]
        with pytest.raises(RelayError, match="cannot connect to the upstream localhost"):
            await _read(strict)
        assert await _read(trusting) == RESULT
    assert upstream.requests[0].startswith(b"POST /mcp HTTP/1.1\r\nhost: localhost:%d\r\n"
                                           % upstream.port)
