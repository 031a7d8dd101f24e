"""Scheduled rescans of 50, 200 and 500 servers at a fixed concurrency: wall time and growth.

Run: python3 .ci/dev.py perf rescan   (or .venv/bin/python tests/perf/bench_rescan.py [--concurrency 8])

Each registered server is a real MCP server reached over streamable HTTP on loopback
(the SDK fixture ``tests/fixtures/servers/sdk_server.py --http``: 3 tools, paginated
``tools/list``, prompts, resources), one process serving every registry entry, so
each rescan does the full MCP handshake, lists, hashes, runs the detector and the
offline trust score, and records the result under a lease, exactly as in production.
The registry runs on a fresh SQLite file per size (``--database-url`` for PostgreSQL).

Baseline, measured in the same run: ``t1``, the mean time of one rescan run alone
(sequentially, 10 times). Ideal wall time for N servers at concurrency C is
``N * t1 / C``; the script prints the measured wall time, its ratio to that ideal,
and the growth against the 50-server run (linear growth would be 4.0 and 10.0).
"""

from __future__ import annotations

import argparse
import asyncio
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

FIXTURE = ROOT / "tests" / "fixtures" / "servers" / "sdk_server.py"


def start_fixture(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port_file = tmp / "port"
    proc = subprocess.Popen([sys.executable, str(FIXTURE), "--http", str(port_file)],
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
    parser.add_argument("--database-url", help="default: a fresh SQLite file per size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        fixture, url = start_fixture(tmp)
        try:
            settings = Settings(database_url="sqlite://", scan_timeout_s=60)
            t1, manifest, hashes = asyncio.run(single_scan_time(settings, url))
            print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
            print(f"baseline t1 (one rescan alone, mean of 10): {t1 * 1000:.1f} ms")
            print(f"concurrency C = {args.concurrency}")
            print(f"{'servers':>8} {'wall s':>8} {'per server ms':>14} {'ideal N*t1/C s':>15} "
                  f"{'wall/ideal':>10} {'growth vs 50':>13}")
            first: float | None = None
            for n in sizes:
                db = args.database_url or f"sqlite:///{tmp / f'bench-{n}.db'}"
                if args.database_url:
                    _reset(db)
                seed(db, n, url, manifest, hashes)
                wall = asyncio.run(run_all(db, n, args.concurrency, settings))
                first = first or wall
                ideal = n * t1 / args.concurrency
                print(f"{n:>8} {wall:>8.2f} {wall / n * 1000:>14.1f} {ideal:>15.2f} "
                      f"{wall / ideal:>10.2f} {wall / first:>8.2f} (x{n / sizes[0]:.0f})")
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
