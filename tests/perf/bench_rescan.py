"""Scheduled rescans of 50, 200 and 500 servers at a fixed concurrency: wall time and growth.

Run: python3 .ci/dev.py perf rescan   (or .venv/bin/python tests/perf/bench_rescan.py [--concurrency 8])

Each registered server is a real MCP server (official SDK) reached over streamable
HTTP on loopback (``tests/fixtures/servers/rescan_server.py --http``, 3 tools), one
process standing in for every registry entry. It answers ``tools/list`` after
``--latency-ms`` (default 250 ms), the response time of a remote server across a
network: real rescans mostly wait on the server, and that waiting is what
concurrency overlaps. Each rescan does the full MCP handshake, lists, hashes, runs
the detector and the offline trust score, and records the result under a lease,
exactly as in production.
The registry runs on a fresh SQLite file per size (``--database-url`` for PostgreSQL).

Baseline, measured in the same run: ``t1``, the mean time of one rescan run alone
(sequentially, 10 times), measured again right before each size because a shared
machine's load moves between sizes. Ideal wall time for N servers at concurrency C
is ``N * t1 / C``; the script prints the measured wall time, its ratio to that ideal,
the growth against the 50-server run, the same growth corrected for the change of
``t1`` between the two sizes, and what linear growth would be (4.0 and 10.0).
"""

from __future__ import annotations

import argparse
import asyncio
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

from sqlalchemy import text  # noqa: E402

from registry import migrate  # noqa: E402
from registry.db import make_engine, session_scope  # noqa: E402
from registry.models import Approval, ReviewItem, Server, Submission  # noqa: E402
from registry.rescan import jobs  # noqa: E402
from registry.rescan.config import RescanConfig  # noqa: E402
from registry.rescan.service import RescanService, default_scan_fn  # noqa: E402
from registry.settings import Settings  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "servers" / "rescan_server.py"
TOOLS = [
    {"name": "get_time", "title": "Current time", "description": "Return the current time in a timezone.",
     "inputSchema": {"type": "object", "properties": {"tz": {"type": "string", "default": "UTC"}}},
     "outputSchema": {"type": "object", "properties": {"iso": {"type": "string"}}},
     "annotations": {"readOnlyHint": True}},
    {"name": "fetch_page", "description": "Fetch a web page and return its text.",
     "inputSchema": {"type": "object", "properties": {"url": {"type": "string", "description": "Page URL"}},
                     "required": ["url"]}},
    {"name": "add", "description": "Add two integers.",
     "inputSchema": {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}},
]


def start_fixture(tmp: Path, latency_ms: float) -> tuple[subprocess.Popen[bytes], str]:
    port_file = tmp / "port"
    tools = tmp / "tools.json"
    tools.write_text(json.dumps(TOOLS))
    argv = [sys.executable, str(FIXTURE), str(tools), "--http", str(port_file), "--latency-ms", str(latency_ms)]
    proc = subprocess.Popen(argv,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not port_file.exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("fixture MCP server did not start")
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port_file.read_text().strip()}/mcp"


def seed(engine_url: str, n: int, url: str, manifest: str, tool_hashes: dict[str, str]) -> None:
    """N approved servers (rows written directly: the bench measures rescans, not reviews)."""
    engine = make_engine(engine_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        for i in range(n):
            server = Server(name=f"io.bench/s{i:04d}", state="approved", approved_manifest_sha256=manifest)
            session.add(server)
            session.flush()
            sub = Submission(server_id=server.id or 0, submitted_by="bench", source={"url": url})
            session.add(sub)
            session.flush()
            item = ReviewItem(server_id=server.id or 0, submission_id=sub.id, state="approved",
                              submitted_by="bench")
            session.add(item)
            session.flush()
            session.add(Approval(server_id=server.id or 0, review_id=item.id or 0, manifest_sha256=manifest,
                                 tool_hashes=tool_hashes, approved_by="bench", reason="bench"))
    jobs.ensure_jobs(engine, RescanConfig(interval_s=3600.0, jitter=0.0))
    with engine.begin() as conn:
        conn.execute(text("UPDATE rescan_jobs SET next_due_at = :t"), {"t": jobs.utcnow()})
    engine.dispose()


async def run_all(engine_url: str, n: int, concurrency: int, settings: Settings) -> float:
    engine = make_engine(engine_url)
    config = RescanConfig(interval_s=3600.0, jitter=0.0, concurrency=concurrency, lease_s=300.0)
    service = RescanService(engine, config, default_scan_fn(settings))
    started = time.perf_counter()
    while len(service.results) < n:
        await service.tick()  # what the scheduler's interval job calls
        await asyncio.sleep(0.05)  # the scheduler tick period (30 s by default), shortened
    wall = time.perf_counter() - started
    bad = [r for r in service.results if r.status != "ok"]
    if bad:
        raise SystemExit(f"{len(bad)} rescans did not come back ok, e.g. {bad[0]}")
    engine.dispose()
    return wall


async def single_scan_time(settings: Settings, url: str, repeats: int = 10) -> tuple[float, str, dict[str, str]]:
    scan = default_scan_fn(settings)
    report = await scan({"url": url})  # warm-up: detector and trust model loading
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        report = await scan({"url": url})
        times.append(time.perf_counter() - t)
    return statistics.mean(times), report.manifest_sha256, report.tool_hashes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--latency-ms", type=float, default=250.0,
                        help="the fixture's tools/list response time (a remote server's latency)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file per size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        fixture, url = start_fixture(tmp, args.latency_ms)
        try:
            settings = Settings(database_url="sqlite://", scan_timeout_s=60)
            print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
                  f"concurrency C = {args.concurrency}")
            print("t1 = one rescan alone (mean of 10), measured right before each size; ideal = N * t1 / C")
            print(f"{'servers':>7} {'load1':>6} {'t1 ms':>7} {'wall s':>8} {'ms/server':>10} {'ideal s':>8} "
                  f"{'wall/ideal':>10} {'growth':>7} {'growth/t1':>9} {'linear':>6}")
            first: tuple[float, float] | None = None
            for n in sizes:
                t1, manifest, hashes = asyncio.run(single_scan_time(settings, url))
                db = args.database_url or f"sqlite:///{tmp / f'bench-{n}.db'}"
                if args.database_url:
                    _reset(db)
                seed(db, n, url, manifest, hashes)
                load = os.getloadavg()[0]
                wall = asyncio.run(run_all(db, n, args.concurrency, settings))
                first = first or (wall, t1)
                ideal = n * t1 / args.concurrency
                growth = wall / first[0]
                print(f"{n:>7} {load:>6.1f} {t1 * 1000:>7.0f} {wall:>8.2f} {wall / n * 1000:>10.1f} {ideal:>8.2f} "
                      f"{wall / ideal:>10.2f} {growth:>7.2f} {growth * first[1] / t1:>9.2f} {n / sizes[0]:>6.1f}",
                      flush=True)
        finally:
            fixture.terminate()
            fixture.wait(timeout=10)
    return 0


def _reset(url: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


if __name__ == "__main__":
    raise SystemExit(main())
