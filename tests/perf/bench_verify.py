"""Verify API under load, against a bare Litestar baseline, in the same run.

    python3 .ci/dev.py perf verify
    .venv/bin/python tests/perf/bench_verify.py [--duration S] [--connections N] [--rate R]

Starts two servers on loopback with the same uvicorn settings (one worker, log level
warning): the real registry (``mcp-trust serve`` on a fresh SQLite registry holding one
approved server) and a bare Litestar app whose POST endpoint reads the same request
body (without decoding or checking anything) and returns a constant msgspec Struct.
The load comes from a SEPARATE process (an asyncio keep-alive HTTP/1.1 client):
1. throughput: N connections as fast as they go, T seconds each, baseline then verify;
2. latency: an open-loop 500 req/s schedule against verify, p50/p99 measured from the
   scheduled send time (so queueing delay counts).
Targets: verify throughput >= 60% of the baseline; p99 <= 10 ms at 500 req/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BARE_APP = """
import msgspec, uvicorn, sys
from litestar import Litestar, Request, post

class Answer(msgspec.Struct):
    decision: str
    reason: str
    approved_manifest_sha256: str | None
    allowed_tools: list[str]
    blocked_tools: list[dict]
    cache_ttl_s: int

CONST = Answer(decision="allow", reason="approved", approved_manifest_sha256="0" * 64,
               allowed_tools=["add", "fetch_page"], blocked_tools=[], cache_ttl_s=5)

@post("/v1/verify", status_code=200)
async def verify(request: Request) -> Answer:
    await request.body()  # receive the same request body the registry receives; no decoding
    return CONST

