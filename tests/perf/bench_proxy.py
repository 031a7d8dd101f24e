"""Added latency of the enforcing stdio proxy per tools/call, warm cache.

Same run, same machine, same server: a raw JSON-RPC client over stdio calls the
fixture server's ``add`` tool directly, then through ``python -m gateway_enforcer``
(backed by a real registry, approved, answers cached for 300 s), in alternating
blocks so machine noise hits both alike. Prints median and p99 per call for each
path and the difference (target: at most 1 ms added at the median).

    python3 .ci/dev.py perf proxy        # or: .venv/bin/python tests/perf/bench_proxy.py
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

from tests.enforcer.conftest import running_registry, server_command  # noqa: E402

BLOCKS, PER_BLOCK, WARMUP = 10, 300, 200


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


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (Linux /proc), independent of how busy the machine is."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, running_registry(Path(tmp), verify_cache_ttl_s=300) as registry:
        name = "io.github.bench/enforcer-fixture"
        command = server_command(Path(tmp) / "flag")
        registry.approve(name, command)
        proxy = [
            sys.executable,
            "-m",
            "gateway_enforcer",
            "--server",
            name,
            "--registry",
            registry.url,
            "--cache-ttl",
            "300",
            "--log-level",
            "WARNING",
            "--",
            *command,
        ]
        env = {**os.environ, "MCP_TRUST_TOKEN": registry.tokens["gateway"]}
        direct, proxied = RawClient(command), RawClient(proxy, env)
        try:
            direct.timed_calls(WARMUP)
            proxied.timed_calls(WARMUP)  # the first call after start verifies: warm it up
            d_times: list[float] = []
            p_times: list[float] = []
            cpu_before = cpu_seconds(proxied.proc.pid)
            for _ in range(BLOCKS):
                d_times += direct.timed_calls(PER_BLOCK)
                p_times += proxied.timed_calls(PER_BLOCK)
            proxy_cpu = cpu_seconds(proxied.proc.pid) - cpu_before
        finally:
            direct.close()
            proxied.close()
    d_med, p_med = statistics.median(d_times), statistics.median(p_times)
    d_99, p_99 = p99(d_times), p99(p_times)
    ms = 1000.0
    print(f"tools/call over stdio, {len(d_times)} calls per path, warm cache")
    print(f"  direct : median {d_med * ms:.3f} ms   p99 {d_99 * ms:.3f} ms")
    print(f"  proxied: median {p_med * ms:.3f} ms   p99 {p_99 * ms:.3f} ms")
    print(
        f"  added  : median {(p_med - d_med) * ms:.3f} ms   p99 {(p_99 - d_99) * ms:.3f} ms"
        f"   (ratio of medians {p_med / d_med:.2f}x; target: median added <= 1 ms)"
    )
    print(
        f"  proxy CPU per call: {proxy_cpu / len(p_times) * ms:.3f} ms "
        f"(user+system time of the proxy process; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores during the run)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
