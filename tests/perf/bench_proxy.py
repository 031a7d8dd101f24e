"""Added latency of the enforcing stdio proxy per tools/call, warm cache.

Same run, same machine, same server: a raw JSON-RPC client over stdio calls the
fixture server's ``add`` tool directly, then through ``python -m gateway_enforcer``
(backed by a real registry, approved, answers cached for 300 s), in alternating
blocks so machine noise hits both alike. Prints median and p99 per call for each
path and the difference (target: at most 1 ms added at the median).

    python3 .ci/dev.py perf proxy        # or: .venv/bin/python tests/perf/bench_proxy.py
    .venv/bin/python tests/perf/bench_proxy.py --stdio-only | --http-only
    .venv/bin/python tests/perf/bench_proxy.py --http-only --instant-upstream
    options: --quick (fewer calls, a smoke run), --profile FILE (HTTP proxy under cProfile)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.enforcer.conftest import (  # noqa: E402
    ENFORCER_SERVER,
    Background,
    LiveRegistry,
    free_port,
    port_open,
    raw_tools,
    running_registry,
    server_command,
)
from tests.support import wait_for  # noqa: E402

BLOCKS, PER_BLOCK, WARMUP = 10, 300, 200  # 3000 timed calls per path
if "--quick" in sys.argv:  # a smoke run while working on the proxy; not for figures
    BLOCKS, PER_BLOCK, WARMUP = 3, 100, 50


def _option(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


PROFILE = _option("--profile")  # FILE: run the HTTP proxy under cProfile, stats to FILE

# uvicorn re-raises SIGTERM after its shutdown, so `-m cProfile -o` never writes: dump
# the stats from our own SIGTERM handler instead (uvicorn restores it before re-raising).
_PROFILED = """
import cProfile, os, signal, sys
out = sys.argv.pop(1)
prof = cProfile.Profile()
def dump(*_):
    prof.disable(); prof.dump_stats(out); os._exit(0)
signal.signal(signal.SIGTERM, dump)
from gateway_enforcer.__main__ import main
prof.enable(); main(); dump()
"""


# --instant-upstream: a minimal HTTP/1.1 JSON-RPC server that answers at once (JSON, not
# SSE) with the fixture server's exact tools: the proxy's cost with next to no upstream.
# (The SDK fixture server once answered every tools/call after ~44 ms: its listening
# socket was made without IPPROTO_TCP, so asyncio left Nagle on, and the SSE event
# written after the response head waited for the client's 40 ms delayed ACK. Fixed in
# the fixture; it now answers in ~1 ms and measures the proxy too.)
_INSTANT = """
import asyncio, json, sys
TOOLS = json.load(open(sys.argv[2]))
def answer(msg):
    method = msg.get("method")
    if method == "initialize":
        return {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                "serverInfo": {"name": "instant", "version": "1"}}
    if method == "tools/list":
        return {"tools": TOOLS}
    args = msg["params"]["arguments"]
    return {"content": [{"type": "text", "text": str(args["a"] + args["b"])}], "isError": False}
async def serve(reader, writer):
    while True:
        head = await reader.readuntil(b"\\r\\n\\r\\n")
        length = next(int(l.split(b":")[1]) for l in head.lower().split(b"\\r\\n")
                      if l.startswith(b"content-length:"))
        msg = json.loads(await reader.readexactly(length))
        if "id" not in msg:
            writer.write(b"HTTP/1.1 202 Accepted\\r\\ncontent-length: 0\\r\\n\\r\\n")
            continue
        body = json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": answer(msg)}).encode()
        writer.write(b"HTTP/1.1 200 OK\\r\\ncontent-type: application/json\\r\\ncontent-length: "
                     + str(len(body)).encode() + b"\\r\\n\\r\\n" + body)
async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    open(sys.argv[1] + ".tmp", "w").write(str(server.sockets[0].getsockname()[1]))
    __import__("os").rename(sys.argv[1] + ".tmp", sys.argv[1])
    await server.serve_forever()
asyncio.run(main())
"""


def _proxy_launcher() -> list[str]:
    return ["-c", _PROFILED, PROFILE] if PROFILE else ["-m", "gateway_enforcer"]


class RawClient:
    """Newline-delimited JSON-RPC over a child's stdin/stdout: the least client overhead."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
        )
        self.n = 0
        self.request(
            "initialize",
            {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
        )
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.request("tools/list", {})

    def send(self, message: dict[str, object]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, object]) -> dict[str, object]:
        assert self.proc.stdout is not None
        self.n += 1
        self.send({"jsonrpc": "2.0", "id": self.n, "method": method, "params": params})
        while True:
            reply: dict[str, object] = json.loads(self.proc.stdout.readline())
            if reply.get("id") == self.n:
                if "error" in reply:
                    raise RuntimeError(f"{method} failed: {reply['error']}")
                return reply

    def timed_calls(self, count: int) -> list[float]:
        out = []
        for i in range(count):
            start = time.perf_counter()
            self.request("tools/call", {"name": "add", "arguments": {"a": i, "b": 1}})
            out.append(time.perf_counter() - start)
        return out

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