uvicorn.run(Litestar([verify]), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def seed(database_url: str) -> tuple[str, dict[str, Any]]:
    """A registry with one approved server; returns a gateway token and a verify body."""
    from registry import migrate
    from registry.db import make_engine, session_scope
    from registry.models import Approval, ReviewItem, Server, Submission
    from registry.services.tokens import create_token
    from scanner.contract.hashing import manifest_sha256, tool_hashes

    tools = [{"name": n, "description": f"tool {n}", "inputSchema": {"type": "object"}} for n in ("add", "fetch_page")]
    sha = manifest_sha256(tools)
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        _, token = create_token(s, role="gateway", name="bench-gateway", actor="bench")
        server = Server(name="io.github.bench/srv", state="approved", approved_manifest_sha256=sha)
        s.add(server)
        s.flush()
        sub = Submission(server_id=server.id or 0, submitted_by="bench", source={"url": "http://127.0.0.1:9"})
        s.add(sub)
        s.flush()
        item = ReviewItem(server_id=server.id or 0, submission_id=sub.id, state="approved", submitted_by="bench")
        s.add(item)
        s.flush()
        s.add(
            Approval(
                server_id=server.id or 0,
                review_id=item.id or 0,
                manifest_sha256=sha,
                tool_hashes=tool_hashes(tools),
                approved_by="bench2",
                reason="bench",
            )
        )
    engine.dispose()
    return token, {"server": "io.github.bench/srv", "manifest_sha256": sha, "principal": "alice@example.com"}


def wait_up(url: str, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.post(url, json={}, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


# ---------------------------------------------------------------- load client process
# A minimal keep-alive HTTP/1.1 client on asyncio streams: httpx itself tops out near the
# server's rate on a small machine, which would measure the client, not the server.
class Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def call(self, request: bytes) -> int:
        self.writer.write(request)
        status_line = await self.reader.readuntil(b"\r\n")
        length = 0
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        await self.reader.readexactly(length)
        return int(status_line.split()[1])


async def connect(url: str) -> Conn:
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    return Conn(reader, writer)


def build_request(url: str, headers: dict[str, str], body: bytes) -> bytes:
    hostport, path = url.split("//", 1)[1].split("/", 1)
    lines = [
        f"POST /{path} HTTP/1.1",
        f"Host: {hostport}",
        f"Content-Length: {len(body)}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def closed_loop(url: str, headers: dict[str, str], body: bytes, conns: int, duration: float) -> dict[str, Any]:
    request = build_request(url, headers, body)
    pool = [await connect(url) for _ in range(conns)]
    done = errors = 0
    end = time.perf_counter() + duration

    async def worker(c: Conn) -> None:
        nonlocal done, errors
        while time.perf_counter() < end:
            if await c.call(request) == 200:
                done += 1
            else:
                errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in pool))
    elapsed = time.perf_counter() - start
    return {"requests": done, "errors": errors, "rps": done / elapsed}


async def open_loop(url: str, headers: dict[str, str], body: bytes, rate: float, duration: float) -> dict[str, Any]:
    """Requests are due at fixed times; latency runs from the due time (queueing counts)."""
    request = build_request(url, headers, body)
    idle: asyncio.Queue[Conn] = asyncio.Queue()
    for _ in range(32):
        idle.put_nowait(await connect(url))
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter() + 0.1
    n = int(rate * duration)

    async def one(i: int) -> None:
        nonlocal errors
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        c = await idle.get()
        status = await c.call(request)
        idle.put_nowait(c)
        latencies.append(time.perf_counter() - due)
        errors += status != 200

    await asyncio.gather(*(one(i) for i in range(n)))
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": pick(0.50),
        "p99_ms": pick(0.99),
        "max_ms": latencies[-1] * 1000,
    }


def client_main(argv: list[str]) -> None:
    mode, url, token, body, a, duration = argv
    headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    if mode == "closed":
        out = asyncio.run(closed_loop(url, headers, body.encode(), int(a), float(duration)))
    else:
        out = asyncio.run(open_loop(url, headers, body.encode(), float(a), float(duration)))
    print(json.dumps(out))


def run_client(*args: object) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--client", *map(str, args)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"load client failed: {done.stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# ---------------------------------------------------------------- orchestration
def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        client_main(sys.argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--rate", type=float, default=500.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-verify-"))
    db = f"sqlite:///{tmp / 'registry.db'}"
    token, body = seed(db)
    body_json = json.dumps(body)
    reg_port, bare_port = free_port(), free_port()
    env = {**os.environ, "MCP_TRUST_DATA_DIR": str(tmp)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "registry.cli",
                "serve",
                "--port",
                str(reg_port),
                "--database-url",
                db,
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, "-c", BARE_APP, str(bare_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ),
    ]
    reg = f"http://127.0.0.1:{reg_port}/v1/verify"
    bare = f"http://127.0.0.1:{bare_port}/v1/verify"
    try:
        wait_up(reg)
        wait_up(bare)
        check = run_client("open", reg, token, body_json, 10, 0.5)
        assert check["errors"] == 0, "verify did not answer 200 (token or seed broken)"
        # alternate short rounds and keep the median: on a shared machine, neighbours'
        # load shifts between runs, and alternation spreads it over both servers
        bases, reals = [], []
        for _ in range(args.rounds):
            bases.append(run_client("closed", bare, token, body_json, args.connections, args.duration))
            reals.append(run_client("closed", reg, token, body_json, args.connections, args.duration))
        base = sorted(bases, key=lambda r: r["rps"])[len(bases) // 2]
        real = sorted(reals, key=lambda r: r["rps"])[len(reals) // 2]
        ratios = sorted(r["rps"] / b["rps"] for r, b in zip(reals, bases, strict=True))
        lat = run_client("open", reg, token, body_json, args.rate, args.duration)
        base_lat = run_client("open", bare, token, body_json, args.rate, args.duration)
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=30)
    ratio = ratios[len(ratios) // 2]
    print(f"baseline (bare Litestar, constant Struct): {base['rps']:.0f} req/s ({args.connections} connections)")
    print(f"verify (registry, in-memory index):        {real['rps']:.0f} req/s ({args.connections} connections)")
    print(
        f"throughput ratio (median of {args.rounds} alternating rounds; each: "
        f"{', '.join(f'{x:.2f}' for x in ratios)}): {ratio:.2f}  (target >= 0.60) {'PASS' if ratio >= 0.6 else 'FAIL'}"
    )
    print(
        f"verify at {args.rate:.0f} req/s open loop: p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms, "
        f"max {lat['max_ms']:.1f} ms, errors {lat['errors']}  (target p99 <= 10 ms) "
        f"{'PASS' if lat['p99_ms'] <= 10 else 'FAIL'}"
    )
    print(
        f"baseline at {args.rate:.0f} req/s open loop: p50 {base_lat['p50_ms']:.2f} ms, p99 {base_lat['p99_ms']:.2f} ms"
    )
    print(json.dumps({"baseline": base, "verify": real, "ratio": ratio, "latency": lat, "baseline_latency": base_lat}))
    return 0 if ratio >= 0.6 and lat["p99_ms"] <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
