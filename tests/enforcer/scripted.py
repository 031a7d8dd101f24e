"""A loopback HTTP/1.1 server whose answers a test writes as raw bytes, so the relay's
client meets exactly the framing, pauses and failures the test wants. It runs in the
test's own event loop; a test hands it one coroutine per request (in order)."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable

Answer = Callable[[asyncio.StreamWriter], Awaitable[None]]


def response(body: bytes, *, status: str = "200 OK", content_type: bytes = b"application/json",
             extra: bytes = b"") -> bytes:
    return (f"HTTP/1.1 {status}\r\n".encode() + b"content-type: " + content_type + b"\r\n"
            + extra + b"content-length: %d\r\n\r\n" % len(body) + body)


def answer(raw: bytes) -> Answer:
    async def write(writer: asyncio.StreamWriter) -> None:
        writer.write(raw)
        await writer.drain()

    return write


async def hang_up(writer: asyncio.StreamWriter) -> None:
    """Read the request, answer nothing, close the connection."""
    writer.close()


class Scripted:
    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.requests: list[bytes] = []  # request heads and bodies, as received
        self.connections = 0
        self.port = 0
        self.writers: list[asyncio.StreamWriter] = []

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        try:
            while self.answers and not writer.is_closing():
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.lower().split(b"\r\n"):
                    if line.startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                self.requests.append(head + await reader.readexactly(length))
                await self.answers.pop(0)(writer)
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def scripted(*answers: Answer, tls: ssl.SSLContext | None = None) -> AsyncIterator[Scripted]:
    server = Scripted(list(answers))
    listener = await asyncio.start_server(server._serve, "127.0.0.1", 0, ssl=tls)
    server.port = listener.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        listener.close()
        for writer in server.writers:
            writer.close()
        with contextlib.suppress(Exception):
            await listener.wait_closed()
