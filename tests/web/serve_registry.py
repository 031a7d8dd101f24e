"""Run the registry (``create_app``) under uvicorn for the browser tests, in its own
process: Playwright's sync API cannot share a thread with a running asyncio loop.

    python serve_registry.py DATA_DIR

Uses a SQLite file in DATA_DIR, binds 127.0.0.1 on a free port and, once started,
writes ``DATA_DIR/ready.json``: {"port": ..., "admin_token": ...}.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import uvicorn
from litestar import Litestar

from registry.app import create_app
from registry.settings import Settings


def main() -> None:
    data = Path(sys.argv[1])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = Settings(
        database_url=f"sqlite:///{data / 'registry.db'}",
        host="127.0.0.1",
        port=port,
        session_secret="web-tests-session-secret-0123456789",
        scan_concurrency=1,
        scan_timeout_s=60.0,
        allow_scan_network=("127.0.0.0/8",),  # the browser tests' MCP servers run on loopback
    )

    async def announce(app: Litestar) -> None:
        ready = {"port": port, "admin_token": app.state["bootstrap_admin_token"]}
        tmp = data / "ready.tmp"
        tmp.write_text(json.dumps(ready))
        tmp.rename(data / "ready.json")

    app = create_app(settings, on_startup=[announce])
    uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on")).run(sockets=[sock])


if __name__ == "__main__":
    main()