class HttpClient:
    """Raw streamable HTTP client (httpx, one keep-alive connection): initialize, then calls."""

    def __init__(self, url: str) -> None:
        import socket

        import httpx

        self.url = url
        # Nagle off: a request written in two pieces must not wait for a delayed ACK
        nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        self.http = httpx.Client(timeout=30.0, trust_env=False,
                                 transport=httpx.HTTPTransport(socket_options=nodelay))
        self.headers = {"accept": "application/json, text/event-stream",
                        "content-type": "application/json"}
        self.n = 0
        reply = self.http.post(url, headers=self.headers, json={
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "bench", "version": "1"}}})
        reply.raise_for_status()
        if "mcp-session-id" in reply.headers:
            self.headers["mcp-session-id"] = reply.headers["mcp-session-id"]
        self.headers["mcp-protocol-version"] = "2025-06-18"
        self.http.post(url, headers=self.headers,
                       json={"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.call("tools/list", {})

    def call(self, method: str, params: dict[str, object]) -> None:
        self.n += 1
        reply = self.http.post(self.url, headers=self.headers,
                               json={"jsonrpc": "2.0", "id": self.n, "method": method, "params": params})
        if reply.status_code != 200 or b'"error"' in reply.content:
            raise RuntimeError(f"{method} failed: {reply.status_code} {reply.text[:200]}")

    def timed_calls(self, count: int) -> list[float]:
        out = []
        for i in range(count):
            start = time.perf_counter()
            self.call("tools/call", {"name": "add", "arguments": {"a": i, "b": 1}})
            out.append(time.perf_counter() - start)
        return out

    def close(self) -> None:
        self.http.close()


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(utime, stime) of one process (Linux /proc), independent of how busy the machine is."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def report(label: str, d_times: list[float], p_times: list[float],
           proxy_cpu: tuple[float, float]) -> None:
    d_med, p_med = statistics.median(d_times), statistics.median(p_times)
    d_99, p_99 = p99(d_times), p99(p_times)
    ms = 1000.0
    print(f"tools/call over {label}, {len(d_times)} calls per path, warm cache")
    print(f"  direct : median {d_med * ms:.3f} ms   p99 {d_99 * ms:.3f} ms")
    print(f"  proxied: median {p_med * ms:.3f} ms   p99 {p_99 * ms:.3f} ms")
    print(f"  added  : median {(p_med - d_med) * ms:.3f} ms   p99 {(p_99 - d_99) * ms:.3f} ms"
          f"   (ratio of medians {p_med / d_med:.2f}x; target: median added <= 1 ms)")
    user, system = (t / len(p_times) * ms for t in proxy_cpu)
    print(f"  proxy CPU per call: {user + system:.3f} ms (user {user:.3f} + system {system:.3f} "
          f"of the proxy process; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def measure(direct: RawClient | HttpClient, proxied: RawClient | HttpClient, proxy_pid: int
            ) -> tuple[list[float], list[float], tuple[float, float]]:
    direct.timed_calls(WARMUP)
    proxied.timed_calls(WARMUP)  # the first call after start verifies: warm it up
    d_times: list[float] = []
    p_times: list[float] = []
    cpu_before = cpu_seconds(proxy_pid)
    for _ in range(BLOCKS):
        d_times += direct.timed_calls(PER_BLOCK)
        p_times += proxied.timed_calls(PER_BLOCK)
    cpu_after = cpu_seconds(proxy_pid)
    return d_times, p_times, (cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1])


def bench_stdio(registry: LiveRegistry, name: str, command: list[str]) -> None:
    proxy = [sys.executable, "-m", "gateway_enforcer", "--server", name, "--registry",
             registry.url, "--cache-ttl", "300", "--log-level", "WARNING", "--", *command]
    env = {**os.environ, "MCP_TRUST_TOKEN": registry.tokens["gateway"]}
    direct, proxied = RawClient(command), RawClient(proxy, env)
    try:
        d_times, p_times, cpu = measure(direct, proxied, proxied.proc.pid)
    finally:
        direct.close()
        proxied.close()
    report("stdio", d_times, p_times, cpu)


def bench_http(registry: LiveRegistry, name: str, flag: Path, tmp: Path) -> None:
    port_file = tmp / "port"
    if "--instant-upstream" in sys.argv:
        tools_file = tmp / "tools.json"
        tools_file.write_text(json.dumps(raw_tools(server_command(flag))))
        upstream = Background([sys.executable, "-c", _INSTANT, str(port_file), str(tools_file)])
    else:
        upstream = Background([sys.executable, str(ENFORCER_SERVER), "--flag", str(flag),
                               "--http", str(port_file)])
    port = free_port()
    try:
        wait_for(port_file.exists, timeout=30, what="upstream")
        url = f"http://127.0.0.1:{port_file.read_text()}/mcp"
        proxy = Background(
            [sys.executable, *_proxy_launcher(), "--server", name, "--registry", registry.url,
             "--cache-ttl", "300", "--log-level", "WARNING", "--upstream-url", url,
             "--listen", f"127.0.0.1:{port}"],
            env={**os.environ, "MCP_TRUST_TOKEN": registry.tokens["gateway"]})
        try:
            wait_for(lambda: port_open(port), timeout=30, what="proxy")
            direct, proxied = HttpClient(url), HttpClient(f"http://127.0.0.1:{port}/mcp")
            try:
                d_times, p_times, cpu = measure(direct, proxied, proxy.proc.pid)
            finally:
                direct.close()
                proxied.close()
        finally:
            proxy.stop()
    finally:
        upstream.stop()
    upstream_kind = "instant JSON upstream" if "--instant-upstream" in sys.argv else "SDK upstream"
    report(f"streamable HTTP ({upstream_kind})", d_times, p_times, cpu)


def main() -> int:
    import logging

    with tempfile.TemporaryDirectory() as tmp, \
            running_registry(Path(tmp), verify_cache_ttl_s=300) as registry:
        # the registry's migrations configure logging: one INFO line per bench request otherwise
        logging.getLogger("httpx").setLevel(logging.WARNING)
        name = "io.github.bench/enforcer-fixture"
        flag = Path(tmp) / "flag"
        registry.approve(name, server_command(flag))
        if "--http-only" not in sys.argv:
            bench_stdio(registry, name, server_command(flag))
        if "--stdio-only" not in sys.argv:
            bench_http(registry, name, flag, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
